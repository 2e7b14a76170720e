//! `w2k8 catalog diff OLD NEW`: what changes, record by record, between two
//! MSRC tables (the shipped `data/msrc/ws2008-msrc.csv.gz`, a WES-NG
//! `definitions.zip` or its `CVEs_YYYYMMDD.csv`, or `embedded`: the table
//! inside this binary).
//!
//! The shipped table is 23 MB of CSV kept compressed, so a data refresh does
//! not read as a diff in review; this does. Both tables are compiled by the
//! code that builds the catalog (`w2k8_data::compile`, with the embedded
//! servicing tables) and their records compared: CVEs by id, updates by KB.
//! Where a record's facts came from (`file:line`) is not compared: every
//! line moves when rows are added.
use crate::model::{Cve, Update};
use crate::overlay::{self, Compiled, OverlayError};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use w2k8_core::{CveId, Kb};

/// The argument that names the MSRC table inside the binary.
pub const EMBEDDED: &str = "embedded";

/// The record-level changes from one MSRC table to another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CatalogDiff {
    /// The table compared from.
    pub old: Side,
    /// The table compared to.
    pub new: Side,
    /// CVE (and advisory) records added, removed or changed, by id.
    pub cves: Vec<Change<CveId>>,
    /// Update records added, removed or changed, by KB.
    pub updates: Vec<Change<Kb>>,
}

impl CatalogDiff {
    /// True when no record differs.
    pub fn is_empty(&self) -> bool {
        self.cves.is_empty() && self.updates.is_empty()
    }
}

/// One table of the comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Side {
    /// The file as given (`definitions.zip (CVEs_YYYYMMDD.csv)` for a zip,
    /// `data/msrc/ws2008-msrc.csv.gz (embedded)` for the embedded table).
    pub file: String,
    /// Its rows about Windows Server 2008 / 2008 R2.
    pub rows: usize,
    /// The CVE records compiled from them.
    pub cves: usize,
    /// The update records (with the servicing tables' own).
    pub updates: usize,
}

/// What happened to one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Only in the new table.
    Added,
    /// Only in the old table.
    Removed,
    /// In both, with other facts.
    Changed,
}

/// One record that differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change<K> {
    /// The CVE id or KB.
    pub id: K,
    /// Added, removed or changed.
    pub change: Kind,
    /// Its title (the new one when it changed).
    pub title: String,
    /// For a changed record, each fact that differs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<Field>,
}

/// One fact of a record that differs. For a list (fixes, products,
/// supersedence), `old` holds what only the old table has and `new` what
/// only the new one has, each entry once, `; `-separated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Field {
    /// `title`, `severity`, `fixes`, `supersedes`, ...
    pub field: &'static str,
    /// The old value (or the entries only the old table has).
    pub old: String,
    /// The new value (or the entries only the new table has).
    pub new: String,
}

/// Compares the MSRC tables named `old` and `new` (paths, or [`EMBEDDED`]).
///
/// # Errors
/// A file that cannot be read, is too large, or is not an MSRC table; a row
/// that does not read (`file:line: expected ...`).
pub fn diff(old: &str, new: &str) -> Result<CatalogDiff, OverlayError> {
    let ((old_file, a), (new_file, b)) = (overlay::compile_table(old)?, overlay::compile_table(new)?);
    Ok(CatalogDiff {
        old: side(old_file, &a),
        new: side(new_file, &b),
        cves: changes(&keyed(&a, |c: &Cve| c.id, &a.cves), &keyed(&b, |c: &Cve| c.id, &b.cves), cve_fields),
        updates: changes(
            &keyed(&a, |u: &Update| u.kb, &a.updates),
            &keyed(&b, |u: &Update| u.kb, &b.updates),
            update_fields,
        ),
    })
}

fn side(file: String, c: &Compiled) -> Side {
    Side { file, rows: c.rows, cves: c.cves.len(), updates: c.updates.len() }
}

/// A record with the product names of the table it was compiled from.
struct Rec<'a, T> {
    record: &'a T,
    products: &'a [String],
}

impl<T> Rec<'_, T> {
    fn product(&self, i: u16) -> &str {
        self.products.get(usize::from(i)).map_or("?", String::as_str)
    }
}

