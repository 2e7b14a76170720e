//! The state of one log while it streams by: every event is taken in O(1)
//! and everything kept is bounded (the timeline's last attempts, the open
//! attempts, the errors of the attempt being read, the latest failed attempt,
//! the first errors of the log), so time is linear and memory flat whatever
//! the log holds (e.g. 300 MB of `Exec: Processing complete` lines that
//! match no start).
use crate::codes::{is_failed_outcome, is_failure, is_success_with_restart};
use crate::event::{CodedLine, Event, EventKind, LogFormat, LogStats, Phase, Sink, VersionSource};
use crate::model::Outcome;
use crate::version::Evidence;
use std::collections::VecDeque;
use std::sync::Arc;

/// Most error events kept per log for the no-attempt diagnosis (the rest are counted).
pub(crate) const MAX_KEPT: usize = 10_000;
/// Most attempts kept for the timeline.
pub(crate) const MAX_TIMELINE: usize = 200;
/// Most attempts open at once (older ones are closed as unfinished).
const MAX_OPEN: usize = 64;
/// Most errors kept for the attempt being read.
const MAX_WINDOW: usize = 2_000;
/// Most distinct codes remembered for the attempt being read.
const MAX_CODES: usize = 32;
/// Recent coded lines kept to walk a failure chain back.
const RING: usize = 64;
/// Most lines between two links of a CBS failure chain.
const CHAIN_GAP: u64 = 5;
/// Event packages looked at for an NT build (the first one that shows it counts).
const PACKAGES_CHECKED: u32 = 10_000;
/// Most flags, CheckSUR items, update servers kept.
const MAX_SMALL: usize = 1_000;

/// A line that carries a failure code, as kept.
#[derive(Debug, Clone, Default)]
pub(crate) struct Coded {
    pub line: u64,
    pub time: Option<String>,
    pub code: u32,
    pub text: String,
    pub failish: bool,
}

impl Coded {
    fn set(&mut self, c: &CodedLine<'_>) {
        self.line = c.line;
        self.code = c.code;
        self.failish = c.failish;
        self.text.clear();
        self.text.push_str(crate::event::clip_str(c.text, 400));
        match (&mut self.time, c.time) {
            (Some(t), Some(n)) => {
                t.clear();
                t.push_str(n);
            }
            (slot, n) => *slot = n.map(str::to_string),
        }
    }

    fn of(c: &CodedLine<'_>) -> Coded {
        let mut k = Coded::default();
        k.set(c);
        k
    }
}

/// An error event with where its failure chain starts, when earlier lines
/// carry the same failure.
#[derive(Debug, Clone)]
pub(crate) struct Kept {
    pub ev: Event,
    pub chain: Option<Coded>,
}

/// One update attempt: its start (`first`) and end, or, for an attempt the
/// log shows only the end of, that end as `first` and no `end`.
#[derive(Debug, Clone)]
pub(crate) struct Rec {
    pub start_line: Option<u64>,
    pub first: Event,
    pub end: Option<Box<Event>>,
    pub phase: Phase,
    pub outcome: Outcome,
}

/// The latest failed attempt with what the log showed while it ran.
#[derive(Debug, Clone)]
pub(crate) struct Failed {
    pub rec: Arc<Rec>,
    pub errors: Vec<Arc<Kept>>,
    pub errors_total: u64,
    pub first_by_code: Vec<Coded>,
}

/// What the log shows between two attempt boundaries.
#[derive(Debug, Default)]
struct Window {
    errors: Vec<Arc<Kept>>,
    total: u64,
    first_by_code: Vec<Coded>,
}

impl Window {
    fn reset(&mut self) {
        self.errors.clear();
        self.total = 0;
        self.first_by_code.clear();
    }

    fn note_code(&mut self, c: &CodedLine<'_>) {
        if c.failish && self.first_by_code.len() < MAX_CODES && !self.first_by_code.iter().any(|k| k.code == c.code) {
            self.first_by_code.push(Coded::of(c));
        }
    }
}

