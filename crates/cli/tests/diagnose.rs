//! `w2k8 diagnose` and `w2k8 explain` through the real binary: output, JSON,
//! exit codes (0 ok, 2 bad input, 3 not a 2008 log).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::too_many_lines)]
mod util;

use std::path::PathBuf;
use util::{stderr, stdout, w2k8};

fn fx(rel: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../diagnose/tests/fixtures").join(rel).display().to_string()
}

#[test]
fn explain_forms() {
    for input in
        ["0x800f0922", "800F0922", "-2146498270", "2148469026", "CBS_E_INSTALLERS_FAILED", "cbs_e_installers_failed"]
    {
        let o = w2k8(&["explain", input]);
        assert_eq!(o.status.code(), Some(0), "{input}");
        let out = stdout(&o);
        assert!(out.starts_with("0x800F0922  CBS_E_INSTALLERS_FAILED\n"), "{input}: {out}");
        assert!(out.contains("facility     15 FACILITY_SETUPAPI"));
        assert!(out.contains("https://learn.microsoft.com/"));
    }
    let o = w2k8(&["explain", "3010"]);
    assert!(stdout(&o).starts_with("0x80070BC2  ERROR_SUCCESS_REBOOT_REQUIRED\n"));
    assert!(stdout(&o).contains("Win32        3010"));
}

