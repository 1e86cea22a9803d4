//! Points in time (appointment start times) and calendar dates (dates of birth).
//!
//! Parsing is RFC 3339 exactly as the `time` crate reads it (a test holds the two equal), done by
//! hand because `time`'s parser cost the worker about 20 KB of wasm: a missing offset gets a code
//! of its own, and instants that could be written but never read back from storage are refused.
//! The text is written back by hand, digit by digit, because `format!` cost more than the rest of
//! a list row.
//!
//! A [`Timestamp`] is an RFC 3339 instant with an explicit UTC offset. The offset the client
//! gave is kept, so `2025-06-04T16:30:00+01:00` comes back exactly as it went in. A timestamp
//! without an offset is refused with its own code, because guessing a zone for a hospital
//! appointment is how people end up an hour early or late.
//!
//! A [`DateOfBirth`] is a plain `YYYY-MM-DD` calendar date, not in the future and not absurdly old.

use std::fmt;

use serde::{Serialize, Serializer};
use time::{Date, Month, OffsetDateTime, Time, UtcOffset};

use super::invalid::Invalid;

/// An instant with the UTC offset it was given in.
///
/// Equality, ordering and hashing compare the *instant* (as `time::OffsetDateTime` does):
/// `09:30:00Z` equals `10:30:00+01:00`. Use [`Timestamp::to_rfc3339`] to compare text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(OffsetDateTime);

/// Largest offset RFC 3339 can write: `±23:59`.
const MAX_OFFSET_SECONDS: i32 = 23 * 3600 + 59 * 60;

/// `n` ASCII digits at `at`, as a number.
fn digits(bytes: &[u8], at: usize, n: usize) -> Option<u32> {
    bytes.get(at..at + n)?.iter().try_fold(0, |value, &d| d.is_ascii_digit().then(|| value * 10 + u32::from(d - b'0')))
}

/// `YYYY-MM-DD`, any one byte, `HH:MM:SS` and an optional `.fraction` (any number of digits, the
/// first nine counted), as `time`'s RFC 3339 parser reads them: the date and time, the separator,
/// what follows, and whether the second was 60 (a leap second, read as 59.999999999;
/// [`Timestamp::parse`] checks that it falls where one can).
fn date_time(bytes: &[u8]) -> Option<(Date, Time, u8, &[u8], bool)> {
    let date = iso_date(bytes)?;
    if bytes.get(13) != Some(&b':') || bytes.get(16) != Some(&b':') {
        return None;
    }
    let (hour, minute, mut second) = (digits(bytes, 11, 2)?, digits(bytes, 14, 2)?, digits(bytes, 17, 2)?);
    let mut rest = &bytes[19..];
    let mut nanosecond = 0;
    if let [b'.', fraction @ ..] = rest {
        let length = fraction.iter().take_while(|d| d.is_ascii_digit()).count();
        if length == 0 {
            return None;
        }
        let mut unit = 100_000_000;
        for &d in &fraction[..length] {
            nanosecond += u32::from(d - b'0') * unit;
            unit /= 10;
        }
        rest = &fraction[length..];
    }
    let leap = second == 60;
    if leap {
        (second, nanosecond) = (59, 999_999_999);
    }
    let time = Time::from_hms_nano(
        u8::try_from(hour).ok()?,
        u8::try_from(minute).ok()?,
        u8::try_from(second).ok()?,
        nanosecond,
    )
    .ok()?;
    Some((date, time, bytes[10], rest, leap))
}

/// `Z`, `z` or `±HH:MM` (hours up to 23, minutes up to 59), in seconds east of UTC.
fn offset(bytes: &[u8]) -> Option<i32> {
    match bytes {
        [b'Z' | b'z'] => Some(0),
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let (hours, minutes) = (digits(bytes, 1, 2)?, digits(bytes, 4, 2)?);
            if hours > 23 || minutes > 59 {
                return None;
            }
            let seconds = i32::try_from(hours * 3600 + minutes * 60).ok()?;
            Some(if *sign == b'-' { -seconds } else { seconds })
        }
        _ => None,
    }
}

