//! `w2k8 history HOST --db fleet.db [--cve CVE-X] [--format table|json]`
//! (or `--id N` for `HOST`): every scan of one host and what changed
//! between them; with `--cve`, how long the host was exposed to that CVE
//! (first scan that saw it open, the scan that saw it closed, days between).
//!
//! A name is compared ignoring ASCII case. When several hosts have it
//! (other product IDs, or names differing only in case: a bundle may carry
//! any name), none is picked: the command lists them with their ids and
//! exits 2; `--id N` picks one.
//!
//! Exit code 2 when no host of that name or id is in the database, or when
//! the name is ambiguous.
use crate::cmd::hosts::{open_existing, shown};
use crate::common::Format;
use anyhow::{anyhow, bail};
use std::path::PathBuf;
use w2k8_core::text::escape_line;
use w2k8_fleet::HostRow;
use w2k8_store::{Store, StoreError};

/// Arguments of `history`.
#[derive(clap::Args)]
pub struct Args {
    /// The host name (ignoring case). When several hosts have it, they are
    /// listed with their ids and the command exits 2: pick one with `--id`.
    #[arg(required_unless_present = "id", conflicts_with = "id")]
    host: Option<String>,
    /// The host's id (`host_id` in `hosts --format json`; listed when a name
    /// is ambiguous).
    #[arg(long, value_name = "N")]
    id: Option<i64>,
    /// The fleet database.
    #[arg(long, env = "W2K8_DB")]
    db: PathBuf,
    /// Show how long the host was exposed to this CVE instead.
    #[arg(long)]
    cve: Option<w2k8_core::CveId>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

/// The one host `a` names (by id, or by a name only one host has).
fn pick(store: &dyn Store, a: &Args) -> anyhow::Result<HostRow> {
    let db = shown(&a.db);
    if let Some(id) = a.id {
        return store.host_by_id(id)?.ok_or_else(|| anyhow!("{db}: no host with id {id} in the database"));
    }
    let Some(name) = a.host.as_deref() else { bail!("name a host, or give its id with --id N") };
    match store.find_host(name) {
        Ok(Some(h)) => Ok(h),
        Ok(None) => Err(anyhow!("{db}: no host named {} in the database", escape_line(name))),
        Err(StoreError::Ambiguous { candidates, .. }) => Err(anyhow!(ambiguous(&db, name, &candidates))),
        Err(e) => Err(e.into()),
    }
}

/// The message for a name several hosts have: each with its id, product
/// ID, last scan and status, and how to pick one.
fn ambiguous(db: &str, name: &str, candidates: &[HostRow]) -> String {
    let mut out = format!(
        "{db}: {} hosts are named {} (ignoring case); pick one with --id:",
        candidates.len(),
        escape_line(name)
    );
    for h in candidates {
        out.push_str(&format!(
            "\n  --id {}  {}  product ID {}  last scan {}  {}",
            h.host_id,
            escape_line(&h.name),
            escape_line(h.product_id.as_deref().unwrap_or("none")),
            h.last_scan,
            h.status.as_str()
        ));
    }
    out
}

/// Runs `history`.
pub fn run(a: Args) -> anyhow::Result<()> {
    let store = open_existing(&a.db)?;
    let host = pick(store.as_ref(), &a)?;
    let gone = || anyhow!("{}: host {} is no longer in the database", shown(&a.db), host.host_id);
    if let Some(cve) = a.cve {
        let e = store.cve_exposure_by_id(host.host_id, cve)?.ok_or_else(gone)?;
        let text = match a.format {
            Format::Json => w2k8_report::json(&w2k8_report::versioned::versioned(&e)),
            Format::Table => {
                w2k8_report::term::reflow(&w2k8_report::fleet::history::exposure(&e), &crate::common::term())
            }
        };
        return crate::common::print(&text);
    }
    let h = store.history_by_id(host.host_id)?.ok_or_else(gone)?;
    let text = match a.format {
        Format::Json => w2k8_report::json(&w2k8_report::versioned::versioned(&h)),
        Format::Table => {
            let term = crate::common::term();
            w2k8_report::term::reflow(&w2k8_report::fleet::history::history_with(&h, &term), &term)
        }
    };
    crate::common::print(&text)
}
