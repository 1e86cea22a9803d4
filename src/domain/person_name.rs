//! Free text typed by people: patient names, clinician names, department names.
//!
//! Names are stored exactly as given, in any script: never re-cased, split or transliterated.
//! The only changes are Unicode NFC normalisation (so `e` + combining acute and the precomposed
//! `é` are the same name) and trimming surrounding Unicode whitespace. Control characters, line
//! and paragraph separators and bidirectional override/isolate controls are refused, since they
//! can break or disguise the text wherever it is shown later.
//!
//! Codes (shared by both types): `text-empty`, `text-too-long` (arg `max`),
//! `text-control-characters`.

use std::fmt;

use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use super::invalid::Invalid;

/// Longest accepted text, in Unicode scalar values after normalisation.
pub const MAX_TEXT_CHARS: usize = 200;

/// Characters that are refused even though `char::is_control` does not cover them.
fn is_forbidden(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{2028}' | '\u{2029}'          // line / paragraph separator
            | '\u{202A}'..='\u{202E}'       // bidi embeddings and overrides
            | '\u{2066}'..='\u{2069}'       // bidi isolates
        )
}

/// NFC-normalise, trim, then check emptiness, forbidden characters and length (in that order).
fn clean_text(input: &str) -> Result<String, Invalid> {
    let normalised: String = input.nfc().collect();
    let trimmed = normalised.trim();
    if trimmed.is_empty() {
        return Err(Invalid::new("text-empty"));
    }
    if trimmed.chars().any(is_forbidden) {
        return Err(Invalid::new("text-control-characters"));
    }
    if trimmed.chars().count() > MAX_TEXT_CHARS {
        return Err(Invalid::new("text-too-long").with("max", MAX_TEXT_CHARS));
    }
    Ok(trimmed.to_owned())
}

/// A person's name as they write it, e.g. `Dr Glenn Clark`, `张阳`, `शिरोळे, हनुमान्`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct PersonName(String);

impl PersonName {
    /// Codes: `text-empty`, `text-too-long` (arg `max` = 200), `text-control-characters`.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        clean_text(input).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Short free text such as a clinician's or a department's name: same rules as [`PersonName`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct FreeText(String);

impl FreeText {
    /// Codes: `text-empty`, `text-too-long` (arg `max` = 200), `text-control-characters`.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        clean_text(input).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for PersonName {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for FreeText {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for FreeText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

// Native only: proptest does not build for wasm32, where only the shell's tests run.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn name(input: &str) -> String {
        match PersonName::parse(input) {
            Ok(n) => n.to_string(),
            Err(e) => panic!("expected {input:?} to be accepted, got {e:?}"),
        }
    }

    fn code(input: &str) -> &'static str {
        match PersonName::parse(input) {
            Ok(n) => panic!("expected {input:?} to be refused, got {n}"),
            Err(e) => e.code,
        }
    }

    #[test]
    fn surrounding_whitespace_is_trimmed() {
        assert_eq!(name("  Dr Glenn Clark  "), "Dr Glenn Clark");
        // Unicode whitespace too: no-break space, ideographic space, em space.
        assert_eq!(name("\u{a0}\u{3000}Dr Glenn Clark\u{2003}"), "Dr Glenn Clark");
    }

    #[test]
    fn devanagari_is_stored_exactly() {
        assert_eq!(name("शिरोळे, हनुमान्"), "शिरोळे, हनुमान्");
    }

    #[test]
    fn chinese_is_stored_exactly() {
        assert_eq!(name("张阳"), "张阳");
    }

    #[test]
    fn arabic_hebrew_and_emoji_are_accepted() {
        for input in ["محمد الأحمد", "דוד לוי", "Ana 👩🏽‍⚕️ Silva", "O'Brien-Smythe"] {
            assert_eq!(name(input), input);
        }
    }

    #[test]
    fn a_decomposed_accent_is_composed() {
        let n = name("Rene\u{301}e");
        assert_eq!(n, "Ren\u{e9}e");
        assert_eq!(n.chars().count(), 5);
    }

    #[test]
    fn case_is_never_changed() {
        assert_eq!(name("mcDONALD, eLLa"), "mcDONALD, eLLa");
    }

    #[test]
    fn empty_or_blank_text_is_refused() {
        for input in ["", " ", "\t\n", "\u{3000}"] {
            assert_eq!(code(input), "text-empty", "{input:?}");
        }
    }

    #[test]
    fn control_characters_are_refused() {
        for input in ["Glenn\nClark", "Glenn\tClark", "Glenn\u{0}Clark", "Glenn\u{7f}", "Glenn\u{85}Clark"] {
            assert_eq!(code(input), "text-control-characters", "{input:?}");
        }
    }

    #[test]
    fn line_separators_and_bidi_controls_are_refused() {
        for c in [
            '\u{2028}', '\u{2029}', '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}',
            '\u{2068}', '\u{2069}',
        ] {
            assert_eq!(code(&format!("Glenn{c}Clark")), "text-control-characters", "{c:?}");
        }
    }

    #[test]
    fn two_hundred_characters_are_accepted_and_two_hundred_and_one_refused() {
        let max = "张".repeat(200);
        assert_eq!(name(&max), max);
        let err = PersonName::parse(&"张".repeat(201)).unwrap_err();
        assert_eq!(err.code, "text-too-long");
        assert_eq!(err.args, vec![("max", "200".to_string())]);
    }

    #[test]
    fn length_is_counted_after_normalisation() {
        // 200 decomposed é's are 400 scalar values before NFC and 200 after.
        let decomposed = "e\u{301}".repeat(200);
        assert_eq!(name(&decomposed).chars().count(), 200);
    }

    #[test]
    fn length_is_counted_after_trimming() {
        let padded = format!("   {}   ", "a".repeat(200));
        assert_eq!(name(&padded).len(), 200);
    }

    #[test]
    fn free_text_follows_the_same_rules() {
        assert_eq!(FreeText::parse("  oncology ").map(|t| t.to_string()), Ok("oncology".to_string()));
        assert_eq!(FreeText::parse(" ").map_err(|e| e.code), Err("text-empty"));
        assert_eq!(FreeText::parse("a\u{202E}b").map_err(|e| e.code), Err("text-control-characters"));
        assert_eq!(FreeText::parse(&"x".repeat(201)).map_err(|e| e.code), Err("text-too-long"));
    }

    #[test]
    fn both_serialize_as_plain_strings() {
        let n = PersonName::parse("张阳").unwrap();
        let t = FreeText::parse("Dr Jordan Lewis").unwrap();
        assert_eq!(serde_json::to_string(&n).unwrap(), "\"张阳\"");
        assert_eq!(serde_json::to_string(&t).unwrap(), "\"Dr Jordan Lewis\"");
    }

    proptest! {
        #[test]
        fn parse_never_panics_on_any_string(input in any::<String>()) {
            let _ = PersonName::parse(&input);
        }

        #[test]
        fn accepted_text_reparses_to_itself(input in any::<String>()) {
            if let Ok(n) = PersonName::parse(&input) {
                prop_assert_eq!(PersonName::parse(n.as_str()), Ok(n.clone()));
            }
        }
    }
}
