#![cfg(not(target_arch = "wasm32"))]
//! The audit trail (migration 0010, `domain::audit`): every change in the batch that makes it,
//! every view of patient data after the answer, sign-ins, user administration, erasure, and the
//! routes that read it.

mod support;

use panda::domain::audit::Access;
use panda::domain::db::{Database, DbError, Rows, Statement};
use panda::domain::{password, sweep, user};
use serde_json::{json, Value};
use support::{block_on, Api, MeddledBeforeTheWrite, REQUEST_ID};

const PATIENT: &str = "9434765919";
const OTHER: &str = "1373645350";
const THIRD: &str = "4010232137";
const APPOINTMENT: &str = "343d31d4-5993-47ef-a468-7884a467ae80";

fn patient(nhs: &str, name: &str) -> Value {
    json!({"nhs_number": nhs, "name": name, "date_of_birth": "1961-03-17", "postcode": "LS1 4AP"})
}

fn booking() -> Value {
    json!({"id": APPOINTMENT, "patient": PATIENT, "time": "2026-12-01T09:30:00+05:30", "duration": "1h30m",
           "clinician": "Dr Jordan Lewis", "department": "oncology", "postcode": "SW1A 1AA"})
}

/// Every entry, oldest first, as the columns hold it; but for the one of the test account `Api`
/// makes by hand before each test.
fn entries(api: &Api) -> Vec<Value> {
    let statement = Statement::new(
        "SELECT at, actor_id, actor, action, resource, resource_id, patient, route, request_id, changes, erased_at
           FROM audit_events WHERE NOT (action = 'user.added' AND resource_id = 'tester') ORDER BY id",
    );
    let rows = block_on(panda::domain::db::read_one(&api.db, statement)).unwrap().decode::<Value>().unwrap();
    rows.into_iter()
        .map(|mut entry| {
            if let Some(changes) = entry["changes"].as_str() {
                entry["changes"] = serde_json::from_str(changes).unwrap();
            }
            entry
        })
        .collect()
}

fn count(api: &Api) -> i64 {
    entries(api).len() as i64
}

#[test]
fn each_change_writes_exactly_one_entry_with_who_what_and_the_values_before_and_after() {
    let api = Api::new();
    type Step<'a> = (&'a str, Box<dyn Fn() -> u16 + 'a>, &'a str);
    let steps: Vec<Step> = vec![
        (
            "POST /v1/patients",
            Box::new(|| api.post("/v1/patients", patient(PATIENT, "Zoë Ólafsdóttir")).status),
            "patient.created",
        ),
        (
            "PATCH /v1/patients/{nhs_number}",
            Box::new(|| api.patch(&format!("/v1/patients/{PATIENT}"), json!({"name": "Zoë Smith"})).status),
            "patient.updated",
        ),
        ("POST /v1/appointments", Box::new(|| api.post("/v1/appointments", booking()).status), "appointment.created"),
        (
            "PATCH /v1/appointments/{id}",
            Box::new(|| api.patch(&format!("/v1/appointments/{APPOINTMENT}"), json!({"status": "cancelled"})).status),
            "appointment.updated",
        ),
        (
            "DELETE /v1/patients/{nhs_number}",
            Box::new(|| api.delete(&format!("/v1/patients/{PATIENT}")).status),
            "patient.erased",
        ),
    ];
    for (route, step, action) in steps {
        let before = count(&api);
        assert!(step() < 300, "{route}");
        assert_eq!(count(&api), before + 1, "{route} writes exactly one entry");
        let entry = entries(&api).pop().unwrap();
        assert_eq!(entry["action"], action, "{route}");
        assert_eq!(entry["route"], route);
        assert_eq!((entry["actor"].as_str(), entry["actor_id"].as_i64()), (Some("tester"), Some(1)), "{route}");
        assert_eq!(entry["request_id"], REQUEST_ID, "{route}");
        assert_eq!(entry["at"], api.now.unix_timestamp(), "{route}");
        assert_eq!(entry["patient"], PATIENT, "{route}");
    }
}

