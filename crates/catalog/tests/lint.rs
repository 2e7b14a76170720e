//! Data linter: checks the shipped data (`data/`) and the catalog built from
//! it for missing sources, impossible dates, duplicates, unknown kinds,
//! dangling supersedence targets (which must be listed in
//! `data/lint-allow.txt` with a reason), rollup kernels going backwards,
//! missing rollup/security-only pairs, and supersedence cycles.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::too_many_lines)]
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use w2k8_catalog::{Catalog, OsFamily, UpdateKind};
use w2k8_core::{Date, Kb};

fn data(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data").join(path)
}

/// The two servicing tables, as their paths under `data/`.
const TABLES: [&str; 2] = ["servicing/ws2008-sp2-updates.csv", "servicing/ws2008r2-sp1-updates.csv"];

/// The rows of one servicing table, with their line numbers.
fn table_rows(table: &str) -> Vec<(u64, csv::StringRecord)> {
    let mut rdr = csv::Reader::from_path(data(table)).unwrap();
    // The files have no multi-line fields: record i is on line i + 2.
    // (`csv`'s own line numbers are one short for CRLF files.)
    rdr.records().enumerate().map(|(i, r)| (i as u64 + 2, r.unwrap())).collect()
}

/// The rows of both servicing tables.
fn servicing_rows() -> Vec<(u64, csv::StringRecord)> {
    TABLES.iter().flat_map(|t| table_rows(t)).collect()
}

const KINDS: [UpdateKind; 11] = UpdateKind::ALL;

#[test]
fn every_update_has_a_source() {
    let cat = Catalog::embedded();
    let bad: Vec<String> =
        cat.updates().filter(|u| u.sources.iter().all(|s| s.trim().is_empty())).map(|u| u.kb.to_string()).collect();
    assert!(bad.is_empty(), "updates without a source: {bad:?}");
    let bad: Vec<String> = cat.cves().iter().filter(|c| c.sources.is_empty()).map(|c| c.id.to_string()).collect();
    assert!(bad.is_empty(), "CVEs without a source: {bad:?}");
    // Every servicing row names at least one source of its own.
    for (line, r) in servicing_rows() {
        assert!(!r.get(9).unwrap_or("").trim().is_empty(), "servicing CSV line {line}: no source_url");
    }
}

/// Every `file:line` source points at a line that is about that record.
#[test]
fn sources_point_at_their_rows() {
    use std::io::Read;
    let cat = Catalog::embedded();
    let tables: Vec<(String, String)> =
        TABLES.iter().map(|t| (format!("data/{t}"), std::fs::read_to_string(data(t)).unwrap())).collect();
    let mut msrc = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(data("msrc/ws2008-msrc.csv.gz")).unwrap())
        .read_to_string(&mut msrc)
        .unwrap();
    let msrc: Vec<&str> = msrc.lines().collect();
    let kev = std::fs::read_to_string(data("kev/kev-microsoft.csv")).unwrap();
    let kev: Vec<&str> = kev.lines().collect();
    let line_of =
        |src: &str, file: &str| -> Option<usize> { src.strip_prefix(file)?.strip_prefix(':')?.parse::<usize>().ok() };
    let mut checked = 0;
    for u in cat.updates() {
        for s in &u.sources {
            for (path, text) in &tables {
                if let Some(n) = line_of(s, path) {
                    let row = text.lines().nth(n - 1).unwrap_or("");
                    assert!(row.starts_with(&format!("{},", u.kb)), "{}: {s}", u.kb);
                    checked += 1;
                }
            }
            if let Some(n) = line_of(s, "data/msrc/ws2008-msrc.csv.gz") {
                let want = format!("\"{}\"", u.kb.number());
                assert!(msrc[n - 1].contains(&want), "{}: {s}: {}", u.kb, msrc[n - 1]);
                checked += 1;
            }
        }
    }
    for c in cat.cves() {
        let n = line_of(&c.sources[0], "data/msrc/ws2008-msrc.csv.gz").unwrap();
        // The row's id column names this CVE: as written, or in the upstream's zero-padded
        // form the compiler repairs (`CVE-2017-00016` is CVE-2017-0016).
        let id_column = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(msrc[n - 1].as_bytes())
            .records()
            .next()
            .and_then(|r| r.ok())
            .and_then(|r| r.get(1).map(str::to_string))
            .unwrap_or_default();
        let same = c.id == id_column.as_str()
            || id_column.strip_prefix("CVE-").and_then(|rest| rest.split_once('-')).is_some_and(|(y, num)| {
                c.id == format!("CVE-{y}-{:04}", num.parse::<u32>().unwrap_or(u32::MAX)).as_str()
            });
        assert!(same, "{}: {}: {id_column}", c.id, c.sources[0]);
        checked += 1;
    }
    for k in cat.kev() {
        let n = line_of(&k.source, "data/kev/kev-microsoft.csv").unwrap();
        assert!(kev[n - 1].starts_with(&format!("{},", k.cve)), "{}: {}", k.cve, k.source);
    }
    assert!(checked > 6000, "{checked}");
}

