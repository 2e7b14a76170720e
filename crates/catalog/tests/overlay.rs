//! The overlay: importing newer KEV and WES-NG files, refusing older, bad
//! and partial ones (leaving the overlay as it was), and merging.
//!
//! TEST DATA: the files are generated here from the shipped data in `data/`
//! plus rows that are made up for these tests and say so
//! (`TEST-ONLY fictitious ...`, dated 2026-12, KB 9999901, CVE-2026-99901).
//! They are not facts and never leave the temporary directories.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::too_many_lines)]
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use w2k8_catalog::overlay::{self, OverlayError};
use w2k8_catalog::Catalog;
use w2k8_core::{Date, Kb};

fn data(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data").join(path)
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("w2k8-overlay-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn today() -> Date {
    Date::new(2026, 11, 25).unwrap()
}

/// CISA's complete CSV header (11 columns), as public KEV parsers quote it.
const KEV_HEADER: &str = "cveID,vendorProject,product,vulnerabilityName,dateAdded,shortDescription,requiredAction,dueDate,knownRansomwareCampaignUse,notes,cwes";

/// A CVE of the catalog (2008 affected) that the shipped KEV data does not list.
const NOT_IN_KEV: &str = "CVE-2020-0607";

/// The shipped KEV rows in the feed's column order, plus `extra` lines.
fn kev_csv(dir: &Path, name: &str, extra: &[&str]) -> PathBuf {
    let text = std::fs::read_to_string(data("kev/kev-microsoft.csv")).unwrap();
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(KEV_HEADER.split(',')).unwrap();
    for r in rdr.records() {
        let r = r.unwrap();
        let f = |i| r.get(i).unwrap();
        out.write_record([f(0), f(1), f(2), f(3), f(4), "", "", f(5), f(6), "", ""]).unwrap();
    }
    let mut bytes = out.into_inner().unwrap();
    for l in extra {
        bytes.extend_from_slice(l.as_bytes());
        bytes.push(b'\n');
    }
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

const TEST_KEV_ROW: &str = "CVE-2020-0607,Microsoft,Windows,TEST-ONLY fictitious entry (w2k8 test suite),2026-12-01,test,test,2026-12-22,Known,,";

fn kev_json(dir: &Path, name: &str, version: &str, count: Option<usize>) -> PathBuf {
    let vulns = serde_json::json!([
        {"cveID": NOT_IN_KEV, "vendorProject": "Microsoft", "product": "Windows",
         "vulnerabilityName": "TEST-ONLY fictitious entry (w2k8 test suite)", "dateAdded": "2026-12-01",
         "shortDescription": "test", "requiredAction": "test", "dueDate": "2026-12-22",
         "knownRansomwareCampaignUse": "Unknown", "notes": "", "cwes": []},
        {"cveID": "CVE-2000-0001", "vendorProject": "Example", "product": "Other",
         "vulnerabilityName": "TEST-ONLY not Microsoft", "dateAdded": "2026-12-01", "dueDate": "2026-12-22",
         "knownRansomwareCampaignUse": "Unknown"}
    ]);
    let v = serde_json::json!({
        "title": "CISA Catalog of Known Exploited Vulnerabilities",
        "catalogVersion": version,
        "dateReleased": "2026-12-01T17:00:00.0000Z",
        "count": count.unwrap_or(2),
        "vulnerabilities": vulns,
    });
    let p = dir.join(name);
    std::fs::write(&p, serde_json::to_vec_pretty(&v).unwrap()).unwrap();
    p
}

fn msrc_rows() -> String {
    let mut s = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(data("msrc/ws2008-msrc.csv.gz")).unwrap())
        .read_to_string(&mut s)
        .unwrap();
    s
}

const TEST_MSRC_ROW: &str = "\"20261208\",\"CVE-2026-99901\",\"9999901\",\"TEST-ONLY fictitious row (w2k8 test suite)\",\"Windows Server 2008 for x64-based Systems Service Pack 2\",\"TEST-ONLY component\",\"Critical\",\"Remote Code Execution\",\"5073697\",\"\"\n";

/// A WES-NG `definitions.zip` with `CVEs_<date>.csv` = `csv`, plus the
/// members WES-NG ships next to it.
fn definitions_zip(dir: &Path, date: &str, csv: &str) -> PathBuf {
    let p = dir.join("definitions.zip");
    let mut z = zip::ZipWriter::new(std::fs::File::create(&p).unwrap());
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    z.start_file(format!("CVEs_{date}.csv"), opts).unwrap();
    z.write_all(csv.as_bytes()).unwrap();
    z.start_file("Custom_20190321.csv", opts).unwrap();
    z.write_all(b"\"DatePosted\",\"CVE\"\n").unwrap();
    z.start_file("Version_0.94.txt", opts).unwrap();
    z.write_all(b"TEST-ONLY\n").unwrap();
    z.finish().unwrap();
    p
}

/// Every file of the overlay directory with its bytes.
fn snapshot(data_dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(overlay::overlay_dir(data_dir))
        .map(|rd| {
            rd.flatten()
                .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn no_overlay_is_the_embedded_catalog() {
    let d = scratch("none");
    let c = Catalog::with_overlay(&d).unwrap();
    assert!(c.overlay_info().is_none());
    assert_eq!(c.stats(), Catalog::embedded().stats());
    assert_eq!(overlay::read_manifest(&d).unwrap(), None);
}

#[test]
fn newer_kev_csv_is_imported_and_merged() {
    let d = scratch("kevcsv");
    assert!(Catalog::embedded().cve(id(NOT_IN_KEV)).unwrap().kev.is_none());
    let f = kev_csv(&d, "known_exploited_vulnerabilities.csv", &[TEST_KEV_ROW]);
    let r = overlay::import(&d, std::slice::from_ref(&f), today()).unwrap();
    assert_eq!(r.lines.len(), 1);
    assert!(r.lines[0].contains("341 Microsoft entries, 1 new, 0 changed"), "{:?}", r.lines);
    let m = r.manifest;
    let k = m.kev.as_ref().unwrap();
    assert_eq!((k.catalog_version.as_deref(), k.as_of, k.entries), (None, Date::new(2026, 12, 1).unwrap(), 341));
    assert_eq!((m.counts.kev_added, m.counts.kev_replaced, m.counts.cves_added), (1, 0, 0));

    let c = Catalog::with_overlay(&d).unwrap();
    let info = c.overlay_info().unwrap();
    assert!(info.kev_used && !info.msrc_used && info.notes.is_empty(), "{info:?}");
    let cve = c.cve(id(NOT_IN_KEV)).unwrap();
    let kev = cve.kev.as_ref().unwrap();
    assert!(kev.ransomware);
    assert_eq!(kev.date_added, Date::new(2026, 12, 1).unwrap());
    assert_eq!(kev.source, format!("known_exploited_vulnerabilities.csv:{} (imported 2026-11-25)", 342));
    assert_eq!(cve.sources.last(), Some(&kev.source));
    assert_eq!(c.kev().len(), 341);
    assert_eq!(c.stats().cves_in_kev, Catalog::embedded().stats().cves_in_kev + 1);
    // BlueKeep keeps its embedded entry.
    assert!(c.cve(id("CVE-2019-0708")).unwrap().kev.as_ref().unwrap().source.starts_with("data/kev/"));

    // The same file again is already current (issue 19: a weekly job
    // fetching an unchanged feed succeeds); nothing is written.
    let before = snapshot(&d);
    let r = overlay::import(&d, std::slice::from_ref(&f), today()).unwrap();
    assert!(!r.changed);
    assert!(r.lines.is_empty());
    assert_eq!(
        r.current,
        [format!(
            "{0}: already current: the catalog has KEV CSV with entries added up to 2026-12-01 (imported from {0})",
            f.display()
        )]
    );
    assert_eq!(snapshot(&d), before);
}

#[test]
fn kev_json_feed_is_imported_by_catalog_version() {
    let d = scratch("kevjson");
    let f = kev_json(&d, "known_exploited_vulnerabilities.json", "2026.12.01", None);
    let r = overlay::import(&d, &[f], today()).unwrap();
    let k = r.manifest.kev.unwrap();
    assert_eq!(k.catalog_version.as_deref(), Some("2026.12.01"));
    assert_eq!(k.entries, 1, "only Microsoft entries are kept");
    let c = Catalog::with_overlay(&d).unwrap();
    let kev = c.cve(id(NOT_IN_KEV)).unwrap().kev.clone().unwrap();
    assert!(!kev.ransomware);
    assert_eq!(
        kev.source,
        "known_exploited_vulnerabilities.json: vulnerabilities[0], KEV 2026.12.01 (imported 2026-11-25)"
    );
    // The embedded entries are all still there.
    assert_eq!(c.kev().len(), Catalog::embedded().kev().len() + 1);

    // The same catalog version with the same entries is already current;
    // the overlay stays as it was.
    let before = snapshot(&d);
    let same = kev_json(&d, "same.json", "2026.12.01", None);
    let r = overlay::import(&d, &[same], today()).unwrap();
    assert_eq!((r.changed, r.lines.len(), r.current.len()), (false, 0, 1));
    // The same version with an entry that differs is not newer: refused.
    let changed = kev_json(&d, "changed.json", "2026.12.01", None);
    let text = std::fs::read_to_string(&changed).unwrap().replacen("Unknown", "Known", 1);
    std::fs::write(&changed, text).unwrap();
    let e = overlay::import(&d, &[changed], today()).unwrap_err();
    assert!(matches!(e, OverlayError::NotNewer(_)), "{e}");
    assert!(
        e.to_string().contains("the file is a KEV catalog 2026.12.01, the catalog already has KEV catalog 2026.12.01"),
        "{e}"
    );
    // A version older than its own entries is a bad file.
    let odd = kev_json(&d, "odd.json", "2026.11.30", None);
    let e = overlay::import(&d, &[odd], today()).unwrap_err();
    assert!(e.to_string().contains("catalogVersion 2026.11.30 is older than its newest dateAdded 2026-12-01"), "{e}");
    assert_eq!(snapshot(&d), before);
}

#[test]
fn older_than_embedded_is_refused() {
    let d = scratch("older");
    let e = overlay::import(&d, &[data("kev/kev-microsoft.csv")], today()).unwrap_err();
    assert!(matches!(e, OverlayError::NotNewer(_)), "{e}");
    assert!(e.to_string().contains("entries added up to 2025-08-12"), "{e}");
    assert!(e.to_string().contains("KEV catalog 2025.08.25 (embedded)"), "{e}");
    let old = kev_json(&d, "old.json", "2025.08.25", None);
    assert!(matches!(overlay::import(&d, &[old], today()), Err(OverlayError::BadFile(_))));
    assert!(snapshot(&d).is_empty());
}

#[test]
fn bad_files_are_refused_with_file_and_line() {
    let d = scratch("bad");
    let good = kev_csv(&d, "good.csv", &[TEST_KEV_ROW]);
    overlay::import(&d, &[good], today()).unwrap();
    let before = snapshot(&d);
    assert_eq!(before.len(), 2, "manifest and records");

    let cases: Vec<(PathBuf, &str)> = vec![
        (
            kev_csv(
                &d,
                "baddate.csv",
                &["CVE-2021-99999,Microsoft,Windows,TEST-ONLY,2026-13-01,,,2026-12-22,Unknown,,"],
            ),
            "baddate.csv:342: dateAdded: expected YYYY-MM-DD, found \"2026-13-01\"",
        ),
        (
            kev_csv(&d, "badid.csv", &["CVE-21-1,Microsoft,Windows,TEST-ONLY,2026-12-01,,,2026-12-22,Unknown,,"]),
            "badid.csv:342: cveID: expected CVE-YYYY-NNNN, found \"CVE-21-1\"",
        ),
        (
            kev_csv(
                &d,
                "badransom.csv",
                &["CVE-2021-99999,Microsoft,Windows,TEST-ONLY,2026-12-01,,,2026-12-22,Maybe,,"],
            ),
            "badransom.csv:342: knownRansomwareCampaignUse: expected Known/Unknown, found \"Maybe\"",
        ),
        (kev_json(&d, "badcount.json", "2026.12.01", Some(7)), "badcount.json: count: expected 2"),
        (kev_json(&d, "badversion.json", "2026-12-01", None), "catalogVersion: expected YYYY.MM.DD"),
    ];
    let header_only = d.join("noheader.csv");
    std::fs::write(&header_only, "cveID,vendorProject,product\nCVE-2021-1,Microsoft,X\n").unwrap();
    let truncated = d.join("truncated.json");
    std::fs::write(&truncated, "{\"catalogVersion\": \"2026.12.01\",\n \"vulnerabilities\": [").unwrap();
    let other = d.join("notes.txt");
    std::fs::write(&other, "hello\n").unwrap();
    let notzip = d.join("broken.zip");
    std::fs::write(&notzip, b"PK\x03\x04broken").unwrap();
    let mut cases = cases;
    cases.push((header_only, "noheader.csv:1: expected a CISA KEV header"));
    cases.push((truncated, "truncated.json:2: expected the CISA KEV JSON feed"));
    cases.push((other, "notes.txt:1: expected a CISA KEV CSV"));
    cases.push((notzip, "broken.zip: expected a zip archive"));
    for (file, want) in cases {
        let e = overlay::import(&d, std::slice::from_ref(&file), today()).unwrap_err();
        assert!(matches!(e, OverlayError::BadFile(_)), "{}: {e}", file.display());
        assert!(e.to_string().contains(want), "{}: {e}\nwanted: {want}", file.display());
        assert_eq!(snapshot(&d), before, "{}", file.display());
    }
    // One bad file among good ones: nothing is written.
    let newer = kev_json(&d, "newer.json", "2026.12.05", None);
    let bad = kev_csv(&d, "bad2.csv", &["CVE-2021-99999,Microsoft,Windows,TEST-ONLY,someday,,,,Unknown,,"]);
    assert!(overlay::import(&d, &[newer, bad], today()).is_err());
    assert_eq!(snapshot(&d), before);
}

#[test]
fn wesng_definitions_zip_merges_new_records_only() {
    let d = scratch("wesng");
    let mut rows = msrc_rows();
    rows.push_str(TEST_MSRC_ROW);
    // A row about another product (WES-NG's file covers every Windows):
    // left out, and said.
    rows.push_str("\"20261208\",\"CVE-2026-99902\",\"9999902\",\"TEST-ONLY other product\",\"Windows 10 Version 1809 for x64-based Systems\",\"\",\"Important\",\"Elevation of Privilege\",\"\",\"\"\n");
    let z = definitions_zip(&d, "20270101", &rows);
    let r = overlay::import(&d, std::slice::from_ref(&z), today()).unwrap();
    // The shipped rows compile to exactly the embedded records: only the
    // test row's update and CVE are new, nothing is changed.
    assert!(r.lines[0].contains("94052 rows"), "{:?}", r.lines);
    assert!(r.lines[0].contains("updates: 1 new, 0 changed; CVEs: 1 new, 0 changed"), "{:?}", r.lines);
    assert!(r.lines[0].ends_with("; 1 row(s) about other products were left out"), "{:?}", r.lines);
    let m = &r.manifest;
    let s = m.msrc.as_ref().unwrap();
    assert_eq!((s.date, s.rows), (Date::new(2027, 1, 1).unwrap(), 94_052));
    assert_eq!(s.file, format!("{} (CVEs_20270101.csv)", z.display()));

    let c = Catalog::with_overlay(&d).unwrap();
    let kb = Kb::new(9_999_901).unwrap();
    let u = c.update(kb).unwrap();
    assert_eq!(u.released, Date::new(2026, 12, 8));
    assert_eq!(u.supersedes, [Kb::new(5_073_697).unwrap()]);
    assert!(u.sources[0].starts_with("definitions.zip/CVEs_20270101.csv:"), "{:?}", u.sources);
    assert!(c.contains(kb) && c.superseded_by(Kb::new(5_073_697).unwrap()).contains(&kb));
    let cve = c.cve(id("CVE-2026-99901")).unwrap();
    assert_eq!(cve.fixing_kbs(), [kb]);
    assert_eq!(
        c.product(cve.fixes[0].product).unwrap().name,
        "Windows Server 2008 for x64-based Systems Service Pack 2"
    );
    assert!(c.cves_fixed_by(kb).iter().any(|x| x.id == "CVE-2026-99901"));
    assert_eq!(c.updates().count(), Catalog::embedded().updates().count() + 1);
    assert_eq!(c.load_error(), None);
    // Embedded records are unchanged.
    let e = Catalog::embedded();
    let k = Kb::new(4_493_471).unwrap();
    assert_eq!(c.update(k), e.update(k));
    assert_eq!(c.cve(id("CVE-2019-0708")), e.cve(id("CVE-2019-0708")));

    // The same definitions again are already current; older ones are not newer.
    let before = snapshot(&d);
    let again = overlay::import(&d, &[z], today()).unwrap();
    assert_eq!((again.changed, again.lines.len()), (false, 0));
    assert!(
        again.current[0].contains("already current: the catalog has WES-NG definitions of 2027-01-01"),
        "{:?}",
        again.current
    );
    let csv = d.join("CVEs_20260628.csv");
    std::fs::write(&csv, msrc_rows()).unwrap();
    let old = overlay::import(&d, &[csv], today()).unwrap_err();
    assert!(matches!(old, OverlayError::NotNewer(_)), "{old}");
    assert_eq!(snapshot(&d), before);

    // A KEV import on top keeps the WES-NG records.
    let k = kev_csv(&d, "kev.csv", &[TEST_KEV_ROW]);
    overlay::import(&d, &[k], today()).unwrap();
    let c = Catalog::with_overlay(&d).unwrap();
    assert!(c.update(kb).is_some() && c.cve(id(NOT_IN_KEV)).unwrap().kev.is_some());
    assert_eq!(c.overlay_info().unwrap().manifest.imports.len(), 2);
    assert_eq!(snapshot(&d).len(), 2, "the old records file is removed");
}

#[test]
fn wesng_csv_needs_its_dated_name_and_all_rows() {
    let d = scratch("wesngcsv");
    let plain = d.join("wesng.csv");
    std::fs::write(&plain, msrc_rows()).unwrap();
    let e = overlay::import(&d, &[plain], today()).unwrap_err();
    assert!(e.to_string().contains("expected WES-NG's file name CVEs_YYYYMMDD.csv"), "{e}");

    let rows = msrc_rows();
    let partial: String = rows.lines().take(1000).map(|l| format!("{l}\n")).collect();
    let p = d.join("CVEs_20270101.csv");
    std::fs::write(&p, partial).unwrap();
    let e = overlay::import(&d, std::slice::from_ref(&p), today()).unwrap_err();
    assert!(matches!(e, OverlayError::NotNewer(_)), "{e}");
    assert!(e.to_string().contains("expected complete WES-NG definitions: it has 999 rows"), "{e}");

    let mut bad = rows.clone();
    bad.push_str("\"2026120\",\"CVE-2026-99902\",\"9999902\",\"TEST-ONLY\",\"Windows Server 2008 for x64-based Systems Service Pack 2\",\"\",\"Critical\",\"\",\"\",\"\"\n");
    std::fs::write(&p, bad).unwrap();
    let e = overlay::import(&d, &[p], today()).unwrap_err();
    // Physical line (three upstream fields hold a line break).
    assert!(e.to_string().contains("CVEs_20270101.csv:94056: DatePosted: expected YYYYMMDD, found \"2026120\""), "{e}");
    assert!(snapshot(&d).is_empty());
}

#[test]
fn overlay_older_than_the_embedded_data_is_not_used() {
    let d = scratch("stale");
    let f = kev_csv(&d, "kev.csv", &[TEST_KEV_ROW]);
    overlay::import(&d, &[f], today()).unwrap();
    // Pretend the overlay was written for an older w2k8, by an older file.
    let path = overlay::overlay_dir(&d).join("manifest.json");
    let text = std::fs::read_to_string(&path).unwrap().replace("2026-12-01", "2025-01-01");
    std::fs::write(&path, text).unwrap();
    let c = Catalog::with_overlay(&d).unwrap();
    let info = c.overlay_info().unwrap();
    assert!(!info.kev_used);
    assert!(info.notes[0].contains("not newer than the embedded KEV 2025.08.25: not used"), "{:?}", info.notes);
    assert!(c.cve(id(NOT_IN_KEV)).unwrap().kev.is_none());
}

#[test]
fn a_damaged_overlay_is_reported() {
    let d = scratch("damaged");
    let f = kev_csv(&d, "kev.csv", &[TEST_KEV_ROW]);
    overlay::import(&d, std::slice::from_ref(&f), today()).unwrap();
    let m = overlay::read_manifest(&d).unwrap().unwrap();
    std::fs::write(overlay::overlay_dir(&d).join(&m.records), "{\"products\": [").unwrap();
    let e = Catalog::with_overlay(&d).unwrap_err();
    assert!(matches!(e, OverlayError::Store(_)), "{e}");
    assert!(e.to_string().contains("expected overlay records"), "{e}");
    assert!(e.to_string().contains("delete the overlay directory"), "{e}");
    let e = overlay::import(&d, &[f], today()).unwrap_err();
    assert!(e.to_string().contains("the existing overlay cannot be read"), "{e}");
}

#[test]
fn default_data_dir_prefers_the_variable() {
    // Only the variable's own case is checked (the others depend on the machine).
    if let Some(v) = std::env::var_os("W2K8_DATA_DIR").filter(|v| !v.is_empty()) {
        assert_eq!(overlay::default_data_dir(), Some(PathBuf::from(v)));
    } else {
        let d = overlay::default_data_dir();
        assert!(d.as_ref().is_none_or(|d| d.ends_with("w2k8")), "{d:?}");
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
    /// Arbitrary files (with each of the sniffed starts) are refused, never a panic.
    #[test]
    fn arbitrary_files_are_refused_not_panics(
        start in 0usize..5,
        bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..200),
    ) {
        let d = scratch("prop");
        let prefix: &[u8] = [&b""[..], b"{", b"cveID,", b"\"DatePosted\",", b"PK\x03\x04"][start];
        let mut text = prefix.to_vec();
        text.extend(bytes);
        let name = if start == 3 { "CVEs_20270101.csv" } else { "f.csv" };
        let f = d.join(name);
        std::fs::write(&f, text).unwrap();
        let r = overlay::import(&d, &[f], today());
        proptest::prop_assert!(r.is_err());
        proptest::prop_assert!(snapshot(&d).is_empty());
    }
}

fn id(s: &str) -> w2k8_core::CveId {
    s.parse().unwrap()
}

/// An overlay whose records file cannot be read (here: it is a directory)
/// is an I/O error naming the file, the system's error kept as the source.
#[test]
fn an_unreadable_overlay_file_keeps_the_system_error() {
    let d = scratch("unreadable");
    let f = kev_csv(&d, "kev.csv", &[TEST_KEV_ROW]);
    overlay::import(&d, std::slice::from_ref(&f), today()).unwrap();
    let m = overlay::read_manifest(&d).unwrap().unwrap();
    let records = overlay::overlay_dir(&d).join(&m.records);
    std::fs::remove_file(&records).unwrap();
    std::fs::create_dir(&records).unwrap();
    let e = Catalog::with_overlay(&d).unwrap_err();
    assert!(matches!(&e, OverlayError::Io { .. }), "{e}");
    assert_eq!(e.to_string(), format!("{}: cannot read", records.display()));
    let source = std::error::Error::source(&e).and_then(|s| s.downcast_ref::<std::io::Error>()).unwrap();
    assert_eq!(source.kind(), std::io::ErrorKind::IsADirectory);
    assert!(w2k8_core::error_chain(&e).starts_with(&format!("{}: cannot read: ", records.display())));
}
