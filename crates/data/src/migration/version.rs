//! Windows Server versions that appear on an upgrade chain from 2008.
use serde::{Serialize, Serializer};

/// A Windows Server release on the way from 2008 to 2025.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Version {
    /// Windows Server 2008 (NT 6.0).
    Ws2008,
    /// Windows Server 2008 R2 (NT 6.1).
    Ws2008R2,
    /// Windows Server 2012.
    Ws2012,
    /// Windows Server 2012 R2.
    Ws2012R2,
    /// Windows Server 2016.
    Ws2016,
    /// Windows Server 2019.
    Ws2019,
    /// Windows Server 2022.
    Ws2022,
    /// Windows Server 2025.
    Ws2025,
}

impl Version {
    /// Every version, oldest first.
    pub const ALL: [Version; 8] = [
        Version::Ws2008,
        Version::Ws2008R2,
        Version::Ws2012,
        Version::Ws2012R2,
        Version::Ws2016,
        Version::Ws2019,
        Version::Ws2022,
        Version::Ws2025,
    ];

    /// The key used in `data/migration/*.csv` (`2008`, `2008r2`, ...).
    pub fn key(self) -> &'static str {
        match self {
            Version::Ws2008 => "2008",
            Version::Ws2008R2 => "2008r2",
            Version::Ws2012 => "2012",
            Version::Ws2012R2 => "2012r2",
            Version::Ws2016 => "2016",
            Version::Ws2019 => "2019",
            Version::Ws2022 => "2022",
            Version::Ws2025 => "2025",
        }
    }

    /// Parses a data key (case-insensitive; `2008 R2` and `2008r2` both work).
    pub fn from_key(s: &str) -> Option<Version> {
        let k: String = s.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
        Version::ALL.into_iter().find(|v| v.key() == k)
    }

    /// The product name, as in `data/lifecycle/lifecycle.csv`.
    pub fn name(self) -> &'static str {
        match self {
            Version::Ws2008 => "Windows Server 2008",
            Version::Ws2008R2 => "Windows Server 2008 R2",
            Version::Ws2012 => "Windows Server 2012",
            Version::Ws2012R2 => "Windows Server 2012 R2",
            Version::Ws2016 => "Windows Server 2016",
            Version::Ws2019 => "Windows Server 2019",
            Version::Ws2022 => "Windows Server 2022",
            Version::Ws2025 => "Windows Server 2025",
        }
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Version {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// A destination `w2k8 migrate` plans for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Windows Server 2019.
    Ws2019,
    /// Windows Server 2022.
    Ws2022,
    /// Windows Server 2025.
    Ws2025,
}

impl Target {
    /// The version this target is.
    pub fn version(self) -> Version {
        match self {
            Target::Ws2019 => Version::Ws2019,
            Target::Ws2022 => Version::Ws2022,
            Target::Ws2025 => Version::Ws2025,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip() {
        for v in Version::ALL {
            assert_eq!(Version::from_key(v.key()), Some(v));
        }
        assert_eq!(Version::from_key("2008 R2"), Some(Version::Ws2008R2));
        assert_eq!(Version::from_key("2010"), None);
        assert!(Version::Ws2008 < Version::Ws2025);
    }
}
