//! The fleet store: every scan of every host, kept with its time, so that
//! `w2k8 hosts`, `history`, `diff` and `report` can answer from it.
//!
//! The [`Store`] trait is the whole interface the commands use; [`SqliteStore`]
//! implements it on an embedded SQLite database (WAL, foreign keys, one
//! transaction per batch, a busy timeout, a versioned schema migrated in
//! code: see [`schema`]), and [`PgStore`] on a shared PostgreSQL database
//! (see [`pg`]). [`open_store`] picks the backend from the `--db` value: a
//! `postgres://` or `postgresql://` URL, or else a SQLite file path.
//! Connection strings may carry a password: show them with [`redact`] only.
//!
//! A host is identified by its name plus its Windows product ID (the name
//! alone when the bundle has no product ID), and addressed by its id. A
//! name asked for that several hosts share is never resolved to one of
//! them in silence ([`StoreError::Ambiguous`] lists them). A scan is identified by its
//! host plus a digest of the input bytes: scanning the same input again
//! stores nothing new (idempotent).
#![deny(missing_docs)]

mod change;
mod derive;
pub mod filter;
pub mod pg;
mod rows;
pub mod schema;
mod sets;
mod sqlite;
mod write;

pub use filter::{Filter, FilterError};
pub use pg::PgStore;
pub use sqlite::SqliteStore;
pub use w2k8_fleet::{CveExposure, CveScan, FileProblem};

use std::collections::HashMap;
use std::sync::Arc;
use w2k8_core::{CveId, Kb, Timestamp};
pub use w2k8_fleet::{AcceptanceRecord, AcceptedCounts, NewAcceptance};
use w2k8_fleet::{
    FleetCve, FleetDiff, FleetMissing, FleetReport, History, HostDetail, HostRow, ScanRecord, ScanStatus,
};

