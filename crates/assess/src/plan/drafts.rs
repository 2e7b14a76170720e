//! The plan's steps before ordering: the main updates, then the servicing
//! stack, SHA-2 and ESU steps they need, each in its phase.
use super::model::{StepKind, ESU_PREREQS, SHA2_RULE, VMWARE_TOOLS_ISSUE};
use super::PlanHost;
use crate::assessment::Assessment;
use crate::programme::release_or_month;
use w2k8_catalog::{facts, Update, UpdateKind};
use w2k8_core::{Date, Kb, Month};

/// Phases, in install order.
const SERVICE_PACK: u8 = 0;
pub(crate) const PRE_SHA2_SSU: u8 = 1;
const SHA2: u8 = 2;
const SSU: u8 = 3;
pub(crate) const PRE_ESU: u8 = 4;
const ESU_PREP: u8 = 5;
const KEY: u8 = 6;
pub(crate) const MAIN: u8 = 7;
pub(crate) const EXTRA: u8 = 8;

/// The first month of the SHA-2-only updates: July 2019 (KB4472027).
pub(crate) fn sha2_cut() -> Date {
    Date::new(2019, 7, 1).unwrap_or_else(|| Date::from_days(0))
}

/// The rollup level Microsoft's ESU prerequisites ask for: October 2019 or later.
fn esu_base_month() -> Month {
    Month::new(2019, 10).unwrap_or_else(|| Month::of(facts::extended_support_end().value))
}

/// A step before ordering.
pub(crate) struct Draft {
    pub phase: u8,
    pub kb: Option<Kb>,
    pub kind: StepKind,
    pub released: Option<Date>,
    pub month_only: bool,
    pub title: String,
    pub why: String,
    pub requires: Vec<String>,
    pub source: Vec<String>,
    pub known_issues: Vec<String>,
    pub caveats: Vec<String>,
}

/// The name of an update kind in a title.
pub(crate) fn kind_name(k: UpdateKind) -> &'static str {
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
        UpdateKind::ServicePack => "Service pack",
        UpdateKind::ConvenienceRollup => "Convenience rollup",
    }
}

/// The catalog's known issues of `u`, plus the VMware Tools caveat for monthly updates.
fn known_issues(u: &Update) -> Vec<String> {
    let mut k: Vec<String> = u.notes.iter().filter(|n| !n.starts_with("note:")).cloned().collect();
    if matches!(u.kind, UpdateKind::MonthlyRollup | UpdateKind::SecurityOnly) {
        k.push(format!("on a VMware virtual machine whose VMware Tools upgrade policy is \"upgrade at power cycle\", the Tools upgrade can overlap the restart that completes this update, fail (0x800f0246) and leave VMXNET3/VMCI drivers removed: finish the update's restart first, then repair VMware Tools if needed (VMware/Broadcom KB 318796, all Windows guests, not specific to 2008: {VMWARE_TOOLS_ISSUE})"));
    }
    k
}

/// The step installing `u` in `phase`.
pub(crate) fn draft(u: &Update, phase: u8, why: &str, rule_sources: &[&str]) -> Draft {
    let mut source: Vec<String> = rule_sources.iter().map(|s| s.to_string()).collect();
    for s in &u.sources {
        if !source.contains(s) {
            source.push(s.clone());
        }
    }
    Draft {
        phase,
        kb: Some(u.kb),
        kind: StepKind::Update(u.kind),
        released: release_or_month(u),
        month_only: u.released.is_none() && release_or_month(u).is_some(),
        title: u.title.clone().unwrap_or_else(|| format!("{} ({})", u.kb, kind_name(u.kind))),
        why: why.to_string(),
        requires: u.requires.iter().map(Kb::to_string).collect(),
        source,
        known_issues: known_issues(u),
        caveats: u.notes.iter().filter_map(|n| n.strip_prefix("note:")).map(|n| n.trim().to_string()).collect(),
    }
}

/// What the drafting found besides the drafts.
#[derive(Default)]
pub(crate) struct Drafted {
    pub drafts: Vec<Draft>,
    pub notes: Vec<String>,
    /// The SSU every update of the plan requires.
    pub ssu_kb: Option<Kb>,
    /// The monthly update the ESU preparation package requires.
    pub base_kb: Option<Kb>,
    pub needs_sha2: bool,
    pub needs_esu: bool,
    /// The ESU preparation package of the host's OS.
    pub esu_kb: Option<Kb>,
}

impl Drafted {
    fn has(&self, kb: Kb) -> bool {
        self.drafts.iter().any(|d| d.kb == Some(kb))
    }
}

/// The rollup to install: the assessment's, or with `--until` the newest
/// one allowed that the host does not have.
fn target_rollup<'c>(h: &PlanHost<'c>, a: &Assessment, until: Option<Date>) -> Option<&'c Update> {
    // The newest listed rollup: `missing` follows the plan's order, where a
    // base rollup for the ESU prerequisites may come before the target.
    let from_assessment = a
        .missing
        .iter()
        .filter(|m| m.kind == UpdateKind::MonthlyRollup)
        .filter_map(|m| h.catalog.update(m.kb))
        .filter(|u| h.within(u))
        .max_by_key(|u| (release_or_month(u), u.kb));
    from_assessment.or_else(|| {
        until?;
        h.catalog.rollups(h.os).into_iter().rfind(|u| {
            h.within(u)
                && !h.installed.contains(&u.kb)
                && match (&a.standing.patched_through, u.released) {
                    (Some(t), Some(d)) => Month::of(d) > *t,
                    _ => true,
                }
        })
    })
}

