//! Hosts judged alike share their CVE verdicts (a per-process memo keyed by
//! what the verdicts depend on: the catalog, the OS family, the product rows,
//! the installed set, the kernel's month, the list's completeness and the
//! horizon). This test is the memo's oracle: every answer made with the memo
//! (first filling it, then reading it) is the answer made without it, for
//! the truth corpus, the examples, every sixth generated "patched through" host
//! of both OS families, under the programme each shows and under premium, and a twin of each with another
//! name and its hotfix list in another order. It runs alone in its process
//! (the memo is process-wide).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::too_many_lines)]
use std::path::Path;
use w2k8_assess::assessment::{set_verdict_memo, verdict_memo_hits};
use w2k8_assess::generate::{patched_through_hosts_for, systeminfo_text};
use w2k8_assess::{assess, Options, Programme};
use w2k8_catalog::{Catalog, OsFamily};
use w2k8_core::Date;
use w2k8_inventory::{bundle, Host, LoadOptions};

fn hosts() -> Vec<(String, Host)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let opts = LoadOptions::default();
    let mut out = Vec::new();
    let mut dirs: Vec<_> = std::fs::read_dir(root.join("tests/truth"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.extend(["examples/srv-file01", "examples/srv-legacy01", "examples/srv-r2-esu01"].map(|e| root.join(e)));
    dirs.sort();
    for d in dirs {
        if let Ok(h) = bundle::load(&d, &opts) {
            out.push((d.display().to_string(), h));
        }
    }
    let c = Catalog::embedded();
    for os in [OsFamily::Ws2008, OsFamily::Ws2008R2] {
        // Every sixth month (a debug build judges a host in tens of milliseconds).
        for g in patched_through_hosts_for(c, os).into_iter().step_by(6) {
            let text = systeminfo_text(&g);
            out.push((
                format!("{os:?} {}", g.month),
                bundle::load_bytes("systeminfo.txt", text.as_bytes(), &opts).unwrap(),
            ));
            // The twin: another name, the hotfix lines in reverse order (other evidence lines, the same set).
            let mut lines: Vec<&str> = text.split("\r\n").collect();
            let fixes: Vec<usize> = (0..lines.len()).filter(|i| lines[*i].trim_start().starts_with('[')).collect();
            let mut reversed: Vec<&str> = fixes.iter().rev().map(|i| lines[*i]).collect();
            for (slot, line) in fixes.iter().zip(reversed.drain(..)) {
                lines[*slot] = line;
            }
            let twin =
                lines.join("\r\n").replacen("Host Name:                 ", "Host Name:                 TWIN-", 1);
            out.push((
                format!("{os:?} {} twin", g.month),
                bundle::load_bytes("systeminfo.txt", twin.as_bytes(), &opts).unwrap(),
            ));
        }
    }
    out
}

/// The programmes each host is judged under: the one its bundle shows, and the one that counts every update.
const PROGRAMMES: [Option<Programme>; 2] = [None, Some(Programme::Premium)];

fn answers(hosts: &[(String, Host)]) -> Vec<String> {
    let c = Catalog::embedded();
    let today = Date::new(2026, 6, 1).unwrap();
    let mut out = Vec::new();
    for (_, h) in hosts {
        for programme in PROGRAMMES {
            let a = assess(h, c, today, &Options { programme });
            out.push(match a {
                Ok(a) => serde_json::to_string(&a).unwrap(),
                Err(e) => format!("error: {e}"),
            });
        }
    }
    out
}

/// Equal answers, or a panic showing where they part.
#[track_caller]
fn same(want: &str, got: &str, what: &str) {
    if want == got {
        return;
    }
    let at = want.bytes().zip(got.bytes()).take_while(|(a, b)| a == b).count();
    let around = |s: &str| s.get(at.saturating_sub(120)..(at + 120).min(s.len())).unwrap_or("").to_string();
    panic!(
        "{what}: the answers part at byte {at}:\nwithout the memo: …{}…\nwith it:          …{}…",
        around(want),
        around(got)
    );
}

#[test]
fn answers_with_the_memo_are_the_answers_without_it() {
    let hosts = hosts();
    assert!(hosts.len() > 100, "{} hosts", hosts.len());
    set_verdict_memo(false);
    let fresh = answers(&hosts);
    let hits_before = verdict_memo_hits();
    set_verdict_memo(true);
    let filling = answers(&hosts);
    let reading = answers(&hosts);
    assert!(verdict_memo_hits() > hits_before + hosts.len(), "the memo was not used");
    for (i, (name, _)) in hosts.iter().enumerate() {
        for p in 0..PROGRAMMES.len() {
            let k = i * PROGRAMMES.len() + p;
            same(&fresh[k], &filling[k], &format!("{name}, programme {p}: memo filling"));
            same(&fresh[k], &reading[k], &format!("{name}, programme {p}: memo read"));
        }
    }
}
