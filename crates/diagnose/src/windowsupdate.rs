//! `%windir%\WindowsUpdate.log`, streamed line by line.
//!
//! The classic log that Windows Server 2008 writes (Windows Update Agent 7.x):
//! tab-separated `date \t time \t pid \t tid \t component \t message`, e.g.
//! `2022-11-06\t08:22:57:447\t6032\t13a4\tMisc\t===========  Logging initialized (build: 7.6.7600.311, tz: -0500)  ===========`
//! (pid may be space-padded, ` 704`). Blogs and forums paste it with the tabs
//! collapsed to spaces (`2013-05-16 10:41:01:577 1404 820 DnldMgr BITS job ...`)
//! or expanded and wrapped at 80 columns by a console: both are read, a
//! wrapped line being joined back to the entry it continues.
//!
//! What is read:
//! - `REPORT EVENT:` lines (`Report` component): the tab-separated fields
//!   carry the event id, the update id, the result code (hex without `0x`),
//!   the client, `Success` or `Failure`, the category (`Content Download`,
//!   `Content Install`, ...) and a message such as `Installation Failure:
//!   Windows failed to install the following update with error 0x80070643:
//!   TITLE (KB4014984).` (LegacyUpdate/LegacyUpdate issue #115, a Vista SP2
//!   log). `Installation Started` is a start notice, not a result.
//! - `FATAL:` lines: errors. The `Handler` CBS install
//!   (`CBS package identity: ...` ... `FATAL: Completed install of CBS update
//!   with ... hr=0x800736b3`) is an attempt.
//! - `WARNING:` lines that say the update server could not be reached
//!   (`Send failed with hr = 80072ee2`, `SendRequest failed with hr = ...`,
//!   `WinHttp: SendRequestUsingProxy failed for <URL>. error 0x...`,
//!   `PTError`, `Sync of Updates`, or any warning with a connectivity code,
//!   see [`crate::codes::is_connectivity`]), that a download failed
//!   (`Download failed, error = 0x8024402C`) or that the agent's self-update
//!   failed: errors (cloudbase/windows-imaging-tools #53, LegacyUpdate #8,
//!   theorypc.ca 2013). Other warnings (`WARNING: Failed to filter search
//!   results, error = 0x8024000B`) are noise.
//! - Versions: `Logging initialized (build: ...)`, `WU client version ...`,
//!   `Client version: Core: ... Aux: ...`, `OS Version = ...`; the update
//!   server: `Server URL = ...`, `WSUS server: ...`, `reporting URL = ...`.
//!
//! The Windows 10+ log (`Get-WindowsUpdateLog`, rendered from ETW:
//! `2019/06/05 11:07:50.0950566 21136   9740  Agent  ...`, or with dashes
//! `2024-04-11 12:48:07.3963405 ...`) is recognised as
//! [`LogFormat::WindowsUpdateEtw`]; its failures (`resultMapped=`,
//! `*FAILED* [8024000E]`, `hr = 0x...`, `error 0x...`) and call results
//! (`Call error code = 0x...`) are read too, so the report can say what
//! failed, but the log is not from Windows Server 2008.
use crate::cbs::{starts_with_date, VersionScan};
use crate::codes::{is_connectivity, is_failure};
use crate::event::{
    clip, find_kb, find_package, CodedLine, Event, EventKind, Level, LogFormat, LogStats, Phase, Sink, VersionSource,
};
use crate::hresult::{contains_ci, find_code, finder, first_failure_hex, may_hold_code, Found};
use crate::reader::{self, Batched};
use crate::version::scan_build;
use crate::{Error, ParseError};
use std::io::BufRead;

/// What a well-formed classic line looks like (for error messages).
pub const EXPECTED: &str =
    "a WindowsUpdate.log line `YYYY-MM-DD<TAB>hh:mm:ss:mmm<TAB>pid<TAB>tid<TAB>Component<TAB>message`";

/// The fields of a classic line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry<'a> {
    /// `YYYY-MM-DD`.
    pub date: &'a str,
    /// `hh:mm:ss:mmm`.
    pub time: &'a str,
    /// The component (`Agent`, `Handler`, `Report`, `Setup`, `Misc`, ...).
    pub component: &'a str,
    /// The message (may hold more tabs).
    pub text: &'a str,
}

