//! `netstat.txt`: `netstat -ano`, one row per socket:
//!
//! ```text
//!   Proto  Local Address          Foreign Address        State           PID
//!   TCP    0.0.0.0:445            0.0.0.0:0              LISTENING       4
//!   TCP    [::]:3389              [::]:0                 LISTENING       1234
//!   UDP    0.0.0.0:500            *:*                                    1044
//! ```
//!
//! The title and the column headers are localized, and so is the state word
//! (`LISTENING` is `ABHÖREN` on German Windows): rows are read by structure
//! only. A row is `TCP`/`UDP`, the local `address:port`, the foreign
//! address, for TCP a state word, and (with `-o`) the process id last. A TCP
//! socket is a listener when its foreign address is the unspecified
//! `0.0.0.0:0` or `[::]:0`, which is how netstat prints a listening socket
//! whatever the language; the state word is not read.
use crate::config::{HostConfig, Listener, ListenerTable};
use crate::{Facts, ParseError};
use w2k8_core::Evidence;

/// One socket row, split: (proto, local address, local port, foreign, pid).
fn row(line: &str) -> Option<(&str, &str, u16, &str, Option<u32>)> {
    let mut words = line.split_whitespace();
    let proto = words.next()?;
    if proto != "TCP" && proto != "UDP" {
        return None;
    }
    let local = words.next()?;
    let foreign = words.next()?;
    let rest: Vec<&str> = words.collect();
    let (addr, port) = local.rsplit_once(':')?;
    let port = port.parse::<u16>().ok()?;
    if addr.is_empty() {
        return None;
    }
    // The foreign part is `addr:port` or UDP's `*:*`.
    if !foreign.contains(':') {
        return None;
    }
    let pid = rest.last().and_then(|w| w.parse::<u32>().ok());
    Some((proto, addr, port, foreign, pid))
}

/// Whether `text` looks like `netstat -an(o)`: at least two socket rows
/// among the first lines, and no line that is not a row, blank, or one of
/// the two header lines above the rows.
pub fn sniff(text: &str) -> bool {
    let mut rows = 0usize;
    let mut other = 0usize;
    for line in text.lines().take(200) {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        if row(t).is_some() {
            rows += 1;
        } else if rows == 0 {
            other += 1;
        } else {
            return false;
        }
        if other > 3 {
            return false;
        }
    }
    rows >= 2
}

/// Parses `netstat.txt` read from `file`.
pub fn parse(text: &str, file: &str) -> Result<Facts, ParseError> {
    let mut table = ListenerTable { file: file.to_string(), ..ListenerTable::default() };
    let mut odd = 0usize;
    for (n, line) in super::qfe::lines(text) {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        let Some((proto, addr, port, foreign, pid)) = row(t) else {
            if t.starts_with("TCP") || t.starts_with("UDP") {
                odd += 1;
            }
            continue;
        };
        table.rows += 1;
        let listening = match proto {
            "TCP" => foreign == "0.0.0.0:0" || foreign == "[::]:0",
            _ => true,
        };
        if listening {
            table.listeners.push(Listener {
                proto: proto.to_string(),
                address: addr.to_string(),
                port,
                pid,
                evidence: Evidence::new(format!("{proto} {addr}:{port} listening"), file, Some(n)),
            });
        }
    }
    if table.rows == 0 {
        return Err(ParseError::new(
            file,
            super::qfe::lines(text).find(|(_, l)| !l.trim().is_empty()).map(|(n, _)| n),
            "`netstat -ano` rows such as `TCP    0.0.0.0:445    0.0.0.0:0    LISTENING    4`",
        ));
    }
    let mut facts = Facts::default();
    if odd > 0 {
        facts.notes.push(format!("{odd} TCP/UDP line(s) not in netstat's layout were skipped"));
    }
    facts.config = HostConfig { listeners: Some(table), ..HostConfig::default() };
    Ok(facts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listeners_by_structure() {
        let text = "\r\nAktive Verbindungen\r\n\r\n  Proto  Lokale Adresse         Remoteadresse          Status           PID\r\n  TCP    0.0.0.0:445            0.0.0.0:0              ABHOEREN         4\r\n  TCP    127.0.0.1:5354         0.0.0.0:0              ABHOEREN         1500\r\n  TCP    10.0.0.5:49200         10.0.0.9:445           HERGESTELLT      4\r\n  TCP    [::]:3389              [::]:0                 ABHOEREN         1234\r\n  UDP    0.0.0.0:500            *:*                                    1044\r\n";
        assert!(sniff(text));
        let f = parse(text, "netstat.txt").unwrap();
        let t = f.config.listeners.unwrap();
        assert_eq!(t.rows, 5);
        let got: Vec<(&str, u16, Option<u32>, Option<u32>)> =
            t.listeners.iter().map(|l| (l.proto.as_str(), l.port, l.pid, l.evidence.line)).collect();
        assert_eq!(
            got,
            [
                ("TCP", 445, Some(4), Some(5)),
                ("TCP", 5354, Some(1500), Some(6)),
                ("TCP", 3389, Some(1234), Some(8)),
                ("UDP", 500, Some(1044), Some(9))
            ]
        );
        assert_eq!(t.tcp_listening(445).len(), 1);
        assert!(t.tcp_listening(5354).is_empty(), "loopback only");
        assert!(t.tcp_listening(49200).is_empty(), "an outgoing connection is no listener");
    }

    #[test]
    fn not_netstat() {
        assert!(!sniff("Host Name: X\r\nOS Name: Y\r\n"));
        let e = parse("Active Connections\r\n", "n.txt").unwrap_err().to_string();
        assert!(e.starts_with("n.txt:1: expected"), "{e}");
    }
}
