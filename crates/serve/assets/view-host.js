// #/host-id/ID (and #/host/NAME) : one host as of its latest scan: totals,
// standing, the missing updates, its install plan, its open CVEs and its
// scan history. A name several hosts have lists them, each linked by id.
import { api, ApiError } from "./api.js";
import { h } from "./dom.js";
import { num, dash, when, arch, install, plural } from "./format.js";
import { HOST_COLUMNS, count, cveTable, hostRow, missingTable, month, table, th } from "./tables.js";
import { card, cards, statusBadge } from "./ui.js";
import { planView } from "./view-plan.js";

// Rows of the exposure table before "Show all".
const FIRST = 50;

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
    item("Patched through", month(r), "st-patched"),
    item("Last scan", when(r.last_scan)),
    item("Status", [statusBadge(r.status), r.error ? h("span", { class: "err" }, " " + r.error) : null]),
    r.product_id ? item("Product ID", h("span", { class: "mono" }, r.product_id)) : null,
    r.file_problems && r.file_problems.length
      ? item(
          "Files not read",
          h("ul", { class: "files-not-read" }, r.file_problems.map((p) => h("li", null, h("span", { class: "mono" }, p.file), ": ", p.problem))),
          "st-files",
        )
      : null,
  );
}

// The host page lists the riskiest CVEs first and only `exposure_limit`
// of them (100 by default); "KEV only" and "Show all" fetch the whole list
// when the page does not hold it yet.
function exposureView(id, first, total, kevTotal) {
  const wrap = h("div", { id: "exposure" });
  const st = { list: first, complete: first.length >= total, kevOnly: false, all: false };
  const whole = async () => {
    if (st.complete) return;
    const d = await api("/api/hosts/id/" + encodeURIComponent(id), new URLSearchParams({ exposure_limit: "100000" }));
    st.list = d.exposure || [];
    st.complete = true;
  };
  const toggleKev = async () => {
    st.kevOnly = !st.kevOnly;
    if (st.kevOnly && st.list.filter((c) => c.kev).length < kevTotal) await whole();
    draw();
    document.getElementById("exposure-kev").focus();
  };
  const showAll = async () => {
    st.all = true;
    await whole();
    draw();
  };
  const draw = () => {
    const rows = st.kevOnly ? st.list.filter((c) => c.kev) : st.list;
    const n = st.kevOnly ? kevTotal : total;
    const shown = st.all ? rows : rows.slice(0, FIRST);
    wrap.replaceChildren(
      h("div", { class: "toolbar" }, h("button", { type: "button", class: "chip", id: "exposure-kev", "aria-pressed": st.kevOnly ? "true" : "false", onclick: toggleKev }, `KEV only (${num(kevTotal)})`)),
      rows.length ? cveTable(shown, "exposure-table", "Open CVEs, riskiest first", false) : h("p", { class: "empty" }, "No open CVE."),
      n > shown.length ? h("p", { class: "more" }, h("button", { type: "button", class: "btn secondary", onclick: showAll }, `Show all ${num(n)}`)) : null,
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

function scanRow(sc) {
  return h(
    "tr",
    null,
    h("td", { class: "nowrap" }, when(sc.scanned_at)),
    h("td", null, statusBadge(sc.status), sc.error ? h("span", { class: "err" }, sc.error) : null),
    h("td", { class: "num" }, dash(sc.build)),
    h("td", { class: "mono" }, dash(sc.kernel)),
    h("td", null, dash(sc.patched_through)),
    count(sc.missing, null, sc.counts_are_lower_bound),
    count(sc.open_cves, null, sc.counts_are_lower_bound),
    count(sc.kev_open, null, sc.counts_are_lower_bound),
    h("td", { class: "mono sub-src" }, dash(sc.source)),
  );
}

// The scans of the host, oldest first, and what changed between them.
function history(scans, changes) {
  return h(
    "section",
    { "aria-labelledby": "history-h" },
    h("h2", { id: "history-h" }, `History: ${plural(scans.length, "scan")}`),
    scans.length
      ? table(
          "Scans of this host, oldest first",
          [th("Scanned"), th("Status"), th("Build", "num"), th("Kernel"), th("Patched through"), th("Missing", "num"), th("Open CVEs", "num"), th("KEV", "num"), th("Source")],
          scans.map(scanRow),
          { id: "scans-table" },
        )
      : h("p", { class: "empty" }, "No scan."),
    changes.length ? [h("h3", { class: "changes-h" }, "Changes"), h("ul", { class: "changes", id: "changes" }, changes.map(changeItem))] : null,
  );
}

function hostTotals(r) {
  if (r.status !== "ok") {
    // Not read, or another Windows version: nothing is known to be missing
    // or open, so no count (and no green) is shown.
    return h("p", { class: "notice warn", id: "host-not-assessed" }, `Not assessed (${r.status}): what is missing and what is open on this host is unknown.`);
  }
  if (r.counts_are_lower_bound) {
    const unknown = r.unknown_cves ? `; ${num(r.unknown_cves)} CVEs (${num(r.unknown_kev || 0)} in KEV) could not be judged` : "";
    return [
      h("p", { class: "notice warn", id: "host-partial" }, `The evidence is partial: the counts are lower bounds${unknown}.`),
      cards("Host totals (lower bounds)", [
        card("host-missing", r.missing, "updates missing, at least", "warn"),
        card("host-cves", r.open_cves, "open CVEs, at least"),
        card("host-kev", r.kev_open, "KEV CVEs open, at least", r.kev_open ? "bad" : null),
        card("host-ransomware", r.ransomware_open, "ransomware-used CVEs open, at least", r.ransomware_open ? "ransom" : null),
      ]),
    ];
  }
  return cards("Host totals", [
    card("host-missing", r.missing, "updates missing", r.missing ? "warn" : "good"),
    card("host-cves", r.open_cves, "open CVEs"),
    card("host-kev", r.kev_open, "KEV CVEs open", r.kev_open ? "bad" : "good"),
    card("host-ransomware", r.ransomware_open, "ransomware-used CVEs open", r.ransomware_open ? "ransom" : "good"),
  ]);
}

// A section headed by an h2 with id `id`.
function section(id, heading, ...kids) {
  return h("section", { "aria-labelledby": id }, h("h2", { id }, heading), kids);
}

// The hosts a name names, when several do: none is picked for the reader.
function candidates(name, list) {
  const node = h(
    "div",
    { class: "host-candidates" },
    h("p", { class: "crumbs" }, h("a", { href: "#/hosts" }, "Hosts"), " / "),
    h("h1", { id: "host-name" }, name),
    h("p", { class: "notice warn", id: "host-ambiguous" }, `${plural(list.length, "host")} have this name (ignoring case). Choose one:`),
    table(
      "Hosts with this name",
      HOST_COLUMNS.map((col) => th(col.label, col.num ? "num" : null)),
      list.map(hostRow),
      { id: "candidates-table" },
    ),
  );
  return { title: String(name), node };
}

// `key` is {id} (the links) or {name} (an address typed or kept).
export async function hostDetail(key) {
  const name = key.name;
  const path = key.id !== undefined ? "/api/hosts/id/" + encodeURIComponent(key.id) : "/api/hosts/" + encodeURIComponent(name);
  let d;
  try {
    d = await api(path);
  } catch (e) {
    if (e instanceof ApiError && e.status === 409 && e.candidates.length) return candidates(name, e.candidates);
    throw e;
  }
  const r = d.host || {};
  const missing = d.missing || [];
  const exposure = d.exposure || [];
  const assessed = r.status === "ok";
  const exposureTotal = d.exposure_total ?? exposure.length;
  const kev = r.kev_open ?? exposure.filter((c) => c.kev).length;
  const at = r.counts_are_lower_bound ? "at least " : "";
  const node = h(
    "div",
    { class: "host-detail" },
    h("p", { class: "crumbs" }, h("a", { href: "#/hosts" }, "Hosts"), " / "),
    h("div", { class: "head" }, h("h1", { id: "host-name" }, r.name), statusBadge(r.status)),
    hostTotals(r),
    section("standing-h", "Standing", standing(r)),
    section(
      "missing-h",
      `Missing updates: what brings it current, in install order (${missing.length}; the plan below gives restarts and checks)`,
      missing.length
        ? missingTable(missing, "missing-table", "Missing updates", true)
        : h("p", { class: "empty" }, !assessed ? "Unknown: the host was not assessed." : r.counts_are_lower_bound ? "None found, from partial evidence." : "No update missing."),
    ),
    section("plan-h", "Install plan", planView(d.plan)),
    assessed
      ? section("exposure-h", `Exposure: ${at}${num(exposureTotal)} open CVEs, ${at}${num(kev)} in KEV`, exposureView(r.host_id, exposure, exposureTotal, kev))
      : section("exposure-h", "Exposure: unknown (not assessed)", h("p", { class: "empty" }, "The latest scan did not assess this host.")),
    history(d.scans || [], d.changes || []),
  );
  return { title: String(r.name || name || key.id), node };
}