/// The main updates: the rollup (or the security-only chain), then the others.
fn main_updates(h: &PlanHost, a: &Assessment, until: Option<Date>, out: &mut Drafted) {
    if h.on_security_only {
        for kb in &a.track_advice.security_only_alternative {
            if let Some(u) = h.catalog.update(*kb).filter(|u| h.within(u)) {
                out.drafts.push(draft(u, MAIN, "the host is on the security-only track: each month's security-only update, in order, no month skipped", &[]));
            }
        }
    } else if let Some(u) = target_rollup(h, a, until) {
        out.drafts.push(draft(u, MAIN, "the newest monthly rollup available to this host: it is cumulative and contains every earlier rollup and security-only update", &[]));
    }
    for m in &a.missing {
        if matches!(m.kind, UpdateKind::Ssu | UpdateKind::Sha2 | UpdateKind::EsuPrep | UpdateKind::MonthlyRollup)
            || out.has(m.kb)
        {
            continue;
        }
        match h.catalog.update(m.kb) {
            Some(u) if release_or_month(u).is_none() => out.notes.push(format!(
                "left out: {} ({}): its release date is not in the data, so the plan cannot tell whether the programme covers it",
                u.kb,
                u.title.as_deref().unwrap_or(kind_name(u.kind))
            )),
            Some(u) if u.kind == UpdateKind::ServicePack => out.drafts.push(draft(u, SERVICE_PACK, &m.why, &[])),
            Some(u) if h.within(u) => out.drafts.push(draft(u, EXTRA, &m.why, &[])),
            _ => {}
        }
    }
}

/// The servicing stacks for the host's OS, oldest first.
fn ssus<'c>(h: &PlanHost<'c>) -> Vec<&'c Update> {
    let mut v: Vec<&Update> = h
        .catalog
        .updates_of_kind(UpdateKind::Ssu)
        .filter(|u| u.applies_to(h.os) && release_or_month(u).is_some())
        .collect();
    v.sort_by_key(|u| (release_or_month(u), u.kb));
    v
}

/// The newest SSU released up to the newest update of the plan; and, for a
/// host without SHA-2, the newest SSU before July 2019, SHA-2 support itself.
fn servicing_steps(h: &PlanHost, newest_needed: Option<Date>, out: &mut Drafted) {
    let ssus = ssus(h);
    let sha2_cut = sha2_cut();
    if let Some(n) = newest_needed {
        let limit = n.min(h.cap);
        if let Some(s) = ssus.iter().rev().find(|u| release_or_month(u).is_some_and(|d| d <= limit)) {
            out.ssu_kb = Some(s.kb);
            if h.ssu_newer_than_installed(s) && !h.installed.contains(&s.kb) {
                let phase = if release_or_month(s).is_some_and(|d| d >= sha2_cut) { SSU } else { PRE_SHA2_SSU };
                out.drafts.push(draft(s, phase, "the newest servicing stack update released up to the newest update of this plan: Microsoft's rule is to install the newest SSU before the monthly update", &[h.rules.ssu]));
            }
        }
    }
    r2_ssu_floor(h, newest_needed, out);
    if !out.needs_sha2 {
        return;
    }
    if let Some(s) = h.catalog.ssu_before_sha2(h.os) {
        if h.ssu_newer_than_installed(s) && !h.installed.contains(&s.kb) && !out.has(s.kb) {
            out.drafts.push(draft(s, PRE_SHA2_SSU, "the newest servicing stack update released before July 2019 (not SHA-2-only signed): the sources pair it with KB4474419 for the updates from July 2019", &[h.rules.sha2_facts]));
        }
    }
    if let Some(u) = h.catalog.update(facts::sha2_update().value) {
        out.drafts.push(draft(u, SHA2, "SHA-2 code signing support: updates released in or after July 2019 are SHA-2 signed only and do not install without it (KB4472027)", &[SHA2_RULE, h.rules.sha2_facts]));
    }
}

/// 2008 R2: the rollups and security-only updates from August 2018 on need
/// the servicing stack update KB3177467 or a later SSU (Microsoft's Windows IT
/// Pro blog, r2-facts.md §8). When no dated SSU covers the plan (a plan that
/// stops before March 2019, whose SSU KB4490628 would satisfy it) and none is
/// installed, KB3177467 goes first.
fn r2_ssu_floor(h: &PlanHost, newest_needed: Option<Date>, out: &mut Drafted) {
    let floor_from = Date::new(2018, 8, 1);
    let needed = matches!((newest_needed, floor_from), (Some(n), Some(f)) if n >= f);
    if h.os != w2k8_catalog::OsFamily::Ws2008R2 || !needed || out.ssu_kb.is_some() || h.installed_ssu.is_some() {
        return;
    }
    let Some(u) = Kb::new(3_177_467).and_then(|kb| h.catalog.update(kb)) else { return };
    if h.installed.contains(&u.kb) || out.has(u.kb) {
        return;
    }
    out.ssu_kb = Some(u.kb);
    out.drafts.push(draft(u, PRE_SHA2_SSU, "the servicing stack update the 2008 R2 SP1 updates from August 2018 on need (KB3177467 or later): Microsoft reissued it as a security update in October 2018 because rollups failed on machines without it", &[w2k8_catalog::facts::SSU_BLOG_R2, h.rules.ssu]));
}

