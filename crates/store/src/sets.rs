//! Open-CVE sets: how a scan's open CVEs are identified and ordered,
//! shared by both backends.
//!
//! A set is identified by its *members* (the order-free [`set_digest`]),
//! and its items are read back riskiest first by the CVE rows' current
//! marks ([`RISK_ORDER`], [`heads`]): the order `assess` lists them in.
//! So a catalog change that only reorders a host's open CVEs (a CVE added
//! to KEV moves first) finds the set already stored instead of writing a
//! copy of it, and every stored scan reads in the order today's marks give.
use crate::CveInput;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use w2k8_core::{CveId, Severity};
use w2k8_fleet::FleetCve;

/// The SQL `ORDER BY` keys (over `cves c`) giving `assess`'s risk order:
/// KEV with known ransomware use first, then KEV, then a public exploit,
/// then severity. Each backend appends the CVE id in byte order as the
/// last key (SQLite `c.cve`, PostgreSQL `c.cve COLLATE "C"`).
pub(crate) const RISK_ORDER: &str = "CASE WHEN c.kev AND c.ransomware THEN 0 WHEN c.kev THEN 1 ELSE 2 END, \
     CASE WHEN c.exploit THEN 0 ELSE 1 END, \
     CASE c.severity WHEN 'critical' THEN 0 WHEN 'important' THEN 1 WHEN 'moderate' THEN 2 WHEN 'low' THEN 3 ELSE 4 END";

/// [`RISK_ORDER`] in Rust: the key a CVE sorts by, riskiest first when
/// ascending (the CVE id breaks ties).
pub(crate) fn risk_rank(kev: bool, ransomware: bool, exploit: bool, severity: Severity) -> (u8, u8, u8) {
    let class = match (kev, ransomware) {
        (true, true) => 0,
        (true, false) => 1,
        _ => 2,
    };
    let severity = match severity {
        Severity::Critical => 0,
        Severity::Important => 1,
        Severity::Moderate => 2,
        Severity::Low => 3,
        Severity::Unrated => 4,
    };
    (class, u8::from(!exploit), severity)
}

/// The digest of the ids' texts, each ended by a zero byte.
fn digest_of(ids: impl Iterator<Item = CveId>) -> String {
    let mut h = Sha256::new();
    let mut buf = [0; 18];
    for id in ids {
        h.update(id.write(&mut buf).as_bytes());
        h.update([0u8]);
    }
    w2k8_core::hash::hex(&h.finalize())
}

/// The digest of the list as given (its order counts): the key a
/// connection caches a set's id under, cheap for the many scans that
/// repeat a list it has seen.
pub(crate) fn list_digest(cves: &[CveInput]) -> String {
    digest_of(cves.iter().map(CveInput::cve))
}

/// The set's identity (`cve_sets.digest`): the digest of its CVE ids in
/// byte order, whatever order the list gives them in.
pub(crate) fn set_digest(cves: &[CveInput]) -> String {
    let mut ids: Vec<CveId> = cves.iter().map(CveInput::cve).collect();
    CveId::sort_by_text(&mut ids);
    ids.dedup();
    digest_of(ids.into_iter())
}

/// The CVEs of `cves` whose row must be written: not written by this
/// connection yet, or written with other marks or text. The last of a CVE
/// listed twice wins.
pub(crate) fn to_write<'a>(written: &HashMap<CveId, (i64, CveInput)>, cves: &'a [CveInput]) -> Vec<&'a CveInput> {
    let mut fresh: HashMap<CveId, &CveInput> = HashMap::new();
    for c in cves {
        if written.get(&c.cve()).is_none_or(|(_, w)| w != c) {
            fresh.insert(c.cve(), c);
        }
    }
    let mut v: Vec<&CveInput> = fresh.into_values().collect();
    v.sort_unstable_by_key(|c| c.cve().text_key());
    v
}