/// An error of the store: the database could not be opened, read or written.
/// The driver's error is kept as the source; `Display` is the context alone,
/// [`StoreError::chain`] the whole chain on one line.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// SQLite failed.
    #[error("{context}")]
    Sqlite {
        /// What was being done (and on which database).
        context: String,
        /// The driver's error.
        #[source]
        source: rusqlite::Error,
    },
    /// PostgreSQL failed.
    #[error("{context}")]
    Postgres {
        /// What was being done (and on which database; a URL's password redacted).
        context: String,
        /// The driver's error.
        #[source]
        source: postgres::Error,
    },
    /// Compressing or reading a stored plan failed.
    #[error("{context}")]
    Io {
        /// What was being done.
        context: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The database holds something w2k8 does not expect (a newer schema, a
    /// damaged record).
    #[error("{0}")]
    Data(String),
    /// A host name that names several hosts (case-insensitively: other
    /// product IDs, other cases): the request must pick one by id
    /// ([`HostRow::host_id`]). Never answered by shadowing all but one.
    #[error("{}", ambiguous_message(name, candidates))]
    Ambiguous {
        /// The name as asked.
        name: String,
        /// Every host of that name, by id (as [`Store::hosts_named`] lists them).
        candidates: Vec<HostRow>,
    },
    /// `--db` names a SQLite database that is not a w2k8 fleet store (it has
    /// tables of its own and no w2k8 schema version): never written to.
    #[error("{db} is a SQLite database but not a w2k8 fleet store (it holds {}, and no w2k8 schema version): give a new file or a fleet database", tables.join(", "))]
    NotFleetStore {
        /// The file.
        db: String,
        /// Some of its tables.
        tables: Vec<String>,
    },
    /// A store error in a wider context (e.g. the database it happened on).
    #[error("{context}")]
    Context {
        /// The wider context.
        context: String,
        /// The error.
        #[source]
        source: Box<StoreError>,
    },
}

impl StoreError {
    /// A SQLite error with its context.
    pub fn sqlite(context: impl Into<String>, source: rusqlite::Error) -> StoreError {
        StoreError::Sqlite { context: context.into(), source }
    }

    /// A PostgreSQL error with its context.
    pub fn postgres(context: impl Into<String>, source: postgres::Error) -> StoreError {
        StoreError::Postgres { context: context.into(), source }
    }

    /// This error in a wider context.
    pub fn within(self, context: impl Into<String>) -> StoreError {
        StoreError::Context { context: context.into(), source: Box::new(self) }
    }

    /// The message and every cause, `: `-joined (for a log line or an API answer).
    pub fn chain(&self) -> String {
        let mut out = self.to_string();
        let mut next = std::error::Error::source(self);
        while let Some(e) = next {
            out.push_str(": ");
            out.push_str(&e.to_string());
            next = e.source();
        }
        out
    }
}

/// `'NAME' names N hosts: #ID NAME (product ID P, last scan T), ...`.
fn ambiguous_message(name: &str, candidates: &[HostRow]) -> String {
    let list: Vec<String> = candidates
        .iter()
        .map(|h| {
            format!(
                "#{} {} (product ID {}, last scan {})",
                h.host_id,
                h.name,
                h.product_id.as_deref().unwrap_or("none"),
                h.last_scan
            )
        })
        .collect();
    format!("'{name}' names {} hosts: {}", candidates.len(), list.join(", "))
}

/// The hosts whose name equals `name` ignoring ASCII case, by id: the
/// shared last word on what "the same name" means (SQLite's `NOCASE` folds
/// ASCII only; PostgreSQL's `lower()` may fold more, and its answers are
/// narrowed by this).
/// The `updates` rows (KB -> title, kind) a connection has written: a row
/// written as it stands needs no second write.
#[derive(Default)]
pub(crate) struct WrittenUpdates(HashMap<u32, (Option<String>, w2k8_core::UpdateKind)>);

impl WrittenUpdates {
    /// Whether `m`'s row was written as `m` has it.
    pub(crate) fn has(&self, m: &MissingInput) -> bool {
        self.0.get(&m.kb.number()).is_some_and(|(t, k)| *t == m.title && *k == m.kind)
    }

    /// Records that `m`'s row was written.
    pub(crate) fn note(&mut self, m: &MissingInput) {
        self.0.insert(m.kb.number(), (m.title.clone(), m.kind));
    }
}

/// The open CVEs of `s` rated critical (its `critical_open` column).
pub(crate) fn critical_count(s: &ScanInput) -> usize {
    s.cves.iter().filter(|c| c.severity() == "critical").count()
}

pub(crate) fn same_name(name: &str, mut rows: Vec<HostRow>) -> Vec<HostRow> {
    rows.retain(|h| h.name.eq_ignore_ascii_case(name));
    rows.sort_by_key(|h| h.host_id);
    rows
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> StoreError {
        StoreError::sqlite("database", e)
    }
}

/// A missing update as one scan found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingInput {
    /// The KB.
    pub kb: Kb,
    /// Its title.
    pub title: Option<String>,
    /// `monthly_rollup`, `ssu`, ...
    pub kind: w2k8_core::UpdateKind,
}

/// An open CVE as one scan found it. Its text is shared (a fleet scan
/// gives the same CVE to thousands of scans: a clone costs one reference
/// count, not an allocation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CveInput {
    /// The id, MSRC title and severity (`critical`, `important`, ...).
    pub text: Arc<w2k8_core::CveText>,
    /// In CISA KEV.
    pub kev: bool,
    /// KEV: known ransomware use.
    pub ransomware: bool,
    /// A public exploit is listed.
    pub exploit: bool,
}

impl CveInput {
    /// An open CVE from its text and marks.
    pub fn new(id: CveId, title: &str, severity: &str, kev: bool, ransomware: bool, exploit: bool) -> CveInput {
        let text = Arc::new(w2k8_core::CveText { id, title: title.into(), severity: severity.into() });
        CveInput { text, kev, ransomware, exploit }
    }

    /// `CVE-YYYY-NNNN`.
    pub fn cve(&self) -> CveId {
        self.text.id
    }

    /// The MSRC title.
    pub fn title(&self) -> &str {
        &self.text.title
    }

    /// `critical`, `important`, ...
    pub fn severity(&self) -> &str {
        &self.text.severity
    }
}

