#![cfg(not(target_arch = "wasm32"))]
mod support;
use panda::api::{self, Request};
use support::{block_on, Sqlite, Unreachable};
use time::macros::datetime;
use time::OffsetDateTime;

fn req(method: &str, path: &str, query: &str, headers: &[(&str, &str)], body: &str) -> Request {
    Request {
        method: method.into(),
        path: path.into(),
        query: query.into(),
        headers: headers.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect(),
        body: body.as_bytes().to_vec(),
    }
}

fn show(db: &impl panda::domain::db::Database, now: OffsetDateTime, label: &str, r: Request) {
    let resp = block_on(api::handle(&r, db, now));
    println!("### {label}: {} {}{}{}\n  status {}\n  headers {:?}\n  body {}\n", r.method, r.path, if r.query.is_empty() {""} else {"?"}, r.query, resp.status, resp.headers, String::from_utf8_lossy(&resp.body));
}

#[test]
fn scratch() {
    let db = Sqlite::migrated();
    let t0 = datetime!(2025-05-01 09:00 UTC);
    let t1 = datetime!(2025-05-20 14:15 UTC);
    let j = &[("content-type", "application/json")][..];
    let mp = &[("content-type", "application/merge-patch+json")][..];
    show(&db, t0, "create patient", req("POST", "/v1/patients", "", j, r#"{"nhs_number":"137 364 5350","name":"Dr Glenn Clark","date_of_birth":"1996-02-01","postcode":"n62fa"}"#));
    show(&db, t0, "create patient 2", req("POST", "/v1/patients", "", j, r#"{"nhs_number":"1953262716","name":"Dr Ian Hall","date_of_birth":"1963-08-27","postcode":"WA55 8HE"}"#));
    show(&db, t0, "create patient again", req("POST", "/v1/patients", "", j, r#"{"nhs_number":"1373645350","name":"Dr Glenn Clark","date_of_birth":"1996-02-01","postcode":"N6 2FA"}"#));
    show(&db, t0, "create patient bad", req("POST", "/v1/patients", "", j, r#"{"nhs_number":"1373645351","name":"  ","date_of_birth":"1996-02-30","postcode":"N6","email":"x"}"#));
    show(&db, t0, "create patient bad2", req("POST", "/v1/patients", "", j, r#"{"nhs_number":137,"date_of_birth":"2090-01-01","postcode":null}"#));
    show(&db, t0, "create patient array", req("POST", "/v1/patients", "", j, r#"[]"#));
    show(&db, t0, "create patient malformed", req("POST", "/v1/patients", "", j, "{\n  \"name\": }"));
    show(&db, t0, "create patient 415", req("POST", "/v1/patients", "", &[("content-type", "text/plain")], "{}"));
    show(&db, t0, "patch 415", req("PATCH", "/v1/patients/1373645350", "", &[("content-type", "text/plain")], "{}"));
    show(&db, t0, "create patient merge-patch", req("POST", "/v1/patients", "", mp, "{}"));
    let big = format!("{{\"name\":\"{}\"}}", "a".repeat(70000));
    show(&db, t0, "413", req("POST", "/v1/patients", "", j, &big));
    show(&db, t0, "get patient", req("GET", "/v1/patients/137-364-5350", "", &[], ""));
    show(&db, t0, "get patient bad", req("GET", "/v1/patients/1373645351", "", &[], ""));
    show(&db, t0, "get patient missing", req("GET", "/v1/patients/9434765919", "", &[], ""));
    show(&db, t0, "list patients", req("GET", "/v1/patients", "limit=1", &[], ""));
    show(&db, t0, "list patients bad", req("GET", "/v1/patients", "limit=0&cursor=zz&x=1&limit=3", &[], ""));
    show(&db, t1, "patch patient", req("PATCH", "/v1/patients/1373645350", "", &[("content-type", "application/merge-patch+json"), ("if-match", "\"1-1746090000\"")], r#"{"postcode":"n6 2fb"}"#));
    show(&db, t1, "patch patient stale", req("PATCH", "/v1/patients/1373645350", "", &[("content-type", "application/merge-patch+json"), ("if-match", "\"1-1746090000\"")], r#"{"postcode":"n6 2fb"}"#));
    show(&db, t1, "patch patient bad", req("PATCH", "/v1/patients/1373645350", "", mp, r#"{"nhs_number":"9434765919","name":null,"postcode":"N6 2FA","created_at":"x"}"#));
    show(&db, t0, "create appt", req("POST", "/v1/appointments", "", j, r#"{"id":"343d31d4-5993-47ef-a468-7884a467ae80","patient":"1373645350","status":"attended","time":"2018-01-21T16:30:00+00:00","duration":"15m","clinician":"Jason Holloway","department":"oncology","postcode":"UB56 7XQ"}"#));
    show(&db, t0, "create appt2", req("POST", "/v1/appointments", "", j, r#"{"id":"01542f70-929f-4c9a-b4fa-e672310d7e78","patient":"1953262716","time":"2025-06-04T16:30:00+01:00","duration":"PT1H","clinician":"Bethany Rice-Hammond","department":"oncology","postcode":"IM2N 4LG"}"#));
    show(&db, t0, "create appt noid", req("POST", "/v1/appointments", "", j, r#"{"id":"c455638f-99aa-478a-82bc-fd76da4991f8","patient":"1373645350","time":"2025-07-16T13:00:00+01:00","duration":"1h30m","clinician":"Dr Jordan Lewis","department":"orthopaedics","postcode":"CW6E 2ET"}"#));
    show(&db, t0, "create appt again", req("POST", "/v1/appointments", "", j, r#"{"id":"343d31d4-5993-47ef-a468-7884a467ae80","patient":"1373645350","status":"attended","time":"2018-01-21T16:30:00+00:00","duration":"15m","clinician":"Jason Holloway","department":"oncology","postcode":"UB56 7XQ"}"#));
    show(&db, t0, "create appt unknown patient", req("POST", "/v1/appointments", "", j, r#"{"patient":"9434765919","time":"2025-06-04T16:30:00+01:00","duration":"1h","clinician":"Bethany Rice-Hammond","department":"oncology","postcode":"IM2N 4LG"}"#));
    show(&db, t0, "create appt bad", req("POST", "/v1/appointments", "", j, r#"{"id":"343d31d4","patient":"1953262716","status":"booked","time":"2025-06-04T16:30:00","duration":"25h","clinician":"","department":"onc\u202Eology","postcode":"IM2N 4LG"}"#));
    show(&db, t0, "create appt bad2", req("POST", "/v1/appointments", "", j, r#"{"patient":"1953262716","time":"2025-06-04T16:30:00.250+01:00","duration":"an hour","clinician":"Bethany Rice-Hammond","department":"oncology","postcode":"IM2N 4LG"}"#));
    show(&db, t0, "get appt", req("GET", "/v1/appointments/343D31D4-5993-47EF-A468-7884A467AE80", "", &[], ""));
    show(&db, t0, "get appt bad", req("GET", "/v1/appointments/42", "", &[], ""));
    show(&db, t0, "get appt missing", req("GET", "/v1/appointments/00000000-0000-4000-8000-000000000000", "", &[], ""));
    show(&db, t0, "list appts", req("GET", "/v1/appointments", "department=oncology&limit=1", &[], ""));
    show(&db, t0, "list appts bad", req("GET", "/v1/appointments", "from=2025-06-01&status=done&patient=1&cursor=00", &[], ""));
    show(&db, t0, "list patient appts", req("GET", "/v1/patients/1373645350/appointments", "status=attended", &[], ""));
    show(&db, t0, "list patient appts missing", req("GET", "/v1/patients/9434765919/appointments", "", &[], ""));
    show(&db, t0, "list patient appts patient", req("GET", "/v1/patients/1373645350/appointments", "patient=1373645350", &[], ""));
    show(&db, t1, "patch appt attended", req("PATCH", "/v1/appointments/343d31d4-5993-47ef-a468-7884a467ae80", "", mp, r#"{"status":"cancelled"}"#));
    show(&db, t1, "patch appt missed", req("PATCH", "/v1/appointments/01542f70-929f-4c9a-b4fa-e672310d7e78", "", mp, r#"{"status":"missed"}"#));
    show(&db, t1, "patch appt other patient", req("PATCH", "/v1/appointments/01542f70-929f-4c9a-b4fa-e672310d7e78", "", mp, r#"{"patient":"1373645350","id":"01542f70-929f-4c9a-b4fa-e672310d7e78"}"#));
    show(&db, t1, "patch appt stale", req("PATCH", "/v1/appointments/01542f70-929f-4c9a-b4fa-e672310d7e78", "", &[("content-type", "application/merge-patch+json"), ("if-match", "W/\"1-1746090000\"")], r#"{"status":"cancelled"}"#));
    show(&db, t1, "patch appt cancel", req("PATCH", "/v1/appointments/01542f70-929f-4c9a-b4fa-e672310d7e78", "", &[("content-type", "application/merge-patch+json"), ("if-match", "\"1-1746090000\"")], r#"{"status":"cancelled"}"#));
    show(&db, t1, "patch appt cancelled", req("PATCH", "/v1/appointments/01542f70-929f-4c9a-b4fa-e672310d7e78", "", mp, r#"{"clinician":"Dr Jordan Lewis"}"#));
    show(&db, t1, "patch patient spaced nhs", req("PATCH", "/v1/patients/1373645350", "", mp, r#"{"nhs_number":"137 364 5350"}"#));
    show(&db, t1, "patch patient empty", req("PATCH", "/v1/patients/1373645350", "", mp, r#"{}"#));
    show(&db, t1, "patch appt upper id", req("PATCH", "/v1/appointments/bbc112e0-4757-42da-acad-19929e5029bd", "", mp, r#"{"id":"BBC112E0-4757-42DA-ACAD-19929E5029BD"}"#));
    show(&db, t1, "patch appt to past", req("PATCH", "/v1/appointments/c455638f-99aa-478a-82bc-fd76da4991f8", "", mp, r#"{"time":"2025-01-01T10:00:00Z"}"#));
    show(&db, t1, "list patient appts bad both", req("GET", "/v1/patients/123/appointments", "limit=0", &[], ""));
    show(&db, t1, "list appts empty cursor", req("GET", "/v1/appointments", "cursor=", &[], ""));
    show(&db, t1, "list patients empty cursor", req("GET", "/v1/patients", "cursor=", &[], ""));
    show(&db, t1, "health trailing", req("GET", "/health/", "", &[], ""));
    show(&db, t1, "HEAD", req("HEAD", "/health", "", &[], ""));
    show(&db, datetime!(2025-08-01 00:00 UTC), "get appt derived missed", req("GET", "/v1/appointments", "status=missed", &[], ""));
    show(&db, t0, "delete patient", req("DELETE", "/v1/patients/1953262716", "", &[], ""));
    show(&db, t0, "delete patient again", req("DELETE", "/v1/patients/1953262716", "", &[], ""));
    show(&db, t0, "405", req("DELETE", "/v1/appointments/343d31d4-5993-47ef-a468-7884a467ae80", "", &[], ""));
    show(&db, t0, "405b", req("PUT", "/v1/patients", "", &[], ""));
    show(&db, t0, "404", req("GET", "/v1/patient", "", &[], ""));
    show(&db, t0, "health", req("GET", "/health", "", &[], ""));
    show(&Unreachable, t0, "health 503", req("GET", "/health", "", &[], ""));
    show(&Unreachable, t0, "get 503", req("GET", "/v1/patients/1373645350", "", &[], ""));
    let r = block_on(api::handle(&req("GET", "/openapi.json", "", &[], ""), &db, t0));
    println!("openapi {} {:?}", r.status, r.headers);
    let e = panda::api::problem::render(&panda::error::Error::Internal("x".into()), panda::i18n::Lang::default());
    println!("500 {:?} {}", e.headers, String::from_utf8_lossy(&e.body));
}
