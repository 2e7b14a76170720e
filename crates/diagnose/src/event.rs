//! What the log parsers emit: [`Event`]s (only for the lines that matter; the
//! harmless noise is counted, not emitted) and the per-log [`LogStats`], plus
//! the small text helpers they share (HRESULT, package identity and KB
//! extraction).
use crate::reader::Encoding;
use serde::Serialize;
use w2k8_core::Kb;

/// Severity of a log line as the log states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// `Info` (CBS) or an ordinary WindowsUpdate.log line.
    Info,
    /// `Warning` (CBS) or a `WARNING:` WindowsUpdate.log line.
    Warning,
    /// `Error` (CBS).
    Error,
    /// A `FATAL:` WindowsUpdate.log line.
    Fatal,
}

/// The phase of an update attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Windows Update downloads the content.
    Download,
    /// The package is installed (staged and, where possible, committed online).
    Install,
    /// Startup processing: the changes are committed while the machine restarts.
    CommitAtReboot,
    /// The changes are rolled back.
    Rollback,
    /// Windows Update looks for updates: it reaches the update server,
    /// checks its own version (self-update) and evaluates applicability.
    Search,
    /// CheckSUR checks the component store (no update attempt failed).
    StoreCheck,
}

impl Phase {
    /// A readable name: `download`, `install`, `commit at reboot`, `rollback`.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Download => "download",
            Phase::Install => "install",
            Phase::CommitAtReboot => "commit at reboot",
            Phase::Rollback => "rollback",
            Phase::Search => "search",
            Phase::StoreCheck => "store check",
        }
    }
}

/// What an emitted line says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum EventKind {
    /// CBS loaded this servicing stack version (`Loaded Servicing Stack v6.0.6002.18005`).
    ServicingStack {
        /// The version, e.g. `6.0.6002.18005`.
        version: String,
    },
    /// A CBS session was started by a client (`WindowsUpdateAgent`, `WusaInstaller`, ...).
    SessionStart {
        /// The client name.
        client: String,
    },
    /// A package operation started (CBS `Exec: Processing started`, WU `Installing ...`).
    AttemptStart,
    /// A package operation ended; [`Event::hresult`] holds the result.
    AttemptEnd,
    /// A CBS session was finalized.
    SessionFinalized {
        /// `Reboot required: yes`.
        reboot_required: bool,
    },
    /// An error line: CBS `Error`, WU `FATAL`.
    Error,
    /// CBS marked the store as corrupt because of a package.
    StoreCorruptionFlag,
    /// A line mentions `pending.xml` together with a failure.
    PendingXml,
    /// A Windows Update `REPORT EVENT` (download or install result).
    WuResult {
        /// True for `Success`.
        success: bool,
        /// The update title (empty when the line does not name it).
        title: String,
        /// The Windows Update id of the update (`{GUID}`), which ties its download to its install.
        update_id: String,
    },
    /// A CheckSUR item: `(f)` found, `(fix)` fixed.
    CheckSurItem {
        /// True for a `(fix)` line.
        fixed: bool,
        /// What is wrong, e.g. `CBS MUM Missing`, `CSI Payload File Missing`.
        what: String,
        /// The file or component named.
        path: String,
    },
    /// CheckSUR's summary counts.
    CheckSurSummary {
        /// `Found N errors`.
        found: Option<u32>,
        /// `Fixed N errors`.
        fixed: Option<u32>,
    },
    /// A file listed under CheckSUR's `Unavailable repair files:`.
    UnavailableRepairFile {
        /// The path, e.g. `servicing\packages\Package_for_KB958690~...mum`.
        path: String,
    },
    /// The Windows Update Agent build that wrote the log.
    AgentBuild {
        /// e.g. `7.6.7600.311`.
        version: String,
    },
    /// CBS reports a failed package operation to Windows Error Reporting
    /// (`WER: Generating failure report for package: ..., status: 0x...`):
    /// the package and the code that ended it.
    FailureReport,
    /// The update server Windows Update talks to (`Server URL = ...`,
    /// `WSUS server: ...`, `reporting URL = ...`).
    UpdateSource {
        /// The address as the log writes it.
        url: String,
    },
}

