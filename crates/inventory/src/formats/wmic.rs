//! `wmic os get ... /format:list` and `wmic datafile ... get Version
//! /format:list`: blank lines, then `Key=Value` lines (values may be empty),
//! then blank lines. The table form (`wmic os get Caption,Version`: a header
//! of property names and one row) is read too.
//!
//! Which is which is decided per record (a run of `Key=Value` lines), by its
//! keys:
//!
//! * a record with any `Win32_OperatingSystem`-only key (`BuildNumber`,
//!   `Caption`, `CSName`, `CSDVersion`, `OperatingSystemSKU`,
//!   `OSArchitecture`, `ProductType`, `ServicePackMajorVersion`) is `wmic os`:
//!   its `Version` (`6.0.6003`) is the OS version;
//! * any other record whose `Version` is a four-part file version
//!   (`6.0.6003.20489`) is the `wmic datafile` output for ntoskrnl.exe: the
//!   kernel version (a `Name=` naming another file gives a note);
//! * any other record whose `Version` has three parts is `wmic os get
//!   Version`: the OS version.
//!
//! Read: Caption -> os_name, CSName -> host_name, OperatingSystemSKU ->
//! os_sku, OSArchitecture -> arch (+ arch_text), Version -> os_version,
//! BuildNumber -> build, CSDVersion -> service_pack (empty: none),
//! ServicePackMajorVersion -> service_pack_number. ProductType -> product_type.
use crate::{Facts, ParseError};
use w2k8_core::{Arch, Evidence, FileVersion, Observed};

/// Keys only `Win32_OperatingSystem` has among what administrators ask for.
const OS_KEYS: [&str; 8] = [
    "BuildNumber",
    "Caption",
    "CSName",
    "CSDVersion",
    "OperatingSystemSKU",
    "OSArchitecture",
    "ProductType",
    "ServicePackMajorVersion",
];

/// Whether `text` is a wmic `Key=Value` list (or `get` table) of the
/// operating system or a file version: at least one key among
/// `OS_KEYS` or `Version`, no `HotFixID` (that is `wmic qfe`), and
/// every non-empty line a `Key=Value` line.
pub fn sniff(text: &str) -> bool {
    let mut known = false;
    let mut any = false;
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()).take(500) {
        any = true;
        let Some((k, _)) = line.split_once('=') else {
            return any_table(text);
        };
        let k = k.trim();
        if k.is_empty() || k.contains(char::is_whitespace) || k == "HotFixID" {
            return false;
        }
        known |= OS_KEYS.contains(&k) || k == "Version";
    }
    any && known
}

