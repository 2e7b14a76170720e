//! How to patch a Windows Server 2008 SP2 host without breaking it: the
//! ordered install plan behind `w2k8 plan` (and the scripts of `w2k8 script`).
//!
//! The plan starts from an [`Assessment`] (what is missing, the programme,
//! the track) and orders the updates by the servicing rules of
//! `data/servicing/facts.md`, each step citing the rule it follows:
//!
//! * **Servicing stack first** (§8): Microsoft's general rule is to install
//!   the newest servicing stack update (SSU) before the monthly update. The
//!   plan takes the newest SSU released up to the newest update it installs
//!   (per-rollup SSU prerequisites are not in the data).
//! * **SHA-2 before any update released from July 2019** (§7, KB4472027):
//!   such updates are SHA-2 signed only and need KB4474419. Because SSUs of
//!   that period are SHA-2 signed too, a host without SHA-2 support first
//!   gets the newest SSU released before July 2019 (KB4493730, the SSU the
//!   sources pair with KB4474419), then KB4474419 and a restart, then the
//!   newer SSU.
//! * **ESU preparation before any update released after 2020-01-14** (§3):
//!   the ESU Licensing Preparation Package (KB4538484) and an installed and
//!   activated ESU key (one key per ESU year). Microsoft's January 2020 ESU
//!   prerequisites (as the trade press reported them) include the October 8,
//!   2019 monthly rollup or later: a host below that level first gets the
//!   last rollup of extended support.
//! * **Then the newest rollup** (or the security-only chain on that track),
//!   then the other updates the assessment lists (Internet Explorer, .NET).
//!
//! Restarts are grouped: a restart is put only where a later step requires
//! an update of the current group that needs one, and at the end.
use crate::assessment::{Assessment, FixStatus};
use crate::programme::{release_or_month, Programme, ProgrammeChoice};
use serde::Serialize;
use std::collections::BTreeSet;
use w2k8_catalog::{facts, Catalog, OsFamily, Update, UpdateKind};
use w2k8_core::{Date, Kb};
use w2k8_inventory::Host;

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
    pub kind: String,
    /// Release date (or the first day of the sourced month).
    pub released: Option<Date>,
    /// The package file name, where a source gives it (none does yet: null).
    pub file: Option<String>,
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
    pub patched_through: Option<String>,
}

/// An open CVE in CISA KEV that no update available to the host fixes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KevExposed {
    /// The CVE.
    pub cve: String,
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
    /// The build now.
    pub build: Option<u32>,
    /// `YYYY-MM` now.
    pub patched_through: Option<String>,
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
}

/// Phases, in install order.
const PRE_SHA2_SSU: u8 = 0;
const SHA2: u8 = 1;
const SSU: u8 = 2;
const PRE_ESU: u8 = 3;
const ESU_PREP: u8 = 4;
const KEY: u8 = 5;
const MAIN: u8 = 6;
const EXTRA: u8 = 7;

struct Draft {
    phase: u8,
    kb: Option<Kb>,
    kind: String,
    released: Option<Date>,
    title: String,
    why: String,
    requires: Vec<String>,
    source: Vec<String>,
    known_issues: Vec<String>,
    caveats: Vec<String>,
}

fn draft(u: &Update, phase: u8, why: String, rule_sources: &[&str]) -> Draft {
    let mut source: Vec<String> = rule_sources.iter().map(|s| s.to_string()).collect();
    for s in &u.sources {
        if !source.contains(s) {
            source.push(s.clone());
        }
    }
    Draft {
        phase,
        kb: Some(u.kb),
        kind: u.kind.as_str().to_string(),
        released: release_or_month(u),
        title: u.title.clone().unwrap_or_else(|| format!("{} ({})", u.kb, kind_name(u.kind))),
        why,
        requires: u.requires.iter().map(Kb::to_string).collect(),
        source,
        known_issues: {
            let mut k: Vec<String> = u.notes.iter().filter(|n| !n.starts_with("note:")).cloned().collect();
            if matches!(u.kind, UpdateKind::MonthlyRollup | UpdateKind::SecurityOnly) {
                k.push(format!("on a VMware virtual machine whose VMware Tools upgrade policy is \"upgrade at power cycle\", the Tools upgrade can overlap the restart that completes this update, fail (0x800f0246) and leave VMXNET3/VMCI drivers removed: finish the update's restart first, then repair VMware Tools if needed (VMware/Broadcom KB 318796, all Windows guests, not specific to 2008: {VMWARE_TOOLS_ISSUE})"));
            }
            k
        },
        caveats: u.notes.iter().filter_map(|n| n.strip_prefix("note:")).map(|n| n.trim().to_string()).collect(),
    }
}

fn kind_name(k: UpdateKind) -> &'static str {
    match k {
        UpdateKind::MonthlyRollup => "Security Monthly Quality Rollup",
        UpdateKind::SecurityOnly => "Security-only update",
        UpdateKind::Ssu => "Servicing stack update",
        UpdateKind::Sha2 => "SHA-2 code signing support update",
        UpdateKind::EsuPrep => "ESU Licensing Preparation Package",
        UpdateKind::SecurityUpdate => "Security update",
        UpdateKind::InternetExplorer => "Internet Explorer update",
        UpdateKind::DotNet => ".NET Framework update",
        UpdateKind::Other => "update",
    }
}

