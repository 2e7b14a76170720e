//! `w2k8 diff --db fleet.db [--since YYYY-MM-DD] [--format table|json]`:
//! fleet-wide changes. Each host's latest scan is compared with its latest
//! scan before `--since` (hosts not scanned since then are left out), or,
//! without `--since`, with its previous scan. Hosts with no earlier scan are
//! listed as new.
use crate::cmd::hosts::open_existing;
use crate::common::{parse_date, Format};
use std::path::PathBuf;
use w2k8_core::Date;

/// Arguments of `diff`.
#[derive(clap::Args)]
pub struct Args {
    /// The fleet database.
    #[arg(long, env = "W2K8_DB")]
    db: PathBuf,
    /// Compare with each host's standing before this date (YYYY-MM-DD).
    #[arg(long, value_parser = parse_date)]
    since: Option<Date>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

/// Runs `diff`.
pub fn run(a: Args) -> anyhow::Result<()> {
    let store = open_existing(&a.db)?;
    let d = store.diff(a.since)?;
    let text = match a.format {
        Format::Json => w2k8_report::json(&w2k8_report::versioned::versioned(&d)),
        Format::Table => {
            let term = crate::common::term();
            w2k8_report::term::reflow(&w2k8_report::fleet::history::diff_with(&d, &term), &term)
        }
    };
    crate::common::print(&text)
}
