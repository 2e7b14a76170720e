//! `w2k8 report --format html`: the fleet as one self-contained HTML file.
//!
//! No CDN and no fetch: the CSS and the small sorting script
//! (`assets/fleet.css`, `assets/fleet.js`) are inlined, the charts are SVG
//! drawn by [`super::svg`]. The file reads the same without script (the host
//! table in risk order, the details open by hand) and prints on paper
//! (print CSS opens every detail). The page is a `maud` template: every
//! value from host inputs or the catalog is escaped by it, only the
//! report's own CSS, script and entities are written as they are.
//!
//! The colours are [`PALETTE_CSS`], the sheet the dashboard serves too. A
//! report of a large fleet stays small: each CVE and update is described
//! once (the fleet tables, each row an anchor), a host's detail names them
//! and links there.
use super::svg;
use maud::{html, Markup, PreEscaped, DOCTYPE};
use std::collections::{BTreeMap, HashSet};
use w2k8_fleet::{FleetCve, FleetMissing, FleetReport, Headline, HostDetail, HostRow, ScanStatus};

/// The colour scheme shared by the HTML report and the dashboard
/// (`/assets/palette.css` of `w2k8 serve`): one colour per category
/// (critical, important, KEV, ransomware, current, partial, not assessed,
/// 2008, 2008 R2, ...) and the chart bars' classes.
pub const PALETTE_CSS: &str = include_str!("../../assets/palette.css");
const CSS: &str = include_str!("../../assets/fleet.css");
const JS: &str = include_str!("../../assets/fleet.js");

/// A build's bar: 2008 (600x) or 2008 R2 (760x), the palette's family colours.
fn build_class(label: &str) -> &'static str {
    match label {
        "6001" | "6002" | "6003" => "f2008",
        "7600" | "7601" => "r2",
        _ => "other",
    }
}

/// A KEV exposure bar, the palette's category colours.
fn kev_class(label: &str) -> &'static str {
    let l = label.to_ascii_lowercase();
    if l.contains("unknown") {
        "partial"
    } else if l.contains("ransomware") {
        "ransomware"
    } else if l.starts_with("no") {
        "current"
    } else if l.contains("kev") {
        "kev"
    } else {
        "other"
    }
}

fn month_class(_: &str) -> &'static str {
    ""
}

/// `–`, as the report writes an absent value.
const NDASH: PreEscaped<&str> = PreEscaped("&ndash;");
/// `≥`, before a lower bound.
const GE: PreEscaped<&str> = PreEscaped("&ge;");

/// A host count: "n/a" (never 0) for a host that was not assessed (its row
/// says why), `≥N` (with a title saying why) for a lower bound.
fn count(v: Option<u32>, lower_bound: Option<bool>) -> Markup {
    html! {
        @match (v, lower_bound) {
            (None, _) => span.na { "n/a" },
            (Some(n), Some(true)) => span.lb title="lower bound: the evidence is partial" { (GE) (n) },
            (Some(n), _) => (n),
        }
    }
}

/// The patched-through month, `≥YYYY-MM` when only a bound is known.
fn month(h: &HostRow) -> Markup {
    html! {
        @match (&h.patched_through, &h.patched_through_at_least) {
            (Some(m), _) => (m),
            (None, Some(b)) => span.lb title="lower bound" { (GE) (b) },
            (None, None) => (NDASH),
        }
    }
}

fn opt(s: &Option<String>) -> Markup {
    html! {
        @match s {
            Some(v) => (v),
            None => (NDASH),
        }
    }
}

fn num<T: maud::Render>(v: Option<T>) -> Markup {
    html! {
        @match v {
            Some(v) => (v),
            None => (NDASH),
        }
    }
}

/// `2026-11-25T08:00:02Z` as `2026-11-25 08:00` (the table's column says UTC); anything else as is.
/// `YYYY-MM-DD HH:MM` (UTC).
fn short_time(t: &w2k8_core::Timestamp) -> String {
    format!("{} {:02}:{:02}", t.date(), t.hour(), t.minute())
}

fn flags(c: &FleetCve) -> Markup {
    html! {
        @if c.kev { span class="flag kev" { "KEV" } }
        @if c.ransomware {
            span class="flag ransomware" title="Known ransomware campaign use (CISA KEV)" { "ransomware" }
        }
        @if c.exploit { span class="flag exploit" { "exploit" } }
    }
}

