use serde::{Deserialize, Serialize};
use std::fmt;

/// The processor architecture of a Windows installation.
///
/// Serialized as `x86`, `x64` or `ia64` (the names the JSON contract uses).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Arch {
    /// 32-bit x86 (`X86-based PC`, package arch `x86`).
    X86,
    /// x64 (`x64-based PC`, package arch `amd64`).
    X64,
    /// Itanium (`Itanium-based PC`, package arch `ia64`).
    Ia64,
}

impl Arch {
    /// The short name: `x86`, `x64`, `ia64`.
    pub fn as_str(self) -> &'static str {
        match self {
            Arch::X86 => "x86",
            Arch::X64 => "x64",
            Arch::Ia64 => "ia64",
        }
    }

    /// The name CBS package identities use: `x86`, `amd64`, `ia64`.
    pub fn package_arch(self) -> &'static str {
        match self {
            Arch::X86 => "x86",
            Arch::X64 => "amd64",
            Arch::Ia64 => "ia64",
        }
    }

    /// Recognises the spellings Windows prints: systeminfo's System Type
    /// (`x64-based PC`, `X86-based PC`, `Itanium (TM) based System`), wmic's
    /// OSArchitecture (`64-bit`, `32-bit`, or localized variants such as
    /// `64 bits`), and package/PROCESSOR_ARCHITECTURE names (`amd64`, `x86`,
    /// `ia64`). `64-bit` alone is taken as x64: Itanium says Itanium.
    pub fn recognise(text: &str) -> Option<Arch> {
        let t = text.trim().to_ascii_lowercase();
        if t.contains("itanium") || t.contains("ia64") || t.contains("ia-64") {
            Some(Arch::Ia64)
        } else if t.contains("x64")
            || t.contains("amd64")
            || t.contains("x86_64")
            || t.contains("em64t")
            || t.starts_with("64")
        {
            Some(Arch::X64)
        } else if t.contains("x86") || t.starts_with("32") || t.contains("i386") {
            Some(Arch::X86)
        } else {
            None
        }
    }
}

impl fmt::Display for Arch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn spellings() {
        assert_eq!(Arch::recognise("x64-based PC"), Some(Arch::X64));
        assert_eq!(Arch::recognise("X86-based PC"), Some(Arch::X86));
        assert_eq!(Arch::recognise("Itanium (TM) -based System"), Some(Arch::Ia64));
        assert_eq!(Arch::recognise("64-bit"), Some(Arch::X64));
        assert_eq!(Arch::recognise("32 bits"), Some(Arch::X86));
        assert_eq!(Arch::recognise("amd64"), Some(Arch::X64));
        assert_eq!(Arch::recognise("PC"), None);
    }
}
