//! The fleet result model: what a fleet store (SQLite today, PostgreSQL
//! later) answers and what the fleet report writers (HTML, CSV, JSON, SARIF)
//! and the future web dashboard render.
//!
//! Plain data, no I/O: `store` fills these types from its database; `report`
//! turns them into files; neither knows about the other. Every type derives
//! `Serialize`, so the JSON output of `w2k8 hosts`, `history`, `diff` and
//! `report --format json` is their serde form (a contract: fields may be
//! added, never renamed).
//!
//! Times are ISO 8601 UTC strings (`2026-11-25T19:32:04Z`), months `YYYY-MM`.
#![deny(missing_docs)]

use serde::{Deserialize, Serialize};
use w2k8_core::{Arch, CveId, Kb, Month, Severity, Timestamp, UpdateKind};

/// How a scan of one bundle ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScanStatus {
    /// Read and assessed.
    Ok,
    /// The bundle could not be read (corrupt zip, not a recognised format, ...).
    Failed,
    /// Another Windows version than w2k8 assesses (named in `error`).
    Unsupported,
}

impl ScanStatus {
    /// `ok`, `failed`, `unsupported`.
    pub fn as_str(self) -> &'static str {
        match self {
            ScanStatus::Ok => "ok",
            ScanStatus::Failed => "failed",
            ScanStatus::Unsupported => "unsupported",
        }
    }
}

/// One host as of its latest scan: the line `w2k8 hosts` prints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostRow {
    /// The store's id of the host.
    pub host_id: i64,
    /// Host name as the bundle gives it (or the bundle's file name when it gives none).
    pub name: String,
    /// Product ID, part of the host's identity where the bundle has it.
    pub product_id: Option<String>,
    /// e.g. `Windows Server 2008 SP2`, `Windows Server 2008 R2 SP1`.
    pub product: Option<String>,
    /// e.g. `Standard`.
    pub edition: Option<String>,
    /// Architecture.
    pub arch: Option<Arch>,
    /// Server Core, full, or unknown.
    pub server_core: Option<bool>,
    /// 6001, 6002, 6003 (2008); 7600, 7601 (2008 R2).
    pub build: Option<u32>,
    /// ntoskrnl.exe version.
    pub kernel: Option<String>,
    /// `YYYY-MM`.
    pub patched_through: Option<Month>,
    /// `YYYY-MM`: the month the host is patched through at least, when the
    /// evidence gives only a bound (e.g. build 6003 with no readable list).
    #[serde(default)]
    pub patched_through_at_least: Option<Month>,
    /// Updates missing (the smallest set); None when the host was not
    /// assessed (failed or unsupported scan): never 0 for an unread host.
    pub missing: Option<u32>,
    /// Open CVEs; None when not assessed.
    pub open_cves: Option<u32>,
    /// Open CVEs in CISA KEV; None when not assessed.
    pub kev_open: Option<u32>,
    /// Open CVEs in CISA KEV with known ransomware use; None when not assessed.
    pub ransomware_open: Option<u32>,
    /// CVEs whose status the evidence cannot tell (neither open nor
    /// closed); None when not assessed or stored by an older w2k8.
    #[serde(default)]
    pub unknown_cves: Option<u32>,
    /// Of `unknown_cves`, in CISA KEV.
    #[serde(default)]
    pub unknown_kev: Option<u32>,
    /// True when the counts are lower bounds (a partial list of installed
    /// updates, or a host below Service Pack 2); None when not assessed or
    /// stored by an older w2k8.
    #[serde(default)]
    pub counts_are_lower_bound: Option<bool>,
    /// Of the open KEV CVEs, those reachable on the host (`exposed` or
    /// `reduced`), as `assess` counts `summary.reachable_kev`: None when
    /// not assessed, when the bundle lacks the configuration files that
    /// would tell for one of them (unknown, never 0), or when the scan was
    /// stored before w2k8 recorded it (`w2k8 scan --reassess` fills it). A
    /// lower bound when `counts_are_lower_bound`.
    #[serde(default)]
    pub reachable_kev: Option<u32>,
    /// Open CVEs rated critical by MSRC; None when not assessed.
    #[serde(default)]
    pub critical_open: Option<u32>,
    /// How many of the latest scan's findings live accepted risks cover
    /// (`w2k8 accept`), counted beside `open_cves` and `missing`, which
    /// still count them (accepted findings are shown, never hidden). None
    /// when the host was not assessed, or when the answer did not count
    /// them.
    #[serde(default)]
    pub accepted: Option<AcceptedCounts>,
    /// When the latest scan ran.
    pub last_scan: Timestamp,
    /// How the latest scan ended.
    pub status: ScanStatus,
    /// The error of a failed or unsupported latest scan.
    pub error: Option<String>,
    /// The files the latest scan left out (a file `standing` refuses, a
    /// FIFO, a link leaving the bundle, ...), each with why; also on an ok
    /// scan. Left out of the JSON when empty (and empty for scans stored by
    /// an older w2k8, which named them in `error` only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub file_problems: Vec<FileProblem>,
}

