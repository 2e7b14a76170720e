//! The catalog of what Microsoft shipped for Windows Server 2008 and 2008 R2:
//! updates (monthly rollups, security-only updates, SSUs, SHA-2 and ESU
//! packages, stand-alone security, IE and .NET updates), their supersedence,
//! the CVEs they fix and the CISA KEV entries, with the source of every fact.
//!
//! The reviewable source form lives in the repository's `data/` folder (see
//! `data/README.md`); `build.rs` validates it and compiles it into a compact
//! binary that is embedded with `include_bytes!`. Products and the update
//! index are decoded on first use of [`Catalog::embedded`] (tens of
//! microseconds); each update record is decoded on first access; the CVE
//! tables are decoded on the first CVE query (a few milliseconds).
//!
//! Newer KEV and WES-NG data that an administrator imports is kept in an
//! overlay (see [`overlay`]); [`Catalog::current`] merges it over the
//! embedded catalog and is what commands should use. [`Catalog::embedded`]
//! stays the embedded data alone.
//!
//! ```
//! use w2k8_catalog::{Catalog, UpdateKind, OsFamily};
//! use w2k8_core::{FileVersion, Kb};
//!
//! let cat = Catalog::embedded();
//! let kb: Kb = "KB4493471".parse().unwrap();
//! let u = cat.update(kb).unwrap();
//! assert_eq!(u.kind, UpdateKind::MonthlyRollup);
//! assert_eq!(u.released.unwrap().to_string(), "2019-04-09");
//! assert_eq!(u.kernel.unwrap().to_string(), "6.0.6003.20489");
//!
//! // The newest rollup a kernel version is at least as new as.
//! let v: FileVersion = "6.0.6003.20512".parse().unwrap();
//! assert_eq!(cat.kernel_at_least(v).unwrap().kb.to_string(), "KB4499149");
//!
//! // BlueKeep.
//! let bluekeep = cat.cve("cve-2019-0708".parse().unwrap()).unwrap();
//! assert!(bluekeep.kev.is_some());
//! assert!(cat.rollups(OsFamily::Ws2008).len() >= 89);
//! ```
#![deny(missing_docs)]

pub mod diff;
pub mod embedded;
pub mod facts;
mod load;
pub mod model;
pub mod overlay;

pub use w2k8_data::mitigations;
use w2k8_data::{compile, wire};

pub use model::*;
pub use overlay::{OverlayError, OverlayInfo};

use std::sync::OnceLock;
use w2k8_core::{CveId, Date, FileVersion, Kb};

static UPDATES_BIN: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/updates.bin"));
static CVES_BIN: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/cves.bin"));

/// The dates of the datasets the catalog was built from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataVersion {
    /// The MSRC-derived rows: WES-NG definitions of this date.
    pub msrc: Date,
    /// The WES-NG commit those definitions come from.
    pub msrc_commit: &'static str,
    /// The CISA KEV catalog version, e.g. `2025.08.25`.
    pub kev: &'static str,
    /// The CISA KEV catalog version as a date.
    pub kev_date: Date,
    /// When the servicing table (`data/servicing/`) was compiled.
    pub servicing: Date,
}

/// Counts, for `--version`-style output and reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stats {
    /// Updates (all kinds).
    pub updates: usize,
    /// Updates per kind, in [`UpdateKind`] order, kinds with none left out.
    pub updates_by_kind: Vec<(UpdateKind, usize)>,
    /// MSRC products.
    pub products: usize,
    /// CVEs.
    pub cves: usize,
    /// (CVE, KB, product) fix rows.
    pub fixes: usize,
    /// KEV entries (all Microsoft entries of the catalog version).
    pub kev: usize,
    /// CVEs of the catalog that are in KEV.
    pub cves_in_kev: usize,
    /// Supersedence edges whose target is not an update of the catalog.
    pub dangling_supersedes: usize,
    /// Size of the embedded binary form, bytes.
    pub embedded_bytes: usize,
}

/// The decoded CVE tables.
#[derive(Debug, Default)]
struct CveTables {
    cves: Vec<Cve>,
    /// The id of `cves[i]`, ascending (searched apart from the records).
    ids: Vec<CveId>,
    /// `kb << 32 | index into cves`, sorted: built on the first
    /// [`Catalog::cves_fixed_by`] (an assessment rarely needs it).
    by_kb: OnceLock<Vec<u64>>,
    /// The earliest MSRC posting of each KB (see [`Catalog::first_posted`]).
    first_posted: OnceLock<w2k8_core::hash::FastMap<Kb, Date>>,
    /// The id, title and severity of `cves[i]` as shared strings: built on
    /// the first [`Catalog::cve_strings`] (a fleet scan gives them to
    /// thousands of stored scans).
    shared: OnceLock<Vec<std::sync::Arc<w2k8_core::CveText>>>,
    kev: Vec<Kev>,
    error: Option<String>,
}

