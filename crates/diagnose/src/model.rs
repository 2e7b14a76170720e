//! The [`Diagnosis`] model: what `w2k8 diagnose` reports. Its serde form is
//! the `--format json` output (fields may be added, none renamed).
use crate::codes::CodeInfo;
use crate::event::{LogFormat, LogStats, Phase, VersionSource};
use serde::Serialize;
use w2k8_core::{Evidence, Kb};

/// The overall answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// An update attempt failed; see [`Diagnosis::failure`].
    UpdateFailed,
    /// No attempt failed, but CheckSUR left damage in the component store.
    StoreDamaged,
    /// No failed update attempt and no real error in the logs.
    NoFailureFound,
}

/// What a log was and what wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogReport {
    /// The file as given (or its path inside the bundle).
    pub file: String,
    /// Its format.
    pub format: LogFormat,
    /// Lines, bytes, encoding, noise and error counts, time span.
    pub stats: LogStats,
    /// The CBS servicing stack version that wrote it, e.g. `6.0.6002.18005`.
    pub servicing_stack: Option<String>,
    /// The Windows Update Agent build that wrote it (the first
    /// `Logging initialized (build: ...)`), e.g. `7.6.7600.311`.
    pub agent_build: Option<String>,
    /// The Windows Update Agent version of the service (the last
    /// `WU client version` / `Client version: Core:`, else [`LogReport::agent_build`]),
    /// e.g. `7.6.7600.256`.
    pub agent_version: Option<String>,
    /// The Windows version the log shows, where it tells, e.g. `NT 6.0 (Windows Server 2008 / Vista)`.
    pub windows: Option<String>,
    /// `major.minor.build` of Windows, where a line gives it (`OS Version = 6.0.6002...`,
    /// the servicing stack, a component version), e.g. `6.0.6002`.
    pub windows_version: Option<String>,
    /// What kind of line [`LogReport::windows`] comes from.
    pub windows_source: Option<VersionSource>,
    /// The line it comes from.
    pub windows_line: Option<u64>,
    /// Set when the log was written by a Windows version `diagnose` does not
    /// assess (Windows 8 / Server 2012 and later, the Windows 10+ log format,
    /// and NT 6.1 logs its servicing stack or package builds show as such): which.
    pub not_2008: Option<String>,
    /// The update servers the log names (`Server URL = `, `WSUS server: `,
    /// `reporting URL = `), each once, in log order: the WSUS server or
    /// Microsoft's, whether or not it answered.
    pub update_sources: Vec<String>,
}

/// How an attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// It succeeded.
    Succeeded,
    /// It succeeded and waits for a restart to finish.
    PendingReboot,
    /// It failed.
    Failed,
    /// The log shows it start but not end.
    Unfinished,
}

/// One update attempt of the timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attempt {
    /// When (as the log writes it, `YYYY-MM-DD hh:mm:ss`).
    pub time: Option<String>,
    /// The KB, where the package or title names it.
    pub kb: Option<Kb>,
    /// The package identity (CBS) or update title (Windows Update).
    pub package: Option<String>,
    /// The phase.
    pub phase: Phase,
    /// How it ended.
    pub outcome: Outcome,
    /// The result code, `0x` + 8 hex digits.
    pub hresult: Option<String>,
    /// The result code's symbol.
    pub symbol: Option<String>,
    /// The log and line that tell the outcome.
    pub file: String,
    /// The line.
    pub line: u64,
}

/// A log line that is an error, with its code decoded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorLine {
    /// The log.
    pub file: String,
    /// The line.
    pub line: u64,
    /// When.
    pub time: Option<String>,
    /// The message.
    pub text: String,
    /// The code, decoded: the HRESULT the line shows, or, when the line
    /// starts a failure chain without a code of its own (a CSI `(F)` line, an
    /// advanced installer summary), the HRESULT that ended the attempt. Its
    /// `symbols` include the name the log prints for it.
    pub code: Option<CodeInfo>,
    /// The code the line itself shows when it differs from `code` (`0x` + 8
    /// hex digits): the line is the start of a chain that ended with `code`.
    pub line_code: Option<String>,
}

