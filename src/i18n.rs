//! Every sentence PANDA sends, looked up by message id in Fluent bundles compiled into the binary.
//!
//! Bundles are parsed once per isolate (the first time a message is needed), not per request.
//!
//! Accept-Language is negotiated by hand, not with fluent-langneg: its q-value parsing accepts what
//! RFC 9110 does not, and its matching would pick a language the header excluded with `q=0`.

use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::{langid, LanguageIdentifier};

/// A value a message can interpolate. Numbers are kept as numbers so plural rules can see them.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Text(String),
    Number(i64),
}

impl From<&str> for Arg {
    fn from(v: &str) -> Self {
        Arg::Text(v.to_owned())
    }
}

impl From<String> for Arg {
    fn from(v: String) -> Self {
        Arg::Text(v)
    }
}

impl From<i64> for Arg {
    fn from(v: i64) -> Self {
        Arg::Number(v)
    }
}

impl From<usize> for Arg {
    fn from(v: usize) -> Self {
        Arg::Number(i64::try_from(v).unwrap_or(i64::MAX))
    }
}

pub type Args = Vec<(&'static str, Arg)>;

// `LOCALES`: every `locales/<tag>/panda.ftl`, found by build.rs; the first is the default (en-GB).
include!(concat!(env!("OUT_DIR"), "/locales.rs"));

struct Locale {
    id: LanguageIdentifier,
    bundle: FluentBundle<FluentResource>,
}

static CATALOGUE: LazyLock<Vec<Locale>> = LazyLock::new(|| {
    LOCALES
        .iter()
        .map(|(tag, source)| {
            let id: LanguageIdentifier = tag.parse().unwrap_or(langid!("en-GB"));
            // A syntax error in a shipped file is caught by the tests; at run time the entries
            // that did parse are still served.
            let resource = FluentResource::try_new((*source).to_owned()).unwrap_or_else(|(r, _)| r);
            let mut bundle = FluentBundle::new_concurrent(vec![id.clone()]);
            // Unicode isolation marks would end up inside JSON strings; the frontend escapes itself.
            bundle.set_use_isolating(false);
            let _ = bundle.add_resource(resource);
            Locale { id, bundle }
        })
        .collect()
});

/// The language a response is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Lang(usize);

impl Lang {
    pub fn tag(self) -> String {
        CATALOGUE.get(self.0).map_or_else(|| "en-GB".to_owned(), |l| l.id.to_string())
    }
}

/// Chooses the response language from an `Accept-Language` header (RFC 9110 section 12.5.4):
/// ranges in order of their q-value (ties keep header order), each matched exactly (`fr-CA` to a
/// `fr-CA` folder) or else by its language alone (`fr-CA` to `fr`, `en-US` to `en-GB`); `q=0`
/// means "not this one"; anything unparseable is skipped. Never fails: no match means en-GB.
pub fn negotiate(accept_language: Option<&str>) -> Lang {
    let Some(header) = accept_language else { return Lang::default() };
    let mut ranges: Vec<(u16, LanguageIdentifier)> = header
        .split(',')
        .take(32) // a header longer than this is not a person's preference list
        .filter_map(|item| {
            let mut parts = item.split(';');
            let tag = parts.next()?.trim();
            let mut quality = 1000;
            for param in parts {
                let (name, value) = param.split_once('=')?;
                if name.trim().eq_ignore_ascii_case("q") {
                    quality = parse_quality(value.trim())?;
                }
            }
            let id = if tag == "*" { CATALOGUE.first()?.id.clone() } else { tag.parse().ok()? };
            (quality > 0).then_some((quality, id))
        })
        .collect();
    ranges.sort_by_key(|range| std::cmp::Reverse(range.0));
    ranges
        .iter()
        .find_map(|(_, wanted)| {
            CATALOGUE
                .iter()
                .position(|l| l.id == *wanted)
                .or_else(|| CATALOGUE.iter().position(|l| l.id.language == wanted.language))
        })
        .map_or_else(Lang::default, Lang)
}

/// A q-value, `0` to `1` with at most three decimals, as thousandths (RFC 9110 section 12.4.2;
/// `Accept` uses it too). Integers, not floats: float parsing would add kilobytes to the wasm.
pub fn parse_quality(value: &str) -> Option<u16> {
    let (whole, fraction) = value.split_once('.').unwrap_or((value, ""));
    if fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let thousandths = format!("{fraction:0<3}").parse::<u16>().ok()?;
    match whole {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

/// Formats message `id` (or its `attribute`) in `lang`, falling back to the default language and,
/// should a message be missing everywhere (a bug the tests catch), to the id itself.
pub fn message(lang: Lang, id: &str, attribute: Option<&str>, args: &Args) -> String {
    let fluent_args = to_fluent(args);
    for locale in [lang.0, 0] {
        let Some(Locale { bundle, .. }) = CATALOGUE.get(locale) else { continue };
        let Some(msg) = bundle.get_message(id) else { continue };
        let pattern = match attribute {
            Some(name) => msg.get_attribute(name).map(|a| a.value()),
            None => msg.value(),
        };
        if let Some(pattern) = pattern {
            let mut errors = Vec::new();
            return bundle.format_pattern(pattern, Some(&fluent_args), &mut errors).into_owned();
        }
    }
    id.to_owned()
}

fn to_fluent(args: &Args) -> FluentArgs<'_> {
    let mut out = FluentArgs::new();
    for (name, value) in args {
        match value {
            Arg::Text(text) => out.set(*name, FluentValue::from(text.as_str())),
            Arg::Number(n) => out.set(*name, FluentValue::from(*n)),
        }
    }
    out
}

/// Every message id in the default language, for the completeness tests.
pub fn default_ids() -> Vec<String> {
    ids(LOCALES[0].1)
}

/// The message ids of one Fluent source, in order.
pub fn ids(source: &str) -> Vec<String> {
    source
        .lines()
        .filter(|line| line.starts_with(|c: char| c.is_ascii_lowercase()))
        .filter_map(|line| line.split_once(" =").map(|(id, _)| id.trim().to_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_files_parse_without_errors() {
        for (tag, source) in LOCALES {
            assert!(FluentResource::try_new((*source).to_owned()).is_ok(), "{tag} has a syntax error");
        }
    }

    #[test]
    fn messages_interpolate_without_isolation_marks() {
        let text = message(Lang::default(), "route-not-found", None, &vec![("path", "/nope".into())]);
        assert_eq!(text, "Nothing is served at /nope. See /openapi.json for every route.");
        assert!(!text.contains('\u{2068}'));
    }

    #[test]
    fn titles_come_from_the_title_attribute() {
        assert_eq!(message(Lang::default(), "route-not-found", Some("title"), &vec![]), "Not found");
    }

    /// Negotiation cases: `Accept-Language` header, the language chosen. Adding a language means
    /// adding its folder under `locales/` and a row here.
    const NEGOTIATION: &[(Option<&str>, &str)] = &[
        (None, "en-GB"),
        (Some("en-GB"), "en-GB"),
        (Some("en-US"), "en-GB"),
        (Some("cy"), "cy"),
        (Some("CY-gb"), "cy"),
        (Some("fr-CA"), "fr"),
        (Some("fr"), "fr"),
        (Some("de-DE-1996"), "de"),
        (Some("de-AT"), "de"),
        (Some("es-MX,es;q=0.9,en;q=0.8"), "es"),
        (Some("de;q=0.9, cy;q=1"), "cy"),
        (Some("ja, de;q=0.5"), "de"),
        (Some("ja"), "en-GB"),
        (Some("*"), "en-GB"),
        (Some("fr;q=0"), "en-GB"),
        (Some("fr;q=0, de"), "de"),
        (Some("fr;q=0.5, es;q=0.50"), "fr"),
        (Some("fr;q=0.001, es;q=0"), "fr"),
    ];

    #[test]
    fn accept_language_picks_the_best_language_we_speak() {
        for (header, expected) in NEGOTIATION {
            assert_eq!(negotiate(*header).tag(), *expected, "Accept-Language: {header:?}");
        }
    }

    #[test]
    fn malformed_accept_language_headers_fall_back_quietly() {
        let long = "x".repeat(10_000);
        let many = "fr;q=0.1,".repeat(1000);
        for header in
            [";;;q=abc,,", "fr;q=2", "fr;q=0.5.5", "fr;q=", "fr;q=-1", "\0", "de-;q=1", ",", "", long.as_str(), "q=1"]
        {
            assert_eq!(negotiate(Some(header)).tag(), "en-GB", "{header:?}");
        }
        assert_eq!(negotiate(Some("fr;q=abc, de;q=0.1")).tag(), "de", "a bad range is skipped, not fatal");
        assert_eq!(negotiate(Some(&many)).tag(), "fr");
    }

    #[test]
    fn every_shipped_language_is_reachable_by_its_own_tag() {
        for (tag, _) in LOCALES {
            assert_eq!(negotiate(Some(tag)).tag(), *tag);
        }
        assert!(LOCALES.len() >= 5, "en-GB, cy, fr, de and es at least");
    }

    #[test]
    fn an_unknown_id_falls_back_to_the_id() {
        assert_eq!(message(Lang::default(), "no-such-message", None, &vec![]), "no-such-message");
    }
}
