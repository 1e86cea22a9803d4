#![cfg(not(target_arch = "wasm32"))]
//! No input makes PANDA panic or answer 5xx: random methods, paths, queries, headers and bodies.

mod support;

use proptest::prelude::*;
use serde_json::json;
use support::Api;

fn method() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["GET", "POST", "PATCH", "DELETE", "PUT", "OPTIONS", "HEAD", "get", "X-ODD"])
        .prop_map(String::from)
}

fn path() -> impl Strategy<Value = String> {
    let segment = prop_oneof![
        Just("v1".to_owned()),
        Just("patients".to_owned()),
        Just("appointments".to_owned()),
        Just("9434765919".to_owned()),
        Just("343d31d4-5993-47ef-a468-7884a467ae80".to_owned()),
        Just("%ff%00%".to_owned()),
        any::<String>(),
    ];
    prop::collection::vec(segment, 0..5).prop_map(|segments| format!("/{}", segments.join("/")))
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    let field = prop::sample::select(vec![
        "nhs_number",
        "name",
        "date_of_birth",
        "postcode",
        "patient",
        "time",
        "duration",
        "clinician",
        "department",
        "status",
        "id",
        "created_at",
        "",
    ]);
    let value = prop_oneof![
        any::<String>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        Just(serde_json::Value::Null),
        Just(json!([[[[]]]])),
        Just(json!("9434765919")),
        Just(json!("2026-12-01T09:30:00+14:00")),
        Just(json!("99999999999999999999h")),
    ];
    prop_oneof![
        prop::collection::btree_map(field, value, 0..8).prop_map(|m| serde_json::to_vec(&m).unwrap()),
        prop::collection::vec(any::<u8>(), 0..64),
        Just(b"[".repeat(5000)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: support::cases(2000), ..ProptestConfig::default() })]

    #[test]
    fn no_request_makes_the_api_panic_or_fail_on_the_server_side(
        method in method(),
        path in path(),
        query in any::<String>(),
        content_type in prop::sample::select(vec!["application/json", "application/merge-patch+json", "text/plain", ""]),
        if_match in prop::option::of(any::<String>()),
        body in body(),
    ) {
        let api = Api::new();
        let mut headers = vec![
            ("content-type".to_owned(), content_type.to_owned()),
            ("authorization".to_owned(), format!("Bearer {}", api.token)),
        ];
        if let Some(tag) = if_match {
            headers.push(("if-match".to_owned(), tag));
        }
        let request = panda::api::Request { method, path, query, headers, body };
        let response = api.handle_with(&request, &api.db);
        prop_assert!(response.status < 500, "{} for {:?}", response.status, request);
        if !response.body.is_empty() {
            prop_assert!(serde_json::from_slice::<serde_json::Value>(&response.body).is_ok());
        }
    }
}