/// The ESU preparation: the base rollup when the host is below October
/// 2019, the preparation package, and the manual key step.
fn esu_steps(h: &PlanHost, a: &Assessment, out: &mut Drafted) {
    if !out.needs_esu {
        return;
    }
    let esu_end = facts::extended_support_end().value;
    if !h.has_esu_prep {
        let below = a.standing.patched_through.is_none_or(|t| t < esu_base_month());
        let monthly_up_to_end = |d: &Draft| d.kind.is_monthly() && d.released.is_some_and(|r| r <= esu_end);
        // The plan's own monthly updates of 2019-10 .. 2020-01 (the security-only chain) reach that level.
        let reached_by_plan = out
            .drafts
            .iter()
            .any(|d| monthly_up_to_end(d) && d.released.is_some_and(|r| Month::of(r) >= esu_base_month()));
        if reached_by_plan {
            // ESU preparation then requires that update, installed and restarted.
            out.base_kb =
                out.drafts.iter().filter(|d| monthly_up_to_end(d)).max_by_key(|d| d.released).and_then(|d| d.kb);
        }
        if reached_by_plan && below && h.on_security_only {
            out.notes.push("on the security-only track the plan takes the security-only updates up to January 2020 as meeting the ESU prerequisite \"the October 8, 2019 monthly rollup or later\": an inference, no source says it".to_string());
        }
        if below && !reached_by_plan {
            base_rollup(h, esu_end, out);
        }
        if let Some(u) = h.catalog.update(h.facts.esu_prep_package.value) {
            out.drafts.push(draft(u, ESU_PREP, "ESU Licensing Preparation Package: updates released after January 14, 2020 install only with it and an activated ESU key", &[h.rules.esu, ESU_PREREQS]));
        }
    }
    out.drafts.push(esu_key_step(h));
}

/// The last rollup of extended support, for a host below the ESU base level.
fn base_rollup(h: &PlanHost, esu_end: Date, out: &mut Drafted) {
    let rollups = h.catalog.rollups(h.os);
    let Some(u) = rollups.into_iter().rfind(|u| u.released.is_some_and(|d| d <= esu_end)) else { return };
    out.base_kb = Some(u.kb);
    if !out.has(u.kb) {
        out.drafts.push(draft(u, PRE_ESU, "the last rollup of extended support: Microsoft's ESU prerequisites include the October 8, 2019 monthly rollup or later", &[ESU_PREREQS, h.rules.esu]));
    }
}

/// The manual step: install and activate the ESU key.
fn esu_key_step(h: &PlanHost) -> Draft {
    Draft {
        phase: KEY,
        kb: None,
        kind: StepKind::EsuKey,
        released: None,
        month_only: false,
        title: "Install and activate the ESU key of the current ESU year (slmgr /ipk KEY, then slmgr /ato ACTIVATION-ID)".to_string(),
        why: "updates released after January 14, 2020 install only on a machine with an installed and activated ESU key; each ESU year has its own key. The bundle does not show licensing state".to_string(),
        requires: vec![h.facts.esu_prep_package.value.to_string()],
        source: vec![h.rules.esu.to_string(), facts::ESU_TECHCOMMUNITY.to_string(), "data/errors/hresults.csv 0x80070643".to_string()],
        known_issues: Vec::new(),
        caveats: Vec::new(),
    }
}

/// Every draft of the plan, in install order.
pub(crate) fn drafts(h: &PlanHost, a: &Assessment, until: Option<Date>) -> Drafted {
    let mut out = Drafted { esu_kb: Some(h.facts.esu_prep_package.value), ..Drafted::default() };
    main_updates(h, a, until, &mut out);
    let esu_end = facts::extended_support_end().value;
    let newest_needed: Option<Date> = out.drafts.iter().filter_map(|d| d.released).max();
    out.needs_sha2 = !h.has_sha2 && newest_needed.is_some_and(|n| n >= sha2_cut());
    out.needs_esu = newest_needed.is_some_and(|n| n > esu_end);
    servicing_steps(h, newest_needed, &mut out);
    esu_steps(h, a, &mut out);
    // Updates of the main phase released up to the end of extended support go before the ESU steps.
    if out.needs_esu {
        for d in out.drafts.iter_mut() {
            if (d.phase == MAIN || d.phase == EXTRA) && d.released.is_some_and(|r| r <= esu_end) {
                d.phase = PRE_ESU;
            }
        }
    }
    out.drafts.sort_by_key(|d| (d.phase, d.released, d.kb));
    out
}