/// The ids a connection has committed, so a write batch asks the database
/// only for new ones (shared by both backends): CVE id -> its `cves.id` and
/// the row this connection last wrote, a scan's CVE list (digest in its
/// order, [`sets::list_digest`]) -> `cve_sets.id`, plan template digest ->
/// `plans.id`, and KB -> the (title, kind) this connection last wrote to
/// `updates`.
#[derive(Default)]
pub(crate) struct Caches {
    pub(crate) cves: std::collections::HashMap<CveId, (i64, CveInput)>,
    pub(crate) sets: std::collections::HashMap<String, i64>,
    pub(crate) plans: std::collections::HashMap<String, i64>,
    pub(crate) updates: WrittenUpdates,
}

/// One scan to store: what `w2k8 scan` produced from one bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanInput {
    /// Host name (the bundle's file name when the bundle gives none).
    pub name: String,
    /// Windows product ID, when the bundle has it.
    pub product_id: Option<String>,
    /// The bundle path as given.
    pub source: String,
    /// Digest of the input bytes (hex).
    pub digest: String,
    /// When the scan ran.
    pub scanned_at: Timestamp,
    /// How it ended.
    pub status: ScanStatus,
    /// The error of a failed or unsupported scan.
    pub error: Option<String>,
    /// e.g. `Windows Server 2008 SP2`, `Windows Server 2008 R2 SP1`.
    pub product: Option<String>,
    /// e.g. `Standard`.
    pub edition: Option<String>,
    /// `x86`, `x64`, `ia64`.
    pub arch: Option<String>,
    /// Server Core.
    pub server_core: Option<bool>,
    /// 6001, 6002, 6003 (2008); 7600, 7601 (2008 R2).
    pub build: Option<u32>,
    /// ntoskrnl.exe version.
    pub kernel: Option<String>,
    /// `YYYY-MM`.
    pub patched_through: Option<w2k8_core::Month>,
    /// `YYYY-MM`, when the evidence gives only a lower bound.
    pub patched_through_at_least: Option<w2k8_core::Month>,
    /// CVEs whose status the evidence cannot tell (not in `cves`).
    pub unknown_cves: u32,
    /// Of those, in CISA KEV.
    pub unknown_kev: u32,
    /// The counts are lower bounds (partial list, or below Service Pack 2).
    pub counts_are_lower_bound: bool,
    /// Of the open KEV CVEs, those reachable (`assess`'s
    /// `summary.reachable_kev`); None when unknown (the bundle lacks the
    /// configuration files that would tell) or not assessed.
    pub reachable_kev: Option<u32>,
    /// The plan's isolation steps (without their commands), for "what to
    /// close first"; None when not assessed or not computed.
    pub isolation: Option<w2k8_fleet::HostIsolation>,
    /// Installed KBs.
    pub kbs: Vec<Kb>,
    /// Missing updates, in install order.
    pub missing: Vec<MissingInput>,
    /// Open CVEs, riskiest first.
    pub cves: Vec<CveInput>,
    /// The install plan of an ok scan, as `w2k8 plan --format json` writes
    /// it (JSON text), for the dashboard's host page; None when not computed.
    pub plan: Option<String>,
    /// The files of the bundle the scan left out, each with why (also on an
    /// ok scan; the error text names them too).
    pub file_problems: Vec<FileProblem>,
    /// The catalog the scan was judged with (data versions, as
    /// `w2k8_scan::catalog_label` writes them); None: not recorded. The
    /// same input judged with another catalog is another scan.
    pub catalog: Option<String>,
    /// The bundle's input as the loader read it, compressed (opaque to the
    /// store: `w2k8_scan` writes and reads it), to re-assess the host
    /// without its bundle; stored once per input digest.
    pub saved_input: Option<Vec<u8>>,
    /// A re-assessment: the id of the scan whose saved input was judged
    /// again (its input is shared, `saved_input` is then not needed).
    pub reassessed_from: Option<i64>,
}

