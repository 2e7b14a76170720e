//! Reachable KEV across the fleet and "what to close first" (issue 20,
//! fleet part), end to end: `w2k8 scan` of the bundled examples/fleet (and
//! of two hosts whose bundles carry the configuration files), then `hosts`
//! (text, CSV, JSON, `--filter reachable_kev>0`), `report --format
//! csv|json` and `report --close-first`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::too_many_lines)]
mod util;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use util::{assert_exit, json, scratch, stdout, w2k8};
use w2k8_assess::generate::{systeminfo_text, GeneratedHost};
use w2k8_core::{Date, Kb};

const AS_OF: &str = "2026-01-15";

/// `reachable_kev` of each host of examples/fleet (plus examples/srv-legacy01)
/// as of 2026-01-15, written by hand from the bundles and the data:
///
/// The example bundles hold only `systeminfo.txt`, `os.txt` and
/// `ntoskrnl.txt`: none has `reg-mitigations.txt`, `services.txt`,
/// `netstat.txt`, `firewall.txt` or `roles.txt`. So a KEV CVE that has a row
/// in `data/mitigations/mitigations.csv` cannot be judged (its rows test
/// registry values, services and listeners the bundle does not show):
/// unknown, and the host's count is unknown (null), never a number. A KEV
/// CVE with no row has no documented workaround: only the update or
/// isolating the host closes it, so it is reachable (`exposed`) whatever the
/// configuration. Hence:
///
/// - the three hosts patched through 2018-11, 2018-12 (SRV-CTX00000,
///   SRV-LEGACY01: build 6002, no update after December 2018) and 2020-09
///   (SRV-CTX00007) have KEV CVEs with rows open: BlueKeep CVE-2019-0708
///   (fixed May 2019; rows `block_tcp_3389_inbound`, `disable_rdp`,
///   `require_nla`) on the first two, PrintNightmare CVE-2021-34527 (fixed
///   July 2021; rows on the spooler) on all three: null;
/// - the hosts patched through 2023-03 .. 2024-11 (SRV-APP00010,
///   SRV-APP00004, SRV-CTX00001, SRV-SQL00003) have only KEV CVEs fixed
///   after March 2023 open, and no such CVE has a row (the table's KEV rows
///   stop at 2022's spooler and IE rows; its 2023-2024 rows are MSMQ, PGM,
///   RDL and IPv6 CVEs, none in KEV): every open KEV CVE counts, so
///   `reachable_kev` = `kev` (31, 29, 17, 12, the counts of the API test's
///   HOSTS table);
/// - SRV-SQL00009 (through 2025-05) lacks the June 2025 rollup: its one
///   open KEV CVE is CVE-2025-33053 (WebDAV, KEV since 2025-06-10), which
///   has no row: 1;
/// - SRV-APP00006 and SRV-DC00002 (through 2025-07, the last rollup of the
///   data) have no KEV CVE open, and their hotfix lists are whole (their
///   counts are not lower bounds): 0 reachable, a real 0;
/// - the failed zips and the 2012 R2 host were not assessed: null.
const EXPECTED: &[(&str, Option<u32>)] = &[
    ("00005-SRV-EXCH00005", None),
    ("00011-SRV-SQL00011", None),
    ("SRV-APP00004", Some(29)),
    ("SRV-APP00006", Some(0)),
    ("SRV-APP00010", Some(31)),
    ("SRV-CTX00000", None),
    ("SRV-CTX00001", Some(17)),
    ("SRV-CTX00007", None),
    ("SRV-DC00002", Some(0)),
    ("SRV-EXCH00008", None),
    ("SRV-LEGACY01", None),
    ("SRV-SQL00003", Some(12)),
    ("SRV-SQL00009", Some(1)),
];

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn scan(db: &Path, paths: &[&str]) {
    let mut args = vec!["scan"];
    args.extend_from_slice(paths);
    args.extend_from_slice(&["--db", s(db), "--as-of", AS_OF]);
    let o = w2k8(&args);
    assert!(matches!(o.status.code(), Some(0 | 4)), "{}", stdout(&o));
}

