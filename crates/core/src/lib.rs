//! The small vocabulary every other w2k8 crate speaks: a [`Kb`] number, a
//! [`CveId`], a
//! calendar [`Date`], a processor [`Arch`], a four-part Windows
//! [`FileVersion`], and the [`Evidence`] that ties a conclusion to the file
//! and line it came from.
//!
//! These types have no dependencies on parsers or data, so `inventory`
//! (what a host says) and `catalog` (what Microsoft shipped) can share them
//! without depending on each other.
//!
//! ```
//! use w2k8_core::{Kb, Date, FileVersion};
//! let kb: Kb = "KB4493471".parse().unwrap();
//! assert_eq!(kb.number(), 4493471);
//! assert_eq!(kb.to_string(), "KB4493471");
//! let d: Date = "2019-04-09".parse().unwrap();
//! assert_eq!(d.month_string(), "2019-04");
//! let v: FileVersion = "6.0.6003.20489".parse().unwrap();
//! assert_eq!(v.build, 6003);
//! ```
#![deny(missing_docs)]

/// Serializes a type as its `Display` text and deserializes it through its
/// `FromStr` (the error names what was expected): the JSON form of every
/// value type here that has no faster path of its own.
macro_rules! text_serde {
    ($t:ty) => {
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }

        crate::text_deserialize!($t);
    };
}
pub(crate) use text_serde;

/// The `Deserialize` half of [`text_serde`], for a type whose `Serialize`
/// writes its text without the formatting machinery (`Date`, `Kb`).
macro_rules! text_deserialize {
    ($t:ty) => {
        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<$t, D::Error> {
                let s = <String as serde::Deserialize>::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}
pub(crate) use text_deserialize;

pub mod accept;
mod arch;
mod cve;
mod date;
mod evidence;
pub mod hash;
mod kb;
mod month;
mod parse_error;
pub mod text;
mod timestamp;
mod version;
mod vocab;

pub use arch::Arch;
pub use cve::{CveId, CveText};
pub use date::Date;
pub use evidence::{Evidence, Observed};
pub use kb::Kb;
pub use month::Month;
pub use parse_error::ParseError;
pub use timestamp::Timestamp;
pub use version::FileVersion;
pub use vocab::{Severity, UpdateKind};

/// A value could not be parsed from text; says what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseValueError {
    /// What the text should have looked like, e.g. "a KB number like KB4493471".
    pub expected: &'static str,
    /// The text that was given (truncated to 80 characters).
    pub got: String,
}

impl ParseValueError {
    pub(crate) fn new(expected: &'static str, got: &str) -> Self {
        let got: String = got.chars().take(80).collect();
        ParseValueError { expected, got }
    }
}

impl std::fmt::Display for ParseValueError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "expected {}, got {:?}", self.expected, self.got)
    }
}

impl std::error::Error for ParseValueError {}

/// An error and its causes on one line, `: `-joined (for a stored failure,
/// a log line or an API answer; the CLI prints the same chain).
pub fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut next = e.source();
    while let Some(c) = next {
        out.push_str(": ");
        out.push_str(&c.to_string());
        next = c.source();
    }
    out
}
