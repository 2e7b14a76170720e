//! `%windir%\Logs\CBS\CheckSUR.log`, written by the System Update Readiness
//! Tool (CheckSUR, KB947821) on Windows Vista / Server 2008 and 7 / 2008 R2.
//!
//! What is read (layout from Microsoft's "Fix errors found in the
//! CheckSUR.log", KB2700601, and "error code 0x800706BE in Server Manager",
//! KB2461206, SupportArticles-docs):
//!
//! ```text
//! Checking System Update Readiness.
//! (f)  CBS MUM Missing  0x00000002  servicing\packages\Package_83_for_KB955839~31bf3856ad364e35~amd64~~6.0.1.0.mum
//! (fix) CSI Payload File Missing 0x00000000 bootmgr x86_microsoft-windows-b..re-bootmanager-pcat_...
//! Summary:
//! Seconds executed: 264
//!  Found 3 errors
//!  Fixed 1 errors
//!  CBS MUM Missing Total Count: 3
//! Unavailable repair files:
//!  servicing\packages\Package_for_KB958690~31bf3856ad364e35~amd64~~6.0.1.6.mum
//! ```
//!
//! An `(f)` line not followed by a matching `(fix)` line is damage left in
//! the store. Fields are separated by tabs or runs of spaces.
use crate::cbs::VersionScan;
use crate::event::{clip, find_kb, find_package, Event, EventKind, Level, LogStats, Sink, VersionSource};
use crate::reader::{self, Batched};
use crate::{Error, ParseError};
use std::io::BufRead;

/// The header line CheckSUR writes.
pub const HEADER: &str = "Checking System Update Readiness.";

/// True when the first lines read like a CheckSUR log (and not a CBS log,
/// where DISM writes the same header inside CBS entries).
pub fn sniff(lines: &[String]) -> bool {
    lines.iter().any(|l| {
        let t = l.trim();
        t == HEADER || t.starts_with("(f)\t") || t.starts_with("(f) ") || t.starts_with("(fix)")
    })
}

fn item(line: u64, fixed: bool, rest: &str) -> Event {
    let mut what = Vec::new();
    let mut code = None;
    let mut path = Vec::new();
    for tok in rest.split_whitespace() {
        if code.is_none() && tok.starts_with("0x") {
            code = u32::from_str_radix(tok.trim_start_matches("0x"), 16).ok().or(Some(0));
        } else if code.is_none() {
            what.push(tok);
        } else {
            path.push(tok);
        }
    }
    let path = path.join(" ");
    Event {
        line,
        time: None,
        level: if fixed { Level::Info } else { Level::Error },
        kind: EventKind::CheckSurItem { fixed, what: what.join(" "), path: clip(&path, 300) },
        phase: None,
        package: find_package(&path).map(str::to_string),
        kb: find_kb(&path),
        hresult: code.filter(|c| *c != 0),
        symbol: None,
        text: clip(rest.trim(), 400),
    }
}

fn count(t: &str, prefix: &str, suffix: &str) -> Option<u32> {
    t.strip_prefix(prefix)?.strip_suffix(suffix)?.trim().parse().ok()
}

/// Streams a CheckSUR log, sending its items, summary and unavailable repair
/// files to `sink`.
///
/// # Errors
/// [`ParseError`] with `file:line` for binary data, or when neither the
/// header nor an `(f)` line appears; I/O errors.
pub fn parse<R: BufRead + Send>(r: R, file: &str, sink: &mut dyn FnMut(Event)) -> Result<LogStats, Error> {
    let mut s = sink;
    parse_into(r, file, &mut s)
}

/// [`parse`] into a [`Sink`] that also gets the versions (`Binary Version`,
/// component and package versions of the items).
///
/// # Errors
/// As [`parse`].
pub fn parse_into<R: BufRead + Send>(r: R, file: &str, sink: &mut dyn Sink) -> Result<LogStats, Error> {
    reader::threaded(r, |lines| parse_lines(lines.map_err(|e| Error::io(file, e))?, file, sink))
}

fn parse_lines(lines: &mut Batched, file: &str, sink: &mut dyn Sink) -> Result<LogStats, Error> {
    let mut p = Parser { stats: LogStats::new(lines.encoding()), ..Parser::default() };
    while let Some(line) = lines.next_line().map_err(|e| Error::io(file, e))? {
        p.stats.count(&line, file)?;
        let t = line.text.trim();
        if !t.is_empty() {
            p.line(line.no, t, sink);
        }
    }
    if !p.recognised {
        return Err(
            ParseError::at(file, 1, "a CheckSUR.log (`Checking System Update Readiness.` or `(f)` lines)").into()
        );
    }
    let (found, fixed) = (p.found, p.fixed);
    if found.is_some() || fixed.is_some() {
        sink.event(Event {
            line: p.summary_line,
            time: None,
            level: Level::Info,
            kind: EventKind::CheckSurSummary { found, fixed },
            phase: None,
            package: None,
            kb: None,
            hresult: None,
            symbol: None,
            text: format!("Found {} errors, fixed {}", found.unwrap_or(0), fixed.unwrap_or(0)),
        });
    }
    p.stats.bytes = lines.bytes();
    Ok(p.stats)
}

/// The state of [`parse_into`] between lines.
struct Parser {
    stats: LogStats,
    scan: VersionScan,
    recognised: bool,
    in_unavailable: bool,
    found: Option<u32>,
    fixed: Option<u32>,
    summary_line: u64,
}

impl Default for Parser {
    fn default() -> Parser {
        Parser {
            stats: LogStats::new(crate::reader::Encoding::Utf8),
            scan: VersionScan::default(),
            recognised: false,
            in_unavailable: false,
            found: None,
            fixed: None,
            summary_line: 0,
        }
    }
}

impl Parser {
    /// One non-blank line, trimmed.
    fn line(&mut self, no: u64, t: &str, sink: &mut dyn Sink) {
        if let Some(v) = t.strip_prefix("Binary Version") {
            sink.version(no, VersionSource::ToolBuild, v.trim());
            return;
        }
        self.scan.line(no, t, sink);
        if t == HEADER {
            self.recognised = true;
            self.in_unavailable = false;
        } else if let Some(rest) = t.strip_prefix("(fix)") {
            self.recognised = true;
            sink.event(item(no, true, rest));
        } else if let Some(rest) = t.strip_prefix("(f)") {
            self.recognised = true;
            self.stats.errors += 1;
            sink.event(item(no, false, rest));
        } else if t == "Summary:" {
            self.summary_line = no;
            self.in_unavailable = false;
        } else if let Some(n) = count(t, "Found", "errors") {
            self.found = Some(n);
            self.summary_line = self.summary_line.max(1);
        } else if let Some(n) = count(t, "Fixed", "errors").or_else(|| count(t, "Fix", "errors")) {
            self.fixed = Some(n);
        } else if t.starts_with("Unavailable repair files") {
            self.in_unavailable = true;
        } else if self.in_unavailable && (t.contains('\\') || t.contains('~')) && !t.contains(':') {
            sink.event(Event {
                line: no,
                time: None,
                level: Level::Error,
                kind: EventKind::UnavailableRepairFile { path: clip(t, 300) },
                phase: None,
                package: find_package(t).map(str::to_string),
                kb: find_kb(t),
                hresult: None,
                symbol: None,
                text: clip(t, 400),
            });
        } else {
            self.in_unavailable = false;
        }
    }
}
