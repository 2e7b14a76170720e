//! `services.txt`: `sc queryex type= service state= all`, one block per
//! service:
//!
//! ```text
//! SERVICE_NAME: Spooler
//! DISPLAY_NAME: Print Spooler
//!         TYPE               : 110  WIN32_OWN_PROCESS  (interactive)
//!         STATE              : 4  RUNNING
//!                                 (STOPPABLE, NOT_PAUSABLE, IGNORES_SHUTDOWN)
//!         WIN32_EXIT_CODE    : 0  (0x0)
//!         ...
//!         PID                : 1234
//!         FLAGS              :
//! ```
//!
//! The labels (`SERVICE_NAME`, `STATE`, `PID`) are read in English only; the
//! state is taken from its **number** (1..7, MS-SCMR `dwCurrentState`), never
//! from the word after it, which may be localized. A block whose `STATE`
//! line is missing or unreadable gives a service with an unknown state. An
//! `[SC] ...` line (an enumeration error, "more data") or a last block cut
//! off marks the listing incomplete: a service it does not list is then
//! unknown rather than "not installed".
use crate::config::{HostConfig, ServiceEntry, ServiceState, ServiceTable};
use crate::{Facts, ParseError};
use w2k8_core::Evidence;

/// Whether `text` looks like `sc query`/`queryex` output: a `SERVICE_NAME:`
/// line followed by an indented `TYPE`/`STATE` label line.
pub fn sniff(text: &str) -> bool {
    let mut names = 0usize;
    for (i, line) in text.lines().enumerate().take(5000) {
        let t = line.trim_end();
        if t.starts_with("SERVICE_NAME:") {
            names += 1;
        } else if names > 0 && line.starts_with(char::is_whitespace) {
            if let Some((label, _)) = t.trim().split_once(':') {
                let label = label.trim();
                if label == "TYPE" || label == "STATE" {
                    return true;
                }
            }
        } else if names == 0 && i > 20 {
            return false;
        }
    }
    false
}

/// Parses `services.txt` read from `file`.
pub fn parse(text: &str, file: &str) -> Result<Facts, ParseError> {
    let table = ServiceTable { complete: true, file: file.to_string(), ..ServiceTable::default() };
    let mut reader = Reader { file, table, notes: Vec::new(), state_seen: true };
    for (n, line) in super::qfe::lines(text) {
        reader.line(n, line.trim_end())?;
    }
    let Reader { mut table, mut notes, state_seen, .. } = reader;
    if table.services.is_empty() {
        return Err(ParseError::new(
            file,
            super::qfe::lines(text).find(|(_, l)| !l.trim().is_empty()).map(|(n, _)| n),
            "`sc queryex` output: a `SERVICE_NAME:` line",
        ));
    }
    if !state_seen {
        table.complete = false;
        notes.push("the last service block has no STATE line: the list looks cut off".to_string());
    }
    Ok(Facts { notes, config: HostConfig { services: Some(table), ..HostConfig::default() }, ..Facts::default() })
}

/// The state of a `services.txt` read, line by line.
struct Reader<'a> {
    file: &'a str,
    table: ServiceTable,
    notes: Vec<String>,
    /// Whether the current block has shown its STATE line.
    state_seen: bool,
}

impl Reader<'_> {
    /// Reads line `n` (`t`, trailing blanks trimmed): a new service block,
    /// an sc error, or a field of the current block.
    fn line(&mut self, n: u32, t: &str) -> Result<(), ParseError> {
        if t.trim().is_empty() {
            return Ok(());
        }
        if let Some(name) = t.strip_prefix("SERVICE_NAME:") {
            return self.service(n, name.trim());
        }
        if t.trim_start().starts_with("[SC]") {
            self.table.complete = false;
            self.notes.push(format!("line {n}: sc said `{}`: the service list may be incomplete", t.trim()));
            return Ok(());
        }
        self.field(n, t);
        Ok(())
    }

    /// A `SERVICE_NAME:` line: a new service block.
    fn service(&mut self, n: u32, name: &str) -> Result<(), ParseError> {
        if name.is_empty() {
            return Err(ParseError::new(self.file, Some(n), "a service name after `SERVICE_NAME:`"));
        }
        self.table.services.push(ServiceEntry {
            name: name.to_string(),
            display_name: None,
            state: None,
            evidence: Evidence::new(format!("service {name}"), self.file, Some(n)),
            pid: None,
        });
        self.state_seen = false;
        Ok(())
    }

    /// A line inside a service block: its display name, STATE or PID.
    fn field(&mut self, n: u32, t: &str) {
        let Some(cur) = self.table.services.last_mut() else {
            // Text before the first service (a prompt, a banner): not ours to read.
            return;
        };
        if let Some(d) = t.strip_prefix("DISPLAY_NAME:") {
            cur.display_name = Some(d.trim().to_string());
            return;
        }
        let Some((label, value)) = t.trim().split_once(':') else { return };
        match label.trim() {
            "STATE" => {
                self.state_seen = true;
                let number = value.split_whitespace().next().and_then(|w| w.parse::<u32>().ok());
                cur.state = number.and_then(ServiceState::from_number);
                cur.evidence = Evidence::new(format!("service {} state", cur.name), self.file, Some(n));
                if cur.state.is_none() {
                    self.notes.push(format!("line {n}: state of {} not read (expected a number 1..7)", cur.name));
                }
            }
            "PID" => {
                cur.pid = value.trim().parse::<u32>().ok().filter(|p| *p != 0);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_by_number_whatever_the_word() {
        let text = "\r\nSERVICE_NAME: Spooler\r\nDISPLAY_NAME: Druckwarteschlange\r\n        TYPE               : 110  WIN32_OWN_PROCESS  (interactive)\r\n        STATE              : 4  XYZ\r\n        PID                : 1188\r\n\r\nSERVICE_NAME: WebClient\r\n        TYPE               : 20  WIN32_SHARE_PROCESS\r\n        STATE              : 9  RUNNING\r\n";
        assert!(sniff(text));
        let f = parse(text, "services.txt").unwrap();
        let t = f.config.services.unwrap();
        let s = t.get("spooler").unwrap();
        assert_eq!((s.state, s.pid, s.evidence.line), (Some(ServiceState::Running), Some(1188), Some(5)));
        assert_eq!(s.display_name.as_deref(), Some("Druckwarteschlange"));
        // 9 is no state: unknown, said in a note.
        assert_eq!(t.get("WebClient").unwrap().state, None);
        assert!(t.complete);
        assert_eq!(f.notes.len(), 1);
    }

    #[test]
    fn cut_off_and_errors() {
        let text = "SERVICE_NAME: A\r\n        STATE              : 1  STOPPED\r\nSERVICE_NAME: B\r\n";
        let t = parse(text, "s").unwrap().config.services.unwrap();
        assert!(!t.complete);
        let e = parse("nothing here\r\n", "s.txt").unwrap_err().to_string();
        assert!(e.starts_with("s.txt:1: expected"), "{e}");
        let e = parse("SERVICE_NAME:\r\n", "s.txt").unwrap_err().to_string();
        assert!(e.starts_with("s.txt:1: expected a service name"), "{e}");
        assert!(!sniff("Host Name: X\r\n"));
    }
}
