//! `w2k8 report --format html`: the fleet as one self-contained HTML file.
//!
//! No CDN and no fetch: the CSS and the small sorting script
//! (`assets/fleet.css`, `assets/fleet.js`) are inlined, the charts are SVG
//! drawn by [`super::svg`]. The file reads the same without script (the host
//! table is then in the store's order, the details open by hand) and prints
//! on paper (print CSS opens every detail). Every value from host inputs or
//! the catalog goes through [`esc`].
use super::{esc, svg};
use std::fmt::Write as _;
use w2k8_fleet::{FleetCve, FleetMissing, FleetReport, HostDetail, HostRow, ScanStatus};

const CSS: &str = include_str!("../../assets/fleet.css");
const JS: &str = include_str!("../../assets/fleet.js");

fn build_class(label: &str) -> &'static str {
    match label {
        "6003" | "7601" => "ok",
        "6002" => "warn",
        "6001" | "7600" => "bad",
        _ => "grey",
    }
}

fn kev_class(label: &str) -> &'static str {
    let l = label.to_ascii_lowercase();
    if l.contains("unknown") {
        "grey"
    } else if l.contains("ransomware") {
        "bad"
    } else if l.starts_with("no") {
        "ok"
    } else if l.contains("kev") {
        "warn"
    } else {
        "grey"
    }
}

fn month_class(_: &str) -> &'static str {
    ""
}

