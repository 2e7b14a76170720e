//! What a Windows Server 2008 or 2008 R2 host is missing and which CVEs are
//! still open on it: the output of `w2k8 assess`.
//!
//! The rules, each from the servicing model the data and its sources
//! describe:
//!
//! * **Cumulative rollups.** Each Security Monthly Quality Rollup contains
//!   every fix of the earlier rollups and of the security-only updates of its
//!   own and earlier months, from the start of the model (Microsoft,
//!   "Simplified servicing for Windows 7 and Windows 8.1: the latest
//!   improvements": "installing the latest Monthly Rollup will ensure you
//!   have all fixes since the start of the model"). For Windows Server 2008
//!   SP2 the model starts in September 2018, for 2008 R2 SP1 in October
//!   2016 (`data/servicing/`). So a
//!   rollup or security-only update of a month up to the newest installed
//!   rollup (or the kernel's rollup level) is not missing, and the smallest
//!   set that covers every later month is one update: the newest rollup.
//! * **Supersedence.** An installed update makes every update it supersedes,
//!   directly or through a chain (MSRC's `Supersedes`), unnecessary. Chains
//!   may hold cycles and targets outside the catalog: the walks
//!   ([`crate::supersede`]) terminate and report them.
//! * **CVE closure.** A CVE is open on the host only if no update that fixes
//!   it on one of the host's products is installed, superseded by an
//!   installed update, or contained in an installed rollup. Either twin
//!   (rollup or security-only) closes it.
//! * **Honesty about old updates.** The rollups are not stated to contain
//!   fixes released before the model started. A stand-alone update of that
//!   era (released before the OS's first rollup, 2018-09-11 / KB4458010 on
//!   2008 and 2016-10-11 / KB3185330 on 2008 R2, or with a KB number below
//!   it when MSRC re-posted it later) that no
//!   supersedence chain connects to an installed or rollup-era update is
//!   reported as `unknown`, with the reason, never as `missing`.
//! * **Products.** The host's rows are chosen by architecture and Server Core
//!   (full-install rows when the bundle does not tell, said in a note);
//!   Internet Explorer and .NET Framework rows only when the bundle shows
//!   that version installed; other components are "not assessed".
//! * **Servicing stacks.** An installed servicing stack update closes what
//!   an older SSU fixes (e.g. CVE-2020-1346, fixed by the July 2020 SSU
//!   KB4565353): an SSU replaces the servicing stack as a whole. This is an
//!   assumption, not a statement of the MSRC data, which gives no
//!   supersedence between 2008 SP2 SSUs.
//! * **Programmes.** Updates released after the chosen programme ended are
//!   not "missing": their CVEs are "no fix available to you".
//!
//! The assessment runs as phases over one `context::HostContext`:
//! `products` (which MSRC rows), `cover::Target` (the rollup to install),
//! `exposure` (every CVE judged), `cover` (the smallest set),
//! `order` (what installing it needs first, in the plan's one install
//! order), `unknowns`, `track` (private modules of this one).
mod context;
mod cover;
mod exposure;
mod index;
mod model;
mod order;
mod products;
mod track;
mod unknowns;

#[doc(hidden)]
pub use exposure::{set_verdict_memo, verdict_memo_hits};

pub use model::{
    Assessment, Component, Exposure, FixStatus, KevRef, Missing, Options, Summary, TrackAdvice, Unknown, UnknownCve,
};

use crate::programme;
use crate::standing::{standing, NotAssessed, Standing};
use context::HostContext;
use w2k8_catalog::Catalog;
use w2k8_core::Date;
use w2k8_inventory::Host;

/// Assesses `host` as of `today`.
pub fn assess<'c>(
    host: &Host,
    catalog: &'c Catalog,
    today: Date,
    opts: &Options,
) -> Result<Assessment<'c>, NotAssessed> {
    let st = standing(host, catalog, today)?;
    Ok(assess_standing(st, host, catalog, opts))
}

