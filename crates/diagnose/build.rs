//! Compiles the error tables of `data/errors/` (see `data/README.md`) into two
//! gzip-compressed, tab-separated tables that `src/codes.rs` embeds:
//!
//! - `sdk.tsv.gz`: `HRESULT\tSYMBOL\tWIN32\tMESSAGE`, one row per SDK code
//!   (`sdk-codes.csv.gz`: `winerror.h` and `wuerror.h`), sorted by code;
//! - `updates.tsv.gz`: `HRESULT\tSYMBOL\tCOMPONENT\tMEANING\tCAUSE_2008\tFIX\tSOURCE_URL`,
//!   one row per curated update-failure code (`hresults.csv`), sorted by code.
//!
//! The rows are checked and made by `w2k8_data::errors`: a row whose code is
//! not `0x` + 8 hex digits fails the build with its file and line.
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use flate2::Compression;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use w2k8_data::errors::{sdk_rows, update_rows, HRESULTS, SDK_CODES};

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into()));
    let root = manifest.join("../..");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into()));
    for f in [SDK_CODES, HRESULTS] {
        println!("cargo:rerun-if-changed={}", root.join(f).display());
    }
    println!("cargo:rerun-if-changed=build.rs");
    if let Err(e) = run(&root, &out) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run(root: &Path, out: &Path) -> Result<(), String> {
    let read = |file: &str| std::fs::read(root.join(file)).map_err(|e| format!("{file}: cannot read: {e}"));
    let mut sdk = Vec::new();
    GzDecoder::new(&read(SDK_CODES)?[..])
        .read_to_end(&mut sdk)
        .map_err(|e| format!("{SDK_CODES}: cannot decompress: {e}"))?;
    write_gz(&out.join("sdk.tsv.gz"), &sdk_rows(&sdk)?)?;
    write_gz(&out.join("updates.tsv.gz"), &update_rows(&read(HRESULTS)?)?)
}

fn write_gz(path: &Path, text: &str) -> Result<(), String> {
    let f = std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut gz = GzEncoder::new(f, Compression::best());
    gz.write_all(text.as_bytes()).map_err(|e| e.to_string())?;
    gz.finish().map_err(|e| e.to_string())?;
    Ok(())
}
