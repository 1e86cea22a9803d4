//! UK postcodes, checked for *shape* only (never against a list of real postcodes: the client's
//! data holds plausible but non-existent codes such as `IM2N 4LG` and they must be accepted).
//!
//! Normal form: uppercase ASCII, the outward code, one space, the three-character inward code.
//! Accepted shapes (A = letter, 9 = digit): `A9 9AA`, `A99 9AA`, `AA9 9AA`, `AA99 9AA`,
//! `A9A 9AA`, `AA9A 9AA`, plus the special `GIR 0AA` and the NHS's pseudo-postcodes (below).
//! Letter restrictions per position:
//!
//! * 1st position: not Q, V, X;
//! * 2nd position (when a letter): not I, J, Z;
//! * 3rd position letter in `A9A`: one of A B C D E F G H J K P S T U W;
//! * 4th position letter in `AA9A`: one of A B E H M N P R V W X Y;
//! * the two inward letters: not C, I, K, M, O, V.
//!
//! The NHS's pseudo-postcodes (NHS Data Dictionary, POSTCODE OF USUAL ADDRESS) stand in where there
//! is no real one: `ZZ99` and an inward code of a digit, a letter and `Z`, such as `ZZ99 3VZ` (no
//! fixed abode), `ZZ99 3WZ` (not known) or `ZZ99 6CZ` (a visitor usually resident in India). They
//! break the letter rules above on purpose (Z second, V inward), so they are a shape of their own.
//!
//! All of these were checked against every postcode in the client's example patients and
//! appointments (see the `every_example_postcode_parses_to_itself` test); none needed relaxing.

use std::fmt;

use serde::Serialize;

use super::invalid::Invalid;

/// A UK postcode in normal form, e.g. `SW1A 1AA`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Postcode(String);

const INVALID: &str = "invalid-postcode";

fn is_first_letter(b: u8) -> bool {
    b.is_ascii_uppercase() && !matches!(b, b'Q' | b'V' | b'X')
}

fn is_second_letter(b: u8) -> bool {
    b.is_ascii_uppercase() && !matches!(b, b'I' | b'J' | b'Z')
}

fn is_third_letter(b: u8) -> bool {
    b"ABCDEFGHJKPSTUW".contains(&b)
}

fn is_fourth_letter(b: u8) -> bool {
    b"ABEHMNPRVWXY".contains(&b)
}

fn is_inward_letter(b: u8) -> bool {
    b.is_ascii_uppercase() && !matches!(b, b'C' | b'I' | b'K' | b'M' | b'O' | b'V')
}

fn is_digit(b: u8) -> bool {
    b.is_ascii_digit()
}

fn is_valid_outward(outward: &[u8]) -> bool {
    match *outward {
        // A9
        [a, b] => is_first_letter(a) && is_digit(b),
        // A99, AA9, A9A
        [a, b, c] => {
            is_first_letter(a)
                && ((is_digit(b) && is_digit(c))
                    || (is_second_letter(b) && is_digit(c))
                    || (is_digit(b) && is_third_letter(c)))
        }
        // AA99, AA9A
        [a, b, c, d] => {
            is_first_letter(a) && is_second_letter(b) && is_digit(c) && (is_digit(d) || is_fourth_letter(d))
        }
        _ => false,
    }
}

/// `ZZ99 9AZ`: the NHS's pseudo-postcodes for no fixed abode, not known, and each country.
fn is_pseudo_postcode(outward: &[u8], inward: &[u8]) -> bool {
    outward == b"ZZ99" && matches!(*inward, [d, x, b'Z'] if is_digit(d) && x.is_ascii_uppercase())
}

fn is_valid_inward(inward: &[u8]) -> bool {
    matches!(*inward, [d, x, y] if is_digit(d) && is_inward_letter(x) && is_inward_letter(y))
}

impl Postcode {
    /// Trims, uppercases, removes every inner space/whitespace and hyphen, then puts a single
    /// space before the inward code (the last three characters) and checks the shape.
    ///
    /// Code: `invalid-postcode` (any non-ASCII character, or not one of the accepted shapes).
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let trimmed = input.trim();
        if !trimmed.is_ascii() {
            return Err(Invalid::new(INVALID));
        }
        let compact: Vec<u8> = trimmed
            .bytes()
            .filter(|b| !b.is_ascii_whitespace() && *b != b'-')
            .map(|b| b.to_ascii_uppercase())
            .collect();

        let split = compact.len().checked_sub(3).ok_or_else(|| Invalid::new(INVALID))?;
        let (outward, inward) = compact.split_at_checked(split).ok_or_else(|| Invalid::new(INVALID))?;

        let special = (outward == b"GIR" && inward == b"0AA") || is_pseudo_postcode(outward, inward);
        let shaped = is_valid_outward(outward) && is_valid_inward(inward);
        if !(special || shaped) {
            return Err(Invalid::new(INVALID));
        }

