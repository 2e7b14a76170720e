//! A whole fleet into the store: bundles loaded and assessed on all cores
//! (rayon), one writer storing them in batches, each batch one transaction,
//! so an interrupted scan keeps every committed batch and a rescan adds the
//! rest. A bundle that cannot be read is stored as a failed scan with its
//! error, one that runs another Windows version as unsupported; neither stops
//! the others. A store that fails stops the scan at once.
use crate::alike::Alike;
use crate::scan_path_alike;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Duration;
use w2k8_catalog::Catalog;
use w2k8_core::{Date, Timestamp};
use w2k8_fleet::{PathWarning, ScanProblem, ScanStatus, ScanSummary};
use w2k8_store::{ScanInput, Store, StoreError};

/// Why a fleet scan stopped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FleetError {
    /// A path given on the command line cannot be read or listed.
    #[error("{}: cannot read", path.display())]
    Path {
        /// The path.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The store could not write a batch (or refresh its statistics).
    #[error("the fleet database cannot be written")]
    Store(#[source] StoreError),
    /// `--jobs`: the worker pool could not be built.
    #[error("cannot start the worker threads")]
    Threads(#[source] rayon::ThreadPoolBuildError),
    /// The writer thread panicked.
    #[error("the database writer stopped unexpectedly")]
    WriterPanicked,
    /// The assessment workers stopped unexpectedly (a panic).
    #[error("the assessment workers stopped unexpectedly")]
    WorkersStopped,
}

/// Told how far the scan is; `w2k8 scan` draws a bar or prints a line.
pub trait Progress: Sync {
    /// `done` of `total` bundles are assessed and queued for the store.
    fn advance(&self, done: usize, total: usize);
    /// The scan is over (successfully or not).
    fn finish(&self) {}
}

/// A progress that says nothing.
pub struct Quiet;

impl Progress for Quiet {
    fn advance(&self, _: usize, _: usize) {}
}

/// How to scan.
#[derive(Debug, Clone)]
pub struct FleetOptions {
    /// Assess as of this day.
    pub today: Date,
    /// The time recorded with every scan (`YYYY-MM-DDTHH:MM:SSZ`).
    pub scanned_at: Timestamp,
    /// Scans per transaction.
    pub batch: usize,
    /// Worker threads (None: one per core).
    pub jobs: Option<usize>,
}

fn has_ext(p: &Path, ext: &str) -> bool {
    p.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

fn file_name(p: &Path) -> String {
    p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// Whether `name` is a file name of the bundle layout (`systeminfo.txt`, ...).
fn is_layout_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    w2k8_inventory::bundle::LAYOUT.contains(&lower.as_str())
}

/// Whether the folder `dir` holds a file of the bundle layout.
fn holds_layout_file(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|rd| rd.filter_map(Result::ok).any(|e| is_layout_name(&file_name(&e.path()))))
}

/// The paths given, as bundles, and what is not scanned as one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expanded {
    /// One bundle each: a folder, a `.zip` or a single file.
    pub bundles: Vec<PathBuf>,
    /// Loose files at the top of a fleet folder (skipped), and other host
    /// bundles found inside a host's folder; for the summary.
    pub warnings: Vec<PathWarning>,
}

/// Expands paths into bundles:
/// - a `.zip` or any other file: one bundle;
/// - a folder holding a file of the bundle layout (`systeminfo.txt`,
///   `qfe.csv`, ... at its top), or holding files but no subfolder other
///   than `logs` and no `.zip`: one bundle (a host's folder, like
///   `examples/srv-file01`);
/// - an empty folder: one bundle (that fails);
/// - any other folder: a fleet folder, each subfolder and each `.zip` in it
///   is one bundle (one level deep). Its loose files (`notes.txt`,
///   `desktop.ini`) are skipped with a warning, never merged into a host;
///   hidden files and `.md` files are ignored.
///
/// A host's folder that also holds a subfolder with layout files (another
/// host's bundle, whose files the loader may read as this host's) gets a
/// warning naming it.
pub fn expand(paths: &[PathBuf]) -> Result<Expanded, FleetError> {
    let mut out = Expanded::default();
    for p in paths {
        let io = |source| FleetError::Path { path: p.clone(), source };
        let meta = std::fs::metadata(p).map_err(io)?;
        if !meta.is_dir() {
            out.bundles.push(p.clone());
            continue;
        }
        let mut entries: Vec<PathBuf> = std::fs::read_dir(p)
            .map_err(io)?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|e| !file_name(e).starts_with('.'))
            .collect();
        entries.sort();
        let (dirs, files): (Vec<PathBuf>, Vec<PathBuf>) = entries.into_iter().partition(|e| e.is_dir());
        let zips: Vec<&PathBuf> = files.iter().filter(|e| has_ext(e, "zip")).collect();
        let loose: Vec<&PathBuf> = files.iter().filter(|e| !has_ext(e, "zip") && !has_ext(e, "md")).collect();
        let subfolders = dirs.iter().filter(|d| !file_name(d).eq_ignore_ascii_case("logs")).count();
        let host_files = loose.iter().any(|f| is_layout_name(&file_name(f)));
        let is_bundle = (dirs.is_empty() && files.is_empty())
            || host_files
            || (!loose.is_empty() && subfolders == 0 && zips.is_empty());
        if is_bundle {
            out.bundles.push(p.clone());
            for d in dirs.iter().filter(|d| holds_layout_file(d)) {
                out.warnings.push(PathWarning {
                    path: d.display().to_string(),
                    reason: format!(
                        "looks like another host's bundle inside the host folder {}: not scanned on its own (its \
                         files may be read as that host's); scan it separately",
                        p.display()
                    ),
                });
            }
            continue;
        }
        for f in loose {
            out.warnings.push(PathWarning {
                path: f.display().to_string(),
                reason: "not a host bundle (a loose file at the top of a fleet folder): skipped".to_string(),
            });
        }
        let mut bundles: Vec<PathBuf> = dirs.into_iter().chain(zips.into_iter().cloned()).collect();
        bundles.sort();
        out.bundles.extend(bundles);
    }
    Ok(out)
}