/// A file of a bundle that a scan left out, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileProblem {
    /// The file, as named inside the bundle.
    pub file: String,
    /// Why it was left out, e.g. `a FIFO (named pipe), not a regular file: not opened`.
    pub problem: String,
}

impl HostRow {
    /// Clears the counts of a host that was not assessed: a report written
    /// by an older w2k8 holds 0 there, and 0 would read as clean.
    pub fn forget_unassessed_counts(&mut self) {
        if self.status != ScanStatus::Ok {
            self.missing = None;
            self.open_cves = None;
            self.kev_open = None;
            self.ransomware_open = None;
            self.unknown_cves = None;
            self.unknown_kev = None;
            self.counts_are_lower_bound = None;
            self.patched_through_at_least = None;
            self.reachable_kev = None;
            self.critical_open = None;
            self.accepted = None;
        }
    }
}

/// One scan of one host: a line of `w2k8 history`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanRecord {
    /// The store's id of the scan.
    pub scan_id: i64,
    /// The host's name.
    pub host: String,
    /// When it ran.
    pub scanned_at: Timestamp,
    /// The bundle path as given to `scan`.
    pub source: String,
    /// A digest of the bundle's bytes: the same input is stored once.
    pub digest: String,
    /// How it ended.
    pub status: ScanStatus,
    /// Why it failed.
    pub error: Option<String>,
    /// Build then.
    pub build: Option<u32>,
    /// Kernel then.
    pub kernel: Option<String>,
    /// Patched through then.
    pub patched_through: Option<Month>,
    /// Missing updates then; None when that scan did not assess the host.
    pub missing: Option<u32>,
    /// Open CVEs then; None when not assessed.
    pub open_cves: Option<u32>,
    /// Open KEV CVEs then; None when not assessed.
    pub kev_open: Option<u32>,
    /// The counts were lower bounds then; None when not assessed or not recorded.
    #[serde(default)]
    pub counts_are_lower_bound: Option<bool>,
    /// Reachable open KEV CVEs then (see [`HostRow::reachable_kev`]); None
    /// when not assessed, unknown or not recorded.
    #[serde(default)]
    pub reachable_kev: Option<u32>,
    /// The files that scan left out, each with why (see
    /// [`HostRow::file_problems`]); left out of the JSON when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub file_problems: Vec<FileProblem>,
    /// The catalog that scan was judged with (data versions, e.g. `msrc
    /// 2025-06-10, kev 2025.08.29, servicing 2025-09-01`); left out when
    /// not recorded (scans stored before w2k8 recorded it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catalog: Option<String>,
    /// A re-assessment (`w2k8 scan --reassess`): the id of the scan whose
    /// saved input it judged again with a newer catalog; left out for a scan
    /// of a bundle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reassessed_from: Option<i64>,
}

/// What changed for one host between two consecutive scans.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// The host.
    pub host: String,
    /// The earlier scan's time (None for a host's first scan).
    pub from_scan: Option<Timestamp>,
    /// The later scan's time.
    pub to_scan: Timestamp,
    /// Build before and after, when it changed (e.g. 6002 -> 6003).
    pub build: Option<(Option<u32>, Option<u32>)>,
    /// Patched-through before and after, when it changed.
    pub patched_through: Option<(Option<Month>, Option<Month>)>,
    /// Updates newly installed.
    pub installed: Vec<Kb>,
    /// CVEs closed since the earlier scan.
    pub closed: Vec<String>,
    /// CVEs newly open (newly published, or a rollback).
    pub opened: Vec<String>,
}

/// Every scan of one host and the changes between them (`w2k8 history`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct History {
    /// The host.
    pub host: HostRow,
    /// Its scans, oldest first.
    pub scans: Vec<ScanRecord>,
    /// The changes between consecutive scans, oldest first.
    pub changes: Vec<Change>,
}

/// Fleet-wide changes since a date (`w2k8 diff`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FleetDiff {
    /// The date compared from (`YYYY-MM-DD`), or None for "the previous scan of each host".
    pub since: Option<w2k8_core::Date>,
    /// Per-host changes with something in them.
    pub changes: Vec<Change>,
    /// Hosts seen for the first time in the period.
    pub new_hosts: Vec<String>,
    /// Totals: hosts that got patched, CVE/host pairs newly exposed and newly closed.
    pub patched_hosts: u32,
    /// CVE/host pairs newly open.
    pub newly_exposed: u32,
    /// CVE/host pairs closed.
    pub newly_closed: u32,
}

/// A CVE across the fleet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FleetCve {
    /// `CVE-YYYY-NNNN` (or an MSRC advisory id). Fleet lists order ids as
    /// text ([`CveId::cmp_text`]), as the stores' `ORDER BY` does.
    pub cve: CveId,
    /// MSRC title.
    pub title: String,
    /// `critical`, `important`, ...
    pub severity: Severity,
    /// In CISA KEV.
    pub kev: bool,
    /// Known ransomware use (KEV).
    pub ransomware: bool,
    /// A public exploit is listed.
    pub exploit: bool,
    /// Hosts (latest scans) with it open.
    pub hosts: u32,
}

