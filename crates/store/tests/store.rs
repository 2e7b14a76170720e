//! The fleet store end to end, on every backend: migrations, idempotent
//! writes, history, CVE exposure windows, diff and the fleet report.
//!
//! Each behaviour test is a module with two tests: `sqlite` always runs;
//! `postgres` is ignored by default and runs with `--include-ignored` (as
//! `.ci/run` does) on the server `W2K8_TEST_PG` names, each test in a fresh
//! schema of its own, failing when no server is named.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::too_many_lines)]
mod pg_util;

use pg_util::fresh_pg;
use rusqlite::Connection;
use w2k8_core::{Kb, UpdateKind};
use w2k8_fleet::ScanStatus;
use w2k8_store::{
    open_store, schema, CveInput, Filter, MissingInput, PgStore, ScanInput, SqliteStore, Store, StoreError,
};

type Boxed = Box<dyn Store + Send>;

/// Runs `f` on a fresh store of each backend, named "sqlite" or "postgres".
/// One test per backend: `NAME::sqlite` always runs; `NAME::postgres` is
/// ignored unless asked for (`--include-ignored`, as CI does), and then
/// fails when `W2K8_TEST_PG` names no server: never a silent pass.
macro_rules! on_each_backend {
    (fn $name:ident($backend:ident, $s:ident) $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            fn body($backend: &str, $s: Boxed) $body

            #[test]
            fn sqlite() {
                body("sqlite", open_store(temp_db(concat!(stringify!($name), "_sqlite")).to_str().unwrap()).unwrap());
            }

            #[test]
            #[ignore = "PostgreSQL: set W2K8_TEST_PG to a server URL and run with --include-ignored"]
            fn postgres() {
                let url = fresh_pg(stringify!($name)).expect("W2K8_TEST_PG names no PostgreSQL server");
                body("postgres", open_store(&url).unwrap());
            }
        }
    };
}

fn date(s: &str) -> w2k8_core::Date {
    s.parse().unwrap()
}

fn kb(n: u32) -> Kb {
    Kb::new(n).unwrap()
}

fn cve(id: &str, kev: bool, ransomware: bool) -> CveInput {
    CveInput::new(cve_id(id), &format!("title of {id}"), "critical", kev, ransomware, false)
}

fn scan(name: &str, at: &str, digest: &str, build: u32, month: &str, kbs: &[u32], cves: Vec<CveInput>) -> ScanInput {
    ScanInput {
        name: name.into(),
        product_id: Some("92573-082-2500115-76417".into()),
        source: format!("/fleet/{name}"),
        digest: digest.into(),
        scanned_at: at.parse().unwrap(),
        status: ScanStatus::Ok,
        error: None,
        product: Some("Windows Server 2008 SP2".into()),
        edition: Some("Standard".into()),
        arch: Some("x64".into()),
        server_core: Some(false),
        build: Some(build),
        kernel: None,
        patched_through: month.parse().ok(),
        patched_through_at_least: None,
        unknown_cves: 0,
        unknown_kev: 0,
        counts_are_lower_bound: false,
        reachable_kev: None,
        isolation: None,
        kbs: kbs.iter().map(|n| kb(*n)).collect(),
        missing: vec![MissingInput {
            kb: kb(5034189),
            title: Some("2024-06 rollup".into()),
            kind: UpdateKind::MonthlyRollup,
        }],
        cves,
        plan: None,
        file_problems: vec![],
        catalog: None,
        saved_input: None,
        reassessed_from: None,
    }
}

fn failed(name: &str, at: &str) -> ScanInput {
    ScanInput {
        status: ScanStatus::Failed,
        error: Some("not a readable zip archive".into()),
        product_id: None,
        product: None,
        edition: None,
        arch: None,
        server_core: None,
        build: None,
        patched_through: None,
        kbs: vec![],
        missing: vec![],
        cves: vec![],
        ..scan(name, at, "bad", 0, "", &[], vec![])
    }
}

fn temp_db(tag: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("w2k8-store-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("fleet.db")
}

fn fleet(mut s: Boxed) -> Boxed {
    let early = scan(
        "SRV-A",
        "2026-01-10T12:00:00Z",
        "a1",
        6002,
        "2019-03",
        &[4489887],
        vec![cve("CVE-2019-0708", true, true), cve("CVE-2020-0001", false, false)],
    );
    let late = scan(
        "SRV-A",
        "2026-03-10T12:00:00Z",
        "a2",
        6003,
        "2020-01",
        &[4489887, 4534303],
        vec![cve("CVE-2020-0001", false, false), cve("CVE-2021-0002", true, false)],
    );
    let b = scan(
        "SRV-B",
        "2026-03-10T12:00:00Z",
        "b1",
        6003,
        "2020-01",
        &[4534303],
        vec![cve("CVE-2020-0001", false, false)],
    );
    let o = s.write_batch(&[early, b]).unwrap();
    assert_eq!((o.stored, o.duplicates), (2, 0));
    let o = s.write_batch(&[late, failed("broken01", "2026-03-10T12:00:00Z")]).unwrap();
    assert_eq!((o.stored, o.duplicates), (2, 0));
    s
}

#[test]
fn fresh_database_is_current_and_sound() {
    let db = temp_db("fresh");
    let s = SqliteStore::open(&db).unwrap();
    assert_eq!(s.schema_version().unwrap(), schema::CURRENT);
    assert_eq!(schema::CURRENT, schema::MIGRATIONS.len() as i64);
    assert_eq!(s.integrity_check().unwrap(), "ok");
    let c = Connection::open(&db).unwrap();
    let mode: String = c.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
}

on_each_backend! {
    fn same_input_is_stored_once(backend, s) {
    let mut s = fleet(s);
    let again = scan("SRV-B", "2026-04-01T12:00:00Z", "b1", 6003, "2020-01", &[4534303], vec![]);
    let o = s.write_batch(&[again]).unwrap();
    assert_eq!((o.stored, o.duplicates), (0, 1));
    assert_eq!(s.scan_count().unwrap(), 4);
    // Same name, another product ID: another host.
    let mut twin = scan("SRV-B", "2026-04-01T12:00:00Z", "b1", 6003, "2020-01", &[], vec![]);
    twin.product_id = Some("00000-000-0000000-00000".into());
    assert_eq!(s.write_batch(&[twin]).unwrap().stored, 1);
    assert_eq!(s.hosts(&Filter::default()).unwrap().len(), 4, "{backend}");
    }
}

on_each_backend! {
    fn hosts_are_latest_scans_and_filter(backend, s) {
    let mut s = fleet(s);
    // An older scan arriving later does not become the latest.
    let old = scan("SRV-B", "2025-01-01T12:00:00Z", "b0", 6002, "2018-12", &[], vec![]);
    s.write_batch(&[old]).unwrap();
    let rows = s.hosts(&Filter::default()).unwrap();
    let names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["broken01", "SRV-A", "SRV-B"], "{backend}");
    let a = &rows[1];
    assert_eq!(
        (a.build, a.patched_through.map(|m| m.to_string()).as_deref(), a.open_cves, a.kev_open, a.ransomware_open),
        (Some(6003), Some("2020-01"), Some(2), Some(1), Some(0))
    );
    assert_eq!(rows[2].build, Some(6003));
    assert_eq!(rows[0].status, ScanStatus::Failed);
    assert_eq!(rows[0].error.as_deref(), Some("not a readable zip archive"));
    let kev = s.hosts(&Filter::parse(&["kev>0"]).unwrap()).unwrap();
    assert_eq!(kev.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["SRV-A"]);
    let failed = s.hosts(&Filter::parse(&["status=failed"]).unwrap()).unwrap();
    assert_eq!(failed.len(), 1, "{backend}");
    }
}

on_each_backend! {
    fn history_and_exposure_window(backend, s) {
    let s = fleet(s);
    let h = s.history("srv-a").unwrap().unwrap();
    assert_eq!(h.scans.len(), 2);
    assert_eq!(h.changes.len(), 1);
    let c = &h.changes[0];
    assert_eq!(c.build, Some((Some(6002), Some(6003))));
    assert_eq!(c.patched_through, Some((Some("2019-03".parse().unwrap()), Some("2020-01".parse().unwrap()))));
    assert_eq!(c.installed, vec![kb(4534303)]);
    assert_eq!(c.closed, vec!["CVE-2019-0708".to_string()]);
    assert_eq!(c.opened, vec!["CVE-2021-0002".to_string()]);
    let e = s.cve_exposure("SRV-A", cve_id("cve-2019-0708")).unwrap().unwrap();
    assert_eq!(e.first_open.map(|t| t.to_string()).as_deref(), Some("2026-01-10T12:00:00Z"));
    assert_eq!(e.closed_at.map(|t| t.to_string()).as_deref(), Some("2026-03-10T12:00:00Z"));
    assert_eq!(e.days_exposed, Some(59));
    assert!(!e.open_now);
    let e = s.cve_exposure("SRV-A", cve_id("CVE-2020-0001")).unwrap().unwrap();
    assert_eq!((e.open_now, e.closed_at, e.days_exposed), (true, None, Some(59)));
    assert!(s.history("nobody").unwrap().is_none(), "{backend}");
    }
}

