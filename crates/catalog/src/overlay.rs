//! Keeping the catalog current, offline: an *overlay* of newer data that an
//! administrator imports from files downloaded on another machine, stored
//! in the user's data directory and merged over the embedded catalog by
//! [`Catalog::current`] and [`Catalog::with_overlay`].
//!
//! Files [`import`] accepts:
//!
//! - the CISA KEV catalog as CSV (`known_exploited_vulnerabilities.csv`,
//!   columns found by name: `cveID`, `vendorProject`, `product`,
//!   `vulnerabilityName`, `dateAdded`, `dueDate`, `knownRansomwareCampaignUse`;
//!   the feed's other columns are ignored) or JSON
//!   (`known_exploited_vulnerabilities.json`: `catalogVersion`,
//!   `dateReleased`, `count`, `vulnerabilities`). Only `vendorProject`
//!   Microsoft entries are kept, as in the embedded data.
//! - WES-NG definitions: `definitions.zip` (its `CVEs_YYYYMMDD.csv`; the
//!   `Custom_*.csv` and `Version_*.txt` members are not used, as for the
//!   embedded data) or that CSV itself, named `CVEs_YYYYMMDD.csv`. Only rows
//!   whose `AffectedProduct` names Windows Server 2008 / 2008 R2 are kept.
//!
//! Every file is validated (header, ids, dates: a bad one is refused with
//! `file:line: expected ...`), must be newer than what the catalog already
//! has (KEV: its `catalogVersion`, or for a CSV, which carries no version,
//! its newest `dateAdded`; WES-NG: the `YYYYMMDD` of `CVEs_YYYYMMDD.csv`),
//! and a WES-NG file must be complete (at least 95% of the rows the catalog
//! was built from), because its records replace the catalog's. If any file
//! is refused, nothing is written.
//!
//! How newer data is merged: KEV entries are added or replace the entry of
//! the same CVE; WES-NG rows are compiled into update and CVE records by the
//! same code as the embedded data (`compile.rs`, together with the embedded
//! servicing table), and every record that differs from the catalog's (its
//! sources aside) is added or replaces it. Records the new file no longer
//! names are kept. The overlay stores only those records.
//!
//! Layout, in `<data dir>/overlay/`: `manifest.json` (format version, what
//! was imported when, counts) names a `records-N.json` holding the records.
//! Both are written to a temporary file and renamed into place, records
//! first, so a crash leaves either the old overlay or the new one, never
//! half of one. An overlay part that is not newer than the embedded data
//! (after an upgrade of w2k8) is not used, and [`OverlayInfo::notes`] says so.
use crate::compile;
use crate::load;
use crate::model::{Cve, Kev, Update};
use crate::{data_version, Catalog};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use w2k8_core::{CveId, Date};

/// The overlay's on-disk format version (`manifest.json` `format`).
pub const FORMAT: u32 = 1;

/// Number of MSRC rows the embedded catalog was built from.
pub fn embedded_msrc_rows() -> usize {
    env!("W2K8_MSRC_ROWS").parse().unwrap_or(0)
}

/// Why an import was refused, or why an overlay cannot be read or written.
#[derive(Debug, thiserror::Error)]
pub enum OverlayError {
    /// An imported file is malformed: `file:line: expected ...`.
    #[error("{0}")]
    BadFile(String),
    /// An imported file is not newer than the catalog's data (or is partial).
    #[error("{0}")]
    NotNewer(String),
    /// The overlay on disk is damaged or of another format, or cannot be
    /// encoded: what, where and what to do.
    #[error("{0}")]
    Store(String),
    /// A file could not be read or written. `Display` is the context alone
    /// (`PATH: cannot read`); the system's error is the source
    /// (`w2k8_core::error_chain` gives both).
    #[error("{what}")]
    Io {
        /// The file and what was being done to it.
        what: String,
        /// The system's error.
        #[source]
        source: std::io::Error,
    },
}

/// [`OverlayError::Io`]: `path` with what was being done (`cannot read`).
fn io(path: &Path, doing: &str, source: std::io::Error) -> OverlayError {
    OverlayError::Io { what: format!("{}: {doing}", path.display()), source }
}

fn store(what: impl std::fmt::Display) -> OverlayError {
    OverlayError::Store(what.to_string())
}

/// The default data directory: `$W2K8_DATA_DIR` if set, else the platform's
/// user data directory: `%APPDATA%\w2k8` on Windows,
/// `~/Library/Application Support/w2k8` on macOS, `$XDG_DATA_HOME/w2k8` or
/// `~/.local/share/w2k8` elsewhere. `None` if none of these variables is set.
pub fn default_data_dir() -> Option<PathBuf> {
    let var = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(d) = var("W2K8_DATA_DIR") {
        return Some(d);
    }
    if cfg!(windows) {
        return var("APPDATA").map(|a| a.join("w2k8"));
    }
    if cfg!(target_os = "macos") {
        return var("HOME").map(|h| h.join("Library").join("Application Support").join("w2k8"));
    }
    if let Some(x) = var("XDG_DATA_HOME").filter(|x| x.is_absolute()) {
        return Some(x.join("w2k8"));
    }
    var("HOME").map(|h| h.join(".local").join("share").join("w2k8"))
}

/// The overlay directory inside a data directory: `<data_dir>/overlay`.
pub fn overlay_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("overlay")
}

fn manifest_path(data_dir: &Path) -> PathBuf {
    overlay_dir(data_dir).join("manifest.json")
}

/// What an overlay holds and where it came from (`manifest.json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`FORMAT`].
    pub format: u32,
    /// The records file in the overlay directory, e.g. `records-3.json`.
    pub records: String,
    /// The day the overlay was last written.
    pub written: Date,
    /// The embedded data the overlay was computed against (MSRC date, KEV version).
    pub base: String,
    /// The newest KEV data imported, if any.
    pub kev: Option<KevPart>,
    /// The newest WES-NG definitions imported, if any.
    pub msrc: Option<MsrcPart>,
    /// Every accepted import, oldest first.
    pub imports: Vec<ImportEntry>,
    /// What the records file holds.
    pub counts: Counts,
}

/// The KEV part of an overlay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KevPart {
    /// CISA's `catalogVersion` (JSON feed), e.g. `2025.09.02`; `None` for a CSV.
    pub catalog_version: Option<String>,
    /// The date the data is as of: the catalog version, or for a CSV its newest `dateAdded`.
    pub as_of: Date,
    /// The newest `dateAdded` of the file's Microsoft entries.
    pub newest_added: Date,
    /// Microsoft entries in the file.
    pub entries: usize,
    /// The file, as given.
    pub file: String,
    /// The day it was imported.
    pub imported: Date,
}

/// The WES-NG (MSRC) part of an overlay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MsrcPart {
    /// The definitions date (`CVEs_YYYYMMDD.csv`).
    pub date: Date,
    /// Windows Server 2008 / 2008 R2 rows in the file.
    pub rows: usize,
    /// The file, as given (with the zip member, if any).
    pub file: String,
    /// The day it was imported.
    pub imported: Date,
}

