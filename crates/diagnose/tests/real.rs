//! The corpus of real log excerpts (`fixtures/real/`, provenance in its
//! README): each file diagnosed and compared with the truth written by hand
//! in `fixtures/real/truth.toml`.
//!
//! A ratchet: `fixtures/real/KNOWN-FAILURES` lists the checks the detector
//! does not meet yet, with the issue that will fix them. The test fails when
//! a check outside the list fails and when a listed check passes (delete its
//! line). `W2K8_TRUTH_PRINT=1` prints every failing check with what was seen.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::too_many_lines)]
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use w2k8_diagnose::diagnose_bytes;

type Outcome = (String, Option<String>);

fn real() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/real")
}

fn s<'a>(case: &'a toml::Table, key: &str) -> Option<&'a str> {
    case.get(key).and_then(|v| v.as_str())
}

/// Every check of one case.
fn run_case(case: &toml::Table, out: &mut Vec<Outcome>) {
    let file = s(case, "file").expect("file");
    assert!(s(case, "why").is_some_and(|w| w.len() > 20), "{file}: no reasoning in `why`");
    let bytes = std::fs::read(real().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    let mut check = |key: &str, ok: bool, seen: String| out.push((format!("{file}/{key}"), (!ok).then_some(seen)));
    let d = match diagnose_bytes(file, &bytes) {
        Ok(d) => serde_json::to_value(&d).unwrap(),
        Err(e) => {
            check("read", false, e.to_string());
            return;
        }
    };
    let log = d.pointer("/logs/0").cloned().unwrap_or(Value::Null);
    let refused = case.get("refused").and_then(|r| r.as_bool()).unwrap_or(false);
    let not_2008 = d.get("not_2008").and_then(|n| n.as_array()).is_some_and(|a| !a.is_empty());
    check("refused", refused == not_2008, format!("not_2008 {}", d["not_2008"]));
    if let Some(nt) = s(case, "nt").filter(|n| !n.is_empty()) {
        let shown = log.get("windows").and_then(|w| w.as_str()).unwrap_or("");
        let version = log.get("windows_version").and_then(|w| w.as_str()).unwrap_or("");
        check("nt", shown.contains(&format!("NT {nt}")) || version.starts_with(nt), format!("{shown:?} {version:?}"));
    }
    if let Some(v) = s(case, "windows_version") {
        let got = log.get("windows_version").cloned().unwrap_or(Value::Null);
        check("windows_version", got.as_str().is_some_and(|g| g.starts_with(v)), got.to_string());
    }
    if let Some(v) = s(case, "agent_version") {
        let got = log.get("agent_version").cloned().unwrap_or(Value::Null);
        check("agent_version", got.as_str() == Some(v), got.to_string());
    }
    let first = d.pointer("/failure/first_error").cloned().unwrap_or(Value::Null);
    if let Some(hex) = s(case, "first_error") {
        let got = first.pointer("/code/hex").and_then(|h| h.as_str()).unwrap_or("");
        check("first_error", got.eq_ignore_ascii_case(hex), got.to_string());
    }
    if let Some(line) = case.get("first_error_line").and_then(|l| l.as_integer()) {
        let got = first.get("line").and_then(|l| l.as_i64());
        check("first_error_line", got == Some(line), format!("{got:?}"));
    }
    if let Some(syms) = case.get("symbols").and_then(|v| v.as_array()) {
        let got: Vec<&str> = first
            .pointer("/code/symbols")
            .and_then(|s| s.as_array())
            .map(|a| a.iter().filter_map(|x| x.as_str()).collect())
            .unwrap_or_default();
        for sym in syms.iter().filter_map(|x| x.as_str()) {
            check(&format!("symbols/{sym}"), got.contains(&sym), format!("{got:?}"));
        }
    }
    if let Some(kb) = s(case, "failing_package") {
        let got = d.pointer("/failure/kb").cloned().unwrap_or(Value::Null);
        check("failing_package", got.as_str() == Some(kb), got.to_string());
    }
    let causes: Vec<&Value> =
        d.get("causes").and_then(|c| c.as_array()).map(|a| a.iter().collect()).unwrap_or_default();
    if let Some(want) = case.get("causes").and_then(|v| v.as_array()) {
        let want: BTreeSet<&str> = want.iter().filter_map(|x| x.as_str()).collect();
        let got: BTreeSet<&str> = causes.iter().filter_map(|c| c.get("id").and_then(|i| i.as_str())).collect();
        check("causes", want == got, format!("{got:?}"));
    }
    if let Some(url) = s(case, "update_source") {
        // The server the log names is shown; when it could not be reached,
        // the cause that says so names it too.
        let sources: Vec<&str> = log
            .get("update_sources")
            .and_then(|v| v.as_array())
            .map(|a| a.iter().filter_map(|x| x.as_str()).collect())
            .unwrap_or_default();
        let unreachable = case
            .get("causes")
            .and_then(|v| v.as_array())
            .is_some_and(|a| a.iter().any(|x| x.as_str() == Some("cannot_reach_update_source")));
        let in_cause = causes.iter().any(|c| {
            c.get("id").and_then(|i| i.as_str()) == Some("cannot_reach_update_source")
                && c.get("explanation").and_then(|e| e.as_str()).is_some_and(|e| e.contains(url))
        });
        let shown = sources.iter().any(|s| s.starts_with(url));
        check(
            "update_source",
            shown && (in_cause || !unreachable),
            format!("update_sources {sources:?}, named by the cause: {in_cause}"),
        );
    }
}

#[test]
fn the_real_log_corpus_holds_or_is_a_known_failure() {
    let text = std::fs::read_to_string(real().join("truth.toml")).unwrap();
    let truth: toml::Table = text.parse().expect("truth.toml");
    let cases = truth.get("case").and_then(|c| c.as_array()).expect("[[case]]");
    assert!(cases.len() >= 25, "{} cases", cases.len());
    let mut out = Vec::new();
    for c in cases {
        run_case(c.as_table().expect("table"), &mut out);
    }
    let known: BTreeMap<String, String> = std::fs::read_to_string(real().join("KNOWN-FAILURES"))
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (id, why) = l.split_once('#').unwrap_or((l, ""));
            (id.trim().to_string(), why.trim().to_string())
        })
        .collect();
    let print = std::env::var("W2K8_TRUTH_PRINT").is_ok();
    let (mut unexpected, mut fixed) = (Vec::new(), Vec::new());
    for (id, fail) in &out {
        match (fail, known.contains_key(id)) {
            (Some(seen), false) => unexpected.push(format!("{id}: {seen}")),
            (None, true) => fixed.push(id.clone()),
            _ => {}
        }
        if let (Some(seen), true) = (fail, print) {
            println!("{id}  # seen: {seen}");
        }
    }
    let ids: BTreeSet<&String> = out.iter().map(|(id, _)| id).collect();
    let stale: Vec<&String> = known.keys().filter(|k| !ids.contains(k)).collect();
    let failing = out.iter().filter(|(_, f)| f.is_some()).count();
    println!("real logs: {} files, {} checks, {failing} failing, {} known", cases.len(), out.len(), known.len());
    assert!(unexpected.is_empty(), "checks failing that KNOWN-FAILURES does not list:\n{}", unexpected.join("\n"));
    assert!(fixed.is_empty(), "listed in KNOWN-FAILURES but now passing (remove them):\n{}", fixed.join("\n"));
    assert!(stale.is_empty(), "KNOWN-FAILURES names checks that do not exist: {stale:?}");
}