/// An update missing across the fleet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FleetMissing {
    /// The KB.
    pub kb: Kb,
    /// Its title.
    pub title: Option<String>,
    /// `monthly_rollup`, `ssu`, ...
    pub kind: UpdateKind,
    /// Hosts (latest scans) missing it.
    pub hosts: u32,
}

/// One point of the fleet's exposure over time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExposurePoint {
    /// The day (`YYYY-MM-DD`).
    pub date: w2k8_core::Date,
    /// Hosts known on that day (their latest scan up to then).
    pub hosts: u32,
    /// Of those, hosts with at least one open KEV CVE.
    pub kev_hosts: u32,
    /// Open CVE/host pairs.
    pub open_cves: u64,
}

/// A labelled count, for charts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bucket {
    /// The label, e.g. `6003`, `2023-01`, `KEV + ransomware`.
    pub label: String,
    /// How many hosts.
    pub hosts: u32,
}

/// Fleet totals.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    /// Hosts in the store.
    pub hosts: u32,
    /// Hosts whose latest scan is ok.
    pub ok: u32,
    /// Hosts whose latest scan failed.
    pub failed: u32,
    /// Hosts running another Windows version.
    pub unsupported: u32,
    /// Scans stored, all hosts, all times.
    pub scans: u32,
    /// Hosts with an open KEV CVE.
    pub kev_hosts: u32,
    /// Hosts with an open KEV CVE known to be used by ransomware.
    pub ransomware_hosts: u32,
    /// Assessed hosts whose counts are lower bounds (partial evidence).
    #[serde(default)]
    pub partial: u32,
    /// Assessed hosts with no open KEV CVE but a KEV CVE whose status the
    /// evidence cannot tell: not shown as free of KEV exposure.
    #[serde(default)]
    pub kev_unknown_hosts: u32,
    /// Assessed hosts with a reachable open KEV CVE (`reachable_kev` > 0).
    #[serde(default)]
    pub reachable_kev_hosts: u32,
    /// Assessed hosts whose reachable KEV count is unknown (the bundle lacks
    /// the configuration files, or the scan predates w2k8 recording it).
    #[serde(default)]
    pub reachable_kev_unknown_hosts: u32,
}

/// A host's detail for the report: its latest missing updates and riskiest open CVEs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostDetail {
    /// The host.
    pub host: HostRow,
    /// Missing updates (latest scan): the smallest set that brings the host current, as `assess` lists them (the install order, with intermediate steps, is the plan's).
    pub missing: Vec<FleetMissing>,
    /// Open CVEs (latest scan), riskiest first; the report may cut the list.
    pub exposure: Vec<FleetCve>,
}

/// Everything a fleet report shows (`w2k8 report`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FleetReport {
    /// When the report was made.
    pub generated_at: Timestamp,
    /// The catalog's data versions, e.g. `msrc 2026-06-28, kev 2025.08.25`.
    pub catalog: String,
    /// What in the catalog is stale when the report was made, and how to
    /// refresh it (empty when current, or not recorded).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub catalog_warnings: Vec<String>,
    /// Totals.
    pub totals: Totals,
    /// Hosts by build (6001, 6002, 6003, 7600, 7601, other/unknown).
    pub by_build: Vec<Bucket>,
    /// Hosts by patched-through month, oldest first.
    pub by_patched_through: Vec<Bucket>,
    /// Hosts by KEV exposure (`KEV + ransomware`, `KEV`, `no KEV`).
    pub by_kev: Vec<Bucket>,
    /// Exposure over time, oldest first.
    pub history: Vec<ExposurePoint>,
    /// One row per host.
    pub hosts: Vec<HostRow>,
    /// Per-host detail.
    pub details: Vec<HostDetail>,
    /// CVEs by number of hosts, KEV first.
    pub top_cves: Vec<FleetCve>,
    /// Updates missing by number of hosts.
    pub top_missing: Vec<FleetMissing>,
    /// What to close first: the isolation changes that remove the most
    /// reachable KEV exposure across hosts (empty in a report written by an
    /// older w2k8).
    #[serde(default)]
    pub close_first: CloseFirst,
}

impl FleetReport {
    /// [`HostRow::forget_unassessed_counts`] on every host row (for a report
    /// read back from JSON).
    pub fn forget_unassessed_counts(&mut self) {
        for h in self.hosts.iter_mut().chain(self.details.iter_mut().map(|d| &mut d.host)) {
            h.forget_unassessed_counts();
        }
    }
}

/// One scan's view of one CVE, for `w2k8 history HOST --cve CVE`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CveScan {
    /// When the scan ran.
    pub scanned_at: Timestamp,
    /// The scan's status.
    pub status: ScanStatus,
    /// The CVE was open in that scan.
    pub open: bool,
}

