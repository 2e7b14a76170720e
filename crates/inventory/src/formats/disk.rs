//! `disk.txt`: `wmic logicaldisk get DeviceID,FreeSpace,Size,FileSystem
//! /format:list` as `collect.cmd` writes it (UTF-16LE, decoded before this
//! module sees it): blank lines, then one record per logical disk of
//! `Key=Value` lines in wmic's order (`DeviceID`, `FileSystem`, `FreeSpace`,
//! `Size`), values empty for a drive without media.
//!
//! Read: every record -> [`LogicalDisk`]; the `FreeSpace` of `C:` ->
//! [`Facts::system_drive_free_bytes`] (the collector does not record
//! `%SystemDrive%`; `C:` is the default system drive).
use crate::{Facts, LogicalDisk, ParseError};
use w2k8_core::{Evidence, Observed};

/// Whether `text` is a wmic `Key=Value` list of logical disks: every
/// non-empty line `Key=Value`, with `DeviceID` and `FreeSpace` among the keys.
pub fn sniff(text: &str) -> bool {
    let (mut device, mut free) = (false, false);
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()).take(2000) {
        let Some((k, _)) = line.split_once('=') else {
            return false;
        };
        let k = k.trim();
        if k.is_empty() || k.contains(char::is_whitespace) {
            return false;
        }
        device |= k.eq_ignore_ascii_case("DeviceID");
        free |= k.eq_ignore_ascii_case("FreeSpace");
    }
    device && free
}

/// Parses `disk.txt` read from `file`.
pub fn parse(text: &str, file: &str) -> Result<Facts, ParseError> {
    let mut facts = Facts::default();
    // The record being read, with the line of its `FreeSpace=`.
    let mut cur: Option<(LogicalDisk, Option<u32>)> = None;
    let mut free_lines: Vec<Option<u32>> = Vec::new();
    for (n, line) in super::qfe::lines(text) {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        let Some((k, v)) = t.split_once('=') else {
            return Err(ParseError::new(file, Some(n), "a `Key=Value` line of `wmic logicaldisk ... /format:list`"));
        };
        let (k, v) = (k.trim(), v.trim());
        if k.eq_ignore_ascii_case("DeviceID") {
            if let Some((d, l)) = cur.take() {
                facts.disks.push(d);
                free_lines.push(l);
            }
            cur = Some((new_disk(v, file, n), None));
            continue;
        }
        let Some((d, free_line)) = cur.as_mut() else {
            return Err(ParseError::new(file, Some(n), "`DeviceID=` first in each record"));
        };
        if k.eq_ignore_ascii_case("FreeSpace") {
            d.free_bytes = number(v, file, n, "FreeSpace")?;
            *free_line = Some(n);
        } else if k.eq_ignore_ascii_case("Size") {
            d.size_bytes = number(v, file, n, "Size")?;
        } else if k.eq_ignore_ascii_case("FileSystem") {
            d.file_system = (!v.is_empty()).then(|| v.to_string());
        }
    }
    if let Some((d, l)) = cur {
        facts.disks.push(d);
        free_lines.push(l);
    }
    if facts.disks.is_empty() {
        return Err(ParseError::new(
            file,
            super::qfe::lines(text).find(|(_, l)| !l.trim().is_empty()).map(|(n, _)| n),
            "`DeviceID=` records of `wmic logicaldisk get DeviceID,FreeSpace,Size,FileSystem /format:list`",
        ));
    }
    facts.system_drive_free_bytes = system_drive_free(&facts.disks, &free_lines, file);
    Ok(facts)
}

/// A new record for the disk `device_id`, read at line `n` of `file`.
fn new_disk(device_id: &str, file: &str, n: u32) -> LogicalDisk {
    LogicalDisk {
        device_id: device_id.to_string(),
        file_system: None,
        free_bytes: None,
        size_bytes: None,
        evidence: Evidence::new(format!("disk {device_id}"), file, Some(n)),
    }
}

/// The byte count `v` of the `what=` line `n` of `file`: none when empty.
fn number(v: &str, file: &str, n: u32, what: &str) -> Result<Option<u64>, ParseError> {
    if v.is_empty() {
        return Ok(None);
    }
    v.parse::<u64>().map(Some).map_err(|_| {
        ParseError::new(file, Some(n), format!("`{what}=` followed by a number of bytes or nothing, found `{v}`"))
    })
}

/// The free space of `C:` among `disks` (each with the line of its `FreeSpace=` in `free_lines`).
fn system_drive_free(disks: &[LogicalDisk], free_lines: &[Option<u32>], file: &str) -> Option<Observed<u64>> {
    disks.iter().zip(free_lines).find(|(d, _)| d.device_id.eq_ignore_ascii_case("C:")).and_then(|(d, line)| {
        d.free_bytes.map(|b| Observed::new(b, Evidence::new("system_drive_free_bytes", file, *line)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn records_and_errors() {
        let t = "\r\n\r\nDeviceID=C:\r\nFileSystem=NTFS\r\nFreeSpace=1234\r\nSize=99999\r\n\r\n\r\nDeviceID=D:\r\nFileSystem=\r\nFreeSpace=\r\nSize=\r\n\r\n";
        assert!(sniff(t));
        let f = parse(t, "disk.txt").unwrap();
        assert_eq!(f.disks.len(), 2);
        assert_eq!(f.disks[1].free_bytes, None);
        assert_eq!(f.disks[1].file_system, None);
        let free = f.system_drive_free_bytes.unwrap();
        assert_eq!(free.value, 1234);
        assert_eq!(free.evidence.line, Some(5));
        let e = parse("DeviceID=C:\r\nFreeSpace=12x\r\n", "disk.txt").unwrap_err().to_string();
        assert!(e.starts_with("disk.txt:2: expected `FreeSpace=` followed by a number"), "{e}");
        let e = parse("FreeSpace=1\r\n", "disk.txt").unwrap_err().to_string();
        assert!(e.starts_with("disk.txt:1: expected `DeviceID=` first"), "{e}");
        assert!(!sniff("BuildNumber=6003\r\nVersion=6.0.6003\r\n"));
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC*") {
            let _ = sniff(&s);
            let _ = parse(&s, "f");
        }

        #[test]
        fn round_trip(disks in proptest::collection::vec(("[C-Z]", proptest::option::of(any::<u64>())), 1..5)) {
            let mut text = String::from("\r\n\r\n");
            for (l, free) in &disks {
                let free = free.map(|b| b.to_string()).unwrap_or_default();
                text.push_str(&format!("DeviceID={l}:\r\nFileSystem=NTFS\r\nFreeSpace={free}\r\nSize=\r\n\r\n\r\n"));
            }
            let f = parse(&text, "f").unwrap();
            prop_assert_eq!(f.disks.len(), disks.len());
            for (d, (l, free)) in f.disks.iter().zip(&disks) {
                prop_assert_eq!(&d.device_id, &format!("{l}:"));
                prop_assert_eq!(d.free_bytes, *free);
            }
            let c = disks.iter().find(|(l, _)| l == "C").and_then(|(_, f)| *f);
            prop_assert_eq!(f.system_drive_free_bytes.map(|o| o.value), c);
        }
    }
}
