//! The `reg-reboot.txt` and `disk.txt` readers over their fixtures
//! (`tests/fixtures/reg-reboot/`, `tests/fixtures/wmic-logicaldisk/`, synthetic:
//! see their README.md), and a bundle that holds them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::too_many_lines)]
use std::path::PathBuf;
use w2k8_inventory::formats::Format;
use w2k8_inventory::{load, LoadOptions};

fn path(rel: &str) -> PathBuf {
    [env!("CARGO_MANIFEST_DIR"), "tests", "fixtures", rel].iter().collect()
}

fn text(rel: &str) -> String {
    let bytes = std::fs::read(path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    w2k8_inventory::decode(&bytes, rel, None).unwrap_or_else(|e| panic!("{e}")).text
}

#[test]
fn reboot_fixtures() {
    let table: [(&str, &[&str], u32); 3] = [
        ("reg-reboot/cbs_reboot_pending.txt", &["RebootPending"], 2),
        ("reg-reboot/all_three.txt", &["RebootPending", "RebootRequired", "PendingFileRenameOperations"], 2),
        ("reg-reboot/renames_only.txt", &["PendingFileRenameOperations"], 3),
    ];
    for (rel, want, line) in table {
        let t = text(rel);
        assert_eq!(Format::sniff(&t), Some(Format::RegReboot), "{rel}");
        let f = Format::RegReboot.parse(&t, rel).unwrap_or_else(|e| panic!("{e}"));
        let p = f.pending_reboot.unwrap_or_else(|| panic!("{rel}"));
        assert_eq!(p.value, want, "{rel}");
        assert_eq!(p.evidence.line, Some(line), "{rel}");
        assert_eq!(p.evidence.file, rel);
    }
}

#[test]
fn disk_fixtures() {
    let table = [
        ("wmic-logicaldisk/srv2008sp2_low_c_utf16.txt", 2, 1_610_612_736u64),
        ("wmic-logicaldisk/srv2008sp2_plenty_utf16.txt", 3, 64_424_509_440),
    ];
    for (rel, disks, free) in table {
        let t = text(rel);
        assert_eq!(Format::sniff(&t), Some(Format::Disk), "{rel}");
        let f = Format::Disk.parse(&t, rel).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(f.disks.len(), disks, "{rel}");
        assert_eq!(f.disks[0].device_id, "C:");
        assert_eq!(f.disks[0].file_system.as_deref(), Some("NTFS"));
        assert_eq!(f.disks[1].free_bytes, None);
        let c = f.system_drive_free_bytes.unwrap_or_else(|| panic!("{rel}"));
        assert_eq!((c.value, c.evidence.line), (free, Some(5)), "{rel}");
    }
}

/// A bundle folder: systeminfo plus the two files, as named by the collector.
fn bundle(name: &str, reboot: &str, disk: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("w2k8-inv-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(path(reboot), dir.join("reg-reboot.txt")).unwrap();
    std::fs::copy(path(disk), dir.join("disk.txt")).unwrap();
    std::fs::copy(path("reg-query/srv2008sp2_x64_currentversion.txt"), dir.join("reg-currentversion.txt")).unwrap();
    dir
}

#[test]
fn bundle_reads_both() {
    let d = bundle("pending", "reg-reboot/all_three.txt", "wmic-logicaldisk/srv2008sp2_low_c_utf16.txt");
    let h = load(&d, &LoadOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    let p = h.facts.pending_reboot.unwrap();
    assert_eq!(p.value.len(), 3);
    assert_eq!(p.evidence.file, "reg-reboot.txt");
    assert_eq!(h.facts.system_drive_free_bytes.unwrap().value, 1_610_612_736);
    let formats: Vec<&str> = h.sources.iter().map(|s| s.format.as_str()).collect();
    assert!(formats.contains(&"reg-reboot") && formats.contains(&"wmic-logicaldisk"), "{formats:?}");

    // An empty reg-reboot.txt: checked, nothing pending.
    let d = bundle("clear", "reg-reboot/empty.txt", "wmic-logicaldisk/srv2008sp2_plenty_utf16.txt");
    let h = load(&d, &LoadOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    let p = h.facts.pending_reboot.unwrap();
    assert!(p.value.is_empty());
    assert_eq!(p.evidence.file, "reg-reboot.txt");
    assert_eq!(h.facts.disks.len(), 3);
}

#[test]
fn bad_disk_file_names_file_and_line() {
    let dir = std::env::temp_dir().join(format!("w2k8-inv-baddisk-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("disk.txt"), "\r\nDeviceID=C:\r\nFreeSpace=lots\r\n").unwrap();
    std::fs::copy(path("reg-query/srv2008sp2_x64_currentversion.txt"), dir.join("reg-currentversion.txt")).unwrap();
    let e = load(&dir, &LoadOptions::default()).unwrap_err().to_string();
    assert!(e.contains("disk.txt:3: expected `FreeSpace=`"), "{e}");
}
