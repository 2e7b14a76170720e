// Tables: the wrapper every table sits in, and the CVE, update and host
// rows that several views list.
import { h } from "./dom.js";
import { num, dash, when, words, arch, hostHref, cveHref } from "./format.js";
import { statusBadge, flags, sev } from "./ui.js";

// A column heading.
export const th = (label, cls) => h("th", { scope: "col", class: cls }, label);

// A count cell, dimmed when zero.
// A count cell: "n/a" (never 0) when the host was not assessed, "≥n" when
// the count is a lower bound (partial evidence).
export function count(n, cls, lowerBound) {
  if (n === null || n === undefined) return h("td", { class: ["num", "na"], title: "not assessed: unknown" }, "n/a");
  if (lowerBound) return h("td", { class: ["num", "lb", cls], title: "lower bound: the evidence is partial" }, "≥" + num(n));
  return h("td", { class: ["num", n === 0 && "zero", cls] }, num(n));
}

// The patched-through month, "≥YYYY-MM" when only a bound is known.
export function month(r) {
  if (r.patched_through) return r.patched_through;
  return r.patched_through_at_least ? "≥" + r.patched_through_at_least : "—";
}

// A table with a caption for screen readers, in a horizontally scrolling wrapper.
export function table(caption, head, rows, opts = {}) {
  const t = h(
    "table",
    { id: opts.id, class: opts.class },
    h("caption", { class: "sr-only" }, caption),
    h("thead", null, h("tr", null, head)),
    h("tbody", null, rows),
  );
  return h("div", { class: "table-wrap" }, t);
}

// CVE rows; `withHosts` adds the fleet-wide host count (not on a host's page).
export function cveTable(list, id, caption, withHosts = true) {
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

// Update rows: numbered in install order on a host (`ordered`), with the
// fleet-wide host count otherwise.
export function missingTable(list, id, caption, ordered) {
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

// The columns of the host list, the key ones first (they stay in view on a
// phone; the same order as the HTML report): `key` is the API's sort key,
// `first` the order a first click sorts in, `cell` the row's cell. A new
// column is one more entry here.
export const HOST_COLUMNS = [
  {
    key: "name",
    label: "Host",
    first: "asc",
    cell: (r) =>
      h(
        "td",
        { class: "name" },
        h("a", { href: hostHref(r) }, r.name),
        r.error ? h("span", { class: "err" }, r.error) : null,
        r.product && r.product !== "Windows Server 2008 SP2" ? h("span", { class: "sub" }, r.product) : null,
      ),
  },
  { key: "status", label: "Status", first: "asc", cell: (r) => h("td", null, statusBadge(r.status)) },
  { key: "kev_open", label: "KEV", first: "desc", num: true, cell: (r) => count(r.kev_open, r.kev_open ? "kev-n" : null, r.counts_are_lower_bound) },
  { key: "missing", label: "Missing", first: "desc", num: true, cell: (r) => count(r.missing, null, r.counts_are_lower_bound) },
  {
    key: null,
    label: "Reachable KEV",
    num: true,
    // Unknown for an assessed host whose bundle lacks the configuration files: "?", never 0.
    cell: (r) =>
      r.status === "ok" && (r.reachable_kev === null || r.reachable_kev === undefined)
        ? h("td", { class: ["num", "na"], title: "unknown: the bundle lacks the configuration files that tell" }, "?")
        : count(r.reachable_kev, null, r.counts_are_lower_bound),
  },
  { key: "open_cves", label: "Open CVEs", first: "desc", num: true, cell: (r) => count(r.open_cves, null, r.counts_are_lower_bound) },
  { key: "ransomware_open", label: "Ransomware", first: "desc", num: true, cell: (r) => count(r.ransomware_open, null, r.counts_are_lower_bound) },
  { key: "patched_through", label: "Patched through", first: "asc", cell: (r) => h("td", { class: "nowrap" }, month(r)) },
  { key: "build", label: "Build", first: "asc", num: true, cell: (r) => h("td", { class: "num" }, dash(r.build)) },
  { key: null, label: "Edition", cell: (r) => h("td", null, dash(r.edition)) },
  { key: null, label: "Arch", cell: (r) => h("td", null, r.arch ? arch(r.arch) : "—") },
  { key: "last_scan", label: "Last scan", first: "desc", cell: (r) => h("td", { class: "nowrap" }, when(r.last_scan)) },
];

// A host's row; a host not assessed stands out (its risk is unknown, never clean).
export function hostRow(r) {
  return h(
    "tr",
    { class: r.status !== "ok" ? "unassessed" : r.kev_open > 0 ? "kev" : null },
    HOST_COLUMNS.map((c) => c.cell(r)),
  );
}
