#![cfg(not(target_arch = "wasm32"))]
//! The patient routes, end to end through `api::handle`, on SQLite built from the migrations.

mod support;

use panda::domain::patient_search::{self, Search};
use serde_json::json;
use support::{example, Api};

fn glenn() -> serde_json::Value {
    json!({"nhs_number": "1373645350", "name": "Dr Glenn Clark", "date_of_birth": "1996-02-01", "postcode": "N6 2FA"})
}

#[test]
fn creating_a_patient_returns_201_with_location_etag_and_the_stored_patient() {
    let api = Api::new();
    let answer = api.post("/v1/patients", glenn());
    assert_eq!(answer.status, 201, "{}", answer.body);
    assert_eq!(answer.header("location"), Some("/v1/patients/1373645350"));
    assert!(answer.header("etag").is_some());
    assert_eq!(answer.body["name"], "Dr Glenn Clark");
    assert_eq!(answer.body["created_at"], "2026-11-26T12:00:00+00:00");
    assert_eq!(api.get("/v1/patients/1373645350").body, answer.body);
}

#[test]
fn input_is_coerced_to_canonical_form() {
    let api = Api::new();
    let answer = api.post(
        "/v1/patients",
        json!({"nhs_number": "943 476 5919", "name": "  Zoë  ", "date_of_birth": "1990-01-01", "postcode": " sw1a1aa "}),
    );
    assert_eq!(answer.status, 201, "{}", answer.body);
    assert_eq!(answer.body["nhs_number"], "9434765919");
    assert_eq!(answer.body["postcode"], "SW1A 1AA");
    assert_eq!(answer.body["name"], "Zoë");
}

#[test]
fn a_patient_of_no_fixed_abode_is_registered_with_the_nhs_pseudo_postcode() {
    let api = Api::new();
    let answer = api.post(
        "/v1/patients",
        json!({"nhs_number": "9434765919", "name": "Sam Nomad", "date_of_birth": "1980-05-05", "postcode": "zz993vz"}),
    );
    assert_eq!(answer.status, 201, "{}", answer.body);
    assert_eq!(answer.body["postcode"], "ZZ99 3VZ");
}

#[test]
fn every_invalid_field_is_listed_at_once() {
    let api = Api::new();
    let answer = api.post(
        "/v1/patients",
        json!({"nhs_number": "1234567890", "name": "", "date_of_birth": "2999-01-01", "postcode": "INVALID", "age": 3}),
    );
    assert_eq!(answer.status, 422);
    assert_eq!(answer.code(), "validation-failed");
    let errors = answer.field_errors();
    assert_eq!(
        errors,
        vec![
            ("age".into(), "field-unknown".into()),
            ("date_of_birth".into(), "date-in-future".into()),
            ("name".into(), "text-empty".into()),
            ("nhs_number".into(), "nhs-number-checksum".into()),
            ("postcode".into(), "invalid-postcode".into()),
        ]
    );
    assert!(answer.body["errors"][0]["message"].as_str().unwrap().len() > 10);
}

#[test]
fn a_duplicate_nhs_number_is_a_409() {
    let api = Api::new();
    assert_eq!(api.post("/v1/patients", glenn()).status, 201);
    let answer = api.post("/v1/patients", glenn());
    assert_eq!((answer.status, answer.code()), (409, "patient-exists"));
}

#[test]
fn an_unknown_patient_is_a_404_and_a_malformed_nhs_number_a_422() {
    let api = Api::new();
    assert_eq!(api.get("/v1/patients/9434765919").code(), "patient-not-found");
    let answer = api.get("/v1/patients/12345");
    assert_eq!((answer.status, answer.field_errors()), (422, vec![("nhs_number".into(), "nhs-number-format".into())]));
}

#[test]
fn every_example_patient_is_stored_exactly() {
    let api = Api::new();
    for patient in example("patients") {
        let answer = api.post("/v1/patients", patient.clone());
        assert_eq!(answer.status, 201, "{patient}: {}", answer.body);
        let stored = api.get(&format!("/v1/patients/{}", patient["nhs_number"].as_str().unwrap())).body;
        for field in ["nhs_number", "name", "date_of_birth", "postcode"] {
            assert_eq!(stored[field], patient[field], "{field} of {patient}");
        }
    }
}

#[test]
fn patch_changes_only_the_fields_given() {
    let api = Api::new();
    api.post("/v1/patients", glenn());
    let answer = api.patch("/v1/patients/1373645350", json!({"postcode": "sw1a 1aa"}));
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.body["postcode"], "SW1A 1AA");
    assert_eq!(answer.body["name"], "Dr Glenn Clark");
}

