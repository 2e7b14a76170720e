//! `w2k8 catalog info` and `w2k8 catalog import FILE...`: what the embedded
//! catalog holds and how old each part is, and offline updates to it (an
//! overlay in the user's data directory, see `w2k8_catalog::overlay`).
use crate::common::{parse_date, print, Format};
use anyhow::anyhow;
use std::fmt::Write as _;
use std::path::PathBuf;
use w2k8_catalog::overlay;
use w2k8_catalog::Catalog;
use w2k8_core::Date;
use w2k8_report::catalog_info::CatalogInfo;

/// Arguments of `catalog`.
#[derive(clap::Args)]
pub struct Args {
    /// Data directory holding the overlay (default: $W2K8_DATA_DIR, else the user's data directory:
    /// %APPDATA%\w2k8, ~/Library/Application Support/w2k8, $XDG_DATA_HOME/w2k8 or ~/.local/share/w2k8).
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Sub,
}

#[derive(clap::Subcommand)]
enum Sub {
    /// What the embedded catalog holds, how old each part is, and the imported overlay if any.
    Info {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Compute ages as of this date (YYYY-MM-DD) instead of today.
        #[arg(long, value_parser = parse_date, value_name = "DATE")]
        as_of: Option<Date>,
    },
    /// Import newer data downloaded on another machine: the CISA KEV catalog (CSV or JSON feed),
    /// WES-NG definitions (definitions.zip or its CVEs_YYYYMMDD.csv). A bad or older file is
    /// refused and the overlay is left as it was.
    Import {
        /// The files to import.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// The fleet database to re-assess with the catalog as imported (as `w2k8 scan --reassess`
        /// does): every host judged again from the input its latest scan kept. Without it (and
        /// without W2K8_DB), the command to run is printed.
        #[arg(long, env = "W2K8_DB", value_name = "DB")]
        db: Option<String>,
        /// Do not re-assess the fleet database, even when --db or W2K8_DB names one.
        #[arg(long)]
        no_reassess: bool,
    },
    /// What changes, record by record, from one MSRC table to another: CVEs and updates added,
    /// removed or changed, and which facts. Each table is the shipped data/msrc/ws2008-msrc.csv.gz
    /// (or another gzip-compressed copy, e.g. from `git show`), a WES-NG definitions.zip, its
    /// CVEs_YYYYMMDD.csv, or `embedded` (the table inside this binary). Exit code 0 when no record
    /// differs, 1 when some do.
    Diff {
        /// The table to compare from.
        #[arg(value_name = "OLD")]
        old: String,
        /// The table to compare to.
        #[arg(value_name = "NEW")]
        new: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Print a source w2k8 cites that ships inside the binary: a data file, one of its lines
    /// (`data/servicing/ws2008-sp2-updates.csv:30`), a section of its facts
    /// (`'data/servicing/facts.md §7'`) or an error code's rows (`'data/errors/hresults.csv 0x80092004'`).
    /// Without REF, list the embedded files.
    Source {
        /// The reference as w2k8 printed it.
        #[arg(value_name = "REF")]
        reference: Option<String>,
    },
}

/// Runs `catalog`.
pub fn run(a: Args) -> anyhow::Result<()> {
    let dir = a.data_dir.or_else(overlay::default_data_dir);
    match a.command {
        Sub::Info { format, as_of } => info(dir, format, as_of.unwrap_or_else(Date::today_utc)),
        Sub::Import { files, db, no_reassess } => import(dir, &files, if no_reassess { None } else { db }),
        Sub::Source { reference } => source(reference.as_deref()),
        Sub::Diff { old, new, format } => diff(&old, &new, format),
    }
}

/// `catalog diff`: the record-level changes between two MSRC tables; exit 1 when some record differs.
fn diff(old: &str, new: &str, format: Format) -> anyhow::Result<()> {
    let d = w2k8_catalog::diff::diff(old, new)?;
    match format {
        Format::Table => crate::common::print_fitted(&w2k8_report::catalog_diff::text(&d))?,
        Format::Json => print(&w2k8_report::json(&w2k8_report::versioned::versioned(&d)))?,
    }
    if d.is_empty() {
        Ok(())
    } else {
        Err(crate::common::Findings.into())
    }
}

/// `catalog source`: an embedded source, or the list of embedded files.
fn source(reference: Option<&str>) -> anyhow::Result<()> {
    use w2k8_catalog::embedded;
    let text = match reference {
        Some(r) => embedded::resolve(r)?,
        None => embedded::FILES.iter().map(|f| format!("{}\n    {}\n", f.path, f.about)).collect(),
    };
    crate::common::print(&w2k8_core::text::escape_text(&text))
}

fn no_dir() -> anyhow::Error {
    anyhow!("no data directory: set W2K8_DATA_DIR (or HOME / APPDATA), or pass --data-dir DIR")
}

/// `catalog import`: the files into the overlay (a file the catalog has
/// already is "already current", exit 0); then the fleet database `db`
/// re-assessed with the catalog as imported, or the command to do it.
fn import(dir: Option<PathBuf>, files: &[PathBuf], db: Option<String>) -> anyhow::Result<()> {
    let dir = dir.ok_or_else(no_dir)?;
    let report = overlay::import(&dir, files, Date::today_utc())?;
    let mut out = String::new();
    for l in &report.lines {
        let _ = writeln!(out, "imported {l}");
    }
    for l in &report.current {
        let _ = writeln!(out, "{l}: nothing to import");
    }
    if report.changed {
        let _ = writeln!(out, "overlay written to {}", report.dir.display());
    } else {
        let _ = writeln!(out, "the catalog is already current; the overlay in {} is unchanged", report.dir.display());
    }
    match db.filter(|d| !d.is_empty()) {
        Some(db) => {
            print(&out)?;
            // The catalog as imported (this process may hold the one from before).
            let catalog = Catalog::with_overlay(&dir)?;
            crate::cmd::scan::reassess(&db, &catalog, None, None)
        }
        None => {
            let _ = writeln!(
                out,
                "stored hosts keep the answers of the catalog they were judged with: re-judge them with \
                 `w2k8 scan --reassess --db FLEET.db` (or give --db / W2K8_DB to this command)"
            );
            print(&out)
        }
    }
}

fn info(dir: Option<PathBuf>, format: Format, as_of: Date) -> anyhow::Result<()> {
    let embedded = Catalog::embedded();
    let loaded = dir.as_deref().map(Catalog::with_overlay).transpose();
    let (current, error) = match loaded {
        Ok(c) => (c, None),
        Err(e) => (None, Some(e)),
    };
    let overlay_info = current.as_ref().and_then(|c| c.overlay_info()).cloned();
    let effective = current.as_ref().filter(|_| overlay_info.is_some()).map(|c| c.stats());
    let answer = CatalogInfo::new(
        as_of,
        &embedded.data_version(),
        &embedded.stats(),
        overlay::embedded_msrc_rows(),
        dir,
        overlay_info,
        effective,
        error.as_ref().map(|e| e.to_string()),
    );
    match format {
        Format::Json => print(&w2k8_report::json(&w2k8_report::versioned::versioned(&answer)))?,
        Format::Table => crate::common::print_fitted(&answer.text())?,
    }
    match error {
        Some(e) => Err(e.into()),
        None => Ok(()),
    }
}
