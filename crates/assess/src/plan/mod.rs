//! How to patch a Windows Server 2008 SP2 or 2008 R2 SP1 host without
//! breaking it: the ordered install plan behind `w2k8 plan` (and the scripts
//! of `w2k8 script`).
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
//!   sources pair with KB4474419; KB4490628 on 2008 R2), then KB4474419 and
//!   a restart, then the newer SSU.
//! * **ESU preparation before any update released after 2020-01-14** (§3):
//!   the ESU Licensing Preparation Package (KB4538484; KB4538483 on 2008 R2,
//!   `data/servicing/r2-facts.md` §9) and an installed and
//!   activated ESU key (one key per ESU year). Microsoft's January 2020 ESU
//!   prerequisites (as the trade press reported them) include the October 8,
//!   2019 monthly rollup or later: a host below that level first gets the
//!   last rollup of extended support.
//! * **Then the newest rollup** (or the security-only chain on that track),
//!   then the other updates the assessment lists (Internet Explorer, .NET).
//!
//! Restarts are grouped: a restart is put only where a later step requires
//! an update of the current group that needs one, and at the end.
mod drafts;
mod failures;
mod model;
mod outcome;
mod steps;

pub use model::*;
pub(crate) use steps::reboot_of;

use crate::assessment::Assessment;
use crate::programme::release_or_month;
use std::collections::BTreeSet;
use w2k8_catalog::{facts, Catalog, OsFamily, Update, UpdateKind};
use w2k8_core::{Date, Kb};
use w2k8_inventory::Host;

/// The host as the plan sees it: what is installed and which prerequisites
/// it already has.
pub(crate) struct PlanHost<'c> {
    pub catalog: &'c Catalog,
    /// The host's OS family, and its servicing facts and rule sources.
    pub os: OsFamily,
    pub facts: facts::OsFacts,
    pub rules: Rules,
    pub installed: BTreeSet<Kb>,
    /// Nothing released after this day (the programme's end or `--until`).
    pub cap: Date,
    pub has_sha2: bool,
    pub has_esu_prep: bool,
    /// An installed update released after extended support ended.
    pub esu_proven: bool,
    /// The release day of the newest SSU installed.
    pub installed_ssu: Option<Date>,
    pub on_security_only: bool,
}

impl<'c> PlanHost<'c> {
    fn new(a: &Assessment, host: &Host, catalog: &'c Catalog, opts: &PlanOptions) -> Self {
        let st = &a.standing;
        let installed: BTreeSet<Kb> = host.kbs();
        let cap = match opts.until {
            Some(u) if u < a.programme.ends => u,
            _ => a.programme.ends,
        };
        let os = st.os_family;
        let installed_updates = || installed.iter().filter_map(|k| catalog.update(*k)).filter(|u| u.applies_to(os));
        let newest_installed = installed_updates().filter_map(release_or_month).max();
        let has_kind = |k: UpdateKind| installed_updates().any(|u| u.kind == k);
        let esu_proven = newest_installed.is_some_and(|n| n > facts::extended_support_end().value);
        let has_sha2 = st.sha2.present == Some(true)
            || has_kind(UpdateKind::Sha2)
            || newest_installed.is_some_and(|n| n >= drafts::sha2_cut());
        let has_esu_prep = st.esu_prep.present == Some(true) || has_kind(UpdateKind::EsuPrep) || esu_proven;
        let installed_ssu =
            installed_updates().filter(|u| u.kind == UpdateKind::Ssu).filter_map(release_or_month).max();
        Self {
            catalog,
            os,
            facts: facts::of(os),
            rules: rules(os),
            cap,
            has_sha2,
            has_esu_prep,
            esu_proven,
            installed_ssu,
            on_security_only: a.track_advice.current == Some(crate::Track::SecurityOnly),
            installed,
        }
    }

    /// Released no later than the cap (undated: allowed).
    fn within(&self, u: &Update) -> bool {
        release_or_month(u).is_none_or(|d| d <= self.cap)
    }