#[test]
fn the_nhs_number_cannot_change_and_null_cannot_remove_a_field() {
    let api = Api::new();
    api.post("/v1/patients", glenn());
    let answer = api.patch("/v1/patients/1373645350", json!({"nhs_number": "9434765919", "name": null}));
    assert_eq!(answer.status, 422);
    let errors = answer.field_errors();
    assert_eq!(
        errors,
        vec![("name".into(), "field-not-nullable".into()), ("nhs_number".into(), "field-read-only".into())]
    );
    // The whole object sent back unchanged is fine.
    let mut whole = api.get("/v1/patients/1373645350").body;
    whole["name"] = json!("Dr Glenn R. Clark");
    assert_eq!(api.patch("/v1/patients/1373645350", whole).status, 200);
}

#[test]
fn a_stale_if_match_is_a_412_and_the_current_one_succeeds() {
    let api = Api::new();
    let created = api.post("/v1/patients", glenn());
    let first = created.header("etag").unwrap().to_owned();
    let patch = |etag: &str| {
        api.call(
            "PATCH",
            "/v1/patients/1373645350",
            Some(json!({"name": "Glenn Clark"})),
            &[("content-type", "application/merge-patch+json"), ("if-match", etag)],
        )
    };
    let answer = patch(&first);
    assert_eq!(answer.status, 200);
    let second = answer.header("etag").unwrap().to_owned();
    assert_ne!(first, second);
    assert_eq!(patch(&first).code(), "precondition-failed");
    assert_eq!(patch(&second).status, 200);
    assert_eq!(patch("W/\"whatever\"").status, 412);
}

#[test]
fn deleting_a_patient_erases_their_appointments_too() {
    let api = Api::new();
    api.post("/v1/patients", glenn());
    let appointment = example("appointments").into_iter().next().unwrap();
    assert_eq!(api.post("/v1/appointments", appointment.clone()).status, 201);
    assert_eq!(api.delete("/v1/patients/1373645350").status, 204);
    assert_eq!(api.get("/v1/patients/1373645350").status, 404);
    assert_eq!(api.get(&format!("/v1/appointments/{}", appointment["id"].as_str().unwrap())).status, 404);
    assert_eq!(api.db.count("SELECT count(*) FROM appointments"), 0);
    assert_eq!(api.delete("/v1/patients/1373645350").status, 404);
}

#[test]
fn pages_visit_every_patient_exactly_once_even_while_patients_are_added() {
    let api = Api::new();
    let patients = example("patients");
    for patient in &patients[..60] {
        api.post("/v1/patients", patient.clone());
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut added = 60;
    loop {
        let path = match &cursor {
            Some(c) => format!("/v1/patients?limit=7&cursor={c}"),
            None => "/v1/patients?limit=7".to_owned(),
        };
        let page = api.get(&path);
        assert_eq!(page.status, 200, "{}", page.body);
        seen.extend(
            page.body["items"].as_array().unwrap().iter().map(|p| p["nhs_number"].as_str().unwrap().to_owned()),
        );
        // Someone adds patients between page requests.
        for patient in patients.iter().skip(added).take(5) {
            api.post("/v1/patients", patient.clone());
        }
        added += 5;
        match page.body["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), seen.len(), "no patient appears twice");
    assert_eq!(seen, sorted, "stable order");
    for patient in &patients[..60] {
        assert!(seen.contains(&patient["nhs_number"].as_str().unwrap().to_owned()), "{patient} missing");
    }
}

#[test]
fn list_parameters_are_validated() {
    let api = Api::new();
    assert_eq!(api.get("/v1/patients?limit=0").field_errors(), vec![("limit".into(), "limit-out-of-range".into())]);
    assert_eq!(api.get("/v1/patients?limit=201").status, 422);
    assert_eq!(api.get("/v1/patients?cursor=zz").field_errors(), vec![("cursor".into(), "cursor-invalid".into())]);
    assert_eq!(api.get("/v1/patients?colour=red").field_errors(), vec![("colour".into(), "field-unknown".into())]);
    assert_eq!(api.get("/v1/patients").body, json!({"items": [], "next_cursor": null}));
}

#[test]
fn the_patient_list_seeks_through_the_primary_key_index() {
    let api = Api::new();
    sqlite_only!(api.db);
    let plan = api.db.query_plan(&patient_search::statement(&Search::default(), Some("0000000000"), 50));
    assert!(plan.iter().any(|l| l.starts_with("SEARCH p USING") && l.contains("INDEX")), "{plan:?}");
    assert!(!plan.iter().any(|l| l.contains("TEMP B-TREE")), "no sort step: {plan:?}");
}

#[test]
fn head_answers_like_get_without_a_body() {
    let api = Api::new();
    api.post("/v1/patients", glenn());
    let head = api.call("HEAD", "/v1/patients/1373645350", None, &[]);
    assert_eq!(head.status, 200);
    assert!(head.response.body.is_empty());
    assert_eq!(head.header("etag"), api.get("/v1/patients/1373645350").header("etag"));
    assert_eq!(api.call("HEAD", "/v1/patients/9434765919", None, &[]).status, 404);
}
