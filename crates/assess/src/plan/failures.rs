//! What would fail on the host as it is now: the errors the plan's
//! prerequisites avoid, and the host's own state (a pending restart, free
//! space) read from the bundle.
use super::drafts::sha2_cut;
use super::model::{
    ErrorInfo, PredictedFailure, Rules, Step, StepKind, DISK_FULL_CODE, DISK_SPACE_SOURCE, MIN_FREE_BYTES,
    PENDING_RESTART_CODE, PLAN_CHECKS, SHA2_RULE, WU_ERROR_REFERENCE,
};
use w2k8_catalog::{facts, UpdateKind};
use w2k8_core::{Date, Kb};
use w2k8_inventory::Host;

/// The update the predictions are about: the last monthly step, else the last install step.
pub(crate) fn main_kb(steps: &[Step]) -> Option<Kb> {
    steps
        .iter()
        .rev()
        .find(|s| s.kind.is_monthly())
        .or_else(|| steps.iter().rev().find(|s| s.kb.is_some()))
        .and_then(|s| s.kb)
}

/// The failure of the main update on an older servicing stack.
fn ssu_failure(steps: &[Step], kb: Kb, installed_ssu: Option<Date>, rules: &Rules) -> Option<PredictedFailure> {
    let s = steps.iter().find(|s| s.kind == StepKind::Update(UpdateKind::Ssu))?;
    let ssu = s.kb.map(|k| k.to_string()).unwrap_or_default();
    Some(PredictedFailure {
        kb,
        error: None,
        symbol: None,
        cause: format!(
            "the installed servicing stack ({}) is older than {ssu}; Microsoft's rule is to install the newest servicing stack update before the monthly update. The error the admin would see is not in the data",
            installed_ssu.map(|d| format!("newest SSU released {d}")).unwrap_or_else(|| "no SSU in the bundle".to_string()),
        ),
        fix: format!("install {ssu} first (step {})", s.order),
        source: vec![rules.ssu.to_string()],
    })
}

/// What the plan says the host would meet without its prerequisites.
pub(crate) struct Needs {
    /// The ESU preparation package of the host's OS.
    pub esu_kb: Kb,
    /// The rule sources of the host's OS.
    pub rules: Rules,
    pub sha2: bool,
    pub esu: bool,
    pub has_esu_prep: bool,
    pub installed_ssu: Option<Date>,
}

/// The predicted failures of the plan's updates on the host as it is now.
pub(crate) fn predicted(
    steps: &[Step],
    needs: &Needs,
    explain: &dyn Fn(u32) -> Option<ErrorInfo>,
) -> Vec<PredictedFailure> {
    let Some(kb) = main_kb(steps) else { return Vec::new() };
    let mut out: Vec<PredictedFailure> =
        ssu_failure(steps, kb, needs.installed_ssu, &needs.rules).into_iter().collect();
    if needs.sha2 {
        let is_sha2_prereq = |s: &Step| matches!(s.kind.update(), Some(UpdateKind::Sha2 | UpdateKind::Ssu));
        let kb = steps
            .iter()
            .find(|s| !is_sha2_prereq(s) && s.released.is_some_and(|r| r >= sha2_cut()))
            .and_then(|s| s.kb)
            .unwrap_or(kb);
        out.push(failure(kb, 0x8009_2004, explain, "KB4474419 (SHA-2 code signing support) is not installed: updates released from July 2019 are SHA-2 signed only", "install KB4474419 (after the SSU) and restart first", &[SHA2_RULE, needs.rules.sha2_facts]));
    }
    if needs.esu && !needs.has_esu_prep {
        let esu_end = facts::extended_support_end().value;
        let is_esu_prereq = |s: &Step| matches!(s.kind.update(), Some(UpdateKind::EsuPrep | UpdateKind::Ssu));
        let kb = steps
            .iter()
            .find(|s| s.kb.is_some() && !is_esu_prereq(s) && s.released.is_some_and(|r| r > esu_end))
            .and_then(|s| s.kb)
            .unwrap_or(kb);
        let esu = needs.esu_kb;
        out.push(failure(kb, 0x8007_0643, explain, &format!("ESU not prepared: the ESU Licensing Preparation Package {esu} is not installed and no ESU key is shown active"), &format!("install {esu}, install and activate the ESU key of the current year, then retry"), &[needs.rules.esu]));
    }
    out
}

/// The checks of the host's own state: a pending restart (`reg-reboot.txt`)
/// and the free space on the system drive (`disk.txt`), each a predicted
/// failure of the plan's first (restart) or main (disk) update when it fails,
/// a note otherwise.
pub(crate) fn host_checks(
    host: &Host,
    steps: &[Step],
    main_kb: Option<Kb>,
    explain: &dyn Fn(u32) -> Option<ErrorInfo>,
    predicted: &mut Vec<PredictedFailure>,
    notes: &mut Vec<String>,
) {
    let first_kb = steps.iter().find_map(|s| s.kb);
    restart_check(host, first_kb, explain, predicted, notes);
    disk_check(host, main_kb, explain, predicted, notes);
}

/// The pending-restart check: a predicted failure of `first_kb` (the plan's
/// first update) when a restart is pending, a note otherwise.
fn restart_check(
    host: &Host,
    first_kb: Option<Kb>,
    explain: &dyn Fn(u32) -> Option<ErrorInfo>,
    predicted: &mut Vec<PredictedFailure>,
    notes: &mut Vec<String>,
) {
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
}

/// `b` bytes in GB, one decimal.
fn gib(b: u64) -> String {
    format!("{:.1} GB", b as f64 / (1024.0 * 1024.0 * 1024.0))
}

/// The free-space check of C:: a predicted failure of `main_kb` (the plan's
/// main update) when below the 20 GB suggested, a note otherwise.
fn disk_check(
    host: &Host,
    main_kb: Option<Kb>,
    explain: &dyn Fn(u32) -> Option<ErrorInfo>,
    predicted: &mut Vec<PredictedFailure>,
    notes: &mut Vec<String>,
) {
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
        source.push(format!("data/errors/hresults.csv 0x{code:08X}"));
        source.push(s.clone());
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
