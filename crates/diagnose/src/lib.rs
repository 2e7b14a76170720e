//! Why did an update fail on Windows Server 2008: `w2k8 diagnose` and
//! `w2k8 explain`.
//!
//! - One streaming parser per log format, each reading a [`std::io::BufRead`]
//!   line by line (UTF-8 or UTF-16LE, CRLF, lines of any length, files of any
//!   size in bounded memory): [`cbs`] (`CBS.log`, `CbsPersist_*.log`),
//!   [`windowsupdate`] (the classic tab-separated `WindowsUpdate.log`, also as
//!   blogs paste it with the tabs collapsed or wrapped at 80 columns, and the
//!   Windows 10+ ETW-rendered one, recognised as not a 2008 log), [`checksur`]
//!   (`CheckSUR.log`). They send the lines that matter as [`Event`]s, and the
//!   harmless lines that carry a failure code and the versions a line shows
//!   to a [`Sink`]; the rest is counted as noise.
//! - A detector ([`Diagnoser`]) turns them into a [`Diagnosis`]: timeline of
//!   attempts, failing package and first real error (where its failure chain
//!   starts), the Windows and agent versions of each log, causes with evidence
//!   and sources (one small rule per cause: SHA-2, ESU, service pack parent,
//!   update server out of reach, download, self-update, missing assembly,
//!   store damage, disk space, pending restart, pending.xml, third party,
//!   prerequisites, known code), next steps (prerequisites from the catalog
//!   it is given). Each event costs O(1) and what is kept is bounded: time is
//!   linear and memory flat in the size of the logs.
//! - [`codes`]: the embedded table of Windows error codes (SDK `winerror.h`,
//!   `wuerror.h`, and the curated update-failure table), and the parsing of a
//!   code in any form administrators paste; [`hresult`]: the code a log line
//!   shows, in every form real logs print it.
//! - [`version`]: which Windows wrote a log, from the versions it shows.
//!
//! The library never prints.
//!
//! ```
//! use w2k8_diagnose::{Diagnoser, LogFormat, Verdict};
//! let log = "2019-08-14 10:00:00, Info                  CBS    Exec: Processing started.  Session: 1_2, Package: Package_for_KB4474419~31bf3856ad364e35~amd64~~6.0.1.6\r\n\
//!            2019-08-14 10:00:05, Error                 CBS    Failed to verify package. [HRESULT = 0x80092004 - CRYPT_E_NOT_FOUND]\r\n\
//!            2019-08-14 10:00:06, Info                  CBS    Exec: Processing complete.  Session: 1_2, Package: Package_for_KB4474419~31bf3856ad364e35~amd64~~6.0.1.6 [HRESULT = 0x80092004 - CRYPT_E_NOT_FOUND]\r\n";
//! let mut d = Diagnoser::new();
//! d.add("CBS.log", LogFormat::Cbs, log.as_bytes()).unwrap();
//! let dx = d.finish(w2k8_catalog::Catalog::embedded());
//! assert_eq!(dx.verdict, Verdict::UpdateFailed);
//! assert_eq!(dx.failure.unwrap().first_error.line, 2);
//! assert_eq!(dx.causes[0].id, "sha2_missing");
//! ```
#![deny(missing_docs)]

pub mod cbs;
pub mod checksur;
pub mod codes;
mod detect;
pub mod event;
pub mod hresult;
pub mod model;
pub mod reader;
pub mod version;
pub mod windowsupdate;

pub use event::{CodedLine, Event, EventKind, Level, LogFormat, LogStats, Phase, Sink, VersionSource};
pub use model::*;

use std::io::BufRead;
use w2k8_catalog::Catalog;

/// A log that is not what it should be: `file:line: expected ...` (the one
/// input error of w2k8, shared with `w2k8-inventory`).
pub use w2k8_core::ParseError;

