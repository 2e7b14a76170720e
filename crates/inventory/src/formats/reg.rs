//! `reg query` output as reg.exe prints it: a blank line, the key's full
//! path (`HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows NT\CurrentVersion`),
//! its values indented by four spaces with four spaces between name, type and
//! data (`    ProductName    REG_SZ    Windows Server (R) 2008 Standard`;
//! Windows XP's reg.exe separated them with tabs, also accepted), its subkeys
//! as full paths on their own lines, and with `/s` one such block per key.
//! Several outputs may be concatenated in one file.
//!
//! Read from it:
//!
//! * `...\Windows NT\CurrentVersion`: `ProductName` (os_name),
//!   `CurrentVersion` + `CurrentBuildNumber` (os_version `6.0.6003`),
//!   `CurrentBuildNumber`/`CurrentBuild` (build), `CSDVersion`
//!   (service pack and its number), `EditionID`, `BuildLabEx`/`BuildLab`,
//!   `ProductId`; `InstallationType` -> installation_type;
//! * `...\Control\Session Manager\Environment`: `PROCESSOR_ARCHITECTURE` (arch);
//! * `...\Component Based Servicing\Packages\<identity>` keys, listed as
//!   subkeys or as `/s` blocks with their `CurrentState` DWORD: one
//!   [`crate::CbsPackage`] each;
//! * `...\Microsoft\Internet Explorer`: `svcVersion`, else `Version`
//!   (ie_version; IE 7 on 2008 SP2 writes `7.0.6002.18005` and no
//!   `svcVersion`, IE 9 writes both, `9.0.8112.16421`);
//! * `...\NET Framework Setup\NDP\<version>` (`/s`): `Install`, `SP`,
//!   `Release` -> dotnet, normalised to MSRC's names (`2.0 SP2`, `3.0 SP2`,
//!   `3.5 SP1`; `v4\Full`'s `Release` to `4.5.2`/`4.6`/`4.6.1`/`4.6.2` by
//!   the minimum values of Microsoft KB318785,
//!   <http://support.microsoft.com/kb/318785>).
//!
//! Type names (`REG_SZ`, ...) and key paths stay English in localized
//! Windows. reg.exe's `ERROR: The system was unable to find the specified
//! registry key or value.` gives empty facts and a note.
use crate::{CbsPackage, Facts, ParseError};
use w2k8_core::{Arch, Evidence, Observed};

/// The value types reg.exe prints.
const REG_TYPES: [&str; 12] = [
    "REG_SZ",
    "REG_EXPAND_SZ",
    "REG_MULTI_SZ",
    "REG_DWORD",
    "REG_QWORD",
    "REG_BINARY",
    "REG_NONE",
    "REG_DWORD_BIG_ENDIAN",
    "REG_DWORD_LITTLE_ENDIAN",
    "REG_LINK",
    "REG_RESOURCE_LIST",
    "REG_FULL_RESOURCE_DESCRIPTOR",
];

/// reg.exe's message (English) when the key or value does not exist.
const NOT_FOUND: &str = "ERROR: The system was unable to find the specified registry key or value.";

const ROOTS: [&str; 7] = [
    "HKEY_LOCAL_MACHINE\\",
    "HKEY_CURRENT_USER\\",
    "HKEY_USERS\\",
    "HKEY_CLASSES_ROOT\\",
    "HKEY_CURRENT_CONFIG\\",
    "HKLM\\",
    "HKCU\\",
];

/// Whether `text` looks like `reg query` output: a key path line starting
/// `HKEY_...\` within the first lines, followed somewhere by a typed value
/// line or another key path; or reg.exe's "unable to find" error alone.
pub fn sniff(text: &str) -> bool {
    let mut keys = 0usize;
    let mut values = 0usize;
    for (i, line) in text.lines().enumerate().take(5000) {
        let t = line.trim_end();
        if is_key_line(t) {
            keys += 1;
        } else if keys > 0 && parse_value(t).is_some() {
            values += 1;
        } else if keys == 0 && i > 20 {
            return false;
        }
        if keys > 0 && (values > 0 || keys > 1) {
            return true;
        }
    }
    keys == 1 || text.trim() == NOT_FOUND
}

