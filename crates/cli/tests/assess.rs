//! `w2k8 assess`: exit codes 0/1/2/3, formats, filters, on example bundles,
//! real captures, generated hosts and bad input.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::too_many_lines)]
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

/// A bundle of a 2008 SP2 x64 host through March 2019 (KB4493471), with or without the configuration files of
/// issue 20 (the inventory fixtures; the spooler running with start type auto).
fn reach_bundle(name: &str, with_config: bool) -> PathBuf {
    let d = util::scratch(name);
    std::fs::write(
        d.join("systeminfo.txt"),
        "\r\nHost Name:                 REACH-01\r\nOS Name:                   Microsoft Windows Server 2008 Standard \r\n\
OS Version:                6.0.6002 Service Pack 2 Build 6002\r\nOS Manufacturer:           Microsoft Corporation\r\n\
OS Configuration:          Member Server\r\nOS Build Type:             Multiprocessor Free\r\nSystem Type:               x64-based PC\r\n\
Hotfix(s):                 1 Hotfix(s) Installed.\r\n                           [01]: KB4493471\r\n\
Network Card(s):           1 NIC(s) Installed.\r\n",
    )
    .unwrap();
    if with_config {
        let fx = util::root().join("crates/inventory/tests/fixtures");
        let read = |rel: &str| std::fs::read_to_string(fx.join(rel)).unwrap();
        let reg = read("reg-mitigations/collector_smb1_off_spooler_disabled.txt").replacen(
            "    Start    REG_DWORD    0x4",
            "    Start    REG_DWORD    0x2",
            1,
        );
        let services = read("sc-queryex/en_2008.txt").replacen(
            "        STATE              : 1  STOPPED",
            "        STATE              : 4  RUNNING",
            1,
        );
        std::fs::write(d.join("reg-mitigations.txt"), reg).unwrap();
        std::fs::write(d.join("services.txt"), services).unwrap();
        std::fs::write(d.join("netstat.txt"), read("netstat-ano/en_2008.txt")).unwrap();
        std::fs::write(d.join("firewall.txt"), read("netsh-advfirewall/en_2008r2.txt")).unwrap();
        std::fs::write(d.join("roles.txt"), read("servermanagercmd/en_dc_print.txt")).unwrap();
    }
    d
}

fn assess_as(d: &std::path::Path, format: &str) -> String {
    let o = w2k8(&["assess", d.to_str().unwrap(), "--as-of", "2026-06-01", "--esu", "none", "--format", format]);
    assert_eq!(code(&o), 1, "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

/// The row of `cve` in the text table (`  CVE-... `) or the CSV (`open_cve,CVE-...,`).
fn row_of<'a>(text: &'a str, cve: &str) -> &'a str {
    text.lines()
        .find(|l| l.starts_with(&format!("  {cve} ")) || l.starts_with(&format!("open_cve,{cve},")))
        .unwrap_or_else(|| panic!("{cve}:\n{text}"))
}

