//! `w2k8 report --format html`: the fleet as one self-contained HTML file.
//!
//! No CDN and no fetch: the CSS and the small sorting script
//! (`assets/fleet.css`, `assets/fleet.js`) are inlined, the charts are SVG
//! drawn by [`super::svg`]. The file reads the same without script (the host
//! table in risk order, the details open by hand) and prints on paper
//! (print CSS opens every detail). Every value from host inputs or the
//! catalog goes through [`esc`].
//!
//! The colours are [`PALETTE_CSS`], the sheet the dashboard serves too. A
//! report of a large fleet stays small: each CVE and update is described
//! once (the fleet tables, each row an anchor), a host's detail names them
//! and links there.
use super::{esc, svg};
use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
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

/// A host count: "n/a" (never 0) for a host that was not assessed (its row
/// says why), `≥N` (with a title saying why) for a lower bound.
fn count(v: Option<u32>, lower_bound: Option<bool>) -> String {
    match (v, lower_bound) {
        (None, _) => r#"<span class="na">n/a</span>"#.to_string(),
        (Some(n), Some(true)) => {
            format!(r#"<span class="lb" title="lower bound: the evidence is partial">&ge;{n}</span>"#)
        }
        (Some(n), _) => n.to_string(),
    }
}

/// The patched-through month, `≥YYYY-MM` when only a bound is known.
fn month(h: &HostRow) -> String {
    match (&h.patched_through, &h.patched_through_at_least) {
        (Some(m), _) => esc(m),
        (None, Some(b)) => format!(r#"<span class="lb" title="lower bound">&ge;{}</span>"#, esc(b)),
        (None, None) => "&ndash;".to_string(),
    }
}

fn opt(s: &Option<String>) -> String {
    s.as_deref().map(esc).unwrap_or_else(|| "&ndash;".to_string())
}

fn num<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_else(|| "&ndash;".to_string())
}

/// `2026-11-25T08:00:02Z` as `2026-11-25 08:00` (the table's column says UTC); anything else as is.
fn short_time(t: &str) -> String {
    match (t.get(..10), t.get(10..11), t.get(11..16)) {
        (Some(day), Some("T"), Some(hm)) => format!("{day} {hm}"),
        _ => t.to_string(),
    }
}

fn flags(out: &mut String, c: &FleetCve) {
    if c.kev {
        out.push_str(r#"<span class="flag kev">KEV</span>"#);
    }
    if c.ransomware {
        out.push_str(
            r#"<span class="flag ransomware" title="Known ransomware campaign use (CISA KEV)">ransomware</span>"#,
        );
    }
    if c.exploit {
        out.push_str(r#"<span class="flag exploit">exploit</span>"#);
    }
}

/// The headline: hosts (assessed / not), % current, KEV-exposed hosts and
/// the trend since the previous scan round ("first scan" when there is none).
fn headline(out: &mut String, r: &FleetReport) {
    let h = Headline::of(&r.hosts, &r.history);
    let pct = h.current_percent.map_or("&ndash;".to_string(), |p| format!("{p}%"));
    let na_class = if h.not_assessed > 0 { " na" } else { "" };
    let kev_class = if h.kev_hosts > 0 { " bad" } else { "" };
    let _ = write!(
        out,
        r#"<section class="headline" id="headline" aria-label="Headline"><p class="hl-sentence">{}</p><div class="hl"><div class="hl-item" id="hl-hosts"><span class="n">{}</span><span class="k">hosts: {} assessed, <span class="hl-na{na_class}">{} not assessed</span></span></div><div class="hl-item current" id="hl-current"><span class="n">{pct}</span><span class="k">current on their track ({} of {} hosts; a host not assessed is never current)</span></div><div class="hl-item{kev_class}" id="hl-kev"><span class="n">{}</span><span class="k">hosts with a KEV CVE open</span></div><div class="hl-item" id="hl-trend">"#,
        esc(&h.sentence()),
        h.hosts,
        h.assessed,
        h.not_assessed,
        h.current,
        h.hosts,
        h.kev_hosts,
    );
    match &h.trend {
        None => out
            .push_str(r#"<span class="n">first scan</span><span class="k">no earlier scan round: no trend yet</span>"#),
        Some(t) => {
            let d = i128::from(t.kev_hosts_now) - i128::from(t.kev_hosts_before);
            let class = match d {
                d if d > 0 => "up",
                d if d < 0 => "down",
                _ => "flat",
            };
            let _ = write!(
                out,
                r#"<span class="n {class}">{}</span><span class="k">hosts with KEV since {} ({} &rarr; {}); open CVE/host pairs {} ({} &rarr; {})</span>"#,
                w2k8_fleet::signed(d),
                esc(&t.since),
                t.kev_hosts_before,
                t.kev_hosts_now,
                w2k8_fleet::signed(i128::from(t.open_cves_now) - i128::from(t.open_cves_before)),
                t.open_cves_before,
                t.open_cves_now,
            );
        }
    }
    out.push_str("</div></div></section>");
}

fn totals(out: &mut String, r: &FleetReport) {
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
    out.push_str(r#"<section class="totals" id="totals" aria-label="Fleet totals">"#);
    for (id, label, n, class) in cards {
        if n == 0 && matches!(id, "partial" | "kev-unknown") {
            continue; // said only when it applies
        }
        let _ = write!(
            out,
            r#"<div class="total {class}" id="total-{id}"><span class="n">{n}</span><span class="k">{label}</span></div>"#
        );
    }
    out.push_str("</section>");
}

fn charts(out: &mut String, r: &FleetReport) {
    out.push_str(r#"<h2 id="charts-h">Charts</h2><section class="charts" aria-labelledby="charts-h">"#);
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
    for (caption, chart) in figs {
        let _ = write!(out, "<figure><figcaption>{}</figcaption>{chart}</figure>", esc(caption));
    }
    out.push_str("</section>");
}

/// A column of the host table: heading, cell class (`num`: right-aligned,
/// sorted as a number; `kev`: red on a KEV-exposed host's row; given to the
/// column by [`host_columns_css`], not repeated on each of 1,500 cells), the
/// cell's content. The key columns come first (they stay in view on a
/// phone); a new column is one more entry here.
struct Column {
    head: &'static str,
    class: &'static str,
    cell: fn(&HostRow) -> String,
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
    Column { head: "Arch", class: "", cell: |h| h.arch.map(|a| a.as_str()).unwrap_or("&ndash;").to_string() },
    Column { head: "Last scan (UTC)", class: "", cell: |h| esc(&short_time(&h.last_scan)) },
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
fn reach_cell(h: &HostRow) -> String {
    match (h.status, h.reachable_kev) {
        (ScanStatus::Ok, None) => {
            r#"<span class="na" title="unknown: the bundle lacks the configuration files that tell">?</span>"#
                .to_string()
        }
        (_, v) => count(v, h.counts_are_lower_bound),
    }
}

/// `ok`, or why the host was not assessed (the error in the title).
fn status_cell(h: &HostRow) -> String {
    match h.status {
        ScanStatus::Ok => "ok".to_string(),
        s => format!(
            r#"<span class="status-{0}" title="not assessed: {1}">{0}</span>"#,
            s.as_str(),
            esc(h.error.as_deref().unwrap_or(""))
        ),
    }
}

fn host_row(out: &mut String, h: &HostRow, has_detail: bool) {
    let name =
        if has_detail { format!(r##"<a href="#host-{}">{}</a>"##, h.host_id, esc(&h.name)) } else { esc(&h.name) };
    let class = match h.status {
        ScanStatus::Ok if h.kev_open.is_some_and(|n| n > 0) => r#" class="kev""#,
        ScanStatus::Ok => "",
        _ => r#" class="unassessed""#,
    };
    let _ = write!(out, r#"<tr data-host-id="{}"{class}><th>{name}</th>"#, h.host_id);
    for c in HOST_COLUMNS {
        let _ = write!(out, "<td>{}</td>", (c.cell)(h));
    }
    out.push_str("</tr>");
}

fn host_table(out: &mut String, r: &FleetReport) {
    let _ = write!(out, r#"<h2 id="hosts-h">Hosts by risk ({})</h2>"#, r.hosts.len());
    out.push_str(r#"<p class="note sorthint">Riskiest first: hosts not assessed (their risk is unknown), then by open KEV CVEs, ransomware-used CVEs, critical CVEs, open CVEs and missing updates. Click a column header to sort. A host name links to its detail below.</p>"#);
    out.push_str(r#"<div class="tablewrap hostwrap"><table id="host-table" class="sortable hosts"><thead><tr><th class="name">Host</th>"#);
    for c in HOST_COLUMNS {
        let num = if c.class.starts_with("num") { r#" class="num""# } else { "" };
        let _ = write!(out, "<th{num}>{}</th>", c.head);
    }
    out.push_str("</tr></thead><tbody>");
    let with_detail: HashSet<i64> = r.details.iter().map(|d| d.host.host_id).collect();
    let mut rows: Vec<&HostRow> = r.hosts.iter().collect();
    rows.sort_by(|a, b| w2k8_fleet::risk_order(a, b));
    for h in rows {
        host_row(out, h, with_detail.contains(&h.host_id));
    }
    if r.hosts.is_empty() {
        let _ = write!(
            out,
            r#"<tr class="empty"><td colspan="{}">No hosts in the store yet: run <code>w2k8 scan</code>.</td></tr>"#,
            HOST_COLUMNS.len() + 1
        );
    }
    out.push_str("</tbody></table></div>");
}

/// The anchor of a CVE's row in the report's CVE tables.
fn cve_anchor(cve: &str) -> String {
    format!("cve-{}", esc(cve))
}

/// The anchor of an update's row in the report's update tables.
fn kb_anchor(kb: &str) -> String {
    format!("kb-{}", esc(kb))
}

fn cve_rows(out: &mut String, cves: &[&FleetCve], with_hosts: bool) {
    for c in cves {
        let _ = write!(
            out,
            r#"<tr id="{1}"><td><a href="https://msrc.microsoft.com/update-guide/vulnerability/{0}" rel="noreferrer">{0}</a>"#,
            esc(&c.cve),
            cve_anchor(&c.cve)
        );
        flags(out, c);
        let _ = write!(
            out,
            r#"</td><td class="wrap">{}</td><td class="sev-{}">{}</td>"#,
            esc(&c.title),
            esc(&c.severity.to_ascii_lowercase()),
            esc(&c.severity)
        );
        if with_hosts {
            let _ = write!(out, r#"<td class="num">{}</td>"#, c.hosts);
        }
        out.push_str("</tr>");
    }
}

fn missing_rows(out: &mut String, missing: &[&FleetMissing], with_hosts: bool) {
    for m in missing {
        let kb = m.kb.to_string();
        let _ = write!(
            out,
            r#"<tr id="{}"><td>{}</td><td>{}</td><td class="wrap">{}</td>"#,
            kb_anchor(&kb),
            esc(&kb),
            esc(&m.kind),
            opt(&m.title)
        );
        if with_hosts {
            let _ = write!(out, r#"<td class="num">{}</td>"#, m.hosts);
        }
        out.push_str("</tr>");
    }
}

fn cve_table(out: &mut String, id: &str, cves: &[&FleetCve]) {
    let _ = write!(
        out,
        r#"<div class="tablewrap"><table id="{id}" class="sortable"><thead><tr><th>CVE</th><th>Title</th><th>Severity</th><th class="num">Hosts</th></tr></thead><tbody>"#
    );
    cve_rows(out, cves, true);
    out.push_str("</tbody></table></div>");
}

fn missing_table(out: &mut String, id: &str, missing: &[&FleetMissing]) {
    let _ = write!(
        out,
        r#"<div class="tablewrap"><table id="{id}" class="sortable"><thead><tr><th>Update</th><th>Kind</th><th>Title</th><th class="num">Hosts</th></tr></thead><tbody>"#
    );
    missing_rows(out, missing, true);
    out.push_str("</tbody></table></div>");
}

fn top_tables(out: &mut String, r: &FleetReport) {
    out.push_str(r#"<h2 id="top-cves-h">Top open CVEs by hosts</h2><p class="note"><span class="flag kev">KEV</span> in CISA's Known Exploited Vulnerabilities catalog, <span class="flag ransomware">ransomware</span> known ransomware campaign use (KEV), <span class="flag exploit">exploit</span> a public exploit is listed.</p>"#);
    if r.top_cves.is_empty() {
        out.push_str(r#"<p class="note">No open CVE on any assessed host.</p>"#);
    } else {
        cve_table(out, "top-cves", &r.top_cves.iter().collect::<Vec<_>>());
    }
    out.push_str(r#"<h2 id="top-missing-h">Top missing updates by hosts</h2>"#);
    if r.top_missing.is_empty() {
        out.push_str(r#"<p class="note">No update missing on any assessed host.</p>"#);
    } else {
        missing_table(out, "top-missing", &r.top_missing.iter().collect::<Vec<_>>());
    }
    // The CVEs and updates the host details name beyond the top tables:
    // described here once, each detail links to its row.
    let in_top: HashSet<&str> = r.top_cves.iter().map(|c| c.cve.as_str()).collect();
    let mut more_cves: BTreeMap<&str, &FleetCve> = BTreeMap::new();
    let top_kbs: HashSet<w2k8_core::Kb> = r.top_missing.iter().map(|m| m.kb).collect();
    let mut more_kbs: BTreeMap<w2k8_core::Kb, &FleetMissing> = BTreeMap::new();
    for d in &r.details {
        for c in d.exposure.iter().filter(|c| !in_top.contains(c.cve.as_str())) {
            more_cves.entry(c.cve.as_str()).or_insert(c);
        }
        for m in d.missing.iter().filter(|m| !top_kbs.contains(&m.kb)) {
            more_kbs.entry(m.kb).or_insert(m);
        }
    }
    if !more_cves.is_empty() {
        out.push_str(r#"<h2 id="more-cves-h">Other CVEs named in the host details</h2>"#);
        cve_table(out, "more-cves", &more_cves.into_values().collect::<Vec<_>>());
    }
    if !more_kbs.is_empty() {
        out.push_str(r#"<h2 id="more-missing-h">Other updates named in the host details</h2>"#);
        missing_table(out, "more-missing", &more_kbs.into_values().collect::<Vec<_>>());
    }
}

/// One CVE of a host's detail: its id, with the KEV / ransomware / exploit
/// marks and the severity as classes (the legend above the details says
/// what they mean). The script makes it a link to the CVE's row (`cve-ID`)
/// when its detail opens: 15,000 of them stay small as plain elements.
fn detail_cve(out: &mut String, c: &FleetCve) {
    let mut class = String::new();
    for (on, k) in
        [(c.kev, "k"), (c.ransomware, "r"), (c.exploit, "x"), (c.severity.eq_ignore_ascii_case("critical"), "c")]
    {
        if on {
            if !class.is_empty() {
                class.push(' ');
            }
            class.push_str(k);
        }
    }
    let cve = esc(&c.cve);
    if class.is_empty() {
        let _ = write!(out, "<i>{cve}</i> ");
    } else {
        let _ = write!(out, r#"<i class="{class}">{cve}</i> "#);
    }
}

fn detail(out: &mut String, d: &HostDetail) {
    let h = &d.host;
    let _ = write!(
        out,
        "<details id=\"host-{}\"><summary>{} · build {} · patched through {} · {}</summary>",
        h.host_id,
        esc(&h.name),
        num(h.build),
        month(h),
        summary_counts(h)
    );
    let server_core = h.server_core.map(|c| if c { "Server Core" } else { "full installation" });
    let facts: [(&str, Option<String>); 5] = [
        ("", h.product.as_deref().map(esc)),
        ("", h.edition.as_deref().map(esc)),
        ("", server_core.map(str::to_string)),
        ("kernel ", h.kernel.as_deref().map(esc)),
        ("product ID ", h.product_id.as_deref().map(esc)),
    ];
    let facts: Vec<String> = facts.into_iter().filter_map(|(k, v)| v.map(|v| format!("{k}{v}"))).collect();
    let _ = write!(out, r#"<p class="facts">{}</p>"#, facts.join(" · "));
    if h.status != ScanStatus::Ok {
        let _ = write!(
            out,
            r#"<p class="note na">Not assessed ({}{}): what is missing and what is open on this host is unknown.</p>"#,
            esc(h.status.as_str()),
            h.error.as_deref().map(|e| format!(": {}", esc(e))).unwrap_or_default()
        );
        out.push_str("</details>");
        return;
    }
    if h.counts_are_lower_bound == Some(true) {
        let _ = write!(
            out,
            r#"<p class="note lb">The evidence is partial: the counts are lower bounds{}.</p>"#,
            match h.unknown_cves {
                Some(n) if n > 0 => format!(", and {n} CVE(s) could not be judged"),
                _ => String::new(),
            }
        );
    }
    if d.missing.is_empty() {
        out.push_str(r#"<p class="note">No update missing.</p>"#);
    } else {
        let _ = write!(out, r#"<p class="missing"><b>Missing ({}, in install order):</b> "#, d.missing.len());
        for m in &d.missing {
            let kb = esc(&m.kb.to_string());
            let _ = write!(out, "<i>{kb}</i> {} ", esc(&m.kind));
        }
        out.push_str("</p>");
    }
    if d.exposure.is_empty() {
        out.push_str(r#"<p class="note">No open CVE.</p>"#);
    } else {
        // The store lists the riskiest few (`report --detail-cves`); the host row has the count of all.
        let shown = d.exposure.len();
        let total = h.open_cves.map_or(shown, |n| usize::try_from(n).unwrap_or(usize::MAX)).max(shown);
        let _ = write!(out, r#"<p class="cves"><b>Riskiest open CVEs ({shown} of {total}):</b> "#);
        for c in &d.exposure {
            detail_cve(out, c);
        }
        out.push_str("</p>");
    }
    out.push_str("</details>");
}

/// `N missing, N open CVE(s), N KEV` of a host's summary line, or why there
/// are no counts.
fn summary_counts(h: &HostRow) -> String {
    if h.status != ScanStatus::Ok {
        return format!("not assessed ({})", esc(h.status.as_str()));
    }
    let lb = h.counts_are_lower_bound;
    format!("{} missing, {} open CVE(s), {} KEV", count(h.missing, lb), count(h.open_cves, lb), count(h.kev_open, lb))
}

/// Renders the fleet report as one self-contained HTML document.
pub fn html(r: &FleetReport) -> String {
    let mut out = String::with_capacity(16 * 1024 + r.hosts.len() * 300 + r.details.len() * 800);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
    out.push_str(r#"<meta name="viewport" content="width=device-width, initial-scale=1">"#);
    out.push_str(r#"<meta name="generator" content="w2k8">"#);
    let _ = write!(out, "<title>w2k8 fleet report: {} host(s), {}</title>", r.totals.hosts, esc(&r.generated_at));
    let _ = write!(out, "<style>\n{PALETTE_CSS}{CSS}{}</style></head>\n<body>", host_columns_css());
    let _ = write!(
        out,
        r#"<header><h1>Windows Server 2008 fleet</h1><p class="meta">Generated <time id="generated-at">{}</time> &middot; catalog {}</p>"#,
        esc(&r.generated_at),
        esc(&r.catalog)
    );
    for w in &r.catalog_warnings {
        let _ = write!(out, r#"<p class="note lb catalog-warning">Stale data: {}</p>"#, esc(w));
    }
    headline(&mut out, r);
    totals(&mut out, r);
    out.push_str("</header>\n<main>");
    charts(&mut out, r);
    host_table(&mut out, r);
    top_tables(&mut out, r);
    let _ = write!(out, r#"<h2 id="details-h">Host detail ({})</h2><section id="details">"#, r.details.len());
    if r.details.is_empty() {
        out.push_str(r#"<p class="note">No assessed host.</p>"#);
    } else {
        out.push_str(r#"<p class="note legend">A detail lists the riskiest open CVEs (<code>w2k8 report --detail-cves N</code>; <code>w2k8 assess</code> on the host's bundle lists them all), each CVE and update a link to its row above (title, severity, hosts). Marks: <span class="k"></span> in CISA KEV, <span class="k r"></span> also used by ransomware, <span class="x"></span> a public exploit is listed; <span class="c">CVE-ids in this colour</span> are critical.</p>"#);
    }
    let mut details: Vec<&HostDetail> = r.details.iter().collect();
    details.sort_by(|a, b| w2k8_fleet::risk_order(&a.host, &b.host));
    for d in details {
        detail(&mut out, d);
    }
    out.push_str("</section></main>\n");
    out.push_str(r#"<footer>Made by w2k8 offline from the hosts' own outputs. KEV: CISA's Known Exploited Vulnerabilities catalog. This file needs no network.</footer>"#);
    let _ = write!(out, "\n<script>\n{JS}</script>\n</body></html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::short_time;

    #[test]
    fn times_are_shortened() {
        assert_eq!(short_time("2026-11-25T08:00:02Z"), "2026-11-25 08:00");
        assert_eq!(short_time("yesterday"), "yesterday");
        assert_eq!(short_time("2026-11-25Té"), "2026-11-25Té");
    }
}
