//! `w2k8 history` and `w2k8 diff` as text: one host's scans and what changed
//! between them, a host's exposure window to one CVE, and fleet-wide changes.
use super::count_text;
use crate::tabular::{table, Cell, Column, Table};
use crate::term::Term;
use w2k8_fleet::{Change, CveExposure, FleetDiff, History};

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(ToString::to_string).unwrap_or_else(|| "-".into())
}

/// One change as text lines.
pub fn change(c: &Change) -> String {
    change_with(c, &Term::plain())
}

/// How many ids of a list a change shows before "... and N more" (`-v`: all).
const SHOWN: usize = 5;

/// One change as text lines for `term`: each list counted, its first
/// 5 ids and "... and N more (-v shows all)" (every id with `-v`),
/// wrapped at the width when there is one.
pub fn change_with(c: &Change, term: &Term) -> String {
    w2k8_core::text::escape_text(&change_unescaped(c, term)).into_owned()
}

fn change_unescaped(c: &Change, term: &Term) -> String {
    let from = c.from_scan.map_or_else(|| "(first scan)".to_string(), |t| t.to_string());
    let mut s = format!("{} {from} -> {}\n", c.host, c.to_scan);
    if let Some((a, b)) = &c.build {
        s.push_str(&format!("  build: {} -> {}\n", opt(a), opt(b)));
    }
    if let Some((a, b)) = &c.patched_through {
        s.push_str(&format!("  patched through: {} -> {}\n", opt(a), opt(b)));
    }
    let mut list = |label: &str, items: Vec<String>| {
        if items.is_empty() {
            return;
        }
        let mut shown = if term.verbose() {
            items.join(", ")
        } else {
            items.iter().take(SHOWN).cloned().collect::<Vec<_>>().join(", ")
        };
        if !term.verbose() && items.len() > SHOWN {
            shown.push_str(&format!(" ... and {} more (-v shows all)", items.len() - SHOWN));
        }
        let line = format!("{label} ({}): {shown}", items.len());
        match term.width() {
            Some(w) => {
                s.push_str(&format!("  {}\n", crate::wrap(&line, w.saturating_sub(4).max(20)).replace('\n', "\n    ")))
            }
            None => s.push_str(&format!("  {line}\n")),
        }
    };
    list("installed", c.installed.iter().map(ToString::to_string).collect());
    list("CVEs closed", c.closed.clone());
    list("CVEs newly open", c.opened.clone());
    s
}

/// Every scan of one host, then the changes between them.
pub fn history(h: &History) -> String {
    history_with(h, &Term::plain())
}

/// [`history`] for `term` (the changes' lists as in [`change_with`]).
pub fn history_with(h: &History, term: &Term) -> String {
    w2k8_core::text::escape_text(&history_unescaped(h, term)).into_owned()
}

fn history_unescaped(h: &History, term: &Term) -> String {
    let mut t = format!(
        "{} (product ID {}): {} scans, latest {} ({})\n\n",
        h.host.name,
        opt(&h.host.product_id),
        h.scans.len(),
        h.host.last_scan,
        h.host.status.as_str()
    );
    let rows: Vec<Vec<String>> = h
        .scans
        .iter()
        .map(|s| {
            vec![
                s.scanned_at.to_string(),
                s.status.as_str().to_string(),
                opt(&s.build),
                opt(&s.patched_through),
                count_text(s.missing, s.counts_are_lower_bound),
                count_text(s.open_cves, s.counts_are_lower_bound),
                count_text(s.kev_open, s.counts_are_lower_bound),
                s.source.clone(),
            ]
        })
        .collect();
    let mut scans = Table::new(
        ["scan", "status", "build", "patched_through", "missing", "open_cves", "kev"]
            .iter()
            .map(|c| Column::keep(c))
            .chain([Column::below("source")])
            .collect(),
    );
    for r in rows {
        scans.row(r.into_iter().map(Cell::plain).collect());
    }
    // No colour here: the whole text is escaped after.
    t.push_str(&scans.render(&Term { color: false, ..*term }));
    if !h.changes.is_empty() {
        t.push_str("\nchanges:\n");
        for c in &h.changes {
            t.push_str(&change_unescaped(c, term));
        }
    }
    t
}

/// How long one host was exposed to one CVE.
pub fn exposure(e: &CveExposure) -> String {
    w2k8_core::text::escape_text(&exposure_unescaped(e)).into_owned()
}

fn exposure_unescaped(e: &CveExposure) -> String {
    let times: Vec<String> = e.scans.iter().map(|s| s.scanned_at.to_string()).collect();
    let rows: Vec<Vec<&str>> =
        e.scans.iter().zip(&times).map(|(s, t)| vec![t.as_str(), if s.open { "open" } else { "closed" }]).collect();
    let mut t = format!("{} and {}\n", e.host, e.cve);
    t.push_str(&table(&["scan", e.cve.write(&mut [0; 18])], &rows));
    t.push_str(&match (&e.first_open, &e.closed_at, e.days_exposed) {
        (None, _, _) => "never open in the stored scans\n".to_string(),
        (Some(f), Some(c), d) => format!("open from {f} to {c} ({} days)\n", opt(&d)),
        (Some(f), None, d) => format!("open since {f}, still open in the latest scan ({} days)\n", opt(&d)),
    });
    t
}

/// Fleet-wide changes since a date (or each host's previous scan).
pub fn diff(d: &FleetDiff) -> String {
    diff_with(d, &Term::plain())
}

/// [`diff`] for `term`: per host the counts and the first few ids (`-v`:
/// every id), `-q` the totals line only.
pub fn diff_with(d: &FleetDiff, term: &Term) -> String {
    w2k8_core::text::escape_text(&diff_unescaped(d, term)).into_owned()
}

fn diff_unescaped(d: &FleetDiff, term: &Term) -> String {
    let mut t = format!(
        "since {}: {} hosts patched, {} CVE/host pairs newly open, {} closed, {} new hosts\n",
        d.since.map_or_else(|| "each host's previous scan".to_string(), |d| d.to_string()),
        d.patched_hosts,
        d.newly_exposed,
        d.newly_closed,
        d.new_hosts.len()
    );
    if term.quiet() {
        return t;
    }
    for c in &d.changes {
        t.push_str(&change_unescaped(c, term));
    }
    if !d.new_hosts.is_empty() {
        let line = format!("new hosts: {}", d.new_hosts.join(", "));
        match term.width() {
            Some(w) => t.push_str(&crate::wrap(&line, w.saturating_sub(2)).replace('\n', "\n  ")),
            None => t.push_str(&line),
        }
        t.push('\n');
    }
    t
}