fn fixture_text(rel: &str) -> String {
    let fx: PathBuf = [env!("CARGO_MANIFEST_DIR"), "..", "inventory", "tests", "fixtures"].iter().collect();
    std::fs::read_to_string(fx.join(rel)).unwrap()
}

/// A 2008 SP2 host (build 6002) patched through March 2019 (KB4493471) with
/// no ESU update, named `name`, and the configuration files of the
/// inventory fixtures (as `crates/cli/tests/plan.rs` builds them): the
/// spooler running with start type auto, DNS running, `roles` the role list.
/// Without ESU, PrintNightmare (CVE-2021-34527, CVE-2021-1675) and SIGRed
/// (CVE-2020-1350) have no fix available to it: they are what the
/// isolation plan is for.
fn configured_host(dir: &Path, name: &str, roles: &str) -> PathBuf {
    let g = GeneratedHost {
        os: w2k8_catalog::OsFamily::Ws2008,
        month: "2000-01".to_string(),
        rollup: Kb::new(4_458_010).unwrap(),
        released: Date::new(2018, 9, 11).unwrap(),
        installed: vec![Kb::new(4_493_471).unwrap()],
        later_rollups: Vec::new(),
    };
    let d = dir.join(name);
    std::fs::create_dir_all(&d).unwrap();
    let text = systeminfo_text(&g)
        .replace("6.0.6003 Service Pack 2 Build 6003", "6.0.6002 Service Pack 2 Build 6002")
        .replace("GEN-200001", name);
    std::fs::write(d.join("systeminfo.txt"), text).unwrap();
    std::fs::write(d.join("netstat.txt"), fixture_text("netstat-ano/en_2008.txt")).unwrap();
    std::fs::write(d.join("firewall.txt"), fixture_text("netsh-advfirewall/en_2008r2.txt")).unwrap();
    let reg = fixture_text("reg-mitigations/collector_smb1_off_spooler_disabled.txt").replacen(
        "    Start    REG_DWORD    0x4",
        "    Start    REG_DWORD    0x2",
        1,
    );
    let services = fixture_text("sc-queryex/en_2008.txt").replacen(
        "        STATE              : 1  STOPPED",
        "        STATE              : 4  RUNNING",
        1,
    );
    std::fs::write(d.join("reg-mitigations.txt"), reg).unwrap();
    std::fs::write(d.join("services.txt"), services).unwrap();
    std::fs::write(d.join("roles.txt"), roles).unwrap();
    d
}

fn hosts_json(db: &Path, filter: &[&str]) -> Vec<serde_json::Value> {
    let mut args = vec!["hosts", "--db", s(db), "--format", "json"];
    for f in filter {
        args.extend_from_slice(&["--filter", f]);
    }
    let o = w2k8(&args);
    assert_exit(&o, 0);
    json(&o)["hosts"].as_array().unwrap().clone()
}

