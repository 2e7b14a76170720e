//! `w2k8 scan PATH... --db fleet.db`: loads and assesses host bundles on all
//! cores and stores every scan in the fleet database.
//!
//! What a PATH is:
//! - a `.zip` or any other file: one bundle;
//! - a folder holding at least one file other than a `.zip`, a `.md` or a
//!   hidden file: one bundle (a host's folder, like `examples/srv-file01`);
//! - any other folder: a fleet folder, each subfolder and each `.zip` in it
//!   is one bundle (one level deep; an empty subfolder is a bundle that fails).
//!
//! Bundles are loaded and assessed in parallel (rayon); one writer thread
//! stores the results in batches, each batch one transaction, so an
//! interrupted scan keeps every committed batch and a rescan adds the rest
//! (a scan of the same input for the same host is stored once). A bundle
//! that cannot be read is stored as a failed scan with its error, one that
//! runs another Windows version as unsupported; neither stops the others.
//!
//! Exit codes: 0 every bundle assessed; 4 some bundles failed or are not
//! Windows Server 2008 (the others are stored; the summary lists them); 2
//! bad arguments or the database cannot be written.
use anyhow::{anyhow, Context};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};
use w2k8_catalog::Catalog;
use w2k8_core::Date;
use w2k8_fleet::ScanStatus;
use w2k8_store::ScanInput;

use crate::common::parse_date;

/// Arguments of `scan`.
#[derive(clap::Args)]
pub struct Args {
    /// Host bundles: folders, .zip files, single files, or folders of bundles.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// The fleet database: a SQLite file (created if missing), or a
    /// `postgres://` URL (its schema created or migrated if needed).
    #[arg(long, env = "W2K8_DB")]
    db: PathBuf,
    /// Assess as of this date (YYYY-MM-DD) and record the scans at that date
    /// (noon UTC) instead of now: for scanning bundles collected earlier.
    #[arg(long, value_parser = parse_date)]
    as_of: Option<Date>,
    /// Worker threads (default: one per core).
    #[arg(long)]
    jobs: Option<usize>,
    /// Scans per database transaction.
    #[arg(long, default_value_t = 64, hide = true)]
    batch: usize,
    /// Print the peak resident set size (Linux VmHWM) at the end, for the benchmark.
    #[arg(long, hide = true)]
    stats: bool,
}

/// The process's peak resident set size in KiB (Linux `VmHWM`), if known.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Expands the PATH arguments into bundles (see the module doc for the rule).
pub fn expand(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).with_context(|| format!("{}: cannot read", p.display()))?;
        if !meta.is_dir() {
            out.push(p.clone());
            continue;
        }
        let mut entries: Vec<PathBuf> = std::fs::read_dir(p)
            .with_context(|| format!("{}: cannot list", p.display()))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|e| !e.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.')))
            .collect();
        entries.sort();
        let is_bundle = entries.is_empty() || entries.iter().any(|e| e.is_file() && !is_zip(e) && !is_md(e));
        if is_bundle {
            out.push(p.clone());
        } else {
            out.extend(entries.into_iter().filter(|e| e.is_dir() || is_zip(e)));
        }
    }
    Ok(out)
}

fn is_md(p: &Path) -> bool {
    p.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("md"))
}

fn is_zip(p: &Path) -> bool {
    p.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("zip"))
}

/// Totals of one run.
#[derive(Debug, Default)]
struct Tally {
    ok: usize,
    failed: usize,
    unsupported: usize,
    stored: usize,
    duplicates: usize,
    problems: Vec<(String, ScanStatus, String)>,
}

