//! [`Month`]: a calendar month, the unit of "patched through".
use crate::{Date, ParseValueError};
use std::fmt;
use std::str::FromStr;

/// A calendar month, printed and parsed as `YYYY-MM`; ordered in time.
///
/// ```
/// use w2k8_core::{Date, Month};
/// let m: Month = "2019-04".parse().unwrap();
/// assert_eq!(m, Month::of(Date::new(2019, 4, 9).unwrap()));
/// assert_eq!(m.to_string(), "2019-04");
/// assert_eq!(m.last_day().to_string(), "2019-04-30");
/// assert!(m < "2019-10".parse().unwrap());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: u16,
    month: u8,
}

impl Month {
    /// A month, or `None` outside years 1000-9999 or months 1-12.
    pub fn new(year: i32, month: u32) -> Option<Month> {
        let year = u16::try_from(year).ok().filter(|y| (1000..=9999).contains(y))?;
        (1..=12).contains(&month).then_some(Month { year, month: month as u8 })
    }

    /// The month a day falls in.
    pub fn of(d: Date) -> Month {
        // A Date's year is in 1000..=9999 and its month in 1..=12.
        Month { year: u16::try_from(d.year()).unwrap_or(1000), month: d.month() as u8 }
    }

    /// The year.
    pub fn year(self) -> i32 {
        i32::from(self.year)
    }

    /// The month of the year, 1-12.
    pub fn number(self) -> u32 {
        u32::from(self.month)
    }

    /// The first day of the month.
    pub fn first_day(self) -> Date {
        Date::new(self.year(), self.number(), 1).unwrap_or_else(|| Date::from_days(0))
    }

    /// The last day of the month.
    pub fn last_day(self) -> Date {
        Date::from_days(self.next().first_day().to_days() - 1)
    }

    /// The month after this one.
    pub fn next(self) -> Month {
        if self.month == 12 {
            Month::new(self.year() + 1, 1).unwrap_or(self)
        } else {
            Month { year: self.year, month: self.month + 1 }
        }
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for Month {
    type Err = ParseValueError;
    /// Parses `YYYY-MM`.
    fn from_str(s: &str) -> Result<Month, ParseValueError> {
        const WANT: &str = "a month like 2019-04";
        let t = s.trim();
        let (y, m) = t.split_once('-').ok_or_else(|| ParseValueError::new(WANT, s))?;
        let digits = |x: &str, n: usize| x.len() == n && x.bytes().all(|b| b.is_ascii_digit());
        if !digits(y, 4) || !digits(m, 2) {
            return Err(ParseValueError::new(WANT, s));
        }
        let (y, m) = (y.parse().unwrap_or(0), m.parse().unwrap_or(0));
        Month::new(y, m).ok_or_else(|| ParseValueError::new(WANT, s))
    }
}

crate::text_serde!(Month);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parse_print_and_bounds() {
        for (text, last) in [("2019-04", "2019-04-30"), ("2024-02", "2024-02-29"), ("2023-12", "2023-12-31")] {
            let m: Month = text.parse().unwrap();
            assert_eq!((m.to_string().as_str(), m.last_day().to_string().as_str()), (text, last));
            assert_eq!(m.first_day().to_string(), format!("{text}-01"));
        }
        assert_eq!("2023-12".parse::<Month>().unwrap().next().to_string(), "2024-01");
        for bad in ["", "2019", "2019-4", "2019-13", "2019-00", "19-04", "2019-04-01", "x-y", "2019/04"] {
            assert!(bad.parse::<Month>().is_err(), "{bad}");
        }
        assert_eq!(serde_json::to_string(&Month::new(2020, 1).unwrap()).unwrap(), "\"2020-01\"");
    }

    proptest! {
        #[test]
        fn order_is_time_order_and_text_round_trips(y in 1000i32..=9999, m in 1u32..=12, y2 in 1000i32..=9999, m2 in 1u32..=12) {
            let (a, b) = (Month::new(y, m).unwrap(), Month::new(y2, m2).unwrap());
            prop_assert_eq!(a.cmp(&b), (y, m).cmp(&(y2, m2)));
            prop_assert_eq!(a.to_string() < b.to_string(), a < b, "text order is time order too");
            prop_assert_eq!(a.to_string().parse::<Month>().ok(), Some(a));
        }
    }
}