/// The state of one log while it is read.
#[derive(Debug)]
pub(crate) struct LogState {
    pub file: String,
    pub format: LogFormat,
    pub stats: Option<LogStats>,
    pub stack: Option<String>,
    pub agent_build: Option<String>,
    pub versions: Evidence,
    /// The NT build of the first event package identity that shows one
    /// (`...~6.0.6001.18000` -> 6001).
    pub first_package_build: Option<u32>,
    packages_seen: u32,
    pub timeline: VecDeque<Arc<Rec>>,
    pub recs_total: u64,
    open: Vec<Rec>,
    pub failed: Option<Failed>,
    window: Window,
    boundary: u64,
    pub errors: Vec<Arc<Kept>>,
    pub errors_total: u64,
    pub last_error: Option<Arc<Kept>>,
    pub flags: Vec<Event>,
    pub pending_xml: Vec<Event>,
    pub items: Vec<Event>,
    pub unavailable: Vec<Event>,
    pub summary: Option<Event>,
    pub sources: Vec<Event>,
    pending_wer: Option<Event>,
    ring: VecDeque<Coded>,
}

impl LogState {
    pub(crate) fn new(file: &str, format: LogFormat) -> LogState {
        LogState {
            file: file.to_string(),
            format,
            stats: None,
            stack: None,
            agent_build: None,
            versions: Evidence::default(),
            first_package_build: None,
            packages_seen: 0,
            timeline: VecDeque::new(),
            recs_total: 0,
            open: Vec::new(),
            failed: None,
            window: Window::default(),
            boundary: 0,
            errors: Vec::new(),
            errors_total: 0,
            last_error: None,
            flags: Vec::new(),
            pending_xml: Vec::new(),
            items: Vec::new(),
            unavailable: Vec::new(),
            summary: None,
            sources: Vec::new(),
            pending_wer: None,
            ring: VecDeque::with_capacity(RING),
        }
    }

    /// The end of the log: attempts still open stay unfinished, a failure
    /// report with no attempt around it is a failed attempt.
    pub(crate) fn set_result(&mut self, format: LogFormat, stats: LogStats) {
        self.format = format;
        self.stats = Some(stats);
        self.flush_wer();
        for r in std::mem::take(&mut self.open) {
            self.push_rec(Arc::new(r));
        }
    }

    fn keep(v: &mut Vec<Event>, ev: Event) {
        if v.len() < MAX_SMALL {
            v.push(ev);
        }
    }

    fn push_rec(&mut self, r: Arc<Rec>) {
        self.recs_total += 1;
        if self.timeline.len() == MAX_TIMELINE {
            self.timeline.pop_front();
        }
        self.timeline.push_back(r);
    }

    /// Closes an attempt: into the timeline, and kept whole when it failed.
    fn close(&mut self, r: Rec) {
        let r = Arc::new(r);
        if r.outcome == Outcome::Failed {
            let from = r.start_line.unwrap_or(0);
            let mut errors = std::mem::take(&mut self.window.errors);
            errors.retain(|k| k.ev.line >= from);
            let first_by_code: Vec<Coded> =
                self.window.first_by_code.iter().filter(|c| c.line >= from).cloned().collect();
            let errors_total = self.window.total.max(errors.len() as u64);
            let later = self
                .failed
                .as_ref()
                .is_none_or(|f| (&r.first.time, r.first.line) >= (&f.rec.first.time, f.rec.first.line));
            if later {
                self.failed = Some(Failed { rec: Arc::clone(&r), errors, errors_total, first_by_code });
            }
        }
        self.push_rec(r);
        self.window.reset();
        self.boundary = self.boundary.max(self.last_line());
    }

    fn last_line(&self) -> u64 {
        self.timeline.back().map_or(0, |r| r.end.as_deref().unwrap_or(&r.first).line)
    }

    fn outcome_of(code: Option<u32>) -> Outcome {
        match code {
            Some(c) if is_success_with_restart(c) => Outcome::PendingReboot,
            Some(c) if is_failed_outcome(c) => Outcome::Failed,
            _ => Outcome::Succeeded,
        }
    }

