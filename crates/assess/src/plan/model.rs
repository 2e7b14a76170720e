//! The plan's result model: what `w2k8 plan` prints and `w2k8 script` reads.
use crate::programme::ProgrammeChoice;
use serde::{Serialize, Serializer};
use w2k8_catalog::UpdateKind;
use w2k8_core::{Date, Kb};

/// What a step does: install an update of a kind, or the manual ESU key step.
/// Serialised as its snake_case name (`ssu`, `monthly_rollup`, `esu_key`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StepKind {
    /// Install an update of this kind.
    Update(UpdateKind),
    /// Install and activate the ESU key (manual, no KB).
    EsuKey,
}

impl StepKind {
    /// The snake_case name used in JSON and scripts.
    pub fn as_str(self) -> &'static str {
        match self {
            StepKind::Update(k) => k.as_str(),
            StepKind::EsuKey => "esu_key",
        }
    }

    /// A monthly rollup or a security-only update.
    pub fn is_monthly(self) -> bool {
        matches!(self, StepKind::Update(UpdateKind::MonthlyRollup | UpdateKind::SecurityOnly))
    }

    /// The update kind, for an install step.
    pub fn update(self) -> Option<UpdateKind> {
        match self {
            StepKind::Update(k) => Some(k),
            StepKind::EsuKey => None,
        }
    }
}

impl std::fmt::Display for StepKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

impl Serialize for StepKind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// The KB4472027 page: updates released in or after July 2019 need SHA-2 support.
pub const SHA2_RULE: &str = "https://support.microsoft.com/help/4472027/";
/// The trade-press report of Microsoft's January 2020 ESU prerequisites.
pub const ESU_PREREQS: &str = "https://mcpmag.com/articles/2020/01/31/windows-extended-security-updates.aspx";
/// The servicing-stack rule (facts.md §8).
pub const SSU_RULE: &str = "data/servicing/facts.md §8";
/// The ESU activation facts (facts.md §3).
pub const ESU_RULE: &str = "data/servicing/facts.md §3";
/// The SHA-2 facts (facts.md §7).
pub const SHA2_FACTS: &str = "data/servicing/facts.md §7";
/// The facts files a plan step cites for its rule, per OS family: the
/// constants above for Windows Server 2008 SP2, `r2-facts.md` for 2008 R2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    /// The servicing-stack rule.
    pub ssu: &'static str,
    /// The ESU preparation and activation facts.
    pub esu: &'static str,
    /// The SHA-2 facts.
    pub sha2_facts: &'static str,
}

/// The rule sources of `os`.
pub fn rules(os: w2k8_catalog::OsFamily) -> Rules {
    match os {
        w2k8_catalog::OsFamily::Ws2008 => Rules { ssu: SSU_RULE, esu: ESU_RULE, sha2_facts: SHA2_FACTS },
        w2k8_catalog::OsFamily::Ws2008R2 => Rules {
            ssu: "data/servicing/r2-facts.md §8",
            esu: "data/servicing/r2-facts.md §9",
            sha2_facts: "data/servicing/r2-facts.md §7",
        },
    }
}

/// The name a step uses in `requires` for the manual ESU key step.
pub const ESU_KEY: &str = "ESU key";
/// Microsoft's Windows Update error reference: `0x80240016` `WU_E_INSTALL_NOT_ALLOWED`, "another install
/// is running or a mandatory restart is pending" (`data/errors/hresults.csv`; `data/servicing/plan-checks.md`).
pub const WU_ERROR_REFERENCE: &str =
    "https://learn.microsoft.com/en-us/windows/deployment/update/windows-update-error-reference";
/// The code a pending restart blocks an install with, per [`WU_ERROR_REFERENCE`].
pub const PENDING_RESTART_CODE: u32 = 0x8024_0016;
/// Microsoft's troubleshooting article for `0x80070070` `ERROR_DISK_FULL`, which suggests at least 20 GB
/// free (`data/errors/hresults.csv`; written for current Windows Server, not for 2008: see `plan-checks.md`).
pub const DISK_SPACE_SOURCE: &str = "https://learn.microsoft.com/en-us/troubleshoot/windows-server/installing-updates-features-roles/troubleshoot-windows-update-error-0x80070070";
/// `ERROR_DISK_FULL` as an HRESULT.
pub const DISK_FULL_CODE: u32 = 0x8007_0070;
/// The free space [`DISK_SPACE_SOURCE`] suggests: 20 GB, read as Windows shows sizes (GiB).
pub const MIN_FREE_BYTES: u64 = 20 * 1024 * 1024 * 1024;
/// VMware (Broadcom) KB 318796: the VMware Tools installer can fail, and remove VMware drivers (VMXNET3,
/// VMCI), when its automatic upgrade at power cycle overlaps the restart that completes a Windows update.
pub const VMWARE_TOOLS_ISSUE: &str =
    "https://knowledge.broadcom.com/external/article/318796/vmware-tools-installer-can-fail-when-ove.html";
/// Where the plan's host checks (pending restart, disk space, known issues) are sourced.
pub const PLAN_CHECKS: &str = "data/servicing/plan-checks.md";

/// Options of a plan.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanOptions {
    /// `--until`: no update released after this day (the last day of the month given).
    pub until: Option<Date>,
    /// `--allow-from`: the management subnets the isolation plan's firewall rules admit.
    pub allow_from: Option<crate::subnet::Subnets>,
}

