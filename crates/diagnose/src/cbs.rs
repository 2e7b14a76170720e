//! `CBS.log` and `CbsPersist_*.log` (`%windir%\Logs\CBS\`), streamed line by line.
//!
//! Every entry starts `YYYY-MM-DD hh:mm:ss, Level<spaces>Component<spaces>message`
//! (`2009-06-11 13:33:08, Error                 CBS    SPI: ...`); a line that
//! does not start with a time stamp continues the previous entry (CBS wraps
//! some messages, e.g. `[HRESULT =` then `0x800f0922 - CBS_E_INSTALLERS_FAILED]`).
//! A line that starts like a time stamp but is not a complete entry header is
//! a format error (`file:line: expected ...`), as is binary data.
//!
//! Harmless noise, learnt from real logs (see `tests/fixtures/cbs/README.md`):
//! `Info`/`Warning` lines that say `Failed ...` or carry a failure HRESULT
//! (SQM upload failures `E_FAIL`, `CBS_E_MANIFEST_INVALID_ITEM` while reading
//! manifests, `Failed to internally open package` `CBS_E_INVALID_PACKAGE`
//! while enumerating, `Failed to create backup log cab`, `Warning: Unrecognized
//! packageExtended attribute`) are counted as noise, never reported as the
//! failure. Only `Error`-level lines, the outcome of a package operation
//! (`Exec: Processing complete`), the store-corruption flag, startup
//! processing failures and `pending.xml` failures are emitted.
use crate::codes::is_failure;
use crate::event::{
    clip, find_kb, find_package, CodedLine, Event, EventKind, Level, LogStats, Phase, Sink, VersionSource,
};
use crate::hresult::{contains_ci, find_code, finder, has_0x, Found};
use crate::reader::{self, Batched};
use crate::version::scan_build;
use crate::{Error, ParseError};
use std::io::BufRead;

/// The parts of an entry header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry<'a> {
    /// `YYYY-MM-DD hh:mm:ss`.
    pub time: &'a str,
    /// `Info`, `Warning`, `Error`, ...
    pub level: &'a str,
    /// `CBS`, `CSI`, ...
    pub component: &'a str,
    /// The message.
    pub text: &'a str,
}

/// How a line reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape<'a> {
    /// An entry header with its message.
    Entry(Entry<'a>),
    /// Not a time stamp: continues the previous entry.
    Continuation,
    /// Empty or white space.
    Blank,
    /// Starts like a time stamp but is not a complete header.
    Malformed,
}

/// What a well-formed line looks like (for error messages).
pub const EXPECTED: &str = "a CBS.log entry `YYYY-MM-DD hh:mm:ss, Level Component message`";

fn digits(b: &[u8], range: std::ops::Range<usize>) -> bool {
    b.get(range).is_some_and(|s| s.iter().all(u8::is_ascii_digit))
}

/// True when the line starts with `YYYY-MM-DD` or `YYYY/MM/DD`.
pub(crate) fn starts_with_date(b: &[u8], sep: u8) -> bool {
    digits(b, 0..4) && b.get(4) == Some(&sep) && digits(b, 5..7) && b.get(7) == Some(&sep) && digits(b, 8..10)
}

/// The first blank-separated word of `s` and what follows it. A plain loop:
/// the words of a header are a few bytes long, shorter than a vectorised
/// search needs to pay off.
fn word(s: &str) -> (&str, &str) {
    let b = s.as_bytes();
    let blank = |c: &u8| *c == b' ' || *c == b'\t';
    let from = b.iter().position(|c| !blank(c)).unwrap_or(b.len());
    let len = b.get(from..).map_or(0, |r| r.iter().position(blank).unwrap_or(r.len()));
    match (s.get(from..from + len), s.get(from + len..)) {
        (Some(w), Some(rest)) => (w, rest),
        _ => ("", ""),
    }
}

