#![cfg(not(target_arch = "wasm32"))]
//! Every answer carries its request id, and its log line says what the operator needs (route,
//! status, round trips, the problem and, for a 5xx, the cause) and nothing about the patient.

mod support;

use panda::api::routes::ROUTES;
use serde_json::{json, Value};
use support::{Answer, Api, REQUEST_ID};

fn line(answer: &Answer) -> Value {
    serde_json::from_str(&answer.response.log.line(7)).unwrap()
}

#[test]
fn a_client_uuid_is_the_request_id_in_the_header_the_problem_and_the_log() {
    let api = Api::new();
    let answer = api.get("/v1/patients/9434765919");
    assert_eq!(answer.status, 404);
    assert_eq!(answer.header("x-request-id"), Some(REQUEST_ID));
    assert_eq!(answer.body["instance"], format!("urn:uuid:{REQUEST_ID}"));
    assert_eq!(
        line(&answer),
        json!({"request_id": REQUEST_ID, "method": "GET", "route": "/v1/patients/{nhs_number}", "status": 404,
               "db_round_trips": 1, "problem": "patient-not-found", "duration_ms": 7})
    );
}

#[test]
fn anything_but_a_uuid_is_replaced_by_a_new_id() {
    let api = Api::new();
    let answer = api.call("GET", "/v1/patients/9434765919", None, &[("x-request-id", "9434765919")]);
    let id = answer.header("x-request-id").unwrap().to_owned();
    assert_ne!(id, "9434765919");
    assert_eq!(id.len(), 36);
    assert_eq!(answer.body["instance"], format!("urn:uuid:{id}"));
    assert_eq!(line(&answer)["request_id"], id);
}

#[test]
fn every_route_answers_with_a_request_id_and_names_its_template() {
    let api = Api::new();
    for spec in ROUTES {
        let path =
            spec.template.replace("{nhs_number}", "9434765919").replace("{id}", "343d31d4-5993-47ef-a468-7884a467ae80");
        let answer = api.call(spec.method, &path, Some(json!({})), &[]);
        let label = format!("{} {path} ({})", spec.method, answer.status);
        assert_eq!(answer.header("x-request-id"), Some(REQUEST_ID), "{label}");
        let line = line(&answer);
        assert_eq!(line["route"], spec.template, "{label}");
        assert_eq!(line["status"], answer.status, "{label}");
        assert_eq!(line["method"], spec.method, "{label}");
    }
    let miss = api.get("/v1/nowhere/9434765919");
    assert_eq!(line(&miss)["route"], Value::Null);
}

/// The client's example patients, through a sequence with failures of every kind, and not one of
/// their NHS numbers, names, dates of birth or postcodes in any log line.
#[test]
fn no_log_line_holds_a_patients_details() {
    let api = Api::new();
    let patients = support::example("patients");
    let mut lines = Vec::new();
    let mut record = |answer: Answer| lines.push(answer.response.log.line(0));
    for patient in &patients[..20] {
        let nhs = patient["nhs_number"].as_str().unwrap();
        record(api.post("/v1/patients", patient.clone()));
        record(api.post("/v1/patients", patient.clone())); // 409
        record(api.get(&format!("/v1/patients/{nhs}")));
        record(api.get(&format!("/v1/patients/{nhs}/appointments?limit=x"))); // 422
        record(api.patch(&format!("/v1/patients/{nhs}"), json!({"postcode": "not a postcode"}))); // 422
        record(api.call("PUT", &format!("/v1/patients/{nhs}"), None, &[])); // 405
        record(api.get(&format!("/v1/patients?cursor={nhs}"))); // 422
    }
    // 500s, whose causes are logged.
    api.db.exec("CREATE UNIQUE INDEX one_patient_per_postcode ON patients (postcode)");
    for patient in &patients[20..30] {
        let mut clash = patient.clone();
        clash["postcode"] = patients[0]["postcode"].clone();
        record(api.post("/v1/patients", clash));
    }
    api.db.exec("ALTER TABLE patients RENAME TO patients_elsewhere");
    for patient in &patients[..5] {
        record(api.get(&format!("/v1/patients/{}", patient["nhs_number"].as_str().unwrap())));
    }
    assert!(lines.iter().any(|l| l.contains("\"cause\"")), "the sequence has 500s");
    for patient in &patients[..30] {
        for field in ["nhs_number", "name", "date_of_birth", "postcode"] {
            let value = patient[field].as_str().unwrap();
            let compact = value.replace(' ', "");
            for line in &lines {
                assert!(!line.contains(value) && !line.contains(&compact), "{field} {value} in {line}");
            }
        }
    }
}
