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

/// `file:line` of each place, space-separated ([`evidence_places`]).
pub(crate) fn evidence(places: &[w2k8_assess::reachability::Place]) -> String {
    evidence_places(places).join(" ")
}

/// `file:line` (or the file) of each place, each once, in first-seen order:
/// what the CSV and OpenVEX writers both cite as a mitigation's evidence.
pub(crate) fn evidence_places(places: &[w2k8_assess::reachability::Place]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(places.len());
    for p in places {
        let at = match p.line {
            Some(l) => format!("{}:{l}", p.file),
            None => p.file.clone(),
        };
        if !out.contains(&at) {
            out.push(at);
        }
    }
    out
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

/// A row of [`COLUMNS`] filled by column name, every other cell empty (a
/// record kind fills only its own columns).
struct Row([String; COLUMNS.len()]);

impl Row {
    fn new(record: &str) -> Row {
        Row(Default::default()).set("record", record)
    }

    /// Sets the cell of `column` (one of [`COLUMNS`]).
    fn set(mut self, column: &str, value: impl Into<String>) -> Row {
        debug_assert!(COLUMNS.contains(&column), "not a CSV column: {column}");
        if let Some(cell) = COLUMNS.iter().position(|c| *c == column).and_then(|i| self.0.get_mut(i)) {
            *cell = value.into();
        }
        self
    }
}

/// The row of a missing update.
fn missing_row(m: &Missing) -> [String; COLUMNS.len()] {
    let released = m.released.map(|d| if m.month_only { d.month_string() } else { d.to_string() });
    Row::new("missing")
        .set("id", m.kb.to_string())
        .set("title", m.title.clone().unwrap_or_default())
        .set("released", released.unwrap_or_default())
        .set("kind", m.kind.as_str())
        .set("severity", m.max_severity.map(|s| s.as_str()).unwrap_or_default())
        .set("cves", crate::joined(&m.cves, " "))
        .set("detail", m.why.clone())
        .set("reboot", m.reboot.to_string())
        .0
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
fn exposure_row(e: &Exposure) -> [String; COLUMNS.len()] {
    let kev = e.kev.as_ref();
    let mitigation = e.mitigation.as_deref();
    Row::new("open_cve")
        .set("id", e.cve.to_string())
        .set("title", e.title)
        .set("kind", e.component)
        .set("severity", e.severity.as_str())
        .set("impact", e.impact)
        .set("kev_date_added", kev.map(|k| k.date_added.to_string()).unwrap_or_default())
        .set("ransomware", kev.map(|k| k.ransomware.to_string()).unwrap_or_default())
        .set("exploits", e.exploits.join(" "))
        .set("fixed_by", crate::joined(&e.fixed_by, " "))
        .set("detail", fix_status(e))
        .set("reachability", e.reachability.as_str())
        .set("mitigation", mitigation.map(|m| m.by.clone()).unwrap_or_default())
        .set("mitigation_evidence", mitigation.map(|m| evidence(&m.evidence)).unwrap_or_default())
        .set("mitigation_source", mitigation.map(|m| m.source.clone()).unwrap_or_default())
        .set("kev_due_date", kev.and_then(|k| k.due_date).map(|d| d.to_string()).unwrap_or_default())
        .0
}

/// The row of an update the catalog does not know.
fn unknown_row(u: &Unknown) -> [String; COLUMNS.len()] {
    Row::new("unknown")
        .set("id", u.kb.to_string())
        .set("title", u.title.clone().unwrap_or_default())
        .set("released", u.released.map(|d| d.to_string()).unwrap_or_default())
        .set("cves", crate::joined(&u.cves, " "))
        .set("detail", u.reason.clone())
        .0
}

#[cfg(test)]
mod tests {
    use super::evidence;
    use w2k8_assess::reachability::Place;

    /// Written by hand: a place named twice is cited once, in first-seen
    /// order (OpenVEX did so, the CSV repeated it).
    #[test]
    fn evidence_cites_each_place_once() {
        let p = |file: &str, line| Place { file: file.into(), line };
        let places = [p("reg.txt", Some(12)), p("sc.txt", None), p("reg.txt", Some(12)), p("reg.txt", Some(3))];
        assert_eq!(evidence(&places), "reg.txt:12 sc.txt reg.txt:3");
    }
}