/// One accepted import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportEntry {
    /// The file, as given.
    pub file: String,
    /// `kev` or `msrc`.
    pub kind: String,
    /// The date its data is as of.
    pub as_of: Date,
    /// The day it was imported.
    pub imported: Date,
    /// What it changed, in words.
    pub summary: String,
}

/// Counts of an overlay's records.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Products not in the embedded catalog.
    pub products_added: usize,
    /// Update records added.
    pub updates_added: usize,
    /// Update records that replace embedded ones.
    pub updates_replaced: usize,
    /// CVE records added.
    pub cves_added: usize,
    /// CVE records that replace embedded ones.
    pub cves_replaced: usize,
    /// KEV entries added.
    pub kev_added: usize,
    /// KEV entries that replace embedded ones.
    pub kev_replaced: usize,
}

/// The records file: product names (what the `u16` product indices of the
/// records refer to) and the records that differ from the embedded catalog.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Records {
    pub products: Vec<String>,
    pub updates: Vec<Update>,
    pub cves: Vec<Cve>,
    pub kev: Vec<Kev>,
}

/// An overlay as applied to a catalog: where it is, its manifest, and which
/// parts are in use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverlayInfo {
    /// The data directory.
    pub data_dir: PathBuf,
    /// The manifest.
    pub manifest: Manifest,
    /// True if its KEV entries are merged.
    pub kev_used: bool,
    /// True if its update and CVE records are merged.
    pub msrc_used: bool,
    /// Why a part is not used (older than the embedded data), in words.
    pub notes: Vec<String>,
}

/// What an overlay contributes to a [`Catalog`]: records with product
/// indices already mapped to the catalog's.
#[derive(Debug, Default)]
pub(crate) struct Applied {
    pub info: Option<OverlayInfo>,
    pub cves: Vec<Cve>,
    pub kev: Vec<Kev>,
}

/// Reads the manifest of the overlay in `data_dir`; `Ok(None)` if there is none.
pub fn read_manifest(data_dir: &Path) -> Result<Option<Manifest>, OverlayError> {
    let path = manifest_path(data_dir);
    let text = match std::fs::read(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io(&path, "cannot read", e)),
    };
    let m: Manifest = serde_json::from_slice(&text).map_err(|e| {
        store(format!(
            "{}:{}: expected an overlay manifest: {e}; delete the overlay directory and import again",
            path.display(),
            e.line()
        ))
    })?;
    if m.format != FORMAT {
        return Err(store(format!(
            "{}: overlay format {} is not the format {FORMAT} this w2k8 writes; delete the overlay directory and import again",
            path.display(),
            m.format
        )));
    }
    Ok(Some(m))
}

fn read_records(data_dir: &Path, m: &Manifest) -> Result<Records, OverlayError> {
    let name = &m.records;
    if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
        return Err(store(format!(
            "{}: records: expected a file name, found {name:?}",
            manifest_path(data_dir).display()
        )));
    }
    let path = overlay_dir(data_dir).join(name);
    let text = std::fs::read(&path).map_err(|e| io(&path, "cannot read", e))?;
    serde_json::from_slice(&text).map_err(|e| {
        store(format!(
            "{}:{}: expected overlay records: {e}; delete the overlay directory and import again",
            path.display(),
            e.line()
        ))
    })
}

/// The KEV "as of" date of the embedded catalog (its catalog version).
fn embedded_kev_as_of() -> Date {
    data_version().kev_date
}

fn base_label() -> String {
    let v = data_version();
    format!("MSRC {} / KEV {}", v.msrc, v.kev)
}

/// Loads the overlay of `data_dir` into `cat` (the embedded catalog, freshly
/// decoded). Updates are put into their slots; CVE and KEV records are kept
/// for the CVE tables, which merge them on first use.
pub(crate) fn apply(cat: &mut Catalog, data_dir: &Path) -> Result<(), OverlayError> {
    let Some(manifest) = read_manifest(data_dir)? else { return Ok(()) };
    let records = read_records(data_dir, &manifest)?;
    let (kev_used, msrc_used, notes) = parts_in_use(&manifest);
    let mut cves = Vec::new();
    if msrc_used {
        let map = map_products(cat, &records.products)?;
        apply_updates(cat, records.updates, &map)?;
        cves = remap_cves(records.cves, &map)?;
    }
    let kev = if kev_used { records.kev } else { Vec::new() };
    cat.overlay = Applied {
        info: Some(OverlayInfo { data_dir: data_dir.to_path_buf(), manifest, kev_used, msrc_used, notes }),
        cves,
        kev,
    };
    cat.instance = crate::next_instance();
    Ok(())
}

/// Which parts of an overlay are used (KEV, WES-NG): those newer than the
/// embedded data; and why a part is not, in words.
fn parts_in_use(manifest: &Manifest) -> (bool, bool, Vec<String>) {
    let v = data_version();
    let mut notes = Vec::new();
    let kev_used = match &manifest.kev {
        Some(k) if k.as_of > embedded_kev_as_of() => true,
        Some(k) => {
            notes.push(format!(
                "the overlay's KEV data (as of {}) is not newer than the embedded KEV {}: not used",
                k.as_of, v.kev
            ));
            false
        }
        None => false,
    };
    let msrc_used = match &manifest.msrc {
        Some(m) if m.date > v.msrc => true,
        Some(m) => {
            notes.push(format!(
                "the overlay's WES-NG definitions of {} are not newer than the embedded {}: not used",
                m.date, v.msrc
            ));
            false
        }
        None => false,
    };
    (kev_used, msrc_used, notes)
}

/// Maps the overlay's product indices (its product `names`) to the
/// catalog's, adding new products.
fn map_products(cat: &mut Catalog, names: &[String]) -> Result<Vec<u16>, OverlayError> {
    let mut map: Vec<u16> = Vec::with_capacity(names.len());
    for name in names {
        let i = match cat.products.iter().position(|p| &p.name == name) {
            Some(i) => i,
            None => {
                let p = crate::Product::parse(name).ok_or_else(|| {
                    store(format!("overlay records: expected a Windows Server 2008 product name, found {name:?}"))
                })?;
                cat.products.push(p);
                cat.products.len() - 1
            }
        };
        map.push(u16::try_from(i).map_err(|_| store("overlay records: too many products"))?);
    }
    Ok(map)
}

/// The catalog's index of overlay product `i`, by `map` (see [`map_products`]).
fn remap_product(map: &[u16], i: u16) -> Result<u16, OverlayError> {
    map.get(usize::from(i)).copied().ok_or_else(|| store(format!("overlay records: product index {i} out of range")))
}

