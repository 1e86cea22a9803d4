#![cfg(not(target_arch = "wasm32"))]
//! The patterns `docs/openapi.json` gives for PANDA's values say no more than the code accepts:
//! every string a pattern admits (and its `format`, where it has one) is read by the newtype
//! behind it, or refused only for a rule JSON Schema cannot state (README, "Security"). So a
//! schema-driven client or fuzzer that keeps to the document is not refused for the shape of a
//! value. Strings are generated from the document's own patterns.

use panda::domain::duration::AppointmentDuration;
use panda::domain::nhs_number::NhsNumber;
use panda::domain::person_name::{FreeText, PersonName};
use panda::domain::postcode::Postcode;
use panda::domain::timestamp::{DateOfBirth, Timestamp};
use proptest::prelude::*;
use proptest::string::string_regex;
use serde_json::Value;

fn document() -> Value {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/openapi.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The pattern at `pointer` in the document, as a generator of the strings it admits. JSON Schema
/// patterns are ECMA-262; these use only what Rust's regex reads the same way.
fn admitted(pointer: &str) -> impl Strategy<Value = String> {
    let doc = document();
    let pattern = doc.pointer(pointer).and_then(Value::as_str).unwrap_or_else(|| panic!("no pattern at {pointer}"));
    let unanchored = pattern.strip_prefix('^').and_then(|p| p.strip_suffix('$')).expect("anchored pattern");
    string_regex(unanchored).unwrap_or_else(|e| panic!("{pointer}: {e}"))
}

const NHS: &str = "/components/parameters/nhs_number/schema/pattern";
const POSTCODE: &str = "/components/schemas/PatientCreate/properties/postcode/pattern";
const DURATION: &str = "/components/schemas/AppointmentCreate/properties/duration/pattern";
const TIME: &str = "/components/schemas/AppointmentCreate/properties/time/pattern";
const NAME: &str = "/components/schemas/PatientCreate/properties/name/pattern";
const CLINICIAN: &str = "/components/schemas/AppointmentCreate/properties/clinician/pattern";
const BIRTH: &str = "/components/schemas/PatientCreate/properties/date_of_birth/pattern";
const POSTCODE_SEARCH: &str = "/components/parameters/search_postcode/schema/pattern";

#[test]
fn every_value_member_of_the_same_kind_has_the_same_pattern() {
    let doc = document();
    let at = |pointer: &str| doc.pointer(pointer).cloned().unwrap_or_else(|| panic!("nothing at {pointer}"));
    for same in [
        [
            NHS,
            "/components/parameters/patient/schema/pattern",
            "/components/schemas/PatientCreate/properties/nhs_number/pattern",
        ],
        [NHS, NHS, "/components/schemas/AppointmentCreate/properties/patient/pattern"],
        [
            POSTCODE,
            "/components/schemas/PatientPatch/properties/postcode/pattern",
            "/components/schemas/AppointmentCreate/properties/postcode/pattern",
        ],
        [POSTCODE, POSTCODE, "/components/schemas/AppointmentPatch/properties/postcode/pattern"],
        [DURATION, DURATION, "/components/schemas/AppointmentPatch/properties/duration/pattern"],
        [
            TIME,
            "/components/parameters/from/schema/pattern",
            "/components/schemas/AppointmentPatch/properties/time/pattern",
        ],
        [TIME, TIME, "/components/parameters/to/schema/pattern"],
        [NAME, CLINICIAN, "/components/schemas/AppointmentPatch/properties/department/pattern"],
        [NAME, "/components/parameters/clinician/schema/pattern", "/components/parameters/department/schema/pattern"],
        [NAME, NAME, "/components/parameters/search_name/schema/pattern"],
        [NHS, NHS, "/components/parameters/search_nhs_number/schema/pattern"],
        [BIRTH, BIRTH, "/components/parameters/search_date_of_birth/schema/pattern"],
    ] {
        assert_eq!(at(same[0]), at(same[1]), "{} and {}", same[0], same[1]);
        assert_eq!(at(same[0]), at(same[2]), "{} and {}", same[0], same[2]);
    }
}

/// A calendar check of `YYYY-MM-DD`, the `date` part of the `date-time` and `date` formats.
fn is_calendar_date(date: &str) -> bool {
    let parts: Vec<u32> = date.split('-').filter_map(|p| p.parse().ok()).collect();
    let [year, month, day] = parts[..] else { return false };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    (1..=12).contains(&month) && (1..=days[month as usize - 1]).contains(&day)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn an_nhs_number_of_the_documented_shape_is_refused_only_for_its_check_digit(input in admitted(NHS)) {
        if let Err(refused) = NhsNumber::parse(&input) {
            prop_assert_eq!(refused.code, "nhs-number-checksum", "{:?}", input);
        }
    }

    #[test]
    fn a_postcode_of_the_documented_shape_is_accepted(input in admitted(POSTCODE)) {
        prop_assert!(Postcode::parse(&input).is_ok(), "{:?}", input);
    }

    #[test]
    fn a_postcode_search_of_the_documented_shape_is_a_postcode_or_an_outward_code(input in admitted(POSTCODE_SEARCH)) {
        let read = panda::domain::patient_search::PostcodeQuery::parse(&input);
        prop_assert!(read.is_ok(), "{:?}", input);
    }

    #[test]
    fn a_duration_of_the_documented_shape_is_accepted(input in admitted(DURATION)) {
        prop_assert!(AppointmentDuration::parse(&input).is_ok(), "{:?}", input);
    }

    #[test]
    fn a_time_of_the_documented_shape_and_a_real_date_is_accepted(input in admitted(TIME)) {
        prop_assume!(is_calendar_date(&input[..10]));
        prop_assert!(Timestamp::parse(&input).is_ok(), "{:?}: {:?}", input, Timestamp::parse(&input).err());
    }

    #[test]
    fn a_birth_date_of_the_documented_shape_is_refused_only_for_being_in_the_future(input in admitted(BIRTH)) {
        prop_assume!(is_calendar_date(&input));
        let today = time::macros::date!(2026 - 12 - 01);
        if let Err(refused) = DateOfBirth::parse(&input, today) {
            prop_assert_eq!(refused.code, "date-in-future", "{:?}", input);
        }
    }

    #[test]
    fn a_name_of_the_documented_shape_and_length_is_accepted(input in admitted(NAME)) {
        prop_assume!((1..=200).contains(&input.chars().count()));
        let normalised = unicode_normalization::UnicodeNormalization::nfc(input.as_str()).count();
        // NFC lengthens a few composition-excluded letters (U+0958 becomes two): a rule of length
        // after normalisation, which JSON Schema cannot state.
        prop_assume!(normalised <= 200);
        prop_assert!(PersonName::parse(&input).is_ok(), "{:?}: {:?}", input, PersonName::parse(&input).err());
        prop_assert!(FreeText::parse(&input).is_ok(), "{:?}", input);
    }
}