/// One line that matters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    /// 1-based line number.
    pub line: u64,
    /// The time stamp as the log writes it (normalised to `YYYY-MM-DD hh:mm:ss`).
    pub time: Option<String>,
    /// The level.
    pub level: Level,
    /// What it says.
    #[serde(flatten)]
    pub kind: EventKind,
    /// The phase, where the line tells it.
    pub phase: Option<Phase>,
    /// The package identity named (CBS), e.g. `Package_for_KB4474419~31bf3856ad364e35~amd64~~6.0.1.2`.
    pub package: Option<String>,
    /// The KB named (from the package or title).
    pub kb: Option<Kb>,
    /// The HRESULT the line carries.
    pub hresult: Option<u32>,
    /// The symbol the line prints for it (`CBS_E_INSTALLERS_FAILED`,
    /// `STATUS_SXS_ASSEMBLY_NOT_FOUND`), where it prints one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub symbol: Option<String>,
    /// The message text (at most 400 characters).
    pub text: String,
}

/// A line that is not emitted as an [`Event`] (harmless-looking, counted as
/// noise) but carries a failure code: the detector keeps the recent ones to
/// find where a failure chain starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodedLine<'a> {
    /// 1-based line number.
    pub line: u64,
    /// The time stamp (`YYYY-MM-DD hh:mm:ss`), where the line has one.
    pub time: Option<&'a str>,
    /// The failure code.
    pub code: u32,
    /// The message.
    pub text: &'a str,
    /// True when the message says something failed (`Failed ...`, `error`).
    pub failish: bool,
}

/// Where a version a log shows comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VersionSource {
    /// An update title that names one Windows family.
    Title,
    /// Another Windows Update Agent build the log shows (`Aux:`, a second process).
    AgentOther,
    /// The Windows Update Agent of the service (`WU client version`,
    /// `Client version: Core:`, `Logging initialized (build: ...)`).
    Agent,
    /// A package identity's version (`~6.1.1.4`): the NT major.minor only.
    Package,
    /// A component, file or tool version carrying an NT build (`6.1.7601.22843`).
    Build,
    /// CheckSUR's `Binary Version`.
    ToolBuild,
    /// CBS `Loaded Servicing Stack v...`.
    ServicingStack,
    /// WindowsUpdate.log `OS Version = ...`.
    OsVersion,
}

impl VersionSource {
    /// How the log shows it, for messages.
    pub fn describe(self) -> &'static str {
        match self {
            VersionSource::Title => "an update title",
            VersionSource::AgentOther | VersionSource::Agent => "its Windows Update Agent version",
            VersionSource::Package => "its package versions",
            VersionSource::Build => "its component versions",
            VersionSource::ToolBuild => "the CheckSUR binary version",
            VersionSource::ServicingStack => "its servicing stack",
            VersionSource::OsVersion => "its OS Version line",
        }
    }
}

/// Where the parsers send what they read: the [`Event`]s, and facts the
/// detector uses without an event (coded noise lines, versions). A closure
/// taking events is a sink that ignores the rest.
pub trait Sink {
    /// A line that matters.
    fn event(&mut self, ev: Event);
    /// A noise line that carries a failure code.
    fn coded(&mut self, _line: &CodedLine<'_>) {}
    /// A version the line shows (raw text, e.g. `6.1.7601.1.0.65792`, or an update title).
    fn version(&mut self, _line: u64, _source: VersionSource, _text: &str) {}
}

impl<F: FnMut(Event)> Sink for F {
    fn event(&mut self, ev: Event) {
        self(ev);
    }
}

/// The log formats `diagnose` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LogFormat {
    /// `CBS.log` / `CbsPersist_*.log`.
    Cbs,
    /// The classic tab-separated `WindowsUpdate.log` (Windows XP to 8.1 / Server 2012 R2).
    WindowsUpdate,
    /// The Windows 10+ `WindowsUpdate.log` rendered from ETW by `Get-WindowsUpdateLog`.
    WindowsUpdateEtw,
    /// `CheckSUR.log` of the System Update Readiness Tool (KB947821).
    CheckSur,
}