    fn flush_wer(&mut self) {
        if let Some(w) = self.pending_wer.take() {
            let phase = w.phase.unwrap_or(Phase::Install);
            let outcome = if w.hresult.is_some_and(is_failure) { Outcome::Failed } else { Outcome::Unfinished };
            self.close(Rec { start_line: None, first: w, end: None, phase, outcome });
        }
    }

    fn start(&mut self, ev: Event) {
        self.flush_wer();
        if self.open.is_empty() {
            self.window.reset();
            self.boundary = ev.line.saturating_sub(1);
        }
        if self.open.len() == MAX_OPEN {
            let old = self.open.remove(0);
            self.push_rec(Arc::new(old));
        }
        let phase = ev.phase.unwrap_or(Phase::Install);
        self.open.push(Rec { start_line: Some(ev.line), end: None, phase, outcome: Outcome::Unfinished, first: ev });
    }

    fn end(&mut self, mut ev: Event) {
        let outcome = Self::outcome_of(ev.hresult);
        if let Some(w) = self.pending_wer.take() {
            if ev.package.is_none() || ev.package == w.package {
                ev.package = ev.package.or(w.package);
                ev.kb = ev.kb.or(w.kb);
            } else {
                self.pending_wer = Some(w);
                self.flush_wer();
            }
        }
        let at = self.open.iter().rposition(|r| ev.package.is_none() || r.first.package == ev.package);
        let rec = match at {
            Some(i) => {
                let mut r = self.open.remove(i);
                r.outcome = outcome;
                r.end = Some(Box::new(ev));
                r
            }
            None => {
                let phase = ev.phase.unwrap_or(Phase::Install);
                Rec { start_line: None, first: ev, end: None, phase, outcome }
            }
        };
        self.close(rec);
    }

    /// Where the failure chain of an error starts: the earliest of the
    /// recent lines that carry the same code and say something failed, each
    /// within a few lines of the next (CBS); in WindowsUpdate.log, the
    /// failure lines right before it, whatever their code (a transient
    /// download error, then the download failure).
    fn chain_of(&self, ev: &Event) -> Option<Coded> {
        let cbs = self.format == LogFormat::Cbs;
        let code = ev.hresult.filter(|_| cbs);
        if cbs && code.is_none() {
            return None;
        }
        let mut at = ev.line;
        let mut start: Option<&Coded> = None;
        for c in self.ring.iter().rev().filter(|c| c.line < ev.line) {
            if c.line <= self.boundary {
                break;
            }
            let linked = if cbs {
                at - c.line <= CHAIN_GAP && Some(c.code) == code && c.failish
            } else {
                at - c.line == 1 && c.failish
            };
            if linked {
                at = c.line;
                start = Some(c);
            } else if at - c.line > CHAIN_GAP || !cbs {
                break;
            }
        }
        start.cloned()
    }

    fn ring_push(&mut self, c: &CodedLine<'_>) {
        if self.ring.len() == RING {
            if let Some(mut old) = self.ring.pop_front() {
                old.set(c);
                self.ring.push_back(old);
                return;
            }
        }
        self.ring.push_back(Coded::of(c));
    }

    fn error(&mut self, ev: Event) {
        let chain = self.chain_of(&ev);
        if let Some(code) = ev.hresult.filter(|c| is_failure(*c)) {
            let time = ev.time.clone();
            let c = CodedLine { line: ev.line, time: time.as_deref(), code, text: &ev.text, failish: true };
            self.ring_push(&c);
            self.window.note_code(&c);
        }
        let k = Arc::new(Kept { ev, chain });
        self.errors_total += 1;
        if self.errors.len() < MAX_KEPT {
            self.errors.push(Arc::clone(&k));
        }
        self.window.total += 1;
        if self.window.errors.len() < MAX_WINDOW {
            self.window.errors.push(Arc::clone(&k));
        }
        self.last_error = Some(k);
    }

