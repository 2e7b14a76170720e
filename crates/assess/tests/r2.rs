//! Windows Server 2008 R2 SP1 plans (issue 17): the prerequisites in the
//! order R2's sources give, written by hand from
//! `data/servicing/ws2008r2-sp1-updates.csv` and `data/servicing/r2-facts.md`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::too_many_lines)]
use w2k8_assess::{assess, plan, Options, PlanOptions, Programme};
use w2k8_catalog::{Catalog, OsFamily};
use w2k8_core::{Date, Kb};
use w2k8_inventory::{bundle::load_bytes, Host, LoadOptions};

/// An English systeminfo of a 2008 R2 host with these KBs (a complete list).
fn host(version: &str, kbs: &[&str]) -> Host {
    let mut t = String::from("\r\nHost Name:                 R2-TEST\r\n");
    t.push_str("OS Name:                   Microsoft Windows Server 2008 R2 Standard \r\n");
    t.push_str(&format!("OS Version:                {version}\r\n"));
    t.push_str("System Type:               x64-based PC\r\n");
    t.push_str(&format!("Hotfix(s):                 {} Hotfix(s) Installed.\r\n", kbs.len()));
    for (i, kb) in kbs.iter().enumerate() {
        t.push_str(&format!("                           [{:02}]: {kb}\r\n", i + 1));
    }
    t.push_str("Network Card(s):           1 NIC(s) Installed.\r\n");
    load_bytes("systeminfo.txt", t.as_bytes(), &LoadOptions::default()).unwrap()
}

fn steps(h: &Host, programme: Option<Programme>, until: Option<Date>) -> (Vec<String>, w2k8_assess::Plan) {
    let c = Catalog::embedded();
    let a = assess(h, c, Date::new(2026, 6, 1).unwrap(), &Options { programme }).unwrap();
    assert_eq!(a.standing.os_family, OsFamily::Ws2008R2);
    let p = plan(&a, h, c, &PlanOptions { until, ..PlanOptions::default() }, &|_| None);
    let s = p.steps.iter().map(|s| s.kb.map(|k| k.to_string()).unwrap_or_else(|| s.kind.to_string())).collect();
    (s, p)
}

/// SP1 with the March 2017 rollup, ESU years 1-3: the SHA-2 pair (SSU
/// KB4490628 first: it is not SHA-2-only signed), the last rollup of
/// extended support (KB4534310, January 2020: the ESU prerequisites ask for
/// October 2019 or later), the R2 ESU preparation package KB4538483, the key,
/// then January 2023's rollup KB5022338, the last of ESU year 3.
#[test]
fn an_old_r2_host_gets_the_r2_prerequisites_in_order() {
    let h = host("6.1.7601 Service Pack 1 Build 7601", &["KB4012212", "KB4012215"]);
    let (s, p) = steps(&h, Some(Programme::Esu), None);
    let pos = |kb: &str| s.iter().position(|x| x == kb).unwrap_or_else(|| panic!("{kb} not in {s:?}"));
    assert!(pos("KB4490628") < pos("KB4474419"), "{s:?}");
    assert!(pos("KB4474419") < pos("KB4534310"), "{s:?}");
    assert!(pos("KB4534310") < pos("KB4538483"), "{s:?}");
    assert!(pos("KB4538483") < pos("esu_key"), "{s:?}");
    assert!(pos("esu_key") < pos("KB5022338"), "{s:?}");
    assert_eq!(s.last().map(String::as_str), Some("KB5022338"), "{s:?}");
    assert!(!s.iter().any(|x| x == "KB4538484"), "the 2008 SP2 ESU package is not for R2: {s:?}");
    assert_eq!(p.final_state.build, Some(7601), "R2 stays at 7601");
    assert_eq!(p.final_state.patched_through.map(|m| m.to_string()).as_deref(), Some("2023-01"));
}

/// A plan that stops before March 2019 (so before KB4490628) on a host with
/// no SSU: KB3177467, which the updates from August 2018 need, comes first.
#[test]
fn a_plan_before_march_2019_installs_kb3177467_first() {
    let h = host("6.1.7601 Service Pack 1 Build 7601", &["KB4012215"]);
    let (s, _) = steps(&h, None, Date::new(2018, 12, 31));
    // December 2018's rollup of 2008 R2 SP1 is KB4471318.
    assert_eq!(s, ["KB3177467", "KB4471318"]);
}

/// R2 RTM (build 7600): Service Pack 1 (KB976932) before anything.
#[test]
fn r2_rtm_installs_service_pack_1_first() {
    let h = host("6.1.7600 N/A Build 7600", &[]);
    let (s, p) = steps(&h, None, None);
    assert_eq!(s.first().map(String::as_str), Some("KB976932"), "{s:?}");
    assert!(p.steps[0].reboot, "a service pack restarts");
    let a = assess(&h, Catalog::embedded(), Date::new(2026, 6, 1).unwrap(), &Options::default()).unwrap();
    assert_eq!(a.missing.first().map(|m| m.kb), Kb::new(976_932));
    assert!(a.summary.counts_are_lower_bound);
    assert!(a.blocking.iter().any(|b| b.contains("Service Pack 1 (KB976932)")), "{:?}", a.blocking);
}
