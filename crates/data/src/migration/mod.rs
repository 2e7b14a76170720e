//! The embedded, sourced tables: lifecycle dates, the research upgrade-path
//! table, the structured in-place hop table and per-hop requirements.
//!
//! All four files live in the workspace's `data/` folder (provenance in
//! `data/README.md`) and are compiled in with `include_str!`; they are parsed
//! once, at first use, each column read by its header name. A malformed row
//! is skipped and reported by [`problems`], so a bad edit can never make the
//! command panic; `w2k8-migrate`'s `build.rs` refuses to build while
//! [`parse_all`] reports one (`file:line: expected ...`).
pub mod version;

use self::version::Version;
use serde::Serialize;
use std::sync::OnceLock;
use w2k8_core::Date;

const LIFECYCLE_CSV: &str = include_str!("../../../../data/lifecycle/lifecycle.csv");
const UPGRADE_PATHS_CSV: &str = include_str!("../../../../data/migration/upgrade-paths.csv");
const HOPS_CSV: &str = include_str!("../../../../data/migration/hops.csv");
const REQUIREMENTS_CSV: &str = include_str!("../../../../data/migration/requirements.csv");

/// One row of `data/lifecycle/lifecycle.csv`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LifecycleRow {
    /// Product name, e.g. `Windows Server 2008`.
    pub product: String,
    /// Editions and remarks, paraphrased from the source.
    pub edition_note: String,
    /// General availability.
    pub release_date: Option<Date>,
    /// End of mainstream support.
    pub mainstream_end: Option<Date>,
    /// End of extended support.
    pub extended_end: Option<Date>,
    /// End of each paid Extended Security Update year (1 to 3), where there was one.
    pub esu_year_ends: Vec<Date>,
    /// End of the Azure-only ESU year (2008/2008 R2) or of ESU in Azure.
    pub esu_azure_end: Option<Date>,
    /// Where the dates come from.
    pub source_url: String,
}

/// One row of `data/migration/upgrade-paths.csv` (the research table, as shipped).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct PathRow {
    /// Start point as the source words it.
    pub from: String,
    /// Start architecture (`x86`, `x64`, `IA64`, `any`).
    pub from_arch: String,
    /// Destination as the source words it.
    pub to: String,
    /// `yes`, `no`, or empty when not confirmed.
    pub supported: String,
    /// `in-place`, `migration` or `clean`.
    pub method: String,
    /// Paraphrased notes.
    pub notes: String,
    /// Source page.
    pub source_url: String,
}

/// Whether a hop is supported, per `data/migration/hops.csv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Support {
    /// Documented as supported.
    Yes,
    /// Documented as not supported (or not listed in the upgrade table).
    No,
    /// No source read confirms it either way, or sources conflict.
    Unconfirmed,
}

/// One row of `data/migration/hops.csv`: a direct in-place upgrade between two versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HopRow {
    /// Start version.
    pub from: Version,
    /// Destination version.
    pub to: Version,
    /// Edition mapping: `*` (the general rule: keep the edition, Standard may
    /// become Datacenter, never Datacenter to Standard), or
    /// `From>To|To;From>To` pairs from an edition table. Empty for refused hops.
    pub editions: String,
    /// What the start must have, e.g. `Service Pack 2`.
    pub requires: String,
    /// Supported, refused or unconfirmed.
    pub supported: Support,
    /// Paraphrased notes.
    pub notes: String,
    /// Source page.
    pub source_url: String,
}

/// One row of `data/migration/requirements.csv`: something a hop (or any hop
/// into a version) needs before it starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequirementRow {
    /// Start version, or `None` for any start.
    pub from: Option<Version>,
    /// Destination version.
    pub to: Version,
    /// The requirement, paraphrased.
    pub requirement: String,
    /// Source page.
    pub source_url: String,
}

/// All embedded tables, parsed.
#[derive(Debug, Default)]
pub struct Tables {
    /// Lifecycle rows, in file order (2003 .. 2025).
    pub lifecycle: Vec<LifecycleRow>,
    /// Research upgrade-path rows, in file order.
    pub paths: Vec<PathRow>,
    /// Structured in-place hops.
    pub hops: Vec<HopRow>,
    /// Per-hop requirements.
    pub requirements: Vec<RequirementRow>,
    /// Rows that could not be read, as `file:line: expected ...`.
    pub problems: Vec<String>,
}

/// The parsed tables (parsed at first use).
pub fn tables() -> &'static Tables {
    static T: OnceLock<Tables> = OnceLock::new();
    T.get_or_init(parse_all)
}

/// Rows of the embedded files that could not be read (empty when the data is sound).
pub fn problems() -> &'static [String] {
    &tables().problems
}