/// A host's latest scan, as re-assessment needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReassessTarget {
    /// The host's id.
    pub host_id: i64,
    /// Its latest scan's id.
    pub scan_id: i64,
    /// The host's name.
    pub name: String,
    /// Its product ID, if any.
    pub product_id: Option<String>,
    /// Where that scan's bundle came from.
    pub source: String,
    /// That scan's input digest.
    pub digest: String,
    /// When it was scanned.
    pub scanned_at: Timestamp,
    /// How that scan ended.
    pub status: ScanStatus,
    /// The catalog it was judged with (None: not recorded).
    pub catalog: Option<String>,
    /// Whether its input was saved (scans stored before schema 6 have none).
    pub has_input: bool,
    /// Whether its reachability and isolation plan were recorded (false for
    /// an assessed scan stored before schema 8 (SQLite) / 7 (PostgreSQL):
    /// re-assessment fills them in place even when its catalog is current).
    pub reach_recorded: bool,
}

/// What writing a batch did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchOutcome {
    /// Scans stored.
    pub stored: usize,
    /// Scans already in the store (same host, same input digest): skipped.
    pub duplicates: usize,
    /// Of the scans already in the store, those stored before w2k8 recorded
    /// reachability: their `reachable_kev` and isolation plan filled in
    /// place (the same input judged with the same catalog).
    pub filled: usize,
}

/// The fleet store interface. Every query answers with the types of
/// `w2k8-fleet`.
pub trait Store {
    /// The schema version of the open database (SQLite and PostgreSQL count
    /// their versions separately).
    fn schema_version(&self) -> Result<i64, StoreError>;
    /// Number of scans stored, all hosts, all times.
    fn scan_count(&self) -> Result<u64, StoreError>;
    /// A key that changes whenever a fleet-wide answer may: a scan stored
    /// or an accepted risk added or removed, by this process or any other
    /// (the scan count mixed with a digest of the `acceptances` rows).
    /// `serve` keys its cached answers by it.
    fn change_key(&self) -> Result<u64, StoreError>;
    /// Refreshes the query planner's statistics after a bulk write (a whole
    /// `scan` or `db migrate`): `ANALYZE` on PostgreSQL, `PRAGMA optimize`
    /// on SQLite. Without them a freshly filled PostgreSQL database plans
    /// host lookups as if its tables were empty.
    fn optimize(&mut self) -> Result<(), StoreError>;
    /// Stores a batch of scans in one transaction: all or nothing.
    fn write_batch(&mut self, scans: &[ScanInput]) -> Result<BatchOutcome, StoreError>;
    /// One row per host, as of its latest scan, sorted by name; filtered.
    fn hosts(&self, filter: &Filter) -> Result<Vec<HostRow>, StoreError>;
    /// Every host whose name is `name` ignoring ASCII case, as of its
    /// latest scan, by id (oldest host first); empty when none. Several
    /// hosts share a name when their product IDs differ, or when names
    /// differ only in case.
    fn hosts_named(&self, name: &str) -> Result<Vec<HostRow>, StoreError>;
    /// The host with id `host_id` as of its latest scan; None when no host
    /// has that id.
    fn host_by_id(&self, host_id: i64) -> Result<Option<HostRow>, StoreError>;
    /// The one host named `name` (ignoring ASCII case); None when no host
    /// has that name, [`StoreError::Ambiguous`] listing them when several
    /// do (never the one scanned last in silence).
    fn find_host(&self, name: &str) -> Result<Option<HostRow>, StoreError> {
        let mut found = self.hosts_named(name)?;
        match found.len() {
            0 => Ok(None),
            1 => Ok(found.pop()),
            _ => Err(StoreError::Ambiguous { name: name.to_string(), candidates: found }),
        }
    }
    /// Every scan of host `host_id`, with the changes between them; None
    /// when no host has that id.
    fn history_by_id(&self, host_id: i64) -> Result<Option<History>, StoreError>;
    /// Every scan of the host named `name` (see [`Store::find_host`]: an
    /// ambiguous name is an error), with the changes between them; None
    /// when no host has that name.
    fn history(&self, name: &str) -> Result<Option<History>, StoreError> {
        match self.find_host(name)? {
            Some(h) => self.history_by_id(h.host_id),
            None => Ok(None),
        }
    }
    /// How long host `host_id` was exposed to `cve`; None when no host has
    /// that id.
    fn cve_exposure_by_id(&self, host_id: i64, cve: CveId) -> Result<Option<CveExposure>, StoreError>;
    /// How long the host named `name` (see [`Store::find_host`]) was
    /// exposed to `cve`.
    fn cve_exposure(&self, name: &str, cve: CveId) -> Result<Option<CveExposure>, StoreError> {
        match self.find_host(name)? {
            Some(h) => self.cve_exposure_by_id(h.host_id, cve),
            None => Ok(None),
        }
    }
    /// Fleet-wide changes: each host's latest scan against its latest scan
    /// before `since` (`YYYY-MM-DD`), or against its previous scan.
    fn diff(&self, since: Option<w2k8_core::Date>) -> Result<FleetDiff, StoreError>;
    /// Everything a fleet report shows. `catalog` names the data versions,
    /// `generated_at` is the report's time; details list at most
    /// `detail_cves` CVEs per host.
    fn fleet_report(
        &self,
        catalog: &str,
        generated_at: Timestamp,
        detail_cves: usize,
    ) -> Result<FleetReport, StoreError>;

