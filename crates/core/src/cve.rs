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
    /// text column, which every list of ids in w2k8's output keeps. [`Ord`]
    /// orders by number.
    pub fn cmp_text(self, other: CveId) -> std::cmp::Ordering {
        self.text_key().cmp(&other.text_key())
    }

    /// A number that orders as the id's text does: for sorting many ids by
    /// text at the cost of an integer comparison ([`CveId::sort_by_text`]).
    pub fn text_key(self) -> u64 {
        if self.is_advisory() {
            // `ADV` sorts before `CVE`, and six digits order as their number.
            return u64::from(self.number);
        }
        // The digits as written (zero-padded to four), one per nibble, each
        // plus one, then zero nibbles: a shorter text that is a prefix of a
        // longer one sorts first, as text does. A year has four digits.
        let (mut n, mut digits, mut count) = (self.number, 0u64, 0u32);
        while n > 0 || count < 4 {
            digits |= u64::from(n % 10 + 1) << (4 * count);
            n /= 10;
            count += 1;
        }
        // At most nine digits: left-aligned in 36 bits, the first digit highest.
        1 << 63 | u64::from(self.year) << 36 | digits << (4 * 9u32.saturating_sub(count))
    }

    /// The id's text written into `buf`, without the formatting machinery
    /// (an assessment's JSON holds thousands of ids, a fleet's set digests
    /// hash millions): `CVE-` and a year take 9 bytes, a number at most 9.
    pub fn write(self, buf: &mut [u8; 18]) -> &str {
        let end = if self.is_advisory() {
            put(buf, 0, b"ADV");
            put_digits(buf, 3..9, self.number)
        } else {
            // Zero-padded to four digits; a valid id's number has at most nine.
            let len = (self.number.checked_ilog10().unwrap_or(0) as usize + 1).clamp(4, 9);
            put(buf, 0, b"CVE-");
            put_digits(buf, 4..8, u32::from(self.year));
            put(buf, 8, b"-");
            put_digits(buf, 9..9 + len, self.number)
        };
        buf.get(..end).and_then(|b| std::str::from_utf8(b).ok()).unwrap_or_default()
    }

    /// Sorts `ids` in the order of their texts ([`CveId::cmp_text`]).
    pub fn sort_by_text(ids: &mut [CveId]) {
        // Each key made once (a rollup's list holds over a thousand ids).
        let mut keyed: Vec<(u64, CveId)> = ids.iter().map(|id| (id.text_key(), *id)).collect();
        keyed.sort_unstable_by_key(|k| k.0);
        for (slot, (_, id)) in ids.iter_mut().zip(keyed) {
            *slot = id;
        }
    }
}

/// Writes `bytes` into `buf` at `at`; the end.
fn put(buf: &mut [u8], at: usize, bytes: &[u8]) -> usize {
    let end = at + bytes.len();
    if let Some(dst) = buf.get_mut(at..end) {
        dst.copy_from_slice(bytes);
    }
    end
}

/// Writes the last `at.len()` decimal digits of `n` (zero-padded) into
/// `buf` at `at`; the end.
fn put_digits(buf: &mut [u8], at: std::ops::Range<usize>, mut n: u32) -> usize {
    let end = at.end;
    for slot in buf.get_mut(at).unwrap_or_default().iter_mut().rev() {
        // n % 10 < 10: the cast keeps it.
        *slot = b'0' + (n % 10) as u8;
        n /= 10;
    }
    end
}

impl fmt::Display for CveId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `pad`: a table's `{:<16}` lines ids up.
        f.pad(self.write(&mut [0; 18]))
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

impl serde::Serialize for CveId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.write(&mut [0; 18]))
    }
}

crate::text_deserialize!(CveId);

/// An id equals a text when the text is its canonical form
/// (`CveId == "CVE-2019-0708"`, not `"cve-2019-0708"`).
impl PartialEq<str> for CveId {
    fn eq(&self, text: &str) -> bool {
        self.is(text)
    }
}

impl PartialEq<&str> for CveId {
    fn eq(&self, text: &&str) -> bool {
        self.is(text)
    }
}