#[test]
fn an_entry_holds_each_changed_field_before_and_after_in_the_apis_own_form() {
    let api = Api::new();
    api.post("/v1/patients", patient(PATIENT, "Zoë Ólafsdóttir"));
    api.post("/v1/appointments", booking());
    api.patch(&format!("/v1/patients/{PATIENT}"), json!({"postcode": "n62fa", "name": "Zoë Ólafsdóttir"}));
    api.patch(
        &format!("/v1/appointments/{APPOINTMENT}"),
        json!({"time": "2026-12-02T10:00:00Z", "duration": "45m", "clinician": "Dr Ada Byron"}),
    );
    let trail = entries(&api);
    assert_eq!(
        trail[0]["changes"],
        json!({"name": {"before": null, "after": "Zoë Ólafsdóttir"}, "date_of_birth": {"before": null, "after": "1961-03-17"},
               "postcode": {"before": null, "after": "LS1 4AP"}})
    );
    assert_eq!(trail[1]["changes"]["time"], json!({"before": null, "after": "2026-12-01T09:30:00+05:30"}));
    assert_eq!(trail[1]["changes"]["duration"], json!({"before": null, "after": "1h30m"}));
    assert_eq!(trail[1]["resource_id"], APPOINTMENT);
    // The name was sent unchanged: only the postcode is a change.
    assert_eq!(trail[2]["changes"], json!({"postcode": {"before": "LS1 4AP", "after": "N6 2FA"}}));
    assert_eq!(
        trail[3]["changes"],
        json!({"time": {"before": "2026-12-01T09:30:00+05:30", "after": "2026-12-02T10:00:00+00:00"},
               "duration": {"before": "1h30m", "after": "45m"},
               "clinician": {"before": "Dr Jordan Lewis", "after": "Dr Ada Byron"}})
    );
}

