//! Build script of `w2k8-catalog`: reads the reviewable data in
//! `../../data/` (relative to this crate), validates every row, and writes
//! the compact binary form (`w2k8_data::wire`) into `OUT_DIR`:
//!
//! - `updates.bin`: products and updates (loaded eagerly, must be tiny);
//! - `cves.bin`: KEV entries and CVEs with their fixes (loaded lazily).
//!
//! Any data error fails the build with `file:line: message`, including a row
//! of the mitigation table (`data/mitigations/mitigations.csv`, embedded by
//! `w2k8_data::mitigations`).
//!
//! The row parsing and record assembly live in `w2k8_data::compile`, which
//! the library also uses to compile files an administrator imports.

use std::io::Read;
use std::path::{Path, PathBuf};
use w2k8_data::compile::{self, at, Interner, KEV, MSRC, R, SERVICING, SERVICING_R2};

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").map_err(|e| format!("CARGO_MANIFEST_DIR: {e}"))?;
    let root = Path::new(&manifest).join("../..");
    let out = PathBuf::from(std::env::var("OUT_DIR").map_err(|e| format!("OUT_DIR: {e}"))?);
    for f in [SERVICING, SERVICING_R2, MSRC, KEV] {
        println!("cargo:rerun-if-changed={}", root.join(f).display());
    }
    println!("cargo:rerun-if-changed=build.rs");
    // The mitigation table is embedded by w2k8-data (a change to it rebuilds
    // that crate, and so reruns this script): every row must read.
    w2k8_data::mitigations::parse_table(w2k8_data::mitigations::MITIGATIONS_CSV).map_err(|e| e.to_string())?;

    let mut strings = Interner::default();
    let (sp2, r2) = (read_file(&root, SERVICING)?, read_file(&root, SERVICING_R2)?);
    let servicing = compile::read_all_servicing(&[(SERVICING, &sp2), (SERVICING_R2, &r2)], &mut strings)?;
    let gz = read_file(&root, MSRC)?;
    let mut text = Vec::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_end(&mut text)
        .map_err(|e| at(MSRC, 0, format!("cannot decompress: {e}")))?;
    let msrc = compile::read_msrc(MSRC, &text, false, &mut strings)?.rows;
    // The import of newer definitions compares its row count with this.
    println!("cargo:rustc-env=W2K8_MSRC_ROWS={}", msrc.len());
    let kev = compile::read_kev(KEV, &read_file(&root, KEV)?, true, None, &mut strings)?;
    let built = compile::assemble(servicing, msrc, &kev, MSRC, KEV, &mut strings)?;
    std::fs::write(out.join("updates.bin"), compile::write_updates(&built, &strings))
        .map_err(|e| format!("writing updates.bin: {e}"))?;
    std::fs::write(out.join("cves.bin"), compile::write_cves(&built, &kev, &strings))
        .map_err(|e| format!("writing cves.bin: {e}"))?;
    Ok(())
}

fn read_file(root: &Path, file: &str) -> R<Vec<u8>> {
    std::fs::read(root.join(file)).map_err(|e| at(file, 0, format!("cannot read: {e}")))
}
