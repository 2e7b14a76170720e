//! `w2k8 catalog info` and `w2k8 catalog import`: run the real binary with a
//! scratch data directory.
//!
//! TEST DATA: the KEV file imported here is the shipped `data/kev/kev-microsoft.csv`
//! plus one row made up for these tests, marked `TEST-ONLY fictitious entry`
//! (dated 2026-12-01, on CVE-2020-0607, which CISA KEV does not list). It is
//! written to a temporary directory only.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::too_many_lines)]
mod util;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use util::{assert_exit, json, stderr, stdout};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs `w2k8` with `W2K8_DATA_DIR` set to `data_dir`.
fn w2k8(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_w2k8"))
        .args(args)
        .env("W2K8_DATA_DIR", data_dir)
        .current_dir(root())
        .output()
        .expect("run w2k8")
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("w2k8-cli-catalog-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("scratch dir");
    d
}

const TEST_ROW: &str =
    "CVE-2020-0607,Microsoft,Windows,TEST-ONLY fictitious entry (w2k8 test suite),2026-12-01,2026-12-22,Known\n";

/// The shipped KEV file plus `extra` (complete lines).
fn kev_file(dir: &Path, name: &str, extra: &str) -> PathBuf {
    let mut text = std::fs::read_to_string(root().join("data/kev/kev-microsoft.csv")).expect("shipped KEV");
    text.push_str(extra);
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write");
    p
}

fn overlay_files(data_dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(data_dir.join("overlay"))
        .map(|rd| {
            rd.flatten()
                .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).expect("read")))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn info_shows_the_embedded_catalog_and_its_age() {
    let d = scratch("info");
    let o = w2k8(&d, &["catalog", "info", "--as-of", "2026-11-25"]);
    assert_exit(&o, 0);
    let out = stdout(&o);
    assert!(out.contains("WES-NG definitions of 2026-06-28 (94051 rows for 2008 / 2008 R2), 150 days old"), "{out}");
    assert!(out.contains("CISA KEV    catalog 2025.08.25, 340 Microsoft entries, 457 days old"), "{out}");
    assert!(out.contains("table compiled 2026-11-25, 0 days old"), "{out}");
    // 89 months of 2008 SP2 pairs (2018-09 .. 2026-01) and 111 of 2008 R2 SP1
    // (2016-10 .. 2026-01 without February 2017): data/servicing/*.csv.
    assert!(out.contains("monthly_rollup 200, security_only 200"), "{out}");
    assert!(out.contains("Overlay: none in"), "{out}");

    let o = w2k8(&d, &["catalog", "info", "--format", "json", "--as-of", "2026-11-25"]);
    assert_exit(&o, 0);
    let v = json(&o);
    assert_eq!(v["embedded"]["msrc"]["date"], "2026-06-28");
    assert_eq!(v["embedded"]["msrc"]["age_days"], 150);
    assert_eq!(v["embedded"]["kev"]["version"], "2025.08.25");
    assert_eq!(v["embedded"]["kev"]["age_days"], 457);
    assert_eq!(v["embedded"]["servicing"]["date"], "2026-11-25");
    assert_eq!(v["embedded"]["counts"]["kev"], 340);
    assert_eq!(v["embedded"]["counts"]["updates_by_kind"]["monthly_rollup"], 200);
    assert!(v["overlay"].is_null());
    assert!(v["effective"].is_null());
    assert_eq!(v["data_dir"], d.display().to_string());
}

#[test]
fn import_then_info_reports_the_overlay() {
    let d = scratch("import");
    let f = kev_file(&d, "known_exploited_vulnerabilities.csv", TEST_ROW);
    let o = w2k8(&d, &["catalog", "import", f.to_str().expect("utf-8 path")]);
    assert_exit(&o, 0);
    let out = stdout(&o);
    assert!(
        out.contains("KEV CSV with entries added up to 2026-12-01: 341 Microsoft entries, 1 new, 0 changed"),
        "{out}"
    );
    assert!(out.contains("overlay written to"), "{out}");

    let o = w2k8(&d, &["catalog", "info", "--as-of", "2026-12-25"]);
    assert_exit(&o, 0);
    let out = stdout(&o);
    assert!(out.contains("Overlay in"), "{out}");
    assert!(out.contains("CSV with entries added up to 2026-12-01, 341 Microsoft entries, 24 days old"), "{out}");
    assert!(out.contains("KEV 1 new, 0 changed"), "{out}");
    assert!(out.contains("In effect (embedded + overlay)"), "{out}");
    assert!(out.contains("KEV         341 Microsoft entries"), "{out}");

    let o = w2k8(&d, &["catalog", "info", "--format", "json"]);
    assert_exit(&o, 0);
    let v = json(&o);
    assert_eq!(v["overlay"]["kev_used"], true);
    assert_eq!(v["overlay"]["msrc_used"], false);
    assert_eq!(v["overlay"]["manifest"]["kev"]["as_of"], "2026-12-01");
    assert_eq!(v["overlay"]["manifest"]["counts"]["kev_added"], 1);
    let plus_one = v["embedded"]["counts"]["cves_in_kev"].as_u64().expect("count") + 1;
    assert_eq!(v["effective"]["cves_in_kev"].as_u64(), Some(plus_one));

    // --data-dir points elsewhere: no overlay there.
    let other = scratch("import-other");
    let o = w2k8(&d, &["catalog", "--data-dir", other.to_str().expect("utf-8"), "info", "--format", "json"]);
    assert_exit(&o, 0);
    assert!(json(&o)["overlay"].is_null());
}

#[test]
fn older_and_bad_files_are_refused_and_the_overlay_is_unchanged() {
    let d = scratch("refuse");
    let good = kev_file(&d, "good.csv", TEST_ROW);
    assert_exit(&w2k8(&d, &["catalog", "import", good.to_str().expect("utf-8")]), 0);
    let before = overlay_files(&d);
    assert_eq!(before.len(), 2);

    // Older: the shipped file itself.
    let shipped = root().join("data/kev/kev-microsoft.csv");
    let o = w2k8(&d, &["catalog", "import", shipped.to_str().expect("utf-8")]);
    assert_exit(&o, 2);
    let err = stderr(&o);
    assert!(err.contains("not newer than the catalog"), "{err}");
    assert!(err.contains("the overlay is unchanged"), "{err}");
    assert_eq!(overlay_files(&d), before);

    // Corrupt: a bad date on line 342.
    let bad = kev_file(&d, "bad.csv", "CVE-2021-99999,Microsoft,Windows,TEST-ONLY,2026-02-30,,Unknown\n");
    let o = w2k8(&d, &["catalog", "import", bad.to_str().expect("utf-8")]);
    assert_exit(&o, 2);
    let err = stderr(&o);
    assert!(err.contains("bad.csv:342: dateAdded: expected YYYY-MM-DD, found \"2026-02-30\""), "{err}");
    assert_eq!(overlay_files(&d), before);

    // Missing file, and no file at all.
    let o = w2k8(&d, &["catalog", "import", "no-such-file.csv"]);
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("no-such-file.csv: cannot read"), "{}", stderr(&o));
    assert_exit(&w2k8(&d, &["catalog", "import"]), 2);
    assert_eq!(overlay_files(&d), before);
}

