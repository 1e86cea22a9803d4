#![cfg(not(target_arch = "wasm32"))]
//! The appointment routes and status rules, through `api::handle`, on SQLite built from the migrations.

mod support;

use panda::domain::appointment::{list_statement, After, Filter};
use panda::domain::nhs_number::NhsNumber;
use panda::domain::person_name::FreeText;
use panda::domain::status::Status;
use serde_json::{json, Value};
use support::{block_on, example, Api};
use time::Duration;

const PATIENT: &str = "9434765919";

fn api_with_patient() -> Api {
    let api = Api::new();
    let answer = api.post(
        "/v1/patients",
        json!({"nhs_number": PATIENT, "name": "Ada Patient", "date_of_birth": "1990-01-01", "postcode": "SW1A 1AA"}),
    );
    assert_eq!(answer.status, 201);
    api
}

/// An appointment for [`PATIENT`] starting `hours_from_now` (relative to the API's clock).
fn booking(api: &Api, hours_from_now: i64) -> Value {
    let time =
        (api.now + Duration::hours(hours_from_now)).format(&time::format_description::well_known::Rfc3339).unwrap();
    json!({"patient": PATIENT, "time": time, "duration": "1h30m", "clinician": "Dr Jordan Lewis",
           "department": "oncology", "postcode": "ub56 7xq"})
}

fn create(api: &Api, body: Value) -> Value {
    let answer = api.post("/v1/appointments", body);
    assert_eq!(answer.status, 201, "{}", answer.body);
    answer.body
}

fn path(appointment: &Value) -> String {
    format!("/v1/appointments/{}", appointment["id"].as_str().unwrap())
}

#[test]
fn a_new_appointment_gets_an_id_and_starts_active() {
    let api = api_with_patient();
    let answer = api.post("/v1/appointments", booking(&api, 24));
    assert_eq!(answer.status, 201, "{}", answer.body);
    let id = answer.body["id"].as_str().unwrap();
    assert_eq!(answer.header("location"), Some(format!("/v1/appointments/{id}").as_str()));
    assert_eq!(answer.body["status"], "active");
    assert_eq!(answer.body["duration"], "1h30m");
    assert_eq!(answer.body["postcode"], "UB56 7XQ");
    assert_eq!(answer.body["time"], "2026-11-27T12:00:00+00:00");
    assert_eq!(api.get(&path(&answer.body)).body, answer.body);
}

#[test]
fn every_example_appointment_is_accepted_unchanged_and_reads_back_equal() {
    let api = Api::new();
    for patient in example("patients") {
        assert_eq!(api.post("/v1/patients", patient).status, 201);
    }
    for appointment in example("appointments") {
        let stored = create(&api, appointment.clone());
        for field in ["id", "patient", "time", "duration", "clinician", "department", "postcode"] {
            assert_eq!(stored[field], appointment[field], "{field} of {appointment}");
        }
        // Every example has ended by now, so what was active reads missed.
        let expected = if appointment["status"] == "active" { json!("missed") } else { appointment["status"].clone() };
        assert_eq!(stored["status"], expected, "{appointment}");
    }
    let missed = api.get("/v1/appointments?status=missed&limit=200").body["items"].as_array().unwrap().len();
    assert_eq!(missed, 16 + 43, "16 recorded missed and 43 ended while active");
    assert_eq!(api.get("/v1/appointments?status=active").body["items"], json!([]));
    let count = |statuses: &str| {
        let page = api.get(&format!("/v1/appointments?status={statuses}&limit=200"));
        assert_eq!(page.status, 200, "{}", page.body);
        page.body["items"].as_array().unwrap().len()
    };
    let (attended, cancelled) = (count("attended"), count("cancelled"));
    assert_eq!(count("missed,attended"), missed + attended, "several statuses: any of them");
    assert_eq!(count("cancelled,missed,attended,active"), missed + attended + cancelled);
    assert_eq!(count("active,missed"), missed, "today's open appointments with the missed ones");
}

