//! The result model of an assessment: what `w2k8 assess` prints and stores.
use crate::programme::{Programme, ProgrammeChoice};
use crate::standing::Standing;
use serde::Serialize;
use w2k8_catalog::{Severity, UpdateKind};
use w2k8_core::hash::FastSet;
use w2k8_core::{CveId, Date, Evidence, Kb};

/// Options of an assessment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// The programme (`--esu`); inferred from the installed updates when `None`.
    pub programme: Option<Programme>,
}

/// One update the host should install.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Missing {
    /// The KB.
    pub kb: Kb,
    /// Its title, when known.
    pub title: Option<String>,
    /// Release date (or the first day of the sourced month).
    pub released: Option<Date>,
    /// True when only the month of `released` is sourced (its day is a
    /// placeholder): show it as `YYYY-MM`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub month_only: bool,
    /// Kind of update.
    pub kind: UpdateKind,
    /// The KBs it supersedes directly, as MSRC states.
    pub supersedes: Vec<Kb>,
    /// The other not-installed updates it makes unnecessary (for a rollup: the
    /// later rollups it contains), ascending by date.
    pub replaces: Vec<Kb>,
    /// The CVEs open on this host that it closes.
    pub cves: Vec<CveId>,
    /// The highest severity over those CVEs.
    pub max_severity: Option<Severity>,
    /// How many of those CVEs are in CISA KEV.
    pub kev_count: usize,
    /// Why it is in the list.
    pub why: String,
    /// Where to download it: the Microsoft Update Catalog search for the KB.
    pub download: String,
    /// True when installing it needs a restart, as `plan`'s step `reboot`
    /// says (a monthly rollup, security-only update, SHA-2 update or service
    /// pack); false when no source in the data says so (wusa's exit code
    /// 3010 tells on the machine).
    pub reboot: bool,
    /// `missing` when the evidence shows it is not installed (a complete
    /// list, or a kernel older than the monthly update would bring);
    /// `unknown` when the bundle's list is partial and nothing proves it
    /// absent: it may be installed already (installing it again is harmless).
    pub status: crate::truth::Status,
    /// A live accepted risk that covers this update on this host (issue
    /// 19): `{target, reason, owner, until, source}`. Shown, never hidden;
    /// not counted for the exit code. Left out when none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accepted: Option<crate::accepted::AcceptedRef>,
    /// An acceptance that covered this update and has expired: the update
    /// counts again, and this says which acceptance ended. Left out when none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accepted_expired: Option<crate::accepted::AcceptedRef>,
}

/// KEV membership as the exposure list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KevRef {
    /// The date CISA added it.
    pub date_added: Date,
    /// The due date CISA set for federal agencies to fix it, when the data has one.
    pub due_date: Option<Date>,
    /// Known ransomware campaign use.
    pub ransomware: bool,
}

/// Whether a fix for an open CVE can be had.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FixStatus {
    /// An update in the chosen programme fixes it.
    FixAvailable,
    /// Only updates released after the programme ended fix it.
    NoFixAvailableToYou,
}

