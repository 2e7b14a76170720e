//! Tables computed once per catalog (or per set of product rows) and shared
//! by every assessment in a process: the CVEs of a row set with their fixes,
//! the chain ends of the pre-rollup updates, and the catalog's cycles.
use super::context::supersedes;
use crate::supersede;
use w2k8_catalog::Catalog;
use w2k8_core::hash::FastMap;
use w2k8_core::Kb;

/// One CVE that affects a set of product rows: its index in
/// `Catalog::cves()` and its fixing KBs on those rows (sorted, unique).
pub(crate) struct CveRow {
    /// Index into `Catalog::cves()`.
    pub cve: u32,
    /// Its fixes on the host's rows.
    pub fixes: Vec<Kb>,
}

/// The CVEs (MSRC advisories left out: their updates are prerequisites, not
/// vulnerabilities) that affect the host's product rows, with their fixes on
/// those rows. The same rows recur across a fleet, so the index is built once
/// per row set and catalog and shared.
pub(crate) fn cve_index(catalog: &Catalog, rows: &[u16], row: &dyn Fn(u16) -> bool) -> std::sync::Arc<Vec<CveRow>> {
    type Cache = std::sync::Mutex<FastMap<(usize, usize, Vec<u16>), std::sync::Arc<Vec<CveRow>>>>;
    static CACHE: std::sync::OnceLock<Cache> = std::sync::OnceLock::new();
    // The catalog's address and size tell catalogs apart within a process.
    let key = (catalog as *const Catalog as usize, catalog.cves().len(), rows.to_vec());
    let cache = CACHE.get_or_init(Default::default);
    if let Some(hit) = cache.lock().ok().and_then(|m| m.get(&key).cloned()) {
        return hit;
    }
    // Sized for every CVE once (a few hundred kilobytes), not grown by doubling.
    let mut built: Vec<CveRow> = Vec::with_capacity(catalog.cves().len());
    built.extend(catalog.cves().iter().enumerate().filter(|(_, c)| !c.id.is_advisory()).filter_map(|(i, c)| {
        let mut fixes: Vec<Kb> = c.fixes.iter().filter(|f| row(f.product)).map(|f| f.kb).collect();
        fixes.sort_unstable();
        fixes.dedup();
        let affected = !fixes.is_empty() || c.affected.iter().any(|p| row(*p));
        let cve = u32::try_from(i).ok()?;
        affected.then_some(CveRow { cve, fixes })
    }));
    let built = std::sync::Arc::new(built);
    if let Ok(mut m) = cache.lock() {
        // A long-running process sees few distinct row sets; bound it anyway.
        if m.len() > 64 {
            m.clear();
        }
        m.insert(key, built.clone());
    }
    built
}

/// The chain ends of update `kb` (the callers ask for pre-rollup ones),
/// worked out the first time any assessment of the process asks and kept
/// (they depend on the catalog only), for the first catalog assessed. `None`
/// for another catalog or a KB the catalog does not have: the caller then
/// computes them itself. Lazy, so a single host pays only for the updates
/// its CVEs name (and decodes none to set the table up).
pub(crate) fn heads_of(catalog: &Catalog, kb: Kb) -> Option<&'static supersede::Heads> {
    type Slots = (usize, Vec<Kb>, Vec<std::sync::OnceLock<supersede::Heads>>);
    static TABLE: std::sync::OnceLock<Slots> = std::sync::OnceLock::new();
    let addr = catalog as *const Catalog as usize;
    let (owner, kbs, slots) = TABLE.get_or_init(|| {
        let kbs: Vec<Kb> = catalog.kbs().collect();
        let slots = kbs.iter().map(|_| std::sync::OnceLock::new()).collect();
        (addr, kbs, slots)
    });
    if *owner != addr {
        return None;
    }
    let slot = slots.get(kbs.binary_search(&kb).ok()?)?;
    Some(slot.get_or_init(|| supersede::heads(kb, |k| catalog.superseded_by(k))))
}

/// Cycle edges of the whole catalog graph, computed once.
pub(crate) fn data_cycles(catalog: &Catalog) -> &'static [(Kb, Kb)] {
    static CYCLES: std::sync::OnceLock<Vec<(Kb, Kb)>> = std::sync::OnceLock::new();
    CYCLES.get_or_init(|| supersede::back_edges(catalog.kbs(), |k| supersedes(catalog, k)))
}
