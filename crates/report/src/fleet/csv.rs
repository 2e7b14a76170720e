//! `w2k8 report --format csv`: the host table, one row per host (latest
//! scan), RFC 4180 quoting, CRLF line ends, a header row. A text cell that
//! starts with `=`, `+`, `-`, `@`, tab or CR gets a leading `'` so that a
//! spreadsheet does not run a host name as a formula. The count cells of a
//! host that was not assessed (failed or unsupported scan) are empty, never
//! 0; `counts_are_lower_bound` says when an assessed host's counts are
//! lower bounds (partial evidence). `reachable_kev` (open KEV CVEs
//! reachable on the host) is empty when unknown, never 0 for a host whose
//! bundle cannot tell; `accepted_cves` and `accepted_missing` count the
//! findings live accepted risks cover (still counted in the other columns).
use super::{accepted_cells, count_cell, opt};
use crate::tabular::Csv;
use w2k8_fleet::{FleetReport, HostRow};

/// The header row's columns.
pub const COLUMNS: [&str; 24] = [
    "host_id",
    "name",
    "product_id",
    "product",
    "edition",
    "arch",
    "server_core",
    "build",
    "kernel",
    "patched_through",
    "missing",
    "open_cves",
    "kev_open",
    "ransomware_open",
    "last_scan",
    "status",
    "error",
    "patched_through_at_least",
    "unknown_cves",
    "unknown_kev",
    "counts_are_lower_bound",
    "reachable_kev",
    "accepted_cves",
    "accepted_missing",
];

fn cells(h: &HostRow) -> [String; 24] {
    let [accepted_cves, accepted_missing] = accepted_cells(h);
    [
        h.host_id.to_string(),
        h.name.clone(),
        opt(&h.product_id),
        opt(&h.product),
        opt(&h.edition),
        h.arch.map(|a| a.as_str().to_string()).unwrap_or_default(),
        opt(&h.server_core),
        opt(&h.build),
        opt(&h.kernel),
        opt(&h.patched_through),
        count_cell(h.missing),
        count_cell(h.open_cves),
        count_cell(h.kev_open),
        count_cell(h.ransomware_open),
        h.last_scan.to_string(),
        h.status.as_str().to_string(),
        opt(&h.error),
        opt(&h.patched_through_at_least),
        count_cell(h.unknown_cves),
        count_cell(h.unknown_kev),
        opt(&h.counts_are_lower_bound),
        count_cell(h.reachable_kev),
        accepted_cves,
        accepted_missing,
    ]
}

/// Renders the fleet's host table as CSV.
pub fn csv(report: &FleetReport) -> String {
    let mut out = Csv::new(&COLUMNS);
    for h in &report.hosts {
        out.row(&cells(h));
    }
    out.finish()
}
