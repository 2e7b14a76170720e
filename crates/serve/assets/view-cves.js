// #/cves : every CVE open on at least one host, KEV first, searchable,
// narrowed to KEV or ransomware-used ones, in pages of 100.
import { api } from "./api.js";
import { h } from "./dom.js";
import { go, hashWith } from "./router.js";
import { cveTable } from "./tables.js";
import { pager, searchBox } from "./ui.js";

const CVE_PAGE = 100;

// A chip that turns `key=true` on and off in the address.
function chip(params, key, id, label) {
  const toggle = () => {
    const p = new URLSearchParams(params);
    if (p.get(key) === "true") p.delete(key);
    else p.set(key, "true");
    p.delete("offset");
    go(hashWith("#/cves", p));
  };
  return h("li", null, h("button", { type: "button", class: "chip", id, "aria-pressed": String(params.get(key) === "true"), onclick: toggle }, label));
}

export async function cveList(params) {
  const offset = Math.max(0, parseInt(params.get("offset") || "0", 10) || 0);
  const q = new URLSearchParams();
  if (params.get("kev") === "true") q.set("kev", "true");
  if (params.get("ransomware") === "true") q.set("ransomware", "true");
  if (params.get("q")) q.set("q", params.get("q"));
  q.set("limit", String(CVE_PAGE));
  q.set("offset", String(offset));
  const res = await api("/api/cves", q);
  const list = res.cves || [];
  const total = typeof res.total === "number" ? res.total : list.length;
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
        chip(params, "kev", "chip-kev", "KEV only"),
        chip(params, "ransomware", "chip-ransomware", "ransomware only"),
      ),
    ),
    list.length ? cveTable(list, "cve-table", "CVEs open in the fleet") : h("p", { class: "empty", id: "no-cves" }, "No CVE matches."),
    pager("#/cves", params, offset, CVE_PAGE, total, list.length),
  );
  return { title: "CVEs", node };
}
