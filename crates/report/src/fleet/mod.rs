//! `w2k8 report`: the fleet report writers over a [`FleetReport`] that the
//! fleet store fills (pure functions, no I/O).
//!
//! - [`html`]: one self-contained HTML file (inline CSS, a little inline JS
//!   for sorting, charts as inline SVG drawn here), safe to mail and open
//!   offline; every value from host inputs is HTML-escaped.
//! - [`csv()`]: one row per host (the host table), RFC 4180, CRLF.
//! - [`json`]: the report's serde form (the contract of `w2k8-fleet`).
//! - [`hosts`]: `w2k8 hosts` as text and CSV; [`history`]: `w2k8 history`
//!   and `w2k8 diff` as text; [`close_first`]: "what to close first" as
//!   text (`w2k8 report --close-first`).
//! - [`sarif()`]: SARIF 2.1.0, one result per host x open KEV CVE, per host x
//!   missing update, and per host whose latest scan failed.
use w2k8_fleet::FleetReport;

pub mod close_first;
mod csv;
pub mod history;
pub mod hosts;
mod html;
mod sarif;
pub mod scan;
mod svg;

pub use csv::{csv, COLUMNS};
pub use html::{html, PALETTE_CSS};
pub use sarif::sarif;

/// The report as pretty JSON (its serde form), with a trailing newline.
pub fn json(report: &FleetReport) -> String {
    crate::json(report)
}

/// A host count as text: `-` when the host was not assessed (never 0),
/// `>=N` when the count is a lower bound.
pub(crate) fn count_text(v: Option<u32>, lower_bound: Option<bool>) -> String {
    match (v, lower_bound) {
        (None, _) => "-".to_string(),
        (Some(n), Some(true)) => format!(">={n}"),
        (Some(n), _) => n.to_string(),
    }
}

/// The reachable KEV count of a host as text: `-` when the host was not
/// assessed, `?` when it was but the bundle cannot tell (it lacks the
/// configuration files, or the scan predates w2k8 recording it: never 0),
/// `>=N` when the counts are lower bounds.
pub(crate) fn reach_text(h: &w2k8_fleet::HostRow) -> String {
    match (h.status, h.reachable_kev) {
        (w2k8_fleet::ScanStatus::Ok, None) => "?".to_string(),
        (_, v) => count_text(v, h.counts_are_lower_bound),
    }
}

/// The accepted findings of a host as text: open CVEs plus missing updates
/// a live accepted risk covers (`-` when not assessed or not counted).
pub(crate) fn accepted_text(h: &w2k8_fleet::HostRow) -> String {
    h.accepted.map(|a| (a.cves + a.missing).to_string()).unwrap_or_else(|| "-".to_string())
}

/// An optional value as a CSV cell: empty when absent.
pub(crate) fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(ToString::to_string).unwrap_or_default()
}

/// The accepted counts as CSV cells (CVEs, missing updates): empty when not
/// assessed or not counted.
pub(crate) fn accepted_cells(h: &w2k8_fleet::HostRow) -> [String; 2] {
    [count_cell(h.accepted.map(|a| a.cves)), count_cell(h.accepted.map(|a| a.missing))]
}

/// A host count as a CSV cell: empty when the host was not assessed.
pub(crate) fn count_cell(v: Option<u32>) -> String {
    v.map(|n| n.to_string()).unwrap_or_default()
}

/// The patched-through month as text: the month, `>=YYYY-MM` when only a
/// lower bound is known, empty when unknown.
pub(crate) fn month_text(h: &w2k8_fleet::HostRow) -> String {
    match (&h.patched_through, &h.patched_through_at_least) {
        (Some(m), _) => m.to_string(),
        (None, Some(b)) => format!(">={b}"),
        (None, None) => String::new(),
    }
}