/// The text of a CVE as a fleet stores it: its id, MSRC title and severity
/// (`critical`, `important`, ...). The catalog makes one per CVE and every
/// scan that has the CVE open shares it behind one `Arc` (one reference
/// count per scan, not one per string).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CveText {
    /// `CVE-YYYY-NNNN` (or an MSRC advisory id).
    pub id: CveId,
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

    /// By hand: the shortest and longest texts of each kind.
    #[test]
    fn extremes_are_written_in_full() {
        let text = |id: Option<CveId>| id.unwrap().write(&mut [0; 18]).to_string();
        assert_eq!(text(CveId::cve(1000, 0)), "CVE-1000-0000");
        assert_eq!(text(CveId::cve(2021, 34527)), "CVE-2021-34527");
        assert_eq!(text(CveId::cve(9999, 999_999_999)), "CVE-9999-999999999");
        assert_eq!(text(CveId::advisory(0)), "ADV000000");
        assert_eq!(text(CveId::advisory(999_999)), "ADV999999");
    }

    #[test]
    fn display_honours_width() {
        let id = CveId::cve(2021, 1675).unwrap();
        assert_eq!(format!("[{id:<16}]"), "[CVE-2021-1675   ]");
        assert_eq!(format!("[{id:>14}]"), "[ CVE-2021-1675]");
    }

    #[test]
    fn equals_its_canonical_text_only() {
        let id = CveId::cve(2019, 708).unwrap();
        assert!(id == "CVE-2019-0708");
        assert!(id != "cve-2019-0708" && id != "CVE-2019-708" && id != " CVE-2019-0708" && id != "CVE-2019-0709");
        assert!(CveId::advisory(190_023).unwrap() == "ADV190023");
    }

    /// By hand: text order puts a five-digit number before a larger
    /// four-digit one, advisories first, years in order.
    #[test]
    fn text_order_by_hand() {
        let texts = [
            "ADV190009",
            "ADV190023",
            "CVE-2019-0708",
            "CVE-2019-10000",
            "CVE-2019-9999",
            "CVE-2020-0001",
            "CVE-2020-10000",
            "CVE-2020-1405",
            "CVE-2020-14050",
            "CVE-2020-140500000",
            "CVE-2020-1406",
            "CVE-2021-0001",
        ];
        let ids: Vec<CveId> = texts.iter().map(|t| t.parse().unwrap()).collect();
        for w in ids.windows(2) {
            if let [a, b] = w {
                assert_eq!(a.cmp_text(*b), std::cmp::Ordering::Less, "{a} {b}");
                assert_eq!(b.cmp_text(*a), std::cmp::Ordering::Greater, "{a} {b}");
            }
        }
        let mut shuffled: Vec<CveId> = ids.iter().rev().copied().collect();
        CveId::sort_by_text(&mut shuffled);
        assert_eq!(shuffled, ids);
    }

    proptest! {
        /// `cmp_text` is the order of the texts, for any two ids.
        #[test]
        fn cmp_text_is_text_order(
            y1 in 1000u16..=9999, n1 in 0u32..=999_999_999, y2 in 1000u16..=9999, n2 in 0u32..=999_999_999,
            adv in proptest::option::of(0u32..=999_999), same_year in any::<bool>(),
            extend in proptest::option::of(0u32..10),
        ) {
            let a = CveId::cve(y1, n1).unwrap();
            // Sometimes `b`'s digits are `a`'s and one more: a prefix of its text.
            let n2 = match extend {
                Some(d) if same_year => (n1 % 100_000_000) * 10 + d,
                _ => n2,
            };
            let b = match adv {
                Some(n) => CveId::advisory(n).unwrap(),
                None => CveId::cve(if same_year { y1 } else { y2 }, n2).unwrap(),
            };
            prop_assert_eq!(a.cmp_text(b), a.to_string().cmp(&b.to_string()));
            prop_assert_eq!(b.cmp_text(a), b.to_string().cmp(&a.to_string()));
            prop_assert_eq!(a.cmp_text(a), std::cmp::Ordering::Equal);
        }

        /// The text written without `format!` is the formatted one.
        #[test]
        fn written_text_is_the_formatted_text(year in 1000u16..=9999, number in 0u32..=999_999_999, adv in 0u32..=999_999) {
            let id = CveId::cve(year, number).unwrap();
            prop_assert_eq!(id.to_string(), format!("CVE-{year:04}-{number:04}"));
            prop_assert_eq!(serde_json::to_string(&id).unwrap(), format!("\"CVE-{year:04}-{number:04}\""));
            prop_assert_eq!(CveId::advisory(adv).unwrap().to_string(), format!("ADV{adv:06}"));
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
