//! `w2k8 hosts --db fleet.db [--filter KEY OP VALUE]... [--format table|json|csv]`:
//! one line per host of the fleet database, as of its latest scan.
//!
//! Filters (`build=6002`, `kev>0`, `patched_through<2023-01`,
//! `status=failed`, `name=SRV-*`, ...) are described in
//! `w2k8_store::filter`; several `--filter` all apply.
use anyhow::anyhow;
use clap::ValueEnum;
use std::path::PathBuf;
use w2k8_store::{Filter, Store};

/// Output format of `hosts`.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum HostsFormat {
    /// Aligned columns.
    Table,
    /// A JSON array of host rows.
    Json,
    /// One CSV row per host.
    Csv,
}

/// Arguments of `hosts`.
#[derive(clap::Args)]
pub struct Args {
    /// The fleet database: a SQLite file, or a `postgres://` URL.
    #[arg(long, env = "W2K8_DB")]
    db: PathBuf,
    /// KEY OP VALUE, e.g. `build=6002`, `kev>0`, `patched_through<2023-01`, `status=failed`, `name=SRV-*`.
    #[arg(long)]
    filter: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = HostsFormat::Table)]
    format: HostsFormat,
}

/// Opens an existing fleet database for reading (never creates a SQLite
/// file by mistake; a read-only file or folder is read read-only): a SQLite
/// file, or a PostgreSQL database named by a `postgres://` URL.
pub fn open_existing(db: &std::path::Path) -> anyhow::Result<Box<dyn Store + Send>> {
    let text = db.to_string_lossy();
    if !w2k8_store::is_postgres_url(&text) && !db.exists() {
        return Err(anyhow!("{}: no such fleet database: expected one written by `w2k8 scan`", db.display()));
    }
    Ok(w2k8_store::open_store_for_reading(&text)?)
}

/// The database as messages may show it: a URL's password masked.
pub fn shown(db: &std::path::Path) -> String {
    w2k8_store::redact(&db.to_string_lossy())
}

/// Runs `hosts`.
pub fn run(a: Args) -> anyhow::Result<()> {
    let filter = Filter::parse(&a.filter)?;
    let store = open_existing(&a.db)?;
    let mut rows = store.hosts(&filter)?;
    // `accepted: {cves, missing}`: how many of each host's open CVEs and
    // missing updates live accepted risks cover (`w2k8 accept`), beside
    // `open_cves` and `missing`, which still count them; null for a host
    // not assessed.
    store.mark_accepted(&mut rows, w2k8_core::Date::today_utc())?;
    let text = match a.format {
        HostsFormat::Json => w2k8_report::json(&w2k8_report::versioned::Listed { key: "hosts", items: &rows }),
        HostsFormat::Csv => w2k8_report::fleet::hosts::csv(&rows),
        HostsFormat::Table => w2k8_report::fleet::hosts::text_with(&rows, &crate::common::term()),
    };
    crate::common::print(&text)
}