/// Splits a line into its header parts.
pub fn shape(line: &str) -> Shape<'_> {
    let b = line.as_bytes();
    if !starts_with_date(b, b'-') {
        return if line.trim().is_empty() { Shape::Blank } else { Shape::Continuation };
    }
    let ok = b.get(10) == Some(&b' ')
        && digits(b, 11..13)
        && b.get(13) == Some(&b':')
        && digits(b, 14..16)
        && b.get(16) == Some(&b':')
        && digits(b, 17..19)
        && b.get(19) == Some(&b',');
    if !ok {
        return Shape::Malformed;
    }
    let rest = line.get(20..).unwrap_or_default();
    let (level, rest) = word(rest);
    let (component, rest) = word(rest);
    if level.is_empty() || component.is_empty() || !level.bytes().all(|c| c.is_ascii_alphabetic()) {
        return Shape::Malformed;
    }
    let skip = rest.bytes().take_while(|c| *c == b' ' || *c == b'\t').count();
    let text = rest.get(skip..).unwrap_or_default();
    Shape::Entry(Entry { time: line.get(..19).unwrap_or_default(), level, component, text })
}

/// True when the first lines read like a CBS log.
pub fn sniff(lines: &[String]) -> bool {
    lines.iter().any(|l| matches!(shape(l), Shape::Entry(e) if e.component.len() <= 8 && e.component.bytes().all(|c| c.is_ascii_uppercase())))
}

fn level_of(s: &str) -> Level {
    match s {
        "Error" => Level::Error,
        "Warning" => Level::Warning,
        _ => Level::Info,
    }
}

fn phase_of(text: &str) -> Option<Phase> {
    let b = text.as_bytes();
    if contains_ci(b, b"rollback") || contains_ci(b, b"rolling back") || contains_ci(b, b"roll back") {
        Some(Phase::Rollback)
    } else if contains_ci(b, b"startup") {
        Some(Phase::CommitAtReboot)
    } else {
        None
    }
}

/// The code an entry's message shows ([`find_code`]), found ahead where
/// the parser will look for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Scan<'a> {
    text: &'a str,
    /// `None` when not looked for yet.
    code: Option<Option<Found<'a>>>,
    /// The message holds `0x` (Info and Warning lines print their codes so).
    has_0x: bool,
}

impl<'a> Scan<'a> {
    /// The scan of an entry: the code is looked for where [`read`] needs it
    /// whatever the line says (an `Error` line, or one that holds `0x`).
    fn of(e: &Entry<'a>) -> Scan<'a> {
        let has_0x = has_0x(e.text);
        let code = (has_0x || e.level == "Error").then(|| find_code(e.text));
        Scan { text: e.text, code, has_0x }
    }

    fn code(&self) -> Option<Found<'a>> {
        self.code.unwrap_or_else(|| find_code(self.text))
    }
}

/// A byte range of a line.
type Span = (u32, u32);

fn span_in(outer: &str, inner: &str) -> Span {
    let start = (inner.as_ptr() as usize).saturating_sub(outer.as_ptr() as usize);
    let start = u32::try_from(start).unwrap_or(u32::MAX);
    (start, start.saturating_add(u32::try_from(inner.len()).unwrap_or(u32::MAX)))
}

fn at_span(s: &str, (a, b): Span) -> Option<&str> {
    s.get(usize::try_from(a).ok()?..usize::try_from(b).ok()?)
}

/// [`shape`] as offsets into the line.
#[derive(Debug, Clone, Copy, Default)]
enum PreShape {
    #[default]
    Blank,
    Continuation,
    Malformed,
    Entry {
        level: Span,
        component: Span,
        text: u32,
    },
}

/// A [`Found`] code as offsets into the message: code, symbol, form, offset.
type PreCode = (u32, Option<Span>, crate::hresult::Form, u32);

/// What the reading thread works out of a line before the parser reads it
/// ([`shape`] and, for an entry, its message's [`Scan`]), as offsets into
/// the line: pure functions of the line, so computing them ahead on
/// another thread gives the same answers.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Pre {
    shape: PreShape,
    /// `None` when not looked for; else the code, its symbol, form and offset.
    code: Option<Option<PreCode>>,
    has_0x: bool,
}

impl Pre {
    /// Works a line out (run by the reading thread).
    pub(crate) fn of(line: &str) -> Pre {
        let e = match shape(line) {
            Shape::Entry(e) => e,
            Shape::Continuation => return Pre { shape: PreShape::Continuation, ..Pre::default() },
            Shape::Malformed => return Pre { shape: PreShape::Malformed, ..Pre::default() },
            Shape::Blank => return Pre::default(),
        };
        let sc = Scan::of(&e);
        let text_at = span_in(line, e.text).0;
        let in_text = |s: &str| span_in(e.text, s);
        Pre {
            shape: PreShape::Entry {
                level: span_in(line, e.level),
                component: span_in(line, e.component),
                text: text_at,
            },
            code: sc
                .code
                .map(|c| c.map(|f| (f.code, f.symbol.map(in_text), f.form, u32::try_from(f.at).unwrap_or(u32::MAX)))),
            has_0x: sc.has_0x,
        }
    }