/// The failed update and its first real error. With the verdict
/// `store_damaged` (no update attempt failed), the damage CheckSUR left:
/// its first unfixed item and the package it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    /// The failing KB.
    pub kb: Option<Kb>,
    /// Its title in the catalog, where it is an update of the catalog.
    pub kb_title: Option<String>,
    /// Its kind in the catalog (`monthly_rollup`, `ssu`, ...).
    pub kb_kind: Option<&'static str>,
    /// Its release date in the catalog.
    pub kb_released: Option<String>,
    /// The failing package identity (CBS) or update title.
    pub package: Option<String>,
    /// The phase it failed in.
    pub phase: Phase,
    /// When.
    pub time: Option<String>,
    /// The first real error of the failing attempt: the root of the failure.
    pub first_error: ErrorLine,
    /// The result the attempt ended with, when it differs from the first error.
    pub final_error: Option<ErrorLine>,
    /// Real error lines in the failing attempt.
    pub errors_in_attempt: u64,
    /// Harmless failure-looking lines ignored over all logs.
    pub noise_ignored: u64,
}

/// A damaged item CheckSUR found and did not fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoreItem {
    /// What is wrong (`CBS MUM Missing`, `CSI Payload File Missing`, ...).
    pub what: String,
    /// The file or component.
    pub path: String,
    /// The KB whose files these are, where the name tells.
    pub kb: Option<Kb>,
    /// The line.
    pub line: u64,
}

/// Component store health from CheckSUR.log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoreHealth {
    /// The CheckSUR log.
    pub file: String,
    /// `Found N errors`.
    pub found: Option<u32>,
    /// `Fixed N errors`.
    pub fixed: Option<u32>,
    /// `(f)` items with no matching `(fix)`.
    pub unfixed: Vec<StoreItem>,
    /// Files listed under `Unavailable repair files:`.
    pub unavailable_repair_files: Vec<String>,
    /// The KBs whose packages must be supplied to CheckSUR (from the file names).
    pub packages_to_supply: Vec<Kb>,
}

/// A cause of the failure, with the evidence and the fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cause {
    /// Stable id: `sha2_missing`, `esu_not_licensed`, `prerequisite_missing`,
    /// `store_corruption`, `assembly_missing`, `cannot_reach_update_source`,
    /// `download_failed`, `self_update_failed`, `disk_space`,
    /// `pending_reboot`, `pending_xml`, `third_party`,
    /// `service_pack_parent_missing`, `known_code`.
    pub id: &'static str,
    /// One line.
    pub title: String,
    /// Why this is the cause.
    pub explanation: String,
    /// The log lines that show it.
    pub evidence: Vec<Evidence>,
    /// How to fix it.
    pub fix: String,
    /// Where the explanation and fix come from.
    pub sources: Vec<String>,
}

/// One thing to do next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// `install_prerequisite`, `repair`, `free_space`, `restart`, `retry`,
    /// `roll_back`, `investigate`, `fix_connectivity`.
    pub action: &'static str,
    /// What to do.
    pub text: String,
    /// The update to install, where the step installs one.
    pub kb: Option<Kb>,
    /// Where the advice comes from.
    pub sources: Vec<String>,
}

/// The answer of `diagnose`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnosis {
    /// The overall answer.
    pub verdict: Verdict,
    /// One sentence.
    pub summary: String,
    /// The logs read.
    pub logs: Vec<LogReport>,
    /// Update attempts in log order (at most the last 200).
    pub timeline: Vec<Attempt>,
    /// Attempts left out of [`Diagnosis::timeline`] (over the cap).
    pub timeline_omitted: u64,
    /// The failure, if an attempt failed (or, with `store_damaged`, the damage CheckSUR left).
    pub failure: Option<Failure>,
    /// Component store health, if a CheckSUR log was given.
    pub store: Option<StoreHealth>,
    /// Causes, most specific first.
    pub causes: Vec<Cause>,
    /// What to do next.
    pub next_steps: Vec<Step>,
    /// Logs written by a Windows version `diagnose` does not assess: one message each.
    /// Causes and next steps are not given for a failure such a log shows.
    pub not_2008: Vec<String>,
}
