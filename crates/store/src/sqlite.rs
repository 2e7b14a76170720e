//! The SQLite implementation of [`Store`]: one file, WAL journal, foreign
//! keys on, a 30 s busy timeout, one transaction per batch.
use crate::derive::{self, status_of, to_u32, Reads, ScanLite, Written};
use crate::filter::Filter;
use crate::rows::{
    acceptance_row, fleet_cve, host_row, scan_record, Cells, ACCEPTANCE_COLUMNS, HOST_COLUMNS, SCAN_COLUMNS,
};
use crate::schema::{CURRENT, MIGRATIONS};
use crate::sets::{self, RISK_ORDER};
use crate::write::{self, Refs, ScanCells};
use crate::{BatchOutcome, Caches, CveExposure, ScanInput, Store, StoreError};
use rusqlite::{params, Connection, DatabaseName, OpenFlags, OptionalExtension, TransactionBehavior};
use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::time::Duration;
use w2k8_core::{CveId, Kb, Timestamp};
use w2k8_fleet::{
    FleetCve, FleetDiff, FleetMissing, FleetReport, History, HostDetail, HostRow, ScanRecord, ScanStatus,
};

/// A fleet store in one SQLite file.
pub struct SqliteStore {
    conn: Connection,
    /// Ids of rows committed through this connection.
    caches: Caches,
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path` and migrates it to
    /// the current schema, for writing. A file that is a SQLite database
    /// but not w2k8's is refused ([`StoreError::NotFleetStore`]); a file or
    /// folder that cannot be written is an error saying so.
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        Self::open_unnamed(path).map_err(|e| named(path, e))
    }

    /// Opens the existing database at `path` for reading: read-only when it
    /// is at the current schema version (so that a read-only file, or a
    /// file in a read-only folder, can be read, and reading never writes),
    /// else as [`SqliteStore::open`] does (an older schema is migrated,
    /// which needs write access). Writes through a store opened read-only
    /// fail.
    pub fn open_for_reading(path: &Path) -> Result<SqliteStore, StoreError> {
        let version = match Self::open_read_only(path).map_err(|e| named(path, e))? {
            Ok(store) => return Ok(store),
            Err(version) => version,
        };
        Self::open_unnamed(path).map_err(|e| match e {
            e if is_read_only(&e) && version > 0 => StoreError::Data(format!(
                "schema version {version} must be migrated to {CURRENT} before this w2k8 reads it, which needs \
                 write access: the file or its folder is read-only"
            ))
            .within(path.display().to_string()),
            e => named(path, e),
        })
    }

    /// The store at `path` opened read-only, when its schema is current;
    /// else the schema version it has (older: it needs migrating; 0: new).
    fn open_read_only(path: &Path) -> Result<Result<SqliteStore, i64>, StoreError> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| StoreError::sqlite("cannot open", e))?;
        let conn = match conn.pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0)) {
            Ok(_) => conn,
            // A WAL database in a folder this user cannot write, with no
            // `-shm` file beside it (SQLITE_READONLY_DIRECTORY): SQLite can
            // read it only as immutable. No one is writing it: a writer
            // keeps a `-shm` file beside it.
            Err(e) if cannot_share(&e) => {
                drop(conn);
                let uri = immutable_uri(path);
                Connection::open_with_flags(uri, flags | OpenFlags::SQLITE_OPEN_URI)
                    .map_err(|e| StoreError::sqlite("cannot open read-only", e))?
            }
            Err(e) => return Err(StoreError::sqlite("cannot read", e)),
        };
        conn.busy_timeout(Duration::from_secs(30))?;
        conn.set_prepared_statement_cache_capacity(64);
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        check_ours(&conn, version, path)?;
        if version > CURRENT {
            return Err(newer(version));
        }
        if version < CURRENT {
            return Ok(Err(version));
        }
        Ok(Ok(SqliteStore { conn, caches: Caches::default() }))
    }

    /// [`SqliteStore::open`], its errors not yet naming the file.
    fn open_unnamed(path: &Path) -> Result<SqliteStore, StoreError> {
        let conn = Connection::open(path).map_err(|e| StoreError::sqlite("cannot open", e))?;
        conn.busy_timeout(Duration::from_secs(30))?;
        // Every statement the store runs stays prepared (the default keeps 16).
        conn.set_prepared_statement_cache_capacity(64);
        // SQLite falls back to read-only when the file cannot be written.
        if conn.is_readonly(DatabaseName::Main)? {
            return Err(StoreError::Data(READ_ONLY.to_string()));
        }
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        check_ours(&conn, version, path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // A page cache of 16 MiB (the default is 2 MiB): a fleet scan or
        // re-assessment writes every index of a table that large, and with
        // the default the cache spills and reads its pages again.
        conn.pragma_update(None, "cache_size", -16_384)?;
        let mut store = SqliteStore { conn, caches: Caches::default() };
        store.migrate()?;
        Ok(store)
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        Ok(self.conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        if self.schema_version()? == CURRENT {
            return Ok(());
        }
        // Foreign keys cannot be switched inside a transaction: off for a
        // step that rebuilds a table, checked before the commit, on again after.
        self.conn.pragma_update(None, "foreign_keys", "OFF")?;
        let result = self.migrate_steps();
        self.conn.pragma_update(None, "foreign_keys", "ON")?;
        result
    }

    fn migrate_steps(&mut self) -> Result<(), StoreError> {
        // IMMEDIATE, and the version read again inside: two processes opening
        // a new database at once migrate it once.
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let version: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version > CURRENT {
            return Err(newer(version));
        }
        if version == CURRENT {
            return Ok(());
        }
        for (i, step) in MIGRATIONS.iter().enumerate().skip(usize::try_from(version).unwrap_or(0)) {
            tx.execute_batch(step)
                .map_err(|e| StoreError::sqlite(format!("migration to schema version {}", i + 1), e))?;
        }
        let broken: i64 = tx.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0))?;
        if broken > 0 {
            return Err(StoreError::Data(format!(
                "migration to schema version {CURRENT}: {broken} rows refer to rows that do not exist; nothing was changed"
            )));
        }
        tx.pragma_update(None, "user_version", CURRENT)?;
        tx.commit()?;
        Ok(())
    }

    /// `PRAGMA integrity_check`: `ok`, or SQLite's list of problems.
    pub fn integrity_check(&self) -> Result<String, StoreError> {
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let lines: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
        Ok(lines.join("\n"))
    }

    /// Number of scans stored, all hosts, all times.
    pub fn scan_count(&self) -> Result<u64, StoreError> {
        let n: i64 = self.conn.query_row("SELECT count(*) FROM scans", [], |r| r.get(0))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Up to `limit` stored scans with ids above `after_id`, oldest id first,
    /// as the [`ScanInput`]s that would store them again (for copying a
    /// fleet into another store). Returns each scan's id with it. Installed
    /// KBs come back in KB order (the store keeps them as a set).
    pub fn export_scans(&self, after_id: i64, limit: usize) -> Result<Vec<(i64, ScanInput)>, StoreError> {
        let rows = self.export_rows(after_id, limit)?;
        let mut parts = ExportParts::prepare(&self.conn)?;
        let mut out = Vec::with_capacity(rows.len());
        for (id, mut s, set, plan, isolation) in rows {
            s.isolation = crate::rows::isolation_of(&format!("scan {id}"), isolation.as_deref())?;
            if let Some(plan) = plan {
                s.plan = Some(self.plan_text(plan, &s.name)?);
            }
            s.kbs = parts.kbs(id)?;
            s.missing = parts.missing(id)?;
            if let Some(set) = set {
                s.cves = parts.cves(set)?;
            }
            out.push((id, s));
        }
        Ok(out)
    }

    /// Up to `limit` scan rows with ids above `after_id`, oldest id first,
    /// each with the ids and text [`SqliteStore::export_scans`] completes it from.
    fn export_rows(&self, after_id: i64, limit: usize) -> Result<Vec<Exported>, StoreError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut st = self.conn.prepare(
            "SELECT s.id, h.name, h.product_id, s.source, s.digest, s.scanned_at, s.status, s.error, s.product, \
             s.edition, s.arch, s.server_core, s.build, s.kernel, s.patched_through, s.cve_set_id, s.plan_id, \
             s.unknown_cves, s.unknown_kev, s.lower_bound, s.patched_through_at_least, s.file_problems, s.catalog, \
             (SELECT body FROM inputs WHERE inputs.id = s.input_id), s.reachable_kev, s.isolation \
             FROM scans s JOIN hosts h ON h.id = s.host_id WHERE s.id > ?1 ORDER BY s.id LIMIT ?2",
        )?;
        let rows = st.query_map(params![after_id, limit], exported)?.collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// The id of the CVE set holding `s.cves` (its members, see
    /// [`crate::sets`]), inserted if new; the rows of its CVEs written first
    /// when this connection has not written them with these marks.
    fn cve_set(tx: &rusqlite::Transaction<'_>, caches: &mut Caches, s: &ScanInput) -> Result<Option<i64>, StoreError> {
        if s.status != ScanStatus::Ok {
            return Ok(None);
        }
        let list = sets::list_digest(&s.cves);
        if let Some(id) = caches.sets.get(&list) {
            return Ok(Some(*id));
        }
        let mut up = tx.prepare_cached(
            "INSERT INTO cves (cve, title, severity, kev, ransomware, exploit) VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
             ON CONFLICT (cve) DO UPDATE SET title = excluded.title, severity = excluded.severity, \
             kev = excluded.kev, ransomware = excluded.ransomware, exploit = excluded.exploit RETURNING id",
        )?;
        for c in sets::to_write(&caches.cves, &s.cves) {
            let id: i64 = up.query_row(
                params![c.cve().write(&mut [0; 18]), c.title(), c.severity(), c.kev, c.ransomware, c.exploit],
                |r| r.get(0),
            )?;
            caches.cves.insert(c.cve(), (id, c.clone()));
        }
        let digest = sets::set_digest(&s.cves);
        let existing: Option<i64> = tx
            .prepare_cached("SELECT id FROM cve_sets WHERE digest = ?1")?
            .query_row(params![digest], |r| r.get(0))
            .optional()?;
        let id = match existing {
            Some(id) => id,
            None => {
                tx.prepare_cached("INSERT INTO cve_sets (digest, size) VALUES (?1, ?2)")?
                    .execute(params![digest, s.cves.len()])?;
                let set_id = tx.last_insert_rowid();
                let mut st =
                    tx.prepare_cached("INSERT INTO cve_set_items (set_id, position, cve_id) VALUES (?1, ?2, ?3)")?;
                for (i, c) in s.cves.iter().enumerate() {
                    let Some((id, _)) = caches.cves.get(&c.cve()) else {
                        return Err(StoreError::Data(format!("{}: the CVE was not stored", c.cve())));
                    };
                    st.execute(params![set_id, i, id])?;
                }
                set_id
            }
        };
        caches.sets.insert(list, id);
        Ok(Some(id))
    }

    /// The id of the stored plan of `s` (an ok scan with a plan), inserted if new.
    fn plan(tx: &rusqlite::Transaction<'_>, caches: &mut Caches, s: &ScanInput) -> Result<Option<i64>, StoreError> {
        let Some(plan) = s.plan.as_deref().filter(|_| s.status == ScanStatus::Ok) else { return Ok(None) };
        let t = derive::plan_template(plan, &s.name);
        if let Some(id) = caches.plans.get(&t.digest) {
            return Ok(Some(*id));
        }
        let existing: Option<i64> = tx
            .prepare_cached("SELECT id FROM plans WHERE digest = ?1")?
            .query_row(params![t.digest], |r| r.get(0))
            .optional()?;
        let id = match existing {
            Some(id) => id,
            None => {
                let (size, body) = derive::pack_plan(&t.text)?;
                tx.prepare_cached("INSERT INTO plans (digest, size, body) VALUES (?1, ?2, ?3)")?
                    .execute(params![t.digest, size, body])?;
                tx.last_insert_rowid()
            }
        };
        caches.plans.insert(t.digest, id);
        Ok(Some(id))
    }

    /// The text of stored plan `id` for the host named `name`.
    fn plan_text(&self, id: i64, name: &str) -> Result<String, StoreError> {
        let (size, body): (i64, Vec<u8>) = self
            .conn
            .prepare_cached("SELECT size, body FROM plans WHERE id = ?1")?
            .query_row(params![id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        derive::unpack_plan(id, size, &body, name)
    }

    /// The id of the saved input of `s`: its own (inserted once per input
    /// digest), or for a re-assessment that of the scan it re-judged.
    fn input(tx: &rusqlite::Transaction<'_>, s: &ScanInput) -> Result<Option<i64>, StoreError> {
        if let Some(body) = &s.saved_input {
            tx.prepare_cached("INSERT INTO inputs (digest, body) VALUES (?1, ?2) ON CONFLICT (digest) DO NOTHING")?
                .execute(params![s.digest, body])?;
            let id = tx
                .prepare_cached("SELECT id FROM inputs WHERE digest = ?1")?
                .query_row(params![s.digest], |r| r.get(0))?;
            return Ok(Some(id));
        }
        match s.reassessed_from {
            Some(from) => Ok(tx
                .prepare_cached("SELECT input_id FROM scans WHERE id = ?1")?
                .query_row(params![from], |r| r.get(0))
                .optional()?
                .flatten()),
            None => Ok(None),
        }
    }

    /// Writes scan `s`: its host, the rows it refers to, its row, then its
    /// KBs, its missing updates and the host's latest scan.
    fn write_one(tx: &rusqlite::Transaction<'_>, caches: &mut Caches, s: &ScanInput) -> Result<Written, StoreError> {
        let row = ScanCells::of(s);
        let host_id = Self::host_id(tx, &row)?;
        let refs = Refs {
            set_id: Self::cve_set(tx, caches, s)?,
            plan_id: Self::plan(tx, caches, s)?,
            input_id: Self::input(tx, s)?,
        };
        if Self::insert_scan(tx, &row, host_id, &refs)? == 0 {
            // The same input judged with the same catalog, stored before
            // w2k8 recorded reachability: fill what it lacks, in place.
            return Self::fill_in_place(tx, &row, host_id);
        }
        let scan_id = tx.last_insert_rowid();
        Self::write_kbs(tx, scan_id, s)?;
        Self::write_missing(tx, caches, scan_id, s)?;
        Self::mark_latest(tx, scan_id, host_id, &row)?;
        Ok(Written::Stored)
    }

    /// The id of the host of `row`, inserted if new.
    fn host_id(tx: &rusqlite::Transaction<'_>, row: &ScanCells<'_>) -> Result<i64, StoreError> {
        let s = row.s;
        tx.prepare_cached(
            "INSERT INTO hosts (name, product_id, first_seen) VALUES (?1, ?2, ?3) ON CONFLICT (name, product_id) DO NOTHING",
        )?
        .execute(params![s.name, row.product_id, row.scanned_at])?;
        Ok(tx
            .prepare_cached("SELECT id FROM hosts WHERE name = ?1 AND product_id = ?2")?
            .query_row(params![s.name, row.product_id], |r| r.get(0))?)
    }

    /// Inserts the scan row of `row` unless the host has it already (same
    /// input digest and catalog): the number of rows inserted.
    fn insert_scan(
        tx: &rusqlite::Transaction<'_>,
        row: &ScanCells<'_>,
        host_id: i64,
        refs: &Refs,
    ) -> Result<usize, StoreError> {
        let s = row.s;
        Ok(tx
            .prepare_cached(
                "INSERT INTO scans (host_id, scanned_at, source, digest, status, error, product, edition, arch, \
                 server_core, build, kernel, patched_through, missing, open_cves, kev_open, ransomware_open, cve_set_id, \
                 plan_id, unknown_cves, unknown_kev, lower_bound, patched_through_at_least, file_problems, catalog, \
                 input_id, reassessed_from, reachable_kev, isolation, critical_open) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, \
                 ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30) ON CONFLICT (host_id, digest, catalog) DO NOTHING",
            )?
            .execute(params![
                host_id,
                row.scanned_at,
                s.source,
                s.digest,
                s.status.as_str(),
                s.error,
                s.product,
                s.edition,
                s.arch,
                s.server_core,
                s.build,
                s.kernel,
                row.patched_through,
                s.missing.len(),
                s.cves.len(),
                row.kev,
                row.ransomware,
                refs.set_id,
                refs.plan_id,
                s.unknown_cves,
                s.unknown_kev,
                s.counts_are_lower_bound,
                row.patched_through_at_least,
                row.file_problems,
                row.catalog,
                refs.input_id,
                s.reassessed_from,
                s.reachable_kev,
                row.isolation,
                row.critical
            ])?)
    }

    /// Fills the reachability a stored scan of the same input and catalog
    /// lacks (stored before w2k8 recorded it), when `row` carries it.
    fn fill_in_place(tx: &rusqlite::Transaction<'_>, row: &ScanCells<'_>, host_id: i64) -> Result<Written, StoreError> {
        if !row.may_fill() {
            return Ok(Written::Duplicate);
        }
        let s = row.s;
        let filled = tx
            .prepare_cached(
                "UPDATE scans SET reachable_kev = ?1, isolation = ?2 WHERE host_id = ?3 AND digest = ?4 \
                 AND catalog = ?5 AND status = 'ok' AND isolation IS NULL",
            )?
            .execute(params![s.reachable_kev, row.isolation, host_id, s.digest, row.catalog])?;
        Ok(write::fill_outcome(filled > 0))
    }

    /// The installed KBs of new scan `scan_id`.
    fn write_kbs(tx: &rusqlite::Transaction<'_>, scan_id: i64, s: &ScanInput) -> Result<(), StoreError> {
        let mut st = tx.prepare_cached("INSERT OR IGNORE INTO scan_kb (scan_id, kb) VALUES (?1, ?2)")?;
        for kb in &s.kbs {
            st.execute(params![scan_id, kb.number()])?;
        }
        Ok(())
    }

    /// The missing updates of new scan `scan_id`, in order, each `updates`
    /// row written first unless this connection wrote it as it stands.
    fn write_missing(
        tx: &rusqlite::Transaction<'_>,
        caches: &mut Caches,
        scan_id: i64,
        s: &ScanInput,
    ) -> Result<(), StoreError> {
        let mut up = tx.prepare_cached(
            "INSERT INTO updates (kb, title, kind) VALUES (?1, ?2, ?3) \
             ON CONFLICT (kb) DO UPDATE SET title = excluded.title, kind = excluded.kind",
        )?;
        let mut st = tx.prepare_cached("INSERT INTO scan_missing (scan_id, position, kb) VALUES (?1, ?2, ?3)")?;
        for (i, m) in s.missing.iter().enumerate() {
            // The row as this connection last wrote it needs no second write.
            if !caches.updates.has(m) {
                up.execute(params![m.kb.number(), m.title, m.kind.as_str()])?;
                caches.updates.note(m);
            }
            st.execute(params![scan_id, i, m.kb.number()])?;
        }
        Ok(())
    }

    /// Makes new scan `scan_id` its host's latest unless a later one is.
    fn mark_latest(
        tx: &rusqlite::Transaction<'_>,
        scan_id: i64,
        host_id: i64,
        row: &ScanCells<'_>,
    ) -> Result<(), StoreError> {
        tx.prepare_cached(
            "UPDATE hosts SET latest_scan_id = ?1 WHERE id = ?2 AND (latest_scan_id IS NULL OR \
             (SELECT scanned_at FROM scans WHERE id = hosts.latest_scan_id) <= ?3)",
        )?
        .execute(params![scan_id, host_id, row.scanned_at])?;
        Ok(())
    }

    fn cve_rows(&self) -> Result<HashMap<i64, FleetCve>, StoreError> {
        let mut st = self.conn.prepare("SELECT id, cve, title, severity, kev, ransomware, exploit FROM cves")?;
        let v = st
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    FleetCve {
                        cve: r.value(1)?,
                        title: r.get(2)?,
                        severity: r.value(3)?,
                        kev: r.get(4)?,
                        ransomware: r.get(5)?,
                        exploit: r.get(6)?,
                        hosts: 0,
                    },
                ))
            })?
            .collect::<Result<_, _>>()?;
        Ok(v)
    }
}

/// An exported scan row: (scan id, the scan, its CVE set, its plan, its
/// isolation plan text).
type Exported = (i64, ScanInput, Option<i64>, Option<i64>, Option<String>);

/// A row of [`SqliteStore::export_rows`]'s query as an [`Exported`] scan:
/// its KBs, missing updates, CVEs, plan and isolation plan still to read.
fn exported(r: &rusqlite::Row<'_>) -> rusqlite::Result<Exported> {
    let product_id: String = r.get(2)?;
    let status: String = r.get(6)?;
    Ok((
        r.get(0)?,
        ScanInput {
            name: r.get(1)?,
            product_id: (!product_id.is_empty()).then_some(product_id),
            source: r.get(3)?,
            digest: r.get(4)?,
            scanned_at: r.time(5)?,
            status: status_of(&status),
            error: r.get(7)?,
            product: r.get(8)?,
            edition: r.get(9)?,
            arch: r.get(10)?,
            server_core: r.get(11)?,
            build: r.get::<_, Option<i64>>(12)?.map(to_u32),
            kernel: r.get(13)?,
            patched_through: r.opt_value(14)?,
            unknown_cves: r.get::<_, Option<i64>>(17)?.map_or(0, to_u32),
            unknown_kev: r.get::<_, Option<i64>>(18)?.map_or(0, to_u32),
            counts_are_lower_bound: r.get::<_, Option<bool>>(19)?.unwrap_or(false),
            reachable_kev: r.get::<_, Option<i64>>(24)?.map(to_u32),
            isolation: None,
            patched_through_at_least: r.opt_value(20)?,
            kbs: Vec::new(),
            missing: Vec::new(),
            cves: Vec::new(),
            plan: None,
            file_problems: crate::rows::problems_of(r.get(21)?),
            catalog: r.get::<_, Option<String>>(22)?.filter(|c| !c.is_empty()),
            saved_input: r.get(23)?,
            // The id of a scan of this database: the copy is not
            // marked as a re-assessment (its catalog says which data judged it).
            reassessed_from: None,
        },
        r.get(15)?,
        r.get(16)?,
        r.get(25)?,
    ))
}

/// The reads that complete an exported scan: its KBs, its missing updates
/// and its CVE set (each set read once per export).
struct ExportParts<'c> {
    kbs: rusqlite::CachedStatement<'c>,
    missing: rusqlite::CachedStatement<'c>,
    cves: rusqlite::CachedStatement<'c>,
    sets: HashMap<i64, Vec<crate::CveInput>>,
}

impl<'c> ExportParts<'c> {
    /// The statements, prepared on `conn`.
    fn prepare(conn: &'c Connection) -> Result<ExportParts<'c>, StoreError> {
        let kbs = conn.prepare_cached("SELECT kb FROM scan_kb WHERE scan_id = ?1 ORDER BY kb")?;
        let missing = conn.prepare_cached(
            "SELECT u.kb, u.title, u.kind FROM scan_missing sm JOIN updates u ON u.kb = sm.kb \
             WHERE sm.scan_id = ?1 ORDER BY sm.position",
        )?;
        let cves = conn.prepare_cached(&format!(
            "SELECT c.cve, c.title, c.severity, c.kev, c.ransomware, c.exploit FROM cve_set_items i \
             JOIN cves c ON c.id = i.cve_id WHERE i.set_id = ?1 ORDER BY {RISK_ORDER}, c.cve",
        ))?;
        Ok(ExportParts { kbs, missing, cves, sets: HashMap::new() })
    }

    /// The installed KBs of scan `id`, in KB order.
    fn kbs(&mut self, id: i64) -> Result<Vec<Kb>, StoreError> {
        Ok(self
            .kbs
            .query_map(params![id], |r| r.get::<_, u32>(0))?
            .collect::<Result<Vec<u32>, _>>()?
            .into_iter()
            .filter_map(Kb::new)
            .collect())
    }

    /// The missing updates of scan `id`, in install order.
    fn missing(&mut self, id: i64) -> Result<Vec<crate::MissingInput>, StoreError> {
        let mut out = Vec::new();
        for m in self.missing.query_map(params![id], |r| Ok((r.get::<_, u32>(0)?, r.get(1)?, r.value(2)?)))? {
            let (kb, title, kind) = m?;
            if let Some(kb) = Kb::new(kb) {
                out.push(crate::MissingInput { kb, title, kind });
            }
        }
        Ok(out)
    }

    /// The CVEs of set `set`, riskiest first.
    fn cves(&mut self, set: i64) -> Result<Vec<crate::CveInput>, StoreError> {
        if let std::collections::hash_map::Entry::Vacant(slot) = self.sets.entry(set) {
            let list = self
                .cves
                .query_map(params![set], |r| {
                    let (title, severity): (String, String) = (r.get(1)?, r.get(2)?);
                    Ok(crate::CveInput::new(r.value(0)?, &title, &severity, r.get(3)?, r.get(4)?, r.get(5)?))
                })?
                .collect::<Result<Vec<_>, _>>()?;
            slot.insert(list);
        }
        Ok(self.sets.get(&set).cloned().unwrap_or_default())
    }
}

/// Why a fleet store cannot be written (SQLite opened it read-only).
const READ_ONLY: &str = "cannot write: the file or its folder is read-only \
     (hosts, history, diff and report read it read-only)";

/// `e` naming the database at `path`; a refused write says why.
fn named(path: &Path, e: StoreError) -> StoreError {
    match e {
        StoreError::NotFleetStore { .. } => e,
        e if is_read_only(&e) => StoreError::Data(READ_ONLY.to_string()).within(path.display().to_string()),
        e => e.within(path.display().to_string()),
    }
}

/// True for SQLite's "attempt to write a readonly database" (any cause),
/// and for a connection SQLite opened read-only.
fn is_read_only(e: &StoreError) -> bool {
    match e {
        StoreError::Sqlite { source, .. } => source.sqlite_error_code() == Some(rusqlite::ErrorCode::ReadOnly),
        StoreError::Data(m) => m == READ_ONLY,
        StoreError::Context { source, .. } => is_read_only(source),
        _ => false,
    }
}

/// True when a read-only connection could not set up the shared memory of
/// a WAL database (the folder is read-only and no `-shm` file exists).
fn cannot_share(e: &rusqlite::Error) -> bool {
    matches!(e.sqlite_error_code(), Some(rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::ReadOnly))
}

/// `file:PATH?immutable=1`, the path percent-encoded where a URI needs it.
fn immutable_uri(path: &Path) -> String {
    let mut out = String::from("file:");
    for b in path.as_os_str().as_encoded_bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(b) {
            out.push(char::from(*b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out.push_str("?immutable=1");
    out
}

/// The error for a database newer than this build.
fn newer(version: i64) -> StoreError {
    StoreError::Data(format!(
        "the database has schema version {version}; this w2k8 knows up to {CURRENT}: expected a newer w2k8"
    ))
}

/// Refuses a SQLite database that is not a w2k8 fleet store: schema
/// version 0 (w2k8 never wrote it) with tables or views of its own.
fn check_ours(conn: &Connection, version: i64, path: &Path) -> Result<(), StoreError> {
    if version != 0 {
        return Ok(());
    }
    let mut st = conn.prepare(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
         ORDER BY name LIMIT 5",
    )?;
    let tables: Vec<String> = st.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
    if tables.is_empty() {
        return Ok(());
    }
    Err(StoreError::NotFleetStore { db: path.display().to_string(), tables })
}

impl Reads for SqliteStore {
    fn host_names(&self) -> Result<HashMap<i64, String>, StoreError> {
        let mut st = self.conn.prepare("SELECT id, name FROM hosts")?;
        let v = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
        Ok(v)
    }

    fn kbs_of(&self, scan_id: i64) -> Result<BTreeSet<u32>, StoreError> {
        let mut st = self.conn.prepare_cached("SELECT kb FROM scan_kb WHERE scan_id = ?1")?;
        let v = st.query_map(params![scan_id], |r| r.get::<_, u32>(0))?.collect::<Result<_, _>>()?;
        Ok(v)
    }

    fn cves_of(&self, scan_id: i64) -> Result<BTreeSet<String>, StoreError> {
        let mut st = self.conn.prepare_cached(
            "SELECT c.cve FROM scans s JOIN cve_set_items i ON i.set_id = s.cve_set_id \
                 JOIN cves c ON c.id = i.cve_id WHERE s.id = ?1",
        )?;
        let v = st.query_map(params![scan_id], |r| r.get::<_, String>(0))?.collect::<Result<_, _>>()?;
        Ok(v)
    }

    fn scans_lite(&self, host_id: Option<i64>) -> Result<Vec<ScanLite>, StoreError> {
        // Two statements rather than `?1 IS NULL OR host_id = ?1`: SQLite
        // cannot use the per-host index for the OR form and would read every
        // scan for one host's history.
        const COLS: &str = "SELECT id, host_id, scanned_at, status, build, patched_through, cve_set_id FROM scans";
        let mut st = match host_id {
            Some(_) => {
                self.conn.prepare_cached(&format!("{COLS} WHERE host_id = ?1 ORDER BY host_id, scanned_at, id"))?
            }
            None => self.conn.prepare_cached(&format!("{COLS} ORDER BY host_id, scanned_at, id"))?,
        };
        let args: &[&dyn rusqlite::ToSql] = match &host_id {
            Some(id) => &[id],
            None => &[],
        };
        let v = st
            .query_map(args, |r| {
                let status: String = r.get(3)?;
                Ok(ScanLite {
                    id: r.get(0)?,
                    host_id: r.get(1)?,
                    at: r.time(2)?,
                    ok: status == "ok",
                    build: r.get::<_, Option<i64>>(4)?.map(to_u32),
                    patched_through: r.opt_value(5)?,
                    cve_set: r.get(6)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(v)
    }
}

impl Store for SqliteStore {
    fn optimize(&mut self) -> Result<(), StoreError> {
        self.conn.execute_batch("PRAGMA optimize")?;
        Ok(())
    }

    fn schema_version(&self) -> Result<i64, StoreError> {
        SqliteStore::schema_version(self)
    }

    fn scan_count(&self) -> Result<u64, StoreError> {
        SqliteStore::scan_count(self)
    }

    fn change_key(&self) -> Result<u64, StoreError> {
        let mut st = self.conn.prepare_cached(crate::change::ACCEPTANCE_ROWS)?;
        let rows = st.query_map([], |r| {
            Ok(crate::change::AcceptanceKeyRow {
                id: r.get(0)?,
                text: [
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get::<_, Option<String>>(4)?.unwrap_or_default(),
                    r.get(5)?,
                    r.get(6)?,
                ],
            })
        })?;
        let rows = rows.collect::<Result<Vec<_>, _>>()?;
        Ok(crate::change::change_key(SqliteStore::scan_count(self)?, &rows))
    }

    fn write_batch(&mut self, scans: &[ScanInput]) -> Result<BatchOutcome, StoreError> {
        let mut out = BatchOutcome::default();
        let mut ids = std::mem::take(&mut self.caches);
        let result = (|| {
            let tx = self.conn.transaction()?;
            for s in scans {
                match Self::write_one(&tx, &mut ids, s)? {
                    Written::Stored => out.stored += 1,
                    Written::Duplicate => out.duplicates += 1,
                    Written::Filled => out.filled += 1,
                }
            }
            tx.commit()?;
            Ok::<_, StoreError>(())
        })();
        match result {
            Ok(()) => {
                self.caches = ids;
                Ok(out)
            }
            // Rolled back: ids learnt in this batch may not exist.
            Err(e) => Err(e),
        }
    }

    fn hosts(&self, filter: &Filter) -> Result<Vec<HostRow>, StoreError> {
        let sql = format!(
            "SELECT {HOST_COLUMNS} FROM hosts h JOIN scans s ON s.id = h.latest_scan_id ORDER BY h.name COLLATE NOCASE, h.id"
        );
        let mut st = self.conn.prepare(&sql)?;
        let rows = st.query_map([], |r| host_row(r))?;
        let mut out = Vec::new();
        for r in rows {
            let r = r?;
            if filter.matches(&r) {
                out.push(r);
            }
        }
        Ok(out)
    }

    fn hosts_named(&self, name: &str) -> Result<Vec<HostRow>, StoreError> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {HOST_COLUMNS} FROM hosts h JOIN scans s ON s.id = h.latest_scan_id \
             WHERE h.name = ?1 COLLATE NOCASE ORDER BY h.id"
        ))?;
        let rows = st.query_map(params![name], |r| host_row(r))?.collect::<Result<_, _>>()?;
        Ok(crate::same_name(name, rows))
    }

    fn host_by_id(&self, host_id: i64) -> Result<Option<HostRow>, StoreError> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {HOST_COLUMNS} FROM hosts h JOIN scans s ON s.id = h.latest_scan_id WHERE h.id = ?1"
        ))?;
        Ok(st.query_row(params![host_id], |r| host_row(r)).optional()?)
    }

    fn history_by_id(&self, host_id: i64) -> Result<Option<History>, StoreError> {
        let Some(host) = self.host_by_id(host_id)? else { return Ok(None) };
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {SCAN_COLUMNS} FROM scans s JOIN hosts h ON h.id = s.host_id \
             WHERE s.host_id = ?1 ORDER BY s.scanned_at, s.id"
        ))?;
        let scans: Vec<ScanRecord> =
            st.query_map(params![host.host_id], |r| scan_record(r))?.collect::<Result<_, _>>()?;
        let changes = derive::changes(self, &host.name, host.host_id)?;
        Ok(Some(History { host, scans, changes }))
    }

    fn cve_exposure_by_id(&self, host_id: i64, cve: CveId) -> Result<Option<CveExposure>, StoreError> {
        let Some(host) = self.host_by_id(host_id)? else { return Ok(None) };
        let cve_id: Option<i64> = self
            .conn
            .query_row("SELECT id FROM cves WHERE cve = ?1", params![cve.write(&mut [0; 18])], |r| r.get(0))
            .optional()?;
        let mut probe = self.conn.prepare(
            "SELECT 1 FROM scans s JOIN cve_set_items i ON i.set_id = s.cve_set_id WHERE s.id = ?1 AND i.cve_id = ?2",
        )?;
        let scans = derive::cve_scans(self, host.host_id, |scan| match cve_id {
            Some(c) => Ok(probe.exists(params![scan, c])?),
            None => Ok(false),
        })?;
        Ok(Some(derive::exposure(host.name, cve, scans)))
    }

    fn diff(&self, since: Option<w2k8_core::Date>) -> Result<FleetDiff, StoreError> {
        derive::diff(self, since)
    }

    fn close_first(&self) -> Result<w2k8_fleet::CloseFirst, StoreError> {
        derive::close_first(self)
    }

    fn fleet_report(
        &self,
        catalog: &str,
        generated_at: Timestamp,
        detail_cves: usize,
    ) -> Result<FleetReport, StoreError> {
        derive::fleet_report(self, catalog, generated_at, detail_cves)
    }

    fn host_detail_by_id(&self, host_id: i64, max_cves: usize) -> Result<Option<HostDetail>, StoreError> {
        let Some(host) = self.host_by_id(host_id)? else { return Ok(None) };
        let mut st = self.conn.prepare_cached(
            "SELECT u.kb, u.title, u.kind FROM hosts h JOIN scan_missing sm ON sm.scan_id = h.latest_scan_id \
             JOIN updates u ON u.kb = sm.kb WHERE h.id = ?1 ORDER BY sm.position",
        )?;
        let mut missing = Vec::new();
        for row in st.query_map(params![host.host_id], |r| Ok((r.get::<_, u32>(0)?, r.get(1)?, r.value(2)?)))? {
            let (kb, title, kind) = row?;
            if let Some(kb) = Kb::new(kb) {
                missing.push(FleetMissing { kb, title, kind, hosts: 1 });
            }
        }
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT c.cve, c.title, c.severity, c.kev, c.ransomware, c.exploit FROM hosts h \
             JOIN scans s ON s.id = h.latest_scan_id JOIN cve_set_items i ON i.set_id = s.cve_set_id \
             JOIN cves c ON c.id = i.cve_id WHERE h.id = ?1 ORDER BY {RISK_ORDER}, c.cve LIMIT ?2",
        ))?;
        let limit = i64::try_from(max_cves).unwrap_or(i64::MAX);
        let exposure = st.query_map(params![host.host_id, limit], |r| fleet_cve(r, 1))?.collect::<Result<_, _>>()?;
        Ok(Some(HostDetail { host, missing, exposure }))
    }

    fn plan_of(&self, host_id: i64) -> Result<Option<String>, StoreError> {
        let latest: Option<(Option<i64>, String)> = self
            .conn
            .prepare_cached(
                "SELECT s.plan_id, h.name FROM scans s JOIN hosts h ON h.id = s.host_id \
                 WHERE s.host_id = ?1 AND s.status = 'ok' ORDER BY s.scanned_at DESC, s.id DESC LIMIT 1",
            )?
            .query_row(params![host_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        match latest {
            Some((Some(plan), name)) => Ok(Some(self.plan_text(plan, &name)?)),
            _ => Ok(None),
        }
    }

    fn cve_hosts(&self, cve: CveId) -> Result<Vec<HostRow>, StoreError> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {HOST_COLUMNS} FROM hosts h JOIN scans s ON s.id = h.latest_scan_id WHERE s.cve_set_id IN \
             (SELECT i.set_id FROM cves c JOIN cve_set_items i ON i.cve_id = c.id WHERE c.cve = ?1) \
             ORDER BY h.name COLLATE NOCASE, h.id"
        ))?;
        let v = st.query_map(params![cve.write(&mut [0; 18])], |r| host_row(r))?.collect::<Result<_, _>>()?;
        Ok(v)
    }

    fn fleet_cves(&self) -> Result<Vec<FleetCve>, StoreError> {
        // Hosts per CVE set (latest scans), then each live set's items
        // summed in memory: SQLite's GROUP BY over every item sorts them.
        let mut st = self.conn.prepare_cached(
            "SELECT s.cve_set_id, count(*) FROM hosts h JOIN scans s ON s.id = h.latest_scan_id \
             WHERE s.cve_set_id IS NOT NULL GROUP BY s.cve_set_id",
        )?;
        let sets: HashMap<i64, i64> = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
        let mut hosts: HashMap<i64, i64> = HashMap::new();
        let mut items = self.conn.prepare_cached("SELECT cve_id FROM cve_set_items WHERE set_id = ?1")?;
        for (set, n) in &sets {
            for c in items.query_map(params![set], |r| r.get::<_, i64>(0))? {
                *hosts.entry(c?).or_default() += n;
            }
        }
        let mut st = self.conn.prepare_cached("SELECT cve, title, severity, kev, ransomware, exploit, id FROM cves")?;
        let mut v = Vec::with_capacity(hosts.len());
        for row in st.query_map([], |r| {
            let n = r.get::<_, i64>(6).map(|id| hosts.get(&id).copied().unwrap_or(0))?;
            fleet_cve(r, to_u32(n))
        })? {
            let c = row?;
            if c.hosts > 0 {
                v.push(c);
            }
        }
        derive::sort_fleet_cves(&mut v);
        Ok(v)
    }

    fn fleet_missing(&self) -> Result<Vec<FleetMissing>, StoreError> {
        let mut st = self.conn.prepare_cached(
            "SELECT u.kb, u.title, u.kind, count(*) FROM hosts h JOIN scan_missing sm ON sm.scan_id = h.latest_scan_id \
             JOIN updates u ON u.kb = sm.kb GROUP BY u.kb",
        )?;
        let mut v = Vec::new();
        for row in st.query_map([], |r| Ok((r.get::<_, u32>(0)?, r.get(1)?, r.value(2)?, r.get::<_, i64>(3)?)))? {
            let (kb, title, kind, n) = row?;
            if let Some(kb) = Kb::new(kb) {
                v.push(FleetMissing { kb, title, kind, hosts: to_u32(n) });
            }
        }
        derive::sort_fleet_missing(&mut v);
        Ok(v)
    }

    fn scans(&self, limit: usize, offset: usize) -> Result<Vec<ScanRecord>, StoreError> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {SCAN_COLUMNS} FROM scans s JOIN hosts h ON h.id = s.host_id \
             ORDER BY s.scanned_at DESC, s.id DESC LIMIT ?1 OFFSET ?2"
        ))?;
        let (limit, offset) = (i64::try_from(limit).unwrap_or(i64::MAX), i64::try_from(offset).unwrap_or(i64::MAX));
        let v = st.query_map(params![limit, offset], |r| scan_record(r))?.collect::<Result<_, _>>()?;
        Ok(v)
    }

    fn reassess_targets(&self) -> Result<Vec<crate::ReassessTarget>, StoreError> {
        self.targets()
    }

    fn saved_inputs(&self, scan_ids: &[i64]) -> Result<Vec<(i64, Vec<u8>)>, StoreError> {
        self.inputs_of(scan_ids)
    }

    fn add_acceptance(&mut self, a: &crate::NewAcceptance) -> Result<crate::AcceptanceRecord, StoreError> {
        if let Some(p) = a.problem() {
            return Err(StoreError::Data(p));
        }
        let created_at = crate::now_utc();
        self.conn.execute(
            "INSERT INTO acceptances (target, host_pattern, reason, owner, until, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![a.target.to_string(), a.host, a.reason, a.owner, a.until.to_string(), created_at.to_string()],
        )?;
        let id = self.conn.last_insert_rowid();
        Ok(crate::AcceptanceRecord {
            id,
            target: a.target.clone(),
            host: a.host.clone(),
            reason: a.reason.clone(),
            owner: a.owner.clone(),
            until: a.until,
            created_at,
        })
    }

    fn acceptances(&self) -> Result<Vec<crate::AcceptanceRecord>, StoreError> {
        let mut st = self.conn.prepare_cached(&format!("SELECT {ACCEPTANCE_COLUMNS} FROM acceptances ORDER BY id"))?;
        let mut rows = st.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(acceptance_row(r)?);
        }
        Ok(out)
    }

    fn remove_acceptance(&mut self, id: i64) -> Result<bool, StoreError> {
        Ok(self.conn.execute("DELETE FROM acceptances WHERE id = ?1", params![id])? > 0)
    }

    fn findings_among(&self, cves: &[String], kbs: &[Kb]) -> Result<Vec<(i64, String, String)>, StoreError> {
        let mut out = Vec::new();
        let mut st = self.conn.prepare_cached(
            "SELECT h.id, h.name, c.cve FROM hosts h JOIN scans s ON s.id = h.latest_scan_id \
             JOIN cve_set_items i ON i.set_id = s.cve_set_id JOIN cves c ON c.id = i.cve_id \
             WHERE s.status = 'ok' AND c.cve = ?1 COLLATE NOCASE",
        )?;
        for cve in cves {
            let rows = st.query_map(params![cve], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            for r in rows {
                out.push(r?);
            }
        }
        let mut st = self.conn.prepare_cached(
            "SELECT h.id, h.name FROM hosts h JOIN scans s ON s.id = h.latest_scan_id \
             JOIN scan_missing m ON m.scan_id = s.id WHERE s.status = 'ok' AND m.kb = ?1",
        )?;
        for kb in kbs {
            let rows = st.query_map(params![kb.number()], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
            for r in rows {
                let (id, name) = r?;
                out.push((id, name, kb.to_string()));
            }
        }
        Ok(out)
    }
}

impl SqliteStore {
    fn targets(&self) -> Result<Vec<crate::ReassessTarget>, StoreError> {
        let mut st = self.conn.prepare_cached(
            "SELECT h.id, s.id, h.name, h.product_id, s.source, s.digest, s.scanned_at, s.status, s.catalog, \
             s.input_id IS NOT NULL, s.isolation IS NOT NULL FROM hosts h JOIN scans s ON s.id = h.latest_scan_id \
             ORDER BY h.id",
        )?;
        let v = st
            .query_map([], |r| {
                let product_id: String = r.get(3)?;
                let status: String = r.get(7)?;
                Ok(crate::ReassessTarget {
                    host_id: r.get(0)?,
                    scan_id: r.get(1)?,
                    name: r.get(2)?,
                    product_id: (!product_id.is_empty()).then_some(product_id),
                    source: r.get(4)?,
                    digest: r.get(5)?,
                    scanned_at: r.time(6)?,
                    status: status_of(&status),
                    catalog: r.get::<_, Option<String>>(8)?.filter(|c| !c.is_empty()),
                    has_input: r.get(9)?,
                    reach_recorded: r.get(10)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(v)
    }

    fn inputs_of(&self, scan_ids: &[i64]) -> Result<Vec<(i64, Vec<u8>)>, StoreError> {
        let mut st = self
            .conn
            .prepare_cached("SELECT i.body FROM scans s JOIN inputs i ON i.id = s.input_id WHERE s.id = ?1")?;
        let mut out = Vec::with_capacity(scan_ids.len());
        for id in scan_ids {
            if let Some(body) = st.query_row(params![id], |r| r.get::<_, Vec<u8>>(0)).optional()? {
                out.push((*id, body));
            }
        }
        Ok(out)
    }
}

impl derive::ReportReads for SqliteStore {
    fn history_rows(&self) -> Result<Vec<derive::HistoryRow>, StoreError> {
        let mut st = self.conn.prepare_cached(
            "SELECT host_id, scanned_at, status, kev_open, open_cves FROM scans ORDER BY scanned_at, id",
        )?;
        let v = st
            .query_map([], |r| {
                let status: String = r.get(2)?;
                Ok((r.get(0)?, r.time(1)?.date(), status_of(&status), r.get(3)?, r.get(4)?))
            })?
            .collect::<Result<_, _>>()?;
        Ok(v)
    }

    fn cve_table(&self) -> Result<HashMap<i64, FleetCve>, StoreError> {
        self.cve_rows()
    }

    fn latest_missing(&self) -> Result<Vec<(i64, u32)>, StoreError> {
        let mut st = self.conn.prepare_cached(
            "SELECT h.id, sm.kb FROM hosts h JOIN scan_missing sm ON sm.scan_id = h.latest_scan_id ORDER BY h.id, sm.position",
        )?;
        let v = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
        Ok(v)
    }

    fn latest_cve_sets(&self) -> Result<Vec<(i64, i64)>, StoreError> {
        let mut st = self.conn.prepare_cached(
            "SELECT h.id, s.cve_set_id FROM hosts h JOIN scans s ON s.id = h.latest_scan_id WHERE s.cve_set_id IS NOT NULL",
        )?;
        let v = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
        Ok(v)
    }

    fn latest_isolation(&self) -> Result<Vec<(String, Option<String>)>, StoreError> {
        let mut st = self.conn.prepare_cached(
            "SELECT h.name, s.isolation FROM hosts h JOIN scans s ON s.id = h.latest_scan_id \
             WHERE s.status = 'ok' ORDER BY h.id",
        )?;
        let v = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
        Ok(v)
    }

    fn latest_set_items(&self) -> Result<Vec<(i64, i64)>, StoreError> {
        let mut st = self.conn.prepare_cached(
            "SELECT i.set_id, i.cve_id FROM cve_set_items i WHERE i.set_id IN \
             (SELECT DISTINCT s.cve_set_id FROM hosts h JOIN scans s ON s.id = h.latest_scan_id)",
        )?;
        let v = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
        Ok(v)
    }
}