    /// The line's shape, back from the offsets: an entry with its message's
    /// scan, or the shape of a line that is no entry.
    fn read<'a>(&self, line: &'a str) -> Result<(Entry<'a>, Scan<'a>), Shape<'a>> {
        let PreShape::Entry { level, component, text } = self.shape else {
            return Err(match self.shape {
                PreShape::Continuation => Shape::Continuation,
                PreShape::Malformed => Shape::Malformed,
                _ => Shape::Blank,
            });
        };
        let msg = line.get(usize::try_from(text).unwrap_or(usize::MAX)..).unwrap_or_default();
        let entry = Entry {
            time: line.get(..19).unwrap_or_default(),
            level: at_span(line, level).unwrap_or_default(),
            component: at_span(line, component).unwrap_or_default(),
            text: msg,
        };
        let scan = Scan {
            text: msg,
            code: self.code.map(|c| {
                c.map(|(code, symbol, form, at)| Found {
                    code,
                    symbol: symbol.and_then(|s| at_span(msg, s)),
                    form,
                    at: usize::try_from(at).unwrap_or(usize::MAX),
                })
            }),
            has_0x: self.has_0x,
        };
        Ok((entry, scan))
    }
}

fn event(line: u64, e: &Entry<'_>, sc: &Scan<'_>, kind: EventKind, phase: Option<Phase>) -> Event {
    let package = find_package(e.text).map(str::to_string);
    let kb = package.as_deref().and_then(find_kb).or_else(|| find_kb(e.text));
    let found = sc.code();
    Event {
        line,
        time: Some(e.time.to_string()),
        level: level_of(e.level),
        kind,
        phase: phase.or_else(|| phase_of(e.text)),
        package,
        kb,
        hresult: found.map(|f| f.code),
        symbol: found.and_then(|f| f.symbol.filter(|s| !crate::codes::names(f.code, s))).map(str::to_string),
        text: clip(e.text, 400),
    }
}

/// Failure codes that block servicing whatever the level of the line that
/// shows them: `ERROR_FAIL_REBOOT_REQUIRED` (0x80070BC9, pending operations;
/// CBS logs it at Info level, e.g. `Failed to get transaction analysis
/// because of pending operations`).
const BLOCKING: [u32; 1] = [0x8007_0BC9];

/// Error-level lines known to be harmless: the event log is not reachable
/// while CBS reports (`Failed Open Eventlog: Application [HRESULT = 0x800706ba - RPC_S_SERVER_UNAVAILABLE]`).
const HARMLESS_ERRORS: [&str; 1] = ["Failed Open Eventlog"];

/// How one entry reads.
enum Read<'a> {
    /// A line that matters.
    Event(Event),
    /// Harmless, or a line of no interest; `noise` when it looks like a
    /// failure, with the failure code it carries.
    Other { noise: bool, code: Option<Found<'a>> },
}

fn failish(t: &str) -> bool {
    contains_ci(t.as_bytes(), b"fail") || contains_ci(t.as_bytes(), b"error")
}

/// The entries told by how they start (`Loaded Servicing Stack`, `Session:`,
/// `Exec:`, `WER:`, `Mark store corruption`, `Store corruption,`), looked up
/// by their first byte.
fn lead<'a>(line: u64, e: &Entry<'a>, sc: &Scan<'a>) -> Option<Read<'a>> {
    let t = e.text;
    let ev = |kind, phase| Some(Read::Event(event(line, e, sc, kind, phase)));
    match t.as_bytes().first()? {
        b'L' => {
            let version = t.strip_prefix("Loaded Servicing Stack v")?.split_whitespace().next()?.to_string();
            ev(EventKind::ServicingStack { version }, None)
        }
        b'S' if t.starts_with("Session:") => session(line, e, sc),
        b'S' if t.starts_with("Store corruption,") => ev(EventKind::StoreCorruptionFlag, None),
        b'E' if t.starts_with("Exec: Processing started.") || t.starts_with("Exec: Session processing started.") => {
            ev(EventKind::AttemptStart, Some(Phase::Install))
        }
        b'E' if t.strip_prefix("Exec: Processing complete").is_some_and(|r| r.starts_with(['.', ','])) => {
            ev(EventKind::AttemptEnd, Some(Phase::Install))
        }
        b'W' if t.starts_with("WER: Generating failure report for package") => {
            ev(EventKind::FailureReport, Some(Phase::Install))
        }
        b'M' if t.starts_with("Mark store corruption flag") => ev(EventKind::StoreCorruptionFlag, None),
        _ => None,
    }
}

