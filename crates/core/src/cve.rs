//! [`CveId`]: a vulnerability id as Microsoft's data names it, a CVE
//! (`CVE-2019-0708`) or an MSRC security advisory (`ADV190023`). The one
//! parser of ids in w2k8: the catalog compiler, accepted risks and the API
//! all read them here.
use crate::ParseValueError;
use std::fmt;
use std::str::FromStr;

/// A CVE id or an MSRC advisory id, stored as numbers (`Copy`, 8 bytes).
///
/// Text form: `CVE-YYYY-NNNN` (a year of 4 digits, then 4 to 9 digits,
/// zero-padded to 4 and with no other leading zero, as the CVE program
/// writes them) or `ADVnnnnnn` (6 digits). Ordered by year, then number;
/// advisories first.
///
/// ```
/// use w2k8_core::CveId;
/// let id: CveId = " cve-2019-0708 ".parse().unwrap();
/// assert_eq!(id.to_string(), "CVE-2019-0708");
/// assert_eq!((id.year(), id.number()), (Some(2019), 708));
/// assert_eq!(CveId::canonical("cve-2019-0708"), None, "data files are exact");
/// assert_eq!(CveId::canonical("ADV190023").unwrap().to_string(), "ADV190023");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CveId {
    /// The CVE's year, 0 for an advisory.
    year: u16,
    /// The CVE's number, or the advisory's six digits.
    number: u32,
}

const EXPECTED: &str = "a CVE id like CVE-2019-0708 (or an MSRC advisory like ADV190023)";

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

impl CveId {
    /// `CVE-year-number`, when the year has four digits and the number fits
    /// the CVE syntax (4 to 9 digits once zero-padded to 4).
    pub fn cve(year: u16, number: u32) -> Option<CveId> {
        ((1000..=9999).contains(&year) && number <= 999_999_999).then_some(CveId { year, number })
    }

    /// `ADVnnnnnn`, when `number` has at most six digits.
    pub fn advisory(number: u32) -> Option<CveId> {
        (number <= 999_999).then_some(CveId { year: 0, number })
    }

    /// Reads an id written exactly in its canonical form (upper case, no
    /// space): what a data file must hold. `None` otherwise.
    pub fn canonical(s: &str) -> Option<CveId> {
        if let Some(digits) = s.strip_prefix("ADV") {
            return (digits.len() == 6 && all_digits(digits))
                .then(|| digits.parse().ok())
                .flatten()
                .and_then(CveId::advisory);
        }
        let (year, number) = s.strip_prefix("CVE-")?.split_once('-')?;
        if year.len() != 4 || !all_digits(year) || !(4..=9).contains(&number.len()) || !all_digits(number) {
            return None;
        }
        // A number longer than four digits has no leading zero: the text round-trips.
        if number.len() > 4 && number.starts_with('0') {
            return None;
        }
        CveId::cve(year.parse().ok()?, number.parse().ok()?)
    }

    /// The CVE's year; `None` for an advisory.
    pub fn year(self) -> Option<u16> {
        (self.year != 0).then_some(self.year)
    }

    /// The CVE's number, or the advisory's six digits.
    pub fn number(self) -> u32 {
        self.number
    }

    /// True for an MSRC advisory (`ADV...`).
    pub fn is_advisory(self) -> bool {
        self.year == 0
    }

    /// True when `text` is this id in its canonical form.
    pub fn is(self, text: &str) -> bool {
        CveId::canonical(text) == Some(self)
    }

    /// The order of the ids' texts (`CVE-2019-10000` before `CVE-2019-9999`),
    /// without writing them out: the order of the stores' `ORDER BY` on the
    /// text column, which fleet lists keep. [`Ord`] orders by number.
    pub fn cmp_text(self, other: CveId) -> std::cmp::Ordering {
        // `ADV` sorts before `CVE`; a year and an advisory number have a
        // fixed width, so their numbers order as their texts.
        (!self.is_advisory(), self.year).cmp(&(!other.is_advisory(), other.year)).then_with(|| {
            match self.is_advisory() {
                true => self.number.cmp(&other.number),
                false => Digits::of(self.number).as_bytes().cmp(Digits::of(other.number).as_bytes()),
            }
        })
    }
}

/// A CVE number's digits as written (zero-padded to four).
struct Digits {
    buf: [u8; 10],
    start: usize,
}

impl Digits {
    fn of(mut n: u32) -> Digits {
        let mut buf = [b'0'; 10];
        let mut start = buf.len();
        while n > 0 || buf.len() - start < 4 {
            start -= 1;
            if let Some(d) = buf.get_mut(start) {
                // n % 10 < 10: the cast keeps it.
                *d = b'0' + (n % 10) as u8;
            }
            n /= 10;
        }
        Digits { buf, start }
    }

    fn as_bytes(&self) -> &[u8] {
        self.buf.get(self.start..).unwrap_or_default()
    }
}

impl fmt::Display for CveId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.year == 0 {
            write!(f, "ADV{:06}", self.number)
        } else {
            write!(f, "CVE-{:04}-{:04}", self.year, self.number)
        }
    }
}

