//! One host bundle in, one stored scan out.
//!
//! [`scan_path`] (a folder, a .zip or a single file, as `w2k8 scan` reads
//! them) and [`scan_bytes`] (an uploaded .zip, as `w2k8 serve` receives it)
//! load the bundle, assess it against the catalog, compute its install
//! plan, and describe the result as a [`ScanInput`] for the fleet store.
//! They never fail: a bundle that cannot be read becomes a failed scan with
//! its error, one that runs another Windows version an unsupported scan.
//!
//! The scan's digest is SHA-256 over the input bytes (a folder's files in
//! name order, each with its relative name and length), so that the store
//! can keep one scan per host and input.
#![deny(missing_docs)]

pub mod fleet;

use sha2::{Digest, Sha256};
use std::path::Path;
use w2k8_assess::plan::ErrorInfo;
use w2k8_assess::{NotAssessed, Options, PlanOptions};
use w2k8_catalog::Catalog;
use w2k8_core::Date;
use w2k8_fleet::ScanStatus;
use w2k8_inventory::{Host, LoadOptions};
use w2k8_store::{CveInput, MissingInput, ScanInput};

/// What `data/errors/hresults.csv` says about an error code, in the shape
/// the planner takes (its predicted failures quote it).
pub fn error_info(code: u32) -> Option<ErrorInfo> {
    let info = w2k8_diagnose::codes::lookup(code);
    if info.unknown {
        return None;
    }
    Some(ErrorInfo {
        symbol: info.symbols.first().cloned(),
        cause: info.cause_2008.or(info.meaning),
        fix: info.fix,
        source: info.sources.first().cloned(),
    })
}

/// A scan that has not been read yet: failed, with no facts.
fn blank(name: String, source: String, scanned_at: &str) -> ScanInput {
    ScanInput {
        name,
        product_id: None,
        source,
        digest: String::new(),
        scanned_at: scanned_at.to_string(),
        status: ScanStatus::Failed,
        error: None,
        product: None,
        edition: None,
        arch: None,
        server_core: None,
        build: None,
        kernel: None,
        patched_through: None,
        patched_through_at_least: None,
        unknown_cves: 0,
        unknown_kev: 0,
        counts_are_lower_bound: false,
        kbs: Vec::new(),
        missing: Vec::new(),
        cves: Vec::new(),
        plan: None,
    }
}

/// Lowercase hex of a digest.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A bundle's name without `.zip`: the host's name when the bundle gives none.
pub fn file_stem(p: &Path) -> String {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("bundle");
    name.strip_suffix(".zip").or_else(|| name.strip_suffix(".ZIP")).unwrap_or(name).to_string()
}

/// Feeds a folder's files into the digest: relative name and bytes, sorted
/// by name, recursively.
fn digest_folder(root: &Path, dir: &Path, h: &mut Sha256) -> std::io::Result<()> {
    let mut entries: Vec<std::path::PathBuf> =
        std::fs::read_dir(dir)?.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    for e in entries {
        if e.is_dir() {
            digest_folder(root, &e, h)?;
        } else {
            let rel = e.strip_prefix(root).unwrap_or(&e).to_string_lossy().replace('\\', "/");
            h.update(rel.as_bytes());
            h.update([0u8]);
            let bytes = std::fs::read(&e)?;
            h.update((bytes.len() as u64).to_le_bytes());
            h.update(&bytes);
        }
    }
    Ok(())
}