/// What the error tables say about an error code (filled by the caller from
/// `data/errors/hresults.csv`, e.g. with `w2k8_diagnose::codes::lookup`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ErrorInfo {
    /// The symbol, e.g. `CRYPT_E_NOT_FOUND`.
    pub symbol: Option<String>,
    /// The likely cause on Windows Server 2008.
    pub cause: Option<String>,
    /// The fix.
    pub fix: Option<String>,
    /// Where the cause and fix come from.
    pub source: Option<String>,
}

/// One step of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// 1-based position.
    pub order: usize,
    /// The KB to install (null for a manual step).
    pub kb: Option<Kb>,
    /// What it is.
    pub title: String,
    /// `ssu`, `sha2`, `esu_prep`, `esu_key` (manual), `monthly_rollup`,
    /// `security_only`, `internet_explorer`, `dotnet`, `security_update`, `other`.
    pub kind: StepKind,
    /// Release date (or the first day of the sourced month).
    pub released: Option<Date>,
    /// True when only the month of `released` is sourced: show it as `YYYY-MM`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub month_only: bool,
    /// The package file name, where a source gives it (none does yet: null).
    pub file: Option<String>,
    /// Where to download it: the Microsoft Update Catalog search for the KB
    /// (null for a manual step).
    pub download: Option<String>,
    /// True when the step needs a restart to complete.
    pub reboot: bool,
    /// Why `reboot` is what it is.
    pub reboot_note: String,
    /// True when the plan restarts the machine after this step.
    pub restart_after: bool,
    /// What must be installed first (`KBnnnnnnn`, or `ESU key`).
    pub requires: Vec<String>,
    /// True when the host as it is now already has everything in `requires`.
    pub satisfied: bool,
    /// Known issues from the catalog's notes.
    pub known_issues: Vec<String>,
    /// The catalog's caveats about the record itself (its `note:` lines: doubts about date, title, build).
    pub caveats: Vec<String>,
    /// Why the step is here.
    pub why: String,
    /// The rule's and the record's sources.
    pub source: Vec<String>,
}

/// A failure the administrator would meet installing the updates on the
/// host as it is now, without the plan's prerequisites.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PredictedFailure {
    /// The update that would fail.
    pub kb: Kb,
    /// The error code the admin would see (`0x80092004`), when a source gives it.
    pub error: Option<String>,
    /// Its symbol.
    pub symbol: Option<String>,
    /// Why.
    pub cause: String,
    /// What to do.
    pub fix: String,
    /// Where it comes from.
    pub source: Vec<String>,
}

/// The host after the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FinalState {
    /// The build (6002 or 6003).
    pub build: Option<u32>,
    /// `YYYY-MM`: the month of the newest rollup (or security-only update) after the plan.
    pub patched_through: Option<w2k8_core::Month>,
}

/// An open CVE in CISA KEV that no update available to the host fixes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KevExposed {
    /// The CVE.
    pub cve: w2k8_core::CveId,
    /// MSRC's title.
    pub title: String,
    /// The affected component.
    pub component: String,
    /// Known ransomware use.
    pub ransomware: bool,
}

/// For a host the plan cannot bring current: what stays open and what to do now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Isolation {
    /// The last release date of an update available to the host.
    pub programme_ended: Date,
    /// Open CVEs with no fix available to the host.
    pub open_without_fix: usize,
    /// Of those, the ones in CISA KEV (riskiest first).
    pub kev_exposed: Vec<KevExposed>,
    /// What to do now.
    pub advice: Vec<String>,
    /// Where the advice comes from.
    pub advice_source: String,
}

/// The install plan of one host.
///
/// JSON contract: `steps` (`{order, kb, title, kind, file, reboot, requires,
/// satisfied, known_issues, source}`...), `reboots`, `predicted_failures`
/// (`{kb, error, cause, fix, source}`...), `final_state` (`{build,
/// patched_through}`); the other fields may grow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Plan {
    /// The host name.
    pub host: Option<String>,
    /// The OS family: `ws2008` or `ws2008_r2`.
    pub os_family: w2k8_catalog::OsFamily,
    /// The build now.
    pub build: Option<u32>,
    /// `YYYY-MM` now.
    pub patched_through: Option<w2k8_core::Month>,
    /// The programme (`--esu`) the plan follows.
    pub programme: ProgrammeChoice,
    /// `--until`, as the last day allowed.
    pub until: Option<Date>,
    /// The ordered steps.
    pub steps: Vec<Step>,
    /// How many restarts the plan needs.
    pub reboots: usize,
    /// What would fail on the host as it is now.
    pub predicted_failures: Vec<PredictedFailure>,
    /// The host after the plan.
    pub final_state: FinalState,
    /// Where the plan stops and why, when it stops before the newest update in the data.
    pub stops: Option<String>,
    /// For hosts the plan cannot bring current.
    pub cannot_patch_further: Option<Isolation>,
    /// About the plan itself (what it does not check).
    pub notes: Vec<String>,
    /// The isolation plan (issue 20): reversible changes for the reachable KEV and critical CVEs no available
    /// update fixes, each with `command`, `undo`, `breaks` and `source`.
    pub isolation: crate::isolation::Isolation,
}
