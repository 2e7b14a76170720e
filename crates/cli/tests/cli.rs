//! Integration tests: run the real `w2k8` binary on example bundles, real
//! captures and bad input, and check output and exit codes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::too_many_lines)]
mod util;

use std::path::Path;
use util::{assert_exit, json, scratch, stderr, stdout, w2k8};

#[test]
fn readme_first_command_runs_on_example() {
    let o = w2k8(&["standing", "examples/srv-file01", "--as-of", "2026-11-25"]);
    assert_exit(&o, 0);
    let out = stdout(&o);
    assert!(out.contains("Windows Server 2008 SP2"), "{out}");
    assert!(out.contains("6003"), "{out}");
    assert!(out.contains("Patched through"), "{out}");
}

#[test]
fn json_contract_fields() {
    let o = w2k8(&["standing", "examples/srv-file01", "--format", "json", "--as-of", "2026-11-25"]);
    assert_exit(&o, 0);
    let v = json(&o);
    for field in [
        "host",
        "product",
        "edition",
        "arch",
        "server_core",
        "service_pack",
        "build",
        "kernel_revision",
        "branch",
        "hotfixes",
        "latest_rollup",
        "patched_through",
        "evidence",
    ] {
        assert!(v.get(field).is_some(), "missing {field} in {v}");
    }
    assert_eq!(v["product"], "Windows Server 2008 SP2");
    assert_eq!(v["build"], 6003);
    assert!(matches!(v["arch"].as_str(), Some("x86" | "x64" | "ia64")));
    let hotfixes: Vec<&str> = v["hotfixes"].as_array().unwrap().iter().map(|h| h.as_str().unwrap()).collect();
    let mut sorted = hotfixes.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(hotfixes, sorted, "hotfixes sorted and unique");
    assert!(hotfixes.iter().all(|h| h.starts_with("KB")));
    for e in v["evidence"].as_array().unwrap() {
        assert!(e["fact"].is_string() && e["file"].is_string(), "{e}");
    }
    let lr = &v["latest_rollup"];
    assert!(lr["kb"].is_string() && lr["released"].is_string() && lr["kind"].is_string(), "{lr}");
    let pt = v["patched_through"].as_str().unwrap();
    assert_eq!(pt.len(), 7, "{pt}");
}

#[test]
fn legacy_example_is_6002_patched_through_2018_12() {
    let o = w2k8(&["standing", "examples/srv-legacy01", "--format", "json", "--as-of", "2026-11-25"]);
    assert_exit(&o, 0);
    let v = json(&o);
    assert_eq!(v["build"], 6002);
    assert_eq!(v["arch"], "x86");
    assert_eq!(v["patched_through"], "2018-12");
    assert_eq!(v["latest_rollup"]["kb"], "KB4471325");
    assert_eq!(v["sha2"]["present"], false);
}

fn real(name: &str) -> String {
    format!("crates/inventory/tests/fixtures/systeminfo/real/{name}")
}

#[test]
fn real_2008_rtm_captures_are_standing_sp1_level() {
    for (file, arch) in [("wesng_srv2008_sp1_x64_en.txt", "x64"), ("wesng_srv2008_sp1_x86_en.txt", "x86")] {
        let o = w2k8(&["standing", &real(file), "--format", "json", "--as-of", "2026-11-25"]);
        assert_exit(&o, 0);
        let v = json(&o);
        assert_eq!(v["build"], 6001, "{file}");
        assert_eq!(v["service_pack"], 1, "{file}");
        assert_eq!(v["arch"], arch, "{file}");
        assert_eq!(v["edition"], "Standard", "{file}");
        assert_eq!(v["server_core"], serde_json::Value::Null, "{file}");
        assert_eq!(v["hotfixes"], serde_json::json!(["KB956250"]), "{file}");
        assert_eq!(v["patched_through"], serde_json::Value::Null, "{file}");
        assert!(v["product"].as_str().unwrap().contains("RTM"), "{file}");
        assert!(v["evidence"].as_array().unwrap().iter().any(|e| e["fact"] == "build" && e["line"] == 4), "{file}");
    }
}