/// Loads, assesses, plans and describes the bundle at `path` (a folder, a
/// .zip or a single file); never fails (a failure is a scan).
pub fn scan_path(path: &Path, catalog: &Catalog, today: Date, scanned_at: &str) -> ScanInput {
    let source = path.display().to_string();
    let mut input = blank(file_stem(path), source.clone(), scanned_at);
    let opts = LoadOptions { lenient: true, ..LoadOptions::default() };
    let mut h = Sha256::new();
    let loaded = if path.is_dir() {
        match digest_folder(path, path, &mut h) {
            Ok(()) => w2k8_inventory::load(path, &opts).map_err(|e| w2k8_core::error_chain(&e)),
            Err(e) => Err(format!("{source}: cannot read: {e}")),
        }
    } else {
        match std::fs::read(path) {
            Ok(bytes) => {
                h.update(&bytes);
                let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("bundle");
                w2k8_inventory::bundle::load_bytes(name, &bytes, &opts).map_err(|e| w2k8_core::error_chain(&e))
            }
            Err(e) => Err(format!("{source}: cannot read: {e}")),
        }
    };
    input.digest = hex(&h.finalize());
    describe(input, loaded, catalog, today)
}

/// Loads, assesses, plans and describes a bundle received as bytes (a .zip,
/// or a single file) named `name`; `source` is recorded as where it came
/// from (e.g. `upload:srv01.zip`). Never fails (a failure is a scan).
pub fn scan_bytes(
    name: &str,
    bytes: &[u8],
    source: &str,
    catalog: &Catalog,
    today: Date,
    scanned_at: &str,
) -> ScanInput {
    let mut input = blank(file_stem(Path::new(name)), source.to_string(), scanned_at);
    input.digest = hex(&Sha256::digest(bytes));
    let opts = LoadOptions { lenient: true, ..LoadOptions::default() };
    let loaded = w2k8_inventory::bundle::load_bytes(name, bytes, &opts).map_err(|e| w2k8_core::error_chain(&e));
    describe(input, loaded, catalog, today)
}

/// Fills `input` from a loaded bundle (or its load error).
fn describe(mut input: ScanInput, loaded: Result<Host, String>, catalog: &Catalog, today: Date) -> ScanInput {
    let host = match loaded {
        Ok(h) => h,
        Err(e) => {
            input.error = Some(e);
            return input;
        }
    };
    if let Some(n) = host.facts.host_name.as_ref().map(|o| o.value.trim()).filter(|n| !n.is_empty()) {
        input.name = n.to_string();
    }
    input.product_id = host.facts.product_id.as_ref().map(|o| o.value.trim().to_string()).filter(|p| !p.is_empty());
    let a = match w2k8_assess::assess(&host, catalog, today, &Options::default()) {
        Ok(a) => a,
        Err(e) => {
            input.status =
                if matches!(e, NotAssessed::Unsupported(_)) { ScanStatus::Unsupported } else { ScanStatus::Failed };
            input.error = Some(e.to_string());
            return input;
        }
    };
    let s = &a.standing;
    input.status = ScanStatus::Ok;
    input.product = Some(s.product.clone());
    input.edition = s.edition.clone();
    input.arch = s.arch.map(|a| w2k8_store::filter::arch_str(a).to_string());
    input.server_core = s.server_core;
    input.build = s.build;
    input.kernel = s.kernel_revision.clone();
    input.patched_through = s.patched_through.clone();
    input.patched_through_at_least = s.patched_through_at_least.clone();
    let n = |c: usize| u32::try_from(c).unwrap_or(u32::MAX);
    input.unknown_cves = n(a.summary.unknown_cves);
    input.unknown_kev = n(a.summary.unknown_in_kev);
    input.counts_are_lower_bound = a.summary.counts_are_lower_bound;
    input.kbs = host.kbs().into_iter().collect();
    input.missing = a
        .missing
        .iter()
        .map(|m| MissingInput { kb: m.kb, title: m.title.clone(), kind: m.kind.as_str().to_string() })
        .collect();
    input.cves = a
        .exposure
        .iter()
        .map(|e| CveInput {
            cve: e.cve.to_string(),
            title: e.title.to_string(),
            severity: e.severity.as_str().to_string(),
            kev: e.kev.is_some(),
            ransomware: e.kev.as_ref().is_some_and(|k| k.ransomware),
            exploit: !e.exploits.is_empty(),
        })
        .collect();
    let plan = w2k8_assess::plan(&a, &host, catalog, &PlanOptions::default(), &error_info);
    input.plan = serde_json::to_string(&plan).ok();
    input
}