/// The headline: hosts (assessed / not), % current, KEV-exposed hosts and
/// the trend since the previous scan round ("first scan" when there is none).
fn headline(r: &FleetReport) -> Markup {
    let h = Headline::of(&r.hosts, &r.history);
    let na_class = if h.not_assessed > 0 { "hl-na na" } else { "hl-na" };
    let kev_class = if h.kev_hosts > 0 { "hl-item bad" } else { "hl-item" };
    html! {
        section.headline #headline aria-label="Headline" {
            p.hl-sentence { (h.sentence()) }
            div.hl {
                div.hl-item #hl-hosts {
                    span.n { (h.hosts) }
                    span.k { "hosts: " (h.assessed) " assessed, " span class=(na_class) { (h.not_assessed) " not assessed" } }
                }
                div class="hl-item current" id="hl-current" {
                    span.n {
                        @match h.current_percent { Some(p) => { (p) "%" }, None => (NDASH) }
                    }
                    span.k { "current on their track (" (h.current) " of " (h.hosts) " hosts; a host not assessed is never current)" }
                }
                div class=(kev_class) id="hl-kev" {
                    span.n { (h.kev_hosts) }
                    span.k { "hosts with a KEV CVE open" }
                }
                div.hl-item #hl-trend { (trend(&h)) }
            }
        }
    }
}

/// The trend item of the headline.
fn trend(h: &Headline) -> Markup {
    html! {
        @match &h.trend {
            None => {
                span.n { "first scan" }
                span.k { "no earlier scan round: no trend yet" }
            }
            Some(t) => {
                @let d = i128::from(t.kev_hosts_now) - i128::from(t.kev_hosts_before);
                @let class = match d { d if d > 0 => "n up", d if d < 0 => "n down", _ => "n flat" };
                span class=(class) { (w2k8_fleet::signed(d)) }
                span.k {
                    "hosts with KEV since " (t.since) " (" (t.kev_hosts_before) " " (PreEscaped("&rarr;")) " "
                    (t.kev_hosts_now) "); open CVE/host pairs "
                    (w2k8_fleet::signed(i128::from(t.open_cves_now) - i128::from(t.open_cves_before)))
                    " (" (t.open_cves_before) " " (PreEscaped("&rarr;")) " " (t.open_cves_now) ")"
                }
            }
        }
    }
}

fn totals(r: &FleetReport) -> Markup {
    let t = &r.totals;
    // Green only when every host was assessed from complete evidence: a
    // host that was not read, or read in part, may hide what is counted.
    let all_known = t.failed == 0 && t.unsupported == 0 && t.partial == 0 && t.kev_unknown_hosts == 0;
    let risk = |n: u32| {
        if n > 0 {
            "bad"
        } else if all_known {
            "ok"
        } else {
            ""
        }
    };
    let warn = |n: u32| if n > 0 { "warn" } else { "" };
    let na = |n: u32| if n > 0 { "unassessed" } else { "" };
    let cards: [(&str, &str, u32, &str); 9] = [
        ("hosts", "hosts", t.hosts, ""),
        ("ok", "assessed (latest scan ok)", t.ok, "ok"),
        ("failed", "latest scan failed (not assessed)", t.failed, na(t.failed)),
        ("unsupported", "not Windows Server 2008 (not assessed)", t.unsupported, na(t.unsupported)),
        ("kev", "with an open KEV CVE", t.kev_hosts, risk(t.kev_hosts)),
        ("ransomware", "with a KEV CVE used by ransomware", t.ransomware_hosts, risk(t.ransomware_hosts)),
        ("partial", "assessed from partial evidence (counts are lower bounds)", t.partial, warn(t.partial)),
        ("kev-unknown", "KEV exposure unknown (partial evidence)", t.kev_unknown_hosts, warn(t.kev_unknown_hosts)),
        ("scans", "scans stored", t.scans, ""),
    ];
    html! {
        section.totals #totals aria-label="Fleet totals" {
            @for (id, label, n, class) in cards {
                // Partial evidence is said only when it applies.
                @if n > 0 || !matches!(id, "partial" | "kev-unknown") {
                    div class={ "total " (class) } id={ "total-" (id) } {
                        span.n { (n) }
                        span.k { (label) }
                    }
                }
            }
        }
    }
}