/// Completes a standing into an assessment.
pub fn assess_standing<'c>(st: Standing, host: &Host, catalog: &'c Catalog, opts: &Options) -> Assessment<'c> {
    let installed = host.kbs();
    let mut st = st;
    let prog = choose_programme(&mut st, &installed, catalog, opts);
    let prods = products::products(&st, host, catalog);
    let ctx = HostContext::new(&st, installed, &prods, prog, catalog);
    let target = cover::Target::new(&ctx);
    // Stand-alone updates of the rollup era released up to this month may be
    // contained in a rollup the host has (or will have): the data does not say.
    let horizon = ctx.rollup_level.max(target.month);
    let mut cves = exposure::scan_cves(&ctx, &prods.rows, horizon);
    // On the security-only track the missing months are the plan's steps.
    let so_chain = (st.track == Some(crate::Track::SecurityOnly) && ctx.complete)
        .then(|| track::security_only_alternative(&ctx, &target));
    let found = cover::cover(&ctx, &target, st.patched_through, so_chain.as_deref(), &cves.exposure, &cves.info);
    let mut missing = found;
    if below_service_pack(&st) {
        missing.insert(0, service_pack(&st, catalog));
    }
    let unknown = unknowns::unknowns(catalog, st.os_family, std::mem::take(&mut cves.unknown), horizon);
    let track_advice = track::track_advice(&ctx, &st, &target);
    let lower_bound = !ctx.complete || below_service_pack(&st);
    let summary = summary(&cves, missing.len(), unknown.len(), lower_bound);
    let (complete, kernel_month) = (ctx.complete, ctx.kernel_month);
    let mut a = Assessment {
        blocking: blocking(&st),
        assessment_notes: notes(&st, &prods, catalog),
        programme: ctx.programme,
        products_assessed: prods.names,
        components: prods.components,
        standing: st,
        track_advice,
        missing,
        exposure: cves.exposure,
        exposure_unknown: cves.unseen,
        unknown,
        summary,
    };
    let plan_order = PlanOrder { host, catalog, info: &cves.info, complete, kernel_month };
    plan_order.apply(&mut a);
    crate::reachability::apply(&mut a, host);
    a
}

/// Chooses the programme (from `--esu`, the installed updates and the
/// kernel in effect) and, when given or proven by the kernel, the SSU it needs.
fn choose_programme(
    st: &mut Standing,
    installed: &std::collections::BTreeSet<w2k8_core::Kb>,
    catalog: &Catalog,
    opts: &Options,
) -> programme::ProgrammeChoice {
    let installed_v: Vec<_> = installed.iter().copied().collect();
    let kernel = st.kernel_level.as_ref().and_then(|k| Some((k.released?, k.kb)));
    let prog = programme::choose_with_kernel(opts.programme, &installed_v, kernel, catalog);
    if opts.programme.is_some() || kernel.is_some() {
        crate::standing::ssu_for_programme(&mut st.ssu, catalog, st.os_family, &prog);
    }
    prog
}

/// The counts of an assessment; `missing` and `unknown` are the numbers of
/// missing and unknown updates.
fn summary(cves: &exposure::CveScan<'_>, missing: usize, unknown: usize, lower_bound: bool) -> Summary {
    Summary {
        missing,
        open_cves: cves.exposure.len(),
        open_with_fix: cves.exposure.iter().filter(|e| e.status == FixStatus::FixAvailable).count(),
        no_fix_available: cves.exposure.iter().filter(|e| e.status != FixStatus::FixAvailable).count(),
        open_in_kev: cves.exposure.iter().filter(|e| e.kev.is_some()).count(),
        closed_cves: cves.closed,
        unknown_updates: unknown,
        unknown_cves: cves.unknown_cves,
        no_update_in_data: cves.no_update_in_data,
        unknown_in_kev: cves.unseen.iter().filter(|u| u.kev.is_some()).count(),
        counts_are_lower_bound: lower_bound,
        ..Summary::default()
    }
}

/// What putting the missing updates in the plan's install order needs.
struct PlanOrder<'a, 'c> {
    host: &'a Host,
    catalog: &'c Catalog,
    /// Severity and KEV of each open CVE.
    info: &'a cover::CveInfo,
    /// True when the hotfix list is complete.
    complete: bool,
    /// The rollup month of the kernel in effect.
    kernel_month: Option<u32>,
}

