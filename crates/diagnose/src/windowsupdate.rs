//! `%windir%\WindowsUpdate.log`, streamed line by line.
//!
//! The classic log that Windows Server 2008 writes (Windows Update Agent 7.x):
//! tab-separated `date \t time \t pid \t tid \t component \t message`, e.g.
//! `2022-11-06\t08:22:57:447\t6032\t13a4\tMisc\t===========  Logging initialized (build: 7.6.7600.311, tz: -0500)  ===========`
//! (pid may be space-padded, ` 704`). Results are the `Report` component's
//! `REPORT EVENT:` lines whose tab-separated fields carry the event id, the
//! update id, the result code (hex without `0x`), the client, `Success` or
//! `Failure`, the category (`Content Download`, `Content Install`, ...) and a
//! message such as `Installation Failure: Windows failed to install the
//! following update with error 0x80070643: <title> (KB4014984).`
//! (modelled on LegacyUpdate/LegacyUpdate issue #115, a Vista SP2 log).
//! `FATAL:` lines are errors; `WARNING:` lines (e.g. `WARNING: Failed to filter
//! search results, error = 0x8024000B`, LegacyUpdate issue #8 on Server 2008
//! SP2) are counted as noise.
//!
//! The Windows 10+ log (`Get-WindowsUpdateLog`, rendered from ETW:
//! `2019/06/05 11:07:50.0950566 21136   9740  Agent  ...`) is recognised as
//! [`LogFormat::WindowsUpdateEtw`]; its install results (`resultMapped=`,
//! `Call error code = 0x...`) are read too, so the report can say what failed,
//! but the log is not from Windows Server 2008.
use crate::cbs::starts_with_date;
use crate::codes::is_failure;
use crate::event::{clip, find_hresult, find_kb, find_package, Event, EventKind, Level, LogFormat, LogStats, Phase};
use crate::reader::Lines;
use crate::ParseError;
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
#[allow(clippy::result_unit_err)]
pub fn split(line: &str) -> Result<Option<Entry<'_>>, ()> {
    if !starts_with_date(line.as_bytes(), b'-') {
        return Ok(None);
    }
    let mut f = line.splitn(6, '\t');
    let (Some(date), Some(time), Some(_pid), Some(_tid), Some(component), Some(text)) =
        (f.next(), f.next(), f.next(), f.next(), f.next(), f.next())
    else {
        return Err(());
    };
    if date.len() != 10 || !is_time(time) || component.trim().is_empty() {
        return Err(());
    }
    Ok(Some(Entry { date, time, component: component.trim(), text }))
}

/// True when the line starts like the Windows 10+ ETW-rendered log
/// (`YYYY/MM/DD hh:mm:ss.fffffff`).
pub fn is_etw_line(line: &str) -> bool {
    let b = line.as_bytes();
    starts_with_date(b, b'/')
        && b.get(10) == Some(&b' ')
        && b.get(19) == Some(&b'.')
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
    Event {
        line,
        time: Some(time),
        level,
        kind,
        phase: None,
        kb: find_kb(text),
        package,
        hresult: find_hresult(text),
        text: clip(text, 400),
    }
}

/// Classifies a classic entry.
pub fn classify(line: u64, e: &Entry<'_>, noise: &mut bool) -> Option<Event> {
    let t = e.text;
    if let Some(rest) = t.strip_prefix("REPORT EVENT:") {
        let f: Vec<&str> = rest.split('\t').collect();
        let code = f.get(7).and_then(|c| u32::from_str_radix(c.trim(), 16).ok());
        let success = f.get(9).map(|s| s.trim()) == Some("Success");
        let category = f.get(10).map_or("", |s| s.trim());
        let message = f.get(11).map_or("", |s| s.trim());
        let phase = match category {
            "Content Install" => Some(Phase::Install),
            "Content Download" => Some(Phase::Download),
            _ => None,
        };
        if phase.is_none() && success {
            return None;
        }
        let title = match message.split_once("following update") {
            Some((_, r)) => r.split_once(": ").map_or("", |(_, t)| t).trim_end_matches('.').to_string(),
            None => String::new(),
        };
        let update_id = f.get(5).map_or("", |s| s.trim()).to_string();
        let mut ev = base(
            line,
            time_of(e),
            if success { Level::Info } else { Level::Error },
            EventKind::WuResult { success, title, update_id },
            message,
        );
        ev.phase = phase;
        ev.hresult = code.filter(|c| *c != 0).or(ev.hresult.filter(|_| !success));
        ev.text = clip(&format!("{category}: {message}"), 400);
        return Some(ev);
    }
    if let Some(rest) = t.split_once("Logging initialized (build: ").map(|(_, r)| r) {
        let version = rest.split([',', ')', ' ']).next().unwrap_or_default().to_string();
        return Some(base(line, time_of(e), Level::Info, EventKind::AgentBuild { version }, t));
    }
    let trimmed = t.trim_start();
    if trimmed.starts_with("FATAL:") || trimmed.starts_with("FATAL ") {
        return Some(base(line, time_of(e), Level::Fatal, EventKind::Error, trimmed));
    }
    if trimmed.starts_with("WARNING:") || (t.contains("0x8") && find_hresult(t).is_some_and(is_failure)) {
        *noise = true;
    }
    None
}

