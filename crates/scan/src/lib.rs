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
//! can keep one scan per host and input. A folder is read by the loader's
//! rules ([`w2k8_inventory::bundle::list_folder`]): only regular files, links
//! followed only inside the bundle, FIFOs and devices never opened; the
//! digest streams each file and reads at most
//! [`LoadOptions::max_file_size`] of one file and
//! [`LoadOptions::max_total_size`] of the folder (a file past either limit,
//! such as a huge `CBS.log` the assessment does not read, is digested by its
//! name and size). A single file must be a regular file within the limits.
//!
//! Files the loader left out (a file a strict load such as `w2k8 standing`
//! refuses, a FIFO, a link leaving the bundle) are named in the scan's
//! `error` text, also on an ok scan, so that the store, `hosts`, the fleet
//! report and the API show them.
//!
//! Every scan records the catalog it was judged with ([`catalog_label`])
//! and, when the bundle loaded, keeps its input: the files the loader read,
//! byte for byte ([`w2k8_inventory::bundle::kept`]), deflated. That is what
//! [`reassess`] judges again, with today's parsers and catalog, when newer
//! data is imported: the bundle itself is not needed.
#![deny(missing_docs)]

pub mod alike;
pub mod fleet;
pub mod reassess;

use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::Path;
use w2k8_assess::plan::ErrorInfo;
use w2k8_assess::{NotAssessed, Options, PlanOptions};
use w2k8_catalog::Catalog;
use w2k8_core::{Date, Timestamp};
use w2k8_fleet::ScanStatus;
use w2k8_inventory::bundle::kept::{self, Kept};
use w2k8_inventory::{bundle, Host, LoadOptions};
use w2k8_store::{CveInput, MissingInput, ScanInput};

