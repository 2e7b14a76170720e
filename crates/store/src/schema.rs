//! The SQLite schema and its migrations.
//!
//! The schema version is SQLite's `PRAGMA user_version`. [`MIGRATIONS`]
//! holds one step per version: step `i` takes a database from version `i` to
//! `i + 1`. Opening a database applies the missing steps in one
//! transaction; a database newer than this build knows is refused (never
//! written by an older `w2k8`).
//!
//! - v1: `hosts`, `scans`, `scan_kb` (installed KBs), `scan_missing`,
//!   `cves`, `updates`, and the open-CVE lists: a scan points to a
//!   `cve_sets` row (its ordered list of open CVEs, riskiest first, in
//!   `cve_set_items`), shared by every scan with the same list. Hosts at
//!   the same patch level have the same list, and a host may have 2,000
//!   open CVEs: sharing keeps a 10,000-host fleet small and fast. Sets
//!   written from issue 19's change on are identified by their members
//!   (`cve_sets.digest` over the ids in byte order) and read riskiest first
//!   by the CVE rows' marks ([`crate::sets`]); `position` keeps the order
//!   the list was written in and no read relies on it.
//! - v2: `scans.ransomware_open` (filled from the CVE sets), `hosts.latest_scan_id`
//!   (filled from `scans`), and the indexes the fleet report needs.
//! - v3: `plans` (each ok scan's install plan, JSON text compressed with raw
//!   deflate, stored once per distinct text: a host rescanned without change
//!   shares its plan) and `scans.plan_id`; the index `scans_time` that lists
//!   the scans of the whole fleet newest first.
//! - v4: what a partial bundle leaves open: `scans.unknown_cves`,
//!   `scans.unknown_kev`, `scans.lower_bound` (1 when the counts are lower
//!   bounds) and `scans.patched_through_at_least`. Rows written before v4
//!   keep them NULL (not recorded). The counts of a scan that is not `ok`
//!   are read as unknown whatever the row holds.
//! - v5: `scans.file_problems`: the files the scan left out, as JSON text
//!   (`[{"file": ..., "problem": ...}]`), NULL when none (and for rows
//!   written before v5, which named them in `error` only).
//! - v6: re-assessment. `inputs` (each bundle's input as the loader read
//!   it, compressed, opaque to the store, keyed by the scan's input digest:
//!   stored once however often the bundle is re-judged), and on `scans`:
//!   `catalog` (the catalog the scan was judged with; NULL for rows written
//!   before v6, `''` when not given), `input_id` and `reassessed_from` (the
//!   scan whose input a re-assessment re-judged). A scan is now unique by
//!   host, input digest *and* catalog, so the same bundle judged with newer
//!   data is a new scan: SQLite cannot change a table's UNIQUE constraint,
//!   so `scans` is rebuilt (every row and id kept, foreign keys off while
//!   it is, then checked).
//! - v7: `acceptances`: the accepted risks `w2k8 accept` and `POST
//!   /api/acceptances` record (target CVE or KB, host pattern, reason,
//!   owner, last day, time recorded). A new table: every row of v6 is
//!   kept as it was.
//! - v8: reachability (issue 20): `scans.reachable_kev` (the open KEV CVEs
//!   reachable on the host, as `assess` counts `summary.reachable_kev`;
//!   NULL when unknown) and `scans.isolation` (the plan's isolation steps
//!   without their commands, JSON text: what "what to close first" adds
//!   up). Rows written before v8 keep both NULL: not recorded, never 0;
//!   `w2k8 scan --reassess` fills them in place (the same input judged with
//!   the same catalog).

/// The fleet database as of version [`CURRENT`]: each table and its columns.
/// The one description of the schema both backends arrive at: each writes
/// its migrations in its own dialect (these for SQLite, `pg.rs`'s for
/// PostgreSQL), and a test migrates a new database of each and checks that
/// it holds exactly these tables and columns (the order of columns may
/// differ: each backend appends columns as its migrations add them). The
/// backends' own bookkeeping (`w2k8_schema` on PostgreSQL, `sqlite_*`) is
/// not listed.
pub const TABLES: &[(&str, &[&str])] = &[
    ("hosts", &["id", "name", "product_id", "first_seen", "latest_scan_id"]),
    (
        "scans",
        &[
            "id",
            "host_id",
            "scanned_at",
            "source",
            "digest",
            "status",
            "error",
            "product",
            "edition",
            "arch",
            "server_core",
            "build",
            "kernel",
            "patched_through",
            "missing",
            "open_cves",
            "kev_open",
            "cve_set_id",
            "ransomware_open",
            "plan_id",
            "unknown_cves",
            "unknown_kev",
            "lower_bound",
            "patched_through_at_least",
            "file_problems",
            "catalog",
            "input_id",
            "reassessed_from",
            "reachable_kev",
            "isolation",
            "critical_open",
        ],
    ),
    ("scan_kb", &["scan_id", "kb"]),
    ("scan_missing", &["scan_id", "position", "kb"]),
    ("updates", &["kb", "title", "kind"]),
    ("cves", &["id", "cve", "title", "severity", "kev", "ransomware", "exploit"]),
    ("cve_sets", &["id", "digest", "size"]),
    ("cve_set_items", &["set_id", "position", "cve_id"]),
    ("plans", &["id", "digest", "size", "body"]),
    ("inputs", &["id", "digest", "body"]),
    ("acceptances", &["id", "target", "host_pattern", "reason", "owner", "until", "created_at"]),
];