/// `Session: ... initialized by client X` / `Session: ... finalized. Reboot required: yes`.
fn session<'a>(line: u64, e: &Entry<'a>, sc: &Scan<'a>) -> Option<Read<'a>> {
    let t = e.text;
    let b = t.as_bytes();
    if let Some(i) = finder!(b"initialized by client ").find(b) {
        let client = t.get(i + 22..).unwrap_or_default().trim_end_matches('.').trim().to_string();
        // Session lines name no package, KB or code: no need to look.
        return Some(Read::Event(Event {
            line,
            time: Some(e.time.to_string()),
            level: level_of(e.level),
            kind: EventKind::SessionStart { client },
            phase: None,
            package: None,
            kb: None,
            hresult: None,
            symbol: None,
            text: clip(t, 400),
        }));
    }
    let i = finder!(b"finalized. Reboot required: ").find(b)?;
    let reboot_required = t.get(i + 28..).is_some_and(|r| r.starts_with("yes"));
    Some(Read::Event(event(line, e, sc, EventKind::SessionFinalized { reboot_required }, None)))
}

fn read<'a>(line: u64, e: &Entry<'a>, sc: &Scan<'a>) -> Read<'a> {
    if let Some(r) = lead(line, e, sc) {
        return r;
    }
    let t = e.text;
    let is_error = e.level == "Error";
    // Info and Warning lines print their codes as `0x...`; bare and symbolic forms are on Error lines.
    let found = if is_error || sc.has_0x { sc.code() } else { None };
    let failed_hr = found.is_some_and(|f| is_failure(f.code));
    if is_error && HARMLESS_ERRORS.iter().any(|h| t.starts_with(h)) {
        return Read::Other { noise: true, code: None };
    }
    if (is_error || failed_hr) && contains_ci(t.as_bytes(), b"pending.xml") {
        return Read::Event(event(line, e, sc, EventKind::PendingXml, None));
    }
    if is_error {
        return Read::Event(event(line, e, sc, EventKind::Error, None));
    }
    if failed_hr && t.starts_with("Startup:") {
        let mut ev = event(line, e, sc, EventKind::Error, Some(Phase::CommitAtReboot));
        ev.level = Level::Info;
        return Read::Event(ev);
    }
    if found.is_some_and(|f| BLOCKING.contains(&f.code)) && failish(t) {
        return Read::Event(event(line, e, sc, EventKind::Error, None));
    }
    let b = t.as_bytes();
    let noise = failed_hr
        || finder!(b"Failed").find(b).is_some()
        || finder!(b"failed").find(b).is_some()
        || t.starts_with("Warning:");
    Read::Other { noise, code: found.filter(|f| is_failure(f.code)) }
}

/// Classifies one entry: `Some(event)` for the lines that matter, `None`
/// otherwise; `noise` is set for harmless failure-looking lines.
pub fn classify(line: u64, e: &Entry<'_>, noise: &mut bool) -> Option<Event> {
    match read(line, e, &Scan::of(e)) {
        Read::Event(ev) => Some(ev),
        Read::Other { noise: n, .. } => {
            *noise = n;
            None
        }
    }
}

/// Lines read for versions in any text (component and package versions)
/// before only the entries that matter are; the versions a log shows are
/// near its start (every TrustedInstaller start logs the servicing stack).
const VERSION_SCAN_LINES: u64 = 10_000;

/// Reports the component/package versions a line shows, once per kind.
#[derive(Default)]
pub(crate) struct VersionScan {
    build: bool,
    package: bool,
}

