//! `w2k8 report`: the real binary renders a saved fleet report
//! (`--from-json`, the writers' snapshots in crates/report/tests/fixtures/fleet/)
//! and a real fleet database (`demo-fleet`, then `scan`, then `report`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::too_many_lines)]
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use w2k8_fleet::FleetReport;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixture(name: &str) -> PathBuf {
    root().join("crates/report/tests/fixtures/fleet").join(name)
}

fn w2k8(args: &[&str]) -> Output {
    let data = std::env::temp_dir().join(format!("w2k8-fleet-report-{}-no-overlay", std::process::id()));
    Command::new(env!("CARGO_BIN_EXE_w2k8"))
        .args(args)
        .current_dir(root())
        .env("W2K8_DATA_DIR", data)
        .env_remove("W2K8_DB")
        .output()
        .unwrap()
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("w2k8-fleet-report-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn renders_a_saved_report_in_every_format() {
    let json = fixture("report.json");
    let json = json.to_str().unwrap();
    for (format, expected) in [("json", "expected.json"), ("csv", "expected.csv"), ("sarif", "expected.sarif")] {
        let out = w2k8(&["report", "--from-json", json, "--format", format]);
        assert_eq!(out.status.code(), Some(0), "{format}: {}", String::from_utf8_lossy(&out.stderr));
        let want = std::fs::read_to_string(fixture(expected)).unwrap();
        if format == "json" {
            // The command adds the version keys before the report's own fields (issue 19).
            let mut got: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            assert_eq!(got["schema_version"], 2);
            let m = got.as_object_mut().unwrap();
            m.remove("schema_version");
            m.remove("w2k8_version");
            let want: serde_json::Value = serde_json::from_str(&want).unwrap();
            assert!(got == want, "json differs from {expected}");
        } else {
            assert!(String::from_utf8(out.stdout).unwrap() == want, "{format} differs from {expected}");
        }
    }
    // HTML is the default format; --out writes the file and nothing to stdout.
    let dir = temp("html");
    let file = dir.join("fleet.html");
    let out = w2k8(&["report", "--from-json", json, "--out", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stdout.is_empty());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), std::fs::read_to_string(fixture("expected.html")).unwrap());
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn detail_cves_cuts_each_host_detail() {
    let json = fixture("report.json");
    let out = w2k8(&["report", "--from-json", json.to_str().unwrap(), "--format", "json", "--detail-cves", "1"]);
    assert_eq!(out.status.code(), Some(0));
    let r: FleetReport = serde_json::from_slice(&out.stdout).unwrap();
    let lens: Vec<usize> = r.details.iter().map(|d| d.exposure.len()).collect();
    assert_eq!(lens, [0, 1, 1, 1, 1]);
    let out = w2k8(&["report", "--from-json", json.to_str().unwrap(), "--detail-cves", "1"]);
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(html.contains("Riskiest open CVEs (1 of 3)"));
    assert!(html.contains("on the host's bundle lists them all"), "the legend says where the rest are");
}

#[test]
fn bad_input_exits_2() {
    let out = w2k8(&["report", "--db", "no/such/fleet.db"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no/such/fleet.db: no such fleet database"));
    let out = w2k8(&["report", "--from-json", "README.md"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("README.md:1: expected a fleet report"));
    // One input, and only one.
    assert_eq!(w2k8(&["report"]).status.code(), Some(2));
    let json = fixture("report.json");
    assert_eq!(w2k8(&["report", "--db", "x.db", "--from-json", json.to_str().unwrap()]).status.code(), Some(2));
}

#[test]
fn reports_a_scanned_fleet() {
    let dir = temp("scanned");
    let bundles = dir.join("bundles");
    let db = dir.join("fleet.db");
    let (bundles_s, db_s) = (bundles.to_str().unwrap(), db.to_str().unwrap());
    let out = w2k8(&["demo-fleet", "20", "--out", bundles_s, "--broken-percent", "10"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let _ = w2k8(&["scan", bundles_s, "--db", db_s, "--as-of", "2026-11-01"]);
    assert!(db.is_file());

    let out = w2k8(&["report", "--db", db_s, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let r: FleetReport = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r.totals.hosts, 20);
    assert_eq!(r.hosts.len(), 20);
    assert_eq!(r.totals.ok + r.totals.failed + r.totals.unsupported, 20);
    assert!(r.totals.failed >= 1, "demo-fleet broke some bundles");
    assert!(r.details.iter().all(|d| d.exposure.len() <= 10), "--detail-cves defaults to 10");

    let out = w2k8(&["report", "--db", db_s, "--format", "csv"]);
    let csv = String::from_utf8(out.stdout).unwrap();
    assert_eq!(csv.split("\r\n").filter(|l| !l.is_empty()).count(), 21);

    let out = w2k8(&["report", "--db", db_s, "--format", "sarif"]);
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    // Every open KEV CVE of every host, however many --detail-cves keeps for HTML.
    let kev_pairs: usize = r.hosts.iter().filter_map(|h| h.kev_open).map(|n| n as usize).sum();
    assert!(
        r.hosts.iter().any(|h| h.kev_open > Some(10)),
        "the demo fleet has a host with more KEV CVEs than the detail keeps"
    );
    let missing: usize = r.details.iter().map(|d| d.missing.len()).sum();
    let not_ok = r.hosts.iter().filter(|h| h.status != w2k8_fleet::ScanStatus::Ok).count();
    assert_eq!(results.len(), kev_pairs + missing + not_ok);

    let out = w2k8(&["report", "--db", db_s]);
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert_eq!(html.matches("<tr data-host-id=").count(), 20);
    let _ = std::fs::remove_dir_all(dir);
}
