//! Compiles the error tables of `data/errors/` (see `data/README.md`) into two
//! gzip-compressed, tab-separated tables that `src/codes.rs` embeds:
//!
//! - `sdk.tsv.gz`: `HRESULT\tSYMBOL\tWIN32\tMESSAGE`, one row per SDK code
//!   (`sdk-codes.csv.gz`: `winerror.h` and `wuerror.h`), sorted by code;
//! - `updates.tsv.gz`: `HRESULT\tSYMBOL\tCOMPONENT\tMEANING\tCAUSE_2008\tFIX\tSOURCE_URL`,
//!   one row per curated update-failure code (`hresults.csv`), sorted by code.
//!
//! Tabs and line breaks inside fields become spaces. A row whose code is not
//! `0x` + 8 hex digits fails the build with its file and line.
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use flate2::Compression;
use std::io::Write;
use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into()));
    let data = manifest.join("../../data/errors");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into()));
    let sdk = data.join("sdk-codes.csv.gz");
    let upd = data.join("hresults.csv");
    println!("cargo:rerun-if-changed={}", sdk.display());
    println!("cargo:rerun-if-changed={}", upd.display());
    println!("cargo:rerun-if-changed=build.rs");
    if let Err(e) = run(&sdk, &upd, &out) {
        panic!("w2k8-diagnose build: {e}");
    }
}

fn clean(s: &str) -> String {
    s.replace(['\t', '\r', '\n'], " ").trim().to_string()
}

fn code_of(s: &str, file: &str, line: u64) -> Result<u32, String> {
    let hex = s.strip_prefix("0x").ok_or_else(|| format!("{file}:{line}: expected a code 0xXXXXXXXX, found {s:?}"))?;
    if hex.len() != 8 {
        return Err(format!("{file}:{line}: expected 8 hex digits, found {s:?}"));
    }
    u32::from_str_radix(hex, 16).map_err(|_| format!("{file}:{line}: expected hex digits, found {s:?}"))
}

fn run(sdk: &Path, upd: &Path, out: &Path) -> Result<(), String> {
    let f = std::fs::File::open(sdk).map_err(|e| format!("{}: {e}", sdk.display()))?;
    let mut rdr = csv::Reader::from_reader(GzDecoder::new(f));
    let mut rows: Vec<(u32, String)> = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| format!("sdk-codes.csv: {e}"))?;
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        let code = code_of(rec.get(0).unwrap_or(""), "sdk-codes.csv", line)?;
        let symbol = clean(rec.get(1).unwrap_or(""));
        let win32 = clean(rec.get(2).unwrap_or("").trim_start_matches("win32:"));
        let message = clean(rec.get(3).unwrap_or(""));
        rows.push((code, format!("{code:08X}\t{symbol}\t{win32}\t{message}\n")));
    }
    write_gz(&out.join("sdk.tsv.gz"), rows)?;

    let mut rdr = csv::Reader::from_path(upd).map_err(|e| format!("{}: {e}", upd.display()))?;
    let mut rows: Vec<(u32, String)> = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| format!("hresults.csv: {e}"))?;
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        let code = code_of(rec.get(0).unwrap_or(""), "hresults.csv", line)?;
        let fields: Vec<String> = (1..7).map(|i| clean(rec.get(i).unwrap_or(""))).collect();
        rows.push((code, format!("{code:08X}\t{}\n", fields.join("\t"))));
    }
    write_gz(&out.join("updates.tsv.gz"), rows)
}

fn write_gz(path: &Path, mut rows: Vec<(u32, String)>) -> Result<(), String> {
    rows.sort_by_key(|r| r.0);
    let f = std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut gz = GzEncoder::new(f, Compression::best());
    for (_, row) in rows {
        gz.write_all(row.as_bytes()).map_err(|e| e.to_string())?;
    }
    gz.finish().map_err(|e| e.to_string())?;
    Ok(())
}
