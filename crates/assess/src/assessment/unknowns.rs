//! The updates whose status the data cannot establish, each with its reason.
use super::context::month_name;
use super::model::Unknown;
use std::collections::{BTreeMap, BTreeSet};
use w2k8_catalog::Catalog;
use w2k8_catalog::{facts, OsFamily};
use w2k8_core::Kb;

/// What is gathered for one `unknown` entry.
#[derive(Debug, Default)]
pub(crate) struct UnknownAcc {
    /// The CVEs whose only fixes lead to it.
    pub cves: Vec<w2k8_core::CveId>,
    /// The older updates it supersedes that fix the same CVEs.
    pub via: BTreeSet<Kb>,
    /// Its chain holds a cycle or a diamond.
    pub cycle: bool,
    /// A rollup-era stand-alone update (not a pre-rollup chain end).
    pub standalone: bool,
}

/// The parts of the reasons that depend on the host only, built once per
/// assessment (a 2008 R2 host has a few hundred unknown updates).
struct Tails {
    /// After "a stand-alone update (WHEN" for a rollup-era stand-alone update.
    standalone: String,
    /// After "a stand-alone update (WHEN" for an update from before the rollups.
    pre_rollup: String,
}

impl Tails {
    fn new(os: OsFamily, horizon: Option<u32>) -> Tails {
        let f = facts::of(os);
        let name = match os {
            OsFamily::Ws2008 => "Windows Server 2008 SP2",
            OsFamily::Ws2008R2 => "Windows Server 2008 R2 SP1",
        };
        Tails {
            standalone: format!(
                ") outside the monthly rollups, released no later than the rollup this host has or is told to install ({}); the data lists no rollup or security-only update as a fix of its CVE(s) and no supersedence connects it to one, so it cannot tell whether the rollups contain its fix. The bundle does not list it as installed",
                horizon.map(month_name).unwrap_or_else(|| "?".to_string())
            ),
            pre_rollup: format!(
                ") from before the {name} rollups began ({}, {}); the rollups are cumulative only from then, and no supersedence chain in the data connects it to an installed or rollup-era update, so the data cannot tell whether a newer update contains its fix. The bundle does not list it as installed",
                f.first_rollup_date.month_string(),
                f.first_rollup.value
            ),
        }
    }
}

/// Why `kb` (released `when`) is unknown.
fn reason(acc: &UnknownAcc, when: &str, tails: &Tails) -> String {
    let tail = if acc.standalone { &tails.standalone } else { &tails.pre_rollup };
    let mut reason = String::with_capacity(24 + when.len() + tail.len());
    reason.push_str("a stand-alone update (");
    reason.push_str(when);
    reason.push_str(tail);
    if !acc.via.is_empty() {
        let v: Vec<String> = acc.via.iter().map(Kb::to_string).collect();
        reason.push_str(&format!("; it supersedes {}, which fix(es) the same CVE(s)", v.join(", ")));
    }
    if acc.cycle {
        reason.push_str("; its supersedence chain contains a cycle or a diamond (reported, not followed twice)");
    }
    reason
}

/// The `unknown` list, by KB.
pub(crate) fn unknowns(
    catalog: &Catalog,
    os: OsFamily,
    acc: BTreeMap<Kb, UnknownAcc>,
    horizon: Option<u32>,
) -> Vec<Unknown> {
    let tails = Tails::new(os, horizon);
    acc.into_iter()
        .map(|(kb, mut acc)| {
            // In the order of the ids' texts, as the output has always listed them.
            w2k8_core::CveId::sort_by_text(&mut acc.cves);
            acc.cves.dedup();
            let u = catalog.update(kb);
            let when =
                u.and_then(|u| u.released).map(|d| d.to_string()).unwrap_or_else(|| "an undated release".to_string());
            Unknown {
                kb,
                title: u.and_then(|u| u.title.clone()),
                released: u.and_then(|u| u.released),
                reason: reason(&acc, &when, &tails),
                cves: acc.cves,
            }
        })
        .collect()
}
