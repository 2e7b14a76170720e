//! `w2k8 scan` end to end on generated fleets: broken bundles never stop the
//! others (exit code 4), a `kill -9` mid-scan loses and duplicates nothing,
//! and the query commands read what was stored.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::too_many_lines)]
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};
use w2k8_store::{Filter, SqliteStore, Store};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_w2k8"))
}

fn temp(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("w2k8-fleet-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn demo(n: usize, out: &Path, seed: u64, broken: &str) {
    let o = bin()
        .args(["demo-fleet", &n.to_string(), "--out"])
        .arg(out)
        .args(["--seed", &seed.to_string(), "--broken-percent", broken])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

fn scan(paths: &[&Path], db: &Path) -> Output {
    let mut c = bin();
    c.arg("scan");
    for p in paths {
        c.arg(p);
    }
    c.arg("--db").arg(db).output().unwrap()
}

#[test]
fn one_percent_broken_of_a_thousand() {
    let dir = temp("reliability");
    let fleet = dir.join("fleet");
    let db = dir.join("fleet.db");
    demo(1000, &fleet, 3, "1");
    let o = scan(&[&fleet], &db);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(4), "{out}");
    let failed: Vec<&str> = out.lines().filter(|l| l.starts_with("  failed ")).collect();
    let unsupported = out.lines().filter(|l| l.starts_with("  unsupported ")).count();
    assert_eq!(failed.len(), 10, "{out}");
    assert!(failed.iter().all(|l| l.contains(": ")), "each failure has its error: {out}");
    let first = out.lines().next().unwrap();
    let ok = 1000 - 10 - unsupported;
    assert!(first.contains(&format!("{ok} ok, 10 failed, {unsupported} unsupported; 1000 scans stored")), "{first}");
    let store = SqliteStore::open(&db).unwrap();
    let rows = store.hosts(&Filter::default()).unwrap();
    assert_eq!(rows.len(), 1000);
    assert_eq!(store.hosts(&Filter::parse(&["status=ok"]).unwrap()).unwrap().len(), ok);
    let bad = store.hosts(&Filter::parse(&["status=failed"]).unwrap()).unwrap();
    assert_eq!(bad.len(), 10);
    assert!(bad.iter().all(|r| r.error.as_deref().is_some_and(|e| !e.is_empty())));
    // The same inputs again: nothing new.
    let o = scan(&[&fleet], &db);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.lines().next().unwrap().contains("0 scans stored, 1000 already in the database"), "{out}");
    assert_eq!(store.scan_count().unwrap(), 1000);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn kill_9_mid_scan_then_rescan() {
    let dir = temp("kill");
    let fleet = dir.join("fleet");
    let db = dir.join("fleet.db");
    let n = 400u64;
    demo(n as usize, &fleet, 5, "0");
    let mut child = bin()
        .arg("scan")
        .arg(&fleet)
        .arg("--db")
        .arg(&db)
        .args(["--batch", "10", "--jobs", "1"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let mut committed = 0;
    while start.elapsed() < Duration::from_secs(60) {
        if db.exists() {
            if let Ok(s) = SqliteStore::open(&db) {
                committed = s.scan_count().unwrap_or(0);
                if committed >= 30 {
                    break;
                }
            }
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL on Unix
    let _ = child.wait();
    let store = SqliteStore::open(&db).unwrap();
    assert_eq!(store.integrity_check().unwrap(), "ok");
    let after_kill = store.scan_count().unwrap();
    assert!(after_kill >= committed, "a committed batch was lost: {after_kill} < {committed}");
    eprintln!("killed after {after_kill} of {n} scans were committed");
    let before: Vec<String> = store.hosts(&Filter::default()).unwrap().into_iter().map(|r| r.name).collect();

    let o = scan(&[&fleet], &db);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(matches!(o.status.code(), Some(0) | Some(4)), "{out}");
    let first = out.lines().next().unwrap();
    assert!(
        first.contains(&format!("{} scans stored, {after_kill} already in the database", n - after_kill)),
        "{first}"
    );
    assert_eq!(store.integrity_check().unwrap(), "ok");
    assert_eq!(store.scan_count().unwrap(), n);
    let after: Vec<String> = store.hosts(&Filter::default()).unwrap().into_iter().map(|r| r.name).collect();
    assert_eq!(after.len(), n as usize);
    assert!(before.iter().all(|b| after.contains(b)), "a committed host was lost");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn query_commands_read_the_store() {
    let dir = temp("query");
    let db = dir.join("fleet.db");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let o = bin()
        .arg("scan")
        .arg(root.join("srv-file01"))
        .args(["--as-of", "2026-01-15"])
        .env("W2K8_DB", &db)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let o = bin().args(["hosts", "--format", "csv", "--filter", "build=6003", "--db"]).arg(&db).output().unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(lines[1].starts_with("SRV-FILE01,ok,6003,x64,full,Standard,"), "{out}");
    assert!(lines[1].contains(",2026-01-15T12:00:00Z,"), "{out}");
    let o = bin().args(["history", "srv-file01", "--format", "json", "--db"]).arg(&db).output().unwrap();
    let h: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(h["host"]["name"], "SRV-FILE01");
    assert_eq!(h["host"]["product_id"], "92573-082-2500115-76417");
    assert_eq!(h["scans"].as_array().map(Vec::len), Some(1));
    let o = bin().args(["diff", "--format", "json", "--db"]).arg(&db).output().unwrap();
    let d: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(d["new_hosts"], serde_json::json!(["SRV-FILE01"]));
    let o = bin().args(["history", "NOBODY", "--db"]).arg(&db).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let o = bin().args(["hosts", "--filter", "colour=red", "--db"]).arg(&db).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Issue 18, item 6: a junk bundle named after a server (scanned later, no
/// product ID) no longer hides it from `history NAME`: the name lists both
/// hosts with their ids and exits 2; `--id` picks one.
#[test]
fn history_of_a_shared_name_lists_the_hosts_and_exits_2() {
    let dir = temp("same-name");
    let db = dir.join("fleet.db");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let o = bin()
        .arg("scan")
        .arg(root.join("srv-file01"))
        .args(["--as-of", "2026-01-15", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let junk = dir.join("srv-file01.zip");
    std::fs::write(&junk, b"not a zip at all").unwrap();
    let o = bin().arg("scan").arg(&junk).args(["--as-of", "2026-01-16", "--db"]).arg(&db).output().unwrap();
    assert_eq!(o.status.code(), Some(4), "{}", String::from_utf8_lossy(&o.stderr));
    let o = bin().args(["history", "srv-file01", "--db"]).arg(&db).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(o.stdout.is_empty(), "{}", String::from_utf8_lossy(&o.stdout));
    assert!(err.contains("2 hosts are named srv-file01 (ignoring case); pick one with --id:"), "{err}");
    assert!(err.contains("--id 1  SRV-FILE01  product ID 92573-082-2500115-76417  last scan "), "{err}");
    assert!(err.contains("--id 2  srv-file01  product ID none  last scan ") && err.contains("  failed"), "{err}");
    let json = |args: &[&str]| {
        let o = bin().args(["history", "--format", "json", "--db"]).arg(&db).args(args).output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
        serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap()
    };
    let h = json(&["--id", "1"]);
    assert_eq!((h["host"]["name"].as_str(), h["scans"][0]["status"].as_str()), (Some("SRV-FILE01"), Some("ok")));
    let h = json(&["--id", "2"]);
    assert_eq!((h["host"]["name"].as_str(), h["host"]["status"].as_str()), (Some("srv-file01"), Some("failed")));
    let e = json(&["--id", "1", "--cve", "CVE-2019-0708"]);
    assert_eq!(e["host"], "SRV-FILE01", "{e}");
    let o = bin().args(["history", "--id", "99", "--db"]).arg(&db).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no host with id 99"));
    let o = bin().args(["history", "SRV-FILE01", "--id", "1", "--db"]).arg(&db).output().unwrap();
    assert_eq!(o.status.code(), Some(2), "a name and an id at once is refused");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A host name that a spreadsheet would run as a formula is written defused
/// in `hosts --format csv`, as in `report --format csv` (CRLF, RFC 4180).
#[test]
fn hosts_csv_defuses_formulas() {
    let dir = temp("formula");
    let db = dir.join("fleet.db");
    let bundle = dir.join("evil");
    std::fs::create_dir_all(&bundle).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/srv-file01");
    let text = std::fs::read(root.join("systeminfo.txt")).unwrap();
    let evil = String::from_utf8_lossy(&text).replacen("SRV-FILE01", "=1+1", 1);
    std::fs::write(bundle.join("systeminfo.txt"), evil.as_bytes()).unwrap();
    let o = scan(&[&bundle], &db);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let o = bin().args(["hosts", "--format", "csv", "--db"]).arg(&db).output().unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("\r\n'=1+1,ok,6003,"), "{out}");
    assert!(!out.contains("\n=1+1"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Every file under `dir` with its bytes, sorted.
fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn demo_fleet_rounds_give_history_and_are_deterministic() {
    let dir = temp("rounds");
    let fleet = dir.join("fleet");
    let db = dir.join("fleet.db");
    let o = bin().args(["demo-fleet", "20", "--seed", "9", "--scans", "3", "--out"]).arg(&fleet).output().unwrap();
    assert!(o.status.success());
    let again = dir.join("again");
    let o = bin().args(["demo-fleet", "20", "--seed", "9", "--scans", "3", "--out"]).arg(&again).output().unwrap();
    assert!(o.status.success());
    assert!(tree(&fleet) == tree(&again), "the same seed writes the same bytes");
    let mut rounds: Vec<PathBuf> = std::fs::read_dir(&fleet).unwrap().map(|e| e.unwrap().path()).collect();
    rounds.sort();
    assert_eq!(rounds.len(), 3);
    for r in &rounds {
        let date = r.file_name().unwrap().to_str().unwrap().to_string();
        let o = bin().arg("scan").arg(r).args(["--as-of", &date, "--db"]).arg(&db).output().unwrap();
        assert!(matches!(o.status.code(), Some(0) | Some(4)), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let o = bin().args(["diff", "--format", "json", "--db"]).arg(&db).output().unwrap();
    let d: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(d["patched_hosts"].as_u64().unwrap() > 0, "{d}");
    assert!(d["newly_closed"].as_u64().unwrap() > 0, "{d}");
    let store = SqliteStore::open(&db).unwrap();
    let r = store.fleet_report("test", "2026-01-01T00:00:00Z".parse().unwrap(), 10).unwrap();
    assert_eq!(r.history.len(), 3, "one exposure point per scan day");
    assert!(r.history[0].open_cves > r.history[2].open_cves);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Truth (issue 15): a host that was not assessed is never shown as clean,
/// and a host read from partial evidence shows its counts as lower bounds,
/// in the store, `hosts` (JSON, CSV, text) and the report (CSV, HTML).
#[test]
fn unassessed_and_partial_hosts_are_never_clean() {
    let dir = temp("unassessed");
    let db = dir.join("fleet.db");
    let truth = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/truth");
    let broken = dir.join("broken.zip");
    std::fs::write(&broken, b"this is not a zip archive").unwrap();
    let partial = truth.join("12-hotfix-na-build-6003");
    let unsupported = truth.join("35-refused-windows-7");
    let o = bin()
        .arg("scan")
        .args([&partial, &unsupported, &broken])
        .args(["--as-of", "2026-01-15", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(4), "some bundles not assessed: {}", String::from_utf8_lossy(&o.stderr));

    let o = bin().args(["hosts", "--format", "json", "--db"]).arg(&db).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let rows = v["hosts"].as_array().unwrap();
    assert_eq!(rows.len(), 3, "{v}");
    for r in rows {
        let counts = [&r["missing"], &r["open_cves"], &r["kev_open"], &r["ransomware_open"]];
        if r["status"] == "ok" {
            // Hotfix(s): N/A, build 6003: the counts are lower bounds, and some CVEs are unknown.
            assert!(counts.iter().all(|c| c.is_u64()), "{r}");
            assert_eq!(r["counts_are_lower_bound"], true, "{r}");
            assert_eq!(r["patched_through"], serde_json::Value::Null, "{r}");
            assert_eq!(r["patched_through_at_least"], "2019-03", "{r}");
            assert!(r["unknown_cves"].as_u64().unwrap() > 0, "{r}");
        } else {
            assert!(counts.iter().all(|c| c.is_null()), "not assessed, never 0: {r}");
            assert_eq!(r["counts_are_lower_bound"], serde_json::Value::Null, "{r}");
        }
    }
    let statuses: Vec<&str> = rows.iter().map(|r| r["status"].as_str().unwrap()).collect();
    assert!(statuses.contains(&"failed") && statuses.contains(&"unsupported"), "{statuses:?}");

    let o = bin().args(["hosts", "--format", "csv", "--db"]).arg(&db).output().unwrap();
    let csv = String::from_utf8_lossy(&o.stdout);
    let failed = csv.lines().find(|l| l.starts_with("broken,failed,")).expect("the failed host");
    // host,status,build,arch,install,edition,patched_through then the four empty counts.
    assert!(failed.starts_with("broken,failed,,,,,,,,,,"), "{failed}");
    let o = bin().args(["hosts", "--db"]).arg(&db).output().unwrap();
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains(">=2019-03"), "{text}");
    assert!(text.lines().any(|l| l.starts_with("broken ") && l.contains(" - ")), "{text}");

    let o = bin().args(["report", "--format", "html", "--db"]).arg(&db).output().unwrap();
    let html = String::from_utf8_lossy(&o.stdout);
    assert!(html.contains("not assessed"), "the failed host is said to be not assessed");
    assert!(html.contains("counts are lower bounds"), "the partial host's counts are lower bounds");
    // With hosts not assessed, "no host with a KEV CVE" is not shown green.
    assert!(html.contains(r#"<div class="total " id="total-kev">"#), "neutral KEV card");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A fleet folder with a stray file at its top is scanned as its hosts, the
/// stray file named as a warning (issue 18); a host with a FIFO in its folder
/// is assessed, the FIFO named, and the scan still ends with its summary.
#[cfg(unix)]
#[test]
fn stray_files_and_fifos_are_named_in_the_summary() {
    let dir = temp("stray");
    let fleet = dir.join("fleet");
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    for (host, from) in [("a", "srv-file01"), ("b", "srv-legacy01")] {
        std::fs::create_dir_all(fleet.join(host)).unwrap();
        for e in std::fs::read_dir(examples.join(from)).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), fleet.join(host).join(e.file_name())).unwrap();
        }
    }
    std::fs::write(fleet.join("notes.txt"), b"DMZ hosts\r\n").unwrap();
    assert!(Command::new("mkfifo").arg(fleet.join("b/pipe.txt")).status().unwrap().success());
    let mut child = bin()
        .arg("scan")
        .arg(&fleet)
        .arg("--db")
        .arg(dir.join("fleet.db"))
        .args(["--as-of", "2026-01-15"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("scan did not end within 60 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let o = child.wait_with_output().unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(4), "{out}");
    assert!(out.starts_with("scanned 2 bundles in "), "{out}");
    assert!(out.contains(": 2 ok, 0 failed, 0 unsupported; 2 scans stored"), "{out}");
    assert!(out.contains("/b: files not read: pipe.txt: a FIFO (named pipe)"), "{out}");
    assert!(out.contains("  warning ") && out.contains("notes.txt: not a host bundle"), "{out}");
    // The files left out are stored as a list of their own (issue 18, item 3).
    let o = bin().args(["hosts", "--format", "json", "--db"]).arg(dir.join("fleet.db")).output().unwrap();
    let rows: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let legacy = rows["hosts"].as_array().unwrap().iter().find(|r| r["name"] == "SRV-LEGACY01").unwrap();
    assert_eq!(legacy["file_problems"][0]["file"], "pipe.txt", "{legacy}");
    assert!(legacy["file_problems"][0]["problem"].as_str().unwrap().contains("FIFO"), "{legacy}");
    assert_eq!(legacy["file_problems"].as_array().unwrap().len(), 1, "{legacy}");
    let file01 = rows["hosts"].as_array().unwrap().iter().find(|r| r["name"] == "SRV-FILE01").unwrap();
    assert!(file01.get("file_problems").is_none(), "{file01}");
    let _ = std::fs::remove_dir_all(&dir);
}