fn is_time(t: &str) -> bool {
    let b = t.as_bytes();
    b.len() >= 8
        && b.iter().take(8).enumerate().all(|(i, c)| if i == 2 || i == 5 { *c == b':' } else { c.is_ascii_digit() })
}

/// Splits a classic line; `Err(())` when it starts with a date but is not a
/// complete line, `Ok(None)` for a line that is no entry (blank, continuation).
/// Tab-separated, or with the tabs collapsed or expanded to spaces.
#[allow(clippy::result_unit_err)]
pub fn split(line: &str) -> Result<Option<Entry<'_>>, ()> {
    if !starts_with_date(line.as_bytes(), b'-') {
        return Ok(None);
    }
    split_tabs(line).or_else(|| split_spaces(line)).map(Some).ok_or(())
}

fn split_tabs(line: &str) -> Option<Entry<'_>> {
    let mut f = line.splitn(6, '\t');
    let (Some(date), Some(time), Some(_pid), Some(_tid), Some(component), Some(text)) =
        (f.next(), f.next(), f.next(), f.next(), f.next(), f.next())
    else {
        return None;
    };
    (date.len() == 10 && is_time(time) && !component.trim().is_empty()).then_some(Entry {
        date,
        time,
        component: component.trim(),
        text,
    })
}

/// `date time pid tid component message` separated by runs of blanks.
fn split_spaces(line: &str) -> Option<Entry<'_>> {
    let date = line.get(..10)?;
    let mut rest = line.get(10..)?;
    let mut word = || {
        let r = rest.trim_start_matches([' ', '\t']);
        let end = r.find([' ', '\t']).unwrap_or(r.len());
        let (w, tail) = (r.get(..end)?, r.get(end..)?);
        rest = tail;
        (!w.is_empty()).then_some(w)
    };
    let (time, pid, tid, component) = (word()?, word()?, word()?, word()?);
    let hex = |s: &str| s.bytes().all(|c| c.is_ascii_hexdigit());
    if rest.len() == line.len() - 10 || !line.as_bytes().get(10).is_some_and(|c| *c == b' ' || *c == b'\t') {
        return None;
    }
    if !(is_time(time) && time.len() >= 12 && pid.bytes().all(|c| c.is_ascii_digit()) && hex(tid)) {
        return None;
    }
    let text = rest.trim_start_matches([' ', '\t']);
    Some(Entry { date, time, component, text })
}

/// True when the line starts like the Windows 10+ ETW-rendered log
/// (`YYYY/MM/DD hh:mm:ss.fffffff`, or `YYYY-MM-DD hh:mm:ss.fffffff`).
pub fn is_etw_line(line: &str) -> bool {
    let b = line.as_bytes();
    (starts_with_date(b, b'/') || starts_with_date(b, b'-'))
        && b.get(10) == Some(&b' ')
        && b.get(19) == Some(&b'.')
        && b.get(20).is_some_and(u8::is_ascii_digit)
        && is_time(line.get(11..19).unwrap_or(""))
}

/// Which WindowsUpdate.log format the first lines show, if any.
pub fn sniff(lines: &[String]) -> Option<LogFormat> {
    for l in lines {
        if is_etw_line(l) {
            return Some(LogFormat::WindowsUpdateEtw);
        }
        if matches!(split(l), Ok(Some(_))) {
            return Some(LogFormat::WindowsUpdate);
        }
    }
    None
}

fn time_of(e: &Entry<'_>) -> String {
    format!("{} {}", e.date, e.time.get(..8).unwrap_or(e.time))
}

fn base(line: u64, time: String, level: Level, kind: EventKind, text: &str) -> Event {
    let package = find_package(text).map(str::to_string);
    let found = if may_hold_code(text) { find_code(text) } else { None };
    Event {
        line,
        time: Some(time),
        level,
        kind,
        phase: None,
        kb: find_kb(text),
        package,
        hresult: found.map(|f| f.code),
        symbol: found.and_then(|f| f.symbol.filter(|s| !crate::codes::names(f.code, s))).map(str::to_string),
        text: clip(text, 400),
    }
}

/// The fields of a `REPORT EVENT:` line.
struct Report<'a> {
    code: Option<u32>,
    success: bool,
    category: &'a str,
    message: &'a str,
    update_id: &'a str,
}