/// A `wmic os get A,B` table: the first non-empty line holds only property
/// names, at least one an OS key or `Version`, none `HotFixID`; a row follows.
fn any_table(text: &str) -> bool {
    let mut it = text.lines().map(str::trim_end).filter(|l| !l.trim().is_empty());
    let (Some(header), Some(_row)) = (it.next(), it.next()) else {
        return false;
    };
    let words: Vec<&str> = header.split_whitespace().collect();
    !words.is_empty()
        && words.iter().all(|w| w.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        && words.iter().any(|w| OS_KEYS.contains(w) || *w == "Version")
        && !words.contains(&"HotFixID")
}

/// Parses wmic os / datafile output read from `file`.
pub fn parse(text: &str, file: &str) -> Result<Facts, ParseError> {
    let records = records(text);
    if records.is_empty() {
        return Err(ParseError::new(
            file,
            super::qfe::lines(text).find(|(_, l)| !l.trim().is_empty()).map(|(n, _)| n),
            "`Key=Value` lines of `wmic os get ... /format:list` (e.g. `BuildNumber=6003`) or `Version=` of `wmic datafile`",
        ));
    }
    let mut facts = Facts::default();
    for rec in &records {
        apply(rec, &mut facts, file);
    }
    Ok(facts)
}

/// One record: `(key, value, line)`.
type Record = Vec<(String, String, u32)>;

fn records(text: &str) -> Vec<Record> {
    let mut out: Vec<Record> = Vec::new();
    let mut cur: Record = Vec::new();
    let mut table_header: Option<(Vec<(String, usize)>, u32)> = None;
    for (n, line) in super::qfe::lines(text) {
        let t = line.trim();
        if t.is_empty() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if let Some((cols, _)) = &table_header {
            let (row, _) = super::qfe::assign_row(cols, line, n);
            out.push(row.values.into_iter().map(|(k, v)| (k, v, n)).collect());
            continue;
        }
        match t.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() && !k.trim().contains(char::is_whitespace) => {
                let k = k.trim();
                if cur.iter().any(|(ck, _, _)| ck == k) {
                    out.push(std::mem::take(&mut cur));
                }
                cur.push((k.to_string(), v.trim().to_string(), n));
            }
            _ if out.is_empty() && cur.is_empty() => {
                let cols = super::qfe::header_columns(line);
                if cols.iter().any(|(w, _)| OS_KEYS.contains(&w.as_str()) || w == "Version") {
                    table_header = Some((cols, n));
                }
            }
            _ => {}
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Reads one record into `facts`: a file version (the kernel's) or the OS's facts.
fn apply(rec: &Record, facts: &mut Facts, file: &str) {
    let r = RecordView { rec, file };
    let is_os = rec.iter().any(|(k, _, _)| OS_KEYS.contains(&k.as_str()));
    r.version(facts, is_os);
    if !is_os {
        return;
    }
    r.os(facts);
    r.product_type(facts);
}

/// One record of `file`, read key by key.
struct RecordView<'a> {
    rec: &'a Record,
    file: &'a str,
}

impl RecordView<'_> {
    /// The value of key `k`, with its line.
    fn get(&self, k: &str) -> Option<(&str, u32)> {
        self.rec.iter().find(|(rk, _, _)| rk == k).map(|(_, v, l)| (v.as_str(), *l))
    }

    /// The evidence of `fact`, read at line `l`.
    fn ev(&self, fact: &str, l: u32) -> Evidence {
        Evidence::new(fact, self.file, Some(l))
    }

    /// `Version=`: a file's four-part version (the kernel's) outside an OS
    /// record, the OS version in one.
    fn version(&self, facts: &mut Facts, is_os: bool) {
        let Some((v, l)) = self.get("Version").filter(|(v, _)| !v.is_empty()) else { return };
        let parts = v.split(|c: char| c.is_whitespace() || c == '(').next().unwrap_or("").split('.').count();
        if !is_os && parts == 4 {
            match v.parse::<FileVersion>() {
                Ok(fv) => facts.kernel_version = Some(Observed::new(fv, self.ev("kernel_version", l))),
                Err(_) => facts.notes.push(format!("unreadable file version {v:?} at line {l}")),
            }
            if let Some((name, nl)) = self.get("Name").filter(|(n, _)| !n.is_empty()) {
                let lower = name.to_ascii_lowercase();
                if !lower.ends_with("ntoskrnl.exe") && !lower.ends_with("ntkrnlpa.exe") {
                    facts
                        .notes
                        .push(format!("the file version at line {l} is of {name} (line {nl}), not ntoskrnl.exe"));
                }
            }
        } else {
            facts.os_version = Some(Observed::new(v.to_string(), self.ev("os_version", l)));
        }
    }

    /// The OS record's name, host, SKU, architecture, build and service pack.
    fn os(&self, facts: &mut Facts) {
        if let Some((v, l)) = self.get("Caption").filter(|(v, _)| !v.is_empty()) {
            facts.os_name = Some(Observed::new(v.to_string(), self.ev("os_name", l)));
        }
        if let Some((v, l)) = self.get("CSName").filter(|(v, _)| !v.is_empty()) {
            facts.host_name = Some(Observed::new(v.to_string(), self.ev("host_name", l)));
        }
        if let Some((v, l)) = self.get("OperatingSystemSKU") {
            if let Ok(n) = v.parse() {
                facts.os_sku = Some(Observed::new(n, self.ev("os_sku", l)));
            }
        }
        if let Some((v, l)) = self.get("OSArchitecture").filter(|(v, _)| !v.is_empty()) {
            if let Some(a) = Arch::recognise(v) {
                facts.arch = Some(Observed::new(a, self.ev("arch", l)));
            }
            facts.arch_text = Some(Observed::new(v.to_string(), self.ev("arch_text", l)));
        }
        if let Some((v, l)) = self.get("BuildNumber") {
            if let Ok(n) = v.parse() {
                facts.build = Some(Observed::new(n, self.ev("build", l)));
            }
        }
        if let Some((v, l)) = self.get("CSDVersion").filter(|(v, _)| !v.is_empty()) {
            facts.service_pack = Some(Observed::new(v.to_string(), self.ev("service_pack", l)));
        }
        if let Some((v, l)) = self.get("ServicePackMajorVersion") {
            if let Ok(n) = v.parse() {
                facts.service_pack_number = Some(Observed::new(n, self.ev("service_pack_number", l)));
            }
        }
    }

    /// `ProductType=`: the number, or a note when it is not one.
    fn product_type(&self, facts: &mut Facts) {
        if let Some((v, l)) = self.get("ProductType").filter(|(v, _)| !v.is_empty()) {
            let what = match v {
                "1" => " (workstation)",
                "2" => " (domain controller)",
                "3" => " (server)",
                _ => "",
            };
            match v.parse() {
                Ok(n) => facts.product_type = Some(Observed::new(n, self.ev("product_type", l))),
                Err(_) => facts.notes.push(format!("ProductType is {v}{what} ({}:{l})", self.file)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OS: &str = "\r\r\n\r\r\nBuildNumber=6003\r\r\nCaption=Microsoft Windows Server 2008 Standard \r\r\nCSDVersion=Service Pack 2\r\r\nCSName=SRV1\r\r\nOperatingSystemSKU=7\r\r\nOSArchitecture=64-bit\r\r\nProductType=3\r\r\nServicePackMajorVersion=2\r\r\nVersion=6.0.6003\r\r\n\r\r\n\r\r\n";

    #[test]
    fn os_list() {
        assert!(sniff(OS));
        let f = parse(OS, "os.txt").unwrap_or_default();
        assert_eq!(f.build.as_ref().map(|b| (b.value, b.evidence.line)), Some((6003, Some(3))));
        assert_eq!(f.os_version.as_ref().map(|v| v.value.as_str()), Some("6.0.6003"));
        assert_eq!(f.os_sku.as_ref().map(|v| v.value), Some(7));
        assert_eq!(f.arch.as_ref().map(|v| v.value), Some(Arch::X64));
        assert_eq!(f.service_pack_number.as_ref().map(|v| v.value), Some(2));
        assert_eq!(f.host_name.as_ref().map(|v| v.value.as_str()), Some("SRV1"));
        assert_eq!(f.kernel_version, None);
    }

    #[test]
    fn datafile_version() {
        let text = "\r\n\r\nVersion=6.0.6003.20489\r\n\r\n\r\n";
        assert!(sniff(text));
        let f = parse(text, "k.txt").unwrap_or_default();
        assert_eq!(f.kernel_version.map(|k| k.value), Some(FileVersion::new(6, 0, 6003, 20489)));
        assert_eq!(f.os_version, None);
    }

    #[test]
    fn table_form() {
        let text = "Caption                                     Version   \r\nMicrosoft Windows Server 2008 Standard      6.0.6003  \r\n\r\n";
        assert!(sniff(text));
        let f = parse(text, "t.txt").unwrap_or_default();
        assert_eq!(f.os_name.map(|v| v.value), Some("Microsoft Windows Server 2008 Standard".to_string()));
        assert_eq!(f.os_version.map(|v| (v.value, v.evidence.line)), Some(("6.0.6003".to_string(), Some(2))));
    }

    #[test]
    fn not_wmic() {
        assert!(!sniff("\r\nCaption=x\r\nHotFixID=KB1234567\r\n"));
        assert!(!sniff("Host Name:                 SRV1\r\nOS Version:                6.0.6002\r\n"));
        assert!(!sniff("Caption  CSName  HotFixID\r\nx  y  KB1234567\r\n"));
        assert!(parse("nothing\r\n", "x").is_err());
    }
}