#[test]
fn a_refused_or_failed_change_writes_no_entry() {
    let api = Api::new();
    assert_eq!(api.post("/v1/patients", patient(PATIENT, "Ada")).status, 201);
    api.post("/v1/appointments", booking());
    api.patch(&format!("/v1/appointments/{APPOINTMENT}"), json!({"status": "cancelled"}));
    let before = count(&api);
    let stale = [("content-type", "application/merge-patch+json"), ("if-match", "\"99-1\"")];
    let refused = [
        api.post("/v1/patients", patient(PATIENT, "Again")).status,
        api.post("/v1/patients", json!({"nhs_number": "123"})).status,
        api.call("PATCH", &format!("/v1/patients/{PATIENT}"), Some(json!({"name": "B"})), &stale).status,
        api.patch(&format!("/v1/appointments/{APPOINTMENT}"), json!({"status": "active"})).status,
        api.post("/v1/appointments", booking_for(OTHER)).status,
        api.delete(&format!("/v1/patients/{OTHER}")).status,
    ];
    assert_eq!(refused, [409, 422, 412, 409, 422, 404]);
    assert_eq!(count(&api), before, "no entry for a refused change");
    // The account is disabled between the token check and the write: the guard undoes the batch,
    // the trail's entry with it.
    let meddling = MeddledBeforeTheWrite::new(&api.db, "UPDATE users SET disabled = 1 WHERE id = 1");
    let request = api.request(
        "PATCH",
        &format!("/v1/patients/{PATIENT}"),
        Some(json!({"name": "C"})),
        &[("content-type", "application/merge-patch+json")],
    );
    assert_eq!(api.handle_with(&request, &meddling).status, 401);
    let after: Vec<String> =
        entries(&api)[before as usize..].iter().map(|e| format!("{} {}", e["action"], e["actor"])).collect();
    assert_eq!(after, [r#""user.disabled" "system:sql""#], "only the meddling itself is recorded");
    assert_eq!(api.db.count("SELECT count(*) FROM audit_context"), 0, "no batch leaves who was acting behind");
}

/// A new booking (an id of its own) for `patient`.
fn booking_for(patient: &str) -> Value {
    let mut body = booking();
    body.as_object_mut().unwrap().remove("id");
    body["patient"] = patient.into();
    body
}

#[test]
fn a_read_writes_one_access_entry_per_patient_it_shows() {
    let api = Api::new();
    for (nhs, name) in [(PATIENT, "Ada Lovelace"), (OTHER, "Alan Turing"), (THIRD, "Grace Hopper")] {
        api.post("/v1/patients", patient(nhs, name));
    }
    api.post("/v1/appointments", booking());
    let viewed = |api: &Api| -> Vec<(String, String)> {
        entries(api)
            .iter()
            .filter(|e| e["action"] == "patient.viewed")
            .map(|e| (e["patient"].as_str().unwrap().to_owned(), e["route"].as_str().unwrap().to_owned()))
            .collect()
    };
    assert_eq!(api.get("/v1/patients?limit=2").status, 200);
    // In NHS-number order, the list's own.
    assert_eq!(viewed(&api), [(OTHER.into(), "GET /v1/patients".into()), (THIRD.into(), "GET /v1/patients".into())]);
    let before = viewed(&api).len();
    api.get(&format!("/v1/patients/{PATIENT}"));
    api.get(&format!("/v1/patients/{PATIENT}/appointments"));
    api.get(&format!("/v1/appointments/{APPOINTMENT}"));
    api.get("/v1/appointments?clinician=Dr%20Jordan%20Lewis");
    api.get("/v1/patients?name=grace");
    let routes: Vec<String> = viewed(&api)[before..].iter().map(|(p, r)| format!("{r} {p}")).collect();
    assert_eq!(
        routes,
        [
            format!("GET /v1/patients/{{nhs_number}} {PATIENT}"),
            format!("GET /v1/patients/{{nhs_number}}/appointments {PATIENT}"),
            format!("GET /v1/appointments/{{id}} {PATIENT}"),
            format!("GET /v1/appointments {PATIENT}"),
            format!("GET /v1/patients {THIRD}"),
        ]
    );
    let every = viewed(&api).len();
    // Nothing shown, nothing viewed: a miss, an empty search, a HEAD, statistics.
    api.get("/v1/patients/1234567881");
    api.get("/v1/patients?name=nobody");
    api.call("HEAD", &format!("/v1/patients/{PATIENT}"), None, &[]);
    api.get("/v1/stats/missed?group_by=clinician");
    assert_eq!(viewed(&api).len(), every);
    let entry = entries(&api).into_iter().rfind(|e| e["action"] == "patient.viewed").unwrap();
    assert_eq!((entry["actor"].as_str(), entry["request_id"].as_str()), (Some("tester"), Some(REQUEST_ID)));
    assert_eq!(entry["changes"], Value::Null);
}

#[test]
fn an_erasure_keeps_who_did_what_and_when_but_no_personal_value_of_the_patient() {
    let api = Api::new();
    api.post("/v1/patients", patient(PATIENT, "Zoë Ólafsdóttir"));
    api.post("/v1/patients", patient(OTHER, "Someone Else"));
    api.patch(&format!("/v1/patients/{PATIENT}"), json!({"name": "Zoë Quartermaine", "date_of_birth": "1970-01-02"}));
    api.post("/v1/appointments", booking());
    api.get(&format!("/v1/patients/{PATIENT}"));
    assert_eq!(api.delete(&format!("/v1/patients/{PATIENT}")).status, 204);
    let dump =
        serde_json::to_string(&entries(&api).iter().filter(|e| e["patient"] == PATIENT).collect::<Vec<_>>()).unwrap();
    for personal in ["Ólafsdóttir", "Quartermaine", "1961-03-17", "1970-01-02", "LS1 4AP", "SW1A 1AA", "09:30", "1h30m"]
    {
        assert!(!dump.contains(personal), "{personal} is still in the trail: {dump}");
    }
    let theirs: Vec<Value> = entries(&api).into_iter().filter(|e| e["patient"] == PATIENT).collect();
    let facts: Vec<(&str, &str)> =
        theirs.iter().map(|e| (e["action"].as_str().unwrap(), e["actor"].as_str().unwrap())).collect();
    assert_eq!(
        facts,
        [
            ("patient.created", "tester"),
            ("patient.updated", "tester"),
            ("appointment.created", "tester"),
            ("patient.viewed", "tester"),
            ("patient.erased", "tester"),
        ]
    );
    // Which fields changed stays; their values go. A view had none.
    assert_eq!(theirs[1]["changes"], json!({"name": {}, "date_of_birth": {}}));
    assert_eq!(theirs[3]["changes"], Value::Null);
    assert!(theirs.iter().all(|e| e["erased_at"] == api.now.unix_timestamp()));
    // Another patient's entries keep their values.
    let others = entries(&api).into_iter().find(|e| e["patient"] == OTHER).unwrap();
    assert_eq!(others["changes"]["name"]["after"], "Someone Else");
    assert_eq!(others["erased_at"], Value::Null);
}

#[test]
fn no_statement_changes_or_deletes_an_entry_except_an_erasure() {
    let api = Api::new();
    api.post("/v1/patients", patient(PATIENT, "Ada"));
    for sql in [
        "DELETE FROM audit_events",
        "UPDATE audit_events SET actor = 'someone else'",
        "UPDATE audit_events SET changes = NULL",
        "UPDATE audit_events SET changes = NULL, erased_at = 1, at = 0",
        // What an erasure does, but to a patient who still exists: only their erasure may.
        "UPDATE audit_events SET changes = '{\"name\":{},\"date_of_birth\":{},\"postcode\":{}}', erased_at = 1",
        "UPDATE audit_events SET changes = '{\"name\":{\"before\":null,\"after\":\"someone else\"}}', erased_at = 1",
    ] {
        let refused = api.db.try_exec(sql).unwrap_err().to_string();
        assert!(refused.contains("audit entries"), "{sql}: {refused}");
    }
    assert_eq!(count(&api), 1);
}

#[test]
fn sign_ins_are_recorded_as_successes_failures_and_lockouts() {
    let mut api = Api::new();
    api.db.exec(&format!(
        "INSERT INTO users (id, username, password_hash, created_at, credentials_changed_at)
         VALUES (7, 'alice', '{}', 0, 0)",
        password::hash("right").unwrap()
    ));
    let login = |api: &Api, username: &str, password: &str| {
        api.post("/v1/auth/token", json!({"username": username, "password": password})).status
    };
    assert_eq!(login(&api, "alice", "right"), 200);
    for _ in 0..4 {
        assert_eq!(login(&api, "alice", "wrong"), 401);
    }
    assert_eq!(login(&api, "alice", "wrong"), 429);
    assert_eq!(login(&api, "alice", "right"), 429);
    assert_eq!(login(&api, "mallory", "x"), 401);
    assert_eq!(login(&api, "my secret password", "x"), 401);
    api.now += time::Duration::minutes(15);
    let trail: Vec<Value> =
        entries(&api).into_iter().filter(|e| e["resource"] == "user" && e["action"] != "user.added").collect();
    let seen: Vec<(&str, &str, Option<i64>)> = trail
        .iter()
        .map(|e| (e["action"].as_str().unwrap(), e["actor"].as_str().unwrap(), e["actor_id"].as_i64()))
        .collect();
    assert_eq!(
        seen,
        [
            ("sign-in.succeeded", "alice", Some(7)),
            ("sign-in.failed", "alice", Some(7)),
            ("sign-in.failed", "alice", Some(7)),
            ("sign-in.failed", "alice", Some(7)),
            ("sign-in.failed", "alice", Some(7)),
            ("sign-in.locked-out", "alice", Some(7)),
            ("sign-in.refused-while-locked", "alice", Some(7)),
            ("sign-in.failed", "mallory", None),
            // Text that cannot be a username may be a password typed in the wrong box: never kept.
            ("sign-in.failed", "(not a username)", None),
        ]
    );
    assert!(trail.iter().all(|e| e["route"] == "POST /v1/auth/token" && e["request_id"] == REQUEST_ID));
}

#[test]
fn user_administration_is_recorded_as_the_administrators() {
    let api = Api::new();
    let hash = password::hash("a long password here").unwrap();
    for (action, change) in [
        ("add", user::admin::add(api.db.dialect(), "bob", &hash)),
        ("passwd", user::admin::set_password(api.db.dialect(), "bob", &hash)),
        ("disable", user::admin::set_disabled("bob", true)),
        ("disable", user::admin::set_disabled("bob", true)),
        ("enable", user::admin::set_disabled("bob", false)),
        ("remove", user::admin::remove("bob")),
    ] {
        api.db.exec(&user::admin::recorded(api.db.dialect(), "carol", action, &change.unwrap()).unwrap());
    }
    let seen: Vec<(String, String, String)> = entries(&api)
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().into(),
                e["actor"].as_str().unwrap().into(),
                e["route"].as_str().unwrap().into(),
            )
        })
        .collect();
    let expect = |action: &str, via: &str| (action.to_owned(), "admin:carol".to_owned(), format!("npm run user:{via}"));
    assert_eq!(
        seen,
        [
            expect("user.added", "add"),
            expect("user.password-changed", "passwd"),
            // Disabling a disabled account changes nothing, so it is not an entry.
            expect("user.disabled", "disable"),
            expect("user.enabled", "enable"),
            expect("user.removed", "remove"),
        ]
    );
    assert!(entries(&api).iter().all(|e| e["resource_id"] == "bob"));
    assert!(user::admin::recorded(panda::domain::db::Dialect::Sqlite, "not a name", "add", "SELECT 1;").is_err());
    assert_eq!(api.db.count("SELECT count(*) FROM audit_context"), 0);
}

