//! The hand-written truth corpus (`tests/truth/`): every case's `expected.toml`
//! was derived by hand from the sources its `why` names, never from w2k8's
//! output. This test runs the real binary (`standing` and `assess`, JSON) on
//! each case's bundle and checks every key.
//!
//! A ratchet, not a silence: `tests/truth/KNOWN-FAILURES` lists the checks the
//! code does not meet yet, each with the issue that will fix it. The test fails
//! when a check outside the list fails, and also when a listed check passes
//! (remove it from the list: the fix is then pinned). Run with
//! `W2K8_TRUTH_PRINT=1` to print every failing check with what was seen.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::too_many_lines)]
mod util;

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use util::{code, root, stdout, w2k8};

/// The day every case is judged on (fixed, so that answers do not age).
const AS_OF: &str = "2026-11-25";

/// One check's outcome: its id (`case/key[/item]`) and, when it fails, what was seen.
type Outcome = (String, Option<String>);

fn strs(v: Option<&toml::Value>) -> Vec<String> {
    v.and_then(|v| v.as_array())
        .map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

fn json(args: &[&str], case: &Path) -> (i32, Value) {
    let dir = case.to_str().unwrap();
    let mut all = vec![args[0], dir, "--format", "json", "--as-of", AS_OF];
    all.extend_from_slice(&args[1..]);
    let o = w2k8(&all);
    (code(&o), serde_json::from_str(&stdout(&o)).unwrap_or(Value::Null))
}

/// The standing checks of one case.
fn standing_checks(id: &str, exp: &toml::Table, st: &Value, out: &mut Vec<Outcome>) {
    let mut check = |key: &str, ok: bool, seen: String| {
        out.push((format!("{id}/standing.{key}"), (!ok).then_some(seen)));
    };
    for (key, want) in exp {
        let got = st.get(key.as_str()).cloned().unwrap_or(Value::Null);
        match key.as_str() {
            "product" | "arch" | "patched_through" | "patched_through_at_least" => {
                check(key, got.as_str() == want.as_str(), got.to_string())
            }
            "build" | "service_pack" => check(key, got.as_i64() == want.as_integer(), got.to_string()),
            "server_core" => check(key, got.as_bool() == want.as_bool(), got.to_string()),
            "track" => {
                let want = match want.as_str() {
                    Some("rollup") => "monthly_rollup",
                    Some(w) => w,
                    None => "",
                };
                check(key, got.as_str() == Some(want), got.to_string())
            }
            "not_patched_through" => {
                for m in strs(Some(want)) {
                    let shown = [st.get("patched_through"), st.get("patched_through_at_least")]
                        .iter()
                        .any(|v| v.and_then(|v| v.as_str()) == Some(m.as_str()));
                    check(&format!("{key}/{m}"), !shown, format!("{m} reported"));
                }
            }
            "sha2" | "ssu" | "esu_prep" => {
                let status = got.get("status").cloned().unwrap_or(Value::Null);
                check(key, status.as_str() == want.as_str(), format!("status {status}"))
            }
            // Refused hosts: checked from the exit code and message.
            "family" => {}
            other => panic!("{id}: unknown [standing] key {other}"),
        }
    }
}

/// The CVE ids of the exposure list and of the unknown list.
fn cve_sets(a: &Value) -> (BTreeSet<String>, BTreeSet<String>) {
    let ids = |v: Option<&Value>, key: &str| -> BTreeSet<String> {
        let mut s = BTreeSet::new();
        for e in v.and_then(|v| v.as_array()).into_iter().flatten() {
            match e.get(key) {
                Some(Value::String(c)) => {
                    s.insert(c.clone());
                }
                Some(Value::Array(cs)) => s.extend(cs.iter().filter_map(|c| c.as_str().map(str::to_string))),
                _ => {}
            }
        }
        s
    };
    let mut unknown = ids(a.get("unknown"), "cves");
    // CVEs a partial bundle cannot judge.
    unknown.extend(ids(a.get("exposure_unknown"), "cve"));
    // CVEs judged unknown one by one (the truth issue's three-valued exposure).
    for e in a.get("exposure").and_then(|v| v.as_array()).into_iter().flatten() {
        if e.get("status").and_then(|s| s.as_str()) == Some("unknown") {
            unknown.extend(e.get("cve").and_then(|c| c.as_str()).map(str::to_string));
        }
    }
    let open: BTreeSet<String> = ids(a.get("exposure"), "cve").difference(&unknown).cloned().collect();
    (open, unknown)
}

/// The kinds of the conflicts a standing reports (a source disagreement has no kind).
fn conflict_kinds(st: &Value) -> BTreeSet<String> {
    st.get("conflicts")
        .and_then(|c| c.as_array())
        .into_iter()
        .flatten()
        .map(|c| c.get("kind").and_then(|k| k.as_str()).unwrap_or("sources_disagree").to_string())
        .collect()
}

/// The assess checks of one case.
fn assess_checks(id: &str, exp: &toml::Table, a: &Value, st: &Value, out: &mut Vec<Outcome>) {
    let missing: Vec<String> = a
        .get("missing")
        .and_then(|m| m.as_array())
        .into_iter()
        .flatten()
        .filter_map(|m| m.get("kb").and_then(|k| k.as_str()).map(str::to_string))
        .collect();
    let (open, unknown) = cve_sets(a);
    let mut check =
        |key: String, ok: bool, seen: String| out.push((format!("{id}/assess.{key}"), (!ok).then_some(seen)));
    for (key, want) in exp {
        let items = strs(Some(want));
        match key.as_str() {
            "missing_includes" => {
                items.iter().for_each(|k| check(format!("{key}/{k}"), missing.contains(k), "not missing".into()))
            }
            "missing_excludes" => {
                items.iter().for_each(|k| check(format!("{key}/{k}"), !missing.contains(k), "listed missing".into()))
            }
            "missing_order" => {
                let pos: Vec<Option<usize>> = items.iter().map(|k| missing.iter().position(|m| m == k)).collect();
                let ok = pos.iter().all(Option::is_some) && pos.windows(2).all(|w| w[0] < w[1]);
                check(key.clone(), ok, format!("missing {missing:?}"));
            }
            "open_includes" => items.iter().for_each(|c| {
                let seen = if unknown.contains(c) { "unknown" } else { "closed" };
                check(format!("{key}/{c}"), open.contains(c), seen.into())
            }),
            "closed_includes" => items.iter().for_each(|c| {
                let seen = if open.contains(c) { "open" } else { "unknown" };
                check(format!("{key}/{c}"), !open.contains(c) && !unknown.contains(c), seen.into())
            }),
            "unknown_includes" => items.iter().for_each(|c| {
                let seen = if open.contains(c) { "open" } else { "closed" };
                check(format!("{key}/{c}"), unknown.contains(c), seen.into())
            }),
            "not_open" => items.iter().for_each(|c| check(format!("{key}/{c}"), !open.contains(c), "open".into())),
            "conflicts" => {
                let want: BTreeSet<String> = items.into_iter().collect();
                let got = conflict_kinds(st);
                check(key.clone(), got == want, format!("{got:?}"));
            }
            "counts_are_lower_bound" => {
                let got = a.pointer("/summary/counts_are_lower_bound").and_then(|v| v.as_bool()).unwrap_or(false);
                check(key.clone(), Some(got) == want.as_bool(), got.to_string());
            }
            // Refused hosts: checked from the exit code.
            "refused" => {}
            "missing_exact" => check(key.clone(), missing == items, format!("{missing:?}")),
            other => panic!("{id}: unknown [assess] key {other}"),
        }
    }
}

/// Every check of one case.
fn run_case(dir: &Path, out: &mut Vec<Outcome>) {
    let id = dir.file_name().unwrap().to_string_lossy().into_owned();
    let text = std::fs::read_to_string(dir.join("expected.toml")).unwrap();
    let exp: toml::Table = text.parse().unwrap_or_else(|e| panic!("{id}/expected.toml: {e}"));
    assert!(exp.get("why").and_then(|w| w.as_str()).is_some_and(|w| w.len() > 40), "{id}: no reasoning in `why`");
    let empty = toml::Table::new();
    let st_exp = exp.get("standing").and_then(|t| t.as_table()).unwrap_or(&empty);
    let a_exp = exp.get("assess").and_then(|t| t.as_table()).unwrap_or(&empty);
    let refused = a_exp.get("refused").and_then(|r| r.as_bool()).unwrap_or(false);
    let (st_code, st) = json(&["standing"], dir);
    if refused {
        let o = w2k8(&["standing", dir.to_str().unwrap(), "--as-of", AS_OF]);
        let msg = format!("{}{}", stdout(&o), util::stderr(&o));
        out.push((format!("{id}/refused"), (code(&o) != 3).then(|| format!("exit {}", code(&o)))));
        if let Some(f) = st_exp.get("family").and_then(|f| f.as_str()) {
            out.push((
                format!("{id}/family"),
                (!msg.contains(f)).then(|| msg.lines().next().unwrap_or("").to_string()),
            ));
        }
        return;
    }
    out.push((format!("{id}/standing.exit"), (st_code != 0).then(|| format!("exit {st_code}"))));
    if let Some(ev) = exp.get("evidence").and_then(|e| e.as_str()) {
        let got = st.get("evidence_completeness").cloned().unwrap_or(Value::Null);
        out.push((format!("{id}/evidence"), (got.as_str() != Some(ev)).then(|| got.to_string())));
    }
    standing_checks(&id, st_exp, &st, out);
    let (a_code, a) = json(&["assess"], dir);
    out.push((format!("{id}/assess.exit"), (!matches!(a_code, 0 | 1)).then(|| format!("exit {a_code}"))));
    assess_checks(&id, a_exp, &a, &st, out);
}

/// `tests/truth/KNOWN-FAILURES`: check id, then `#` and the issue.
fn known_failures(path: &Path) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| match l.split_once('#') {
            Some((id, why)) => (id.trim().to_string(), why.trim().to_string()),
            None => (l.to_string(), String::new()),
        })
        .collect()
}

#[test]
fn the_truth_corpus_holds_or_is_a_known_failure() {
    let corpus = root().join("tests/truth");
    let mut cases: Vec<_> = std::fs::read_dir(&corpus)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("expected.toml").is_file())
        .collect();
    cases.sort();
    assert!(cases.len() >= 30, "the corpus holds {} cases", cases.len());
    let mut out = Vec::new();
    for c in &cases {
        run_case(c, &mut out);
    }
    let known = known_failures(&corpus.join("KNOWN-FAILURES"));
    let print = std::env::var("W2K8_TRUTH_PRINT").is_ok();
    let mut unexpected = Vec::new();
    let mut fixed = Vec::new();
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
    println!("truth corpus: {} cases, {} checks, {failing} failing, all {} known", cases.len(), out.len(), known.len());
    assert!(unexpected.is_empty(), "checks failing that KNOWN-FAILURES does not list:\n{}", unexpected.join("\n"));
    assert!(fixed.is_empty(), "listed in KNOWN-FAILURES but now passing (remove them):\n{}", fixed.join("\n"));
    assert!(stale.is_empty(), "KNOWN-FAILURES names checks that do not exist: {stale:?}");
}