on_each_backend! {
    fn same_named_hosts_are_listed_never_shadowed(backend, s) {
    let mut s = fleet(s);
    let real = s.find_host("SRV-A").unwrap().unwrap().host_id;
    // A junk bundle named after SRV-A (other case, no product ID), scanned
    // after it, and a host of the same name with another product ID.
    let mut junk = failed("srv-a", "2026-04-01T12:00:00Z");
    junk.digest = "junk".into();
    let mut twin = scan("SRV-A", "2026-02-01T12:00:00Z", "t1", 6002, "2018-12", &[], vec![]);
    twin.product_id = Some("00000-000-0000000-00000".into());
    s.write_batch(&[junk, twin]).unwrap();
    let named = s.hosts_named("Srv-A").unwrap();
    let ids: Vec<i64> = named.iter().map(|h| h.host_id).collect();
    assert_eq!(ids.len(), 3, "{backend}: {named:?}");
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "{backend}: by id {ids:?}");
    assert_eq!(ids[0], real, "{backend}: the first host first");
    let names: Vec<&str> = named.iter().map(|h| h.name.as_str()).collect();
    assert_eq!(names, ["SRV-A", "srv-a", "SRV-A"], "{backend}");
    assert_eq!(named[1].status, ScanStatus::Failed, "{backend}");
    assert_eq!(named[2].product_id.as_deref(), Some("00000-000-0000000-00000"), "{backend}");
    // Every lookup by that name refuses to pick one, and lists them all.
    for e in [
        s.history("srv-a").map(|_| ()).unwrap_err(),
        s.host_detail("SRV-A", 10).map(|_| ()).unwrap_err(),
        s.cve_exposure("SRV-A", cve_id("CVE-2019-0708")).map(|_| ()).unwrap_err(),
        s.find_host("srv-A").map(|_| ()).unwrap_err(),
    ] {
        let StoreError::Ambiguous { name, candidates } = &e else { panic!("{backend}: {e:?}") };
        assert!(name.eq_ignore_ascii_case("srv-a"), "{backend}: {name}");
        assert_eq!(candidates, &named, "{backend}");
        let text = e.to_string();
        assert!(text.contains("names 3 hosts") && text.contains(&format!("#{real} SRV-A")), "{backend}: {text}");
    }
    // By id, each is reachable; the real one keeps its history.
    let h = s.history_by_id(real).unwrap().unwrap();
    assert_eq!((h.host.name.as_str(), h.scans.len()), ("SRV-A", 2), "{backend}");
    let d = s.host_detail_by_id(ids[1], 10).unwrap().unwrap();
    assert_eq!((d.host.name.as_str(), d.host.status), ("srv-a", ScanStatus::Failed), "{backend}");
    let e = s.cve_exposure_by_id(real, cve_id("CVE-2019-0708")).unwrap().unwrap();
    assert_eq!(e.closed_at.map(|t| t.to_string()).as_deref(), Some("2026-03-10T12:00:00Z"), "{backend}");
    assert_eq!(s.host_by_id(real).unwrap().unwrap(), named[0], "{backend}");
    assert!(s.host_by_id(999_999).unwrap().is_none(), "{backend}");
    assert!(s.history_by_id(999_999).unwrap().is_none(), "{backend}");
    // A name only one host has still resolves; an unknown one is None.
    assert_eq!(s.history("srv-b").unwrap().unwrap().host.name, "SRV-B", "{backend}");
    assert!(s.hosts_named("nobody").unwrap().is_empty(), "{backend}");
    assert!(s.find_host("nobody").unwrap().is_none(), "{backend}");
    }
}

on_each_backend! {
    fn file_problems_are_stored_with_the_scan(backend, s) {
    let mut s = fleet(s);
    let problems = vec![
        w2k8_store::FileProblem { file: "pipe.txt".into(), problem: "a FIFO (named pipe), not a regular file: not opened".into() },
        w2k8_store::FileProblem { file: "qfe.csv".into(), problem: "line 3: expected a KB".into() },
    ];
    let mut with = scan("SRV-P", "2026-03-01T12:00:00Z", "p1", 6003, "2020-01", &[], vec![]);
    with.file_problems = problems.clone();
    with.error = Some("files not read: pipe.txt: ...; qfe.csv: ...".into());
    s.write_batch(&[with]).unwrap();
    let row = s.find_host("SRV-P").unwrap().unwrap();
    assert_eq!(row.file_problems, problems, "{backend}");
    assert_eq!(row.status, ScanStatus::Ok, "{backend}");
    // Shown in the JSON of a host row; absent when there are none.
    let v = serde_json::to_value(&row).unwrap();
    assert_eq!(v["file_problems"][1]["problem"], "line 3: expected a KB", "{backend}");
    let other = serde_json::to_value(s.find_host("SRV-B").unwrap().unwrap()).unwrap();
    assert!(other.get("file_problems").is_none(), "{backend}: {other}");
    // A later clean scan: the host's row has none, the earlier scan keeps its own.
    s.write_batch(&[scan("SRV-P", "2026-04-01T12:00:00Z", "p2", 6003, "2020-01", &[], vec![])]).unwrap();
    let h = s.history("srv-p").unwrap().unwrap();
    assert!(h.host.file_problems.is_empty(), "{backend}");
    let per_scan: Vec<usize> = h.scans.iter().map(|r| r.file_problems.len()).collect();
    assert_eq!(per_scan, [2, 0], "{backend}");
    assert_eq!(h.scans[0].file_problems, problems, "{backend}");
    }
}

/// The SQLite export carries each scan's file problems (`db migrate --from`).
#[test]
fn file_problems_are_exported() {
    let db = temp_db("export-problems");
    let mut s = SqliteStore::open(&db).unwrap();
    let mut with = scan("SRV-P", "2026-03-01T12:00:00Z", "p1", 6003, "2020-01", &[], vec![]);
    with.file_problems = vec![w2k8_store::FileProblem { file: "a.txt".into(), problem: "a socket".into() }];
    s.write_batch(&[with.clone()]).unwrap();
    let out = s.export_scans(0, 10).unwrap();
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].1.file_problems, with.file_problems);
}

on_each_backend! {
    fn diff_since_a_date(backend, s) {
    let s = fleet(s);
    let d = s.diff(Some(date("2026-02-01"))).unwrap();
    assert_eq!(d.changes.len(), 1);
    assert_eq!(d.changes[0].host, "SRV-A");
    assert_eq!((d.patched_hosts, d.newly_exposed, d.newly_closed), (1, 1, 1));
    assert_eq!(d.new_hosts, vec!["SRV-B".to_string()]);
    let d = s.diff(Some(date("2026-04-01"))).unwrap();
    assert!(d.changes.is_empty() && d.new_hosts.is_empty(), "{backend}");
    let d = s.diff(None).unwrap();
    assert_eq!(d.changes.len(), 1, "{backend}");
    assert_eq!(d.new_hosts, vec!["SRV-B".to_string()], "{backend}");
    }
}

on_each_backend! {
    fn fleet_report_counts(backend, s) {
    let s = fleet(s);
    let r = s.fleet_report("test catalog", "2026-03-11T00:00:00Z".parse().unwrap(), 1).unwrap();
    assert_eq!((r.totals.hosts, r.totals.ok, r.totals.failed, r.totals.scans), (3, 2, 1, 4));
    assert_eq!((r.totals.kev_hosts, r.totals.ransomware_hosts), (1, 0));
    let builds: Vec<(String, u32)> = r.by_build.iter().map(|b| (b.label.clone(), b.hosts)).collect();
    assert_eq!(builds, [("6002".to_string(), 0), ("6003".to_string(), 2)]);
    let kev: Vec<u32> = r.by_kev.iter().map(|b| b.hosts).collect();
    assert_eq!(kev, [0, 1, 1]);
    let top: Vec<(String, u32)> = r.top_cves.iter().map(|c| (c.cve.to_string(), c.hosts)).collect();
    assert_eq!(top, [("CVE-2021-0002".to_string(), 1), ("CVE-2020-0001".to_string(), 2)]);
    assert_eq!(r.top_missing.len(), 1);
    assert_eq!(r.top_missing[0].hosts, 2);
    let days: Vec<(String, u32, u32, u64)> =
        r.history.iter().map(|p| (p.date.to_string(), p.hosts, p.kev_hosts, p.open_cves)).collect();
    assert_eq!(days, [("2026-01-10".to_string(), 1, 1, 2), ("2026-03-10".to_string(), 3, 1, 3)]);
    let a = r.details.iter().find(|d| d.host.name == "SRV-A").unwrap();
    assert_eq!(a.exposure.len(), 1, "capped at detail_cves");
    assert_eq!(a.missing.len(), 1, "{backend}");
    }
}

#[test]
fn a_version_1_database_is_migrated() {
    let db = temp_db("v1");
    {
        let c = Connection::open(&db).unwrap();
        c.execute_batch(schema::V1).unwrap();
        c.execute_batch(
            "PRAGMA user_version = 1;
             INSERT INTO hosts (id, name, product_id, first_seen) VALUES (1, 'OLD-01', '', '2025-01-01T00:00:00Z');
             INSERT INTO cves (id, cve, title, severity, kev, ransomware, exploit)
                 VALUES (1, 'CVE-2019-0708', 'RDP', 'critical', 1, 1, 1);
             INSERT INTO cve_sets (id, digest, size) VALUES (1, 'x', 1);
             INSERT INTO cve_set_items (set_id, position, cve_id) VALUES (1, 0, 1);
             INSERT INTO scans (id, host_id, scanned_at, source, digest, status, build, patched_through,
                 missing, open_cves, kev_open, cve_set_id)
                 VALUES (1, 1, '2025-01-01T00:00:00Z', 'old', 'd', 'ok', 6002, '2019-01', 0, 1, 1, 1);",
        )
        .unwrap();
    }
    let s = SqliteStore::open(&db).unwrap();
    assert_eq!(s.schema_version().unwrap(), schema::CURRENT);
    let rows = s.hosts(&Filter::default()).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].name.as_str(), rows[0].ransomware_open, rows[0].kev_open), ("OLD-01", Some(1), Some(1)));
    assert_eq!(s.integrity_check().unwrap(), "ok");
}

#[test]
fn a_newer_database_is_refused() {
    let db = temp_db("newer");
    Connection::open(&db).unwrap().execute_batch("PRAGMA user_version = 99;").unwrap();
    let e = SqliteStore::open(&db).err().unwrap();
    assert!(e.chain().contains("schema version 99"), "{}", e.chain());
}