/// Puts the overlay's updates into the catalog's slots: in the slot of their
/// KB, or in new slots (kept sorted by KB).
fn apply_updates(cat: &mut Catalog, updates: Vec<Update>, map: &[u16]) -> Result<(), OverlayError> {
    let mut extra: Vec<(load::Slot, Update)> = Vec::new();
    for mut u in updates {
        u.products = u.products.iter().map(|&p| remap_product(map, p)).collect::<Result<_, _>>()?;
        match cat.slots.binary_search_by(|s| s.kb.cmp(&u.kb)) {
            Ok(i) => {
                if let Some(s) = cat.slots.get_mut(i) {
                    s.kind = u.kind;
                    s.overlay = true;
                }
                if let Some(c) = cat.cells.get_mut(i) {
                    *c = std::sync::OnceLock::from(Some(u));
                }
            }
            Err(_) => {
                extra.push((load::Slot { kb: u.kb, kind: u.kind, start: 0, end: 0, overlay: true }, u));
            }
        }
    }
    if !extra.is_empty() {
        let old_slots = std::mem::take(&mut cat.slots);
        let old_cells = std::mem::take(&mut cat.cells);
        let mut all: Vec<(load::Slot, std::sync::OnceLock<Option<Update>>)> =
            old_slots.into_iter().zip(old_cells).collect();
        all.extend(extra.into_iter().map(|(s, u)| (s, std::sync::OnceLock::from(Some(u)))));
        all.sort_by_key(|(s, _)| s.kb);
        all.dedup_by_key(|(s, _)| s.kb);
        (cat.slots, cat.cells) = all.into_iter().unzip();
    }
    Ok(())
}

/// The overlay's CVE records with the catalog's product indices (fixes sorted).
fn remap_cves(records: Vec<Cve>, map: &[u16]) -> Result<Vec<Cve>, OverlayError> {
    let mut cves = Vec::new();
    for mut c in records {
        for f in &mut c.fixes {
            f.product = remap_product(map, f.product)?;
        }
        c.affected = c.affected.iter().map(|&p| remap_product(map, p)).collect::<Result<_, _>>()?;
        c.fixes.sort_by_key(|f| (f.kb, f.posted, f.product));
        cves.push(c);
    }
    Ok(cves)
}

/// Merges overlay CVE and KEV records into decoded CVE tables (sorted by
/// key), and attaches each CVE's KEV entry.
pub(crate) fn merge_cves(cves: &mut Vec<Cve>, ids: &mut Vec<CveId>, kev: &mut Vec<Kev>, o: &Applied) {
    if o.cves.is_empty() && o.kev.is_empty() {
        return;
    }
    for k in &o.kev {
        match kev.iter_mut().find(|e| e.cve == k.cve) {
            Some(e) => *e = k.clone(),
            None => kev.push(k.clone()),
        }
    }
    if !o.cves.is_empty() {
        let mut by_id: BTreeMap<CveId, Cve> = ids.iter().copied().zip(std::mem::take(cves)).collect();
        for c in &o.cves {
            by_id.insert(c.id, c.clone());
        }
        (*ids, *cves) = by_id.into_iter().unzip();
    }
    let by_id: HashMap<CveId, &Kev> = kev.iter().map(|k| (k.cve, k)).collect();
    for c in cves.iter_mut() {
        let entry = by_id.get(&c.id).map(|&k| Box::new(k.clone()));
        if entry != c.kev {
            c.sources.truncate(1);
            if let Some(k) = &entry {
                c.sources.push(k.source.clone());
            }
            c.kev = entry;
        }
    }
}

// ---------------------------------------------------------------- import

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    /// One line per imported file.
    pub lines: Vec<String>,
    /// One line per file the catalog holds already (the same version, no
    /// record that differs): nothing to import, not an error.
    pub current: Vec<String>,
    /// Whether the overlay was written (false when every file was current).
    pub changed: bool,
    /// The overlay's manifest after the import.
    pub manifest: Manifest,
    /// Where it was written.
    pub dir: PathBuf,
}

/// A parsed KEV file.
struct KevFile {
    file: String,
    version: Option<String>,
    as_of: Date,
    newest_added: Date,
    entries: Vec<Kev>,
}

/// A parsed WES-NG file.
struct MsrcFile {
    file: String,
    label: String,
    date: Date,
    text: Vec<u8>,
}

enum Parsed {
    Kev(KevFile),
    Msrc(MsrcFile),
}

fn bad(msg: impl std::fmt::Display) -> OverlayError {
    OverlayError::BadFile(msg.to_string())
}

fn date_of(packed: u64) -> Option<Date> {
    let (y, m, d) = crate::wire::unpack_date(packed);
    Date::new(i32::try_from(y).ok()?, m, d)
}

/// `CVEs_YYYYMMDD.csv` -> its date.
fn wesng_date(name: &str) -> Option<Date> {
    let base = name.rsplit(['/', '\\']).next()?;
    let digits = base.strip_prefix("CVEs_")?.strip_suffix(".csv")?;
    if digits.len() != 8 {
        return None;
    }
    digits.parse().ok()
}

/// The largest file `import` reads, and the largest CSV it unpacks from a
/// zip: 256 MiB. The files it takes are far smaller (the KEV feed is about
/// 1.5 MB, WES-NG's `CVEs_*.csv` some tens of MB); the limit bounds memory
/// against a zip bomb (a 2 MB zip holding a 2 GiB CSV).
pub const MAX_IMPORT_SIZE: u64 = 256 * 1024 * 1024;

/// Reads `r` whole, refusing it once it passes `limit` bytes (never holding
/// more than `limit + 1`); `what` names it in the error.
fn read_bounded(r: impl Read, what: &str, limit: u64) -> Result<Vec<u8>, OverlayError> {
    let mut buf = Vec::new();
    r.take(limit.saturating_add(1)).read_to_end(&mut buf).map_err(|e| bad(format!("{what}: cannot read: {e}")))?;
    if buf.len() as u64 > limit {
        return Err(too_big(what, limit));
    }
    Ok(buf)
}

fn too_big(what: &str, limit: u64) -> OverlayError {
    bad(format!(
        "{what}: larger than the {} MiB an import may hold (KEV and WES-NG files are far smaller): refused",
        limit / (1024 * 1024)
    ))
}

fn parse_file(path: &Path, imported: Date) -> Result<Parsed, OverlayError> {
    parse_file_within(path, imported, MAX_IMPORT_SIZE)
}

/// The file at `path` read whole within `limit`: how messages show it, its
/// file name, its bytes.
fn read_input(path: &Path, limit: u64) -> Result<(String, String, Vec<u8>), OverlayError> {
    let shown = path.display().to_string();
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| shown.clone());
    let file = std::fs::File::open(path).map_err(|e| bad(format!("{shown}: cannot read: {e}")))?;
    let bytes = read_bounded(file, &shown, limit)?;
    Ok((shown, name, bytes))
}