#[test]
fn the_sweep_and_sql_run_by_hand_are_recorded_as_panda_itself() {
    let api = Api::new();
    api.post("/v1/patients", patient(PATIENT, "Ada"));
    api.post("/v1/appointments", booking());
    let after_its_end = time::macros::datetime!(2026-12-01 12:00 UTC).unix_timestamp();
    assert_eq!(block_on(sweep::mark_missed(&api.db, after_its_end)).unwrap().marked_missed, 1);
    // Without the version the API would count: SQL run by hand is recorded all the same.
    api.db.exec(&format!("UPDATE patients SET postcode = 'N6 2FA' WHERE nhs_number = '{PATIENT}'"));
    api.db.exec(&format!("DELETE FROM appointments WHERE id = '{APPOINTMENT}'"));
    let trail = entries(&api);
    let swept = &trail[2];
    assert_eq!(
        (swept["action"].as_str(), swept["actor"].as_str()),
        (Some("appointment.updated"), Some("system:sweep"))
    );
    assert_eq!(swept["changes"], json!({"status": {"before": "active", "after": "missed"}}));
    assert_eq!(swept["at"], after_its_end);
    assert_eq!((trail[3]["actor"].as_str(), trail[3]["route"].as_str()), (Some("system:sql"), None));
    assert_eq!(trail[3]["changes"], json!({"postcode": {"before": "LS1 4AP", "after": "N6 2FA"}}));
    assert_eq!(
        (trail[4]["action"].as_str(), trail[4]["actor"].as_str()),
        (Some("appointment.deleted"), Some("system:sql"))
    );
    assert_eq!(trail[4]["resource_id"], APPOINTMENT);
}

