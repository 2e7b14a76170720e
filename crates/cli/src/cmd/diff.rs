//! `w2k8 diff --db fleet.db [--since YYYY-MM-DD] [--format table|json]`:
//! fleet-wide changes. Each host's latest scan is compared with its latest
//! scan before `--since` (hosts not scanned since then are left out), or,
//! without `--since`, with its previous scan. Hosts with no earlier scan are
//! listed as new.
use crate::cmd::history::change_text;
use crate::cmd::hosts::open_existing;
use crate::common::{parse_date, Format};
use anyhow::anyhow;
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
    let since = a.since.map(|d| d.to_string());
    let d = store.diff(since.as_deref()).map_err(|e| anyhow!("{e}"))?;
    let text = match a.format {
        Format::Json => serde_json::to_string_pretty(&d)? + "\n",
        Format::Table => {
            let mut t = format!(
                "since {}: {} hosts patched, {} CVE/host pairs newly open, {} closed, {} new hosts\n",
                d.since.as_deref().unwrap_or("each host's previous scan"),
                d.patched_hosts,
                d.newly_exposed,
                d.newly_closed,
                d.new_hosts.len()
            );
            for c in &d.changes {
                t.push_str(&change_text(c));
            }
            if !d.new_hosts.is_empty() {
                t.push_str(&format!("new hosts: {}\n", d.new_hosts.join(", ")));
            }
            t
        }
    };
    crate::common::print(&text)
}