    fn on_event(&mut self, ev: Event) {
        if self.first_package_build.is_none() && self.packages_seen < PACKAGES_CHECKED {
            if let Some(p) = ev.package.as_deref() {
                self.packages_seen += 1;
                self.first_package_build = build_of_package(p);
            }
        }
        match &ev.kind {
            EventKind::ServicingStack { version } => {
                self.stack.get_or_insert_with(|| version.clone());
            }
            EventKind::AgentBuild { version } => {
                self.agent_build.get_or_insert_with(|| version.clone());
            }
            EventKind::SessionStart { .. } => {}
            EventKind::AttemptStart => self.start(ev),
            EventKind::AttemptEnd => self.end(ev),
            EventKind::FailureReport => {
                if let Some(r) = self.open.last_mut() {
                    if r.first.package.is_none() {
                        r.first.package = ev.package.clone();
                        r.first.kb = r.first.kb.or(ev.kb);
                    }
                } else {
                    self.flush_wer();
                    self.pending_wer = Some(ev);
                }
            }
            EventKind::SessionFinalized { reboot_required } => {
                if *reboot_required {
                    if let Some(r) = self.timeline.back_mut().filter(|r| r.outcome == Outcome::Succeeded) {
                        Arc::make_mut(r).outcome = Outcome::PendingReboot;
                    }
                }
            }
            EventKind::Error => match ev.phase {
                Some(p @ (Phase::CommitAtReboot | Phase::Rollback)) => {
                    self.error(ev.clone());
                    self.close(Rec { start_line: None, first: ev, end: None, phase: p, outcome: Outcome::Failed });
                }
                _ => self.error(ev),
            },
            EventKind::StoreCorruptionFlag => Self::keep(&mut self.flags, ev),
            EventKind::PendingXml => {
                Self::keep(&mut self.pending_xml, ev.clone());
                self.error(ev);
            }
            EventKind::WuResult { success, .. } => {
                let success = *success;
                self.wu_result(ev, success);
            }
            EventKind::CheckSurItem { .. } => Self::keep(&mut self.items, ev),
            EventKind::UnavailableRepairFile { .. } => Self::keep(&mut self.unavailable, ev),
            EventKind::CheckSurSummary { .. } => self.summary = Some(ev),
            EventKind::UpdateSource { .. } => Self::keep(&mut self.sources, ev),
        }
    }

    /// A Windows Update result. An install result that repeats the attempt
    /// the Handler just ended (same update, same outcome) adds its title to
    /// it instead of counting as a second attempt.
    fn wu_result(&mut self, ev: Event, success: bool) {
        if !success {
            self.error(ev.clone());
        }
        let Some(phase) = ev.phase else { return };
        let outcome = match ev.hresult {
            _ if success => Outcome::Succeeded,
            Some(c) if is_success_with_restart(c) => Outcome::PendingReboot,
            _ => Outcome::Failed,
        };
        if let Some(last) = self.timeline.back_mut() {
            let handler = !matches!(last.first.kind, EventKind::WuResult { .. }) && last.phase == phase;
            let same_kb = last.first.kb.is_some() && last.first.kb == ev.kb;
            if handler && same_kb && last.outcome == outcome {
                let shared = self.failed.as_ref().is_some_and(|f| Arc::ptr_eq(&f.rec, last));
                let rec = Arc::make_mut(last);
                match rec.end.as_mut() {
                    Some(e) => e.kind = ev.kind,
                    None => rec.first.kind = ev.kind,
                }
                if let (true, Some(f)) = (shared, self.failed.as_mut()) {
                    f.rec = Arc::clone(last);
                }
                return;
            }
        }
        self.close(Rec { start_line: None, first: ev, end: None, phase, outcome });
    }
}

impl Sink for LogState {
    fn event(&mut self, ev: Event) {
        self.on_event(ev);
    }

    fn coded(&mut self, c: &CodedLine<'_>) {
        self.ring_push(c);
        self.window.note_code(c);
    }

    fn version(&mut self, line: u64, source: VersionSource, text: &str) {
        self.versions.add(line, source, text);
    }
}