pub(crate) fn is_key_line(line: &str) -> bool {
    !line.starts_with(char::is_whitespace)
        && ROOTS.iter().any(|r| line.len() > r.len() && line.get(..r.len()).is_some_and(|p| p.eq_ignore_ascii_case(r)))
}

/// A value line: `    Name    REG_TYPE    data` (or tab-separated). Returns
/// the name, the type and the data (trimmed).
pub(crate) fn parse_value(line: &str) -> Option<(&str, &str, &str)> {
    if !line.starts_with([' ', '\t']) {
        return None;
    }
    let body = line.trim_start();
    for sep in ["    ", "\t"] {
        let mut from = 0;
        while let Some(pos) = body.get(from..).and_then(|s| s.find(sep)).map(|p| p + from) {
            let after = body.get(pos + sep.len()..)?;
            let ty_end = after.find([' ', '\t']).unwrap_or(after.len());
            let ty = after.get(..ty_end)?;
            if REG_TYPES.contains(&ty) {
                let name = body.get(..pos)?.trim_end();
                let data = after.get(ty_end..).unwrap_or("").trim();
                return Some((name, ty, data));
            }
            from = pos + sep.len();
        }
    }
    // A value with no name and no data: `    (Default)    REG_SZ` handled
    // above; `REG_SZ` alone at the end.
    let (name, ty) = body.rsplit_once(char::is_whitespace)?;
    REG_TYPES.contains(&ty).then(|| (name.trim_end(), ty, ""))
}

/// What kind of key a block is, by its path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum KeyKind {
    CurrentVersion,
    Environment,
    /// A package key, with the index of its record in `facts.packages`.
    Package(usize),
    /// `...\Microsoft\Internet Explorer`.
    InternetExplorer,
    /// `...\NET Framework Setup\NDP\<rest>`, with the index into the NDP keys seen.
    Ndp(usize),
    Other,
}

fn classify(path: &str) -> (KeyKind, Option<&str>) {
    let lower = path.to_ascii_lowercase();
    if lower.ends_with("\\microsoft\\windows nt\\currentversion") {
        return (KeyKind::CurrentVersion, None);
    }
    if lower.ends_with("\\control\\session manager\\environment") {
        return (KeyKind::Environment, None);
    }
    if lower.ends_with("\\microsoft\\internet explorer") {
        return (KeyKind::InternetExplorer, None);
    }
    const PKG: &str = "\\component based servicing\\packages\\";
    if let Some(at) = lower.find(PKG) {
        let rest = path.get(at + PKG.len()..).unwrap_or("");
        if !rest.is_empty() && !rest.contains('\\') {
            return (KeyKind::Other, Some(rest));
        }
    }
    (KeyKind::Other, None)
}

/// Parses `reg query` output read from `file`.
pub fn parse(text: &str, file: &str) -> Result<Facts, ParseError> {
    let mut r = RegReader::new(file);
    for (n, line) in super::qfe::lines(text) {
        r.read_line(n, line);
    }
    if !r.saw_key {
        if r.facts.notes.is_empty() {
            return Err(ParseError::new(
                file,
                super::qfe::lines(text).find(|(_, l)| !l.trim().is_empty()).map(|(n, _)| n),
                "a `reg query` key path such as `HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion`",
            ));
        }
        return Ok(r.facts);
    }
    Ok(r.finish())
}

/// The state of one [`parse`]: the facts so far and what the keys seen hold.
struct RegReader<'a> {
    file: &'a str,
    facts: Facts,
    /// The kind of the key whose values are being read.
    kind: KeyKind,
    saw_key: bool,
    cv: CurrentVersion,
    ndp: Vec<NdpKey>,
    // (svcVersion, Version), each with its line.
    ie: [Option<(String, u32)>; 2],
    unknown_lines: usize,
}