fn reboot_of(kind: &str) -> (bool, &'static str) {
    match kind {
        "monthly_rollup" | "security_only" => {
            (true, "a monthly rollup / security-only update replaces kernel files: restart to complete")
        }
        "sha2" => (
            true,
            "restart after KB4474419 before installing the updates that need it (hresults.csv 0x80092004 fix, mcpmag)",
        ),
        "esu_key" => (false, "a licensing step: no restart"),
        _ => (false, "no source in the data says it needs a restart; wusa exit code 3010 tells if it does"),
    }
}

fn push_unique(v: &mut Vec<String>, s: String) {
    if !v.contains(&s) {
        v.push(s);
    }
}

/// Builds the plan for `host` from its assessment. `explain` looks an error
/// code up in the error tables (`w2k8_diagnose::codes::lookup` in the CLI).
pub fn plan(
    a: &Assessment,
    host: &Host,
    catalog: &Catalog,
    opts: &PlanOptions,
    explain: &dyn Fn(u32) -> Option<ErrorInfo>,
) -> Plan {
    let st = &a.standing;
    let installed: BTreeSet<Kb> = host.kbs();
    let cap = match opts.until {
        Some(u) if u < a.programme.ends => u,
        _ => a.programme.ends,
    };
    let sha2_cut = Date::new(2019, 7, 1).unwrap_or_else(|| Date::from_days(0));
    let esu_end = facts::extended_support_end().value;
    let esu_base_month = "2019-10";
    let sha2_kb = facts::sha2_update().value;
    let esu_kb = facts::esu_prep_package().value;
    let installed_dates: Vec<Date> =
        installed.iter().filter_map(|k| catalog.update(*k)).filter_map(release_or_month).collect();
    let newest_installed = installed_dates.iter().max().copied();
    let has_kind = |k: UpdateKind| installed.iter().any(|kb| catalog.kind_of(*kb) == Some(k));
    let has_sha2 = st.sha2.present || has_kind(UpdateKind::Sha2) || newest_installed.is_some_and(|n| n >= sha2_cut);
    let esu_proven = newest_installed.is_some_and(|n| n > esu_end);
    let has_esu_prep = st.esu_prep.present || has_kind(UpdateKind::EsuPrep) || esu_proven;
    let installed_ssu: Option<Date> = installed
        .iter()
        .filter_map(|k| catalog.update(*k))
        .filter(|u| u.kind == UpdateKind::Ssu)
        .filter_map(release_or_month)
        .max();
    let within = |u: &Update| release_or_month(u).is_none_or(|d| d <= cap);
    let mut notes: Vec<String> = Vec::new();

    // The main updates: the rollup (or the security-only chain), then the others.
    let mut drafts: Vec<Draft> = Vec::new();
    let on_security_only = a.track_advice.current.as_deref() == Some("security_only");
    if on_security_only {
        for kb in &a.track_advice.security_only_alternative {
            if let Some(u) = catalog.update(*kb).filter(|u| within(u)) {
                drafts.push(draft(u, MAIN, "the host is on the security-only track: each month's security-only update, in order, no month skipped".to_string(), &[]));
            }
        }
    } else {
        let from_assessment = a
            .missing
            .iter()
            .find(|m| m.kind == UpdateKind::MonthlyRollup)
            .and_then(|m| catalog.update(m.kb))
            .filter(|u| within(u));
        let target = from_assessment.or_else(|| {
            opts.until?;
            catalog.rollups(OsFamily::Ws2008).into_iter().rfind(|u| {
                within(u)
                    && !installed.contains(&u.kb)
                    && match (&st.patched_through, u.released) {
                        (Some(t), Some(d)) => d.month_string() > *t,
                        _ => true,
                    }
            })
        });
        if let Some(u) = target {
            drafts.push(draft(u, MAIN, "the newest monthly rollup available to this host: it is cumulative and contains every earlier rollup and security-only update".to_string(), &[]));
        }
    }
    for m in &a.missing {
        if matches!(m.kind, UpdateKind::Ssu | UpdateKind::Sha2 | UpdateKind::EsuPrep | UpdateKind::MonthlyRollup) {
            continue;
        }
        if drafts.iter().any(|d| d.kb == Some(m.kb)) {
            continue;
        }
        match catalog.update(m.kb) {
            Some(u) if release_or_month(u).is_none() => notes.push(format!(
                "left out: {} ({}): its release date is not in the data, so the plan cannot tell whether the programme covers it",
                u.kb,
                u.title.as_deref().unwrap_or(kind_name(u.kind))
            )),
            Some(u) if within(u) => drafts.push(draft(u, EXTRA, m.why.clone(), &[])),
            _ => {}
        }
    }
    let newest_needed: Option<Date> = drafts.iter().filter_map(|d| d.released).max();
    let needs_sha2 = !has_sha2 && newest_needed.is_some_and(|n| n >= sha2_cut);
    let needs_esu = newest_needed.is_some_and(|n| n > esu_end);

    // Servicing stacks.
    let ssus: Vec<&Update> = {
        let mut v: Vec<&Update> = catalog
            .updates_of_kind(UpdateKind::Ssu)
            .filter(|u| u.applies_to(OsFamily::Ws2008) && release_or_month(u).is_some())
            .collect();
        v.sort_by_key(|u| (release_or_month(u), u.kb));
        v
    };
    let newer_than_installed = |u: &Update| match (release_or_month(u), installed_ssu) {
        (Some(d), Some(i)) => d > i,
        (_, None) => true,
        _ => false,
    };
    let mut ssu_kb: Option<Kb> = None;
    if let Some(n) = newest_needed {
        let limit = if n < cap { n } else { cap };
        if let Some(s) = ssus.iter().rev().find(|u| release_or_month(u).is_some_and(|d| d <= limit)) {
            ssu_kb = Some(s.kb);
            if newer_than_installed(s) && !installed.contains(&s.kb) {
                let phase = if release_or_month(s).is_some_and(|d| d >= sha2_cut) { SSU } else { PRE_SHA2_SSU };
                drafts.push(draft(s, phase, "the newest servicing stack update released up to the newest update of this plan: Microsoft's rule is to install the newest SSU before the monthly update".to_string(), &[SSU_RULE]));
            }
        }
    }
    if needs_sha2 {
        if let Some(s) = ssus.iter().rev().find(|u| release_or_month(u).is_some_and(|d| d < sha2_cut)) {
            if newer_than_installed(s) && !installed.contains(&s.kb) && !drafts.iter().any(|d| d.kb == Some(s.kb)) {
                drafts.push(draft(s, PRE_SHA2_SSU, "the newest servicing stack update released before July 2019 (not SHA-2-only signed): the sources pair it with KB4474419 for the updates from July 2019".to_string(), &[SHA2_FACTS]));
            }
        }
        if let Some(u) = catalog.update(sha2_kb) {
            drafts.push(draft(u, SHA2, "SHA-2 code signing support: updates released in or after July 2019 are SHA-2 signed only and do not install without it (KB4472027)".to_string(), &[SHA2_RULE, SHA2_FACTS]));
        }
    }
    let mut base_kb: Option<Kb> = None;
    if needs_esu && !has_esu_prep {
        let below = st.patched_through.as_deref().is_none_or(|t| t < esu_base_month);
        // The plan's own monthly updates of 2019-10 .. 2020-01 (the security-only chain) reach that level.
        let reached_by_plan = drafts.iter().any(|d| {
            matches!(d.kind.as_str(), "monthly_rollup" | "security_only")
                && d.released.is_some_and(|r| r.month_string().as_str() >= esu_base_month && r <= esu_end)
        });
        if reached_by_plan {
            // ESU preparation then requires that update, installed and restarted.
            base_kb = drafts
                .iter()
                .filter(|d| matches!(d.kind.as_str(), "monthly_rollup" | "security_only"))
                .filter(|d| d.released.is_some_and(|r| r <= esu_end))
                .max_by_key(|d| d.released)
                .and_then(|d| d.kb);
        }
        if reached_by_plan && below && on_security_only {
            notes.push("on the security-only track the plan takes the security-only updates up to January 2020 as meeting the ESU prerequisite \"the October 8, 2019 monthly rollup or later\": an inference, no source says it".to_string());
        }
        if below && !reached_by_plan {
            if let Some(u) =
                catalog.rollups(OsFamily::Ws2008).into_iter().rfind(|u| u.released.is_some_and(|d| d <= esu_end))
            {
                base_kb = Some(u.kb);
                if !drafts.iter().any(|d| d.kb == Some(u.kb)) {
                    drafts.push(draft(u, PRE_ESU, "the last rollup of extended support: Microsoft's ESU prerequisites include the October 8, 2019 monthly rollup or later".to_string(), &[ESU_PREREQS, ESU_RULE]));
                }
            }
        }
        if let Some(u) = catalog.update(esu_kb) {
            drafts.push(draft(u, ESU_PREP, "ESU Licensing Preparation Package: updates released after January 14, 2020 install only with it and an activated ESU key".to_string(), &[ESU_RULE, ESU_PREREQS]));
        }
    }
    if needs_esu {
        drafts.push(Draft {
            phase: KEY,
            kb: None,
            kind: "esu_key".to_string(),
            released: None,
            title: "Install and activate the ESU key of the current ESU year (slmgr /ipk KEY, then slmgr /ato ACTIVATION-ID)".to_string(),
            why: "updates released after January 14, 2020 install only on a machine with an installed and activated ESU key; each ESU year has its own key. The bundle does not show licensing state".to_string(),
            requires: vec![esu_kb.to_string()],
            source: vec![ESU_RULE.to_string(), facts::ESU_TECHCOMMUNITY.to_string(), "data/errors/hresults.csv 0x80070643".to_string()],
            known_issues: Vec::new(),
            caveats: Vec::new(),
        });
    }
    // Updates of the main phase released up to the end of extended support go before the ESU steps.
    for d in drafts.iter_mut() {
        if (d.phase == MAIN || d.phase == EXTRA) && d.released.is_some_and(|r| r <= esu_end) && needs_esu {
            d.phase = PRE_ESU;
        }
    }
    drafts.sort_by_key(|d| (d.phase, d.released, d.kb));

    // Requirements.
    let sha2_s = sha2_kb.to_string();
    for d in drafts.iter_mut() {
        let is_update = d.kb.is_some() && !matches!(d.kind.as_str(), "ssu" | "sha2");
        if d.kind == "ssu" && d.released.is_some_and(|r| r >= sha2_cut) {
            push_unique(&mut d.requires, sha2_s.clone());
        }
        if is_update {
            if let Some(s) = ssu_kb {
                push_unique(&mut d.requires, s.to_string());
            }
            if d.released.is_some_and(|r| r >= sha2_cut) {
                push_unique(&mut d.requires, sha2_s.clone());
            }
        }
        if d.kind == "esu_prep" {
            // Microsoft's January 2020 ESU prerequisites: KB4474419, a current SSU, the October 2019 rollup or later.
            push_unique(&mut d.requires, sha2_s.clone());
            if let Some(b) = base_kb {
                push_unique(&mut d.requires, b.to_string());
            }
        }
        if is_update && d.kind != "esu_prep" && d.released.is_some_and(|r| r > esu_end) {
            push_unique(&mut d.requires, esu_kb.to_string());
            push_unique(&mut d.requires, ESU_KEY.to_string());
        }
    }

    // Steps and restarts.
    let mut steps: Vec<Step> = Vec::new();
    let mut reboots = 0;
    let mut group: Vec<(String, bool)> = Vec::new();
    for d in drafts {
        let (reboot, reboot_note) = reboot_of(&d.kind);
        let needs_restart_first = d.requires.iter().any(|r| group.iter().any(|(k, needs)| *needs && k == r));
        if needs_restart_first {
            if let Some(last) = steps.last_mut() {
                last.restart_after = true;
                reboots += 1;
            }
            group.clear();
        }
        let satisfied = d.requires.iter().all(|r| {
            if r == ESU_KEY {
                esu_proven
            } else {
                r.parse::<Kb>().is_ok_and(|k| installed.contains(&k))
            }
        });
        group.push((d.kb.map(|k| k.to_string()).unwrap_or_else(|| ESU_KEY.to_string()), reboot));
        steps.push(Step {
            order: steps.len() + 1,
            kb: d.kb,
            title: d.title,
            kind: d.kind,
            released: d.released,
            file: None,
            reboot,
            reboot_note: reboot_note.to_string(),
            restart_after: false,
            requires: d.requires,
            satisfied,
            known_issues: d.known_issues,
            caveats: d.caveats,
            why: d.why,
            source: d.source,
        });
    }
    if group.iter().any(|(_, needs)| *needs) {
        if let Some(last) = steps.last_mut() {
            last.restart_after = true;
            reboots += 1;
        }
    }

    // Predicted failures on the host as it is now.
    let mut predicted_failures: Vec<PredictedFailure> = Vec::new();
    let main_kb = steps
        .iter()
        .rev()
        .find(|s| matches!(s.kind.as_str(), "monthly_rollup" | "security_only"))
        .or_else(|| steps.iter().rev().find(|s| s.kb.is_some()))
        .and_then(|s| s.kb);
    if let Some(kb) = main_kb {
        if let Some(s) = steps.iter().find(|s| s.kind == "ssu") {
            predicted_failures.push(PredictedFailure {
                kb,
                error: None,
                symbol: None,
                cause: format!(
                    "the installed servicing stack ({}) is older than {}; Microsoft's rule is to install the newest servicing stack update before the monthly update. The error the admin would see is not in the data",
                    installed_ssu.map(|d| format!("newest SSU released {d}")).unwrap_or_else(|| "no SSU in the bundle".to_string()),
                    s.kb.map(|k| k.to_string()).unwrap_or_default()
                ),
                fix: format!("install {} first (step {})", s.kb.map(|k| k.to_string()).unwrap_or_default(), s.order),
                source: vec![SSU_RULE.to_string()],
            });
        }
        if needs_sha2 {
            let kb = steps
                .iter()
                .find(|s| s.kind != "sha2" && s.kind != "ssu" && s.released.is_some_and(|r| r >= sha2_cut))
                .and_then(|s| s.kb)
                .unwrap_or(kb);
            predicted_failures.push(failure(kb, 0x8009_2004, explain, "KB4474419 (SHA-2 code signing support) is not installed: updates released from July 2019 are SHA-2 signed only", "install KB4474419 (after the SSU) and restart first", &[SHA2_RULE, SHA2_FACTS]));
        }
        if needs_esu && !has_esu_prep {
            let kb = steps
                .iter()
                .find(|s| {
                    s.kb.is_some() && s.kind != "esu_prep" && s.kind != "ssu" && s.released.is_some_and(|r| r > esu_end)
                })
                .and_then(|s| s.kb)
                .unwrap_or(kb);
            predicted_failures.push(failure(kb, 0x8007_0643, explain, "ESU not prepared: the ESU Licensing Preparation Package KB4538484 is not installed and no ESU key is shown active", "install KB4538484, install and activate the ESU key of the current year, then retry", &[ESU_RULE]));
        }
    }

    // The host after the plan.
    let last_monthly = steps
        .iter()
        .filter(|s| matches!(s.kind.as_str(), "monthly_rollup" | "security_only"))
        .filter_map(|s| s.released)
        .max();
    let final_state = FinalState {
        build: match last_monthly {
            Some(d) if d >= facts::first_6003_date().value => Some(6003),
            _ => st.build,
        },
        patched_through: match (last_monthly.map(Date::month_string), &st.patched_through) {
            (Some(m), Some(t)) if m < *t => Some(t.clone()),
            (Some(m), _) => Some(m),
            (None, t) => t.clone(),
        },
    };

    let last_in_data = facts::last_data_rollup_date().value;
    let stops = if cap < last_in_data {
        let monthly = |s: &&Step| matches!(s.kind.as_str(), "monthly_rollup" | "security_only");
        let last =
            steps.iter().rfind(monthly).or_else(|| steps.iter().filter(|s| s.kb.is_some()).max_by_key(|s| s.released));
        let at = match last.and_then(|s| s.kb.map(|k| (k, s.released))) {
            Some((kb, Some(r))) => format!("{kb} ({r})"),
            Some((kb, None)) => kb.to_string(),
            None => "the updates already installed".to_string(),
        };
        Some(if opts.until.is_some_and(|u| u < a.programme.ends) {
            format!("stops at {at}: --until allows nothing released after {cap}")
        } else if a.programme.programme == Programme::None {
            format!(
                "stops at {at}: the last update this host may install without a paid programme (extended support ended {esu_end}; later updates need ESU, --esu esu|azure|premium)"
            )
        } else {
            format!("stops at {at}: {} ended {}", a.programme.name, a.programme.ends)
        })
    } else {
        None
    };

    let no_fix: Vec<_> = a.exposure.iter().filter(|e| e.status == FixStatus::NoFixAvailableToYou).collect();
    let cannot_patch_further = (!no_fix.is_empty()).then(|| Isolation {
        programme_ended: a.programme.ends,
        open_without_fix: no_fix.len(),
        kev_exposed: no_fix
            .iter()
            .filter_map(|e| {
                e.kev.as_ref().map(|k| KevExposed {
                    cve: e.cve.to_string(),
                    title: e.title.to_string(),
                    component: e.component.to_string(),
                    ransomware: k.ransomware,
                })
            })
            .collect(),
        advice: vec![
            "block inbound access to the affected services (host firewall, network ACLs) except from the systems that need them".to_string(),
            "disable the roles and services the host does not need".to_string(),
            "keep the host off the internet and in its own network segment".to_string(),
            "plan the migration to a supported Windows Server (w2k8 migrate)".to_string(),
        ],
        advice_source: "generic advice: no source in the data gives isolation steps for these CVEs".to_string(),
    });

    if !steps.is_empty() {
        notes.push("package file names: no source in the data gives them, so `file` is null for every step; download each KB for this architecture from the Microsoft Update Catalog".to_string());
        notes.push("install durations: no source in the data".to_string());
    }
    host_checks(host, &steps, main_kb, explain, &mut predicted_failures, &mut notes);
    notes.push("not checked: known-bad updates already installed (no source in the data names an update that breaks later installs on 2008 SP2)".to_string());

    Plan {
        host: st.host.clone(),
        build: st.build,
        patched_through: st.patched_through.clone(),
        programme: a.programme.clone(),
        until: opts.until,
        steps,
        reboots,
        predicted_failures,
        final_state,
        stops,
        cannot_patch_further,
        notes,
    }
}