/// One CVE open on the host. The rarely present parts (a mitigation, an
/// acceptance) are boxed: a badly patched host has thousands of entries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exposure<'c> {
    /// `CVE-YYYY-NNNN` (or an MSRC advisory id).
    pub cve: CveId,
    /// Its position in the catalog's CVE table (`Catalog::cves`), for the
    /// writers that keep positions rather than text (not in the output).
    #[serde(skip)]
    pub catalog_index: u32,
    /// MSRC's title.
    pub title: &'c str,
    /// The affected component.
    pub component: &'c str,
    /// Highest severity.
    pub severity: Severity,
    /// Impact, e.g. `Remote Code Execution`.
    pub impact: &'c str,
    /// The updates that fix it on this host's products (for old stand-alone
    /// fixes: the rollup-era updates that supersede them), ascending.
    pub fixed_by: Vec<Kb>,
    /// Whether the programme gives access to one of them.
    pub status: FixStatus,
    /// For `no_fix_available_to_you`: the day the programme's updates ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub programme_ended: Option<Date>,
    /// CISA KEV: date added and ransomware use, or null.
    pub kev: Option<KevRef>,
    /// Public exploit links from the data.
    pub exploits: &'c [String],
    /// Only stand-alone updates from before the rollups fix it, and the host
    /// has no monthly update that might contain them: open, but left out of
    /// `missing` (whether the recommended rollup contains the fix is unknown).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub pre_rollup: bool,
    /// Whether the host's configuration lets it be reached (issue 20):
    /// `exposed`, `reduced`, `mitigated`, `not_reachable` or `unknown`
    /// (see [`crate::reachability`]).
    pub reachability: crate::reachability::Reachability,
    /// The documented mitigation that decided `reachability` (`{by,
    /// evidence: [{file, line}], source, ...}`), or null.
    pub mitigation: Option<Box<crate::reachability::MitigationRef>>,
    /// Why, with `file:line`; conflicting evidence starts with `conflict:`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reachability_notes: Vec<String>,
    /// A live accepted risk that covers this CVE on this host, directly or
    /// through the missing update(s) that would close it (issue 19):
    /// `{target, reason, owner, until, source}`. Shown, never hidden; not
    /// counted for the exit code. Left out when none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accepted: Option<Box<crate::accepted::AcceptedRef>>,
    /// An acceptance that covered this CVE and has expired: the CVE counts
    /// again, and this says which acceptance ended. Left out when none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accepted_expired: Option<Box<crate::accepted::AcceptedRef>>,
}

/// A CVE the evidence cannot judge: not shown closed, but the bundle's list
/// of installed updates is partial, so a fix may be installed unseen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnknownCve {
    /// The CVE.
    pub cve: CveId,
    /// Highest severity.
    pub severity: Severity,
    /// CISA KEV: date added and ransomware use, or null.
    pub kev: Option<KevRef>,
}

/// An old update whose status the data cannot establish.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unknown {
    /// The KB (the end of its supersedence chain).
    pub kb: Kb,
    /// Its title, when known.
    pub title: Option<String>,
    /// Its release date.
    pub released: Option<Date>,
    /// Why the answer is "unknown".
    pub reason: String,
    /// The CVEs on this host whose only fixes lead to it.
    pub cves: Vec<CveId>,
}

/// A product other than the OS: assessed or not, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Component {
    /// The component as MSRC names it, e.g. `Internet Explorer 9`.
    pub name: String,
    /// True when the bundle shows it installed and its rows were used.
    pub assessed: bool,
    /// What the bundle shows, or `not assessed: not in the bundle`.
    pub detail: String,
    /// Where the bundle shows it.
    pub evidence: Option<Evidence>,
}

/// Which track (monthly rollup or security-only) the answer recommends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrackAdvice {
    /// The track the installed updates follow (`monthly_rollup`, `security_only`, `mixed`, or null).
    pub current: Option<crate::Track>,
    /// The recommended track (`monthly_rollup` or `security_only`).
    pub recommended: crate::Track,
    /// Why.
    pub why: String,
    /// The security-only updates that staying on that track would need instead, oldest first.
    pub security_only_alternative: Vec<Kb>,
}

/// Counts for a summary line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Updates in `missing`.
    pub missing: usize,
    /// CVEs in `exposure`.
    pub open_cves: usize,
    /// Of those, with a fix available in the programme.
    pub open_with_fix: usize,
    /// Of those, with no fix available in the programme.
    pub no_fix_available: usize,
    /// Of the open CVEs, in CISA KEV.
    pub open_in_kev: usize,
    /// CVEs of the host's products closed by installed updates.
    pub closed_cves: usize,
    /// Updates in `unknown`.
    pub unknown_updates: usize,
    /// CVEs whose status is unknown (their only fixes are in `unknown`).
    pub unknown_cves: usize,
    /// CVEs listed as affecting the host's products with no update in the data.
    pub no_update_in_data: usize,
    /// Of the unknown CVEs, in CISA KEV.
    pub unknown_in_kev: usize,
    /// True when the counts are lower bounds: the bundle's list of installed
    /// updates is partial, or the host is below Service Pack 2.
    pub counts_are_lower_bound: bool,
    /// Of the open CVEs, `exposed` or `reduced` (see [`crate::reachability`]).
    pub reachable: usize,
    /// Of the open CVEs, those whose reachability the bundle cannot tell.
    pub reachability_unknown: usize,
    /// Of the open KEV CVEs, `exposed` or `reduced`; null when the
    /// reachability of one of them is unknown.
    pub reachable_kev: Option<usize>,
    /// Of the open CVEs, covered by a live accepted risk (still counted in
    /// `open_cves`: the counts stay the truth, this says how many are
    /// accepted).
    pub accepted_cves: usize,
    /// Of the missing updates, covered by a live accepted risk (still
    /// counted in `missing`).
    pub accepted_missing: usize,
    /// Findings (CVEs and updates) whose acceptance has expired: reopened.
    pub accepted_expired: usize,
}