/// A host count cell: "not assessed" (never 0) for a host that was not
/// assessed, `≥N` (with a title saying why) for a lower bound.
fn count(v: Option<u32>, lower_bound: Option<bool>) -> String {
    match (v, lower_bound) {
        (None, _) => r#"<span class="na" title="not assessed: the count is unknown">n/a</span>"#.to_string(),
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
    let cards: [(&str, &str, u32, &str); 9] = [
        ("hosts", "hosts", t.hosts, ""),
        ("ok", "assessed (latest scan ok)", t.ok, "ok"),
        ("failed", "latest scan failed (not assessed)", t.failed, warn(t.failed)),
        ("unsupported", "not Windows Server 2008 (not assessed)", t.unsupported, ""),
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

fn host_row(out: &mut String, h: &HostRow, has_detail: bool) {
    let name =
        if has_detail { format!(r##"<a href="#host-{}">{}</a>"##, h.host_id, esc(&h.name)) } else { esc(&h.name) };
    let status = match h.status {
        ScanStatus::Ok => "ok".to_string(),
        s => format!(
            r#"<span class="status-{0}" title="{1}">{0}</span>"#,
            s.as_str(),
            esc(h.error.as_deref().unwrap_or(""))
        ),
    };
    let kev_class = if h.kev_open.is_some_and(|n| n > 0) { r#" class="num kevcount""# } else { r#" class="num""# };
    let lb = h.counts_are_lower_bound;
    let _ = write!(
        out,
        r#"<tr data-host-id="{}"><td class="name" data-sort="{}">{name}</td><td>{}</td><td class="num">{}</td><td>{}</td><td>{}</td><td class="num">{}</td><td class="num">{}</td><td{kev_class}>{}</td><td class="num">{}</td><td>{status}</td><td data-sort="{}">{}</td></tr>"#,
        h.host_id,
        esc(&h.name),
        opt(&h.product),
        num(h.build),
        h.arch.map(|a| a.as_str()).unwrap_or("&ndash;"),
        month(h),
        count(h.missing, lb),
        count(h.open_cves, lb),
        count(h.kev_open, lb),
        count(h.ransomware_open, lb),
        esc(&h.last_scan),
        esc(&short_time(&h.last_scan))
    );
}

fn host_table(out: &mut String, r: &FleetReport) {
    let _ = write!(out, r#"<h2 id="hosts-h">Hosts ({})</h2>"#, r.hosts.len());
    out.push_str(
        r#"<p class="note sorthint">Click a column header to sort. A host name links to its detail below.</p>"#,
    );
    out.push_str(r#"<div class="tablewrap"><table id="host-table" class="sortable"><thead><tr><th>Host</th><th>Product</th><th class="num">Build</th><th>Arch</th><th>Patched through</th><th class="num">Missing</th><th class="num">Open CVEs</th><th class="num">KEV</th><th class="num">Ransomware</th><th>Status</th><th>Last scan (UTC)</th></tr></thead><tbody>"#);
    let with_detail: std::collections::HashSet<i64> = r.details.iter().map(|d| d.host.host_id).collect();
    for h in &r.hosts {
        host_row(out, h, with_detail.contains(&h.host_id));
    }
    if r.hosts.is_empty() {
        out.push_str(
            r#"<tr class="empty"><td colspan="11">No hosts in the store yet: run <code>w2k8 scan</code>.</td></tr>"#,
        );
    }
    out.push_str("</tbody></table></div>");
}

fn cve_rows(out: &mut String, cves: &[FleetCve], with_hosts: bool) {
    for c in cves {
        let _ = write!(
            out,
            r#"<tr><td><a href="https://msrc.microsoft.com/update-guide/vulnerability/{0}" rel="noreferrer">{0}</a>"#,
            esc(&c.cve)
        );
        flags(out, c);
        let _ = write!(out, r#"</td><td class="wrap">{}</td><td>{}</td>"#, esc(&c.title), esc(&c.severity));
        if with_hosts {
            let _ = write!(out, r#"<td class="num">{}</td>"#, c.hosts);
        }
        out.push_str("</tr>");
    }
}

fn missing_rows(out: &mut String, missing: &[FleetMissing], with_hosts: bool) {
    for m in missing {
        let _ = write!(
            out,
            r#"<tr><td>{}</td><td>{}</td><td class="wrap">{}</td>"#,
            esc(&m.kb.to_string()),
            esc(&m.kind),
            opt(&m.title)
        );
        if with_hosts {
            let _ = write!(out, r#"<td class="num">{}</td>"#, m.hosts);
        }
        out.push_str("</tr>");
    }
}

fn top_tables(out: &mut String, r: &FleetReport) {
    out.push_str(r#"<h2 id="top-cves-h">Top open CVEs by hosts</h2><p class="note"><span class="flag kev">KEV</span> in CISA's Known Exploited Vulnerabilities catalog, <span class="flag ransomware">ransomware</span> known ransomware campaign use (KEV), <span class="flag exploit">exploit</span> a public exploit is listed.</p>"#);
    if r.top_cves.is_empty() {
        out.push_str(r#"<p class="note">No open CVE on any assessed host.</p>"#);
    } else {
        out.push_str(r#"<div class="tablewrap"><table id="top-cves" class="sortable"><thead><tr><th>CVE</th><th>Title</th><th>Severity</th><th class="num">Hosts</th></tr></thead><tbody>"#);
        cve_rows(out, &r.top_cves, true);
        out.push_str("</tbody></table></div>");
    }
    out.push_str(r#"<h2 id="top-missing-h">Top missing updates by hosts</h2>"#);
    if r.top_missing.is_empty() {
        out.push_str(r#"<p class="note">No update missing on any assessed host.</p>"#);
    } else {
        out.push_str(r#"<div class="tablewrap"><table id="top-missing" class="sortable"><thead><tr><th>Update</th><th>Kind</th><th>Title</th><th class="num">Hosts</th></tr></thead><tbody>"#);
        missing_rows(out, &r.top_missing, true);
        out.push_str("</tbody></table></div>");
    }
}

fn detail(out: &mut String, d: &HostDetail) {
    let h = &d.host;
    let _ = write!(
        out,
        r#"<details id="host-{}" class="host"><summary>{} &middot; build {} &middot; patched through {} &middot; {}</summary>"#,
        h.host_id,
        esc(&h.name),
        num(h.build),
        month(h),
        summary_counts(h)
    );
    out.push_str(r#"<dl class="facts">"#);
    let server_core = h.server_core.map(|c| if c { "Server Core" } else { "full installation" });
    let facts: [(&str, String); 8] = [
        ("Product", opt(&h.product)),
        ("Edition", opt(&h.edition)),
        ("Installation", server_core.unwrap_or("&ndash;").to_string()),
        ("Kernel", opt(&h.kernel)),
        ("Product ID", opt(&h.product_id)),
        ("Last scan", esc(&h.last_scan)),
        ("Status", esc(h.status.as_str())),
        ("Error", opt(&h.error)),
    ];
    for (k, v) in facts {
        let _ = write!(out, "<dt>{k}</dt><dd>{v}</dd>");
    }
    out.push_str("</dl>");
    if h.status != ScanStatus::Ok {
        let _ = write!(
            out,
            r#"<p class="note na">Not assessed ({}): what is missing and what is open on this host is unknown.</p>"#,
            esc(h.status.as_str())
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
        let _ = write!(out, "<h3>Missing updates ({}), in install order</h3>", d.missing.len());
        out.push_str(r#"<div class="tablewrap"><table class="missing"><thead><tr><th>Update</th><th>Kind</th><th>Title</th></tr></thead><tbody>"#);
        missing_rows(out, &d.missing, false);
        out.push_str("</tbody></table></div>");
    }
    if d.exposure.is_empty() {
        out.push_str(r#"<p class="note">No open CVE.</p>"#);
    } else {
        // The store lists the riskiest few (`report --detail-cves`); the host row has the count of all.
        let shown = d.exposure.len();
        let total = h.open_cves.map_or(shown, |n| usize::try_from(n).unwrap_or(usize::MAX)).max(shown);
        let _ = write!(out, "<h3>Riskiest open CVEs ({shown} of {total})</h3>");
        out.push_str(r#"<div class="tablewrap"><table class="exposure"><thead><tr><th>CVE</th><th>Title</th><th>Severity</th></tr></thead><tbody>"#);
        cve_rows(out, &d.exposure, false);
        out.push_str("</tbody></table></div>");
        if total > shown {
            let _ = write!(
                out,
                r#"<p class="note">and {} more: <code>w2k8 assess</code> on this host's bundle lists them all.</p>"#,
                total - shown
            );
        }
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
    let mut out = String::with_capacity(16 * 1024 + r.hosts.len() * 400 + r.details.len() * 1500);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
    out.push_str(r#"<meta name="viewport" content="width=device-width, initial-scale=1">"#);
    out.push_str(r#"<meta name="generator" content="w2k8">"#);
    let _ = write!(out, "<title>w2k8 fleet report: {} host(s), {}</title>", r.totals.hosts, esc(&r.generated_at));
    let _ = write!(out, "<style>\n{CSS}</style></head>\n<body>");
    let _ = write!(
        out,
        r#"<header><h1>Windows Server 2008 fleet</h1><p class="meta">Generated <time id="generated-at">{}</time> &middot; catalog {}</p>"#,
        esc(&r.generated_at),
        esc(&r.catalog)
    );
    for w in &r.catalog_warnings {
        let _ = write!(out, r#"<p class="note lb catalog-warning">Stale data: {}</p>"#, esc(w));
    }
    totals(&mut out, r);
    out.push_str("</header>\n<main>");
    charts(&mut out, r);
    host_table(&mut out, r);
    top_tables(&mut out, r);
    let _ = write!(out, r#"<h2 id="details-h">Host detail ({})</h2><section id="details">"#, r.details.len());
    if r.details.is_empty() {
        out.push_str(r#"<p class="note">No assessed host.</p>"#);
    }
    for d in &r.details {
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
