//! Followable sources only (issue 15): every source an answer shows is a
//! URL, `owner/repo@commit:path`, or a file that ships inside the binary
//! (which `w2k8 catalog source REF` prints); a source of unknown location
//! says so; no answer names a path that does not ship (`shared/...`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::too_many_lines)]
use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn w2k8(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_w2k8")).args(args).env_remove("W2K8_DATA_DIR").output().unwrap()
}

fn collect(v: &Value, key: Option<&str>, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => m.iter().for_each(|(k, x)| collect(x, Some(k), out)),
        Value::Array(a) => a.iter().for_each(|x| collect(x, key, out)),
        Value::String(s) if matches!(key, Some("source" | "sources")) => out.push(s.clone()),
        _ => {}
    }
}

fn is_repository(s: &str) -> bool {
    let Some((repo, rest)) = s.split_once('@') else { return false };
    let Some((commit, _)) = rest.split_once(':') else { return false };
    repo.split('/').count() == 2 && commit.len() >= 7 && commit.chars().all(|c| c.is_ascii_hexdigit())
}

#[test]
fn every_source_shown_can_be_followed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut outputs: Vec<(String, Vec<u8>)> = Vec::new();
    let bundles = [
        "examples/srv-legacy01",
        "examples/srv-file01",
        "tests/truth/12-hotfix-na-build-6003",
        "tests/truth/20-sp1-build-6001-x64",
        "tests/truth/05-esu-rollup-2020-10-qfe",
        "tests/truth/26-printnightmare-rollup-2021-06-with-kb5004955-fr",
    ];
    for b in bundles {
        let p = root.join(b);
        for cmd in ["standing", "assess", "plan"] {
            let o = w2k8(&[cmd, "--format", "json", "--as-of", "2026-01-15", p.to_str().unwrap()]);
            outputs.push((format!("{cmd} {b}"), o.stdout));
        }
    }
    for kb in ["KB4474419", "KB4493730", "KB5022340", "KB4534303", "KB4538484"] {
        outputs.push((format!("kb {kb}"), w2k8(&["kb", kb, "--format", "json"]).stdout));
    }
    for cve in ["CVE-2019-0708", "CVE-2017-0144", "CVE-2021-34527"] {
        outputs.push((format!("cve {cve}"), w2k8(&["cve", cve, "--format", "json"]).stdout));
    }
    let logs = root.join("crates/diagnose/tests/fixtures/real/cbs");
    for e in std::fs::read_dir(&logs).unwrap() {
        let p = e.unwrap().path();
        outputs.push((
            format!("diagnose {}", p.display()),
            w2k8(&["diagnose", "--format", "json", p.to_str().unwrap()]).stdout,
        ));
    }
    for code in ["0x80092004", "0x800f0922", "0x80070643", "3010"] {
        outputs.push((format!("explain {code}"), w2k8(&["explain", code, "--format", "json"]).stdout));
    }
    let mut seen = 0;
    let mut embedded = std::collections::BTreeSet::new();
    for (what, out) in &outputs {
        let text = String::from_utf8_lossy(out);
        assert!(!text.contains("shared/"), "{what}: names a path that does not ship");
        let Ok(v) = serde_json::from_slice::<Value>(out) else { panic!("{what}: not JSON: {text}") };
        let mut sources = Vec::new();
        collect(&v, None, &mut sources);
        for s in sources {
            seen += 1;
            let ok = s.starts_with("https://")
                || s.starts_with("http://")
                || is_repository(&s)
                || s.starts_with("data/")
                || s.contains("location not recorded");
            assert!(ok, "{what}: `{s}` is not a source a user can follow");
            if s.starts_with("data/") {
                embedded.insert(s);
            }
        }
    }
    assert!(seen > 100, "{seen} sources checked");
    // Every embedded file cited opens from the binary.
    for s in &embedded {
        let o = w2k8(&["catalog", "source", s]);
        assert_eq!(o.status.code(), Some(0), "`{s}`: {}", String::from_utf8_lossy(&o.stderr));
        assert!(!o.stdout.is_empty(), "{s}");
    }
}
