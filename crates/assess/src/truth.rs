//! What the evidence supports, and no more: how complete the bundle's view of
//! the installed updates is, three-valued facts (installed / missing /
//! unknown, each with its basis), lower bounds where only a bound is known,
//! and the conflicts between facts that a careful administrator would notice
//! (a listed update the kernel shows not in effect, build 6002 with an update
//! that brings 6003, a prerequisite missing under an update that needs it).
use serde::Serialize;
use w2k8_catalog::{facts, Update, UpdateKind};
use w2k8_core::{Date, Evidence, Observed};
use w2k8_inventory::{Conflict, Host};

/// How much of the host's installed updates the bundle shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Completeness {
    /// A whole list: `wmic qfe`, Get-HotFix, the CBS package list, or a
    /// systeminfo list with as many entries as its header declares.
    Complete,
    /// No list (`Hotfix(s): N/A`, a count without a list, no hotfix file) or
    /// a list cut short: absence proves nothing.
    Partial,
}

/// A three-valued fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The bundle shows it, or something in effect on the host proves it.
    Installed,
    /// A complete list does not show it and nothing proves it.
    Missing,
    /// The evidence cannot tell.
    Unknown,
}

impl Status {
    /// `true` / `false`, or `None` when unknown (the JSON `present` field).
    pub fn present(self) -> Option<bool> {
        match self {
            Status::Installed => Some(true),
            Status::Missing => Some(false),
            Status::Unknown => None,
        }
    }
}

/// Does a source of the bundle list installed updates as a whole?
fn has_whole_list(host: &Host) -> bool {
    let listing = ["wmic-qfe", "get-hotfix", "servicing-packages"];
    host.sources.iter().any(|s| listing.contains(&s.format.as_str())) || !host.facts.packages.is_empty()
}

/// How complete the bundle's view of the installed updates is, and why.
pub fn completeness(host: &Host) -> (Completeness, String) {
    let f = &host.facts;
    if f.hotfix_list_truncated {
        return (Completeness::Partial, "a hotfix list is cut short: updates it does not show may be installed".into());
    }
    if has_whole_list(host) {
        return (
            Completeness::Complete,
            "the bundle lists the installed updates as a whole (wmic qfe, Get-HotFix or the CBS packages)".into(),
        );
    }
    match f.hotfix_count_declared.as_ref() {
        Some(d) if f.hotfixes.len() >= d.value as usize => (
            Completeness::Complete,
            format!("systeminfo lists {} hotfix(es) and declares {} ({})", f.hotfixes.len(), d.value, d.evidence.location()),
        ),
        Some(d) => (
            Completeness::Partial,
            format!(
                "systeminfo declares {} hotfix(es) but lists {} ({}): updates it does not show may be installed",
                d.value,
                f.hotfixes.len(),
                d.evidence.location()
            ),
        ),
        None if f.hotfixes.is_empty() => (
            Completeness::Partial,
            "the bundle shows no hotfix list (systeminfo `Hotfix(s): N/A`, as a shell without the rights to read it prints, or no hotfix file): what is installed is unknown".into(),
        ),
        None => (Completeness::Complete, "a hotfix list with no declared count to check it against, taken as whole".into()),
    }
}

/// A fact proven by an update in effect on the host (its kernel month): the
/// month and the basis text.
pub struct Proof {
    /// The month of the update in effect.
    pub month: Date,
    /// Where that is shown.
    pub basis: String,
}

/// The status of a prerequisite: listed installed; proven by an update in
/// effect released on or after `needed_from` (it cannot install without the
/// prerequisite); missing when the list is complete; else unknown.
pub fn prerequisite(
    listed: bool,
    what: &str,
    needed_from: Date,
    proof: Option<&Proof>,
    completeness: Completeness,
) -> (Status, String) {
    if listed {
        return (Status::Installed, format!("{what}: listed as installed"));
    }
    if let Some(p) = proof.filter(|p| p.month >= needed_from) {
        return (
            Status::Installed,
            format!(
                "{what}: not listed, but {} is in effect, and updates released from {} do not install without it",
                p.basis, needed_from
            ),
        );
    }
    match completeness {
        Completeness::Complete => (Status::Missing, format!("{what}: not in the complete list of installed updates")),
        Completeness::Partial => {
            (Status::Unknown, format!("{what}: not shown, and the bundle's list of installed updates is not complete"))
        }
    }
}

/// A conflict between facts, with its plain reason and next step.
pub fn conflict(kind: &str, fact: &str, values: Vec<Observed<String>>, reason: String, next: &str) -> Conflict {
    Conflict {
        fact: fact.to_string(),
        values,
        resolution: reason,
        kind: kind.to_string(),
        next_step: Some(next.to_string()),
    }
}

/// An observed value with the evidence of `e` (or none).
pub fn seen(value: String, fact: &str, e: Option<&Evidence>) -> Observed<String> {
    let ev = e.cloned().unwrap_or_else(|| Evidence::new(fact, "", None));
    Observed::new(value, Evidence::new(fact, ev.file, ev.line))
}

/// The first release date of a build-6003 update (April 2019) and the
/// earliest month some sources give (the March 19, 2019 preview).
pub fn build_6003_bound() -> (Date, &'static str) {
    let d = Date::new(2019, 3, 1).unwrap_or_else(|| facts::first_6003_date().value);
    (
        d,
        "build 6003 proves the April 2019 update (KB4493471 / KB4493458) or, by some sources, the March 19, 2019 preview KB4489887, or a later one is in effect",
    )
}

/// Is `u` a monthly update (rollup or security-only)?
pub fn is_monthly(u: &Update) -> bool {
    matches!(u.kind, UpdateKind::MonthlyRollup | UpdateKind::SecurityOnly)
}