impl FromStr for CveId {
    type Err = ParseValueError;
    /// Reads an id as a person types it: surrounding space and letter case
    /// do not matter (`cve-2019-0708`).
    fn from_str(s: &str) -> Result<CveId, ParseValueError> {
        CveId::canonical(&s.trim().to_ascii_uppercase()).ok_or_else(|| ParseValueError::new(EXPECTED, s))
    }
}

crate::text_serde!(CveId);

/// The text of a CVE as a fleet stores it: its id, MSRC title and severity
/// (`critical`, `important`, ...). The catalog makes one per CVE and every
/// scan that has the CVE open shares it behind one `Arc` (one reference
/// count per scan, not one per string).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CveText {
    /// `CVE-YYYY-NNNN` (or an MSRC advisory id).
    pub id: Box<str>,
    /// The MSRC title.
    pub title: Box<str>,
    /// The severity's name.
    pub severity: Box<str>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn canonical_forms() {
        let ok = [
            ("CVE-2019-0708", Some(2019), 708),
            ("CVE-2021-34527", Some(2021), 34527),
            ("CVE-2017-0143", Some(2017), 143),
            ("CVE-2024-123456789", Some(2024), 123_456_789),
            ("ADV190023", None, 190_023),
            ("ADV000001", None, 1),
        ];
        for (text, year, number) in ok {
            let id = CveId::canonical(text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!((id.year(), id.number(), id.to_string().as_str()), (year, number, text));
            assert!(id.is(text));
        }
        for bad in [
            "",
            "CVE",
            "CVE-2019-708",
            "CVE-19-0708",
            "CVE-2019-07080",
            "CVE-2019-1234567890",
            "cve-2019-0708",
            " CVE-2019-0708",
            "CVE-2019-0708 ",
            "CVE-2019_0708",
            "CVE-2019-07a8",
            "ADV19002",
            "ADV1900230",
            "adv190023",
            "KB4534303",
            "CVE-2019-",
            "CVE--0708",
        ] {
            assert_eq!(CveId::canonical(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn typed_forms_are_forgiving_and_errors_say_what_was_expected() {
        assert_eq!(" cve-2019-0708\n".parse::<CveId>().unwrap().to_string(), "CVE-2019-0708");
        assert_eq!("adv190023".parse::<CveId>().unwrap().to_string(), "ADV190023");
        let e = "CVE-2019".parse::<CveId>().unwrap_err();
        assert_eq!(
            e.to_string(),
            "expected a CVE id like CVE-2019-0708 (or an MSRC advisory like ADV190023), got \"CVE-2019\""
        );
    }

    #[test]
    fn order_and_json() {
        let a: CveId = "ADV190023".parse().unwrap();
        let b: CveId = "CVE-2019-9999".parse().unwrap();
        let c: CveId = "CVE-2019-10000".parse().unwrap();
        assert!(a < b && b < c, "advisories first, then by number (not by text)");
        assert_eq!(serde_json::to_string(&b).unwrap(), "\"CVE-2019-9999\"");
        assert_eq!(serde_json::from_str::<CveId>("\"cve-2019-9999\"").unwrap(), b);
        assert!(serde_json::from_str::<CveId>("\"CVE-2019\"").is_err());
    }

    /// By hand: text order puts a five-digit number before a larger
    /// four-digit one, advisories first, years in order.
    #[test]
    fn text_order_by_hand() {
        let ids = ["ADV190009", "ADV190023", "CVE-2019-0708", "CVE-2019-10000", "CVE-2019-9999", "CVE-2020-0001"];
        let ids: Vec<CveId> = ids.iter().map(|t| t.parse().unwrap()).collect();
        for w in ids.windows(2) {
            if let [a, b] = w {
                assert_eq!(a.cmp_text(*b), std::cmp::Ordering::Less, "{a} {b}");
                assert_eq!(b.cmp_text(*a), std::cmp::Ordering::Greater, "{a} {b}");
            }
        }
    }

    proptest! {
        /// `cmp_text` is the order of the texts, for any two ids.
        #[test]
        fn cmp_text_is_text_order(
            y1 in 1000u16..=9999, n1 in 0u32..=999_999_999, y2 in 1000u16..=9999, n2 in 0u32..=999_999_999,
            adv in proptest::option::of(0u32..=999_999), same_year in any::<bool>(),
        ) {
            let a = CveId::cve(y1, n1).unwrap();
            let b = match adv {
                Some(n) => CveId::advisory(n).unwrap(),
                None => CveId::cve(if same_year { y1 } else { y2 }, n2).unwrap(),
            };
            prop_assert_eq!(a.cmp_text(b), a.to_string().cmp(&b.to_string()));
            prop_assert_eq!(b.cmp_text(a), b.to_string().cmp(&a.to_string()));
            prop_assert_eq!(a.cmp_text(a), std::cmp::Ordering::Equal);
        }

        #[test]
        fn text_round_trips(year in 1000u16..=9999, number in 0u32..=999_999_999, adv in 0u32..=999_999) {
            let id = CveId::cve(year, number).unwrap();
            prop_assert_eq!(CveId::canonical(&id.to_string()), Some(id));
            let a = CveId::advisory(adv).unwrap();
            prop_assert_eq!(CveId::canonical(&a.to_string()), Some(a));
        }

        #[test]
        fn never_panics(s in "\\PC{0,24}") {
            let _ = s.parse::<CveId>();
            let _ = CveId::canonical(&s);
        }
    }
}
