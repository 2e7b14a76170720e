//! Re-assessment: every stored host judged again against the catalog in
//! effect, from the input its latest scan kept, without its bundle
//! (`w2k8 scan --reassess`, and after `w2k8 catalog import`).
//!
//! Each host's latest scan is the one re-judged: a host whose latest scan
//! was judged with this catalog already is current (nothing is stored); one
//! whose latest scan kept no input (stored before w2k8 kept inputs, or a
//! bundle that could not be read) cannot be re-assessed and is listed with
//! what to do, never skipped in silence. The new assessment is stored as a
//! new scan of the host (the same input digest, this catalog, the time of
//! the re-assessment, `reassessed_from` naming the scan re-judged), so
//! `history` and `diff` show what the new data changed.
//!
//! Hosts are read, judged and written in chunks: the store reads a chunk's
//! inputs and writes the previous chunk's assessments (one transaction)
//! while the workers judge the next. A store that fails stops it; a host
//! whose input cannot be read is listed and the others go on.
//!
//! Hosts that read alike are judged once ([`crate::alike`]).
use crate::alike::Alike;
use crate::fleet::{FleetError, FleetOptions, Progress};
use crate::{catalog_label, unpack_input};
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::mpsc;
use w2k8_catalog::Catalog;
use w2k8_core::{Date, Timestamp};
use w2k8_fleet::ScanStatus;
use w2k8_inventory::LoadOptions;
use w2k8_store::{ReassessTarget, ScanInput, Store};

pub use w2k8_fleet::{NotReassessed, ReassessSummary};

/// Hosts per chunk (read, judged and written together).
const CHUNK: usize = 128;

/// What a judged host comes to.
enum Judged {
    Scan(Box<ScanInput>),
    Cannot(NotReassessed),
}

fn cannot(t: &ReassessTarget, reason: String) -> NotReassessed {
    NotReassessed { host_id: t.host_id, name: t.name.clone(), source: t.source.clone(), reason }
}

/// Judges target `t` from its stored input `body`; `shared` counts the
/// hosts judged by an assessment made for another.
fn judge(t: &ReassessTarget, body: &[u8], catalog: &Catalog, opts: &FleetOptions, alike: &Alike) -> Judged {
    let unreadable = |why: String| {
        Judged::Cannot(cannot(
            t,
            format!("cannot re-assess: its saved input cannot be read ({why}): rescan its bundle"),
        ))
    };
    let kept = match unpack_input(body) {
        Ok(k) => k,
        Err(e) => return unreadable(w2k8_core::error_chain(&e)),
    };
    let load = LoadOptions { lenient: true, ..LoadOptions::default() };
    let host = match w2k8_inventory::bundle::kept::replay(&t.source, &kept, &load) {
        Ok(h) => h,
        Err(e) => return unreadable(w2k8_core::error_chain(&e)),
    };
    let blank = crate::blank(t.name.clone(), t.source.clone(), opts.scanned_at);
    let mut s = alike.describe(blank, host, catalog, opts.today);
    // The host is the one stored, whatever name its input gives today.
    s.name = t.name.clone();
    s.product_id = t.product_id.clone();
    s.source = t.source.clone();
    s.digest = t.digest.clone();
    s.scanned_at = opts.scanned_at;
    s.saved_input = None;
    s.reassessed_from = Some(t.scan_id);
    s.catalog = Some(catalog_label(catalog));
    Judged::Scan(Box::new(s))
}

/// The assessment side of a re-assessment: what judges a chunk, on the
/// worker pool when `--jobs` gives one.
struct Judges<'a> {
    catalog: &'a Catalog,
    opts: &'a FleetOptions,
    alike: &'a Alike,
    pool: Option<&'a rayon::ThreadPool>,
}

impl Judges<'_> {
    /// Judges every chunk `work` sends and hands each over to `done`, until
    /// `work` closes or `done` is dropped.
    fn serve(&self, work: mpsc::Receiver<Vec<(ReassessTarget, Vec<u8>)>>, done: mpsc::SyncSender<Vec<Judged>>) {
        for chunk in work {
            if done.send(self.judge_all(&chunk)).is_err() {
                return;
            }
        }
    }

    /// Every target of `chunk` judged from its input, on all cores.
    fn judge_all(&self, chunk: &[(ReassessTarget, Vec<u8>)]) -> Vec<Judged> {
        let judge_all = || {
            chunk
                .par_iter()
                .map(|(t, body)| judge(t, body, self.catalog, self.opts, self.alike))
                .collect::<Vec<Judged>>()
        };
        match self.pool {
            Some(p) => p.install(judge_all),
            None => judge_all(),
        }
    }
}

/// The store side of a re-assessment: reads each chunk's inputs, writes
/// the judged chunks and counts them.
struct Feed<'a> {
    store: &'a mut (dyn Store + Send),
    summary: ReassessSummary,
    /// Hosts judged and written so far.
    done: usize,
    /// Hosts to judge.
    total: usize,
    progress: &'a dyn Progress,
}

