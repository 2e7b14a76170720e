//! For each month from 2018-10 to the last rollup in the data, a host
//! "patched through that month" (its SSU, SHA-2 and that month's rollup)
//! must be told it misses exactly the later rollups (as one cumulative
//! rollup that replaces them) and later servicing prerequisites, nothing
//! older; a host on the last rollup misses no rollup at all.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::too_many_lines)]
use w2k8_assess::generate::{patched_through_hosts, systeminfo_text};
use w2k8_assess::{assess, Options, Programme};
use w2k8_catalog::{Catalog, UpdateKind};
use w2k8_core::{Date, Kb};

#[test]
fn every_month_misses_exactly_the_later_rollups() {
    let catalog = Catalog::embedded();
    let today = Date::new(2026, 11, 25).unwrap();
    let hosts = patched_through_hosts(catalog);
    assert!(hosts.len() >= 88, "{}", hosts.len());
    for g in &hosts {
        let text = systeminfo_text(g);
        let host = w2k8_inventory::bundle::load_bytes("systeminfo.txt", text.as_bytes(), &Default::default())
            .unwrap_or_else(|e| panic!("{}: {e}", g.month));
        let a = assess(&host, catalog, today, &Options { programme: Some(Programme::Premium) }).unwrap();
        assert_eq!(a.standing.patched_through.map(|m| m.to_string()).as_deref(), Some(g.month.as_str()), "{}", g.month);
        let mut rollups: Vec<_> = a.missing.iter().filter(|m| m.kind == UpdateKind::MonthlyRollup).collect();
        // Below the October 2019 rollup, the ESU prerequisites ask for a base
        // rollup first: the last of extended support, January 2020's KB4534303.
        let base = Kb::new(4534303).unwrap();
        if g.month.as_str() < "2019-10" {
            assert_eq!(rollups.first().map(|m| m.kb), Some(base), "{}: the ESU base rollup first", g.month);
            rollups.remove(0);
        }
        match g.later_rollups.split_last() {
            None => assert!(rollups.is_empty(), "{}: {:?}", g.month, rollups),
            Some((newest, earlier)) => {
                assert_eq!(rollups.len(), 1, "{}", g.month);
                assert_eq!(rollups[0].kb, *newest, "{}", g.month);
                let replaced: Vec<Kb> =
                    earlier.iter().copied().filter(|k| *k != base || g.month.as_str() >= "2019-10").collect();
                assert_eq!(rollups[0].replaces, replaced, "{}", g.month);
            }
        }
        for m in &a.missing {
            // The ESU preparation package has no sourced day; it dates from February 2020.
            let after = m.released.map_or(m.kind == UpdateKind::EsuPrep, |d| d > g.released);
            let allowed =
                matches!(m.kind, UpdateKind::MonthlyRollup | UpdateKind::Ssu | UpdateKind::Sha2 | UpdateKind::EsuPrep);
            assert!(
                after && allowed,
                "{}: false missing {} ({:?}, {:?}): {}",
                g.month,
                m.kb,
                m.kind,
                m.released,
                m.why
            );
            assert!(!g.installed.contains(&m.kb), "{}: {} is installed", g.month, m.kb);
        }
        // Nothing open that an installed update closes.
        for e in &a.exposure {
            assert!(e.fixed_by.iter().all(|k: &Kb| !g.installed.contains(k)), "{}: {}", g.month, e.cve);
        }
    }
}