/// The checks of the host's own state: a pending restart (`reg-reboot.txt`)
/// and the free space on the system drive (`disk.txt`), each a predicted
/// failure of the plan's first (restart) or main (disk) update when it fails,
/// a note otherwise.
fn host_checks(
    host: &Host,
    steps: &[Step],
    main_kb: Option<Kb>,
    explain: &dyn Fn(u32) -> Option<ErrorInfo>,
    predicted: &mut Vec<PredictedFailure>,
    notes: &mut Vec<String>,
) {
    let first_kb = steps.iter().find_map(|s| s.kb);
    match (&host.facts.pending_reboot, first_kb) {
        (None, _) => notes.push("not checked: a pending restart (the bundle has no reg-reboot.txt)".to_string()),
        (Some(p), Some(kb)) if !p.value.is_empty() => {
            let cause = format!(
                "a restart is pending ({} shows {}): installs are blocked while a mandatory restart is pending, and the pending changes complete only at the restart",
                p.evidence.location(),
                p.value.join(", ")
            );
            let mut f = failure(
                kb,
                PENDING_RESTART_CODE,
                explain,
                &cause,
                "restart the server first, then install (install.cmd refuses to start while the RebootPending key exists)",
                &[WU_ERROR_REFERENCE, PLAN_CHECKS],
            );
            f.fix = "restart the server first, then install (install.cmd refuses to start while the RebootPending key exists)".to_string();
            predicted.push(f);
        }
        (Some(p), _) if !p.value.is_empty() => {
            notes.push(format!("a restart is pending ({}): restart before anything else", p.value.join(", ")))
        }
        (Some(p), _) => notes.push(format!("checked: no restart pending ({})", p.evidence.location())),
    }
    let gib = |b: u64| format!("{:.1} GB", b as f64 / (1024.0 * 1024.0 * 1024.0));
    match (&host.facts.system_drive_free_bytes, main_kb) {
        (None, _) => notes.push("not checked: free space on C: (the bundle has no disk.txt showing C:)".to_string()),
        (Some(free), Some(kb)) if free.value < MIN_FREE_BYTES => {
            let cause = format!(
                "C: has {} free ({}); Microsoft's article on 0x80070070 suggests at least 20 GB free for updates (written for current Windows Server; no source gives the figure for 2008 SP2)",
                gib(free.value),
                free.evidence.location()
            );
            predicted.push(failure(
                kb,
                DISK_FULL_CODE,
                explain,
                &cause,
                "free space on C: (remove files, move data, extend the disk), then install",
                &[DISK_SPACE_SOURCE, PLAN_CHECKS],
            ));
        }
        (Some(free), None) if free.value < MIN_FREE_BYTES => notes.push(format!(
            "C: has {} free ({}), below the 20 GB Microsoft suggests for updates",
            gib(free.value),
            free.evidence.location()
        )),
        (Some(free), _) => notes.push(format!(
            "checked: C: has {} free ({}), at least the 20 GB Microsoft suggests",
            gib(free.value),
            free.evidence.location()
        )),
    }
}

