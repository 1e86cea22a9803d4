//! How long an appointment lasts: whole minutes, from 1 minute to 24 hours.
//!
//! Accepted input (case-insensitive, surrounding whitespace ignored):
//! * the client's short form: `15m`, `90m`, `1h`, `1h30m`, `1h0m`, `2h`;
//! * ISO 8601 durations with hours and/or minutes only: `PT1H30M`, `PT90M`, `PT2H`.
//!
//! Hours come before minutes and each appears at most once. Minutes above 59 are allowed
//! (`90m`, `1h90m`) and normalised away. Canonical form (`Display`): `1h30m`, `1h`, `15m`, `24h`.

use std::fmt;

use serde::{Serialize, Serializer};

use super::invalid::Invalid;

const MIN_MINUTES: u32 = 1;
/// The longest appointment; also bounds how long ago a still-active appointment can have started.
pub const MAX_MINUTES: u32 = 24 * 60;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AppointmentDuration {
    minutes: u32,
}

fn format_error() -> Invalid {
    Invalid::new("duration-format")
}

fn out_of_range() -> Invalid {
    Invalid::new("duration-out-of-range").with("min", "1m").with("max", "24h")
}

/// Reads `[<digits>h][<digits>m]` (already lowercased) with at least one part, returning the
/// total in minutes, saturating instead of overflowing on absurdly large numbers.
fn total_minutes(mut rest: &[u8]) -> Option<u64> {
    if rest.is_empty() {
        return None;
    }
    let mut hours: Option<u64> = None;
    let mut minutes: Option<u64> = None;
    while !rest.is_empty() {
        let digit_count = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        if digit_count == 0 {
            return None;
        }
        let (digits, tail) = rest.split_at_checked(digit_count)?;
        let value = digits.iter().fold(0u64, |acc, &d| acc.saturating_mul(10).saturating_add(u64::from(d - b'0')));
        match tail.first() {
            Some(b'h') if hours.is_none() && minutes.is_none() => hours = Some(value),
            Some(b'm') if minutes.is_none() => minutes = Some(value),
            _ => return None,
        }
        rest = tail.get(1..)?;
    }
    Some(hours.unwrap_or(0).saturating_mul(60).saturating_add(minutes.unwrap_or(0)))
}

impl AppointmentDuration {
    /// Codes: `duration-format` (not one of the accepted forms), `duration-out-of-range`
    /// (args `min` = `1m`, `max` = `24h`) for zero or more than 24 hours.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let lower = input.trim().to_ascii_lowercase();
        let body = lower.strip_prefix("pt").unwrap_or(&lower);
        let total = total_minutes(body.as_bytes()).ok_or_else(format_error)?;
        let minutes = u32::try_from(total).map_err(|_| out_of_range())?;
        Self::from_minutes(minutes)
    }

    /// Code: `duration-out-of-range` (args `min` = `1m`, `max` = `24h`).
    pub fn from_minutes(minutes: u32) -> Result<Self, Invalid> {
        if (MIN_MINUTES..=MAX_MINUTES).contains(&minutes) {
            Ok(Self { minutes })
        } else {
            Err(out_of_range())
        }
    }

    pub fn minutes(&self) -> u32 {
        self.minutes
    }
}

impl fmt::Display for AppointmentDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.canonical())
    }
}

impl AppointmentDuration {
    /// The canonical form (`1h30m`, `1h`, `15m`), written without `format!`: it is in every
    /// appointment of every list.
    pub fn canonical(&self) -> String {
        fn push_number(out: &mut String, n: u32) {
            if n >= 10 {
                push_number(out, n / 10);
            }
            out.push(char::from(b'0' + (n % 10) as u8));
        }
        let (hours, minutes) = (self.minutes / 60, self.minutes % 60);
        let mut out = String::with_capacity(8);
        if hours > 0 {
            push_number(&mut out, hours);
            out.push('h');
        }
        if minutes > 0 {
            push_number(&mut out, minutes);
            out.push('m');
        }
        out
    }
}

impl Serialize for AppointmentDuration {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.canonical())
    }
}