/// The OS build a package identity's version shows (`...~6.0.6001.18000` -> 6001).
pub(crate) fn build_of_package(p: &str) -> Option<u32> {
    let b = p.as_bytes();
    let v = b.get(memchr::memrchr(b'~', b).map_or(0, |i| i + 1)..)?;
    let mut parts = v.split(|c| *c == b'.');
    let (_, _, build) = (parts.next()?, parts.next()?, parts.next()?);
    let build: u32 = std::str::from_utf8(build).ok()?.parse().ok()?;
    (6000..=30000).contains(&build).then_some(build)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Level;

    fn ev(line: u64, kind: EventKind, hresult: Option<u32>, package: Option<&str>) -> Event {
        Event {
            line,
            time: Some("2019-07-10 03:00:21".into()),
            level: Level::Info,
            kind,
            phase: Some(Phase::Install),
            package: package.map(str::to_string),
            kb: None,
            hresult,
            symbol: None,
            text: format!("line {line}"),
        }
    }

    #[test]
    fn unmatched_ends_stay_bounded() {
        let mut s = LogState::new("CBS.log", LogFormat::Cbs);
        for line in 1..=50_000 {
            s.event(ev(
                line,
                EventKind::AttemptEnd,
                Some(0x8009_2004),
                Some("Package_for_KB4507452~31bf3856ad364e35~amd64~~6.0.1.0"),
            ));
        }
        assert_eq!(s.timeline.len(), MAX_TIMELINE);
        assert_eq!(s.recs_total, 50_000);
        assert_eq!(s.failed.as_ref().map(|f| f.rec.first.line), Some(50_000));
        assert!(s.open.is_empty());
    }

    #[test]
    fn open_attempts_are_capped() {
        let mut s = LogState::new("CBS.log", LogFormat::Cbs);
        for line in 1..=1_000 {
            s.event(ev(
                line,
                EventKind::AttemptStart,
                None,
                Some(&format!("Package_{line}~31bf3856ad364e35~amd64~~6.0.1.0")),
            ));
        }
        assert_eq!(s.open.len(), MAX_OPEN);
        assert_eq!(s.recs_total, 1_000 - MAX_OPEN as u64);
        s.set_result(LogFormat::Cbs, crate::event::LogStats::new(crate::reader::Encoding::Utf8));
        assert_eq!(s.recs_total, 1_000);
        assert!(s.timeline.iter().all(|r| r.outcome == Outcome::Unfinished));
    }

    #[test]
    fn a_cbs_chain_starts_at_the_first_line_with_the_code() {
        let mut s = LogState::new("CBS.log", LogFormat::Cbs);
        let coded = |s: &mut LogState, line, code| {
            s.coded(&CodedLine { line, time: None, code, text: "Failed to x", failish: true });
        };
        coded(&mut s, 3, 0x8007_0005);
        coded(&mut s, 6, 0x8007_0057);
        coded(&mut s, 7, 0x8007_0057);
        coded(&mut s, 10, 0x8007_0057);
        let mut e = ev(12, EventKind::Error, Some(0x8007_0057), None);
        e.level = Level::Error;
        s.event(e);
        assert_eq!(s.errors.first().and_then(|k| k.chain.as_ref()).map(|c| c.line), Some(6));
        // Too far apart: not one chain.
        let mut s = LogState::new("CBS.log", LogFormat::Cbs);
        coded(&mut s, 1, 0x8007_0057);
        s.event(ev(20, EventKind::Error, Some(0x8007_0057), None));
        assert!(s.errors.first().is_some_and(|k| k.chain.is_none()));
    }

    #[test]
    fn a_failure_report_without_attempt_is_a_failed_attempt() {
        let mut s = LogState::new("CBS.log", LogFormat::Cbs);
        s.event(ev(5, EventKind::Error, Some(0x8007_36B3), None));
        let mut wer = ev(
            30,
            EventKind::FailureReport,
            Some(0x8007_36B3),
            Some("Package_for_KB3177467~31bf3856ad364e35~amd64~~6.1.1.1"),
        );
        wer.kb = crate::event::find_kb("KB3177467");
        s.event(wer);
        s.set_result(LogFormat::Cbs, crate::event::LogStats::new(crate::reader::Encoding::Utf8));
        let f = s.failed.as_ref().unwrap();
        assert_eq!((f.rec.first.line, f.errors.len()), (30, 1));
        assert_eq!(f.rec.first.kb.map(|k| k.number()), Some(3177467));
    }
}