/// Runs `scan`.
pub fn run(a: Args) -> anyhow::Result<()> {
    let started = Instant::now();
    let bundles = expand(&a.paths)?;
    let catalog = Catalog::current().map_err(|e| anyhow!("{e}"))?;
    let today = a.as_of.unwrap_or_else(Date::today_utc);
    let scanned_at = match a.as_of {
        Some(d) => format!("{d}T12:00:00Z"),
        None => w2k8_store::now_utc(),
    };
    let mut store = w2k8_store::open_store(&a.db.to_string_lossy()).map_err(|e| anyhow!("{e}"))?;
    let total = bundles.len();
    let batch = a.batch.max(1);

    let progress = if std::io::stderr().is_terminal() {
        let pb = ProgressBar::new(total as u64);
        if let Ok(style) = ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} hosts ({rate}, ETA {eta})",
        ) {
            pb.set_style(style.with_key("rate", |st: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{:.0} hosts/s", st.per_sec());
            }));
        }
        Some(pb)
    } else {
        None
    };
    let every = (total / 20).clamp(100, 5000);

    let (tx, rx) = mpsc::sync_channel::<ScanInput>(batch);
    let writer = std::thread::spawn(move || -> anyhow::Result<Tally> {
        let mut tally = Tally::default();
        let mut pending: Vec<ScanInput> = Vec::with_capacity(batch);
        let mut done = 0usize;
        let mut flush = |pending: &mut Vec<ScanInput>, tally: &mut Tally| -> anyhow::Result<()> {
            if pending.is_empty() {
                return Ok(());
            }
            let o = store.write_batch(pending).map_err(|e| anyhow!("{e}"))?;
            tally.stored += o.stored;
            tally.duplicates += o.duplicates;
            pending.clear();
            Ok(())
        };
        loop {
            match rx.recv_timeout(Duration::from_millis(500)) {
                Ok(s) => {
                    match s.status {
                        ScanStatus::Ok => tally.ok += 1,
                        ScanStatus::Failed => tally.failed += 1,
                        ScanStatus::Unsupported => tally.unsupported += 1,
                    }
                    if s.status != ScanStatus::Ok {
                        tally.problems.push((s.source.clone(), s.status, s.error.clone().unwrap_or_default()));
                    }
                    pending.push(s);
                    done += 1;
                    if pending.len() >= batch {
                        flush(&mut pending, &mut tally)?;
                    }
                    if let Some(pb) = &progress {
                        pb.set_position(done as u64);
                    } else if done.is_multiple_of(every) {
                        eprintln!("w2k8 scan: {done}/{total} hosts ({:.1} s)", started.elapsed().as_secs_f64());
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) => flush(&mut pending, &mut tally)?,
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
        }
        flush(&mut pending, &mut tally)?;
        if tally.stored > 0 {
            // Fresh statistics for the query planner after a bulk write.
            store.optimize().map_err(|e| anyhow!("{e}"))?;
        }
        if let Some(pb) = &progress {
            pb.finish_and_clear();
        }
        Ok(tally)
    });

    let work = || {
        bundles.par_iter().for_each_with(tx, |tx, b| {
            let s = w2k8_scan::scan_path(b, catalog, today, &scanned_at);
            // A closed channel means the writer failed; its error is reported below.
            let _ = tx.send(s);
        });
    };
    match a.jobs {
        Some(n) => rayon::ThreadPoolBuilder::new().num_threads(n.max(1)).build()?.install(work),
        None => work(),
    }
    let tally = writer.join().map_err(|_| anyhow!("the database writer panicked"))??;

    let mut out = format!(
        "scanned {total} bundles in {:.1} s into {}: {} ok, {} failed, {} unsupported; {} scans stored, {} already in the database\n",
        started.elapsed().as_secs_f64(),
        w2k8_store::redact(&a.db.to_string_lossy()),
        tally.ok,
        tally.failed,
        tally.unsupported,
        tally.stored,
        tally.duplicates
    );
    let mut problems = tally.problems;
    problems.sort_by(|a, b| a.0.cmp(&b.0));
    for (src, status, err) in &problems {
        out.push_str(&format!("  {} {src}: {err}\n", status.as_str()));
    }
    if a.stats {
        if let Some(k) = peak_rss_kib() {
            out.push_str(&format!("peak RSS: {:.1} MB\n", k as f64 / 1024.0));
        }
    }
    crate::common::print(&out)?;
    if problems.is_empty() {
        Ok(())
    } else {
        // Exit code 4: some hosts failed; the others are stored.
        std::process::exit(4)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fleet_folder_rule() {
        let dir = std::env::temp_dir().join(format!("w2k8-expand-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("fleet/a")).unwrap();
        std::fs::create_dir_all(dir.join("fleet/empty")).unwrap();
        std::fs::write(dir.join("fleet/a/systeminfo.txt"), b"x").unwrap();
        std::fs::write(dir.join("fleet/b.zip"), b"x").unwrap();
        std::fs::write(dir.join("fleet/.hidden"), b"x").unwrap();
        std::fs::write(dir.join("fleet/README.md"), b"x").unwrap();
        let got = expand(&[dir.join("fleet"), dir.join("fleet/a"), dir.join("fleet/b.zip")]).unwrap();
        let want = vec![
            dir.join("fleet/a"),
            dir.join("fleet/b.zip"),
            dir.join("fleet/empty"),
            dir.join("fleet/a"),
            dir.join("fleet/b.zip"),
        ];
        assert_eq!(got, want);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