#[test]
fn the_trail_reads_newest_first_filtered_and_in_pages() {
    let mut api = Api::new();
    api.post("/v1/patients", patient(PATIENT, "Ada"));
    api.now += time::Duration::minutes(10);
    api.post("/v1/patients", patient(OTHER, "Alan"));
    api.patch(&format!("/v1/patients/{PATIENT}"), json!({"postcode": "N6 2FA"}));
    let page = api.get("/v1/audit?actor=tester&limit=2");
    assert_eq!(page.status, 200, "{}", page.body);
    let first: Vec<&str> =
        page.body["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(first, ["patient.updated", "patient.created"]);
    assert_eq!(page.body["items"][0]["at"], "2026-11-26T12:10:00+00:00");
    assert_eq!(page.body["items"][0]["changes"], json!({"postcode": {"before": "LS1 4AP", "after": "N6 2FA"}}));
    assert_eq!(page.body["items"][0]["erased_at"], Value::Null);
    let cursor = page.body["next_cursor"].as_str().unwrap();
    let next = api.get(&format!("/v1/audit?actor=tester&limit=2&cursor={cursor}"));
    let rest: Vec<&str> =
        next.body["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    // The first page's two reads of Alan's and Ada's records now lead the trail, but the cursor
    // goes on from where that page ended.
    assert_eq!(rest, ["patient.created"]);
    assert_eq!(next.body["items"][0]["patient"], PATIENT);
    assert_eq!(next.body["next_cursor"], Value::Null);

    let theirs = api.get(&format!("/v1/patients/{PATIENT}/audit?action=patient.created"));
    assert_eq!(theirs.body["items"].as_array().unwrap().len(), 1);
    let filtered = |query: &str| api.get(&format!("/v1/audit?{query}")).body["items"].as_array().unwrap().len();
    assert_eq!(filtered("actor=TESTER&action=patient.created"), 2, "usernames ignore case");
    assert_eq!(filtered("actor=someone"), 0);
    assert_eq!(filtered("action=patient.created&from=2026-11-26T12:05:00Z"), 1);
    assert_eq!(filtered("action=patient.created&to=2026-11-26T12:05:00Z"), 1);
    assert_eq!(filtered(&format!("patient={OTHER}&action=patient.created")), 1);

    let bad = api.get("/v1/audit?action=patient.deleted&from=yesterday&patient=1");
    assert_eq!(bad.status, 422);
    assert_eq!(
        bad.field_errors(),
        [
            ("action".into(), "audit-action-unknown".into()),
            ("from".into(), "timestamp-format".into()),
            ("patient".into(), "nhs-number-format".into()),
        ]
    );
    // A trail outlives its patient: an unknown patient's is empty, not a 404.
    assert_eq!(api.get("/v1/patients/1234567881/audit").body["items"], json!([]));
    assert_eq!(api.get("/v1/patients/123/audit").status, 422);
}

#[test]
fn reading_a_trail_is_itself_a_view_of_the_patients_it_shows() {
    let api = Api::new();
    api.post("/v1/patients", patient(PATIENT, "Ada"));
    api.get(&format!("/v1/patients/{PATIENT}/audit"));
    let last = entries(&api).pop().unwrap();
    assert_eq!(
        (last["action"].as_str(), last["route"].as_str()),
        (Some("patient.viewed"), Some("GET /v1/patients/{nhs_number}/audit"))
    );
}

/// A database whose first `failures` writes fail as unavailable.
struct FailingWrites<'a> {
    db: &'a support::TestDb,
    failures: std::cell::Cell<usize>,
}

impl Database for FailingWrites<'_> {
    async fn read(&self, statements: Vec<Statement>) -> Result<Vec<Rows>, DbError> {
        self.db.read(statements).await
    }

    async fn write(&self, statements: Vec<Statement>) -> Result<Vec<Rows>, DbError> {
        if self.failures.get() > 0 {
            self.failures.set(self.failures.get() - 1);
            return Err(DbError::Unavailable("D1 DB is overloaded".into()));
        }
        self.db.write(statements).await
    }

    fn dialect(&self) -> panda::domain::db::Dialect {
        self.db.dialect()
    }
}

