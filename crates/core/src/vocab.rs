//! Two words of the vocabulary every crate shares: what kind of update a KB
//! is, and how MSRC rates a vulnerability. Their text forms (JSON, CSV, the
//! data files and both fleet databases) are decided here once.
use crate::ParseValueError;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// What kind of update a KB is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UpdateKind {
    /// Security Monthly Quality Rollup (cumulative, from 2018-09).
    MonthlyRollup,
    /// Security-only update (that month's fixes only).
    SecurityOnly,
    /// Servicing stack update.
    Ssu,
    /// SHA-2 code signing support (KB4474419; KB4039648 on 2008 SP2).
    Sha2,
    /// ESU licensing preparation package (2008 SP2: KB4538484, KB4575904;
    /// 2008 R2 SP1: KB4538483, KB4575903).
    EsuPrep,
    /// A security update of the OS that the servicing table does not
    /// classify further: stand-alone updates of the bulletin era (MSxx-yyy),
    /// and every KB MSRC names for 2008 or 2008 R2 outside the servicing tables.
    SecurityUpdate,
    /// An Internet Explorer update (every MSRC row of the KB concerns IE).
    InternetExplorer,
    /// A .NET Framework update (every MSRC row of the KB concerns .NET).
    /// Named `dotnet` everywhere (JSON, CSV, the store, the data files).
    #[serde(rename = "dotnet")]
    DotNet,
    /// Anything else (out-of-band, unclassified).
    Other,
    /// A service pack (2008 R2 SP1, KB976932).
    ServicePack,
    /// The 2008 R2 SP1 convenience rollup KB3125574 (fixes from SP1 to April 2016).
    ConvenienceRollup,
}

impl UpdateKind {
    /// Every kind, in declaration order.
    pub const ALL: [UpdateKind; 11] = [
        UpdateKind::MonthlyRollup,
        UpdateKind::SecurityOnly,
        UpdateKind::Ssu,
        UpdateKind::Sha2,
        UpdateKind::EsuPrep,
        UpdateKind::SecurityUpdate,
        UpdateKind::InternetExplorer,
        UpdateKind::DotNet,
        UpdateKind::Other,
        UpdateKind::ServicePack,
        UpdateKind::ConvenienceRollup,
    ];

    /// The snake_case name used in JSON and the data files.
    pub fn as_str(self) -> &'static str {
        match self {
            UpdateKind::MonthlyRollup => "monthly_rollup",
            UpdateKind::SecurityOnly => "security_only",
            UpdateKind::Ssu => "ssu",
            UpdateKind::Sha2 => "sha2",
            UpdateKind::EsuPrep => "esu_prep",
            UpdateKind::SecurityUpdate => "security_update",
            UpdateKind::InternetExplorer => "internet_explorer",
            UpdateKind::DotNet => "dotnet",
            UpdateKind::Other => "other",
            UpdateKind::ServicePack => "service_pack",
            UpdateKind::ConvenienceRollup => "convenience_rollup",
        }
    }
}

impl std::fmt::Display for UpdateKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Severity as MSRC rates it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// No rating given.
    Unrated,
    /// Low.
    Low,
    /// Moderate.
    Moderate,
    /// Important.
    Important,
    /// Critical.
    Critical,
}

impl Severity {
    /// Every rating, lowest first.
    pub const ALL: [Severity; 5] =
        [Severity::Unrated, Severity::Low, Severity::Moderate, Severity::Important, Severity::Critical];

    /// The lowercase name used in JSON, CSV and the store (`critical`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Unrated => "unrated",
            Severity::Low => "low",
            Severity::Moderate => "moderate",
            Severity::Important => "important",
            Severity::Critical => "critical",
        }
    }

    /// The name as MSRC writes it (`Critical`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Severity::Unrated => "Unrated",
            Severity::Low => "Low",
            Severity::Moderate => "Moderate",
            Severity::Important => "Important",
            Severity::Critical => "Critical",
        }
    }
}

/// The word of `all` whose text form (`name`) is `s`.
fn by_name<T: Copy>(
    all: &[T],
    name: fn(T) -> &'static str,
    s: &str,
    expected: &'static str,
) -> Result<T, ParseValueError> {
    all.iter().copied().find(|w| name(*w) == s).ok_or_else(|| ParseValueError::new(expected, s))
}

impl FromStr for UpdateKind {
    type Err = ParseValueError;
    /// Parses the snake_case name ([`UpdateKind::as_str`]).
    fn from_str(s: &str) -> Result<UpdateKind, ParseValueError> {
        by_name(&UpdateKind::ALL, UpdateKind::as_str, s, "an update kind like monthly_rollup")
    }
}

impl FromStr for Severity {
    type Err = ParseValueError;
    /// Parses the lowercase name ([`Severity::as_str`]).
    fn from_str(s: &str) -> Result<Severity, ParseValueError> {
        by_name(&Severity::ALL, Severity::as_str, s, "a severity like critical")
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_back_and_match_serde() {
        for k in UpdateKind::ALL {
            assert_eq!(k.as_str().parse::<UpdateKind>().unwrap(), k);
            assert_eq!(serde_json::to_string(&k).unwrap(), format!("\"{}\"", k.as_str()));
        }
        for s in Severity::ALL {
            assert_eq!(s.as_str().parse::<Severity>().unwrap(), s);
            assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{}\"", s.as_str()));
        }
        assert!("Critical".parse::<Severity>().is_err());
        assert!("rollup".parse::<UpdateKind>().is_err());
    }
}
