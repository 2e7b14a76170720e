//! `w2k8 history HOST --db fleet.db [--cve CVE-X] [--format table|json]`:
//! every scan of one host and what changed between them; with `--cve`, how
//! long the host was exposed to that CVE (first scan that saw it open, the
//! scan that saw it closed, days between).
//!
//! Exit code 2 when no host of that name is in the database.
use crate::cmd::hosts::{open_existing, shown};
use crate::common::Format;
use anyhow::anyhow;
use std::path::PathBuf;

/// Arguments of `history`.
#[derive(clap::Args)]
pub struct Args {
    /// The host name (case-insensitive).
    host: String,
    /// The fleet database.
    #[arg(long, env = "W2K8_DB")]
    db: PathBuf,
    /// Show how long the host was exposed to this CVE instead.
    #[arg(long)]
    cve: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

/// Runs `history`.
pub fn run(a: Args) -> anyhow::Result<()> {
    let store = open_existing(&a.db)?;
    if let Some(cve) = &a.cve {
        let e = store
            .cve_exposure(&a.host, cve)?
            .ok_or_else(|| anyhow!("{}: no host named {} in the database", shown(&a.db), a.host))?;
        let text = match a.format {
            Format::Json => w2k8_report::json(&w2k8_report::versioned::versioned(&e)),
            Format::Table => w2k8_report::fleet::history::exposure(&e),
        };
        return crate::common::print(&text);
    }
    let h =
        store.history(&a.host)?.ok_or_else(|| anyhow!("{}: no host named {} in the database", shown(&a.db), a.host))?;
    let text = match a.format {
        Format::Json => w2k8_report::json(&w2k8_report::versioned::versioned(&h)),
        Format::Table => w2k8_report::fleet::history::history(&h),
    };
    crate::common::print(&text)
}