#[test]
fn several_statuses_at_once_are_in_time_order_and_page_like_one() {
    let api = api_with_patient();
    let mut ids = Vec::new();
    for hours in [-5, -3, 2, 4, 6] {
        ids.push(create(&api, booking(&api, hours))["id"].clone());
    }
    let cancelled =
        api.patch(&format!("/v1/appointments/{}", ids[3].as_str().unwrap()), json!({"status": "cancelled"}));
    assert_eq!(cancelled.status, 200, "{}", cancelled.body);
    let first = api.get("/v1/appointments?status=active,missed&limit=2");
    assert_eq!(first.body["items"].as_array().unwrap().iter().map(|a| a["id"].clone()).collect::<Vec<_>>(), ids[..2]);
    let cursor = first.body["next_cursor"].as_str().unwrap();
    let rest = api.get(&format!("/v1/appointments?status=active,missed&limit=2&cursor={cursor}"));
    let rest: Vec<_> = rest.body["items"].as_array().unwrap().iter().map(|a| a["id"].clone()).collect();
    assert_eq!(rest, vec![ids[2].clone(), ids[4].clone()], "the cancelled one is left out");
    assert_eq!(
        api.get("/v1/appointments?status=active,").field_errors(),
        vec![("status".into(), "status-unknown".into())]
    );
}

#[test]
fn times_keep_their_offset_and_other_duration_forms_are_canonicalised() {
    let api = api_with_patient();
    let mut body = booking(&api, 24);
    body["time"] = json!("2026-12-01T09:30:00+05:30");
    body["duration"] = json!("PT90M");
    let stored = create(&api, body);
    assert_eq!(stored["time"], "2026-12-01T09:30:00+05:30");
    assert_eq!(stored["duration"], "1h30m");
}

#[test]
fn a_naive_time_and_other_bad_fields_are_refused_together() {
    let api = api_with_patient();
    let answer = api.post(
        "/v1/appointments",
        json!({"patient": "1234567890", "time": "2026-12-01T09:30:00", "duration": "0m", "clinician": " ",
               "department": "x", "postcode": "INVALID", "status": "pending", "id": "nope"}),
    );
    assert_eq!(answer.status, 422);
    let errors = answer.field_errors();
    assert_eq!(
        errors,
        vec![
            ("clinician".into(), "text-empty".into()),
            ("duration".into(), "duration-out-of-range".into()),
            ("id".into(), "appointment-id-format".into()),
            ("patient".into(), "nhs-number-checksum".into()),
            ("postcode".into(), "invalid-postcode".into()),
            ("status".into(), "status-unknown".into()),
            ("time".into(), "timestamp-missing-offset".into()),
        ]
    );
}

#[test]
fn an_appointment_for_an_unknown_patient_is_a_422() {
    let api = Api::new();
    let answer = api.post("/v1/appointments", booking(&api, 1));
    assert_eq!(answer.field_errors(), vec![("patient".into(), "patient-unknown".into())]);
}

#[test]
fn a_duplicate_id_is_a_409() {
    let api = api_with_patient();
    let mut body = booking(&api, 1);
    body["id"] = json!("343d31d4-5993-47ef-a468-7884a467ae80");
    create(&api, body.clone());
    assert_eq!(api.post("/v1/appointments", body).code(), "appointment-exists");
}

#[test]
fn cancelled_appointment_cannot_be_reinstated() {
    let api = api_with_patient();
    let appointment = create(&api, booking(&api, 24));
    assert_eq!(api.patch(&path(&appointment), json!({"status": "cancelled"})).body["status"], "cancelled");
    for change in [json!({"status": "active"}), json!({"status": "attended"}), json!({"clinician": "Dr Other"})] {
        let answer = api.patch(&path(&appointment), change);
        assert_eq!((answer.status, answer.code()), (409, "appointment-cancelled"));
    }
    assert_eq!(api.get(&path(&appointment)).body["status"], "cancelled");
}

#[test]
fn an_attended_appointment_is_final() {
    let api = api_with_patient();
    let appointment = create(&api, booking(&api, 0));
    assert_eq!(api.patch(&path(&appointment), json!({"status": "attended"})).status, 200);
    assert_eq!(api.patch(&path(&appointment), json!({"status": "cancelled"})).code(), "appointment-attended");
}

#[test]
fn a_user_cannot_mark_an_appointment_missed() {
    let api = api_with_patient();
    let appointment = create(&api, booking(&api, 24));
    let answer = api.patch(&path(&appointment), json!({"status": "missed"}));
    assert_eq!((answer.status, answer.code()), (409, "status-change-not-allowed"));
}

