//! The updates the missing ones need first (servicing stack, SHA-2 code
//! signing support, ESU licensing preparation) and the install order.
use super::context::HostContext;
use super::cover::{missing_of, CveInfo};
use super::model::Missing;
use crate::programme::{self, Programme};
use w2k8_catalog::{facts, Update, UpdateKind};
use w2k8_core::Date;

/// Has an installed update released on or after `cut` (which proves the
/// prerequisite of that cut-over works on the host)?
fn proven(ctx: &HostContext, cut: Option<Date>) -> bool {
    matches!((ctx.newest_installed(), cut), (Some(n), Some(c)) if n >= c)
}

/// The newest servicing stack released up to the newest needed update, when
/// it is newer than the one installed and not listed yet.
fn ssu<'c>(ctx: &HostContext<'c>, newest_needed: Option<Date>, missing: &[Missing]) -> Option<&'c Update> {
    let s = ctx
        .catalog
        .updates_of_kind(UpdateKind::Ssu)
        .filter(|u| ctx.applies(u) && ctx.available(u))
        .filter(|u| matches!((programme::release_or_month(u), newest_needed), (Some(d), Some(n)) if d <= n))
        .max_by_key(|u| (programme::release_or_month(u), u.kb))?;
    let newer = match (programme::release_or_month(s), ctx.newest_ssu) {
        (Some(d), Some(i)) => d > i,
        (_, None) => true,
        _ => false,
    };
    let listed = missing.iter().any(|m| m.kb == s.kb);
    (newer && !ctx.installed.contains(&s.kb) && !listed).then_some(s)
}

/// SHA-2 support, when a needed update is SHA-2-only signed and nothing
/// installed proves the host has it.
fn sha2<'c>(ctx: &HostContext<'c>, newest_needed: Option<Date>) -> Option<&'c Update> {
    let kb = facts::sha2_update().value;
    let cut = ctx.catalog.update(facts::first_sha2_only_rollup().value).and_then(|u| u.released);
    if ctx.has_kind(UpdateKind::Sha2) || ctx.installed.contains(&kb) || proven(ctx, cut) || ctx.sha2_installed {
        return None;
    }
    match (newest_needed, cut) {
        (Some(n), Some(d)) if n >= d => ctx.catalog.update(kb),
        _ => None,
    }
}

/// The ESU preparation package, when the programme is an ESU one and a
/// needed update was released after extended support ended.
fn esu_prep<'c>(ctx: &HostContext<'c>, newest_needed: Option<Date>) -> Option<&'c Update> {
    let end = facts::extended_support_end().value;
    let after_end = end.to_days().checked_add(1).map(Date::from_days);
    if ctx.programme.programme == Programme::None
        || ctx.has_kind(UpdateKind::EsuPrep)
        || proven(ctx, after_end)
        || ctx.esu_prep_installed
    {
        return None;
    }
    newest_needed.filter(|n| *n > end).and_then(|_| ctx.catalog.update(facts::esu_prep_package().value))
}

const SSU_WHY: &str = "servicing stack update: install it first; a rollup installed on an older servicing stack can fail or roll back (the newest SSU released up to the newest update listed; per-rollup SSU prerequisites are not in the data)";
const SHA2_WHY: &str = "SHA-2 code signing support: updates released from July 2019 are SHA-2 signed only and do not install without it (KB4472027)";
const ESU_WHY: &str = "ESU licensing preparation package: updates released after January 2020 install only with it and an activated ESU key";

/// The prerequisites `missing` needs that the host lacks.
pub(crate) fn prerequisites(ctx: &HostContext, missing: &[Missing], info: &CveInfo) -> Vec<Missing> {
    if missing.is_empty() {
        return Vec::new();
    }
    let newest_needed = missing.iter().filter_map(|m| m.released).max();
    let found = [
        (ssu(ctx, newest_needed, missing), SSU_WHY),
        (sha2(ctx, newest_needed), SHA2_WHY),
        (esu_prep(ctx, newest_needed), ESU_WHY),
    ];
    found
        .into_iter()
        .filter_map(|(u, why)| u.map(|u| missing_of(u, Vec::new(), Vec::new(), info, why.to_string())))
        .collect()
}

/// Install order: servicing stack, SHA-2, ESU preparation, then the rest
/// (stable, so the rollup stays first among the rest).
pub(crate) fn install_order(prereq: Vec<Missing>, missing: Vec<Missing>) -> Vec<Missing> {
    let rank = |m: &Missing| match m.kind {
        UpdateKind::Ssu => 0,
        UpdateKind::Sha2 => 1,
        UpdateKind::EsuPrep => 2,
        _ => 3,
    };
    let mut all = prereq;
    all.extend(missing);
    all.sort_by_key(rank);
    all
}
