//! Every `w2k8` command that a message, a script or a page tells the user to
//! run exists (issue 15: `install.cmd` once told the user to run `w2k8
//! diagnose code %HEX%`, which does not exist).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::too_many_lines)]
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

fn w2k8(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_w2k8")).args(args).output().unwrap()
}

/// The subcommands `w2k8 --help` lists.
fn subcommands() -> BTreeSet<String> {
    let help = String::from_utf8(w2k8(&["--help"]).stdout).unwrap();
    help.lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect()
}

/// `w2k8 WORD` in backticks in `text`: what the text tells the user to run.
fn named(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices("`w2k8 ") {
        let rest = &text[i + 6..];
        let cmd: String = rest.chars().take_while(|c| *c != '`').collect();
        let word = cmd.split_whitespace().next().unwrap_or("").to_string();
        out.push((word, cmd));
    }
    out
}

#[test]
fn scripts_name_only_commands_that_exist() {
    let subs = subcommands();
    assert!(subs.contains("explain") && subs.contains("diagnose"), "{subs:?}");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/srv-legacy01");
    for kind in ["--install", "--rollback"] {
        let o = w2k8(&["script", kind, root.to_str().unwrap()]);
        let text = String::from_utf8_lossy(&o.stdout);
        for line in text.lines().filter(|l| l.contains("w2k8 ")) {
            for (i, _) in line.match_indices("w2k8 ") {
                let word = line[i + 5..].split_whitespace().next().unwrap_or("");
                let word = word.trim_end_matches([',', '.', ';', ':']);
                if word.chars().all(|c| c.is_ascii_lowercase() || c == '-') && !word.is_empty() {
                    assert!(subs.contains(word), "{kind}: `w2k8 {word}` does not exist: {line}");
                }
            }
        }
        assert!(!text.contains("diagnose code"), "{kind}");
    }
    // What install.cmd tells the user to run on a failure code works.
    let o = w2k8(&["explain", "80092004"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn messages_and_pages_name_only_commands_that_exist() {
    let subs = subcommands();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    for dir in ["crates"] {
        let mut stack = vec![root.join(dir)];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                let name = p.file_name().unwrap().to_string_lossy().to_string();
                if p.is_dir() {
                    if !matches!(name.as_str(), "tests" | "node_modules" | "target" | "fixtures" | "benches") {
                        stack.push(p);
                    }
                } else if name.ends_with(".rs") || name.ends_with(".js") || name.ends_with(".html") {
                    files.push(p);
                }
            }
        }
    }
    let mut checked = 0;
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for (word, cmd) in named(&text) {
            if word.is_empty() || !word.chars().all(|c| c.is_ascii_lowercase() || c == '-') {
                continue;
            }
            assert!(subs.contains(&word), "{}: `w2k8 {cmd}` names a command that does not exist", f.display());
            checked += 1;
        }
    }
    assert!(checked > 20, "{checked}");
}