#[test]
fn other_windows_versions_are_named_and_refused() {
    let cases = [
        ("wesng_vista_rtm_x64_en.txt", "Windows Vista"),
        ("wesng_vista_sp1_x64_en.txt", "Windows Vista"),
        ("wesng_vista_sp2_x64_en.txt", "Windows Vista"),
        ("neg_wesng_srv2003r2_sp2_x86_en.txt", "Windows Server 2003"),
        ("neg_wesng_srv2012r2_u1_en.txt", "Windows Server 2012 R2"),
        ("neg_wesng_srv2012r2_x64_ru_utf8.txt", "Windows Server 2012 R2"),
        ("neg_wesng_win7_sp1_x64_de_utf8.txt", "Windows 7"),
        ("neg_wesng_win7_sp1_x64_fr_cp850.txt", "Windows 7"),
        ("neg_wesng_win7_sp1_x64_fr_utf16.txt", "Windows 7"),
        ("neg_wesng_win7_sp1_x86_en.txt", "Windows 7"),
        ("neg_wesng_10_1803_x64_enterprise_es-ar_20190307.txt", "Windows 10"),
        ("neg_wesng_10_1803_x64_pro_it.txt", "Windows 10"),
        ("neg_wesng_10_1803_x86_enterprise_nl.txt", "Windows 10"),
        ("neg_wesng_10_1809_x64_education_es.txt", "Windows 10"),
        ("neg_wesng_10_1809_x64_enterprise_zh-cn.txt", "Windows 10"),
    ];
    for (file, name) in cases {
        let o = w2k8(&["standing", &real(file)]);
        assert_exit(&o, 3);
        let err = stderr(&o);
        assert!(err.contains(name), "{file}: {err}");
        assert!(o.stdout.is_empty(), "{file}: nothing on stdout");
    }
}