/// Tab-separated fields, or (pasted with the tabs expanded) found by the
/// category name and the words around it.
fn report_fields(rest: &str) -> Option<Report<'_>> {
    let f: Vec<&str> = rest.split('\t').collect();
    if f.len() >= 12 {
        return Some(Report {
            code: f.get(7).and_then(|c| u32::from_str_radix(c.trim(), 16).ok()),
            success: f.get(9).map(|s| s.trim()) == Some("Success"),
            category: f.get(10).map_or("", |s| s.trim()),
            message: f.get(11).map_or("", |s| s.trim()),
            update_id: f.get(5).map_or("", |s| s.trim()),
        });
    }
    let (at, category) = ["Content Install", "Content Download"].iter().find_map(|c| rest.find(c).map(|i| (i, *c)))?;
    let before = rest.get(..at)?.trim_end();
    let message = rest.get(at + category.len()..)?.trim();
    let success = before.ends_with("Success");
    let mut guids = rest.match_indices('{').filter_map(|(i, _)| {
        let g = rest.get(i..)?;
        g.find('}').and_then(|e| g.get(..=e))
    });
    let update_id = guids.nth(1).unwrap_or("");
    let code = if success { Some(0) } else { find_code(message).map(|f| f.code) };
    Some(Report { code, success, category, message, update_id })
}

/// How one entry reads.
enum Read<'a> {
    /// A line that matters.
    Event(Event),
    /// Of no interest; `noise` when it looks like a failure, with its failure code.
    Other { noise: bool, code: Option<Found<'a>> },
}

fn report_event(line: u64, e: &Entry<'_>, rest: &str, sink: &mut dyn Sink) -> Option<Event> {
    let r = report_fields(rest)?;
    let phase = match r.category {
        "Content Install" => Some(Phase::Install),
        "Content Download" => Some(Phase::Download),
        _ => None,
    };
    let started = r.message.starts_with("Installation Started") || r.message.starts_with("Download Started");
    if started || (phase.is_none() && r.success) {
        return None;
    }
    let title = match r.message.split_once("following update") {
        Some((_, t)) => t.split_once(": ").map_or("", |(_, t)| t).trim_end_matches('.').to_string(),
        None => String::new(),
    };
    if !title.is_empty() {
        sink.version(line, VersionSource::Title, &title);
    }
    let mut ev = base(
        line,
        time_of(e),
        if r.success { Level::Info } else { Level::Error },
        EventKind::WuResult { success: r.success, title, update_id: r.update_id.to_string() },
        r.message,
    );
    ev.phase = phase;
    ev.hresult = r.code.filter(|c| *c != 0).or(ev.hresult.filter(|_| !r.success));
    ev.text = clip(&format!("{}: {}", r.category, r.message), 400);
    Some(ev)
}

/// The version after `prefix` (`7.6.7600.256`).
fn version_after<'a>(t: &'a str, prefix: &str) -> Option<&'a str> {
    let (_, r) = t.split_once(prefix)?;
    let r = r.trim_start();
    let end = r.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(r.len());
    r.get(..end).filter(|v| v.contains('.'))
}

/// Reports the versions a line shows.
fn versions(line: u64, t: &str, sink: &mut dyn Sink) {
    if finder!(b"ersion").find(t.as_bytes()).is_none() {
        return;
    }
    if let Some(v) = version_after(t, "WU client version") {
        sink.version(line, VersionSource::Agent, v);
    } else if let Some(v) = version_after(t, "Client version: Core:") {
        sink.version(line, VersionSource::Agent, v);
        if let Some(a) = version_after(t, "Aux:") {
            sink.version(line, VersionSource::AgentOther, a);
        }
    } else if let Some(v) = version_after(t, "OS Version =") {
        sink.version(line, VersionSource::OsVersion, v);
    }
}

/// The update server a line names (`Server URL = http://...`, `WSUS server: http://...`, `reporting URL = ...`).
fn update_source(t: &str) -> Option<&str> {
    let b = t.as_bytes();
    if finder!(b"URL = ").find(b).is_none() && finder!(b"WSUS server: ").find(b).is_none() {
        return None;
    }
    let (_, r) = ["Server URL = ", "WSUS server: ", "reporting URL = "].iter().find_map(|k| t.split_once(k))?;
    let url = r.split_whitespace().next()?;
    (url.starts_with("http://") || url.starts_with("https://")).then_some(url)
}

