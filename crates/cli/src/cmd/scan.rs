//! `w2k8 scan PATH... --db fleet.db`: loads and assesses host bundles on all
//! cores and stores every scan in the fleet database.
//!
//! What a PATH is:
//! - a `.zip` or any other file: one bundle;
//! - a folder holding a file of the bundle layout (`systeminfo.txt`, ...),
//!   or files but no subfolder (other than `logs`) and no `.zip`: one bundle
//!   (a host's folder, like `examples/srv-file01`);
//! - any other folder: a fleet folder, each subfolder and each `.zip` in it
//!   is one bundle (one level deep; an empty subfolder is a bundle that
//!   fails); its loose files are skipped and listed as warnings, never
//!   merged into a host.
//!
//! The pipeline is `w2k8_scan::fleet::run_fleet` (parallel assessment, one
//! writer, one transaction per batch, failed bundles stored as failed scans);
//! this module parses the arguments, draws the progress and prints the
//! summary.
//!
//! `w2k8 scan --reassess --db fleet.db` judges every stored host again
//! against the catalog in effect, from the input its latest scan kept
//! (`w2k8_scan::reassess`), and stores the new assessments as scans.
//!
//! Exit codes: 0 every bundle assessed (every host re-assessed or current);
//! 4 some bundles failed or are not Windows Server 2008 (the others are
//! stored; the summary lists them), or some hosts cannot be re-assessed
//! (listed, with what to do); 2 bad arguments or the database cannot be
//! written.
use crate::common::{parse_date, PartialFailure};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;
use w2k8_catalog::Catalog;
use w2k8_core::Date;
use w2k8_scan::fleet::{expand, run_fleet, FleetOptions, Progress};

/// Arguments of `scan`.
#[derive(clap::Args)]
pub struct Args {
    /// Host bundles: folders, .zip files, single files, or folders of bundles.
    #[arg(required_unless_present = "reassess", conflicts_with = "reassess")]
    paths: Vec<PathBuf>,
    /// Judge every host of the database again against the catalog in effect (after `w2k8 catalog
    /// import`), from the input its latest scan kept; no bundle needed. The new assessments are
    /// stored as scans, so `history` and `diff` show what the new data changed.
    #[arg(long)]
    reassess: bool,
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

/// A bar on a terminal, else a line on stderr every 5% (at least every 100 hosts).
enum Shown {
    Bar(ProgressBar),
    Lines { every: usize, started: Instant, last: std::sync::atomic::AtomicUsize },
}

impl Shown {
    fn new(total: usize, started: Instant) -> Shown {
        if !std::io::stderr().is_terminal() {
            return Shown::Lines {
                every: (total / 20).clamp(100, 5000),
                started,
                last: std::sync::atomic::AtomicUsize::new(0),
            };
        }
        let pb = ProgressBar::new(total as u64);
        if let Ok(style) = ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} hosts ({rate}, ETA {eta})",
        ) {
            pb.set_style(style.with_key("rate", |st: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{:.0} hosts/s", st.per_sec());
            }));
        }
        Shown::Bar(pb)
    }
}

impl Progress for Shown {
    fn advance(&self, done: usize, total: usize) {
        match self {
            Shown::Bar(pb) => {
                pb.set_length(total as u64);
                pb.set_position(done as u64);
            }
            Shown::Lines { every, started, last } => {
                // Every `every` hosts (re-assessment advances a chunk at a time), and at the end.
                let before = last.load(std::sync::atomic::Ordering::Relaxed);
                if done >= before + every || (done == total && done != before) {
                    last.store(done, std::sync::atomic::Ordering::Relaxed);
                    eprintln!("w2k8 scan: {done}/{total} hosts ({:.1} s)", started.elapsed().as_secs_f64());
                }
            }
        }
    }

    fn finish(&self) {
        if let Shown::Bar(pb) = self {
            pb.finish_and_clear();
        }
    }
}

/// Runs `scan`.
pub fn run(a: Args) -> anyhow::Result<()> {
    if a.reassess {
        let catalog = Catalog::current()?;
        return reassess(&a.db.to_string_lossy(), catalog, a.as_of, a.jobs);
    }
    let started = Instant::now();
    let expanded = expand(&a.paths)?;
    let bundles = expanded.bundles;
    let catalog = Catalog::current()?;
    let opts = FleetOptions {
        today: a.as_of.unwrap_or_else(Date::today_utc),
        scanned_at: match a.as_of {
            Some(d) => w2k8_core::Timestamp::noon(d),
            None => w2k8_store::now_utc(),
        },
        batch: a.batch,
        jobs: a.jobs,
    };
    let shown_db = w2k8_store::redact(&a.db.to_string_lossy());
    let mut store = w2k8_store::open_store(&a.db.to_string_lossy())?;
    let progress = Shown::new(bundles.len(), started);
    let mut summary = run_fleet(&bundles, store.as_mut(), catalog, &opts, &progress)?;
    summary.warnings = expanded.warnings;
    let mut out = w2k8_report::fleet::scan::summary(&summary, &shown_db, started.elapsed().as_secs_f64());
    if a.stats {
        if let Some(k) = peak_rss_kib() {
            out.push_str(&format!("peak RSS: {:.1} MB\n", k as f64 / 1024.0));
        }
    }
    crate::common::print_fitted(&out)?;
    if summary.problems.is_empty() {
        Ok(())
    } else {
        Err(PartialFailure.into())
    }
}

/// `scan --reassess` (also run by `catalog import --db`): every host of
/// `db` judged again with `catalog`; prints the summary. Exit code 4 when
/// some hosts cannot be re-assessed (listed).
pub fn reassess(db: &str, catalog: &Catalog, as_of: Option<Date>, jobs: Option<usize>) -> anyhow::Result<()> {
    let started = Instant::now();
    let opts = w2k8_scan::reassess::options(
        as_of.unwrap_or_else(Date::today_utc),
        match as_of {
            Some(d) => w2k8_core::Timestamp::noon(d),
            None => w2k8_store::now_utc(),
        },
        jobs,
    );
    let shown_db = w2k8_store::redact(db);
    let mut store = w2k8_store::open_store(db)?;
    let hosts = store.reassess_targets()?.len();
    let progress = Shown::new(hosts, started);
    let summary = w2k8_scan::reassess::run_reassess(store.as_mut(), catalog, &opts, &progress)?;
    crate::common::print_fitted(&w2k8_report::fleet::scan::reassess(
        &summary,
        &shown_db,
        started.elapsed().as_secs_f64(),
    ))?;
    if summary.cannot.is_empty() {
        Ok(())
    } else {
        Err(PartialFailure.into())
    }
}