#[test]
fn reachable_kev_of_the_example_fleet_is_stored_and_shown_everywhere() {
    let d = scratch("reach-examples");
    let db = d.join("fleet.db");
    scan(&db, &["examples/fleet", "examples/srv-legacy01"]);

    let hosts = hosts_json(&db, &[]);
    let got: Vec<(String, Option<u32>)> = hosts
        .iter()
        .map(|h| (h["name"].as_str().unwrap().to_string(), h["reachable_kev"].as_u64().map(|n| n as u32)))
        .collect();
    let want: Vec<(String, Option<u32>)> = EXPECTED.iter().map(|(n, v)| (n.to_string(), *v)).collect();
    assert_eq!(got, want);
    for h in &hosts {
        // Present, null or a number, never missing; accepted counted beside (none recorded: 0).
        assert!(h.get("reachable_kev").is_some(), "{h}");
        let ok = h["status"] == "ok";
        assert_eq!(h["accepted"].is_null(), !ok, "{h}");
        if ok {
            assert_eq!(h["counts_are_lower_bound"], false, "{h}");
            assert_eq!(h["accepted"], serde_json::json!({"cves": 0, "missing": 0}), "{h}");
            // Reachable KEV CVEs are open KEV CVEs.
            if let Some(n) = h["reachable_kev"].as_u64() {
                assert!(n <= h["kev_open"].as_u64().unwrap(), "{h}");
            }
        }
    }

    // The filter: a known count above 0; an unknown count never matches `=0`.
    let reach: Vec<String> =
        hosts_json(&db, &["reachable_kev>0"]).iter().map(|h| h["name"].as_str().unwrap().to_string()).collect();
    assert_eq!(reach, ["SRV-APP00004", "SRV-APP00010", "SRV-CTX00001", "SRV-SQL00003", "SRV-SQL00009"]);
    let zero: Vec<String> =
        hosts_json(&db, &["reachable_kev=0"]).iter().map(|h| h["name"].as_str().unwrap().to_string()).collect();
    assert_eq!(zero, ["SRV-APP00006", "SRV-DC00002"]);

    // The table: `?` for an assessed host whose count is unknown, `-` for one not assessed.
    let o = w2k8(&["hosts", "--db", s(&db)]);
    assert_exit(&o, 0);
    let text = stdout(&o);
    let header = text.lines().next().unwrap();
    assert!(header.contains("  kev  reachable_kev  ransomware  accepted  "), "{header}");
    let col = header.find("reachable_kev").unwrap();
    let cell = |name: &str| {
        let line = text.lines().find(|l| l.starts_with(name)).unwrap();
        line[col..].split_whitespace().next().unwrap().to_string()
    };
    assert_eq!(
        [cell("SRV-CTX00000"), cell("SRV-SQL00009"), cell("SRV-DC00002"), cell("SRV-EXCH00008")],
        ["?", "1", "0", "-"]
    );

    // CSV: the columns added at the end, empty when unknown.
    for args in [vec!["hosts", "--db", s(&db), "--format", "csv"], vec!["report", "--db", s(&db), "--format", "csv"]] {
        let o = w2k8(&args);
        assert_exit(&o, 0);
        let out = stdout(&o);
        let mut r = csv_rows(&out);
        let header = r.remove(0);
        assert_eq!(header[header.len() - 3..], ["reachable_kev", "accepted_cves", "accepted_missing"], "{args:?}");
        let name_col = header.iter().position(|h| h == "name" || h == "host").unwrap();
        let by_name: BTreeMap<&str, &Vec<String>> = r.iter().map(|row| (row[name_col].as_str(), row)).collect();
        let n = header.len();
        assert_eq!(by_name["SRV-CTX00000"][n - 3..], ["", "0", "0"], "{args:?}");
        assert_eq!(by_name["SRV-SQL00009"][n - 3..], ["1", "0", "0"], "{args:?}");
        assert_eq!(by_name["SRV-EXCH00008"][n - 3..], ["", "", ""], "{args:?}");
    }

    // The report's JSON: the same field on its host rows, the totals, close_first.
    let o = w2k8(&["report", "--db", s(&db), "--format", "json"]);
    assert_exit(&o, 0);
    let r = json(&o);
    let reported: Vec<Option<u64>> =
        r["hosts"].as_array().unwrap().iter().map(|h| h["reachable_kev"].as_u64()).collect();
    assert_eq!(reported, EXPECTED.iter().map(|(_, v)| v.map(u64::from)).collect::<Vec<_>>());
    assert_eq!(r["totals"]["reachable_kev_hosts"], 5);
    assert_eq!(r["totals"]["reachable_kev_unknown_hosts"], 3);
    // No bundle carries the configuration: no change can be proposed, and
    // the hosts whose KEV or critical CVEs with no fix cannot be judged are
    // counted (the three `null` hosts, plus the two hosts through
    // 2023-03/2023-04 whose critical CVEs with rows (MSMQ, PGM) are unknown).
    let cf = &r["close_first"];
    assert_eq!(cf["steps"], serde_json::json!([]));
    assert_eq!(cf["hosts_judged"], 10);
    assert_eq!(cf["hosts_not_recorded"], 0);
    assert!(cf["hosts_not_judged"].as_u64().unwrap() >= 3, "{cf}");
}