impl PlanOrder<'_, '_> {
    /// Puts `a.missing` in the plan's install order.
    fn apply(&self, a: &mut Assessment<'_>) {
        // One install order: the plan's. It adds what installing the cover
        // needs first (SSU, SHA-2, ESU preparation); Service Pack 2 stays first.
        let sequence = crate::plan::install_sequence(a, self.host, self.catalog);
        let found = std::mem::take(&mut a.missing);
        // 2008 SP2 (KB948465) is not in the catalog, so not in the plan: it stays
        // first. 2008 R2 SP1 (KB976932) is the plan's first step.
        let (sp, found): (Vec<Missing>, Vec<Missing>) = found.into_iter().partition(|m| m.kb.number() == 948_465);
        a.missing = sp;
        a.missing.extend(order::in_plan_order(sequence, found, self.info));
        a.summary.missing = a.missing.len();
        if !self.complete {
            order::mark_unproven(&mut a.missing, self.kernel_month, self.catalog);
        }
    }
}

/// The notes about the assessment itself.
fn notes(st: &Standing, prods: &products::Products, catalog: &Catalog) -> Vec<String> {
    let mut notes = prods.notes.clone();
    let not_assessed = prods.components.iter().filter(|c| !c.assessed).count();
    if not_assessed > 0 {
        notes.push(format!("{not_assessed} product(s) besides the OS were not assessed (see components)"));
    }
    let cyc = index::data_cycles(catalog);
    if let Some((a, b)) = cyc.first() {
        notes.push(format!(
            "the catalog's supersedence data holds {} cycle edge(s) (e.g. {a} -> {b}); walks stop at them",
            cyc.len()
        ));
    }
    if st.hotfix_summary.truncated {
        notes.push(
            "the hotfix list is truncated: some updates listed as missing or unknown may be installed".to_string(),
        );
    }
    notes
}

/// Below the service pack every update of the rollup era needs: 2008 build
/// 6001 or a service pack below 2; 2008 R2 build 7600 or no service pack.
fn below_service_pack(st: &Standing) -> bool {
    match st.os_family {
        w2k8_catalog::OsFamily::Ws2008 => st.build == Some(6001) || st.service_pack.is_some_and(|sp| sp < 2),
        w2k8_catalog::OsFamily::Ws2008R2 => st.build == Some(7600) || st.service_pack.is_some_and(|sp| sp < 1),
    }
}

/// The service pack, first for a host below it: Windows Server 2008 SP2
/// (KB948465, the package CBS logs name when SP2 installs) or 2008 R2 SP1
/// (KB976932, from the R2 servicing table).
fn service_pack(st: &Standing, catalog: &Catalog) -> Missing {
    if st.os_family == w2k8_catalog::OsFamily::Ws2008R2 {
        let kb = w2k8_core::Kb::new(976_932).unwrap_or_else(|| unreachable!("non-zero"));
        let u = catalog.update(kb);
        return Missing {
            kb,
            title: Some("Windows 7 and Windows Server 2008 R2 Service Pack 1 (KB976932)".to_string()),
            released: u.and_then(|u| u.released),
            month_only: false,
            kind: w2k8_catalog::UpdateKind::ServicePack,
            supersedes: Vec::new(),
            replaces: Vec::new(),
            cves: Vec::new(),
            max_severity: None,
            kev_count: 0,
            why: "Service Pack 1: every update for Windows Server 2008 R2 since April 2013 (the end of RTM support) and every monthly rollup requires it; install it first, then assess again".to_string(),
            download: w2k8_catalog::update_catalog_search(kb),
            reboot: true,
            status: crate::truth::Status::Missing,
            accepted: None,
            accepted_expired: None,
        };
    }
    Missing {
        kb: w2k8_core::Kb::new(948_465).unwrap_or_else(|| unreachable!("non-zero")),
        title: Some("Windows Server 2008 Service Pack 2 (https://support.microsoft.com/help/948465)".to_string()),
        // The start of the SP2 servicing line in Microsoft's lifecycle data.
        released: Date::new(2009, 4, 29),
        month_only: false,
        kind: w2k8_catalog::UpdateKind::Other,
        supersedes: Vec::new(),
        replaces: Vec::new(),
        cves: Vec::new(),
        max_severity: None,
        kev_count: 0,
        why: "Service Pack 2: every update for Windows Server 2008 since July 2011 and every monthly rollup requires it; install it first, then assess again".to_string(),
        download: "https://support.microsoft.com/help/948465".to_string(),
        // A service pack replaces the operating system's files.
        reboot: true,
        status: crate::truth::Status::Missing,
        accepted: None,
        accepted_expired: None,
    }
}