/// Version 1: the first schema.
pub const V1: &str = "
CREATE TABLE hosts (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    product_id TEXT NOT NULL DEFAULT '',
    first_seen TEXT NOT NULL,
    UNIQUE (name, product_id)
);
CREATE TABLE scans (
    id INTEGER PRIMARY KEY,
    host_id INTEGER NOT NULL REFERENCES hosts(id) ON DELETE CASCADE,
    scanned_at TEXT NOT NULL,
    source TEXT NOT NULL,
    digest TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('ok', 'failed', 'unsupported')),
    error TEXT,
    product TEXT,
    edition TEXT,
    arch TEXT,
    server_core INTEGER,
    build INTEGER,
    kernel TEXT,
    patched_through TEXT,
    missing INTEGER NOT NULL DEFAULT 0,
    open_cves INTEGER NOT NULL DEFAULT 0,
    kev_open INTEGER NOT NULL DEFAULT 0,
    cve_set_id INTEGER REFERENCES cve_sets(id),
    UNIQUE (host_id, digest)
);
CREATE TABLE cves (
    id INTEGER PRIMARY KEY,
    cve TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    severity TEXT NOT NULL,
    kev INTEGER NOT NULL,
    ransomware INTEGER NOT NULL,
    exploit INTEGER NOT NULL
);
CREATE TABLE updates (
    kb INTEGER PRIMARY KEY,
    title TEXT,
    kind TEXT NOT NULL
);
CREATE TABLE scan_kb (
    scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
    kb INTEGER NOT NULL,
    PRIMARY KEY (scan_id, kb)
) WITHOUT ROWID;
CREATE TABLE scan_missing (
    scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kb INTEGER NOT NULL REFERENCES updates(kb),
    PRIMARY KEY (scan_id, position)
) WITHOUT ROWID;
CREATE TABLE cve_sets (
    id INTEGER PRIMARY KEY,
    digest TEXT NOT NULL UNIQUE,
    size INTEGER NOT NULL
);
CREATE TABLE cve_set_items (
    set_id INTEGER NOT NULL REFERENCES cve_sets(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    cve_id INTEGER NOT NULL REFERENCES cves(id),
    PRIMARY KEY (set_id, position)
) WITHOUT ROWID;
";

/// Version 2: denormalised counts and the latest-scan pointer.
pub const V2: &str = "
ALTER TABLE scans ADD COLUMN ransomware_open INTEGER NOT NULL DEFAULT 0;
UPDATE scans SET ransomware_open = (
    SELECT count(*) FROM cve_set_items i JOIN cves ON cves.id = i.cve_id
    WHERE i.set_id = scans.cve_set_id AND cves.ransomware = 1);
ALTER TABLE hosts ADD COLUMN latest_scan_id INTEGER REFERENCES scans(id);
UPDATE hosts SET latest_scan_id = (
    SELECT id FROM scans WHERE scans.host_id = hosts.id ORDER BY scanned_at DESC, id DESC LIMIT 1);
CREATE INDEX scans_host_time ON scans (host_id, scanned_at);
CREATE INDEX cve_set_items_cve ON cve_set_items (cve_id);
CREATE INDEX scans_cve_set ON scans (cve_set_id);
CREATE INDEX hosts_name ON hosts (name COLLATE NOCASE);
";

/// Version 3: stored plans and the fleet-wide scan order.
pub const V3: &str = "
CREATE TABLE plans (
    id INTEGER PRIMARY KEY,
    digest TEXT NOT NULL UNIQUE,
    size INTEGER NOT NULL,
    body BLOB NOT NULL
);
ALTER TABLE scans ADD COLUMN plan_id INTEGER REFERENCES plans(id);
CREATE INDEX scans_time ON scans (scanned_at);
";

/// Version 4: unknown CVEs and lower bounds of partial evidence.
pub const V4: &str = "
ALTER TABLE scans ADD COLUMN unknown_cves INTEGER;
ALTER TABLE scans ADD COLUMN unknown_kev INTEGER;
ALTER TABLE scans ADD COLUMN lower_bound INTEGER;
ALTER TABLE scans ADD COLUMN patched_through_at_least TEXT;
";

/// Version 5: the files a scan left out.
pub const V5: &str = "
ALTER TABLE scans ADD COLUMN file_problems TEXT;
";

/// Version 6: saved inputs, the catalog of each scan, re-assessments.
/// Migrations run with foreign keys off (SQLite's documented way to
/// change a table's constraints), checked before the commit.
pub const V6: &str = "
CREATE TABLE inputs (
    id INTEGER PRIMARY KEY,
    digest TEXT NOT NULL UNIQUE,
    body BLOB NOT NULL
);
CREATE TABLE scans_v6 (
    id INTEGER PRIMARY KEY,
    host_id INTEGER NOT NULL REFERENCES hosts(id) ON DELETE CASCADE,
    scanned_at TEXT NOT NULL,
    source TEXT NOT NULL,
    digest TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('ok', 'failed', 'unsupported')),
    error TEXT,
    product TEXT,
    edition TEXT,
    arch TEXT,
    server_core INTEGER,
    build INTEGER,
    kernel TEXT,
    patched_through TEXT,
    missing INTEGER NOT NULL DEFAULT 0,
    open_cves INTEGER NOT NULL DEFAULT 0,
    kev_open INTEGER NOT NULL DEFAULT 0,
    cve_set_id INTEGER REFERENCES cve_sets(id),
    ransomware_open INTEGER NOT NULL DEFAULT 0,
    plan_id INTEGER REFERENCES plans(id),
    unknown_cves INTEGER,
    unknown_kev INTEGER,
    lower_bound INTEGER,
    patched_through_at_least TEXT,
    file_problems TEXT,
    catalog TEXT,
    input_id INTEGER REFERENCES inputs(id),
    reassessed_from INTEGER,
    UNIQUE (host_id, digest, catalog)
);
INSERT INTO scans_v6 (id, host_id, scanned_at, source, digest, status, error, product, edition, arch, server_core,
    build, kernel, patched_through, missing, open_cves, kev_open, cve_set_id, ransomware_open, plan_id, unknown_cves,
    unknown_kev, lower_bound, patched_through_at_least, file_problems)
