//! `w2k8 history HOST --db fleet.db [--cve CVE-X] [--format table|json]`:
//! every scan of one host and what changed between them; with `--cve`, how
//! long the host was exposed to that CVE (first scan that saw it open, the
//! scan that saw it closed, days between).
//!
//! Exit code 2 when no host of that name is in the database.
use crate::cmd::hosts::{open_existing, shown, table};
use crate::common::Format;
use anyhow::anyhow;
use std::path::PathBuf;
use w2k8_fleet::Change;

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

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(ToString::to_string).unwrap_or_else(|| "-".into())
}

/// One change as text lines (shared with `diff`).
pub fn change_text(c: &Change) -> String {
    let mut s = format!("{} {} -> {}\n", c.host, c.from_scan.as_deref().unwrap_or("(first scan)"), c.to_scan);
    if let Some((a, b)) = &c.build {
        s.push_str(&format!("  build: {} -> {}\n", opt(a), opt(b)));
    }
    if let Some((a, b)) = &c.patched_through {
        s.push_str(&format!("  patched through: {} -> {}\n", opt(a), opt(b)));
    }
    let list = |label: &str, items: Vec<String>, s: &mut String| {
        if !items.is_empty() {
            s.push_str(&format!("  {label} ({}): {}\n", items.len(), items.join(", ")));
        }
    };
    list("installed", c.installed.iter().map(ToString::to_string).collect(), &mut s);
    list("CVEs closed", c.closed.clone(), &mut s);
    list("CVEs newly open", c.opened.clone(), &mut s);
    s
}

/// Runs `history`.
pub fn run(a: Args) -> anyhow::Result<()> {
    let store = open_existing(&a.db)?;
    if let Some(cve) = &a.cve {
        let e = store
            .cve_exposure(&a.host, cve)
            .map_err(|e| anyhow!("{e}"))?
            .ok_or_else(|| anyhow!("{}: no host named {} in the database", shown(&a.db), a.host))?;
        let text = match a.format {
            Format::Json => serde_json::to_string_pretty(&e)? + "\n",
            Format::Table => {
                let rows: Vec<Vec<String>> = e
                    .scans
                    .iter()
                    .map(|s| vec![s.scanned_at.clone(), if s.open { "open".into() } else { "closed".into() }])
                    .collect();
                let mut t = format!("{} and {}\n", e.host, e.cve);
                t.push_str(&table(&["scan", e.cve.as_str()], &rows));
                t.push_str(&match (&e.first_open, &e.closed_at, e.days_exposed) {
                    (None, _, _) => "never open in the stored scans\n".to_string(),
                    (Some(f), Some(c), d) => format!("open from {f} to {c} ({} days)\n", opt(&d)),
                    (Some(f), None, d) => format!("open since {f}, still open in the latest scan ({} days)\n", opt(&d)),
                });
                t
            }
        };
        return crate::common::print(&text);
    }
    let h = store
        .history(&a.host)
        .map_err(|e| anyhow!("{e}"))?
        .ok_or_else(|| anyhow!("{}: no host named {} in the database", shown(&a.db), a.host))?;
    let text = match a.format {
        Format::Json => serde_json::to_string_pretty(&h)? + "\n",
        Format::Table => {
            let mut t = format!(
                "{} (product ID {}): {} scans, latest {} ({})\n\n",
                h.host.name,
                opt(&h.host.product_id),
                h.scans.len(),
                h.host.last_scan,
                h.host.status.as_str()
            );
            let rows: Vec<Vec<String>> = h
                .scans
                .iter()
                .map(|s| {
                    vec![
                        s.scanned_at.clone(),
                        s.status.as_str().to_string(),
                        opt(&s.build),
                        opt(&s.patched_through),
                        s.missing.to_string(),
                        s.open_cves.to_string(),
                        s.kev_open.to_string(),
                        s.source.clone(),
                    ]
                })
                .collect();
            t.push_str(&table(
                &["scan", "status", "build", "patched_through", "missing", "open_cves", "kev", "source"],
                &rows,
            ));
            if !h.changes.is_empty() {
                t.push_str("\nchanges:\n");
                for c in &h.changes {
                    t.push_str(&change_text(c));
                }
            }
            t
        }
    };
    crate::common::print(&text)
}
