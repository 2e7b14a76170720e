//! `reg-mitigations.txt`: `reg query` of the registry keys Microsoft's
//! workarounds and mitigations name (see `data/mitigations/`), in reg.exe's
//! layout (see [`super::reg`]), each query preceded by the collector's
//! marker line `w2k8-query: <key>` or `w2k8-query: <key> Start` (a query
//! with `/v Start`).
//!
//! A key that does not exist makes reg.exe write its error to stderr (which
//! the collector sends to `collector.txt`), so nothing follows its marker:
//! with the marker the key is known to be **absent**; without markers (a file
//! made by hand) a key not shown is **not known**. Key paths, value names and
//! type names stay English on localized Windows.
use super::reg::{is_key_line, parse_value};
use crate::config::{canonical_key, HostConfig, RegQuery, RegValue, RegistryConfig};
use crate::{Facts, ParseError};
use w2k8_core::{Evidence, Observed};

/// The collector's header line (first line of the file).
pub const HEADER: &str = "w2k8-mitigations";

/// The collector's marker before each query.
pub const MARKER: &str = "w2k8-query:";

/// The keys the collector queries whole.
pub const KEYS: [&str; 23] = [
    "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server",
    "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\RDP-Tcp",
    "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services",
    "HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanServer\\Parameters",
    "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Printers",
    "HKLM\\SYSTEM\\CurrentControlSet\\Services\\DNS\\Parameters",
    "HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip6\\Parameters",
    "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Windows",
    "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\GRE_Initialize",
    "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\AppCompat",
    "HKLM\\SOFTWARE\\Microsoft\\Gdiplus",
    "HKLM\\SOFTWARE\\Wow6432Node\\Microsoft\\Gdiplus",
    "HKLM\\SOFTWARE\\Microsoft\\Cryptography\\Wintrust\\Config",
    "HKLM\\SOFTWARE\\Wow6432Node\\Microsoft\\Cryptography\\Wintrust\\Config",
    "HKLM\\SOFTWARE\\Classes\\lnkfile\\shellex\\IconHandler",
    "HKLM\\SOFTWARE\\Classes\\piffile\\shellex\\IconHandler",
    "HKLM\\SOFTWARE\\Microsoft\\Active Setup\\Installed Components\\{A509B1A7-37EF-4b3f-8CFC-4F3A74704073}",
    "HKLM\\SOFTWARE\\Microsoft\\Active Setup\\Installed Components\\{A509B1A8-37EF-4b3f-8CFC-4F3A74704073}",
    "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\\Zones\\0",
    "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\\Zones\\1",
    "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\\Zones\\2",
    "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\\Zones\\3",
    "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WinRM\\Service",
];

/// The services whose `Start` value the collector queries
/// (`HKLM\SYSTEM\CurrentControlSet\Services\<name> /v Start`): those the
/// mitigation table names, plus WinRM. `Start` 4 is "disabled".
pub const SERVICES: [&str; 16] = [
    "Spooler",
    "WebClient",
    "DNS",
    "TermService",
    "TermServLicensing",
    "LanmanServer",
    "WSearch",
    "MSMQ",
    "IKEEXT",
    "RemoteAccess",
    "Fax",
    "MSiSCSI",
    "SharedAccess",
    "LPDSVC",
    "WinRM",
    "mrxsmb10",
];

/// The key of service `name`'s configuration.
pub fn service_key(name: &str) -> String {
    format!("HKLM\\SYSTEM\\CurrentControlSet\\Services\\{name}")
}

/// Whether canonical `key` is one of [`KEYS`] or a service key of [`SERVICES`].
fn is_mitigation_key(key: &str) -> bool {
    KEYS.iter().any(|k| k.eq_ignore_ascii_case(key))
        || SERVICES.iter().any(|s| service_key(s).eq_ignore_ascii_case(key))
}

/// Whether `text` is `reg-mitigations.txt`: the collector's header or
/// markers, or `reg query` output whose every key is one of [`KEYS`] or a
/// service key of [`SERVICES`].
pub fn sniff(text: &str) -> bool {
    let mut keys = 0usize;
    for line in text.lines().take(5000) {
        let t = line.trim();
        if t == HEADER || t.starts_with(MARKER) {
            return true;
        }
        let t = line.trim_end();
        if is_key_line(t) {
            if !is_mitigation_key(&canonical_key(t)) {
                return false;
            }
            keys += 1;
        }
    }
    keys > 0
}

/// Parses `reg-mitigations.txt` read from `file`.
pub fn parse(text: &str, file: &str) -> Result<Facts, ParseError> {
    let mut reader = Reader { file, reg: RegistryConfig::default(), current: None, saw_anything: false, skipped: 0 };
    for (n, line) in super::qfe::lines(text) {
        reader.line(n, line)?;
    }
    if !reader.saw_anything {
        return Err(ParseError::new(
            file,
            super::qfe::lines(text).find(|(_, l)| !l.trim().is_empty()).map(|(n, _)| n),
            "`reg query` output of the mitigation keys (`HKEY_LOCAL_MACHINE\\...`) or the collector's `w2k8-query:` lines",
        ));
    }
    let mut facts = Facts::default();
    if reader.skipped > 0 {
        facts
            .notes
            .push(format!("{} line(s) that are neither key paths, values nor markers were skipped", reader.skipped));
    }
    facts.config = HostConfig { registry: Some(reader.reg), ..HostConfig::default() };
    Ok(facts)
}

