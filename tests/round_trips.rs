#![cfg(not(target_arch = "wasm32"))]
//! How many database round trips each route makes. On Cloudflare every round trip is a network
//! hop to D1, so the count is most of a request's latency: an authenticated read makes one (the
//! account check rides along), a write one or two, `/health` one, and the routes that need no
//! database none. Every route of the table has a case here, so no change can add a round trip
//! unnoticed.

mod support;

use panda::api::routes::ROUTES;
use serde_json::{json, Value};
use support::{Answer, Api, Counting};

const PATIENT: &str = "9434765919";
const OTHER_PATIENT: &str = "1373645350";
const APPOINTMENT: &str = "343d31d4-5993-47ef-a468-7884a467ae80";

fn api_with_data() -> Api {
    let api = Api::new();
    for nhs in [PATIENT, OTHER_PATIENT] {
        let answer = api.post(
            "/v1/patients",
            json!({"nhs_number": nhs, "name": "Ada Patient", "date_of_birth": "1990-01-01", "postcode": "SW1A 1AA"}),
        );
        assert_eq!(answer.status, 201, "{}", answer.body);
    }
    let answer = api.post("/v1/appointments", booking(Some(APPOINTMENT)));
    assert_eq!(answer.status, 201, "{}", answer.body);
    api
}

fn booking(id: Option<&str>) -> Value {
    let mut body = json!({"patient": PATIENT, "time": "2026-12-01T09:00:00Z", "duration": "1h",
                          "clinician": "Dr Jordan Lewis", "department": "oncology", "postcode": "SW1A 1AA"});
    if let Some(id) = id {
        body["id"] = id.into();
    }
    body
}

/// One request through a counting database: its answer and (reads, writes).
fn counted(
    api: &Api,
    method: &str,
    path: &str,
    body: Option<Value>,
    headers: &[(&str, &str)],
) -> (Answer, (usize, usize)) {
    let counting = Counting::new(&api.db);
    let response = api.handle_with(&api.request(method, path, body, headers), &counting);
    (Answer::from(response), counting.calls())
}

const MERGE_PATCH: &[(&str, &str)] = &[("content-type", "application/merge-patch+json")];

struct Case {
    method: &'static str,
    template: &'static str,
    path: &'static str,
    body: Option<Value>,
    headers: &'static [(&'static str, &'static str)],
    status: u16,
    /// (reads, writes)
    calls: (usize, usize),
}

fn case(method: &'static str, template: &'static str, path: &'static str, status: u16, calls: (usize, usize)) -> Case {
    Case { method, template, path, body: None, headers: &[], status, calls }
}

/// Sends the case's request and checks its answer and its round trips.
fn check(api: &Api, case: Case) {
    let (answer, calls) = counted(api, case.method, case.path, case.body, case.headers);
    let label = format!("{} {}", case.method, case.path);
    assert_eq!(answer.status, case.status, "{label}: {}", answer.body);
    assert_eq!(calls, case.calls, "{label}: (reads, writes)");
}

fn cases() -> Vec<Case> {
    const READ: (usize, usize) = (1, 0);
    const WRITE: (usize, usize) = (0, 1);
    vec![
        case("GET", "/health", "/health", 200, READ),
        case("GET", "/health/live", "/health/live", 200, (0, 0)),
        Case {
            body: Some(json!({"username": "tester", "password": "not the password"})),
            // A failed sign-in reads the account and counts the failure.
            ..case("POST", "/v1/auth/token", "/v1/auth/token", 401, (1, 1))
        },
        case("GET", "/v1/patients", "/v1/patients?limit=5", 200, READ),
        Case {
            body: Some(json!({"nhs_number": "4010232137", "name": "Zoë Ólafsdóttir", "date_of_birth": "1985-07-14",
                              "postcode": "ls1 4ap"})),
            ..case("POST", "/v1/patients", "/v1/patients", 201, WRITE)
        },
        case("GET", "/v1/patients/{nhs_number}", "/v1/patients/9434765919", 200, READ),
        Case {
            body: Some(json!({"postcode": "N6 2FA"})),
            headers: MERGE_PATCH,
            ..case("PATCH", "/v1/patients/{nhs_number}", "/v1/patients/9434765919", 200, WRITE)
        },
        case("GET", "/v1/patients/{nhs_number}/appointments", "/v1/patients/9434765919/appointments", 200, READ),
        case("GET", "/v1/appointments", "/v1/appointments?clinician=Dr%20Jordan%20Lewis&status=active", 200, READ),
        Case { body: Some(booking(None)), ..case("POST", "/v1/appointments", "/v1/appointments", 201, WRITE) },
        case("GET", "/v1/appointments/{id}", "/v1/appointments/343d31d4-5993-47ef-a468-7884a467ae80", 200, READ),
        Case {
            body: Some(json!({"clinician": "Dr New Name", "department": "cardiology", "postcode": "M4 2ST"})),
            headers: MERGE_PATCH,
            ..case(
                "PATCH",
                "/v1/appointments/{id}",
                "/v1/appointments/343d31d4-5993-47ef-a468-7884a467ae80",
                200,
                WRITE,
            )
        },
        case("GET", "/v1/clinicians", "/v1/clinicians", 200, READ),
        case("GET", "/v1/departments", "/v1/departments", 200, READ),
        case("GET", "/v1/stats/missed", "/v1/stats/missed?group_by=clinician&period=month", 200, READ),
        case("GET", "/v1/audit", "/v1/audit?action=patient.created", 200, READ),
        case("GET", "/v1/patients/{nhs_number}/audit", "/v1/patients/9434765919/audit", 200, READ),
        case("DELETE", "/v1/patients/{nhs_number}", "/v1/patients/1373645350", 204, WRITE),
    ]
}