/// Issue 18, item 10: `--db` pointed at an unrelated SQLite database is
/// refused, for writing and for reading, and left as it was.
#[test]
fn a_sqlite_database_that_is_not_a_fleet_store_is_refused_untouched() {
    let db = temp_db("foreign");
    Connection::open(&db).unwrap().execute_batch("CREATE TABLE notes (x); CREATE TABLE people (y);").unwrap();
    let before = std::fs::read(&db).unwrap();
    for e in [
        SqliteStore::open(&db).err().unwrap(),
        SqliteStore::open_for_reading(&db).err().unwrap(),
        open_store(db.to_str().unwrap()).err().unwrap(),
    ] {
        assert!(matches!(e, StoreError::NotFleetStore { .. }), "{e:?}");
        assert_eq!(
            e.chain(),
            format!(
                "{} is a SQLite database but not a w2k8 fleet store (it holds notes, people, and no w2k8 schema \
                 version): give a new file or a fleet database",
                db.display()
            )
        );
    }
    assert_eq!(std::fs::read(&db).unwrap(), before, "not a byte written");
    let c = Connection::open(&db).unwrap();
    let n: i64 = c.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 2);
    // An empty file is a new fleet store, as before.
    let empty = temp_db("empty");
    std::fs::write(&empty, b"").unwrap();
    assert_eq!(SqliteStore::open(&empty).unwrap().schema_version().unwrap(), schema::CURRENT);
}

/// Issue 18, item 10: a current database is opened read-only for reading
/// (it reads without write access; writes through it fail, naming no
/// other file), an older one is migrated first.
#[test]
fn reading_opens_a_current_database_read_only() {
    let db = temp_db("reading");
    let mut w = open_store(db.to_str().unwrap()).unwrap();
    w.write_batch(&[scan("SRV-R", "2026-01-10T12:00:00Z", "r1", 6003, "2020-01", &[], vec![])]).unwrap();
    drop(w);
    let mut r = w2k8_store::open_store_for_reading(db.to_str().unwrap()).unwrap();
    assert_eq!(r.hosts(&Filter::default()).unwrap().len(), 1);
    assert_eq!(r.history("srv-r").unwrap().unwrap().scans.len(), 1);
    let e = r.write_batch(&[scan("SRV-S", "2026-01-11T12:00:00Z", "s1", 6003, "2020-01", &[], vec![])]).unwrap_err();
    assert!(e.chain().contains("readonly"), "{}", e.chain());
    assert_eq!(r.scan_count().unwrap(), 1);
    // Version 1: migrated when opened for reading (which needs write access).
    let old = temp_db("reading-v1");
    Connection::open(&old).unwrap().execute_batch(schema::V1).unwrap();
    Connection::open(&old).unwrap().execute_batch("PRAGMA user_version = 1;").unwrap();
    let s = SqliteStore::open_for_reading(&old).unwrap();
    assert_eq!(s.schema_version().unwrap(), schema::CURRENT);
    // Newer: refused either way.
    let newer = temp_db("reading-newer");
    Connection::open(&newer).unwrap().execute_batch("PRAGMA user_version = 99;").unwrap();
    let e = SqliteStore::open_for_reading(&newer).err().unwrap();
    assert!(e.chain().contains("schema version 99"), "{}", e.chain());
}

/// Issue 18, item 10: a connection the server refuses names its reason
/// (the server's message and SQLSTATE, not just "db error"), for a URL and
/// a libpq key=value string alike, the password masked.
#[test]
#[ignore = "PostgreSQL: set W2K8_TEST_PG to a server URL and run with --include-ignored"]
fn a_refused_postgres_connection_names_the_server_s_reason() {
    let base = std::env::var("W2K8_TEST_PG").expect("W2K8_TEST_PG names no PostgreSQL server");
    let (scheme, rest) = base.split_once("://").unwrap();
    let rest = rest.split(['?', '#']).next().unwrap();
    let (authority, _db) = rest.split_once('/').unwrap();
    let (user, hostport) = authority.split_once('@').unwrap();
    let user = user.split(':').next().unwrap();
    let (host, port) = hostport.rsplit_once(':').unwrap_or((hostport, "5432"));
    let db = format!("w2k8_no_such_db_{}", std::process::id());
    for (url, shown) in [
        (format!("{scheme}://{user}:s3cret@{hostport}/{db}"), format!("{scheme}://{user}:***@{hostport}/{db}")),
        (
            format!("host={host} port={port} user={user} password=s3cret dbname={db}"),
            format!("host={host} port={port} user={user} password=*** dbname={db}"),
        ),
    ] {
        let e = open_store(&url).err().unwrap();
        let text = e.chain();
        assert!(!format!("{text} {e:?}").contains("s3cret"), "{text}");
        assert!(text.starts_with(&format!("{shown}: cannot connect: the server refused (SQLSTATE 3D000): ")), "{text}");
        assert!(text.contains(&format!("database \"{db}\" does not exist")), "{text}");
    }
    let e = open_store(&format!("{scheme}://w2k8_no_such_role:x@{hostport}/{db}")).err().unwrap();
    let text = e.chain();
    assert!(text.contains("(SQLSTATE 28000)") && text.contains("role \"w2k8_no_such_role\" does not exist"), "{text}");
}

#[test]
#[ignore = "PostgreSQL: set W2K8_TEST_PG to a server URL and run with --include-ignored"]
fn postgres_migrates_once_from_many_connections_and_refuses_newer() {
    let url = fresh_pg("pgmigrate").expect("W2K8_TEST_PG names no PostgreSQL server");
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || PgStore::open(&url).map(|s| s.schema_version().unwrap()))
        })
        .collect();
    for t in threads {
        assert_eq!(t.join().unwrap().unwrap(), w2k8_store::pg::PG_CURRENT);
    }
    let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let n: i64 = c.query_one("SELECT count(*) FROM w2k8_schema", &[]).unwrap().get(0);
    assert_eq!(n, 1);
    c.batch_execute("UPDATE w2k8_schema SET version = 99").unwrap();
    let e = PgStore::open(&url).err().unwrap();
    assert!(e.chain().contains("schema version 99"), "{}", e.chain());
}

#[test]
#[ignore = "PostgreSQL: set W2K8_TEST_PG to a server URL and run with --include-ignored"]
fn a_sqlite_fleet_exports_to_the_same_answers_in_postgres() {
    let url = fresh_pg("pgcopy").expect("W2K8_TEST_PG names no PostgreSQL server");
    let db = temp_db("pgcopy");
    let mut src = fleet(open_store(db.to_str().unwrap()).unwrap());
    let mut planned = scan("SRV-P", "2026-03-11T12:00:00Z", "p1", 6003, "2020-01", &[], vec![]);
    planned.plan = Some(plan_json("SRV-P", "2020-01"));
    src.write_batch(&[planned]).unwrap();
    let sqlite = SqliteStore::open(&db).unwrap();
    let mut pg = PgStore::open(&url).unwrap();
    let mut after = 0;
    loop {
        let batch = sqlite.export_scans(after, 2).unwrap();
        let Some((last, _)) = batch.last() else { break };
        after = *last;
        let scans: Vec<ScanInput> = batch.into_iter().map(|(_, s)| s).collect();
        assert_eq!(pg.write_batch(&scans).unwrap().stored, scans.len());
    }
    let strip = |mut r: w2k8_fleet::FleetReport| {
        for h in r.hosts.iter_mut() {
            h.host_id = 0;
        }
        for d in r.details.iter_mut() {
            d.host.host_id = 0;
        }
        serde_json::to_string(&r).unwrap()
    };
    let a = strip(src.fleet_report("c", "2026-04-01T00:00:00Z".parse().unwrap(), 10).unwrap());
    let b = strip(pg.fleet_report("c", "2026-04-01T00:00:00Z".parse().unwrap(), 10).unwrap());
    assert_eq!(a, b);
    assert_eq!(
        serde_json::to_string(&src.diff(None).unwrap()).unwrap(),
        serde_json::to_string(&pg.diff(None).unwrap()).unwrap()
    );
    let p = pg.host_detail("SRV-P", usize::MAX).unwrap().unwrap().host.host_id;
    assert_eq!(pg.plan_of(p).unwrap(), Some(plan_json("SRV-P", "2020-01")), "the plan is copied");
    assert_eq!(
        serde_json::to_string(&src.scans(10, 0).unwrap().iter().map(|r| &r.digest).collect::<Vec<_>>()).unwrap(),
        serde_json::to_string(&pg.scans(10, 0).unwrap().iter().map(|r| &r.digest).collect::<Vec<_>>()).unwrap()
    );
    assert_eq!(src.fleet_cves().unwrap(), pg.fleet_cves().unwrap());
    assert_eq!(src.fleet_missing().unwrap(), pg.fleet_missing().unwrap());
}

fn marked(id: &str, severity: &str, kev: bool) -> CveInput {
    CveInput::new(cve_id(id), &format!("title of {id}"), severity, kev, false, false)
}

on_each_backend! {
    fn a_reordered_list_keeps_its_set_and_takes_the_new_marks(backend, s) {
    let mut s = s;
    // Judged once: critical before important.
    let first = scan("SRV-R", "2026-03-01T12:00:00Z", "r1", 6003, "2020-01", &[], vec![
        marked("CVE-2020-0601", "critical", false),
        marked("CVE-2023-20569", "important", false),
    ]);
    s.write_batch(&[first]).unwrap();
    let order = |s: &Boxed| -> Vec<(String, bool)> {
        let d = s.host_detail("SRV-R", usize::MAX).unwrap().unwrap();
        d.exposure.iter().map(|c| (c.cve.to_string(), c.kev)).collect()
    };
    assert_eq!(order(&s), [("CVE-2020-0601".to_string(), false), ("CVE-2023-20569".to_string(), false)], "{backend}");
    // Judged again after CVE-2023-20569 joined KEV: the same members, the
    // KEV one now first, as assess lists them.
    let again = scan("SRV-R", "2026-03-02T12:00:00Z", "r2", 6003, "2020-01", &[], vec![
        marked("CVE-2023-20569", "important", true),
        marked("CVE-2020-0601", "critical", false),
    ]);
    s.write_batch(&[again]).unwrap();
    assert_eq!(order(&s), [("CVE-2023-20569".to_string(), true), ("CVE-2020-0601".to_string(), false)], "{backend}");
    // The same set: the history sees no CVE opened or closed.
    let h = s.history("SRV-R").unwrap().unwrap();
    assert!(h.changes.iter().all(|c| c.opened.is_empty() && c.closed.is_empty()), "{backend}: {:?}", h.changes);
    }
}