    /// The latest scan of host `host_id` in full: its row, its missing
    /// updates as `assess` listed them, and its open CVEs, riskiest first,
    /// at most `max_cves` of them (the row's `open_cves` counts them all);
    /// None when no host has that id. A few indexed reads of this one
    /// host: each entry's `hosts` is 1 (this host), not a fleet-wide count
    /// (see [`Store::fleet_cves`] and [`Store::fleet_missing`] for those).
    fn host_detail_by_id(&self, host_id: i64, max_cves: usize) -> Result<Option<HostDetail>, StoreError>;
    /// [`Store::host_detail_by_id`] of the host named `name` (see
    /// [`Store::find_host`]: an ambiguous name is an error).
    fn host_detail(&self, name: &str, max_cves: usize) -> Result<Option<HostDetail>, StoreError> {
        match self.find_host(name)? {
            Some(h) => self.host_detail_by_id(h.host_id, max_cves),
            None => Ok(None),
        }
    }
    /// The install plan (JSON text, exactly as given in [`ScanInput::plan`])
    /// stored with the latest ok scan of host `host_id`; None when the host
    /// has no ok scan or its latest ok scan has no plan.
    fn plan_of(&self, host_id: i64) -> Result<Option<String>, StoreError>;
    /// Hosts whose latest scan has `cve` open, sorted by
    /// name as [`Store::hosts`] sorts them.
    fn cve_hosts(&self, cve: CveId) -> Result<Vec<HostRow>, StoreError>;
    /// Every CVE open on at least one host (latest scans), with the number
    /// of those hosts: KEV first, then known ransomware use, then by number
    /// of hosts (most first), then by CVE id.
    fn fleet_cves(&self) -> Result<Vec<FleetCve>, StoreError>;
    /// Every update missing on at least one host (latest scans), with the
    /// number of those hosts: most hosts first, then by KB.
    fn fleet_missing(&self) -> Result<Vec<FleetMissing>, StoreError>;
    /// "What to close first": the isolation steps of every host's latest
    /// ok scan added up by step ([`w2k8_fleet::CloseFirst::from_hosts`]).
    fn close_first(&self) -> Result<w2k8_fleet::CloseFirst, StoreError>;
    /// Sets each assessed row's `accepted` counts (see
    /// [`Store::accepted_counts`]) as of `today`; a row not assessed gets
    /// None.
    fn mark_accepted(&self, rows: &mut [HostRow], today: w2k8_core::Date) -> Result<(), StoreError> {
        let counts = self.accepted_counts(today)?;
        for r in rows {
            r.accepted = (r.status == ScanStatus::Ok).then(|| counts.get(&r.host_id).copied().unwrap_or_default());
        }
        Ok(())
    }
    /// Scans of every host, newest first (by time, then by id), `limit` of
    /// them after skipping `offset`.
    fn scans(&self, limit: usize, offset: usize) -> Result<Vec<ScanRecord>, StoreError>;
    /// Every host's latest scan, by host id, for re-assessment.
    fn reassess_targets(&self) -> Result<Vec<ReassessTarget>, StoreError>;
    /// The saved inputs (as given in [`ScanInput::saved_input`]) of the
    /// scans `scan_ids` that have one, by scan id.
    fn saved_inputs(&self, scan_ids: &[i64]) -> Result<Vec<(i64, Vec<u8>)>, StoreError>;