#[test]
fn an_ended_active_appointment_reads_missed_everywhere_before_the_sweep() {
    let api = api_with_patient();
    // Started 2 hours ago, lasted 1h30m: ended 30 minutes ago, never attended.
    let appointment = create(&api, booking(&api, -2));
    assert_eq!(appointment["status"], "missed");
    assert_eq!(api.db.count("SELECT count(*) FROM appointments WHERE status = 'active'"), 1, "not swept yet");
    assert_eq!(api.get(&path(&appointment)).body["status"], "missed");
    assert_eq!(api.get("/v1/appointments?status=missed").body["items"][0]["id"], appointment["id"]);
    assert_eq!(api.get("/v1/appointments?status=active").body["items"], json!([]));
    assert_eq!(api.patch(&path(&appointment), json!({"status": "attended"})).code(), "appointment-missed");
}

#[test]
fn an_appointment_in_progress_is_still_active() {
    let api = api_with_patient();
    let appointment = create(&api, booking(&api, -1)); // ends in 30 minutes
    assert_eq!(appointment["status"], "active");
    assert_eq!(api.patch(&path(&appointment), json!({"status": "attended"})).body["status"], "attended");
}

#[test]
fn patching_an_active_appointment_changes_only_what_is_given() {
    let api = api_with_patient();
    let appointment = create(&api, booking(&api, 24));
    let answer =
        api.patch(&path(&appointment), json!({"time": "2026-12-02T10:00:00Z", "duration": "45m", "postcode": "n62fa"}));
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.body["time"], "2026-12-02T10:00:00+00:00");
    assert_eq!(answer.body["duration"], "45m");
    assert_eq!(answer.body["postcode"], "N6 2FA");
    assert_eq!(answer.body["clinician"], "Dr Jordan Lewis");
    assert_ne!(answer.header("etag"), None);
}

#[test]
fn an_appointment_cannot_move_to_another_patient() {
    let api = api_with_patient();
    let appointment = create(&api, booking(&api, 24));
    let answer = api.patch(&path(&appointment), json!({"patient": "9876543210"}));
    assert_eq!(answer.field_errors(), vec![("patient".into(), "field-read-only".into())]);
    assert_eq!(api.patch(&path(&appointment), json!({"patient": PATIENT, "id": appointment["id"]})).status, 200);
}

#[test]
fn a_stale_if_match_on_an_appointment_is_a_412() {
    let api = api_with_patient();
    let created = api.post("/v1/appointments", booking(&api, 24));
    let etag = created.header("etag").unwrap().to_owned();
    let path = path(&created.body);
    assert_eq!(api.patch(&path, json!({"clinician": "Dr A"})).status, 200);
    let answer = api.call(
        "PATCH",
        &path,
        Some(json!({"status": "cancelled"})),
        &[("content-type", "application/merge-patch+json"), ("if-match", &etag)],
    );
    assert_eq!((answer.status, answer.code()), (412, "precondition-failed"));
    assert_eq!(api.get(&path).body["status"], "active");
}

#[test]
fn lists_filter_and_page_in_time_order() {
    let api = api_with_patient();
    for hours in [5, 1, 3, 2, 4] {
        create(&api, booking(&api, hours));
    }
    let mut other = booking(&api, 6);
    other["clinician"] = json!("Dr Other");
    create(&api, other);

    let first = api.get("/v1/appointments?clinician=Dr%20Jordan%20Lewis&limit=2");
    let times: Vec<_> = first.body["items"].as_array().unwrap().iter().map(|a| a["time"].clone()).collect();
    assert_eq!(times, vec![json!("2026-11-26T13:00:00+00:00"), json!("2026-11-26T14:00:00+00:00")]);
    let cursor = first.body["next_cursor"].as_str().unwrap();
    let rest = api.get(&format!("/v1/appointments?clinician=Dr+Jordan+Lewis&limit=10&cursor={cursor}"));
    assert_eq!(rest.body["items"].as_array().unwrap().len(), 3);
    assert_eq!(rest.body["next_cursor"], Value::Null);

    let window = api.get("/v1/appointments?from=2026-11-26T14:00:00Z&to=2026-11-26T16:00:00%2B00:00");
    assert_eq!(window.body["items"].as_array().unwrap().len(), 2, "from inclusive, to exclusive");
    assert_eq!(api.get(&format!("/v1/patients/{PATIENT}/appointments")).body["items"].as_array().unwrap().len(), 6);
    assert_eq!(
        api.get("/v1/appointments?department=oncology&status=active").body["items"].as_array().unwrap().len(),
        6
    );
}