fn charts(r: &FleetReport) -> Markup {
    let figs = [
        (
            "Hosts by build (6003 = 2008 SP2 after April 2019, 7601 = 2008 R2 SP1)",
            svg::bars("chart-build", "Hosts by build", &r.by_build, build_class),
        ),
        ("Hosts by KEV exposure", svg::bars("chart-kev", "Hosts by KEV exposure", &r.by_kev, kev_class)),
        (
            "Hosts by patched-through month",
            svg::bars("chart-month", "Hosts by patched-through month", &r.by_patched_through, month_class),
        ),
        ("Exposure over time", svg::exposure("chart-history", &r.history)),
    ];
    html! {
        h2 #charts-h { "Charts" }
        section.charts aria-labelledby="charts-h" {
            @for (caption, chart) in figs {
                figure { figcaption { (caption) } (chart) }
            }
        }
    }
}

/// A column of the host table: heading, cell class (`num`: right-aligned,
/// sorted as a number; `kev`: red on a KEV-exposed host's row; given to the
/// column by [`host_columns_css`], not repeated on each of 1,500 cells), the
/// cell's content. The key columns come first (they stay in view on a
/// phone); a new column is one more entry here.
struct Column {
    head: &'static str,
    class: &'static str,
    cell: fn(&HostRow) -> Markup,
}

const HOST_COLUMNS: &[Column] = &[
    Column { head: "Status", class: "", cell: status_cell },
    Column { head: "KEV", class: "num kev", cell: |h| count(h.kev_open, h.counts_are_lower_bound) },
    Column { head: "Missing", class: "num", cell: |h| count(h.missing, h.counts_are_lower_bound) },
    Column { head: "Reachable KEV", class: "num", cell: reach_cell },
    Column { head: "Open CVEs", class: "num", cell: |h| count(h.open_cves, h.counts_are_lower_bound) },
    Column { head: "Ransomware", class: "num", cell: |h| count(h.ransomware_open, h.counts_are_lower_bound) },
    Column { head: "Patched through", class: "", cell: month },
    Column { head: "Build", class: "num", cell: |h| num(h.build) },
    Column { head: "Product", class: "", cell: |h| opt(&h.product) },
    Column { head: "Arch", class: "", cell: |h| num(h.arch.map(|a| a.as_str())) },
    Column { head: "Last scan (UTC)", class: "", cell: |h| html! { (short_time(&h.last_scan)) } },
];

/// The host table's column classes as CSS rules by position (the host name
/// is column 1).
fn host_columns_css() -> String {
    let cols = |class: &str| -> Vec<String> {
        HOST_COLUMNS
            .iter()
            .enumerate()
            .filter(|(_, c)| c.class.split(' ').any(|k| k == class))
            .map(|(i, _)| format!("table.hosts td:nth-child({})", i + 2))
            .collect()
    };
    let kev: Vec<String> = cols("kev").iter().map(|s| s.replace("table.hosts td", "table.hosts tr.kev td")).collect();
    format!(
        "{} {{ text-align: right; }}\n{} {{ color: var(--c-kev); font-weight: 700; }}\n",
        cols("num").join(", "),
        kev.join(", ")
    )
}

/// Open KEV CVEs reachable on the host: `?` for an assessed host whose
/// bundle cannot tell (it lacks the configuration files), never 0.
fn reach_cell(h: &HostRow) -> Markup {
    match (h.status, h.reachable_kev) {
        (ScanStatus::Ok, None) => html! {
            span.na title="unknown: the bundle lacks the configuration files that tell" { "?" }
        },
        (_, v) => count(v, h.counts_are_lower_bound),
    }
}

/// `ok`, or why the host was not assessed (the error in the title).
fn status_cell(h: &HostRow) -> Markup {
    html! {
        @match h.status {
            ScanStatus::Ok => "ok",
            s => span class={ "status-" (s.as_str()) } title={ "not assessed: " (h.error.as_deref().unwrap_or("")) } {
                (s.as_str())
            },
        }
    }
}

fn host_row(h: &HostRow, has_detail: bool) -> Markup {
    let class = match h.status {
        ScanStatus::Ok if h.kev_open.is_some_and(|n| n > 0) => Some("kev"),
        ScanStatus::Ok => None,
        _ => Some("unassessed"),
    };
    html! {
        tr data-host-id=(h.host_id) class=[class] {
            th {
                @if has_detail { a href={ "#host-" (h.host_id) } { (h.name) } } @else { (h.name) }
            }
            @for c in HOST_COLUMNS { td { ((c.cell)(h)) } }
        }
    }
}

