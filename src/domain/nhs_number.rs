//! NHS numbers: ten ASCII digits whose last digit is a modulus-11 check digit.
//!
//! The check follows the NHS Data Dictionary: weight the first nine digits 10 down to 2, sum,
//! take `11 - (sum % 11)`; a result of 11 means 0 and a result of 10 means no valid check digit
//! exists. Number *ranges* are deliberately not validated: the client's data holds numbers that
//! start with 0 and 1, and leading zeros are significant, so the number is kept as text.

use std::fmt;

use serde::Serialize;

use super::invalid::Invalid;

/// A checked NHS number in canonical form: exactly ten ASCII digits, no separators.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct NhsNumber(String);

/// The check digit for the first nine digits (each `0..=9`), or `None` when the weighted sum
/// gives 10, which means no NHS number can start with these nine digits.
pub fn check_digit(first_nine: &[u8; 9]) -> Option<u8> {
    let sum: u32 = first_nine.iter().zip((2..=10u32).rev()).map(|(&digit, weight)| u32::from(digit) * weight).sum();
    match 11 - (sum % 11) {
        11 => Some(0),
        10 => None,
        digit => u8::try_from(digit).ok(),
    }
}

impl NhsNumber {
    /// Accepts ten digits with spaces or hyphens anywhere *between* digits, e.g. `943 476 5919`
    /// or `943-476-5919`; surrounding whitespace is ignored.
    ///
    /// Codes: `nhs-number-format` (not ten digits once separators are removed, or a separator
    /// before the first / after the last digit), `nhs-number-checksum` (check digit wrong or
    /// impossible).
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let format = || Invalid::new("nhs-number-format");
        let trimmed = input.trim();

        // Separators are only tolerated between digits.
        let starts_with_digit = trimmed.chars().next().is_some_and(|c| c.is_ascii_digit());
        let ends_with_digit = trimmed.chars().next_back().is_some_and(|c| c.is_ascii_digit());
        if !starts_with_digit || !ends_with_digit {
            return Err(format());
        }

        let mut digits = [0u8; 10];
        let mut count = 0usize;
        for c in trimmed.chars() {
            match c {
                ' ' | '-' => {}
                '0'..='9' => {
                    let slot = digits.get_mut(count).ok_or_else(format)?;
                    *slot = c as u8 - b'0';
                    count += 1;
                }
                _ => return Err(format()),
            }
        }
        if count != 10 {
            return Err(format());
        }

        let [d0, d1, d2, d3, d4, d5, d6, d7, d8, last] = digits;
        match check_digit(&[d0, d1, d2, d3, d4, d5, d6, d7, d8]) {
            Some(expected) if expected == last => {}
            _ => return Err(Invalid::new("nhs-number-checksum")),
        }

        Ok(Self(digits.iter().map(|&d| char::from(b'0' + d)).collect()))
    }

    /// The ten digits, e.g. `9434765919`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for NhsNumber {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for NhsNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

