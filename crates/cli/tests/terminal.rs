//! The terminal (issue 19): text that fits `--width` / `COLUMNS` with ids
//! never cut, colour only when asked (`--color`, `NO_COLOR`) and only around
//! severities and KEV entries, `-q` / `-v`, and the KEV due date and the
//! restart flag in `assess`. Expected values are written by hand from the
//! data files: `data/kev/kev-microsoft.csv` has CVE-2019-0708 added
//! 2021-11-03, due 2022-05-03, known ransomware use, and CVE-2021-34527
//! added 2021-11-03, due 2021-07-20; Windows Server 2008's extended support
//! (the end of the programme `none`) ended 2020-01-14.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::too_many_lines)]
mod util;

use std::process::Output;
use util::{code, command, scratch, stdout, w2k8};

const LEGACY: &str = "examples/srv-legacy01";

fn assess(extra: &[&str]) -> Output {
    let mut args = vec!["assess", LEGACY, "--as-of", "2026-01-15"];
    args.extend_from_slice(extra);
    let o = w2k8(&args);
    assert_eq!(code(&o), 1, "findings: {}", util::stderr(&o));
    o
}

/// Lines longer than `width` characters.
fn too_long(text: &str, width: usize) -> Vec<String> {
    text.lines().filter(|l| l.chars().count() > width).map(String::from).collect()
}

/// The texts between an SGR code and the next reset: what got coloured.
fn coloured(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find('\u{1b}') {
        let after = &rest[at..];
        let end = after.find('m').expect("an SGR sequence ends with m");
        let code = &after[..=end];
        rest = &after[end + 1..];
        if code == "\u{1b}[0m" {
            continue;
        }
        // Styles may stack (bold, then a colour): skip to the text.
        let mut body = rest;
        while body.starts_with('\u{1b}') {
            body = &body[body.find('m').unwrap() + 1..];
        }
        let stop = body.find("\u{1b}[0m").expect("every colour is reset");
        out.push(body[..stop].to_string());
        rest = &body[stop..];
    }
    out
}

#[test]
fn assess_fits_80_columns_with_ids_and_dates_whole() {
    let o = assess(&["--width", "80"]);
    let t = stdout(&o);
    assert_eq!(too_long(&t, 80), Vec::<String>::new(), "{t}");
    // The ids are whole, the programme's end date (cut to `(ended 20…` before) is there.
    assert!(t.lines().any(|l| l.starts_with("  CVE-2021-34527  critical ")), "{t}");
    assert!(t.lines().any(|l| l.starts_with("  KB4534303  2020-01-14  monthly_rollup ")), "{t}");
    assert!(t.contains("2020-01-14)"), "the end date: {t}");
    assert!(!t.contains('…'), "nothing cut: {t}");
    // The KEV due date, under the date added.
    let row = t.lines().position(|l| l.starts_with("  CVE-2019-0708 ")).unwrap();
    let cell: String = t.lines().skip(row).take(3).collect::<Vec<_>>().join("\n");
    assert!(cell.contains("2021-11-03") && cell.contains("2022-05-03") && cell.contains("ransomware"), "{cell}");

    // COLUMNS does the same when stdout is not a terminal.
    let c = command().args(["assess", LEGACY, "--as-of", "2026-01-15"]).env("COLUMNS", "80").output().unwrap();
    assert_eq!(stdout(&c), t, "COLUMNS=80 is --width 80");
}

#[test]
fn migrate_and_standing_wrap_under_the_value_and_keep_urls_whole() {
    for cmd in ["migrate", "standing", "plan"] {
        let o = w2k8(&[cmd, LEGACY, "--as-of", "2026-01-15", "--width", "80"]);
        let t = stdout(&o);
        assert!(!t.is_empty(), "{cmd}: {}", util::stderr(&o));
        // Only a line that is one word after its indent (a source: a URL or owner/repo@commit:path) may be longer.
        for l in too_long(&t, 80) {
            assert_eq!(l.split_whitespace().count(), 1, "{cmd}: {l}\n{t}");
            let repo_path = l.split_once('@').is_some_and(|(_, rest)| rest.len() > 41 && rest.as_bytes()[40] == b':');
            assert!(l.contains("://") || repo_path, "{cmd}: {l}");
        }
    }
    let t = stdout(&w2k8(&["migrate", LEGACY, "--as-of", "2026-01-15"]));
    assert!(t.lines().any(|l| l.chars().count() > 200), "piped: no limit");
}