impl Timestamp {
    /// Parses RFC 3339 with an explicit offset (`Z`, `+hh:mm` or `-hh:mm`); surrounding
    /// whitespace is ignored.
    ///
    /// Codes: `timestamp-missing-offset` (a valid date and time with no offset),
    /// `timestamp-format` (anything else that is not RFC 3339, including impossible dates, and
    /// instants that [`Timestamp::from_unix_seconds_with_offset`] could not rebuild).
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let format = || Invalid::new("timestamp-format");
        let (date, time, separator, rest, leap) = date_time(input.trim().as_bytes()).ok_or_else(format)?;
        let Some(offset) = offset(rest) else {
            // A date and time that would do with an offset, written as people write them.
            let naive = rest.is_empty() && matches!(separator, b'T' | b't' | b' ') && !leap;
            return Err(if naive { Invalid::new("timestamp-missing-offset") } else { format() });
        };
        let offset = UtcOffset::from_whole_seconds(offset).map_err(|_| format())?;
        let instant = OffsetDateTime::new_in_offset(date, time, offset);
        if leap {
            // A leap second can only be the last second of a month, in UTC.
            let utc = instant.checked_to_offset(UtcOffset::UTC).ok_or_else(format)?;
            let last_of_month = utc.date().next_day().is_none_or(|next| next.day() == 1);
            if (utc.hour(), utc.minute()) != (23, 59) || !last_of_month {
                return Err(format());
            }
        }
        // Refuse the few edge instants (local year 0000 or 9999 whose UTC time falls outside
        // those years) that could be written but never read back from storage.
        Self::from_unix_seconds_with_offset(instant.unix_timestamp(), offset.whole_seconds()).map(|_| Self(instant))
    }

    /// Rebuilds a stored timestamp from its instant and its offset.
    ///
    /// Code: `timestamp-format` when the offset is not a whole number of minutes within
    /// `±23:59`, or the local date falls outside the years 0000..=9999 (which RFC 3339 cannot
    /// write).
    pub fn from_unix_seconds_with_offset(unix_seconds: i64, offset_seconds: i32) -> Result<Self, Invalid> {
        let format = || Invalid::new("timestamp-format");
        if offset_seconds % 60 != 0 || offset_seconds.unsigned_abs() > MAX_OFFSET_SECONDS.unsigned_abs() {
            return Err(format());
        }
        let offset = UtcOffset::from_whole_seconds(offset_seconds).map_err(|_| format())?;
        let instant = OffsetDateTime::from_unix_timestamp(unix_seconds).map_err(|_| format())?;
        let local = instant.checked_to_offset(offset).ok_or_else(format)?;
        if !(0..=9999).contains(&local.year()) {
            return Err(format());
        }
        Ok(Self(local))
    }

    /// `YYYY-MM-DDTHH:MM:SS±HH:MM`, with `.fraction` (trailing zeros dropped) only when the
    /// seconds are not whole. UTC is written `+00:00`, never `Z`. Written digit by digit: every
    /// appointment in a list has three timestamps, and `format!` would cost more than the rest of
    /// the row.
    pub fn to_rfc3339(&self) -> String {
        let t = self.0;
        let (year, month, day) = t.to_calendar_date();
        let (hour, minute, second) = t.to_hms();
        let offset = t.offset().whole_seconds();
        let mut out = String::with_capacity(32);
        // The year is 0..=9999 by construction (see `from_unix_seconds_with_offset` and `parse`).
        let year = year.clamp(0, 9999) as u32;
        push_two(&mut out, year / 100);
        push_two(&mut out, year % 100);
        out.push('-');
        push_two(&mut out, u32::from(u8::from(month)));
        out.push('-');
        push_two(&mut out, u32::from(day));
        out.push('T');
        push_two(&mut out, u32::from(hour));
        out.push(':');
        push_two(&mut out, u32::from(minute));
        out.push(':');
        push_two(&mut out, u32::from(second));
        if t.nanosecond() != 0 {
            out.push_str(format!(".{:09}", t.nanosecond()).trim_end_matches('0'));
        }
        out.push(if offset < 0 { '-' } else { '+' });
        let offset = offset.unsigned_abs();
        push_two(&mut out, offset / 3600);
        out.push(':');
        push_two(&mut out, offset % 3600 / 60);
        out
    }

    /// Whole seconds since 1970-01-01T00:00:00Z (the instant, independent of the offset).
    pub fn unix_seconds(&self) -> i64 {
        self.0.unix_timestamp()
    }

    /// The offset the timestamp was given in, in seconds east of UTC.
    pub fn offset_seconds(&self) -> i32 {
        self.0.offset().whole_seconds()
    }

    pub fn inner(&self) -> OffsetDateTime {
        self.0
    }
}

