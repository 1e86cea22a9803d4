#![cfg(not(target_arch = "wasm32"))]
//! `docs/openapi.json` against the code: every route in the table is documented (and nothing
//! else), every operation shows its responses with examples, every problem code appears, and the
//! examples' problem texts are the ones PANDA actually sends.

use panda::api::routes::PATHS;
use panda::i18n::{self, Arg, Lang};
use serde_json::Value;

const FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/openapi.json");
const FTL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/locales/en-GB/panda.ftl");
const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

fn document() -> Value {
    let text = std::fs::read_to_string(FILE).expect("read docs/openapi.json");
    serde_json::from_str(&text).expect("docs/openapi.json is valid JSON")
}

/// Follows a local `$ref` (`#/components/...`) to what it names; anything else is returned as is.
fn resolve<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let pointer = reference.strip_prefix('#').unwrap_or_else(|| panic!("non-local $ref {reference}"));
            resolve(doc, doc.pointer(pointer).unwrap_or_else(|| panic!("$ref {reference} names nothing")))
        }
        None => value,
    }
}

/// Every operation in the document: (path template, method, operation).
fn operations(doc: &Value) -> Vec<(String, String, &Value)> {
    let paths = doc["paths"].as_object().expect("paths is an object");
    let mut out = Vec::new();
    for (template, item) in paths {
        for (key, operation) in item.as_object().expect("path item is an object") {
            if METHODS.contains(&key.as_str()) {
                out.push((template.clone(), key.clone(), operation));
            }
        }
    }
    out
}

#[test]
fn every_route_in_the_table_is_documented() {
    let doc = document();
    let mut missing = Vec::new();
    for spec in PATHS {
        for method in spec.methods {
            let operation = &doc["paths"][spec.template][method.to_lowercase()];
            if !operation.is_object() {
                missing.push(format!("{method} {}", spec.template));
            }
        }
    }
    assert!(missing.is_empty(), "routes missing from docs/openapi.json: {missing:?}");
}

#[test]
fn the_document_describes_no_route_that_does_not_exist() {
    let doc = document();
    let mut extra = Vec::new();
    for (template, method, _) in operations(&doc) {
        let served = PATHS
            .iter()
            .any(|spec| spec.template == template && spec.methods.iter().any(|m| m.eq_ignore_ascii_case(&method)));
        if !served {
            extra.push(format!("{} {template}", method.to_uppercase()));
        }
    }
    for template in doc["paths"].as_object().expect("paths").keys() {
        if !PATHS.iter().any(|spec| spec.template == template) {
            extra.push(template.clone());
        }
    }
    assert!(extra.is_empty(), "documented but not served: {extra:?}");
}

#[test]
fn every_operation_documents_its_responses_with_examples() {
    let doc = document();
    for (template, method, operation) in operations(&doc) {
        let name = format!("{} {template}", method.to_uppercase());
        assert!(operation["operationId"].is_string(), "{name}: no operationId");
        assert!(operation["summary"].is_string(), "{name}: no summary");
        let responses = operation["responses"].as_object().unwrap_or_else(|| panic!("{name}: no responses"));
        assert!(responses.keys().any(|s| s.starts_with('2')), "{name}: no 2xx response");
        assert!(responses.keys().any(|s| s.starts_with('4')), "{name}: no 4xx response");
        for (status, response) in responses {
            let response = resolve(&doc, response);
            assert!(response["description"].is_string(), "{name} {status}: no description");
            let Some(content) = response.get("content").and_then(Value::as_object) else { continue };
            for (media_type, media) in content {
                assert!(media.get("schema").is_some(), "{name} {status} {media_type}: no schema");
                assert!(
                    media.get("example").is_some() || media.get("examples").is_some(),
                    "{name} {status} {media_type}: no example"
                );
            }
        }
    }
}

/// The problem codes: message ids in the en-GB file that have a `.title` attribute.
fn problem_codes() -> Vec<String> {
    let ftl = std::fs::read_to_string(FTL).expect("read panda.ftl");
    let lines: Vec<&str> = ftl.lines().collect();
    let is_id_line = |line: &str| line.starts_with(|c: char| c.is_ascii_lowercase()) && line.contains(" =");
    let mut codes = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if !is_id_line(line) {
            continue;
        }
        let id = line.split_once(" =").map(|(id, _)| id.trim()).unwrap_or_default();
        let has_title = lines
            .iter()
            .skip(i + 1)
            .take_while(|next| !is_id_line(next))
            .any(|next| next.starts_with("    .title"));
        if has_title {
            codes.push(id.to_owned());
        }
    }
    codes
}