impl<'a> RegReader<'a> {
    fn new(file: &'a str) -> Self {
        RegReader {
            file,
            facts: Facts::default(),
            kind: KeyKind::Other,
            saw_key: false,
            cv: CurrentVersion::default(),
            ndp: Vec::new(),
            ie: [None, None],
            unknown_lines: 0,
        }
    }

    /// Reads line `n`: a key path, a value, or a message from reg.exe.
    fn read_line(&mut self, n: u32, line: &str) {
        let t = line.trim_end();
        if t.trim().is_empty() {
            return;
        }
        if is_key_line(t) {
            self.open_key(t, n);
            return;
        }
        if let Some((name, ty, data)) = parse_value(t) {
            self.read_value(name, ty, data, n);
            return;
        }
        let trimmed = t.trim();
        if trimmed.starts_with("ERROR:") || (!self.saw_key && trimmed.contains(':') && trimmed.ends_with('.')) {
            self.facts.notes.push(format!("reg.exe said: {trimmed}"));
        } else {
            self.unknown_lines += 1;
        }
    }

    /// Starts the key whose path is `t` (line `n`): its values follow.
    fn open_key(&mut self, t: &str, n: u32) {
        self.saw_key = true;
        let (k, identity) = classify(t);
        self.kind = match identity {
            Some(id) => KeyKind::Package(package_index(&mut self.facts.packages, id, self.file, n)),
            None => match ndp_rest(t) {
                Some(rest) => {
                    self.ndp.push(NdpKey { rest: rest.to_ascii_lowercase(), ..NdpKey::default() });
                    KeyKind::Ndp(self.ndp.len() - 1)
                }
                None => k,
            },
        };
    }

    /// Reads one value of the current key, at line `n`.
    fn read_value(&mut self, name: &str, ty: &str, data: &str, n: u32) {
        let facts = &mut self.facts;
        match &self.kind {
            KeyKind::CurrentVersion => self.cv.take(name, data, n),
            KeyKind::Environment if name.eq_ignore_ascii_case("PROCESSOR_ARCHITECTURE") => {
                if let Some(a) = Arch::recognise(data) {
                    facts.arch = Some(Observed::new(a, Evidence::new("arch", self.file, Some(n))));
                }
                facts.arch_text = Some(Observed::new(data.to_string(), Evidence::new("arch_text", self.file, Some(n))));
            }
            KeyKind::Package(i) if name.eq_ignore_ascii_case("CurrentState") => {
                if let (Some(p), Some(v)) = (facts.packages.get_mut(*i), dword(ty, data)) {
                    p.current_state = Some(v);
                }
            }
            KeyKind::InternetExplorer if !data.is_empty() => {
                if name.eq_ignore_ascii_case("svcVersion") {
                    self.ie[0] = Some((data.to_string(), n));
                } else if name.eq_ignore_ascii_case("Version") {
                    self.ie[1] = Some((data.to_string(), n));
                }
            }
            KeyKind::Ndp(i) => {
                if let Some(k) = self.ndp.get_mut(*i) {
                    k.take(name, ty, data, n);
                }
            }
            _ => {}
        }
    }

    /// The facts, once every line is read and a key was seen.
    fn finish(mut self) -> Facts {
        let file = self.file;
        let facts = &mut self.facts;
        self.cv.apply(facts, file);
        let [svc, ver] = self.ie;
        if let Some((v, l)) = svc.or(ver) {
            facts.ie_version = Some(Observed::new(v, Evidence::new("ie_version", file, Some(l))));
        }
        for k in &self.ndp {
            if let Some((name, line)) = k.product() {
                if !facts.dotnet.iter().any(|d| d.value == name) {
                    facts.dotnet.push(Observed::new(name, Evidence::new("dotnet", file, Some(line))));
                }
            }
        }
        if self.unknown_lines > 0 {
            facts
                .notes
                .push(format!("{} line(s) that are neither key paths nor values were skipped", self.unknown_lines));
        }
        self.facts
    }
}