impl LogFormat {
    /// A readable name.
    pub fn name(self) -> &'static str {
        match self {
            LogFormat::Cbs => "CBS.log",
            LogFormat::WindowsUpdate => "WindowsUpdate.log",
            LogFormat::WindowsUpdateEtw => "WindowsUpdate.log (Windows 10+ ETW format)",
            LogFormat::CheckSur => "CheckSUR.log",
        }
    }
}

/// What one log held, besides its events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogStats {
    /// Lines read.
    pub lines: u64,
    /// Bytes read (UTF-8).
    pub bytes: u64,
    /// The encoding detected.
    pub encoding: Encoding,
    /// Lines longer than the in-memory cap (kept cut).
    pub cut_lines: u64,
    /// Lines that look like failures but are known to be harmless (counted, not reported).
    pub noise: u64,
    /// Lines that are errors (emitted as [`EventKind::Error`]).
    pub errors: u64,
    /// The first time stamp.
    pub first_time: Option<String>,
    /// The last time stamp.
    pub last_time: Option<String>,
}

impl LogStats {
    pub(crate) fn new(encoding: Encoding) -> LogStats {
        LogStats { lines: 0, bytes: 0, encoding, cut_lines: 0, noise: 0, errors: 0, first_time: None, last_time: None }
    }

    /// Counts `line` of `file` (its number; whether it was cut); a line of
    /// binary data is an error pointing at it.
    pub(crate) fn count(&mut self, line: &crate::reader::Line<'_>, file: &str) -> Result<(), crate::Error> {
        self.lines = line.no;
        if line.cut {
            self.cut_lines += 1;
        }
        if line.binary {
            return Err(crate::ParseError::at(file, line.no, "text, found binary data (NUL bytes)").into());
        }
        Ok(())
    }

    pub(crate) fn saw_time(&mut self, t: &str) {
        if self.first_time.is_none() {
            self.first_time = Some(t.to_string());
        }
        match &mut self.last_time {
            Some(s) if s == t => {}
            Some(s) => {
                s.clear();
                s.push_str(t);
            }
            None => self.last_time = Some(t.to_string()),
        }
    }
}

/// The first `max` characters of `s`.
pub(crate) fn clip_str(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    match s.char_indices().nth(max) {
        Some((i, _)) => s.get(..i).unwrap_or_default(),
        None => s,
    }
}

/// Cuts `s` to at most `max` characters.
pub(crate) fn clip(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", s.get(..i).unwrap_or_default()),
        None => s.to_string(),
    }
}

/// The HRESULT the text shows, in any of the forms of
/// [`crate::hresult::find_code`] (`[HRESULT = 0x800f0922 - ...]`, `hr=0x...`,
/// `hr = 80072ee2`, `error 0x...`, `HRESULT_FROM_WIN32(ERROR_...)`, ...).
pub fn find_hresult(text: &str) -> Option<u32> {
    crate::hresult::find_code(text).map(|f| f.code)
}

/// Public key token that every Microsoft package identity carries.
const TOKEN: &str = "~31bf3856ad364e35~";

/// The first package identity in the text, e.g.
/// `Package_93_for_KB948465~31bf3856ad364e35~amd64~~6.0.1.2`.
pub fn find_package(text: &str) -> Option<&str> {
    let b = text.as_bytes();
    // `~` is rare in log text outside package identities: a one-byte search
    // then a compare costs less than a substring search on a short line.
    let at = memchr::memchr_iter(b'~', b).find(|i| b.get(*i..).is_some_and(|r| r.starts_with(TOKEN.as_bytes())))?;
    let start = at
        - b.get(..at)?
            .iter()
            .rev()
            .take_while(|c| PACKAGE_PART.get(usize::from(**c)).copied().unwrap_or(false))
            .count();
    let len = b
        .get(at..)?
        .iter()
        .position(|c| PACKAGE_END.get(usize::from(*c)).copied().unwrap_or(true))
        .unwrap_or(b.len() - at);
    let id = text.get(start..at + len)?.trim_end_matches('.');
    // A file name (`...~6.1.1.0.mum`, `.cat` in CheckSUR) names the package it holds.
    let id = [".mum", ".cat", ".cab"].iter().find_map(|x| id.strip_suffix(x)).unwrap_or(id);
    (!id.is_empty()).then_some(id)
}