#[test]
fn no_date_in_the_future() {
    let cat = Catalog::embedded();
    let v = cat.data_version();
    let today = Date::today_utc();
    let mut bad = Vec::new();
    for u in cat.updates() {
        if let Some(d) = u.released {
            if d > today || d > v.servicing {
                bad.push(format!("{} released {d}", u.kb));
            }
        }
    }
    for c in cat.cves() {
        for f in &c.fixes {
            if let Some(d) = f.posted {
                if d > today || d > v.msrc {
                    bad.push(format!("{} fix {} posted {d}", c.id, f.kb));
                }
            }
        }
    }
    for k in cat.kev() {
        // The due date is a deadline and may lie after the catalog version.
        if k.date_added > today || k.date_added > v.kev_date {
            bad.push(format!("KEV {} added {}", k.cve, k.date_added));
        }
    }
    assert!(v.msrc <= today && v.kev_date <= today && v.servicing <= today, "{v:?} after {today}");
    assert!(bad.is_empty(), "dates in the future: {bad:?}");
}

#[test]
fn no_duplicate_kbs_with_conflicting_facts() {
    let mut bad = Vec::new();
    for table in TABLES {
        let mut seen: HashMap<String, (u64, Vec<String>)> = HashMap::new();
        for (line, r) in table_rows(table) {
            let facts: Vec<String> = r.iter().map(str::to_string).collect();
            let kb = facts.first().cloned().unwrap_or_default();
            if let Some((first, other)) = seen.get(&kb) {
                let what = if *other == facts { "duplicate" } else { "conflicting duplicate" };
                bad.push(format!("{table}: {kb}: {what} on lines {first} and {line}"));
            } else {
                seen.insert(kb, (line, facts));
            }
        }
    }
    assert!(bad.is_empty(), "{bad:?}");
    // One KB is in both tables: SHA-2 support, one record for both families,
    // dated by the first table (2008 SP2's 2019-09-10 re-release) with a
    // note giving R2's first release (2019-03-12).
    let both: Vec<String> = {
        let a: BTreeSet<String> = table_rows(TABLES[0]).iter().map(|(_, r)| r[0].to_string()).collect();
        table_rows(TABLES[1]).iter().map(|(_, r)| r[0].to_string()).filter(|k| a.contains(k)).collect()
    };
    assert_eq!(both, ["KB4474419"]);
    let sha2 = Catalog::embedded().update("KB4474419".parse().unwrap()).unwrap();
    assert_eq!(sha2.os, [OsFamily::Ws2008, OsFamily::Ws2008R2]);
    assert_eq!(sha2.released.map(|d| d.to_string()).as_deref(), Some("2019-09-10"));
    assert!(sha2.notes.iter().any(|n| n.contains("dates it 2019-03-12")), "{:?}", sha2.notes);
    // The catalog holds each KB once (strictly ascending).
    let kbs: Vec<Kb> = Catalog::embedded().updates().map(|u| u.kb).collect();
    assert!(kbs.windows(2).all(|w| w[0] < w[1]));
    // Where the servicing table and the MSRC rows disagree on a release
    // date, the update carries a note. Only the December 2020 pair may: its
    // MSRC rows tie between 2020-09 and 2020-12 (facts.md §10).
    let conflicts: Vec<String> = Catalog::embedded()
        .updates()
        .filter(|u| u.notes.iter().any(|n| n.starts_with("note: the MSRC rows suggest release date")))
        .map(|u| u.kb.to_string())
        .collect();
    // KB3185330 (2008 R2's first rollup, October 2016): most of its MSRC
    // rows carry later revision dates. The rows dated by their quoted title
    // (data/servicing/README.md): KB4338821 (July 18, 2018 preview; its MSRC
    // rows carry the July 2018 CVE date 2018-07-10) and the PrintNightmare
    // out-of-band updates of July 6, 2021 (KB5004951/53/55/59; their MSRC
    // rows carry the 2023-06-13 revision).
    assert_eq!(
        conflicts,
        ["KB3185330", "KB4338821", "KB4592498", "KB4592504", "KB5004951", "KB5004953", "KB5004955", "KB5004959"]
    );
    // Servicing facts win over MSRC-derived ones: its kind and date are kept.
    for (line, r) in servicing_rows() {
        if &r[0] == "KB4474419" {
            continue; // in both tables: checked above
        }
        let kb: Kb = r.get(0).unwrap().parse().unwrap();
        let u = Catalog::embedded().update(kb).unwrap();
        assert_eq!(u.kind.as_str(), r.get(2).unwrap(), "line {line}");
        assert_eq!(u.released.map(|d| d.to_string()).unwrap_or_default(), r.get(1).unwrap(), "line {line}");
        assert_eq!(u.kernel.map(|v| v.to_string()).unwrap_or_default(), r.get(5).unwrap(), "line {line}");
    }
}