/// A re-assessment that only reorders a host's open CVEs writes no new set
/// (the cost issue 19 measured on PostgreSQL: a copy of every set a KEV
/// change reordered), also from a new connection that has cached nothing.
#[test]
fn a_reordered_list_is_not_stored_twice() {
    let db = temp_db("reordered");
    let path = db.to_str().unwrap();
    let list = vec![marked("CVE-2020-0601", "critical", false), marked("CVE-2023-20569", "important", false)];
    open_store(path)
        .unwrap()
        .write_batch(&[scan("SRV-R", "2026-03-01T12:00:00Z", "r1", 6003, "2020-01", &[], list)])
        .unwrap();
    let list = vec![marked("CVE-2023-20569", "important", true), marked("CVE-2020-0601", "critical", false)];
    open_store(path)
        .unwrap()
        .write_batch(&[scan("SRV-R", "2026-03-02T12:00:00Z", "r2", 6003, "2020-01", &[], list)])
        .unwrap();
    let c = rusqlite::Connection::open(&db).unwrap();
    let sets: i64 = c.query_row("SELECT count(*) FROM cve_sets", [], |r| r.get(0)).unwrap();
    let items: i64 = c.query_row("SELECT count(*) FROM cve_set_items", [], |r| r.get(0)).unwrap();
    let kev: bool = c.query_row("SELECT kev FROM cves WHERE cve = 'CVE-2023-20569'", [], |r| r.get(0)).unwrap();
    assert_eq!((sets, items, kev), (1, 2, true));
}

/// A plan's JSON text naming its host, as `w2k8 plan --format json` would.
fn plan_json(host: &str, month: &str) -> String {
    format!(
        r#"{{"host":"{host}","patched_through":"{month}","steps":[{{"kb":"KB4534303","note":"{host} restarts"}}]}}"#
    )
}

on_each_backend! {
    fn host_detail_is_the_latest_scan_in_full(backend, s) {
    let mut s = fleet(s);
    // A twin name (another product ID) scanned earlier: the name is
    // ambiguous, each host is addressed by its id.
    let mut twin = scan("srv-a", "2026-02-01T12:00:00Z", "t1", 6002, "2018-01", &[], vec![]);
    twin.product_id = Some("00000-000-0000000-00000".into());
    s.write_batch(&[twin]).unwrap();
    assert!(matches!(s.host_detail("Srv-A", usize::MAX), Err(StoreError::Ambiguous { .. })), "{backend}");
    let id = s.hosts_named("Srv-A").unwrap()[0].host_id;
    let d = s.host_detail_by_id(id, usize::MAX).unwrap().unwrap();
    assert_eq!(
        (d.host.name.as_str(), d.host.build, d.host.last_scan.to_string().as_str()),
        ("SRV-A", Some(6003), "2026-03-10T12:00:00Z"),
        "{backend}"
    );
    let cves: Vec<(String, bool, u32)> = d.exposure.iter().map(|c| (c.cve.to_string(), c.kev, c.hosts)).collect();
    // Riskiest first (the KEV one), whatever order the scan listed them in.
    let want = [("CVE-2021-0002".to_string(), true, 1), ("CVE-2020-0001".to_string(), false, 1)];
    assert_eq!(cves, want, "{backend}: in risk order");
    assert_eq!(d.exposure[0].title, "title of CVE-2021-0002");
    let missing: Vec<(Kb, Option<&str>, &str, u32)> =
        d.missing.iter().map(|m| (m.kb, m.title.as_deref(), m.kind.as_str(), m.hosts)).collect();
    assert_eq!(missing, [(kb(5034189), Some("2024-06 rollup"), "monthly_rollup", 1)], "{backend}");
    let broken = s.host_detail("BROKEN01", usize::MAX).unwrap().unwrap();
    assert_eq!(broken.host.status, ScanStatus::Failed);
    assert!(broken.exposure.is_empty() && broken.missing.is_empty(), "{backend}");
    assert!(s.host_detail("nobody", usize::MAX).unwrap().is_none(), "{backend}");
    // Every open CVE, not a capped list.
    let many: Vec<CveInput> = (0..300).map(|i| cve(&format!("CVE-2022-{i:04}"), i % 7 == 0, false)).collect();
    s.write_batch(&[scan("BIG", "2026-03-11T00:00:00Z", "big", 6003, "2020-01", &[], many)]).unwrap();
    let d = s.host_detail("big", usize::MAX).unwrap().unwrap();
    assert_eq!(d.exposure.len(), 300, "{backend}");
    assert_eq!(d.exposure[299].cve.to_string(), "CVE-2022-0299", "{backend}");
    // ... or the first `max_cves` of them, in the stored (riskiest-first) order,
    // before and after the planner's statistics are refreshed.
    let head = s.host_detail("big", 25).unwrap().unwrap();
    assert_eq!(head.exposure[..], d.exposure[..25], "{backend}");
    s.optimize().unwrap();
    assert_eq!(s.host_detail("big", 25).unwrap().unwrap(), head, "{backend}");
    assert_eq!(head.host.open_cves, Some(300), "{backend}");
    assert!(s.host_detail("big", 0).unwrap().unwrap().exposure.is_empty(), "{backend}");
    // The twin scanned last never shadows the other: each by its id.
    let mut later = scan("srv-a", "2026-12-01T12:00:00Z", "t2", 6003, "2020-06", &[], vec![]);
    later.product_id = Some("00000-000-0000000-00000".into());
    s.write_batch(&[later]).unwrap();
    assert!(matches!(s.host_detail("SRV-A", 1), Err(StoreError::Ambiguous { .. })), "{backend}");
    let twin = s.hosts_named("SRV-A").unwrap()[1].host_id;
    let d = s.host_detail_by_id(twin, usize::MAX).unwrap().unwrap();
    assert_eq!((d.host.name.as_str(), d.host.patched_through.map(|m| m.to_string()).as_deref()), ("srv-a", Some("2020-06")), "{backend}");
    assert_eq!(d.host.product_id.as_deref(), Some("00000-000-0000000-00000"), "{backend}");
    assert!(d.exposure.is_empty(), "{backend}");
    let d = s.host_detail_by_id(id, usize::MAX).unwrap().unwrap();
    assert_eq!((d.host.name.as_str(), d.host.patched_through.map(|m| m.to_string()).as_deref()), ("SRV-A", Some("2020-01")), "{backend}");
    }
}

on_each_backend! {
    fn plans_round_trip_and_follow_the_latest_ok_scan(backend, s) {
    let mut s = fleet(s);
    let id_of = |s: &Boxed, name: &str| s.host_detail(name, usize::MAX).unwrap().unwrap().host.host_id;
    let a = id_of(&s, "SRV-A");
    assert_eq!(s.plan_of(a).unwrap(), None, "{backend}: stored without a plan");
    let mut p1 = scan("SRV-A", "2026-04-01T12:00:00Z", "a3", 6003, "2020-02", &[], vec![]);
    p1.plan = Some(plan_json("SRV-A", "2020-02"));
    // Same plan text but for another host (the name differs): shared storage, own name back.
    let mut c = scan("SRV-C", "2026-04-01T12:00:00Z", "c1", 6003, "2020-02", &[], vec![]);
    c.plan = Some(plan_json("SRV-C", "2020-02"));
    // A plan with a failed scan is not stored.
    let mut f = failed("broken01", "2026-04-02T12:00:00Z");
    f.digest = "bad2".into();
    f.plan = Some("{}".into());
    assert_eq!(s.write_batch(&[p1, c, f]).unwrap().stored, 3);
    assert_eq!(s.plan_of(a).unwrap().as_deref(), Some(plan_json("SRV-A", "2020-02").as_str()), "{backend}");
    let c = id_of(&s, "srv-c");
    assert_eq!(s.plan_of(c).unwrap(), Some(plan_json("SRV-C", "2020-02")), "{backend}");
    assert_eq!(s.plan_of(id_of(&s, "broken01")).unwrap(), None, "{backend}");
    assert_eq!(s.plan_of(999_999).unwrap(), None, "{backend}");
    // A later failed scan keeps the plan of the latest ok scan; an older ok scan arriving late does not replace it.
    let mut old = scan("SRV-A", "2025-12-01T12:00:00Z", "a0", 6002, "2019-01", &[], vec![]);
    old.plan = Some(plan_json("SRV-A", "2019-01"));
    let mut later_failed = failed("SRV-A", "2026-05-01T12:00:00Z");
    later_failed.product_id = Some("92573-082-2500115-76417".into());
    later_failed.digest = "a-bad".into();
    s.write_batch(&[old, later_failed]).unwrap();
    assert_eq!(s.host_detail("SRV-A", usize::MAX).unwrap().unwrap().host.status, ScanStatus::Failed, "{backend}");
    assert_eq!(s.plan_of(a).unwrap(), Some(plan_json("SRV-A", "2020-02")), "{backend}");
    // A newer ok scan with a different plan replaces it; unicode and quotes survive.
    let text = "{\"host\":\"SRV-A\",\"note\":\"Neustart n\u{f6}tig \\\"jetzt\\\"\"}".to_string();
    let mut p2 = scan("SRV-A", "2026-06-01T12:00:00Z", "a4", 6003, "2020-03", &[], vec![]);
    p2.plan = Some(text.clone());
    s.write_batch(&[p2]).unwrap();
    assert_eq!(s.plan_of(a).unwrap(), Some(text), "{backend}");
    }
}