fn parse_file_within(path: &Path, imported: Date, limit: u64) -> Result<Parsed, OverlayError> {
    let (shown, name, bytes) = read_input(path, limit)?;
    if bytes.starts_with(b"PK\x03\x04") {
        return parse_zip(&shown, &name, &bytes, limit);
    }
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let first = text.iter().position(|&b| !b.is_ascii_whitespace()).and_then(|i| text.get(i));
    if first == Some(&b'{') {
        return parse_kev_json(&shown, &name, text, imported).map(Parsed::Kev);
    }
    let head_end = text.iter().position(|&b| b == b'\n').unwrap_or(text.len());
    let head = String::from_utf8_lossy(text.get(..head_end).unwrap_or(&[]));
    if head.contains("cveID") {
        return parse_kev_csv(&shown, &name, text, imported).map(Parsed::Kev);
    }
    if head.contains("DatePosted") {
        let date = wesng_date(&name).ok_or_else(|| {
            bad(format!(
                "{shown}: expected WES-NG's file name CVEs_YYYYMMDD.csv (the date of the definitions); \
                 import definitions.zip as downloaded, or keep the name it has inside the zip"
            ))
        })?;
        return Ok(Parsed::Msrc(MsrcFile { file: shown, label: name, date, text: text.to_vec() }));
    }
    Err(bad(format!(
        "{shown}:1: expected a CISA KEV CSV (header with cveID, vendorProject, ...), the KEV JSON feed, \
         a WES-NG definitions.zip, or its CVEs_YYYYMMDD.csv (header DatePosted, CVE, BulletinKB, ...)"
    )))
}

fn parse_zip(shown: &str, name: &str, bytes: &[u8], limit: u64) -> Result<Parsed, OverlayError> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| bad(format!("{shown}: expected a zip archive: {e}")))?;
    let mut found: Vec<(usize, String, Date)> = Vec::new();
    for i in 0..zip.len() {
        let Ok(f) = zip.by_index_raw(i) else { continue };
        let member = f.name().to_string();
        if let Some(d) = wesng_date(&member) {
            found.push((i, member, d));
        }
    }
    let (index, member, date) = match found.as_slice() {
        [one] => one.clone(),
        [] => {
            return Err(bad(format!(
                "{shown}: expected a WES-NG definitions.zip holding one CVEs_YYYYMMDD.csv, found none"
            )))
        }
        more => {
            let names: Vec<&str> = more.iter().map(|(_, n, _)| n.as_str()).collect();
            return Err(bad(format!(
                "{shown}: expected a WES-NG definitions.zip holding one CVEs_YYYYMMDD.csv, found {names:?}"
            )));
        }
    };
    let f = zip.by_index(index).map_err(|e| bad(format!("{shown}: {member}: cannot read: {e}")))?;
    let what = format!("{shown}: {member}");
    // The declared size first (nothing is unpacked), then the bytes as they
    // come: a header may lie.
    if f.size() > limit {
        return Err(too_big(&what, limit));
    }
    let text = read_bounded(f, &what, limit)?;
    let member_name = member.rsplit(['/', '\\']).next().unwrap_or(&member).to_string();
    Ok(Parsed::Msrc(MsrcFile {
        file: format!("{shown} ({member})"),
        label: format!("{name}/{member_name}"),
        date,
        text,
    }))
}

fn kev_from_row(strings: &compile::Interner, r: &compile::KevRow, source: String) -> Option<Kev> {
    Some(Kev {
        cve: r.id,
        vendor: strings.get(r.vendor).to_string(),
        product: strings.get(r.product).to_string(),
        date_added: date_of(r.added)?,
        due_date: if r.due == 0 { None } else { date_of(r.due) },
        name: strings.get(r.name).to_string(),
        ransomware: r.ransomware,
        source,
    })
}

fn parse_kev_csv(shown: &str, name: &str, text: &[u8], imported: Date) -> Result<KevFile, OverlayError> {
    let mut strings = compile::Interner::default();
    let rows = compile::read_kev(shown, text, false, Some("Microsoft"), &mut strings).map_err(bad)?;
    let mut entries = Vec::with_capacity(rows.len());
    for r in &rows {
        let source = format!("{name}:{} (imported {imported})", r.line);
        entries.push(
            kev_from_row(&strings, r, source).ok_or_else(|| bad(format!("{shown}:{}: expected a date", r.line)))?,
        );
    }
    let newest = entries
        .iter()
        .map(|k| k.date_added)
        .max()
        .ok_or_else(|| bad(format!("{shown}: expected KEV entries of vendorProject \"Microsoft\", found none")))?;
    Ok(KevFile { file: shown.to_string(), version: None, as_of: newest, newest_added: newest, entries })
}

/// `2025.08.25` -> the date.
fn catalog_version_date(v: &str) -> Option<Date> {
    let b = v.as_bytes();
    if v.len() != 10 || b.get(4) != Some(&b'.') || b.get(7) != Some(&b'.') {
        return None;
    }
    v.replace('.', "-").parse().ok()
}

fn parse_kev_json(shown: &str, name: &str, text: &[u8], imported: Date) -> Result<KevFile, OverlayError> {
    let v: serde_json::Value = serde_json::from_slice(text)
        .map_err(|e| bad(format!("{shown}:{}: expected the CISA KEV JSON feed: {e}", e.line())))?;
    let (version, as_of, list) = kev_json_header(shown, &v)?;
    let feed = KevJson { shown, name, version, imported };
    let mut entries = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, e) in list.iter().enumerate() {
        if let Some(k) = feed.entry(i, e, &mut seen)? {
            entries.push(k);
        }
    }
    let newest = entries
        .iter()
        .map(|k| k.date_added)
        .max()
        .ok_or_else(|| bad(format!("{shown}: expected KEV entries of vendorProject \"Microsoft\", found none")))?;
    if newest > as_of {
        return Err(bad(format!("{shown}: catalogVersion {version} is older than its newest dateAdded {newest}")));
    }
    Ok(KevFile { file: shown.to_string(), version: Some(version.to_string()), as_of, newest_added: newest, entries })
}

/// The KEV JSON feed's `catalogVersion`, its date, and its `vulnerabilities`
/// list (checked against `count` when there is one).
fn kev_json_header<'v>(
    shown: &str,
    v: &'v serde_json::Value,
) -> Result<(&'v str, Date, &'v Vec<serde_json::Value>), OverlayError> {
    let version = v
        .get("catalogVersion")
        .and_then(|c| c.as_str())
        .ok_or_else(|| bad(format!("{shown}: expected the CISA KEV JSON feed with a \"catalogVersion\"")))?;
    let as_of = catalog_version_date(version)
        .ok_or_else(|| bad(format!("{shown}: catalogVersion: expected YYYY.MM.DD, found {version:?}")))?;
    let list = v
        .get("vulnerabilities")
        .and_then(|l| l.as_array())
        .ok_or_else(|| bad(format!("{shown}: expected a \"vulnerabilities\" list")))?;
    if let Some(n) = v.get("count") {
        if n.as_u64() != Some(list.len() as u64) {
            return Err(bad(format!(
                "{shown}: count: expected {} (the number of vulnerabilities), found {n}",
                list.len()
            )));
        }
    }
    Ok((version, as_of, list))
}

/// What every entry of one KEV JSON feed is read against.
struct KevJson<'a> {
    /// The file as shown in messages.
    shown: &'a str,
    /// The file's name, for each entry's source.
    name: &'a str,
    /// The feed's `catalogVersion`.
    version: &'a str,
    /// The day of the import.
    imported: Date,
}