impl VersionScan {
    /// A package identity's version, until one is found.
    pub(crate) fn package(&mut self, no: u64, package: &str, sink: &mut dyn Sink) {
        if !self.package {
            if let Some(v) = package.rsplit('~').next().filter(|v| !v.is_empty()) {
                self.package = true;
                sink.version(no, VersionSource::Package, v);
            }
        }
    }

    pub(crate) fn line(&mut self, no: u64, text: &str, sink: &mut dyn Sink) {
        if !self.build {
            if let Some(v) = scan_build(text) {
                self.build = true;
                sink.version(no, VersionSource::Build, v);
            }
        }
        if !self.package {
            if let Some(v) = find_package(text).and_then(|p| p.rsplit('~').next()).filter(|v| !v.is_empty()) {
                self.package = true;
                sink.version(no, VersionSource::Package, v);
            }
        }
    }
}

/// Streams a CBS log, sending the events that matter to `sink`.
///
/// # Errors
/// [`ParseError`] with `file:line` for binary data or a malformed entry
/// header, or when no CBS entry appears in the first 200 lines; I/O errors.
pub fn parse<R: BufRead + Send>(r: R, file: &str, sink: &mut dyn FnMut(Event)) -> Result<LogStats, Error> {
    let mut s = sink;
    parse_into(r, file, &mut s)
}

/// [`parse`] into a [`Sink`] that also gets the coded noise lines and the versions.
///
/// # Errors
/// As [`parse`].
pub fn parse_into<R: BufRead + Send>(r: R, file: &str, sink: &mut dyn Sink) -> Result<LogStats, Error> {
    reader::threaded_with(r, Pre::of, |lines| parse_lines(lines.map_err(|e| Error::io(file, e))?, file, sink))
}

fn parse_lines(lines: &mut Batched<Pre>, file: &str, sink: &mut dyn Sink) -> Result<LogStats, Error> {
    let mut p = Parser {
        stats: LogStats::new(lines.encoding()),
        pending: None,
        seen_entry: false,
        scan: VersionScan::default(),
    };
    while let Some((line, pre)) = lines.next_with().map_err(|e| Error::io(file, e))? {
        p.stats.count(&line, file)?;
        match pre.read(&line.text) {
            Ok((e, scan)) => p.entry(line.no, &e, &scan, sink),
            Err(Shape::Continuation) => {
                if !p.seen_entry && line.no > 200 {
                    return Err(ParseError::at(file, 1, EXPECTED).into());
                }
                p.continuation(line.no, &line.text, sink);
            }
            Err(Shape::Malformed) => return Err(ParseError::at(file, line.no, EXPECTED).into()),
            // Blank (`read` gives an entry as `Ok`).
            Err(Shape::Blank | Shape::Entry(_)) => {}
        }
    }
    if let Some(ev) = p.pending.take() {
        sink.event(ev);
    }
    if !p.seen_entry {
        return Err(ParseError::at(file, 1, EXPECTED).into());
    }
    p.stats.bytes = lines.bytes();
    Ok(p.stats)
}

/// The state of [`parse_into`] between lines.
struct Parser {
    stats: LogStats,
    /// An entry without a code, waiting for a wrapped `[HRESULT =` continuation.
    pending: Option<Event>,
    seen_entry: bool,
    scan: VersionScan,
}

impl Parser {
    fn entry(&mut self, no: u64, e: &Entry<'_>, sc: &Scan<'_>, sink: &mut dyn Sink) {
        self.seen_entry = true;
        if let Some(p) = self.pending.take() {
            sink.event(p);
        }
        self.stats.saw_time(e.time);
        let early = no <= VERSION_SCAN_LINES;
        if early {
            self.scan.line(no, e.text, sink);
        }
        match read(no, e, sc) {
            Read::Event(ev) => {
                if let EventKind::ServicingStack { version } = &ev.kind {
                    sink.version(no, VersionSource::ServicingStack, version);
                }
                if let Some(p) = ev.package.as_deref().filter(|_| !early) {
                    self.scan.package(no, p, sink);
                }
                if ev.kind == EventKind::Error {
                    self.stats.errors += 1;
                }
                if ev.hresult.is_some() {
                    sink.event(ev);
                } else {
                    self.pending = Some(ev);
                }
            }
            Read::Other { noise, code } => {
                if noise {
                    self.stats.noise += 1;
                }
                if let Some(f) = code.filter(|_| noise) {
                    let failish = failish(e.text);
                    sink.coded(&CodedLine { line: no, time: Some(e.time), code: f.code, text: e.text, failish });
                }
            }
        }
    }

