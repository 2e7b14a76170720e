//! Issue 19: gating (`assess --fail-on`, `--ignore-unfixed`), accepted
//! risks from `w2k8.toml` and from the fleet database (`w2k8 accept`), run
//! on the real binary over the bundled examples. Expected values are
//! written by hand from what the examples hold (srv-legacy01: 4 missing
//! updates, the January 2020 rollup KB4534303 closing 294 CVEs of which 14
//! in KEV; 2,082 open CVEs, 81 in KEV, 1,788 with no fix available to it).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::too_many_lines)]
mod util;

use std::path::Path;
use util::{assert_exit, command, json, root, scratch, stderr, stdout, w2k8};

const AS_OF: &str = "2026-03-01";

fn assess(bundle: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["assess", bundle, "--as-of", AS_OF, "--format", "json"];
    args.extend_from_slice(extra);
    w2k8(&args)
}

/// `assess` run in `dir` (where a `w2k8.toml` may be), on an example by absolute path.
fn assess_in(dir: &Path, bundle: &str, extra: &[&str]) -> std::process::Output {
    let bundle = root().join(bundle);
    let mut c = command();
    c.current_dir(dir).args(["assess", bundle.to_str().unwrap(), "--as-of", AS_OF]).args(extra);
    c.output().unwrap()
}

#[test]
fn fail_on_and_ignore_unfixed_decide_the_exit_code() {
    // (bundle, flags, exit code)
    for (bundle, flags, want) in [
        // srv-file01: current to January 2020, no paid programme: every open CVE has no fix available to it.
        ("examples/srv-file01", &[][..], 1),
        ("examples/srv-file01", &["--ignore-unfixed"][..], 0),
        ("examples/srv-file01", &["--fail-on", "kev"][..], 1),
        ("examples/srv-file01", &["--fail-on", "kev", "--ignore-unfixed"][..], 0),
        ("examples/srv-file01", &["--fail-on", "none"][..], 0),
        // srv-legacy01: missing updates with fixes, KEV among them.
        ("examples/srv-legacy01", &["--ignore-unfixed"][..], 1),
        ("examples/srv-legacy01", &["--fail-on", "kev", "--ignore-unfixed"][..], 1),
        ("examples/srv-legacy01", &["--fail-on", "none"][..], 0),
        // srv-r2-esu01: ESU ended, nothing missing, every open CVE unfixed to it.
        ("examples/srv-r2-esu01", &["--fail-on", "critical"][..], 1),
        ("examples/srv-r2-esu01", &["--fail-on", "critical", "--ignore-unfixed"][..], 0),
    ] {
        let o = assess(bundle, flags);
        assert_exit(&o, want);
        let v = json(&o);
        assert_eq!(v["gate"]["fails"], want == 1, "{bundle} {flags:?}");
    }
}

#[test]
fn the_gate_says_what_it_counted() {
    let v = json(&assess("examples/srv-legacy01", &[]));
    assert_eq!(
        v["gate"],
        serde_json::json!({
            "fail_on": "any", "ignore_unfixed": false, "counted_cves": 2082, "counted_missing": 4,
            "counted_blocking": 0, "accepted": 0, "ignored_unfixed": 0, "fails": true
        })
    );
    let v = json(&assess("examples/srv-legacy01", &["--fail-on", "kev", "--ignore-unfixed"]));
    assert_eq!(
        v["gate"],
        serde_json::json!({
            "fail_on": "kev", "ignore_unfixed": true, "counted_cves": 14, "counted_missing": 0,
            "counted_blocking": 0, "accepted": 0, "ignored_unfixed": 1788, "fails": true
        })
    );
    // Ignored CVEs are still listed, with their status.
    assert_eq!(v["exposure"].as_array().unwrap().len(), 2082);
    assert_eq!(v["summary"]["open_cves"], 2082);
    // critical: rated Critical or in KEV, counted from the listed entries.
    let v = json(&assess("examples/srv-r2-esu01", &["--fail-on", "critical"]));
    let by_hand =
        v["exposure"].as_array().unwrap().iter().filter(|e| e["severity"] == "critical" || !e["kev"].is_null()).count();
    assert_eq!(v["gate"]["counted_cves"], by_hand);
    assert!(by_hand > 33, "33 in KEV, plus the critical ones");
}

