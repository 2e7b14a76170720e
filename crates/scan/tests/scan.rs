//! The scan pipeline on the repository's example bundles: a readable
//! bundle is assessed and planned, the same bytes give the same digest
//! whether read from a folder twice or uploaded, and unreadable input is a
//! failed scan with its reason, never a panic.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::too_many_lines)]
use proptest::prelude::*;
use std::path::{Path, PathBuf};
use w2k8_catalog::Catalog;
use w2k8_core::Date;
use w2k8_fleet::ScanStatus;
use w2k8_scan::{scan_bytes, scan_path};

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

fn today() -> Date {
    Date::new(2026, 11, 25).unwrap()
}

#[test]
fn a_host_folder_is_assessed_and_planned() {
    let s = scan_path(&examples().join("srv-file01"), Catalog::embedded(), today(), ts("2026-11-25T12:00:00Z"));
    assert_eq!(s.status, ScanStatus::Ok, "{:?}", s.error);
    assert_eq!(s.name, "SRV-FILE01");
    assert_eq!(s.build, Some(6003));
    assert_eq!(s.product.as_deref(), Some("Windows Server 2008 SP2"));
    assert_eq!(s.digest.len(), 64);
    assert!(!s.kbs.is_empty());
    let plan: serde_json::Value = serde_json::from_str(s.plan.as_deref().expect("an ok scan has a plan")).unwrap();
    assert_eq!(plan["host"], "SRV-FILE01");
    assert!(plan["steps"].is_array() && plan["final_state"].is_object(), "{plan}");
    // The same folder again: the same digest (the store keeps one scan per input).
    let again = scan_path(&examples().join("srv-file01"), Catalog::embedded(), today(), ts("2026-11-26T12:00:00Z"));
    assert_eq!(again.digest, s.digest);
    // Another host: another digest.
    let other = scan_path(&examples().join("srv-legacy01"), Catalog::embedded(), today(), ts("2026-11-25T12:00:00Z"));
    assert_ne!(other.digest, s.digest);
}

#[test]
fn an_upload_is_judged_like_the_file() {
    let file = examples().join("srv-file01/systeminfo.txt");
    let bytes = std::fs::read(&file).unwrap();
    let from_disk = scan_path(&file, Catalog::embedded(), today(), ts("2026-11-25T12:00:00Z"));
    let uploaded = scan_bytes(
        "systeminfo.txt",
        &bytes,
        "upload:systeminfo.txt",
        Catalog::embedded(),
        today(),
        ts("2026-11-25T12:00:00Z"),
    );
    assert_eq!(uploaded.status, ScanStatus::Ok, "{:?}", uploaded.error);
    assert_eq!(uploaded.digest, from_disk.digest);
    assert_eq!(uploaded.source, "upload:systeminfo.txt");
    assert_eq!((uploaded.name, uploaded.build, uploaded.missing), (from_disk.name, from_disk.build, from_disk.missing));
}

#[test]
fn unreadable_and_unsupported_inputs_are_scans_with_a_reason() {
    let c = Catalog::embedded();
    let broken =
        scan_bytes("srv.zip", b"PK\x03\x04 not really a zip", "upload:srv.zip", c, today(), ts("2026-11-25T12:00:00Z"));
    assert_eq!(broken.status, ScanStatus::Failed);
    assert_eq!(broken.name, "srv", "the file name stands in for the host name");
    assert!(broken.error.as_deref().unwrap_or("").contains("zip"), "{:?}", broken.error);
    assert!(broken.plan.is_none());
    let r2 = examples().join("fleet/00008-SRV-EXCH00008");
    let unsupported = scan_path(&r2, c, today(), ts("2026-11-25T12:00:00Z"));
    assert_eq!(unsupported.status, ScanStatus::Unsupported);
    assert!(unsupported.error.as_deref().unwrap_or("").contains("2012 R2"), "{:?}", unsupported.error);
    let missing = scan_path(Path::new("/nonexistent/w2k8"), c, today(), ts("2026-11-25T12:00:00Z"));
    assert_eq!(missing.status, ScanStatus::Failed);
    assert!(missing.error.as_deref().unwrap_or("").contains("cannot read"), "{:?}", missing.error);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
    /// Any bytes under any name: a scan, never a panic; ok only with a plan.
    #[test]
    fn any_bytes_make_a_scan(name in "[a-zA-Z0-9._-]{1,20}", bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let s = scan_bytes(&name, &bytes, "upload", Catalog::embedded(), today(), ts("2026-11-25T12:00:00Z"));
        prop_assert_eq!(s.digest.len(), 64);
        prop_assert_eq!(s.status == ScanStatus::Ok, s.plan.is_some());
        prop_assert!(s.status == ScanStatus::Ok || s.error.is_some());
    }
}

fn ts(s: &str) -> w2k8_core::Timestamp {
    s.parse().unwrap()
}