#[test]
fn no_unknown_kind() {
    let names: Vec<&str> = KINDS.iter().map(|k| k.as_str()).collect();
    for (line, r) in servicing_rows() {
        let kind = r.get(2).unwrap_or("");
        assert!(names.contains(&kind), "servicing CSV line {line}: unknown kind {kind:?}");
    }
    for u in Catalog::embedded().updates() {
        assert!(KINDS.contains(&u.kind));
    }
}

/// The allow-list: KB -> reason.
fn allow_list() -> BTreeMap<Kb, String> {
    let text = std::fs::read_to_string(data("lint-allow.txt")).unwrap();
    let mut out = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (kb, reason) = line.split_once('\t').unwrap_or((line, ""));
        let kb: Kb = kb.trim().parse().unwrap_or_else(|e| panic!("data/lint-allow.txt:{}: {e}", i + 1));
        assert!(!reason.trim().is_empty(), "data/lint-allow.txt:{}: {kb} has no reason", i + 1);
        assert!(out.insert(kb, reason.to_string()).is_none(), "data/lint-allow.txt:{}: {kb} listed twice", i + 1);
    }
    out
}

#[test]
fn dangling_supersedes_are_allow_listed() {
    let cat = Catalog::embedded();
    let dangling = cat.dangling_supersedes();
    let mut by_target: BTreeMap<Kb, BTreeSet<Kb>> = BTreeMap::new();
    for (from, to) in &dangling {
        by_target.entry(*to).or_default().insert(*from);
    }
    println!("{} dangling supersedence edges to {} KBs not in the catalog:", dangling.len(), by_target.len());
    for (to, from) in &by_target {
        let from: Vec<String> = from.iter().map(Kb::to_string).collect();
        println!("  {to} <- {}", from.join(", "));
    }
    let allow = allow_list();
    let missing: Vec<String> = by_target.keys().filter(|k| !allow.contains_key(k)).map(Kb::to_string).collect();
    assert!(missing.is_empty(), "dangling supersedes targets not in data/lint-allow.txt: {missing:?}");
    let stale: Vec<String> = allow.keys().filter(|k| !by_target.contains_key(k)).map(Kb::to_string).collect();
    assert!(stale.is_empty(), "data/lint-allow.txt lists KBs that are no longer dangling: {stale:?}");
    assert_eq!(by_target.len(), 113);
}

#[test]
fn rollup_kernels_never_decrease() {
    let cat = Catalog::embedded();
    let rollups = cat.rollups(OsFamily::Ws2008);
    let mut last: Option<(&w2k8_catalog::Update, w2k8_core::FileVersion)> = None;
    let mut with_kernel = 0;
    for u in &rollups {
        let Some(k) = u.kernel else { continue };
        with_kernel += 1;
        if let Some((prev, pk)) = last {
            assert!(
                k >= pk,
                "{} ({:?}) kernel {k} is older than {} ({:?}) kernel {pk}",
                u.kb,
                u.released,
                prev.kb,
                prev.released
            );
        }
        last = Some((u, k));
    }
    assert!(with_kernel >= 70, "only {with_kernel} rollups carry a kernel version");
}