#[test]
fn an_access_entry_that_cannot_be_written_is_tried_again_and_then_logged_in_full() {
    let api = Api::new();
    api.post("/v1/patients", patient(PATIENT, "Ada"));
    let access = Access {
        at: 1_764_547_200,
        actor_id: 1,
        route: "GET /v1/patients".into(),
        request_id: REQUEST_ID.into(),
        patients: vec![PATIENT.into(), OTHER.into()],
    };
    let viewed = |api: &Api| api.db.count("SELECT count(*) FROM audit_events WHERE action = 'patient.viewed'");
    let once = FailingWrites { db: &api.db, failures: 1.into() };
    assert_eq!(block_on(panda::api::audit::record_views(&once, std::slice::from_ref(&access))), Ok(()));
    assert_eq!(viewed(&api), 2, "the second try wrote both entries");

    let down = FailingWrites { db: &api.db, failures: 2.into() };
    let line = block_on(panda::api::audit::record_views(&down, std::slice::from_ref(&access))).unwrap_err();
    assert_eq!(viewed(&api), 2);
    let line: Value = serde_json::from_str(&line).expect("the lost entry is one JSON line");
    assert_eq!(
        line,
        json!({"event": "audit-views-lost", "cause": "database unavailable: D1 DB is overloaded",
               "views": [{"at": 1_764_547_200, "actor_id": 1, "route": "GET /v1/patients", "request_id": REQUEST_ID,
                          "patients": [PATIENT, OTHER]}]})
    );
}

