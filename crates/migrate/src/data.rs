//! The embedded, sourced tables: lifecycle dates, the research upgrade-path
//! table, the structured in-place hop table and per-hop requirements.
//!
//! All four files live in the workspace's `data/` folder (provenance in
//! `data/README.md`) and are compiled in with `include_str!`; they are parsed
//! once, at first use. A malformed row is skipped and reported by
//! [`problems`] (the unit tests assert there are none), so a bad edit can
//! never make the command panic.
use crate::version::Version;
use serde::Serialize;
use std::sync::OnceLock;
use w2k8_core::Date;

const LIFECYCLE_CSV: &str = include_str!("../../../data/lifecycle/lifecycle.csv");
const UPGRADE_PATHS_CSV: &str = include_str!("../../../data/migration/upgrade-paths.csv");
const HOPS_CSV: &str = include_str!("../../../data/migration/hops.csv");
const REQUIREMENTS_CSV: &str = include_str!("../../../data/migration/requirements.csv");

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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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

fn records(text: &str, file: &str, width: usize, problems: &mut Vec<String>) -> Vec<(u64, Vec<String>)> {
    let mut out = Vec::new();
    let mut rdr = csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(text.as_bytes());
    for rec in rdr.records() {
        match rec {
            Ok(r) => {
                let line = r.position().map(|p| p.line()).unwrap_or(0);
                if r.len() != width {
                    problems.push(format!("{file}:{line}: expected {width} fields, found {}", r.len()));
                    continue;
                }
                out.push((line, r.iter().map(|s| s.trim().to_string()).collect()));
            }
            Err(e) => problems.push(format!("{file}: expected CSV: {e}")),
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

fn field(r: &[String], i: usize) -> String {
    r.get(i).cloned().unwrap_or_default()
}

fn parse_all() -> Tables {
    let mut t = Tables::default();
    let p = &mut t.problems;
    let f = "data/lifecycle/lifecycle.csv";
    for (line, r) in records(LIFECYCLE_CSV, f, 10, p) {
        let esu_year_ends = (5..8).filter_map(|i| date(&field(&r, i), f, line, p)).collect();
        t.lifecycle.push(LifecycleRow {
            product: field(&r, 0),
            edition_note: field(&r, 1),
            release_date: date(&field(&r, 2), f, line, p),
            mainstream_end: date(&field(&r, 3), f, line, p),
            extended_end: date(&field(&r, 4), f, line, p),
            esu_year_ends,
            esu_azure_end: date(&field(&r, 8), f, line, p),
            source_url: field(&r, 9),
        });
    }
    for (_, r) in records(UPGRADE_PATHS_CSV, "data/migration/upgrade-paths.csv", 7, p) {
        t.paths.push(PathRow {
            from: field(&r, 0),
            from_arch: field(&r, 1),
            to: field(&r, 2),
            supported: field(&r, 3),
            method: field(&r, 4),
            notes: field(&r, 5),
            source_url: field(&r, 6),
        });
    }
    let f = "data/migration/hops.csv";
    for (line, r) in records(HOPS_CSV, f, 7, p) {
        let (Some(from), Some(to)) = (Version::from_key(&field(&r, 0)), Version::from_key(&field(&r, 1))) else {
            p.push(format!("{f}:{line}: expected version keys such as 2008, 2008r2, 2012r2"));
            continue;
        };
        let supported = match field(&r, 4).as_str() {
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
            editions: field(&r, 2),
            requires: field(&r, 3),
            supported,
            notes: field(&r, 5),
            source_url: field(&r, 6),
        });
    }
    let f = "data/migration/requirements.csv";
    for (line, r) in records(REQUIREMENTS_CSV, f, 4, p) {
        let from_key = field(&r, 0);
        let from = if from_key == "*" { None } else { Version::from_key(&from_key) };
        let to = Version::from_key(&field(&r, 1));
        match (from_key.as_str(), from, to) {
            (_, _, None) | ("*", Some(_), _) => {
                p.push(format!("{f}:{line}: expected a destination version key"));
            }
            (k, None, Some(_)) if k != "*" => {
                p.push(format!("{f}:{line}: expected `*` or a start version key, found {k:?}"));
            }
            (_, from, Some(to)) => {
                t.requirements.push(RequirementRow { from, to, requirement: field(&r, 2), source_url: field(&r, 3) })
            }
        }
    }
    t
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
    fn hops_and_requirements() {
        assert_eq!(hop(Version::Ws2008, Version::Ws2012).map(|h| h.supported), Some(Support::Yes));
        assert_eq!(hop(Version::Ws2008, Version::Ws2008R2).map(|h| h.supported), Some(Support::Unconfirmed));
        assert_eq!(hop(Version::Ws2012R2, Version::Ws2022).map(|h| h.supported), Some(Support::No));
        assert_eq!(hop(Version::Ws2008R2, Version::Ws2016).map(|h| h.supported), Some(Support::No));
        assert_eq!(requirements(Version::Ws2008R2, Version::Ws2012).len(), 2);
        assert_eq!(requirements(Version::Ws2012R2, Version::Ws2025).len(), 2);
        assert_eq!(requirements(Version::Ws2008, Version::Ws2012).len(), 0);
    }

    #[test]
    fn research_rows_used_by_the_planner_exist() {
        for (from, to) in crate::plan::PATH_ROWS_USED {
            assert!(path_row(from, to).is_some(), "{from} -> {to}");
        }
    }
}
