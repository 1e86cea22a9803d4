#![cfg(not(target_arch = "wasm32"))]
//! Every answer carries the security headers, whatever the route and whether it succeeded.

mod support;

use panda::api::routes::ROUTES;
use panda::api::SECURITY_HEADERS;
use serde_json::json;
use support::{Answer, Api};

fn assert_secured(answer: &Answer, label: &str) {
    for (name, value) in SECURITY_HEADERS {
        assert_eq!(answer.header(name), Some(*value), "{label}: {name}");
    }
    assert_eq!(
        answer.response.headers.iter().filter(|(n, _)| n == "cache-control").count(),
        1,
        "{label}: one Cache-Control"
    );
}

#[test]
fn every_route_answers_with_the_security_headers_signed_in_or_not() {
    let api = Api::new();
    for spec in ROUTES {
        let path =
            spec.template.replace("{nhs_number}", "9434765919").replace("{id}", "343d31d4-5993-47ef-a468-7884a467ae80");
        let label = format!("{} {path}", spec.method);
        let signed_in = api.call(spec.method, &path, Some(json!({})), &[]);
        assert_secured(&signed_in, &format!("{label} ({})", signed_in.status));
        let anonymous = api.call(spec.method, &path, Some(json!({})), &[("authorization", "")]);
        assert_secured(&anonymous, &format!("{label} ({})", anonymous.status));
    }
}

#[test]
fn refusals_before_any_route_carry_them_too() {
    let mut api = Api::new();
    api.config.cors_allowed_origins = Some("https://app.example".into());
    let not_found = api.get("/nowhere");
    assert_eq!(not_found.status, 404);
    assert_secured(&not_found, "404");
    let not_allowed = api.call("PUT", "/v1/patients", None, &[]);
    assert_eq!(not_allowed.status, 405);
    assert_secured(&not_allowed, "405");
    let preflight = api.call(
        "OPTIONS",
        "/v1/patients",
        None,
        &[("origin", "https://app.example"), ("access-control-request-method", "POST")],
    );
    assert_eq!(preflight.status, 204);
    assert_secured(&preflight, "preflight");
}
