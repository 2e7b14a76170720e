//! Loading host bundles (folder, zip, single file), refusing hostile zips,
//! and checking the collector script. Fixtures: `tests/fixtures/bundle/`
//! (see its README.md; regenerate with its `make_fixtures.py`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::too_many_lines)]
use std::collections::BTreeSet;
use std::fs;
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use w2k8_core::{Arch, Kb};
use w2k8_inventory::bundle::{self, list_logs, load_bytes, read_entry, LogKind, LAYOUT};
use w2k8_inventory::collector::COLLECT_CMD;
use w2k8_inventory::{load, Error, Host, LoadOptions};

const TOP: &str = "w2k8-SRV-FILE01-20261120";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bundle")
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A fresh scratch folder for one test (std only: no tempfile crate here).
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("w2k8-bundle-test-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            fs::copy(e.path(), target).unwrap();
        }
    }
}

fn kbs(list: &[&str]) -> BTreeSet<Kb> {
    list.iter().map(|k| k.parse().unwrap()).collect()
}

/// The 12 updates of SRV-FILE01, in install order (systeminfo and qfe list them so).
const FILE01_KBS: [&str; 12] = [
    "KB4493730",
    "KB4474419",
    "KB4517134",
    "KB4526478",
    "KB4531787",
    "KB4536953",
    "KB4538484",
    "KB4565353",
    "KB4572374",
    "KB4580971",
    "KB5010452",
    "KB5022340",
];

fn sources(host: &Host) -> Vec<(String, String)> {
    let mut v: Vec<_> = host.sources.iter().map(|s| (s.file.clone(), s.format.clone())).collect();
    v.sort();
    v
}