/// Two decimal digits of `n` (0..=99).
fn push_two(out: &mut String, n: u32) {
    out.push(char::from(b'0' + (n / 10 % 10) as u8));
    out.push(char::from(b'0' + (n % 10) as u8));
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_rfc3339())
    }
}

/// A date of birth: a real calendar date from 1850-01-01 up to and including today.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateOfBirth(Date);

/// The earliest accepted date of birth.
const EARLIEST_BIRTH: Date = time::macros::date!(1850 - 01 - 01);

/// Reads exactly `YYYY-MM-DD` (ASCII digits only) into a real calendar date.
pub fn parse_iso_date(input: &str) -> Option<Date> {
    let bytes = input.as_bytes();
    if bytes.len() == 10 {
        iso_date(bytes)
    } else {
        None
    }
}

/// `YYYY-MM-DD` at the start of `bytes`, as a real calendar date.
fn iso_date(bytes: &[u8]) -> Option<Date> {
    if bytes.get(4) != Some(&b'-') || bytes.get(7) != Some(&b'-') {
        return None;
    }
    let month = Month::try_from(u8::try_from(digits(bytes, 5, 2)?).ok()?).ok()?;
    let day = u8::try_from(digits(bytes, 8, 2)?).ok()?;
    Date::from_calendar_date(i32::try_from(digits(bytes, 0, 4)?).ok()?, month, day).ok()
}

impl DateOfBirth {
    /// Parses `YYYY-MM-DD` (surrounding whitespace ignored) and checks it against `today`.
    ///
    /// Codes: `date-format` (not `YYYY-MM-DD` or not a real date, e.g. `2023-02-29`),
    /// `date-too-early` (arg `min` = `1850-01-01`), `date-in-future` (after `today`).
    pub fn parse(input: &str, today: Date) -> Result<Self, Invalid> {
        let date = parse_iso_date(input.trim()).ok_or_else(|| Invalid::new("date-format"))?;
        if date < EARLIEST_BIRTH {
            return Err(Invalid::new("date-too-early").with("min", DateOfBirth(EARLIEST_BIRTH)));
        }
        if date > today {
            return Err(Invalid::new("date-in-future"));
        }
        Ok(Self(date))
    }

    pub fn date(&self) -> Date {
        self.0
    }
}

impl fmt::Display for DateOfBirth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.0.year(), u8::from(self.0.month()), self.0.day())
    }
}