fn host_table(r: &FleetReport) -> Markup {
    let with_detail: HashSet<i64> = r.details.iter().map(|d| d.host.host_id).collect();
    let mut rows: Vec<&HostRow> = r.hosts.iter().collect();
    rows.sort_by(|a, b| w2k8_fleet::risk_order(a, b));
    html! {
        h2 #hosts-h { "Hosts by risk (" (r.hosts.len()) ")" }
        p class="note sorthint" {
            "Riskiest first: hosts not assessed (their risk is unknown), then by open KEV CVEs, ransomware-used CVEs, critical CVEs, open CVEs and missing updates. Click a column header to sort. A host name links to its detail below."
        }
        div class="tablewrap hostwrap" {
            table #host-table class="sortable hosts" {
                thead {
                    tr {
                        th.name { "Host" }
                        @for c in HOST_COLUMNS {
                            th class=[c.class.starts_with("num").then_some("num")] { (c.head) }
                        }
                    }
                }
                tbody {
                    @for h in rows { (host_row(h, with_detail.contains(&h.host_id))) }
                    @if r.hosts.is_empty() {
                        tr.empty {
                            td colspan=(HOST_COLUMNS.len() + 1) {
                                "No hosts in the store yet: run " code { "w2k8 scan" } "."
                            }
                        }
                    }
                }
            }
        }
    }
}

fn cve_rows(cves: &[&FleetCve]) -> Markup {
    html! {
        @for c in cves {
            tr id={ "cve-" (c.cve) } {
                td {
                    a href={ "https://msrc.microsoft.com/update-guide/vulnerability/" (c.cve) } rel="noreferrer" { (c.cve) }
                    (flags(c))
                }
                td.wrap { (c.title) }
                td class={ "sev-" (c.severity.as_str()) } { (c.severity) }
                td.num { (c.hosts) }
            }
        }
    }
}

fn missing_rows(missing: &[&FleetMissing]) -> Markup {
    html! {
        @for m in missing {
            tr id={ "kb-" (m.kb) } {
                td { (m.kb) }
                td { (m.kind) }
                td.wrap { (opt(&m.title)) }
                td.num { (m.hosts) }
            }
        }
    }
}

/// A sortable table of the fleet's CVEs or updates: three headings, then
/// the number of hosts.
fn fleet_table(id: &str, heads: [&str; 3], rows: Markup) -> Markup {
    html! {
        div.tablewrap {
            table id=(id) class="sortable" {
                thead { tr { @for h in heads { th { (h) } } th.num { "Hosts" } } }
                tbody { (rows) }
            }
        }
    }
}

fn cve_table(id: &str, cves: &[&FleetCve]) -> Markup {
    fleet_table(id, ["CVE", "Title", "Severity"], cve_rows(cves))
}

fn missing_table(id: &str, missing: &[&FleetMissing]) -> Markup {
    fleet_table(id, ["Update", "Kind", "Title"], missing_rows(missing))
}

fn top_tables(r: &FleetReport) -> Markup {
    // The CVEs and updates the host details name beyond the top tables:
    // described here once, each detail links to its row.
    let in_top: HashSet<w2k8_core::CveId> = r.top_cves.iter().map(|c| c.cve).collect();
    // By id text, as the fleet lists are.
    let mut more_cves: BTreeMap<String, &FleetCve> = BTreeMap::new();
    let top_kbs: HashSet<w2k8_core::Kb> = r.top_missing.iter().map(|m| m.kb).collect();
    let mut more_kbs: BTreeMap<w2k8_core::Kb, &FleetMissing> = BTreeMap::new();
    for d in &r.details {
        for c in d.exposure.iter().filter(|c| !in_top.contains(&c.cve)) {
            more_cves.entry(c.cve.to_string()).or_insert(c);
        }
        for m in d.missing.iter().filter(|m| !top_kbs.contains(&m.kb)) {
            more_kbs.entry(m.kb).or_insert(m);
        }
    }
    html! {
        h2 #top-cves-h { "Top open CVEs by hosts" }
        p.note {
            span class="flag kev" { "KEV" } " in CISA's Known Exploited Vulnerabilities catalog, "
            span class="flag ransomware" { "ransomware" } " known ransomware campaign use (KEV), "
            span class="flag exploit" { "exploit" } " a public exploit is listed."
        }
        @if r.top_cves.is_empty() {
            p.note { "No open CVE on any assessed host." }
        } @else {
            (cve_table("top-cves", &r.top_cves.iter().collect::<Vec<_>>()))
        }
        h2 #top-missing-h { "Top missing updates by hosts" }
        @if r.top_missing.is_empty() {
            p.note { "No update missing on any assessed host." }
        } @else {
            (missing_table("top-missing", &r.top_missing.iter().collect::<Vec<_>>()))
        }
        @if !more_cves.is_empty() {
            h2 #more-cves-h { "Other CVEs named in the host details" }
            (cve_table("more-cves", &more_cves.into_values().collect::<Vec<_>>()))
        }
        @if !more_kbs.is_empty() {
            h2 #more-missing-h { "Other updates named in the host details" }
            (missing_table("more-missing", &more_kbs.into_values().collect::<Vec<_>>()))
        }
    }
}