/// The index of the package `identity` in `packages`, adding it when new
/// (a bundle may list the same key with and without `/s`).
fn package_index(packages: &mut Vec<CbsPackage>, identity: &str, file: &str, line: u32) -> usize {
    if let Some(i) = packages.iter().position(|p| p.identity.eq_ignore_ascii_case(identity)) {
        return i;
    }
    packages.push(super::servicing_dir::package_from_identity(identity, file, line));
    packages.len() - 1
}

/// A `REG_DWORD` as reg.exe prints it (`0x70`), or a decimal.
fn dword(ty: &str, data: &str) -> Option<u32> {
    if !ty.starts_with("REG_DWORD") && ty != "REG_QWORD" {
        return None;
    }
    let d = data.trim();
    match d.strip_prefix("0x").or_else(|| d.strip_prefix("0X")) {
        Some(hex) => u32::from_str_radix(hex, 16).ok(),
        None => d.parse().ok(),
    }
}

/// The part of a key path after `\NET Framework Setup\NDP\`, e.g. `v4\Full`.
fn ndp_rest(path: &str) -> Option<&str> {
    const NDP: &str = "\\net framework setup\\ndp\\";
    let at = path.to_ascii_lowercase().find(NDP)?;
    path.get(at + NDP.len()..).filter(|r| !r.is_empty())
}

/// The values of one `NDP` subkey that tell what is installed.
#[derive(Debug, Default)]
struct NdpKey {
    /// Path below `NDP\`, lower case: `v2.0.50727`, `v3.5`, `v4\full`, `v4\client`, `v3.0\setup`...
    rest: String,
    install: Option<(u32, u32)>,
    sp: Option<u32>,
    release: Option<(u32, u32)>,
}

impl NdpKey {
    fn take(&mut self, name: &str, ty: &str, data: &str, line: u32) {
        let Some(v) = dword(ty, data) else { return };
        if name.eq_ignore_ascii_case("Install") {
            self.install = Some((v, line));
        } else if name.eq_ignore_ascii_case("SP") {
            self.sp = Some(v);
        } else if name.eq_ignore_ascii_case("Release") {
            self.release = Some((v, line));
        }
    }

    /// The installed product as MSRC names it (`2.0 SP2`, `4.6.2`), with the line that shows it.
    fn product(&self) -> Option<(String, u32)> {
        let (installed, line) = self.install?;
        if installed != 1 {
            return None;
        }
        let sp = |base: &str| match self.sp {
            Some(n) if n > 0 => format!("{base} SP{n}"),
            _ => base.to_string(),
        };
        let name = match self.rest.as_str() {
            "v2.0.50727" => sp("2.0"),
            "v3.0" => sp("3.0"),
            "v3.5" => sp("3.5"),
            "v4\\full" => {
                // Minimum Release values on non-Windows-10 systems, Microsoft KB318785.
                let (release, rline) = match self.release {
                    Some(r) => r,
                    None => return Some(("4.0".to_string(), line)),
                };
                let name = match release {
                    r if r >= 394_806 => "4.6.2",
                    r if r >= 394_271 => "4.6.1",
                    r if r >= 393_297 => "4.6",
                    r if r >= 379_893 => "4.5.2",
                    r if r >= 378_675 => "4.5.1",
                    r if r >= 378_389 => "4.5",
                    _ => "4.0",
                };
                return Some((name.to_string(), rline));
            }
            _ => return None,
        };
        Some((name, line))
    }
}

/// The `CurrentVersion` values seen, with their lines (the last block wins
/// when a bundle repeats the key).
#[derive(Debug, Default)]
struct CurrentVersion {
    product_name: Option<(String, u32)>,
    version: Option<(String, u32)>,
    build_number: Option<(String, u32)>,
    build: Option<(String, u32)>,
    csd: Option<(String, u32)>,
    edition: Option<(String, u32)>,
    build_lab_ex: Option<(String, u32)>,
    build_lab: Option<(String, u32)>,
    product_id: Option<(String, u32)>,
    installation_type: Option<(String, u32)>,
}

