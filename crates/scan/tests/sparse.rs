//! A huge (sparse) file in a host folder or given alone costs a scan no
//! memory (issue 18): the digest streams within the per-file limit and a
//! file over it is never read whole. Alone in its test binary, so the
//! process's peak resident set size (Linux `VmHWM`) is this test's.
#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::too_many_lines)]
use std::fs;
use std::path::{Path, PathBuf};
use w2k8_catalog::Catalog;
use w2k8_core::Date;
use w2k8_fleet::ScanStatus;
use w2k8_scan::scan_path;

fn peak_rss_mib() -> u64 {
    let status = fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse::<u64>().unwrap() / 1024
}

fn sparse(p: &Path, len: u64) {
    fs::File::create(p).unwrap().set_len(len).unwrap();
}

#[test]
fn a_huge_sparse_file_is_never_read_whole() {
    const GIB: u64 = 1024 * 1024 * 1024;
    let dir = std::env::temp_dir().join(format!("w2k8-scan-sparse-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    let host = dir.join("srv");
    fs::create_dir_all(host.join("logs")).unwrap();
    let examples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/srv-file01");
    for e in fs::read_dir(&examples).unwrap() {
        let e = e.unwrap();
        fs::copy(e.path(), host.join(e.file_name())).unwrap();
    }
    sparse(&host.join("logs/CBS.log"), GIB);
    sparse(&dir.join("systeminfo.txt"), GIB);
    let today = Date::new(2026, 11, 25).unwrap();

    let s = scan_path(&host, Catalog::embedded(), today, "2026-11-25T12:00:00Z".parse().unwrap());
    assert_eq!(s.status, ScanStatus::Ok, "{:?}", s.error);
    let alone =
        scan_path(&dir.join("systeminfo.txt"), Catalog::embedded(), today, "2026-11-25T12:00:00Z".parse().unwrap());
    assert_eq!(alone.status, ScanStatus::Failed);
    assert!(alone.error.as_deref().unwrap_or("").contains("limit"), "{:?}", alone.error);

    let peak = peak_rss_mib();
    assert!(peak < 300, "peak RSS {peak} MiB for two 1 GiB sparse files");
    let _ = fs::remove_dir_all(&dir);
}
