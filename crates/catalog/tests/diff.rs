//! `catalog diff` on small MSRC tables written by hand. The rows are made up
//! for the test (test CVE ids of 2026; KB4499180 and KB4534310 are real
//! rows of the servicing tables, which both sides compile with), and each
//! expected change is read off the two tables below.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::too_many_lines)]
use std::io::Write;
use std::path::PathBuf;
use w2k8_catalog::diff::{diff, Field, Kind};

const HEADER: &str =
    "\"DatePosted\",\"CVE\",\"BulletinKB\",\"Title\",\"AffectedProduct\",\"AffectedComponent\",\"Severity\",\"Impact\",\"Supersedes\",\"Exploits\"\n";
const X64: &str = "Windows Server 2008 for x64-based Systems Service Pack 2";
const X86: &str = "Windows Server 2008 for 32-bit Systems Service Pack 2";
const R2: &str = "Windows Server 2008 R2 for x64-based Systems Service Pack 1";

fn row(date: &str, cve: &str, kb: &str, title: &str, product: &str, severity: &str) -> String {
    format!("\"{date}\",\"{cve}\",\"{kb}\",\"{title}\",\"{product}\",\"\",\"{severity}\",\"Remote Code Execution\",\"\",\"\"\n")
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("w2k8-diff-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn field(field: &'static str, old: &str, new: &str) -> Field {
    Field { field, old: old.into(), new: new.into() }
}

#[test]
fn records_added_removed_and_changed_are_named_with_their_facts() {
    let d = scratch("records");
    let old = [
        row("20190514", "CVE-2019-0708", "4499180", "Test RDP", X64, "Critical"),
        row("20200114", "CVE-2026-99902", "4534310", "Test gone", R2, "Critical"),
    ]
    .concat();
    let new = [
        row("20190514", "CVE-2019-0708", "4499180", "Test RDP", X64, "Critical"),
        row("20190514", "CVE-2019-0708", "4499180", "Test RDP", X86, "Critical"),
        row("20260609", "CVE-2026-99901", "5099999", "Test new", R2, "Important"),
    ]
    .concat();
    // The old table gzip-compressed, as data/msrc/ is shipped; the new one plain.
    let old_path = d.join("old.csv.gz");
    let mut gz = flate2::write::GzEncoder::new(std::fs::File::create(&old_path).unwrap(), flate2::Compression::fast());
    gz.write_all(format!("{HEADER}{old}").as_bytes()).unwrap();
    gz.finish().unwrap();
    let new_path = d.join("CVEs_20260610.csv");
    std::fs::write(&new_path, format!("{HEADER}{new}")).unwrap();

    let got = diff(old_path.to_str().unwrap(), new_path.to_str().unwrap()).unwrap();
    assert_eq!((got.old.rows, got.new.rows), (2, 3));
    let cves: Vec<(String, Kind, Vec<Field>)> =
        got.cves.iter().map(|c| (c.id.to_string(), c.change, c.fields.clone())).collect();
    assert_eq!(
        cves,
        [
            (
                "CVE-2019-0708".to_string(),
                Kind::Changed,
                vec![field("fixes", "", &format!("KB4499180 on {X86}")), field("affected", "", X86)]
            ),
            ("CVE-2026-99901".to_string(), Kind::Added, vec![]),
            ("CVE-2026-99902".to_string(), Kind::Removed, vec![]),
        ]
    );
    let updates: Vec<(String, Kind, Vec<Field>)> =
        got.updates.iter().map(|u| (u.id.to_string(), u.change, u.fields.clone())).collect();
    assert_eq!(
        updates,
        [
            // Servicing-table updates: the new rows list KB4499180 for one more product, and
            // KB4534310 (listed for R2 by the old rows) for none.
            ("KB4499180".to_string(), Kind::Changed, vec![field("products", "", X86)]),
            ("KB4534310".to_string(), Kind::Changed, vec![field("products", R2, "")]),
            ("KB5099999".to_string(), Kind::Added, vec![]),
        ]
    );
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn the_shipped_table_equals_the_embedded_one_and_bad_files_are_named() {
    let shipped = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/msrc/ws2008-msrc.csv.gz");
    let same = diff("embedded", shipped).unwrap();
    assert!(same.is_empty(), "{:?}", same.cves.first());
    assert_eq!(same.old.file, "data/msrc/ws2008-msrc.csv.gz (embedded)");
    assert!(same.old.cves > 4000);
    assert_eq!((same.old.rows, same.old.cves, same.old.updates), (same.new.rows, same.new.cves, same.new.updates));

    let d = scratch("bad");
    let bad = d.join("notes.txt");
    std::fs::write(&bad, "hello\n").unwrap();
    let e = diff("embedded", bad.to_str().unwrap()).unwrap_err().to_string();
    assert!(e.starts_with(&format!("{}:1: expected", bad.display())), "{e}");
    let e = diff(d.join("missing.csv").to_str().unwrap(), "embedded").unwrap_err().to_string();
    assert!(e.contains("missing.csv: cannot read"), "{e}");
    std::fs::remove_dir_all(&d).unwrap();
}