/// The state of a `reg-mitigations.txt` read, line by line.
struct Reader<'a> {
    file: &'a str,
    reg: RegistryConfig,
    /// The key whose values the following lines are.
    current: Option<String>,
    /// Whether a header, marker or key line was seen.
    saw_anything: bool,
    /// Lines that are neither key paths, values nor markers.
    skipped: usize,
}

impl Reader<'_> {
    /// Reads line `n`: the header, a marker, a key path, a value or something skipped.
    fn line(&mut self, n: u32, line: &str) -> Result<(), ParseError> {
        let t = line.trim_end();
        let trimmed = t.trim();
        if trimmed.is_empty() || trimmed == HEADER {
            self.saw_anything |= trimmed == HEADER;
            return Ok(());
        }
        if let Some(rest) = trimmed.strip_prefix(MARKER) {
            return self.marker(n, rest);
        }
        if is_key_line(t) {
            self.key(n, t);
            return Ok(());
        }
        if let Some((name, ty, data)) = parse_value(t) {
            return self.value(n, name, ty, data);
        }
        self.skipped += 1;
        Ok(())
    }

    /// A `w2k8-query: <key>[ Start]` marker line: the query, with its value when asked for.
    fn marker(&mut self, n: u32, rest: &str) -> Result<(), ParseError> {
        self.saw_anything = true;
        let rest = rest.trim();
        if rest.is_empty() {
            return Err(ParseError::new(self.file, Some(n), "a key after `w2k8-query:`"));
        }
        // `<key> Start`: the value asked for with /v. Keys hold spaces, value names of the
        // collector do not: the last word is the value when the rest is a known service key.
        let (key, value) = match rest.rsplit_once(' ') {
            Some((k, v)) if SERVICES.iter().any(|s| service_key(s).eq_ignore_ascii_case(&canonical_key(k))) => {
                (canonical_key(k), Some(v.to_string()))
            }
            _ => (canonical_key(rest), None),
        };
        self.reg.queried.push(RegQuery { key, value, evidence: Evidence::new("registry query", self.file, Some(n)) });
        self.current = None;
        Ok(())
    }

    /// A key path line: the key, noted once, whose values follow.
    fn key(&mut self, n: u32, t: &str) {
        self.saw_anything = true;
        let key = canonical_key(t);
        if !self.reg.keys.iter().any(|k| k.value.eq_ignore_ascii_case(&key)) {
            self.reg
                .keys
                .push(Observed::new(key.clone(), Evidence::new(format!("registry key {key}"), self.file, Some(n))));
        }
        self.current = Some(key);
    }

    /// A value line of the current key; an error before the first key path.
    fn value(&mut self, n: u32, name: &str, ty: &str, data: &str) -> Result<(), ParseError> {
        match &self.current {
            Some(key) => self.reg.values.push(RegValue {
                key: key.clone(),
                name: name.to_string(),
                kind: ty.to_string(),
                data: data.to_string(),
                evidence: Evidence::new(format!("{key}\\{name}"), self.file, Some(n)),
            }),
            None => {
                return Err(ParseError::new(
                    self.file,
                    Some(n),
                    "a key path (`HKEY_LOCAL_MACHINE\\...`) before the first value line",
                ))
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::RegLookup;

    const TEXT: &str = "w2k8-mitigations\r\nw2k8-query: HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanServer\\Parameters\r\n\r\nHKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\LanmanServer\\Parameters\r\n    SMB1    REG_DWORD    0x0\r\n\r\nw2k8-query: HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Printers\r\nw2k8-query: HKLM\\SYSTEM\\CurrentControlSet\\Services\\Spooler Start\r\n\r\nHKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Spooler\r\n    Start    REG_DWORD    0x4\r\n\r\n";

    #[test]
    fn values_absent_keys_and_not_shown() {
        assert!(sniff(TEXT));
        let f = parse(TEXT, "reg-mitigations.txt").unwrap();
        let r = f.config.registry.unwrap();
        let smb1 = "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\LanmanServer\\Parameters";
        match r.lookup(smb1, "SMB1") {
            RegLookup::Value(v) => assert_eq!((v.number(), v.evidence.line), (Some(0), Some(5))),
            other => panic!("{other:?}"),
        }
        assert!(matches!(r.lookup(smb1, "Other"), RegLookup::NoValue(e) if e.line == Some(4)));
        let printers = "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Printers";
        assert!(
            matches!(r.lookup(printers, "RegisterSpoolerRemoteRpcEndPoint"), RegLookup::Absent(e) if e.line == Some(7))
        );
        let spooler = "HKLM\\SYSTEM\\CurrentControlSet\\Services\\Spooler";
        assert!(matches!(r.lookup(spooler, "Start"), RegLookup::Value(v) if v.number() == Some(4)));
        // Shown with `/v Start` only: other values are not known.
        assert_eq!(r.lookup(spooler, "Type"), RegLookup::NotShown);
        assert_eq!(r.lookup("HKLM\\SOFTWARE\\Microsoft\\Gdiplus", "DisableTIFFCodec"), RegLookup::NotShown);
    }

    #[test]
    fn other_keys_are_not_mine_and_errors_name_the_line() {
        assert!(!sniff(
            "\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\r\n    X    REG_SZ    y\r\n"
        ));
        let e = parse("hello\r\n", "r.txt").unwrap_err().to_string();
        assert!(e.starts_with("r.txt:1: expected"), "{e}");
        let e = parse("w2k8-mitigations\r\n    SMB1    REG_DWORD    0x0\r\n", "r.txt").unwrap_err().to_string();
        assert!(e.starts_with("r.txt:2: expected a key path"), "{e}");
    }
}
