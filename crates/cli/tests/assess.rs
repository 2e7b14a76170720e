//! `w2k8 assess`: exit codes 0/1/2/3, formats, filters, on example bundles,
//! real captures, generated hosts and bad input.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod util;

use std::path::PathBuf;
use util::{code, w2k8};

fn temp_file(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("w2k8-assess-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn findings_exit_1_with_json_contract() {
    let o = w2k8(&["assess", "examples/srv-file01", "--format", "json", "--as-of", "2026-11-25"]);
    assert_eq!(code(&o), 1, "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    // Standing fields, flattened.
    for f in
        ["host", "product", "arch", "server_core", "build", "hotfixes", "latest_rollup", "patched_through", "evidence"]
    {
        assert!(v.get(f).is_some(), "missing field {f}");
    }
    assert_eq!(v["patched_through"], "2023-01");
    assert_eq!(v["programme"]["programme"], "esu");
    assert!(v["missing"].as_array().unwrap().is_empty());
    let e = &v["exposure"][0];
    for f in ["cve", "severity", "impact", "fixed_by", "kev", "exploits"] {
        assert!(e.get(f).is_some(), "exposure lacks {f}");
    }
    assert_eq!(e["kev"]["ransomware"], true);
    let u = &v["unknown"][0];
    assert!(u["kb"].is_string() && u["reason"].is_string());
}

#[test]
fn missing_entries_and_filters() {
    let o = w2k8(&["assess", "examples/srv-file01", "--format", "json", "--esu", "premium", "--as-of", "2026-11-25"]);
    assert_eq!(code(&o), 1);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let m = v["missing"].as_array().unwrap();
    let rollup = m.iter().find(|m| m["kind"] == "monthly_rollup").unwrap();
    assert_eq!(rollup["kb"], "KB5073697");
    for f in ["kb", "title", "released", "kind", "supersedes", "cves", "max_severity", "kev_count"] {
        assert!(rollup.get(f).is_some(), "missing lacks {f}");
    }
    let o = w2k8(&[
        "assess",
        "examples/srv-file01",
        "--format",
        "csv",
        "--esu",
        "premium",
        "--kev-only",
        "--as-of",
        "2026-11-25",
    ]);
    assert_eq!(code(&o), 1);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.starts_with("record,id,title,"));
    assert!(text.lines().skip(1).all(|l| l.starts_with("missing,")
        || l.contains(",true,")
        || l.contains(",false,")
        || l.starts_with("unknown,")));
    let o = w2k8(&[
        "assess",
        "examples/srv-file01",
        "--min-severity",
        "critical",
        "--esu",
        "premium",
        "--as-of",
        "2026-11-25",
    ]);
    assert_eq!(code(&o), 1);
    assert!(String::from_utf8_lossy(&o.stdout).contains("KB5073697"));
}

#[test]
fn clean_host_exits_0() {
    let c = w2k8_catalog::Catalog::embedded();
    let hosts = w2k8_assess::generate::patched_through_hosts(c);
    let last = hosts.last().unwrap();
    let p = temp_file("systeminfo.txt", w2k8_assess::generate::systeminfo_text(last).as_bytes());
    let o = w2k8(&["assess", p.to_str().unwrap(), "--as-of", "2026-11-25"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(code(&o), 0, "{out}");
    assert!(out.contains("Missing (install in this order):\n  nothing"), "{out}");
}

#[test]
fn bad_input_2_unsupported_3() {
    let p = temp_file("garbage.txt", b"\x00\x01\x02 not a systeminfo\r\n");
    let o = w2k8(&["assess", p.to_str().unwrap()]);
    assert_eq!(code(&o), 2);
    assert!(!String::from_utf8_lossy(&o.stderr).contains("panicked"));
    let o = w2k8(&["assess", "crates/inventory/tests/fixtures/systeminfo/real/neg_wesng_win7_sp1_x86_en.txt"]);
    assert_eq!(code(&o), 3, "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("Windows 7"));
    // 2008 R2 SP1 is assessed (issue 17): the real capture has open CVEs, exit 1.
    let o = w2k8(&["assess", "crates/inventory/tests/fixtures/systeminfo/real/wesng_srv2008r2_sp1_x64_en.txt"]);
    assert_eq!(code(&o), 1, "{}", String::from_utf8_lossy(&o.stderr));
    let o = w2k8(&["assess", "examples/srv-file01", "--format", "xml"]);
    assert_eq!(code(&o), 2);
}
