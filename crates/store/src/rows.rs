//! Row mappers shared by both backends: the column lists of a host line, a
//! scan line and a CVE line, and how a row of them becomes a [`HostRow`],
//! [`ScanRecord`] or [`FleetCve`]. Each backend only says how to read one
//! cell ([`Cells`]); what the cells mean is decided here once, so SQLite and
//! PostgreSQL cannot drift apart (e.g. on what a failed scan's counts are).
use crate::derive::{status_of, to_u32};
use w2k8_core::{Arch, Timestamp};
use w2k8_fleet::{FileProblem, FleetCve, HostRow, ScanRecord, ScanStatus};

/// Reading one cell of a result row, by position.
pub(crate) trait Cells {
    /// The backend's error.
    type Error;
    /// A text cell that is never NULL.
    fn text(&self, i: usize) -> Result<String, Self::Error>;
    /// A text cell that may be NULL.
    fn opt_text(&self, i: usize) -> Result<Option<String>, Self::Error>;
    /// An integer cell that is never NULL.
    fn int(&self, i: usize) -> Result<i64, Self::Error>;
    /// An integer cell that may be NULL.
    fn opt_int(&self, i: usize) -> Result<Option<i64>, Self::Error>;
    /// A boolean cell (SQLite: an integer) that may be NULL.
    fn opt_bool(&self, i: usize) -> Result<Option<bool>, Self::Error>;
    /// A boolean cell that is never NULL.
    fn flag(&self, i: usize) -> Result<bool, Self::Error>;
    /// A text cell that is never NULL, holding a value of the shared
    /// vocabulary (a time, a severity, an update kind, a month); text of
    /// another form is the backend's conversion error, naming the cell.
    fn value<T: Cell>(&self, i: usize) -> Result<T, Self::Error>;
    /// [`Cells::value`] of a cell that may be NULL.
    fn opt_value<T: Cell>(&self, i: usize) -> Result<Option<T>, Self::Error>;
    /// A time cell (text `YYYY-MM-DDTHH:MM:SSZ`) that is never NULL.
    fn time(&self, i: usize) -> Result<Timestamp, Self::Error> {
        self.value(i)
    }
}

/// A value stored as its text form.
pub(crate) trait Cell: std::str::FromStr<Err = w2k8_core::ParseValueError> + Send + 'static {}
impl Cell for Timestamp {}
impl Cell for w2k8_core::Severity {}
impl Cell for w2k8_core::UpdateKind {}
impl Cell for w2k8_core::Month {}
impl Cell for w2k8_core::CveId {}

/// A text cell as PostgreSQL reads it, parsed (a local type, so a bad cell
/// is the driver's own conversion error).
struct PgValue<T>(T);

impl<'a, T: Cell> postgres::types::FromSql<'a> for PgValue<T> {
    fn from_sql(
        ty: &postgres::types::Type,
        raw: &'a [u8],
    ) -> Result<PgValue<T>, Box<dyn std::error::Error + Sync + Send>> {
        let text = <&str as postgres::types::FromSql>::from_sql(ty, raw)?;
        Ok(PgValue(text.parse()?))
    }
    fn accepts(ty: &postgres::types::Type) -> bool {
        <&str as postgres::types::FromSql>::accepts(ty)
    }
}

/// The conversion error of a SQLite text cell `i` that does not parse.
fn sqlite_parse<T: Cell>(i: usize, text: &str) -> rusqlite::Result<T> {
    text.parse().map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e)))
}

impl Cells for rusqlite::Row<'_> {
    type Error = rusqlite::Error;
    fn text(&self, i: usize) -> rusqlite::Result<String> {
        self.get(i)
    }
    fn opt_text(&self, i: usize) -> rusqlite::Result<Option<String>> {
        self.get(i)
    }
    fn int(&self, i: usize) -> rusqlite::Result<i64> {
        self.get(i)
    }
    fn opt_int(&self, i: usize) -> rusqlite::Result<Option<i64>> {
        self.get(i)
    }
    fn opt_bool(&self, i: usize) -> rusqlite::Result<Option<bool>> {
        self.get(i)
    }
    fn flag(&self, i: usize) -> rusqlite::Result<bool> {
        self.get(i)
    }
    fn value<T: Cell>(&self, i: usize) -> rusqlite::Result<T> {
        let text: String = self.get(i)?;
        sqlite_parse(i, &text)
    }
    fn opt_value<T: Cell>(&self, i: usize) -> rusqlite::Result<Option<T>> {
        let text: Option<String> = self.get(i)?;
        text.map(|t| sqlite_parse(i, &t)).transpose()
    }
}

