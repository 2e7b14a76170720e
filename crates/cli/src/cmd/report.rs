//! `w2k8 report --db DB --format html|csv|json|sarif [--out FILE]`: the
//! fleet report from the store (each host's latest scan, history, top
//! CVEs; the JSON has `close_first`). `--from-json FILE` renders a saved
//! `--format json` report instead of reading a store (to re-render, or to
//! test the writers). `--close-first` prints the fleet view "what to close
//! first" as text instead (the isolation changes that remove the most
//! reachable KEV exposure across hosts).
//!
//! Exit codes: 0 written, 2 bad input (no such database, unreadable JSON).
use anyhow::{anyhow, Context};
use clap::ValueEnum;
use std::path::{Path, PathBuf};
use w2k8_fleet::FleetReport;
use w2k8_report::fleet;

/// Output format of `report`.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ReportFormat {
    /// One self-contained HTML file: totals, charts, host table, details.
    Html,
    /// One row per host.
    Csv,
    /// The report model as JSON.
    Json,
    /// SARIF 2.1.0: host x open KEV CVE, host x missing update.
    Sarif,
}

/// Arguments of `report`.
#[derive(clap::Args)]
#[command(group = clap::ArgGroup::new("input").required(true).args(["db", "from_json"]))]
pub struct Args {
    /// The fleet database written by `w2k8 scan`.
    #[arg(long, value_name = "DB")]
    pub db: Option<PathBuf>,
    /// Render a report saved with `--format json` instead of reading a database.
    #[arg(long, value_name = "FILE")]
    pub from_json: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "html")]
    pub format: ReportFormat,
    /// Open CVEs listed per host in the report's detail, riskiest first (the
    /// host table counts them all). Keeps the HTML of a large fleet small.
    /// SARIF always gets every open KEV CVE.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub detail_cves: usize,
    /// Write to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Print "what to close first" as text instead of the report: the
    /// isolation changes (from each host's plan) that remove the most
    /// reachable KEV exposure across hosts. `--format json` carries it as
    /// `close_first`.
    #[arg(long, conflicts_with = "format")]
    pub close_first: bool,
}

fn from_store(db: &Path, detail_cves: usize) -> anyhow::Result<FleetReport> {
    // Opening creates a database: a report of a path that does not exist is a mistake.
    let text = db.to_string_lossy();
    let postgres = w2k8_store::is_postgres_url(&text);
    if !postgres && !db.is_file() {
        return Err(anyhow!(
            "{}: no such fleet database (write one with `w2k8 scan BUNDLES --db {}`)",
            db.display(),
            db.display()
        ));
    }
    let store = w2k8_store::open_store_for_reading(&text)?;
    let v = w2k8_catalog::data_version();
    let catalog = format!("msrc {}, kev {}, servicing {}", v.msrc, v.kev, v.servicing);
    let mut r = store.fleet_report(&catalog, w2k8_store::now_utc(), detail_cves)?;
    let effective = w2k8_catalog::Catalog::current().unwrap_or_else(|_| w2k8_catalog::Catalog::embedded());
    r.catalog_warnings = effective.freshness(w2k8_core::Date::today_utc()).warnings;
    Ok(r)
}

fn from_json(file: &Path) -> anyhow::Result<FleetReport> {
    let text = std::fs::read_to_string(file).with_context(|| format!("{}: cannot read", file.display()))?;
    let mut report: FleetReport = serde_json::from_str(&text).map_err(|e| {
        anyhow!(
            "{}:{}: expected a fleet report as `w2k8 report --format json` writes it: {e}",
            file.display(),
            e.line()
        )
    })?;
    report.forget_unassessed_counts();
    Ok(report)
}

/// The most open KEV CVEs on one host.
fn kev_max(r: &FleetReport) -> usize {
    r.hosts.iter().filter_map(|h| h.kev_open).map(|n| usize::try_from(n).unwrap_or(usize::MAX)).max().unwrap_or(0)
}

/// Runs `report`.
pub fn run(a: Args) -> anyhow::Result<()> {
    let mut report = match (&a.from_json, &a.db) {
        (Some(file), _) => from_json(file)?,
        (None, Some(db)) => {
            let r = from_store(db, a.detail_cves)?;
            // SARIF has a result per open KEV CVE: the riskiest come first and
            // KEV ones are the riskiest, so list at least every host's KEV count.
            let kev = kev_max(&r);
            if matches!(a.format, ReportFormat::Sarif) && kev > a.detail_cves {
                from_store(db, kev)?
            } else {
                r
            }
        }
        (None, None) => return Err(anyhow!("give --db DB or --from-json FILE")),
    };
    let keep =
        if matches!(a.format, ReportFormat::Sarif) { a.detail_cves.max(kev_max(&report)) } else { a.detail_cves };
    for d in &mut report.details {
        d.exposure.truncate(keep);
    }
    let text = match a.format {
        _ if a.close_first => fleet::close_first::text(&report.close_first),
        ReportFormat::Html => fleet::html(&report),
        ReportFormat::Csv => fleet::csv(&report),
        ReportFormat::Json => w2k8_report::json(&w2k8_report::versioned::fleet_report(&report)),
        ReportFormat::Sarif => fleet::sarif(&report),
    };
    match &a.out {
        Some(path) => std::fs::write(path, text).with_context(|| format!("{}: cannot write", path.display())),
        None => crate::common::print(&text),
    }
}