#[test]
fn every_route_makes_the_round_trips_it_is_allowed_and_no_more() {
    let api = api_with_data();
    let cases = cases();
    for spec in ROUTES {
        assert!(
            cases.iter().any(|c| c.method == spec.method && c.template == spec.template),
            "{} {} has no round-trip case here: add one",
            spec.method,
            spec.template
        );
    }
    for case in cases {
        check(&api, case);
    }
}

#[test]
fn refusals_cost_no_more_round_trips_than_successes() {
    let api = api_with_data();
    const STALE: &[(&str, &str)] = &[("content-type", "application/merge-patch+json"), ("if-match", "\"99-1\"")];
    const PATIENT_PATH: &str = "/v1/patients/9434765919";
    const APPOINTMENT_PATH: &str = "/v1/appointments/343d31d4-5993-47ef-a468-7884a467ae80";
    let refusals = vec![
        // Bad input is refused before any statement, yet the account is still checked: one read.
        case("GET", "", "/v1/patients?limit=0", 422, (1, 0)),
        Case { body: Some(json!({"patient": "123"})), ..case("POST", "", "/v1/appointments", 422, (1, 0)) },
        case("GET", "", "/v1/patients/1234567881", 404, (1, 0)),
        case("GET", "", "/v1/patients/1234567881/appointments", 404, (1, 0)),
        Case { body: Some(json!({"name": "New"})), headers: STALE, ..case("PATCH", "", PATIENT_PATH, 412, (0, 1)) },
        Case {
            body: Some(json!({"postcode": "N6 2FA"})),
            headers: STALE,
            ..case("PATCH", "", APPOINTMENT_PATH, 412, (0, 1))
        },
        Case {
            body: Some(json!({"status": "missed"})),
            headers: MERGE_PATCH,
            ..case("PATCH", "", APPOINTMENT_PATH, 409, (1, 0))
        },
        Case { body: Some(json!({})), headers: MERGE_PATCH, ..case("PATCH", "", APPOINTMENT_PATH, 200, (1, 0)) },
        Case {
            body: Some(json!({"nhs_number": PATIENT, "name": "Again", "date_of_birth": "1990-01-01",
                              "postcode": "SW1A 1AA"})),
            ..case("POST", "", "/v1/patients", 409, (0, 1))
        },
        case("DELETE", "", "/v1/patients/1234567881", 404, (0, 1)),
        // No token: refused before the database.
        Case { headers: &[("authorization", "")], ..case("GET", "", "/v1/patients", 401, (0, 0)) },
    ];
    for case in refusals {
        check(&api, case);
    }
}

#[test]
fn a_successful_sign_in_makes_one_read_and_one_write_for_the_trail() {
    let api = Api::new();
    let hash = panda::domain::password::hash("a long password here").unwrap();
    api.db.exec(&panda::domain::user::admin::add(api.db.dialect(), "alice", &hash).unwrap());
    let (answer, calls) = counted(
        &api,
        "POST",
        "/v1/auth/token",
        Some(json!({"username": "alice", "password": "a long password here"})),
        &[],
    );
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(calls, (1, 1));
}

#[test]
fn a_view_of_patient_data_is_recorded_by_one_write_after_the_answer() {
    let api = api_with_data();
    for path in [
        "/v1/patients/9434765919",
        "/v1/patients?limit=5",
        "/v1/patients/9434765919/appointments",
        "/v1/appointments",
        "/v1/appointments/343d31d4-5993-47ef-a468-7884a467ae80",
        "/v1/audit",
    ] {
        let (answer, calls) = counted(&api, "GET", path, None, &[]);
        assert_eq!((answer.status, calls), (200, (1, 0)), "{path}: before the answer");
        let access = answer.response.access.expect("the answer shows patients");
        let counting = Counting::new(&api.db);
        support::block_on(panda::api::audit::record_views(&counting, &[access])).unwrap();
        assert_eq!(counting.calls(), (0, 1), "{path}: after the answer");
    }
}