fn classify_etw(line: u64, text: &str) -> Option<Event> {
    let time = text.get(..19).map(|t| t.replace('/', "-"));
    let msg = text.get(28..).unwrap_or_default().trim().trim_end_matches(['|', ' ']);
    if let Some((_, r)) = msg.split_once("resultMapped=") {
        let code = u32::from_str_radix(r.split([',', ' ']).next().unwrap_or_default(), 16).ok();
        if code.is_some_and(is_failure) {
            let mut ev = base(line, time.unwrap_or_default(), Level::Error, EventKind::Error, msg);
            ev.phase = Some(Phase::Install);
            ev.hresult = code;
            return Some(ev);
        }
    }
    if let Some((_, r)) = msg.split_once("Call error code = 0x") {
        let code = u32::from_str_radix(r.get(..8).unwrap_or(r).trim(), 16).ok();
        if code.is_some_and(is_failure) {
            let mut ev = base(line, time.unwrap_or_default(), Level::Error, EventKind::AttemptEnd, msg);
            ev.phase = Some(Phase::Install);
            ev.hresult = code;
            return Some(ev);
        }
    }
    None
}

/// Streams a WindowsUpdate.log (classic or ETW-rendered), sending the events
/// that matter to `sink`. Returns the format found with the stats.
///
/// # Errors
/// [`ParseError`] with `file:line` for binary data or a line that starts with
/// a date but is not a complete entry, or when no entry appears in the first
/// 200 lines; I/O errors.
pub fn parse<R: BufRead>(r: R, file: &str, sink: &mut dyn FnMut(Event)) -> Result<(LogFormat, LogStats), ParseError> {
    let mut lines = Lines::new(r).map_err(|e| ParseError::io(file, e))?;
    let mut stats = LogStats::new(lines.encoding());
    let mut format: Option<LogFormat> = None;
    while let Some(line) = lines.next_line().map_err(|e| ParseError::io(file, e))? {
        stats.lines = line.no;
        if line.cut {
            stats.cut_lines += 1;
        }
        if line.binary {
            return Err(ParseError::at(file, line.no, "text, found binary data (NUL bytes)"));
        }
        let text = &line.text;
        if format != Some(LogFormat::WindowsUpdate) && is_etw_line(text) {
            format = Some(LogFormat::WindowsUpdateEtw);
            if let Some(t) = text.get(..19) {
                stats.saw_time(&t.replace('/', "-"));
            }
            if let Some(ev) = classify_etw(line.no, text) {
                stats.errors += 1;
                sink(ev);
            }
            continue;
        }
        if format == Some(LogFormat::WindowsUpdateEtw) {
            continue;
        }
        match split(text) {
            Ok(Some(e)) => {
                format = Some(LogFormat::WindowsUpdate);
                stats.saw_time(&time_of(&e));
                let mut noise = false;
                if let Some(ev) = classify(line.no, &e, &mut noise) {
                    if matches!(ev.kind, EventKind::Error)
                        || matches!(ev.kind, EventKind::WuResult { success: false, .. })
                    {
                        stats.errors += 1;
                    }
                    sink(ev);
                } else if noise {
                    stats.noise += 1;
                }
            }
            Ok(None) => {
                if format.is_none() && line.no > 200 {
                    return Err(ParseError::at(file, 1, EXPECTED));
                }
            }
            Err(()) => return Err(ParseError::at(file, line.no, EXPECTED)),
        }
    }
    stats.bytes = lines.bytes();
    match format {
        Some(f) => Ok((f, stats)),
        None => Err(ParseError::at(file, 1, EXPECTED)),
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
        assert!(!is_etw_line("2022-11-06\t08:22:57:447\t6032\t13a4\tMisc\tx"));
        assert_eq!(split("2022-11-06\t08:22"), Err(()));
    }
}