/// The rows of `text` read by their header names (a column moved in the
/// file is still read right; one missing or renamed is a problem, not a
/// shifted value), each with its line; rows that do not fit are problems.
fn records<T: serde::de::DeserializeOwned>(text: &str, file: &str, problems: &mut Vec<String>) -> Vec<(u64, T)> {
    let mut out = Vec::new();
    let mut rdr = csv::ReaderBuilder::new().has_headers(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers = match rdr.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            problems.push(format!("{file}:1: expected a CSV header line: {e}"));
            return out;
        }
    };
    for rec in rdr.records() {
        match rec {
            Ok(r) => {
                let line = r.position().map_or(0, |p| p.line());
                match r.deserialize::<T>(Some(&headers)) {
                    Ok(row) => out.push((line, row)),
                    Err(e) => problems.push(format!("{file}:{line}: expected the columns its header names: {e}")),
                }
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                problems.push(format!("{file}:{line}: expected CSV: {e}"));
            }
        }
    }
    out
}

fn date(s: &str, file: &str, line: u64, problems: &mut Vec<String>) -> Option<Date> {
    if s.is_empty() {
        return None;
    }
    match s.parse::<Date>() {
        Ok(d) => Some(d),
        Err(_) => {
            problems.push(format!("{file}:{line}: expected a YYYY-MM-DD date, found {s:?}"));
            None
        }
    }
}

/// `data/lifecycle/lifecycle.csv` as written.
#[derive(serde::Deserialize)]
struct LifecycleCsv {
    product: String,
    edition_note: String,
    release_date: String,
    mainstream_end: String,
    extended_end: String,
    esu_year1_end: String,
    esu_year2_end: String,
    esu_year3_end: String,
    esu_azure_end: String,
    source_url: String,
}

/// `data/migration/hops.csv` as written.
#[derive(serde::Deserialize)]
struct HopCsv {
    from: String,
    to: String,
    editions: String,
    requires: String,
    supported: String,
    notes: String,
    source_url: String,
}

/// `data/migration/requirements.csv` as written.
#[derive(serde::Deserialize)]
struct RequirementCsv {
    from: String,
    to: String,
    requirement: String,
    source_url: String,
}

/// Reads every embedded table; rows that cannot be read become problems.
pub fn parse_all() -> Tables {
    let mut t = Tables::default();
    read_lifecycle(&mut t);
    for (_, r) in records::<PathRow>(UPGRADE_PATHS_CSV, "data/migration/upgrade-paths.csv", &mut t.problems) {
        t.paths.push(r);
    }
    read_hops(&mut t);
    read_requirements(&mut t);
    t
}

/// `data/lifecycle/lifecycle.csv` into `t.lifecycle`.
fn read_lifecycle(t: &mut Tables) {
    let p = &mut t.problems;
    let f = "data/lifecycle/lifecycle.csv";
    for (line, r) in records::<LifecycleCsv>(LIFECYCLE_CSV, f, p) {
        let esu_year_ends =
            [&r.esu_year1_end, &r.esu_year2_end, &r.esu_year3_end].iter().filter_map(|d| date(d, f, line, p)).collect();
        t.lifecycle.push(LifecycleRow {
            release_date: date(&r.release_date, f, line, p),
            mainstream_end: date(&r.mainstream_end, f, line, p),
            extended_end: date(&r.extended_end, f, line, p),
            esu_year_ends,
            esu_azure_end: date(&r.esu_azure_end, f, line, p),
            product: r.product,
            edition_note: r.edition_note,
            source_url: r.source_url,
        });
    }
}

/// `data/migration/hops.csv` into `t.hops`.
fn read_hops(t: &mut Tables) {
    let p = &mut t.problems;
    let f = "data/migration/hops.csv";
    for (line, r) in records::<HopCsv>(HOPS_CSV, f, p) {
        let (Some(from), Some(to)) = (Version::from_key(&r.from), Version::from_key(&r.to)) else {
            p.push(format!("{f}:{line}: expected version keys such as 2008, 2008r2, 2012r2"));
            continue;
        };
        let supported = match r.supported.as_str() {
            "yes" => Support::Yes,
            "no" => Support::No,
            "unconfirmed" => Support::Unconfirmed,
            other => {
                p.push(format!("{f}:{line}: expected yes, no or unconfirmed, found {other:?}"));
                continue;
            }
        };
        t.hops.push(HopRow {
            from,
            to,
            editions: r.editions,
            requires: r.requires,
            supported,
            notes: r.notes,
            source_url: r.source_url,
        });
    }
}

/// `data/migration/requirements.csv` into `t.requirements`.
fn read_requirements(t: &mut Tables) {
    let p = &mut t.problems;
    let f = "data/migration/requirements.csv";
    for (line, r) in records::<RequirementCsv>(REQUIREMENTS_CSV, f, p) {
        let from = if r.from == "*" { None } else { Version::from_key(&r.from) };
        let to = Version::from_key(&r.to);
        match (r.from.as_str(), from, to) {
            (_, _, None) | ("*", Some(_), _) => {
                p.push(format!("{f}:{line}: expected a destination version key"));
            }
            (k, None, Some(_)) if k != "*" => {
                p.push(format!("{f}:{line}: expected `*` or a start version key, found {k:?}"));
            }
            (_, from, Some(to)) => {
                t.requirements.push(RequirementRow { from, to, requirement: r.requirement, source_url: r.source_url })
            }
        }
    }
}