/// How long one host was exposed to one CVE, as its scans show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CveExposure {
    /// The host.
    pub host: String,
    /// The CVE.
    pub cve: CveId,
    /// Every ok scan of the host, oldest first, with the CVE open or not.
    pub scans: Vec<CveScan>,
    /// The first scan that saw it open.
    pub first_open: Option<Timestamp>,
    /// The first scan after `first_open` that saw it closed (None: still open, or never open).
    pub closed_at: Option<Timestamp>,
    /// Open in the latest scan.
    pub open_now: bool,
    /// Days from `first_open` to `closed_at` (or to the latest scan when still open).
    pub days_exposed: Option<i64>,
}

/// A bundle of a fleet scan that was not assessed, or was assessed
/// without some of its files (status `ok`, the files named in `error`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanProblem {
    /// The bundle (its path or upload name).
    pub source: String,
    /// `failed`, `unsupported`, or `ok` when files were left out.
    pub status: ScanStatus,
    /// Why (or which files were left out, and why).
    pub error: String,
}

/// The totals of one `w2k8 scan` run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanSummary {
    /// Bundles given.
    pub total: usize,
    /// Assessed.
    pub ok: usize,
    /// Could not be read.
    pub failed: usize,
    /// Another Windows version.
    pub unsupported: usize,
    /// Scans stored.
    pub stored: usize,
    /// Scans already in the store (same host, same input).
    pub duplicates: usize,
    /// Of those, scans stored before w2k8 recorded reachability: their
    /// reachable KEV count and isolation plan filled in place.
    #[serde(default)]
    pub filled: usize,
    /// The bundles not assessed or assessed without some files, by source.
    pub problems: Vec<ScanProblem>,
    /// What the paths given held that is not scanned as a bundle (a loose
    /// file at the top of a fleet folder) or is read in an unusual way.
    #[serde(default)]
    pub warnings: Vec<PathWarning>,
    /// Hosts given the answer made for another host that reads alike (the
    /// same facts but the name and product ID).
    #[serde(default)]
    pub shared: usize,
}

/// A path met while looking for bundles that is not scanned as one, or a
/// bundle read in a way its owner may not expect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PathWarning {
    /// The path, as found.
    pub path: String,
    /// What was done with it and why.
    pub reason: String,
}

/// A host `w2k8 scan --reassess` did not judge again, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotReassessed {
    /// The host's id.
    pub host_id: i64,
    /// Its name.
    pub name: String,
    /// Its latest scan's source.
    pub source: String,
    /// Why, and what to do (`cannot re-assess: no saved input (...): rescan its bundle`).
    pub reason: String,
}

/// What `w2k8 scan --reassess` did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReassessSummary {
    /// The catalog the hosts were judged with (its data versions).
    pub catalog: String,
    /// Hosts in the database.
    pub hosts: usize,
    /// Hosts judged again and stored as a new scan.
    pub reassessed: usize,
    /// Of the hosts judged, assessed (`ok`).
    pub ok: usize,
    /// Of the hosts judged, not assessed (`unsupported` or `failed`).
    pub not_assessed: usize,
    /// Hosts whose latest scan was judged with this catalog already.
    pub current: usize,
    /// Hosts judged, but stored meanwhile by another run: nothing stored.
    pub duplicates: usize,
    /// Hosts whose latest scan was judged with this catalog but stored
    /// before w2k8 recorded reachability: its `reachable_kev` and isolation
    /// plan filled in place (no new scan).
    #[serde(default)]
    pub filled: usize,
    /// Hosts judged by an assessment made for another host that read the
    /// same (every fact alike but the name): judged once.
    pub shared: usize,
    /// Hosts that could not be re-assessed, by host id.
    pub cannot: Vec<NotReassessed>,
}

/// An accepted risk recorded in the fleet database (`w2k8 accept`, `POST
/// /api/acceptances`): the JSON of `accept --list` and `GET
/// /api/acceptances`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AcceptanceRecord {
    /// The store's id (`w2k8 accept --remove ID`).
    pub id: i64,
    /// What it accepts: `CVE-YYYY-NNNN` or `KBnnnnnnn`.
    pub target: w2k8_core::accept::Target,
    /// The hosts it covers: a pattern on the host name (`*`, `?`; case ignored).
    pub host: String,
    /// Why.
    pub reason: String,
    /// Who accepted it; None when not given.
    pub owner: Option<String>,
    /// The last day it holds (inclusive).
    pub until: w2k8_core::Date,
    /// When it was recorded (UTC).
    pub created_at: Timestamp,
}

impl AcceptanceRecord {
    /// As the assessment applies it: its `source` is `db:#ID`.
    pub fn acceptance(&self) -> w2k8_core::accept::Acceptance {
        w2k8_core::accept::Acceptance {
            target: self.target.clone(),
            host: self.host.clone(),
            reason: self.reason.clone(),
            owner: self.owner.clone(),
            until: self.until,
            source: format!("db:#{}", self.id),
        }
    }
}