impl Feed<'_> {
    /// Judges `todo` chunk by chunk on a worker thread while this one reads
    /// and writes (see the module documentation).
    fn run(&mut self, todo: &[ReassessTarget], judges: &Judges<'_>) -> Result<(), FleetError> {
        let (work_tx, work_rx) = mpsc::sync_channel::<Vec<(ReassessTarget, Vec<u8>)>>(1);
        let (done_tx, done_rx) = mpsc::sync_channel::<Vec<Judged>>(1);
        std::thread::scope(|scope| {
            // Dropped when this closure returns, early or not: a worker waiting
            // to hand over a chunk is then let go.
            let done_rx = done_rx;
            scope.spawn(move || judges.serve(work_rx, done_tx));
            self.pump(todo, work_tx, &done_rx)
        })
    }

    /// Sends each chunk of `todo` with its inputs to the workers, writing
    /// the previous chunk's assessments while they judge it, then the last.
    fn pump(
        &mut self,
        todo: &[ReassessTarget],
        work_tx: mpsc::SyncSender<Vec<(ReassessTarget, Vec<u8>)>>,
        done_rx: &mpsc::Receiver<Vec<Judged>>,
    ) -> Result<(), FleetError> {
        let mut in_flight = 0usize;
        for chunk in todo.chunks(CHUNK) {
            let work = self.inputs(chunk)?;
            if work_tx.send(work).is_err() {
                return Err(FleetError::WorkersStopped);
            }
            in_flight += 1;
            if in_flight > 1 {
                let judged = done_rx.recv().map_err(|_| FleetError::WorkersStopped)?;
                in_flight -= 1;
                self.write(judged)?;
            }
        }
        drop(work_tx);
        while in_flight > 0 {
            let judged = done_rx.recv().map_err(|_| FleetError::WorkersStopped)?;
            in_flight -= 1;
            self.write(judged)?;
        }
        Ok(())
    }

    /// The targets of `chunk` with their saved inputs; one whose input is
    /// gone is listed as not re-assessed.
    fn inputs(&mut self, chunk: &[ReassessTarget]) -> Result<Vec<(ReassessTarget, Vec<u8>)>, FleetError> {
        let ids: Vec<i64> = chunk.iter().map(|t| t.scan_id).collect();
        let bodies: HashMap<i64, Vec<u8>> =
            self.store.saved_inputs(&ids).map_err(FleetError::Store)?.into_iter().collect();
        let mut work = Vec::with_capacity(chunk.len());
        for t in chunk {
            match bodies.get(&t.scan_id) {
                Some(b) => work.push((t.clone(), b.clone())),
                None => self.summary.cannot.push(cannot(
                    t,
                    "cannot re-assess: its saved input is gone from the database: rescan its bundle".to_string(),
                )),
            }
        }
        Ok(work)
    }

    /// Stores one chunk's assessments (one transaction) and counts them.
    fn write(&mut self, judged: Vec<Judged>) -> Result<(), FleetError> {
        let summary = &mut self.summary;
        let mut batch = Vec::with_capacity(judged.len());
        for j in judged {
            match j {
                Judged::Scan(s) => batch.push(*s),
                Judged::Cannot(c) => summary.cannot.push(c),
            }
        }
        self.done += batch.len();
        for s in &batch {
            match s.status {
                ScanStatus::Ok => summary.ok += 1,
                _ => summary.not_assessed += 1,
            }
        }
        let o = self.store.write_batch(&batch).map_err(FleetError::Store)?;
        summary.reassessed += o.stored;
        summary.duplicates += o.duplicates;
        summary.filled += o.filled;
        self.progress.advance(self.done, self.total);
        Ok(())
    }
}

/// Sorts `targets` out: those current with catalog `label` and those that
/// cannot be re-assessed are counted in `summary`; the rest, to judge, are
/// returned.
fn triage(targets: Vec<ReassessTarget>, label: &str, summary: &mut ReassessSummary) -> Vec<ReassessTarget> {
    let mut todo = Vec::new();
    for t in targets {
        // Judged with this catalog, but stored before w2k8 recorded
        // reachability: judged again, its row filled in place.
        let unrecorded = t.status == ScanStatus::Ok && !t.reach_recorded && t.has_input;
        if t.catalog.as_deref() == Some(label) && !unrecorded {
            summary.current += 1;
        } else if !t.has_input && t.status == ScanStatus::Failed {
            let reason =
                "cannot re-assess: its latest scan could not read its bundle (nothing to judge): rescan its bundle";
            summary.cannot.push(cannot(&t, reason.to_string()));
        } else if !t.has_input {
            let reason =
                "cannot re-assess: no saved input (scanned before w2k8 kept the input of each scan): rescan its bundle";
            summary.cannot.push(cannot(&t, reason.to_string()));
        } else {
            todo.push(t);
        }
    }
    todo
}

/// The worker pool `--jobs` asks for (None: rayon's global pool).
fn pool(jobs: Option<usize>) -> Result<Option<rayon::ThreadPool>, FleetError> {
    match jobs {
        Some(n) => {
            Ok(Some(rayon::ThreadPoolBuilder::new().num_threads(n.max(1)).build().map_err(FleetError::Threads)?))
        }
        None => Ok(None),
    }
}