/// Bytes of a package name before the public key token: `[A-Za-z0-9_.-]`.
// Evaluated at compile time: an index out of bounds fails the build.
#[allow(clippy::indexing_slicing)]
static PACKAGE_PART: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        t[i] = c.is_ascii_alphanumeric() || c == b'_' || c == b'-' || c == b'.';
        i += 1;
    }
    t
};

/// Bytes that end a package identity: white space and `,][\'"()`.
// Evaluated at compile time: an index out of bounds fails the build.
#[allow(clippy::indexing_slicing)]
static PACKAGE_END: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        t[i] = c.is_ascii_whitespace() || matches!(c, b',' | b']' | b'[' | b'\'' | b'"' | b'(' | b')');
        i += 1;
    }
    t
};

/// The first `KBnnnnnn` (4 to 8 digits, any case) in the text.
pub fn find_kb(text: &str) -> Option<Kb> {
    let b = text.as_bytes();
    let mut from = 0;
    while let Some(i) = memchr::memchr2(b'K', b'k', b.get(from..)?) {
        let at = from + i;
        from = at + 1;
        if !matches!(b.get(at + 1), Some(b'B' | b'b')) {
            continue;
        }
        if at > 0 && b.get(at - 1).is_some_and(|c| c.is_ascii_alphabetic()) {
            continue;
        }
        if let Some(kb) = kb_at(text, at) {
            return Some(kb);
        }
    }
    None
}

/// The KB whose `KB` starts at `at`: 4 to 8 digits follow.
fn kb_at(text: &str, at: usize) -> Option<Kb> {
    let b = text.as_bytes();
    let digits = b.get(at + 2..)?.iter().take_while(|c| c.is_ascii_digit()).count();
    if !(4..=8).contains(&digits) {
        return None;
    }
    Kb::new(text.get(at + 2..at + 2 + digits)?.parse().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hresults() {
        assert_eq!(find_hresult("Failed [HRESULT = 0x800f0922 - CBS_E_INSTALLERS_FAILED]"), Some(0x800F0922));
        assert_eq!(find_hresult("identity X hr=0x800b0100"), Some(0x800B0100));
        assert_eq!(find_hresult("parent package KB936330~31bf3856ad364e35~amd64~~ hr 0x800f0805"), Some(0x800F0805));
        assert_eq!(find_hresult("package: P hr: 0x800b0100"), Some(0x800B0100));
        assert_eq!(find_hresult("filter search results, error = 0x8024000B"), Some(0x8024000B));
        assert_eq!(find_hresult("stack @0x7fed806eb5d @0x7fef"), None);
        assert_eq!(find_hresult("flags: 0x2 [HRESULT = 0x80004005 - E_FAIL]"), Some(0x80004005));
        assert_eq!(find_hresult("no code"), None);
    }

    #[test]
    fn packages_and_kbs() {
        let t = "Mark store corruption flag because of package: Package_93_for_KB948465~31bf3856ad364e35~amd64~~ hr: 0x800b0100";
        assert_eq!(find_package(t), Some("Package_93_for_KB948465~31bf3856ad364e35~amd64~~"));
        assert_eq!(find_kb(t).map(|k| k.to_string()).as_deref(), Some("KB948465"));
        let t = "identity Microsoft-Windows-Foundation-Package~31bf3856ad364e35~amd64~~6.0.6001.18000. hr 0x800b0100";
        assert_eq!(
            find_package(t),
            Some("Microsoft-Windows-Foundation-Package~31bf3856ad364e35~amd64~~6.0.6001.18000")
        );
        assert_eq!(find_kb(t), None);
        let t = "(f) CBS MUM Corrupt 0x800F0900 servicing\\Packages\\Package_2_for_KB2079403~31bf3856ad364e35~amd64~~6.1.1.0.mum Line 1:";
        assert_eq!(find_package(t), Some("Package_2_for_KB2079403~31bf3856ad364e35~amd64~~6.1.1.0"));
        assert_eq!(find_kb("Rollup for Server 2008 SP2 (KB4014984)."), Kb::new(4014984));
        assert_eq!(find_kb("ABKB1234"), None);
    }
}
