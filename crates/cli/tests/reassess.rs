//! Re-assessment (issue 19): `w2k8 scan --reassess` and `w2k8 catalog
//! import --db` judge the stored hosts again with newer data, from the input
//! each scan kept, and store the new answers as history; importing the same
//! file again is "already current" (exit 0). Runs the real binary on the
//! shipped examples, with a scratch data directory and database.
//!
//! TEST DATA: the KEV file imported here is the shipped `data/kev/kev-microsoft.csv`
//! plus one row made up for these tests, marked `TEST-ONLY fictitious entry`,
//! putting CVE-2023-20569 (open on `examples/srv-file01`, not in CISA KEV) in
//! KEV. It is written to a temporary directory only.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::too_many_lines)]
mod util;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use util::{assert_exit, json, stdout};
use w2k8_store::{ScanInput, SqliteStore, Store};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs `w2k8` with `W2K8_DATA_DIR` set to `data_dir` and no `W2K8_DB`.
fn w2k8(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_w2k8"))
        .args(args)
        .env("W2K8_DATA_DIR", data_dir)
        .env_remove("W2K8_DB")
        .current_dir(root())
        .output()
        .expect("run w2k8")
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("w2k8-cli-reassess-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("scratch dir");
    d
}

const TEST_ROW: &str =
    "CVE-2023-20569,Microsoft,Windows,TEST-ONLY fictitious entry (w2k8 test suite),2026-12-01,2026-12-22,Known\n";

fn kev_file(dir: &Path) -> PathBuf {
    let mut text = std::fs::read_to_string(root().join("data/kev/kev-microsoft.csv")).expect("shipped KEV");
    text.push_str(TEST_ROW);
    let p = dir.join("known_exploited_vulnerabilities.csv");
    std::fs::write(&p, text).expect("write");
    p
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

#[test]
fn a_kev_import_re_assesses_the_fleet_and_history_shows_the_change() {
    let d = scratch("kev");
    let data = d.join("data");
    let db = d.join("fleet.db");
    let o = w2k8(&data, &["scan", "examples/srv-file01", "--db", s(&db), "--as-of", "2026-01-15"]);
    assert_exit(&o, 0);

    // Nothing newer yet: every host is current.
    let o = w2k8(&data, &["scan", "--reassess", "--db", s(&db), "--as-of", "2026-01-16"]);
    assert_exit(&o, 0);
    let out = stdout(&o);
    assert!(out.starts_with("re-assessed 0 of 1 hosts in "), "{out}");
    assert!(out.contains("; 1 current already, 0 cannot be re-assessed"), "{out}");

    let before = json(&w2k8(&data, &["hosts", "--db", s(&db), "--format", "json"]));
    assert_eq!(before["hosts"][0]["kev_open"], 33);

    // The import re-assesses the database it is given.
    let kev = kev_file(&d);
    let o = w2k8(&data, &["catalog", "import", s(&kev), "--db", s(&db)]);
    assert_exit(&o, 0);
    let out = stdout(&o);
    assert!(out.contains("1 new, 0 changed"), "{out}");
    assert!(out.contains("re-assessed 1 of 1 hosts"), "{out}");
    assert!(out.contains("imported kev csv 2026-12-01: 1 ok, 0 not assessed"), "{out}");

    let after = json(&w2k8(&data, &["hosts", "--db", s(&db), "--format", "json"]));
    assert_eq!(after["hosts"][0]["kev_open"], 34);
    assert_eq!(after["hosts"][0]["open_cves"], before["hosts"][0]["open_cves"]);
    let h = json(&w2k8(&data, &["history", "SRV-FILE01", "--db", s(&db), "--format", "json"]));
    let scans = h["scans"].as_array().unwrap();
    assert_eq!(scans.len(), 2);
    assert_eq!(scans[0]["catalog"], "msrc 2026-06-28, kev 2025.08.25, servicing 2026-11-25");
    assert!(scans[0].get("reassessed_from").is_none());
    assert_eq!(
        scans[1]["catalog"],
        "msrc 2026-06-28, kev 2025.08.25, servicing 2026-11-25; imported kev csv 2026-12-01"
    );
    assert_eq!(scans[1]["reassessed_from"], scans[0]["scan_id"]);
    assert_eq!(scans[1]["digest"], scans[0]["digest"], "the same input judged again");
    assert_eq!(scans[0]["kev_open"], 33);
    assert_eq!(scans[1]["kev_open"], 34);

    // The same file again: already current, exit 0, nothing re-judged.
    let o = w2k8(&data, &["catalog", "import", s(&kev), "--db", s(&db)]);
    assert_exit(&o, 0);
    let out = stdout(&o);
    assert!(out.contains("already current"), "{out}");
    assert!(out.contains("re-assessed 0 of 1 hosts"), "{out}");
    assert!(out.contains("1 current already"), "{out}");
    let h = json(&w2k8(&data, &["history", "SRV-FILE01", "--db", s(&db), "--format", "json"]));
    assert_eq!(h["scans"].as_array().unwrap().len(), 2);

    // Without a database, the import says what to run.
    let o = w2k8(&data, &["catalog", "import", s(&kev)]);
    assert_exit(&o, 0);
    assert!(stdout(&o).contains("w2k8 scan --reassess --db FLEET.db"), "{}", stdout(&o));
}

#[test]
fn a_host_stored_without_its_input_is_listed_never_skipped() {
    let d = scratch("old");
    let data = d.join("data");
    let db = d.join("fleet.db");
    assert_exit(&w2k8(&data, &["scan", "examples/srv-file01", "--db", s(&db), "--as-of", "2026-01-15"]), 0);
    {
        // A host as w2k8 stored it before it kept inputs: no saved input, no catalog.
        let mut store = SqliteStore::open(&db).unwrap();
        let mut old = store.export_scans(0, 1).unwrap().remove(0).1;
        old = ScanInput {
            name: "OLD-HOST".into(),
            product_id: None,
            digest: "old".into(),
            source: "/bundles/old-host".into(),
            catalog: None,
            saved_input: None,
            ..old
        };
        store.write_batch(&[old]).unwrap();
    }
    let kev = kev_file(&d);
    assert_exit(&w2k8(&data, &["catalog", "import", s(&kev)]), 0);
    let o = w2k8(&data, &["scan", "--reassess", "--db", s(&db)]);
    assert_exit(&o, 4);
    let out = stdout(&o);
    assert!(out.starts_with("re-assessed 1 of 2 hosts"), "{out}");
    assert!(out.contains("1 cannot be re-assessed"), "{out}");
    assert!(
        out.contains(
            "  #2 OLD-HOST (/bundles/old-host): cannot re-assess: no saved input (scanned before w2k8 kept the input \
             of each scan): rescan its bundle"
        ),
        "{out}"
    );
    // A second run re-judges nothing more and still lists it.
    let o = w2k8(&data, &["scan", "--reassess", "--db", s(&db)]);
    assert_exit(&o, 4);
    assert!(stdout(&o).starts_with("re-assessed 0 of 2 hosts"), "{}", stdout(&o));
    // `scan --reassess` takes no bundle paths.
    assert_exit(&w2k8(&data, &["scan", "--reassess", "examples/srv-file01", "--db", s(&db)]), 2);
}
