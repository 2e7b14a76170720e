//! `GET /metrics`: the fleet in Prometheus' text exposition format (version
//! 0.0.4, <https://prometheus.io/docs/instrumenting/exposition_formats/>), for
//! monitoring: hosts by the status of their latest scan and by OS family,
//! hosts with open CISA KEV CVEs (and whether they are reachable), and the
//! age of the catalog's data.
//!
//! Counts follow the fleet's truth rules: a host whose latest scan was not
//! assessed counts in no exposure gauge (never as "0 open"), and hosts whose
//! KEV exposure the evidence cannot tell have a gauge of their own.
use super::fleet::all_hosts;
use super::ApiError;
use crate::state::Shared;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::fmt::Write as _;
use w2k8_fleet::{HostRow, ScanStatus};

/// The content type of the text format.
const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// One gauge: its help line and (labels, value) samples.
fn gauge(out: &mut String, name: &str, help: &str, samples: &[(&str, u64)]) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} gauge");
    for (labels, v) in samples {
        if labels.is_empty() {
            let _ = writeln!(out, "{name} {v}");
        } else {
            let _ = writeln!(out, "{name}{{{labels}}} {v}");
        }
    }
}

/// The OS family a row's product names (`ws2008_r2` for 2008 R2, else `ws2008`).
fn os_family(h: &HostRow) -> &'static str {
    match h.product.as_deref() {
        Some(p) if p.starts_with("Windows Server 2008 R2") => "ws2008_r2",
        _ => "ws2008",
    }
}

/// The metrics text for `hosts`, with the catalog's data ages in days.
pub fn render(hosts: &[HostRow], kev_age_days: i64, msrc_age_days: i64) -> String {
    let mut out = String::new();
    status_gauges(&mut out, hosts);
    exposure_gauges(&mut out, hosts);
    reachability_gauges(&mut out, hosts);
    open_kev_gauge(&mut out, hosts);
    catalog_age_gauge(&mut out, kev_age_days, msrc_age_days);
    out
}

/// How many of `hosts` satisfy `f`.
fn count(hosts: &[HostRow], f: impl Fn(&HostRow) -> bool) -> u64 {
    hosts.iter().filter(|h| f(h)).count() as u64
}

/// Whether the host's latest scan was assessed (status ok).
fn ok(h: &HostRow) -> bool {
    h.status == ScanStatus::Ok
}

/// Hosts by the status of their latest scan, and assessed hosts by OS family.
fn status_gauges(out: &mut String, hosts: &[HostRow]) {
    gauge(
        out,
        "w2k8_hosts",
        "Hosts in the fleet database, by the status of their latest scan.",
        &[
            ("status=\"ok\"", count(hosts, ok)),
            ("status=\"failed\"", count(hosts, |h| h.status == ScanStatus::Failed)),
            ("status=\"unsupported\"", count(hosts, |h| h.status == ScanStatus::Unsupported)),
        ],
    );
    gauge(
        out,
        "w2k8_hosts_assessed",
        "Assessed hosts (latest scan ok), by OS family.",
        &[
            ("os=\"ws2008\"", count(hosts, |h| ok(h) && os_family(h) == "ws2008")),
            ("os=\"ws2008_r2\"", count(hosts, |h| ok(h) && os_family(h) == "ws2008_r2")),
        ],
    );
}

/// Assessed hosts exposed to KEV (and ransomware) CVEs, those the evidence
/// cannot judge, and those read from partial evidence.
fn exposure_gauges(out: &mut String, hosts: &[HostRow]) {
    gauge(
        out,
        "w2k8_hosts_kev_exposed",
        "Assessed hosts with at least one open CVE in CISA's KEV catalog.",
        &[("", count(hosts, |h| ok(h) && h.kev_open.is_some_and(|n| n > 0)))],
    );
    gauge(
        out,
        "w2k8_hosts_ransomware_exposed",
        "Assessed hosts with an open KEV CVE known to be used in ransomware campaigns.",
        &[("", count(hosts, |h| ok(h) && h.ransomware_open.is_some_and(|n| n > 0)))],
    );
    gauge(
        out,
        "w2k8_hosts_kev_unknown",
        "Assessed hosts with no open KEV CVE shown but a KEV CVE the evidence cannot judge (not KEV-free).",
        &[("", count(hosts, |h| ok(h) && h.kev_open == Some(0) && h.unknown_kev.is_some_and(|n| n > 0)))],
    );
    gauge(
        out,
        "w2k8_hosts_partial",
        "Assessed hosts read from partial evidence: their counts are lower bounds.",
        &[("", count(hosts, |h| ok(h) && h.counts_are_lower_bound == Some(true)))],
    );
}