/// Direct supersedence of every update, flattened ([`Catalog::edges`]).
#[derive(Debug, Default)]
struct Edges {
    /// Every record's supersedes list, one after another.
    kbs: Vec<Kb>,
    /// Where each slot's list starts in `kbs` (one more entry than slots).
    at: Vec<u32>,
}

/// The catalog. Get the embedded one with [`Catalog::embedded`].
///
/// Products and the update index (KB, kind) are decoded up front; each
/// update record is decoded on first access and kept; the CVE tables are
/// decoded on the first CVE query.
pub struct Catalog {
    data: &'static [u8],
    pool: load::StrPool<'static>,
    products: Vec<Product>,
    /// Sorted by KB.
    slots: Vec<load::Slot>,
    /// `cells[i]` holds the decoded `slots[i]` (`None` if it failed to decode).
    cells: Vec<OnceLock<Option<Update>>>,
    /// What each update directly supersedes, read from the record heads on
    /// first use (no update decoded whole for it).
    edges: OnceLock<Edges>,
    /// (superseded, by), sorted; built on first use.
    reverse: OnceLock<Vec<(Kb, Kb)>>,
    cves: OnceLock<CveTables>,
    error: Option<String>,
    /// Newer data imported by an administrator (see [`overlay`]).
    overlay: overlay::Applied,
    /// This catalog's identity among the catalogs of the process ([`Catalog::instance`]).
    instance: u64,
}

/// The next [`Catalog::instance`].
static INSTANCES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

fn next_instance() -> u64 {
    INSTANCES.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalog")
            .field("products", &self.products.len())
            .field("updates", &self.slots.len())
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}

static EMBEDDED: OnceLock<Catalog> = OnceLock::new();
/// The catalog in effect, once loaded (an overlay that fails to load is not
/// kept: the command stops on the error).
static CURRENT: OnceLock<&'static Catalog> = OnceLock::new();