/// The first `limit` CVEs of each set, riskiest first, from every
/// `(set id, CVE row id)` item and the CVE rows by id (an item whose row is
/// missing is left out).
pub(crate) fn heads(items: &[(i64, i64)], cves: &HashMap<i64, FleetCve>, limit: usize) -> HashMap<i64, Vec<FleetCve>> {
    let mut by_set: HashMap<i64, Vec<&FleetCve>> = HashMap::new();
    for (set, id) in items {
        if let Some(c) = cves.get(id) {
            by_set.entry(*set).or_default().push(c);
        }
    }
    by_set
        .into_iter()
        .map(|(set, mut list)| {
            if list.len() > limit && limit > 0 {
                list.select_nth_unstable_by(limit - 1, |a, b| order(a, b));
            }
            list.truncate(limit);
            list.sort_unstable_by(|a, b| order(a, b));
            (set, list.into_iter().cloned().collect())
        })
        .collect()
}

fn order(a: &FleetCve, b: &FleetCve) -> std::cmp::Ordering {
    risk_rank(a.kev, a.ransomware, a.exploit, a.severity)
        .cmp(&risk_rank(b.kev, b.ransomware, b.exploit, b.severity))
        .then_with(|| a.cve.cmp_text(b.cve))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cve(id: &str, severity: &str, kev: bool, ransomware: bool, exploit: bool) -> CveInput {
        CveInput::new(id.parse().unwrap(), "t", severity, kev, ransomware, exploit)
    }

    fn fleet(c: &CveInput) -> FleetCve {
        FleetCve {
            cve: c.cve(),
            title: c.title().to_string(),
            severity: c.severity().parse().unwrap(),
            kev: c.kev,
            ransomware: c.ransomware,
            exploit: c.exploit,
            hosts: 1,
        }
    }

    #[test]
    fn a_set_is_its_members_whatever_their_order() {
        let a = cve("CVE-2020-0001", "critical", false, false, false);
        let b = cve("CVE-2019-0708", "critical", true, false, true);
        assert_eq!(set_digest(&[a.clone(), b.clone()]), set_digest(&[b.clone(), a.clone()]));
        assert_ne!(list_digest(&[a.clone(), b.clone()]), list_digest(&[b.clone(), a.clone()]));
        assert_ne!(set_digest(std::slice::from_ref(&a)), set_digest(&[a, b]));
    }

    /// The order written by hand from `assess`'s rule (KEV with ransomware,
    /// KEV, exploit, severity, then id in byte order: `CVE-2019-10000` before
    /// `CVE-2019-9999`), on items given in reverse.
    #[test]
    fn heads_are_riskiest_first_and_cut_at_the_limit() {
        let list = [
            cve("CVE-2017-0144", "critical", true, true, true),
            cve("CVE-2019-0708", "critical", true, false, true),
            cve("CVE-2020-1350", "critical", false, false, true),
            cve("CVE-2019-10000", "critical", false, false, false),
            cve("CVE-2019-9999", "critical", false, false, false),
            cve("CVE-2018-0001", "important", false, false, false),
            cve("CVE-2018-0002", "unrated", false, false, false),
        ];
        let rows: HashMap<i64, FleetCve> = list.iter().enumerate().map(|(i, c)| (i as i64, fleet(c))).collect();
        let items: Vec<(i64, i64)> = (0..list.len() as i64).rev().map(|i| (9, i)).collect();
        let ids =
            |limit| -> Vec<String> { heads(&items, &rows, limit)[&9].iter().map(|c| c.cve.to_string()).collect() };
        assert_eq!(
            ids(10),
            [
                "CVE-2017-0144",
                "CVE-2019-0708",
                "CVE-2020-1350",
                "CVE-2019-10000",
                "CVE-2019-9999",
                "CVE-2018-0001",
                "CVE-2018-0002"
            ]
        );
        assert_eq!(ids(3), ["CVE-2017-0144", "CVE-2019-0708", "CVE-2020-1350"]);
        assert!(heads(&items, &rows, 0)[&9].is_empty());
    }

    #[test]
    fn a_cve_is_written_again_when_its_marks_change() {
        let old = cve("CVE-2023-20569", "important", false, false, false);
        let now = cve("CVE-2023-20569", "important", true, false, false);
        let written: HashMap<CveId, (i64, CveInput)> = [(old.cve(), (1, old.clone()))].into();
        assert!(to_write(&written, std::slice::from_ref(&old)).is_empty());
        assert_eq!(to_write(&written, std::slice::from_ref(&now)), [&now]);
    }
}
