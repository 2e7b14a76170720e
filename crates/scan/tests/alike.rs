//! The oracle of [`w2k8_scan::alike`]: every scan made sharing answers
//! between hosts that read alike equals the scan made alone, field for
//! field. The bundles: the truth corpus and the examples, each also under
//! another name and product ID (so that it shares), and every eighth
//! generated "patched through" host of both families, as written, as its
//! twin (another name and product ID), with no product ID, and in UTF-16LE.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::too_many_lines)]
use std::path::{Path, PathBuf};
use w2k8_assess::generate::{patched_through_hosts_for, systeminfo_text};
use w2k8_catalog::{Catalog, OsFamily};
use w2k8_core::Date;
use w2k8_scan::alike::Alike;
use w2k8_scan::{scan_path, scan_path_alike};

fn utf16le(text: &str) -> Vec<u8> {
    let mut b = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        b.extend_from_slice(&u.to_le_bytes());
    }
    b
}

/// `text` with its host name and product ID lines replaced (or the product
/// ID left out when `id` is None).
fn renamed(text: &str, name: &str, id: Option<&str>) -> String {
    let mut out = String::new();
    for line in text.split_inclusive('\n') {
        if line.starts_with("Host Name:") {
            out.push_str(&format!("Host Name:                 {name}\r\n"));
        } else if line.starts_with("Product ID:") {
            if let Some(id) = id {
                out.push_str(&format!("Product ID:                {id}\r\n"));
            }
        } else {
            out.push_str(line);
        }
    }
    out
}

fn bundles(dir: &Path) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut out: Vec<PathBuf> = std::fs::read_dir(root.join("tests/truth"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    out.extend(["examples/srv-file01", "examples/srv-legacy01", "examples/srv-r2-esu01"].map(|e| root.join(e)));
    out.sort();
    // Each of those copied with its systeminfo.txt under another name and ID.
    let mut twins = Vec::new();
    for (i, b) in out.iter().enumerate() {
        let Ok(bytes) = std::fs::read(b.join("systeminfo.txt")) else { continue };
        let Ok(text) = String::from_utf8(bytes) else { continue };
        let t = dir.join(format!("twin-{i}"));
        std::fs::create_dir_all(&t).unwrap();
        for e in std::fs::read_dir(b).unwrap() {
            let p = e.unwrap().path();
            if p.is_file() {
                std::fs::copy(&p, t.join(p.file_name().unwrap())).unwrap();
            }
        }
        let text = renamed(&text, &format!("TWIN-{i}"), Some("00000-111-2222222-33333"));
        std::fs::write(t.join("systeminfo.txt"), text).unwrap();
        twins.push(t);
    }
    out.extend(twins);
    let c = Catalog::embedded();
    for os in [OsFamily::Ws2008, OsFamily::Ws2008R2] {
        for (i, g) in patched_through_hosts_for(c, os).into_iter().step_by(8).enumerate() {
            let text = renamed(&systeminfo_text(&g), &format!("GEN-{os:?}-{i}"), Some("12345-678-9012345-67890"));
            let variants: [(&str, Vec<u8>); 4] = [
                ("a", text.clone().into_bytes()),
                ("b", renamed(&text, &format!("GEN-{os:?}-{i}-B"), Some("99999-888-7777777-66666")).into_bytes()),
                ("c", renamed(&text, &format!("GEN-{os:?}-{i}-C"), None).into_bytes()),
                ("d", utf16le(&renamed(&text, &format!("GEN-{os:?}-{i}-D"), Some("11111-222-3333333-44444")))),
            ];
            for (tag, bytes) in variants {
                let d = dir.join(format!("gen-{os:?}-{i}-{tag}"));
                std::fs::create_dir_all(&d).unwrap();
                std::fs::write(d.join("systeminfo.txt"), bytes).unwrap();
                out.push(d);
            }
        }
    }
    out
}

#[test]
fn every_shared_answer_is_the_answer_made_alone() {
    let dir = std::env::temp_dir().join(format!("w2k8-alike-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let catalog = Catalog::embedded();
    let today = Date::new(2026, 6, 1).unwrap();
    let at: w2k8_core::Timestamp = "2026-06-01T00:00:00Z".parse().unwrap();
    let all = bundles(&dir);
    let alike = Alike::new();
    let mut compared = 0;
    for b in &all {
        let alone = scan_path(b, catalog, today, at);
        let shared = scan_path_alike(b, catalog, today, at, Some(&alike));
        assert_eq!(shared, alone, "{}", b.display());
        compared += 1;
    }
    // Every twin and every generated variant b shared an answer; variant c
    // (no product ID) and d (UTF-16LE: the encoding is a fact of its
    // source) read differently from a and b.
    assert!(alike.hits() >= all.len() / 5, "{} hits of {compared}", alike.hits());
    std::fs::remove_dir_all(&dir).unwrap();
}