/// An accepted risk to record: [`AcceptanceRecord`] before the store gives
/// it an id and a time (the body of `POST /api/acceptances`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewAcceptance {
    /// `CVE-YYYY-NNNN` or `KBnnnnnnn`.
    pub target: w2k8_core::accept::Target,
    /// A pattern on the host name; `*` for every host.
    pub host: String,
    /// Why (not empty).
    pub reason: String,
    /// Who accepted it.
    #[serde(default)]
    pub owner: Option<String>,
    /// The last day it holds, `YYYY-MM-DD`.
    pub until: w2k8_core::Date,
}

impl NewAcceptance {
    /// Why it cannot be recorded, as `expected ...`; None when it can: a
    /// host pattern (not empty, no control characters, at most 255
    /// characters), a reason that is not empty, an owner that is not empty
    /// when given.
    pub fn problem(&self) -> Option<String> {
        if !w2k8_core::accept::valid_host_pattern(&self.host) {
            return Some(
                "expected a host name pattern in `host` (e.g. srv-file*, or * for every host; at most 255 characters)"
                    .to_string(),
            );
        }
        if self.reason.trim().is_empty() || self.reason.chars().any(|c| c.is_control() && c != '\n') {
            return Some("expected a reason in `reason` (not empty, no control characters)".to_string());
        }
        if self.owner.as_deref().is_some_and(|o| o.trim().is_empty() || o.chars().any(char::is_control)) {
            return Some("expected an owner name in `owner` (not empty, no control characters), or none".to_string());
        }
        None
    }
}

/// How many findings of a host's latest scan live accepted risks cover.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AcceptedCounts {
    /// Open CVEs a live acceptance of the CVE covers.
    pub cves: u32,
    /// Missing updates a live acceptance of the KB covers.
    pub missing: u32,
}

/// One step of a host's isolation plan as the fleet store keeps it (the
/// plan's `isolation.steps[]`, without its commands): what the fleet view
/// "what to close first" adds up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostIsolationStep {
    /// The step's id (`stop_spooler`, `dns_tcp_receive_packet_size`, ...:
    /// the mitigation id of `data/mitigations/mitigations.csv`).
    pub id: String,
    /// The component it isolates (`print_spooler`, `dns_server`, ...).
    pub component: String,
    /// `removes` or `reduces`.
    pub effect: String,
    /// The reachable open KEV CVEs it addresses on this host.
    pub kev: Vec<CveId>,
    /// The other CVEs it addresses (critical, not in KEV).
    pub other_cves: u32,
    /// A restart is needed before it holds.
    pub restart: bool,
    /// Left out for a role the host serves (the plan's `role_warning`: a
    /// print server's spooler, a domain controller's port 445): proposed
    /// commented out, never run.
    pub left_out_for_role: bool,
}

/// A host's isolation plan as the fleet store keeps it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostIsolation {
    /// The steps, in the plan's order.
    pub steps: Vec<HostIsolationStep>,
    /// KEV or critical CVEs with no fix whose reachability is unknown (no
    /// step is generated for them).
    pub not_judged: u32,
    /// Reachable KEV or critical CVEs with no fix and no host-level step.
    pub no_step_known: u32,
}

/// One change of the fleet view "what to close first": a step of the
/// hosts' isolation plans added up across the fleet (latest scans).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CloseFirstStep {
    /// The step's id (`stop_spooler`, ...): `w2k8 plan HOST` and `w2k8
    /// script HOST --isolate` give its commands, undo and what it breaks.
    pub id: String,
    /// The component it isolates.
    pub component: String,
    /// `removes` (the CVEs are closed once it is made) or `reduces` (they
    /// stay reachable, to fewer attackers).
    pub effect: String,
    /// A restart is needed before it holds (on at least one host).
    pub restart: bool,
    /// Hosts whose plan proposes it (not left out for a role).
    pub hosts: u32,
    /// Reachable open KEV (host, CVE) pairs it addresses on those hosts:
    /// what making it everywhere it is proposed would close (or reduce).
    pub kev_pairs: u32,
    /// The distinct KEV CVEs among those pairs.
    pub kev_cves: Vec<CveId>,
    /// Other (critical, not KEV) (host, CVE) pairs it addresses there.
    pub other_pairs: u32,
    /// Hosts where the plan leaves it out for a role the host serves.
    pub left_out_for_role: u32,
    /// Reachable KEV (host, CVE) pairs on those hosts: left open.
    pub left_out_kev_pairs: u32,
    /// The names of those hosts (at most [`CloseFirst::LIST_MAX`]; the count is `left_out_for_role`).
    pub left_out_hosts: Vec<String>,
}