/// The lifecycle row whose product name is exactly `product`.
pub fn lifecycle(product: &str) -> Option<&'static LifecycleRow> {
    tables().lifecycle.iter().find(|r| r.product == product)
}

/// The research row whose `from` and `to` start with the given texts.
pub fn path_row(from_prefix: &str, to_prefix: &str) -> Option<&'static PathRow> {
    tables().paths.iter().find(|r| r.from.starts_with(from_prefix) && r.to.starts_with(to_prefix))
}

/// The hop row from `from` to `to`.
pub fn hop(from: Version, to: Version) -> Option<&'static HopRow> {
    tables().hops.iter().find(|h| h.from == from && h.to == to)
}

/// Requirements of the hop `from` -> `to` (its own rows, then those of any hop into `to`).
pub fn requirements(from: Version, to: Version) -> Vec<&'static RequirementRow> {
    let t = tables();
    let own = t.requirements.iter().filter(|r| r.from == Some(from) && r.to == to);
    let any = t.requirements.iter().filter(|r| r.from.is_none() && r.to == to);
    own.chain(any).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_data_is_sound() {
        assert_eq!(problems(), &[] as &[String]);
        let t = tables();
        assert_eq!(t.lifecycle.len(), 12);
        assert_eq!(t.paths.len(), 45);
        assert_eq!(t.hops.len(), 28);
        assert_eq!(t.requirements.len(), 11);
        assert!(t.paths.iter().chain([]).all(|r| r.source_url.starts_with("http")));
        assert!(t.hops.iter().all(|r| r.source_url.starts_with("https://")));
        assert!(t.requirements.iter().all(|r| r.source_url.starts_with("https://")));
    }

    #[test]
    fn lifecycle_2008_dates() {
        let r = lifecycle("Windows Server 2008");
        let r = r.map(|r| {
            (
                r.mainstream_end.map(|d| d.to_string()),
                r.extended_end.map(|d| d.to_string()),
                r.esu_year_ends.iter().map(|d| d.to_string()).collect::<Vec<_>>(),
                r.esu_azure_end.map(|d| d.to_string()),
            )
        });
        assert_eq!(
            r,
            Some((
                Some("2015-01-13".into()),
                Some("2020-01-14".into()),
                vec!["2021-01-12".into(), "2022-01-11".into(), "2023-01-10".into()],
                Some("2024-01-09".into()),
            ))
        );
        let r2 = lifecycle("Windows Server 2008 R2").and_then(|r| r.release_date).map(|d| d.to_string());
        assert_eq!(r2.as_deref(), Some("2009-10-22"));
        // 2025's end dates are left empty in the data (sources disagree).
        let w25 = lifecycle("Windows Server 2025").map(|r| (r.mainstream_end, r.extended_end));
        assert_eq!(w25, Some((None, None)));
    }

    #[test]
    fn columns_are_read_by_name_and_a_bad_row_is_named() {
        let mut p = Vec::new();
        // Columns in another order: still read right.
        let rows =
            records::<RequirementCsv>("to,from,source_url,requirement\n2012, 2008r2 ,https://x,r\n", "t.csv", &mut p);
        assert_eq!(p, Vec::<String>::new());
        assert_eq!(rows.len(), 1);
        assert_eq!((rows[0].0, rows[0].1.from.as_str(), rows[0].1.to.as_str()), (2, "2008r2", "2012"));
        // A missing column, and a short row: problems with the file and line, nothing shifted.
        let rows = records::<RequirementCsv>("from,to,requirement\n2008,2012,r\n", "t.csv", &mut p);
        assert!(rows.is_empty());
        assert!(p[0].starts_with("t.csv:2: expected the columns its header names"), "{p:?}");
        p.clear();
        let rows = records::<RequirementCsv>(
            "from,to,requirement,source_url\n2008,2012,r\n2008,2012,r,https://x\n",
            "t.csv",
            &mut p,
        );
        assert_eq!(rows.iter().map(|r| r.0).collect::<Vec<_>>(), [3]);
        assert!(p.len() == 1 && p[0].starts_with("t.csv:2: expected CSV"), "{p:?}");
    }

    #[test]
    fn hops_and_requirements() {
        assert_eq!(hop(Version::Ws2008, Version::Ws2012).map(|h| h.supported), Some(Support::Yes));
        assert_eq!(hop(Version::Ws2008, Version::Ws2008R2).map(|h| h.supported), Some(Support::Unconfirmed));
        assert_eq!(hop(Version::Ws2012R2, Version::Ws2022).map(|h| h.supported), Some(Support::No));
        assert_eq!(hop(Version::Ws2008R2, Version::Ws2016).map(|h| h.supported), Some(Support::No));
        assert_eq!(requirements(Version::Ws2008R2, Version::Ws2012).len(), 2);
        assert_eq!(requirements(Version::Ws2012R2, Version::Ws2025).len(), 2);
        assert_eq!(requirements(Version::Ws2008, Version::Ws2012).len(), 0);
    }
}
