//! Terminal escapes from a bundle never reach the terminal (issue 18): a host
//! named `EVIL ESC]0;pwned BEL ESC[2J` and a folder name holding a newline are
//! shown escaped by every text writer (standing, assess, plan, hosts, the scan
//! summary) and in install.cmd / rollback.cmd.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::too_many_lines)]
use std::path::PathBuf;
use w2k8_assess::{Options, PlanOptions};
use w2k8_catalog::Catalog;
use w2k8_core::Date;
use w2k8_fleet::{FleetReport, ScanProblem, ScanStatus, ScanSummary};
use w2k8_report::fleet;

const EVIL: &str = "EVIL\u{1b}]0;pwned\u{7}\u{1b}[2J";
const SHOWN: &str = "EVIL\\x1B]0;pwned\\x07\\x1B[2J";

/// No control character but the line feed (and the CR of a CRLF script).
#[track_caller]
fn clean(what: &str, text: &str, crlf: bool) {
    let bad: Vec<char> =
        text.chars().filter(|&c| w2k8_core::text::is_unsafe(c) && c != '\n' && !(crlf && c == '\r')).collect();
    assert!(bad.is_empty(), "{what} holds {bad:?}:\n{text}");
}

fn evil_host() -> w2k8_inventory::Host {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/srv-file01/systeminfo.txt");
    // OEM code page text: the name is replaced byte-wise.
    let bytes = std::fs::read(path).unwrap();
    let at = bytes.windows(10).position(|w| w == b"SRV-FILE01").unwrap();
    let mut text = bytes[..at].to_vec();
    text.extend_from_slice(EVIL.as_bytes());
    text.extend_from_slice(&bytes[at + 10..]);
    w2k8_inventory::bundle::load_bytes("systeminfo.txt", &text, &w2k8_inventory::LoadOptions::default()).unwrap()
}

#[test]
fn single_host_writers_escape_a_hostile_host_name() {
    let host = evil_host();
    assert_eq!(host.facts.host_name.as_ref().unwrap().value, EVIL, "the fixture carries the escapes");
    let c = Catalog::embedded();
    let a = w2k8_assess::assess(&host, c, Date::new(2026, 1, 15).unwrap(), &Options::default()).unwrap();
    let plan = w2k8_assess::plan(&a, &host, c, &PlanOptions::default(), &|_| None);
    for (what, text) in [
        ("standing", w2k8_report::standing::text(&a.standing)),
        ("assess", w2k8_report::assessment::text(&a)),
        ("plan", w2k8_report::plan::text(&plan)),
        ("plan markdown", w2k8_report::plan::markdown(&plan)),
    ] {
        clean(what, &text, false);
        assert!(text.contains(SHOWN), "{what} shows the name escaped:\n{text}");
    }
    for (what, text) in [
        ("install.cmd", w2k8_report::script::install_cmd(&plan, None)),
        ("rollback.cmd", w2k8_report::script::rollback_cmd(&plan)),
    ] {
        clean(what, &text, true);
        assert!(!text.contains("pwned\u{7}"), "{what}");
        assert!(text.contains("rem ") && text.contains("EVIL?]0;pwned??[2J"), "{what}:\n{text}");
    }
}

#[test]
fn hosts_and_the_scan_summary_escape_names_and_folders() {
    let mut report: FleetReport = serde_json::from_str(include_str!("fixtures/fleet/report.json")).unwrap();
    report.hosts[0].name = EVIL.to_string();
    report.hosts[1].name = "SRV\nscanned 999 bundles in 0.0 s into x: 999 ok".to_string();
    let text = fleet::hosts::text(&report.hosts);
    clean("hosts", &text, false);
    assert!(text.contains(SHOWN), "{text}");
    assert_eq!(text.lines().count(), 1 + report.hosts.len() + 1, "header, one line per host, count:\n{text}");
    assert!(!text.lines().any(|l| l.starts_with("scanned")), "{text}");

    let summary = ScanSummary {
        total: 2,
        ok: 1,
        failed: 1,
        problems: vec![ScanProblem {
            source: "fleet/bad\nscanned 999 bundles in 0.0 s into x: 999 ok".into(),
            status: ScanStatus::Failed,
            error: format!("fleet/bad: expected a systeminfo ... found {EVIL}"),
        }],
        ..ScanSummary::default()
    };
    let out = fleet::scan::summary(&summary, "fleet.db", 0.5);
    clean("summary", &out, false);
    assert_eq!(out.lines().count(), 2, "{out}");
    assert!(!out.lines().any(|l| l.starts_with("scanned 999")), "{out}");
    assert!(out.contains("fleet/bad\\x0Ascanned 999") && out.contains(SHOWN), "{out}");
}

/// Every escape sequence in `text` is one of the SGR colour codes the
/// writers add (`ESC [ digits ; m`), around a severity, a KEV cell or a count.
#[track_caller]
fn only_our_colour(what: &str, text: &str) {
    let mut rest = text;
    while let Some(at) = rest.find('\u{1b}') {
        let seq = &rest[at + 1..];
        let end = seq.find('m').unwrap_or_else(|| panic!("{what}: an escape that is not SGR:\n{text}"));
        let body = &seq[..end];
        assert!(body.starts_with('[') && body[1..].chars().all(|c| c.is_ascii_digit() || c == ';'), "{what}: {body:?}");
        rest = &seq[end..];
    }
}

#[test]
fn colour_and_width_keep_a_hostile_name_escaped() {
    let host = evil_host();
    let c = Catalog::embedded();
    let a = w2k8_assess::assess(&host, c, Date::new(2026, 1, 15).unwrap(), &Options::default()).unwrap();
    let term = w2k8_report::term::Term { width: Some(60), color: true, ..Default::default() };
    let text = w2k8_report::assessment::text_with(&a, &term);
    assert!(text.contains(SHOWN), "{text}");
    assert!(text.contains("\u{1b}[31m"), "colour is on: {text}");
    assert!(!text.contains("pwned\u{7}") && !text.contains("\u{1b}]0") && !text.contains("\u{1b}[2J"), "{text}");
    only_our_colour("assess", &text);

    let mut report: FleetReport = serde_json::from_str(include_str!("fixtures/fleet/report.json")).unwrap();
    report.hosts[0].name = EVIL.to_string();
    let text = fleet::hosts::text_with(&report.hosts, &term);
    assert!(text.contains(SHOWN), "{text}");
    only_our_colour("hosts", &text);
}
