//! The install order of `missing`: the plan's ([`crate::plan`]), so that
//! `assess`, `plan`, the scripts and the fleet views never disagree.
//!
//! The cover ([`super::cover`]) finds the smallest set of updates that
//! closes what can be closed; the plan adds what installing them needs
//! first (the servicing stack updates, SHA-2 code signing support KB4474419
//! and the SSU the sources pair with it, the ESU preparation package, the
//! base rollup of the ESU prerequisites) and orders everything. `missing`
//! is the plan's updates, in the plan's order, then what the cover found
//! that the plan does not install (an update whose release date is not in
//! the data, or one past the programme's end), in the cover's order.
use super::context::month_of;
use super::cover::{missing_of, CveInfo};
use super::model::Missing;
use w2k8_catalog::Update;

/// `found` in the order of `sequence` (the plan's updates with why each is
/// there); an update of the sequence that `found` lacks is added.
pub(crate) fn in_plan_order(sequence: Vec<(&Update, String)>, found: Vec<Missing>, info: &CveInfo) -> Vec<Missing> {
    let mut rest: Vec<Option<Missing>> = found.into_iter().map(Some).collect();
    let mut out = Vec::with_capacity(rest.len() + sequence.len());
    for (u, why) in sequence {
        let listed = rest.iter_mut().find(|m| m.as_ref().is_some_and(|m| m.kb == u.kb)).and_then(Option::take);
        out.push(listed.unwrap_or_else(|| missing_of(u, Vec::new(), Vec::new(), info, why)));
    }
    out.extend(rest.into_iter().flatten());
    // An update the order installs is not "made unnecessary" by another one
    // (e.g. the base rollup of the ESU prerequisites, below the target rollup).
    let listed: Vec<w2k8_core::Kb> = out.iter().map(|m| m.kb).collect();
    for m in &mut out {
        m.replaces.retain(|k| !listed.contains(k));
    }
    out
}

/// On a partial list, an update not listed may be installed all the same:
/// it is `unknown`, unless the kernel in effect proves it absent (a monthly
/// update of a later month than the kernel's would have replaced it). A
/// service pack (2008 SP2, 2008 R2 SP1) is judged by the build, never by the list.
pub(crate) fn mark_unproven(missing: &mut [Missing], kernel_month: Option<u32>, catalog: &w2k8_catalog::Catalog) {
    use w2k8_catalog::UpdateKind;
    for m in missing.iter_mut().filter(|m| !matches!(m.kb.number(), 948_465 | 976_932)) {
        let monthly = matches!(m.kind, UpdateKind::MonthlyRollup | UpdateKind::SecurityOnly);
        let later = catalog.update(m.kb).and_then(month_of).zip(kernel_month).is_some_and(|(u, k)| u > k);
        if !(monthly && later) {
            m.status = crate::truth::Status::Unknown;
        }
    }
}
