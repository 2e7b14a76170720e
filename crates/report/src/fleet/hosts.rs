//! `w2k8 hosts`: the fleet's host rows as aligned text or CSV.
use crate::tabular::{table, Csv};
use w2k8_fleet::HostRow;

/// The columns of `hosts` (text and CSV).
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

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(ToString::to_string).unwrap_or_default()
}

fn cells(h: &HostRow) -> Vec<String> {
    vec![
        h.name.clone(),
        h.status.as_str().to_string(),
        opt(&h.build),
        h.arch.map(|a| a.as_str().to_string()).unwrap_or_default(),
        match h.server_core {
            Some(true) => "core".into(),
            Some(false) => "full".into(),
            None => String::new(),
        },
        opt(&h.edition),
        opt(&h.patched_through),
        h.missing.to_string(),
        h.open_cves.to_string(),
        h.kev_open.to_string(),
        h.ransomware_open.to_string(),
        h.last_scan.clone(),
        opt(&h.error),
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
    let mut out = Csv::new(&COLUMNS);
    for r in rows {
        out.row(&cells(r));
    }
    out.finish()
}
