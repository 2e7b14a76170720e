//! `w2k8 hosts --db fleet.db [--filter KEY OP VALUE]... [--format table|json|csv]`:
//! one line per host of the fleet database, as of its latest scan.
//!
//! Filters (`build=6002`, `kev>0`, `patched_through<2023-01`,
//! `status=failed`, `name=SRV-*`, ...) are described in
//! `w2k8_store::filter`; several `--filter` all apply.
use anyhow::anyhow;
use clap::ValueEnum;
use std::path::PathBuf;
use w2k8_fleet::HostRow;
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

/// Opens an existing fleet database (never creates a SQLite file by
/// mistake): a SQLite file, or a PostgreSQL database named by a
/// `postgres://` URL.
pub fn open_existing(db: &std::path::Path) -> anyhow::Result<Box<dyn Store + Send>> {
    let text = db.to_string_lossy();
    if !w2k8_store::is_postgres_url(&text) && !db.exists() {
        return Err(anyhow!("{}: no such fleet database: expected one written by `w2k8 scan`", db.display()));
    }
    w2k8_store::open_store(&text).map_err(|e| anyhow!("{e}"))
}

/// The database as messages may show it: a URL's password masked.
pub fn shown(db: &std::path::Path) -> String {
    w2k8_store::redact(&db.to_string_lossy())
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(ToString::to_string).unwrap_or_default()
}

fn cells(h: &HostRow) -> Vec<String> {
    vec![
        h.name.clone(),
        h.status.as_str().to_string(),
        opt(&h.build),
        h.arch.map(|a| w2k8_store::filter::arch_str(a).to_string()).unwrap_or_default(),
        match h.server_core {
            Some(true) => "core".into(),
            Some(false) => "full".into(),
            None => String::new(),
        },
        opt(&h.edition),
        opt(&h.patched_through),
        h.missing.to_string(),
        h.open_cves.to_string(),
        h.kev_open.to_string(),
        h.ransomware_open.to_string(),
        h.last_scan.clone(),
        opt(&h.error),
    ]
}

const HEADER: [&str; 13] = [
    "host",
    "status",
    "build",
    "arch",
    "install",
    "edition",
    "patched_through",
    "missing",
    "open_cves",
    "kev",
    "ransomware",
    "last_scan",
    "error",
];

/// Renders rows as aligned columns.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut width: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (w, c) in width.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cells: Vec<String>| {
        let n = cells.len();
        let mut s = String::new();
        for (i, (c, w)) in cells.into_iter().zip(&width).enumerate() {
            if i + 1 == n {
                s.push_str(&c);
            } else {
                s.push_str(&format!("{c:<w$}  "));
            }
        }
        s.trim_end().to_string() + "\n"
    };
    let mut out = line(header.iter().map(|h| h.to_string()).collect());
    for r in rows {
        out.push_str(&line(r.clone()));
    }
    out
}

/// Runs `hosts`.
pub fn run(a: Args) -> anyhow::Result<()> {
    let filter = Filter::parse(&a.filter).map_err(|e| anyhow!("{e}"))?;
    let store = open_existing(&a.db)?;
    let rows = store.hosts(&filter).map_err(|e| anyhow!("{e}"))?;
    let text = match a.format {
        HostsFormat::Json => serde_json::to_string_pretty(&rows)? + "\n",
        HostsFormat::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(HEADER)?;
            for r in &rows {
                w.write_record(cells(r))?;
            }
            String::from_utf8(w.into_inner().map_err(|e| anyhow!("{e}"))?)?
        }
        HostsFormat::Table => {
            let body: Vec<Vec<String>> = rows.iter().map(cells).collect();
            let mut t = table(&HEADER, &body);
            t.push_str(&format!("{} hosts\n", rows.len()));
            t
        }
    };
    crate::common::print(&text)
}