impl Catalog {
    /// The catalog embedded at build time, decoded once.
    ///
    /// Decoding cannot fail for a correctly built crate (a unit test checks
    /// it); if it ever did, the catalog is empty and [`Catalog::load_error`]
    /// says why, rather than panicking.
    pub fn embedded() -> &'static Catalog {
        EMBEDDED.get_or_init(|| Catalog::from_blob(UPDATES_BIN))
    }

    /// The embedded catalog with the overlay of the default data directory
    /// ([`overlay::default_data_dir`]: `$W2K8_DATA_DIR`, else the user's data
    /// directory) merged over it, loaded once per process. This is what
    /// commands should use. Without an overlay it is [`Catalog::embedded`]
    /// (the check costs one `stat`).
    ///
    /// # Errors
    /// The overlay exists but cannot be read (the message names the file and
    /// how to start over).
    pub fn current() -> Result<&'static Catalog, OverlayError> {
        if let Some(c) = CURRENT.get() {
            return Ok(c);
        }
        let loaded = match overlay::default_data_dir() {
            Some(dir) if overlay::overlay_dir(&dir).join("manifest.json").exists() => {
                let c: &'static Catalog = Box::leak(Box::new(Catalog::with_overlay(&dir)?));
                c
            }
            _ => Catalog::embedded(),
        };
        Ok(CURRENT.get_or_init(|| loaded))
    }

    /// The embedded catalog with the overlay of `data_dir` (see [`overlay`])
    /// merged over it, as a new catalog; without an overlay there, a new copy
    /// of the embedded catalog.
    ///
    /// # Errors
    /// The overlay exists but cannot be read.
    pub fn with_overlay(data_dir: &std::path::Path) -> Result<Catalog, OverlayError> {
        let mut c = Catalog::from_blob(UPDATES_BIN);
        overlay::apply(&mut c, data_dir)?;
        Ok(c)
    }

    /// The overlay merged into this catalog, if any.
    pub fn overlay_info(&self) -> Option<&OverlayInfo> {
        self.overlay.info.as_ref()
    }

    /// How old the data in effect is on `today` (the imported data when an
    /// overlay holds newer), with a warning and the command to refresh it
    /// when the KEV data is more than [`KEV_STALE_DAYS`] old or the MSRC data
    /// more than [`MSRC_STALE_DAYS`].
    pub fn freshness(&self, today: Date) -> Freshness {
        let v = data_version();
        let m = self.overlay_info().map(|i| &i.manifest);
        let kev_as_of = m.and_then(|m| m.kev.as_ref()).map_or(v.kev_date, |k| k.as_of.max(v.kev_date));
        let msrc_as_of = m.and_then(|m| m.msrc.as_ref()).map_or(v.msrc, |p| p.date.max(v.msrc));
        let age = |d: Date| d.days_until(today).max(0);
        let (kev_age_days, msrc_age_days) = (age(kev_as_of), age(msrc_as_of));
        let mut warnings = Vec::new();
        if kev_age_days > KEV_STALE_DAYS {
            warnings.push(format!(
                "the CISA KEV data is {kev_age_days} days old (as of {kev_as_of}): newly exploited CVEs are not flagged; \
                 download https://www.cisa.gov/sites/default/files/csv/known_exploited_vulnerabilities.csv and run \
                 `w2k8 catalog import known_exploited_vulnerabilities.csv`"
            ));
        }
        if msrc_age_days > MSRC_STALE_DAYS {
            warnings.push(format!(
                "the MSRC data is {msrc_age_days} days old (as of {msrc_as_of}): revised CVEs may be missing; import \
                 newer WES-NG definitions (https://github.com/bitsadmin/wesng, definitions.zip) with `w2k8 catalog \
                 import definitions.zip`"
            ));
        }
        Freshness { kev_as_of, kev_age_days, msrc_as_of, msrc_age_days, warnings }
    }

    fn from_blob(data: &'static [u8]) -> Catalog {
        let (index, error) = match load::updates_index(data) {
            Ok(i) => (i, None),
            Err(e) => (
                load::UpdatesIndex { pool: load::StrPool::default(), products: Vec::new(), slots: Vec::new() },
                Some(e.to_string()),
            ),
        };
        let cells = index.slots.iter().map(|_| OnceLock::new()).collect();
        Catalog {
            data,
            pool: index.pool,
            products: index.products,
            slots: index.slots,
            cells,
            edges: OnceLock::new(),
            reverse: OnceLock::new(),
            cves: OnceLock::new(),
            error,
            overlay: overlay::Applied::default(),
            instance: next_instance(),
        }
    }

    /// A number no other catalog of this process has, changed when an
    /// overlay is applied: the key of per-process caches of answers computed
    /// from a catalog (an address can be reused by a later catalog, this
    /// number is not).
    pub fn instance(&self) -> u64 {
        self.instance
    }

    /// Why the embedded data could not be decoded, if it could not. Decodes
    /// every update record and the CVE tables to find out.
    pub fn load_error(&self) -> Option<String> {
        if let Some(e) = &self.error {
            return Some(e.clone());
        }
        for slot in self.slots.iter().filter(|s| !s.overlay) {
            if let Err(e) = load::update(self.data, &self.pool, slot) {
                return Some(format!("{}: {e}", slot.kb));
            }
        }
        self.cve_tables().error.clone()
    }

    fn cve_tables(&self) -> &CveTables {
        self.cves.get_or_init(|| match load::cves(CVES_BIN) {
            Ok((mut cves, mut ids, mut kev)) => {
                overlay::merge_cves(&mut cves, &mut ids, &mut kev, &self.overlay);
                CveTables {
                    cves,
                    ids,
                    by_kb: OnceLock::new(),
                    first_posted: OnceLock::new(),
                    shared: OnceLock::new(),
                    kev,
                    error: None,
                }
            }
            Err(e) => CveTables { error: Some(e.to_string()), ..CveTables::default() },
        })
    }

    /// The decoded record of `slots[i]`.
    fn at(&self, i: usize) -> Option<&Update> {
        let slot = self.slots.get(i)?;
        self.cells.get(i)?.get_or_init(|| load::update(self.data, &self.pool, slot).ok()).as_ref()
    }

    /// The update with this KB number.
    pub fn update(&self, kb: Kb) -> Option<&Update> {
        self.slots.binary_search_by(|s| s.kb.cmp(&kb)).ok().and_then(|i| self.at(i))
    }

    /// True if the catalog has an update with this KB number (no decoding).
    pub fn contains(&self, kb: Kb) -> bool {
        self.slots.binary_search_by(|s| s.kb.cmp(&kb)).is_ok()
    }

    /// The kind of the update with this KB number (no decoding).
    pub fn kind_of(&self, kb: Kb) -> Option<UpdateKind> {
        self.slots.binary_search_by(|s| s.kb.cmp(&kb)).ok().and_then(|i| self.slots.get(i)).map(|s| s.kind)
    }

    /// All updates, by ascending KB number.
    pub fn updates(&self) -> impl Iterator<Item = &Update> + '_ {
        (0..self.slots.len()).filter_map(move |i| self.at(i))
    }

    /// The updates of one kind, by ascending KB number.
    pub fn updates_of_kind(&self, kind: UpdateKind) -> impl Iterator<Item = &Update> + '_ {
        self.slots.iter().enumerate().filter(move |(_, s)| s.kind == kind).filter_map(move |(i, _)| self.at(i))
    }

    /// The servicing stack update a host without SHA-2 code signing support
    /// installs before KB4474419: the newest SSU for `os` released before
    /// July 2019, when updates became SHA-2 signed only (KB4472027), so it
    /// still installs without SHA-2 (KB4493730 for 2008 SP2, KB4490628 for
    /// 2008 R2 SP1). The plan and
    /// `diagnose` take it from here, so that they give one order.
    pub fn ssu_before_sha2(&self, os: OsFamily) -> Option<&Update> {
        let cut = Date::new(2019, 7, 1)?;
        self.updates_of_kind(UpdateKind::Ssu)
            .filter(|u| u.applies_to(os) && u.released.is_some_and(|d| d < cut))
            .max_by_key(|u| (u.released, u.kb))
    }

    /// The monthly rollups for `os` with a release day, oldest first (by
    /// release date, then KB), as the servicing tables classify them (2008
    /// SP2 from September 2018, 2008 R2 SP1 from October 2016). A rollup whose
    /// day no source gives (2008 R2's November 2016 KB3197868) cannot be
    /// placed in the sequence and is left out.
    pub fn rollups(&self, os: OsFamily) -> Vec<&Update> {
        let mut v: Vec<&Update> = self
            .updates_of_kind(UpdateKind::MonthlyRollup)
            .filter(|u| u.applies_to(os) && u.released.is_some())
            .collect();
        v.sort_by_key(|u| (u.released, u.kb));
        v
    }

    /// The OS family whose kernels carry this NT version: 6.0 is Windows
    /// Server 2008, 6.1 is 2008 R2.
    pub fn os_of_kernel(version: FileVersion) -> Option<OsFamily> {
        match (version.major, version.minor) {
            (6, 0) => Some(OsFamily::Ws2008),
            (6, 1) => Some(OsFamily::Ws2008R2),
            _ => None,
        }
    }

    /// The newest monthly rollup whose kernel (ntoskrnl.exe after installing
    /// it) is not newer than `version`: the rollup level a machine running
    /// that kernel has at least reached. An NT 6.0 kernel is compared with
    /// the 2008 SP2 rollups on (build, revision), so any 6003 kernel is newer
    /// than any 6002 one; an NT 6.1 kernel with the 2008 R2 SP1 rollups
    /// (build 7601 throughout). `None` for other versions or kernels older
    /// than every rollup with a known kernel.
    pub fn kernel_at_least(&self, version: FileVersion) -> Option<&Update> {
        let os = Self::os_of_kernel(version)?;
        self.rollups(os).into_iter().rfind(|u| {
            u.kernel.is_some_and(|k| {
                (k.major, k.minor) == (version.major, version.minor)
                    && (k.build, k.revision) <= (version.build, version.revision)
            })
        })
    }

    /// The products MSRC lists (indices are what [`Fix::product`],
    /// [`Update::products`] and [`Cve::affected`] refer to).
    pub fn products(&self) -> &[Product] {
        &self.products
    }

    /// One product by index.
    pub fn product(&self, index: u16) -> Option<&Product> {
        self.products.get(usize::from(index))
    }

    /// The CVE with this id. MSRC advisories that name KBs (e.g.
    /// `ADV190009`, SHA-2 code signing) are records too.
    pub fn cve(&self, id: CveId) -> Option<&Cve> {
        let t = self.cve_tables();
        t.ids.binary_search(&id).ok().and_then(|i| t.cves.get(i))
    }

    /// The id, title and severity of `cves()[i]` as shared strings.
    pub fn cve_strings(&self, i: usize) -> Option<&std::sync::Arc<w2k8_core::CveText>> {
        let t = self.cve_tables();
        t.shared
            .get_or_init(|| {
                t.cves
                    .iter()
                    .map(|c| {
                        std::sync::Arc::new(w2k8_core::CveText {
                            id: c.id,
                            title: (*c.title).into(),
                            severity: c.severity.as_str().into(),
                        })
                    })
                    .collect()
            })
            .get(i)
    }

    /// The position of CVE `id` in [`Catalog::cves`].
    pub fn cve_position(&self, id: CveId) -> Option<usize> {
        self.cve_tables().ids.binary_search(&id).ok()
    }

    /// All CVEs, by year and number (advisories `ADV...` first).
    pub fn cves(&self) -> &[Cve] {
        &self.cve_tables().cves
    }

    /// The CVEs `kb` fixes on some product, by year and number.
    pub fn cves_fixed_by(&self, kb: Kb) -> Vec<&Cve> {
        let t = self.cve_tables();
        let by_kb = t.by_kb.get_or_init(|| {
            // One u64 per (KB, CVE) pair: a plain integer sort, several times
            // faster than sorting tuples.
            let mut v: Vec<u64> = Vec::with_capacity(t.cves.len() * 8);
            for (i, c) in t.cves.iter().enumerate() {
                v.extend(c.fixes.iter().map(|f| (u64::from(f.kb.number()) << 32) | i as u64));
            }
            v.sort_unstable();
            v.dedup();
            v
        });
        let key = u64::from(kb.number()) << 32;
        let start = by_kb.partition_point(|&k| k < key);
        by_kb
            .get(start..)
            .unwrap_or(&[])
            .iter()
            .take_while(|&&k| k >> 32 == key >> 32)
            .filter_map(|&k| t.cves.get((k & 0xFFFF_FFFF) as usize))
            .collect()
    }

    /// The earliest date MSRC posted a row naming `kb` as a fix, if any (a
    /// table of every KB's first posting, built in one pass on first use).
    pub fn first_posted(&self, kb: Kb) -> Option<Date> {
        let t = self.cve_tables();
        let first = t.first_posted.get_or_init(|| {
            // One pass over every fix row, once per catalog.
            let mut m: w2k8_core::hash::FastMap<Kb, Date> = Default::default();
            for f in t.cves.iter().flat_map(|c| c.fixes.iter()) {
                if let Some(p) = f.posted {
                    m.entry(f.kb).and_modify(|d| *d = (*d).min(p)).or_insert(p);
                }
            }
            m
        });
        first.get(&kb).copied()
    }

    /// All KEV entries of the catalog version (Microsoft products, including
    /// ones that do not concern 2008).
    pub fn kev(&self) -> &[Kev] {
        &self.cve_tables().kev
    }

    /// The supersedence table: what `slots[i]` supersedes is
    /// `edges.kbs[edges.at[i]..edges.at[i + 1]]`, in its record's order. A
    /// record already decoded (an overlay's, or one an answer asked for) is
    /// read from its cell, any other from the head of its record only: an
    /// assessment walks the supersedence graph of every update but decodes
    /// only the updates it names.
    fn edges(&self) -> &Edges {
        self.edges.get_or_init(|| {
            let mut e = Edges { kbs: Vec::new(), at: Vec::with_capacity(self.slots.len() + 1) };
            e.at.push(0);
            for (slot, cell) in self.slots.iter().zip(&self.cells) {
                match cell.get() {
                    Some(Some(u)) => e.kbs.extend_from_slice(&u.supersedes),
                    Some(None) => {}
                    None if slot.overlay => {}
                    None => {
                        let len = e.kbs.len();
                        if load::push_supersedes(self.data, slot, &mut e.kbs).is_err() {
                            // As `updates()` skips a record that does not decode.
                            e.kbs.truncate(len);
                        }
                    }
                }
                e.at.push(u32::try_from(e.kbs.len()).unwrap_or(u32::MAX));
            }
            e
        })
    }

    /// The updates `kb` directly supersedes, in its record's order (as
    /// [`Update::supersedes`]), without decoding its record; empty for a KB
    /// the catalog does not have.
    pub fn supersedes_of(&self, kb: Kb) -> &[Kb] {
        let Ok(i) = self.slots.binary_search_by(|s| s.kb.cmp(&kb)) else { return &[] };
        self.edges_at(i)
    }

    /// What `slots[i]` supersedes.
    fn edges_at(&self, i: usize) -> &[Kb] {
        let e = self.edges();
        match (e.at.get(i), e.at.get(i + 1)) {
            (Some(&a), Some(&b)) => e.kbs.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// Every KB of the catalog, ascending, without decoding a record.
    pub fn kbs(&self) -> impl Iterator<Item = Kb> + '_ {
        self.slots.iter().map(|s| s.kb)
    }

    fn reverse(&self) -> &[(Kb, Kb)] {
        self.reverse.get_or_init(|| {
            let mut v: Vec<(Kb, Kb)> = self
                .slots
                .iter()
                .enumerate()
                .flat_map(|(i, slot)| self.edges_at(i).iter().map(move |&s| (s, slot.kb)))
                .collect();
            v.sort_unstable();
            v.dedup();
            v
        })
    }

    /// The updates that directly supersede `kb` (reverse edges), ascending.
    pub fn superseded_by(&self, kb: Kb) -> Vec<Kb> {
        let r = self.reverse();
        let start = r.partition_point(|&(k, _)| k < kb);
        r.get(start..).unwrap_or(&[]).iter().take_while(|&&(k, _)| k == kb).map(|&(_, by)| by).collect()
    }

    /// True if `newer` supersedes `older` directly or through a chain of
    /// supersedence edges. Terminates on any graph (visited set); false for
    /// `newer == older`.
    pub fn supersedes_transitively(&self, newer: Kb, older: Kb) -> bool {
        if newer == older {
            return false;
        }
        let mut seen = std::collections::HashSet::new();
        let mut stack = vec![newer];
        while let Some(k) = stack.pop() {
            let Some(u) = self.update(k) else { continue };
            for &s in &u.supersedes {
                if s == older {
                    return true;
                }
                if seen.insert(s) {
                    stack.push(s);
                }
            }
        }
        false
    }

    /// Supersedence edges `(update, target)` whose target is not an update
    /// of the catalog (MSRC names KBs outside the 2008 data). They are kept
    /// and listed in `data/lint-allow.txt`.
    pub fn dangling_supersedes(&self) -> Vec<(Kb, Kb)> {
        self.updates()
            .flat_map(|u| u.supersedes.iter().filter(|&&s| !self.contains(s)).map(move |&s| (u.kb, s)))
            .collect()
    }

    /// The dates of the embedded datasets (an overlay's are in
    /// [`Catalog::overlay_info`]).
    pub fn data_version(&self) -> DataVersion {
        data_version()
    }

    /// Counts (decodes the CVE tables).
    pub fn stats(&self) -> Stats {
        let t = self.cve_tables();
        Stats {
            updates: self.slots.len(),
            // Every kind, so the counts add up to `updates` (the service
            // pack and the convenience rollup were left out before).
            updates_by_kind: UpdateKind::ALL
                .iter()
                .map(|&k| (k, self.slots.iter().filter(|s| s.kind == k).count()))
                .filter(|&(_, n)| n > 0)
                .collect(),
            products: self.products.len(),
            cves: t.cves.len(),
            fixes: t.cves.iter().map(|c| c.fixes.len()).sum(),
            kev: t.kev.len(),
            cves_in_kev: t.cves.iter().filter(|c| c.kev.is_some()).count(),
            dangling_supersedes: self.dangling_supersedes().len(),
            embedded_bytes: embedded_size(),
        }
    }
}