on_each_backend! {
    fn cve_hosts_are_the_latest_scans_with_it_open(backend, s) {
    let s = fleet(s);
    let names = |cve: &str| s.cve_hosts(cve_id(cve)).unwrap().into_iter().map(|h| h.name).collect::<Vec<_>>();
    assert_eq!(names("CVE-2020-0001"), ["SRV-A", "SRV-B"], "{backend}");
    assert_eq!(names("cve-2021-0002"), ["SRV-A"], "{backend}");
    assert!(names("CVE-2019-0708").is_empty(), "{backend}: closed in SRV-A's latest scan");
    assert!(names("CVE-1999-0001").is_empty(), "{backend}");
    let rows = s.cve_hosts(cve_id("CVE-2020-0001")).unwrap();
    assert_eq!((rows[0].open_cves, rows[0].kev_open, rows[1].open_cves), (Some(2), Some(1), Some(1)), "{backend}");
    }
}

on_each_backend! {
    fn fleet_cves_and_missing_count_latest_scans(backend, s) {
    let mut s = fleet(s);
    let mut c = scan(
        "SRV-C",
        "2026-03-12T12:00:00Z",
        "c1",
        6003,
        "2020-01",
        &[],
        vec![cve("CVE-2020-0001", false, false), cve("CVE-2019-0708", true, true)],
    );
    c.missing.push(MissingInput { kb: kb(4474419), title: None, kind: UpdateKind::Ssu });
    s.write_batch(&[c]).unwrap();
    let v: Vec<(String, bool, bool, u32)> =
        s.fleet_cves().unwrap().into_iter().map(|c| (c.cve.to_string(), c.kev, c.ransomware, c.hosts)).collect();
    assert_eq!(
        v,
        [
            ("CVE-2019-0708".into(), true, true, 1),
            ("CVE-2021-0002".into(), true, false, 1),
            ("CVE-2020-0001".into(), false, false, 3),
        ],
        "{backend}"
    );
    let m: Vec<(Kb, &str, u32)> =
        s.fleet_missing().unwrap().into_iter().map(|m| (m.kb, m.kind.as_str(), m.hosts)).collect();
    assert_eq!(m, [(kb(5034189), "monthly_rollup", 3), (kb(4474419), "ssu", 1)], "{backend}");
    let m = s.fleet_missing().unwrap();
    assert_eq!((m[0].title.as_deref(), m[1].title.as_deref()), (Some("2024-06 rollup"), None), "{backend}");
    }
}

on_each_backend! {
    fn scans_are_newest_first_with_limit_and_offset(backend, s) {
    let mut s = fleet(s);
    // Stored out of time order: the listing is by time, then by id.
    s.write_batch(&[scan("SRV-B", "2025-06-01T00:00:00Z", "b0", 6002, "2018-01", &[], vec![])]).unwrap();
    let all = s.scans(100, 0).unwrap();
    let times: Vec<String> = all.iter().map(|r| r.scanned_at.to_string()).collect();
    let got: Vec<(&str, &str)> = all.iter().zip(&times).map(|(r, t)| (r.host.as_str(), t.as_str())).collect();
    assert_eq!(
        got,
        [
            ("broken01", "2026-03-10T12:00:00Z"),
            ("SRV-A", "2026-03-10T12:00:00Z"),
            ("SRV-B", "2026-03-10T12:00:00Z"),
            ("SRV-A", "2026-01-10T12:00:00Z"),
            ("SRV-B", "2025-06-01T00:00:00Z"),
        ],
        "{backend}"
    );
    assert!(all.windows(2).all(|w| w[0].scanned_at > w[1].scanned_at || w[0].scan_id > w[1].scan_id));
    assert_eq!((all[0].status, all[0].error.as_deref()), (ScanStatus::Failed, Some("not a readable zip archive")));
    assert_eq!(
        (all[1].digest.as_str(), all[1].source.as_str(), all[1].open_cves, all[1].kev_open),
        ("a2", "/fleet/SRV-A", Some(2), Some(1))
    );
    let page: Vec<i64> = s.scans(2, 1).unwrap().iter().map(|r| r.scan_id).collect();
    assert_eq!(page, [all[1].scan_id, all[2].scan_id], "{backend}");
    assert_eq!(s.scans(10, 4).unwrap().len(), 1, "{backend}");
    assert!(s.scans(10, 5).unwrap().is_empty() && s.scans(0, 0).unwrap().is_empty(), "{backend}");
    }
}

#[test]
fn a_version_2_database_is_migrated_keeping_its_data() {
    let db = temp_db("v2");
    {
        let c = Connection::open(&db).unwrap();
        c.execute_batch(schema::V1).unwrap();
        c.execute_batch(schema::V2).unwrap();
        c.execute_batch(
            "PRAGMA user_version = 2;
             INSERT INTO hosts (id, name, product_id, first_seen) VALUES (1, 'OLD-02', '', '2025-01-01T00:00:00Z');
             INSERT INTO cves (id, cve, title, severity, kev, ransomware, exploit)
                 VALUES (1, 'CVE-2019-0708', 'RDP', 'critical', 1, 1, 1);
             INSERT INTO updates (kb, title, kind) VALUES (4474419, 'SSU', 'ssu');
             INSERT INTO cve_sets (id, digest, size) VALUES (1, 'x', 1);
             INSERT INTO cve_set_items (set_id, position, cve_id) VALUES (1, 0, 1);
             INSERT INTO scans (id, host_id, scanned_at, source, digest, status, build, patched_through,
                 missing, open_cves, kev_open, ransomware_open, cve_set_id)
                 VALUES (1, 1, '2025-01-01T00:00:00Z', 'old', 'd', 'ok', 6002, '2019-01', 1, 1, 1, 1, 1);
             INSERT INTO scan_missing (scan_id, position, kb) VALUES (1, 0, 4474419);
             INSERT INTO hosts (id, name, product_id, first_seen) VALUES (2, 'BROKEN-02', '', '2025-01-01T00:00:00Z');
             INSERT INTO scans (id, host_id, scanned_at, source, digest, status, error)
                 VALUES (2, 2, '2025-01-01T00:00:00Z', 'old', 'e', 'failed', 'not a zip');
             UPDATE hosts SET latest_scan_id = id;",
        )
        .unwrap();
    }
    let mut s = SqliteStore::open(&db).unwrap();
    assert_eq!(s.schema_version().unwrap(), schema::CURRENT);
    assert_eq!(s.integrity_check().unwrap(), "ok");
    // v6 rebuilt `scans`: every row and id kept, none with a saved input or a catalog.
    let targets = s.reassess_targets().unwrap();
    assert_eq!(
        targets.iter().map(|t| (t.host_id, t.scan_id, t.has_input, t.catalog.clone())).collect::<Vec<_>>(),
        [(1, 1, false, None), (2, 2, false, None)]
    );
    let d = s.host_detail("old-02", usize::MAX).unwrap().unwrap();
    assert!(d.host.file_problems.is_empty(), "v5 adds them: none recorded before");
    assert_eq!((d.host.name.as_str(), d.host.kev_open, d.host.ransomware_open), ("OLD-02", Some(1), Some(1)));
    // v9 counts the critical CVEs of the set each assessed scan stored (CVE-2019-0708 is critical).
    assert_eq!(d.host.critical_open, Some(1));
    // What v4 adds was not recorded before it: unknown, not 0 or false.
    assert_eq!((d.host.unknown_cves, d.host.counts_are_lower_bound), (None, None));
    // A failed scan of v2 holds 0 counts (the column default): read as not assessed.
    let broken = s.host_detail("broken-02", 0).unwrap().unwrap().host;
    assert_eq!((broken.missing, broken.open_cves, broken.kev_open, broken.ransomware_open), (None, None, None, None));
    assert_eq!(broken.critical_open, None);
    assert_eq!(d.exposure.iter().map(|c| c.cve.to_string()).collect::<Vec<_>>(), ["CVE-2019-0708"]);
    assert_eq!(d.missing.iter().map(|m| m.kb).collect::<Vec<_>>(), [kb(4474419)]);
    assert_eq!(s.plan_of(1).unwrap(), None, "scans of v2 have no plan");
    assert_eq!(s.scans(10, 0).unwrap().len(), 2, "both v2 scans");
    let mut next = scan("OLD-02", "2025-02-01T00:00:00Z", "d2", 6002, "2019-02", &[], vec![]);
    next.product_id = None;
    next.plan = Some(plan_json("OLD-02", "2019-02"));
    assert_eq!(s.write_batch(&[next]).unwrap().stored, 1);
    assert_eq!(s.plan_of(1).unwrap(), Some(plan_json("OLD-02", "2019-02")));
    let c = Connection::open(&db).unwrap();
    let n: i64 = c.query_row("SELECT count(*) FROM plans", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 1);
}

