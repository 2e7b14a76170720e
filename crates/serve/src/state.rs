//! What every request shares: a small pool of store connections (the store
//! is synchronous, so requests use it on tokio's blocking threads), the
//! catalog, the access settings, and a cache of the fleet-wide answers
//! (summary, host list, CVEs, missing updates) that is thrown away whenever
//! the store's scan count moves (scans are only ever added).
use std::sync::{Arc, Condvar, Mutex};
use w2k8_catalog::Catalog;
use w2k8_fleet::{FleetCve, FleetMissing, HostRow};
use w2k8_store::{Store, StoreError};

use crate::auth::Token;

/// Size and time limits of requests and connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest request body accepted, uploads included (bytes).
    pub max_body: usize,
    /// Time a connection has to send a request's head (request line and
    /// headers), counted from when it opens or its last answer: a client
    /// that sends nothing or a partial head is closed after it, and so is a
    /// keep-alive connection idle that long.
    pub header_timeout: std::time::Duration,
    /// Time a request has to send its whole body; after it the answer is
    /// 408 and the connection is closed.
    pub body_timeout: std::time::Duration,
    /// Connections served at once; further ones wait in the listen queue
    /// until one closes. Lowered at start to what the process's open-file
    /// limit allows ([`crate::conn::fd_budget`]).
    pub max_connections: usize,
    /// Connections one client address may hold at once; a further one from
    /// it is closed at once, so that one address cannot take every slot.
    pub max_per_address: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        // A collector bundle is tens of KiB zipped; 32 MiB leaves room for a
        // bundle with logs while bounding memory per request (32 MiB in 60 s
        // is about 0.5 MiB/s). 4,096 connections (an idle one costs a few
        // KiB) leave room for normal clients while hundreds of idle or slow
        // ones are open; the open-file limit is raised to fit them where the
        // system allows, and the cap lowered where it does not. 128 per
        // address: one client cannot hold more than that.
        Limits {
            max_body: 32 * 1024 * 1024,
            header_timeout: std::time::Duration::from_secs(10),
            body_timeout: std::time::Duration::from_secs(60),
            max_connections: 4096,
            max_per_address: 128,
        }
    }
}

/// A fixed set of open stores; each request borrows one on a blocking
/// thread. Async callers ([`with_store`]) first wait for a permit, in
/// arrival order (a fair semaphore), so that at most as many blocking
/// threads as stores are busy and no request waits behind a later one.
pub struct StorePool {
    free: Mutex<Vec<Box<dyn Store + Send>>>,
    returned: Condvar,
    permits: tokio::sync::Semaphore,
    /// One more connection, only for the scan count that keys the cache:
    /// a cached answer never waits behind slow queries for a connection.
    counter: Mutex<Box<dyn Store + Send>>,
}

impl StorePool {
    /// Opens `size` connections to `db` (a SQLite path or a PostgreSQL URL),
    /// plus one for the scan count.
    pub fn open(db: &str, size: usize) -> Result<StorePool, StoreError> {
        let size = size.max(1);
        let mut stores = Vec::with_capacity(size);
        for _ in 0..size {
            stores.push(w2k8_store::open_store(db)?);
        }
        let counter = Mutex::new(w2k8_store::open_store(db)?);
        Ok(StorePool {
            free: Mutex::new(stores),
            returned: Condvar::new(),
            permits: tokio::sync::Semaphore::new(size),
            counter,
        })
    }

    /// The store's change key ([`w2k8_store::Store::change_key`]: scans and
    /// accepted risks), on the calling (blocking) thread, from the
    /// connection kept for it.
    pub fn change_key_blocking(&self) -> Result<u64, StoreError> {
        let c = match self.counter.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        c.change_key()
    }

    /// Takes a free store, waiting for one.
    fn take(&self) -> Box<dyn Store + Send> {
        // A poisoned lock only means a thread panicked while pushing or
        // popping; the list itself is intact.
        let mut free = match self.free.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        loop {
            if let Some(s) = free.pop() {
                return s;
            }
            free = match self.returned.wait(free) {
                Ok(g) => g,
                Err(p) => p.into_inner(),
            };
        }
    }

