//! The smallest set of updates that closes what is open: the newest monthly
//! rollup available to the host (cumulative, so one update covers every
//! later month), then a greedy cover of what it leaves open.
use super::context::{era, month_of, Era, HostContext};
use super::model::{Exposure, FixStatus, Missing};
use crate::programme;
use std::collections::BTreeMap;
use w2k8_catalog::{Severity, Update, UpdateKind};
use w2k8_core::hash::{FastMap, FastSet};
use w2k8_core::{CveId, Kb};

/// The rollup the host is told to install, and the months it brings.
pub(crate) struct Target<'c> {
    /// The rollups after the host's level, available in its programme and
    /// not already on the host, oldest first.
    pub gap: Vec<&'c Update>,
    /// The newest of them: the one to install.
    pub rollup: Option<&'c Update>,
    /// Its month.
    pub month: Option<u32>,
    /// It, the rollups before it, and everything they supersede.
    closure: std::sync::Arc<FastSet<Kb>>,
}

impl<'c> Target<'c> {
    /// The newest rollup available to the host and its gap months.
    pub fn new(ctx: &HostContext<'c>) -> Self {
        let gap: Vec<&Update> = ctx
            .catalog
            .rollups(ctx.os)
            .into_iter()
            .filter(|u| ctx.applies(u) && u.released.is_some())
            .filter(|u| ctx.available(u))
            .filter(|u| match (ctx.through, month_of(u)) {
                (Some(t), Some(m)) => m > t,
                _ => true,
            })
            .filter(|u| !ctx.closes(u.kb))
            .collect();
        let rollup = gap.last().copied();
        let month = rollup.and_then(month_of);
        let closure = month.map(|m| super::context::rollups_contain(ctx.catalog, ctx.os, m)).unwrap_or_default();
        Self { month, gap, rollup, closure }
    }

    /// Is the fix `kb` on the host once the target rollup is installed?
    pub fn closes_after(&self, ctx: &HostContext, kb: Kb) -> bool {
        if ctx.closes(kb) || self.closure.contains(&kb) {
            return true;
        }
        match (ctx.catalog.update(kb), self.month) {
            (Some(u), Some(tm)) if era(u) == Era::Monthly => month_of(u).is_some_and(|m| m <= tm),
            _ => false,
        }
    }
}

/// Severity and KEV membership of the open CVEs, for the cover's counts.
pub(crate) type CveInfo = FastMap<CveId, (Severity, bool)>;

/// The highest severity and the KEV count over `ids`.
fn cve_info(info: &CveInfo, ids: &[CveId]) -> (Option<Severity>, usize) {
    let sev = ids.iter().filter_map(|i| info.get(i).map(|x| x.0)).max();
    let kev = ids.iter().filter(|i| info.get(i).is_some_and(|x| x.1)).count();
    (sev, kev)
}

/// The ids of `closed`, in the order of their texts (as the output lists them).
fn ids_by_text(closed: &[&Exposure]) -> Vec<CveId> {
    let mut ids: Vec<CveId> = closed.iter().map(|e| e.cve).collect();
    CveId::sort_by_text(&mut ids);
    ids
}

/// A missing-update entry for `u`.
pub(crate) fn missing_of(u: &Update, replaces: Vec<Kb>, cves: Vec<CveId>, info: &CveInfo, why: String) -> Missing {
    let (max_severity, kev_count) = cve_info(info, &cves);
    Missing {
        kb: u.kb,
        title: u.title.clone(),
        released: programme::release_or_month(u),
        month_only: u.released.is_none() && programme::release_or_month(u).is_some(),
        kind: u.kind,
        supersedes: u.supersedes.clone(),
        replaces,
        cves,
        max_severity,
        kev_count,
        why,
        download: w2k8_catalog::update_catalog_search(u.kb),
        reboot: crate::plan::reboot_of(crate::plan::StepKind::Update(u.kind)).0,
        status: crate::truth::Status::Missing,
        accepted: None,
        accepted_expired: None,
    }
}

/// The rollup entry, and the open CVEs with a fix available that it leaves open.
fn rollup_entry<'a, 'c>(
    ctx: &HostContext<'c>,
    target: &Target<'c>,
    patched_through: Option<w2k8_core::Month>,
    open: Vec<&'a Exposure<'c>>,
    info: &CveInfo,
) -> (Option<Missing>, Vec<&'a Exposure<'c>>) {
    let Some(t) = target.rollup else { return (None, open) };
    let (closed, remaining): (Vec<&Exposure>, Vec<&Exposure>) =
        open.into_iter().partition(|e| e.fixed_by.iter().any(|k| target.closes_after(ctx, *k)));
    let closed = ids_by_text(&closed);
    let replaces: Vec<Kb> = target.gap.iter().filter(|u| u.kb != t.kb).map(|u| u.kb).collect();
    let why = format!(
        "the newest monthly rollup available to this host ({}); it is cumulative, so it also brings the {} later rollup(s) after {} and their security-only twins",
        ctx.programme.programme.as_str(),
        replaces.len(),
        patched_through.map(|m| m.to_string()).unwrap_or_else(|| format!(
            "the start of the rollups ({})",
            w2k8_catalog::facts::of(ctx.os).first_rollup_date.month_string()
        )),
    );
    (Some(missing_of(t, replaces, closed, info, why)), remaining)
}