/// The monthly rollups and security-only updates of `os` by release month.
fn pairs_by_month(cat: &Catalog, os: OsFamily) -> BTreeMap<String, (Vec<Kb>, Vec<Kb>)> {
    let mut months: BTreeMap<String, (Vec<Kb>, Vec<Kb>)> = BTreeMap::new();
    for u in cat.updates().filter(|u| u.applies_to(os)) {
        let Some(d) = u.released else { continue };
        let e = months.entry(d.month_string()).or_default();
        match u.kind {
            UpdateKind::MonthlyRollup => e.0.push(u.kb),
            UpdateKind::SecurityOnly => e.1.push(u.kb),
            _ => {}
        }
    }
    months
}

/// `YYYY-MM` from (`y`, `m`) to 2026-01, the last month in the data.
fn months_to_2026_01(mut y: i32, mut m: u32) -> Vec<String> {
    let mut out = Vec::new();
    while (y, m) <= (2026, 1) {
        out.push(format!("{y:04}-{m:02}"));
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    out
}

#[test]
fn a_rollup_and_a_security_only_update_every_month() {
    let cat = Catalog::embedded();
    let months = pairs_by_month(cat, OsFamily::Ws2008);
    let mut bad = Vec::new();
    let keys = months_to_2026_01(2018, 9);
    for key in &keys {
        let (r, s) = months.get(key).cloned().unwrap_or_default();
        if r.len() != 1 || s.len() != 1 {
            bad.push(format!("{key}: rollups {r:?}, security-only {s:?}"));
        }
    }
    assert_eq!(keys.len(), 89);
    assert!(bad.is_empty(), "{bad:?}");
    // Each rollup supersedes the previous month's rollup (MSRC), except
    // where MSRC names an out-of-band release in between.
    let rollups = cat.rollups(OsFamily::Ws2008);
    for w in rollups.windows(2) {
        assert!(cat.supersedes_transitively(w[1].kb, w[0].kb), "{} does not supersede {}", w[1].kb, w[0].kb);
    }
}

#[test]
fn supersedence_is_acyclic() {
    let cat = Catalog::embedded();
    // Iterative three-colour DFS.
    let mut state: HashMap<Kb, u8> = HashMap::new();
    for start in cat.updates().map(|u| u.kb) {
        if state.contains_key(&start) {
            continue;
        }
        let mut stack: Vec<(Kb, usize)> = vec![(start, 0)];
        state.insert(start, 1);
        while let Some((kb, i)) = stack.pop() {
            let next = cat.update(kb).and_then(|u| u.supersedes.get(i).copied());
            match next {
                Some(s) => {
                    stack.push((kb, i + 1));
                    match state.get(&s) {
                        Some(1) => panic!("supersedence cycle through {kb} -> {s}"),
                        Some(_) => {}
                        None => {
                            state.insert(s, 1);
                            stack.push((s, 0));
                        }
                    }
                }
                None => {
                    state.insert(kb, 2);
                }
            }
        }
    }
    for u in cat.updates() {
        assert!(!u.supersedes.contains(&u.kb), "{} supersedes itself", u.kb);
    }
}

#[test]
fn kev_entries_are_unique_and_attached() {
    let cat = Catalog::embedded();
    let mut seen = BTreeSet::new();
    for k in cat.kev() {
        assert!(seen.insert(k.cve), "KEV lists {} twice", k.cve);
        if let Some(c) = cat.cve(k.cve) {
            assert_eq!(c.kev.as_ref().map(|x| x.cve), Some(k.cve));
        }
    }
    assert_eq!(cat.kev().len(), 340);
}

#[test]
fn allow_list_reasons_are_present() {
    // Also checked while parsing; this pins the count of reviewed entries.
    assert_eq!(allow_list().len(), 113);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]
    /// supersedes_transitively terminates, is irreflexive and antisymmetric
    /// (no cycles), and follows direct edges.
    #[test]
    fn supersedes_transitively_is_a_strict_order(a in 0usize..2000, b in 0usize..2000) {
        let cat = Catalog::embedded();
        let kbs: Vec<Kb> = cat.updates().map(|u| u.kb).collect();
        let x = kbs[a % kbs.len()];
        let y = kbs[b % kbs.len()];
        proptest::prop_assert!(!cat.supersedes_transitively(x, x));
        let xy = cat.supersedes_transitively(x, y);
        let yx = cat.supersedes_transitively(y, x);
        proptest::prop_assert!(!(xy && yx), "{} and {} supersede each other", x, y);
        if let Some(u) = cat.update(x) {
            for &s in &u.supersedes {
                proptest::prop_assert!(cat.supersedes_transitively(x, s));
                proptest::prop_assert!(cat.superseded_by(s).contains(&x));
            }
        }
    }
}

