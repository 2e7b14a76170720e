//! Writing one scan, the part both backends share: the cells a scan row
//! derives from a [`ScanInput`] (its counts, its texts) and what a scan
//! already stored comes to. Each backend keeps only its SQL (SQLite one
//! statement per table, PostgreSQL one statement per scan).
use crate::derive::Written;
use crate::ScanInput;
use w2k8_fleet::ScanStatus;

/// The cells of one scan's `scans` row derived from its input (the rest
/// are the input's own fields, read from `s`).
pub(crate) struct ScanCells<'a> {
    /// The scan.
    pub(crate) s: &'a ScanInput,
    /// `hosts.product_id`: empty when the bundle has none.
    pub(crate) product_id: String,
    /// `scanned_at` as text.
    pub(crate) scanned_at: String,
    /// Open CVEs in CISA KEV (`kev_open`).
    pub(crate) kev: usize,
    /// Open CVEs with known ransomware use (`ransomware_open`).
    pub(crate) ransomware: usize,
    /// Open CVEs rated critical (`critical_open`).
    pub(crate) critical: usize,
    /// `patched_through` as text.
    pub(crate) patched_through: Option<String>,
    /// `patched_through_at_least` as text.
    pub(crate) patched_through_at_least: Option<String>,
    /// `file_problems` (JSON text, NULL when none).
    pub(crate) file_problems: Option<String>,
    /// `catalog`: empty when not recorded.
    pub(crate) catalog: &'a str,
    /// `isolation` (JSON text, NULL when not recorded).
    pub(crate) isolation: Option<String>,
}

impl<'a> ScanCells<'a> {
    /// The derived cells of `s`.
    pub(crate) fn of(s: &'a ScanInput) -> ScanCells<'a> {
        ScanCells {
            s,
            product_id: s.product_id.clone().unwrap_or_default(),
            scanned_at: s.scanned_at.to_string(),
            kev: s.cves.iter().filter(|c| c.kev).count(),
            ransomware: s.cves.iter().filter(|c| c.ransomware).count(),
            critical: crate::critical_count(s),
            patched_through: s.patched_through.map(|m| m.to_string()),
            patched_through_at_least: s.patched_through_at_least.map(|m| m.to_string()),
            file_problems: crate::rows::problems_text(&s.file_problems),
            catalog: s.catalog.as_deref().unwrap_or(""),
            isolation: crate::rows::isolation_text(s.isolation.as_ref()),
        }
    }

    /// Whether a scan already stored (same host, input and catalog) may be
    /// filled in place: only an ok scan carrying its isolation plan fills
    /// one stored before w2k8 recorded reachability.
    pub(crate) fn may_fill(&self) -> bool {
        self.s.status == ScanStatus::Ok && self.isolation.is_some()
    }
}

/// The rows a scan row refers to, written before it.
pub(crate) struct Refs {
    /// Its open-CVE set (`cve_set_id`).
    pub(crate) set_id: Option<i64>,
    /// Its plan (`plan_id`).
    pub(crate) plan_id: Option<i64>,
    /// Its saved input (`input_id`).
    pub(crate) input_id: Option<i64>,
}

/// What a scan already stored comes to, from whether the fill-in-place
/// update changed a row.
pub(crate) fn fill_outcome(filled: bool) -> Written {
    if filled {
        Written::Filled
    } else {
        Written::Duplicate
    }
}
