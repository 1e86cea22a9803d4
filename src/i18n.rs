//! Every sentence PANDA sends, looked up by message id in Fluent bundles compiled into the binary.
//!
//! Bundles are parsed once per isolate (the first time a message is needed), not per request.

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

/// The languages PANDA speaks; the first is the default.
pub const LOCALES: &[(&str, &str)] = &[("en-GB", include_str!("../locales/en-GB/panda.ftl"))];

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
    let (_, source) = LOCALES[0];
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

    #[test]
    fn an_unknown_id_falls_back_to_the_id() {
        assert_eq!(message(Lang::default(), "no-such-message", None, &vec![]), "no-such-message");
    }
}
