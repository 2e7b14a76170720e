//! `reg-reboot.txt`: the `reg query` outputs `collect.cmd` appends to show
//! whether a restart is pending, in reg.exe's layout (see [`super::reg`]):
//!
//! * `reg query "HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\RebootPending"`
//!   -> marker `RebootPending` when the key exists (its values or subkeys do
//!   not matter);
//! * `reg query "HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate\Auto Update\RebootRequired"`
//!   -> marker `RebootRequired` when the key exists;
//! * `reg query "HKLM\SYSTEM\CurrentControlSet\Control\Session Manager" /v PendingFileRenameOperations`
//!   -> marker `PendingFileRenameOperations` when the value holds data.
//!
//! These are the three locations public pending-restart checks read (see
//! `tests/fixtures/reg-reboot/README.md`) and the ones `collect.cmd` queries. A key that does not exist makes reg.exe write
//! its error to stderr, which the collector sends to `collector.txt`: so an
//! empty `reg-reboot.txt` means none of the three exists ([`none`]).
//!
//! Key paths and type names stay English in localized Windows.
use super::reg::{is_key_line, parse_value};
use crate::{Facts, ParseError};
use w2k8_core::{Evidence, Observed};

/// The marker names, as [`Facts::pending_reboot`] lists them.
pub const REBOOT_PENDING: &str = "RebootPending";
/// Windows Update's marker.
pub const REBOOT_REQUIRED: &str = "RebootRequired";
/// Session Manager's pending file renames.
pub const PENDING_FILE_RENAMES: &str = "PendingFileRenameOperations";

/// Which reboot key a key line names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    /// `...\Component Based Servicing\RebootPending` or a subkey of it.
    CbsPending,
    /// `...\WindowsUpdate\Auto Update\RebootRequired` or a subkey of it.
    WuRequired,
    /// `...\Control\Session Manager` itself.
    SessionManager,
}

fn key_of(line: &str) -> Option<Key> {
    let lower = line.trim_end().to_ascii_lowercase();
    let under = |k: &str| lower.ends_with(k) || lower.contains(&format!("{k}\\"));
    if under("\\component based servicing\\rebootpending") {
        Some(Key::CbsPending)
    } else if under("\\windowsupdate\\auto update\\rebootrequired") {
        Some(Key::WuRequired)
    } else if lower.ends_with("\\control\\session manager") {
        Some(Key::SessionManager)
    } else {
        None
    }
}

/// Whether `text` is `reg query` output of the reboot keys only: at least
/// one key line, and every key line one of the three reboot keys.
pub fn sniff(text: &str) -> bool {
    let mut keys = 0usize;
    for line in text.lines().take(5000) {
        let t = line.trim_end();
        if is_key_line(t) {
            if key_of(t).is_none() {
                return false;
            }
            keys += 1;
        }
    }
    keys > 0
}

/// The facts of an empty `reg-reboot.txt` read from `file`: checked, no
/// marker (every `reg query` found nothing and wrote only to stderr).
pub fn none(file: &str) -> Facts {
    Facts {
        pending_reboot: Some(Observed::new(Vec::new(), Evidence::new("pending_reboot", file, None))),
        ..Facts::default()
    }
}