/// What `data/errors/hresults.csv` says about an error code, in the shape
/// the planner takes (its predicted failures quote it).
pub fn error_info(code: u32) -> Option<ErrorInfo> {
    let info = w2k8_diagnose::codes::lookup_for_2008(code);
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
fn blank(name: String, source: String, scanned_at: Timestamp) -> ScanInput {
    ScanInput {
        name,
        product_id: None,
        source,
        digest: String::new(),
        scanned_at,
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
        reachable_kev: None,
        isolation: None,
        kbs: Vec::new(),
        missing: Vec::new(),
        cves: Vec::new(),
        plan: None,
        file_problems: Vec::new(),
        catalog: None,
        saved_input: None,
        reassessed_from: None,
    }
}

/// The catalog `catalog` names, as recorded with each scan: the embedded
/// data's versions, and the imported overlay's parts in use, e.g. `msrc
/// 2025-06-10, kev 2025.08.29, servicing 2025-09-01; imported kev
/// 2025.09.30`. Two catalogs with the same label judge alike.
pub fn catalog_label(catalog: &Catalog) -> String {
    let v = catalog.data_version();
    let mut out = format!("msrc {}, kev {}, servicing {}", v.msrc, v.kev, v.servicing);
    if let Some(info) = catalog.overlay_info() {
        let m = &info.manifest;
        let mut parts = Vec::new();
        if let Some(k) = m.kev.as_ref().filter(|_| info.kev_used) {
            parts.push(match &k.catalog_version {
                Some(version) => format!("kev {version}"),
                None => format!("kev csv {}", k.as_of),
            });
        }
        if let Some(msrc) = m.msrc.as_ref().filter(|_| info.msrc_used) {
            parts.push(format!("msrc {}", msrc.date));
        }
        if !parts.is_empty() {
            out.push_str("; imported ");
            out.push_str(&parts.join(", "));
        }
    }
    out
}

/// The stored form of a kept input: [`Kept::encode`] deflated.
pub fn pack_input(kept: &Kept) -> Vec<u8> {
    use std::io::Write;
    let raw = kept.encode();
    let mut enc = flate2::write::DeflateEncoder::new(Vec::with_capacity(raw.len() / 3), flate2::Compression::fast());
    // Writing to a Vec cannot fail.
    let _ = enc.write_all(&raw);
    enc.finish().unwrap_or_default()
}

/// Why a stored input cannot be read back.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    /// The stored bytes do not inflate.
    #[error("not deflate data")]
    Deflate(#[source] std::io::Error),
    /// They inflate to something that is not a saved input.
    #[error(transparent)]
    Decode(#[from] w2k8_inventory::bundle::kept::DecodeError),
}

/// A stored input read back ([`pack_input`]'s form).
///
/// # Errors
/// Why it cannot be read: not deflate data, or not a saved input of this
/// version.
pub fn unpack_input(body: &[u8]) -> Result<Kept, InputError> {
    use std::io::Read;
    let mut raw = Vec::with_capacity(body.len() * 4);
    flate2::read::DeflateDecoder::new(body).read_to_end(&mut raw).map_err(InputError::Deflate)?;
    Ok(Kept::decode(&raw)?)
}

/// A bundle's name without `.zip`: the host's name when the bundle gives none.
pub fn file_stem(p: &Path) -> String {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("bundle");
    name.strip_suffix(".zip").or_else(|| name.strip_suffix(".ZIP")).unwrap_or(name).to_string()
}

/// Feeds a bundle folder's files into the digest, in name order (compared
/// folder by folder): each file's relative name, size and bytes. Files are
/// streamed; one over the per-file limit, or past the folder's total, is
/// fed by name and size only. Nothing but regular files is opened.
fn digest_folder(root: &Path, opts: &LoadOptions, h: &mut Sha256) -> Result<(), w2k8_inventory::Error> {
    let mut listing = bundle::list_folder(root, opts)?;
    listing.files.sort_by(|a, b| a.name.split('/').cmp(b.name.split('/')));
    let mut budget = opts.max_total_size;
    for f in &listing.files {
        h.update(f.name.as_bytes());
        h.update([0u8]);
        h.update(f.size.to_le_bytes());
        if f.size > opts.max_file_size || f.size > budget {
            h.update(b"\0not read: over the size limit");
            continue;
        }
        let (file, _) = bundle::open_regular(&f.path, &f.name)?;
        // A file that grew since it was listed is cut at the size listed.
        let read = bundle::stream_limited(file.take(f.size), &f.name, f.size, &mut |chunk| h.update(chunk))?;
        budget = budget.saturating_sub(read);
    }
    Ok(())
}

/// Reads a single-file bundle (a .zip or one output file) into the digest
/// and loads it: a regular file only (a link to one is followed), a .zip
/// within [`LoadOptions::max_total_size`] (streamed into the digest, then
/// read by the loader from disk), another file within
/// [`LoadOptions::max_file_size`].
fn digest_and_load_file(
    path: &Path,
    label: &str,
    opts: &LoadOptions,
    h: &mut Sha256,
) -> Result<(Host, Kept), w2k8_inventory::Error> {
    let (mut file, len) = bundle::open_regular(path, label)?;
    let mut head = [0u8; 4];
    let head_len =
        file.read(&mut head).map_err(|e| w2k8_inventory::Error::Io { path: label.to_string(), source: e })?;
    let is_zip = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("zip"))
        || head.get(..head_len).is_some_and(|b| b.starts_with(b"PK\x03\x04") || b.starts_with(b"PK\x05\x06"));
    let limit = if is_zip { opts.max_total_size } else { opts.max_file_size };
    let mut cursor = std::io::Cursor::new(head.get(..head_len).unwrap_or_default()).chain(file);
    if is_zip {
        bundle::stream_limited(&mut cursor, label, limit, &mut |chunk| h.update(chunk))?;
        kept::load_keeping(path, opts)
    } else {
        // Refused before a byte more is read.
        bundle::check_size(label, len, limit)?;
        let bytes = bundle::read_limited(cursor, label, limit)?;
        h.update(&bytes);
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("bundle");
        kept::load_bytes_keeping(name, &bytes, opts)
    }
}

/// Loads, assesses, plans and describes the bundle at `path` (a folder, a
/// .zip or a single file); never fails (a failure is a scan).
pub fn scan_path(path: &Path, catalog: &Catalog, today: Date, scanned_at: Timestamp) -> ScanInput {
    scan_path_alike(path, catalog, today, scanned_at, None)
}

/// [`scan_path`], sharing the answer with the hosts that read alike
/// ([`alike`]) when `alike` is given.
pub fn scan_path_alike(
    path: &Path,
    catalog: &Catalog,
    today: Date,
    scanned_at: Timestamp,
    alike: Option<&alike::Alike>,
) -> ScanInput {
    let source = path.display().to_string();
    let mut input = blank(file_stem(path), source.clone(), scanned_at);
    let opts = LoadOptions { lenient: true, ..LoadOptions::default() };
    let mut h = Sha256::new();
    let loaded = match std::fs::metadata(path) {
        Err(e) => Err(format!("{source}: cannot read: {e}")),
        Ok(m) if m.is_dir() => match digest_folder(path, &opts, &mut h) {
            Ok(()) => kept::load_keeping(path, &opts).map_err(|e| w2k8_core::error_chain(&e)),
            Err(e) => Err(format!("{source}: cannot read: {}", w2k8_core::error_chain(&e))),
        },
        Ok(_) => digest_and_load_file(path, &source, &opts, &mut h).map_err(|e| w2k8_core::error_chain(&e)),
    };
    input.digest = w2k8_core::hash::hex(&h.finalize());
    describe_kept(input, loaded, catalog, today, alike)
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
    scanned_at: Timestamp,
) -> ScanInput {
    let mut input = blank(file_stem(Path::new(name)), source.to_string(), scanned_at);
    input.digest = w2k8_core::hash::hex(&Sha256::digest(bytes));
    let opts = LoadOptions { lenient: true, ..LoadOptions::default() };
    let loaded = kept::load_bytes_keeping(name, bytes, &opts).map_err(|e| w2k8_core::error_chain(&e));
    describe_kept(input, loaded, catalog, today, None)
}

/// [`describe`] a loaded bundle, keeping its input with the scan.
fn describe_kept(
    mut input: ScanInput,
    loaded: Result<(Host, Kept), String>,
    catalog: &Catalog,
    today: Date,
    alike: Option<&alike::Alike>,
) -> ScanInput {
    let host = loaded.map(|(host, kept)| {
        input.saved_input = Some(pack_input(&kept));
        host
    });
    match (host, alike) {
        (Ok(host), Some(alike)) => alike.describe(input, host, catalog, today),
        (host, _) => describe(input, host, catalog, today),
    }
}

/// An open CVE as the store takes it, from the catalog's entry at position
/// `i` (what [`describe`] records of an exposure, which is made from that
/// entry), its strings shared.
pub(crate) fn cve_input_at(catalog: &Catalog, i: usize) -> Option<CveInput> {
    let c = catalog.cves().get(i)?;
    Some(CveInput {
        text: catalog.cve_strings(i)?.clone(),
        kev: c.kev.is_some(),
        ransomware: c.kev.as_ref().is_some_and(|k| k.ransomware),
        exploit: !c.exploits.is_empty(),
    })
}

/// An open CVE as the store takes it, from the exposure `assess` found; the
/// catalog's shared text at the exposure's catalog position when it is the
/// exposure's (it is: an exposure is made from the catalog's entry).
fn cve_input_of(catalog: &Catalog, e: &w2k8_assess::Exposure<'_>) -> CveInput {
    let shared = catalog
        .cve_strings(e.catalog_index as usize)
        .filter(|s| s.id == e.cve && &*s.title == e.title && &*s.severity == e.severity.as_str());
    let text = match shared {
        Some(s) => s.clone(),
        None => std::sync::Arc::new(w2k8_core::CveText {
            id: e.cve,
            title: e.title.into(),
            severity: e.severity.as_str().into(),
        }),
    };
    CveInput {
        text,
        kev: e.kev.is_some(),
        ransomware: e.kev.as_ref().is_some_and(|k| k.ransomware),
        exploit: !e.exploits.is_empty(),
    }
}

/// The files the loader left out, as the scan's `error` text (also on an ok
/// scan): `files not read: qfe.txt: not read: ...; pipe.txt: a FIFO ...`.
fn file_problems(host: &Host) -> Option<String> {
    if host.file_problems.is_empty() {
        return None;
    }
    let list: Vec<String> = host.file_problems.iter().map(|p| p.to_string()).collect();
    Some(format!("files not read: {}", list.join("; ")))
}

/// Fills `input` from a loaded bundle (or its load error), judged with
/// `catalog` (recorded as its label).
pub(crate) fn describe(
    mut input: ScanInput,
    loaded: Result<Host, String>,
    catalog: &Catalog,
    today: Date,
) -> ScanInput {
    input.catalog = Some(catalog_label(catalog));
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
    input.error = file_problems(&host);
    input.file_problems = host
        .file_problems
        .iter()
        .map(|p| w2k8_store::FileProblem { file: p.file.clone(), problem: p.problem.clone() })
        .collect();
    input.product_id = host.facts.product_id.as_ref().map(|o| o.value.trim().to_string()).filter(|p| !p.is_empty());
    let a = match w2k8_assess::assess(&host, catalog, today, &Options::default()) {
        Ok(a) => a,
        Err(e) => {
            input.status =
                if matches!(e, NotAssessed::Unsupported(_)) { ScanStatus::Unsupported } else { ScanStatus::Failed };
            input.error = Some(match input.error.take() {
                Some(files) => format!("{e}; {files}"),
                None => e.to_string(),
            });
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
    input.kernel = s.kernel_revision.map(|k| k.to_string());
    input.patched_through = s.patched_through;
    input.patched_through_at_least = s.patched_through_at_least;
    let n = |c: usize| u32::try_from(c).unwrap_or(u32::MAX);
    input.unknown_cves = n(a.summary.unknown_cves);
    input.unknown_kev = n(a.summary.unknown_in_kev);
    input.counts_are_lower_bound = a.summary.counts_are_lower_bound;
    input.kbs = host.kbs().into_iter().collect();
    input.missing = a.missing.iter().map(|m| MissingInput { kb: m.kb, title: m.title.clone(), kind: m.kind }).collect();
    input.cves = a.exposure.iter().map(|e| cve_input_of(catalog, e)).collect();
    input.reachable_kev = a.summary.reachable_kev.map(n);
    let plan = w2k8_assess::plan(&a, &host, catalog, &PlanOptions::default(), &error_info);
    input.isolation = Some(isolation_of(&plan.isolation, &input.cves));
    input.plan = serde_json::to_string(&plan).ok();
    input
}

/// A plan's isolation steps as the fleet store keeps them: each step's
/// reachable KEV CVEs named (`cves` says which open CVEs are in KEV), the
/// others counted, commands left to the plan.
pub fn isolation_of(iso: &w2k8_assess::isolation::Isolation, cves: &[CveInput]) -> w2k8_fleet::HostIsolation {
    let kev: std::collections::HashSet<w2k8_core::CveId> = cves.iter().filter(|c| c.kev).map(|c| c.cve()).collect();
    let n = |c: usize| u32::try_from(c).unwrap_or(u32::MAX);
    w2k8_fleet::HostIsolation {
        steps: iso
            .steps
            .iter()
            .map(|s| {
                let (in_kev, other): (Vec<w2k8_core::CveId>, Vec<w2k8_core::CveId>) =
                    s.cves.iter().partition(|c| kev.contains(c));
                w2k8_fleet::HostIsolationStep {
                    id: s.id.clone(),
                    component: s.component.clone(),
                    effect: s.effect.as_str().to_string(),
                    kev: in_kev,
                    other_cves: n(other.len()),
                    restart: s.restart,
                    left_out_for_role: s.role_warning.is_some(),
                }
            })
            .collect(),
        not_judged: n(iso.not_judged.len()),
        no_step_known: n(iso.no_step_known.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use w2k8_inventory::bundle::kept::DecodeError;

    /// A stored input that does not read says why, with its cause kept.
    #[test]
    fn an_unreadable_input_keeps_its_cause() {
        // A deflate stream whose first block has the reserved type 3.
        let e = unpack_input(&[0x07]).unwrap_err();
        assert!(matches!(e, InputError::Deflate(_)), "{e:?}");
        assert!(std::error::Error::source(&e).is_some());
        let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut enc, b"something else").unwrap();
        let e = unpack_input(&enc.finish().unwrap()).unwrap_err();
        assert!(matches!(e, InputError::Decode(DecodeError::Format)), "{e:?}");
        assert_eq!(e.to_string(), "expected a saved input of format 1 (`w2k8-kept-input 1`)");
    }
}