#[test]
fn assess_piped_is_one_line_per_row_with_the_kev_due_date() {
    let t = stdout(&assess(&[]));
    let row = t.lines().find(|l| l.starts_with("  CVE-2019-0708 ")).unwrap();
    assert!(row.contains(" 2021-11-03 → 2022-05-03 ransomware "), "{row}");
    assert!(row.ends_with("Remote Desktop Services Remote Code Execution Vulnerability"), "{row}");
    let row = t.lines().find(|l| l.starts_with("  CVE-2021-34527 ")).unwrap();
    assert!(
        row.contains(" 2021-11-03 → 2021-07-20 ransomware ") && row.contains("none to you (ended 2020-01-14)"),
        "{row}"
    );
    // The restart column: a monthly rollup needs one, a servicing stack update has no source saying so.
    let rollup = t.lines().find(|l| l.starts_with("  KB4534303 ")).unwrap();
    assert!(rollup.contains(" yes "), "{rollup}");
    let ssu = t.lines().find(|l| l.starts_with("  KB4536953 ")).unwrap();
    assert!(ssu.contains("  -  "), "{ssu}");
    assert!(!t.contains('\u{1b}'), "no colour into a pipe");
}

#[test]
fn kev_due_date_and_restart_in_json() {
    let o = assess(&["--format", "json"]);
    let j = util::json(&o);
    let e = j["exposure"].as_array().unwrap().iter().find(|e| e["cve"] == "CVE-2019-0708").unwrap();
    assert_eq!(e["kev"]["date_added"], "2021-11-03", "the old field stays");
    assert_eq!(e["kev"]["due_date"], "2022-05-03");
    assert_eq!(e["kev"]["ransomware"], true);
    let m = j["missing"].as_array().unwrap();
    let kb = |id: &str| m.iter().find(|x| x["kb"] == id).unwrap();
    assert_eq!(kb("KB4534303")["reboot"], true, "monthly rollup");
    assert_eq!(kb("KB4474419")["reboot"], true, "SHA-2 update");
    assert_eq!(kb("KB4536953")["reboot"], false, "servicing stack update");
}

#[test]
fn no_colour_unless_asked() {
    for extra in [&["--color", "never"][..], &[][..], &["--color", "auto"][..]] {
        let o = command()
            .args(["assess", LEGACY, "--as-of", "2026-01-15"])
            .args(extra)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        assert!(!o.stdout.contains(&0x1b), "{extra:?}");
    }
    let o = assess(&["--color", "never"]);
    assert!(!o.stdout.contains(&0x1b));
}

#[test]
fn colour_always_marks_severities_and_kev_only() {
    let t = stdout(&assess(&["--color", "always"]));
    let painted = coloured(&t);
    assert!(painted.iter().any(|p| p == "critical"), "{painted:?}");
    assert!(painted.iter().any(|p| p == "important"), "{painted:?}");
    assert!(painted.iter().any(|p| p == "2021-11-03 → 2022-05-03 ransomware"), "{painted:?}");
    for p in &painted {
        let kev_or_count = p.chars().all(|c| c.is_ascii_digit() || "- →".contains(c)) || p.ends_with(" ransomware");
        assert!(p == "critical" || p == "important" || kev_or_count, "coloured: {p:?}");
    }
    assert!(t.contains("\u{1b}[31mcritical\u{1b}[0m"), "critical is red");
    assert!(t.contains("\u{1b}[33mimportant\u{1b}[0m"), "important is yellow");
    // Without colour the text is the same.
    let plain = stdout(&assess(&[]));
    let mut stripped = String::new();
    let mut rest = t.as_str();
    while let Some(at) = rest.find('\u{1b}') {
        stripped.push_str(&rest[..at]);
        rest = &rest[at + rest[at..].find('m').unwrap() + 1..];
    }
    stripped.push_str(rest);
    assert_eq!(stripped, plain);
}

#[test]
fn quiet_keeps_the_summary_and_verbose_lists_all() {
    let normal = stdout(&assess(&[]));
    let quiet = stdout(&assess(&["-q"]));
    let verbose = stdout(&assess(&["-v"]));
    assert!(quiet.len() * 4 < normal.len(), "{quiet}");
    for must in ["SRV-LEGACY01: Windows Server 2008 SP2", "  Summary          4 missing, ", "Exit code: 1 "] {
        assert!(quiet.contains(must), "{must}: {quiet}");
    }
    assert!(!quiet.contains("Open CVEs"), "{quiet}");
    assert!(normal.contains("... and ") && normal.contains("(-v or --format json lists all)"), "{normal}");
    assert!(!verbose.contains("(-v or --format json lists all)"), "nothing left out");
    assert!(verbose.lines().count() > normal.lines().count() + 1000, "every open CVE");
    assert!(verbose.contains("https://www.catalog.update.microsoft.com/Search.aspx?q=KB4534303"), "download links");
    let both = w2k8(&["assess", LEGACY, "-q", "-v"]);
    assert_eq!(code(&both), 2, "-q and -v conflict");
}