/// One CVE of a host's detail: its id, with the KEV / ransomware / exploit
/// marks and the severity as classes (the legend above the details says
/// what they mean). The script makes it a link to the CVE's row (`cve-ID`)
/// when its detail opens: 15,000 of them stay small as plain elements.
fn detail_cve(c: &FleetCve) -> Markup {
    let marks =
        [(c.kev, "k"), (c.ransomware, "r"), (c.exploit, "x"), (c.severity == w2k8_core::Severity::Critical, "c")];
    let class: Vec<&str> = marks.iter().filter(|(on, _)| *on).map(|(_, k)| *k).collect();
    let class = (!class.is_empty()).then(|| class.join(" "));
    html! { i class=[class] { (c.cve) } " " }
}

/// The facts line of a host's detail.
fn facts(h: &HostRow) -> Markup {
    let server_core = h.server_core.map(|c| if c { "Server Core" } else { "full installation" });
    let facts: [(&str, Option<&str>); 5] = [
        ("", h.product.as_deref()),
        ("", h.edition.as_deref()),
        ("", server_core),
        ("kernel ", h.kernel.as_deref()),
        ("product ID ", h.product_id.as_deref()),
    ];
    let shown: Vec<(&str, &str)> = facts.into_iter().filter_map(|(k, v)| v.map(|v| (k, v))).collect();
    html! {
        p.facts {
            @for (i, (k, v)) in shown.iter().enumerate() {
                @if i > 0 { " · " }
                (k) (v)
            }
        }
    }
}

/// What a host's detail says of its missing updates and open CVEs.
fn findings(d: &HostDetail) -> Markup {
    let h = &d.host;
    // The store lists the riskiest few (`report --detail-cves`); the host row has the count of all.
    let shown = d.exposure.len();
    let total = h.open_cves.map_or(shown, |n| usize::try_from(n).unwrap_or(usize::MAX)).max(shown);
    html! {
        @if h.counts_are_lower_bound == Some(true) {
            p class="note lb" {
                "The evidence is partial: the counts are lower bounds"
                @if let Some(n) = h.unknown_cves.filter(|n| *n > 0) { ", and " (n) " CVE(s) could not be judged" }
                "."
            }
        }
        @if d.missing.is_empty() {
            p.note { "No update missing." }
        } @else {
            p.missing {
                b { "Missing (" (d.missing.len()) ", in install order):" } " "
                @for m in &d.missing { i { (m.kb) } " " (m.kind) " " }
            }
        }
        @if d.exposure.is_empty() {
            p.note { "No open CVE." }
        } @else {
            p.cves {
                b { "Riskiest open CVEs (" (shown) " of " (total) "):" } " "
                @for c in &d.exposure { (detail_cve(c)) }
            }
        }
    }
}

fn detail(d: &HostDetail) -> Markup {
    let h = &d.host;
    html! {
        details id={ "host-" (h.host_id) } {
            summary {
                (h.name) " · build " (num(h.build)) " · patched through " (month(h)) " · " (summary_counts(h))
            }
            (facts(h))
            @if h.status != ScanStatus::Ok {
                p class="note na" {
                    "Not assessed (" (h.status.as_str())
                    @if let Some(e) = &h.error { ": " (e) }
                    "): what is missing and what is open on this host is unknown."
                }
            } @else {
                (findings(d))
            }
        }
    }
}

