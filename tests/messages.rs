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
                        || (is_problem_module && (before.trim_end().ends_with(',') || before.trim_end().ends_with("=>"))));
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