/// The fleet view "what to close first" (issue 20): the isolation steps of
/// every host's latest scan, by step, the one addressing the most reachable
/// KEV (host, CVE) pairs first. Only hosts whose reachability was judged
/// count; the hosts that could not be judged are counted, never shown as
/// having nothing to close.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CloseFirst {
    /// Assessed hosts whose isolation plan is recorded.
    pub hosts_judged: u32,
    /// Of those, hosts with KEV or critical CVEs with no fix whose
    /// reachability is unknown (the bundle lacks the configuration files):
    /// their steps for those CVEs are not known.
    pub hosts_not_judged: u32,
    /// Assessed hosts whose scan predates w2k8 recording the isolation
    /// plan (`w2k8 scan --reassess` fills them): not counted.
    pub hosts_not_recorded: u32,
    /// Reachable KEV or critical (host, CVE) pairs with no fix and no
    /// host-level step: only network isolation or replacing the host helps.
    pub no_step_known: u32,
    /// The steps, most KEV pairs first (then removing before reducing,
    /// more hosts, id).
    pub steps: Vec<CloseFirstStep>,
}

impl CloseFirst {
    /// How many host names a step lists in `left_out_hosts`.
    pub const LIST_MAX: usize = 50;

    /// Adds up the isolation plans of the hosts' latest scans: `hosts` are
    /// `(host name, plan)` of the assessed hosts (None: not recorded).
    pub fn from_hosts<'a>(hosts: impl IntoIterator<Item = (&'a str, Option<&'a HostIsolation>)>) -> CloseFirst {
        use std::collections::{BTreeSet, HashMap};
        let mut out = CloseFirst::default();
        let mut by_id: HashMap<&str, (CloseFirstStep, BTreeSet<CveId>)> = HashMap::new();
        let n = |c: usize| u32::try_from(c).unwrap_or(u32::MAX);
        for (name, iso) in hosts {
            let Some(iso) = iso else {
                out.hosts_not_recorded += 1;
                continue;
            };
            out.hosts_judged += 1;
            if iso.not_judged > 0 {
                out.hosts_not_judged += 1;
            }
            out.no_step_known = out.no_step_known.saturating_add(iso.no_step_known);
            for s in &iso.steps {
                let (f, cves) = by_id.entry(s.id.as_str()).or_insert_with(|| {
                    (
                        CloseFirstStep {
                            id: s.id.clone(),
                            component: s.component.clone(),
                            effect: s.effect.clone(),
                            ..CloseFirstStep::default()
                        },
                        BTreeSet::new(),
                    )
                });
                f.restart |= s.restart;
                if s.left_out_for_role {
                    f.left_out_for_role += 1;
                    f.left_out_kev_pairs = f.left_out_kev_pairs.saturating_add(n(s.kev.len()));
                    if f.left_out_hosts.len() < CloseFirst::LIST_MAX {
                        f.left_out_hosts.push(name.to_string());
                    }
                } else {
                    f.hosts += 1;
                    f.kev_pairs = f.kev_pairs.saturating_add(n(s.kev.len()));
                    f.other_pairs = f.other_pairs.saturating_add(s.other_cves);
                    cves.extend(s.kev.iter().copied());
                }
            }
        }
        out.steps = by_id
            .into_values()
            .map(|(mut f, cves)| {
                f.kev_cves = cves.into_iter().collect();
                CveId::sort_by_text(&mut f.kev_cves);
                f.left_out_hosts.sort();
                f
            })
            .collect();
        out.steps.sort_by(|a, b| {
            b.kev_pairs
                .cmp(&a.kev_pairs)
                .then_with(|| (a.effect != "removes").cmp(&(b.effect != "removes")))
                .then_with(|| b.hosts.cmp(&a.hosts))
                .then_with(|| b.other_pairs.cmp(&a.other_pairs))
                .then_with(|| a.id.cmp(&b.id))
        });
        out
    }
}

/// Orders host rows by risk, riskiest first: hosts not assessed first
/// (their risk is unknown, never "clean"), then open KEV CVEs, open KEV
/// CVEs used by ransomware, open critical CVEs, open CVEs and missing
/// updates, each most first;
/// then name and id. The host table of the report and the dashboard's
/// default order (`GET /api/hosts?sort=risk`).
///
/// A new key goes here, once, for both.
pub fn risk_order(a: &HostRow, b: &HostRow) -> std::cmp::Ordering {
    let key = |h: &HostRow| {
        (
            h.status == ScanStatus::Ok,
            std::cmp::Reverse(h.kev_open),
            std::cmp::Reverse(h.ransomware_open),
            std::cmp::Reverse(h.critical_open),
            std::cmp::Reverse(h.open_cves),
            std::cmp::Reverse(h.missing),
        )
    };
    key(a).cmp(&key(b)).then_with(|| a.name.cmp(&b.name)).then_with(|| a.host_id.cmp(&b.host_id))
}