/// The MSRC export lost a non-ASCII space in three titles
/// (`Services?Remote`); the compiler repairs them, and only them.
#[test]
fn titles_with_a_lost_space_are_repaired() {
    let c = w2k8_catalog::Catalog::embedded();
    let bluekeep = c.cve("CVE-2019-0708".parse().unwrap()).expect("BlueKeep is in the catalog");
    assert_eq!(bluekeep.title, "Remote Desktop Services Remote Code Execution Vulnerability");
}

#[test]
fn r2_rollup_kernels_never_decrease() {
    let cat = Catalog::embedded();
    let mut last: Option<(Kb, w2k8_core::FileVersion)> = None;
    let mut with_kernel = 0;
    for u in cat.rollups(OsFamily::Ws2008R2) {
        let Some(k) = u.kernel else { continue };
        with_kernel += 1;
        assert_eq!((k.major, k.minor, k.build), (6, 1, 7601), "{}", u.kb);
        if let Some((prev, pk)) = last {
            assert!(k >= pk, "{} kernel {k} is older than {prev} kernel {pk}", u.kb);
        }
        last = Some((u.kb, k));
    }
    // 104 dated rollups to 2025-05 (Tenable's last month), some checked on
    // another file (r2-facts.md §6).
    assert!(with_kernel >= 75, "only {with_kernel} R2 rollups carry a kernel version");
}

/// 2008 R2 SP1: a rollup and a security-only update every month from
/// October 2016 to January 2026 (r2-facts.md §5), except February 2017
/// (no Patch Tuesday: Microsoft moved it to March) and the undated
/// November 2016 rollup KB3197868.
#[test]
fn r2_a_rollup_and_a_security_only_update_every_month() {
    let cat = Catalog::embedded();
    let months = pairs_by_month(cat, OsFamily::Ws2008R2);
    let mut bad = Vec::new();
    let keys = months_to_2026_01(2016, 10);
    for key in &keys {
        let (r, s) = months.get(key).cloned().unwrap_or_default();
        let want = match key.as_str() {
            "2017-02" => (0, 0),
            "2016-11" => (0, 1),
            _ => (1, 1),
        };
        if (r.len(), s.len()) != want {
            bad.push(format!("{key}: rollups {r:?}, security-only {s:?}"));
        }
    }
    assert_eq!(keys.len(), 112);
    assert!(bad.is_empty(), "{bad:?}");
    // Each rollup supersedes the previous one, except the two MSRC quirks
    // r2-facts.md §5 names (KB3212646, 2017-01, names only its own twin;
    // KB5023769, 2023-03, names the February security-only update) and the
    // months whose chain runs through an out-of-band rollup (2019-10 through
    // KB4524157, 2021-07 through KB5004953).
    let rollups = cat.rollups(OsFamily::Ws2008R2);
    let quirks = ["KB3212646", "KB5023769", "KB4519976", "KB5004289"];
    let kb = |s: &str| -> Kb { s.parse().unwrap() };
    assert!(cat.supersedes_transitively(kb("KB4519976"), kb("KB4524157")));
    assert!(cat.supersedes_transitively(kb("KB5004289"), kb("KB5004953")));
    for w in rollups.windows(2) {
        if quirks.contains(&w[1].kb.to_string().as_str()) {
            continue;
        }
        assert!(cat.supersedes_transitively(w[1].kb, w[0].kb), "{} does not supersede {}", w[1].kb, w[0].kb);
    }
}

/// `catalog info`'s breakdown by kind adds up to its count of updates (the
/// service pack and the convenience rollup were once left out of it).
#[test]
fn the_counts_by_kind_add_up_to_the_updates() {
    let s = Catalog::embedded().stats();
    assert_eq!(s.updates_by_kind.iter().map(|(_, n)| n).sum::<usize>(), s.updates);
    assert!(
        s.updates_by_kind.iter().any(|(k, n)| *k == UpdateKind::ConvenienceRollup && *n == 1),
        "{:?}",
        s.updates_by_kind
    );
}