#[test]
fn the_default_gate_is_the_old_exit_code_on_the_truth_corpus() {
    // Without flags the gate is what `assess` always did: 1 when anything is
    // missing or open or blocking, else 0.
    let mut seen = 0;
    for entry in std::fs::read_dir(root().join("tests/truth")).unwrap() {
        let p = entry.unwrap().path();
        if !p.is_dir() {
            continue;
        }
        let o = w2k8(&["assess", p.to_str().unwrap(), "--as-of", AS_OF, "--format", "json"]);
        if !matches!(o.status.code(), Some(0 | 1)) {
            continue;
        }
        let v = json(&o);
        let old_rule = !v["missing"].as_array().unwrap().is_empty()
            || !v["exposure"].as_array().unwrap().is_empty()
            || !v["blocking"].as_array().unwrap().is_empty();
        assert_eq!(o.status.code(), Some(i32::from(old_rule)), "{}", p.display());
        seen += 1;
    }
    assert!(seen >= 30, "{seen} truth hosts assessed");
}

const TOML: &str = r#"# accepted risks of the test
[[accept]]
kb = "KB4534303"
host = "srv-legacy*"
reason = "rollup held back: the line-of-business app breaks on it"
owner = "app-team"
until = 2026-12-31

[[accept]]
cve = "CVE-2021-1675"
host = "*"
reason = "print spooler off"
until = 2026-01-31

[[accept]]
cve = "CVE-2019-0708"
host = "other-host"
reason = "not this host"
until = 2030-01-01
"#;

#[test]
fn accepted_findings_are_shown_not_hidden_and_do_not_count() {
    let dir = scratch("accept-toml");
    std::fs::write(dir.join("w2k8.toml"), TOML).unwrap();
    let o = assess_in(&dir, "examples/srv-legacy01", &["--format", "json", "--fail-on", "kev", "--ignore-unfixed"]);
    // The 14 KEV CVEs with a fix are all closed by the accepted rollup.
    assert_exit(&o, 0);
    let v = json(&o);
    assert_eq!(v["gate"]["counted_cves"], 0);
    assert_eq!(v["gate"]["accepted"], 294);
    assert_eq!(v["summary"]["open_cves"], 2082, "counts keep accepted findings");
    assert_eq!(v["summary"]["missing"], 4);
    assert_eq!(v["summary"]["accepted_cves"], 294);
    assert_eq!(v["summary"]["accepted_missing"], 1);
    assert_eq!(v["summary"]["accepted_expired"], 1);
    let rollup = v["missing"].as_array().unwrap().iter().find(|m| m["kb"] == "KB4534303").unwrap();
    assert_eq!(
        rollup["accepted"],
        serde_json::json!({
            "target": "KB4534303",
            "reason": "rollup held back: the line-of-business app breaks on it",
            "owner": "app-team",
            "until": "2026-12-31",
            "source": "w2k8.toml:2"
        })
    );
    let bluekeep = v["exposure"].as_array().unwrap().iter().find(|e| e["cve"] == "CVE-2019-0708").unwrap();
    assert_eq!(bluekeep["accepted"]["target"], "KB4534303", "accepted through the rollup that closes it");
    assert_eq!(bluekeep["accepted"]["source"], "w2k8.toml:2");
    let spooler = v["exposure"].as_array().unwrap().iter().find(|e| e["cve"] == "CVE-2021-1675").unwrap();
    assert!(spooler.get("accepted").is_none());
    assert_eq!(
        spooler["accepted_expired"],
        serde_json::json!({
            "target": "CVE-2021-1675", "reason": "print spooler off", "owner": null,
            "until": "2026-01-31", "source": "w2k8.toml:9"
        })
    );
    // The default gate still fails: three prerequisites are missing and not accepted.
    let o = assess_in(&dir, "examples/srv-legacy01", &["--format", "json"]);
    assert_exit(&o, 1);
    assert_eq!(json(&o)["gate"]["counted_missing"], 3);
    // The text marks them.
    let o = assess_in(&dir, "examples/srv-legacy01", &["--fail-on", "kev", "--ignore-unfixed"]);
    assert_exit(&o, 0);
    let text = stdout(&o);
    assert!(text.contains("\nAccepted risks (listed above too, counted there, not counted for the exit code): 1 update(s), 294 CVE(s)\n"), "{text}");
    assert!(
        text.contains(
            "  KB4534303        until 2026-12-31, owner app-team [w2k8.toml:2]: rollup held back: the line-of-business app\n\
             \x20                  breaks on it\n\
             \x20                  and the 294 open CVE(s) KB4534303 would close: CVE-2019-0708 "
        ),
        "{text}"
    );
    assert!(text.contains("\nAcceptance EXPIRED, reopened (counted again): 0 update(s), 1 CVE(s)\n  CVE-2021-1675    until 2026-01-31 [w2k8.toml:9]: print spooler off\n"), "{text}");
    assert!(text.contains("\nExit code: 0 (--fail-on kev: open CVEs in CISA KEV count; counted: 0 open CVE(s); not counted: 294 accepted, 1788 with no fix available to you (--ignore-unfixed; 0 of them also accepted))\n"), "{text}");
}

