//! `w2k8 hosts`: the fleet's host rows as aligned text or CSV.
use super::{accepted_cells, accepted_text, count_cell, count_text, month_text, opt, reach_text};
use crate::tabular::{Cell, Column, Csv, Table};
use crate::term::{Paint, Term};
use w2k8_fleet::HostRow;

/// The columns of `hosts` as text. A count is `-` for a host that was not
/// assessed and `>=N` when it is a lower bound (partial evidence); the
/// month is `>=YYYY-MM` when only a bound is known. `reachable_kev` (open KEV
/// CVEs reachable on the host) is `?` for an assessed host whose bundle
/// cannot tell (never 0); `accepted` counts the findings live accepted
/// risks cover (still counted in the other columns).
pub const COLUMNS: [&str; 15] = [
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
    "reachable_kev",
    "ransomware",
    "accepted",
    "last_scan",
    "error",
];

/// The columns of `hosts --format csv`: those of [`COLUMNS`] but
/// `reachable_kev` and `accepted`, then [`CSV_EXTRA`] (new columns are
/// added at the end, so a script reading columns by position keeps
/// working).
fn csv_columns() -> Vec<&'static str> {
    COLUMNS.iter().filter(|c| !TEXT_ONLY.contains(c)).chain(&CSV_EXTRA).copied().collect()
}

/// The [`COLUMNS`] the CSV gives at its end instead (in [`CSV_EXTRA`]).
const TEXT_ONLY: [&str; 2] = ["reachable_kev", "accepted"];

/// The columns `hosts --format csv` adds after [`COLUMNS`]: what the text
/// folds into its cells (in CSV a count cell is empty when the host was not
/// assessed, and the month is the exact one). `reachable_kev` is empty when
/// unknown or not assessed (`counts_are_lower_bound` says when it is a
/// lower bound); `accepted_cves` and `accepted_missing` are the findings
/// live accepted risks cover.
pub const CSV_EXTRA: [&str; 7] = [
    "patched_through_at_least",
    "unknown_cves",
    "unknown_kev",
    "counts_are_lower_bound",
    "reachable_kev",
    "accepted_cves",
    "accepted_missing",
];

fn install(h: &HostRow) -> String {
    match h.server_core {
        Some(true) => "core".into(),
        Some(false) => "full".into(),
        None => String::new(),
    }
}

/// The cells of [`COLUMNS`]; for CSV (`csv`) the counts are bare and the
/// [`CSV_EXTRA`] cells follow.
fn cells(h: &HostRow, csv: bool) -> Vec<String> {
    let lb = h.counts_are_lower_bound;
    let count = |v: Option<u32>| if csv { count_cell(v) } else { count_text(v, lb) };
    let mut v = vec![
        h.name.clone(),
        h.status.as_str().to_string(),
        opt(&h.build),
        h.arch.map(|a| a.as_str().to_string()).unwrap_or_default(),
        install(h),
        opt(&h.edition),
        if csv { opt(&h.patched_through) } else { month_text(h) },
        count(h.missing),
        count(h.open_cves),
        count(h.kev_open),
        reach_text(h),
        count(h.ransomware_open),
        accepted_text(h),
        h.last_scan.to_string(),
        opt(&h.error),
    ];
    if csv {
        // At the end instead (see `csv_columns`).
        v.remove(12);
        v.remove(10);
        v.extend([
            opt(&h.patched_through_at_least),
            count_cell(h.unknown_cves),
            count_cell(h.unknown_kev),
            opt(&h.counts_are_lower_bound),
            count_cell(h.reachable_kev),
        ]);
        v.extend(accepted_cells(h));
    }
    v
}

/// Aligned columns and a count line.
pub fn text(rows: &[HostRow]) -> String {
    text_with(rows, &Term::plain())
}

/// How each column of [`COLUMNS`] fits a narrow console: the host name,
/// status, build, month and counts are kept whole; the last scan's time,
/// the edition, the install type, the architecture, the accepted count and
/// the ransomware count are left out in that order when the rest would not
/// fit (the table says so); an error goes under its row.
fn column(name: &str) -> Column {
    match name {
        "last_scan" => Column::drop(name, 6),
        "edition" => Column::drop(name, 5),
        "install" => Column::drop(name, 4),
        "arch" => Column::drop(name, 3),
        "accepted" => Column::drop(name, 2),
        "ransomware" => Column::drop(name, 1),
        "error" => Column::below(name),
        _ => Column::keep(name),
    }
}

/// [`text`] for `term`: fitted to its width, KEV and ransomware counts
/// coloured; `-q` prints the count line only.
pub fn text_with(rows: &[HostRow], term: &Term) -> String {
    let mut t = String::new();
    if !term.quiet() {
        let mut table = Table::new(COLUMNS.iter().map(|c| column(c)).collect());
        for r in rows {
            let paint = |v: Option<u32>, p: Paint| v.is_some_and(|n| n > 0).then_some(p);
            let c = cells(r, false);
            let row = c
                .into_iter()
                .enumerate()
                .map(|(i, text)| match COLUMNS.get(i) {
                    Some(&"kev") => Cell::paint(text, paint(r.kev_open, Paint::Kev)),
                    Some(&"ransomware") => Cell::paint(text, paint(r.ransomware_open, Paint::Ransomware)),
                    _ => Cell::plain(text),
                })
                .collect();
            table.row(row);
        }
        t.push_str(&table.render(term));
    }
    t.push_str(&format!("{} hosts\n", rows.len()));
    t
}

/// One CSV row per host (every cell defused against spreadsheet formulas).
pub fn csv(rows: &[HostRow]) -> String {
    let mut out = Csv::new(&csv_columns());
    for r in rows {
        out.row(&cells(r, true));
    }
    out.finish()
}