SELECT id, host_id, scanned_at, source, digest, status, error, product, edition, arch, server_core,
    build, kernel, patched_through, missing, open_cves, kev_open, cve_set_id, ransomware_open, plan_id, unknown_cves,
    unknown_kev, lower_bound, patched_through_at_least, file_problems FROM scans;
DROP TABLE scans;
ALTER TABLE scans_v6 RENAME TO scans;
CREATE INDEX scans_host_time ON scans (host_id, scanned_at);
CREATE INDEX scans_cve_set ON scans (cve_set_id);
CREATE INDEX scans_time ON scans (scanned_at);
";

/// Version 7: accepted risks.
pub const V7: &str = "
CREATE TABLE acceptances (
    id INTEGER PRIMARY KEY,
    target TEXT NOT NULL,
    host_pattern TEXT NOT NULL,
    reason TEXT NOT NULL,
    owner TEXT,
    until TEXT NOT NULL,
    created_at TEXT NOT NULL
);
";

/// Version 8: reachable KEV CVEs and the isolation steps of each scan.
pub const V8: &str = "
ALTER TABLE scans ADD COLUMN reachable_kev INTEGER;
ALTER TABLE scans ADD COLUMN isolation TEXT;
";

/// Version 9: the open critical CVEs of each scan (for the fleet's risk
/// order), filled for the assessed scans already stored from their CVE sets.
pub const V9: &str = "
ALTER TABLE scans ADD COLUMN critical_open INTEGER;
CREATE TEMP TABLE w2k8_critical AS
    SELECT i.set_id AS set_id, count(*) AS n FROM cve_set_items i JOIN cves c ON c.id = i.cve_id
    WHERE c.severity = 'critical' GROUP BY i.set_id;
UPDATE scans SET critical_open = coalesce((SELECT n FROM w2k8_critical k WHERE k.set_id = scans.cve_set_id), 0)
    WHERE status = 'ok';
DROP TABLE w2k8_critical;
";

/// The migration steps: `MIGRATIONS[i]` takes version `i` to `i + 1`.
pub const MIGRATIONS: &[&str] = &[V1, V2, V3, V4, V5, V6, V7, V8, V9];

/// The schema version this build writes.
pub const CURRENT: i64 = 9;