    /// Records an accepted risk (refused as [`StoreError::Data`] when
    /// [`NewAcceptance::problem`] names one); answers it with its id and
    /// the time it was recorded.
    fn add_acceptance(&mut self, a: &NewAcceptance) -> Result<AcceptanceRecord, StoreError>;
    /// Every accepted risk recorded, expired ones too, by id.
    fn acceptances(&self) -> Result<Vec<AcceptanceRecord>, StoreError>;
    /// Removes accepted risk `id`; false when there is none.
    fn remove_acceptance(&mut self, id: i64) -> Result<bool, StoreError>;
    /// The findings of every host's latest ok scan among `cves` (open CVEs,
    /// compared case-insensitively) and `kbs` (missing updates), as `(host
    /// id, host name, CVE id or KBnnnnnnn)`.
    fn findings_among(&self, cves: &[String], kbs: &[Kb]) -> Result<Vec<(i64, String, String)>, StoreError>;
    /// Per host id, how many findings of its latest ok scan the accepted
    /// risks live on `today` cover (a CVE acceptance: that open CVE; a KB
    /// acceptance: that missing update). Hosts with none are left out; the
    /// counts beside a host's `open_cves` and `missing`, which keep
    /// counting accepted findings.
    fn accepted_counts(&self, today: w2k8_core::Date) -> Result<HashMap<i64, AcceptedCounts>, StoreError> {
        let live: Vec<AcceptanceRecord> = self.acceptances()?.into_iter().filter(|a| today <= a.until).collect();
        if live.is_empty() {
            return Ok(HashMap::new());
        }
        let mut cves = Vec::new();
        let mut kbs = Vec::new();
        for a in &live {
            match &a.target {
                w2k8_core::accept::Target::Cve(c) => cves.push(c.to_string()),
                w2k8_core::accept::Target::Kb(k) => kbs.push(*k),
            }
        }
        let found = self.findings_among(&cves, &kbs)?;
        Ok(rows::count_accepted(&live, &found))
    }
}

/// True when `db` names a PostgreSQL database rather than a SQLite file: a
/// `postgres://` or `postgresql://` URL, or a libpq `key=value` connection
/// string (`host=db.example user=w2k8 password=... dbname=fleet`: its first
/// word is one of libpq's connection keywords followed by `=`).
pub fn is_postgres_url(db: &str) -> bool {
    let lower = db.get(..13).unwrap_or(db).to_ascii_lowercase();
    if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
        return true;
    }
    let first = db.split_whitespace().next().unwrap_or("");
    first.split_once('=').is_some_and(|(key, _)| LIBPQ_KEYWORDS.contains(&key.to_ascii_lowercase().as_str()))
}

/// The connection keywords of a libpq `key=value` string that the
/// PostgreSQL client understands.
const LIBPQ_KEYWORDS: &[&str] = &[
    "host",
    "hostaddr",
    "port",
    "dbname",
    "user",
    "password",
    "options",
    "application_name",
    "connect_timeout",
    "sslmode",
    "keepalives",
    "keepalives_idle",
    "target_session_attrs",
    "channel_binding",
    "load_balance_hosts",
];

/// Opens the fleet store `db` names: a PostgreSQL URL or `key=value`
/// connection string ([`PgStore`]) or a SQLite file path ([`SqliteStore`],
/// created if missing). Either is migrated
/// to the current schema. Errors name the database by [`redact`]ed URL.
pub fn open_store(db: &str) -> Result<Box<dyn Store + Send>, StoreError> {
    if is_postgres_url(db) {
        Ok(Box::new(PgStore::open(db)?))
    } else {
        Ok(Box::new(SqliteStore::open(std::path::Path::new(db))?))
    }
}

/// Opens the existing fleet store `db` names for reading: a PostgreSQL URL
/// as [`open_store`] does, a SQLite file read-only when its schema is
/// current ([`SqliteStore::open_for_reading`]: a read-only file or folder
/// can be read). Writes through it may fail.
pub fn open_store_for_reading(db: &str) -> Result<Box<dyn Store + Send>, StoreError> {
    if is_postgres_url(db) {
        Ok(Box::new(PgStore::open(db)?))
    } else {
        Ok(Box::new(SqliteStore::open_for_reading(std::path::Path::new(db))?))
    }
}