#[test]
fn list_filters_are_validated() {
    let api = api_with_patient();
    let answer = api.get("/v1/appointments?status=late&from=yesterday&patient=1&limit=x");
    let errors = answer.field_errors();
    assert_eq!(
        errors,
        vec![
            ("from".into(), "timestamp-format".into()),
            ("limit".into(), "limit-out-of-range".into()),
            ("patient".into(), "nhs-number-format".into()),
            ("status".into(), "status-unknown".into()),
        ]
    );
    assert_eq!(api.get("/v1/patients/9876543210/appointments").code(), "patient-not-found");
    assert_eq!(
        api.get("/v1/appointments/not-a-uuid").field_errors(),
        vec![("id".into(), "appointment-id-format".into())]
    );
    assert_eq!(api.get("/v1/appointments/343d31d4-5993-47ef-a468-7884a467ae80").code(), "appointment-not-found");
}

#[test]
fn the_sql_status_rule_agrees_with_the_rust_one() {
    let api = api_with_patient();
    sqlite_only!(api.db);
    let now = api.now.unix_timestamp();
    for (offset, stored) in
        [(-7200, "active"), (-5400, "active"), (-5399, "active"), (3600, "active"), (-7200, "cancelled")]
    {
        let start = now + offset;
        api.db.exec(&format!(
            "INSERT INTO clinicians (id, name, created_at) VALUES (1, 'c', 0) ON CONFLICT DO NOTHING;
             INSERT INTO departments (id, name, created_at) VALUES (1, 'd', 0) ON CONFLICT DO NOTHING;
             INSERT INTO appointments (id, patient, status, starts_at, utc_offset, duration_minutes, clinician_id,
             department_id, postcode, created_at, updated_at)
             VALUES ('{stored}{offset}', '{PATIENT}', '{stored}', {start}, 0, 90, 1, 1, 'SW1A 1AA', 0, 0)"
        ));
        let read: String = api
            .db
            .conn()
            .query_row(
                &format!(
                    "SELECT {} FROM appointments WHERE id = '{stored}{offset}'",
                    panda::domain::status::effective_status_sql(1, panda::domain::status::ENDS_AT)
                ),
                [now],
                |row| row.get(0),
            )
            .unwrap();
        let rust = Status::parse(stored).unwrap().effective(start + 90 * 60, now);
        assert_eq!(read, rust.as_str(), "start {offset}s from now, stored {stored}");
    }
}

fn plan_for(filter: Filter) -> Vec<String> {
    let api = Api::new();
    let after = After { starts_at: 0, id: String::new() };
    api.db.query_plan(&list_statement(&filter, Some(&after), 50, 0))
}

#[test]
fn every_appointment_list_uses_an_index_in_page_order() {
    sqlite_only!(Api::new().db);
    let patient = Some(NhsNumber::parse(PATIENT).unwrap());
    let clinician = Some(FreeText::parse("Dr A").unwrap());
    let department = Some(FreeText::parse("oncology").unwrap());
    let filters = [
        ("no filter", Filter::default()),
        ("patient", Filter { patient: patient.clone(), ..Filter::default() }),
        ("clinician", Filter { clinician: clinician.clone(), ..Filter::default() }),
        ("department", Filter { department: department.clone(), ..Filter::default() }),
        ("status", Filter { statuses: vec![Status::Missed], ..Filter::default() }),
        (
            "patient and status",
            Filter { patient: patient.clone(), statuses: vec![Status::Active], ..Filter::default() },
        ),
        ("several statuses", Filter { statuses: vec![Status::Active, Status::Missed], ..Filter::default() }),
        (
            "patient and several statuses",
            Filter { patient, statuses: vec![Status::Attended, Status::Cancelled], ..Filter::default() },
        ),
        ("clinician and department", Filter { clinician, department, ..Filter::default() }),
    ];
    for (name, filter) in filters {
        let plan = plan_for(filter);
        assert!(plan.iter().any(|l| l.contains("USING INDEX appointments_by_")), "{name}: {plan:?}");
        assert!(!plan.iter().any(|l| l.starts_with("SCAN ")), "{name}: a full scan in {plan:?}");
        assert!(!plan.iter().any(|l| l.contains("TEMP B-TREE")), "{name}: sorts instead of reading in order: {plan:?}");
    }
}

