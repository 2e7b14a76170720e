//! One install order (issue 15): on every bundled host (the examples, the
//! demo fleet and the truth corpus), `assess`'s `missing` lists the updates
//! the plan installs, in exactly the plan's order; only Service Pack 2
//! (before anything) and updates the plan cannot install (after it) differ.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
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
