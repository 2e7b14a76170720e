//! Formats in, one [`Host`] out.
//!
//! An administrator collects text on a Windows Server 2008 machine:
//! `systeminfo` (list, table or CSV, in any of a dozen languages and code
//! pages), `wmic qfe`, PowerShell `Get-HotFix`, `reg query` of the
//! `CurrentVersion` and Component Based Servicing keys, `wmic os`, the file
//! version of `ntoskrnl.exe`, and a listing of `%windir%\servicing\Packages`.
//! This crate turns those bytes into facts:
//!
//! * [`decode()`] finds the encoding (UTF-16LE/BE with or without BOM, UTF-8,
//!   OEM code pages 437/850/852/866/932/936, ...) and yields text;
//! * one module per format under [`formats`] recognises its input
//!   ([`formats::Format::sniff`]) and parses it into a [`Facts`] record where
//!   every value carries its [`Evidence`](w2k8_core::Evidence) (file, line);
//! * [`bundle`] reads a folder, a `.zip`, or a single file, and [`merge`]
//!   combines all the facts into one [`Host`], reporting conflicts between
//!   sources instead of silently picking one.
//!
//! The crate knows nothing about updates or what they mean: that is the
//! `catalog` and `assess` crates' job.
//!
//! ```
//! use w2k8_inventory::{formats::Format, read_text};
//! let text = "Host Name:                 SRV1\r\nOS Name:                   Microsoft Windows Server 2008 Standard \r\nOS Version:                6.0.6002 Service Pack 2 Build 6002\r\nSystem Type:               x64-based PC\r\nHotfix(s):                 1 Hotfix(s) Installed.\r\n                           [01]: KB4493471\r\n";
//! let facts = Format::Systeminfo.parse(text, "systeminfo.txt").unwrap();
//! assert_eq!(facts.host_name.unwrap().value, "SRV1");
//! assert_eq!(facts.hotfixes.len(), 1);
//! # let _ = read_text;
//! ```
#![deny(missing_docs)]

pub mod bundle;
pub mod collector;
pub mod config;
pub mod decode;
mod error;
pub mod formats;
mod host;
pub mod merge;

pub use bundle::{load, LoadOptions};
pub use decode::{decode, Decoded, TextEncoding};
pub use error::{Error, ParseError};
pub use host::{CbsPackage, Conflict, Facts, FileProblem, Host, Hotfix, LogicalDisk, SourceFile, MAX_HOTFIX_ENTRIES};

/// Decodes `bytes` (see [`decode()`]) and returns the text, for callers that
/// have one file in hand.
pub fn read_text(bytes: &[u8], file: &str, forced: Option<TextEncoding>) -> Result<String, ParseError> {
    decode(bytes, file, forced).map(|d| d.text)
}