#[test]
fn reachability_in_the_text_table_csv_and_sarif() {
    let d = reach_bundle("assess-reach", true);
    // Text: a `reach` column between `exploit` and `fixed by`; the KEV
    // column is `added → due` (data/kev/kev-microsoft.csv: CVE-2019-0708
    // added 2021-11-03, due 2022-05-03, known ransomware use).
    let t = assess_as(&d, "table");
    assert!(
        t.contains(
            "  CVE             severity   KEV added → due                     exploit  reach    fixed by                        title\n"
        ),
        "{t}"
    );
    // BlueKeep: NLA required (reg-mitigations.txt line 13, UserAuthentication 0x1) reduces it.
    assert!(
        row_of(&t, "CVE-2019-0708")
            .contains(" 2021-11-03 → 2022-05-03 ransomware  public   reduced  KB4499149 KB4499180 "),
        "{t}"
    );
    // PrintNightmare: the spooler runs, start type auto: exposed; the end of the programme shown whole.
    assert!(row_of(&t, "CVE-2021-34527").contains(" public   exposed  none to you (ended 2020-01-14)  "), "{t}");
    assert!(t.contains("unknown (the bundle does not tell:\n  never counted as safe)"), "{t}");

    // CSV: columns added at the end, the old ones unchanged: the reachability
    // four, then kev_due_date and reboot.
    let c = assess_as(&d, "csv");
    assert!(c.starts_with("record,id,title,released,kind,severity,impact,kev_date_added,ransomware,exploits,fixed_by,cves,detail,reachability,mitigation,mitigation_evidence,mitigation_source,kev_due_date,reboot\r\n"));
    assert!(
        row_of(&c, "CVE-2019-0708").ends_with(
            ",fix available,reduced,require_nla,reg-mitigations.txt:13,https://msrc.microsoft.com/update-guide/vulnerability/CVE-2019-0708,2022-05-03,"
        ),
        "{c}"
    );
    assert!(row_of(&c, "CVE-2021-34527").ends_with(",exposed,,,,2021-07-20,"), "{c}");
    let missing = c.lines().find(|l| l.starts_with("missing,KB4534303,")).unwrap();
    assert!(
        missing.ends_with(",,,,,,true"),
        "a missing update has no reachability; a rollup needs a restart: {missing}"
    );

    // SARIF: in each open CVE's result properties and message, and the summary in the run's properties.
    let s: serde_json::Value = serde_json::from_str(&assess_as(&d, "sarif")).unwrap();
    let results = s["runs"][0]["results"].as_array().unwrap();
    let bk = results.iter().find(|r| r["ruleId"] == "CVE-2019-0708").unwrap();
    assert_eq!(bk["properties"]["reachability"], "reduced");
    assert_eq!(bk["properties"]["mitigation"]["by"], "require_nla");
    assert_eq!(bk["properties"]["mitigation"]["evidence"], "reg-mitigations.txt:13");
    assert!(bk["message"]["text"]
        .as_str()
        .unwrap()
        .ends_with("Reachable, with an attack path narrowed (require_nla, reg-mitigations.txt:13)."));
    let pn = results.iter().find(|r| r["ruleId"] == "CVE-2021-34527").unwrap();
    assert_eq!(pn["properties"]["reachability"], "exposed");
    assert!(pn["properties"]["mitigation"].is_null());
    assert!(s["runs"][0]["properties"]["reachable"].as_u64().unwrap() > 0);
    assert!(s["runs"][0]["properties"].get("reachable_kev").is_some());
}

#[test]
fn reachability_unknown_is_never_shown_safe() {
    let d = reach_bundle("assess-reach-unknown", false);
    let t = assess_as(&d, "table");
    assert!(row_of(&t, "CVE-2021-34527").contains(" public   unknown  none to you (ended 2020-01-14)"), "{t}");
    let c = assess_as(&d, "csv");
    assert!(row_of(&c, "CVE-2021-34527").ends_with(",unknown,,,,2021-07-20,"), "{c}");
    let s: serde_json::Value = serde_json::from_str(&assess_as(&d, "sarif")).unwrap();
    let pn =
        s["runs"][0]["results"].as_array().unwrap().iter().find(|r| r["ruleId"] == "CVE-2021-34527").unwrap().clone();
    assert_eq!(pn["properties"]["reachability"], "unknown");
    assert!(pn["message"]["text"]
        .as_str()
        .unwrap()
        .ends_with("Reachability unknown: the bundle does not show the configuration that would tell."));
    // The KEV count of reachable CVEs is not known: null, never 0.
    assert!(s["runs"][0]["properties"]["reachable_kev"].is_null());
}

/// Supersedence crosses Windows versions (an old fix's chain can end at an
/// update of the other Windows version), and the `unknown` list used to
/// name those ends: 676 entries over the examples and truth bundles named an
/// update of the other version. The KBs below were picked by hand from the
/// MSRC rows, where every row of each names only that version:
/// KB4516065 (September 10, 2019 R2 rollup), KB4338821 (July 2018 R2
/// preview), KB3197867 (November 2016 R2 security-only) are 2008 R2 only;
/// KB2646524 and KB3140709 are 2008 SP2 only.
#[test]
fn unknown_updates_are_of_the_hosts_windows_version() {
    let cases = [
        ("tests/truth/01-rollup-2019-04", ["KB4516065", "KB4338821", "KB3197867"].as_slice()),
        ("tests/truth/37-2008-r2-rollup-2023-01-esu", ["KB2646524", "KB3140709"].as_slice()),
    ];
    for (bundle, other_version) in cases {
        let o = w2k8(&["assess", bundle, "--format", "json", "--as-of", "2026-06-01"]);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let unknown: Vec<&str> = v["unknown"].as_array().unwrap().iter().filter_map(|u| u["kb"].as_str()).collect();
        assert!(!unknown.is_empty(), "{bundle}: the test needs unknown updates");
        for kb in other_version {
            assert!(!unknown.contains(kb), "{bundle}: {kb} is an update of the other Windows version");
        }
    }
}