impl Cells for postgres::Row {
    type Error = postgres::Error;
    fn text(&self, i: usize) -> Result<String, postgres::Error> {
        self.try_get(i)
    }
    fn opt_text(&self, i: usize) -> Result<Option<String>, postgres::Error> {
        self.try_get(i)
    }
    fn int(&self, i: usize) -> Result<i64, postgres::Error> {
        self.try_get(i)
    }
    fn opt_int(&self, i: usize) -> Result<Option<i64>, postgres::Error> {
        self.try_get(i)
    }
    fn opt_bool(&self, i: usize) -> Result<Option<bool>, postgres::Error> {
        self.try_get(i)
    }
    fn flag(&self, i: usize) -> Result<bool, postgres::Error> {
        self.try_get(i)
    }
    fn value<T: Cell>(&self, i: usize) -> Result<T, postgres::Error> {
        self.try_get::<_, PgValue<T>>(i).map(|t| t.0)
    }
    fn opt_value<T: Cell>(&self, i: usize) -> Result<Option<T>, postgres::Error> {
        self.try_get::<_, Option<PgValue<T>>>(i).map(|t| t.map(|v| v.0))
    }
}

/// The columns [`host_row`] reads, from `hosts h JOIN scans s`.
pub(crate) const HOST_COLUMNS: &str = "h.id, h.name, h.product_id, s.product, s.edition, s.arch, s.server_core, \
     s.build, s.kernel, s.patched_through, s.missing, s.open_cves, s.kev_open, s.ransomware_open, s.scanned_at, \
     s.status, s.error, s.unknown_cves, s.unknown_kev, s.lower_bound, s.patched_through_at_least, s.file_problems, \
     s.reachable_kev, s.critical_open";

/// A count of an assessed scan; None for a scan that did not assess its
/// host (whatever the row holds: rows written before the counts were
/// nullable hold 0 there).
fn count(status: ScanStatus, v: Option<i64>) -> Option<u32> {
    (status == ScanStatus::Ok).then_some(v.map(to_u32)).flatten()
}

/// A host line from a row of [`HOST_COLUMNS`].
pub(crate) fn host_row<R: Cells>(r: &R) -> Result<HostRow, R::Error> {
    let product_id = r.text(2)?;
    let arch = r.opt_text(5)?;
    let status = status_of(&r.text(15)?);
    let ok = status == ScanStatus::Ok;
    Ok(HostRow {
        host_id: r.int(0)?,
        name: r.text(1)?,
        product_id: (!product_id.is_empty()).then_some(product_id),
        product: r.opt_text(3)?,
        edition: r.opt_text(4)?,
        arch: arch.as_deref().and_then(Arch::recognise),
        server_core: r.opt_bool(6)?,
        build: r.opt_int(7)?.map(to_u32),
        kernel: r.opt_text(8)?,
        patched_through: r.opt_value(9)?,
        patched_through_at_least: r.opt_value(20)?.filter(|_| ok),
        missing: count(status, r.opt_int(10)?),
        open_cves: count(status, r.opt_int(11)?),
        kev_open: count(status, r.opt_int(12)?),
        ransomware_open: count(status, r.opt_int(13)?),
        unknown_cves: count(status, r.opt_int(17)?),
        unknown_kev: count(status, r.opt_int(18)?),
        counts_are_lower_bound: r.opt_bool(19)?.filter(|_| ok),
        reachable_kev: count(status, r.opt_int(22)?),
        critical_open: count(status, r.opt_int(23)?),
        accepted: None,
        last_scan: r.time(14)?,
        status,
        error: r.opt_text(16)?,
        file_problems: problems_of(r.opt_text(21)?),
    })
}

/// The columns [`scan_record`] reads, from `scans s JOIN hosts h`.
pub(crate) const SCAN_COLUMNS: &str = "s.id, h.name, s.scanned_at, s.source, s.digest, s.status, s.error, s.build, \
     s.kernel, s.patched_through, s.missing, s.open_cves, s.kev_open, s.lower_bound, s.file_problems, s.catalog, \
     s.reassessed_from, s.reachable_kev";

/// A scan line from a row of [`SCAN_COLUMNS`].
pub(crate) fn scan_record<R: Cells>(r: &R) -> Result<ScanRecord, R::Error> {
    let status = status_of(&r.text(5)?);
    Ok(ScanRecord {
        scan_id: r.int(0)?,
        host: r.text(1)?,
        scanned_at: r.time(2)?,
        source: r.text(3)?,
        digest: r.text(4)?,
        status,
        error: r.opt_text(6)?,
        build: r.opt_int(7)?.map(to_u32),
        kernel: r.opt_text(8)?,
        patched_through: r.opt_value(9)?,
        missing: count(status, r.opt_int(10)?),
        open_cves: count(status, r.opt_int(11)?),
        kev_open: count(status, r.opt_int(12)?),
        counts_are_lower_bound: r.opt_bool(13)?.filter(|_| status == ScanStatus::Ok),
        reachable_kev: count(status, r.opt_int(17)?),
        file_problems: problems_of(r.opt_text(14)?),
        catalog: r.opt_text(15)?.filter(|c| !c.is_empty()),
        reassessed_from: r.opt_int(16)?,
    })
}