impl CurrentVersion {
    fn take(&mut self, name: &str, data: &str, line: u32) {
        let slot = match name {
            "ProductName" => &mut self.product_name,
            "CurrentVersion" => &mut self.version,
            "CurrentBuildNumber" => &mut self.build_number,
            "CurrentBuild" => &mut self.build,
            "CSDVersion" => &mut self.csd,
            "EditionID" => &mut self.edition,
            "BuildLabEx" => &mut self.build_lab_ex,
            "BuildLab" => &mut self.build_lab,
            "ProductId" => &mut self.product_id,
            "InstallationType" => &mut self.installation_type,
            _ => return,
        };
        *slot = Some((data.to_string(), line));
    }

    fn apply(self, facts: &mut Facts, file: &str) {
        let obs = |fact: &str, (v, l): (String, u32)| Observed::new(v, Evidence::new(fact, file, Some(l)));
        let nonempty = |o: Option<(String, u32)>| o.filter(|(v, _)| !v.is_empty());
        if let Some(p) = nonempty(self.product_name) {
            facts.os_name = Some(obs("os_name", p));
        }
        let build = nonempty(self.build_number).or(nonempty(self.build));
        if let Some((b, l)) = &build {
            if let Ok(num) = b.parse::<u32>() {
                facts.build = Some(Observed::new(num, Evidence::new("build", file, Some(*l))));
            }
            if let Some((v, _)) = nonempty(self.version) {
                facts.os_version = Some(Observed::new(format!("{v}.{b}"), Evidence::new("os_version", file, Some(*l))));
            }
        }
        if let Some((csd, l)) = nonempty(self.csd) {
            let number =
                csd.split(|c: char| !c.is_ascii_digit()).rfind(|s| !s.is_empty()).and_then(|s| s.parse::<u32>().ok());
            if let Some(num) = number {
                facts.service_pack_number =
                    Some(Observed::new(num, Evidence::new("service_pack_number", file, Some(l))));
            }
            facts.service_pack = Some(obs("service_pack", (csd, l)));
        }
        if let Some(e) = nonempty(self.edition) {
            facts.edition_id = Some(obs("edition_id", e));
        }
        if let Some(b) = nonempty(self.build_lab_ex).or(nonempty(self.build_lab)) {
            facts.build_lab = Some(obs("build_lab", b));
        }
        if let Some(p) = nonempty(self.product_id) {
            facts.product_id = Some(obs("product_id", p));
        }
        if let Some(t) = nonempty(self.installation_type) {
            facts.installation_type = Some(obs("installation_type", t));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_lines() {
        assert_eq!(
            parse_value("    ProductName    REG_SZ    Windows Server (R) 2008 Standard"),
            Some(("ProductName", "REG_SZ", "Windows Server (R) 2008 Standard"))
        );
        assert_eq!(parse_value("    CurrentState    REG_DWORD    0x70"), Some(("CurrentState", "REG_DWORD", "0x70")));
        assert_eq!(
            parse_value("\tProductName\tREG_SZ\tMicrosoft Windows XP"),
            Some(("ProductName", "REG_SZ", "Microsoft Windows XP"))
        );
        assert_eq!(parse_value("    (Default)    REG_SZ    "), Some(("(Default)", "REG_SZ", "")));
        assert_eq!(
            parse_value("    Name With Spaces    REG_EXPAND_SZ    %x%"),
            Some(("Name With Spaces", "REG_EXPAND_SZ", "%x%"))
        );
        assert_eq!(parse_value("ProductName    REG_SZ    x"), None);
        assert_eq!(parse_value("    just text"), None);
    }

    #[test]
    fn current_version_block() {
        let text = "\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\r\n    CurrentVersion    REG_SZ    6.0\r\n    CurrentBuildNumber    REG_SZ    6003\r\n    CSDVersion    REG_SZ    Service Pack 2\r\n    ProductName    REG_SZ    Windows Server (R) 2008 Standard\r\n\r\n";
        assert!(sniff(text));
        let f = parse(text, "cv.txt").unwrap_or_default();
        assert_eq!(f.os_version.as_ref().map(|o| o.value.as_str()), Some("6.0.6003"));
        assert_eq!(f.build.as_ref().map(|o| (o.value, o.evidence.line)), Some((6003, Some(4))));
        assert_eq!(f.service_pack_number.map(|o| o.value), Some(2));
        assert_eq!(f.os_name.map(|o| o.value), Some("Windows Server (R) 2008 Standard".to_string()));
    }

    #[test]
    fn internet_explorer_and_dotnet_fixtures() {
        let ie9 = include_str!("../../tests/fixtures/reg-query/srv2008sp2_x64_ie9.txt");
        assert!(sniff(ie9));
        let f = parse(ie9, "reg-ie.txt").unwrap_or_default();
        let ie = f.ie_version.unwrap();
        assert_eq!((ie.value.as_str(), ie.evidence.line), ("9.0.8112.16421", Some(7)));

        let ie7 = include_str!("../../tests/fixtures/reg-query/srv2008sp2_x86_ie7.txt");
        let f = parse(ie7, "reg-ie.txt").unwrap_or_default();
        let ie = f.ie_version.unwrap();
        assert_eq!((ie.value.as_str(), ie.evidence.line), ("7.0.6002.18005", Some(3)));
        assert_eq!(f.notes.len(), 1);

        let ndp = include_str!("../../tests/fixtures/reg-query/srv2008sp2_x64_dotnet_ndp_s.txt");
        assert!(sniff(ndp));
        let f = parse(ndp, "reg-dotnet.txt").unwrap_or_default();
        let got: Vec<(&str, Option<u32>)> = f.dotnet.iter().map(|d| (d.value.as_str(), d.evidence.line)).collect();
        assert_eq!(got, [("2.0 SP2", Some(9)), ("3.0 SP2", Some(20)), ("3.5 SP1", Some(29)), ("4.6.2", Some(43))]);
        assert!(f.packages.is_empty() && f.os_name.is_none());
    }

    #[test]
    fn dotnet_release_values() {
        let key = |rel: &str| {
            format!("\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\NET Framework Setup\\NDP\\v4\\Full\r\n    Install    REG_DWORD    0x1\r\n{rel}\r\n")
        };
        let name = |rel: &str| parse(&key(rel), "d").unwrap_or_default().dotnet.first().map(|d| d.value.clone());
        assert_eq!(name("    Release    REG_DWORD    0x5cbf5").as_deref(), Some("4.5.2")); // 379893
        assert_eq!(name("    Release    REG_DWORD    0x60051").as_deref(), Some("4.6")); // 393297
        assert_eq!(name("    Release    REG_DWORD    0x6041f").as_deref(), Some("4.6.1")); // 394271
        assert_eq!(name("    Release    REG_DWORD    0x60636").as_deref(), Some("4.6.2")); // 394806
        assert_eq!(name("    Version    REG_SZ    4.0.30319").as_deref(), Some("4.0"));
        let off = "\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\NET Framework Setup\\NDP\\v3.5\r\n    Install    REG_DWORD    0x0\r\n";
        assert!(parse(off, "d").unwrap_or_default().dotnet.is_empty());
    }

    #[test]
    fn not_found() {
        let text = "ERROR: The system was unable to find the specified registry key or value.\r\n";
        assert!(sniff(text));
        let f = parse(text, "e.txt").unwrap_or_default();
        assert_eq!(f.notes.len(), 1);
        assert!(f.packages.is_empty());
        assert!(parse("random\r\n", "x").is_err());
        assert!(!sniff("Host Name:    SRV1\r\nOS Name:   Microsoft Windows Server 2008\r\n"));
    }
}