#[test]
fn config_flag_and_a_bad_file_exit_2_with_file_and_line() {
    let dir = scratch("accept-bad");
    let bad = dir.join("risks.toml");
    std::fs::write(&bad, "[[accept]]\ncve = \"CVE-2021-1675\"\nhost = \"*\"\nreason = \"r\"\nuntil = \"31/01/2026\"\n")
        .unwrap();
    let o = assess_in(&dir, "examples/srv-file01", &["--config", bad.to_str().unwrap()]);
    assert_exit(&o, 2);
    assert!(stdout(&o).is_empty());
    let want = format!("w2k8: {}:5: expected a date YYYY-MM-DD in `until`, found \"31/01/2026\"\n", bad.display());
    assert_eq!(stderr(&o), want);
    // A w2k8.toml in the working directory is read without --config.
    std::fs::write(dir.join("w2k8.toml"), "[[accept]]\ncve = \"CVE-2021-1675\"\nhost = \"*\"\nreason = \"r\"\n")
        .unwrap();
    let o = assess_in(&dir, "examples/srv-file01", &[]);
    assert_exit(&o, 2);
    assert_eq!(
        stderr(&o),
        "w2k8: w2k8.toml:1: expected `until` (the last day the acceptance holds, YYYY-MM-DD) in this [[accept]] entry\n"
    );
    let o = assess_in(&dir, "examples/srv-file01", &["--config", "no-such.toml"]);
    assert_exit(&o, 2);
    assert!(stderr(&o).starts_with("w2k8: no-such.toml: cannot read the accepted-risks file: "), "{}", stderr(&o));
}

#[test]
fn accept_records_lists_and_removes_and_assess_db_applies_them() {
    let dir = scratch("accept-db");
    let db = dir.join("fleet.db");
    let db = db.to_str().unwrap();
    let o = w2k8(&[
        "accept",
        "cve-2021-1675",
        "--host",
        "SRV-*",
        "--reason",
        "spooler disabled by GPO",
        "--until",
        "2099-12-31",
        "--owner",
        "infra",
        "--db",
        db,
    ]);
    assert_exit(&o, 0);
    assert_eq!(stdout(&o), "accepted risk #1 recorded: CVE-2021-1675 on hosts matching SRV-* until 2099-12-31\n");
    let o = w2k8(&[
        "accept",
        "KB4534303",
        "--host",
        "srv-legacy01",
        "--reason",
        "held back",
        "--until",
        "2099-01-01",
        "--db",
        db,
        "--format",
        "json",
    ]);
    assert_exit(&o, 0);
    let v = json(&o);
    assert_eq!(
        (v["id"].clone(), v["target"].clone(), v["expired"].clone()),
        (2.into(), "KB4534303".into(), false.into())
    );
    // Bad input: a past day, an empty reason, no --host, a bad target.
    for args in [
        &["accept", "CVE-2021-1675", "--host", "*", "--reason", "r", "--until", "2020-01-01", "--db", db][..],
        &["accept", "CVE-2021-1675", "--host", "*", "--reason", " ", "--until", "2099-01-01", "--db", db][..],
        &["accept", "CVE-2021-1675", "--reason", "r", "--until", "2099-01-01", "--db", db][..],
        &["accept", "MS17-010", "--host", "*", "--reason", "r", "--until", "2099-01-01", "--db", db][..],
        &["accept", "--remove", "99", "--db", db][..],
    ] {
        assert_exit(&w2k8(args), 2);
    }
    let o = w2k8(&["accept", "--list", "--db", db]);
    assert_exit(&o, 0);
    assert_eq!(
        stdout(&o),
        "  id  target           hosts                until      state    owner          reason\n   \
         1  CVE-2021-1675    SRV-*                2099-12-31 live     infra          spooler disabled by GPO\n   \
         2  KB4534303        srv-legacy01         2099-01-01 live     -              held back\n"
    );
    let o = assess_in(&dir, "examples/srv-legacy01", &["--db", db, "--format", "json"]);
    assert_exit(&o, 1);
    let v = json(&o);
    let spooler = v["exposure"].as_array().unwrap().iter().find(|e| e["cve"] == "CVE-2021-1675").unwrap();
    assert_eq!(spooler["accepted"]["source"], "db:#1");
    assert_eq!(spooler["accepted"]["owner"], "infra");
    assert_eq!(v["summary"]["accepted_missing"], 1);
    assert_eq!(v["summary"]["accepted_cves"], 295, "294 through the rollup, and the spooler CVE");
    let o = w2k8(&["accept", "--remove", "1", "--db", db]);
    assert_exit(&o, 0);
    let o = w2k8(&["accept", "--list", "--db", db, "--format", "json"]);
    let v = json(&o);
    assert_eq!(v["acceptances"].as_array().unwrap().iter().map(|a| a["id"].as_i64().unwrap()).collect::<Vec<_>>(), [2]);
}