        // Both halves are ASCII letters and digits only, so this cannot fail.
        let outward = std::str::from_utf8(outward).map_err(|_| Invalid::new(INVALID))?;
        let inward = std::str::from_utf8(inward).map_err(|_| Invalid::new(INVALID))?;
        Ok(Self(format!("{outward} {inward}")))
    }

    /// An outward code on its own (`SW1A`, `n6`, `ZZ99`), uppercased and trimmed, for finding
    /// every postcode in it. Code: `invalid-postcode`.
    pub fn parse_outward(input: &str) -> Result<String, Invalid> {
        let outward = input.trim().to_ascii_uppercase();
        let known = is_valid_outward(outward.as_bytes()) || outward == "GIR" || outward == "ZZ99";
        if known {
            Ok(outward)
        } else {
            Err(Invalid::new(INVALID))
        }
    }

    /// The normal form, e.g. `SW1A 1AA`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Postcode {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Postcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

// Native only: proptest does not build for wasm32, where only the shell's tests run.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ok(input: &str) -> String {
        match Postcode::parse(input) {
            Ok(p) => p.to_string(),
            Err(e) => panic!("expected {input:?} to parse, got {e:?}"),
        }
    }

    fn refused(input: &str) -> bool {
        Postcode::parse(input).is_err_and(|e| e.code == "invalid-postcode" && e.args.is_empty())
    }

    #[test]
    fn surrounding_whitespace_is_trimmed_and_letters_uppercased() {
        assert_eq!(ok(" sw1a1aa "), "SW1A 1AA");
    }

    #[test]
    fn a_space_is_put_before_the_inward_code() {
        assert_eq!(ok("n62fa"), "N6 2FA");
    }

    #[test]
    fn repeated_inner_whitespace_collapses_to_one_space() {
        assert_eq!(ok(" SW1A  1AA "), "SW1A 1AA");
        assert_eq!(ok("S W 1 A\t1 A A"), "SW1A 1AA");
    }

    #[test]
    fn hyphens_are_removed() {
        assert_eq!(ok("EC1A-1BB"), "EC1A 1BB");
    }

    #[test]
    fn every_shape_is_accepted() {
        for (input, expected) in [
            ("M11AE", "M1 1AE"),     // A9 9AA
            ("B338TH", "B33 8TH"),   // A99 9AA
            ("CR26XH", "CR2 6XH"),   // AA9 9AA
            ("DN551PT", "DN55 1PT"), // AA99 9AA
            ("W1A0AX", "W1A 0AX"),   // A9A 9AA
            ("EC1A1BB", "EC1A 1BB"), // AA9A 9AA
            ("gir0aa", "GIR 0AA"),   // special
        ] {
            assert_eq!(ok(input), expected);
        }
    }

    #[test]
    fn the_nhs_pseudo_postcodes_are_accepted_and_coerced_like_any_other() {
        assert_eq!(ok("zz993vz"), "ZZ99 3VZ"); // no fixed abode
        assert_eq!(ok("ZZ99 3WZ"), "ZZ99 3WZ"); // not known
        assert_eq!(ok(" zz99-6cz "), "ZZ99 6CZ"); // India
        assert_eq!(ok("ZZ99 1WZ"), "ZZ99 1WZ"); // Scotland
    }

    #[test]
    fn only_the_pseudo_postcode_family_breaks_the_letter_rules() {
        for bad in ["ZZ99 3VA", "ZZ99 AVZ", "ZZ98 3VZ", "ZZ9 3VZ", "ZZ99 3ZZZ", "ZA99 3VZ", "ZZ99 3V", "AZ99 3VZ"] {
            assert!(refused(bad), "{bad}");
        }
        // The ordinary rules are unchanged: Z is never a second letter, V never an inward letter.
        assert!(refused("AZ1 1AA"));
        assert!(refused("SW1A 1VA"));
    }

    #[test]
    fn an_outward_code_alone_is_read_for_searches() {
        assert_eq!(Postcode::parse_outward(" sw1a "), Ok("SW1A".into()));
        assert_eq!(Postcode::parse_outward("N6"), Ok("N6".into()));
        assert_eq!(Postcode::parse_outward("zz99"), Ok("ZZ99".into()));
        for bad in ["", "SW1A 1AA", "Q1", "123", "SW1A1"] {
            assert!(Postcode::parse_outward(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn real_looking_but_non_existent_postcodes_are_accepted() {
        for p in [
            "IM2N 4LG", "CW6E 2ET", "JE09 9WF", "HD36 0HQ", "UB56 7XQ", "WA55 8HE", "TF0 9DA", "N1 5ZG", "M4 2ST",
            "E91 9AE",
        ] {
            assert_eq!(ok(p), p);
        }
    }

    #[test]
    fn malformed_input_is_refused() {
        for input in [
            "",
            "   ",
            "INVALID",
            "SW1A 1A",
            "SW1A 1AAA",
            "1AA",
            "SW1A1A",
            "12345",
            "SW1A 11A",
            "SW1AA 1AA",
            "S 1AA",
            "-",
            "SW1A_1AA",
            "SW1A.1AA",
        ] {
            assert!(refused(input), "{input:?}");
        }
    }

    #[test]
    fn non_ascii_characters_are_refused() {
        // Full-width letters, accented letters and a non-breaking space inside.
        for input in ["ＳＷ1A 1AA", "SW1À 1AA", "SW1A\u{a0}1AA"] {
            assert!(refused(input), "{input:?}");
        }
    }

    #[test]
    fn letter_restrictions_are_enforced() {
        for input in [
            "Q1 1AA",   // Q never first
            "V1 1AA",   // V never first
            "X1 1AA",   // X never first
            "AI1 1AA",  // I never second
            "AJ1 1AA",  // J never second
            "AZ1 1AA",  // Z never second
            "W1I 1AA",  // I not allowed third in A9A
            "W1Z 1AA",  // Z not allowed third in A9A
            "EC1C 1BB", // C not allowed fourth in AA9A
            "EC1Z 1BB", // Z not allowed fourth in AA9A
            "M1 1CA",   // C never in the inward code
            "M1 1AI", "M1 1KA", "M1 1AM", "M1 1OA", "M1 1AV",
        ] {
            assert!(refused(input), "{input:?}");
        }
    }

    #[test]
    fn it_serializes_as_a_plain_string() {
        let p = Postcode::parse("sw1a1aa").unwrap();
        assert_eq!(serde_json::to_string(&p).unwrap(), "\"SW1A 1AA\"");
    }

    #[test]
    fn every_example_postcode_parses_to_itself() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/");
        let mut checked = 0;
        for file in ["example_patients.json", "example_appointments.json"] {
            let text = std::fs::read_to_string(format!("{dir}{file}")).unwrap();
            let rows: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
            for row in rows {
                let postcode = row["postcode"].as_str().unwrap();
                assert_eq!(Postcode::parse(postcode).map(|p| p.to_string()), Ok(postcode.to_string()));
                checked += 1;
            }
        }
        assert_eq!(checked, 200);
    }

    /// Postcodes built from the accepted shapes and letter sets.
    fn valid_postcode() -> impl Strategy<Value = String> {
        let first = "[ABCDEFGHIJKLMNOPRSTUWYZ]";
        let second = "[ABCDEFGHKLMNOPQRSTUVWXY]";
        let inward = "[0-9][ABDEFGHJLNPQRSTUWXYZ]{2}";
        let outward = [
            format!("{first}[0-9]"),
            format!("{first}[0-9]{{2}}"),
            format!("{first}{second}[0-9]"),
            format!("{first}{second}[0-9]{{2}}"),
            format!("{first}[0-9][ABCDEFGHJKPSTUW]"),
            format!("{first}{second}[0-9][ABEHMNPRVWXY]"),
        ]
        .join("|");
        proptest::string::string_regex(&format!("({outward}) {inward}")).unwrap()
    }

    proptest! {
        #[test]
        fn parse_never_panics_on_any_string(input in any::<String>()) {
            let _ = Postcode::parse(&input);
        }

        #[test]
        fn canonical_output_reparses_to_itself(input in "[A-Za-z0-9 \\-]{0,10}") {
            if let Ok(p) = Postcode::parse(&input) {
                prop_assert_eq!(Postcode::parse(p.as_str()), Ok(p.clone()));
            }
        }

        #[test]
        fn every_valid_postcode_parses_to_itself(postcode in valid_postcode()) {
            prop_assert_eq!(Postcode::parse(&postcode).map(|p| p.to_string()), Ok(postcode));
        }

        #[test]
        fn spacing_hyphens_and_case_do_not_change_the_value(
            postcode in valid_postcode(),
            gaps in proptest::collection::vec("[ \\-]{0,2}", 8),
            lower in proptest::collection::vec(any::<bool>(), 8),
        ) {
            let mut messy = String::from("  ");
            for (i, c) in postcode.chars().filter(|c| *c != ' ').enumerate() {
                if lower.get(i).copied().unwrap_or(false) {
                    messy.push(c.to_ascii_lowercase());
                } else {
                    messy.push(c);
                }
                if let Some(gap) = gaps.get(i) {
                    messy.push_str(gap);
                }
            }
            messy.push(' ');
            prop_assert_eq!(Postcode::parse(&messy).map(|p| p.to_string()), Ok(postcode));
        }
    }
}