/// The `scans.file_problems` cell of `list`: JSON text, NULL when empty.
pub(crate) fn problems_text(list: &[FileProblem]) -> Option<String> {
    if list.is_empty() {
        return None;
    }
    serde_json::to_string(list).ok()
}

/// The list a `scans.file_problems` cell holds (empty for NULL). The store
/// writes the cell itself; a cell that is not such a list is shown as one
/// problem saying so rather than failing the whole read.
pub(crate) fn problems_of(cell: Option<String>) -> Vec<FileProblem> {
    let Some(text) = cell else { return Vec::new() };
    serde_json::from_str(&text).unwrap_or_else(|e| {
        vec![FileProblem { file: String::new(), problem: format!("stored list of files not read is damaged: {e}") }]
    })
}

/// A CVE line from a row `cve, title, severity, kev, ransomware, exploit`,
/// open on `hosts` hosts.
pub(crate) fn fleet_cve<R: Cells>(r: &R, hosts: u32) -> Result<FleetCve, R::Error> {
    Ok(FleetCve {
        cve: r.value(0)?,
        title: r.text(1)?,
        severity: r.value(2)?,
        kev: r.flag(3)?,
        ransomware: r.flag(4)?,
        exploit: r.flag(5)?,
        hosts,
    })
}

/// The `scans.isolation` cell of a scan's isolation plan: JSON text; NULL
/// when not recorded (a scan that did not assess its host).
pub(crate) fn isolation_text(iso: Option<&w2k8_fleet::HostIsolation>) -> Option<String> {
    iso.and_then(|i| serde_json::to_string(i).ok())
}

/// The isolation plan a `scans.isolation` cell holds; None for NULL. The
/// store writes the cell itself: one it cannot read is a damaged record.
pub(crate) fn isolation_of(
    scan: &str,
    cell: Option<&str>,
) -> Result<Option<w2k8_fleet::HostIsolation>, crate::StoreError> {
    let Some(text) = cell else { return Ok(None) };
    serde_json::from_str(text)
        .map(Some)
        .map_err(|e| crate::StoreError::Data(format!("{scan}: stored isolation plan cannot be read: {e}")))
}

/// The columns [`acceptance_row`] reads, from `acceptances`.
pub(crate) const ACCEPTANCE_COLUMNS: &str = "id, target, host_pattern, reason, owner, until, created_at";

/// A row of `acceptances`; a target or day the store cannot read is a damaged record.
pub(crate) fn acceptance_row<R: Cells>(r: &R) -> Result<w2k8_fleet::AcceptanceRecord, crate::StoreError>
where
    crate::StoreError: From<R::Error>,
{
    let id = r.int(0)?;
    let damaged =
        |what: &str, v: &str| crate::StoreError::Data(format!("accepted risk #{id}: {what} {v:?} cannot be read"));
    let target = r.text(1)?;
    let until = r.text(5)?;
    Ok(w2k8_fleet::AcceptanceRecord {
        id,
        target: target.parse().map_err(|_| damaged("target", &target))?,
        host: r.text(2)?,
        reason: r.text(3)?,
        owner: r.opt_text(4)?,
        until: until.parse().map_err(|_| damaged("day", &until))?,
        created_at: r.time(6)?,
    })
}

/// Counts, per host, the `(host_id, host name, target)` findings of latest
/// scans that a live acceptance in `live` covers (its target and its host
/// pattern): shared by both backends.
pub(crate) fn count_accepted(
    live: &[w2k8_fleet::AcceptanceRecord],
    found: &[(i64, String, String)],
) -> std::collections::HashMap<i64, w2k8_fleet::AcceptedCounts> {
    let mut out: std::collections::HashMap<i64, w2k8_fleet::AcceptedCounts> = std::collections::HashMap::new();
    for (host_id, name, target) in found {
        let covered = live.iter().any(|a| {
            a.target.to_string().eq_ignore_ascii_case(target) && w2k8_core::accept::host_matches(&a.host, name)
        });
        if covered {
            let c = out.entry(*host_id).or_default();
            if target.to_ascii_uppercase().starts_with("KB") {
                c.missing += 1;
            } else {
                c.cves += 1;
            }
        }
    }
    out
}