#[test]
fn hosts_and_diff_fit_and_diff_shortens_its_lists() {
    let dir = scratch("terminal-fleet");
    let fleet = dir.join("fleet");
    let db = dir.join("fleet.db");
    let o = w2k8(&["demo-fleet", "6", "--seed", "9", "--scans", "2", "--out", fleet.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", util::stderr(&o));
    let mut rounds: Vec<_> = std::fs::read_dir(&fleet).unwrap().map(|e| e.unwrap().path()).collect();
    rounds.sort();
    for r in &rounds {
        let date = r.file_name().unwrap().to_str().unwrap().to_string();
        let o = w2k8(&["scan", r.to_str().unwrap(), "--as-of", &date, "--db", db.to_str().unwrap()]);
        assert!(matches!(code(&o), 0 | 4), "{}", util::stderr(&o));
    }
    let db = db.to_str().unwrap();

    let wide = stdout(&w2k8(&["hosts", "--db", db]));
    let names: Vec<&str> =
        wide.lines().skip(1).filter_map(|l| l.split_whitespace().next()).filter(|n| n.starts_with("SRV-")).collect();
    assert!(names.len() >= 5, "{wide}");
    let narrow = stdout(&w2k8(&["hosts", "--db", db, "--width", "80"]));
    assert_eq!(too_long(&narrow, 80), Vec::<String>::new(), "{narrow}");
    for n in &names {
        assert!(narrow.lines().any(|l| l.starts_with(&format!("{n} "))), "{n} whole: {narrow}");
    }
    assert!(narrow.contains("(left out at this width: "), "{narrow}");
    let quiet = stdout(&w2k8(&["hosts", "--db", db, "-q"]));
    assert_eq!(quiet.lines().count(), 1, "the count line: {quiet}");
    assert!(quiet.ends_with(" hosts\n"), "{quiet}");

    let diff = stdout(&w2k8(&["diff", "--db", db]));
    assert!(diff.contains(" more (-v shows all)"), "a long list is shortened: {diff}");
    let all = stdout(&w2k8(&["diff", "--db", db, "-v"]));
    assert!(!all.contains("(-v shows all)") && all.len() > diff.len(), "{all}");
    let ids = |t: &str| t.matches("CVE-").count();
    assert!(ids(&diff) * 3 < ids(&all), "{} of {}", ids(&diff), ids(&all));
    let narrow = stdout(&w2k8(&["diff", "--db", db, "--width", "80"]));
    assert_eq!(too_long(&narrow, 80), Vec::<String>::new(), "{narrow}");
    let quiet = stdout(&w2k8(&["diff", "--db", db, "-q"]));
    assert_eq!(quiet.lines().count(), 1, "{quiet}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn quiet_shortens_every_text_output() {
    // plan -q: four lines, written by hand from the example's plan (SHA-2 pair, the SSU, the January 2020 rollup).
    let o = w2k8(&["-q", "plan", LEGACY, "--as-of", "2026-01-15", "--esu", "none"]);
    let t = stdout(&o);
    let lines: Vec<&str> = t.lines().collect();
    assert_eq!(lines.len(), 4, "{t}");
    assert_eq!(lines[0], "SRV-LEGACY01: build 6002, patched through 2018-12");
    assert_eq!(lines[1], "  Install in order KB4493730, KB4474419, KB4536953, KB4534303 (2 restart(s))");
    assert!(lines[3].starts_with("  Left open        "), "{t}");
    // migrate -q: the first block only (the full output has more blocks after an empty line).
    let full = stdout(&w2k8(&["migrate", LEGACY, "--as-of", "2026-01-15"]));
    let quiet = stdout(&w2k8(&["migrate", LEGACY, "--as-of", "2026-01-15", "-q"]));
    assert!(full.contains("\n\n") && quiet.len() < full.len(), "{quiet}");
    assert!(full.starts_with(&quiet), "{quiet}");
    assert!(!quiet.contains("\n\n"));
    // explain -q: one line.
    assert_eq!(stdout(&w2k8(&["explain", "-q", "0x80092004"])), "0x80092004  CRYPT_E_NOT_FOUND\n");
}
