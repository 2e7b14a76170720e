//! Accepted risks: a decision, with a reason, an owner and an end date, to
//! live with one CVE or one missing update on the hosts a name pattern
//! matches. Written in a `w2k8.toml` file or in the fleet database; shared
//! here so that the assessment, the store and the API speak of the same
//! thing.
//!
//! An acceptance is *live* through its `until` day (inclusive) and expired
//! from the day after: an expired acceptance reopens the finding, and says
//! so. A finding is never hidden by one.
//!
//! ```
//! use w2k8_core::accept::{host_matches, Target};
//! assert!(host_matches("srv-file*", "SRV-FILE01"));
//! assert!(!host_matches("srv-file?", "srv-file01"));
//! assert_eq!("cve-2020-0796".parse::<Target>().unwrap().to_string(), "CVE-2020-0796");
//! assert_eq!("KB4534303".parse::<Target>().unwrap().to_string(), "KB4534303");
//! ```
use crate::{CveId, Date, Kb, ParseValueError};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What an acceptance is about: one CVE (an MSRC advisory id counts), or
/// one update (then every open CVE that update would close on the host).
/// An MSRC advisory id (`ADV190023`) is written as a CVE is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Target {
    /// `CVE-YYYY-NNNN` (or `ADVnnnnnn`).
    Cve(CveId),
    /// A KB number.
    Kb(Kb),
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Cve(c) => write!(f, "{c}"),
            Target::Kb(k) => write!(f, "{k}"),
        }
    }
}

impl FromStr for Target {
    type Err = ParseValueError;
    fn from_str(s: &str) -> Result<Target, ParseValueError> {
        const EXPECTED: &str = "a CVE id like CVE-2020-0796 or a KB number like KB4534303";
        let t = s.trim();
        let upper = t.to_ascii_uppercase();
        if upper.starts_with("CVE-") || upper.starts_with("ADV") {
            return CveId::canonical(&upper).map(Target::Cve).ok_or_else(|| ParseValueError::new(EXPECTED, s));
        }
        if upper.starts_with("KB") {
            return t.parse::<Kb>().map(Target::Kb).map_err(|_| ParseValueError::new(EXPECTED, s));
        }
        Err(ParseValueError::new(EXPECTED, s))
    }
}

impl Serialize for Target {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Target {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Target, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// One accepted risk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acceptance {
    /// The CVE or update accepted.
    pub target: Target,
    /// The hosts it covers: a pattern on the host name (`*` any run of
    /// characters, `?` one character, ASCII case ignored; `*` is every host).
    pub host: String,
    /// Why the risk is accepted.
    pub reason: String,
    /// Who accepted it, when given.
    pub owner: Option<String>,
    /// The last day it holds (inclusive).
    pub until: Date,
    /// Where it is written: `w2k8.toml:12` (file and line of its entry) or
    /// `db:#7` (its id in the fleet database).
    pub source: String,
}

impl Acceptance {
    /// True when it covers host `name` (see [`host_matches`]).
    pub fn covers_host(&self, name: &str) -> bool {
        host_matches(&self.host, name)
    }

    /// True on and before its `until` day.
    pub fn is_live(&self, today: Date) -> bool {
        today <= self.until
    }
}

/// Whether host name `name` matches `pattern`: `*` matches any run of
/// characters (also none), `?` exactly one, every other character itself
/// with ASCII case ignored (Windows host names are case-insensitive).
/// Linear in practice: the usual two-pointer glob match with one
/// backtracking point.
pub fn host_matches(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().map(|c| c.to_ascii_lowercase()).collect();
    let n: Vec<char> = name.chars().map(|c| c.to_ascii_lowercase()).collect();
    let (mut pi, mut ni) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, ni));
                pi += 1;
            }
            Some(&c) if c == '?' || Some(&c) == n.get(ni) => {
                pi += 1;
                ni += 1;
            }
            _ => match star {
                Some((sp, sn)) => {
                    pi = sp + 1;
                    ni = sn + 1;
                    star = Some((sp, sn + 1));
                }
                None => return false,
            },
        }
    }
    p.get(pi..).unwrap_or(&[]).iter().all(|&c| c == '*')
}

/// Whether `pattern` is a usable host pattern: not empty, no control
/// characters, at most 255 characters.
pub fn valid_host_pattern(pattern: &str) -> bool {
    !pattern.trim().is_empty() && pattern.chars().count() <= 255 && !pattern.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_host_names() {
        for (p, n, want) in [
            ("*", "anything", true),
            ("*", "", true),
            ("srv-*", "SRV-FILE01", true),
            ("srv-*01", "srv-file01", true),
            ("srv-*01", "srv-file02", false),
            ("srv-file0?", "srv-file07", true),
            ("srv-file0?", "srv-file0", false),
            ("*file*", "srv-file01", true),
            ("srv-file01", "srv-file01x", false),
            ("a*b*c", "aXXbYYc", true),
            ("a*b*c", "aXXbYY", false),
            ("", "", true),
            ("", "x", false),
        ] {
            assert_eq!(host_matches(p, n), want, "{p} ~ {n}");
        }
    }

    #[test]
    fn targets_parse_or_say_what_was_expected() {
        assert_eq!("CVE-2017-0144".parse::<Target>(), Ok(Target::Cve("CVE-2017-0144".parse().unwrap())));
        assert_eq!("kb4534303".parse::<Target>().map(|t| t.to_string()), Ok("KB4534303".into()));
        for bad in ["", "CVE-17-0144", "CVE-2017-01", "MS17-010", "KB", "KBx", "CVE-2017-0144x"] {
            let e = bad.parse::<Target>().err().map(|e| e.expected);
            assert_eq!(e, Some("a CVE id like CVE-2020-0796 or a KB number like KB4534303"), "{bad}");
        }
    }

    #[test]
    fn an_acceptance_is_live_through_its_last_day() {
        let a = Acceptance {
            target: Target::Cve("CVE-2020-0796".parse().unwrap()),
            host: "*".into(),
            reason: "r".into(),
            owner: None,
            until: Date::new(2026, 3, 31).unwrap_or_else(|| Date::from_days(0)),
            source: "w2k8.toml:1".into(),
        };
        assert!(a.is_live(Date::new(2026, 3, 31).unwrap_or_else(|| Date::from_days(0))));
        assert!(!a.is_live(Date::new(2026, 4, 1).unwrap_or_else(|| Date::from_days(0))));
    }
}