/// Issue 18, item 10: a bundle piped on standard input (`/dev/stdin`) is
/// read whole: the zip sniff used to eat its first 4 bytes (a systeminfo
/// lost its byte order mark and first line break, a zip its signature).
#[test]
fn a_bundle_piped_on_stdin_reads_whole() {
    use std::io::Write;
    use std::process::Stdio;
    let piped = |file: &str| {
        let mut child = util::command()
            .args(["standing", "--format", "json", "--as-of", "2026-01-15", "/dev/stdin"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let bytes = std::fs::read(util::root().join(file)).unwrap();
        let mut stdin = child.stdin.take().unwrap();
        // A writer thread: the child may answer before reading all of it.
        let writer = std::thread::spawn(move || {
            let _ = stdin.write_all(&bytes);
        });
        let o = child.wait_with_output().unwrap();
        writer.join().unwrap();
        o
    };
    for file in ["examples/srv-legacy01/systeminfo.txt", "examples/fleet/00002-SRV-DC00002.zip"] {
        let direct = w2k8(&["standing", "--format", "json", "--as-of", "2026-01-15", file]);
        assert_exit(&direct, 0);
        let o = piped(file);
        assert_exit(&o, 0);
        let want = stdout(&direct).replace(file, "/dev/stdin");
        assert_eq!(stdout(&o), want, "{file} piped reads as the file does");
    }
    let v = json(&piped("examples/srv-legacy01/systeminfo.txt"));
    assert_eq!(v["sources"][0]["encoding"], "UTF-16LE (BOM)", "{}", v["sources"]);
}

#[test]
fn bad_input_exits_2_with_file_and_line() {
    let d = scratch("bad");
    let empty = d.join("empty.txt");
    std::fs::write(&empty, b"").unwrap();
    let prose = d.join("notes.txt");
    std::fs::write(&prose, "Dear admin,\r\nplease patch the server.\r\n").unwrap();
    let binary = d.join("blob.txt");
    std::fs::write(&binary, (0u8..=255).cycle().take(4096).collect::<Vec<u8>>()).unwrap();
    for f in [&empty, &prose, &binary] {
        let o = w2k8(&["standing", f.to_str().unwrap()]);
        assert_exit(&o, 2);
        let err = stderr(&o);
        assert!(err.contains(f.file_name().unwrap().to_str().unwrap()), "{err}");
        assert!(err.contains("expected"), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    let o = w2k8(&["standing", d.join("missing").to_str().unwrap()]);
    assert_exit(&o, 2);
}

#[test]
fn huge_file_is_refused_quickly() {
    let d = scratch("huge");
    let f = d.join("systeminfo.txt");
    let file = std::fs::File::create(&f).unwrap();
    file.set_len(200 * 1024 * 1024).unwrap(); // sparse: costs no disk
    let t = std::time::Instant::now();
    let o = w2k8(&["standing", f.to_str().unwrap()]);
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("systeminfo.txt"), "{}", stderr(&o));
    assert!(t.elapsed().as_secs() < 10);
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn forced_wrong_encoding_is_bad_input_or_still_reads() {
    // A bad --encoding name is a usage error (exit 2), listing valid names.
    let o = w2k8(&["standing", "examples/srv-file01", "--encoding", "klingon"]);
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("cp850"), "{}", stderr(&o));
}

#[test]
fn kb_and_cve_records_print_with_sources() {
    let o = w2k8(&["kb", "KB4493471"]);
    assert_exit(&o, 0);
    let out = stdout(&o);
    assert!(out.contains("2019-04-09") && out.contains("6.0.6003.20489") && out.contains("Source"), "{out}");
    let o = w2k8(&["kb", "4493471", "--format", "json"]);
    assert_exit(&o, 0);
    assert_eq!(json(&o)["kind"], "monthly_rollup");
    let o = w2k8(&["cve", "cve-2019-0708"]);
    assert_exit(&o, 0);
    let out = stdout(&o);
    assert!(out.contains("KB4499149") && out.contains("KB4499180") && out.contains("added"), "{out}");
    assert_exit(&w2k8(&["kb", "KB1"]), 2);
    assert_exit(&w2k8(&["kb", "banana"]), 2);
    assert_exit(&w2k8(&["cve", "CVE-1999-0001"]), 2);
    assert_exit(&w2k8(&["cve", "banana"]), 2);
    // An MSRC advisory with updates is a record too (SHA-2 code signing, KB4474419).
    let o = w2k8(&["cve", "adv190009"]);
    assert_exit(&o, 0);
    assert!(stdout(&o).contains("ADV190009: SHA-2 Code Sign Support Advisory") && stdout(&o).contains("KB4474419"));
}

#[test]
fn collector_prints_the_script() {
    let o = w2k8(&["collector"]);
    assert_exit(&o, 0);
    let out = stdout(&o);
    assert!(out.starts_with("@echo off"), "{}", &out[..out.len().min(200)]);
    assert!(out.contains("\r\n"));
    assert!(out.contains("systeminfo"));
}

/// Writes `text` as wmic writes it through `>`: UTF-16LE with a BOM, CRLF.
fn write_utf16(path: &Path, text: &str) {
    let mut bytes = vec![0xFF, 0xFE];
    for u in text.replace('\n', "\r\n").encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    std::fs::write(path, bytes).unwrap();
}

fn wmic_os(caption: &str, sku: u32, arch: &str, build: u32) -> String {
    format!(
        "\n\nBuildNumber={build}\nCaption={caption}\nCSDVersion=Service Pack 2\nCSName=CORE01\nOperatingSystemSKU={sku}\nOSArchitecture={arch}\nProductType=3\nServicePackMajorVersion=2\nVersion=6.0.{build}\n\n\n"
    )
}

#[test]
fn server_core_and_itanium_from_operating_system_sku() {
    let cases = [
        ("Microsoft Windows Server 2008 Enterprise ", 0x0E, "64-bit", "Enterprise", true, "x64"),
        ("Microsoft Windows Server 2008 Standard ", 0x0D, "32-bit", "Standard", true, "x86"),
        (
            "Microsoft Windows Server 2008 Datacenter without Hyper-V ",
            0x25,
            "64-bit",
            "Datacenter without Hyper-V",
            false,
            "x64",
        ),
        (
            "Microsoft Windows Server 2008 Standard without Hyper-V ",
            0x28,
            "64-bit",
            "Standard without Hyper-V",
            true,
            "x64",
        ),
        ("Microsoft Windows Server 2008 Web Server ", 0x1D, "32-bit", "Web", true, "x86"),
        (
            "Microsoft Windows Server 2008 Enterprise for Itanium-Based Systems ",
            0x0F,
            "Itanium-based",
            "Enterprise for Itanium-based Systems",
            false,
            "ia64",
        ),
    ];
    for (i, (caption, sku, arch, edition, core, want_arch)) in cases.into_iter().enumerate() {
        let d = scratch(&format!("sku{i}"));
        write_utf16(&d.join("os.txt"), &wmic_os(caption, sku, arch, 6003));
        write_utf16(&d.join("ntoskrnl.txt"), "\n\nVersion=6.0.6003.21872\n\n\n");
        let o = w2k8(&["standing", d.to_str().unwrap(), "--format", "json", "--as-of", "2026-11-25"]);
        assert_exit(&o, 0);
        let v = json(&o);
        assert_eq!(v["edition"], edition, "{caption}");
        assert_eq!(v["server_core"], core, "{caption}");
        assert_eq!(v["arch"], want_arch, "{caption}");
        assert_eq!(v["host"], "CORE01");
        // No hotfix list at all: the kernel is the only witness, and it proves
        // a bound (its month's update is in effect), not the exact month.
        assert_eq!(v["patched_through"], serde_json::Value::Null, "{caption}");
        assert_eq!(v["patched_through_at_least"], "2023-01", "{caption}");
        assert_eq!(v["evidence_completeness"], "partial", "{caption}");
        assert_eq!(v["sha2"]["status"], "installed", "{caption}: proven by the 2023 kernel");
        assert!(v["evidence"].as_array().unwrap().iter().any(|e| e["fact"] == "server_core" && e["file"] == "os.txt"));
        let _ = std::fs::remove_dir_all(&d);
    }
}

#[test]
fn vista_is_refused_even_from_wmic() {
    let d = scratch("vista");
    let text = "\n\nBuildNumber=6002\nCaption=Microsoft Windows Vista Business \nCSName=PC1\nOperatingSystemSKU=6\nProductType=1\nVersion=6.0.6002\n\n\n";
    write_utf16(&d.join("os.txt"), text);
    let o = w2k8(&["standing", d.to_str().unwrap()]);
    assert_exit(&o, 3);
    assert!(stderr(&o).contains("Windows Vista"), "{}", stderr(&o));
}

/// A refused host with `--format json` is still a JSON object on stdout
/// (issue 15), with exit code 3, for `standing` and `assess` alike.
#[test]
fn a_refused_host_answers_json_when_asked() {
    let d = scratch("w7json");
    let text = "\n\nBuildNumber=7601\nCaption=Microsoft Windows 7 Enterprise \nCSName=W7\nOSArchitecture=64-bit\nOperatingSystemSKU=4\nProductType=1\nVersion=6.1.7601\n\n\n";
    write_utf16(&d.join("os.txt"), text);
    for cmd in ["standing", "assess"] {
        let o = w2k8(&[cmd, d.to_str().unwrap(), "--format", "json"]);
        assert_exit(&o, 3);
        let v = json(&o);
        assert_eq!(v["refused"], true, "{cmd}");
        assert_eq!(v["family"], "Windows 7", "{cmd}");
        assert_eq!(v["build"], 7601, "{cmd}");
        assert_eq!(v["nt_version"], "6.1", "{cmd}");
        assert_eq!(v["arch"], "x64", "{cmd}");
        assert!(v["reason"].as_str().unwrap().contains("Windows 7"), "{cmd}");
    }
    // Text output stays a message on stderr only.
    let o = w2k8(&["standing", d.to_str().unwrap()]);
    assert_exit(&o, 3);
    assert!(stdout(&o).is_empty());
}

#[test]
fn forcing_a_wrong_encoding_is_bad_input() {
    // A UTF-16 file forced to be read as cp850 is no systeminfo at all.
    let o = w2k8(&["standing", "examples/srv-legacy01/systeminfo.txt", "--encoding", "cp850"]);
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("systeminfo.txt"), "{}", stderr(&o));
}

/// Windows Server 2008 R2 SP1 is assessed (issue 17): the real WES-NG
/// capture (bitsadmin/wesng validation file, "6.1.7601 Service Pack 1 Build
/// 7601", x64) gets the same standing fields as 2008 SP2.
#[test]
fn a_real_2008_r2_capture_gets_a_standing() {
    let o = w2k8(&["standing", &real("wesng_srv2008r2_sp1_x64_en.txt"), "--format", "json"]);
    assert_exit(&o, 0);
    let v = json(&o);
    assert_eq!(v["product"], "Windows Server 2008 R2 SP1");
    assert_eq!(v["os_family"], "ws2008_r2");
    assert_eq!(v["nt_version"], "6.1");
    assert_eq!(v["build"], 7601);
    assert_eq!(v["service_pack"], 1);
    assert_eq!(v["arch"], "x64");
    assert_eq!(v["branch"], serde_json::Value::Null, "no sourced revision ranges for R2");
}
