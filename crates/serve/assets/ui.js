// Small pieces shared by the views: badges, cards, source lists, the error
// box, the pager and the search box.
import { h } from "./dom.js";
import { num, isUrl } from "./format.js";
import { go, hashWith } from "./router.js";

export function statusBadge(status) {
  const st = String(status || "unknown");
  return h("span", { class: ["badge", st] }, st);
}

// The KEV, ransomware and exploit badges of a CVE.
export function flags(c) {
  return [
    c.kev ? h("span", { class: "badge kev", title: "In CISA's Known Exploited Vulnerabilities catalog" }, "KEV") : null,
    c.ransomware ? h("span", { class: "badge ransom", title: "Known use in ransomware campaigns (CISA KEV)" }, "ransomware") : null,
    c.exploit ? h("span", { class: "badge exploit", title: "A public exploit is listed" }, "exploit") : null,
  ];
}

// A severity, capitalised and coloured.
export function sev(t) {
  const v = String(t || "").toLowerCase();
  return h("span", { class: v ? "sev-" + v : null }, v ? v[0].toUpperCase() + v.slice(1) : "—");
}

// A list of sources (text, or links when they are http(s) URLs), or null.
export function sources(list) {
  const items = (Array.isArray(list) ? list : list ? [list] : []).map((src) =>
    h("li", null, isUrl(src) ? h("a", { href: src, rel: "noopener noreferrer", target: "_blank" }, src) : String(src)),
  );
  return items.length ? h("ul", { class: "sources", "aria-label": "Sources" }, items) : null;
}

// A total: a big number over its label, a link when `href` is given.
export function card(id, value, label, cls, href) {
  const kids = [h("span", { class: "n" }, num(value)), h("span", { class: "l" }, label)];
  return href ? h("a", { class: ["card", cls], id, href }, kids) : h("div", { class: ["card", cls], id }, kids);
}

// A row of cards, read as a list named `label`.
export function cards(label, list) {
  return h(
    "div",
    { class: "cards", role: "list", "aria-label": label },
    list.filter(Boolean).map((c) => {
      c.setAttribute("role", "listitem");
      return c;
    }),
  );
}

export function errorBox(title, message) {
  return h("div", { class: "error-box", role: "alert" }, h("h1", null, title), h("p", null, message));
}

// The entry count, or Previous/Next over `offset` in pages of `limit`.
export function pager(base, params, offset, limit, total, shown) {
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
export function searchBox(id, label, placeholder, base, params) {
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