/// A copy of srv-legacy01 with the configuration fixtures of the inventory
/// crate (the Spooler stopped and disabled, SMBv1 off, NLA required).
fn configured_legacy(dir: &Path) -> std::path::PathBuf {
    let b = dir.join("srv-legacy01");
    std::fs::create_dir_all(&b).unwrap();
    for f in ["ntoskrnl.txt", "os.txt", "systeminfo.txt"] {
        std::fs::copy(root().join("examples/srv-legacy01").join(f), b.join(f)).unwrap();
    }
    let fx = root().join("crates/inventory/tests/fixtures");
    for (from, to) in [
        ("reg-mitigations/collector_smb1_off_spooler_disabled.txt", "reg-mitigations.txt"),
        ("sc-queryex/en_2008.txt", "services.txt"),
        ("netstat-ano/en_2008.txt", "netstat.txt"),
        ("netsh-advfirewall/en_2008r2.txt", "firewall.txt"),
        ("servermanagercmd/en_dc_print.txt", "roles.txt"),
    ] {
        std::fs::copy(fx.join(from), b.join(to)).unwrap();
    }
    b
}

#[test]
fn openvex_states_the_accepted_and_the_not_affected() {
    let dir = scratch("accept-vex");
    let bundle = configured_legacy(&dir);
    std::fs::write(
        dir.join("w2k8.toml"),
        "[[accept]]\ncve = \"CVE-2019-0708\"\nhost = \"SRV-LEGACY*\"\nreason = \"RDP only from the jump host\"\nowner = \"netops\"\nuntil = 2026-06-30\n",
    )
    .unwrap();
    let mut c = command();
    c.current_dir(&dir).args(["assess", bundle.to_str().unwrap(), "--as-of", AS_OF, "--format", "openvex"]);
    c.args(["--vex-author", "Example Corp IT Security"]);
    let o = c.output().unwrap();
    assert_exit(&o, 1);
    let v = json(&o);
    assert_eq!(v["@context"], "https://openvex.dev/ns/v0.2.0");
    assert_eq!(v["@id"], "urn:w2k8:openvex:SRV-LEGACY01:2026-03-01T00%3A00%3A00Z");
    assert_eq!(v["author"], "Example Corp IT Security");
    assert_eq!(v["timestamp"], "2026-03-01T00:00:00Z");
    assert_eq!(v["version"], 1);
    let product = serde_json::json!([{
        "@id": "urn:w2k8:host:SRV-LEGACY01",
        "identifiers": {"cpe23": "cpe:2.3:o:microsoft:windows_server_2008:-:sp2:*:*:*:*:x86:*"}
    }]);
    let statements = v["statements"].as_array().unwrap();
    let of = |cve: &str| statements.iter().find(|s| s["vulnerability"]["name"] == cve).unwrap().clone();
    assert_eq!(
        of("CVE-2019-0708"),
        serde_json::json!({
            "vulnerability": {
                "@id": "https://msrc.microsoft.com/update-guide/vulnerability/CVE-2019-0708",
                "name": "CVE-2019-0708",
                "description": "Remote Desktop Services Remote Code Execution Vulnerability"
            },
            "timestamp": "2026-03-01T00:00:00Z",
            "products": product,
            "status": "affected",
            "action_statement": "Risk accepted by netops until 2026-06-30: RDP only from the jump host. Remediation when the acceptance ends: install KB4499149 or KB4499180.",
            "action_statement_timestamp": "2026-03-01T00:00:00Z",
            "status_notes": "open on this host; accepted (w2k8.toml:1); w2k8 reachability reduced"
        })
    );
    let pn = of("CVE-2021-34527");
    assert_eq!(pn["status"], "not_affected");
    assert_eq!(pn["justification"], "vulnerable_code_not_in_execute_path");
    assert_eq!(pn["products"], product);
    assert_eq!(
        pn["impact_statement"],
        "not_reachable on this host: the documented mitigation stop_spooler holds (evidence: services.txt:29, \
         reg-mitigations.txt:28; source: https://msrc.microsoft.com/update-guide/vulnerability/CVE-2021-34527). \
         A configuration change that undoes it makes the host affected again."
    );
    assert!(pn.get("action_statement").is_none());
    let smb = of("CVE-2020-1301");
    assert_eq!(
        (smb["status"].as_str(), smb["justification"].as_str()),
        (Some("not_affected"), Some("vulnerable_code_not_in_execute_path"))
    );
    assert!(smb["impact_statement"].as_str().unwrap().starts_with("mitigated on this host: the documented mitigation disable_smb1_server holds (evidence: reg-mitigations.txt:20;"));
    // Every statement is one of the two kinds, complete as the spec asks.
    for s in statements {
        match s["status"].as_str().unwrap() {
            "affected" => assert!(s["action_statement"].is_string(), "{s}"),
            "not_affected" => assert!(s["justification"].is_string() && s["impact_statement"].is_string(), "{s}"),
            other => panic!("status {other}"),
        }
        assert!(s["timestamp"].is_string() && s["products"] == product, "{s}");
    }
    // Nothing accepted and nothing shown unreachable: no statement.
    let o = w2k8(&["assess", "examples/srv-file01", "--as-of", AS_OF, "--format", "openvex"]);
    assert_eq!(json(&o)["statements"], serde_json::json!([]));
}

