//! From drafts to numbered steps: what each requires, which restart it
//! needs, and where the plan restarts the machine.
use super::drafts::{sha2_cut, Draft, Drafted};
use super::model::{Step, StepKind, ESU_KEY};
use super::PlanHost;
use w2k8_catalog::{facts, UpdateKind};
use w2k8_core::Kb;

fn push_unique(v: &mut Vec<String>, s: String) {
    if !v.contains(&s) {
        v.push(s);
    }
}

/// Adds the requirements the servicing rules give each draft.
pub(crate) fn fill_requires(d: &mut Drafted) {
    let sha2 = facts::sha2_update().value.to_string();
    let esu_kb = d.esu_kb.unwrap_or_else(|| facts::esu_prep_package().value).to_string();
    let esu_end = facts::extended_support_end().value;
    let (ssu_kb, base_kb) = (d.ssu_kb, d.base_kb);
    for d in d.drafts.iter_mut() {
        let sha2_era = d.released.is_some_and(|r| r >= sha2_cut());
        let is_update =
            d.kb.is_some() && !matches!(d.kind, StepKind::Update(UpdateKind::Ssu) | StepKind::Update(UpdateKind::Sha2));
        if d.kind == StepKind::Update(UpdateKind::Ssu) && sha2_era {
            push_unique(&mut d.requires, sha2.clone());
        }
        if is_update {
            if let Some(s) = ssu_kb {
                push_unique(&mut d.requires, s.to_string());
            }
            if sha2_era {
                push_unique(&mut d.requires, sha2.clone());
            }
        }
        if d.kind == StepKind::Update(UpdateKind::EsuPrep) {
            // Microsoft's January 2020 ESU prerequisites: KB4474419, a current SSU, the October 2019 rollup or later.
            push_unique(&mut d.requires, sha2.clone());
            if let Some(b) = base_kb {
                push_unique(&mut d.requires, b.to_string());
            }
        }
        if is_update && d.kind != StepKind::Update(UpdateKind::EsuPrep) && d.released.is_some_and(|r| r > esu_end) {
            push_unique(&mut d.requires, esu_kb.clone());
            push_unique(&mut d.requires, ESU_KEY.to_string());
        }
    }
}

/// Whether a step of this kind needs a restart, and why.
pub(crate) fn reboot_of(kind: StepKind) -> (bool, &'static str) {
    match kind {
        StepKind::Update(UpdateKind::MonthlyRollup | UpdateKind::SecurityOnly) => {
            (true, "a monthly rollup / security-only update replaces kernel files: restart to complete")
        }
        StepKind::Update(UpdateKind::Sha2) => (
            true,
            "restart after KB4474419 before installing the updates that need it (data/errors/hresults.csv 0x80092004)",
        ),
        StepKind::Update(UpdateKind::ServicePack) => {
            (true, "a service pack replaces the operating system's files: restart to complete")
        }
        StepKind::EsuKey => (false, "a licensing step: no restart"),
        _ => (false, "no source in the data says it needs a restart; wusa exit code 3010 tells if it does"),
    }
}

/// Is every requirement of `d` already on the host?
fn satisfied(h: &PlanHost, d: &Draft) -> bool {
    d.requires.iter().all(|r| {
        if r == ESU_KEY {
            h.esu_proven
        } else {
            r.parse::<Kb>().is_ok_and(|k| h.installed.contains(&k))
        }
    })
}

/// Numbers the drafts and puts a restart only where a later step requires
/// an update of the current group that needs one, and at the end. Returns
/// the steps and the number of restarts.
pub(crate) fn steps(h: &PlanHost, drafts: Vec<Draft>) -> (Vec<Step>, usize) {
    let mut steps: Vec<Step> = Vec::new();
    let mut reboots = 0;
    // The names of the current group's steps, and whether each needs a restart.
    let mut group: Vec<(String, bool)> = Vec::new();
    for d in drafts {
        let (reboot, reboot_note) = reboot_of(d.kind);
        let needs_restart_first = d.requires.iter().any(|r| group.iter().any(|(k, needs)| *needs && k == r));
        if needs_restart_first {
            if let Some(last) = steps.last_mut() {
                last.restart_after = true;
                reboots += 1;
            }
            group.clear();
        }
        let satisfied = satisfied(h, &d);
        group.push((d.kb.map(|k| k.to_string()).unwrap_or_else(|| ESU_KEY.to_string()), reboot));
        steps.push(Step {
            order: steps.len() + 1,
            kb: d.kb,
            title: d.title,
            kind: d.kind,
            released: d.released,
            month_only: d.month_only,
            file: None,
            download: d.kb.map(w2k8_catalog::update_catalog_search),
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
    (steps, reboots)
}
