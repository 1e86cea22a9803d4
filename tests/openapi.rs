#![cfg(not(target_arch = "wasm32"))]
//! `docs/openapi.json` against the code: every route in the table is documented (and nothing
//! else), every operation shows its responses with examples, every problem code appears, and the
//! examples' problem texts are the ones PANDA actually sends.

use panda::api::routes::{BUNDLED_FILES, ROUTES};
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
    for spec in ROUTES {
        if !doc["paths"][spec.template][spec.method.to_lowercase()].is_object() {
            missing.push(format!("{} {}", spec.method, spec.template));
        }
    }
    assert!(missing.is_empty(), "routes missing from docs/openapi.json: {missing:?}");
}

#[test]
fn the_document_describes_no_route_that_does_not_exist() {
    let doc = document();
    let mut extra = Vec::new();
    for (template, method, _) in operations(&doc) {
        let served = ROUTES.iter().any(|spec| spec.template == template && spec.method.eq_ignore_ascii_case(&method))
            || (BUNDLED_FILES.contains(&template.as_str()) && method == "get");
        if !served {
            extra.push(format!("{} {template}", method.to_uppercase()));
        }
    }
    for template in doc["paths"].as_object().expect("paths").keys() {
        if !ROUTES.iter().any(|spec| spec.template == template) && !BUNDLED_FILES.contains(&template.as_str()) {
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
        let has_title =
            lines.iter().skip(i + 1).take_while(|next| !is_id_line(next)).any(|next| next.starts_with("    .title"));
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
fn the_problem_schema_lists_every_problem_code_panda_sends() {
    let doc = document();
    let listed: Vec<&str> = doc["components"]["schemas"]["Problem"]["properties"]["code"]["enum"]
        .as_array()
        .expect("Problem.code has an enum")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let missing: Vec<String> = problem_codes()
        .into_iter()
        .filter(|code| code != "appointment-active" && !listed.contains(&code.as_str()))
        .collect();
    assert!(missing.is_empty(), "codes missing from the Problem schema's enum: {missing:?}");
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
            assert_ne!(
                i18n::message(Lang::default(), error_code, None, &vec![]),
                error_code,
                "{context}: unknown code {error_code}"
            );
            if let Some(message) = rendered(error_code, None, vec![("field", Arg::from(field))]) {
                assert_eq!(error["message"].as_str(), Some(message.as_str()), "{context}: {field}");
            }
        }
        checked += 1;
    };
    let problem_examples = |response: &Value| -> Vec<Value> {
        let media = &response["content"]["application/problem+json"];
        let mut out: Vec<Value> =
            media["examples"].as_object().into_iter().flatten().map(|(_, e)| e["value"].clone()).collect();
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

/// The routes' sample paths, as `routes::resolve` would see a request for each documented operation.
fn sample_path(template: &str) -> String {
    template.replace("{nhs_number}", "9434765919").replace("{id}", "343d31d4-5993-47ef-a468-7884a467ae80")
}

/// The problem codes among an operation's examples for one status (following `$ref`s).
fn example_codes(doc: &Value, operation: &Value, status: &str) -> Vec<String> {
    let response = resolve(doc, &operation["responses"][status]);
    response["content"]["application/problem+json"]["examples"]
        .as_object()
        .into_iter()
        .flatten()
        .filter_map(|(_, example)| example["value"]["code"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn protected_operations_require_a_bearer_token_and_public_ones_do_not() {
    let doc = document();
    assert_eq!(doc["security"], serde_json::json!([{"bearerAuth": []}]), "bearer tokens are the default");
    let scheme = &doc["components"]["securitySchemes"]["bearerAuth"];
    assert_eq!((scheme["type"].as_str(), scheme["scheme"].as_str()), (Some("http"), Some("bearer")));
    for (template, method, operation) in operations(&doc) {
        let name = format!("{} {template}", method.to_uppercase());
        // A bundled file (the OpenAPI document itself) is public.
        let protected = !BUNDLED_FILES.contains(&template.as_str())
            && panda::api::routes::resolve(&method.to_uppercase(), &sample_path(&template))
                .unwrap_or_else(|miss| panic!("{name}: {miss:?}"))
                .requires_authentication();
        if protected {
            assert!(operation.get("security").is_none(), "{name}: protected, so it keeps the default security");
            let mut unauthorized = example_codes(&doc, operation, "401");
            unauthorized.sort();
            assert_eq!(unauthorized, ["token-expired", "token-invalid", "token-missing"], "{name} 401");
            let server = example_codes(&doc, operation, "500");
            assert!(server.iter().any(|c| c == "auth-not-configured"), "{name}: 500 without auth-not-configured");
            assert!(server.iter().any(|c| c == "internal-error"), "{name}: 500 without internal-error");
        } else {
            assert_eq!(operation["security"], serde_json::json!([]), "{name}: public, so it says so");
            assert!(!example_codes(&doc, operation, "401").iter().any(|c| c.starts_with("token-")), "{name}");
        }
    }
}

mod support;

/// The authentication examples are what PANDA answers: each documented request is replayed
/// through `api::handle` and its status, body and auth headers compared with the example.
#[test]
fn the_authentication_examples_are_real_responses() {
    const EXAMPLE_SECRET: &str = "an-example-secret-for-docs-openapi-json-only";
    let doc = document();
    let token_op = &doc["paths"]["/v1/auth/token"]["post"];
    let example = |status: &str, name: &str| -> Value {
        let content = &resolve(&doc, &token_op["responses"][status])["content"];
        let media = if status == "200" { "application/json" } else { "application/problem+json" };
        content[media]["examples"][name]["value"].clone()
    };
    let component = |response: &str, name: &str| -> Value {
        let content = &doc["components"]["responses"][response]["content"];
        content["application/problem+json"]["examples"][name]["value"].clone()
    };
    let expect = |answer: &support::Answer, status: u16, documented: Value| {
        assert_eq!((answer.status, &answer.body), (status, &documented));
    };
    let request = token_op["requestBody"]["content"]["application/json"]["examples"]["alice"]["value"].clone();
    let password = request["password"].as_str().expect("example password").to_owned();

    let mut api = support::Api::new();
    api.now = time::OffsetDateTime::from_unix_timestamp(1_746_090_000).expect("instant");
    api.config.jwt_secret = Some(EXAMPLE_SECRET.into());
    let hash = panda::domain::password::hash(&password).expect("hash");
    api.db.exec(&format!("UPDATE users SET username = 'alice', password_hash = '{hash}' WHERE id = 1"));
    let sign_in =
        |api: &support::Api, body: Value| api.call("POST", "/v1/auth/token", Some(body), &[("authorization", "")]);

    let ok = sign_in(&api, request.clone());
    expect(&ok, 200, example("200", "signed-in"));
    assert_eq!(ok.header("cache-control"), Some("no-store"));
    let token = ok.body["access_token"].as_str().expect("token").to_owned();
    assert_eq!(doc["components"]["schemas"]["TokenResponse"]["properties"]["access_token"]["examples"][0], token);

    let mut wrong = request.clone();
    wrong["password"] = "Tr0ub4dor&3".into();
    let refused = sign_in(&api, wrong.clone());
    expect(&refused, 401, example("401", "invalid-credentials"));
    assert_eq!(refused.header("www-authenticate"), Some("Bearer"));

    let invalid = sign_in(&api, serde_json::json!({"username": 5, "remember_me": true}));
    expect(&invalid, 422, example("422", "missing-and-wrong-types"));
    expect(&sign_in(&api, Value::String("alice".into())), 422, example("422", "not-an-object"));

    for _ in 0..3 {
        assert_eq!(sign_in(&api, wrong.clone()).status, 401);
    }
    let locked = sign_in(&api, wrong.clone());
    expect(&locked, 429, example("429", "account-locked"));
    assert_eq!(locked.header("retry-after"), Some("900"));
    api.now += time::Duration::seconds(870);
    let still = sign_in(&api, request.clone());
    expect(&still, 429, example("429", "still-locked"));
    assert_eq!(still.header("retry-after"), Some("30"));

    let call = |api: &support::Api, authorization: &str| {
        api.call("GET", "/v1/patients", None, &[("authorization", authorization)])
    };
    let invalid_token = Some("Bearer error=\"invalid_token\"");
    let missing = call(&api, "");
    expect(&missing, 401, component("Unauthorized", "token-missing"));
    assert_eq!(missing.header("www-authenticate"), Some("Bearer"));
    let tampered = call(&api, &format!("Bearer {token}x"));
    expect(&tampered, 401, component("Unauthorized", "token-invalid"));
    assert_eq!(tampered.header("www-authenticate"), invalid_token);
    assert_eq!(call(&api, &format!("Bearer {token}")).status, 200, "870 s into a 900 s token");
    api.now += time::Duration::minutes(5);
    let expired = call(&api, &format!("Bearer {token}"));
    expect(&expired, 401, component("Unauthorized", "token-expired"));
    assert_eq!(expired.header("www-authenticate"), invalid_token);

    api.config.jwt_secret = Some("too-short".into());
    let documented = component("InternalErrorOrAuthNotConfigured", "auth-not-configured");
    expect(&call(&api, &format!("Bearer {token}")), 500, documented.clone());
    expect(&sign_in(&api, request), 500, documented);
}

/// The request an example's summary names (`GET /v1/...?...: what it shows`), if it names one.
fn example_request(summary: &str) -> Option<(&str, &str)> {
    let request = summary.split_once(": ").map_or(summary, |(request, _)| request);
    let (method, path) = request.split_once(' ')?;
    (METHODS.contains(&method.to_lowercase().as_str()) && path.starts_with('/')).then_some((method, path))
}

/// The clinician, department and statistics examples are what PANDA answers: each request an
/// example names is replayed through `api::handle` over the client's example data (at the test
/// clock, 2026-11-26T12:00Z) and its status and body compared with the example.
#[test]
fn the_clinician_department_and_statistics_examples_are_real_responses() {
    let doc = document();
    let api = support::Api::new();
    for patient in support::example("patients") {
        assert_eq!(api.post("/v1/patients", patient).status, 201);
    }
    for appointment in support::example("appointments") {
        assert_eq!(api.post("/v1/appointments", appointment).status, 201);
    }
    let mut replayed = 0;
    for template in ["/v1/clinicians", "/v1/departments", "/v1/stats/missed"] {
        let operation = &doc["paths"][template]["get"];
        for (status, response) in operation["responses"].as_object().expect("responses") {
            if response.get("$ref").is_some() {
                continue; // shared component responses, not specific to these routes
            }
            for (media_type, media) in response["content"].as_object().into_iter().flatten() {
                for (name, example) in media["examples"].as_object().into_iter().flatten() {
                    let context = format!("GET {template} {status} {media_type} {name}");
                    let summary = example["summary"].as_str().unwrap_or_else(|| panic!("{context}: no summary"));
                    // A 405 example names only the method ("POST on a path that accepts only GET").
                    let (method, path) = match example_request(summary) {
                        Some(request) => request,
                        None if status == "405" => (summary.split(' ').next().unwrap_or_default(), template),
                        None => continue,
                    };
                    assert!(path.split('?').next() == Some(template), "{context}: {path} is another route");
                    let accept: &[(&str, &str)] =
                        if media_type == "text/csv" { &[("accept", "text/csv")] } else { &[] };
                    let answer = api.call(method, path, None, accept);
                    assert_eq!(answer.status.to_string(), *status, "{context}: {}", answer.body);
                    if media_type == "text/csv" {
                        assert_eq!(
                            String::from_utf8_lossy(&answer.response.body),
                            example["value"].as_str().unwrap(),
                            "{context}"
                        );
                    } else {
                        assert_eq!(answer.body, example["value"], "{context}");
                    }
                    if status == "405" {
                        assert_eq!(answer.header("allow"), Some("GET"), "{context}");
                    }
                    replayed += 1;
                }
            }
        }
    }
    assert!(replayed >= 19, "only {replayed} examples replayed");
}

/// The new schemas name exactly the members the handlers send, and their own examples are rows
/// the handlers sent.
#[test]
fn the_clinician_department_and_statistics_schemas_match_the_answers() {
    let doc = document();
    let schemas = &doc["components"]["schemas"];
    let sorted = |values: Vec<&str>| {
        let mut values: Vec<String> = values.into_iter().map(str::to_owned).collect();
        values.sort();
        values
    };
    let mut all_items: Vec<(&str, &Value)> = Vec::new();
    for (template, schema_name) in [
        ("/v1/clinicians", "ClinicianOrDepartment"),
        ("/v1/departments", "ClinicianOrDepartment"),
        ("/v1/stats/missed", "MissedStatisticsRow"),
    ] {
        let schema = &schemas[schema_name];
        let required =
            sorted(schema["required"].as_array().expect("required").iter().filter_map(Value::as_str).collect());
        let properties =
            sorted(schema["properties"].as_object().expect("properties").keys().map(String::as_str).collect());
        assert_eq!(required, properties, "{template}: every member is always sent");
        let examples = doc["paths"][template]["get"]["responses"]["200"]["content"]["application/json"]["examples"]
            .as_object()
            .expect("200 examples");
        let items: Vec<&Value> =
            examples.values().flat_map(|e| e["value"]["items"].as_array().expect("items")).collect();
        assert!(!items.is_empty(), "{template}: no example rows");
        for item in &items {
            let keys = sorted(item.as_object().expect("row").keys().map(String::as_str).collect());
            assert_eq!(keys, required, "{template}: {item}");
        }
        all_items.extend(items.into_iter().map(|item| (schema_name, item)));
    }
    for name in ["ClinicianOrDepartment", "MissedStatisticsRow"] {
        let own = &schemas[name]["examples"][0];
        assert!(all_items.contains(&(name, own)), "{name}: the schema's example {own} is not among the answers");
    }
}

/// Field codes of the admin tool (`npm run user:*`), which the API never sends.
const ADMIN_TOOL_CODES: &[&str] = &["password-too-short", "password-too-long", "username-format"];

/// Every field code the API sends (an English message without a title, in panda.ftl) is in the
/// document's list of field codes, and the list has no others.
#[test]
fn the_field_codes_listed_are_the_field_codes_sent() {
    let ftl = std::fs::read_to_string(FTL).expect("read panda.ftl");
    let problems = problem_codes();
    let mut sent: Vec<String> = ftl
        .lines()
        .filter(|line| line.starts_with(|c: char| c.is_ascii_lowercase()) && line.contains(" ="))
        .filter_map(|line| line.split_once(" =").map(|(id, _)| id.trim().to_owned()))
        .filter(|id| !problems.contains(id) && !ADMIN_TOOL_CODES.contains(&id.as_str()))
        .collect();
    let doc = document();
    let mut listed: Vec<String> = doc["components"]["schemas"]["FieldError"]["properties"]["code"]["enum"]
        .as_array()
        .expect("FieldError.code lists its codes")
        .iter()
        .map(|code| code.as_str().unwrap().to_owned())
        .collect();
    sent.sort();
    listed.sort();
    assert_eq!(listed, sent);
}