fn keyed<'a, K: Ord, T>(c: &'a Compiled, key: impl Fn(&T) -> K, list: &'a [T]) -> BTreeMap<K, Rec<'a, T>> {
    list.iter().map(|r| (key(r), Rec { record: r, products: &c.products })).collect()
}

/// The records only in `old`, only in `new`, and in both with facts that
/// differ (`fields` lists them), by key.
fn changes<K: Ord + Copy, T: Titled>(
    old: &BTreeMap<K, Rec<'_, T>>,
    new: &BTreeMap<K, Rec<'_, T>>,
    fields: fn(&Rec<'_, T>, &Rec<'_, T>) -> Vec<Field>,
) -> Vec<Change<K>> {
    let keys: BTreeSet<K> = old.keys().chain(new.keys()).copied().collect();
    let mut out = Vec::new();
    for k in keys {
        let (change, title, fields) = match (old.get(&k), new.get(&k)) {
            (None, Some(n)) => (Kind::Added, n.record.title(), Vec::new()),
            (Some(o), None) => (Kind::Removed, o.record.title(), Vec::new()),
            (Some(o), Some(n)) => match fields(o, n) {
                f if f.is_empty() => continue,
                f => (Kind::Changed, n.record.title(), f),
            },
            (None, None) => continue,
        };
        out.push(Change { id: k, change, title, fields });
    }
    out
}

/// A record's title as the diff shows it.
trait Titled {
    fn title(&self) -> String;
}

impl Titled for Cve {
    fn title(&self) -> String {
        self.title.to_string()
    }
}

impl Titled for Update {
    fn title(&self) -> String {
        self.title.clone().unwrap_or_default()
    }
}

/// `field` when `old` and `new` differ.
fn scalar(out: &mut Vec<Field>, field: &'static str, old: String, new: String) {
    if old != new {
        out.push(Field { field, old, new });
    }
}

/// `field` when the sets differ: what only each side has.
fn set(out: &mut Vec<Field>, field: &'static str, old: BTreeSet<String>, new: BTreeSet<String>) {
    let only = |a: &BTreeSet<String>, b: &BTreeSet<String>| a.difference(b).cloned().collect::<Vec<_>>().join("; ");
    if old != new {
        out.push(Field { field, old: only(&old, &new), new: only(&new, &old) });
    }
}

fn cve_fields(o: &Rec<'_, Cve>, n: &Rec<'_, Cve>) -> Vec<Field> {
    let (a, b) = (o.record, n.record);
    let mut out = Vec::new();
    scalar(&mut out, "title", a.title.to_string(), b.title.to_string());
    scalar(&mut out, "component", a.component.to_string(), b.component.to_string());
    scalar(&mut out, "severity", a.severity.as_str().to_string(), b.severity.as_str().to_string());
    scalar(&mut out, "impact", a.impact.to_string(), b.impact.to_string());
    let fixes =
        |r: &Rec<'_, Cve>| r.record.fixes.iter().map(|f| format!("{} on {}", f.kb, r.product(f.product))).collect();
    set(&mut out, "fixes", fixes(o), fixes(n));
    let affected = |r: &Rec<'_, Cve>| r.record.affected.iter().map(|&p| r.product(p).to_string()).collect();
    set(&mut out, "affected", affected(o), affected(n));
    set(&mut out, "exploits", a.exploits.iter().cloned().collect(), b.exploits.iter().cloned().collect());
    out
}

fn update_fields(o: &Rec<'_, Update>, n: &Rec<'_, Update>) -> Vec<Field> {
    let (a, b) = (o.record, n.record);
    let date = |u: &Update| u.released.map(|d| d.to_string()).unwrap_or_default();
    let kbs = |v: &[Kb]| v.iter().map(Kb::to_string).collect::<BTreeSet<_>>();
    let mut out = Vec::new();
    scalar(&mut out, "title", a.title.clone().unwrap_or_default(), b.title.clone().unwrap_or_default());
    scalar(&mut out, "kind", a.kind.as_str().to_string(), b.kind.as_str().to_string());
    scalar(&mut out, "released", date(a), date(b));
    set(&mut out, "supersedes", kbs(&a.supersedes), kbs(&b.supersedes));
    set(&mut out, "requires", kbs(&a.requires), kbs(&b.requires));
    let products = |r: &Rec<'_, Update>| r.record.products.iter().map(|&p| r.product(p).to_string()).collect();
    set(&mut out, "products", products(o), products(n));
    out
}
