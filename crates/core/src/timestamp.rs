use crate::{Date, ParseValueError};
use serde::{Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// An instant in UTC to the second: when a scan was made, a report
/// generated or a risk accepted. Printed and parsed as
/// `YYYY-MM-DDTHH:MM:SSZ`, the form every w2k8 output and both fleet
/// databases hold; ordered in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    date: Date,
    /// Seconds since midnight, below 86,400.
    secs: u32,
}

const WANT: &str = "a UTC time like 2026-03-10T12:00:00Z";

impl Timestamp {
    /// The instant `hour:minute:second` UTC on `date`, or `None` when a
    /// field is out of range (no leap second).
    pub fn new(date: Date, hour: u32, minute: u32, second: u32) -> Option<Timestamp> {
        (hour < 24 && minute < 60 && second < 60)
            .then_some(Timestamp { date, secs: hour * 3600 + minute * 60 + second })
    }

    /// Midnight UTC at the start of `date`.
    pub fn midnight(date: Date) -> Timestamp {
        Timestamp { date, secs: 0 }
    }

    /// Noon UTC on `date` (the time a scan run `--as-of` that day records).
    pub fn noon(date: Date) -> Timestamp {
        Timestamp { date, secs: 12 * 3600 }
    }

    /// The instant `secs` seconds after 1970-01-01T00:00:00Z.
    pub fn from_unix(secs: i64) -> Timestamp {
        let day = Date::from_days(secs.div_euclid(86_400));
        Timestamp { date: day, secs: u32::try_from(secs.rem_euclid(86_400)).unwrap_or(0) }
    }

    /// Now, from the system clock.
    pub fn now() -> Timestamp {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_secs()).unwrap_or(0))
            .unwrap_or(0);
        Timestamp::from_unix(secs)
    }

    /// The UTC day.
    pub fn date(self) -> Date {
        self.date
    }

    /// The hour, 0-23.
    pub fn hour(self) -> u32 {
        self.secs / 3600
    }

    /// The minute, 0-59.
    pub fn minute(self) -> u32 {
        (self.secs / 60) % 60
    }

    /// The second, 0-59.
    pub fn second(self) -> u32 {
        self.secs % 60
    }

    /// Seconds since 1970-01-01T00:00:00Z.
    pub fn unix(self) -> i64 {
        self.date.to_days() * 86_400 + i64::from(self.secs)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}T{:02}:{:02}:{:02}Z", self.date, self.hour(), self.minute(), self.second())
    }
}

impl FromStr for Timestamp {
    type Err = ParseValueError;
    /// Parses `YYYY-MM-DDTHH:MM:SSZ` (a space for the `T`, and `+00:00`
    /// for the `Z`, are taken too; no other offset, no fraction).
    fn from_str(s: &str) -> Result<Timestamp, ParseValueError> {
        let bad = || ParseValueError::new(WANT, s);
        let t = s.trim();
        let t = t.strip_suffix('Z').or_else(|| t.strip_suffix("+00:00")).ok_or_else(bad)?;
        let (day, time) = t.split_once(['T', ' ']).ok_or_else(bad)?;
        let date: Date = day.parse().map_err(|_| bad())?;
        let mut parts = time.split(':');
        let mut field = || -> Option<u32> {
            let p = parts.next()?;
            (p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit())).then(|| p.parse().ok()).flatten()
        };
        let (h, m, sec) = (field(), field(), field());
        if parts.next().is_some() {
            return Err(bad());
        }
        match (h, m, sec) {
            (Some(h), Some(m), Some(sec)) => Timestamp::new(date, h, m, sec).ok_or_else(bad),
            _ => Err(bad()),
        }
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

crate::text_deserialize!(Timestamp);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn parses_and_prints_the_form_w2k8_writes() {
        let t = ts("2026-03-10T12:34:56Z");
        assert_eq!(t.to_string(), "2026-03-10T12:34:56Z");
        assert_eq!(t.date().to_string(), "2026-03-10");
        assert_eq!((t.hour(), t.minute(), t.second()), (12, 34, 56));
        assert_eq!(ts("2026-03-10 12:34:56+00:00"), t);
        assert_eq!(serde_json::to_string(&t).unwrap(), "\"2026-03-10T12:34:56Z\"");
        assert_eq!(serde_json::from_str::<Timestamp>("\"2026-03-10T12:34:56Z\"").unwrap(), t);
    }

    #[test]
    fn refuses_what_is_not_one_utc_second() {
        for bad in [
            "",
            "2026-03-10",
            "2026-03-10T12:34Z",
            "2026-03-10T12:34:56",
            "2026-03-10T24:00:00Z",
            "2026-03-10T12:60:00Z",
            "2026-03-10T12:34:60Z",
            "2026-02-30T12:00:00Z",
            "2026-03-10T12:34:56.5Z",
            "2026-03-10T12:34:56+01:00",
            "2026-03-10T1:2:3Z",
            "2026-03-10T12:34:56:00Z",
        ] {
            let e = bad.parse::<Timestamp>().unwrap_err();
            assert_eq!(e.expected, WANT, "{bad}");
        }
    }

    #[test]
    fn orders_in_time_and_counts_unix_seconds() {
        assert!(ts("2026-03-10T23:59:59Z") < ts("2026-03-11T00:00:00Z"));
        assert_eq!(ts("1970-01-01T00:00:00Z").unix(), 0);
        assert_eq!(ts("2026-01-01T00:00:01Z").unix(), 1_767_225_601);
        assert_eq!(Timestamp::from_unix(1_767_225_601), ts("2026-01-01T00:00:01Z"));
        assert_eq!(Timestamp::midnight(Date::new(2026, 1, 1).unwrap()).to_string(), "2026-01-01T00:00:00Z");
    }

    proptest! {
        #[test]
        fn printing_and_parsing_round_trip(secs in -30_610_224_000i64..253_402_300_799i64) {
            let t = Timestamp::from_unix(secs);
            prop_assert_eq!(t.unix(), secs);
            let back: Timestamp = t.to_string().parse().unwrap();
            prop_assert_eq!(back, t);
        }

        #[test]
        fn parsing_never_panics(s in ".{0,40}") {
            let _ = s.parse::<Timestamp>();
        }
    }
}
