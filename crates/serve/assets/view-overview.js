// #/ : the fleet at a glance: totals, charts by build, KEV exposure and
// patch month, exposure over time, and the CVEs and updates that matter most.
import { api } from "./api.js";
import { barChart, figure, legend, lineChart } from "./charts.js";
import { h } from "./dom.js";
import { num, when } from "./format.js";
import { hashWith } from "./router.js";
import { cveTable, missingTable } from "./tables.js";
import { card, cards } from "./ui.js";

// The host list narrowed by one filter expression.
const filterHref = (expr) => hashWith("#/hosts", new URLSearchParams([["filter", expr]]));

// A signed difference: "+3", "−2", "±0".
const signed = (d) => (d > 0 ? "+" + num(d) : d < 0 ? "−" + num(-d) : "±0");

// The headline for a manager (the HTML report's): hosts assessed and not,
// % current on their track, KEV-exposed hosts, the trend since the previous
// scan round, or "first scan" when there is none (never an invented trend).
function headline(hl) {
  if (!hl) return null;
  const t = hl.trend;
  const d = t ? t.kev_hosts_now - t.kev_hosts_before : 0;
  const item = (id, cls, n, ...label) => h("div", { class: ["hl-item", cls], id, role: "listitem" }, h("span", { class: "n" }, n), h("span", { class: "l" }, ...label));
  return h(
    "section",
    { class: "headline", id: "headline", "aria-label": "Headline" },
    h(
      "div",
      { class: "hl", role: "list" },
      item("hl-hosts", null, num(hl.hosts), `hosts: ${num(hl.assessed)} assessed, `, h("a", { class: ["hl-na", hl.not_assessed > 0 && "on"], href: filterHref("status!=ok") }, `${num(hl.not_assessed)} not assessed`)),
      item(
        "hl-current",
        "current",
        hl.current_percent === null || hl.current_percent === undefined ? "—" : `${hl.current_percent}%`,
        `current on their track (${num(hl.current)} of ${num(hl.hosts)} hosts; a host not assessed is never current)`,
      ),
      item("hl-kev", hl.kev_hosts > 0 ? "bad" : null, num(hl.kev_hosts), h("a", { href: filterHref("kev>0") }, "hosts with a KEV CVE open")),
      t
        ? item(
            "hl-trend",
            d > 0 ? "up" : d < 0 ? "down" : null,
            signed(d),
            `hosts with KEV since ${t.since} (${num(t.kev_hosts_before)} → ${num(t.kev_hosts_now)}); open CVE/host pairs ${signed(t.open_cves_now - t.open_cves_before)} (${num(t.open_cves_before)} → ${num(t.open_cves_now)})`,
          )
        : item("hl-trend", null, "first scan", "no earlier scan round: no trend yet"),
    ),
  );
}

function totals(t) {
  return cards("Fleet totals", [
    card("total-hosts", t.hosts, "hosts", null, "#/hosts"),
    card("total-ok", t.ok, "assessed (scan ok)", "good", filterHref("status=ok")),
    card("total-kev", t.kev_hosts, "hosts with a KEV CVE open", "bad", filterHref("kev>0")),
    card("total-ransomware", t.ransomware_hosts, "with a ransomware-used CVE", "ransom", filterHref("ransomware>0")),
    card("total-failed", t.failed, "latest scan failed (not assessed)", t.failed ? "unassessed" : null, filterHref("status=failed")),
    card("total-unsupported", t.unsupported, "other Windows versions (not assessed)", t.unsupported ? "unassessed" : null, filterHref("status=unsupported")),
    t.partial ? card("total-partial", t.partial, "assessed from partial evidence (lower bounds)", "warn") : null,
    t.kev_unknown_hosts ? card("total-kev-unknown", t.kev_unknown_hosts, "KEV exposure unknown (partial evidence)", "warn") : null,
    card("total-scans", t.scans, "scans stored"),
  ]);
}

// Bar colours by category, the class names (and colours, palette.css) of the
// HTML report: 2008 (600x) and 2008 R2 (760x) builds; KEV exposure.
const buildClass = (l) => (/^600[123]$/.test(l) ? "f2008" : /^760[01]$/.test(l) ? "r2" : "other");
const kevClass = (l) => (/unknown/i.test(l) ? "partial" : /ransom/i.test(l) ? "ransomware" : /^KEV/.test(l) ? "kev" : "current");
const kevHref = (l) => (/ransom/i.test(l) ? filterHref("ransomware>0") : /^KEV$/.test(l) ? filterHref("kev>0") : /^no KEV$/i.test(l) ? filterHref("kev=0") : null);

function barCharts(sum) {
  return [
    figure("Hosts by build", "6003 is 2008 SP2 after April 2019; 7601 is 2008 R2 SP1", barChart(sum.by_build || [], {
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
  ];
}

function historyCharts(hist) {
  return [
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
  ];
}

function topLists(sum) {
  const topCves = (sum.top_cves || []).slice(0, 12);
  const topMissing = (sum.top_missing || []).slice(0, 12);
  return h(
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
  );
}

export async function overview() {
  const sum = await api("/api/summary");
  const t = sum.totals || {};
  const hist = Array.isArray(sum.history) ? sum.history : [];
  const node = h(
    "div",
    { class: "overview" },
    h("h1", null, "Fleet overview"),
    h("p", { class: "lead" }, `${num(t.hosts)} hosts, each as of its latest scan; ${num(t.scans)} scans stored. Computed ${when(sum.generated_at)}.`),
    headline(sum.headline),
    totals(t),
    h("div", { class: "charts" }, barCharts(sum), historyCharts(hist)),
    topLists(sum),
  );
  return { title: "Overview", node };
}
