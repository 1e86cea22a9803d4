#![cfg(not(target_arch = "wasm32"))]
//! Every error class, in every shipped language, through `api::handle`: translated text, same code.

mod support;

use serde_json::json;
use support::{Answer, Api};

/// One request per error class (method, path, body, extra headers), and the code it must give.
type Call = Box<dyn Fn(&Api, &str) -> Answer>;

fn error_classes() -> Vec<(&'static str, Call)> {
    vec![
        (
            "malformed-json",
            Box::new(|api, lang| {
                api.call(
                    "POST",
                    "/v1/patients",
                    None,
                    &[("content-type", "application/json"), ("accept-language", lang)],
                )
            }),
        ),
        (
            "token-missing",
            Box::new(|api, lang| {
                api.call("GET", "/v1/patients", None, &[("authorization", ""), ("accept-language", lang)])
            }),
        ),
        ("route-not-found", Box::new(|api, lang| api.call("GET", "/v1/nowhere", None, &[("accept-language", lang)]))),
        (
            "method-not-allowed",
            Box::new(|api, lang| api.call("PUT", "/v1/patients", None, &[("accept-language", lang)])),
        ),
        (
            "patient-not-found",
            Box::new(|api, lang| api.call("GET", "/v1/patients/9876543210", None, &[("accept-language", lang)])),
        ),
        (
            "patient-exists",
            Box::new(|api, lang| api.call("POST", "/v1/patients", Some(patient()), &[("accept-language", lang)])),
        ),
        (
            "precondition-failed",
            Box::new(|api, lang| {
                api.call(
                    "PATCH",
                    "/v1/patients/9434765919",
                    Some(json!({"name": "B"})),
                    &[
                        ("content-type", "application/merge-patch+json"),
                        ("if-match", "\"0-0\""),
                        ("accept-language", lang),
                    ],
                )
            }),
        ),
        (
            "unsupported-media-type",
            Box::new(|api, lang| {
                api.call(
                    "POST",
                    "/v1/patients",
                    Some(patient()),
                    &[("content-type", "text/plain"), ("accept-language", lang)],
                )
            }),
        ),
        (
            "validation-failed",
            Box::new(|api, lang| {
                api.call(
                    "POST",
                    "/v1/patients",
                    Some(json!({"nhs_number": "1234567890", "name": "", "postcode": "INVALID"})),
                    &[("accept-language", lang)],
                )
            }),
        ),
        (
            "invalid-credentials",
            Box::new(|api, lang| {
                api.call(
                    "POST",
                    "/v1/auth/token",
                    Some(json!({"username": "nobody", "password": "x"})),
                    &[("accept-language", lang)],
                )
            }),
        ),
    ]
}

fn patient() -> serde_json::Value {
    json!({"nhs_number": "9434765919", "name": "Ada", "date_of_birth": "1990-01-01", "postcode": "SW1A 1AA"})
}

#[test]
fn every_error_class_answers_in_every_language_with_the_same_code() {
    let api = Api::new();
    assert_eq!(api.post("/v1/patients", patient()).status, 201);
    for (code, call) in error_classes() {
        let english = call(&api, "en-GB");
        assert_eq!(english.code(), code, "{}", english.body);
        for (tag, _) in &panda::i18n::LOCALES[1..] {
            let answer = call(&api, tag);
            assert_eq!(answer.code(), code, "{tag}");
            assert_eq!(answer.status, english.status, "{tag} {code}");
            assert_eq!(answer.header("content-language"), Some(*tag));
            assert_eq!(answer.header("vary"), Some("Accept-Language"));
            assert_ne!(answer.body["detail"], english.body["detail"], "{tag} {code} detail is translated");
            assert_ne!(answer.body["title"], english.body["title"], "{tag} {code} title is translated");
            let fields = |a: &Answer| a.field_errors();
            assert_eq!(fields(&answer), fields(&english), "{tag} {code}: same fields and codes");
            if let Some(errors) = answer.body["errors"].as_array() {
                for (translated, original) in errors.iter().zip(english.body["errors"].as_array().unwrap()) {
                    assert_ne!(translated["message"], original["message"], "{tag} {code} field message is translated");
                }
            }
            assert!(!answer.body.to_string().contains(['\u{2068}', '\u{2069}']), "no isolation marks in {tag}");
        }
    }
}