/// The update that closes the most of `left` (then the newest, then the highest KB).
fn best_fix(ctx: &HostContext, left: &[(CveId, Vec<Kb>)]) -> Option<Kb> {
    let mut count: BTreeMap<Kb, usize> = BTreeMap::new();
    for k in left.iter().flat_map(|(_, fx)| fx) {
        *count.entry(*k).or_default() += 1;
    }
    count
        .iter()
        .max_by_key(|(k, n)| (**n, ctx.catalog.update(**k).and_then(programme::release_or_month), **k))
        .map(|(k, _)| *k)
}

/// Greedy cover of the CVEs the rollup leaves open, one update at a time.
fn greedy(
    ctx: &HostContext,
    remaining: &[&Exposure],
    has_target: bool,
    no_rollups: bool,
    info: &CveInfo,
) -> Vec<Missing> {
    let allowed =
        |k: &Kb| ctx.kb_available(*k) && !(no_rollups && ctx.catalog.kind_of(*k) == Some(UpdateKind::MonthlyRollup));
    let mut left: Vec<(CveId, Vec<Kb>)> =
        remaining.iter().map(|e| (e.cve, e.fixed_by.iter().copied().filter(allowed).collect())).collect();
    let mut out = Vec::new();
    // Each round removes at least one CVE; the bound only guards the data.
    for _ in 0..10_000 {
        let Some(best) = best_fix(ctx, &left) else { break };
        let mut ids: Vec<CveId> = Vec::new();
        left.retain(|(id, fx)| {
            let hit = fx.contains(&best);
            if hit {
                ids.push(*id);
            }
            !hit
        });
        CveId::sort_by_text(&mut ids);
        out.push(match ctx.catalog.update(best) {
            Some(u) => {
                let why = format!(
                    "fixes {} open CVE(s) that no installed update{} closes",
                    ids.len(),
                    if has_target { " nor the recommended rollup" } else { "" }
                );
                missing_of(u, Vec::new(), ids, info, why)
            }
            None => unknown_record(best, ids, info),
        });
    }
    out
}

/// A fix the MSRC rows name that the catalog has no update record for.
fn unknown_record(kb: Kb, cves: Vec<CveId>, info: &CveInfo) -> Missing {
    let (max_severity, kev_count) = cve_info(info, &cves);
    Missing {
        kb,
        title: None,
        released: None,
        month_only: false,
        kind: UpdateKind::Other,
        supersedes: Vec::new(),
        replaces: Vec::new(),
        cves,
        max_severity,
        kev_count,
        why: "named as a fix in the data but not an update record of the catalog".to_string(),
        download: w2k8_catalog::update_catalog_search(kb),
        reboot: false,
        status: crate::truth::Status::Missing,
        accepted: None,
        accepted_expired: None,
    }
}

/// On the security-only track: each month's security-only update the host
/// lacks, oldest first (they are not cumulative: no month may be skipped),
/// and the open CVEs none of them closes.
fn security_only_entries<'a, 'c>(
    ctx: &HostContext<'c>,
    chain: &[Kb],
    open: Vec<&'a Exposure<'c>>,
    info: &CveInfo,
) -> (Vec<Missing>, Vec<&'a Exposure<'c>>) {
    let mut entries = Vec::new();
    let mut remaining = open;
    for kb in chain {
        let Some(u) = ctx.catalog.update(*kb) else { continue };
        let (closed, rest): (Vec<&Exposure>, Vec<&Exposure>) =
            remaining.into_iter().partition(|e| e.fixed_by.contains(kb));
        remaining = rest;
        let cves = ids_by_text(&closed);
        let why = "the host is on the security-only track: security-only updates are not cumulative, so each month's update must be installed, in order, no month skipped (one monthly rollup would bring them all: see track_advice)";
        entries.push(missing_of(u, Vec::new(), cves, info, why.to_string()));
    }
    (entries, remaining)
}

/// The newest rollup (on the security-only track: each missing month's
/// security-only update), then updates for what it leaves open (not yet in
/// install order: see [`super::prerequisites::install_order`]).
pub(crate) fn cover(
    ctx: &HostContext,
    target: &Target,
    patched_through: Option<w2k8_core::Month>,
    security_only_chain: Option<&[Kb]>,
    exposure: &[Exposure],
    info: &CveInfo,
) -> Vec<Missing> {
    let open: Vec<&Exposure> =
        exposure.iter().filter(|e| e.status == FixStatus::FixAvailable && !e.pre_rollup).collect();
    let (mut missing, remaining) = match security_only_chain {
        Some(chain) => security_only_entries(ctx, chain, open, info),
        None => {
            let (rollup, remaining) = rollup_entry(ctx, target, patched_through, open, info);
            (rollup.into_iter().collect(), remaining)
        }
    };
    // On the security-only track a rollup would change the track: it is the
    // track advice, not a step of the chain.
    missing.extend(greedy(ctx, &remaining, target.rollup.is_some(), security_only_chain.is_some(), info));
    missing
}