    fn continuation(&mut self, no: u64, text: &str, sink: &mut dyn Sink) {
        if no <= VERSION_SCAN_LINES {
            self.scan.line(no, text, sink);
        }
        let t = text.trim();
        // A wrapped `[HRESULT =` / `0x800f0922 - SYMBOL]`; never a `[gle=...]` continuation.
        if let Some(p) = self.pending.as_mut().filter(|p| p.hresult.is_none() && t.starts_with("0x")) {
            if let Some(f) = find_code(&format!("hr {t}")) {
                p.hresult = Some(f.code);
                p.symbol = f.symbol.map(str::to_string);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        let l = "2016-09-28 04:30:31, Info                  CBS    SQM: Failed to start standard sample upload. [HRESULT = 0x80004005 - E_FAIL]";
        let Shape::Entry(e) = shape(l) else { panic!("not an entry") };
        assert_eq!(e.time, "2016-09-28 04:30:31");
        assert_eq!(e.level, "Info");
        assert_eq!(e.component, "CBS");
        assert!(e.text.starts_with("SQM:"));
        assert_eq!(shape("2009-06-11 13:3"), Shape::Malformed);
        assert_eq!(shape("2009-06-11 13:33:08,"), Shape::Malformed);
        assert_eq!(shape("0x800f0922 - CBS_E_INSTALLERS_FAILED]"), Shape::Continuation);
        assert_eq!(shape("   "), Shape::Blank);
    }

    #[test]
    fn noise_is_not_emitted() {
        let mut noise = false;
        let l = "2016-09-28 04:30:31, Info                  CBS    Failed to get next element [HRESULT = 0x800f080d - CBS_E_MANIFEST_INVALID_ITEM]";
        let Shape::Entry(e) = shape(l) else { panic!("not an entry") };
        assert_eq!(classify(1, &e, &mut noise), None);
        assert!(noise);
    }

    use proptest::strategy::Strategy;

    proptest::proptest! {
        /// The reading thread's offsets give back the shape and the scan the
        /// parse thread would have computed from the line itself.
        #[test]
        fn pre_reads_back_what_the_line_gives(parts in proptest::collection::vec(proptest::prop_oneof![
            proptest::sample::select(vec![
                "2019-07-10 03:00:21, ",
                "Error",
                "Info",
                "  \t ",
                "CBS    ",
                "CSI    00000005 (F) ",
                "[HRESULT = 0x80092004 - CRYPT_E_NOT_FOUND]",
                "Error 80092004 [Warning,Facility=FACILITY_NTSSPI,Code=8196 (0x2004)]",
                "HRESULT_FROM_WIN32(ERROR_SXS_ASSEMBLY_MISSING)",
                "hr=0x800f0922",
                "Package_for_KB4507452~31bf3856ad364e35~amd64~~6.0.1.0",
                "Exec: Processing complete. ",
                "\u{e9}\u{1F600}",
            ]).prop_map(String::from),
            "[ -~]{0,12}",
        ], 0..10)) {
            let line: String = parts.concat();
            match Pre::of(&line).read(&line) {
                Ok((e, scan)) => {
                    proptest::prop_assert_eq!(Shape::Entry(e), shape(&line));
                    proptest::prop_assert_eq!(scan, Scan::of(&e));
                }
                Err(got) => {
                    proptest::prop_assert!(!matches!(got, Shape::Entry(_)));
                    proptest::prop_assert_eq!(got, shape(&line));
                }
            }
        }
    }

    #[test]
    fn wrapped_hresult() {
        let log = "2017-03-10 10:24:32, Info                  CBS    Exec: Processing complete.  Session: 30579072_298067563, Package: Microsoft-Windows-Foundation-Package~31bf3856ad364e35~amd64~~10.0.14393.0 [HRESULT =\r\n0x800f0922 - CBS_E_INSTALLERS_FAILED]\r\n";
        let mut evs = Vec::new();
        parse(log.as_bytes(), "CBS.log", &mut |e| evs.push(e)).unwrap();
        assert_eq!(evs.len(), 1);
        assert_eq!(evs[0].hresult, Some(0x800F0922));
        assert_eq!(evs[0].kind, EventKind::AttemptEnd);
    }
}
