//! What every request shares: a small pool of store connections (the store
//! is synchronous, so requests use it on tokio's blocking threads), the
//! catalog, the access settings, and a cache of the fleet-wide answers
//! (summary, host list, CVEs, missing updates) that is thrown away whenever
//! the store's scan count moves (scans are only ever added).
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use w2k8_catalog::Catalog;
use w2k8_fleet::{FleetCve, FleetMissing, HostRow};
use w2k8_store::{Store, StoreError};

use crate::auth::Token;

/// Size limits of requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest request body accepted, uploads included (bytes).
    pub max_body: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        // A collector bundle is tens of KiB zipped; 32 MiB leaves room for a
        // bundle with logs while bounding memory per request.
        Limits { max_body: 32 * 1024 * 1024 }
    }
}

/// A fixed set of open stores; each request borrows one on a blocking
/// thread.
pub struct StorePool {
    stores: Vec<Mutex<Box<dyn Store + Send>>>,
    next: AtomicUsize,
}

impl StorePool {
    /// Opens `size` connections to `db` (a SQLite path or a PostgreSQL URL).
    pub fn open(db: &str, size: usize) -> Result<StorePool, StoreError> {
        let mut stores = Vec::with_capacity(size.max(1));
        for _ in 0..size.max(1) {
            stores.push(Mutex::new(w2k8_store::open_store(db)?));
        }
        Ok(StorePool { stores, next: AtomicUsize::new(0) })
    }

    /// Runs `f` with one of the stores, on the calling (blocking) thread:
    /// the first free one, or else waits for the next in turn.
    pub fn with_blocking<R>(&self, f: impl FnOnce(&mut dyn Store) -> R) -> R {
        for m in &self.stores {
            if let Ok(mut s) = m.try_lock() {
                return f(s.as_mut());
            }
        }
        let i = self.next.fetch_add(1, Ordering::Relaxed) % self.stores.len();
        // A poisoned lock only means another request panicked while holding
        // it; the connection itself is still usable.
        let mut s = match self.stores[i].lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        f(s.as_mut())
    }
}

/// The state shared by every request.
pub struct AppState {
    /// Store connections.
    pub pool: StorePool,
    /// The catalog (embedded, plus the imported overlay).
    pub catalog: &'static Catalog,
    /// The catalog's data versions, e.g. `msrc 2026-06-28, kev 2025.08.25, servicing ...`.
    pub catalog_label: String,
    /// The bearer token.
    pub token: Token,
    /// Reads without the token.
    pub public_read: bool,
    /// Request size limits.
    pub limits: Limits,
    /// Fleet-wide answers, kept until the store's scan count moves.
    pub cache: FleetCache,
}

/// One cached answer: the value and the scan count it was computed at.
pub struct Slot<T> {
    value: Mutex<Option<(u64, Arc<T>)>>,
    /// Held while (re)computing, so that concurrent requests wait for one
    /// computation instead of each running their own.
    compute: Mutex<()>,
}

impl<T> Default for Slot<T> {
    fn default() -> Slot<T> {
        Slot { value: Mutex::new(None), compute: Mutex::new(()) }
    }
}

impl<T> Slot<T> {
    /// The value computed at scan count `count`, if it is still there.
    pub fn get(&self, count: u64) -> Option<Arc<T>> {
        let g = match self.value.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        g.as_ref().filter(|(c, _)| *c == count).map(|(_, v)| Arc::clone(v))
    }

    /// Keeps `value` as the answer at scan count `count`.
    pub fn put(&self, count: u64, value: Arc<T>) {
        let mut g = match self.value.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        *g = Some((count, value));
    }

    /// The value at scan count `count`: the cached one, or `compute()`d
    /// (by one caller at a time; the others wait and reuse it).
    pub fn get_or_compute<E>(&self, count: u64, compute: impl FnOnce() -> Result<T, E>) -> Result<Arc<T>, E> {
        if let Some(v) = self.get(count) {
            return Ok(v);
        }
        let _one = match self.compute.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        if let Some(v) = self.get(count) {
            return Ok(v);
        }
        let v = Arc::new(compute()?);
        self.put(count, Arc::clone(&v));
        Ok(v)
    }
}

/// The fleet-wide answers, each valid for one scan count (scans are only
/// ever added, so a new count means new data).
#[derive(Default)]
pub struct FleetCache {
    /// `GET /api/summary`, serialized.
    pub summary: Slot<String>,
    /// Every host, sorted by name.
    pub hosts: Slot<Vec<HostRow>>,
    /// Every open CVE, KEV first, then by number of hosts.
    pub cves: Slot<Vec<FleetCve>>,
    /// Every missing update, by number of hosts.
    pub missing: Slot<Vec<FleetMissing>>,
}

/// The state as handlers receive it.
pub type Shared = Arc<AppState>;

/// Runs `f` with a store on tokio's blocking pool.
pub async fn with_store<R: Send + 'static>(state: &Shared, f: impl FnOnce(&mut dyn Store) -> R + Send + 'static) -> R {
    let st = Arc::clone(state);
    match tokio::task::spawn_blocking(move || st.pool.with_blocking(f)).await {
        Ok(r) => r,
        // The closure panicked: re-raise on this task (axum answers 500).
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}