#[test]
fn hosts_count_accepted_findings_beside_the_counts() {
    let dir = scratch("accept-hosts");
    let db = dir.join("fleet.db");
    let db = db.to_str().unwrap();
    // srv-legacy01 (assessed) and a broken zip of the example fleet (not assessed).
    let o = w2k8(&["scan", "examples/srv-legacy01", "examples/fleet/00005-SRV-EXCH00005.zip", "--db", db]);
    assert_exit(&o, 4);
    for args in [
        &["accept", "CVE-2021-1675", "--host", "*", "--reason", "spooler off", "--until", "2099-12-31", "--db", db][..],
        &["accept", "KB4534303", "--host", "srv-legacy01", "--reason", "held", "--until", "2099-12-31", "--db", db][..],
        &["accept", "CVE-2019-0708", "--host", "other-*", "--reason", "elsewhere", "--until", "2099-12-31", "--db", db]
            [..],
    ] {
        assert_exit(&w2k8(args), 0);
    }
    let o = w2k8(&["hosts", "--db", db, "--format", "json"]);
    assert_exit(&o, 0);
    let v = json(&o);
    let hosts = v["hosts"].as_array().unwrap();
    let legacy = hosts.iter().find(|h| h["name"] == "SRV-LEGACY01").unwrap();
    assert_eq!(legacy["accepted"], serde_json::json!({"cves": 1, "missing": 1}));
    assert_eq!((legacy["open_cves"].clone(), legacy["missing"].clone()), (2082.into(), 4.into()), "never subtracted");
    let broken = hosts.iter().find(|h| h["status"] == "failed").unwrap();
    assert!(broken["accepted"].is_null() && broken["open_cves"].is_null(), "{broken}");
}