fn failure(
    kb: Kb,
    code: u32,
    explain: &dyn Fn(u32) -> Option<ErrorInfo>,
    cause: &str,
    fix: &str,
    rule: &[&str],
) -> PredictedFailure {
    let info = explain(code).unwrap_or_default();
    let mut source: Vec<String> = Vec::new();
    if let Some(s) = &info.source {
        source.push(format!("data/errors/hresults.csv 0x{code:08X}: {s}"));
    }
    source.extend(rule.iter().map(|s| s.to_string()));
    PredictedFailure {
        kb,
        error: Some(format!("0x{code:08X}")),
        symbol: info.symbol,
        cause: info.cause.map(|c| format!("{cause}. {c}")).unwrap_or_else(|| cause.to_string()),
        fix: info.fix.unwrap_or_else(|| fix.to_string()),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assessment::{assess, Options};
    use w2k8_core::{Arch, Evidence, Observed};
    use w2k8_inventory::{Facts, Hotfix};

    fn o<T>(v: T, line: u32) -> Option<Observed<T>> {
        Some(Observed::new(v, Evidence::new("x", "systeminfo.txt", Some(line))))
    }

    fn host(build: u32, kbs: &[u32]) -> Host {
        Host {
            facts: Facts {
                host_name: o("SRV1".to_string(), 2),
                os_name: o("Microsoft Windows Server 2008 Standard".to_string(), 3),
                os_version: o(format!("6.0.{build}"), 4),
                build: o(build, 4),
                service_pack_number: o(2, 4),
                arch: o(Arch::X64, 15),
                hotfixes: kbs
                    .iter()
                    .enumerate()
                    .map(|(i, n)| Hotfix {
                        id: format!("KB{n}"),
                        kb: Kb::new(*n),
                        installed_on: None,
                        description: None,
                        evidence: Evidence::new(format!("hotfix KB{n}"), "systeminfo.txt", Some(33 + i as u32)),
                    })
                    .collect(),
                ..Facts::default()
            },
            ..Host::default()
        }
    }

    fn explain(code: u32) -> Option<ErrorInfo> {
        (code == 0x8009_2004).then(|| ErrorInfo {
            symbol: Some("CRYPT_E_NOT_FOUND".to_string()),
            cause: Some("missing SHA-2".to_string()),
            fix: Some("install KB4474419".to_string()),
            source: Some("https://example.invalid/sha2".to_string()),
        })
    }

    fn plan_of(build: u32, kbs: &[u32], programme: Option<Programme>, until: Option<Date>) -> Plan {
        let c = Catalog::embedded();
        let h = host(build, kbs);
        let today = Date::new(2026, 6, 1).unwrap();
        let a = assess(&h, c, today, &Options { programme }).unwrap();
        plan(&a, &h, c, &PlanOptions { until }, &explain)
    }

    fn shown(p: &Plan) -> Vec<String> {
        p.steps
            .iter()
            .map(|s| {
                format!(
                    "{} {}{}",
                    s.kb.map(|k| k.to_string()).unwrap_or_else(|| s.kind.clone()),
                    s.kind,
                    if s.restart_after { " +restart" } else { "" }
                )
            })
            .collect()
    }

    fn step<'p>(p: &'p Plan, kb: &str) -> &'p Step {
        p.steps.iter().find(|s| s.kb.map(|k| k.to_string()).as_deref() == Some(kb)).unwrap()
    }

    #[test]
    fn fresh_6002_premium_gets_every_prerequisite_in_order() {
        let p = plan_of(6002, &[], Some(Programme::Premium), None);
        assert_eq!(
            shown(&p),
            [
                "KB4493730 ssu",
                "KB4474419 sha2 +restart",
                "KB5039341 ssu",
                "KB4534303 monthly_rollup +restart",
                "KB4538484 esu_prep",
                "esu_key esu_key",
                "KB5073697 monthly_rollup +restart",
            ]
        );
        assert_eq!(p.reboots, 3);
        assert_eq!(p.steps.iter().map(|s| s.order).collect::<Vec<_>>(), [1, 2, 3, 4, 5, 6, 7]);
        assert!(p.steps.iter().all(|s| s.file.is_none() && !s.source.is_empty()));
        let r = step(&p, "KB5073697");
        assert_eq!(r.requires, ["KB5039341", "KB4474419", "KB4538484", "ESU key"]);
        assert!(!r.satisfied);
        assert!(r.reboot);
        assert!(!step(&p, "KB5039341").reboot);
        assert_eq!(step(&p, "KB5039341").requires, ["KB4474419"]);
        assert_eq!(step(&p, "KB4538484").requires, ["KB5039341", "KB4474419", "KB4534303"]);
        assert_eq!(p.steps[5].kb, None);
        assert_eq!(p.steps[5].requires, ["KB4538484"]);
        assert_eq!(p.final_state, FinalState { build: Some(6003), patched_through: Some("2026-01".to_string()) });
        assert_eq!(p.stops, None);
        let f: Vec<(String, Option<String>)> =
            p.predicted_failures.iter().map(|f| (f.kb.to_string(), f.error.clone())).collect();
        assert_eq!(
            f,
            [
                ("KB5073697".to_string(), None),
                ("KB4534303".to_string(), Some("0x80092004".to_string())),
                ("KB5073697".to_string(), Some("0x80070643".to_string())),
            ]
        );
        let sha2 = &p.predicted_failures[1];
        assert_eq!(sha2.symbol.as_deref(), Some("CRYPT_E_NOT_FOUND"));
        assert_eq!(sha2.fix, "install KB4474419");
        assert!(sha2.cause.ends_with("missing SHA-2"));
        assert_eq!(sha2.source[0], "data/errors/hresults.csv 0x80092004: https://example.invalid/sha2");
        // Unknown to `explain`: the plan's own wording.
        assert_eq!(
            p.predicted_failures[2].fix,
            "install KB4538484, install and activate the ESU key of the current year, then retry"
        );
    }

    #[test]
    fn esu_none_stops_at_the_last_free_rollup() {
        let p = plan_of(6002, &[], Some(Programme::None), None);
        assert_eq!(
            shown(&p),
            ["KB4493730 ssu", "KB4474419 sha2 +restart", "KB4536953 ssu", "KB4534303 monthly_rollup +restart"]
        );
        assert_eq!(p.reboots, 2);
        assert!(p.stops.as_deref().unwrap().starts_with("stops at KB4534303 (2020-01-14): the last update"));
        // assess dates the undated out-of-band KB5004959 by its MSRC posting (2021), so it is not offered at all.
        assert!(!p.notes.iter().any(|n| n.starts_with("left out: KB5004959")));
        let iso = p.cannot_patch_further.as_ref().unwrap();
        assert_eq!(iso.programme_ended.to_string(), "2020-01-14");
        assert!(!iso.kev_exposed.is_empty());
        assert!(iso.advice_source.starts_with("generic advice"));
        assert!(p.steps.iter().all(|s| !s.requires.iter().any(|r| r == ESU_KEY)));
    }

    #[test]
    fn ssu_but_no_sha2() {
        let p = plan_of(6002, &[4493730], Some(Programme::Esu), None);
        assert_eq!(
            shown(&p),
            [
                "KB4474419 sha2 +restart",
                "KB5010452 ssu",
                "KB4534303 monthly_rollup +restart",
                "KB4538484 esu_prep",
                "esu_key esu_key",
                "KB5022340 monthly_rollup +restart",
            ]
        );
        assert!(step(&p, "KB4474419").satisfied);
        assert!(!step(&p, "KB5010452").satisfied);
        assert!(p.stops.as_deref().unwrap().contains("ended 2023-01-10"));
    }

    #[test]
    fn patched_through_2019_12_without_esu() {
        let kbs = [4530695, 4531787, 4474419];
        let p = plan_of(6003, &kbs, None, None);
        assert_eq!(p.programme.programme, Programme::None);
        assert_eq!(shown(&p), ["KB4536953 ssu", "KB4534303 monthly_rollup +restart"]);
        assert_eq!(step(&p, "KB4534303").requires, ["KB4536953", "KB4474419"]);
        assert_eq!(p.predicted_failures.len(), 1);
        assert_eq!(p.predicted_failures[0].error, None);
        // With ESU: no base rollup (already past 2019-10), the ESU steps, the last ESU rollup.
        let p = plan_of(6003, &kbs, Some(Programme::Esu), None);
        assert_eq!(
            shown(&p),
            ["KB5010452 ssu", "KB4538484 esu_prep", "esu_key esu_key", "KB5022340 monthly_rollup +restart",]
        );
        assert!(!p.predicted_failures.iter().any(|f| f.error.as_deref() == Some("0x80092004")));
        // --until 2020-06.
        let p = plan_of(6003, &kbs, Some(Programme::Esu), Date::new(2020, 6, 30));
        let last = p.steps.last().unwrap();
        assert_eq!(last.released.map(Date::month_string).as_deref(), Some("2020-06"));
        assert_eq!(last.kind, "monthly_rollup");
        assert!(p.stops.as_deref().unwrap().contains("--until allows nothing released after 2020-06-30"));
        assert_eq!(p.final_state.patched_through.as_deref(), Some("2020-06"));
    }

    #[test]
    fn security_only_track_keeps_its_chain() {
        let p = plan_of(6003, &[4474419, 4530719, 4531787], Some(Programme::Esu), Date::new(2020, 3, 31));
        assert_eq!(p.steps.first().and_then(|s| s.kb).map(|k| k.to_string()).as_deref(), Some("KB4536953"));
        assert!(p.steps.iter().all(|s| s.kind != "monthly_rollup"), "{:?}", shown(&p));
        let tail: Vec<String> = shown(&p).into_iter().rev().take(5).collect();
        assert_eq!(
            tail,
            [
                "KB4541504 security_only +restart",
                "KB4537822 security_only",
                "esu_key esu_key",
                "KB4538484 esu_prep",
                "KB4534312 security_only +restart"
            ]
        );
        assert!(p.notes.iter().any(|n| n.starts_with("on the security-only track")));
    }

    fn plan_with(h: &Host) -> Plan {
        let c = Catalog::embedded();
        let a = assess(h, c, Date::new(2026, 6, 1).unwrap(), &Options { programme: Some(Programme::None) }).unwrap();
        let explain = |code: u32| {
            (code == DISK_FULL_CODE).then(|| ErrorInfo {
                symbol: Some("ERROR_DISK_FULL".to_string()),
                cause: Some("OS disk too full".to_string()),
                fix: Some("Free space".to_string()),
                source: Some(DISK_SPACE_SOURCE.to_string()),
            })
        };
        plan(&a, h, c, &PlanOptions { until: None }, &explain)
    }

    #[test]
    fn pending_restart_and_low_disk_are_predicted() {
        let mut h = host(6003, &[4530695, 4531787, 4474419]);
        let p = plan_with(&h);
        assert!(p.notes.iter().any(|n| n.starts_with("not checked: a pending restart")));
        assert!(p.notes.iter().any(|n| n.starts_with("not checked: free space on C:")));
        let ev = |line| Evidence::new("x", "reg-reboot.txt", line);
        h.facts.pending_reboot = Some(Observed::new(vec!["RebootPending".to_string()], ev(Some(2))));
        h.facts.system_drive_free_bytes =
            Some(Observed::new(MIN_FREE_BYTES - 1, Evidence::new("x", "disk.txt", Some(5))));
        let p = plan_with(&h);
        let restart = p.predicted_failures.iter().find(|f| f.error.as_deref() == Some("0x80240016")).unwrap();
        assert_eq!(restart.kb, p.steps[0].kb.unwrap());
        assert!(restart.cause.contains("reg-reboot.txt:2 shows RebootPending"), "{}", restart.cause);
        assert!(restart.fix.starts_with("restart the server first"));
        assert_eq!(restart.source, [WU_ERROR_REFERENCE, PLAN_CHECKS]);
        let disk = p.predicted_failures.iter().find(|f| f.error.as_deref() == Some("0x80070070")).unwrap();
        assert_eq!(disk.kb.to_string(), "KB4534303");
        assert_eq!(disk.symbol.as_deref(), Some("ERROR_DISK_FULL"));
        assert!(disk.cause.starts_with("C: has 20.0 GB free (disk.txt:5)"), "{}", disk.cause);
        assert_eq!(disk.fix, "Free space");
        assert_eq!(disk.source[1], DISK_SPACE_SOURCE);
        // Cleared: notes, no predictions.
        h.facts.pending_reboot = Some(Observed::new(Vec::new(), ev(None)));
        h.facts.system_drive_free_bytes = Some(Observed::new(MIN_FREE_BYTES, Evidence::new("x", "disk.txt", Some(5))));
        let p = plan_with(&h);
        assert!(p.predicted_failures.iter().all(|f| !matches!(f.error.as_deref(), Some("0x80240016" | "0x80070070"))));
        assert!(p.notes.iter().any(|n| n == "checked: no restart pending (reg-reboot.txt)"), "{:?}", p.notes);
        assert!(p.notes.iter().any(|n| n.starts_with("checked: C: has 20.0 GB free (disk.txt:5)")));
        let r = step(&p, "KB4534303");
        assert!(r.known_issues.iter().any(|k| k.contains(VMWARE_TOOLS_ISSUE)));
        assert!(step(&p, "KB4536953").known_issues.is_empty());
    }

    #[test]
    fn fully_patched_has_nothing_to_do() {
        let p = plan_of(6003, &[5073697, 5039341, 4474419, 4538484], None, None);
        assert!(p.steps.is_empty());
        assert_eq!(p.reboots, 0);
        assert!(p.predicted_failures.is_empty());
        assert_eq!(p.final_state, FinalState { build: Some(6003), patched_through: Some("2026-01".to_string()) });
    }

    #[test]
    fn every_generated_month_plans_the_later_rollup_last() {
        let c = Catalog::embedded();
        for g in crate::generate::patched_through_hosts(c) {
            let kbs: Vec<u32> = g.installed.iter().map(|k| k.number()).collect();
            let p = plan_of(6003, &kbs, Some(Programme::Premium), None);
            match g.later_rollups.last() {
                Some(last) => {
                    let s = p.steps.iter().rfind(|s| s.kind == "monthly_rollup").unwrap();
                    assert_eq!(s.kb, Some(*last), "{}", g.month);
                    assert!(s.restart_after);
                }
                None => assert!(p.steps.is_empty(), "{}", g.month),
            }
            // Prerequisites never come after what needs them.
            for (i, s) in p.steps.iter().enumerate() {
                for r in &s.requires {
                    let at = p.steps.iter().position(|t| {
                        t.kb.map(|k| k.to_string()).as_deref() == Some(r.as_str())
                            || (r == ESU_KEY && t.kind == "esu_key")
                    });
                    assert!(at.is_none_or(|j| j < i), "{} {r}", g.month);
                }
            }
        }
    }
}
