//! Integration tests of `w2k8 migrate` and `w2k8 lifecycle`: run the real
//! binary on bundles written at test time (a `systeminfo.txt` in the list
//! form, CRLF, as `systeminfo > systeminfo.txt` writes it from cmd, and an
//! `os.txt` from `wmic os get ... /format:list`, UTF-16LE with a BOM; both
//! modelled on `examples/srv-file01/` and `examples/srv-legacy01/`), one per
//! start point and target, asserting the chain hops and refusals exactly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::too_many_lines)]
mod util;

use std::path::PathBuf;
use util::{assert_exit, json, stdout, w2k8};

/// A start point: what the two files say.
struct Start {
    name: &'static str,
    os_name: &'static str,
    version: &'static str,
    sp: u32,
    build: u32,
    config: &'static str,
    system_type: &'static str,
    sku: u32,
    /// `OSArchitecture` (None: left out of os.txt).
    os_arch: Option<&'static str>,
    product_type: u32,
}

fn utf16le_bom(text: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        out.extend_from_slice(&u.to_le_bytes());
    }
    out
}

/// Writes the bundle of `s` into a fresh temp folder.
fn bundle(s: &Start) -> PathBuf {
    let d = std::env::temp_dir().join(format!("w2k8-migrate-{}-{}", std::process::id(), s.name));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    let sp_text = if s.sp == 0 { "N/A".to_string() } else { format!("Service Pack {}", s.sp) };
    let os_version = if s.sp == 0 {
        format!("{} N/A Build {}", s.version, s.build)
    } else {
        format!("{} Service Pack {} Build {}", s.version, s.sp, s.build)
    };
    let systeminfo = [
        String::new(),
        format!("Host Name:                 {}", s.name.to_uppercase()),
        format!("OS Name:                   {}", s.os_name),
        format!("OS Version:                {os_version}"),
        "OS Manufacturer:           Microsoft Corporation".to_string(),
        format!("OS Configuration:          {}", s.config),
        "OS Build Type:             Multiprocessor Free".to_string(),
        "Registered Owner:          Windows User".to_string(),
        "Registered Organization:   ".to_string(),
        "Product ID:                92573-082-2500115-76417".to_string(),
        "Original Install Date:     1/15/2019, 10:34:12 AM".to_string(),
        "System Boot Time:          11/16/2026, 3:12:40 AM".to_string(),
        "System Manufacturer:       VMware, Inc.".to_string(),
        "System Model:              VMware Virtual Platform".to_string(),
        format!("System Type:               {}", s.system_type),
        "Processor(s):              1 Processor(s) Installed.".to_string(),
        "Windows Directory:         C:\\Windows".to_string(),
        "System Directory:          C:\\Windows\\system32".to_string(),
        "Hotfix(s):                 1 Hotfix(s) Installed.".to_string(),
        "                           [01]: KB4474419".to_string(),
        String::new(),
    ]
    .join("\r\n");
    std::fs::write(d.join("systeminfo.txt"), systeminfo).expect("write systeminfo");
    let mut os = vec![
        String::new(),
        String::new(),
        format!("BuildNumber={}", s.build),
        format!("Caption={}", s.os_name),
        format!("CSDVersion={sp_text}"),
        format!("CSName={}", s.name.to_uppercase()),
        "Locale=0409".to_string(),
        format!("OperatingSystemSKU={}", s.sku),
    ];
    if let Some(a) = s.os_arch {
        os.push(format!("OSArchitecture={a}"));
    }
    os.extend([
        "OSLanguage=1033".to_string(),
        format!("ProductType={}", s.product_type),
        format!("ServicePackMajorVersion={}", s.sp),
        "ServicePackMinorVersion=0".to_string(),
        format!("Version={}", s.version),
        String::new(),
        String::new(),
    ]);
    std::fs::write(d.join("os.txt"), utf16le_bom(&os.join("\r\n"))).expect("write os");
    d
}

const X64: Start = Start {
    name: "mig-x64",
    os_name: "Microsoft® Windows Server® 2008 Standard ",
    version: "6.0.6003",
    sp: 2,
    build: 6003,
    config: "Member Server",
    system_type: "x64-based PC",
    sku: 7,
    os_arch: Some("64-bit"),
    product_type: 3,
};

