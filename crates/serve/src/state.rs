//! What every request shares: a small pool of store connections (the store
//! is synchronous, so requests use it on tokio's blocking threads), the
//! catalog, the access settings, and a cache of the fleet-wide answers
//! (summary, host list, CVEs, missing updates) that is thrown away whenever
//! the store's scan count moves (scans are only ever added).
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use w2k8_catalog::Catalog;
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