impl KevJson<'_> {
    /// Entry `i` of the `vulnerabilities` list: a [`Kev`] for a Microsoft
    /// entry, `None` for another vendor's; `seen` maps CVEs to their index.
    fn entry(
        &self,
        i: usize,
        e: &serde_json::Value,
        seen: &mut HashMap<String, usize>,
    ) -> Result<Option<Kev>, OverlayError> {
        let field = |k: &str| e.get(k).and_then(|x| x.as_str()).unwrap_or("").trim();
        let at = format!("{}: vulnerabilities[{i}]", self.shown);
        if !e.is_object() {
            return Err(bad(format!("{at}: expected an object")));
        }
        if field("vendorProject") != "Microsoft" {
            return Ok(None);
        }
        let compile::KevFields { id, added, due, ransomware } = compile::kev_fields(
            field("cveID"),
            field("dateAdded"),
            field("dueDate"),
            field("knownRansomwareCampaignUse"),
        )
        .map_err(|m| bad(format!("{at}: {m}")))?;
        if let Some(first) = seen.insert(field("cveID").to_string(), i) {
            return Err(bad(format!("{at}: {} is listed twice (first at vulnerabilities[{first}])", field("cveID"))));
        }
        let date_added = date_of(added).ok_or_else(|| bad(format!("{at}: dateAdded: expected a date")))?;
        Ok(Some(Kev {
            cve: id,
            vendor: field("vendorProject").to_string(),
            product: field("product").to_string(),
            date_added,
            due_date: if due == 0 { None } else { date_of(due) },
            name: field("vulnerabilityName").to_string(),
            ransomware,
            source: format!("{}: vulnerabilities[{i}], KEV {} (imported {})", self.name, self.version, self.imported),
        }))
    }
}

/// Records compiled from WES-NG rows, with the product names their indices refer to.
pub(crate) struct Compiled {
    /// The product names the records' indices refer to.
    pub(crate) products: Vec<String>,
    /// The update records (the servicing tables' and the rows').
    pub(crate) updates: Vec<Update>,
    /// The CVE records.
    pub(crate) cves: Vec<Cve>,
    /// Rows about Windows Server 2008 / 2008 R2.
    pub(crate) rows: usize,
    skipped_unknown: u64,
    /// Rows of the file about products other than Windows Server 2008 / 2008 R2.
    other_products: u64,
}

/// The MSRC table `arg` names, compiled (for `catalog diff`), with the name
/// messages give it: `embedded` (the table inside the binary), a
/// gzip-compressed MSRC CSV (the shipped `data/msrc/ws2008-msrc.csv.gz`), a
/// WES-NG `definitions.zip`, or a CSV with MSRC's header; each read within
/// [`MAX_IMPORT_SIZE`].
pub(crate) fn compile_table(arg: &str) -> Result<(String, Compiled), OverlayError> {
    let limit = MAX_IMPORT_SIZE;
    let (file, text) = if arg == crate::diff::EMBEDDED {
        let (f, _) =
            crate::embedded::split(compile::MSRC).ok_or_else(|| store("the embedded MSRC table is missing"))?;
        let file = format!("{} (embedded)", compile::MSRC);
        let text = read_bounded(flate2::read::GzDecoder::new(f.bytes), &file, limit)?;
        (file, text)
    } else {
        let (shown, name, bytes) = read_input(Path::new(arg), limit)?;
        if bytes.starts_with(&[0x1f, 0x8b]) {
            let text = read_bounded(flate2::read::GzDecoder::new(&bytes[..]), &shown, limit)?;
            (shown, text)
        } else if bytes.starts_with(b"PK\x03\x04") {
            match parse_zip(&shown, &name, &bytes, limit)? {
                Parsed::Msrc(m) => (m.file, m.text),
                Parsed::Kev(_) => return Err(bad(format!("{shown}: expected an MSRC table, found a KEV file"))),
            }
        } else {
            (shown, bytes)
        }
    };
    let text = match text.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => text,
    };
    let compiled = compile_msrc(&MsrcFile { label: file.clone(), file: file.clone(), date: Date::from_days(0), text })?;
    Ok((file, compiled))
}

fn compile_msrc(f: &MsrcFile) -> Result<Compiled, OverlayError> {
    let mut strings = compile::Interner::default();
    let servicing = compile::read_all_servicing(
        &[
            (compile::SERVICING, crate::embedded::SERVICING_CSV),
            (compile::SERVICING_R2, crate::embedded::SERVICING_R2_CSV),
        ],
        &mut strings,
    )
    .map_err(store)?;
    let read = compile::read_msrc(&f.file, &f.text, true, &mut strings).map_err(bad)?;
    let rows = read.rows.len();
    let built = compile::assemble(servicing, read.rows, &[], &f.label, compile::KEV, &mut strings).map_err(bad)?;
    let ublob = compile::write_updates(&built, &strings);
    let cblob = compile::write_cves(&built, &[], &strings);
    let decode = |e: crate::wire::WireError| store(format!("compiling {}: {e}", f.file));
    let index = load::updates_index(&ublob).map_err(decode)?;
    let mut updates = Vec::with_capacity(index.slots.len());
    for s in &index.slots {
        updates.push(load::update(&ublob, &index.pool, s).map_err(decode)?);
    }
    let (cves, _, _) = load::cves_owned(&cblob).map_err(decode)?;
    Ok(Compiled {
        products: index.products.iter().map(|p| p.name.clone()).collect(),
        updates,
        cves,
        rows,
        skipped_unknown: read.unknown_count,
        other_products: read.other_products,
    })
}

fn same_kev(a: &Kev, b: &Kev) -> bool {
    (&a.cve, &a.vendor, &a.product, a.date_added, a.due_date, &a.name, a.ransomware)
        == (&b.cve, &b.vendor, &b.product, b.date_added, b.due_date, &b.name, b.ransomware)
}

fn same_update(a: &Update, b: &Update) -> bool {
    let mut a = a.clone();
    a.sources.clone_from(&b.sources);
    let mut ap = a.products.clone();
    let mut bp = b.products.clone();
    ap.sort_unstable();
    bp.sort_unstable();
    a.products = Vec::new();
    let mut b = b.clone();
    b.products = Vec::new();
    a == b && ap == bp
}

fn same_cve(a: &Cve, b: &Cve) -> bool {
    let mut a = a.clone();
    a.sources.clone_from(&b.sources);
    a.kev.clone_from(&b.kev);
    a == *b
}

fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), OverlayError> {
    use std::io::Write;
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    let write = || -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        io(path, "cannot write", e)
    })
}