#[test]
fn the_api_reads_the_same_store_the_sweep_writes() {
    let api = api_with_patient();
    let appointment = create(&api, booking(&api, -3));
    let report = block_on(panda::domain::sweep::mark_missed(&api.db, api.now.unix_timestamp())).unwrap();
    assert_eq!(report.marked_missed, 1);
    assert_eq!(api.get(&path(&appointment)).body["status"], "missed");
}

#[test]
fn an_active_appointment_cannot_be_moved_into_the_past() {
    let api = api_with_patient();
    let appointment = create(&api, booking(&api, 24));
    let answer = api.patch(&path(&appointment), json!({"time": "2020-01-01T09:00:00Z"}));
    assert_eq!(answer.field_errors(), vec![("time".into(), "appointment-ends-in-past".into())]);
    // Cancelling while moving is fine: it will not be active.
    assert_eq!(
        api.patch(&path(&appointment), json!({"time": "2020-01-01T09:00:00Z", "status": "cancelled"})).status,
        200
    );
}

#[test]
fn an_empty_patch_changes_nothing_not_even_the_etag() {
    let api = api_with_patient();
    let created = api.post("/v1/appointments", booking(&api, 24));
    let answer = api.patch(&path(&created.body), json!({"created_at": "ignored"}));
    assert_eq!(answer.status, 200);
    assert_eq!(answer.header("etag"), created.header("etag"));
}

#[test]
fn identity_fields_sent_back_in_another_form_are_accepted() {
    let api = api_with_patient();
    let appointment = create(&api, booking(&api, 24));
    let upper = appointment["id"].as_str().unwrap().to_uppercase();
    let answer = api.patch(&path(&appointment), json!({"id": upper, "patient": "943 476 5919", "clinician": "Dr B"}));
    assert_eq!(answer.status, 200, "{}", answer.body);
}

#[test]
fn query_problems_are_reported_with_a_bad_nhs_number_in_the_path() {
    let api = api_with_patient();
    let errors = api.get("/v1/patients/123/appointments?limit=0").field_errors();
    assert_eq!(
        errors,
        vec![("limit".into(), "limit-out-of-range".into()), ("nhs_number".into(), "nhs-number-format".into())]
    );
    assert_eq!(
        api.get("/v1/appointments?from=2026-11-26T12:00:00.5Z").field_errors(),
        vec![("from".into(), "timestamp-sub-second".into())]
    );
    assert_eq!(api.get("/v1/appointments?cursor=").status, 200, "an empty cursor is the first page");
}

#[test]
fn an_active_filter_seeks_past_the_history_instead_of_reading_it() {
    let api = Api::new();
    sqlite_only!(api.db);
    let filter = Filter {
        clinician: Some(FreeText::parse("Dr A").unwrap()),
        statuses: vec![Status::Active],
        ..Filter::default()
    };
    let plan = api.db.query_plan(&list_statement(&filter, None, 20, 1_000_000));
    assert!(
        plan.iter().any(|l| l.contains("appointments_by_clinician (clinician_id=? AND starts_at>?)")),
        "the start bound reaches the index: {plan:?}"
    );
}

mod patch_rules {
    //! The rules a patch must pass are conditions of its SQL `UPDATE` (`PATCH_APPLIES`) and, to
    //! explain a refusal, Rust (`appointment::refusal`). These tests hold the two together: a
    //! patch applies exactly when the Rust rules allow it, and a refused one gets their answer.

    use super::*;
    use panda::domain::appointment::{self, AppointmentChanges};
    use panda::domain::appointment_id::AppointmentId;
    use panda::domain::duration::AppointmentDuration;
    use panda::domain::revision::{Precondition, Revision};
    use panda::domain::timestamp::Timestamp;
    use proptest::prelude::*;
    use support::block_on;