/// Why a log could not be diagnosed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The log is malformed or is no log `diagnose` reads.
    #[error(transparent)]
    Parse(#[from] ParseError),
    /// The log could not be read.
    #[error("{file}: cannot read")]
    Io {
        /// The file.
        file: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    /// An I/O error reading `file`.
    pub fn io(file: &str, source: std::io::Error) -> Error {
        Error::Io { file: file.to_string(), source }
    }

    /// The line at fault, for a format error.
    pub fn line(&self) -> Option<u64> {
        match self {
            Error::Parse(p) => p.line,
            Error::Io { .. } => None,
        }
    }
}

/// How many non-blank lines [`sniff`] looks at.
const SNIFF_LINES: usize = 50;

/// Tells which log format a stream holds from its first lines (by content,
/// not by name). `Ok(None)`: none of them.
///
/// # Errors
/// I/O errors of the reader.
pub fn sniff<R: BufRead>(r: R) -> std::io::Result<Option<LogFormat>> {
    let mut lines = reader::Lines::new(r)?;
    let mut head: Vec<String> = Vec::new();
    while let Some(l) = lines.next_line()? {
        if l.binary {
            break;
        }
        if !l.text.trim().is_empty() {
            head.push(l.text.chars().take(400).collect());
        }
        if head.len() >= SNIFF_LINES {
            break;
        }
    }
    if cbs::sniff(&head) {
        return Ok(Some(LogFormat::Cbs));
    }
    if let Some(f) = windowsupdate::sniff(&head) {
        return Ok(Some(f));
    }
    if checksur::sniff(&head) {
        return Ok(Some(LogFormat::CheckSur));
    }
    Ok(None)
}

/// Reads logs one after the other and builds the [`Diagnosis`]. Time and
/// memory are linear in, and bounded whatever, the size of the logs.
#[derive(Debug, Default)]
pub struct Diagnoser {
    logs: Vec<detect::LogState>,
}

impl Diagnoser {
    /// An empty diagnoser.
    pub fn new() -> Diagnoser {
        Diagnoser::default()
    }

    /// Streams one log of the given format (use [`sniff`] to find it).
    /// `WindowsUpdate` and `WindowsUpdateEtw` are both read by the
    /// WindowsUpdate.log parser, which tells them apart line by line.
    ///
    /// # Errors
    /// [`Error::Parse`] with file and line where the format is wrong, or
    /// [`Error::Io`]; the log is then left out of the diagnosis.
    pub fn add<R: BufRead + Send>(&mut self, file: &str, format: LogFormat, r: R) -> Result<(), Error> {
        let mut state = detect::LogState::new(file, format);
        let (format, stats) = match format {
            LogFormat::Cbs => (LogFormat::Cbs, cbs::parse_into(r, file, &mut state)?),
            LogFormat::WindowsUpdate | LogFormat::WindowsUpdateEtw => windowsupdate::parse_into(r, file, &mut state)?,
            LogFormat::CheckSur => (LogFormat::CheckSur, checksur::parse_into(r, file, &mut state)?),
        };
        state.set_result(format, stats);
        self.logs.push(state);
        Ok(())
    }

    /// Number of logs read.
    pub fn len(&self) -> usize {
        self.logs.len()
    }

    /// True when no log was read.
    pub fn is_empty(&self) -> bool {
        self.logs.is_empty()
    }

    /// The diagnosis over every log read, with the update facts (titles,
    /// release dates, prerequisites, the latest servicing stack update) of
    /// `catalog` (the CLI passes `Catalog::current()`, which includes what
    /// the user imported).
    pub fn finish(self, catalog: &Catalog) -> Diagnosis {
        detect::finish(self.logs, catalog)
    }
}

/// Sniffs and diagnoses one log held in memory, with `catalog`.
///
/// # Errors
/// [`Error`] when the bytes are no known log or are malformed.
pub fn diagnose_bytes_with(file: &str, bytes: &[u8], catalog: &Catalog) -> Result<Diagnosis, Error> {
    let format = sniff(bytes)
        .map_err(|e| Error::io(file, e))?
        .ok_or_else(|| ParseError::at(file, 1, "a CBS.log, WindowsUpdate.log or CheckSUR.log"))?;
    let mut d = Diagnoser::new();
    d.add(file, format, bytes)?;
    Ok(d.finish(catalog))
}

/// [`diagnose_bytes_with`] the catalog embedded at build time.
///
/// # Errors
/// As [`diagnose_bytes_with`].
pub fn diagnose_bytes(file: &str, bytes: &[u8]) -> Result<Diagnosis, Error> {
    diagnose_bytes_with(file, bytes, Catalog::embedded())
}