/// The assessment of one host: its standing, plus what is missing, what is
/// open and what the data cannot tell.
///
/// JSON contract: every field of [`Standing`] (flattened), plus `missing`
/// (`{kb, title, released, kind, supersedes, cves, max_severity,
/// kev_count}`...), `exposure` (`{cve, severity, impact, fixed_by, kev:
/// {date_added, ransomware} | null, exploits}`...), `unknown` (`{kb,
/// reason}`...); the other fields may grow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment<'c> {
    /// Where the host stands.
    #[serde(flatten)]
    pub standing: Standing,
    /// The programme that decides which later updates count.
    pub programme: ProgrammeChoice,
    /// The MSRC product rows used for this host.
    pub products_assessed: Vec<String>,
    /// Products other than the OS: assessed or not.
    pub components: Vec<Component>,
    /// The recommended track.
    pub track_advice: TrackAdvice,
    /// The smallest set of updates that brings the host current, in install order.
    pub missing: Vec<Missing>,
    /// Open CVEs, riskiest first.
    pub exposure: Vec<Exposure<'c>>,
    /// Old updates whose status the data cannot establish.
    pub unknown: Vec<Unknown>,
    /// CVEs a partial bundle cannot judge (neither open nor closed), riskiest first.
    pub exposure_unknown: Vec<UnknownCve>,
    /// Findings that come before any update (e.g. Service Pack 2 not
    /// installed); each makes the exit code 1.
    pub blocking: Vec<String>,
    /// Counts.
    pub summary: Summary,
    /// About the assessment itself (product rows chosen, data issues met).
    pub assessment_notes: Vec<String>,
}

impl Assessment<'_> {
    /// True when nothing is missing and no CVE is open: exit code 0.
    pub fn is_clean(&self) -> bool {
        self.missing.is_empty() && self.exposure.is_empty() && self.blocking.is_empty()
    }

    /// Keeps the exposure entries that pass `keep`, and the missing updates
    /// that close one of them (with the prerequisites of those), and
    /// recounts. For `--kev-only`, `--min-severity`, `--exploited`.
    pub fn filter(&mut self, keep: impl Fn(&Exposure) -> bool) {
        self.exposure.retain(|e| keep(e));
        let open: FastSet<CveId> = self.exposure.iter().map(|e| e.cve).collect();
        let mut kept: Vec<Missing> = Vec::new();
        let main: Vec<&Missing> = self
            .missing
            .iter()
            .filter(|m| !is_prerequisite_kind(m.kind) || m.cves.iter().any(|c| open.contains(c)))
            .collect();
        let any_main = main.iter().any(|m| m.cves.iter().any(|c| open.contains(c)));
        for m in &self.missing {
            let closes = m.cves.iter().any(|c| open.contains(c));
            if closes || (is_prerequisite_kind(m.kind) && any_main) {
                let mut m = m.clone();
                m.cves.retain(|c| open.contains(c));
                kept.push(m);
            }
        }
        self.missing = kept;
        self.summary.missing = self.missing.len();
        self.summary.open_cves = self.exposure.len();
        self.summary.open_with_fix = self.exposure.iter().filter(|e| e.status == FixStatus::FixAvailable).count();
        self.summary.no_fix_available = self.summary.open_cves - self.summary.open_with_fix;
        self.summary.open_in_kev = self.exposure.iter().filter(|e| e.kev.is_some()).count();
        crate::reachability::recount(self);
        crate::accepted::recount(self);
    }
}

/// Servicing stack, SHA-2 and ESU preparation updates: installed before the rest.
pub(crate) fn is_prerequisite_kind(k: UpdateKind) -> bool {
    matches!(k, UpdateKind::Ssu | UpdateKind::Sha2 | UpdateKind::EsuPrep)
}
