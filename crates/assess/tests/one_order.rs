//! One install order (issue 15): on every bundled host (the examples, the
//! demo fleet and the truth corpus), `assess`'s `missing` lists the updates
//! the plan installs, in exactly the plan's order; only Service Pack 2
//! (before anything) and updates the plan cannot install (after it) differ.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::too_many_lines)]
use std::path::{Path, PathBuf};
use w2k8_assess::{assess, plan, Options, PlanOptions};
use w2k8_catalog::Catalog;
use w2k8_core::{Date, Kb};

fn bundles() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut out = Vec::new();
    for dir in ["examples", "examples/fleet", "tests/truth"] {
        for e in std::fs::read_dir(root.join(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() && p.file_name().unwrap() != "fleet" {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn missing_is_the_plans_order() {
    let catalog = Catalog::embedded();
    let today = Date::new(2026, 1, 15).unwrap();
    let mut checked = 0;
    for b in bundles() {
        let Ok(host) = w2k8_inventory::load(&b, &Default::default()) else { continue };
        let Ok(a) = assess(&host, catalog, today, &Options::default()) else { continue };
        let p = plan(&a, &host, catalog, &PlanOptions::default(), &|_| None);
        let steps: Vec<Kb> = p.steps.iter().filter_map(|s| s.kb).collect();
        let missing: Vec<Kb> = a.missing.iter().map(|m| m.kb).filter(|k| k.number() != 948_465).collect();
        assert!(missing.len() >= steps.len(), "{}: {missing:?} vs plan {steps:?}", b.display());
        assert_eq!(missing[..steps.len()], steps[..], "{}: missing must follow the plan", b.display());
        for extra in &missing[steps.len()..] {
            assert!(
                p.notes.iter().any(|n| n.contains(&extra.to_string())),
                "{}: {extra} missing, not planned, not explained",
                b.display()
            );
        }
        checked += 1;
    }
    assert!(checked >= 40, "{checked} hosts checked");
}

/// Truth (issue 15): on a partial list an update not listed may be installed
/// all the same, so it is `unknown`, never `missing`; a complete list shows
/// what is missing.
#[test]
fn a_partial_list_proves_nothing_missing() {
    use w2k8_assess::truth::Status;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/truth");
    let catalog = Catalog::embedded();
    let today = Date::new(2026, 1, 15).unwrap();
    let run = |case: &str| {
        let host = w2k8_inventory::load(&root.join(case), &Default::default()).unwrap();
        assess(&host, catalog, today, &Options::default()).unwrap()
    };
    // `Hotfix(s): N/A` on build 6003: no list at all.
    let a = run("12-hotfix-na-build-6003");
    assert!(!a.missing.is_empty());
    assert!(
        a.missing.iter().all(|m| m.status == Status::Unknown),
        "{:?}",
        a.missing.iter().map(|m| (m.kb, m.status)).collect::<Vec<_>>()
    );
    // A complete systeminfo list of a 2019-04 rollup host: SHA-2 support is not on it, so it is missing.
    let a = run("01-rollup-2019-04");
    assert!(a.missing.iter().all(|m| m.status == Status::Missing));
    assert!(a.missing.iter().any(|m| m.kb.number() == 4_474_419));
}
