// #/cve/ID : one CVE, where to read about it, and the hosts that have it open.
import { api } from "./api.js";
import { h } from "./dom.js";
import { dash, isCve } from "./format.js";
import { HOST_COLUMNS, hostRow, table, th } from "./tables.js";
import { flags, sev } from "./ui.js";

// An outside page, opened in a new tab without a referrer.
const out = (href, label) => h("a", { href, rel: "noopener noreferrer", target: "_blank" }, label);

function readMore(c) {
  if (!isCve(c.cve)) return null;
  return h(
    "p",
    { class: "sources-line" },
    "Read more: ",
    out("https://msrc.microsoft.com/update-guide/vulnerability/" + c.cve, "MSRC"),
    " · ",
    out("https://nvd.nist.gov/vuln/detail/" + c.cve, "NVD"),
    c.kev ? [" · ", out("https://www.cisa.gov/known-exploited-vulnerabilities-catalog", "CISA KEV")] : null,
  );
}

export async function cveDetail(id) {
  const d = await api("/api/cves/" + encodeURIComponent(id));
  const c = d.cve || {};
  const hosts = d.hosts || [];
  const node = h(
    "div",
    { class: "cve-detail" },
    h("p", { class: "crumbs" }, h("a", { href: "#/cves" }, "CVEs"), " / "),
    h("div", { class: "head" }, h("h1", { id: "cve-id", class: "mono" }, dash(c.cve || id)), flags(c)),
    h("p", { class: "lead" }, dash(c.title), " · ", sev(c.severity)),
    readMore(c),
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