#[test]
fn every_problem_code_is_documented() {
    let text = std::fs::read_to_string(FILE).expect("read docs/openapi.json");
    let codes = problem_codes();
    assert!(codes.len() > 10 && codes.iter().any(|c| c == "validation-failed"), "parsed codes: {codes:?}");
    let missing: Vec<&String> = codes
        .iter()
        .filter(|code| *code != "appointment-active")
        .filter(|code| !text.contains(&format!("\"{code}\"")))
        .collect();
    assert!(missing.is_empty(), "problem codes not in docs/openapi.json: {missing:?}");
}

#[test]
fn the_served_document_is_the_file() {
    let served: Value = serde_json::from_str(panda::api::OPENAPI).expect("OPENAPI is valid JSON");
    assert_eq!(served, document());
    assert_eq!(panda::api::OPENAPI, std::fs::read_to_string(FILE).expect("read docs/openapi.json"));
    assert_eq!(served["openapi"], "3.1.0");
}

#[test]
fn every_reference_resolves() {
    fn walk<'a>(value: &'a Value, refs: &mut Vec<&'a str>) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get("$ref") {
                    refs.push(reference);
                }
                map.values().for_each(|v| walk(v, refs));
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, refs)),
            _ => {}
        }
    }
    let doc = document();
    let mut refs = Vec::new();
    walk(&doc, &mut refs);
    assert!(!refs.is_empty());
    for reference in refs {
        let pointer = reference.strip_prefix('#').unwrap_or_else(|| panic!("non-local $ref {reference}"));
        assert!(doc.pointer(pointer).is_some(), "$ref {reference} names nothing");
    }
}

/// A message rendered with only `args`, or `None` when it needs arguments the example does not
/// carry in a form this test can recover (Fluent then leaves `{$name}` in the text).
fn rendered(code: &str, attribute: Option<&str>, args: Vec<(&'static str, Arg)>) -> Option<String> {
    let text = i18n::message(Lang::default(), code, attribute, &args);
    (!text.contains('{')).then_some(text)
}

#[test]
fn every_problem_example_carries_the_texts_panda_sends() {
    let doc = document();
    let mut checked = 0;
    let mut check = |context: &str, status: Option<u64>, example: &Value| {
        let code = example["code"].as_str().unwrap_or_else(|| panic!("{context}: problem without code"));
        assert_eq!(example["type"], format!("urn:panda:problem:{code}"), "{context}");
        if let Some(status) = status {
            assert_eq!(example["status"], status, "{context}");
        }
        assert_eq!(example["title"].as_str(), rendered(code, Some("title"), vec![]).as_deref(), "{context}");
        let detail = match example["errors"].as_array() {
            Some(errors) => rendered(code, None, vec![("count", errors.len().into())]),
            None => rendered(code, None, vec![]),
        };
        if let Some(detail) = detail {
            assert_eq!(example["detail"].as_str(), Some(detail.as_str()), "{context}");
        }
        for error in example["errors"].as_array().into_iter().flatten() {
            let field = error["field"].as_str().unwrap_or_else(|| panic!("{context}: error without field"));
            let error_code = error["code"].as_str().unwrap_or_else(|| panic!("{context}: error without code"));
            assert_ne!(i18n::message(Lang::default(), error_code, None, &vec![]), error_code, "{context}: unknown code {error_code}");
            if let Some(message) = rendered(error_code, None, vec![("field", Arg::from(field))]) {
                assert_eq!(error["message"].as_str(), Some(message.as_str()), "{context}: {field}");
            }
        }
        checked += 1;
    };
    let problem_examples = |response: &Value| -> Vec<Value> {
        let media = &response["content"]["application/problem+json"];
        let mut out: Vec<Value> = media["examples"].as_object().into_iter().flatten().map(|(_, e)| e["value"].clone()).collect();
        out.extend(media.get("example").cloned());
        out
    };
    for (template, method, operation) in operations(&doc) {
        for (status, response) in operation["responses"].as_object().into_iter().flatten() {
            let response = resolve(&doc, response);
            for example in problem_examples(response) {
                check(&format!("{method} {template} {status}"), status.parse().ok(), &example);
            }
        }
    }
    for (name, response) in doc["components"]["responses"].as_object().into_iter().flatten() {
        for example in problem_examples(response) {
            check(&format!("components.responses.{name}"), None, &example);
        }
    }
    assert!(checked > 20, "only {checked} problem examples found");
}