/// The one-line answer for a manager: hosts assessed and not, how many are
/// current, how many have a KEV CVE open, and what changed since the
/// previous scan round. Derived from a [`FleetReport`]'s host rows and
/// history by [`Headline::of`]; the report and the dashboard both show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Headline {
    /// Hosts in the store.
    pub hosts: u32,
    /// Hosts whose latest scan assessed them.
    pub assessed: u32,
    /// Hosts whose latest scan did not (failed, unsupported): never counted
    /// as current or clean.
    pub not_assessed: u32,
    /// Assessed hosts with no update missing on their track, from complete
    /// evidence (a lower bound of 0 is not current).
    pub current: u32,
    /// `current` in percent of all hosts (the hosts not assessed count as
    /// not current), rounded down; None when there is no host.
    pub current_percent: Option<u32>,
    /// Hosts with an open KEV CVE.
    pub kev_hosts: u32,
    /// The change since the previous scan round; None on the first round.
    pub trend: Option<Trend>,
}

/// The change between the last two scan rounds (days with scans) of the
/// exposure history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trend {
    /// The previous round's day (`YYYY-MM-DD`).
    pub since: w2k8_core::Date,
    /// The latest round's day.
    pub until: w2k8_core::Date,
    /// Hosts with an open KEV CVE then.
    pub kev_hosts_before: u32,
    /// And now.
    pub kev_hosts_now: u32,
    /// Open CVE/host pairs then.
    pub open_cves_before: u64,
    /// And now.
    pub open_cves_now: u64,
}

impl Headline {
    /// The headline of `hosts` (latest scans) and `history` (oldest first).
    pub fn of(hosts: &[HostRow], history: &[ExposurePoint]) -> Headline {
        let n = |c: usize| u32::try_from(c).unwrap_or(u32::MAX);
        let assessed = hosts.iter().filter(|h| h.status == ScanStatus::Ok).count();
        let current = hosts
            .iter()
            .filter(|h| h.status == ScanStatus::Ok && h.missing == Some(0) && h.counts_are_lower_bound != Some(true))
            .count();
        let kev_hosts = hosts.iter().filter(|h| h.kev_open.is_some_and(|k| k > 0)).count();
        let trend = match history {
            [.., before, now] => Some(Trend {
                since: before.date,
                until: now.date,
                kev_hosts_before: before.kev_hosts,
                kev_hosts_now: now.kev_hosts,
                open_cves_before: before.open_cves,
                open_cves_now: now.open_cves,
            }),
            _ => None,
        };
        Headline {
            hosts: n(hosts.len()),
            assessed: n(assessed),
            not_assessed: n(hosts.len() - assessed),
            current: n(current),
            current_percent: (!hosts.is_empty())
                .then(|| u32::try_from(current * 100 / hosts.len()).unwrap_or(u32::MAX)),
            kev_hosts: n(kev_hosts),
            trend,
        }
    }

    /// The headline as one sentence, e.g. `1500 hosts (1417 assessed, 83 not
    /// assessed) · 4% current on their track (66 of 1500 hosts) · 1344 with a
    /// KEV CVE open · since 2025-12-28: hosts with KEV 1358 → 1344 (−14), open
    /// CVE/host pairs ...`.
    pub fn sentence(&self) -> String {
        let mut s = format!(
            "{} hosts ({} assessed, {} not assessed) · {} current on their track ({} of {} hosts) · {} with a KEV CVE open · ",
            self.hosts,
            self.assessed,
            self.not_assessed,
            self.current_percent.map_or("–".to_string(), |p| format!("{p}%")),
            self.current,
            self.hosts,
            self.kev_hosts
        );
        s.push_str(&self.trend_text());
        s
    }

    /// The trend part: `first scan` or `since DAY: KEV hosts A → B (±N), open CVEs ...`.
    pub fn trend_text(&self) -> String {
        match &self.trend {
            None => "first scan: no trend yet".to_string(),
            Some(t) => format!(
                "since {}: hosts with KEV {} → {} ({}), open CVE/host pairs {} → {} ({})",
                t.since,
                t.kev_hosts_before,
                t.kev_hosts_now,
                signed(i128::from(t.kev_hosts_now) - i128::from(t.kev_hosts_before)),
                t.open_cves_before,
                t.open_cves_now,
                signed(i128::from(t.open_cves_now) - i128::from(t.open_cves_before))
            ),
        }
    }
}