#[test]
fn a_damaged_overlay_is_an_error_with_a_way_out() {
    let d = scratch("damaged");
    let good = kev_file(&d, "good.csv", TEST_ROW);
    assert_exit(&w2k8(&d, &["catalog", "import", good.to_str().expect("utf-8")]), 0);
    std::fs::write(d.join("overlay/manifest.json"), "{").expect("write");
    let o = w2k8(&d, &["catalog", "info"]);
    assert_exit(&o, 2);
    assert!(stdout(&o).contains("Overlay: cannot be read"), "{}", stdout(&o));
    assert!(stderr(&o).contains("manifest.json:1: expected an overlay manifest"), "{}", stderr(&o));
    assert!(stderr(&o).contains("delete the overlay directory"), "{}", stderr(&o));
}

/// `w2k8 cve` reads the catalog through `Catalog::current()`, which merges
/// the overlay of `W2K8_DATA_DIR`.
#[test]
fn cve_shows_an_imported_kev_entry() {
    let d = scratch("cve");
    let o = w2k8(&d, &["cve", "CVE-2020-0607", "--format", "json"]);
    assert_exit(&o, 0);
    assert!(json(&o)["kev"].is_null());
    let f = kev_file(&d, "kev.csv", TEST_ROW);
    assert_exit(&w2k8(&d, &["catalog", "import", f.to_str().expect("utf-8")]), 0);
    let o = w2k8(&d, &["cve", "CVE-2020-0607", "--format", "json"]);
    assert_exit(&o, 0);
    let v = json(&o);
    assert_eq!(v["kev"]["date_added"], "2026-12-01");
    assert_eq!(v["kev"]["ransomware"], true);
    let o = w2k8(&d, &["cve", "CVE-2020-0607"]);
    assert_exit(&o, 0);
    assert!(stdout(&o).contains("2026-12-01"), "{}", stdout(&o));
}

