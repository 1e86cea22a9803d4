#![cfg(not(target_arch = "wasm32"))]
//! Every code the program can send has a message, and every message belongs to a code it sends.

use std::collections::BTreeSet;

/// The kebab-case codes in the source: arguments of `Invalid::new("...")`, `const INVALID` and
/// the problem codes in `api/problem.rs`.
fn codes_in_source() -> BTreeSet<String> {
    let mut codes = BTreeSet::new();
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
    let mut stack = vec![std::path::PathBuf::from(root)];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let source = std::fs::read_to_string(&path).unwrap();
            // Test modules mention codes to assert on them; only the code proper counts.
            let source = source.split("#[cfg(test)]").next().unwrap().split("#[cfg(all(test").next().unwrap();
            let is_problem_module = path.ends_with("api/problem.rs");
            for (i, _) in source.match_indices('"') {
                let rest = &source[i + 1..];
                let Some(end) = rest.find('"') else { continue };
                let literal = &rest[..end];
                let before = &source[..i];
                let is_code = literal.contains('-')
                    && literal.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                    && (before.ends_with("Invalid::new(")
                        || before.ends_with("const INVALID: &str = ")
                        || (is_problem_module
                            && (before.trim_end().ends_with(',') || before.trim_end().ends_with("=>"))));
                if is_code {
                    codes.insert(literal.to_owned());
                }
            }
        }
    }
    codes
}

#[test]
fn every_code_the_program_sends_has_an_english_message_and_every_message_is_used() {
    let used = codes_in_source();
    let defined: BTreeSet<String> = panda::i18n::default_ids().into_iter().collect();
    assert!(used.len() > 40, "the scan found too few codes to be working: {used:?}");
    let missing: Vec<_> = used.difference(&defined).collect();
    let unused: Vec<_> = defined.difference(&used).collect();
    assert!(missing.is_empty(), "codes without a message: {missing:?}");
    assert!(unused.is_empty(), "messages no code uses: {unused:?}");
}

#[test]
fn every_problem_message_has_a_title() {
    let source = panda::i18n::LOCALES[0].1;
    let problem_section = source.split("## Field problems").next().unwrap();
    let ids: Vec<&str> = problem_section
        .lines()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_lowercase()))
        .filter_map(|l| l.split(" =").next())
        .collect();
    assert!(ids.len() > 10);
    for id in ids {
        let title = panda::i18n::message(panda::i18n::Lang::default(), id, Some("title"), &vec![]);
        assert_ne!(title, id, "{id} has no .title");
    }
}

mod every_language {
    use std::collections::{BTreeMap, BTreeSet};

    use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};

    /// Message id (or `id.attribute`) to the variables it uses.
    type Shape = BTreeMap<String, BTreeSet<String>>;

    fn variables_in_pattern(pattern: &Pattern<&str>, out: &mut BTreeSet<String>) {
        for element in &pattern.elements {
            if let PatternElement::Placeable { expression } = element {
                variables_in_expression(expression, out);
            }
        }
    }

    fn variables_in_expression(expression: &Expression<&str>, out: &mut BTreeSet<String>) {
        match expression {
            Expression::Inline(inline) => variables_in_inline(inline, out),
            Expression::Select { selector, variants } => {
                variables_in_inline(selector, out);
                for variant in variants {
                    variables_in_pattern(&variant.value, out);
                }
            }
        }
    }

    fn variables_in_inline(inline: &InlineExpression<&str>, out: &mut BTreeSet<String>) {
        match inline {
            InlineExpression::VariableReference { id } => {
                out.insert(id.name.to_owned());
            }
            InlineExpression::FunctionReference { arguments, .. } => {
                for argument in &arguments.positional {
                    variables_in_inline(argument, out);
                }
            }
            InlineExpression::Placeable { expression } => variables_in_expression(expression, out),
            _ => {}
        }
    }

    fn shape(tag: &str, source: &str) -> Shape {
        let resource = fluent_syntax::parser::parse(source).unwrap_or_else(|(_, errors)| panic!("{tag}: {errors:?}"));
        let mut shape = Shape::new();
        for entry in resource.body {
            if let Entry::Message(message) = entry {
                let mut vars = BTreeSet::new();
                if let Some(value) = &message.value {
                    variables_in_pattern(value, &mut vars);
                }
                shape.insert(message.id.name.to_owned(), vars);
                for attribute in &message.attributes {
                    let mut vars = BTreeSet::new();
                    variables_in_pattern(&attribute.value, &mut vars);
                    shape.insert(format!("{}.{}", message.id.name, attribute.id.name), vars);
                }
            }
        }
        shape
    }

    #[test]
    fn every_language_has_every_message_with_the_same_variables() {
        let (_, english) = panda::i18n::LOCALES[0];
        let expected = shape("en-GB", english);
        for (tag, source) in &panda::i18n::LOCALES[1..] {
            let actual = shape(tag, source);
            let missing: Vec<_> = expected.keys().filter(|k| !actual.contains_key(*k)).collect();
            let extra: Vec<_> = actual.keys().filter(|k| !expected.contains_key(*k)).collect();
            assert!(missing.is_empty(), "{tag} lacks {missing:?}");
            assert!(extra.is_empty(), "{tag} has messages the code never uses: {extra:?}");
            for (id, vars) in &expected {
                assert_eq!(&actual[id], vars, "{tag} {id} must use exactly the variables of en-GB");
            }
        }
    }

    #[test]
    fn every_message_formats_in_every_language_without_errors() {
        use fluent_bundle::{FluentArgs, FluentBundle, FluentResource};
        for (tag, source) in panda::i18n::LOCALES {
            let resource = FluentResource::try_new((*source).to_owned()).unwrap_or_else(|_| panic!("{tag} parses"));
            let mut bundle = FluentBundle::new(vec![tag.parse().unwrap()]);
            bundle.set_use_isolating(false);
            bundle.add_resource(resource).unwrap();
            let mut args = FluentArgs::new();
            for name in ["field", "path", "method", "allow", "expected", "nhs_number", "id", "to"] {
                args.set(name, "x");
            }
            for name in ["line", "column", "limit", "count", "minutes", "max", "min"] {
                args.set(name, 3);
            }
            for id in panda::i18n::ids(source) {
                let message = bundle.get_message(&id).unwrap();
                let patterns = message.value().into_iter().chain(message.attributes().map(|a| a.value()));
                for pattern in patterns {
                    let mut errors = Vec::new();
                    let text = bundle.format_pattern(pattern, Some(&args), &mut errors);
                    assert!(errors.is_empty(), "{tag} {id}: {errors:?}");
                    assert!(!text.trim().is_empty(), "{tag} {id} is empty");
                }
            }
        }
    }
}