/// Findings that come before any update.
fn blocking(st: &Standing) -> Vec<String> {
    let mut blocking = Vec::new();
    if below_service_pack(st) {
        blocking.push(match st.os_family {
            w2k8_catalog::OsFamily::Ws2008 => "Service Pack 2 is not installed: every update for Windows Server 2008 since July 2011, and every monthly rollup, requires it; install Service Pack 2 first, then assess again (the updates listed for this service pack level are old stand-alone updates)".to_string(),
            w2k8_catalog::OsFamily::Ws2008R2 => "Service Pack 1 (KB976932) is not installed: every update for Windows Server 2008 R2 since April 2013, and every monthly rollup, requires it; install Service Pack 1 first, then assess again (the updates listed for the RTM level are old stand-alone updates)".to_string(),
        });
    }
    blocking
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::programme::Programme;
    use w2k8_catalog::UpdateKind;
    use w2k8_core::{Arch, Evidence, Kb, Observed};
    use w2k8_inventory::{Facts, Hotfix};

    fn o<T>(v: T, file: &str, line: u32) -> Option<Observed<T>> {
        Some(Observed::new(v, Evidence::new("x", file, Some(line))))
    }

    pub(crate) fn host(arch: Arch, kbs: &[u32]) -> Host {
        Host {
            facts: Facts {
                host_name: o("SRV1".to_string(), "systeminfo.txt", 2),
                os_name: o("Microsoft Windows Server 2008 Standard".to_string(), "systeminfo.txt", 3),
                os_version: o("6.0.6003".to_string(), "systeminfo.txt", 4),
                build: o(6003, "systeminfo.txt", 4),
                service_pack_number: o(2, "systeminfo.txt", 4),
                arch: o(arch, "systeminfo.txt", 15),
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
                // A complete systeminfo list (the declared count matches).
                hotfix_count_declared: o(kbs.len() as u32, "systeminfo.txt", 33),
                ..Facts::default()
            },
            ..Host::default()
        }
    }

    fn today() -> Date {
        Date::new(2026, 11, 25).unwrap()
    }

    fn run(kbs: &[u32], programme: Option<Programme>) -> Assessment<'static> {
        assess(&host(Arch::X64, kbs), Catalog::embedded(), today(), &Options { programme }).unwrap()
    }

    fn kbs_of(m: &[Missing]) -> Vec<String> {
        m.iter().map(|m| m.kb.to_string()).collect()
    }

    /// The WES-NG false-positive host of issue 4: 566 "missing" there.
    #[test]
    fn wesng_false_positive_host_gets_the_short_answer() {
        let a = run(&[4474419, 4493730, 5073697], None);
        assert_eq!(a.programme.programme, Programme::Premium);
        // Only the SSU MSRC names as the fix of CVE-2020-1346 (Windows Modules Installer).
        assert_eq!(kbs_of(&a.missing), ["KB4565353"]);
        assert_eq!(a.missing[0].cves, ["CVE-2020-1346"]);
        assert_eq!(a.exposure.len(), 1);
        assert_eq!(a.exposure[0].cve, "CVE-2020-1346");
        assert!(a.exposure[0].kev.is_none());
        // Every rollup and security-only update is contained in the January 2026 rollup.
        assert!(a.missing.iter().all(|m| !matches!(m.kind, UpdateKind::MonthlyRollup | UpdateKind::SecurityOnly)));
        assert!(a.summary.closed_cves > 2000, "{:?}", a.summary);
        // Old stand-alone updates the data cannot connect: unknown, with a reason.
        assert!(!a.unknown.is_empty());
        assert!(a.unknown.iter().all(|u| u.reason.contains("cannot tell")));
        assert_eq!(a.track_advice.recommended, crate::Track::MonthlyRollup);
        assert!(a.components.iter().all(|c| !c.assessed && c.detail.starts_with("not assessed")));
    }

    #[test]
    fn programme_decides_what_counts() {
        // Patched through 2019-06, nothing after.
        let none = run(&[4493730, 4503273], None);
        assert_eq!(none.programme.programme, Programme::None);
        let rollup = none.missing.iter().find(|m| m.kind == UpdateKind::MonthlyRollup).unwrap();
        assert_eq!(rollup.kb.to_string(), "KB4534303", "January 2020, the last one without ESU");
        assert!(none
            .exposure
            .iter()
            .any(|e| e.status == FixStatus::NoFixAvailableToYou && e.programme_ended == Date::new(2020, 1, 14)));
        assert!(!none.missing.iter().any(|m| m.kind == UpdateKind::EsuPrep));
        let esu = run(&[4493730, 4503273], Some(Programme::Esu));
        let rollups: Vec<String> =
            esu.missing.iter().filter(|m| m.kind == UpdateKind::MonthlyRollup).map(|m| m.kb.to_string()).collect();
        // The base rollup the ESU prerequisites ask for (October 2019 or later: January 2020's), then January 2023's.
        assert_eq!(rollups, ["KB4534303", "KB5022340"]);
        let at = |kb: &str| esu.missing.iter().position(|m| m.kb.to_string() == kb).unwrap();
        assert!(
            at("KB4534303") < at("KB4538484") && at("KB4538484") < at("KB5022340"),
            "base rollup, ESU prep, target"
        );
        assert!(esu.missing.iter().any(|m| m.kb.to_string() == "KB4538484"));
        assert!(esu.missing.iter().any(|m| m.kb.to_string() == "KB4474419"), "SHA-2 needed from July 2019");
        // Prerequisites come first.
        assert!(matches!(esu.missing[0].kind, UpdateKind::Ssu | UpdateKind::Sha2));
    }

    #[test]
    fn security_only_host_is_advised_one_rollup() {
        // 2018-09 .. 2018-11 security-only.
        let a = run(&[4457984, 4463104, 4467700], Some(Programme::Premium));
        assert_eq!(a.track_advice.current, Some(crate::Track::SecurityOnly));
        assert_eq!(a.track_advice.recommended, crate::Track::MonthlyRollup);
        assert!(a.track_advice.security_only_alternative.len() > 80);
        assert!(a.track_advice.why.contains("KB5073697"));
        // On its own track every missing month is missing, in order, as the
        // plan installs them (issue 15): the chain, no rollup in between.
        let so: Vec<Kb> = a.missing.iter().filter(|m| m.kind == UpdateKind::SecurityOnly).map(|m| m.kb).collect();
        assert_eq!(so, a.track_advice.security_only_alternative);
        assert!(a.missing.iter().all(|m| m.kind != UpdateKind::MonthlyRollup));
    }

    #[test]
    fn either_twin_closes_a_cve() {
        // BlueKeep: May 2019 rollup KB4499149 or security-only KB4499180.
        for kb in [4499149, 4499180] {
            let a = run(&[kb], Some(Programme::None));
            assert!(a.exposure.iter().all(|e| e.cve != "CVE-2019-0708"), "KB{kb}");
        }
        let a = run(&[4493471], Some(Programme::None));
        let e = a.exposure.iter().find(|e| e.cve == "CVE-2019-0708").unwrap();
        assert_eq!(e.fixed_by.iter().map(|k| k.to_string()).collect::<Vec<_>>(), ["KB4499149", "KB4499180"]);
        assert!(e.kev.is_some());
        // KEV entries sort first.
        assert!(a.exposure.first().unwrap().kev.is_some());
    }

    #[test]
    fn filters_keep_the_updates_that_close_what_is_left() {
        let mut a = run(&[4493471], Some(Programme::Premium));
        let before = a.missing.len();
        a.filter(|e| e.kev.is_some());
        assert!(a.exposure.iter().all(|e| e.kev.is_some()));
        assert!(!a.exposure.is_empty());
        assert!(a.missing.len() <= before);
        assert!(a.missing.iter().any(|m| m.kind == UpdateKind::MonthlyRollup));
        assert_eq!(a.summary.open_cves, a.exposure.len());
        a.filter(|_| false);
        assert!(a.is_clean());
    }

    #[test]
    fn components_only_when_the_bundle_shows_them() {
        let mut h = host(Arch::X64, &[5073697, 4474419, 4493730]);
        h.facts.ie_version = o("9.0.8112.16421".to_string(), "reg-ie.txt", 7);
        h.facts.dotnet = vec![Observed::new("4.6.2".to_string(), Evidence::new("dotnet", "reg-dotnet.txt", Some(43)))];
        let a = assess(&h, Catalog::embedded(), today(), &Options::default()).unwrap();
        let ie = a.components.iter().find(|c| c.name == "Internet Explorer 9").unwrap();
        assert!(ie.assessed);
        assert_eq!(ie.evidence.as_ref().map(|e| e.location()).as_deref(), Some("reg-ie.txt:7"));
        assert!(a.components.iter().find(|c| c.name == "Microsoft .NET Framework 4.6.2").unwrap().assessed);
        let v35 = a.components.iter().find(|c| c.name == "Microsoft .NET Framework 3.5 Service Pack 1").unwrap();
        assert!(!v35.assessed && v35.detail.starts_with("not installed"));
        assert!(a
            .products_assessed
            .iter()
            .any(|p| p.starts_with("Internet Explorer 9 on Windows Server 2008 for x64")));
    }

    #[test]
    fn server_core_and_itanium_rows() {
        let mut h = host(Arch::Ia64, &[4493471]);
        h.facts.os_sku = o(12, "os.txt", 5); // PRODUCT_DATACENTER_SERVER_CORE
        let a = assess(&h, Catalog::embedded(), today(), &Options::default()).unwrap();
        assert!(a.products_assessed.iter().all(|p| p.contains("Itanium")), "{:?}", a.products_assessed);
        let h = host(Arch::X86, &[4493471]);
        let a = assess(&h, Catalog::embedded(), today(), &Options::default()).unwrap();
        assert_eq!(a.products_assessed, ["Windows Server 2008 for 32-bit Systems Service Pack 2"]);
        assert!(a.assessment_notes.iter().any(|n| n.contains("full-installation")));
    }

    #[test]
    fn rtm_host_is_told_to_install_sp2_first() {
        let mut h = host(Arch::X64, &[956250]);
        h.facts.build = o(6001, "systeminfo.txt", 4);
        h.facts.os_version = o("6.0.6001".to_string(), "systeminfo.txt", 4);
        h.facts.service_pack_number = o(1, "systeminfo.txt", 4);
        let a = assess(&h, Catalog::embedded(), today(), &Options::default()).unwrap();
        assert!(!a.is_clean());
        assert!(a.blocking[0].starts_with("Service Pack 2 is not installed"));
        assert_eq!(a.products_assessed, ["Windows Server 2008 for x64-based Systems"]);
    }

    /// KB5004959 (PrintNightmare, security-only, out of band, July 2021) has no
    /// sourced release day: its MSRC posting dates it, so a host without ESU is
    /// not told to install it.
    #[test]
    fn undated_updates_are_dated_by_their_msrc_posting() {
        let a = run(&[4474419, 4493730, 4534303], Some(Programme::None));
        assert!(
            a.missing.iter().all(|m| m.kb.number() != 5004959 && m.kb.number() != 5004955),
            "{:?}",
            kbs_of(&a.missing)
        );
        let pn = a.exposure.iter().find(|e| e.cve == "CVE-2021-34527").expect("PrintNightmare is open");
        assert_eq!(pn.status, FixStatus::NoFixAvailableToYou);
    }
}
