//! Versioned output (issue 19): every JSON answer of the command carries
//! `schema_version`, `w2k8_version` and `catalog` beside its own fields;
//! list answers are objects with the list under a named key; `--version`
//! names the catalog's dates; completions and the man page come from the
//! command line's definition.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::too_many_lines)]
use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn w2k8(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_w2k8")).args(args).env_remove("W2K8_DATA_DIR").output().unwrap()
}

fn json(args: &[&str]) -> Value {
    let o = w2k8(args);
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", String::from_utf8_lossy(&o.stderr)))
}

#[test]
fn every_json_answer_names_its_schema_tool_and_data() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let host = root.join("examples/srv-file01");
    let host = host.to_str().unwrap();
    let dir = std::env::temp_dir().join(format!("w2k8-versioned-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("fleet.db");
    let db = db.to_str().unwrap();
    assert_eq!(w2k8(&["scan", host, "--db", db, "--as-of", "2026-01-15"]).status.code(), Some(0));
    let log = root.join("crates/diagnose/tests/fixtures/real/cbs");
    let log = std::fs::read_dir(log).unwrap().next().unwrap().unwrap().path();
    let answers: Vec<(&str, Value, Option<&str>)> = vec![
        ("standing", json(&["standing", "--format", "json", host]), None),
        ("assess", json(&["assess", "--format", "json", host]), None),
        ("plan", json(&["plan", "--format", "json", host]), None),
        ("kb", json(&["kb", "KB4474419", "--format", "json"]), None),
        ("cve", json(&["cve", "CVE-2019-0708", "--format", "json"]), None),
        ("diagnose", json(&["diagnose", "--format", "json", log.to_str().unwrap()]), None),
        ("explain", json(&["explain", "0x80092004", "--format", "json"]), Some("codes")),
        ("migrate", json(&["migrate", "--format", "json", host]), None),
        ("lifecycle", json(&["lifecycle", "--format", "json"]), Some("lifecycle")),
        ("catalog info", json(&["catalog", "info", "--format", "json"]), None),
        ("hosts", json(&["hosts", "--format", "json", "--db", db]), Some("hosts")),
        ("history", json(&["history", "SRV-FILE01", "--format", "json", "--db", db]), None),
        ("diff", json(&["diff", "--format", "json", "--db", db]), None),
        ("report", json(&["report", "--format", "json", "--db", db]), None),
    ];
    for (what, v, list) in &answers {
        assert_eq!(v["schema_version"], 2, "{what}");
        assert_eq!(v["w2k8_version"], env!("CARGO_PKG_VERSION"), "{what}");
        if *what == "report" {
            assert!(v["catalog"].as_str().unwrap().contains("kev "), "the report keeps its own catalog text");
        } else {
            assert!(v["catalog"]["kev"].is_string() && v["catalog"]["msrc"].is_string(), "{what}: {}", v["catalog"]);
        }
        if let Some(key) = list {
            assert!(v[*key].is_array(), "{what}: the list is under `{key}`");
        }
    }
    // The catalog's age today, and what is stale (the embedded KEV list is older than 30 days by now).
    assert!(answers[0].1["catalog"]["kev_age_days"].as_i64().unwrap() > 30);
    assert!(answers[0].1["catalog"]["warnings"][0].as_str().unwrap().contains("w2k8 catalog import"));
    let o = w2k8(&["kb", "KB4474419"]);
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("w2k8: warning: the CISA KEV data is"),
        "stale data is said on stderr"
    );
    // Fields stay where they were: scripts reading them keep working.
    assert!(answers[1].1["missing"].is_array() && answers[1].1["summary"]["open_cves"].is_u64());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn version_completions_and_man_page() {
    let v = String::from_utf8(w2k8(&["--version"]).stdout).unwrap();
    assert!(v.starts_with(&format!("w2k8 {} (catalog: msrc ", env!("CARGO_PKG_VERSION"))), "{v}");
    assert!(v.contains(", kev ") && v.contains("JSON schema 2"), "{v}");
    let help = String::from_utf8(w2k8(&["--help"]).stdout).unwrap();
    let order: Vec<usize> = ["collector", "standing", "assess", "plan", "script", "scan", "catalog"]
        .iter()
        .map(|c| help.find(&format!("\n  {c} ")).unwrap_or_else(|| panic!("{c} in --help")))
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "--help lists the workflow in order: {help}");
    assert!(help.contains("Exit codes:\n  0  done"), "{help}");
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let o = w2k8(&["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}");
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(text.contains("w2k8") && text.contains("assess"), "{shell}");
    }
    let man = String::from_utf8(w2k8(&["man"]).stdout).unwrap();
    assert!(man.contains(".TH w2k8 1") && man.contains("assess"), "{man}");
}
