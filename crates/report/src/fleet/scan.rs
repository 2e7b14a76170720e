//! The summary `w2k8 scan` prints.
use w2k8_core::text::escape_line;
use w2k8_fleet::{ReassessSummary, ScanSummary};

/// One line of totals, then one line per bundle not assessed (or assessed
/// without some files), then one per warning (a path not scanned as a bundle). `db` is the
/// database as it may be shown (a URL's password redacted).
pub fn summary(s: &ScanSummary, db: &str, seconds: f64) -> String {
    let mut out = format!(
        "scanned {} bundles in {seconds:.1} s into {db}: {} ok, {} failed, {} unsupported; {} scans stored, {} already in the database\n",
        s.total,
        s.ok,
        s.failed,
        s.unsupported,
        s.stored,
        s.duplicates,
        db = escape_line(db)
    );
    if s.filled > 0 {
        out.insert_str(
            out.len() - 1,
            &format!(" ({} of them given the reachable KEV count and isolation plan they lacked)", s.filled),
        );
    }
    // Paths and errors come from the bundles: one line each, escapes shown.
    for p in &s.problems {
        out.push_str(&format!("  {} {}: {}\n", p.status.as_str(), escape_line(&p.source), escape_line(&p.error)));
    }
    for w in &s.warnings {
        out.push_str(&format!("  warning {}: {}\n", escape_line(&w.path), escape_line(&w.reason)));
    }
    out
}

/// What `w2k8 scan --reassess` did: one line of totals, then one line per
/// host that could not be re-assessed, with what to do.
pub fn reassess(s: &ReassessSummary, db: &str, seconds: f64) -> String {
    let mut out = format!(
        "re-assessed {} of {} hosts in {seconds:.1} s in {db} with the catalog {}: {} ok, {} not assessed ({} judged \
         alike with another host); {} current already, {} cannot be re-assessed\n",
        s.reassessed,
        s.hosts,
        escape_line(&s.catalog),
        s.ok,
        s.not_assessed,
        s.shared,
        s.current,
        s.cannot.len(),
        db = escape_line(db)
    );
    if s.filled > 0 {
        out.insert_str(
            out.len() - 1,
            &format!(
                "; {} judged with this catalog before w2k8 recorded reachability: their reachable KEV count and isolation plan filled in place",
                s.filled
            ),
        );
    }
    for c in &s.cannot {
        out.push_str(&format!(
            "  #{} {} ({}): {}\n",
            c.host_id,
            escape_line(&c.name),
            escape_line(&c.source),
            escape_line(&c.reason)
        ));
    }
    out
}