/// Parses `reg-reboot.txt` read from `file`.
pub fn parse(text: &str, file: &str) -> Result<Facts, ParseError> {
    let mut markers: Vec<(String, u32)> = Vec::new();
    let mut current: Option<Key> = None;
    let mut saw_key = false;
    let push = |name: &str, n: u32, m: &mut Vec<(String, u32)>| {
        if !m.iter().any(|(k, _)| k == name) {
            m.push((name.to_string(), n));
        }
    };
    for (n, line) in super::qfe::lines(text) {
        let t = line.trim_end();
        if t.trim().is_empty() {
            continue;
        }
        if is_key_line(t) {
            saw_key = true;
            current = key_of(t);
            match current {
                Some(Key::CbsPending) => push(REBOOT_PENDING, n, &mut markers),
                Some(Key::WuRequired) => push(REBOOT_REQUIRED, n, &mut markers),
                Some(Key::SessionManager) => {}
                None => {
                    return Err(ParseError::new(
                        file,
                        Some(n),
                        "a reboot key (`...\\Component Based Servicing\\RebootPending`, `...\\WindowsUpdate\\Auto Update\\RebootRequired` or `...\\Control\\Session Manager`)",
                    ))
                }
            }
            continue;
        }
        if let Some((name, _ty, data)) = parse_value(t) {
            if current == Some(Key::SessionManager)
                && name.eq_ignore_ascii_case(PENDING_FILE_RENAMES)
                && !data.trim_matches(|c: char| c == '\\' || c == '0' || c.is_whitespace()).is_empty()
            {
                push(PENDING_FILE_RENAMES, n, &mut markers);
            }
        }
        // Other lines (reg.exe's ERROR text when stderr was redirected too) are ignored.
    }
    if !saw_key {
        return Err(ParseError::new(
            file,
            super::qfe::lines(text).find(|(_, l)| !l.trim().is_empty()).map(|(n, _)| n),
            "`reg query` output of `...\\Component Based Servicing\\RebootPending`, `...\\Auto Update\\RebootRequired` or `Session Manager /v PendingFileRenameOperations`",
        ));
    }
    let line = markers.first().map(|(_, n)| *n);
    let names: Vec<String> = markers.into_iter().map(|(k, _)| k).collect();
    Ok(Facts {
        pending_reboot: Some(Observed::new(names, Evidence::new("pending_reboot", file, line))),
        ..Facts::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const CBS: &str = "\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\RebootPending\r\n\r\n";
    const SM_EMPTY: &str = "\r\nHKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Session Manager\r\n    PendingFileRenameOperations    REG_MULTI_SZ    \r\n\r\n";

    #[test]
    fn markers_and_lines() {
        let f = parse(CBS, "reg-reboot.txt").unwrap();
        let p = f.pending_reboot.unwrap();
        assert_eq!(p.value, [REBOOT_PENDING]);
        assert_eq!(p.evidence.line, Some(2));
        let f = parse(SM_EMPTY, "reg-reboot.txt").unwrap();
        assert!(f.pending_reboot.unwrap().value.is_empty());
        assert!(sniff(CBS) && sniff(SM_EMPTY));
        assert!(!sniff("\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\r\n"));
        assert!(!sniff(&format!(
            "{CBS}\r\nHKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Session Manager\\Environment\r\n"
        )));
    }

    #[test]
    fn errors_name_file_and_line() {
        let e = parse("hello\r\n", "r.txt").unwrap_err().to_string();
        assert!(e.starts_with("r.txt:1: expected"), "{e}");
        let e = parse(&format!("{CBS}HKEY_LOCAL_MACHINE\\SOFTWARE\\X\r\n"), "r.txt").unwrap_err().to_string();
        assert!(e.starts_with("r.txt:4: expected a reboot key"), "{e}");
        assert!(none("r.txt").pending_reboot.unwrap().value.is_empty());
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC*") {
            let _ = sniff(&s);
            let _ = parse(&s, "f");
        }

        #[test]
        fn rename_values_round_trip(paths in proptest::collection::vec("[A-Za-z0-9_]{1,12}", 0..4)) {
            let data: String = paths.iter().map(|p| format!("\\??\\C:\\Windows\\{p}\\0")).collect();
            let text = format!("\r\nHKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Session Manager\r\n    PendingFileRenameOperations    REG_MULTI_SZ    {data}\r\n\r\n");
            prop_assert!(sniff(&text));
            let f = parse(&text, "f").unwrap();
            let want: Vec<String> = if paths.is_empty() { vec![] } else { vec![PENDING_FILE_RENAMES.to_string()] };
            prop_assert_eq!(f.pending_reboot.unwrap().value, want);
        }
    }
}
