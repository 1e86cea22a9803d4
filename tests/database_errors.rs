#![cfg(not(target_arch = "wasm32"))]
//! What a database failure becomes: a constraint a route expects is the client's doing (409, 422),
//! matched by its table and column; any other constraint, and every SQL or schema error, is a bug
//! (500, logged, not to be retried); only unavailability is a 503 with `Retry-After`.

mod support;

use serde_json::json;
use support::{Api, Unreachable};

fn patient(nhs_number: &str, name: &str) -> serde_json::Value {
    json!({"nhs_number": nhs_number, "name": name, "date_of_birth": "1990-01-01", "postcode": "SW1A 1AA"})
}

#[test]
fn a_duplicate_nhs_number_is_a_409_because_its_constraint_is_the_expected_one() {
    let api = Api::new();
    assert_eq!(api.post("/v1/patients", patient("9434765919", "Ada One")).status, 201);
    let again = api.post("/v1/patients", patient("9434765919", "Ada Two"));
    assert_eq!((again.status, again.code()), (409, "patient-exists"));
}

#[test]
fn a_unique_failure_on_another_column_is_an_internal_error_not_exists() {
    let api = Api::new();
    // A constraint no route expects, as a later migration could bring.
    api.db.exec("CREATE UNIQUE INDEX one_patient_per_name ON patients (name)");
    assert_eq!(api.post("/v1/patients", patient("9434765919", "Ada Lovelace")).status, 201);
    let clash = api.post("/v1/patients", patient("1373645350", "Ada Lovelace"));
    assert_eq!((clash.status, clash.code()), (500, "internal-error"));
    assert_eq!(clash.header("retry-after"), None);
    assert!(clash.response.log.cause.as_deref().unwrap().contains("patients.name"), "{:?}", clash.response.log);
}

#[test]
fn a_sql_error_is_an_internal_error_that_says_nothing_about_retrying() {
    let api = Api::new();
    api.db.exec("ALTER TABLE patients RENAME TO patients_elsewhere");
    let answer = api.get("/v1/patients");
    assert_eq!((answer.status, answer.code()), (500, "internal-error"));
    assert_eq!(answer.header("retry-after"), None);
    let missing = if api.db.is_postgres() { "relation \"patients\" does not exist" } else { "no such table: patients" };
    assert!(answer.response.log.cause.as_deref().unwrap().contains(missing));
}

#[test]
fn an_unreachable_database_is_a_503_to_retry_after_a_second() {
    let api = Api::new();
    let answer = support::Answer::from(api.handle_with(&api.request("GET", "/v1/patients", None, &[]), &Unreachable));
    assert_eq!((answer.status, answer.code()), (503, "database-unavailable"));
    assert_eq!(answer.header("retry-after"), Some("1"));
}