/// Imports `files` into the overlay of `data_dir` (created if needed), as of
/// `today`. All files are read and validated first; if any is refused
/// (malformed, not newer, partial), nothing is written and the overlay is
/// left as it was.
pub fn import(data_dir: &Path, files: &[PathBuf], today: Date) -> Result<ImportReport, OverlayError> {
    if files.is_empty() {
        return Err(bad("expected at least one file to import"));
    }
    let current = Catalog::with_overlay(data_dir).map_err(|e| {
        store(format!(
            "the existing overlay cannot be read ({}); delete {} to start over",
            w2k8_core::error_chain(&e),
            overlay_dir(data_dir).display()
        ))
    })?;
    let old = current.overlay_info().map(|i| i.manifest.clone());
    let mut run = Import::start(&current, today);
    let (kev_files, msrc_files) = parse_files(files, today)?;
    for k in kev_files {
        run.import_kev(k)?;
    }
    for m in msrc_files {
        run.import_msrc(m)?;
    }
    if run.lines.is_empty() {
        // Every file was current: nothing is written.
        let manifest = old.unwrap_or(run.manifest);
        return Ok(ImportReport {
            lines: run.lines,
            current: run.current_lines,
            changed: false,
            manifest,
            dir: overlay_dir(data_dir),
        });
    }
    run.finish();
    let dir = write_overlay(data_dir, old.as_ref(), &mut run.manifest, &run.records)?;
    Ok(ImportReport { lines: run.lines, current: run.current_lines, changed: true, manifest: run.manifest, dir })
}

/// Reads and validates `files`: the KEV files and the WES-NG files, each
/// sorted oldest first.
fn parse_files(files: &[PathBuf], today: Date) -> Result<(Vec<KevFile>, Vec<MsrcFile>), OverlayError> {
    let mut kev_files = Vec::new();
    let mut msrc_files = Vec::new();
    for f in files {
        match parse_file(f, today)? {
            Parsed::Kev(k) => kev_files.push(k),
            Parsed::Msrc(m) => msrc_files.push(m),
        }
    }
    kev_files.sort_by_key(|k| k.as_of);
    msrc_files.sort_by_key(|m| m.date);
    Ok((kev_files, msrc_files))
}

/// An import under way: the catalog as it is, and the overlay being built.
struct Import<'a> {
    /// The catalog with its overlay.
    current: &'a Catalog,
    today: Date,
    /// The overlay records in use; its product list grows as files are merged.
    records: Records,
    manifest: Manifest,
    /// Every KEV entry of the catalog, as merged so far.
    kev_now: BTreeMap<CveId, Kev>,
    /// The overlay's KEV entries, as merged so far.
    kev_over: BTreeMap<CveId, Kev>,
    /// The overlay's update records, as merged so far.
    upd_over: BTreeMap<w2k8_core::Kb, Update>,
    /// The overlay's CVE records, as merged so far.
    cve_over: BTreeMap<CveId, Cve>,
    /// One line per imported file.
    lines: Vec<String>,
    /// One line per file the catalog holds already.
    current_lines: Vec<String>,
}

