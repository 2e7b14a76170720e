//! `w2k8 hosts`: the fleet's host rows as aligned text or CSV.
use super::{count_cell, count_text, month_text};
use crate::tabular::{table, Csv};
use w2k8_fleet::HostRow;

/// The columns of `hosts` as text. A count is `-` for a host that was not
/// assessed and `>=N` when it is a lower bound (partial evidence); the
/// month is `>=YYYY-MM` when only a bound is known.
pub const COLUMNS: [&str; 13] = [
    "host",
    "status",
    "build",
    "arch",
    "install",
    "edition",
    "patched_through",
    "missing",
    "open_cves",
    "kev",
    "ransomware",
    "last_scan",
    "error",
];

/// The columns of `hosts --format csv`: those of the text, then what the
/// text folds into its cells (a count cell is empty when the host was not
/// assessed).
pub const CSV_COLUMNS: [&str; 17] = [
    "host",
    "status",
    "build",
    "arch",
    "install",
    "edition",
    "patched_through",
    "missing",
    "open_cves",
    "kev",
    "ransomware",
    "last_scan",
    "error",
    "patched_through_at_least",
    "unknown_cves",
    "unknown_kev",
    "counts_are_lower_bound",
];

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(ToString::to_string).unwrap_or_default()
}

fn install(h: &HostRow) -> String {
    match h.server_core {
        Some(true) => "core".into(),
        Some(false) => "full".into(),
        None => String::new(),
    }
}

fn cells(h: &HostRow) -> Vec<String> {
    let lb = h.counts_are_lower_bound;
    vec![
        h.name.clone(),
        h.status.as_str().to_string(),
        opt(&h.build),
        h.arch.map(|a| a.as_str().to_string()).unwrap_or_default(),
        install(h),
        opt(&h.edition),
        month_text(h),
        count_text(h.missing, lb),
        count_text(h.open_cves, lb),
        count_text(h.kev_open, lb),
        count_text(h.ransomware_open, lb),
        h.last_scan.clone(),
        opt(&h.error),
    ]
}

fn csv_cells(h: &HostRow) -> Vec<String> {
    vec![
        h.name.clone(),
        h.status.as_str().to_string(),
        opt(&h.build),
        h.arch.map(|a| a.as_str().to_string()).unwrap_or_default(),
        install(h),
        opt(&h.edition),
        opt(&h.patched_through),
        count_cell(h.missing),
        count_cell(h.open_cves),
        count_cell(h.kev_open),
        count_cell(h.ransomware_open),
        h.last_scan.clone(),
        opt(&h.error),
        opt(&h.patched_through_at_least),
        count_cell(h.unknown_cves),
        count_cell(h.unknown_kev),
        opt(&h.counts_are_lower_bound),
    ]
}

/// Aligned columns and a count line.
pub fn text(rows: &[HostRow]) -> String {
    let body: Vec<Vec<String>> = rows.iter().map(cells).collect();
    let mut t = table(&COLUMNS, &body);
    t.push_str(&format!("{} hosts\n", rows.len()));
    t
}

/// One CSV row per host (every cell defused against spreadsheet formulas).
pub fn csv(rows: &[HostRow]) -> String {
    let mut out = Csv::new(&CSV_COLUMNS);
    for r in rows {
        out.row(&csv_cells(r));
    }
    out.finish()
}
