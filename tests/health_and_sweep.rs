#![cfg(not(target_arch = "wasm32"))]
//! The skeleton's SQL on a migrated SQLite: the health round trip and the missed-appointment sweep.

mod support;

use panda::api::{self, Request};
use panda::domain::db::Statement;
use panda::domain::sweep::{self, CHUNK};
use support::{block_on, TestDb, Unreachable};
use time::macros::datetime;

fn get(path: &str) -> Request {
    Request { method: "GET".into(), path: path.into(), ..Request::default() }
}

#[test]
fn health_answers_ok_after_a_real_round_trip() {
    let db = TestDb::migrated();
    let response = block_on(api::handle(&get("/health"), &db, datetime!(2026-11-26 12:00 UTC), &Default::default()));
    assert_eq!(response.status, 200);
    let body: serde_json::Value = serde_json::from_slice(&response.body).unwrap();
    assert_eq!(body, serde_json::json!({"status": "ok", "database": "ok"}));
}

#[test]
fn health_is_a_503_problem_when_the_database_is_down() {
    let response =
        block_on(api::handle(&get("/health"), &Unreachable, datetime!(2026-11-26 12:00 UTC), &Default::default()));
    assert_eq!(response.status, 503);
    assert_eq!(response.header_value("content-type"), Some("application/problem+json"));
    assert_eq!(response.header_value("retry-after"), Some("1"));
    assert_eq!(response.log.cause.as_deref(), Some("connection refused"), "for the operator");
}

/// `n` appointments for one patient, the first starting at `first_start`, one minute apart, 30 minutes long.
fn seed(db: &TestDb, n: i64, first_start: i64, status: &str) {
    db.exec(
        "INSERT INTO patients (nhs_number, name, date_of_birth, postcode, created_at, updated_at)
         VALUES ('9434765919', 'Test Patient', '1990-01-01', 'SW1A 1AA', 0, 0) ON CONFLICT DO NOTHING;
         INSERT INTO clinicians (id, name, created_at) VALUES (1, 'Dr Who', 0) ON CONFLICT DO NOTHING;
         INSERT INTO departments (id, name, created_at) VALUES (1, 'oncology', 0) ON CONFLICT DO NOTHING;",
    );
    db.exec(&format!(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < {n})
         INSERT INTO appointments (id, patient, status, starts_at, utc_offset, duration_minutes,
                                   clinician_id, department_id, postcode, created_at, updated_at)
         SELECT '{status}-' || i, '9434765919', '{status}', {first_start} + i * 60, 0, 30,
                1, 1, 'SW1A 1AA', 0, 0 FROM n;"
    ));
}

#[test]
fn sweep_marks_only_active_appointments_that_have_ended() {
    let db = TestDb::migrated();
    let now = 1_000_000;
    seed(&db, 3, now - 31 * 60, "active"); // ends 1 minute ago, exactly now, 1 minute from now
    seed(&db, 2, 0, "cancelled");
    let report = block_on(sweep::mark_missed(&db, now)).unwrap();
    assert_eq!(report.marked_missed, 2, "ended at or before now");
    assert_eq!(db.count("SELECT count(*) FROM appointments WHERE status = 'active'"), 1);
    assert_eq!(db.count("SELECT count(*) FROM appointments WHERE status = 'cancelled'"), 2);
}

#[test]
fn sweep_is_idempotent() {
    let db = TestDb::migrated();
    seed(&db, 5, 0, "active");
    assert_eq!(block_on(sweep::mark_missed(&db, 1_000_000)).unwrap().marked_missed, 5);
    assert_eq!(block_on(sweep::mark_missed(&db, 1_000_000)).unwrap().marked_missed, 0);
}

#[test]
fn sweep_clears_a_backlog_larger_than_one_chunk() {
    let db = TestDb::migrated();
    seed(&db, CHUNK * 2 + 7, 0, "active");
    let report = block_on(sweep::mark_missed(&db, 100_000_000)).unwrap();
    assert_eq!(report.marked_missed as i64, CHUNK * 2 + 7);
    assert!(!report.backlog_remaining);
}

#[test]
fn sweep_finds_its_rows_through_the_partial_index() {
    let db = TestDb::migrated();
    sqlite_only!(db);
    let plan = db.query_plan(&Statement::new(sweep::MARK_MISSED).bind(0_i64).bind(CHUNK));
    assert!(plan.iter().any(|line| line.contains("USING INDEX appointments_active_by_end")), "plan: {plan:?}");
    assert!(!plan.iter().any(|line| line == "SCAN appointments"), "full table scan in {plan:?}");
}