    const OTHER_PATIENT: &str = "1373645350";
    const APPOINTMENT: &str = "343d31d4-5993-47ef-a468-7884a467ae80";

    fn statuses() -> impl Strategy<Value = Status> {
        prop_oneof![Just(Status::Active), Just(Status::Attended), Just(Status::Cancelled), Just(Status::Missed)]
    }

    /// Minutes from now, around the edges that matter (ended, in progress, to come).
    fn minutes_from_now() -> impl Strategy<Value = i64> {
        prop_oneof![-3000..3000_i64, Just(0), Just(-60), Just(-30), Just(-1), Just(1)]
    }

    #[derive(Debug, Clone)]
    enum Tag {
        Absent,
        Star,
        Current,
        Stale,
        Foreign,
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: support::cases(400), ..ProptestConfig::default() })]

        #[test]
        fn a_patch_applies_exactly_when_the_rules_allow_it(
            stored in statuses(),
            start in minutes_from_now(),
            length in prop_oneof![Just(30_u32), Just(60), Just(1), Just(1440)],
            new_status in proptest::option::of(prop_oneof![Just(Status::Active), Just(Status::Attended), Just(Status::Cancelled)]),
            new_start in proptest::option::of(minutes_from_now()),
            new_length in proptest::option::of(prop_oneof![Just(1_u32), Just(45), Just(1440)]),
            new_postcode in proptest::bool::ANY,
            patient in proptest::option::of(proptest::bool::ANY),
            tag in prop_oneof![Just(Tag::Absent), Just(Tag::Star), Just(Tag::Current), Just(Tag::Stale), Just(Tag::Foreign)],
        ) {
            let api = api_with_patient();
            let now = api.now.unix_timestamp();
            api.db.exec(&format!(
                "INSERT INTO clinicians (id, name, created_at) VALUES (1, 'Dr One', 0);
                 INSERT INTO departments (id, name, created_at) VALUES (1, 'oncology', 0);
                 INSERT INTO appointments (id, patient, status, starts_at, utc_offset, duration_minutes, clinician_id,
                                           department_id, postcode, version, created_at, updated_at)
                 VALUES ('{APPOINTMENT}', '{PATIENT}', '{}', {}, 3600, {length}, 1, 1, 'SW1A 1AA', 3, 100, 100)",
                stored.as_str(), now + start * 60,
            ));
            let id = AppointmentId::parse(APPOINTMENT).unwrap();
            let before = block_on(appointment::get(&api.db, &id, now)).unwrap();
            let changes = AppointmentChanges {
                status: new_status,
                time: new_start.map(|m| Timestamp::from_unix_seconds_with_offset(now + m * 60, 0).unwrap()),
                duration: new_length.map(|m| AppointmentDuration::from_minutes(m).unwrap()),
                clinician: None,
                department: None,
                postcode: new_postcode.then(|| panda::domain::postcode::Postcode::parse("N6 2FA").unwrap()),
                patient: patient.map(|own| NhsNumber::parse(if own { PATIENT } else { OTHER_PATIENT }).unwrap()),
            };
            let precondition = match tag {
                Tag::Absent => Precondition::None,
                Tag::Star => Precondition::Exists,
                Tag::Current => Precondition::Revision(before.revision),
                Tag::Stale => Precondition::Revision(Revision { version: 2, created_at: 100 }),
                Tag::Foreign => Precondition::Unmatchable,
            };
            let expected = appointment::refusal(&before, &changes, precondition, now);
            let outcome = block_on(appointment::update(&api.db, &id, &changes, precondition, now));
            let after = block_on(appointment::get(&api.db, &id, now)).unwrap();
            match (expected, outcome) {
                (None, Ok(updated)) => {
                    prop_assert_eq!(&updated, &after, "the answer is what is stored");
                    let wrote = !changes.is_empty();
                    prop_assert_eq!(after.revision.version, before.revision.version + i64::from(wrote));
                }
                (Some(refusal), Err(error)) => {
                    prop_assert_eq!(refusal, error);
                    prop_assert_eq!(&after, &before, "a refused patch changes nothing");
                }
                (expected, outcome) => prop_assert!(false, "rules say {:?}, the update gave {:?}", expected, outcome),
            }
        }
    }
}