/// The message without the decoration some components put first (`  * `, `  # `).
fn bare(t: &str) -> &str {
    t.trim_start_matches([' ', '\t', '*', '#'])
}

fn phase_of(component: &str, t: &str) -> Option<Phase> {
    if component == "DnldMgr" || contains_ci(t.as_bytes(), b"download failed") {
        Some(Phase::Download)
    } else if component == "Handler" {
        Some(Phase::Install)
    } else if matches!(component, "PT" | "Setup" | "Misc" | "Agent" | "AU") {
        Some(Phase::Search)
    } else {
        None
    }
}

/// Warnings that are the failure, not noise: the server cannot be reached,
/// a download failed, the agent could not update itself.
fn warning_is_failure(component: &str, m: &str, code: u32) -> bool {
    let b = m.as_bytes();
    is_connectivity(code)
        || ["Send failed", "SendRequest", "WinHttp", "PTError", "Sync of Updates", "SyncServerUpdates"]
            .iter()
            .any(|k| m.contains(k))
        || contains_ci(b, b"download failed")
        || (component == "Setup" && contains_ci(b, b"selfupdate"))
}

fn read<'a>(line: u64, e: &Entry<'a>, sink: &mut dyn Sink) -> Read<'a> {
    let t = e.text;
    if let Some(rest) = t.strip_prefix("REPORT EVENT:") {
        return match report_event(line, e, rest, sink) {
            Some(ev) => Read::Event(ev),
            None => Read::Other { noise: false, code: None },
        };
    }
    if let Some(v) =
        finder!(b"Logging initialized").find(t.as_bytes()).and_then(|_| version_after(t, "Logging initialized (build:"))
    {
        sink.version(line, VersionSource::AgentOther, v);
        let ev = base(line, time_of(e), Level::Info, EventKind::AgentBuild { version: v.to_string() }, t);
        return Read::Event(ev);
    }
    versions(line, t, sink);
    if let Some(url) = update_source(t) {
        let ev = base(line, time_of(e), Level::Info, EventKind::UpdateSource { url: url.to_string() }, t);
        return Read::Event(ev);
    }
    let m = bare(t);
    if e.component == "Handler" {
        if let Some(p) = m.strip_prefix("CBS package identity:") {
            let mut ev = base(line, time_of(e), Level::Info, EventKind::AttemptStart, p.trim());
            ev.phase = Some(Phase::Install);
            ev.text = clip(t, 400);
            return Read::Event(ev);
        }
        if m.contains("Completed install of CBS update") {
            let level = if m.starts_with("FATAL") { Level::Fatal } else { Level::Info };
            let mut ev = base(line, time_of(e), level, EventKind::AttemptEnd, m);
            ev.phase = Some(Phase::Install);
            return Read::Event(ev);
        }
    }
    if m.starts_with("FATAL:") || m.starts_with("FATAL ") {
        let mut ev = base(line, time_of(e), Level::Fatal, EventKind::Error, m);
        ev.phase = phase_of(e.component, m);
        if ev.hresult.is_none() {
            ev.hresult = first_failure_hex(m).map(|f| f.code);
        }
        return Read::Event(ev);
    }
    let found = if may_hold_code(t) { find_code(t).filter(|f| is_failure(f.code)) } else { None };
    let warned = m.starts_with("WARNING:");
    let found = found.or_else(|| warned.then(|| first_failure_hex(m)).flatten());
    if warned {
        if let Some(f) = found.filter(|f| warning_is_failure(e.component, m, f.code)) {
            let mut ev = base(line, time_of(e), Level::Warning, EventKind::Error, m);
            ev.hresult = Some(f.code);
            ev.phase = phase_of(e.component, m);
            return Read::Event(ev);
        }
        return Read::Other { noise: true, code: found };
    }
    Read::Other { noise: found.is_some(), code: found }
}

/// Classifies a classic entry (versions and update servers the line shows
/// are not reported; [`parse_into`] reports them).
pub fn classify(line: u64, e: &Entry<'_>, noise: &mut bool) -> Option<Event> {
    let mut ignore = |_: Event| {};
    match read(line, e, &mut ignore) {
        Read::Event(ev) => Some(ev),
        Read::Other { noise: n, .. } => {
            *noise = n;
            None
        }
    }
}