impl<'a> Import<'a> {
    fn start(current: &'a Catalog, today: Date) -> Import<'a> {
        // The overlay records in use, with product indices as the catalog has
        // them (parts older than the embedded data are dropped).
        let records = Records {
            products: current.products().iter().map(|p| p.name.clone()).collect(),
            updates: current
                .slots
                .iter()
                .enumerate()
                .filter(|(_, s)| s.overlay)
                .filter_map(|(i, _)| current.at(i).cloned())
                .collect(),
            cves: current.overlay.cves.clone(),
            kev: current.overlay.kev.clone(),
        };
        Import {
            current,
            today,
            manifest: starting_manifest(current.overlay_info(), today),
            kev_now: current.kev().iter().map(|k| (k.cve, k.clone())).collect(),
            kev_over: records.kev.iter().map(|k| (k.cve, k.clone())).collect(),
            upd_over: records.updates.iter().map(|u| (u.kb, u.clone())).collect(),
            cve_over: records.cves.iter().map(|c| (c.id, c.clone())).collect(),
            records,
            lines: Vec::new(),
            current_lines: Vec::new(),
        }
    }

    /// The KEV data the catalog has: its date and its description.
    fn kev_have(&self) -> (Date, String) {
        match self.manifest.kev.as_ref() {
            Some(p) => {
                (p.as_of, format!("{} (imported from {})", describe_kev(p.catalog_version.as_deref(), p.as_of), p.file))
            }
            None => {
                let v = data_version();
                (embedded_kev_as_of(), format!("KEV catalog {} (embedded)", v.kev))
            }
        }
    }

    /// Imports KEV file `k`: notes it as current, refuses it as not newer,
    /// or merges its entries.
    fn import_kev(&mut self, k: KevFile) -> Result<(), OverlayError> {
        let (have, have_label) = self.kev_have();
        let this = describe_kev(k.version.as_deref(), k.as_of);
        // The same version as the catalog's, with no entry that differs: the
        // file is already imported (a weekly job fetching an unchanged feed).
        let same_version = k.as_of == have && self.manifest.kev.as_ref().is_none_or(|p| p.catalog_version == k.version);
        if same_version && k.entries.iter().all(|e| self.kev_now.get(&e.cve).is_some_and(|n| same_kev(n, e))) {
            self.current_lines.push(format!("{}: already current: the catalog has {have_label}", k.file));
            return Ok(());
        }
        if k.as_of <= have {
            let hint = if k.version.is_none() {
                " (a CSV carries no catalog version, so its newest dateAdded counts; the JSON feed states its catalogVersion)"
            } else {
                ""
            };
            return Err(OverlayError::NotNewer(format!(
                "{}: not newer than the catalog: the file is a {this}, the catalog already has {have_label}{hint}; \
                 nothing was imported, the overlay is unchanged",
                k.file
            )));
        }
        let (added, replaced) = self.merge_kev(&k.entries);
        let summary = format!("{this}: {} Microsoft entries, {added} new, {replaced} changed", k.entries.len());
        self.record_import(&k.file, "kev", k.as_of, summary);
        self.manifest.kev = Some(KevPart {
            catalog_version: k.version,
            as_of: k.as_of,
            newest_added: k.newest_added,
            entries: k.entries.len(),
            file: k.file,
            imported: self.today,
        });
        Ok(())
    }

    /// Merges KEV entries that differ from the catalog's: how many were added, how many replaced.
    fn merge_kev(&mut self, entries: &[Kev]) -> (usize, usize) {
        let (mut added, mut replaced) = (0, 0);
        for e in entries {
            match self.kev_now.get(&e.cve) {
                Some(n) if same_kev(n, e) => {}
                n => {
                    if n.is_some() {
                        replaced += 1;
                    } else {
                        added += 1;
                    }
                    self.kev_over.insert(e.cve, e.clone());
                    self.kev_now.insert(e.cve, e.clone());
                }
            }
        }
        (added, replaced)
    }

    /// The WES-NG data the catalog has: its date, its row count and its description.
    fn msrc_have(&self) -> (Date, usize, String) {
        match self.manifest.msrc.as_ref() {
            Some(p) => (p.date, p.rows, format!("WES-NG definitions of {} (imported from {})", p.date, p.file)),
            None => {
                let v = data_version();
                (v.msrc, embedded_msrc_rows(), format!("WES-NG definitions of {} (embedded)", v.msrc))
            }
        }
    }

    /// WES-NG file `m` compiled, if it is to be merged; `None` if the catalog
    /// has it already (noted); refused if it is not newer or is partial.
    fn msrc_to_merge(&mut self, m: &MsrcFile) -> Result<Option<Compiled>, OverlayError> {
        let (have, have_rows, have_label) = self.msrc_have();
        if m.date == have && !msrc_differs(m, &self.records.products, &self.upd_over, &self.cve_over, self.current)? {
            // The very definitions the catalog has: nothing to import.
            self.current_lines.push(format!("{}: already current: the catalog has {have_label}", m.file));
            return Ok(None);
        }
        if m.date <= have {
            return Err(OverlayError::NotNewer(format!(
                "{}: not newer than the catalog: the file holds WES-NG definitions of {}, the catalog already has {have_label}; \
                 nothing was imported, the overlay is unchanged",
                m.file, m.date
            )));
        }
        let c = compile_msrc(m)?;
        if c.rows * 100 < have_rows * 95 {
            return Err(OverlayError::NotNewer(format!(
                "{}: expected complete WES-NG definitions: it has {} rows for Windows Server 2008 / 2008 R2, the catalog \
                 was built from {have_rows}; a partial file cannot replace records; nothing was imported, the overlay is unchanged",
                m.file, c.rows
            )));
        }
        Ok(Some(c))
    }

    /// Says what importing `file` (of `kind`, data as of `as_of`) changed, on
    /// the run's lines and in the manifest's import history.
    fn record_import(&mut self, file: &str, kind: &str, as_of: Date, summary: String) {
        self.lines.push(format!("{file}: {summary}"));
        self.manifest.imports.push(ImportEntry {
            file: file.to_string(),
            kind: kind.into(),
            as_of,
            imported: self.today,
            summary,
        });
    }

    /// Imports WES-NG file `m`: notes it as current, refuses it (not newer,
    /// partial), or merges the records that differ from the catalog's.
    fn import_msrc(&mut self, m: MsrcFile) -> Result<(), OverlayError> {
        let Some(c) = self.msrc_to_merge(&m)? else { return Ok(()) };
        let map = self.product_map(&c.products)?;
        // `records.products` starts as the catalog's product list, so the
        // catalog's records and the new ones share indices.
        let (ua, ur) = self.merge_update_records(c.updates, &map);
        let (ca, cr) = self.merge_cve_records(c.cves, &map);
        let mut summary = format!(
            "WES-NG definitions of {}: {} rows for Windows Server 2008 / 2008 R2; updates: {ua} new, {ur} changed; CVEs: {ca} new, {cr} changed",
            m.date, c.rows
        );
        if c.skipped_unknown > 0 {
            summary.push_str(&format!(
                "; {} rows naming Windows Server 2008 in an unknown product form were skipped",
                c.skipped_unknown
            ));
        }
        if c.other_products > 0 {
            summary.push_str(&format!("; {} row(s) about other products were left out", c.other_products));
        }
        self.record_import(&m.file, "msrc", m.date, summary);
        self.manifest.msrc = Some(MsrcPart { date: m.date, rows: c.rows, file: m.file, imported: self.today });
        Ok(())
    }

    /// Maps the new products (`names`) into the overlay's product list.
    fn product_map(&mut self, names: &[String]) -> Result<Vec<u16>, OverlayError> {
        let products = &mut self.records.products;
        let mut map = Vec::with_capacity(names.len());
        for name in names {
            let i = match products.iter().position(|p| p == name) {
                Some(i) => i,
                None => {
                    products.push(name.clone());
                    products.len() - 1
                }
            };
            map.push(u16::try_from(i).map_err(|_| store("too many products"))?);
        }
        Ok(map)
    }

    /// Merges compiled updates that differ from the catalog's: how many were
    /// added, how many replaced.
    fn merge_update_records(&mut self, updates: Vec<Update>, map: &[u16]) -> (usize, usize) {
        let (mut added, mut replaced) = (0, 0);
        for u in updates {
            let u = remapped_update(u, map);
            let now = self.upd_over.get(&u.kb).or_else(|| self.current.update(u.kb));
            match now {
                Some(n) if same_update(n, &u) => {}
                n => {
                    if n.is_some() {
                        replaced += 1;
                    } else {
                        added += 1;
                    }
                    self.upd_over.insert(u.kb, u);
                }
            }
        }
        (added, replaced)
    }

    /// Merges compiled CVE records that differ from the catalog's: how many
    /// were added, how many replaced.
    fn merge_cve_records(&mut self, cves: Vec<Cve>, map: &[u16]) -> (usize, usize) {
        let (mut added, mut replaced) = (0, 0);
        for cv in cves {
            let cv = remapped_cve(cv, map);
            let now = self.cve_over.get(&cv.id).or_else(|| self.current.cve(cv.id));
            match now {
                Some(n) if same_cve(n, &cv) => {}
                n => {
                    if n.is_some() {
                        replaced += 1;
                    } else {
                        added += 1;
                    }
                    self.cve_over.insert(cv.id, cv);
                }
            }
        }
        (added, replaced)
    }

    /// Puts the merged records into `records` and counts them against the
    /// embedded catalog in the manifest.
    fn finish(&mut self) {
        let base = Catalog::embedded();
        let base_kev: HashSet<CveId> = base.kev().iter().map(|k| k.cve).collect();
        let records = &mut self.records;
        records.kev = std::mem::take(&mut self.kev_over).into_values().collect();
        // The overlay file lists its KEV entries in the order of their ids' texts.
        records.kev.sort_by(|a, b| a.cve.cmp_text(b.cve));
        records.updates = std::mem::take(&mut self.upd_over).into_values().collect();
        records.cves = std::mem::take(&mut self.cve_over).into_values().collect();
        self.manifest.counts = Counts {
            products_added: records.products.len().saturating_sub(base.products().len()),
            updates_added: records.updates.iter().filter(|u| !base.contains(u.kb)).count(),
            updates_replaced: records.updates.iter().filter(|u| base.contains(u.kb)).count(),
            cves_added: records.cves.iter().filter(|c| base.cve(c.id).is_none()).count(),
            cves_replaced: records.cves.iter().filter(|c| base.cve(c.id).is_some()).count(),
            kev_added: records.kev.iter().filter(|k| !base_kev.contains(&k.cve)).count(),
            kev_replaced: records.kev.iter().filter(|k| base_kev.contains(&k.cve)).count(),
        };
        self.manifest.written = self.today;
        self.manifest.base = base_label();
    }
}

/// The manifest an import starts from: the overlay's, without the parts not
/// in use, or a new one.
fn starting_manifest(info: Option<&OverlayInfo>, today: Date) -> Manifest {
    let old = info.map(|i| i.manifest.clone());
    let kev_used = info.is_some_and(|i| i.kev_used);
    let msrc_used = info.is_some_and(|i| i.msrc_used);
    let manifest = old.map(|mut m| {
        if !kev_used {
            m.kev = None;
        }
        if !msrc_used {
            m.msrc = None;
        }
        m
    });
    manifest.unwrap_or_else(|| Manifest {
        format: FORMAT,
        records: String::new(),
        written: today,
        base: base_label(),
        kev: None,
        msrc: None,
        imports: Vec::new(),
        counts: Counts::default(),
    })
}

/// Compiled product index `i` in the overlay's product list, by `map`
/// (kept as it is when out of the map's range).
fn remap_or_keep(map: &[u16], i: u16) -> u16 {
    map.get(usize::from(i)).copied().unwrap_or(i)
}

/// A compiled update with its product indices mapped to the catalog's (in
/// order), as the catalog's records are compared and stored.
fn remapped_update(mut u: Update, map: &[u16]) -> Update {
    u.products = u.products.iter().map(|&p| remap_or_keep(map, p)).collect();
    u.products.sort_unstable();
    u
}

/// A compiled CVE with its fixes' and affected products' indices mapped to
/// the catalog's, each list in the catalog's order.
fn remapped_cve(mut cv: Cve, map: &[u16]) -> Cve {
    for f in &mut cv.fixes {
        f.product = remap_or_keep(map, f.product);
    }
    cv.fixes.sort_by_key(|f| (f.kb, f.posted, f.product));
    cv.affected = cv.affected.iter().map(|&p| remap_or_keep(map, p)).collect();
    cv.affected.sort_unstable();
    cv
}

/// Writes `records` and `manifest` (naming them) into the overlay directory
/// of `data_dir`, then removes records files no longer named; `old` is the
/// manifest the overlay had. Returns the overlay directory.
fn write_overlay(
    data_dir: &Path,
    old: Option<&Manifest>,
    manifest: &mut Manifest,
    records: &Records,
) -> Result<PathBuf, OverlayError> {
    // Write: records first (a new file), then the manifest that names it.
    let dir = overlay_dir(data_dir);
    std::fs::create_dir_all(&dir).map_err(|e| io(&dir, "cannot create", e))?;
    let name = records_name(&dir, manifest.imports.len(), old);
    manifest.records = name.clone();
    let body = serde_json::to_vec(records).map_err(|e| store(format!("encoding the overlay records: {e}")))?;
    write_atomic(&dir.join(&name), &body)?;
    let text = serde_json::to_vec_pretty(&manifest).map_err(|e| store(format!("encoding the manifest: {e}")))?;
    if let Err(e) = write_atomic(&manifest_path(data_dir), &text) {
        let _ = std::fs::remove_file(dir.join(&name));
        return Err(e);
    }
    remove_old_records(&dir, &name);
    Ok(dir)
}

/// A records file name for import `generation` that neither the old
/// manifest (`old`) nor a file in `dir` uses.
fn records_name(dir: &Path, generation: usize, old: Option<&Manifest>) -> String {
    let mut name = format!("records-{generation}.json");
    let mut n = 0;
    while Some(&name) == old.map(|m| &m.records) || dir.join(&name).exists() {
        n += 1;
        name = format!("records-{generation}-{n}.json");
    }
    name
}

/// Removes the records files other than `name` from `dir`.
fn remove_old_records(dir: &Path, name: &str) {
    // Old records files are no longer named: remove them (best effort).
    if let Ok(list) = std::fs::read_dir(dir) {
        for entry in list.flatten() {
            let file = entry.file_name().to_string_lossy().into_owned();
            if file.starts_with("records-") && file != name {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

/// Whether WES-NG file `m` (of the catalog's own date) holds a record that
/// differs from the catalog's: false for the very file the catalog has.
fn msrc_differs(
    m: &MsrcFile,
    products: &[String],
    upd_over: &BTreeMap<w2k8_core::Kb, Update>,
    cve_over: &BTreeMap<CveId, Cve>,
    current: &Catalog,
) -> Result<bool, OverlayError> {
    let c = compile_msrc(m)?;
    let mut map = Vec::with_capacity(c.products.len());
    for name in &c.products {
        match products.iter().position(|p| p == name).and_then(|i| u16::try_from(i).ok()) {
            Some(i) => map.push(i),
            None => return Ok(true),
        }
    }
    for u in c.updates {
        let u = remapped_update(u, &map);
        if !upd_over.get(&u.kb).or_else(|| current.update(u.kb)).is_some_and(|n| same_update(n, &u)) {
            return Ok(true);
        }
    }
    for cv in c.cves {
        let cv = remapped_cve(cv, &map);
        if !cve_over.get(&cv.id).or_else(|| current.cve(cv.id)).is_some_and(|n| same_cve(n, &cv)) {
            return Ok(true);
        }
    }
    Ok(false)
}

fn describe_kev(version: Option<&str>, as_of: Date) -> String {
    match version {
        Some(v) => format!("KEV catalog {v}"),
        None => format!("KEV CSV with entries added up to {as_of}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wesng_dates() {
        assert_eq!(wesng_date("CVEs_20260628.csv"), Date::new(2026, 6, 28));
        assert_eq!(wesng_date("defs/CVEs_20260628.csv"), Date::new(2026, 6, 28));
        assert_eq!(wesng_date("CVEs_2026062.csv"), None);
        assert_eq!(wesng_date("CVEs_20261328.csv"), None);
        assert_eq!(wesng_date("Custom_20190321.csv"), None);
    }

    #[test]
    fn catalog_versions() {
        assert_eq!(catalog_version_date("2025.08.25"), Date::new(2025, 8, 25));
        assert_eq!(catalog_version_date("2025-08-25"), None);
        assert_eq!(catalog_version_date("2025.8.25"), None);
    }

    /// A zip whose CSV member unpacks past the limit is refused naming the
    /// member and the limit, before (declared size) or while (bytes read)
    /// unpacking; a file past the limit is refused without being read whole.
    #[test]
    fn imports_are_bounded() {
        use std::io::Write;
        const LIMIT: u64 = 1024 * 1024;
        let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        z.start_file("CVEs_20270101.csv", opts).unwrap();
        let zeros = vec![b'0'; 64 * 1024];
        for _ in 0..40 {
            z.write_all(&zeros).unwrap();
        }
        let bytes = z.finish().unwrap().into_inner();
        assert!(bytes.len() < 64 * 1024, "a small zip: {}", bytes.len());
        let err = parse_zip("defs.zip", "defs.zip", &bytes, LIMIT).err().unwrap().to_string();
        assert!(err.contains("defs.zip: CVEs_20270101.csv: larger than the 1 MiB"), "{err}");

        let err = read_bounded(std::io::repeat(0), "endless", LIMIT).err().unwrap().to_string();
        assert!(err.starts_with("endless: larger than the 1 MiB"), "{err}");
        assert_eq!(read_bounded(&b"abc"[..], "x", 3).unwrap(), b"abc");

        let dir = std::env::temp_dir().join(format!("w2k8-import-limit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let big = dir.join("big.csv");
        std::fs::File::create(&big).unwrap().set_len(LIMIT + 1).unwrap();
        let err = parse_file_within(&big, Date::new(2026, 1, 1).unwrap(), LIMIT).err().unwrap().to_string();
        assert!(err.contains("big.csv: larger than the 1 MiB"), "{err}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn embedded_row_count_is_known() {
        assert_eq!(embedded_msrc_rows(), 94_051);
    }
}
