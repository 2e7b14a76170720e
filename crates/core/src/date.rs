use crate::ParseValueError;
use serde::{Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A proleptic Gregorian calendar date, printed and parsed as `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// The year: an `i16` keeps a date in four bytes (a CVE table holds
    /// some seventy thousand fix dates); `new` accepts 1000-9999 only.
    year: i16,
    month: u8,
    day: u8,
}

impl Date {
    /// A date, or `None` if it does not exist (e.g. 2019-02-30).
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || !(1000..=9999).contains(&year) {
            return None;
        }
        let y = i16::try_from(year).ok()?;
        (day <= days_in_month(year, month)).then_some(Date { year: y, month: month as u8, day: day as u8 })
    }

    /// The year.
    pub fn year(self) -> i32 {
        i32::from(self.year)
    }
    /// The month, 1-12.
    pub fn month(self) -> u32 {
        u32::from(self.month)
    }
    /// The day of the month, 1-31.
    pub fn day(self) -> u32 {
        u32::from(self.day)
    }

    /// `YYYY-MM`, the form "patched through" uses.
    pub fn month_string(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    /// Days since 1970-01-01 (negative before).
    pub fn to_days(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let d = i64::from(self.day);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` days after 1970-01-01.
    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let y = yoe + era * 400;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        // Saturates outside the years an i16 holds (some 11 million days
        // either side of 1970; no date w2k8 reads comes near).
        let year = i16::try_from(y + i64::from(m <= 2)).unwrap_or(if y < 0 { i16::MIN } else { i16::MAX });
        Date { year, month: m, day: d }
    }

    /// Whole days from `self` to `later` (negative if `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        later.to_days() - self.to_days()
    }

    /// Today's date in UTC from the system clock.
    pub fn today_utc() -> Date {
        let secs =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
        Date::from_days(secs.div_euclid(86_400))
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = ParseValueError;
    /// Parses `YYYY-MM-DD` (also `YYYYMMDD`, the form MSRC data uses).
    fn from_str(s: &str) -> Result<Date, ParseValueError> {
        const WANT: &str = "a date like 2019-04-09";
        let t = s.trim();
        let (y, m, d) = if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
            (&t[0..4], &t[4..6], &t[6..8])
        } else {
            let mut it = t.splitn(3, '-');
            match (it.next(), it.next(), it.next()) {
                (Some(y), Some(m), Some(d)) if y.len() == 4 && m.len() == 2 && d.len() == 2 => (y, m, d),
                _ => return Err(ParseValueError::new(WANT, s)),
            }
        };
        let num = |x: &str| -> Option<u32> { x.bytes().all(|b| b.is_ascii_digit()).then(|| x.parse().ok()).flatten() };
        match (num(y), num(m), num(d)) {
            (Some(y), Some(m), Some(d)) => Date::new(y as i32, m, d).ok_or_else(|| ParseValueError::new(WANT, s)),
            _ => Err(ParseValueError::new(WANT, s)),
        }
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // YYYY-MM-DD without the formatting machinery, for years 0..=9999
        // (every date w2k8 meets); others through Display.
        let Ok(y) = u16::try_from(self.year).map(u32::from) else { return s.collect_str(self) };
        if y > 9999 {
            return s.collect_str(self);
        }
        let d = |v: u32| b'0' + (v % 10) as u8;
        let (m, dd) = (u32::from(self.month), u32::from(self.day));
        let buf = [d(y / 1000), d(y / 100), d(y / 10), d(y), b'-', d(m / 10), d(m), b'-', d(dd / 10), d(dd)];
        s.serialize_str(std::str::from_utf8(&buf).unwrap_or("0000-00-00"))
    }
}

crate::text_deserialize!(Date);

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The serialized form is the displayed one, for every day w2k8 can meet.
        #[test]
        fn serializes_as_displayed(days in 0i64..3_000_000) {
            let d = Date::from_days(days);
            proptest::prop_assert_eq!(serde_json::to_string(&d).unwrap(), format!("\"{d}\""));
        }
    }

    #[test]
    fn known_days() {
        assert_eq!(Date::new(1970, 1, 1).unwrap().to_days(), 0);
        let a: Date = "2020-01-14".parse().unwrap();
        let b: Date = "2023-01-10".parse().unwrap();
        assert_eq!(a.days_until(b), 1092);
        assert!("2019-02-30".parse::<Date>().is_err());
        assert_eq!("20190409".parse::<Date>().unwrap().to_string(), "2019-04-09");
    }

    proptest::proptest! {
        #[test]
        fn days_round_trip(n in -300_000i64..3_000_000) {
            let d = Date::from_days(n);
            proptest::prop_assert_eq!(d.to_days(), n);
            proptest::prop_assert_eq!(d.to_string().parse::<Date>().ok(), if (1000..=9999).contains(&d.year()) { Some(d) } else { None });
        }
        #[test]
        fn parse_never_panics(s in ".*") { let _ = s.parse::<Date>(); }
    }
}