/// Assessed hosts with an open KEV CVE reachable, and with its reachability unknown.
fn reachability_gauges(out: &mut String, hosts: &[HostRow]) {
    gauge(
        out,
        "w2k8_hosts_kev_reachable",
        "Assessed hosts with an open KEV CVE reachable on the host (its configuration files show the service on and not mitigated).",
        &[("", count(hosts, |h| ok(h) && h.reachable_kev.is_some_and(|n| n > 0)))],
    );
    gauge(
        out,
        "w2k8_hosts_kev_reachability_unknown",
        "Assessed hosts with an open KEV CVE whose reachability the bundle cannot tell (no configuration files): not unreachable.",
        &[("", count(hosts, |h| ok(h) && h.kev_open.is_some_and(|n| n > 0) && h.reachable_kev.is_none()))],
    );
}

/// Open KEV CVEs summed over assessed hosts.
fn open_kev_gauge(out: &mut String, hosts: &[HostRow]) {
    let kev_open: u64 = hosts.iter().filter(|h| ok(h)).filter_map(|h| h.kev_open).map(u64::from).sum();
    gauge(
        out,
        "w2k8_open_kev_cves",
        "Open KEV CVEs summed over assessed hosts (a lower bound when any host's evidence is partial).",
        &[("", kev_open)],
    );
}

/// The catalog's data ages in days, by source (negative ages count as 0).
fn catalog_age_gauge(out: &mut String, kev_age_days: i64, msrc_age_days: i64) {
    let age = |d: i64| u64::try_from(d.max(0)).unwrap_or(0);
    gauge(
        out,
        "w2k8_catalog_age_days",
        "Days since the catalog's data was published, by source (CISA KEV, MSRC).",
        &[("source=\"kev\"", age(kev_age_days)), ("source=\"msrc\"", age(msrc_age_days))],
    );
}

/// `GET /metrics`.
pub async fn metrics(State(state): State<Shared>) -> Result<Response, ApiError> {
    let hosts = all_hosts(&state).await?;
    let f = state.catalog.freshness(w2k8_core::Date::today_utc());
    let mut res = (StatusCode::OK, render(&hosts, f.kev_age_days, f.msrc_age_days)).into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, product: &str, status: ScanStatus, kev: Option<u32>, ransom: Option<u32>) -> HostRow {
        HostRow {
            host_id: 0,
            name: name.to_string(),
            product_id: None,
            product: Some(product.to_string()),
            edition: None,
            arch: None,
            server_core: None,
            build: None,
            kernel: None,
            patched_through: None,
            patched_through_at_least: None,
            missing: kev,
            open_cves: kev,
            kev_open: kev,
            ransomware_open: ransom,
            unknown_cves: kev.map(|_| 0),
            unknown_kev: kev.map(|_| 0),
            counts_are_lower_bound: kev.map(|_| false),
            reachable_kev: None,
            critical_open: kev.map(|_| 0),
            accepted: None,
            last_scan: "2026-12-01T00:00:00Z".parse().unwrap(),
            status,
            error: None,
            file_problems: Vec::new(),
        }
    }

    #[test]
    fn reachable_kev_gauges_never_count_unknown_as_unreachable() {
        let with = |name: &str, kev: u32, reach: Option<u32>| HostRow {
            reachable_kev: reach,
            ..row(name, "Windows Server 2008 SP2", ScanStatus::Ok, Some(kev), Some(0))
        };
        let hosts = vec![
            with("a", 2, Some(1)),
            with("b", 3, Some(0)),
            with("c", 1, None),
            with("d", 0, None),
            HostRow { reachable_kev: None, ..row("e", "", ScanStatus::Failed, None, None) },
        ];
        let text = render(&hosts, 0, 0);
        for line in ["w2k8_hosts_kev_reachable 1", "w2k8_hosts_kev_reachability_unknown 1"] {
            assert!(text.lines().any(|l| l == line), "missing {line:?} in\n{text}");
        }
    }

    #[test]
    fn gauges_count_assessed_hosts_only() {
        let hosts = vec![
            row("a", "Windows Server 2008 SP2", ScanStatus::Ok, Some(3), Some(1)),
            row("b", "Windows Server 2008 R2 SP1", ScanStatus::Ok, Some(0), Some(0)),
            row("c", "Windows Server 2008 R2 SP1", ScanStatus::Ok, Some(2), Some(0)),
            // Not assessed: null counts, in no exposure gauge.
            row("d", "", ScanStatus::Failed, None, None),
            row("e", "Windows Server 2012 R2", ScanStatus::Unsupported, None, None),
        ];
        let text = render(&hosts, 468, 161);
        for line in [
            "w2k8_hosts{status=\"ok\"} 3",
            "w2k8_hosts{status=\"failed\"} 1",
            "w2k8_hosts{status=\"unsupported\"} 1",
            "w2k8_hosts_assessed{os=\"ws2008\"} 1",
            "w2k8_hosts_assessed{os=\"ws2008_r2\"} 2",
            "w2k8_hosts_kev_exposed 2",
            "w2k8_hosts_ransomware_exposed 1",
            "w2k8_open_kev_cves 5",
            "w2k8_catalog_age_days{source=\"kev\"} 468",
            "w2k8_catalog_age_days{source=\"msrc\"} 161",
            "# TYPE w2k8_hosts gauge",
        ] {
            assert!(text.lines().any(|l| l == line), "missing {line:?} in\n{text}");
        }
    }
}