/// Counts one scan into the summary.
fn count(summary: &mut ScanSummary, s: &ScanInput) {
    match s.status {
        ScanStatus::Ok => summary.ok += 1,
        ScanStatus::Failed => summary.failed += 1,
        ScanStatus::Unsupported => summary.unsupported += 1,
    }
    // An ok scan with an error text left files out (see `crate::scan_path_alike`).
    if s.status != ScanStatus::Ok || s.error.is_some() {
        summary.problems.push(ScanProblem {
            source: s.source.clone(),
            status: s.status,
            error: s.error.clone().unwrap_or_default(),
        });
    }
}

/// Writes `pending` as one transaction.
fn flush(store: &mut dyn Store, pending: &mut Vec<ScanInput>, summary: &mut ScanSummary) -> Result<(), FleetError> {
    if pending.is_empty() {
        return Ok(());
    }
    let o = store.write_batch(pending).map_err(FleetError::Store)?;
    summary.stored += o.stored;
    summary.duplicates += o.duplicates + o.filled;
    summary.filled += o.filled;
    pending.clear();
    Ok(())
}

/// The writer: takes scans from `rx` until every worker is done, storing
/// them in batches (and whatever is pending every half second).
fn write_all(
    store: &mut dyn Store,
    rx: mpsc::Receiver<ScanInput>,
    batch: usize,
    total: usize,
    progress: &dyn Progress,
) -> Result<ScanSummary, FleetError> {
    let mut summary = ScanSummary { total, ..ScanSummary::default() };
    let mut pending: Vec<ScanInput> = Vec::with_capacity(batch);
    let mut done = 0usize;
    loop {
        match rx.recv_timeout(Duration::from_millis(500)) {
            Ok(s) => {
                count(&mut summary, &s);
                pending.push(s);
                done += 1;
                if pending.len() >= batch {
                    flush(store, &mut pending, &mut summary)?;
                }
                progress.advance(done, total);
            }
            Err(mpsc::RecvTimeoutError::Timeout) => flush(store, &mut pending, &mut summary)?,
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
    flush(store, &mut pending, &mut summary)?;
    if summary.stored > 0 {
        // Fresh statistics for the query planner after a bulk write.
        store.optimize().map_err(FleetError::Store)?;
    }
    summary.problems.sort_by(|a, b| a.source.cmp(&b.source));
    Ok(summary)
}

/// Scans `bundles` into `store`. Bundle-level failures are data (in the
/// summary and the store); only a store or thread failure is an error, and
/// it stops the workers at once.
pub fn run_fleet(
    bundles: &[PathBuf],
    store: &mut (dyn Store + Send),
    catalog: &Catalog,
    opts: &FleetOptions,
    progress: &dyn Progress,
) -> Result<ScanSummary, FleetError> {
    let total = bundles.len();
    let batch = opts.batch.max(1);
    let stop = AtomicBool::new(false);
    let (tx, rx) = mpsc::sync_channel::<ScanInput>(batch);
    let alike = Alike::new();
    let result = std::thread::scope(|scope| {
        let writer = scope.spawn(|| {
            let r = write_all(store, rx, batch, total, progress);
            if r.is_err() {
                stop.store(true, Ordering::Relaxed);
            }
            r
        });
        let work = || {
            bundles.par_iter().for_each_with(tx, |tx, b| {
                if stop.load(Ordering::Relaxed) {
                    return;
                }
                let s = scan_path_alike(b, catalog, opts.today, opts.scanned_at, Some(&alike));
                if tx.send(s).is_err() {
                    // The writer failed: its error is returned below.
                    stop.store(true, Ordering::Relaxed);
                }
            });
        };
        let pool = match opts.jobs {
            Some(n) => match rayon::ThreadPoolBuilder::new().num_threads(n.max(1)).build() {
                Ok(pool) => Some(pool),
                Err(e) => return Err(FleetError::Threads(e)),
            },
            None => None,
        };
        match &pool {
            Some(pool) => pool.install(work),
            None => work(),
        }
        writer.join().map_err(|_| FleetError::WriterPanicked)?
    });
    progress.finish();
    let mut summary = result?;
    summary.shared = alike.hits();
    Ok(summary)
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
        let got = expand(&[dir.join("fleet"), dir.join("fleet/a"), dir.join("fleet/b.zip")]).unwrap().bundles;
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

    #[test]
    fn a_missing_path_is_an_error_naming_it() {
        let e = expand(&[PathBuf::from("/nonexistent/w2k8")]).unwrap_err();
        assert_eq!(e.to_string(), "/nonexistent/w2k8: cannot read");
        assert!(std::error::Error::source(&e).is_some());
    }
}