// Native only: proptest does not build for wasm32, where only the shell's tests run.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn code(input: &str) -> &'static str {
        match NhsNumber::parse(input) {
            Ok(n) => panic!("expected {input:?} to be refused, got {n}"),
            Err(e) => e.code,
        }
    }

    #[test]
    fn known_good_numbers_parse_to_themselves() {
        for n in ["9434765919", "9876543210", "0021403597", "1373645350"] {
            assert_eq!(NhsNumber::parse(n).map(|n| n.to_string()), Ok(n.to_string()));
        }
    }

    #[test]
    fn leading_zeros_are_kept() {
        let n = NhsNumber::parse("0021403597").unwrap();
        assert_eq!(n.as_str(), "0021403597");
        assert_eq!(n.as_ref(), "0021403597");
    }

    #[test]
    fn spaces_and_hyphens_between_digits_are_tolerated() {
        for input in ["943 476 5919", "943-476-5919", "  943 476 5919  ", "9-4-3 4 7-6--5919"] {
            assert_eq!(NhsNumber::parse(input).unwrap().as_str(), "9434765919", "{input:?}");
        }
    }

    #[test]
    fn a_separator_outside_the_digits_is_refused() {
        assert_eq!(code("-9434765919"), "nhs-number-format");
        assert_eq!(code("9434765919-"), "nhs-number-format");
    }

    #[test]
    fn a_check_digit_of_ten_is_refused_as_a_checksum_error() {
        assert_eq!(code("1234567890"), "nhs-number-checksum");
    }

    #[test]
    fn a_wrong_check_digit_is_refused() {
        assert_eq!(code("9434765918"), "nhs-number-checksum");
    }

    #[test]
    fn the_wrong_number_of_digits_is_a_format_error() {
        for input in ["", "   ", "943476591", "94347659190", "0", "-", "12345678901234567890"] {
            assert_eq!(code(input), "nhs-number-format", "{input:?}");
        }
    }

    #[test]
    fn other_characters_are_a_format_error() {
        for input in ["943476591a", "943.476.5919", "943_476_5919", "943\t4765919", "+9434765919"] {
            assert_eq!(code(input), "nhs-number-format", "{input:?}");
        }
    }

    #[test]
    fn non_ascii_digits_are_refused() {
        // Arabic-Indic and full-width digits are digits to Unicode but not to the NHS.
        assert_eq!(code("٩٤٣٤٧٦٥٩١٩"), "nhs-number-format");
        assert_eq!(code("９４３４７６５９１９"), "nhs-number-format");
    }

    #[test]
    fn check_digit_follows_the_data_dictionary() {
        assert_eq!(check_digit(&[9, 4, 3, 4, 7, 6, 5, 9, 1]), Some(9));
        assert_eq!(check_digit(&[1, 2, 3, 4, 5, 6, 7, 8, 9]), None);
        // Sum 0 -> 11 - 0 = 11 -> 0.
        assert_eq!(check_digit(&[0; 9]), Some(0));
    }

    #[test]
    fn it_serializes_as_a_plain_string() {
        let n = NhsNumber::parse("002 140 3597").unwrap();
        assert_eq!(serde_json::to_string(&n).unwrap(), "\"0021403597\"");
    }

    /// Any nine digits whose check digit exists, completed into a valid number.
    fn valid_number() -> impl Strategy<Value = String> {
        proptest::array::uniform9(0u8..=9).prop_filter_map("no check digit", |nine| {
            check_digit(&nine)
                .map(|last| nine.iter().chain(std::iter::once(&last)).map(|&d| char::from(b'0' + d)).collect())
        })
    }

    proptest! {
        #[test]
        fn parse_never_panics_on_any_string(input in any::<String>()) {
            let _ = NhsNumber::parse(&input);
        }

        #[test]
        fn parse_never_panics_on_digit_heavy_strings(input in "[0-9 \\-]{0,30}") {
            let _ = NhsNumber::parse(&input);
        }

        #[test]
        fn canonical_output_reparses_to_itself(input in "[0-9 \\-]{0,20}") {
            if let Ok(n) = NhsNumber::parse(&input) {
                prop_assert_eq!(NhsNumber::parse(n.as_str()), Ok(n.clone()));
                prop_assert_eq!(n.as_str().len(), 10);
            }
        }

        #[test]
        fn every_valid_number_parses_to_itself(number in valid_number()) {
            prop_assert_eq!(NhsNumber::parse(&number).map(|n| n.to_string()), Ok(number));
        }

        #[test]
        fn separators_between_digits_do_not_change_the_value(
            number in valid_number(),
            gaps in proptest::collection::vec("[ \\-]{0,3}", 9),
            outer in "[ ]{0,3}",
        ) {
            let mut spaced = outer.clone();
            for (i, c) in number.chars().enumerate() {
                spaced.push(c);
                if let Some(gap) = gaps.get(i) {
                    spaced.push_str(gap);
                }
            }
            spaced.push_str(&outer);
            prop_assert_eq!(NhsNumber::parse(&spaced).map(|n| n.to_string()), Ok(number));
        }

        #[test]
        fn changing_only_the_check_digit_is_refused(number in valid_number(), bump in 1u8..=9) {
            let mut bytes = number.into_bytes();
            if let Some(last) = bytes.last_mut() {
                *last = b'0' + (*last - b'0' + bump) % 10;
            }
            let wrong = String::from_utf8(bytes).unwrap();
            prop_assert_eq!(NhsNumber::parse(&wrong).map_err(|e| e.code), Err("nhs-number-checksum"));
        }
    }
}