/// `+3`, `−2` (a minus sign), `±0`.
pub fn signed(d: i128) -> String {
    match d {
        0 => "±0".to_string(),
        d if d > 0 => format!("+{d}"),
        d => format!("−{}", d.unsigned_abs()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(id: &str, kev: &[&str], role: bool) -> HostIsolationStep {
        HostIsolationStep {
            id: id.to_string(),
            component: format!("{id}-component"),
            effect: "removes".to_string(),
            kev: kev.iter().map(|c| c.parse().unwrap()).collect(),
            other_cves: 1,
            restart: false,
            left_out_for_role: role,
        }
    }

    #[test]
    fn close_first_adds_up_steps_by_kev_pairs_and_counts_what_it_cannot_judge() {
        let a = HostIsolation {
            steps: vec![step("stop_spooler", &["CVE-2021-34527"], false), step("dns", &[], false)],
            not_judged: 0,
            no_step_known: 2,
        };
        let b = HostIsolation {
            steps: vec![step("stop_spooler", &["CVE-2021-34527", "CVE-2021-1675"], false)],
            not_judged: 3,
            no_step_known: 0,
        };
        let c = HostIsolation { steps: vec![step("stop_spooler", &["CVE-2021-34527"], true)], ..Default::default() };
        let cf = CloseFirst::from_hosts([("a", Some(&a)), ("b", Some(&b)), ("print", Some(&c)), ("old", None)]);
        assert_eq!((cf.hosts_judged, cf.hosts_not_judged, cf.hosts_not_recorded, cf.no_step_known), (3, 1, 1, 2));
        let ids: Vec<&str> = cf.steps.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["stop_spooler", "dns"]);
        let s = &cf.steps[0];
        assert_eq!((s.hosts, s.kev_pairs, s.other_pairs), (2, 3, 2));
        assert_eq!(s.kev_cves, ["CVE-2021-1675", "CVE-2021-34527"]);
        assert_eq!((s.left_out_for_role, s.left_out_kev_pairs), (1, 1));
        assert_eq!(s.left_out_hosts, ["print"]);
        assert_eq!((cf.steps[1].hosts, cf.steps[1].kev_pairs), (1, 0));
    }
}

#[cfg(test)]
mod headline_tests {
    use super::*;

    fn host(id: i64, status: ScanStatus, missing: Option<u32>, kev: Option<u32>, lb: Option<bool>) -> HostRow {
        HostRow {
            host_id: id,
            name: format!("h{id}"),
            product_id: None,
            product: None,
            edition: None,
            arch: None,
            server_core: None,
            build: None,
            kernel: None,
            patched_through: None,
            patched_through_at_least: None,
            missing,
            open_cves: kev,
            kev_open: kev,
            ransomware_open: kev.map(|_| 0),
            unknown_cves: None,
            unknown_kev: None,
            counts_are_lower_bound: lb,
            reachable_kev: None,
            critical_open: None,
            accepted: None,
            last_scan: "2026-01-01T00:00:00Z".parse().unwrap(),
            status,
            error: None,
            file_problems: Vec::new(),
        }
    }

    #[test]
    fn unassessed_hosts_are_never_current_and_a_first_round_has_no_trend() {
        let hosts = [
            host(1, ScanStatus::Ok, Some(0), Some(0), Some(false)),
            host(2, ScanStatus::Ok, Some(0), Some(0), Some(true)), // a lower bound of 0
            host(3, ScanStatus::Ok, Some(2), Some(1), None),
            host(4, ScanStatus::Failed, None, None, None),
        ];
        let h = Headline::of(&hosts, &[]);
        assert_eq!((h.hosts, h.assessed, h.not_assessed, h.current, h.current_percent), (4, 3, 1, 1, Some(25)));
        assert_eq!(h.kev_hosts, 1);
        assert!(h.trend.is_none());
        assert!(h.sentence().contains("first scan"));
        assert_eq!(Headline::of(&[], &[]).current_percent, None);
    }

    #[test]
    fn the_trend_compares_the_last_two_rounds() {
        let p =
            |d: &str, k: u32, o: u64| ExposurePoint { date: d.parse().unwrap(), hosts: 3, kev_hosts: k, open_cves: o };
        let h = Headline::of(&[], &[p("2026-01-01", 9, 90), p("2026-02-01", 5, 100), p("2026-03-01", 3, 100)]);
        let t = h.trend.clone().expect("a trend");
        assert_eq!((t.since.to_string().as_str(), t.kev_hosts_before, t.kev_hosts_now), ("2026-02-01", 5, 3));
        assert!(h.trend_text().contains("(−2)") && h.trend_text().contains("(±0)"), "{}", h.trend_text());
    }

    #[test]
    fn risk_puts_unassessed_first_then_kev_then_cves() {
        let mut v = [
            host(1, ScanStatus::Ok, Some(0), Some(0), None),
            host(2, ScanStatus::Ok, Some(3), Some(5), None),
            host(3, ScanStatus::Failed, None, None, None),
            host(4, ScanStatus::Ok, Some(9), Some(1), None),
        ];
        v.sort_by(risk_order);
        let ids: Vec<i64> = v.iter().map(|h| h.host_id).collect();
        assert_eq!(ids, [3, 2, 4, 1]);
    }

    #[test]
    fn risk_puts_critical_cves_before_the_open_count() {
        // Same KEV and ransomware counts: 2 critical of 10 open goes before 0 critical of 40 open.
        let with = |id: i64, open: u32, critical: u32| HostRow {
            open_cves: Some(open),
            critical_open: Some(critical),
            ..host(id, ScanStatus::Ok, Some(0), Some(1), None)
        };
        let mut v = [with(1, 40, 0), with(2, 10, 2), with(3, 50, 2)];
        v.sort_by(risk_order);
        let ids: Vec<i64> = v.iter().map(|h| h.host_id).collect();
        assert_eq!(ids, [3, 2, 1]);
    }
}
