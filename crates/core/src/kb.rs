use crate::ParseValueError;
use serde::{Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A Microsoft Knowledge Base article number, the name every update goes by.
///
/// Parses `KB4493471`, `kb4493471`, `4493471` and `Q147222` (the pre-2000
/// form); prints as `KB4493471`. Serialized as that string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Kb(u32);

impl Kb {
    /// A KB from its number. Returns `None` for 0.
    pub fn new(number: u32) -> Option<Kb> {
        (number != 0).then_some(Kb(number))
    }

    /// The number without the `KB` prefix.
    pub fn number(self) -> u32 {
        self.0
    }

    /// Finds a KB number at the start of `s` in the loose forms hotfix lists
    /// use: `KB4493471`, `KB2510531-IE8`, `KB2536276-v2`, `Q147222`, or a
    /// bare `943729`. Returns `None` for `File 1`, GUIDs and other text.
    pub fn find_loose(s: &str) -> Option<Kb> {
        let s = s.trim();
        let rest =
            if let Some(r) = s.strip_prefix("KB").or_else(|| s.strip_prefix("kb")).or_else(|| s.strip_prefix("Kb")) {
                r
            } else if let Some(r) = s.strip_prefix('Q').or_else(|| s.strip_prefix('q')) {
                r
            } else {
                s
            };
        let digits: &str = &rest[..rest.bytes().take_while(u8::is_ascii_digit).count()];
        if digits.len() < 4 || digits.len() > 8 {
            return None;
        }
        // A bare number must be all the text (or followed by a separator), so
        // that "2008" in prose is not taken for a KB.
        let after = &rest[digits.len()..];
        if !after.is_empty() && !after.starts_with(['-', '_', ' ', '.', ')', ',']) {
            return None;
        }
        digits.parse().ok().and_then(Kb::new)
    }
}

impl fmt::Display for Kb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KB{}", self.0)
    }
}

impl FromStr for Kb {
    type Err = ParseValueError;
    fn from_str(s: &str) -> Result<Kb, ParseValueError> {
        let t = s.trim();
        let digits =
            t.strip_prefix("KB").or_else(|| t.strip_prefix("kb")).or_else(|| t.strip_prefix("Kb")).unwrap_or(t);
        if digits.is_empty() || digits.len() > 9 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ParseValueError::new("a KB number like KB4493471", s));
        }
        digits.parse().ok().and_then(Kb::new).ok_or_else(|| ParseValueError::new("a KB number like KB4493471", s))
    }
}

impl Kb {
    /// `KBnnnnnnn` written into `buf` without the formatting machinery (the
    /// JSON of a badly patched host holds thousands of KBs).
    fn write(self, buf: &mut [u8; 12]) -> &str {
        // Digits from the right; a u32 has at most 10, so "KB" always fits.
        let mut n = self.0;
        let mut start = buf.len();
        for slot in buf.iter_mut().rev() {
            *slot = b'0' + (n % 10) as u8;
            n /= 10;
            start -= 1;
            if n == 0 {
                break;
            }
        }
        let head = start.saturating_sub(2);
        for (slot, b) in buf.iter_mut().skip(head).zip(*b"KB") {
            *slot = b;
        }
        buf.get(head..).and_then(|b| std::str::from_utf8(b).ok()).unwrap_or("KB?")
    }
}

impl Serialize for Kb {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut buf = [0u8; 12];
        s.serialize_str(self.write(&mut buf))
    }
}

crate::text_deserialize!(Kb);

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The serialized form is the displayed one, for every KB number.
        #[test]
        fn serializes_as_displayed(n in 1u32..) {
            let kb = Kb::new(n).unwrap();
            proptest::prop_assert_eq!(serde_json::to_string(&kb).unwrap(), format!("\"{kb}\""));
        }
    }

    #[test]
    fn serializes_extremes() {
        for n in [1, 9, 10, 4493471, u32::MAX] {
            let kb = Kb::new(n).unwrap();
            assert_eq!(serde_json::to_string(&kb).unwrap(), format!("\"KB{n}\""));
        }
    }

    #[test]
    fn parses_forms() {
        assert_eq!("KB4493471".parse::<Kb>().unwrap().number(), 4493471);
        assert_eq!("4493471".parse::<Kb>().unwrap().number(), 4493471);
        assert!("KB".parse::<Kb>().is_err());
        assert!("KB0".parse::<Kb>().is_err());
        assert!("File 1".parse::<Kb>().is_err());
    }

    #[test]
    fn loose_forms() {
        assert_eq!(Kb::find_loose("KB2510531-IE8"), Kb::new(2510531));
        assert_eq!(Kb::find_loose("KB2536276-v2"), Kb::new(2536276));
        assert_eq!(Kb::find_loose("KB2378111_WM9"), Kb::new(2378111));
        assert_eq!(Kb::find_loose("Q147222"), Kb::new(147222));
        assert_eq!(Kb::find_loose("943729"), Kb::new(943729));
        assert_eq!(Kb::find_loose("File 1"), None);
        assert_eq!(Kb::find_loose("{7A068575-C5DB-43D9-BE20-3895D0C69B17}"), None);
        assert_eq!(Kb::find_loose("KB12"), None);
    }

    proptest::proptest! {
        #[test]
        fn display_round_trips(n in 1u32..100_000_000) {
            let kb = Kb::new(n).unwrap();
            proptest::prop_assert_eq!(kb.to_string().parse::<Kb>().unwrap(), kb);
        }
        #[test]
        fn loose_never_panics(s in ".*") { let _ = Kb::find_loose(&s); }
    }
}