/// `catalog diff`: exit 0 when no record differs (the shipped table against
/// the embedded one), 1 with the changes when some do, 2 on a file that is not
/// an MSRC table. The new table is the shipped one's header and first row
/// with its severity changed by the test (made up: a written-by-hand change).
#[test]
fn catalog_diff_exit_codes_and_json() {
    let d = scratch("diff");
    let o = w2k8(&d, &["catalog", "diff", "embedded", "data/msrc/ws2008-msrc.csv.gz"]);
    assert_exit(&o, 0);
    assert!(stdout(&o).contains("No record differs."), "{}", stdout(&o));

    // data/msrc/ws2008-msrc.csv.gz line 2: CVE-2017-0022, KB3216916, "Important" on 32-bit SP2.
    let row = "\"20170314\",\"CVE-2017-0022\",\"3216916\",\"Security Update for Microsoft XML Core Services\",\
               \"Windows Server 2008 for 32-bit Systems Service Pack 2\",\"Microsoft XML Core Services 3.0\",\
               \"Critical\",\"Information Disclosure\",\"3146963\",\"\"\n";
    let header = "\"DatePosted\",\"CVE\",\"BulletinKB\",\"Title\",\"AffectedProduct\",\"AffectedComponent\",\
                  \"Severity\",\"Impact\",\"Supersedes\",\"Exploits\"\n";
    let (one, two) = (d.join("one.csv"), d.join("two.csv"));
    std::fs::write(&one, format!("{header}{}", row.replace("Critical", "Important"))).unwrap();
    std::fs::write(&two, format!("{header}{row}")).unwrap();
    let o = w2k8(&d, &["catalog", "diff", one.to_str().unwrap(), two.to_str().unwrap(), "--format", "json"]);
    assert_exit(&o, 1);
    let v = json(&o);
    assert_eq!(v["cves"][0]["id"], "CVE-2017-0022");
    assert_eq!(v["cves"][0]["change"], "changed");
    assert_eq!(
        v["cves"][0]["fields"][0],
        serde_json::json!({"field": "severity", "old": "important", "new": "critical"})
    );
    assert_eq!(v["updates"].as_array().map(Vec::len), Some(0));
    let o = w2k8(&d, &["catalog", "diff", one.to_str().unwrap(), two.to_str().unwrap()]);
    assert_exit(&o, 1);
    assert!(stdout(&o).contains("  ~ CVE-2017-0022    Security Update for Microsoft XML Core Services\n      severity: important -> critical\n"), "{}", stdout(&o));

    let o = w2k8(&d, &["catalog", "diff", "embedded", "README.md"]);
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("README.md:1: expected"), "{}", stderr(&o));
    let _ = std::fs::remove_dir_all(&d);
}
