//! `w2k8 history` and `w2k8 diff` as text: one host's scans and what changed
//! between them, a host's exposure window to one CVE, and fleet-wide changes.
use super::count_text;
use crate::tabular::table;
use w2k8_fleet::{Change, CveExposure, FleetDiff, History};

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(ToString::to_string).unwrap_or_else(|| "-".into())
}

/// One change as text lines.
pub fn change(c: &Change) -> String {
    w2k8_core::text::escape_text(&change_unescaped(c)).into_owned()
}

fn change_unescaped(c: &Change) -> String {
    let mut s = format!("{} {} -> {}\n", c.host, c.from_scan.as_deref().unwrap_or("(first scan)"), c.to_scan);
    if let Some((a, b)) = &c.build {
        s.push_str(&format!("  build: {} -> {}\n", opt(a), opt(b)));
    }
    if let Some((a, b)) = &c.patched_through {
        s.push_str(&format!("  patched through: {} -> {}\n", opt(a), opt(b)));
    }
    let mut list = |label: &str, items: Vec<String>| {
        if !items.is_empty() {
            s.push_str(&format!("  {label} ({}): {}\n", items.len(), items.join(", ")));
        }
    };
    list("installed", c.installed.iter().map(ToString::to_string).collect());
    list("CVEs closed", c.closed.clone());
    list("CVEs newly open", c.opened.clone());
    s
}

/// Every scan of one host, then the changes between them.
pub fn history(h: &History) -> String {
    w2k8_core::text::escape_text(&history_unescaped(h)).into_owned()
}

fn history_unescaped(h: &History) -> String {
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
                s.scanned_at.clone(),
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
    t.push_str(&table(&["scan", "status", "build", "patched_through", "missing", "open_cves", "kev", "source"], &rows));
    if !h.changes.is_empty() {
        t.push_str("\nchanges:\n");
        for c in &h.changes {
            t.push_str(&change(c));
        }
    }
    t
}

/// How long one host was exposed to one CVE.
pub fn exposure(e: &CveExposure) -> String {
    w2k8_core::text::escape_text(&exposure_unescaped(e)).into_owned()
}

fn exposure_unescaped(e: &CveExposure) -> String {
    let rows: Vec<Vec<&str>> =
        e.scans.iter().map(|s| vec![s.scanned_at.as_str(), if s.open { "open" } else { "closed" }]).collect();
    let mut t = format!("{} and {}\n", e.host, e.cve);
    t.push_str(&table(&["scan", e.cve.as_str()], &rows));
    t.push_str(&match (&e.first_open, &e.closed_at, e.days_exposed) {
        (None, _, _) => "never open in the stored scans\n".to_string(),
        (Some(f), Some(c), d) => format!("open from {f} to {c} ({} days)\n", opt(&d)),
        (Some(f), None, d) => format!("open since {f}, still open in the latest scan ({} days)\n", opt(&d)),
    });
    t
}

/// Fleet-wide changes since a date (or each host's previous scan).
pub fn diff(d: &FleetDiff) -> String {
    w2k8_core::text::escape_text(&diff_unescaped(d)).into_owned()
}

fn diff_unescaped(d: &FleetDiff) -> String {
    let mut t = format!(
        "since {}: {} hosts patched, {} CVE/host pairs newly open, {} closed, {} new hosts\n",
        d.since.as_deref().unwrap_or("each host's previous scan"),
        d.patched_hosts,
        d.newly_exposed,
        d.newly_closed,
        d.new_hosts.len()
    );
    for c in &d.changes {
        t.push_str(&change(c));
    }
    if !d.new_hosts.is_empty() {
        t.push_str(&format!("new hosts: {}\n", d.new_hosts.join(", ")));
    }
    t
}