impl Serialize for DateOfBirth {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

// Native only: proptest does not build for wasm32, where only the shell's tests run.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    fn rfc(input: &str) -> String {
        match Timestamp::parse(input) {
            Ok(t) => t.to_rfc3339(),
            Err(e) => panic!("expected {input:?} to parse, got {e:?}"),
        }
    }

    fn ts_code(input: &str) -> &'static str {
        match Timestamp::parse(input) {
            Ok(t) => panic!("expected {input:?} to be refused, got {t}"),
            Err(e) => e.code,
        }
    }

    const TODAY: Date = date!(2026 - 06 - 15);

    fn dob_code(input: &str) -> &'static str {
        match DateOfBirth::parse(input, TODAY) {
            Ok(d) => panic!("expected {input:?} to be refused, got {d}"),
            Err(e) => e.code,
        }
    }

    proptest! {
        /// The digit-by-digit writer says exactly what `time`'s RFC 3339 formatter says (which
        /// writes UTC as `Z` where PANDA writes `+00:00`).
        #[test]
        fn timestamps_are_written_as_the_time_crate_writes_them(
            seconds in -62_135_596_800_i64..253_402_300_799,
            offset_minutes in -1439_i32..=1439,
        ) {
            if let Ok(t) = Timestamp::from_unix_seconds_with_offset(seconds, offset_minutes * 60) {
                let reference = t.inner().format(&time::format_description::well_known::Rfc3339).unwrap();
                prop_assert_eq!(t.to_rfc3339(), reference.replace('Z', "+00:00"));
            }
        }
    }

    #[test]
    fn a_client_timestamp_round_trips_exactly() {
        for input in ["2026-12-01T09:30:00+00:00", "2025-06-04T16:30:00+01:00", "2018-01-21T16:30:00+00:00"] {
            assert_eq!(rfc(input), input);
        }
    }

    #[test]
    fn z_is_accepted_and_written_as_plus_zero() {
        let t = Timestamp::parse("2026-12-01T09:30:00Z").unwrap();
        assert_eq!(t.to_rfc3339(), "2026-12-01T09:30:00+00:00");
        assert_eq!(t.offset_seconds(), 0);
    }

    #[test]
    fn a_non_utc_offset_is_kept() {
        let t = Timestamp::parse("2026-12-01T09:30:00+05:30").unwrap();
        assert_eq!(t.offset_seconds(), 5 * 3600 + 30 * 60);
        assert_eq!(t.to_rfc3339(), "2026-12-01T09:30:00+05:30");
        assert_eq!(rfc("2026-12-01T09:30:00-03:45"), "2026-12-01T09:30:00-03:45");
    }

    #[test]
    fn the_instant_does_not_depend_on_the_offset() {
        let utc = Timestamp::parse("2026-12-01T09:30:00Z").unwrap();
        let india = Timestamp::parse("2026-12-01T15:00:00+05:30").unwrap();
        assert_eq!(utc.unix_seconds(), india.unix_seconds());
        assert_eq!(utc.unix_seconds(), 1_796_117_400);
        assert_eq!(utc, india);
    }

    #[test]
    fn fractional_seconds_are_written_only_when_present() {
        assert_eq!(rfc("2026-12-01T09:30:00.000Z"), "2026-12-01T09:30:00+00:00");
        assert_eq!(rfc("2026-12-01T09:30:00.500+01:00"), "2026-12-01T09:30:00.5+01:00");
        assert_eq!(rfc("2026-12-01T09:30:00.123456789Z"), "2026-12-01T09:30:00.123456789+00:00");
    }

    #[test]
    fn a_naive_timestamp_is_refused_for_its_missing_offset() {
        for input in ["2026-12-01T09:30:00", "2026-12-01T09:30:00.25", "2026-12-01 09:30:00"] {
            assert_eq!(ts_code(input), "timestamp-missing-offset", "{input:?}");
        }
    }

    #[test]
    fn an_impossible_date_is_a_format_error() {
        assert_eq!(ts_code("2026-02-30T10:00:00Z"), "timestamp-format");
        assert_eq!(ts_code("2026-02-30T10:00:00"), "timestamp-format");
        assert_eq!(ts_code("2026-12-01T24:00:00Z"), "timestamp-format");
    }

    #[test]
    fn other_malformed_timestamps_are_format_errors() {
        for input in [
            "",
            "   ",
            "yesterday",
            "2026-12-01",
            "09:30:00Z",
            "2026-12-01T09:30Z",
            "2026-12-01T09:30:00+0100",
            "2026-12-01T09:30:00+01",
            "26-12-01T09:30:00Z",
            "2026-12-01T09:30:00 +01:00",
            "2026-12-01T09:30:00+24:00",
            "2026-12-01T09:30:00+01:60",
            "１２026-12-01T09:30:00Z",
            "1796117400",
        ] {
            assert_eq!(ts_code(input), "timestamp-format", "{input:?}");
        }
    }

    #[test]
    fn lowercase_t_and_z_do_not_panic_and_round_trip_if_accepted() {
        for input in ["2026-12-01t09:30:00z", "2026-12-01t09:30:00+00:00", "2026-12-01T09:30:00z"] {
            if let Ok(t) = Timestamp::parse(input) {
                assert_eq!(t.to_rfc3339(), "2026-12-01T09:30:00+00:00");
            }
        }
    }

    #[test]
    fn a_stored_timestamp_is_rebuilt_with_its_offset() {
        let t = Timestamp::from_unix_seconds_with_offset(1_796_117_400, 3600).unwrap();
        assert_eq!(t.to_rfc3339(), "2026-12-01T10:30:00+01:00");
        let original = Timestamp::parse("2025-06-04T16:30:00+01:00").unwrap();
        let back =
            Timestamp::from_unix_seconds_with_offset(original.unix_seconds(), original.offset_seconds()).unwrap();
        assert_eq!(back.to_rfc3339(), "2025-06-04T16:30:00+01:00");
        assert_eq!(back.inner(), original.inner());
    }

    #[test]
    fn an_unwritable_stored_timestamp_is_refused() {
        for (seconds, offset) in [
            (0, 30),
            (0, 24 * 3600),
            (0, -24 * 3600),
            (0, i32::MAX),
            (0, i32::MIN),
            (i64::MAX, 0),
            (i64::MIN, 0),
            (-62_167_219_201, 0),
            (253_402_300_800, 0),
        ] {
            assert_eq!(
                Timestamp::from_unix_seconds_with_offset(seconds, offset).map_err(|e| e.code),
                Err("timestamp-format"),
                "{seconds} {offset}"
            );
        }
        // The extremes that RFC 3339 can still write are fine.
        assert_eq!(
            Timestamp::from_unix_seconds_with_offset(-62_167_219_200, 0).map(|t| t.to_rfc3339()),
            Ok("0000-01-01T00:00:00+00:00".to_string())
        );
        assert_eq!(
            Timestamp::from_unix_seconds_with_offset(253_402_300_799, -(23 * 3600 + 59 * 60)).map(|t| t.to_rfc3339()),
            Ok("9999-12-31T00:00:59-23:59".to_string())
        );
    }

    #[test]
    fn an_instant_that_could_not_be_read_back_is_refused() {
        // The first is year 10000 in UTC, beyond what storage can rebuild. The second is year -1
        // in UTC but that is still representable, so it is kept.
        assert_eq!(ts_code("9999-12-31T23:59:59-23:59"), "timestamp-format");
        assert_eq!(rfc("0000-01-01T00:00:00+01:00"), "0000-01-01T00:00:00+01:00");
        assert_eq!(rfc("9999-12-31T23:59:59+00:00"), "9999-12-31T23:59:59+00:00");
    }

    #[test]
    fn a_leap_second_does_not_panic() {
        let _ = Timestamp::parse("2016-12-31T23:59:60Z");
    }

    #[test]
    fn a_timestamp_serializes_as_rfc3339() {
        let t = Timestamp::parse("2026-12-01T09:30:00Z").unwrap();
        assert_eq!(serde_json::to_string(&t).unwrap(), "\"2026-12-01T09:30:00+00:00\"");
    }

    #[test]
    fn every_example_appointment_time_round_trips() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/example_appointments.json");
        let rows: Vec<serde_json::Value> = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        assert_eq!(rows.len(), 100);
        for row in rows {
            let time = row["time"].as_str().unwrap();
            assert_eq!(rfc(time), time);
        }
    }

    #[test]
    fn a_real_date_of_birth_is_accepted() {
        let d = DateOfBirth::parse("1996-02-01", TODAY).unwrap();
        assert_eq!(d.to_string(), "1996-02-01");
        assert_eq!(d.date(), date!(1996 - 02 - 01));
        assert_eq!(DateOfBirth::parse(" 2024-02-29 ", TODAY).map(|d| d.to_string()), Ok("2024-02-29".to_string()));
    }

    #[test]
    fn a_date_that_does_not_exist_is_refused() {
        for input in ["2023-02-29", "2023-13-01", "2023-00-10", "2023-04-31", "2023-01-00"] {
            assert_eq!(dob_code(input), "date-format", "{input:?}");
        }
    }

    #[test]
    fn anything_but_yyyy_mm_dd_is_refused() {
        for input in [
            "",
            "1996-2-1",
            "01/02/1996",
            "1996/02/01",
            "19960201",
            "1996-02-01T00:00:00Z",
            "+1996-02-01",
            "96-02-01",
            "1996-02-0a",
            "١٩٩٦-٠٢-٠١",
            "01996-02-01",
        ] {
            assert_eq!(dob_code(input), "date-format", "{input:?}");
        }
    }

    #[test]
    fn today_is_accepted_and_tomorrow_refused() {
        assert_eq!(DateOfBirth::parse("2026-06-15", TODAY).map(|d| d.date()), Ok(TODAY));
        assert_eq!(dob_code("2026-06-16"), "date-in-future");
        assert_eq!(dob_code("9999-12-31"), "date-in-future");
    }

    #[test]
    fn dates_before_1850_are_refused_with_the_limit() {
        assert!(DateOfBirth::parse("1850-01-01", TODAY).is_ok());
        let err = DateOfBirth::parse("1849-12-31", TODAY).unwrap_err();
        assert_eq!(err.code, "date-too-early");
        assert_eq!(err.args, vec![("min", "1850-01-01".to_string())]);
        assert_eq!(dob_code("0000-01-01"), "date-too-early");
    }

    #[test]
    fn every_example_date_of_birth_is_accepted() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/example_patients.json");
        let rows: Vec<serde_json::Value> = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        for row in rows {
            let dob = row["date_of_birth"].as_str().unwrap();
            assert_eq!(DateOfBirth::parse(dob, TODAY).map(|d| d.to_string()), Ok(dob.to_string()));
        }
    }

    #[test]
    fn a_date_of_birth_serializes_as_yyyy_mm_dd() {
        let d = DateOfBirth::parse("0021-01-01", date!(2026 - 01 - 01));
        assert_eq!(d.map_err(|e| e.code), Err("date-too-early"));
        let d = DateOfBirth::parse("1930-05-09", TODAY).unwrap();
        assert_eq!(serde_json::to_string(&d).unwrap(), "\"1930-05-09\"");
    }

    #[test]
    fn leap_seconds_are_read_as_the_time_crate_reads_them() {
        use time::format_description::well_known::Rfc3339;
        for input in [
            "2016-12-31T23:59:60Z",
            "2016-12-31T23:59:60.5Z",
            "2017-01-01T00:59:60+01:00",
            "2016-12-30T23:59:60Z",
            "2016-12-31T22:59:60Z",
            "2016-12-31T23:59:60+01:00",
            "2016-12-31T23:59:60",
            "9999-12-31T23:59:60-00:01",
            "0000-01-01T00:00:60+00:01",
        ] {
            let theirs = OffsetDateTime::parse(input, &Rfc3339).ok();
            assert_eq!(Timestamp::parse(input).ok().map(|t| t.0), theirs, "{input}");
        }
    }

    proptest! {
        #[test]
        fn timestamp_parse_never_panics(input in any::<String>()) {
            let _ = Timestamp::parse(&input);
        }

        #[test]
        fn date_of_birth_parse_never_panics(input in any::<String>()) {
            let _ = DateOfBirth::parse(&input, TODAY);
        }

        #[test]
        fn timestamp_text_round_trips(
            secs in -62_135_596_800i64..=253_402_214_399,
            offset_minutes in -(23 * 60 + 59)..=(23 * 60 + 59),
        ) {
            // Years 0001..=9999 in UTC, kept away from the edges so any offset stays writable.
            if let Ok(t) = Timestamp::from_unix_seconds_with_offset(secs, offset_minutes * 60) {
                let text = t.to_rfc3339();
                let back = Timestamp::parse(&text);
                prop_assert_eq!(back.map(|b| (b.to_rfc3339(), b.unix_seconds())), Ok((text, secs)));
            }
        }

        #[test]
        fn the_hand_parser_reads_exactly_what_the_time_crates_rfc3339_parser_reads(
            input in "[0-9]{4}-[0-1][0-9]-[0-3][0-9][Tt xé][0-2][0-9]:[0-6][0-9]:[0-6][0-9](\\.[0-9]{0,12})?([Zz]|[+-][0-2][0-9]:[0-6][0-9]|[+-][0-9]{2}|)",
        ) {
            use time::format_description::well_known::Rfc3339;
            let theirs = OffsetDateTime::parse(input.trim(), &Rfc3339).ok().and_then(|instant| {
                Timestamp::from_unix_seconds_with_offset(instant.unix_timestamp(), instant.offset().whole_seconds())
                    .ok()
                    .map(|_| (instant, instant.offset()))
            });
            let ours = Timestamp::parse(&input).ok().map(|t| (t.0, t.0.offset()));
            prop_assert_eq!(ours, theirs);
        }

        #[test]
        fn timestamp_like_strings_never_panic(input in "[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,12})?([Zz]|[+-][0-9]{2}:[0-9]{2})?") {
            if let Ok(t) = Timestamp::parse(&input) {
                let again = Timestamp::parse(&t.to_rfc3339());
                prop_assert_eq!(again.map(|a| a.to_rfc3339()), Ok(t.to_rfc3339()));
            }
        }

        #[test]
        fn date_of_birth_text_round_trips(days in 0i64..=70_000) {
            if let Some(date) = EARLIEST_BIRTH.checked_add(time::Duration::days(days)) {
                let text = DateOfBirth(date).to_string();
                let parsed = DateOfBirth::parse(&text, TODAY).map(|d| d.to_string()).map_err(|e| e.code);
                if date <= TODAY {
                    prop_assert_eq!(parsed, Ok(text));
                } else {
                    prop_assert_eq!(parsed, Err("date-in-future"));
                }
            }
        }
    }
}