fn classify_etw(line: u64, text: &str) -> Option<Event> {
    let time = text.get(..19).map(|t| t.replace('/', "-"));
    let msg = text.get(28..).unwrap_or_default().trim().trim_end_matches(['|', ' ']);
    let event = |kind, code, phase| {
        let mut ev = base(line, time.clone().unwrap_or_default(), Level::Error, kind, msg);
        ev.phase = phase;
        ev.hresult = Some(code);
        ev
    };
    let download = contains_ci(msg.as_bytes(), b"download").then_some(Phase::Download);
    if let Some((_, r)) = msg.split_once("resultMapped=") {
        let code = u32::from_str_radix(r.split([',', ' ']).next().unwrap_or_default(), 16).ok();
        return code.filter(|c| is_failure(*c)).map(|c| event(EventKind::Error, c, Some(Phase::Install)));
    }
    if let Some((_, r)) = msg.split_once("Call error code = 0x") {
        let code = u32::from_str_radix(r.get(..8).unwrap_or(r).trim(), 16).ok();
        return code
            .filter(|c| is_failure(*c))
            .map(|c| event(EventKind::AttemptEnd, c, download.or(Some(Phase::Install))));
    }
    let found = find_code(msg).filter(|f| is_failure(f.code))?;
    let failed =
        msg.contains("*FAILED*") || contains_ci(msg.as_bytes(), b"fail") || contains_ci(msg.as_bytes(), b"error");
    failed.then(|| event(EventKind::Error, found.code, download))
}

/// Streams a WindowsUpdate.log (classic or ETW-rendered), sending the events
/// that matter to `sink`. Returns the format found with the stats.
///
/// # Errors
/// [`ParseError`] with `file:line` for binary data or a line that starts with
/// a date but is not a complete entry, or when no entry appears in the first
/// 200 lines; I/O errors.
pub fn parse<R: BufRead + Send>(r: R, file: &str, sink: &mut dyn FnMut(Event)) -> Result<(LogFormat, LogStats), Error> {
    let mut s = sink;
    parse_into(r, file, &mut s)
}

/// A line a console wrapped is this long (80 columns) or one less.
const WRAP_WIDTH: usize = 79;
/// Lines scanned for versions in any text (ETW logs show the OS build in paths).
const VERSION_SCAN_LINES: u64 = 10_000;

/// The classic entry being read: its first line and its text so far.
struct Pending {
    line: u64,
    text: String,
    last_len: usize,
    active: bool,
}

/// Reads one complete classic entry.
fn entry(no: u64, text: &str, stats: &mut LogStats, scan: &mut VersionScan, sink: &mut dyn Sink) -> Result<(), ()> {
    let Some(e) = split(text)? else { return Ok(()) };
    stats.saw_time(&time_of(&e));
    if no <= VERSION_SCAN_LINES {
        scan.line(no, e.text, sink);
    }
    match read(no, &e, sink) {
        Read::Event(ev) => {
            if matches!(ev.kind, EventKind::Error | EventKind::WuResult { success: false, .. }) {
                stats.errors += 1;
            }
            sink.event(ev);
        }
        Read::Other { noise, code } => {
            if noise {
                stats.noise += 1;
            }
            if let Some(f) = code {
                let m = bare(e.text);
                let failish = contains_ci(m.as_bytes(), b"fail") || contains_ci(m.as_bytes(), b"error");
                let time = time_of(&e);
                sink.coded(&CodedLine { line: no, time: Some(&time), code: f.code, text: m, failish });
            }
        }
    }
    Ok(())
}

/// [`parse`] into a [`Sink`] that also gets the coded noise lines and the versions.
///
/// # Errors
/// As [`parse`].
pub fn parse_into<R: BufRead + Send>(r: R, file: &str, sink: &mut dyn Sink) -> Result<(LogFormat, LogStats), Error> {
    reader::threaded(r, |lines| parse_lines(lines.map_err(|e| Error::io(file, e))?, file, sink))
}

