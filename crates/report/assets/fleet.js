// w2k8 fleet report: sortable tables and per-host detail. Optional: the
// report reads the same without script. Works on the DOM only (no fetch).
(function () {
  "use strict";
  function key(cell, numeric) {
    var v = cell ? (cell.getAttribute("data-sort") !== null ? cell.getAttribute("data-sort") : cell.textContent) : "";
    if (numeric) { var n = parseFloat(v); return isNaN(n) ? -Infinity : n; }
    return v.toLowerCase();
  }
  function sortBy(table, th, col) {
    var numeric = th.classList.contains("num");
    var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
    var heads = table.querySelectorAll("thead th");
    for (var i = 0; i < heads.length; i++) { heads[i].removeAttribute("aria-sort"); }
    th.setAttribute("aria-sort", dir);
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a.cells[col], numeric), y = key(b.cells[col], numeric);
      var c = x < y ? -1 : x > y ? 1 : 0;
      return dir === "ascending" ? c : -c;
    });
    for (var r = 0; r < rows.length; r++) { body.appendChild(rows[r]); }
  }
  var tables = document.querySelectorAll("table.sortable");
  for (var t = 0; t < tables.length; t++) {
    (function (table) {
      var heads = table.querySelectorAll("thead th");
      for (var c = 0; c < heads.length; c++) {
        (function (th, col) {
          th.classList.add("sortable");
          th.tabIndex = 0;
          th.title = "Sort by this column";
          th.addEventListener("click", function () { sortBy(table, th, col); });
          th.addEventListener("keydown", function (e) {
            if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sortBy(table, th, col); }
          });
        })(heads[c], c);
      }
    })(tables[t]);
  }
  // A host's CVEs and updates are plain <i> elements (the file stays small):
  // made links to their row in the CVE and update tables when a detail opens.
  function linkify(d) {
    if (d.getAttribute("data-linked")) { return; }
    d.setAttribute("data-linked", "1");
    var items = d.querySelectorAll("p.cves i, p.missing i");
    for (var i = 0; i < items.length; i++) {
      var it = items[i], id = it.textContent;
      var target = (/^CVE-/.test(id) ? "cve-" : "kb-") + id;
      if (!document.getElementById(target)) { continue; }
      var a = document.createElement("a");
      a.href = "#" + target;
      a.className = it.className;
      a.textContent = id;
      it.parentNode.replaceChild(a, it);
    }
  }
  var details = document.querySelectorAll("details");
  for (var dd = 0; dd < details.length; dd++) {
    details[dd].addEventListener("toggle", function (e) { if (e.target.open) { linkify(e.target); } });
  }
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id ? document.getElementById(id) : null;
    if (el && el.tagName === "DETAILS") { el.open = true; }
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();
  window.addEventListener("beforeprint", function () {
    var all = document.querySelectorAll("details");
    for (var i = 0; i < all.length; i++) { all[i].open = true; }
  });
})();