const X86: Start = Start {
    name: "mig-x86",
    os_name: "Microsoft® Windows Server® 2008 Enterprise ",
    version: "6.0.6002",
    sp: 2,
    build: 6002,
    config: "Member Server",
    system_type: "X86-based PC",
    sku: 10,
    os_arch: Some("32-bit"),
    product_type: 3,
};

const IA64: Start = Start {
    name: "mig-ia64",
    os_name: "Microsoft® Windows Server® 2008 Enterprise for Itanium-based Systems ",
    version: "6.0.6002",
    sp: 2,
    build: 6002,
    config: "Member Server",
    system_type: "Itanium (TM) -based System",
    sku: 15,
    os_arch: None,
    product_type: 3,
};

const CORE: Start = Start {
    name: "mig-core",
    os_name: "Microsoft® Windows Server® 2008 Enterprise ",
    version: "6.0.6003",
    sp: 2,
    build: 6003,
    config: "Member Server",
    system_type: "x64-based PC",
    sku: 14,
    os_arch: Some("64-bit"),
    product_type: 3,
};

const CORE_STD: Start =
    Start { name: "mig-core-std", os_name: "Microsoft® Windows Server® 2008 Standard ", sku: 13, ..CORE };

const R2: Start = Start {
    name: "mig-r2",
    os_name: "Microsoft Windows Server 2008 R2 Datacenter ",
    version: "6.1.7601",
    sp: 1,
    build: 7601,
    config: "Member Server",
    system_type: "x64-based PC",
    sku: 8,
    os_arch: Some("64-bit"),
    product_type: 3,
};

const DC: Start = Start {
    name: "mig-dc",
    os_name: "Microsoft® Windows Server® 2008 Standard ",
    version: "6.0.6003",
    sp: 2,
    build: 6003,
    config: "Primary Domain Controller",
    system_type: "x64-based PC",
    sku: 7,
    os_arch: Some("64-bit"),
    product_type: 2,
};

fn migrate_json(s: &Start, target: &str) -> serde_json::Value {
    let dir = bundle(s);
    let d = dir.to_string_lossy().into_owned();
    let o = w2k8(&["migrate", &d, "--target", target, "--format", "json", "--as-of", "2026-11-25"]);
    assert_exit(&o, 0);
    json(&o)
}

fn short(name: &str) -> String {
    name.trim_start_matches("Windows Server ").to_string()
}

/// The supported in-place chains as `2012>2012 R2>2019`.
fn chains(v: &serde_json::Value) -> Vec<String> {
    paths(v, "in_place")
        .iter()
        .filter(|p| p["supported"] == true)
        .map(|p| {
            p["hops"]
                .as_array()
                .map(|h| h.iter().map(|x| short(x["to"].as_str().unwrap_or("?"))).collect::<Vec<_>>().join(">"))
                .unwrap_or_default()
        })
        .collect()
}

fn paths<'a>(v: &'a serde_json::Value, kind: &str) -> Vec<&'a serde_json::Value> {
    v["paths"].as_array().map(|a| a.iter().filter(|p| p["kind"] == kind).collect()).unwrap_or_default()
}

