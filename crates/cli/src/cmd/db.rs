//! `w2k8 db migrate --db DB [--from fleet.db]`: creates or migrates the
//! fleet database's schema explicitly (SQLite file or `postgres://` URL;
//! safe from several machines at once), and optionally copies every scan of
//! a SQLite fleet database into it (idempotent: scans already there are
//! skipped, so a copy can be run again).
use anyhow::anyhow;
use std::path::PathBuf;
use w2k8_store::{redact, SqliteStore, Store};

/// Arguments of `db`.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(clap::Subcommand)]
enum Action {
    /// Create or migrate the schema of DB to this build's version; with
    /// `--from fleet.db`, also copy that SQLite fleet database into DB.
    Migrate {
        /// The fleet database: a SQLite file or a `postgres://` URL.
        #[arg(long, env = "W2K8_DB")]
        db: String,
        /// A SQLite fleet database whose scans to copy into DB.
        #[arg(long, value_name = "FLEET_DB")]
        from: Option<PathBuf>,
        /// Scans per transaction while copying.
        #[arg(long, default_value_t = 256, hide = true)]
        batch: usize,
    },
}

/// Runs `db`.
pub fn run(a: Args) -> anyhow::Result<()> {
    match a.action {
        Action::Migrate { db, from, batch } => migrate(&db, from.as_deref(), batch.max(1)),
    }
}

fn migrate(db: &str, from: Option<&std::path::Path>, batch: usize) -> anyhow::Result<()> {
    let shown = redact(db);
    // Check the source first: nothing is created when it is missing.
    let source = match from {
        Some(p) if !p.is_file() => {
            return Err(anyhow!("{}: no such fleet database: expected one written by `w2k8 scan`", p.display()))
        }
        Some(p) => Some((p, SqliteStore::open_for_reading(p)?)),
        None => None,
    };
    let mut store = w2k8_store::open_store(db)?;
    let version = store.schema_version()?;
    let mut out = format!("{shown}: schema version {version}\n");
    if let Some((path, src)) = source {
        let (mut stored, mut duplicates, mut after) = (0usize, 0usize, 0i64);
        loop {
            let scans = src.export_scans(after, batch).map_err(|e| anyhow!("{}: {e}", path.display()))?;
            let Some((last, _)) = scans.last() else { break };
            after = *last;
            let scans: Vec<_> = scans.into_iter().map(|(_, s)| s).collect();
            let o = store.write_batch(&scans)?;
            stored += o.stored;
            duplicates += o.duplicates;
        }
        if stored > 0 {
            store.optimize()?;
        }
        out.push_str(&format!(
            "copied {} into {shown}: {stored} scans stored, {duplicates} already there; {} scans in all\n",
            path.display(),
            store.scan_count()?
        ));
        // The accepted risks too (`w2k8 accept`): each one not already there
        // (same target, hosts, reason, owner and last day) gets a new id.
        let have = store.acceptances()?;
        let mut copied = 0usize;
        for a in src.acceptances().map_err(|e| anyhow!("{}: {e}", path.display()))? {
            let same = |b: &w2k8_store::AcceptanceRecord| {
                (&b.target, &b.host, &b.reason, &b.owner, b.until) == (&a.target, &a.host, &a.reason, &a.owner, a.until)
            };
            if !have.iter().any(same) {
                let new = w2k8_store::NewAcceptance {
                    target: a.target,
                    host: a.host,
                    reason: a.reason,
                    owner: a.owner,
                    until: a.until,
                };
                store.add_acceptance(&new)?;
                copied += 1;
            }
        }
        if copied > 0 {
            out.push_str(&format!("copied {copied} accepted risk(s) (new ids; w2k8 accept --list shows them)\n"));
        }
    }
    crate::common::print(&out)
}