/// `db` with any password masked as `***`, for messages and logs: the
/// password of a URL's user info (`postgres://user:secret@host/db`) and the
/// value of any `password=` parameter (URL query or key=value form). Other
/// strings are returned unchanged.
pub fn redact(db: &str) -> String {
    let mut out = db.to_string();
    if let Some(scheme_end) = out.find("://") {
        let rest_start = scheme_end + 3;
        let rest = out.get(rest_start..).unwrap_or("");
        let auth_len = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let authority = rest.get(..auth_len).unwrap_or("");
        if let Some(at) = authority.rfind('@') {
            let userinfo = authority.get(..at).unwrap_or("");
            if let Some(colon) = userinfo.find(':') {
                let start = rest_start + colon + 1;
                let end = rest_start + at;
                out.replace_range(start..end, "***");
            }
        }
    }
    // `password=...` up to the next separator, in a query string or a
    // key=value connection string.
    let mut result = String::with_capacity(out.len());
    let mut rest = out.as_str();
    loop {
        let lower = rest.to_ascii_lowercase();
        let Some(i) = lower.find("password=") else {
            result.push_str(rest);
            break;
        };
        let value_start = i + "password=".len();
        result.push_str(rest.get(..value_start).unwrap_or(""));
        let tail = rest.get(value_start..).unwrap_or("");
        let value_len = if let Some(quoted) = tail.strip_prefix('\'') {
            quoted.find('\'').map(|j| j + 2).unwrap_or(tail.len())
        } else {
            tail.find(['&', ' ', '#']).unwrap_or(tail.len())
        };
        result.push_str("***");
        rest = tail.get(value_len..).unwrap_or("");
    }
    result
}

/// The current UTC time (what a scan or an acceptance is recorded with).
pub fn now_utc() -> Timestamp {
    Timestamp::now()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted() {
        for (url, shown) in [
            ("postgres://w2k8:s3cret@db.example:5432/w2k8", "postgres://w2k8:***@db.example:5432/w2k8"),
            ("postgresql://u:p%40ss@h/db?sslmode=disable", "postgresql://u:***@h/db?sslmode=disable"),
            ("postgres://u@h/db?password=s3cret&x=1", "postgres://u@h/db?password=***&x=1"),
            ("host=h user=u password='s 3' dbname=d", "host=h user=u password=*** dbname=d"),
            ("postgres://w2k8@127.0.0.1:54329/w2k8", "postgres://w2k8@127.0.0.1:54329/w2k8"),
            ("host=h password=s3cret user=u", "host=h password=*** user=u"),
            ("fleet.db", "fleet.db"),
        ] {
            assert_eq!(redact(url), shown);
        }
    }

    #[test]
    fn a_failed_connection_never_shows_the_password() {
        let Err(e) = open_store("postgres://w2k8:s3cret@127.0.0.1:1/w2k8") else { panic!("port 1 answered") };
        let text = format!("{e} {e:?}");
        assert!(!text.contains("s3cret"), "{text}");
        assert!(text.contains("postgres://w2k8:***@127.0.0.1:1/w2k8"), "{text}");
        assert!(is_postgres_url("PostgreSQL://x") && !is_postgres_url("postgres.db"));
    }

    #[test]
    fn libpq_key_value_strings_are_postgres() {
        for pg in ["host=db.example user=w2k8 password=s3cret dbname=fleet", "  dbname=fleet", "Port=5432 host=h"] {
            assert!(is_postgres_url(pg), "{pg}");
        }
        for file in ["fleet.db", "x=1.db", "/tmp/host=x/fleet.db", "my fleet.db", ""] {
            assert!(!is_postgres_url(file), "{file}");
        }
        let Err(e) = open_store("host=127.0.0.1 port=1 user=w2k8 password=s3cret dbname=w2k8") else {
            panic!("port 1 answered")
        };
        let text = format!("{} {e:?}", e.chain());
        assert!(!text.contains("s3cret"), "{text}");
        assert!(text.contains("password=***") && text.contains("cannot connect"), "{text}");
    }
}