#[test]
fn explain_json_and_sha2() {
    let o = w2k8(&["explain", "0x80092004", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    // A list answer is an object with the list under `codes` (issue 19: versioned JSON).
    assert_eq!(v["schema_version"], 2);
    let v = &v["codes"];
    assert_eq!(v[0]["symbols"][0], "CRYPT_E_NOT_FOUND");
    assert_eq!(v[0]["facility_name"], "FACILITY_SECURITY");
    assert_eq!(v[0]["read_as"], "hex");
    assert!(v[0]["cause_2008"].as_str().unwrap().contains("KB4474419"));
}

#[test]
fn explain_rejects_non_codes() {
    for bad in ["hello", "0xZZ", "12.5", "99999999999"] {
        let o = w2k8(&["explain", bad]);
        assert_eq!(o.status.code(), Some(2), "{bad}");
        assert!(stderr(&o).contains("is not an error code"), "{bad}");
    }
}

#[test]
fn diagnose_real_sp2_failure() {
    let o = w2k8(&["diagnose", &fx("cbs/blog_joscon_docsarchive_srv2008_sp2-install_2009.txt")]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("KB948465 failed (install phase); first real error at "));
    assert!(out.contains("blog_joscon_docsarchive_srv2008_sp2-install_2009.txt:5 0x800B0100 TRUST_E_NOSIGNATURE."));
    assert!(out.contains("[service_pack_parent_missing]"));
    assert!(out.contains("[store_corruption]"));
}

#[test]
fn diagnose_several_files_json() {
    let o = w2k8(&[
        "diagnose",
        &fx("cbs/synthetic_srv2008sp2_kb4507452_sha2_utf16.log"),
        &fx("windowsupdate/synthetic_srv2008sp2_kb4537810_esu_0x80070643.log"),
        &fx("checksur/synthetic_checksur_unfixed.log"),
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["verdict"], "update_failed");
    assert_eq!(v["logs"].as_array().unwrap().len(), 3);
    assert_eq!(v["failure"]["kb"], "KB4537810");
    assert_eq!(v["causes"][0]["id"], "esu_not_licensed");
    assert_eq!(v["store"]["unfixed"].as_array().unwrap().len(), 2);
    assert_eq!(v["timeline"].as_array().unwrap().len(), 3);
}

#[test]
fn diagnose_not_2008_exits_3() {
    let o = w2k8(&["diagnose", &fx("windowsupdate/neg_wpp4_win10_etw-format_0x80240022_2019.log")]);
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("not a Windows Server 2008 log"));
    assert!(stdout(&o).contains("0x80240022 WU_E_ALL_UPDATES_FAILED"));
    // An NT 6.1 log (Windows 7 SP1's servicing stack 6.1.7601, shared with
    // 2008 R2) is diagnosed since 2008 R2 is assessed (issue 17): exit 0.
    let o = w2k8(&["diagnose", &fx("cbs/neg_loghub_win7_sp1_cbs_2k_lines.log")]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("No failed update attempt"));
    assert!(stdout(&o).contains("2008 R2"), "{}", stdout(&o));
}

#[test]
fn diagnose_bad_input_exits_2_with_line() {
    let dir = std::env::temp_dir().join(format!("w2k8-diag-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let trunc = dir.join("CBS.log");
    std::fs::write(&trunc, b"2019-07-10 03:00:12, Info                  CBS    Starting.\r\n2019-07-10 03:0").unwrap();
    let o = w2k8(&["diagnose", &trunc.display().to_string()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("CBS.log:2: expected a CBS.log entry"), "{}", stderr(&o));
    let bin = dir.join("binary.log");
    std::fs::write(&bin, [0u8, 1, 2, 3, 0xFF, 0xD8, 0, 0, 9]).unwrap();
    let o = w2k8(&["diagnose", &bin.display().to_string()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("binary.log:1: expected a CBS.log, WindowsUpdate.log or CheckSUR.log"));
    // A large file, written sparse: a valid head, then zeros (binary) far away.
    let big = dir.join("big-CBS.log");
    let f = std::fs::File::create(&big).unwrap();
    use std::io::Write;
    (&f).write_all(b"2019-07-10 03:00:12, Info                  CBS    Starting.\r\n").unwrap();
    f.set_len(64 << 20).unwrap();
    let o = w2k8(&["diagnose", &big.display().to_string()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("big-CBS.log:2: expected text, found binary data"), "{}", stderr(&o));
    let o = w2k8(&["diagnose", &dir.join("missing.log").display().to_string()]);
    assert_eq!(o.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn diagnose_bundle_folder_and_zip() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../inventory/tests/fixtures/bundle");
    for b in ["w2k8-SRV-FILE01-20261120", "w2k8-SRV-FILE01-20261120.zip"] {
        let o = w2k8(&["diagnose", &root.join(b).display().to_string(), "--format", "json"]);
        assert_eq!(o.status.code(), Some(0), "{b}: {}", stderr(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["logs"][0]["format"], "check_sur", "{b}");
        assert_eq!(v["verdict"], "no_failure_found");
    }
}

fn real(rel: &str) -> String {
    fx(&format!("real/{rel}"))
}

#[test]
fn explain_3010_is_success_with_restart() {
    let o = w2k8(&["explain", "3010"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stdout(&o).contains("outcome      success: the operation succeeded and a restart completes it (not a failure")
    );
    let o = w2k8(&["explain", "3010", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["codes"][0]["outcome"], "success_with_restart");
    let o = w2k8(&["explain", "0x800f0922", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["codes"][0].get("outcome").is_none());
}

/// 2008 and 2008 R2 have no `DISM /RestoreHealth`: the fix names the System Update Readiness Tool.
#[test]
fn explain_fixes_name_commands_2008_has() {
    for code in ["0x80073712", "0x800F081F", "0x80070057"] {
        let out = stdout(&w2k8(&["explain", code]));
        let fix = out.lines().find(|l| l.trim_start().starts_with("fix")).unwrap_or_default().to_string();
        assert!(fix.contains("System Update Readiness Tool (CheckSUR, KB947821)"), "{code}: {fix}");
        assert!(!fix.contains("DISM /Online /Cleanup-Image /RestoreHealth then"), "{code}: {fix}");
        assert!(out.contains("https://support.microsoft.com/kb/947821"), "{code}");
    }
    let out = stdout(&w2k8(&["explain", "0x800F0922"]));
    assert!(out.contains("pkgmgr /up:<package identity>"), "{out}");
}

#[test]
fn diagnose_names_r2_and_refuses_windows_8_and_later() {
    let o =
        w2k8(&["diagnose", &real("cbs/theorypc_srv2008r2_kb3177467_sxs_assembly_not_found.log"), "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["logs"][0]["windows_version"], "6.1.7601");
    assert_eq!(v["failure"]["first_error"]["code"]["hex"], "0x800736B3");
    for (f, nt) in [
        ("cbs/neg_hofcake_win81_harmless.log", "NT 6.3"),
        ("cbs/neg_msdocs_srv2012_netfx3_pending_0x80070bc9.log", "NT 6.2"),
        ("windowsupdate/neg_debajyati_win11_etw_dashdates_8024000e.log", "NT 10.0"),
    ] {
        let o = w2k8(&["diagnose", &real(f)]);
        assert_eq!(o.status.code(), Some(3), "{f}: {}", stderr(&o));
        assert!(stderr(&o).contains(nt), "{f}: {}", stderr(&o));
        assert!(!stdout(&o).contains("\nCauses"), "{f}: no 2008 advice for another Windows");
    }
}

#[test]
fn diagnose_a_wsus_server_out_of_reach() {
    let o = w2k8(&[
        "diagnose",
        &real("windowsupdate/cloudbase53_srv2008r2_wsus_selfupdate_0x80072ee2.log"),
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["logs"][0]["agent_version"], "7.6.7600.256");
    assert_eq!(v["failure"]["first_error"]["line"], 9);
    assert_eq!(v["failure"]["first_error"]["code"]["symbols"][0], "WININET_E_TIMEOUT");
    let c = &v["causes"][0];
    assert_eq!(c["id"], "cannot_reach_update_source");
    assert!(c["explanation"].as_str().unwrap().contains("http://mywsusurl//selfupdate/wuident.cab"));
    assert!(c["evidence"].as_array().unwrap().iter().any(|e| e["fact"].as_str().unwrap().contains("http://mywsusurl")));
    assert!(c["fix"].as_str().unwrap().contains("nslookup mywsusurl"));
}

/// `diagnose` reads the catalog through `Catalog::current()`: the overlay of
/// `W2K8_DATA_DIR` is read (a damaged one is reported, exit 2, as by every
/// command that uses the catalog).
#[test]
fn diagnose_reads_the_catalog_overlay() {
    let d = std::env::temp_dir().join(format!("w2k8-diag-overlay-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(d.join("overlay")).unwrap();
    std::fs::write(d.join("overlay/manifest.json"), "{").unwrap();
    let o = util::command()
        .env("W2K8_DATA_DIR", &d)
        .args(["diagnose", &fx("cbs/synthetic_srv2008sp2_kb4507452_sha2_utf16.log")])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(stderr(&o).contains("manifest.json:1: expected an overlay manifest"), "{}", stderr(&o));
    let _ = std::fs::remove_dir_all(&d);
}
