//! Hostile host folders (issue 18): a scan never follows a link out of the
//! bundle, never opens a FIFO or a device, and names every file it did not
//! read or that a strict load refuses; a fleet scan over such folders ends
//! with its summary. Each scan runs on its own thread under a deadline, so a
//! regression fails the test instead of hanging it.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::too_many_lines)]
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;
use w2k8_catalog::Catalog;
use w2k8_core::Date;
use w2k8_fleet::ScanStatus;
use w2k8_scan::fleet::{expand, run_fleet, FleetOptions, Quiet};
use w2k8_scan::scan_path;
use w2k8_store::ScanInput;

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

fn today() -> Date {
    Date::new(2026, 11, 25).unwrap()
}

/// A fresh scratch folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("w2k8-scan-hostile-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// A copy of `examples/srv-file01` at `to`.
fn host_folder(to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(examples().join("srv-file01")).unwrap() {
        let e = e.unwrap();
        fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

fn mkfifo(p: &Path) {
    let st = std::process::Command::new("mkfifo").arg(p).status().expect("mkfifo");
    assert!(st.success(), "mkfifo {}", p.display());
}

/// Runs `f` on a thread; panics when it takes longer than `secs`.
fn within<T: Send + 'static>(secs: u64, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(Duration::from_secs(secs)).unwrap_or_else(|_| panic!("did not finish within {secs} s"))
}

fn scan(p: &Path) -> ScanInput {
    let p = p.to_path_buf();
    within(20, move || scan_path(&p, Catalog::embedded(), today(), "2026-11-25T12:00:00Z".parse().unwrap()))
}

fn error(s: &ScanInput) -> &str {
    s.error.as_deref().unwrap_or("")
}

#[test]
fn a_fifo_in_a_host_folder_is_named_and_never_opened() {
    let dir = scratch("fifo");
    host_folder(&dir.join("srv"));
    mkfifo(&dir.join("srv/pipe.txt"));
    let s = scan(&dir.join("srv"));
    assert_eq!(s.status, ScanStatus::Ok, "{:?}", s.error);
    assert!(error(&s).contains("pipe.txt") && error(&s).contains("FIFO"), "{:?}", s.error);
    // Also as a list of its own, stored with the scan (issue 18, item 3).
    let listed: Vec<(&str, bool)> =
        s.file_problems.iter().map(|p| (p.file.as_str(), p.problem.contains("FIFO"))).collect();
    assert_eq!(listed, [("pipe.txt", true)], "{:?}", s.file_problems);
    // The same host without the FIFO: the same numbers.
    let clean = scan(&examples().join("srv-file01"));
    assert!(clean.file_problems.is_empty(), "{:?}", clean.file_problems);
    assert_eq!((s.build, s.missing.len(), s.cves.len()), (clean.build, clean.missing.len(), clean.cves.len()));
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_link_to_dev_zero_is_not_followed() {
    let dir = scratch("zero");
    host_folder(&dir.join("srv"));
    std::os::unix::fs::symlink("/dev/zero", dir.join("srv/z.txt")).unwrap();
    let s = scan(&dir.join("srv"));
    assert_eq!(s.status, ScanStatus::Ok, "{:?}", s.error);
    assert!(error(&s).contains("z.txt") && error(&s).contains("link"), "{:?}", s.error);
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_link_leaving_the_bundle_is_named_and_not_read() {
    let dir = scratch("outside");
    host_folder(&dir.join("srv"));
    fs::write(dir.join("secret.txt"), b"not the host's").unwrap();
    std::os::unix::fs::symlink(dir.join("secret.txt"), dir.join("srv/secret.txt")).unwrap();
    let with_link = scan(&dir.join("srv"));
    assert!(error(&with_link).contains("secret.txt"), "{:?}", with_link.error);
    // The target is not part of the digest: the same folder without the link digests alike.
    fs::remove_file(dir.join("srv/secret.txt")).unwrap();
    let without = scan(&dir.join("srv"));
    assert_eq!(with_link.digest, without.digest);
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_fifo_given_as_a_bundle_is_refused() {
    let dir = scratch("fifo-bundle");
    mkfifo(&dir.join("systeminfo.txt"));
    let s = scan(&dir.join("systeminfo.txt"));
    assert_eq!(s.status, ScanStatus::Failed);
    assert!(error(&s).contains("not a regular file"), "{:?}", s.error);
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_file_standing_rejects_is_named_by_the_scan() {
    let dir = scratch("parity");
    host_folder(&dir.join("srv"));
    fs::write(dir.join("srv/qfe.txt"), b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00binary").unwrap();
    // A strict load (what `standing` does) refuses the bundle ...
    assert!(w2k8_inventory::load(&dir.join("srv"), &w2k8_inventory::LoadOptions::default()).is_err());
    // ... a scan assesses the rest and says which file it left out.
    let s = scan(&dir.join("srv"));
    assert_eq!(s.status, ScanStatus::Ok, "{:?}", s.error);
    assert!(error(&s).contains("qfe.txt"), "{:?}", s.error);
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_fleet_of_hostile_folders_ends_with_its_summary() {
    let dir = scratch("fleet");
    let fleet = dir.join("fleet");
    host_folder(&fleet.join("a-fifo"));
    mkfifo(&fleet.join("a-fifo/pipe.txt"));
    host_folder(&fleet.join("b-zero"));
    std::os::unix::fs::symlink("/dev/zero", fleet.join("b-zero/z.txt")).unwrap();
    host_folder(&fleet.join("c-clean"));
    let db = dir.join("fleet.db");
    let summary = within(60, move || {
        let bundles = expand(&[fleet]).unwrap().bundles;
        let mut store = w2k8_store::open_store(&db.to_string_lossy()).unwrap();
        let opts = FleetOptions {
            today: today(),
            scanned_at: "2026-11-25T12:00:00Z".parse().unwrap(),
            batch: 8,
            jobs: Some(2),
        };
        run_fleet(&bundles, store.as_mut(), Catalog::embedded(), &opts, &Quiet).unwrap()
    });
    assert_eq!((summary.total, summary.ok, summary.failed), (3, 3, 0), "{summary:?}");
    let named: Vec<&str> = summary.problems.iter().map(|p| p.source.as_str()).collect();
    assert!(named.iter().any(|s| s.ends_with("a-fifo")) && named.iter().any(|s| s.ends_with("b-zero")), "{named:?}");
    assert!(!named.iter().any(|s| s.ends_with("c-clean")), "{named:?}");
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn loose_files_at_the_top_of_a_fleet_folder_are_reported_not_merged() {
    let dir = scratch("loose");
    let fleet = dir.join("fleet");
    host_folder(&fleet.join("srv-a"));
    fs::create_dir_all(fleet.join("srv-b")).unwrap();
    for f in ["systeminfo.txt", "os.txt", "ntoskrnl.txt"] {
        fs::copy(examples().join("srv-legacy01").join(f), fleet.join("srv-b").join(f)).unwrap();
    }
    fs::write(fleet.join("notes.txt"), b"inventory of the DMZ\r\n").unwrap();
    fs::write(fleet.join("desktop.ini"), b"[.ShellClassInfo]\r\n").unwrap();
    let got = expand(std::slice::from_ref(&fleet)).unwrap();
    assert_eq!(got.bundles, [fleet.join("srv-a"), fleet.join("srv-b")]);
    let skipped: Vec<&str> = got.warnings.iter().map(|s| s.path.as_str()).collect();
    let want = [fleet.join("desktop.ini"), fleet.join("notes.txt")];
    assert_eq!(skipped, want.iter().map(|p| p.to_str().unwrap()).collect::<Vec<_>>());
    assert!(got.warnings.iter().all(|s| s.reason.contains("not a host bundle")), "{:?}", got.warnings);

    let db = dir.join("fleet.db");
    let summary = within(60, move || {
        let mut store = w2k8_store::open_store(&db.to_string_lossy()).unwrap();
        let opts = FleetOptions {
            today: today(),
            scanned_at: "2026-11-25T12:00:00Z".parse().unwrap(),
            batch: 8,
            jobs: Some(2),
        };
        run_fleet(&got.bundles, store.as_mut(), Catalog::embedded(), &opts, &Quiet).unwrap()
    });
    assert_eq!((summary.total, summary.ok, summary.stored), (2, 2, 2), "{summary:?}");
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn host_folders_stay_one_bundle() {
    let dir = scratch("host-rule");
    // A host's folder with its logs: one bundle.
    host_folder(&dir.join("srv"));
    fs::create_dir_all(dir.join("srv/logs")).unwrap();
    fs::write(dir.join("srv/logs/CBS.log"), b"x").unwrap();
    // Files under other names and no subfolder: one bundle.
    fs::create_dir_all(dir.join("odd")).unwrap();
    fs::copy(examples().join("srv-file01/systeminfo.txt"), dir.join("odd/SRV-export.txt")).unwrap();
    let got = expand(&[dir.join("srv"), dir.join("odd")]).unwrap();
    assert_eq!(got.bundles, [dir.join("srv"), dir.join("odd")]);
    assert!(got.warnings.is_empty(), "{:?}", got.warnings);
    // A host's folder holding another host's bundle: one bundle, and a word about the other.
    host_folder(&dir.join("srv/other-host"));
    let got = expand(&[dir.join("srv")]).unwrap();
    assert_eq!(got.bundles, [dir.join("srv")]);
    assert_eq!(got.warnings.len(), 1, "{:?}", got.warnings);
    assert!(got.warnings[0].path.ends_with("other-host"), "{:?}", got.warnings);
    let _ = fs::remove_dir_all(&dir);
}