/// Everything the SRV-FILE01 bundle says, as loaded from the folder or its zip.
fn assert_file01(host: &Host) {
    assert_eq!(
        sources(host),
        [
            ("ntoskrnl.txt", "wmic"),
            ("os.txt", "wmic"),
            ("qfe.csv", "wmic-qfe"),
            ("qfe.txt", "wmic-qfe"),
            ("reg-cbs-packages.txt", "reg-query"),
            ("reg-currentversion.txt", "reg-query"),
            ("servicing-packages.txt", "servicing-packages"),
            ("systeminfo.csv", "systeminfo"),
            ("systeminfo.txt", "systeminfo"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    let enc = |f: &str| host.sources.iter().find(|s| s.file == f).map(|s| s.encoding.clone()).unwrap();
    assert_eq!(enc("qfe.txt"), "UTF-16LE (BOM)");
    assert_eq!(enc("qfe.csv"), "UTF-16LE (BOM)");
    assert_eq!(enc("servicing-packages.txt"), "UTF-8", "ASCII only");
    assert_eq!(enc("os.txt"), "UTF-16LE (BOM)");
    assert_eq!(enc("ntoskrnl.txt"), "UTF-16LE (BOM)");
    assert_eq!(enc("reg-cbs-packages.txt"), "UTF-8", "ASCII only");

    let f = &host.facts;
    assert_eq!(f.host_name.as_ref().unwrap().value, "SRV-FILE01");
    assert_eq!(f.os_name.as_ref().unwrap().value, "Microsoft\u{ae} Windows Server\u{ae} 2008 Standard");
    assert_eq!(f.os_version.as_ref().unwrap().value, "6.0.6003");
    assert_eq!(f.build.as_ref().unwrap().value, 6003);
    assert_eq!(f.service_pack.as_ref().unwrap().value, "Service Pack 2");
    assert_eq!(f.service_pack_number.as_ref().unwrap().value, 2);
    assert_eq!(f.os_sku.as_ref().unwrap().value, 7);
    assert_eq!(f.edition_id.as_ref().unwrap().value, "ServerStandard");
    assert_eq!(f.arch.as_ref().unwrap().value, Arch::X64);
    let kernel = &f.kernel_version.as_ref().unwrap();
    assert_eq!(kernel.value.to_string(), "6.0.6003.21872");
    assert_eq!((kernel.evidence.file.as_str(), kernel.evidence.line), ("ntoskrnl.txt", Some(3)));
    assert_eq!(f.product_id.as_ref().unwrap().value, "92573-082-2500115-76417");
    assert_eq!(f.os_configuration.as_ref().unwrap().value, "Member Server");
    assert_eq!(f.install_date.as_ref().unwrap().value, "1/15/2019, 10:34:12 AM");
    assert_eq!(f.hotfix_count_declared.as_ref().unwrap().value, 12);
    assert!(!f.hotfix_list_truncated);

    // Every KB is listed twice: by systeminfo (lines 34-45) and by wmic qfe.
    assert_eq!(host.kbs(), kbs(&FILE01_KBS));
    let from = |file: &str| f.hotfixes.iter().filter(|h| h.evidence.file == file).collect::<Vec<_>>();
    let si = from("systeminfo.txt");
    assert_eq!(si.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(), FILE01_KBS);
    assert_eq!(si.iter().map(|h| h.evidence.line.unwrap()).collect::<Vec<_>>(), (34..=45).collect::<Vec<_>>());
    let qfe = from("qfe.txt");
    assert_eq!(qfe.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(), FILE01_KBS);
    let first = qfe.first().unwrap();
    assert_eq!(first.installed_on.unwrap().to_string(), "2019-04-20", "hex FILETIME decoded");
    assert_eq!(first.description.as_deref(), Some("Security Update"));
    assert_eq!(first.evidence.line, Some(7));
    let last = qfe.last().unwrap();
    assert_eq!(last.installed_on.unwrap().to_string(), "2023-01-14");
    let csv = from("qfe.csv");
    assert_eq!(csv.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(), FILE01_KBS);
    assert_eq!(csv.iter().map(|h| h.evidence.line.unwrap()).collect::<Vec<_>>(), (3..=14).collect::<Vec<_>>());
    assert_eq!(csv.first().unwrap().installed_on.unwrap().to_string(), "2019-04-20");
    let si_csv = from("systeminfo.csv");
    assert_eq!(si_csv.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(), FILE01_KBS);
    assert_eq!(f.hotfixes.len(), 4 * 12);

    // The same five packages from the registry and from servicing\Packages (the .mum lines 2, 4, ...).
    let pkgs: Vec<_> = f
        .packages
        .iter()
        .filter(|p| p.evidence.file == "reg-cbs-packages.txt")
        .map(|p| (p.kb.map(|k| k.to_string()), p.arch.clone()))
        .collect();
    let dir: Vec<_> = f
        .packages
        .iter()
        .filter(|p| p.evidence.file == "servicing-packages.txt")
        .map(|p| (p.kb.map(|k| k.to_string()), p.arch.clone()))
        .collect();
    assert_eq!(pkgs, dir);
    assert_eq!(
        f.packages
            .iter()
            .filter(|p| p.evidence.file == "servicing-packages.txt")
            .map(|p| p.evidence.line.unwrap())
            .collect::<Vec<_>>(),
        [2, 4, 6, 8, 10]
    );
    assert_eq!(f.packages.len(), 10);
    assert_eq!(
        pkgs,
        [
            (None, "amd64"),
            (Some("KB4474419"), "amd64"),
            (Some("KB4493730"), "amd64"),
            (Some("KB4538484"), "amd64"),
            (Some("KB5010452"), "amd64")
        ]
        .map(|(k, a)| (k.map(str::to_string), Some(a.to_string())))
    );
    assert!(host.conflicts.is_empty(), "{:?}", host.conflicts);
}

#[test]
fn folder_bundle_gives_every_fact() {
    let host = load(&fixtures().join(TOP), &LoadOptions::default()).unwrap();
    assert_file01(&host);
}

#[test]
fn oem_files_are_read_as_an_oem_code_page() {
    let host = load(&fixtures().join(TOP), &LoadOptions::default()).unwrap();
    for file in ["systeminfo.txt", "reg-currentversion.txt"] {
        let enc = host.sources.iter().find(|s| s.file == file).map(|s| s.encoding.as_str()).unwrap();
        // ü and ö have the same bytes in 437 and 850: either reading is right
        // (the English systeminfo is reported as 437, its en-US console page).
        assert!(enc == "cp437" || enc == "cp850", "{file}: {enc}");
    }
}

#[test]
fn zip_bundle_equals_folder_bundle() {
    let folder = load(&fixtures().join(TOP), &LoadOptions::default()).unwrap();
    let zip_path = fixtures().join(format!("{TOP}.zip"));
    let zipped = load(&zip_path, &LoadOptions::default()).unwrap();
    assert_file01(&zipped);
    assert_eq!(zipped, folder);
    let bytes = fs::read(&zip_path).unwrap();
    assert_eq!(load_bytes("upload.zip", &bytes, &LoadOptions::default()).unwrap(), folder);
    // Recognised by its signature even under another name.
    assert_eq!(load_bytes("upload.bin", &bytes, &LoadOptions::default()).unwrap(), folder);
}

#[test]
fn folder_holding_the_bundle_folder_is_looked_into() {
    let dir = scratch("parent");
    copy_dir(&fixtures().join(TOP), &dir.join(TOP));
    let host = load(&dir, &LoadOptions::default()).unwrap();
    assert_eq!(host, load(&fixtures().join(TOP), &LoadOptions::default()).unwrap());
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn examples_load() {
    let file01 = load(&repo().join("examples/srv-file01"), &LoadOptions::default()).unwrap();
    assert_file01(&file01);

    let legacy = load(&repo().join("examples/srv-legacy01"), &LoadOptions::default()).unwrap();
    assert_eq!(
        sources(&legacy),
        [("ntoskrnl.txt", "wmic"), ("os.txt", "wmic"), ("systeminfo.txt", "systeminfo")]
            .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    let si = legacy.sources.iter().find(|s| s.file == "systeminfo.txt").unwrap();
    assert_eq!(si.encoding, "UTF-16LE (BOM)");
    let f = &legacy.facts;
    assert_eq!(f.host_name.as_ref().unwrap().value, "SRV-LEGACY01");
    assert_eq!(f.build.as_ref().unwrap().value, 6002);
    assert_eq!(f.arch.as_ref().unwrap().value, Arch::X86);
    assert_eq!(f.os_sku.as_ref().unwrap().value, 10);
    assert_eq!(f.kernel_version.as_ref().unwrap().value.to_string(), "6.0.6002.24535");
    assert_eq!(legacy.kbs(), kbs(&["KB4458010", "KB4463097", "KB4467706", "KB4471325"]));
}

#[test]
fn single_file_is_sniffed() {
    let path = fixtures().join(TOP).join("qfe.txt");
    let host = load(&path, &LoadOptions::default()).unwrap();
    assert_eq!(host.sources.len(), 1);
    let src = &host.sources[0];
    assert_eq!((src.file.as_str(), src.format.as_str()), (path.display().to_string().as_str(), "wmic-qfe"));
    assert_eq!(host.kbs(), kbs(&FILE01_KBS));

    // Under any name, from memory.
    let bytes = fs::read(fixtures().join(TOP).join("ntoskrnl.txt")).unwrap();
    let host = load_bytes("kernel-version.dat", &bytes, &LoadOptions::default()).unwrap();
    assert_eq!(host.sources[0].file, "kernel-version.dat");
    assert_eq!(host.facts.kernel_version.as_ref().unwrap().value.to_string(), "6.0.6003.21872");
}

#[test]
fn other_text_files_are_sniffed_one_level_down() {
    let dir = scratch("sniff");
    fs::create_dir_all(dir.join("extra")).unwrap();
    fs::copy(fixtures().join(TOP).join("ntoskrnl.txt"), dir.join("extra/kernel.TXT")).unwrap();
    fs::copy(fixtures().join(TOP).join("os.txt"), dir.join("wmic-os.log")).unwrap();
    fs::write(dir.join("readme.md"), "not read").unwrap();
    fs::create_dir_all(dir.join("a/b")).unwrap();
    fs::copy(fixtures().join(TOP).join("qfe.txt"), dir.join("a/b/too-deep.txt")).unwrap();
    let host = load(&dir, &LoadOptions::default()).unwrap();
    assert_eq!(
        sources(&host),
        [("extra/kernel.TXT", "wmic"), ("wmic-os.log", "wmic")].map(|(a, b)| (a.to_string(), b.to_string()))
    );
    assert!(host.facts.hotfixes.is_empty(), "a/b/too-deep.txt is two levels down");
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn known_name_holding_a_failed_command_is_skipped_with_a_note() {
    let dir = scratch("failedcmd");
    copy_dir(&fixtures().join(TOP), &dir);
    // What `wmic qfe list full /format:csv` leaves when the XSL is missing,
    // and an empty file from a command that wrote nothing.
    fs::write(dir.join("qfe.csv"), b"Invalid XSL format (or) file name.\r\n").unwrap();
    fs::write(dir.join("hotfix.csv"), b"").unwrap();
    let host = load(&dir, &LoadOptions::default()).unwrap();
    assert_eq!(host.sources.len(), 8);
    assert!(
        host.facts.notes.contains(&"qfe.csv: skipped, expected wmic-qfe output, found something else".to_string()),
        "{:?}",
        host.facts.notes
    );
    assert!(host.facts.notes.iter().any(|n| n.starts_with("hotfix.csv: empty")), "{:?}", host.facts.notes);
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn undecodable_known_file_fails_unless_lenient() {
    let dir = scratch("lenient");
    copy_dir(&fixtures().join(TOP), &dir);
    fs::write(dir.join("qfe.txt"), b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00binary").unwrap();
    let err = load(&dir, &LoadOptions::default()).unwrap_err();
    match &err {
        Error::Parse(e) => assert_eq!(e.file, "qfe.txt"),
        other => panic!("expected a parse error, got {other:?}"),
    }
    assert!(err.to_string().starts_with("qfe.txt: expected "), "{err}");

    let opts = LoadOptions { lenient: true, ..LoadOptions::default() };
    let host = load(&dir, &opts).unwrap();
    assert_eq!(host.sources.len(), 8);
    assert!(host.facts.notes.iter().any(|n| n.starts_with("qfe.txt: expected ")), "{:?}", host.facts.notes);
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn empty_folder_and_unrelated_folder_are_nothing_recognised() {
    match load(&fixtures().join("empty"), &LoadOptions::default()) {
        Err(Error::NothingRecognised { looked_at, .. }) => assert!(looked_at.is_empty(), "{looked_at:?}"),
        other => panic!("{other:?}"),
    }
    let err = load(&fixtures().join("unrelated"), &LoadOptions::default()).unwrap_err();
    match &err {
        Error::NothingRecognised { looked_at, .. } => assert_eq!(looked_at, &["notes.txt"]),
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().ends_with("found none (looked at notes.txt)"), "{err}");
}

#[test]
fn zip_with_path_traversal_is_refused() {
    let err = load(&fixtures().join("traversal.zip"), &LoadOptions::default()).unwrap_err();
    match &err {
        Error::Zip { message, .. } => {
            assert!(message.contains("`../../evil.txt`") && message.contains("leaving the bundle"), "{message}")
        }
        other => panic!("{other:?}"),
    }
    for name in ["/etc/passwd", "C:\\Windows\\win.ini", "a\\..\\..\\b.txt"] {
        let zip = make_zip(&[(name, b"x".as_slice())], zip::CompressionMethod::Stored);
        assert!(matches!(load_bytes("t.zip", &zip, &LoadOptions::default()), Err(Error::Zip { .. })), "{name}");
    }
}

#[test]
fn corrupt_zip_is_a_clear_error() {
    let err = load(&fixtures().join("corrupt.zip"), &LoadOptions::default()).unwrap_err();
    match &err {
        Error::Zip { path, message } => {
            assert!(path.ends_with("corrupt.zip"));
            assert!(message.starts_with("not a readable zip archive") || message.contains("corrupt"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    // A truncated archive in memory too.
    let good = fs::read(fixtures().join(format!("{TOP}.zip"))).unwrap();
    for cut in [10, good.len() / 2, good.len() - 1] {
        assert!(load_bytes("cut.zip", &good[..cut], &LoadOptions::default()).is_err(), "cut at {cut}");
    }
}

fn make_zip(entries: &[(&str, &[u8])], method: zip::CompressionMethod) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(method).large_file(false);
    for (name, data) in entries {
        w.start_file(*name, opts).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[test]
fn zip_bombs_are_refused() {
    // A 20 MiB run of zeros deflates to ~20 KiB: ratio ~1000.
    let zeros = vec![0u8; 20 * 1024 * 1024];
    let bomb = make_zip(&[("w2k8-X-20261120/systeminfo.txt", zeros.as_slice())], zip::CompressionMethod::Deflated);
    assert!(bomb.len() < 100 * 1024);
    let t = Instant::now();
    match load_bytes("bomb.zip", &bomb, &LoadOptions::default()) {
        Err(Error::Zip { message, .. }) => assert!(message.contains("zip bomb"), "{message}"),
        other => panic!("{other:?}"),
    }
    assert!(t.elapsed().as_secs() < 2, "refused from the directory, before inflating");

    // An entry over the per-file limit (low ratio: text that does not compress well).
    let text: Vec<u8> = (0..3 * 1024 * 1024u32).map(|i| b'A' + (i.wrapping_mul(2654435761) >> 27) as u8).collect();
    let big = make_zip(&[("systeminfo.txt", text.as_slice())], zip::CompressionMethod::Deflated);
    let small = LoadOptions { max_file_size: 1024 * 1024, ..LoadOptions::default() };
    match load_bytes("big.zip", &big, &small) {
        Err(Error::Zip { message, .. }) => assert!(message.contains("over the 1 MiB limit"), "{message}"),
        other => panic!("{other:?}"),
    }

    // Too many entries.
    let names: Vec<String> = (0..12).map(|i| format!("f{i}.txt")).collect();
    let many: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), b"x".as_slice())).collect();
    let many = make_zip(&many, zip::CompressionMethod::Stored);
    let opts = LoadOptions { max_entries: 10, ..LoadOptions::default() };
    match load_bytes("many.zip", &many, &opts) {
        Err(Error::Zip { message, .. }) => assert!(message.starts_with("12 entries, more than the 10"), "{message}"),
        other => panic!("{other:?}"),
    }

    // Declared total over the bundle limit.
    let opts = LoadOptions { max_total_size: 2 * 1024 * 1024, ..LoadOptions::default() };
    match load_bytes("big.zip", &big, &opts) {
        Err(Error::Zip { message, .. }) => assert!(message.contains("add up to more than 2 MiB"), "{message}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn encrypted_entry_is_refused() {
    let mut zip = make_zip(&[("systeminfo.txt", b"Host Name: X\r\n".as_slice())], zip::CompressionMethod::Stored);
    // Set bit 0 (encrypted) of the general purpose flags in the local header
    // (offset 6) and in the central directory header (offset 8).
    zip[6] |= 1;
    let cd = zip.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
    zip[cd + 8] |= 1;
    match load_bytes("enc.zip", &zip, &LoadOptions::default()) {
        Err(Error::Zip { message, .. }) => assert!(message.contains("is encrypted"), "{message}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn oversized_file_is_refused_quickly_without_reading_it() {
    let dir = scratch("big");
    let path = dir.join("systeminfo.txt");
    // A sparse 200 MB file: reading it whole would take time and memory.
    fs::File::create(&path).unwrap().set_len(200_000_000).unwrap();
    let t = Instant::now();
    let err = load(&path, &LoadOptions::default()).unwrap_err();
    assert!(t.elapsed().as_millis() < 500);
    assert!(matches!(err, Error::Io { .. }));
    assert!(err.to_string().contains("file of 190.7 MiB is over the 16 MiB limit"), "{err}");
    // The same inside a folder bundle.
    let err = load(&dir, &LoadOptions::default()).unwrap_err();
    assert!(err.to_string().starts_with("systeminfo.txt: file of 190.7 MiB is over the 16 MiB limit"), "{err}");
    // An oversized file of unknown name is skipped with a note instead.
    fs::rename(&path, dir.join("dump.txt")).unwrap();
    fs::copy(fixtures().join(TOP).join("ntoskrnl.txt"), dir.join("ntoskrnl.txt")).unwrap();
    let host = load(&dir, &LoadOptions::default()).unwrap();
    assert!(
        host.facts.notes.iter().any(|n| n.starts_with("dump.txt: skipped, file of 190.7 MiB")),
        "{:?}",
        host.facts.notes
    );
    // And a single file from memory.
    let opts = LoadOptions { max_file_size: 10, ..LoadOptions::default() };
    assert!(matches!(load_bytes("x.txt", b"12345678901", &opts), Err(Error::Io { .. })));
    fs::remove_dir_all(&dir).unwrap();
}

#[cfg(unix)]
#[test]
fn symlinks_are_followed_only_inside_the_bundle() {
    let dir = scratch("links");
    let outside = scratch("links-outside");
    fs::copy(fixtures().join(TOP).join("ntoskrnl.txt"), outside.join("secret.txt")).unwrap();
    fs::create_dir_all(dir.join("b")).unwrap();
    std::os::unix::fs::symlink(outside.join("secret.txt"), dir.join("b/ntoskrnl.txt")).unwrap();
    std::os::unix::fs::symlink(&outside, dir.join("b/outside-dir")).unwrap();
    assert!(matches!(load(&dir, &LoadOptions::default()), Err(Error::NothingRecognised { .. })));

    fs::copy(fixtures().join(TOP).join("os.txt"), dir.join("b/real-os.txt")).unwrap();
    std::os::unix::fs::symlink(dir.join("b/real-os.txt"), dir.join("b/os.txt")).unwrap();
    let host = load(&dir, &LoadOptions::default()).unwrap();
    assert_eq!(sources(&host), [("os.txt".to_string(), "wmic".to_string()), ("real-os.txt".into(), "wmic".into())]);
    fs::remove_dir_all(&dir).unwrap();
    fs::remove_dir_all(&outside).unwrap();
}

/// An inventory file is parsed, at a few times its size in memory: it has
/// its own limit (16 MiB), well above any real capture and below the 64 MiB
/// a log carried for `diagnose` may have.
#[test]
fn an_inventory_file_has_a_smaller_limit_than_a_log() {
    let dir = scratch("parsed-limit");
    fs::copy(fixtures().join(TOP).join("ntoskrnl.txt"), dir.join("ntoskrnl.txt")).unwrap();
    fs::create_dir_all(dir.join("logs")).unwrap();
    // 17 MiB each, sparse: over the inventory limit, under the log limit.
    let size = 17 * 1024 * 1024;
    fs::File::create(dir.join("logs/CBS.log")).unwrap().set_len(size).unwrap();
    let logs = list_logs(&dir, &LoadOptions::default()).unwrap();
    assert_eq!(logs, vec![bundle::LogFile { file: "logs/CBS.log".into(), kind: LogKind::Cbs, size }]);
    assert_eq!(read_entry(&dir, "logs/CBS.log", &LoadOptions::default()).unwrap().len() as u64, size);
    // The log is not an input: the bundle loads from ntoskrnl.txt.
    assert!(load(&dir, &LoadOptions::default()).is_ok());
    fs::File::create(dir.join("systeminfo.txt")).unwrap().set_len(size).unwrap();
    let err = load(&dir, &LoadOptions::default()).unwrap_err();
    assert!(err.to_string().starts_with("systeminfo.txt: file of 17 MiB is over the 16 MiB limit"), "{err}");
    // Given alone, too.
    let err = load(&dir.join("systeminfo.txt"), &LoadOptions::default()).unwrap_err();
    assert!(err.to_string().contains("file of 17 MiB is over the 16 MiB limit"), "{err}");
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn logs_are_listed_not_loaded() {
    let want = vec![bundle::LogFile { file: "logs/CheckSUR.log".into(), kind: LogKind::CheckSur, size: 72 }];
    let folder = fixtures().join(TOP);
    assert_eq!(list_logs(&folder, &LoadOptions::default()).unwrap(), want);
    let zip = fixtures().join(format!("{TOP}.zip"));
    assert_eq!(list_logs(&zip, &LoadOptions::default()).unwrap(), want);
    let bytes = read_entry(&zip, "logs/CheckSUR.log", &LoadOptions::default()).unwrap();
    assert_eq!(bytes, fs::read(folder.join("logs/CheckSUR.log")).unwrap());
    assert_eq!(read_entry(&folder, "logs\\checksur.log", &LoadOptions::default()).unwrap(), bytes);
    assert!(matches!(read_entry(&folder, "logs/CBS.log", &LoadOptions::default()), Err(Error::Io { .. })));
    // A log is not sniffed as an input.
    assert!(!load(&folder, &LoadOptions::default()).unwrap().sources.iter().any(|s| s.file.contains("CheckSUR")));
}

// ---------------------------------------------------------------- collector

fn script() -> Vec<u8> {
    fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("collector/collect.cmd")).unwrap()
}

#[test]
fn collector_is_crlf_ascii_and_embedded() {
    let bytes = script();
    assert_eq!(COLLECT_CMD.as_bytes(), bytes.as_slice());
    assert!(bytes.is_ascii(), "ASCII only: runs under any OEM code page");
    assert!(bytes.starts_with(b"@echo off\r\n"));
    assert!(bytes.ends_with(b"\r\n"));
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'\n' {
            assert!(i > 0 && bytes[i - 1] == b'\r', "bare LF at byte {i}");
        }
    }
}

#[test]
fn collector_writes_every_file_of_the_layout() {
    let text = COLLECT_CMD;
    for name in LAYOUT {
        assert!(text.contains(name), "{name} missing from collect.cmd");
    }
    for log in ["CBS.log", "CbsPersist_*.log", "WindowsUpdate.log", "CheckSUR.log", "logs\\"] {
        assert!(text.contains(log), "{log} missing from collect.cmd");
    }
    assert!(text.contains("w2k8-%COMPUTERNAME%-%STAMP%"));
    assert!(text.contains("wmic os get LocalDateTime /value"), "date independent of the locale");
    // The csv.xsl quirk is handled.
    assert!(text.contains("/format:csv"));
    assert!(text.contains("\\csv\""));
}

/// The commands of the script, without `rem` comments and `echo` texts.
fn command_lines() -> Vec<String> {
    COLLECT_CMD
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.to_ascii_lowercase().starts_with("rem ") && !l.starts_with("::"))
        .map(|l| l.to_ascii_lowercase())
        .collect()
}

#[test]
fn collector_changes_nothing_on_the_machine() {
    const FORBIDDEN: [&str; 26] = [
        "reg add",
        "reg delete",
        "reg import",
        "reg copy",
        "reg restore",
        "reg load",
        "del",
        "erase",
        "rd",
        "rmdir",
        "move",
        "ren",
        "sc config",
        "sc stop",
        "sc start",
        "sc delete",
        "net stop",
        "net start",
        "wusa",
        "dism",
        "pkgmgr",
        "bcdedit",
        "shutdown",
        "format",
        "attrib",
        "icacls",
    ];
    let words = |l: &str| -> Vec<String> {
        l.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    for line in command_lines() {
        let w = words(&line);
        let joined = format!(" {} ", w.join(" "));
        for bad in FORBIDDEN {
            // `/format:csv` is a wmic switch, not format.com.
            if bad == "format" && line.contains("/format:") && w.first().is_none_or(|f| f != "format") {
                continue;
            }
            assert!(!joined.contains(&format!(" {bad} ")), "`{bad}` in: {line}");
        }
        // wmic verbs that change things: set, call (methods), create, delete.
        for (i, _) in line.match_indices("wmic ") {
            let rest = line[i..].split('\'').next().unwrap_or_default();
            for verb in ["set", "call", "create", "delete"] {
                assert!(!words(rest).iter().any(|w| w == verb), "wmic {verb} in: {line}");
            }
        }
        assert!(!line.contains("set-") && !line.contains("remove-"), "PowerShell writer in: {line}");
    }
    // Every redirection goes into the output folder or the log (or nul).
    for line in command_lines() {
        for (i, _) in line.match_indices('>') {
            let rest = line[i..].trim_start_matches('>').trim_start();
            let ok = rest.starts_with("\"%out%")
                || rest.starts_with("\"%log%")
                || rest.starts_with("nul")
                || rest.starts_with("&");
            assert!(ok || line[..i].ends_with('^'), "redirection outside the output folder: {line}");
        }
    }
    // copy only into the output folder.
    for line in command_lines().iter().filter(|l| l.starts_with("copy ")) {
        assert!(line.contains("\"%out%\\logs\\"), "{line}");
    }
}

#[test]
fn collector_labels_exist() {
    let labels: BTreeSet<String> = COLLECT_CMD
        .lines()
        .filter_map(|l| l.strip_prefix(':'))
        .filter(|l| !l.starts_with(':'))
        .map(|l| l.trim().to_ascii_lowercase())
        .collect();
    for line in command_lines() {
        for kw in ["call :", "goto :"] {
            for (i, _) in line.match_indices(kw) {
                let target: String = line[i + kw.len()..].chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
                assert!(target == "eof" || labels.contains(&target), "no label :{target} for: {line}");
            }
        }
    }
    // Parentheses balance on every line (an unbalanced `(` in cmd swallows what follows).
    for line in command_lines() {
        let mut depth = 0i32;
        let mut quoted = false;
        for c in line.chars() {
            match c {
                '"' => quoted = !quoted,
                '(' if !quoted => depth += 1,
                ')' if !quoted => depth -= 1,
                _ => {}
            }
        }
        assert_eq!(depth, 0, "unbalanced parentheses: {line}");
        assert!(!quoted, "unbalanced quotes: {line}");
    }
}

#[cfg(unix)]
#[test]
fn special_files_are_listed_as_skipped_and_never_opened() {
    let dir = scratch("special");
    copy_dir(&fixtures().join(TOP), &dir.join("b"));
    let st = std::process::Command::new("mkfifo").arg(dir.join("b/pipe.txt")).status().unwrap();
    assert!(st.success());
    std::os::unix::fs::symlink("/dev/zero", dir.join("b/zero.txt")).unwrap();
    std::os::unix::fs::symlink(dir.join("b/pipe.txt"), dir.join("b/to-pipe.txt")).unwrap();

    let listing = bundle::list_folder(&dir.join("b"), &LoadOptions::default()).unwrap();
    let skipped: Vec<(&str, &str)> = listing.skipped.iter().map(|p| (p.file.as_str(), p.problem.as_str())).collect();
    assert_eq!(
        skipped,
        [
            ("pipe.txt", "a FIFO (named pipe), not a regular file: not opened"),
            ("to-pipe.txt", "a symbolic link to a FIFO (named pipe), not a regular file: not opened"),
            ("zero.txt", "a symbolic link leading out of the bundle: not followed"),
        ]
    );
    assert!(listing.files.iter().all(|f| !f.name.contains("pipe") && !f.name.contains("zero")));

    // The host loads (the FIFO is never opened) and names what it left out.
    let host = load(&dir.join("b"), &LoadOptions::default()).unwrap();
    let files: Vec<&str> = host.file_problems.iter().map(|p| p.file.as_str()).collect();
    assert_eq!(files, ["pipe.txt", "to-pipe.txt", "zero.txt"]);
    assert!(host.facts.notes.iter().any(|n| n.starts_with("pipe.txt: a FIFO")), "{:?}", host.facts.notes);

    // open_regular refuses a FIFO and a device at once.
    let e = bundle::open_regular(&dir.join("b/pipe.txt"), "pipe.txt").unwrap_err();
    assert_eq!(
        e.to_string(),
        "pipe.txt: a FIFO (named pipe), not a regular file: refused (only regular files are read)"
    );
    let e = bundle::open_regular(Path::new("/dev/zero"), "/dev/zero").unwrap_err();
    assert!(e.to_string().contains("a character device"), "{e}");
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_lenient_load_names_the_file_a_strict_load_refuses() {
    let dir = scratch("problems");
    copy_dir(&fixtures().join(TOP), &dir);
    fs::write(dir.join("qfe.txt"), b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00binary").unwrap();
    assert!(load(&dir, &LoadOptions::default()).is_err());
    let host = load(&dir, &LoadOptions { lenient: true, ..LoadOptions::default() }).unwrap();
    assert_eq!(host.file_problems.len(), 1, "{:?}", host.file_problems);
    assert_eq!(host.file_problems[0].file, "qfe.txt");
    assert!(host.file_problems[0].problem.starts_with("not read: qfe.txt: expected "), "{:?}", host.file_problems);
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bounded_readers_stop_at_the_limit() {
    let mut seen = 0usize;
    let n = bundle::stream_limited(std::io::repeat(7).take(200_000), "r", 200_000, &mut |c| {
        assert!(c.len() <= 64 * 1024);
        seen += c.len();
    })
    .unwrap();
    assert_eq!((n, seen), (200_000, 200_000));
    // An endless reader is cut one chunk past the limit.
    let e = bundle::stream_limited(std::io::repeat(0), "/dev/zero", 100_000, &mut |_| {}).unwrap_err();
    assert!(e.to_string().starts_with("/dev/zero: file of "), "{e}");
    let e = bundle::read_limited(std::io::repeat(0), "/dev/zero", 1000).unwrap_err();
    assert!(e.to_string().contains("over the 1000 bytes limit"), "{e}");
    assert!(bundle::check_size("x", 11, 10).is_err() && bundle::check_size("x", 10, 10).is_ok());
}

#[test]
fn collector_queries_every_mitigation_key_and_service() {
    use w2k8_inventory::formats::reg_mitigations::{KEYS, MARKER, SERVICES};
    for key in KEYS {
        assert!(COLLECT_CMD.contains(&format!("call :regm \"{key}\"\r\n")), "{key} not queried by collect.cmd");
    }
    let line = COLLECT_CMD.lines().find(|l| l.starts_with("for %%S in (")).expect("the Start loop");
    for s in SERVICES {
        assert!(line.split(['(', ')', ' ']).any(|w| w == s), "{s} not in the Start loop");
    }
    assert!(COLLECT_CMD.contains(&format!("echo {MARKER} %~1 %~2")));
    for cmd in [
        "sc queryex type= service state= all",
        "netstat -ano",
        "netsh advfirewall show allprofiles",
        "netsh advfirewall firewall show rule name=all",
    ] {
        assert!(COLLECT_CMD.contains(&format!("set \"CMDLINE={cmd}\"")), "{cmd}");
    }
}