fn parse_lines(lines: &mut Batched, file: &str, sink: &mut dyn Sink) -> Result<(LogFormat, LogStats), Error> {
    let mut p = Parser {
        file,
        stats: LogStats::new(lines.encoding()),
        format: None,
        pending: Pending { line: 0, text: String::new(), last_len: 0, active: false },
        scan_build_found: false,
        scan: VersionScan::default(),
    };
    while let Some(line) = lines.next_line().map_err(|e| Error::io(file, e))? {
        p.stats.count(&line, file)?;
        let text = &line.text;
        if p.format != Some(LogFormat::WindowsUpdate) && is_etw_line(text) {
            p.etw_line(line.no, text, sink);
            continue;
        }
        if p.format == Some(LogFormat::WindowsUpdateEtw) {
            continue;
        }
        p.classic_line(line.no, text, sink)?;
    }
    p.flush(sink)?;
    p.stats.bytes = lines.bytes();
    match p.format {
        Some(f) => Ok((f, p.stats)),
        None => Err(ParseError::at(file, 1, EXPECTED).into()),
    }
}

/// The state of [`parse_into`] between lines.
struct Parser<'f> {
    file: &'f str,
    stats: LogStats,
    format: Option<LogFormat>,
    /// The classic entry being read (it may continue on wrapped lines).
    pending: Pending,
    /// Whether an ETW line already gave the OS build.
    scan_build_found: bool,
    scan: VersionScan,
}