    /// Puts a store back and wakes one waiter.
    fn give_back(&self, store: Box<dyn Store + Send>) {
        let mut free = match self.free.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        free.push(store);
        self.returned.notify_one();
    }

    /// Runs `f` with one of the stores, on the calling (blocking) thread,
    /// waiting for one to be free. The store goes back to the pool even
    /// when `f` panics (the panic then continues).
    pub fn with_blocking<R>(&self, f: impl FnOnce(&mut dyn Store) -> R) -> R {
        let mut store = self.take();
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(store.as_mut())));
        self.give_back(store);
        match r {
            Ok(r) => r,
            Err(p) => std::panic::resume_unwind(p),
        }
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
    /// Request size and time limits, the connection cap.
    pub limits: Limits,
    /// Names accepted in the `Host` header besides the loopback names and
    /// the listen address (see [`crate::conn::HostCheck`]).
    pub allowed_hosts: Vec<String>,
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
    /// "What to close first".
    pub close_first: Slot<w2k8_fleet::CloseFirst>,
    /// Bumped when this server records or removes an accepted risk: the
    /// answers that count accepted findings (hosts, summary) are then
    /// recomputed although no scan was added (see [`cache_key`]).
    pub acceptances: std::sync::atomic::AtomicU64,
    /// The scan count last read, and when.
    pub count: CountMemo,
}

/// How long a scan count read from the store is trusted. Within it,
/// fleet-wide answers are served without asking the store whether scans
/// were added: a scan written by another process (a `w2k8 scan`, another
/// serve instance) shows on the dashboard within this time, and an upload
/// to this instance at once (it forgets the memo). Asking on every request
/// made the count query the bottleneck of a loaded PostgreSQL server.
pub const COUNT_TTL: std::time::Duration = std::time::Duration::from_secs(1);

/// The scan count last read from the store, with its time.
#[derive(Default)]
pub struct CountMemo(Mutex<Option<(std::time::Instant, u64)>>);

impl CountMemo {
    /// The count read less than [`COUNT_TTL`] ago, if any.
    pub fn fresh(&self) -> Option<u64> {
        let g = match self.0.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        g.filter(|(at, _)| at.elapsed() < COUNT_TTL).map(|(_, n)| n)
    }

    /// Remembers `count`, read now.
    pub fn set(&self, count: u64) {
        let mut g = match self.0.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        *g = Some((std::time::Instant::now(), count));
    }

    /// Forgets the count (this instance just wrote a scan).
    pub fn forget(&self) {
        let mut g = match self.0.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        *g = None;
    }
}

/// The state as handlers receive it.
pub type Shared = Arc<AppState>;

/// Runs `f` with a store on tokio's blocking pool.
pub async fn with_store<R: Send + 'static>(state: &Shared, f: impl FnOnce(&mut dyn Store) -> R + Send + 'static) -> R {
    // The semaphore is never closed; were it, the request would simply not
    // wait for its turn.
    let _turn = state.pool.permits.acquire().await.ok();
    let st = Arc::clone(state);
    match tokio::task::spawn_blocking(move || st.pool.with_blocking(f)).await {
        Ok(r) => r,
        // The closure panicked: re-raise on this task (axum answers 500).
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}

/// The key of the cached answers: the store's change key (scans stored and
/// accepted risks, by any process; read on a blocking thread, without
/// waiting for a pooled connection, at most once every [`COUNT_TTL`]),
/// changed at once when this server records or removes an accepted risk.
/// An accepted risk recorded by another process (`w2k8 accept`) shows
/// within [`COUNT_TTL`].
pub async fn cache_key(state: &Shared) -> Result<u64, StoreError> {
    let generation = state.cache.acceptances.load(std::sync::atomic::Ordering::Relaxed) << 40;
    if let Some(n) = state.cache.count.fresh() {
        return Ok(n.wrapping_add(generation));
    }
    let st = Arc::clone(state);
    let n = match tokio::task::spawn_blocking(move || st.pool.change_key_blocking()).await {
        Ok(r) => r?,
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    };
    state.cache.count.set(n);
    Ok(n.wrapping_add(generation))
}
