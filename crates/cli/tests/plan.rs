//! `w2k8 plan` and `w2k8 script`: generated hosts at each servicing stage
//! (fresh 6002, 6002 with the SSU but no SHA-2, 6003 through 2019-12
//! without ESU, fully patched), the scripts' text, and bad input.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::too_many_lines)]
mod util;

use std::path::{Path, PathBuf};
use util::{assert_exit, json, scratch, stderr, stdout, w2k8};
use w2k8_assess::generate::{systeminfo_text, GeneratedHost};
use w2k8_core::{Date, Kb};

/// A systeminfo file of an English 2008 SP2 x64 host with these KBs on `build`.
fn host_file(name: &str, build: u32, kbs: &[u32]) -> PathBuf {
    let g = GeneratedHost {
        os: w2k8_catalog::OsFamily::Ws2008,
        month: "2000-01".to_string(),
        rollup: Kb::new(4_458_010).unwrap(),
        released: Date::new(2018, 9, 11).unwrap(),
        installed: kbs.iter().map(|n| Kb::new(*n).unwrap()).collect(),
        later_rollups: Vec::new(),
    };
    let text = systeminfo_text(&g)
        .replace("6.0.6003 Service Pack 2 Build 6003", &format!("6.0.{build} Service Pack 2 Build {build}"));
    let d = scratch(name);
    let f = d.join("systeminfo.txt");
    std::fs::write(&f, text).unwrap();
    f
}

fn plan_json(f: &Path, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["plan", f.to_str().unwrap(), "--as-of", "2026-06-01", "--format", "json"];
    args.extend_from_slice(extra);
    let o = w2k8(&args);
    assert_exit(&o, 1);
    json(&o)
}