/// Refused shortcuts as `2008>2016:no`.
fn refusals(v: &serde_json::Value) -> Vec<String> {
    v["refused_shortcuts"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|r| {
                    format!(
                        "{}>{}:{}",
                        short(r["from"].as_str().unwrap_or("?")),
                        short(r["to"].as_str().unwrap_or("?")),
                        r["supported"].as_str().unwrap_or("?")
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn editions(v: &serde_json::Value) -> Vec<Vec<String>> {
    paths(v, "in_place")
        .iter()
        .map(|p| {
            p["hops"]
                .as_array()
                .map(|h| h.iter().map(|x| x["edition"].as_str().unwrap_or("?").to_string()).collect())
                .unwrap_or_default()
        })
        .collect()
}

#[test]
fn x64_2008_sp2_every_target() {
    let cases: [(&str, &[&str], &[&str]); 3] = [
        (
            "2019",
            &["2012>2012 R2>2019", "2012>2016>2019"],
            &["2008>2008 R2:unconfirmed", "2008>2012 R2:unconfirmed", "2008>2016:no", "2008>2019:no", "2012>2019:no"],
        ),
        (
            "2022",
            &["2012>2016>2022"],
            &[
                "2008>2008 R2:unconfirmed",
                "2008>2012 R2:unconfirmed",
                "2008>2016:no",
                "2008>2019:no",
                "2008>2022:no",
                "2012>2022:no",
            ],
        ),
        (
            "2025",
            &["2012>2012 R2>2025", "2012>2016>2025"],
            &[
                "2008>2008 R2:unconfirmed",
                "2008>2012 R2:unconfirmed",
                "2008>2016:no",
                "2008>2019:no",
                "2008>2022:no",
                "2008>2025:no",
                "2012>2025:no",
            ],
        ),
    ];
    for (target, want_chains, want_refused) in cases {
        let v = migrate_json(&X64, target);
        assert_eq!(chains(&v), want_chains, "target {target}");
        assert_eq!(refusals(&v), want_refused, "target {target}");
        let first = &paths(&v, "in_place")[0]["hops"][0];
        assert_eq!(first["from"], "Windows Server 2008 SP2");
        assert_eq!(first["to"], "Windows Server 2012");
        assert_eq!(first["edition"], "Standard or Datacenter");
        assert_eq!(first["requires"][0]["text"], "Service Pack 2 (installed)");
        assert_eq!(v["recommendation"]["kind"], "side_by_side", "three upgrades in a row");
        assert_eq!(v["target"], format!("Windows Server {target}"));
    }
}

#[test]
fn lifecycle_contract_and_days() {
    let v = migrate_json(&X64, "2019");
    let lc = &v["lifecycle"];
    assert_eq!(lc["mainstream_end"], "2015-01-13");
    assert_eq!(lc["extended_end"], "2020-01-14");
    assert_eq!(lc["esu_end"], "2023-01-10");
    assert_eq!(lc["esu_azure_end"], "2024-01-09");
    let ms: Vec<(String, i64)> = lc["milestones"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|m| (m["what"].as_str().unwrap_or("").to_string(), m["days_ago"].as_i64().unwrap_or(0)))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        ms,
        [
            ("mainstream support".to_string(), 4334),
            ("extended support".to_string(), 2507),
            ("ESU year 1".to_string(), 2143),
            ("ESU year 2".to_string(), 1779),
            ("ESU year 3".to_string(), 1415),
            ("ESU in Azure (extra year)".to_string(), 1051),
        ]
    );
    assert_eq!(v["target_lifecycle"]["extended_end"], "2029-01-09");
    for p in v["paths"].as_array().into_iter().flatten() {
        for field in ["kind", "hops", "supported", "blocked_by"] {
            assert!(p.get(field).is_some(), "path lacks {field}");
        }
        for h in p["hops"].as_array().into_iter().flatten() {
            for field in ["from", "to", "edition", "notes", "source"] {
                assert!(h.get(field).is_some(), "hop lacks {field}");
            }
        }
    }
    let cloud = paths(&v, "cloud");
    assert_eq!(cloud.len(), 1);
    assert_eq!(cloud[0]["supported"], true);
    assert_eq!(
        cloud[0]["status"],
        "the Azure-only ESU year ended on 2024-01-09 (1051 days ago): a rehosted Windows Server 2008 no longer receives security updates"
    );
    assert_eq!(paths(&v, "side_by_side")[0]["supported"], true);
}

#[test]
fn x86_has_no_in_place_path_for_any_target() {
    for target in ["2019", "2022", "2025"] {
        let v = migrate_json(&X86, target);
        let ip = paths(&v, "in_place");
        assert_eq!(ip.len(), 1);
        assert_eq!(ip[0]["supported"], false);
        assert_eq!(ip[0]["hops"].as_array().map(Vec::len), Some(0));
        assert_eq!(
            ip[0]["blocked_by"][0]["text"],
            "Upgrades from 32-bit to 64-bit are not supported; every release since 2008 R2 is 64-bit only. Use clean install + role migration."
        );
        assert_eq!(chains(&v), Vec::<String>::new());
        assert_eq!(refusals(&v), Vec::<String>::new());
        assert_eq!(v["host"]["arch"], "x86");
        assert_eq!(v["recommendation"]["kind"], "side_by_side");
        assert_eq!(paths(&v, "side_by_side")[0]["supported"], true);
        assert_eq!(paths(&v, "cloud")[0]["supported"], false);
    }
}

#[test]
fn itanium_has_no_in_place_path_for_any_target() {
    for target in ["2019", "2022", "2025"] {
        let v = migrate_json(&IA64, target);
        assert_eq!(v["host"]["arch"], "ia64");
        assert_eq!(v["host"]["edition"], "Enterprise for Itanium-based Systems");
        let ip = paths(&v, "in_place");
        assert_eq!(ip.len(), 1);
        assert_eq!(ip[0]["supported"], false);
        assert_eq!(ip[0]["blocked_by"].as_array().map(Vec::len), Some(2));
        let cpu = ip[0]["blocked_by"][1]["text"].as_str().unwrap_or("");
        assert!(cpu.starts_with(&format!("Windows Server {target} requires an x64 processor")), "{cpu}");
        assert_eq!(chains(&v), Vec::<String>::new());
        assert_eq!(v["recommendation"]["kind"], "side_by_side");
        assert_eq!(paths(&v, "cloud")[0]["supported"], false);
    }
}

#[test]
fn server_core_every_target() {
    let cases: [(&str, &[&str]); 3] = [
        ("2019", &["2012>2012 R2>2019", "2012>2016>2019"]),
        ("2022", &["2012>2016>2022"]),
        ("2025", &["2012>2012 R2>2025", "2012>2016>2025"]),
    ];
    for (target, want) in cases {
        let v = migrate_json(&CORE, target);
        assert_eq!(v["host"]["server_core"], true);
        assert_eq!(chains(&v), want, "target {target}");
        for chain in editions(&v) {
            assert!(chain.iter().all(|e| e.ends_with("(Server Core)")), "{chain:?}");
        }
        // Core stays Core; the GUI conversion is offered at the 2012 R2 hop only.
        for p in paths(&v, "in_place") {
            for h in p["hops"].as_array().into_iter().flatten() {
                let notes: Vec<&str> =
                    h["notes"].as_array().into_iter().flatten().filter_map(|n| n["text"].as_str()).collect();
                assert!(
                    notes.contains(&"Switching installation option during an upgrade is not supported."),
                    "{notes:?}"
                );
                let convert = notes.iter().any(|n| n.starts_with("Cannot change installation option during upgrade"));
                assert_eq!(convert, h["to"] == "Windows Server 2012 R2", "{}", h["to"]);
            }
        }
    }
    let v = migrate_json(&CORE_STD, "2019");
    assert_eq!(v["host"]["edition"], "Standard");
    assert_eq!(editions(&v)[0], ["Standard or Datacenter (Server Core)"; 3]);
}

#[test]
fn r2_sp1_every_target() {
    let cases: [(&str, &[&str], &[&str], &str); 3] = [
        ("2019", &["2012 R2>2019"], &["2008 R2>2016:no", "2008 R2>2019:no"], "in_place"),
        (
            "2022",
            &["2012>2016>2022", "2012 R2>2016>2022", "2012 R2>2019>2022"],
            &[
                "2008 R2>2016:no",
                "2008 R2>2019:no",
                "2008 R2>2022:no",
                "2012>2019:no",
                "2012>2022:no",
                "2012 R2>2022:no",
            ],
            "side_by_side",
        ),
        (
            "2025",
            &["2012 R2>2025"],
            &["2008 R2>2016:no", "2008 R2>2019:no", "2008 R2>2022:no", "2008 R2>2025:no"],
            "in_place",
        ),
    ];
    for (target, want_chains, want_refused, rec) in cases {
        let v = migrate_json(&R2, target);
        assert_eq!(v["host"]["product"], "Windows Server 2008 R2 SP1");
        assert_eq!(chains(&v), want_chains, "target {target}");
        assert_eq!(refusals(&v), want_refused, "target {target}");
        assert_eq!(v["recommendation"]["kind"], rec, "target {target}");
        // Datacenter stays Datacenter on every hop.
        for chain in editions(&v) {
            assert!(chain.iter().all(|e| e == "Datacenter"), "{chain:?}");
        }
        let first = &paths(&v, "in_place")[0]["hops"][0];
        assert_eq!(first["requires"][0]["text"], "Service Pack 1 (installed)");
        assert_eq!(v["lifecycle"]["product"], "Windows Server 2008 R2");
    }
}

#[test]
fn domain_controller_caveats_and_recommendation() {
    let v = migrate_json(&DC, "2019");
    assert_eq!(v["host"]["domain_controller"], true);
    let caveats: Vec<(bool, String)> = v["caveats"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|c| (c["blocks"] == true, c["text"].as_str().unwrap_or("").chars().take(30).collect()))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        caveats,
        [
            (false, "Recommended: promote new DCs o".to_string()),
            (false, "Functional-levels doc: DCs run".to_string()),
            (true, "2019+ DCs require at least the".to_string()),
            (true, "2019 DC needs Windows Server 2".to_string()),
        ]
    );
    assert_eq!(v["recommendation"]["kind"], "side_by_side");
    assert_eq!(
        v["recommendation"]["summary"],
        "Build new Windows Server 2019 domain controllers side by side, move the FSMO roles, then demote and retire this one."
    );
    // The in-place chain still exists, with the DC prerequisite on its first hop.
    assert_eq!(chains(&v), ["2012>2012 R2>2019", "2012>2016>2019"]);
    let req = &paths(&v, "in_place")[0]["hops"][0]["requires"][1]["text"];
    assert!(req.as_str().unwrap_or("").contains("adprep /forestprep"), "{req}");
}

#[test]
fn table_and_markdown_runbook() {
    let dir = bundle(&Start { name: "mig-md", ..X64 });
    let d = dir.to_string_lossy().into_owned();
    let o = w2k8(&["migrate", &d, "--target", "2019", "--format", "markdown", "--as-of", "2026-11-25"]);
    assert_exit(&o, 0);
    let md = stdout(&o);
    assert!(md.starts_with("# Runbook: MIG-MD, Windows Server 2008 SP2 to Windows Server 2019\n"), "{md}");
    assert!(md.contains("## Path 1: In-place upgrade: Windows Server 2008 SP2 -> Windows Server 2012 -> Windows Server 2012 R2 -> Windows Server 2019 (supported)"), "{md}");
    assert!(md.contains("- [ ] Service Pack 2 (installed) ([source](https://learn.microsoft.com/en-us/windows-server/get-started/installation-and-upgrade))"), "{md}");
    assert!(md.contains("## Why not a shorter chain"), "{md}");
    let o = w2k8(&["migrate", &d, "--target", "2019", "--as-of", "2026-11-25"]);
    assert_exit(&o, 0);
    let t = stdout(&o);
    assert!(t.contains("extended support ended 2020-01-14 (2507 days ago)"), "{t}");
    assert!(t.contains("Recommendation: Migrate side by side"), "{t}");
}

#[test]
fn lifecycle_command() {
    let o = w2k8(&["lifecycle"]);
    assert_exit(&o, 0);
    let t = stdout(&o);
    assert_eq!(t.lines().filter(|l| l.starts_with("Windows Server ")).count(), 12, "{t}");
    let o = w2k8(&["lifecycle", "--format", "json"]);
    assert_exit(&o, 0);
    let v = json(&o);
    let v = &v["lifecycle"];
    assert_eq!(v.as_array().map(Vec::len), Some(12));
    assert_eq!(v[2]["product"], "Windows Server 2008");
    assert_eq!(v[2]["extended_end"], "2020-01-14");
    assert_eq!(v[2]["esu_azure_end"], "2024-01-09");
    let o = w2k8(&["lifecycle", "--format", "markdown"]);
    assert_exit(&o, 0);
    assert!(stdout(&o)
        .contains("| Windows Server 2008 R2 | 2009-10-22 | 2015-01-13 | 2020-01-14 | 2023-01-10 | 2024-01-09 |"));
}

#[test]
fn bad_input_exits_2() {
    let d = std::env::temp_dir().join(format!("w2k8-migrate-{}-garbage", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    std::fs::write(d.join("notes.txt"), b"\x00\x01\x02 nothing a Windows command writes\r\n").expect("write");
    let ds = d.to_string_lossy().into_owned();
    assert_exit(&w2k8(&["migrate", &ds]), 2);
    assert_exit(&w2k8(&["migrate", "/nonexistent/w2k8/bundle"]), 2);
    let good = bundle(&Start { name: "mig-args", ..X64 });
    let g = good.to_string_lossy().into_owned();
    assert_exit(&w2k8(&["migrate", &g, "--target", "2016"]), 2);
    assert_exit(&w2k8(&["migrate", &g, "--as-of", "2026-13-40"]), 2);
    assert_exit(&w2k8(&["migrate", &g, "--format", "html"]), 2);
}

#[test]
fn not_2008_exits_3() {
    let s = Start {
        name: "mig-2012r2",
        os_name: "Microsoft Windows Server 2012 R2 Standard",
        version: "6.3.9600",
        sp: 0,
        build: 9600,
        sku: 7,
        ..X64
    };
    let d = bundle(&s).to_string_lossy().into_owned();
    let o = w2k8(&["migrate", &d]);
    assert_exit(&o, 3);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("Windows Server 2012 R2"), "{err}");
}