#[test]
fn identical_plans_are_stored_once_compressed() {
    let db = temp_db("plandedupe");
    let mut s = SqliteStore::open(&db).unwrap();
    let big = |host: &str| {
        let steps: Vec<String> =
            (0..200).map(|i| format!(r#"{{"step":{i},"host":"{host}","kb":"KB45{i:05}"}}"#)).collect();
        format!(r#"{{"host":"{host}","steps":[{}]}}"#, steps.join(","))
    };
    let inputs: Vec<ScanInput> = (0..20)
        .map(|i| {
            let name = format!("HOST-{i:02}");
            let mut x = scan(&name, "2026-01-01T00:00:00Z", &format!("d{i}"), 6003, "2020-01", &[], vec![]);
            x.plan = Some(big(&name));
            x
        })
        .collect();
    assert_eq!(s.write_batch(&inputs).unwrap().stored, 20);
    for i in [0, 19] {
        let name = format!("HOST-{i:02}");
        let id = s.host_detail(&name, usize::MAX).unwrap().unwrap().host.host_id;
        assert_eq!(s.plan_of(id).unwrap(), Some(big(&name)));
    }
    let c = Connection::open(&db).unwrap();
    let (n, size, stored): (i64, i64, i64) = c
        .query_row("SELECT count(*), sum(size), sum(length(body)) FROM plans", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    assert_eq!(n, 1, "one template for 20 hosts");
    assert!(stored * 5 < size, "compressed: {stored} of {size} bytes");
}

#[test]
fn plans_are_exported_with_their_scans() {
    let db = temp_db("planexport");
    let mut s = SqliteStore::open(&db).unwrap();
    let mut a = scan("SRV-A", "2026-01-01T00:00:00Z", "a1", 6003, "2020-01", &[], vec![]);
    a.plan = Some(plan_json("SRV-A", "2020-01"));
    let b = scan("SRV-B", "2026-01-01T00:00:00Z", "b1", 6003, "2020-01", &[], vec![]);
    s.write_batch(&[a.clone(), b]).unwrap();
    let out = s.export_scans(0, 10).unwrap();
    assert_eq!(out.len(), 2);
    assert_eq!(out[0].1, a);
    assert_eq!(out[1].1.plan, None);
}

#[test]
#[ignore = "PostgreSQL: set W2K8_TEST_PG to a server URL and run with --include-ignored"]
fn a_postgres_version_1_database_is_migrated_keeping_its_data() {
    let url = fresh_pg("pgv1").expect("W2K8_TEST_PG names no PostgreSQL server");
    {
        let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        c.batch_execute(w2k8_store::pg::PG_V1).unwrap();
        c.batch_execute(
            "CREATE TABLE w2k8_schema (version BIGINT NOT NULL); INSERT INTO w2k8_schema VALUES (1);
             INSERT INTO hosts (id, name, product_id, first_seen) VALUES (1, 'OLD-02', '', '2025-01-01T00:00:00Z');
             INSERT INTO cves (id, cve, title, severity, kev, ransomware, exploit)
                 VALUES (1, 'CVE-2019-0708', 'RDP', 'critical', true, true, true);
             INSERT INTO cve_sets (id, digest, size) VALUES (1, 'x', 1);
             INSERT INTO cve_set_items (set_id, position, cve_id) VALUES (1, 0, 1);
             INSERT INTO scans (id, host_id, scanned_at, source, digest, status, build, patched_through,
                 missing, open_cves, kev_open, ransomware_open, cve_set_id)
                 VALUES (1, 1, '2025-01-01T00:00:00Z', 'old', 'd', 'ok', 6002, '2019-01', 0, 1, 1, 1, 1);
             UPDATE hosts SET latest_scan_id = 1;
             SELECT setval(pg_get_serial_sequence(t, 'id'), 1) FROM unnest(array['hosts', 'cves', 'cve_sets', 'scans']) t;",
        )
        .unwrap();
    }
    let mut s = PgStore::open(&url).unwrap();
    assert_eq!(s.schema_version().unwrap(), w2k8_store::pg::PG_CURRENT);
    let targets = s.reassess_targets().unwrap();
    assert_eq!(
        targets.iter().map(|t| (t.host_id, t.scan_id, t.has_input, t.catalog.clone())).collect::<Vec<_>>(),
        [(1, 1, false, None)]
    );
    assert_eq!(w2k8_store::pg::PG_CURRENT, w2k8_store::pg::PG_MIGRATIONS.len() as i64);
    let d = s.host_detail("old-02", usize::MAX).unwrap().unwrap();
    assert_eq!((d.host.host_id, d.host.kev_open, d.host.critical_open), (1, Some(1), Some(1)));
    assert_eq!(d.exposure.iter().map(|c| c.cve.to_string()).collect::<Vec<_>>(), ["CVE-2019-0708"]);
    assert_eq!(s.plan_of(1).unwrap(), None);
    let mut next = scan("OLD-02", "2025-02-01T00:00:00Z", "d2", 6002, "2019-02", &[], vec![]);
    next.product_id = None;
    next.plan = Some(plan_json("OLD-02", "2019-02"));
    assert_eq!(s.write_batch(&[next]).unwrap().stored, 1);
    assert_eq!(s.plan_of(1).unwrap(), Some(plan_json("OLD-02", "2019-02")));
    assert_eq!(s.scans(10, 0).unwrap().iter().map(|r| r.digest.as_str()).collect::<Vec<_>>(), ["d2", "d"]);
}

on_each_backend! {
    fn critical_open_cves_are_counted_per_scan(backend, s) {
    let mut s = s;
    let important = |id: &str| CveInput::new(cve_id(id), &format!("title of {id}"), "important", false, false, false);
    let two = scan(
        "SRV-C",
        "2026-04-10T12:00:00Z",
        "c1",
        6003,
        "2020-01",
        &[],
        vec![cve("CVE-2020-0001", false, false), important("CVE-2020-0002"), cve("CVE-2020-0003", false, false)],
    );
    let none = scan("SRV-D", "2026-04-10T12:00:00Z", "d1", 6003, "2020-01", &[], vec![important("CVE-2020-0002")]);
    s.write_batch(&[two, none]).unwrap();
    let rows = s.hosts(&Filter::default()).unwrap();
    let got: Vec<(&str, Option<u32>)> = rows.iter().map(|h| (h.name.as_str(), h.critical_open)).collect();
    assert_eq!(got, [("SRV-C", Some(2)), ("SRV-D", Some(0))], "{backend}");
    }
}

on_each_backend! {
    fn a_rescan_with_the_same_cves_shows_only_its_new_kbs(backend, s) {
    let mut s = fleet(s);
    let again = scan(
        "SRV-B",
        "2026-04-10T12:00:00Z",
        "b2",
        6003,
        "2020-01",
        &[4534303, 4537810],
        vec![cve("CVE-2020-0001", false, false)],
    );
    s.write_batch(&[again]).unwrap();
    let h = s.history("SRV-B").unwrap().unwrap();
    assert_eq!(h.changes.len(), 1, "{backend}");
    let c = &h.changes[0];
    assert_eq!(c.installed, vec![kb(4537810)], "{backend}");
    assert!(c.opened.is_empty() && c.closed.is_empty() && c.build.is_none(), "{backend}");
    let d = s.diff(None).unwrap();
    assert_eq!((d.patched_hosts, d.newly_exposed, d.newly_closed), (2, 1, 1), "{backend}");
    }
}

on_each_backend! {
    fn the_same_input_judged_with_a_newer_catalog_is_a_new_scan_sharing_its_saved_input(backend, s) {
        let mut s = s;
        let mut first = scan("SRV-RA", "2025-01-01T00:00:00Z", "in1", 6003, "2024-06", &[5039339], vec![]);
        first.catalog = Some("msrc 2025-06-10, kev 2025.08.29".into());
        first.saved_input = Some(b"saved input bytes".to_vec());
        assert_eq!(s.write_batch(&[first.clone()]).unwrap().stored, 1, "{backend}");
        // The same input and catalog again: already stored.
        assert_eq!(s.write_batch(&[first.clone()]).unwrap().duplicates, 1, "{backend}");
        let t = s.reassess_targets().unwrap();
        assert_eq!(t.len(), 1);
        assert_eq!((t[0].has_input, t[0].catalog.as_deref()), (true, Some("msrc 2025-06-10, kev 2025.08.29")));
        assert_eq!(s.saved_inputs(&[t[0].scan_id, 999]).unwrap(), [(t[0].scan_id, b"saved input bytes".to_vec())]);
        // A re-assessment: same digest, newer catalog, a KEV CVE now open.
        let mut again = scan(
            "SRV-RA",
            "2025-02-01T00:00:00Z",
            "in1",
            6003,
            "2024-06",
            &[5039339],
            vec![cve("CVE-2025-0001", true, false)],
        );
        again.catalog = Some("msrc 2025-06-10, kev 2025.09.30".into());
        again.reassessed_from = Some(t[0].scan_id);
        assert_eq!(s.write_batch(&[again.clone()]).unwrap().stored, 1, "{backend}");
        assert_eq!(s.write_batch(&[again]).unwrap().duplicates, 1, "{backend}: idempotent");
        let t2 = s.reassess_targets().unwrap();
        assert_eq!(t2.len(), 1);
        assert_ne!(t2[0].scan_id, t[0].scan_id, "the re-assessment is the latest scan");
        assert!(t2[0].has_input, "it shares the saved input of the scan it re-judged");
        assert_eq!(s.saved_inputs(&[t2[0].scan_id]).unwrap(), [(t2[0].scan_id, b"saved input bytes".to_vec())]);
        let h = s.history("srv-ra").unwrap().unwrap();
        assert_eq!(h.scans.len(), 2);
        assert_eq!(h.scans[0].catalog.as_deref(), Some("msrc 2025-06-10, kev 2025.08.29"));
        assert_eq!(h.scans[0].reassessed_from, None);
        assert_eq!(h.scans[1].reassessed_from, Some(t[0].scan_id));
        assert_eq!(h.scans[1].digest, "in1");
        assert_eq!(h.changes.len(), 1);
        assert_eq!(h.changes[0].opened, ["CVE-2025-0001"]);
        assert_eq!(h.host.kev_open, Some(1));
    }
}

fn accept(target: &str, host: &str, until: &str) -> w2k8_store::NewAcceptance {
    w2k8_store::NewAcceptance {
        target: target.parse().unwrap(),
        host: host.into(),
        reason: format!("accepted {target}"),
        owner: Some("ops".into()),
        until: until.parse().unwrap(),
    }
}

on_each_backend! {
    fn acceptances_are_recorded_listed_removed_and_counted(backend, s) {
        let mut s = fleet(s);
        let day = |d: &str| d.parse::<w2k8_core::Date>().unwrap();
        // The change key `serve` caches by moves with every acceptance written, scans unchanged.
        let before = s.change_key().unwrap();
        assert_eq!(before, s.change_key().unwrap(), "{backend}: stable");
        let a = s.add_acceptance(&accept("cve-2020-0001", "srv-*", "2026-06-30")).unwrap();
        let after_add = s.change_key().unwrap();
        assert_ne!(before, after_add, "{backend}");
        let b = s.add_acceptance(&accept("KB5034189", "SRV-A", "2026-06-30")).unwrap();
        let c = s.add_acceptance(&accept("CVE-2021-0002", "*", "2026-01-31")).unwrap();
        assert_eq!((a.id, b.id, c.id), (1, 2, 3), "{backend}");
        assert_eq!(a.target.to_string(), "CVE-2020-0001");
        let listed = s.acceptances().unwrap();
        assert_eq!(
            listed.iter().map(|x| (x.id, x.target.to_string(), x.host.as_str(), x.until.to_string())).collect::<Vec<_>>(),
            [
                (1, "CVE-2020-0001".to_string(), "srv-*", "2026-06-30".to_string()),
                (2, "KB5034189".to_string(), "SRV-A", "2026-06-30".to_string()),
                (3, "CVE-2021-0002".to_string(), "*", "2026-01-31".to_string()),
            ],
            "{backend}"
        );
        assert_eq!(listed[0], a, "{backend}: what add answered is what is stored");
        // SRV-A's latest scan: CVE-2020-0001 (accepted), CVE-2021-0002 (its
        // acceptance ended 2026-01-31), KB5034189 missing (accepted).
        // SRV-B: CVE-2020-0001 open, KB5034189 missing (accepted for SRV-A only).
        // broken01 was not assessed: never counted.
        let counts = s.accepted_counts(day("2026-03-15")).unwrap();
        let mut got: Vec<_> = counts.iter().map(|(id, c)| (*id, c.cves, c.missing)).collect();
        got.sort();
        let id = |name: &str| s.find_host(name).unwrap().unwrap().host_id;
        let mut want = vec![(id("SRV-A"), 1, 1), (id("SRV-B"), 1, 0)];
        want.sort();
        assert_eq!(got, want, "{backend}");
        let before_end = s.accepted_counts(day("2026-01-31")).unwrap();
        assert_eq!(before_end.get(&id("SRV-A")).map(|c| (c.cves, c.missing)), Some((2, 1)), "{backend}: the last day holds");
        assert!(s.remove_acceptance(2).unwrap(), "{backend}");
        assert!(!s.remove_acceptance(2).unwrap(), "{backend}: already gone");
        assert_eq!(s.acceptances().unwrap().iter().map(|x| x.id).collect::<Vec<_>>(), [1, 3], "{backend}");
        let bad = s.add_acceptance(&w2k8_store::NewAcceptance { reason: " ".into(), ..accept("CVE-2020-0001", "*", "2026-01-01") });
        assert!(matches!(bad, Err(StoreError::Data(m)) if m.starts_with("expected a reason")), "{backend}");
        // The hosts keep their counts: accepted findings are counted beside them, not subtracted.
        assert_eq!(s.find_host("SRV-A").unwrap().unwrap().open_cves, Some(2), "{backend}");
    }
}

#[test]
fn a_version_6_database_gains_acceptances_keeping_its_scans() {
    let db = temp_db("v6");
    {
        let mut s = SqliteStore::open(&db).unwrap();
        s.write_batch(&[scan(
            "OLD-06",
            "2025-06-01T00:00:00Z",
            "d6",
            6003,
            "2025-05",
            &[4534303],
            vec![cve("CVE-2019-0708", true, true)],
        )])
        .unwrap();
    }
    {
        // As version 6 left it: no acceptances table.
        let c = Connection::open(&db).unwrap();
        c.execute_batch(
            "DROP TABLE acceptances; ALTER TABLE scans DROP COLUMN reachable_kev; \
             ALTER TABLE scans DROP COLUMN isolation; ALTER TABLE scans DROP COLUMN critical_open; \
             PRAGMA user_version = 6;",
        )
        .unwrap();
    }
    let mut s = SqliteStore::open(&db).unwrap();
    assert_eq!(s.schema_version().unwrap(), schema::CURRENT);
    assert_eq!(s.integrity_check().unwrap(), "ok");
    let h = s.find_host("old-06").unwrap().unwrap();
    assert_eq!(
        (h.open_cves, h.kev_open, h.missing, h.patched_through.map(|m| m.to_string()).as_deref()),
        (Some(1), Some(1), Some(1), Some("2025-05"))
    );
    assert!(s.acceptances().unwrap().is_empty());
    assert_eq!(s.add_acceptance(&accept("CVE-2019-0708", "old-*", "2030-01-01")).unwrap().id, 1);
    assert_eq!(s.accepted_counts("2026-01-01".parse().unwrap()).unwrap().get(&h.host_id).map(|c| c.cves), Some(1));
}

#[test]
#[ignore = "PostgreSQL: set W2K8_TEST_PG to a server URL and run with --include-ignored"]
fn a_postgres_version_5_database_gains_acceptances_keeping_its_scans() {
    let url = fresh_pg("pgv5").expect("W2K8_TEST_PG names no PostgreSQL server");
    {
        let mut s = PgStore::open(&url).unwrap();
        s.write_batch(&[scan(
            "OLD-05",
            "2025-06-01T00:00:00Z",
            "d5",
            6003,
            "2025-05",
            &[4534303],
            vec![cve("CVE-2019-0708", true, true)],
        )])
        .unwrap();
    }
    {
        let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        c.batch_execute(
            "DROP TABLE acceptances; ALTER TABLE scans DROP COLUMN reachable_kev, DROP COLUMN isolation, \
             DROP COLUMN critical_open; DELETE FROM w2k8_schema WHERE version > 5; INSERT INTO w2k8_schema VALUES (5);",
        )
        .unwrap();
    }
    let mut s = PgStore::open(&url).unwrap();
    assert_eq!(s.schema_version().unwrap(), w2k8_store::pg::PG_CURRENT);
    let h = s.find_host("old-05").unwrap().unwrap();
    assert_eq!((h.open_cves, h.kev_open, h.missing), (Some(1), Some(1), Some(1)));
    assert_eq!(s.add_acceptance(&accept("CVE-2019-0708", "*", "2030-01-01")).unwrap().id, 1);
    assert_eq!(s.acceptances().unwrap().len(), 1);
}

/// A host's isolation plan as `w2k8 scan` records it: `steps` as (id, KEV
/// CVEs, left out for a role).
fn isolation(steps: &[(&str, &[&str], bool)], not_judged: u32) -> w2k8_fleet::HostIsolation {
    w2k8_fleet::HostIsolation {
        steps: steps
            .iter()
            .map(|(id, kev, role)| w2k8_fleet::HostIsolationStep {
                id: id.to_string(),
                component: format!("{id} component"),
                effect: "removes".into(),
                kev: kev.iter().map(|c| cve_id(c)).collect(),
                other_cves: 0,
                restart: false,
                left_out_for_role: *role,
            })
            .collect(),
        not_judged,
        no_step_known: 0,
    }
}

on_each_backend! {
    fn reachable_kev_and_isolation_are_stored_and_added_up(backend, s) {
        let mut s = s;
        let spool = ["CVE-2021-34527", "CVE-2021-1675"];
        // Two hosts judged: one with the spooler reachable (two KEV CVEs), one
        // a print server whose spooler step is left out; one whose bundle
        // lacks the configuration files (unknown); one failed.
        let mut a = scan("SRV-A", "2026-03-01T00:00:00Z", "a", 6003, "2020-01", &[], vec![cve(spool[0], true, true), cve(spool[1], true, false)]);
        a.reachable_kev = Some(2);
        a.isolation = Some(isolation(&[("stop_spooler", &spool, false)], 0));
        let mut p = scan("SRV-PRINT", "2026-03-01T00:00:00Z", "p", 6003, "2020-01", &[], vec![cve(spool[0], true, true)]);
        p.reachable_kev = Some(1);
        p.isolation = Some(isolation(&[("stop_spooler", &spool[..1], true)], 0));
        let mut u = scan("SRV-U", "2026-03-01T00:00:00Z", "u", 6003, "2020-01", &[], vec![cve(spool[0], true, true)]);
        u.reachable_kev = None;
        u.isolation = Some(isolation(&[], 1));
        let mut f = failed("SRV-F", "2026-03-01T00:00:00Z");
        f.reachable_kev = Some(7); // whatever a failed scan's row holds is not a count
        assert_eq!(s.write_batch(&[a, p, u, f]).unwrap().stored, 4, "{backend}");
        let hosts = s.hosts(&Filter::default()).unwrap();
        let got: Vec<(&str, Option<u32>)> = hosts.iter().map(|h| (h.name.as_str(), h.reachable_kev)).collect();
        assert_eq!(got, [("SRV-A", Some(2)), ("SRV-F", None), ("SRV-PRINT", Some(1)), ("SRV-U", None)], "{backend}");
        let reachable = s.hosts(&Filter::parse(&["reachable_kev>0"]).unwrap()).unwrap();
        assert_eq!(reachable.iter().map(|h| h.name.as_str()).collect::<Vec<_>>(), ["SRV-A", "SRV-PRINT"], "{backend}");
        assert!(s.hosts(&Filter::parse(&["reachable_kev=0"]).unwrap()).unwrap().is_empty(), "unknown is never 0");
        assert_eq!(s.history("srv-a").unwrap().unwrap().scans[0].reachable_kev, Some(2), "{backend}");

        let cf = s.close_first().unwrap();
        assert_eq!((cf.hosts_judged, cf.hosts_not_judged, cf.hosts_not_recorded), (3, 1, 0), "{backend}");
        assert_eq!(cf.steps.len(), 1, "{backend}");
        let st = &cf.steps[0];
        assert_eq!((st.id.as_str(), st.hosts, st.kev_pairs), ("stop_spooler", 1, 2), "{backend}");
        assert_eq!(st.kev_cves, ["CVE-2021-1675", "CVE-2021-34527"], "{backend}");
        assert_eq!((st.left_out_for_role, st.left_out_kev_pairs, st.left_out_hosts.clone()), (1, 1, vec!["SRV-PRINT".to_string()]));

        let r = s.fleet_report("test", "2026-03-02T00:00:00Z".parse().unwrap(), 5).unwrap();
        assert_eq!(r.close_first, cf, "{backend}");
        assert_eq!((r.totals.reachable_kev_hosts, r.totals.reachable_kev_unknown_hosts), (2, 1), "{backend}");
        // Accepted counts are marked beside the counts on the report's day.
        assert!(r.hosts.iter().all(|h| h.accepted == (h.status == ScanStatus::Ok).then(Default::default)), "{backend}");
        s.add_acceptance(&accept(spool[0], "srv-a", "2026-12-31")).unwrap();
        let r = s.fleet_report("test", "2026-03-02T00:00:00Z".parse().unwrap(), 5).unwrap();
        let a = r.hosts.iter().find(|h| h.name == "SRV-A").unwrap();
        assert_eq!((a.accepted.map(|c| c.cves), a.open_cves), (Some(1), Some(2)), "{backend}: beside, not subtracted");
        let f = r.hosts.iter().find(|h| h.name == "SRV-F").unwrap();
        assert_eq!(f.accepted, None, "{backend}: a failed scan has no counts");
    }
}

on_each_backend! {
    fn a_scan_stored_without_reachability_is_filled_in_place(backend, s) {
        let mut s = s;
        // As a scan stored before w2k8 recorded reachability reads back.
        let mut old = scan("SRV-OLD", "2026-03-01T00:00:00Z", "o", 6003, "2020-01", &[], vec![cve("CVE-2021-34527", true, true)]);
        old.catalog = Some("msrc 1".into());
        old.saved_input = Some(b"input".to_vec());
        assert_eq!(s.write_batch(&[old.clone()]).unwrap().stored, 1);
        let t = s.reassess_targets().unwrap();
        assert!(!t[0].reach_recorded, "{backend}");
        assert_eq!(s.close_first().unwrap().hosts_not_recorded, 1, "{backend}");
        // The same input judged with the same catalog: filled, not a new scan.
        let mut again = old.clone();
        again.scanned_at = "2026-04-01T00:00:00Z".parse().unwrap();
        again.reachable_kev = Some(1);
        again.isolation = Some(isolation(&[("stop_spooler", &["CVE-2021-34527"], false)], 0));
        let o = s.write_batch(&[again.clone()]).unwrap();
        assert_eq!((o.stored, o.duplicates, o.filled), (0, 0, 1), "{backend}");
        assert_eq!(s.scan_count().unwrap(), 1, "{backend}");
        assert_eq!(s.find_host("srv-old").unwrap().unwrap().reachable_kev, Some(1), "{backend}");
        assert!(s.reassess_targets().unwrap()[0].reach_recorded, "{backend}");
        assert_eq!(s.close_first().unwrap().steps[0].kev_pairs, 1, "{backend}");
        // Once recorded, never overwritten: a duplicate again.
        again.reachable_kev = Some(5);
        let o = s.write_batch(&[again]).unwrap();
        assert_eq!((o.stored, o.duplicates, o.filled), (0, 1, 0), "{backend}");
        assert_eq!(s.find_host("srv-old").unwrap().unwrap().reachable_kev, Some(1), "{backend}");
    }
}

#[test]
fn a_version_7_database_gains_reachability_keeping_its_rows() {
    let db = temp_db("v7");
    {
        let mut s = SqliteStore::open(&db).unwrap();
        let mut a = scan(
            "OLD-07",
            "2025-06-01T00:00:00Z",
            "d7",
            6003,
            "2025-05",
            &[4534303],
            vec![cve("CVE-2019-0708", true, true)],
        );
        a.reachable_kev = Some(1);
        a.isolation = Some(isolation(&[], 0));
        s.write_batch(&[a]).unwrap();
        s.add_acceptance(&accept("CVE-2019-0708", "old-*", "2030-01-01")).unwrap();
    }
    {
        // As version 7 left it: no reachability columns.
        let c = Connection::open(&db).unwrap();
        c.execute_batch(
            "ALTER TABLE scans DROP COLUMN reachable_kev; ALTER TABLE scans DROP COLUMN isolation; \
             ALTER TABLE scans DROP COLUMN critical_open; PRAGMA user_version = 7;",
        )
        .unwrap();
    }
    let s = SqliteStore::open(&db).unwrap();
    assert_eq!(s.schema_version().unwrap(), schema::CURRENT);
    assert_eq!(s.integrity_check().unwrap(), "ok");
    let h = s.find_host("old-07").unwrap().unwrap();
    assert_eq!((h.open_cves, h.kev_open, h.missing), (Some(1), Some(1), Some(1)));
    assert_eq!(h.critical_open, Some(1), "version 9 counts it from the stored CVE set");
    assert_eq!(h.reachable_kev, None, "not recorded: unknown, never 0");
    assert!(!s.reassess_targets().unwrap()[0].reach_recorded);
    assert_eq!(s.acceptances().unwrap().len(), 1, "the accepted risks are kept");
    let cf = s.close_first().unwrap();
    assert_eq!((cf.hosts_judged, cf.hosts_not_recorded, cf.steps.len()), (0, 1, 0));
}

#[test]
#[ignore = "PostgreSQL: set W2K8_TEST_PG to a server URL and run with --include-ignored"]
fn a_postgres_version_6_database_gains_reachability_keeping_its_rows() {
    let url = fresh_pg("pgv6").expect("W2K8_TEST_PG names no PostgreSQL server");
    {
        let mut s = PgStore::open(&url).unwrap();
        let mut a = scan(
            "OLD-06",
            "2025-06-01T00:00:00Z",
            "d6",
            6003,
            "2025-05",
            &[4534303],
            vec![cve("CVE-2019-0708", true, true)],
        );
        a.reachable_kev = Some(1);
        a.isolation = Some(isolation(&[], 0));
        s.write_batch(&[a]).unwrap();
        s.add_acceptance(&accept("CVE-2019-0708", "old-*", "2030-01-01")).unwrap();
    }
    {
        let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        c.batch_execute(
            "ALTER TABLE scans DROP COLUMN reachable_kev, DROP COLUMN isolation, DROP COLUMN critical_open; \
             DELETE FROM w2k8_schema; INSERT INTO w2k8_schema VALUES (6);",
        )
        .unwrap();
    }
    let s = PgStore::open(&url).unwrap();
    assert_eq!(s.schema_version().unwrap(), w2k8_store::pg::PG_CURRENT);
    let h = s.find_host("old-06").unwrap().unwrap();
    assert_eq!((h.open_cves, h.kev_open, h.missing), (Some(1), Some(1), Some(1)));
    assert_eq!(h.critical_open, Some(1), "version 8 counts it from the stored CVE set");
    assert_eq!(h.reachable_kev, None, "not recorded: unknown, never 0");
    assert!(!s.reassess_targets().unwrap()[0].reach_recorded);
    assert_eq!(s.acceptances().unwrap().len(), 1);
    assert_eq!(s.close_first().unwrap().hosts_not_recorded, 1);
}

/// A CVE id as a person types it (any case).
fn cve_id(text: &str) -> w2k8_core::CveId {
    text.parse().unwrap()
}

/// `schema::TABLES` as sorted column lists, by table.
fn described() -> std::collections::BTreeMap<String, Vec<String>> {
    schema::TABLES
        .iter()
        .map(|(t, cols)| {
            let mut cols: Vec<String> = cols.iter().map(|c| c.to_string()).collect();
            cols.sort();
            (t.to_string(), cols)
        })
        .collect()
}

/// A new SQLite database, migrated to the current version, holds exactly
/// the tables and columns `schema::TABLES` describes.
#[test]
fn sqlite_schema_is_the_described_one() {
    let path = temp_db("described_sqlite");
    drop(open_store(path.to_str().unwrap()).unwrap());
    let c = Connection::open(&path).unwrap();
    let tables: Vec<String> = c
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut got = std::collections::BTreeMap::new();
    for t in tables {
        let mut cols: Vec<String> = c
            .prepare(&format!("SELECT name FROM pragma_table_info('{t}')"))
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        cols.sort();
        got.insert(t, cols);
    }
    assert_eq!(got, described());
}

/// A new PostgreSQL schema, migrated to the current version, holds exactly
/// the tables and columns `schema::TABLES` describes (besides its version
/// table).
#[test]
#[ignore = "PostgreSQL: set W2K8_TEST_PG to a server URL and run with --include-ignored"]
fn postgres_schema_is_the_described_one() {
    let url = fresh_pg("described").expect("W2K8_TEST_PG names no PostgreSQL server");
    drop(open_store(&url).unwrap());
    let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let rows = c
        .query(
            "SELECT table_name::text, column_name::text FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name <> 'w2k8_schema'",
            &[],
        )
        .unwrap();
    let mut got: std::collections::BTreeMap<String, Vec<String>> = std::collections::BTreeMap::new();
    for r in rows {
        got.entry(r.get(0)).or_default().push(r.get(1));
    }
    got.values_mut().for_each(|cols| cols.sort());
    assert_eq!(got, described());
}
