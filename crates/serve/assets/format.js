// How values read on the page, and the page's own links.

export const num = (n) => (typeof n === "number" ? n.toLocaleString("en-US") : "—");
export const dash = (v) => (v === null || v === undefined || v === "" ? "—" : String(v));
export const when = (t) => (t ? String(t).replace("T", " ").replace(/:\d\d(\.\d+)?Z$/, " UTC") : "—");
export const words = (k) => (k ? String(k).replace(/_/g, " ") : "—");
export const arch = (a) => ({ x86: "x86", x64: "x64", ia64: "IA-64" })[String(a).toLowerCase()] || dash(a);
export const install = (core) => (core === true ? "Server Core" : core === false ? "full" : "—");
export const isUrl = (t) => /^https?:\/\/[^\s]+$/i.test(String(t));
export const isCve = (t) => /^CVE-\d{4}-\d{4,}$/.test(String(t));
// "1 step" or "2 steps".
export const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

// A host is linked by its id (names are not unique: a bundle may carry any
// name, and two hosts may differ only in case or product ID).
export const hostHref = (row) => "#/host-id/" + encodeURIComponent(row.host_id);
export const cveHref = (id) => "#/cve/" + encodeURIComponent(id);
