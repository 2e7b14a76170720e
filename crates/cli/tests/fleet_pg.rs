//! The fleet commands on PostgreSQL (when `W2K8_TEST_PG` holds a server URL;
//! CI sets it): two `w2k8 scan` processes writing different and overlapping
//! fleets into one database at once lose and duplicate nothing, and a
//! connection string's password is never printed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::too_many_lines)]
mod util;

use std::path::{Path, PathBuf};
use std::process::Stdio;
use util::{code, command, stderr, stdout, w2k8};
use w2k8_store::Filter;

/// The URL of a fresh schema on the `W2K8_TEST_PG` server, or None.
fn fresh_pg(tag: &str) -> Option<String> {
    let base = std::env::var("W2K8_TEST_PG").ok().filter(|v| !v.trim().is_empty())?;
    let schema = format!("cli_{tag}_{}", std::process::id());
    let mut c = postgres::Client::connect(&base, postgres::NoTls).expect("W2K8_TEST_PG: cannot connect");
    c.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}")).unwrap();
    let sep = if base.contains('?') { '&' } else { '?' };
    Some(format!("{base}{sep}options=-csearch_path%3D{schema}"))
}

fn temp(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("w2k8-pg-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn demo(n: usize, out: &Path, seed: u64) {
    let o = w2k8(&["demo-fleet", &n.to_string(), "--out", out.to_str().unwrap(), "--seed", &seed.to_string()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
}

#[test]
#[ignore = "PostgreSQL: set W2K8_TEST_PG to a server URL and run with --include-ignored"]
fn two_concurrent_scanners_lose_and_duplicate_nothing() {
    let url = fresh_pg("concurrent").expect("W2K8_TEST_PG names no PostgreSQL server");
    let dir = temp("concurrent");
    let (a, b) = (dir.join("a"), dir.join("b"));
    demo(120, &a, 21);
    demo(120, &b, 22);
    // The expected counts: both fleets scanned one after the other into SQLite.
    let db = dir.join("fleet.db");
    for f in [&a, &b] {
        let o = w2k8(&["scan", f.to_str().unwrap(), "--db", db.to_str().unwrap(), "--as-of", "2026-11-01"]);
        assert!(matches!(code(&o), 0 | 4), "{}", stderr(&o));
    }
    let sqlite = w2k8_store::open_store(db.to_str().unwrap()).unwrap();
    let (hosts, scans) = (sqlite.hosts(&Filter::default()).unwrap().len(), sqlite.scan_count().unwrap());
    assert!(hosts >= 200 && scans >= 200, "{hosts} hosts, {scans} scans");

    // Scanner 1: fleet a then b; scanner 2: fleet b then a (overlapping), small batches.
    let spawn = |first: &Path, second: &Path| {
        command()
            .args(["scan", first.to_str().unwrap(), second.to_str().unwrap(), "--db", &url, "--as-of", "2026-11-01"])
            .args(["--batch", "4", "--jobs", "1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let one = spawn(&a, &b);
    let two = spawn(&b, &a);
    let (one, two) = (one.wait_with_output().unwrap(), two.wait_with_output().unwrap());
    let mut stored = 0u64;
    for o in [&one, &two] {
        assert!(matches!(code(o), 0 | 4), "{}", stderr(o));
        assert!(!stderr(o).contains("error"), "{}", stderr(o));
        let first = stdout(o).lines().next().unwrap_or("").to_string();
        let n = first.split(" scans stored").next().and_then(|s| s.rsplit(' ').next()).unwrap();
        stored += n.parse::<u64>().unwrap();
    }
    let pg = w2k8_store::open_store(&url).unwrap();
    assert_eq!(pg.hosts(&Filter::default()).unwrap().len(), hosts);
    assert_eq!(pg.scan_count().unwrap(), scans);
    assert_eq!(stored, scans, "each scan stored by exactly one scanner");
    // And the same rows as SQLite (host ids and the order of hosts sharing a
    // name follow insertion order, which differs).
    let rows = |db: &str| {
        let v: serde_json::Value =
            serde_json::from_str(&stdout(&w2k8(&["hosts", "--db", db, "--format", "json"]))).unwrap();
        let mut rows: Vec<String> = v["hosts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let mut r = r.clone();
                r.as_object_mut().unwrap().remove("host_id");
                r.to_string()
            })
            .collect();
        rows.sort();
        rows
    };
    let (x, y) = (rows(db.to_str().unwrap()), rows(&url));
    assert_eq!(x.len(), hosts);
    assert!(x == y, "the hosts differ between SQLite and PostgreSQL");
}

#[test]
fn a_password_in_the_url_is_never_printed() {
    let url = "postgres://w2k8:s3cret-pw@127.0.0.1:1/w2k8";
    for args in [
        vec!["hosts", "--db", url],
        vec!["report", "--db", url, "--format", "csv"],
        vec!["db", "migrate", "--db", url],
        vec!["scan", "examples", "--db", url],
    ] {
        let o = w2k8(&args);
        let all = format!("{}{}", stdout(&o), stderr(&o));
        assert_ne!(code(&o), 0, "{args:?}");
        assert!(!all.contains("s3cret"), "{args:?}: {all}");
        assert!(all.contains("postgres://w2k8:***@127.0.0.1:1/w2k8"), "{args:?}: {all}");
    }
}

/// Issue 19: `w2k8 accept` on PostgreSQL, and `db migrate --from` copies a
/// SQLite fleet's accepted risks once (a second copy adds none).
#[test]
#[ignore = "PostgreSQL: set W2K8_TEST_PG to a server URL and run with --include-ignored"]
fn accepted_risks_are_recorded_and_copied_into_postgres() {
    let url = fresh_pg("accept").expect("W2K8_TEST_PG names no PostgreSQL server");
    let dir = temp("accept");
    let db = dir.join("fleet.db");
    let db = db.to_str().unwrap();
    let add = |db: &str, target: &str| {
        let o = w2k8(&["accept", target, "--host", "srv-*", "--reason", "r", "--until", "2099-01-01", "--db", db]);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        stdout(&o)
    };
    assert_eq!(
        add(db, "CVE-2021-1675"),
        "accepted risk #1 recorded: CVE-2021-1675 on hosts matching srv-* until 2099-01-01\n"
    );
    add(db, "KB4534303");
    assert_eq!(
        add(&url, "CVE-2019-0708"),
        "accepted risk #1 recorded: CVE-2019-0708 on hosts matching srv-* until 2099-01-01\n"
    );
    for expected in ["copied 2 accepted risk(s)", ""] {
        let o = w2k8(&["db", "migrate", "--db", &url, "--from", db]);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        assert_eq!(stdout(&o).contains("accepted risk"), !expected.is_empty(), "{}", stdout(&o));
        assert!(stdout(&o).contains(expected), "{}", stdout(&o));
    }
    let o = w2k8(&["accept", "--list", "--db", &url, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let listed: Vec<(i64, String)> = v["acceptances"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["id"].as_i64().unwrap(), a["target"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(listed, [(1, "CVE-2019-0708".into()), (2, "CVE-2021-1675".into()), (3, "KB4534303".into())]);
    assert_eq!(code(&w2k8(&["accept", "--remove", "3", "--db", &url])), 0);
    assert_eq!(code(&w2k8(&["accept", "--remove", "3", "--db", &url])), 2);
}

/// Issue 20 (fleet part) on PostgreSQL: `scan` stores each host's reachable
/// KEV count and isolation plan, and `db migrate --from` copies them; the
/// answers are SQLite's (the values are explained in `fleet_reach.rs`).
#[test]
#[ignore = "PostgreSQL: set W2K8_TEST_PG to a server URL and run with --include-ignored"]
fn reachable_kev_and_close_first_on_postgres_are_sqlite_s() {
    let url = fresh_pg("reach").expect("W2K8_TEST_PG names no PostgreSQL server");
    let copied = fresh_pg("reachcopy").expect("W2K8_TEST_PG names no PostgreSQL server");
    let dir = temp("reach");
    let db = dir.join("fleet.db");
    let db = db.to_str().unwrap();
    for target in [db, url.as_str()] {
        let o = w2k8(&["scan", "examples/fleet", "--db", target, "--as-of", "2026-01-15"]);
        assert_eq!(code(&o), 4, "{}", stderr(&o));
    }
    let o = w2k8(&["db", "migrate", "--db", &copied, "--from", db]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let rows = |target: &str| -> Vec<(String, serde_json::Value)> {
        let o = w2k8(&["hosts", "--db", target, "--format", "json"]);
        let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        v["hosts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| (h["name"].as_str().unwrap().to_string(), h["reachable_kev"].clone()))
            .collect()
    };
    let sqlite = rows(db);
    assert_eq!(sqlite.iter().filter(|(_, v)| v.is_u64()).count(), 7, "{sqlite:?}");
    assert_eq!(rows(&url), sqlite);
    assert_eq!(rows(&copied), sqlite, "db migrate --from copies them");
    let report = |target: &str| -> serde_json::Value {
        let o = w2k8(&["report", "--db", target, "--format", "json"]);
        serde_json::from_str::<serde_json::Value>(&stdout(&o)).unwrap()["close_first"].clone()
    };
    let cf = report(db);
    assert_eq!(cf["hosts_judged"], 9);
    assert_eq!(report(&url), cf);
    assert_eq!(report(&copied), cf);
    let o = w2k8(&["report", "--db", &url, "--close-first"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("9 assessed host(s) judged"), "{}", stdout(&o));
}