fn kbs_of(p: &serde_json::Value) -> Vec<String> {
    p["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["kb"].as_str().map(str::to_string).unwrap_or_else(|| s["kind"].as_str().unwrap().to_string()))
        .collect()
}

#[test]
fn fresh_6002_premium() {
    let f = host_file("plan-fresh", 6002, &[]);
    let p = plan_json(&f, &["--esu", "premium"]);
    assert_eq!(kbs_of(&p), ["KB4493730", "KB4474419", "KB5039341", "KB4534303", "KB4538484", "esu_key", "KB5073697"]);
    assert_eq!(p["reboots"], 3);
    let steps = p["steps"].as_array().unwrap();
    for (i, s) in steps.iter().enumerate() {
        assert_eq!(s["order"], i + 1);
        for key in ["kb", "title", "kind", "file", "reboot", "requires", "satisfied", "known_issues", "source"] {
            assert!(s.get(key).is_some(), "step {i} lacks {key}");
        }
        assert!(s["file"].is_null());
    }
    let restarts: Vec<bool> = steps.iter().map(|s| s["restart_after"].as_bool().unwrap()).collect();
    assert_eq!(restarts, [false, true, false, true, false, false, true]);
    assert_eq!(steps[1]["reboot"], true);
    assert_eq!(steps[0]["reboot"], false);
    assert_eq!(steps[6]["requires"], serde_json::json!(["KB5039341", "KB4474419", "KB4538484", "ESU key"]));
    let f = p["predicted_failures"].as_array().unwrap();
    assert_eq!(f.len(), 3);
    assert_eq!(f[1]["kb"], "KB4534303");
    assert_eq!(f[1]["error"], "0x80092004");
    // From data/errors/hresults.csv, the fix told in the plan's one order (issue 15).
    let fix = f[1]["fix"].as_str().unwrap();
    assert!(fix.starts_with("On Windows Server 2008 SP2: install the servicing stack update KB4493730"), "{fix}");
    assert_eq!(
        f[1]["source"][0], "data/errors/hresults.csv 0x80092004",
        "an embedded file, `w2k8 catalog source` opens it"
    );
    assert!(f[1]["source"][1].as_str().unwrap().contains("mcpmag.com/Articles/2019/08/19"));
    assert_eq!(f[2]["error"], "0x80070643");
    assert_eq!(f[2]["kb"], "KB5073697");
    assert!(f[2]["source"][1].as_str().unwrap().contains("adminsam.com"));
    assert_eq!(p["final_state"], serde_json::json!({"build": 6003, "patched_through": "2026-01"}));
}

#[test]
fn fresh_6002_no_esu_stops_and_isolates() {
    let f = host_file("plan-fresh-none", 6002, &[]);
    let p = plan_json(&f, &["--esu", "none"]);
    assert_eq!(kbs_of(&p), ["KB4493730", "KB4474419", "KB4536953", "KB4534303"]);
    assert_eq!(p["reboots"], 2);
    assert!(p["stops"].as_str().unwrap().starts_with("stops at KB4534303 (2020-01-14)"));
    assert_eq!(p["final_state"]["patched_through"], "2020-01");
    let iso = &p["cannot_patch_further"];
    assert_eq!(iso["programme_ended"], "2020-01-14");
    assert!(!iso["kev_exposed"].as_array().unwrap().is_empty());
}

#[test]
fn ssu_without_sha2() {
    let f = host_file("plan-ssu", 6002, &[4493730]);
    let p = plan_json(&f, &["--esu", "esu"]);
    assert_eq!(kbs_of(&p), ["KB4474419", "KB5010452", "KB4534303", "KB4538484", "esu_key", "KB5022340"]);
    assert_eq!(p["steps"][0]["satisfied"], true);
    assert_eq!(p["final_state"]["patched_through"], "2023-01");
}

#[test]
fn through_2019_12_without_esu() {
    let f = host_file("plan-1912", 6003, &[4474419, 4530695, 4531787]);
    let p = plan_json(&f, &[]);
    assert_eq!(p["programme"]["programme"], "none");
    assert_eq!(kbs_of(&p), ["KB4536953", "KB4534303"]);
    assert_eq!(p["reboots"], 1);
    let p = plan_json(&f, &["--esu", "esu", "--until", "2020-06"]);
    // The newest SSU up to June 2020 is April's (KB4550737); the June 2020 rollup is the last step.
    assert_eq!(kbs_of(&p), ["KB4550737", "KB4538484", "esu_key", "KB4561670"]);
    assert_eq!(p["final_state"]["patched_through"], "2020-06");
    assert!(p["stops"].as_str().unwrap().contains("--until"));
}

#[test]
fn fully_patched() {
    let f = host_file("plan-full", 6003, &[4474419, 4538484, 5039341, 5073697]);
    let o = w2k8(&["plan", f.to_str().unwrap(), "--as-of", "2026-06-01", "--format", "json"]);
    let p = json(&o);
    assert_eq!(p["steps"], serde_json::json!([]));
    assert_eq!(p["reboots"], 0);
    assert_eq!(p["predicted_failures"], serde_json::json!([]));
    let o = w2k8(&["plan", f.to_str().unwrap(), "--as-of", "2026-06-01"]);
    assert!(stdout(&o).contains("Nothing to install."), "{}", stdout(&o));
}

#[test]
fn table_and_markdown() {
    let f = host_file("plan-md", 6002, &[]);
    let o = w2k8(&["plan", f.to_str().unwrap(), "--as-of", "2026-06-01", "--esu", "none"]);
    assert_exit(&o, 1);
    let t = stdout(&o);
    assert!(t.contains("Steps (2 restart(s))"), "{t}");
    assert!(t.contains("      ---- restart ----"), "{t}");
    assert!(t.contains("0x80092004 CRYPT_E_NOT_FOUND"), "{t}");
    let o = w2k8(&["plan", f.to_str().unwrap(), "--as-of", "2026-06-01", "--esu", "none", "--format", "markdown"]);
    let m = stdout(&o);
    assert!(m.starts_with("# Patch plan for GEN-200001\n"), "{m}");
    assert!(m.contains("| 1 | KB4493730 | ssu | 2019-04-09 | no |"), "{m}");
    assert!(m.contains("| 2 | KB4474419 | sha2 | 2019-09-10 | yes, restart now |"), "{m}");
}

fn script(f: &Path, which: &str) -> String {
    let o = w2k8(&["script", f.to_str().unwrap(), which, "--as-of", "2026-06-01", "--esu", "premium"]);
    assert_exit(&o, 0);
    stdout(&o)
}

#[test]
fn install_script() {
    let f = host_file("script-install", 6002, &[]);
    let s = script(&f, "--install");
    assert!(s.ends_with("\r\n"));
    assert_eq!(s.matches('\n').count(), s.matches("\r\n").count(), "every line ends CRLF");
    assert!(s.starts_with("@echo off\r\n"));
    assert!(s.contains("if /i not \"%ARCH%\"==\"AMD64\" goto :wrong_arch\r\n"));
    assert!(s.contains("ver | find \"6.0.600\" >nul\r\n"));
    let order = ["4493730", "4474419", "5039341", "4534303", "4538484", "5073697"];
    let mut at = 0;
    for kb in order {
        let needle = format!("call :install {kb}\r\nif errorlevel 1 goto :failed\r\n");
        let i = s[at..].find(&needle).unwrap_or_else(|| panic!("KB{kb} in order with its failure check"));
        at += i + needle.len();
    }
    assert_eq!(s.matches("call :install ").count(), 6);
    // Checks come before the first step; restarts stop with the resume command.
    assert!(s.find(":wrong_arch").unwrap() < s.find(":step1").unwrap());
    // Three planned restarts, and the refusal when a restart is already pending.
    assert_eq!(s.matches("exit /b 3010\r\n").count(), 4);
    assert_eq!(s.matches("\r\necho Restart the server now").count(), 3);
    assert!(s.contains("echo Restart the server now, then run: \"%~f0\" 3\r\n"));
    assert!(s.contains(":step6\r\nset \"STEP=6\"\r\nrem manual step: Install and activate the ESU key"));
    assert!(s.contains("echo When it is done, run: \"%~f0\" 7\r\nexit /b 4\r\n"));
    // wusa: every exit code handled.
    assert!(s.contains("\r\n%W2K8_WUSA% \"%MSU%\" /quiet /norestart\r\n"));
    assert!(s.contains("if not defined W2K8_WUSA set \"W2K8_WUSA=wusa.exe\"\r\n"));
    // A pending restart stops the script before any step.
    let check = "reg query \"HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\RebootPending\" >nul 2>&1\r\nif not errorlevel 1 goto :restart_pending\r\n";
    assert!(s.find(check).unwrap() < s.find("goto :step%START%").unwrap());
    assert!(s.contains(":restart_pending\r\ncall :log a restart is pending"));
    for rc in ["\"%RC%\"==\"0\"", "\"%RC%\"==\"3010\"", "\"%RC%\"==\"2359302\"", "\"%RC%\"==\"-2145124329\""] {
        assert!(s.contains(rc), "{rc}");
    }
    assert!(s.contains("call :log stopped at step %STEP%. Fix the cause, restart if asked, then run: \"%~f0\" %STEP%"));
    assert!(s.contains("https://mskb.pkisolutions.com/kb/949545"));
    // The log redirection comes first: `echo ... step 3>> log` would redirect handle 3.
    assert!(s.contains("\r\n>> \"%LOG%\" echo [%DATE% %TIME%] %*\r\n"));
    assert!(!s.contains("%*>>"));
}

#[test]
fn rollback_script() {
    let f = host_file("script-rollback", 6002, &[]);
    let s = script(&f, "--rollback");
    assert_eq!(s.matches('\n').count(), s.matches("\r\n").count());
    let removed: Vec<&str> = s
        .lines()
        .filter_map(|l| l.strip_prefix("%W2K8_WUSA% /uninstall /kb:"))
        .filter_map(|l| l.strip_suffix(" /quiet /norestart"))
        .collect();
    assert_eq!(removed, ["5073697", "4538484", "4534303", "4474419"]);
    for ssu in ["4493730", "5039341"] {
        assert!(s.contains(&format!("call :log KB{ssu} is a servicing stack update: it cannot be removed")), "{ssu}");
    }
    assert!(s.find("KB5039341 is a servicing").unwrap() > s.find("/kb:4534303").unwrap());
    assert_eq!(s.matches("call :check %ERRORLEVEL%\r\nif errorlevel 1 goto :failed\r\n").count(), 4);
}

/// A bundle folder: the systeminfo of `host_file` plus inventory fixtures copied under the collector's names.
fn bundle_with(name: &str, build: u32, kbs: &[u32], extra: &[(&str, &str)]) -> PathBuf {
    let f = host_file(name, build, kbs);
    let d = f.parent().unwrap().to_path_buf();
    for (fixture, as_name) in extra {
        let src: PathBuf =
            [env!("CARGO_MANIFEST_DIR"), "..", "inventory", "tests", "fixtures", fixture].iter().collect();
        std::fs::copy(&src, d.join(as_name)).unwrap_or_else(|e| panic!("{}: {e}", src.display()));
    }
    d
}

fn failures_with(p: &serde_json::Value, code: &str) -> Vec<serde_json::Value> {
    p["predicted_failures"].as_array().unwrap().iter().filter(|f| f["error"] == code).cloned().collect()
}

const THROUGH_2019_12: [u32; 3] = [4530695, 4531787, 4474419];

#[test]
fn pending_restart_is_predicted() {
    let d = bundle_with("plan-reboot", 6003, &THROUGH_2019_12, &[("reg-reboot/all_three.txt", "reg-reboot.txt")]);
    let p = plan_json(&d, &[]);
    let f = failures_with(&p, "0x80240016");
    assert_eq!(f.len(), 1, "{:#}", p["predicted_failures"]);
    assert_eq!(f[0]["kb"], p["steps"][0]["kb"]);
    assert_eq!(f[0]["kb"], "KB4536953");
    assert_eq!(f[0]["symbol"], "WU_E_INSTALL_NOT_ALLOWED");
    let cause = f[0]["cause"].as_str().unwrap();
    assert!(
        cause.starts_with(
            "a restart is pending (reg-reboot.txt:2 shows RebootPending, RebootRequired, PendingFileRenameOperations)"
        ),
        "{cause}"
    );
    assert!(f[0]["fix"].as_str().unwrap().starts_with("restart the server first"));
    let src: Vec<&str> = f[0]["source"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect();
    assert!(
        src.contains(&"https://learn.microsoft.com/en-us/windows/deployment/update/windows-update-error-reference"),
        "{src:?}"
    );
    assert!(src.contains(&"data/servicing/plan-checks.md"));
    // The same host with an empty reg-reboot.txt: nothing pending, and the plan says it checked.
    let d = bundle_with("plan-noreboot", 6003, &THROUGH_2019_12, &[("reg-reboot/empty.txt", "reg-reboot.txt")]);
    let p = plan_json(&d, &[]);
    assert!(failures_with(&p, "0x80240016").is_empty());
    let notes: Vec<&str> = p["notes"].as_array().unwrap().iter().map(|n| n.as_str().unwrap()).collect();
    assert!(notes.contains(&"checked: no restart pending (reg-reboot.txt)"), "{notes:?}");
}

#[test]
fn low_disk_is_predicted_and_plenty_is_not() {
    let low = bundle_with(
        "plan-lowdisk",
        6003,
        &THROUGH_2019_12,
        &[("wmic-logicaldisk/srv2008sp2_low_c_utf16.txt", "disk.txt")],
    );
    let p = plan_json(&low, &[]);
    let f = failures_with(&p, "0x80070070");
    assert_eq!(f.len(), 1, "{:#}", p["predicted_failures"]);
    assert_eq!(f[0]["kb"], "KB4534303");
    assert_eq!(f[0]["symbol"], "ERROR_DISK_FULL");
    assert!(f[0]["cause"].as_str().unwrap().starts_with("C: has 1.5 GB free (disk.txt:5)"), "{}", f[0]["cause"]);
    let src: Vec<&str> = f[0]["source"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect();
    assert!(src.iter().any(|s| s.contains("troubleshoot-windows-update-error-0x80070070")), "{src:?}");
    assert!(failures_with(&p, "0x80240016").is_empty());

    let plenty = bundle_with(
        "plan-plentydisk",
        6003,
        &THROUGH_2019_12,
        &[("wmic-logicaldisk/srv2008sp2_plenty_utf16.txt", "disk.txt")],
    );
    let p = plan_json(&plenty, &[]);
    assert!(failures_with(&p, "0x80070070").is_empty(), "{:#}", p["predicted_failures"]);
    let notes: Vec<&str> = p["notes"].as_array().unwrap().iter().map(|n| n.as_str().unwrap()).collect();
    assert!(notes.iter().any(|n| n.starts_with("checked: C: has 60.0 GB free (disk.txt:5)")), "{notes:?}");
    // Without disk.txt the plan says it did not check.
    let f = host_file("plan-nodisk", 6003, &THROUGH_2019_12);
    let p = plan_json(&f, &[]);
    assert!(p["notes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n.as_str().unwrap().starts_with("not checked: free space on C:")));
}

#[test]
fn rollup_steps_carry_the_vmware_known_issue() {
    let f = host_file("plan-known", 6003, &THROUGH_2019_12);
    let p = plan_json(&f, &[]);
    for s in p["steps"].as_array().unwrap() {
        let issues = s["known_issues"].as_array().unwrap();
        let vmware =
            issues.iter().any(|i| i.as_str().unwrap().contains("knowledge.broadcom.com/external/article/318796"));
        assert_eq!(vmware, s["kind"] == "monthly_rollup", "{}", s["kb"]);
    }
}

#[test]
fn bad_input_exits_2() {
    let d = scratch("plan-bad");
    let prose = d.join("notes.txt");
    std::fs::write(&prose, "Dear admin,\r\nplease patch the server.\r\n").unwrap();
    for cmd in [&["plan"][..], &["script", "--install"][..]] {
        let mut args: Vec<&str> = cmd.to_vec();
        args.push(prose.to_str().unwrap());
        let o = w2k8(&args);
        assert_exit(&o, 2);
        let err = stderr(&o);
        assert!(err.contains("notes.txt") && err.contains("expected"), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    let f = host_file("plan-bad-month", 6003, &[]);
    assert_exit(&w2k8(&["plan", f.to_str().unwrap(), "--until", "2020-13"]), 2);
    assert_exit(&w2k8(&["script", f.to_str().unwrap()]), 2);
    assert_exit(&w2k8(&["script", f.to_str().unwrap(), "--install", "--rollback"]), 2);
}

/// Getting the packages (issue 19): each planned update has its Microsoft
/// Update Catalog search, and `--manifest` lists them in install order.
#[test]
fn manifest_lists_the_packages_in_install_order() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/srv-legacy01");
    let root = root.to_str().unwrap();
    let o = w2k8(&["plan", "--manifest", root, "--as-of", "2026-01-15"]);
    assert_eq!(o.status.code(), Some(0));
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.contains("Windows Server 2008 for x86-based Systems"), "{text}");
    let kbs: Vec<&str> =
        text.lines().filter_map(|l| l.split_whitespace().nth(1)).filter(|w| w.starts_with("KB")).collect();
    assert_eq!(kbs, ["KB4493730", "KB4474419", "KB4536953", "KB4534303"], "{text}");
    assert!(text.contains("https://www.catalog.update.microsoft.com/Search.aspx?q=KB4474419"), "{text}");
    let o = w2k8(&["plan", "--format", "json", root, "--as-of", "2026-01-15"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["steps"][0]["download"], "https://www.catalog.update.microsoft.com/Search.aspx?q=KB4493730");
    let o = w2k8(&["assess", "--format", "json", root, "--as-of", "2026-01-15"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["missing"][1]["download"], "https://www.catalog.update.microsoft.com/Search.aspx?q=KB4474419");
}

fn fixture_text(rel: &str) -> String {
    let fx: PathBuf = [env!("CARGO_MANIFEST_DIR"), "..", "inventory", "tests", "fixtures"].iter().collect();
    std::fs::read_to_string(fx.join(rel)).unwrap()
}

/// A 2008 SP2 host through March 2019 with the configuration fixtures (issue 20): the spooler running with start
/// type auto (Start 2), DNS running, `roles` the role list. Without ESU, PrintNightmare and SIGRed have no fix.
fn isolation_bundle(name: &str, roles: &str) -> PathBuf {
    let read = fixture_text;
    let d = bundle_with(
        name,
        6002,
        &[4493471],
        &[("netstat-ano/en_2008.txt", "netstat.txt"), ("netsh-advfirewall/en_2008r2.txt", "firewall.txt")],
    );
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
    std::fs::write(d.join("roles.txt"), roles).unwrap();
    d
}

fn isolation_script(d: &Path, extra: &[&str]) -> String {
    let mut args = vec!["script", d.to_str().unwrap(), "--isolate", "--as-of", "2026-06-01", "--esu", "none"];
    args.extend_from_slice(extra);
    let o = w2k8(&args);
    assert_exit(&o, 0);
    let s = stdout(&o);
    assert!(s.ends_with("\r\n"));
    assert_eq!(s.matches('\n').count(), s.matches("\r\n").count(), "every line ends CRLF");
    assert!(s.is_ascii(), "ASCII only");
    s
}

/// The lines after `set "SHOW=`: the commands a script runs, in order.
fn shown(s: &str) -> Vec<&str> {
    s.lines().filter_map(|l| l.strip_prefix("set \"SHOW=")).filter_map(|l| l.strip_suffix('"')).collect()
}

#[test]
fn isolate_script_leaves_a_print_servers_spooler_alone() {
    // A domain controller, DNS and print server (the fixture's README: Print Services on line 9).
    let d = isolation_bundle("isolate-print", &fixture_text("servermanagercmd/en_dc_print.txt"));
    let s = isolation_script(&d, &[]);
    assert!(s.starts_with("@echo off\r\n"));
    assert!(s.contains("if /i \"%~1\"==\"/dry-run\" set \"DRY=1\"\r\n"));
    assert!(s.contains("ver | find \"6.0.600\" >nul\r\nif errorlevel 1 goto :wrong_build\r\n"));
    assert!(s.contains("ver | find \"6.0.6001\" >nul\r\nif not errorlevel 1 goto :wrong_build\r\n"));
    assert!(s.contains("if not defined W2K8_REG set \"W2K8_REG=reg\"\r\n"));
    // The checks come before the first change.
    assert!(s.find("\r\n:wrong_build\r\n").unwrap() > s.find("set \"SHOW=").unwrap());
    assert!(s.find("goto :wrong_build").unwrap() < s.find("set \"SHOW=").unwrap());
    // The spooler step is written out, commented, with the role warning (roles.txt line 4); it never runs.
    assert!(s.contains("rem ==== step 1 of 3: stop_spooler (print_spooler) - LEFT OUT ====\r\n"), "{s}");
    assert!(s.contains("rem left out: this host is a print server  roles.txt:9 : stopping the spooler ends printing"));
    assert!(s.contains("\r\nrem   sc stop Spooler\r\nrem   sc config Spooler start= disabled\r\n"));
    assert!(!s.contains("set \"SHOW=sc "), "no sc command runs");
    // The two other steps run, in the plan's order, each command with its override variable.
    assert_eq!(
        shown(&s),
        [
            "reg add \"HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Windows\" /v DisableATMFD /t REG_DWORD /d 1 /f",
            "reg add \"HKLM\\SYSTEM\\CurrentControlSet\\Services\\DNS\\Parameters\" /v TcpReceivePacketSize /t REG_DWORD /d 0xFF00 /f",
            "net stop DNS",
            "net start DNS",
        ]
    );
    assert!(s.contains("set \"CMD=%W2K8_NET% stop DNS\"\r\ncall :do\r\n"));
    // Each step says what it addresses, what it breaks and its sources.
    assert!(s.contains("rem CVEs: CVE-2020-1350\r\n"));
    assert!(s.contains("rem breaks: DNS responses over TCP larger than 65,280 bytes are dropped"));
    assert!(s.contains("rem source: https://support.microsoft.com/help/4569509\r\n"));
    assert!(s.contains("rem restart: needed before the change holds\r\n"));
    // DisableATMFD needs a restart: the script ends with 3010 once the changes are made.
    assert!(s.contains("needs a restart to hold\r\nexit /b 3010\r\n"));
    // Dry run: only echo, no log file.
    assert!(s.contains(":do_dry\r\necho would run: %SHOW%\r\n"));
    assert!(s.contains(":log\r\nif defined DRY goto :log_echo\r\n"));
}

#[test]
fn undo_script_reverts_the_changes_last_first() {
    // The same roles without Print Services.
    let roles: String = fixture_text("servermanagercmd/en_dc_print.txt")
        .lines()
        .filter(|l| !l.contains("Print"))
        .map(|l| format!("{l}\n"))
        .collect();
    let d = isolation_bundle("isolate-undo", &roles);
    let s = isolation_script(&d, &[]);
    // Not a print server: the spooler step runs first.
    assert_eq!(shown(&s)[..2], ["sc stop Spooler", "sc config Spooler start= disabled"]);
    let u = isolation_script(&d, &["--undo"]);
    assert!(u.contains("rem undo.cmd for GEN-200001: reverts the 3 change(s) isolate.cmd makes, last first."), "{u}");
    assert_eq!(
        shown(&u),
        [
            "reg delete \"HKLM\\SYSTEM\\CurrentControlSet\\Services\\DNS\\Parameters\" /v TcpReceivePacketSize /f",
            "net stop DNS",
            "net start DNS",
            "reg add \"HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Windows\" /v DisableATMFD /t REG_DWORD /d 0 /f",
            // The start type the bundle recorded (reg-mitigations.txt: Spooler Start 0x2).
            "sc config Spooler start= auto",
            "sc start Spooler",
        ]
    );
    assert!(u.contains("set \"LOG=%~dp0w2k8-isolate-undo.log\"\r\n"));
    // --undo alone is bad input.
    assert_exit(&w2k8(&["script", d.to_str().unwrap(), "--undo"]), 2);
    assert_exit(&w2k8(&["script", d.to_str().unwrap(), "--isolate", "--install"]), 2);
}

#[test]
fn isolate_script_without_configuration_changes_nothing_and_says_why() {
    // No configuration files: every KEV CVE with a documented mitigation is `unknown`; no step comes from that.
    let f = host_file("isolate-unknown", 6002, &[4493471]);
    let s = isolation_script(f.parent().unwrap(), &[]);
    assert!(shown(&s).is_empty(), "{s}");
    assert!(s.contains("call :log nothing to change: the plan has no isolation step for this host\r\n"));
    assert!(s.contains("KEV or critical CVE(s) with no fix cannot be judged: their reachability is unknown"), "{s}");
    assert!(s.contains("No step is generated for them and none is\r\nrem safe"));
}

/// Everything outside 10.0.50.0/24, written by hand: the IPv4 ranges below and above it, and all of IPv6.
const OUTSIDE_MGMT: &str = "0.0.0.0-10.0.49.255,10.0.51.0-255.255.255.255,::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff";

#[test]
fn allow_from_restricts_the_listening_management_ports_to_the_subnet() {
    // A domain controller, DNS and print server. netstat-ano/en_2008.txt listens on 135 (line 6), 445 (line 7)
    // and 3389 (line 8), not on 5985/5986.
    let d = isolation_bundle("isolate-mgmt", &fixture_text("servermanagercmd/en_dc_print.txt"));
    let root = d.to_str().unwrap();
    let base = ["plan", root, "--as-of", "2026-06-01", "--esu", "none", "--format", "json"];
    let o = w2k8(&[&base[..], &["--allow-from", "10.0.50.0/24"]].concat());
    assert_exit(&o, 1);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let iso = &v["isolation"];
    assert_eq!(iso["allow_from"], "10.0.50.0/24");
    let steps = iso["steps"].as_array().unwrap();
    let restrict: Vec<&serde_json::Value> =
        steps.iter().filter(|s| s["id"].as_str().unwrap().starts_with("restrict_tcp_")).collect();
    let ids: Vec<&str> = restrict.iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        ["restrict_tcp_135_to_management", "restrict_tcp_445_to_management", "restrict_tcp_3389_to_management"]
    );
    let rdp = restrict[2];
    assert_eq!(
        rdp["command"][0],
        format!("netsh advfirewall firewall add rule name=\"w2k8-mgmt-only-tcp-3389\" dir=in action=block protocol=TCP localport=3389 remoteip={OUTSIDE_MGMT} profile=any")
    );
    assert_eq!(rdp["undo"][0], "netsh advfirewall firewall delete rule name=\"w2k8-mgmt-only-tcp-3389\"");
    assert_eq!(rdp["effect"], "reduces", "the subnet can still reach it");
    assert_eq!(rdp["cves"].as_array().unwrap().len(), 0, "a firewall rule is claimed to fix no CVE");
    assert!(rdp["breaks"].as_str().unwrap().contains("TCP 3389 listens on this host (netstat.txt:8)"), "{rdp}");
    assert!(rdp.get("role_warning").is_none(), "not a terminal server");
    // On a domain controller, 135 and 445 are left to its owners (roles.txt line 3: AD-Domain-Services).
    for s in &restrict[..2] {
        assert!(s["role_warning"].as_str().unwrap().starts_with("this host is a domain controller"), "{s}");
        assert!(s["role_warning"].as_str().unwrap().contains("(roles.txt:3)"), "{s}");
    }
    // The fixture's public profile is off (firewall.txt line 23): said, since the rules hold only where it is on.
    let notes: Vec<&str> = iso["notes"].as_array().unwrap().iter().map(|n| n.as_str().unwrap()).collect();
    assert!(notes.iter().any(|n| n.contains("off in the public profile (firewall.txt:23)")), "{notes:?}");

    // Without --allow-from: no port rule, and a note naming the option.
    let o = w2k8(&base);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let iso = &v["isolation"];
    assert!(iso.get("allow_from").is_none());
    assert!(iso["steps"].as_array().unwrap().iter().all(|s| !s["id"].as_str().unwrap().starts_with("restrict_")));
    assert!(iso["notes"][0].as_str().unwrap().starts_with("pass --allow-from SUBNET"), "{iso}");

    // The text plan shows the changes, with their commands and what is left out.
    let o = w2k8(&["plan", root, "--as-of", "2026-06-01", "--esu", "none", "--allow-from", "10.0.50.0/24"]);
    let t = stdout(&o);
    assert!(t.contains("Isolate now: "), "{t}");
    assert!(t.contains("restrict_tcp_3389_to_management (rdp): reduces general network isolation"), "{t}");
    assert!(t.contains("LEFT OUT of isolate.cmd: this host is a domain controller"), "{t}");

    // The script runs the RDP rule and leaves the DC's two commented.
    let s = isolation_script(&d, &["--allow-from", "10.0.50.0/24"]);
    let run = shown(&s);
    assert!(run.contains(&format!("netsh advfirewall firewall add rule name=\"w2k8-mgmt-only-tcp-3389\" dir=in action=block protocol=TCP localport=3389 remoteip={OUTSIDE_MGMT} profile=any").as_str()), "{s}");
    assert!(!run.iter().any(|c| c.contains("tcp-445") || c.contains("tcp-135")), "{s}");
}

#[test]
fn allow_from_rejects_what_is_not_a_subnet() {
    let d = isolation_bundle("isolate-mgmt-bad", "");
    for (bad, says) in [
        ("10.0.0.0/33", "prefix length is larger than the address"),
        ("mgmt", "is not an IPv4 or IPv6 address or subnet"),
        ("0.0.0.0/0,::/0", "admits every address"),
    ] {
        let o = w2k8(&["plan", d.to_str().unwrap(), "--allow-from", bad]);
        assert_exit(&o, 2);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(says), "{bad}: {err}");
    }
}