// Native only: proptest does not build for wasm32, where only the shell's tests run.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn minutes(input: &str) -> u32 {
        match AppointmentDuration::parse(input) {
            Ok(d) => d.minutes(),
            Err(e) => panic!("expected {input:?} to parse, got {e:?}"),
        }
    }

    fn code(input: &str) -> &'static str {
        match AppointmentDuration::parse(input) {
            Ok(d) => panic!("expected {input:?} to be refused, got {d}"),
            Err(e) => e.code,
        }
    }

    #[test]
    fn every_duration_is_written_as_hours_and_minutes() {
        for minutes in 1..=MAX_MINUTES {
            let (h, m) = (minutes / 60, minutes % 60);
            let expected = match (h, m) {
                (0, m) => format!("{m}m"),
                (h, 0) => format!("{h}h"),
                (h, m) => format!("{h}h{m}m"),
            };
            assert_eq!(AppointmentDuration::from_minutes(minutes).unwrap().canonical(), expected);
        }
    }

    #[test]
    fn the_short_forms_are_accepted() {
        assert_eq!(minutes("15m"), 15);
        assert_eq!(minutes("1h"), 60);
        assert_eq!(minutes("1h30m"), 90);
        assert_eq!(minutes("90m"), 90);
        assert_eq!(minutes("2h"), 120);
        assert_eq!(minutes("1h0m"), 60);
    }

    #[test]
    fn units_are_case_insensitive_and_whitespace_is_trimmed() {
        assert_eq!(minutes(" 1H30M "), 90);
        assert_eq!(minutes("15M"), 15);
    }

    #[test]
    fn iso_8601_durations_are_accepted() {
        assert_eq!(minutes("PT1H30M"), 90);
        assert_eq!(minutes("PT90M"), 90);
        assert_eq!(minutes("PT2H"), 120);
        assert_eq!(minutes("pt15m"), 15);
        assert_eq!(minutes("Pt1h"), 60);
    }

    #[test]
    fn display_is_the_canonical_short_form() {
        for (input, canonical) in [
            ("PT1H30M", "1h30m"),
            ("90m", "1h30m"),
            ("60m", "1h"),
            ("15M", "15m"),
            ("PT24H", "24h"),
            ("1h0m", "1h"),
            ("0h5m", "5m"),
        ] {
            assert_eq!(AppointmentDuration::parse(input).unwrap().to_string(), canonical);
        }
    }

    #[test]
    fn the_range_is_one_minute_to_twenty_four_hours() {
        assert_eq!(minutes("1m"), 1);
        assert_eq!(minutes("24h"), 1440);
        assert_eq!(minutes("23h60m"), 1440);
        for input in ["0m", "0h", "0h0m", "24h1m", "1441m", "25h", "PT0M"] {
            assert_eq!(code(input), "duration-out-of-range", "{input:?}");
        }
    }

    #[test]
    fn out_of_range_names_the_limits() {
        let err = AppointmentDuration::parse("25h").unwrap_err();
        assert_eq!(err.args, vec![("min", "1m".to_string()), ("max", "24h".to_string())]);
    }

    #[test]
    fn huge_numbers_are_refused_without_overflowing() {
        for input in [
            "99999999999999999999h",
            "99999999999999999999m",
            "4294967296m",
            "71582789h",
            "18446744073709551615h18446744073709551615m",
        ] {
            assert_eq!(code(input), "duration-out-of-range", "{input:?}");
        }
    }

    #[test]
    fn malformed_input_is_a_format_error() {
        for input in [
            "", "  ", "h", "m", "PT", "pt", "P", "15", "1h30", "30m1h", "1h1h", "1m1m", "1 h", "1h 30m", "-15m",
            "+15m", "1.5h", "PT1.5H", "P1D", "P1DT1H", "PT1S", "15min", "1hr", "hm", "1hm", "PTPT1H", "١٥m", "１５m",
            "15m\u{0}",
        ] {
            assert_eq!(code(input), "duration-format", "{input:?}");
        }
    }

    #[test]
    fn from_minutes_checks_the_range() {
        assert_eq!(AppointmentDuration::from_minutes(45).map(|d| d.to_string()), Ok("45m".to_string()));
        assert_eq!(AppointmentDuration::from_minutes(0).map_err(|e| e.code), Err("duration-out-of-range"));
        assert_eq!(AppointmentDuration::from_minutes(1441).map_err(|e| e.code), Err("duration-out-of-range"));
        assert_eq!(AppointmentDuration::from_minutes(u32::MAX).map_err(|e| e.code), Err("duration-out-of-range"));
    }

    #[test]
    fn it_serializes_as_canonical_text() {
        let d = AppointmentDuration::parse("PT90M").unwrap();
        assert_eq!(serde_json::to_string(&d).unwrap(), "\"1h30m\"");
    }

    proptest! {
        #[test]
        fn parse_never_panics_on_any_string(input in any::<String>()) {
            let _ = AppointmentDuration::parse(&input);
        }

        #[test]
        fn parse_never_panics_on_duration_like_strings(input in "(?i)(pt)?[0-9]{0,25}h?[0-9]{0,25}m?") {
            let _ = AppointmentDuration::parse(&input);
        }

        #[test]
        fn canonical_output_reparses_to_itself(m in 1u32..=1440) {
            let d = AppointmentDuration::from_minutes(m).unwrap();
            let text = d.to_string();
            prop_assert_eq!(AppointmentDuration::parse(&text), Ok(d));
            prop_assert_eq!(AppointmentDuration::parse(&format!("PT{}", text.to_uppercase())), Ok(d));
        }

        #[test]
        fn every_spelling_of_a_duration_means_the_same_minutes(h in 0u32..=24, m in 0u32..=1440) {
            let total = h * 60 + m;
            let parsed = AppointmentDuration::parse(&format!("{h}h{m}m")).map(|d| d.minutes());
            let iso = AppointmentDuration::parse(&format!("PT{h}H{m}M")).map(|d| d.minutes());
            if (1..=1440).contains(&total) {
                prop_assert_eq!(parsed, Ok(total));
                prop_assert_eq!(iso, Ok(total));
            } else {
                prop_assert_eq!(parsed.map_err(|e| e.code), Err("duration-out-of-range"));
                prop_assert_eq!(iso.map_err(|e| e.code), Err("duration-out-of-range"));
            }
        }

        #[test]
        fn accepted_values_are_always_in_range(input in "(pt)?[0-9]{0,6}h?[0-9]{0,6}m?") {
            if let Ok(d) = AppointmentDuration::parse(&input) {
                prop_assert!((1..=1440).contains(&d.minutes()));
            }
        }
    }
}