    /// Newer than the newest installed SSU (any, when none is installed).
    fn ssu_newer_than_installed(&self, u: &Update) -> bool {
        match (release_or_month(u), self.installed_ssu) {
            (Some(d), Some(i)) => d > i,
            (_, None) => true,
            _ => false,
        }
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
    let h = PlanHost::new(a, host, catalog, opts);
    let mut drafted = drafts::drafts(&h, a, opts.until);
    steps::fill_requires(&mut drafted);
    let drafts::Drafted { drafts, mut notes, needs_sha2, needs_esu, .. } = drafted;
    let (steps, reboots) = steps::steps(&h, drafts);
    let needs = failures::Needs {
        esu_kb: h.facts.esu_prep_package.value,
        rules: h.rules,
        sha2: needs_sha2,
        esu: needs_esu,
        has_esu_prep: h.has_esu_prep,
        installed_ssu: h.installed_ssu,
    };
    let mut predicted_failures = failures::predicted(&steps, &needs, explain);
    if !steps.is_empty() {
        notes.push("package file names: no source in the data gives them, so `file` is null for every step; download each KB for this architecture from the Microsoft Update Catalog".to_string());
        notes.push("install durations: no source in the data".to_string());
    }
    let main_kb = failures::main_kb(&steps);
    failures::host_checks(host, &steps, main_kb, explain, &mut predicted_failures, &mut notes);
    notes.push(format!("not checked: known-bad updates already installed (no source in the data names an update that breaks later installs on {})", st.product));
    Plan {
        host: st.host.clone(),
        os_family: st.os_family,
        build: st.build,
        patched_through: st.patched_through,
        programme: a.programme.clone(),
        until: opts.until,
        final_state: outcome::final_state(st, &steps),
        stops: outcome::stops(a, &steps, h.cap, opts.until),
        cannot_patch_further: outcome::isolation(a),
        isolation: crate::isolation::isolation(a, host, opts.allow_from.as_ref()),
        steps,
        reboots,
        predicted_failures,
        notes,
    }
}

/// The updates the plan installs for `host`, in its order, each with why it
/// is there: w2k8's one install order. `assess`'s `missing` lists its KBs in
/// exactly this order, and the scripts, the fleet store and the dashboard
/// take it from there.
pub(crate) fn install_sequence<'c>(a: &Assessment, host: &Host, catalog: &'c Catalog) -> Vec<(&'c Update, String)> {
    let h = PlanHost::new(a, host, catalog, &PlanOptions::default());
    drafts::drafts(&h, a, None).drafts.into_iter().filter_map(|d| Some((catalog.update(d.kb?)?, d.why))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assessment::{assess, Options};
    use crate::programme::Programme;
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
                // A complete systeminfo list (the declared count matches): an
                // empty one means nothing installed, not "unknown".
                hotfix_count_declared: o(kbs.len() as u32, 33),
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
        plan(&a, &h, c, &PlanOptions { until, ..PlanOptions::default() }, &explain)
    }

    fn shown(p: &Plan) -> Vec<String> {
        p.steps
            .iter()
            .map(|s| {
                format!(
                    "{} {}{}",
                    s.kb.map(|k| k.to_string()).unwrap_or_else(|| s.kind.to_string()),
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
        assert_eq!(p.final_state, FinalState { build: Some(6003), patched_through: Some("2026-01".parse().unwrap()) });
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
        assert_eq!(sha2.source[..2], ["data/errors/hresults.csv 0x80092004", "https://example.invalid/sha2"]);
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
        assert_eq!(last.kind.as_str(), "monthly_rollup");
        assert!(p.stops.as_deref().unwrap().contains("--until allows nothing released after 2020-06-30"));
        assert_eq!(p.final_state.patched_through.map(|m| m.to_string()).as_deref(), Some("2020-06"));
    }

    #[test]
    fn security_only_track_keeps_its_chain() {
        let p = plan_of(6003, &[4474419, 4530719, 4531787], Some(Programme::Esu), Date::new(2020, 3, 31));
        assert_eq!(p.steps.first().and_then(|s| s.kb).map(|k| k.to_string()).as_deref(), Some("KB4536953"));
        assert!(p.steps.iter().all(|s| s.kind.as_str() != "monthly_rollup"), "{:?}", shown(&p));
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
        plan(&a, h, c, &PlanOptions::default(), &explain)
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
        assert_eq!(p.final_state, FinalState { build: Some(6003), patched_through: Some("2026-01".parse().unwrap()) });
    }

    #[test]
    fn every_generated_month_plans_the_later_rollup_last() {
        let c = Catalog::embedded();
        for g in crate::generate::patched_through_hosts(c) {
            let kbs: Vec<u32> = g.installed.iter().map(|k| k.number()).collect();
            let p = plan_of(6003, &kbs, Some(Programme::Premium), None);
            match g.later_rollups.last() {
                Some(last) => {
                    let s = p.steps.iter().rfind(|s| s.kind.as_str() == "monthly_rollup").unwrap();
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
                            || (r == ESU_KEY && t.kind.as_str() == "esu_key")
                    });
                    assert!(at.is_none_or(|j| j < i), "{} {r}", g.month);
                }
            }
        }
    }
}
