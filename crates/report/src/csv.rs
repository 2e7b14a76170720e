//! `w2k8 assess --format csv`: one row per finding (missing update, open CVE,
//! unknown update), RFC 4180 quoting, CRLF line ends, a header row, every
//! cell defused against spreadsheet formulas ([`crate::tabular::Csv`]).
//! Columns are only ever added at the end: an open CVE's row ends with its
//! `reachability` (`exposed|reduced|mitigated|not_reachable|unknown`), the
//! mitigation that decided it, the bundle lines that show it and its source;
//! then `kev_due_date` (an open CVE in KEV: the due date CISA set) and
//! `reboot` (a missing update: `true` when installing it needs a restart).
use crate::tabular::Csv;
use w2k8_assess::{Assessment, Exposure, FixStatus, Missing, Unknown};

/// The header row's columns.
pub const COLUMNS: [&str; 19] = [
    "record",
    "id",
    "title",
    "released",
    "kind",
    "severity",
    "impact",
    "kev_date_added",
    "ransomware",
    "exploits",
    "fixed_by",
    "cves",
    "detail",
    "reachability",
    "mitigation",
    "mitigation_evidence",
    "mitigation_source",
    "kev_due_date",
    "reboot",
];

/// `file:line` of each place, space-separated.
pub(crate) fn evidence(places: &[w2k8_assess::reachability::Place]) -> String {
    places
        .iter()
        .map(|p| match p.line {
            Some(l) => format!("{}:{l}", p.file),
            None => p.file.clone(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Renders the findings of an assessment as CSV.
pub fn csv(a: &Assessment) -> String {
    let mut out = Csv::new(&COLUMNS);
    for m in &a.missing {
        out.row(&missing_row(m));
    }
    for e in &a.exposure {
        out.row(&exposure_row(e));
    }
    for u in &a.unknown {
        out.row(&unknown_row(u));
    }
    out.finish()
}

/// The row of a missing update.
fn missing_row(m: &Missing) -> [String; 19] {
    [
        "missing".into(),
        m.kb.to_string(),
        m.title.clone().unwrap_or_default(),
        m.released.map(|d| if m.month_only { d.month_string() } else { d.to_string() }).unwrap_or_default(),
        m.kind.as_str().into(),
        m.max_severity.map(|s| s.as_str().to_string()).unwrap_or_default(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        m.cves.join(" "),
        m.why.clone(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        m.reboot.to_string(),
    ]
}

/// The `detail` cell of an open CVE: whether a fix is available to the host.
fn fix_status(e: &Exposure) -> String {
    match e.status {
        FixStatus::FixAvailable => "fix available".to_string(),
        FixStatus::NoFixAvailableToYou => format!(
            "no fix available to you: the programme ended {}",
            e.programme_ended.map(|d| d.to_string()).unwrap_or_default()
        ),
    }
}

/// The row of an open CVE.
fn exposure_row(e: &Exposure) -> [String; 19] {
    [
        "open_cve".into(),
        e.cve.to_string(),
        e.title.to_string(),
        String::new(),
        e.component.to_string(),
        e.severity.as_str().to_string(),
        e.impact.to_string(),
        e.kev.as_ref().map(|k| k.date_added.to_string()).unwrap_or_default(),
        e.kev.as_ref().map(|k| k.ransomware.to_string()).unwrap_or_default(),
        e.exploits.join(" "),
        e.fixed_by.iter().map(|k| k.to_string()).collect::<Vec<_>>().join(" "),
        String::new(),
        fix_status(e),
        e.reachability.as_str().to_string(),
        e.mitigation.as_ref().map(|m| m.by.clone()).unwrap_or_default(),
        e.mitigation.as_ref().map(|m| evidence(&m.evidence)).unwrap_or_default(),
        e.mitigation.as_ref().map(|m| m.source.clone()).unwrap_or_default(),
        e.kev.as_ref().and_then(|k| k.due_date).map(|d| d.to_string()).unwrap_or_default(),
        String::new(),
    ]
}

/// The row of an update the catalog does not know.
fn unknown_row(u: &Unknown) -> [String; 19] {
    [
        "unknown".into(),
        u.kb.to_string(),
        u.title.clone().unwrap_or_default(),
        u.released.map(|d| d.to_string()).unwrap_or_default(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        u.cves.join(" "),
        u.reason.clone(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
    ]
}
