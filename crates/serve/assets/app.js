// w2k8 fleet dashboard: a single page over the JSON API of `w2k8 serve`.
//
// Plain JavaScript, no framework, no build step, no other origin. Runs under
// `script-src 'self'; style-src 'self'`: no inline script or style, no eval.
// Every element is built with createElement/createElementNS and every value
// from the fleet (host names come from the hosts' own outputs) goes in with
// textContent or setAttribute, never innerHTML, so `<script>` in a host name
// shows as text. Links built from data only ever point inside the page or to
// http(s) sources.
//
// Views (hash routes): #/ overview, #/hosts list, #/host/NAME detail,
// #/cves list, #/cve/ID detail. When the API answers 401 the page asks for
// the token, keeps it in sessionStorage and sends `Authorization: Bearer`.
"use strict";

(() => {
  const TOKEN_KEY = "w2k8.token";
  const SVG_NS = "http://www.w3.org/2000/svg";
  const APP = "w2k8 fleet";
  const HOST_PAGE = 50;
  const CVE_PAGE = 100;
  const main = document.getElementById("main");

  // ---------------------------------------------------------------- DOM

  function add(el, kids) {
    for (const k of kids) {
      if (k === null || k === undefined || k === false) continue;
      if (Array.isArray(k)) add(el, k);
      else if (k instanceof Node) el.appendChild(k);
      else el.appendChild(document.createTextNode(String(k)));
    }
    return el;
  }

  function setAttrs(el, attrs) {
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
      else if (k === "class") el.setAttribute("class", Array.isArray(v) ? v.filter(Boolean).join(" ") : v);
      else el.setAttribute(k, v === true ? "" : String(v));
    }
    return el;
  }

  // An HTML element: h("td", {class: "num"}, "42").
  function h(tag, attrs, ...kids) {
    return add(setAttrs(document.createElement(tag), attrs), kids);
  }

  // An SVG element.
  function s(tag, attrs, ...kids) {
    return add(setAttrs(document.createElementNS(SVG_NS, tag), attrs), kids);
  }

  // ------------------------------------------------------------ formats

  const num = (n) => (typeof n === "number" ? n.toLocaleString("en-US") : "—");
  const dash = (v) => (v === null || v === undefined || v === "" ? "—" : String(v));
  const when = (t) => (t ? String(t).replace("T", " ").replace(/:\d\d(\.\d+)?Z$/, " UTC") : "—");
  const words = (k) => (k ? String(k).replace(/_/g, " ") : "—");
  const arch = (a) => ({ x86: "x86", x64: "x64", ia64: "IA-64" })[String(a).toLowerCase()] || dash(a);
  const install = (core) => (core === true ? "Server Core" : core === false ? "full" : "—");
  const isUrl = (t) => /^https?:\/\/[^\s]+$/i.test(String(t));
  const isCve = (t) => /^CVE-\d{4}-\d{4,}$/.test(String(t));

  const hostHref = (name) => "#/host/" + encodeURIComponent(name);
  const cveHref = (id) => "#/cve/" + encodeURIComponent(id);

  function count(n, cls) {
    return h("td", { class: ["num", n === 0 && "zero", cls] }, num(n));
  }

  function statusBadge(status) {
    const st = String(status || "unknown");
    return h("span", { class: ["badge", st] }, st);
  }

  function flags(c) {
    return [
      c.kev ? h("span", { class: "badge kev", title: "In CISA's Known Exploited Vulnerabilities catalog" }, "KEV") : null,
      c.ransomware ? h("span", { class: "badge ransom", title: "Known use in ransomware campaigns (CISA KEV)" }, "ransomware") : null,
      c.exploit ? h("span", { class: "badge exploit", title: "A public exploit is listed" }, "exploit") : null,
    ];
  }

  function sev(t) {
    const v = String(t || "").toLowerCase();
    return h("span", { class: v ? "sev-" + v : null }, v ? v[0].toUpperCase() + v.slice(1) : "—");
  }

  function table(caption, head, rows, opts = {}) {
    const t = h(
      "table",
      { id: opts.id, class: opts.class },
      h("caption", { class: "sr-only" }, caption),
      h("thead", null, h("tr", null, head)),
      h("tbody", null, rows),
    );
    return h("div", { class: "table-wrap" }, t);
  }

  const th = (label, cls) => h("th", { scope: "col", class: cls }, label);

  function sources(list) {
    const items = (Array.isArray(list) ? list : list ? [list] : []).map((src) =>
      h("li", null, isUrl(src) ? h("a", { href: src, rel: "noopener noreferrer", target: "_blank" }, src) : String(src)),
    );
    return items.length ? h("ul", { class: "sources", "aria-label": "Sources" }, items) : null;
  }

  // ---------------------------------------------------------------- API

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  async function api(path, params) {
    let url = path;
    if (params) {
      const q = params.toString();
      if (q) url += "?" + q;
    }
    const headers = { Accept: "application/json" };
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) headers.Authorization = "Bearer " + token;
    let res;
    try {
      res = await fetch(url, { headers, cache: "no-store", credentials: "same-origin", redirect: "error" });
    } catch (e) {
      throw new ApiError(0, "the server did not answer (" + e.message + ")");
    }
    let body = null;
    try {
      body = await res.json();
    } catch (_) {
      body = null;
    }
    if (!res.ok) {
      const msg = body && body.error && body.error.message ? body.error.message : res.status + " " + res.statusText;
      throw new ApiError(res.status, msg);
    }
    return body;
  }

  // ------------------------------------------------------------- router

  function parseHash() {
    const raw = location.hash.replace(/^#/, "") || "/";
    const at = raw.indexOf("?");
    const path = at < 0 ? raw : raw.slice(0, at);
    const params = new URLSearchParams(at < 0 ? "" : raw.slice(at + 1));
    const parts = path
      .split("/")
      .filter((p) => p !== "")
      .map((p) => {
        try {
          return decodeURIComponent(p);
        } catch (_) {
          return p;
        }
      });
    return { parts, params };
  }

  function go(hash, replace) {
    if (replace) location.replace(hash);
    else location.hash = hash;
  }

  function hashWith(base, params) {
    const q = params.toString();
    return base + (q ? "?" + q : "");
  }

  let generation = 0;
  let focusHeading = false;

  async function render() {
    const my = ++generation;
    const { parts, params } = parseHash();
    const active = document.activeElement;
    const keep = active && active.id && main.contains(active) ? { id: active.id, pos: active.selectionStart } : null;
    let nav = "overview";
    let view;
    if (parts.length === 0) view = () => overview();
    else if (parts[0] === "hosts" && parts.length === 1) {
      nav = "hosts";
      view = () => hostList(params);
    } else if (parts[0] === "host" && parts.length === 2) {
      nav = "hosts";
      view = () => hostDetail(parts[1]);
    } else if (parts[0] === "cves" && parts.length === 1) {
      nav = "cves";
      view = () => cveList(params);
    } else if (parts[0] === "cve" && parts.length === 2) {
      nav = "cves";
      view = () => cveDetail(parts[1]);
    } else view = async () => ({ title: "Not found", node: errorBox("Not found", "There is no view at " + location.hash + ".") });

    for (const a of document.querySelectorAll("[data-nav]")) {
      if (a.getAttribute("data-nav") === nav) a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    }
    main.setAttribute("aria-busy", "true");
    let out;
    try {
      out = await view();
    } catch (e) {
      if (my !== generation) return;
      if (e instanceof ApiError && e.status === 401) out = signIn();
      else out = { title: "Error", node: errorBox(e instanceof ApiError && e.status ? "Error " + e.status : "Error", e.message) };
    }
    if (my !== generation) return;
    main.replaceChildren(out.node);
    main.removeAttribute("aria-busy");
    document.title = out.title + " · " + APP;
    document.getElementById("signout").hidden = !sessionStorage.getItem(TOKEN_KEY);
    const again = keep && document.getElementById(keep.id);
    if (again) {
      again.focus();
      if (typeof keep.pos === "number" && typeof again.setSelectionRange === "function") {
        try {
          again.setSelectionRange(keep.pos, keep.pos);
        } catch (_) {
          /* not a text input */
        }
      }
    } else if (out.focus) {
      const f = document.getElementById(out.focus);
      if (f) f.focus();
    } else if (focusHeading) {
      const h1 = main.querySelector("h1");
      if (h1) {
        h1.setAttribute("tabindex", "-1");
        h1.focus({ preventScroll: true });
      }
      window.scrollTo(0, 0);
    }
    focusHeading = false;
  }

  function errorBox(title, message) {
    return h("div", { class: "error-box", role: "alert" }, h("h1", null, title), h("p", null, message));
  }

  // ------------------------------------------------------------ sign-in

  let rejected = false;

  function signIn() {
    // A token was sent and refused: forget it and say so.
    if (sessionStorage.getItem(TOKEN_KEY)) {
      sessionStorage.removeItem(TOKEN_KEY);
      rejected = true;
    }
    const input = h("input", {
      type: "password",
      id: "token",
      name: "token",
      autocomplete: "current-password",
      required: true,
      spellcheck: "false",
      "aria-describedby": "token-why",
    });
    const form = h(
      "form",
      { class: "signin", id: "signin", "aria-labelledby": "signin-title" },
      h("h1", { id: "signin-title" }, "Sign in"),
      h(
        "p",
        { class: "why", id: "token-why" },
        "This server needs its access token: the text in the token file given to ",
        h("code", null, "w2k8 serve --token-file"),
        " (printed once when the server created it). It is kept in this browser tab only.",
      ),
      h("label", { for: "token" }, "Access token"),
      input,
      rejected ? h("p", { class: "alert", role: "alert", id: "signin-error" }, "That token was not accepted. Try again.") : null,
      h("button", { type: "submit", class: "btn" }, "Sign in"),
    );
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const t = input.value.trim();
      if (!t) return;
      sessionStorage.setItem(TOKEN_KEY, t);
      rejected = false;
      render();
    });
    return { title: "Sign in", node: form, focus: "token" };
  }

  document.getElementById("signout").addEventListener("click", () => {
    sessionStorage.removeItem(TOKEN_KEY);
    rejected = false;
    render();
  });

  // ------------------------------------------------------------- charts

  // A scale from 0 to a round maximum with 2 to 5 round, integer steps.
  function scale(v) {
    const raw = Math.max(1, v) / 4;
    const p = Math.pow(10, Math.floor(Math.log10(raw)));
    let step = 10 * p;
    for (const m of [1, 2, 2.5, 5, 10]) {
      if (m * p >= raw && Number.isInteger(m * p)) {
        step = m * p;
        break;
      }
    }
    step = Math.max(1, step);
    const max = Math.max(step, Math.ceil(Math.max(1, v) / step) * step);
    const ticks = [];
    for (let t = 0; t <= max + step / 2; t += step) ticks.push(t);
    return { max, ticks };
  }

  // A vertical bar chart of [{label, hosts}] with counts on top.
  // opts: {id, title, barClass(label), href(label)}
  function barChart(data, opts) {
    const W = 420;
    const H = 220;
    const m = { l: 34, r: 8, t: 18, b: 26 };
    const pw = W - m.l - m.r;
    const ph = H - m.t - m.b;
    const { max, ticks } = scale(Math.max(0, ...data.map((d) => d.hosts)));
    const step = pw / Math.max(1, data.length);
    const bw = Math.min(64, step * 0.72);
    const every = Math.max(1, Math.ceil((data.length * 52) / pw));
    const desc = data.map((d) => d.label + ": " + d.hosts).join(", ");
    const svg = s("svg", {
      id: opts.id,
      viewBox: `0 0 ${W} ${H}`,
      role: opts.href ? "group" : "img",
      "aria-label": opts.title + ". " + (desc || "no data"),
    });
    for (const t of ticks) {
      const y = m.t + ph - (t / max) * ph;
      svg.appendChild(s("line", { class: "grid", x1: m.l, x2: W - m.r, y1: y, y2: y }));
      svg.appendChild(s("text", { x: m.l - 6, y: y + 4, "text-anchor": "end" }, num(Math.round(t))));
    }
    svg.appendChild(s("line", { class: "axis", x1: m.l, x2: W - m.r, y1: m.t + ph, y2: m.t + ph }));
    data.forEach((d, i) => {
      const cx = m.l + step * i + step / 2;
      const bh = (d.hosts / max) * ph;
      const y = m.t + ph - bh;
      const cls = ["bar", opts.barClass ? opts.barClass(d.label) : null];
      const g = s(
        "g",
        null,
        s("title", null, `${d.label}: ${d.hosts} host${d.hosts === 1 ? "" : "s"}`),
        s("rect", { class: cls, x: cx - bw / 2, y, width: bw, height: Math.max(0, bh), rx: 2 }),
        s("text", { class: "value", x: cx, y: y - 4, "text-anchor": "middle" }, num(d.hosts)),
      );
      // Every `every`-th label, counted from the newest so it always shows.
      if ((data.length - 1 - i) % every === 0) {
        g.appendChild(s("text", { x: cx, y: m.t + ph + 15, "text-anchor": "middle" }, d.label));
      }
      const href = opts.href ? opts.href(d.label) : null;
      if (href) {
        svg.appendChild(s("a", { href, "aria-label": `${d.label}: ${d.hosts} hosts, show them` }, g));
      } else svg.appendChild(g);
    });
    if (data.length === 0) svg.appendChild(s("text", { x: W / 2, y: H / 2, "text-anchor": "middle" }, "no hosts yet"));
    return svg;
  }

  // A line/area chart over dates: points [{date, ...}], series [{key, label}].
  function lineChart(points, series, opts) {
    const W = 620;
    const H = 220;
    const m = { l: 48, r: 14, t: 14, b: 26 };
    const pw = W - m.l - m.r;
    const ph = H - m.t - m.b;
    const t = points.map((p) => Date.parse(p.date + "T00:00:00Z"));
    const t0 = Math.min(...t);
    const t1 = Math.max(...t);
    const x = (i) => (points.length === 1 || t1 === t0 ? m.l + pw / 2 : m.l + ((t[i] - t0) / (t1 - t0)) * pw);
    const { max, ticks } = scale(Math.max(0, ...points.flatMap((p) => series.map((sr) => Number(p[sr.key]) || 0))));
    const y = (v) => m.t + ph - ((Number(v) || 0) / max) * ph;
    const last = points[points.length - 1];
    const desc = last ? series.map((sr) => `${sr.label} on ${last.date}: ${last[sr.key]}`).join("; ") : "no scans yet";
    const svg = s("svg", { id: opts.id, viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": opts.title + ". " + desc });
    for (const tk of ticks) {
      const yy = y(tk);
      svg.appendChild(s("line", { class: "grid", x1: m.l, x2: W - m.r, y1: yy, y2: yy }));
      svg.appendChild(s("text", { x: m.l - 6, y: yy + 4, "text-anchor": "end" }, num(Math.round(tk))));
    }
    svg.appendChild(s("line", { class: "axis", x1: m.l, x2: W - m.r, y1: m.t + ph, y2: m.t + ph }));
    if (points.length === 0) {
      svg.appendChild(s("text", { x: W / 2, y: H / 2, "text-anchor": "middle" }, "no scans yet"));
      return svg;
    }
    const labelAt = [0];
    if (points.length > 2) labelAt.push(Math.floor((points.length - 1) / 2));
    if (points.length > 1) labelAt.push(points.length - 1);
    for (const i of labelAt) {
      const anchor = i === 0 && points.length > 1 ? "start" : i === points.length - 1 && points.length > 1 ? "end" : "middle";
      svg.appendChild(s("text", { x: x(i), y: m.t + ph + 16, "text-anchor": anchor }, points[i].date));
    }
    series.forEach((sr, k) => {
      const coords = points.map((p, i) => [x(i), y(p[sr.key])]);
      const line = coords.map(([a, b], i) => `${i ? "L" : "M"}${a.toFixed(1)},${b.toFixed(1)}`).join(" ");
      if (sr.area && points.length > 1) {
        const base = (m.t + ph).toFixed(1);
        const area = `${line} L${coords[coords.length - 1][0].toFixed(1)},${base} L${coords[0][0].toFixed(1)},${base} Z`;
        svg.appendChild(s("path", { class: `area s${k}`, d: area }));
      }
      if (points.length > 1) svg.appendChild(s("path", { class: `line s${k}`, d: line }, s("title", null, sr.label)));
      coords.forEach(([a, b], i) => {
        svg.appendChild(
          s("circle", { class: `dot s${k}`, cx: a, cy: b, r: 3.5 }, s("title", null, `${points[i].date}: ${sr.label} ${num(Number(points[i][sr.key]))}`)),
        );
      });
    });
    return svg;
  }

  function legend(series) {
    return h(
      "ul",
      { class: "legend" },
      series.map((sr, k) => h("li", null, h("span", { class: `sw s${k}`, "aria-hidden": "true" }), sr.label)),
    );
  }

  function figure(title, note, svg, extra, wide) {
    return h("figure", { class: ["chart panel", wide && "wide"] }, h("figcaption", null, title, note ? h("span", { class: "note" }, " · " + note) : null), svg, extra);
  }

  // ----------------------------------------------------------- overview

  function card(id, value, label, cls, href) {
    const kids = [h("span", { class: "n" }, num(value)), h("span", { class: "l" }, label)];
    return href ? h("a", { class: ["card", cls], id, href }, kids) : h("div", { class: ["card", cls], id }, kids);
  }

  // CVE rows; `withHosts` adds the fleet-wide host count (not on a host's page).
  function cveTable(list, id, caption, withHosts = true) {
    return table(
      caption,
      [th("CVE"), th("Title"), th("Severity"), th("Flags"), withHosts ? th("Hosts", "num") : null],
      list.map((c) =>
        h(
          "tr",
          null,
          h("td", { class: "nowrap mono" }, h("a", { href: cveHref(c.cve) }, c.cve)),
          h("td", { class: "title" }, c.title),
          h("td", null, sev(c.severity)),
          h("td", { class: "flags" }, flags(c)),
          withHosts ? count(c.hosts) : null,
        ),
      ),
      { id },
    );
  }

  function missingTable(list, id, caption, ordered) {
    const head = [ordered ? th("#", "num") : null, th("Update"), th("Title"), th("Kind"), ordered ? null : th("Hosts", "num")];
    return table(
      caption,
      head,
      list.map((u, i) =>
        h(
          "tr",
          null,
          ordered ? h("td", { class: "num" }, i + 1) : null,
          h("td", { class: "nowrap mono" }, u.kb),
          h("td", { class: "title" }, dash(u.title)),
          h("td", { class: "nowrap" }, words(u.kind)),
          ordered ? null : count(u.hosts),
        ),
      ),
      { id },
    );
  }

  const filterHref = (expr) => hashWith("#/hosts", new URLSearchParams([["filter", expr]]));

  async function overview() {
    const sum = await api("/api/summary");
    const t = sum.totals || {};
    const hist = Array.isArray(sum.history) ? sum.history : [];
    const buildClass = (l) => (l === "6003" ? "ok" : /^600[12]$/.test(l) ? null : "other");
    const kevClass = (l) => (/ransom/i.test(l) ? "ransom" : /^KEV/.test(l) ? "kev" : "ok");
    const kevHref = (l) => (/ransom/i.test(l) ? filterHref("ransomware>0") : /^KEV$/.test(l) ? filterHref("kev>0") : /^no KEV$/i.test(l) ? filterHref("kev=0") : null);
    const topCves = (sum.top_cves || []).slice(0, 12);
    const topMissing = (sum.top_missing || []).slice(0, 12);
    const node = h(
      "div",
      { class: "overview" },
      h("h1", null, "Fleet overview"),
      h("p", { class: "lead" }, `${num(t.hosts)} hosts, each as of its latest scan; ${num(t.scans)} scans stored. Computed ${when(sum.generated_at)}.`),
      h(
        "div",
        { class: "cards", role: "list", "aria-label": "Fleet totals" },
        [
          card("total-hosts", t.hosts, "hosts", null, "#/hosts"),
          card("total-ok", t.ok, "assessed (scan ok)", "good", filterHref("status=ok")),
          card("total-kev", t.kev_hosts, "hosts with a KEV CVE open", "bad", filterHref("kev>0")),
          card("total-ransomware", t.ransomware_hosts, "with a ransomware-used CVE", "ransom", filterHref("ransomware>0")),
          card("total-failed", t.failed, "latest scan failed", "warn", filterHref("status=failed")),
          card("total-unsupported", t.unsupported, "other Windows versions", null, filterHref("status=unsupported")),
          card("total-scans", t.scans, "scans stored"),
        ].map((c) => {
          c.setAttribute("role", "listitem");
          return c;
        }),
      ),
      h(
        "div",
        { class: "charts" },
        figure("Hosts by build", "6003 is the build after April 2019", barChart(sum.by_build || [], {
          id: "chart-build",
          title: "Hosts by build",
          barClass: buildClass,
          href: (l) => (/^\d+$/.test(l) ? filterHref("build=" + l) : null),
        })),
        figure("Hosts by KEV exposure", null, barChart(sum.by_kev || [], { id: "chart-kev", title: "Hosts by KEV exposure", barClass: kevClass, href: kevHref })),
        figure("Hosts by patched-through month", null, barChart(sum.by_patched_through || [], {
          id: "chart-month",
          title: "Hosts by patched-through month",
        })),
        figure(
          "Exposure over time",
          "hosts with a KEV CVE open",
          lineChart(hist, [{ key: "kev_hosts", label: "hosts with KEV open", area: true }, { key: "hosts", label: "hosts known" }], {
            id: "chart-history",
            title: "Hosts with a KEV CVE open, and hosts known, over time",
          }),
          legend([{ label: "hosts with a KEV CVE open" }, { label: "hosts known" }]),
          true,
        ),
        figure(
          "Open CVEs over time",
          "CVE/host pairs open",
          lineChart(hist, [{ key: "open_cves", label: "open CVE/host pairs", area: true }], { id: "chart-cves", title: "Open CVE/host pairs over time" }),
          null,
          true,
        ),
      ),
      h(
        "div",
        { class: "two wide-left" },
        h(
          "section",
          { "aria-labelledby": "top-cves-h" },
          h("h2", { id: "top-cves-h" }, "Top CVEs ", h("a", { href: "#/cves", class: "note" }, "(all)")),
          topCves.length ? cveTable(topCves, "top-cves", "CVEs open on the most hosts, KEV first") : h("p", { class: "empty" }, "No open CVE."),
        ),
        h(
          "section",
          { "aria-labelledby": "top-missing-h" },
          h("h2", { id: "top-missing-h" }, "Top missing updates"),
          topMissing.length ? missingTable(topMissing, "top-missing", "Updates missing on the most hosts", false) : h("p", { class: "empty" }, "No update missing."),
        ),
      ),
    );
    return { title: "Overview", node };
  }

  // ---------------------------------------------------------- host list

  const HOST_COLUMNS = [
    { key: "name", label: "Host", first: "asc" },
    { key: "status", label: "Status", first: "asc" },
    { key: "build", label: "Build", first: "asc", num: true },
    { key: null, label: "Edition" },
    { key: null, label: "Arch" },
    { key: "patched_through", label: "Patched through", first: "asc" },
    { key: "missing", label: "Missing", first: "desc", num: true },
    { key: "open_cves", label: "Open CVEs", first: "desc", num: true },
    { key: "kev_open", label: "KEV", first: "desc", num: true },
    { key: "ransomware_open", label: "Ransomware", first: "desc", num: true },
    { key: "last_scan", label: "Last scan", first: "desc" },
  ];

  const CHIPS = [
    { expr: "kev>0", label: "KEV > 0" },
    { expr: "ransomware>0", label: "Ransomware > 0" },
    { expr: "build=6001", label: "build 6001", group: "build" },
    { expr: "build=6002", label: "build 6002", group: "build" },
    { expr: "build=6003", label: "build 6003", group: "build" },
    { expr: "status=failed", label: "failed", group: "status" },
    { expr: "status=unsupported", label: "unsupported", group: "status" },
  ];

  function hostRow(r) {
    return h(
      "tr",
      null,
      h(
        "td",
        { class: "name" },
        h("a", { href: hostHref(r.name) }, r.name),
        r.error ? h("span", { class: "err" }, r.error) : null,
        r.product && r.product !== "Windows Server 2008 SP2" ? h("span", { class: "sub" }, r.product) : null,
      ),
      h("td", null, statusBadge(r.status)),
      h("td", { class: "num" }, dash(r.build)),
      h("td", null, dash(r.edition)),
      h("td", null, r.arch ? arch(r.arch) : "—"),
      h("td", { class: "nowrap" }, dash(r.patched_through)),
      count(r.missing),
      count(r.open_cves),
      count(r.kev_open, r.kev_open ? "kev-n" : null),
      count(r.ransomware_open),
      h("td", { class: "nowrap" }, when(r.last_scan)),
    );
  }

  function pager(base, params, offset, limit, total, shown) {
    if (total <= limit && offset === 0) {
      return h("p", { class: "pager", "aria-live": "polite" }, `${num(total)} ${total === 1 ? "entry" : "entries"}`);
    }
    const to = (o) => {
      const p = new URLSearchParams(params);
      if (o > 0) p.set("offset", String(o));
      else p.delete("offset");
      return hashWith(base, p);
    };
    const prev = Math.max(0, offset - limit);
    const next = offset + limit;
    return h(
      "nav",
      { class: "pager", "aria-label": "Pages" },
      h("button", { type: "button", class: "btn secondary", disabled: offset === 0, onclick: () => go(to(prev)) }, "← Previous"),
      h("span", { "aria-live": "polite" }, `${num(shown ? offset + 1 : 0)}–${num(offset + shown)} of ${num(total)}`),
      h("button", { type: "button", class: "btn secondary", disabled: next >= total, onclick: () => go(to(next)) }, "Next →"),
    );
  }

  // A search box that rewrites `q` in the hash (debounced, without piling up history).
  function searchBox(id, label, placeholder, base, params) {
    let timer = null;
    const input = h("input", { type: "search", id, name: "q", value: params.get("q") || "", placeholder, autocomplete: "off", spellcheck: "false" });
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        const p = new URLSearchParams(params);
        const v = input.value.trim();
        if (v) p.set("q", v);
        else p.delete("q");
        p.delete("offset");
        go(hashWith(base, p), true);
      }, 250);
    });
    input.addEventListener("keydown", (ev) => {
      if (ev.key === "Escape" && input.value) {
        input.value = "";
        input.dispatchEvent(new Event("input"));
      }
    });
    return h("div", { class: "search", role: "search" }, h("label", { for: id }, label), input);
  }

  async function hostList(params) {
    const filters = params.getAll("filter");
    const sort = params.get("sort") || "name";
    const order = params.get("order") === "desc" ? "desc" : "asc";
    const offset = Math.max(0, parseInt(params.get("offset") || "0", 10) || 0);
    const q = new URLSearchParams();
    if (params.get("q")) q.set("q", params.get("q"));
    for (const f of filters) q.append("filter", f);
    q.set("sort", sort);
    q.set("order", order);
    q.set("limit", String(HOST_PAGE));
    q.set("offset", String(offset));
    let res;
    let filterError = null;
    try {
      res = await api("/api/hosts", q);
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 400) throw e;
      filterError = e.message;
      res = { total: 0, hosts: [] };
    }
    const hosts = res.hosts || [];
    const total = typeof res.total === "number" ? res.total : hosts.length;

    const withFilters = (list) => {
      const p = new URLSearchParams(params);
      p.delete("filter");
      p.delete("offset");
      for (const f of list) p.append("filter", f);
      return hashWith("#/hosts", p);
    };
    const toggle = (chip) => {
      let list = filters.filter((f) => f !== chip.expr);
      if (list.length === filters.length) {
        if (chip.group) list = list.filter((f) => !CHIPS.some((c) => c.group === chip.group && c.expr === f));
        list.push(chip.expr);
      }
      go(withFilters(list));
    };
    const custom = filters.filter((f) => !CHIPS.some((c) => c.expr === f));
    const chipList = h(
      "ul",
      { class: "chips", "aria-label": "Filters" },
      h("li", { class: "label", "aria-hidden": "true" }, "Filter:"),
      CHIPS.map((c) =>
        h("li", null, h("button", { type: "button", class: "chip", "aria-pressed": filters.includes(c.expr) ? "true" : "false", onclick: () => toggle(c) }, c.label)),
      ),
      custom.map((f) =>
        h(
          "li",
          null,
          h(
            "button",
            { type: "button", class: "chip custom", "aria-pressed": "true", "aria-label": `Remove filter ${f}`, onclick: () => go(withFilters(filters.filter((x) => x !== f))) },
            f + " ×",
          ),
        ),
      ),
    );
    const exprInput = h("input", { type: "text", id: "filter-expr", placeholder: "e.g. patched_through<2023-01", autocomplete: "off", spellcheck: "false" });
    const exprForm = h(
      "form",
      { class: "filter-form", "aria-label": "Add a filter expression" },
      h("label", { for: "filter-expr", class: "sr-only" }, "Filter expression (KEY OP VALUE)"),
      exprInput,
      h("button", { type: "submit", class: "btn secondary" }, "Add filter"),
    );
    exprForm.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const v = exprInput.value.trim();
      if (v && !filters.includes(v)) go(withFilters([...filters, v]));
    });

    const head = HOST_COLUMNS.map((c) => {
      if (!c.key) return th(c.label, c.num ? "num" : null);
      const on = c.key === sort;
      const nextOrder = on ? (order === "asc" ? "desc" : "asc") : c.first;
      const cell = h(
        "th",
        { scope: "col", class: [c.num && "num", "nowrap"], "aria-sort": on ? (order === "asc" ? "ascending" : "descending") : "none", "data-sort": c.key },
        h(
          "button",
          {
            type: "button",
            class: "sort",
            "aria-label": `${c.label}: sort ${nextOrder === "asc" ? "ascending" : "descending"}`,
            onclick: () => {
              const p = new URLSearchParams(params);
              p.set("sort", c.key);
              p.set("order", nextOrder);
              p.delete("offset");
              go(hashWith("#/hosts", p));
            },
          },
          c.label,
          h("span", { class: "arrow", "aria-hidden": "true" }, on ? (order === "asc" ? "▲" : "▼") : "↕"),
        ),
      );
      return cell;
    });

    const node = h(
      "div",
      { class: "host-list" },
      h("h1", null, "Hosts"),
      h("p", { class: "lead" }, "Each host as of its latest scan. Click a column to sort; choose filters to narrow the list."),
      h("div", { class: "toolbar" }, searchBox("host-search", "Search", "host name", "#/hosts", params), chipList, exprForm),
      filterError ? h("p", { class: "error-box", role: "alert", id: "filter-error" }, "Filter not understood: " + filterError) : null,
      hosts.length
        ? table("Hosts", head, hosts.map(hostRow), { id: "host-table" })
        : h("p", { class: "empty", id: "no-hosts" }, filterError ? "" : "No host matches."),
      pager("#/hosts", params, offset, HOST_PAGE, total, hosts.length),
    );
    return { title: filters.length || params.get("q") ? `Hosts (${total})` : "Hosts", node };
  }

  // -------------------------------------------------------- host detail

  function standing(r) {
    const item = (label, value, id) => h("div", { id }, h("dt", null, label), h("dd", null, value));
    return h(
      "dl",
      { class: "standing panel", id: "standing" },
      item("Product", dash(r.product)),
      item("Edition", dash(r.edition)),
      item("Architecture", r.arch ? arch(r.arch) : "—"),
      item("Installation", install(r.server_core)),
      item("Build", dash(r.build), "st-build"),
      item("Kernel (ntoskrnl.exe)", h("span", { class: "mono" }, dash(r.kernel))),
      item("Patched through", dash(r.patched_through), "st-patched"),
      item("Last scan", when(r.last_scan)),
      item("Status", [statusBadge(r.status), r.error ? h("span", { class: "err" }, " " + r.error) : null]),
      r.product_id ? item("Product ID", h("span", { class: "mono" }, r.product_id)) : null,
    );
  }

  function kbList(list, satisfied) {
    if (!list || list.length === 0) return "—";
    return h(
      "span",
      { class: "kbs", title: satisfied === false ? "not installed yet: an earlier step of this plan installs it" : "already installed" },
      list.join(", "),
      satisfied === false ? h("span", { class: "sub" }, "from an earlier step") : h("span", { class: "sub" }, "installed"),
    );
  }

  function planView(plan) {
    if (!plan || typeof plan !== "object") {
      return h("p", { class: "empty", id: "no-plan" }, "No install plan stored: the latest scan did not produce one (a failed or unsupported scan, or a scan older than plans).");
    }
    const steps = Array.isArray(plan.steps) ? plan.steps : [];
    const failures = Array.isArray(plan.predicted_failures) ? plan.predicted_failures : [];
    const fin = plan.final_state || {};
    const kids = [];
    kids.push(
      h(
        "p",
        { class: "plan-summary", id: "plan-summary" },
        steps.length
          ? `${steps.length} step${steps.length === 1 ? "" : "s"}, ${num(plan.reboots)} restart${plan.reboots === 1 ? "" : "s"}; afterwards build ${dash(fin.build)}, patched through ${dash(fin.patched_through)}.`
          : `Nothing to install: build ${dash(fin.build)}, patched through ${dash(fin.patched_through)}.`,
        plan.programme && plan.programme.name ? ` Programme: ${plan.programme.name}${plan.programme.inferred ? " (inferred)" : ""}.` : null,
      ),
    );
    if (steps.length) {
      kids.push(
        table(
          "Install plan steps, in order",
          [th("#", "num"), th("Update"), th("Title"), th("Kind"), th("Restart"), th("Requires"), th("Known issues")],
          steps.map((st) =>
            h(
              "tr",
              null,
              h("td", { class: "num" }, dash(st.order)),
              h("td", { class: "nowrap mono" }, dash(st.kb)),
              h("td", { class: "title wide" }, dash(st.title), st.why ? h("span", { class: "sub" }, st.why) : null),
              h("td", { class: "nowrap" }, words(st.kind)),
              h("td", null, st.reboot ? h("span", { class: "badge reboot", title: st.reboot_note || "restart needed" }, "restart") : h("span", { class: "zero" }, "no")),
              h("td", null, kbList(st.requires, st.satisfied)),
              h("td", null, Array.isArray(st.known_issues) && st.known_issues.length ? h("ul", { class: "issues" }, st.known_issues.map((k) => h("li", null, String(k)))) : "—"),
            ),
          ),
          { id: "plan-steps" },
        ),
      );
    }
    if (failures.length) {
      kids.push(h("h3", { id: "failures-h" }, `Predicted failures (${failures.length})`));
      kids.push(
        h(
          "ul",
          { class: "failures", id: "plan-failures", "aria-labelledby": "failures-h" },
          failures.map((f) =>
            h(
              "li",
              { class: "failure" },
              h("p", null, h("strong", { class: "mono" }, dash(f.kb)), f.error ? [" ", h("span", { class: "badge bad mono" }, f.error + (f.symbol ? " " + f.symbol : ""))] : " (error code not in the data)"),
              h("p", null, h("strong", null, "Cause: "), dash(f.cause)),
              h("p", null, h("strong", null, "Fix: "), dash(f.fix)),
              sources(f.source),
            ),
          ),
        ),
      );
    }
    if (plan.stops) kids.push(h("p", { class: "stops", id: "plan-stops" }, h("strong", null, "Stops: "), String(plan.stops)));
    const cpf = plan.cannot_patch_further;
    if (cpf && typeof cpf === "object") {
      const kev = Array.isArray(cpf.kev_exposed) ? cpf.kev_exposed : [];
      kids.push(
        h(
          "div",
          { class: "panel", id: "cannot-patch" },
          h("h3", null, "Cannot patch further"),
          h(
            "p",
            null,
            cpf.programme_ended ? `The update programme ended ${cpf.programme_ended}. ` : null,
            typeof cpf.open_without_fix === "number" ? `${num(cpf.open_without_fix)} CVEs stay open with no update to install` : null,
            kev.length ? `, ${kev.length} of them in CISA KEV:` : ".",
          ),
          kev.length
            ? h(
                "ul",
                { class: "issues cols" },
                kev.slice(0, 20).map((c) =>
                  h("li", null, isCve(c.cve) ? h("a", { href: cveHref(c.cve), class: "mono" }, c.cve) : dash(c.cve), " ", c.ransomware ? h("span", { class: "badge ransom" }, "ransomware") : null, " ", dash(c.title)),
                ),
                kev.length > 20 ? h("li", null, `… and ${kev.length - 20} more: see "KEV only" under Exposure`) : null,
              )
            : null,
        ),
      );
    }
    return h("div", { class: "plan" }, kids);
  }

  // The host page lists the riskiest CVEs first and only `exposure_limit`
  // of them (100 by default); "KEV only" and "Show all" fetch the whole list
  // when the page does not hold it yet.
  function exposureView(name, first, total, kevTotal) {
    const FIRST = 50;
    const wrap = h("div", { id: "exposure" });
    let list = first;
    let complete = list.length >= total;
    let kevOnly = false;
    let all = false;
    const whole = async () => {
      if (complete) return;
      const d = await api("/api/hosts/" + encodeURIComponent(name), new URLSearchParams({ exposure_limit: "100000" }));
      list = d.exposure || [];
      complete = true;
    };
    const draw = () => {
      const rows = kevOnly ? list.filter((c) => c.kev) : list;
      const count = kevOnly ? kevTotal : total;
      const shown = all ? rows : rows.slice(0, FIRST);
      wrap.replaceChildren(
        h(
          "div",
          { class: "toolbar" },
          h("button", {
            type: "button",
            class: "chip",
            id: "exposure-kev",
            "aria-pressed": kevOnly ? "true" : "false",
            onclick: async () => {
              kevOnly = !kevOnly;
              if (kevOnly && list.filter((c) => c.kev).length < kevTotal) await whole();
              draw();
              document.getElementById("exposure-kev").focus();
            },
          }, `KEV only (${num(kevTotal)})`),
        ),
        rows.length ? cveTable(shown, "exposure-table", "Open CVEs, riskiest first", false) : h("p", { class: "empty" }, "No open CVE."),
        count > shown.length
          ? h("p", { class: "more" }, h("button", {
              type: "button",
              class: "btn secondary",
              onclick: async () => {
                all = true;
                await whole();
                draw();
              },
            }, `Show all ${num(count)}`))
          : null,
      );
    };
    draw();
    return wrap;
  }

  function changeItem(c) {
    const parts = [];
    if (c.build) parts.push(`build ${dash(c.build[0])} → ${dash(c.build[1])}`);
    if (c.patched_through) parts.push(`patched through ${dash(c.patched_through[0])} → ${dash(c.patched_through[1])}`);
    if (c.installed && c.installed.length) parts.push(`installed ${c.installed.join(", ")}`);
    if (c.closed && c.closed.length) parts.push(`${num(c.closed.length)} CVEs closed`);
    if (c.opened && c.opened.length) parts.push(`${num(c.opened.length)} CVEs newly open`);
    return h(
      "li",
      null,
      h("strong", null, c.from_scan ? `${when(c.from_scan)} → ${when(c.to_scan)}` : `first scan ${when(c.to_scan)}`),
      ": ",
      parts.length ? parts.join("; ") : "no change",
    );
  }

  async function hostDetail(name) {
    const d = await api("/api/hosts/" + encodeURIComponent(name));
    const r = d.host || {};
    const missing = d.missing || [];
    const exposure = d.exposure || [];
    const scans = d.scans || [];
    const changes = d.changes || [];
    const exposureTotal = d.exposure_total ?? exposure.length;
    const kev = r.kev_open ?? exposure.filter((c) => c.kev).length;
    const node = h(
      "div",
      { class: "host-detail" },
      h("p", { class: "crumbs" }, h("a", { href: "#/hosts" }, "Hosts"), " / "),
      h("div", { class: "head" }, h("h1", { id: "host-name" }, r.name), statusBadge(r.status)),
      h(
        "div",
        { class: "cards", role: "list", "aria-label": "Host totals" },
        [
          card("host-missing", r.missing, "updates missing", r.missing ? "warn" : "good"),
          card("host-cves", r.open_cves, "open CVEs"),
          card("host-kev", r.kev_open, "KEV CVEs open", r.kev_open ? "bad" : "good"),
          card("host-ransomware", r.ransomware_open, "ransomware-used CVEs open", r.ransomware_open ? "ransom" : "good"),
        ].map((c) => {
          c.setAttribute("role", "listitem");
          return c;
        }),
      ),
      h("section", { "aria-labelledby": "standing-h" }, h("h2", { id: "standing-h" }, "Standing"), standing(r)),
      h(
        "section",
        { "aria-labelledby": "missing-h" },
        h("h2", { id: "missing-h" }, `Missing updates: the smallest set that brings it current (${missing.length}; the plan below gives the install order)`),
        missing.length ? missingTable(missing, "missing-table", "Missing updates", true) : h("p", { class: "empty" }, "No update missing."),
      ),
      h("section", { "aria-labelledby": "plan-h" }, h("h2", { id: "plan-h" }, "Install plan"), planView(d.plan)),
      h(
        "section",
        { "aria-labelledby": "exposure-h" },
        h("h2", { id: "exposure-h" }, `Exposure: ${num(exposureTotal)} open CVEs, ${num(kev)} in KEV`),
        exposureView(r.name, exposure, exposureTotal, kev),
      ),
      h(
        "section",
        { "aria-labelledby": "history-h" },
        h("h2", { id: "history-h" }, `History: ${scans.length} scan${scans.length === 1 ? "" : "s"}`),
        scans.length
          ? table(
              "Scans of this host, oldest first",
              [th("Scanned"), th("Status"), th("Build", "num"), th("Kernel"), th("Patched through"), th("Missing", "num"), th("Open CVEs", "num"), th("KEV", "num"), th("Source")],
              scans.map((sc) =>
                h(
                  "tr",
                  null,
                  h("td", { class: "nowrap" }, when(sc.scanned_at)),
                  h("td", null, statusBadge(sc.status), sc.error ? h("span", { class: "err" }, sc.error) : null),
                  h("td", { class: "num" }, dash(sc.build)),
                  h("td", { class: "mono" }, dash(sc.kernel)),
                  h("td", null, dash(sc.patched_through)),
                  count(sc.missing),
                  count(sc.open_cves),
                  count(sc.kev_open),
                  h("td", { class: "mono sub-src" }, dash(sc.source)),
                ),
              ),
              { id: "scans-table" },
            )
          : h("p", { class: "empty" }, "No scan."),
        changes.length ? [h("h3", { class: "changes-h" }, "Changes"), h("ul", { class: "changes", id: "changes" }, changes.map(changeItem))] : null,
      ),
    );
    return { title: String(r.name || name), node };
  }

  // ---------------------------------------------------------------- CVEs

  async function cveList(params) {
    const offset = Math.max(0, parseInt(params.get("offset") || "0", 10) || 0);
    const q = new URLSearchParams();
    const kevOnly = params.get("kev") === "true";
    const ransomOnly = params.get("ransomware") === "true";
    if (kevOnly) q.set("kev", "true");
    if (ransomOnly) q.set("ransomware", "true");
    if (params.get("q")) q.set("q", params.get("q"));
    q.set("limit", String(CVE_PAGE));
    q.set("offset", String(offset));
    const res = await api("/api/cves", q);
    const list = res.cves || [];
    const total = typeof res.total === "number" ? res.total : list.length;
    const toggle = (key) => {
      const p = new URLSearchParams(params);
      if (p.get(key) === "true") p.delete(key);
      else p.set(key, "true");
      p.delete("offset");
      go(hashWith("#/cves", p));
    };
    const node = h(
      "div",
      { class: "cve-list" },
      h("h1", null, "CVEs open in the fleet"),
      h("p", { class: "lead" }, "Each CVE open on at least one host (latest scans): KEV first, then by number of hosts."),
      h(
        "div",
        { class: "toolbar" },
        searchBox("cve-search", "Search", "CVE or title", "#/cves", params),
        h(
          "ul",
          { class: "chips", "aria-label": "Filters" },
          h("li", { class: "label", "aria-hidden": "true" }, "Filter:"),
          h("li", null, h("button", { type: "button", class: "chip", id: "chip-kev", "aria-pressed": String(kevOnly), onclick: () => toggle("kev") }, "KEV only")),
          h("li", null, h("button", { type: "button", class: "chip", id: "chip-ransomware", "aria-pressed": String(ransomOnly), onclick: () => toggle("ransomware") }, "ransomware only")),
        ),
      ),
      list.length ? cveTable(list, "cve-table", "CVEs open in the fleet") : h("p", { class: "empty", id: "no-cves" }, "No CVE matches."),
      pager("#/cves", params, offset, CVE_PAGE, total, list.length),
    );
    return { title: "CVEs", node };
  }

  async function cveDetail(id) {
    const d = await api("/api/cves/" + encodeURIComponent(id));
    const c = d.cve || {};
    const hosts = d.hosts || [];
    const links = isCve(c.cve)
      ? h(
          "p",
          { class: "sources-line" },
          "Read more: ",
          h("a", { href: "https://msrc.microsoft.com/update-guide/vulnerability/" + c.cve, rel: "noopener noreferrer", target: "_blank" }, "MSRC"),
          " · ",
          h("a", { href: "https://nvd.nist.gov/vuln/detail/" + c.cve, rel: "noopener noreferrer", target: "_blank" }, "NVD"),
          c.kev ? [" · ", h("a", { href: "https://www.cisa.gov/known-exploited-vulnerabilities-catalog", rel: "noopener noreferrer", target: "_blank" }, "CISA KEV")] : null,
        )
      : null;
    const node = h(
      "div",
      { class: "cve-detail" },
      h("p", { class: "crumbs" }, h("a", { href: "#/cves" }, "CVEs"), " / "),
      h("div", { class: "head" }, h("h1", { id: "cve-id", class: "mono" }, dash(c.cve || id)), flags(c)),
      h("p", { class: "lead" }, dash(c.title), " · ", sev(c.severity)),
      links,
      h("h2", { id: "cve-hosts-h" }, `Hosts exposed (${hosts.length})`),
      hosts.length
        ? table(
            "Hosts with this CVE open",
            HOST_COLUMNS.map((col) => th(col.label, col.num ? "num" : null)),
            hosts.map(hostRow),
            { id: "cve-hosts" },
          )
        : h("p", { class: "empty" }, "No host has it open."),
    );
    return { title: String(c.cve || id), node };
  }

  // -------------------------------------------------------------- start

  async function catalogLine() {
    try {
      const hl = await api("/api/health");
      const el = document.getElementById("catalog");
      if (hl && hl.catalog) el.textContent = "catalog " + hl.catalog;
      if (hl && hl.version) el.setAttribute("title", "w2k8 " + hl.version);
    } catch (_) {
      /* the header line is a nicety */
    }
  }

  window.addEventListener("hashchange", () => {
    focusHeading = true;
    render();
  });
  catalogLine();
  render();
})();
