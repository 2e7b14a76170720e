//! `w2k8 report --format csv`: the host table, one row per host (latest
//! scan), RFC 4180 quoting, CRLF line ends, a header row. A text cell that
//! starts with `=`, `+`, `-`, `@`, tab or CR gets a leading `'` so that a
//! spreadsheet does not run a host name as a formula.
use crate::tabular::Csv;
use w2k8_fleet::{FleetReport, HostRow};

/// The header row's columns.
pub const COLUMNS: [&str; 17] = [
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
];

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(ToString::to_string).unwrap_or_default()
}

fn cells(h: &HostRow) -> [String; 17] {
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
        h.missing.to_string(),
        h.open_cves.to_string(),
        h.kev_open.to_string(),
        h.ransomware_open.to_string(),
        h.last_scan.clone(),
        h.status.as_str().to_string(),
        opt(&h.error),
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