/// Parses RFC 4180 CSV (quoted cells may hold commas).
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for line in text.lines() {
        let mut cells = Vec::new();
        let mut cur = String::new();
        let mut quoted = false;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match (c, quoted) {
                ('"', true) if chars.peek() == Some(&'"') => {
                    cur.push('"');
                    chars.next();
                }
                ('"', _) => quoted = !quoted,
                (',', false) => cells.push(std::mem::take(&mut cur)),
                (c, _) => cur.push(c),
            }
        }
        cells.push(cur);
        rows.push(cells);
    }
    rows
}

#[test]
fn what_to_close_first_adds_up_the_hosts_isolation_steps() {
    let d = scratch("reach-close-first");
    let db = d.join("fleet.db");
    let print_roles = fixture_text("servermanagercmd/en_dc_print.txt");
    let no_print: String = print_roles.lines().filter(|l| !l.contains("Print")).map(|l| format!("{l}\n")).collect();
    // Two domain controllers and DNS servers through March 2019 without
    // ESU, the spooler running: one is also a print server.
    let a = configured_host(&d, "SRV-DNS01", &no_print);
    let p = configured_host(&d, "SRV-PRINT01", &print_roles);
    scan(&db, &[s(&a), s(&p), "examples/fleet"]);

    let hosts = hosts_json(&db, &["name=SRV-DNS01"]);
    // Even with the configuration files one KEV CVE cannot be judged:
    // MSHTML CVE-2021-40444 (open: no ESU) has one row,
    // `disable_activex_install`, which tests a value under
    // `...\Internet Settings\Zones\0` that the reg-mitigations fixture
    // does not show. So the count is unknown (null), not a number that
    // would leave it out.
    assert!(hosts[0]["reachable_kev"].is_null(), "{}", hosts[0]);
    assert!(hosts[0]["kev_open"].as_u64().unwrap() > 0);

    let o = w2k8(&["report", "--db", s(&db), "--format", "json"]);
    assert_exit(&o, 0);
    let cf = json(&o)["close_first"].clone();
    let steps = cf["steps"].as_array().unwrap();
    let step = |id: &str| steps.iter().find(|s| s["id"] == id).unwrap_or_else(|| panic!("{id}: {cf}")).clone();
    // Stopping the spooler: PrintNightmare's two KEV CVEs are reachable (the
    // spooler runs, Start 2) with no fix; proposed on SRV-DNS01, left out on
    // the print server (roles.txt: Print Services), whose pairs stay open.
    let spool = step("stop_spooler");
    assert_eq!(spool["effect"], "removes");
    assert_eq!((spool["hosts"].as_u64(), spool["left_out_for_role"].as_u64()), (Some(1), Some(1)), "{spool}");
    assert_eq!(spool["left_out_hosts"], serde_json::json!(["SRV-PRINT01"]));
    let kev_cves: Vec<&str> = spool["kev_cves"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
    assert!(kev_cves.contains(&"CVE-2021-34527") && kev_cves.contains(&"CVE-2021-1675"), "{spool}");
    assert_eq!(spool["kev_pairs"].as_u64().unwrap(), kev_cves.len() as u64, "one host proposes it");
    assert_eq!(spool["left_out_kev_pairs"], spool["kev_pairs"], "the print server has the same CVEs open");
    // SIGRed: DNS runs and the registry lacks TcpReceivePacketSize; proposed on both (no role leaves it out).
    let dns = step("dns_tcp_receive_packet_size");
    assert_eq!((dns["hosts"].as_u64(), dns["left_out_for_role"].as_u64()), (Some(2), Some(0)), "{dns}");
    assert_eq!(dns["kev_cves"], serde_json::json!(["CVE-2020-1350"]));
    assert_eq!(dns["kev_pairs"], 2);
    // Ranked by KEV pairs: the first step addresses the most.
    let pairs: Vec<u64> = steps.iter().map(|s| s["kev_pairs"].as_u64().unwrap()).collect();
    assert!(pairs.windows(2).all(|w| w[0] >= w[1]), "{pairs:?}");
    // The two configured hosts are judged along with the 9 assessed hosts of examples/fleet.
    assert_eq!(cf["hosts_judged"], 11);

    let o = w2k8(&["report", "--db", s(&db), "--close-first"]);
    assert_exit(&o, 0);
    let text = stdout(&o);
    assert!(text.starts_with("What to close first: the isolation changes that remove the most reachable KEV exposure"));
    assert!(text.contains("dns_tcp_receive_packet_size (dns_server)"), "{text}");
    assert!(text.contains("CVE-2020-1350"), "{text}");
    assert!(text.contains("1 host(s), "), "{text}");
    assert!(text.contains("KEV pair(s) left open: SRV-PRINT01"), "{text}");
    assert!(text.contains("11 assessed host(s) judged"), "{text}");
    // --close-first is a text view of its own.
    assert_exit(&w2k8(&["report", "--db", s(&db), "--close-first", "--format", "json"]), 2);
}

#[test]
fn reassess_fills_the_reachability_of_hosts_stored_before_it_was_recorded() {
    let d = scratch("reach-reassess");
    let db = d.join("fleet.db");
    scan(&db, &["examples/fleet"]);
    // As a database migrated from schema 7 reads: the new columns NULL.
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch("UPDATE scans SET reachable_kev = NULL, isolation = NULL")
        .unwrap();
    let before = hosts_json(&db, &["name=SRV-SQL00009"]);
    assert!(before[0]["reachable_kev"].is_null(), "not recorded: unknown, never 0");
    let o = w2k8(&["report", "--db", s(&db), "--format", "json"]);
    assert_eq!(json(&o)["close_first"]["hosts_not_recorded"], 9);

    // Judged with the same catalog already, yet not current: filled in place, no new scan.
    let o = w2k8(&["scan", "--reassess", "--db", s(&db), "--as-of", AS_OF]);
    let out = stdout(&o);
    assert!(out.starts_with("re-assessed 0 of 12 hosts"), "{out}");
    assert!(out.contains("; 9 judged with this catalog before w2k8 recorded reachability"), "{out}");
    let after = hosts_json(&db, &[]);
    let got: BTreeMap<&str, Option<u64>> =
        after.iter().map(|h| (h["name"].as_str().unwrap(), h["reachable_kev"].as_u64())).collect();
    for (name, want) in EXPECTED.iter().filter(|(n, _)| *n != "SRV-LEGACY01") {
        assert_eq!(got[name], want.map(u64::from), "{name}");
    }
    let o = w2k8(&["history", "SRV-SQL00009", "--db", s(&db), "--format", "json"]);
    assert_eq!(json(&o)["scans"].as_array().unwrap().len(), 1, "no new scan");
    let o = w2k8(&["report", "--db", s(&db), "--format", "json"]);
    assert_eq!(json(&o)["close_first"]["hosts_not_recorded"], 0);
    // A second run has nothing left to fill.
    let o = w2k8(&["scan", "--reassess", "--db", s(&db), "--as-of", AS_OF]);
    assert!(!stdout(&o).contains("before w2k8 recorded reachability"), "{}", stdout(&o));
}