#[test]
fn the_documented_audit_examples_are_real_responses() {
    let doc: Value = serde_json::from_str(include_str!("../docs/openapi.json")).unwrap();
    let example = |path: &str, name: &str| {
        doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["examples"][name]["value"].clone()
    };
    let api = Api::new();
    api.post(
        "/v1/patients",
        json!({"nhs_number": OTHER, "name": "Dr Glenn Clark", "date_of_birth": "1996-02-01", "postcode": "N6 2FA"}),
    );
    api.patch(&format!("/v1/patients/{OTHER}"), json!({"postcode": "SW1A 1AA"}));
    api.get(&format!("/v1/patients/{OTHER}"));
    assert_eq!(
        api.get(&format!("/v1/patients/{OTHER}/audit")).body,
        example("/v1/patients/{nhs_number}/audit", "a-patients-history")
    );
    assert_eq!(api.get("/v1/audit?action=patient.updated&limit=1").body, example("/v1/audit", "one-action"));
    assert_eq!(
        doc["components"]["schemas"]["AuditEntry"]["examples"][0],
        example("/v1/audit", "one-action")["items"][0]
    );
    let bad = api.get("/v1/audit?action=patient.deleted&from=yesterday");
    assert_eq!(
        bad.body,
        doc["paths"]["/v1/audit"]["get"]["responses"]["422"]["content"]["application/problem+json"]["examples"]
            ["bad-query"]["value"]
    );
    api.delete(&format!("/v1/patients/{OTHER}"));
    assert_eq!(
        api.get(&format!("/v1/patients/{OTHER}/audit?limit=3")).body,
        example("/v1/patients/{nhs_number}/audit", "after-erasure")
    );
}

#[test]
fn each_filter_of_the_trail_is_served_by_an_index() {
    use panda::domain::audit::{list_statement, Filter};
    use panda::domain::nhs_number::NhsNumber;
    use panda::domain::person_name::FreeText;
    let api = Api::new();
    sqlite_only!(api.db);
    let plan = |filter: Filter| {
        api.db.query_plan(&list_statement(panda::domain::db::Dialect::Sqlite, &filter, None, 50)).join(" | ")
    };
    let cases = [
        (Filter::default(), "audit_events_by_time"),
        (Filter { patient: Some(NhsNumber::parse(PATIENT).unwrap()), ..Filter::default() }, "audit_events_by_patient"),
        (Filter { actor: Some(FreeText::parse("alice").unwrap()), ..Filter::default() }, "audit_events_by_actor"),
        (Filter { action: Some("patient.erased"), ..Filter::default() }, "audit_events_by_action"),
    ];
    for (filter, index) in cases {
        let plan = plan(filter);
        assert!(plan.contains(index) && !plan.contains("TEMP B-TREE"), "{index}: {plan}");
    }
}
