use crate::ParseValueError;
use std::fmt;
use std::str::FromStr;

/// A four-part Windows file version, `major.minor.build.revision`, such as
/// ntoskrnl.exe's `6.0.6003.20489`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileVersion {
    /// 6 for NT 6.x.
    pub major: u16,
    /// 0 for NT 6.0 (Vista/2008), 1 for NT 6.1 (7/2008 R2).
    pub minor: u16,
    /// 6001, 6002, 6003, 7600, 7601, ...
    pub build: u16,
    /// The servicing revision, e.g. 20489.
    pub revision: u16,
}

impl FileVersion {
    /// A version from its parts.
    pub fn new(major: u16, minor: u16, build: u16, revision: u16) -> FileVersion {
        FileVersion { major, minor, build, revision }
    }
}

impl fmt::Display for FileVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}.{}", self.major, self.minor, self.build, self.revision)
    }
}

impl FromStr for FileVersion {
    type Err = ParseValueError;
    /// Parses `6.0.6003.20489`, also with a trailing build tag as
    /// `wmic datafile` and file properties print it
    /// (`6.0.6003.20489 (vistasp2_ldr_escrow.190320-1700)`).
    fn from_str(s: &str) -> Result<FileVersion, ParseValueError> {
        const WANT: &str = "a file version like 6.0.6003.20489";
        let head = s.trim().split(|c: char| c.is_whitespace() || c == '(').next().unwrap_or("");
        let mut parts = [0u16; 4];
        let mut n = 0;
        for p in head.split('.') {
            if n == 4 || p.is_empty() || p.len() > 5 || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(ParseValueError::new(WANT, s));
            }
            let slot = parts.get_mut(n).ok_or_else(|| ParseValueError::new(WANT, s))?;
            *slot = p.parse().map_err(|_| ParseValueError::new(WANT, s))?;
            n += 1;
        }
        if n != 4 {
            return Err(ParseValueError::new(WANT, s));
        }
        Ok(FileVersion::new(parts[0], parts[1], parts[2], parts[3]))
    }
}

crate::text_serde!(FileVersion);

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn parses() {
        let v: FileVersion = "6.0.6003.20489 (vistasp2_ldr_escrow.190320-1700)".parse().unwrap();
        assert_eq!(v, FileVersion::new(6, 0, 6003, 20489));
        assert!("6.0.6003".parse::<FileVersion>().is_err());
        assert!("6.0.6003.99999".parse::<FileVersion>().is_err());
        assert!(FileVersion::new(6, 0, 6002, 24565) < FileVersion::new(6, 0, 6003, 20489));
    }
}