/// `N missing, N open CVE(s), N KEV` of a host's summary line, or why there
/// are no counts.
fn summary_counts(h: &HostRow) -> Markup {
    let lb = h.counts_are_lower_bound;
    html! {
        @if h.status != ScanStatus::Ok {
            "not assessed (" (h.status.as_str()) ")"
        } @else {
            (count(h.missing, lb)) " missing, " (count(h.open_cves, lb)) " open CVE(s), " (count(h.kev_open, lb)) " KEV"
        }
    }
}

/// The page's `<head>`: title, the palette, the report's CSS and the host
/// table's column rules.
fn head(r: &FleetReport) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            meta name="generator" content="w2k8";
            title { "w2k8 fleet report: " (r.totals.hosts) " host(s), " (r.generated_at) }
            style { "\n" (PreEscaped(PALETTE_CSS)) (PreEscaped(CSS)) (PreEscaped(host_columns_css())) }
        }
    }
}

fn header(r: &FleetReport) -> Markup {
    html! {
        header {
            h1 { "Windows Server 2008 fleet" }
            p.meta { "Generated " time #generated-at { (r.generated_at) } " " (PreEscaped("&middot;")) " catalog " (r.catalog) }
            @for w in &r.catalog_warnings { p class="note lb catalog-warning" { "Stale data: " (w) } }
            (headline(r))
            (totals(r))
        }
    }
}

/// Renders the fleet report as one self-contained HTML document.
pub fn html(r: &FleetReport) -> String {
    let mut details: Vec<&HostDetail> = r.details.iter().collect();
    details.sort_by(|a, b| w2k8_fleet::risk_order(&a.host, &b.host));
    let page = html! {
        (DOCTYPE) "\n"
        html lang="en" {
            (head(r)) "\n"
            body {
                (header(r)) "\n"
                main {
                    (charts(r))
                    (host_table(r))
                    (top_tables(r))
                    h2 #details-h { "Host detail (" (r.details.len()) ")" }
                    section #details {
                        @if r.details.is_empty() {
                            p.note { "No assessed host." }
                        } @else {
                            p class="note legend" {
                                "A detail lists the riskiest open CVEs (" code { "w2k8 report --detail-cves N" } "; "
                                code { "w2k8 assess" } " on the host's bundle lists them all), each CVE and update a link to its row above (title, severity, hosts). Marks: "
                                span.k {} " in CISA KEV, " span class="k r" {} " also used by ransomware, " span.x {}
                                " a public exploit is listed; " span.c { "CVE-ids in this colour" } " are critical."
                            }
                        }
                        @for d in details { (detail(d)) }
                    }
                }
                "\n"
                footer {
                    "Made by w2k8 offline from the hosts' own outputs. KEV: CISA's Known Exploited Vulnerabilities catalog. This file needs no network."
                }
                "\n"
                script { "\n" (PreEscaped(JS)) }
                "\n"
            }
        }
        "\n"
    };
    page.into_string()
}

#[cfg(test)]
mod tests {
    use super::{host_row, short_time};
    use w2k8_fleet::{HostRow, ScanStatus};

    #[test]
    fn host_text_is_escaped_in_content_and_attributes() {
        let report: w2k8_fleet::FleetReport =
            serde_json::from_str(include_str!("../../tests/fixtures/fleet/report.json")).unwrap();
        let h = HostRow {
            host_id: 7,
            name: "<script>alert('x')</script> & \"q\"".into(),
            status: ScanStatus::Failed,
            error: Some("\"><img onerror=x>".into()),
            ..report.hosts[0].clone()
        };
        let s = host_row(&h, true).into_string();
        assert!(s.contains("&lt;script&gt;alert('x')&lt;/script&gt; &amp; &quot;q&quot;"), "{s}");
        assert!(s.contains(r#"title="not assessed: &quot;&gt;&lt;img onerror=x&gt;""#), "{s}");
        assert!(!s.contains("<script") && !s.contains("<img"), "{s}");
        assert!(s.contains(r##"<a href="#host-7">"##), "{s}");
    }

    #[test]
    fn times_are_shortened() {
        assert_eq!(short_time(&"2026-11-25T08:00:02Z".parse().unwrap()), "2026-11-25 08:00");
        assert_eq!(short_time(&"2026-01-05T23:59:59Z".parse().unwrap()), "2026-01-05 23:59");
    }
}