/// Re-judges every host of `store` against `catalog` (see the module
/// documentation). Host-level problems are data (in the summary); only a
/// store or thread failure is an error.
pub fn run_reassess(
    store: &mut (dyn Store + Send),
    catalog: &Catalog,
    opts: &FleetOptions,
    progress: &dyn Progress,
) -> Result<ReassessSummary, FleetError> {
    let label = catalog_label(catalog);
    let targets = store.reassess_targets().map_err(FleetError::Store)?;
    let mut summary = ReassessSummary { catalog: label.clone(), hosts: targets.len(), ..ReassessSummary::default() };
    let todo = triage(targets, &label, &mut summary);
    let pool = pool(opts.jobs)?;
    let alike = Alike::new();
    let judges = Judges { catalog, opts, alike: &alike, pool: pool.as_ref() };
    let mut feed = Feed { store: &mut *store, summary, done: 0, total: todo.len(), progress };
    let result = feed.run(&todo, &judges);
    progress.finish();
    result?;
    let mut summary = feed.summary;
    if summary.reassessed > 0 {
        store.optimize().map_err(FleetError::Store)?;
    }
    summary.shared = alike.hits();
    summary.cannot.sort_by_key(|c| c.host_id);
    Ok(summary)
}

/// [`run_reassess`] with the time of the re-assessment: `today` (the
/// assessment date) and the time recorded with each new scan.
pub fn options(today: Date, scanned_at: Timestamp, jobs: Option<usize>) -> FleetOptions {
    FleetOptions { today, scanned_at, batch: CHUNK, jobs }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(s: &ScanInput, scan_id: i64) -> ReassessTarget {
        ReassessTarget {
            host_id: scan_id,
            scan_id,
            name: s.name.clone(),
            product_id: s.product_id.clone(),
            source: s.source.clone(),
            digest: s.digest.clone(),
            scanned_at: s.scanned_at,
            status: s.status,
            catalog: None,
            has_input: true,
            reach_recorded: true,
        }
    }

    /// What a scan judged, without when, where from and with what.
    fn judged(s: &ScanInput) -> ScanInput {
        ScanInput {
            scanned_at: "2026-01-01T00:00:00Z".parse().unwrap(),
            saved_input: None,
            reassessed_from: None,
            catalog: None,
            source: String::new(),
            ..s.clone()
        }
    }

    #[test]
    fn a_re_assessment_judges_as_a_fresh_scan_and_hosts_that_read_alike_share_it() {
        let text =
            std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/srv-file01/systeminfo.txt")).unwrap();
        // The same host under another name and product ID (the file's bytes,
        // OEM code page, replaced as they are): the assessment reads neither.
        let swap = |b: &[u8], from: &[u8], to: &[u8]| -> Vec<u8> {
            let at = b.windows(from.len()).position(|w| w == from).unwrap();
            [&b[..at], to, &b[at + from.len()..]].concat()
        };
        let other =
            swap(&swap(&text, b"SRV-FILE01", b"SRV-OTHER4"), b"92573-082-2500115-76417", b"00000-111-2222222-33333");
        assert_ne!(other, text);
        let catalog = Catalog::embedded();
        let today = Date::new(2026, 1, 15).unwrap();
        let a =
            crate::scan_bytes("systeminfo.txt", &text, "a", catalog, today, "2026-01-15T00:00:00Z".parse().unwrap());
        let b =
            crate::scan_bytes("systeminfo.txt", &other, "b", catalog, today, "2026-01-15T00:00:00Z".parse().unwrap());
        assert_eq!((a.name.as_str(), b.name.as_str()), ("SRV-FILE01", "SRV-OTHER4"));
        assert_eq!(b.product_id.as_deref(), Some("00000-111-2222222-33333"));
        assert!(a.plan.as_deref().is_some_and(|p| p.contains("SRV-FILE01")));
        let opts = options(today, "2026-02-01T00:00:00Z".parse().unwrap(), Some(1));
        let alike = Alike::new();
        let mut again = Vec::new();
        for (s, id) in [(&a, 1), (&b, 2)] {
            match judge(&target(s, id), s.saved_input.as_deref().unwrap(), catalog, &opts, &alike) {
                Judged::Scan(r) => again.push(*r),
                Judged::Cannot(c) => panic!("{}", c.reason),
            }
        }
        assert_eq!(alike.hits(), 1, "the second host shares the first one's assessment");
        assert_eq!(judged(&again[0]), judged(&a));
        assert_eq!(judged(&again[1]), judged(&b), "shared, yet under its own name and product ID");
        assert_eq!(again[1].reassessed_from, Some(2));
        assert_eq!(again[1].scanned_at.to_string(), "2026-02-01T00:00:00Z");
        assert_eq!(again[1].catalog.as_deref(), Some(catalog_label(catalog).as_str()));

        // A damaged saved input is listed, not stored.
        let Judged::Cannot(c) = judge(&target(&a, 3), b"junk", catalog, &opts, &Alike::new()) else {
            panic!("junk judged")
        };
        assert!(
            c.reason.starts_with("cannot re-assess: its saved input cannot be read (not deflate data"),
            "{}",
            c.reason
        );
    }
}