/// Size of the embedded binary form (both blobs), in bytes.
pub fn embedded_size() -> usize {
    UPDATES_BIN.len() + CVES_BIN.len()
}

/// KEV data older than this many days is stale (CISA adds entries weekly).
pub const KEV_STALE_DAYS: i64 = 30;
/// MSRC data older than this many days is stale (monthly releases, revisions).
pub const MSRC_STALE_DAYS: i64 = 45;

/// How old the catalog's data is ([`Catalog::freshness`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Freshness {
    /// The date the KEV data in effect is as of.
    pub kev_as_of: Date,
    /// Its age in days.
    pub kev_age_days: i64,
    /// The date of the MSRC data in effect.
    pub msrc_as_of: Date,
    /// Its age in days.
    pub msrc_age_days: i64,
    /// What is stale and how to refresh it (empty when current).
    pub warnings: Vec<String>,
}

/// The Microsoft Update Catalog search page for `kb`, where its packages
/// (one per architecture, sometimes per language) are downloaded: a search,
/// not a file (no source in the data gives the package file names).
pub fn update_catalog_search(kb: Kb) -> String {
    format!("https://www.catalog.update.microsoft.com/Search.aspx?q={kb}")
}

/// The dates of the datasets the embedded catalog was built from.
pub fn data_version() -> DataVersion {
    let d = |y, m, dd| Date::new(y, m, dd).unwrap_or_else(|| Date::from_days(0));
    DataVersion {
        msrc: d(2026, 6, 28),
        msrc_commit: "026a581d55d653f6612d1374eb77b1db94778fde",
        kev: "2025.08.25",
        kev_date: d(2025, 8, 25),
        servicing: d(2026, 11, 25),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn freshness_warns_past_30_days_of_kev_and_45_of_msrc() {
        let c = Catalog::embedded();
        let day = |y, m, d| Date::new(y, m, d).unwrap();
        // Embedded KEV 2025.08.25: 30 days later is still current, 31 is stale.
        let f = c.freshness(day(2025, 9, 24));
        assert_eq!((f.kev_age_days, f.warnings.len()), (30, 0), "{:?}", f.warnings);
        let f = c.freshness(day(2025, 9, 25));
        assert_eq!(f.warnings.len(), 1);
        assert!(
            f.warnings[0].contains("31 days old") && f.warnings[0].contains("w2k8 catalog import"),
            "{:?}",
            f.warnings
        );
        // Embedded MSRC 2026-06-28: 45 days later is current, 46 is stale (and the KEV data long stale).
        assert_eq!(c.freshness(day(2026, 8, 12)).warnings.len(), 1);
        let f = c.freshness(day(2026, 8, 13));
        assert_eq!((f.msrc_age_days, f.warnings.len()), (46, 2));
        // A date before the data: age 0, never negative.
        assert_eq!(c.freshness(day(2020, 1, 1)).kev_age_days, 0);
    }

    fn id(s: &str) -> CveId {
        s.parse().unwrap()
    }

    fn kb(s: &str) -> Kb {
        s.parse().unwrap()
    }

    /// The supersedence table read from record heads says what the decoded
    /// records say, for every update, and the reverse edges agree. One edge
    /// by hand: KB4493471, the April 2019 rollup, supersedes March's KB4489880.
    #[test]
    fn supersedence_from_record_heads_matches_the_records() {
        let fresh = Catalog::from_blob(UPDATES_BIN);
        let decoded = Catalog::from_blob(UPDATES_BIN);
        let mut edges = 0;
        for kb in fresh.kbs() {
            let whole = decoded.update(kb).map(|u| u.supersedes.clone()).unwrap_or_default();
            assert_eq!(fresh.supersedes_of(kb), whole.as_slice(), "{kb}");
            edges += whole.len();
        }
        assert!(edges > 1000, "{edges}");
        assert!(fresh.supersedes_of(kb("KB4493471")).contains(&kb("KB4489880")));
        assert!(fresh.superseded_by(kb("KB4489880")).contains(&kb("KB4493471")));
        assert!(fresh.supersedes_of(kb("KB1")).is_empty());
        // Not one record was decoded whole to answer.
        assert!(fresh.cells.iter().all(|c| c.get().is_none()));
    }

    #[test]
    fn embedded_decodes() {
        let c = Catalog::embedded();
        assert_eq!(c.load_error(), None);
        assert_eq!(c.updates().count(), c.slots.len());
        assert!(c.updates().count() > 1500);
        assert!(c.cves().len() > 4000);
    }

    #[test]
    fn kind_names_match_wire() {
        for (i, name) in wire::KIND_NAMES.iter().enumerate() {
            assert_eq!(load::kind(i as u8).unwrap().as_str(), *name);
        }
        assert!(load::kind(wire::KIND_NAMES.len() as u8).is_err());
    }

    #[test]
    fn vulnerability_ids_are_read_exactly_and_one_upstream_padding_is_repaired() {
        use w2k8_data::compile::parse_vuln_id;
        let key = parse_vuln_id;
        assert_eq!(key("CVE-2019-0708"), Ok(Some(((2019, 708), "CVE-2019-0708".to_string()))));
        assert_eq!(key("ADV190023"), Ok(Some(((0, 190_023), "ADV190023".to_string()))));
        // MSRC's March 2017 rows write CVE-2017-0016 as CVE-2017-00016.
        assert_eq!(key("CVE-2017-00016"), Ok(Some(((2017, 16), "CVE-2017-0016".to_string()))));
        assert_eq!(key("CVE-2021-034527"), Ok(Some(((2021, 34527), "CVE-2021-34527".to_string()))));
        assert_eq!(key(""), Ok(None));
        assert_eq!(key("CVE"), Ok(None));
        for bad in
            ["CVE-2017-016", "CVE-2017-0", "CVE-2017-", "CVE-2017-0x016", "cve-2019-0708", "ADV19002", "KB4493471"]
        {
            assert_eq!(key(bad), Err(format!("CVE: expected CVE-YYYY-NNNN or ADVnnnnnn, found {bad:?}")), "{bad}");
        }
    }

    #[test]
    fn april_2019_rollup() {
        let c = Catalog::embedded();
        let u = c.update(kb("KB4493471")).unwrap();
        assert_eq!(u.kind, UpdateKind::MonthlyRollup);
        assert_eq!(u.released, Date::new(2019, 4, 9));
        assert_eq!(u.kernel, Some(FileVersion::new(6, 0, 6003, 20489)));
        assert_eq!(u.supersedes, [kb("KB4489880")]);
        assert_eq!(u.sources.first().map(String::as_str), Some("data/servicing/ws2008-sp2-updates.csv:16"));
        // Quoted from rfl_Hotfix.csv (data/servicing/README.md), hyphen shown as an em dash.
        assert_eq!(u.title.as_deref(), Some("April 9, 2019\u{2014}KB4493471 (Monthly Rollup)"));
        assert!(u.applies_to(OsFamily::Ws2008));
        assert_eq!(c.update(kb("KB4493458")).unwrap().kind, UpdateKind::SecurityOnly);
        assert!(c.superseded_by(kb("KB4493471")).contains(&kb("KB4499149")));
        assert!(c.supersedes_transitively(kb("KB5073697"), kb("KB4458010")));
        assert!(!c.supersedes_transitively(kb("KB4458010"), kb("KB5073697")));
    }

    #[test]
    fn bluekeep() {
        let c = Catalog::embedded();
        let cve = c.cve(id("CVE-2019-0708")).unwrap();
        assert_eq!(cve.severity, Severity::Critical);
        assert_eq!(cve.id, "CVE-2019-0708");
        let x64 = c
            .products()
            .iter()
            .position(|p| p.name == "Windows Server 2008 for x64-based Systems Service Pack 2")
            .unwrap() as u16;
        let on_x64: Vec<String> = cve.fixes.iter().filter(|f| f.product == x64).map(|f| f.kb.to_string()).collect();
        assert!(on_x64.contains(&"KB4499149".to_string()), "{on_x64:?}");
        assert!(on_x64.contains(&"KB4499180".to_string()), "{on_x64:?}");
        let k = cve.kev.as_ref().unwrap();
        assert_eq!(k.cve, "CVE-2019-0708");
        assert!(c.cves_fixed_by(kb("KB4499149")).iter().any(|c| c.id == "CVE-2019-0708"));
    }

    #[test]
    fn msrc_derived_updates() {
        let c = Catalog::embedded();
        let ie = c.update(kb("KB4012204")).unwrap();
        assert_eq!(ie.kind, UpdateKind::InternetExplorer);
        assert_eq!(ie.released, Date::new(2017, 3, 14));
        assert_eq!(ie.supersedes, [kb("KB3203621")]);
        assert_eq!(ie.os, [OsFamily::Ws2008, OsFamily::Ws2008R2]);
        assert_eq!(ie.products.len(), 3);
        assert!(ie.sources.iter().any(|s| s.contains("MSRC `Title` column")), "{:?}", ie.sources);
        assert!(ie.sources[0].starts_with("data/msrc/ws2008-msrc.csv.gz:"), "{:?}", ie.sources);

        // Rows tie between 2017-03 and 2017-04: the earlier month wins.
        let xml = c.update(kb("KB3216916")).unwrap();
        assert_eq!(xml.kind, UpdateKind::SecurityUpdate);
        assert_eq!(xml.released, Date::new(2017, 3, 14));
        assert_eq!(xml.title.as_deref(), Some("Security Update for Microsoft XML Core Services"));
        assert!(xml.notes.iter().any(|n| n.contains("2 different titles")), "{:?}", xml.notes);
        assert_eq!(xml.os, [OsFamily::Ws2008]);

        // A CVE revision lists the July 2025 rollup under a CVE of 2024-04-09;
        // the servicing table's date wins and the main-month rule agrees.
        let july = c.update(kb("KB5062624")).unwrap();
        assert_eq!(july.released, Date::new(2025, 7, 8));
        assert!(july.notes.iter().all(|n| !n.contains("suggest")));

        // The self-reference in MSRC's Supersedes column is dropped.
        let odd = c.update(kb("KB3062577")).unwrap();
        assert!(!odd.supersedes.contains(&odd.kb));
        assert!(odd.notes.iter().any(|n| n.contains("names this KB itself")));
    }

    #[test]
    fn special_kinds() {
        let c = Catalog::embedded();
        assert_eq!(c.update(kb("KB4474419")).unwrap().kind, UpdateKind::Sha2);
        assert_eq!(c.update(kb("KB4538484")).unwrap().kind, UpdateKind::EsuPrep);
        assert_eq!(c.update(kb("KB4493730")).unwrap().kind, UpdateKind::Ssu);
    }

    #[test]
    fn kernel_helper() {
        let c = Catalog::embedded();
        let v = |s: &str| s.parse::<FileVersion>().unwrap();
        assert_eq!(c.kernel_at_least(v("6.0.6002.24565")).unwrap().kb, kb("KB4489880"));
        assert_eq!(c.kernel_at_least(v("6.0.6003.20489")).unwrap().kb, kb("KB4493471"));
        assert_eq!(c.kernel_at_least(v("6.0.6003.20488")).unwrap().kb, kb("KB4489880"));
        assert_eq!(c.kernel_at_least(v("6.0.6002.24463")).unwrap().kb, kb("KB4458010"));
        assert_eq!(c.kernel_at_least(v("6.0.6002.24462")), None);
        assert_eq!(c.kernel_at_least(v("6.0.6002.18005")), None);
        // 2008 R2 SP1: 24000 is January 2018 (KB4056894), an ntoskrnl month in
        // Tenable's data (r2-facts.md §6); 26321 is January 2023 (KB5022338).
        assert_eq!(c.kernel_at_least(v("6.1.7601.24000")).unwrap().kb, kb("KB4056894"));
        assert_eq!(c.kernel_at_least(v("6.1.7601.26321")).unwrap().kb, kb("KB5022338"));
        assert_eq!(c.kernel_at_least(v("6.1.7601.23563")), None);
        assert_eq!(c.kernel_at_least(v("6.2.9200.1")), None);
        // A 6003 kernel is newer than every 6002 one.
        assert_eq!(c.kernel_at_least(v("6.0.6003.1")).unwrap().kb, kb("KB4489880"));
    }
}