impl Parser<'_> {
    /// Reads the pending classic entry, if any, and ends it.
    fn flush(&mut self, sink: &mut dyn Sink) -> Result<(), Error> {
        let p = &mut self.pending;
        if p.active {
            p.active = false;
            entry(p.line, &p.text, &mut self.stats, &mut self.scan, sink)
                .map_err(|()| Error::from(ParseError::at(self.file, p.line, EXPECTED)))?;
        }
        Ok(())
    }

    /// One line of an ETW-rendered log: its time, the OS build (once, early
    /// in the file) and its event.
    fn etw_line(&mut self, no: u64, text: &str, sink: &mut dyn Sink) {
        self.format = Some(LogFormat::WindowsUpdateEtw);
        if let Some(t) = text.get(..19) {
            self.stats.saw_time(&t.replace('/', "-"));
        }
        if !self.scan_build_found && no <= VERSION_SCAN_LINES {
            if let Some(v) = scan_build(text) {
                self.scan_build_found = true;
                sink.version(no, VersionSource::Build, v);
            }
        }
        if let Some(ev) = classify_etw(no, text) {
            self.stats.errors += u64::from(ev.kind == EventKind::Error);
            sink.event(ev);
        }
    }

    /// One line of a classic log: an entry's first line, a console-wrapped
    /// continuation of the pending entry, or another line (ending it).
    fn classic_line(&mut self, no: u64, text: &str, sink: &mut dyn Sink) -> Result<(), Error> {
        let file = self.file;
        if starts_with_date(text.as_bytes(), b'-') {
            self.flush(sink)?;
            if split(text).is_err() {
                return Err(ParseError::at(file, no, EXPECTED).into());
            }
            self.format = Some(LogFormat::WindowsUpdate);
            let pending = &mut self.pending;
            pending.line = no;
            pending.text.clear();
            pending.text.push_str(text);
            pending.last_len = text.chars().count();
            pending.active = true;
        } else if self.pending.active && self.pending.last_len >= WRAP_WIDTH && !text.trim().is_empty() {
            // A console wrapped the entry at 80 columns: the words continue
            // on this line (a line one column short lost the blank it ended with).
            let pending = &mut self.pending;
            if pending.last_len == WRAP_WIDTH {
                pending.text.push(' ');
            }
            pending.text.push_str(text);
            pending.last_len = text.chars().count();
        } else {
            self.flush(sink)?;
            if self.format.is_none() && no > 200 {
                return Err(ParseError::at(file, 1, EXPECTED).into());
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_event_failure() {
        let l = "2023-02-06\t11:45:33:713\t1188\t1418\tReport\tREPORT EVENT: {87F8BCEC-FE1A-47A9-886D-E56112D19E42}\t2023-02-06 11:45:28:713+0900\t1\t182\t101\t{53367D29-F57A-442B-9F49-DC50B1334BD4}\t205\t80070643\tLegacy Update\tFailure\tContent Install\tInstallation Failure: Windows failed to install the following update with error 0x80070643: April, 2017 Security and Quality Rollup for .NET Framework 2.0, 3.0, 4.5.2, 4.6 on Windows Vista SP2 and Server 2008 SP2 (KB4014984).";
        let e = split(l).unwrap().unwrap();
        let mut noise = false;
        let ev = classify(7, &e, &mut noise).unwrap();
        assert_eq!(ev.hresult, Some(0x80070643));
        assert_eq!(ev.phase, Some(Phase::Install));
        assert_eq!(ev.kb.map(|k| k.number()), Some(4014984));
        assert!(matches!(ev.kind, EventKind::WuResult { success: false, .. }));
    }

    #[test]
    fn etw_is_recognised() {
        assert!(is_etw_line("2019/06/05 11:07:50.0950566 21136   9740  Agent           LogHistory called."));
        assert!(is_etw_line("2024-04-11 12:48:07.3963405 1980  8444  WebServices     Using auto proxy settings"));
        assert!(!is_etw_line("2022-11-06\t08:22:57:447\t6032\t13a4\tMisc\tx"));
        assert!(!is_etw_line("2019-07-10 03:00:14, Info                  CBS    x"));
        assert_eq!(split("2022-11-06\t08:22"), Err(()));
    }

    #[test]
    fn collapsed_and_spaced_lines() {
        let e = split("2013-05-16 10:41:01:577 1404 10a0 AU   # WARNING: Download failed, error = 0x8024402C")
            .unwrap()
            .unwrap();
        assert_eq!((e.component, e.text), ("AU", "# WARNING: Download failed, error = 0x8024402C"));
        let mut noise = false;
        let ev = classify(3, &e, &mut noise).unwrap();
        assert_eq!((ev.hresult, ev.phase), (Some(0x8024402C), Some(Phase::Download)));
        let e =
            split("2023-02-06      11:45:33:713    1188    1418    Report  REPORT EVENT: {87F8BCEC-").unwrap().unwrap();
        assert_eq!(e.component, "Report");
        assert_eq!(split("2013-05-16 10:41:01 1404"), Err(()));
    }

    #[test]
    fn connectivity_warnings_are_failures() {
        for (l, code) in [
            ("2016-09-08\t10:48:43:109\t 848\t604\tMisc\tWARNING: Send failed with hr = 80072ee2.", 0x80072EE2),
            ("2022-11-13\t11:15:01:303\t1048\tfd4\tMisc\tWARNING: WinHttp: SendRequestUsingProxy failed for <https://www.update.microsoft.com/v11/3/legacy/windowsupdate/selfupdate/wuident.cab>. error 0x80072efe", 0x80072EFE),
        ] {
            let e = split(l).unwrap().unwrap();
            let mut noise = false;
            let ev = classify(1, &e, &mut noise).unwrap();
            assert_eq!((ev.kind, ev.hresult, ev.level), (EventKind::Error, Some(code), Level::Warning));
        }
        let e = split(
            "2020-02-12\t03:00:05:431\t 964\tad0\tAgent\tWARNING: Failed to filter search results, error = 0x8024000B",
        )
        .unwrap()
        .unwrap();
        let mut noise = false;
        assert!(classify(1, &e, &mut noise).is_none());
        assert!(noise);
    }

    #[test]
    fn wrapped_report_event_is_joined() {
        let text = "2023-02-06      11:45:33:713    1188    1418    Report  REPORT EVENT: {87F8BCEC-\nFE1A-47A9-886D-E56112D19E42}    2023-02-06 11:45:28:713+0900    1       182101{5\n3367D29-F57A-442B-9F49-DC50B1334BD4}    205     80070643        Legacy UpdateFai\nlure    Content Install Installation Failure: Windows failed to install the foll\nowing update with error 0x80070643: April, 2017 Security and Quality Rollup for\n.NET Framework 2.0, 3.0, 4.5.2, 4.6 on Windows Vista SP2 and Server 2008 SP2 (KB\n4014984).\n";
        let mut evs = Vec::new();
        parse(text.as_bytes(), "WindowsUpdate.log", &mut |e| evs.push(e)).unwrap();
        assert_eq!(evs.len(), 1);
        assert_eq!((evs[0].line, evs[0].hresult), (1, Some(0x80070643)));
        assert_eq!(evs[0].kb.map(|k| k.number()), Some(4014984));
        assert!(matches!(evs[0].kind, EventKind::WuResult { success: false, .. }));
    }
}
