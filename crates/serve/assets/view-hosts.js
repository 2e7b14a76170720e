// #/hosts : every host as of its latest scan, riskiest first (the API's
// `risk` order, the HTML report's), searchable, sortable by any column the
// API sorts by, narrowed by filter chips or typed filter
// expressions (`KEY OP VALUE`, checked by the server), in pages of 50. The
// whole state is in the hash, so a view is a bookmark.
import { api, ApiError } from "./api.js";
import { h } from "./dom.js";
import { go, hashWith } from "./router.js";
import { HOST_COLUMNS, hostRow, table, th } from "./tables.js";
import { pager, searchBox } from "./ui.js";

const HOST_PAGE = 50;

// A chip in a `group` replaces the group's other chip when pressed.
const CHIPS = [
  { expr: "kev>0", label: "KEV > 0" },
  { expr: "ransomware>0", label: "Ransomware > 0" },
  { expr: "build=6001", label: "build 6001", group: "build" },
  { expr: "build=6002", label: "build 6002", group: "build" },
  { expr: "build=6003", label: "build 6003", group: "build" },
  { expr: "build=7601", label: "build 7601 (R2)", group: "build" },
  { expr: "status=failed", label: "failed", group: "status" },
  { expr: "status=unsupported", label: "unsupported", group: "status" },
];

// The list's address with the filters `list` (from the first page).
function withFilters(params, list) {
  const p = new URLSearchParams(params);
  p.delete("filter");
  p.delete("offset");
  for (const f of list) p.append("filter", f);
  return hashWith("#/hosts", p);
}

// One page of hosts; a filter the server does not understand (400) gives
// an empty page and its message.
async function fetchHosts(params, filters, sort, order, offset) {
  const q = new URLSearchParams();
  if (params.get("q")) q.set("q", params.get("q"));
  for (const f of filters) q.append("filter", f);
  q.set("sort", sort);
  q.set("order", order);
  q.set("limit", String(HOST_PAGE));
  q.set("offset", String(offset));
  try {
    return { res: await api("/api/hosts", q), filterError: null };
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 400) throw e;
    return { res: { total: 0, hosts: [] }, filterError: e.message };
  }
}

// The chips, pressed when their filter is on, then one chip per typed filter to remove it.
function filterChips(params, filters) {
  const toggle = (chip) => {
    let list = filters.filter((f) => f !== chip.expr);
    if (list.length === filters.length) {
      if (chip.group) list = list.filter((f) => !CHIPS.some((c) => c.group === chip.group && c.expr === f));
      list.push(chip.expr);
    }
    go(withFilters(params, list));
  };
  const custom = filters.filter((f) => !CHIPS.some((c) => c.expr === f));
  return h(
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
          { type: "button", class: "chip custom", "aria-pressed": "true", "aria-label": `Remove filter ${f}`, onclick: () => go(withFilters(params, filters.filter((x) => x !== f))) },
          f + " ×",
        ),
      ),
    ),
  );
}

// A field to add a filter expression.
function filterForm(params, filters) {
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
    if (v && !filters.includes(v)) go(withFilters(params, [...filters, v]));
  });
  return exprForm;
}

// A column heading that sorts by its key: a first click in the column's own
// order, the next ones flip it.
function sortHeading(params, c, sort, order) {
  const on = c.key === sort;
  const nextOrder = on ? (order === "asc" ? "desc" : "asc") : c.first;
  const resort = () => {
    const p = new URLSearchParams(params);
    p.set("sort", c.key);
    p.set("order", nextOrder);
    p.delete("offset");
    go(hashWith("#/hosts", p));
  };
  return h(
    "th",
    { scope: "col", class: [c.num && "num", "nowrap"], "aria-sort": on ? (order === "asc" ? "ascending" : "descending") : "none", "data-sort": c.key },
    h(
      "button",
      { type: "button", class: "sort", "aria-label": `${c.label}: sort ${nextOrder === "asc" ? "ascending" : "descending"}`, onclick: resort },
      c.label,
      h("span", { class: "arrow", "aria-hidden": "true" }, on ? (order === "asc" ? "▲" : "▼") : "↕"),
    ),
  );
}

// Back to the default order: riskiest first.
function riskButton(params, sort) {
  const p = new URLSearchParams(params);
  p.delete("sort");
  p.delete("order");
  p.delete("offset");
  return h(
    "button",
    { type: "button", class: "chip", id: "sort-risk", "aria-pressed": sort === "risk" ? "true" : "false", onclick: () => go(hashWith("#/hosts", p)) },
    "Riskiest first",
  );
}

export async function hostList(params) {
  const filters = params.getAll("filter");
  const sort = params.get("sort") || "risk";
  const order = params.get("order") === "desc" ? "desc" : "asc";
  const offset = Math.max(0, parseInt(params.get("offset") || "0", 10) || 0);
  const { res, filterError } = await fetchHosts(params, filters, sort, order, offset);
  const hosts = res.hosts || [];
  const total = typeof res.total === "number" ? res.total : hosts.length;
  const head = HOST_COLUMNS.map((c) => (c.key ? sortHeading(params, c, sort, order) : th(c.label, c.num ? "num" : null)));
  const node = h(
    "div",
    { class: "host-list" },
    h("h1", null, "Hosts"),
    h(
      "p",
      { class: "lead" },
      "Each host as of its latest scan, riskiest first: hosts not assessed (their risk is unknown), then by open KEV CVEs, ransomware-used CVEs, critical CVEs, open CVEs and missing updates. Click a column to sort; choose filters to narrow the list.",
    ),
    h("div", { class: "toolbar" }, searchBox("host-search", "Search", "host name", "#/hosts", params), riskButton(params, sort), filterChips(params, filters), filterForm(params, filters)),
    filterError ? h("p", { class: "error-box", role: "alert", id: "filter-error" }, "Filter not understood: " + filterError) : null,
    hosts.length
      ? table("Hosts", head, hosts.map(hostRow), { id: "host-table" })
      : h("p", { class: "empty", id: "no-hosts" }, filterError ? "" : "No host matches."),
    pager("#/hosts", params, offset, HOST_PAGE, total, hosts.length),
  );
  return { title: filters.length || params.get("q") ? `Hosts (${total})` : "Hosts", node };
}
