#![cfg(not(target_arch = "wasm32"))]
//! Missed-appointment statistics and the clinician and department lists.

mod support;

use std::collections::BTreeMap;

use panda::domain::db::Dialect;
use panda::domain::stats::{missed_statement, named_statement, GroupBy, MissedQuery, Period};
use serde_json::{json, Value};
use support::{example, Api};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

fn api_with_examples() -> Api {
    let api = Api::new();
    for patient in example("patients") {
        assert_eq!(api.post("/v1/patients", patient).status, 201);
    }
    for appointment in example("appointments") {
        assert_eq!(api.post("/v1/appointments", appointment).status, 201);
    }
    api
}

/// The expected rows, worked out here from the data file alone: for each group and UTC month,
/// counts by the status each appointment has at `now` (active and ended means missed).
fn expected_by_hand(group_field: &str, now: OffsetDateTime) -> Vec<Value> {
    #[derive(Default)]
    struct Tally {
        appointments: i64,
        attended: i64,
        missed: i64,
        cancelled: i64,
        missed_minutes: i64,
    }
    let mut tallies: BTreeMap<(String, String), Tally> = BTreeMap::new();
    for a in example("appointments") {
        let start = OffsetDateTime::parse(a["time"].as_str().unwrap(), &Rfc3339).unwrap();
        let text = a["duration"].as_str().unwrap();
        let (hours, rest) = text.split_once('h').map_or((0, text), |(h, r)| (h.parse::<i64>().unwrap(), r));
        let minutes = hours * 60 + rest.trim_end_matches('m').parse::<i64>().unwrap_or(0);
        let end = start + time::Duration::minutes(minutes);
        let utc = start.to_offset(time::UtcOffset::UTC);
        let month = format!("{:04}-{:02}-01", utc.year(), u8::from(utc.month()));
        let status = match a["status"].as_str().unwrap() {
            "active" if end <= now => "missed",
            other => other,
        };
        let tally = tallies.entry((a[group_field].as_str().unwrap().to_owned(), month)).or_default();
        tally.appointments += 1;
        match status {
            "attended" => tally.attended += 1,
            "cancelled" => tally.cancelled += 1,
            "missed" => {
                tally.missed += 1;
                tally.missed_minutes += minutes;
            }
            _ => {}
        }
    }
    tallies
        .into_iter()
        .map(|((group, period_start), t)| {
            let due = t.attended + t.missed;
            let rate = if due == 0 { 0.0 } else { t.missed as f64 / due as f64 };
            json!({"group": group, "period_start": period_start, "appointments": t.appointments,
                   "attended": t.attended, "missed": t.missed, "cancelled": t.cancelled,
                   "missed_minutes": t.missed_minutes, "missed_rate": (rate * 10_000.0).round() / 10_000.0})
        })
        .collect()
}

#[test]
fn monthly_numbers_per_clinician_match_the_example_data_worked_out_by_hand() {
    let api = api_with_examples();
    let answer = api.get("/v1/stats/missed?group_by=clinician&period=month");
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.body["items"], json!(expected_by_hand("clinician", api.now)));
}

#[test]
fn monthly_numbers_per_department_match_the_example_data_worked_out_by_hand() {
    let api = api_with_examples();
    let answer = api.get("/v1/stats/missed?group_by=department&period=month");
    assert_eq!(answer.body["items"], json!(expected_by_hand("department", api.now)));
}

#[test]
fn totals_agree_with_the_client_analysis() {
    // ANALYSIS.md: missed now (recorded + ended while active) and minutes lost, per department.
    let api = api_with_examples();
    let rows = api.get("/v1/stats/missed?group_by=department&period=month").body["items"].clone();
    let mut totals: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    for row in rows.as_array().unwrap() {
        let t = totals.entry(row["group"].as_str().unwrap().to_owned()).or_default();
        t.0 += row["missed"].as_i64().unwrap();
        t.1 += row["missed_minutes"].as_i64().unwrap();
    }
    assert_eq!(totals["orthopaedics"], (28, 1950));
    assert_eq!(totals["oncology"], (16, 1080));
    assert_eq!(totals["paediatrics"], (8, 495));
    assert_eq!(totals["gastroentology"], (7, 480));
}

#[test]
fn without_a_period_each_group_has_one_row_for_the_whole_range() {
    let api = api_with_examples();
    let monthly = api.get("/v1/stats/missed?group_by=department&period=month").body["items"].clone();
    let whole = api.get("/v1/stats/missed?group_by=department");
    assert_eq!(whole.status, 200, "{}", whole.body);
    let rows = whole.body["items"].as_array().unwrap();
    let departments: Vec<&str> = rows.iter().map(|r| r["group"].as_str().unwrap()).collect();
    assert_eq!(departments, ["gastroentology", "oncology", "orthopaedics", "paediatrics"], "one row each, in order");
    for row in rows {
        let group = row["group"].as_str().unwrap();
        let months: Vec<&Value> = monthly.as_array().unwrap().iter().filter(|m| m["group"] == group).collect();
        for count in ["appointments", "attended", "missed", "cancelled", "missed_minutes"] {
            let sum: i64 = months.iter().map(|m| m[count].as_i64().unwrap()).sum();
            assert_eq!(row[count], sum, "{group} {count}");
        }
        // The first day with an appointment, as no `from` was given.
        assert!(row["period_start"].as_str().unwrap() >= months[0]["period_start"].as_str().unwrap());
        assert!(row["period_start"].as_str().unwrap().len() == 10);
    }
    assert_eq!((rows[2]["missed"].clone(), rows[2]["missed_minutes"].clone()), (json!(28), json!(1950)));
    let from = api.get("/v1/stats/missed?group_by=clinician&from=2025-01-01&to=2030-01-01");
    assert_eq!(from.status, 200, "{}", from.body);
    assert!(
        from.body["items"].as_array().unwrap().iter().all(|r| r["period_start"] == "2025-01-01"),
        "from, when given"
    );
}

#[test]
fn ended_active_appointments_count_as_missed_before_the_sweep() {
    let api = api_with_examples();
    assert_eq!(api.db.count("SELECT count(*) FROM appointments WHERE status = 'missed'"), 16, "nothing swept");
    let rows =
        api.get("/v1/stats/missed?group_by=clinician&period=month&clinician=Alexandra%20Watson").body["items"].clone();
    let missed: i64 = rows.as_array().unwrap().iter().map(|r| r["missed"].as_i64().unwrap()).sum();
    let minutes: i64 = rows.as_array().unwrap().iter().map(|r| r["missed_minutes"].as_i64().unwrap()).sum();
    assert_eq!((missed, minutes), (13, 915), "ANALYSIS.md: Alexandra Watson 3 recorded, 13 now, 915 minutes");
    assert!(rows.as_array().unwrap().iter().all(|r| r["group"] == "Alexandra Watson"));
}

fn one_appointment_at(api: &Api, time: &str) {
    let answer = api.post(
        "/v1/appointments",
        json!({"patient": "9434765919", "time": time, "duration": "30m", "clinician": "Dr Edge",
               "department": "oncology", "postcode": "SW1A 1AA", "status": "attended"}),
    );
    assert_eq!(answer.status, 201, "{}", answer.body);
}

fn periods(api: &Api, period: &str) -> Vec<(String, i64)> {
    api.get(&format!("/v1/stats/missed?group_by=clinician&period={period}")).body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["period_start"].as_str().unwrap().to_owned(), r["appointments"].as_i64().unwrap()))
        .collect()
}

fn api_with_one_patient() -> Api {
    let api = Api::new();
    api.post(
        "/v1/patients",
        json!({"nhs_number": "9434765919", "name": "Ada", "date_of_birth": "1990-01-01", "postcode": "SW1A 1AA"}),
    );
    api
}

#[test]
fn months_are_cut_at_utc_midnight_whatever_the_offset_an_appointment_was_booked_with() {
    let api = api_with_one_patient();
    one_appointment_at(&api, "2026-03-01T00:30:00+01:00"); // 2026-02-28 23:30 UTC: February
    one_appointment_at(&api, "2026-02-28T23:59:59Z"); // February
    one_appointment_at(&api, "2026-03-01T00:00:00Z"); // March
    one_appointment_at(&api, "2026-02-28T20:00:00-05:00"); // 2026-03-01 01:00 UTC: March
    assert_eq!(periods(&api, "month"), vec![("2026-02-01".into(), 2), ("2026-03-01".into(), 2)]);
}

#[test]
fn weeks_start_on_monday_in_utc() {
    let api = api_with_one_patient();
    one_appointment_at(&api, "2026-11-29T23:30:00Z"); // Sunday: the week of Monday 23 November
    one_appointment_at(&api, "2026-11-30T00:30:00+01:00"); // Sunday 23:30 UTC: same week
    one_appointment_at(&api, "2026-11-30T00:00:00Z"); // Monday: a new week
    one_appointment_at(&api, "2026-12-06T23:59:59Z"); // Sunday: still that week
    one_appointment_at(&api, "2027-01-01T12:00:00Z"); // a Friday: the week of Monday 28 December
    assert_eq!(
        periods(&api, "week"),
        vec![("2026-11-23".into(), 2), ("2026-11-30".into(), 2), ("2026-12-28".into(), 1)]
    );
    assert_eq!(periods(&api, "day").len(), 4, "one row per day that has appointments");
}

#[test]
fn from_is_inclusive_and_to_exclusive() {
    let api = api_with_one_patient();
    one_appointment_at(&api, "2026-03-01T00:00:00Z");
    one_appointment_at(&api, "2026-03-31T23:59:59Z");
    one_appointment_at(&api, "2026-04-01T00:00:00Z");
    let rows = api.get("/v1/stats/missed?group_by=department&period=month&from=2026-03-01&to=2026-04-01").body["items"]
        .clone();
    assert_eq!(rows.as_array().unwrap().len(), 1);
    assert_eq!(rows[0]["appointments"], 2);
}

#[test]
fn cancelling_or_attending_moves_an_appointment_between_counts() {
    let api = api_with_one_patient();
    let mut ids = Vec::new();
    for _ in 0..2 {
        let answer = api.post(
            "/v1/appointments",
            json!({"patient": "9434765919", "time": "2026-11-27T09:00:00Z", "duration": "1h", "clinician": "Dr Move",
                   "department": "oncology", "postcode": "SW1A 1AA"}),
        );
        ids.push(answer.body["id"].as_str().unwrap().to_owned());
    }
    let counts = || {
        let row = api.get("/v1/stats/missed?group_by=clinician&period=month").body["items"][0].clone();
        (row["attended"].as_i64().unwrap(), row["cancelled"].as_i64().unwrap(), row["appointments"].as_i64().unwrap())
    };
    assert_eq!(counts(), (0, 0, 2));
    api.patch(&format!("/v1/appointments/{}", ids[0]), json!({"status": "cancelled"}));
    api.patch(&format!("/v1/appointments/{}", ids[1]), json!({"status": "attended"}));
    assert_eq!(counts(), (1, 1, 2));
}

#[test]
fn bad_parameters_are_422s() {
    let api = Api::new();
    let answer = api.get("/v1/stats/missed?group_by=ward&period=fortnight&from=2026-13-01");
    let errors = answer.field_errors();
    assert_eq!(
        errors,
        vec![
            ("from".into(), "date-format".into()),
            ("group_by".into(), "group-by-unknown".into()),
            ("period".into(), "period-unknown".into()),
        ]
    );
    assert_eq!(
        api.get("/v1/stats/missed").field_errors(),
        vec![("group_by".into(), "field-required".into())],
        "group_by is required, period is not"
    );
    assert_eq!(
        api.get("/v1/stats/missed?group_by=clinician&period=day&from=2026-02-01&to=2026-02-01").field_errors(),
        vec![("to".into(), "range-empty".into())]
    );
}

#[test]
fn clinicians_and_departments_are_listed_with_their_counts() {
    let api = api_with_examples();
    let clinicians = api.get("/v1/clinicians?limit=200").body;
    let list = clinicians["items"].as_array().unwrap();
    assert_eq!(list.len(), 10);
    let savage = list.iter().find(|c| c["name"] == "Joseph Savage").unwrap();
    let expected: Vec<_> = example("appointments").into_iter().filter(|a| a["clinician"] == "Joseph Savage").collect();
    assert_eq!(savage["appointments"], expected.len());
    assert_eq!(savage["active"], 0, "everything in the example data has ended");
    let departments = api.get("/v1/departments").body;
    let names: Vec<_> = departments["items"].as_array().unwrap().iter().map(|d| d["name"].as_str().unwrap()).collect();
    assert_eq!(names, vec!["gastroentology", "oncology", "orthopaedics", "paediatrics"]);
    let page = api.get("/v1/clinicians?limit=3").body;
    assert_eq!(page["items"].as_array().unwrap().len(), 3);
    let rest = api.get(&format!("/v1/clinicians?limit=200&cursor={}", page["next_cursor"].as_str().unwrap())).body;
    assert_eq!(rest["items"].as_array().unwrap().len(), 7);
}

#[test]
fn a_refused_appointment_leaves_no_new_clinician_behind() {
    let api = Api::new();
    let answer = api.post(
        "/v1/appointments",
        json!({"patient": "9434765919", "time": "2026-11-27T09:00:00Z", "duration": "1h", "clinician": "Dr Ghost",
               "department": "nowhere", "postcode": "SW1A 1AA"}),
    );
    assert_eq!(answer.code(), "validation-failed", "the patient does not exist");
    assert_eq!(api.db.count("SELECT count(*) FROM clinicians"), 0);
    assert_eq!(api.db.count("SELECT count(*) FROM departments"), 0);
}

#[test]
fn statistics_and_lists_read_through_indexes() {
    let api = Api::new();
    sqlite_only!(api.db);
    let plain = MissedQuery::default();
    let by_clinician = MissedQuery {
        clinician: Some(panda::domain::person_name::FreeText::parse("Dr A").unwrap()),
        ..MissedQuery::default()
    };
    let ranged = MissedQuery { from: Some(0), to: Some(100), ..MissedQuery::default() };
    let statements = [
        ("stats by clinician", missed_statement(Dialect::Sqlite, GroupBy::Clinician, Some(Period::Month), &plain, 0)),
        (
            "stats by department over a range",
            missed_statement(Dialect::Sqlite, GroupBy::Department, Some(Period::Week), &ranged, 0),
        ),
        (
            "stats for one clinician",
            missed_statement(Dialect::Sqlite, GroupBy::Clinician, Some(Period::Day), &by_clinician, 0),
        ),
        ("stats for the whole range", missed_statement(Dialect::Sqlite, GroupBy::Department, None, &ranged, 0)),
        ("clinician list", named_statement(GroupBy::Clinician, Some("A"), 50, 0)),
        ("department list", named_statement(GroupBy::Department, None, 50, 0)),
    ];
    for (name, statement) in statements {
        let plan = api.db.query_plan(&statement);
        assert!(!plan.iter().any(|l| l.starts_with("SCAN a") && !l.contains("INDEX")), "{name}: {plan:?}");
        assert!(!plan.iter().any(|l| l == "SCAN appointments"), "{name}: {plan:?}");
        assert!(plan.iter().any(|l| l.contains("INDEX")), "{name} uses an index: {plan:?}");
        if name.starts_with("stats") {
            assert!(
                plan.iter().any(|l| l.starts_with("SEARCH r USING") && l.contains("day>? AND day<?")),
                "{name} reads settled days from the kept counts by day: {plan:?}"
            );
        }
    }
}

#[test]
fn a_change_lost_to_a_concurrent_write_leaves_no_new_clinician_behind() {
    let api = api_with_one_patient();
    let created = api.post(
        "/v1/appointments",
        json!({"patient": "9434765919", "time": "2026-12-01T09:00:00Z", "duration": "1h", "clinician": "Dr One",
               "department": "oncology", "postcode": "SW1A 1AA"}),
    );
    let request = panda::api::Request {
        method: "PATCH".into(),
        path: format!("/v1/appointments/{}", created.body["id"].as_str().unwrap()),
        query: String::new(),
        headers: vec![
            ("content-type".into(), "application/merge-patch+json".into()),
            ("if-match".into(), created.header("etag").unwrap().to_owned()),
            ("authorization".into(), format!("Bearer {}", api.token)),
        ],
        body: br#"{"clinician": "Dr Never"}"#.to_vec(),
    };
    // Someone else changes every appointment just before PANDA's write.
    let interfering = support::MeddledBeforeTheWrite::new(&api.db, "UPDATE appointments SET version = version + 1");
    let response = api.handle_with(&request, &interfering);
    assert_eq!(response.status, 412, "{}", String::from_utf8_lossy(&response.body));
    assert_eq!(api.db.count("SELECT count(*) FROM clinicians WHERE name = 'Dr Never'"), 0);
}

#[test]
fn pages_continue_after_the_longest_names() {
    let api = api_with_one_patient();
    let long = "क्षि".repeat(50); // 200 characters, 600 UTF-8 bytes
    for name in [long.as_str(), "Zed"] {
        let answer = api.post(
            "/v1/appointments",
            json!({"patient": "9434765919", "time": "2026-12-01T09:00:00Z", "duration": "1h", "clinician": name,
                   "department": "oncology", "postcode": "SW1A 1AA"}),
        );
        assert_eq!(answer.status, 201, "{}", answer.body);
    }
    let first = api.get("/v1/clinicians?limit=1").body;
    assert_eq!(first["items"][0]["name"], "Zed");
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = api.get(&format!("/v1/clinicians?limit=1&cursor={cursor}"));
    assert_eq!(second.status, 200, "{}", second.body);
    assert_eq!(second.body["items"][0]["name"], long);
}

#[test]
fn an_answer_too_large_to_be_useful_is_refused_with_advice() {
    let api = api_with_one_patient();
    api.db.exec(&format!(
        "INSERT INTO clinicians (id, name, created_at) VALUES (1, 'Dr Busy', 0);
         INSERT INTO departments (id, name, created_at) VALUES (1, 'oncology', 0);
         WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {})
         INSERT INTO appointments (id, patient, status, starts_at, utc_offset, duration_minutes, clinician_id,
                                   department_id, postcode, created_at, updated_at)
         SELECT 'a' || i, '9434765919', 'attended', i * 86400, 0, 30, 1, 1, 'SW1A 1AA', 0, 0 FROM n;",
        panda::domain::stats::MAX_ROWS
    ));
    let answer = api.get("/v1/stats/missed?group_by=clinician&period=day");
    assert_eq!(answer.field_errors(), vec![("period".into(), "statistics-too-large".into())]);
    assert_eq!(api.get("/v1/stats/missed?group_by=clinician&period=month").status, 200);
}

/// A deterministic pseudo-random sequence (xorshift), so a failure can be replayed.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, below: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % below
    }
}

/// (clinician, day) to (appointments, attended, missed, cancelled, missed minutes).
type DayTotals = BTreeMap<(String, String), (i64, i64, i64, i64, i64)>;

#[test]
fn the_kept_day_counts_always_agree_with_the_appointments_themselves() {
    let api = Api::new();
    let patients = ["9434765919", "9876543210", "1373645350"];
    for nhs in patients {
        api.post(
            "/v1/patients",
            json!({"nhs_number": nhs, "name": "P", "date_of_birth": "1990-01-01", "postcode": "SW1A 1AA"}),
        );
    }
    let mut dice = Dice(0x5eed_1234_abcd_9876);
    let now = api.now.unix_timestamp();
    let mut ids = Vec::new();
    for _ in 0..300 {
        // From ten days ago to ten days ahead, so both the kept counts and the recent rows are used.
        let start = now - 10 * 86_400 + dice.roll(20 * 86_400) as i64 / 60 * 60;
        let time = OffsetDateTime::from_unix_timestamp(start).unwrap().format(&Rfc3339).unwrap();
        let status = ["active", "active", "attended", "cancelled", "missed"][dice.roll(5) as usize];
        let answer = api.post(
            "/v1/appointments",
            json!({"patient": patients[dice.roll(3) as usize], "time": time, "duration": format!("{}m", 15 + dice.roll(1425)),
                   "clinician": format!("Dr {}", dice.roll(3)), "department": format!("dept {}", dice.roll(2)),
                   "postcode": "SW1A 1AA", "status": status}),
        );
        assert_eq!(answer.status, 201, "{}", answer.body);
        ids.push(answer.body["id"].as_str().unwrap().to_owned());
    }
    // Changes after booking: attend, cancel, move, reassign; the sweep; one patient erased.
    for id in &ids {
        let change = match dice.roll(6) {
            0 => json!({"status": "attended"}),
            1 => json!({"status": "cancelled"}),
            2 => json!({"clinician": "Dr 9", "department": "dept 9"}),
            3 => json!({"duration": "24h"}),
            _ => continue,
        };
        let answer = api.patch(&format!("/v1/appointments/{id}"), change);
        assert!(answer.status == 200 || answer.status == 409 || answer.status == 422, "{}", answer.body);
    }
    support::block_on(panda::domain::sweep::mark_missed(&api.db, now)).unwrap();
    assert_eq!(api.delete("/v1/patients/9876543210").status, 204);

    // What the appointments say, one by one (their effective status, as the API reads them).
    let mut expected = DayTotals::new();
    let first = api.get("/v1/appointments?limit=200").body;
    let all = first["items"].as_array().unwrap().clone();
    let cursor = first["next_cursor"].as_str().unwrap_or("");
    let more =
        api.get(&format!("/v1/appointments?limit=200&cursor={cursor}")).body["items"].as_array().unwrap().clone();
    for a in all.iter().chain(more.iter()) {
        let start =
            OffsetDateTime::parse(a["time"].as_str().unwrap(), &Rfc3339).unwrap().to_offset(time::UtcOffset::UTC);
        let day = format!("{:04}-{:02}-{:02}", start.year(), u8::from(start.month()), start.day());
        let minutes = panda::domain::duration::AppointmentDuration::parse(a["duration"].as_str().unwrap())
            .unwrap()
            .minutes() as i64;
        let e = expected.entry((a["clinician"].as_str().unwrap().to_owned(), day)).or_default();
        e.0 += 1;
        match a["status"].as_str().unwrap() {
            "attended" => e.1 += 1,
            "missed" => {
                e.2 += 1;
                e.4 += minutes;
            }
            "cancelled" => e.3 += 1,
            _ => {}
        }
    }
    assert!(all.len() + more.len() > 150, "enough appointments survived to compare");
    let rows = api.get("/v1/stats/missed?group_by=clinician&period=day").body["items"].as_array().unwrap().clone();
    let actual: DayTotals = rows
        .iter()
        .map(|r| {
            let n = |f: &str| r[f].as_i64().unwrap();
            (
                (r["group"].as_str().unwrap().to_owned(), r["period_start"].as_str().unwrap().to_owned()),
                (n("appointments"), n("attended"), n("missed"), n("cancelled"), n("missed_minutes")),
            )
        })
        .collect();
    assert_eq!(actual, expected);
}

/// A CSV answer's rows, split by RFC 4180 rules (quoted fields may hold commas and doubled quotes).
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let (mut row, mut field, mut quoted, mut chars) = (Vec::new(), String::new(), false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut field)),
            ('\r', false) if chars.peek() == Some(&'\n') => {
                chars.next();
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (c, _) => field.push(c),
        }
    }
    assert!(field.is_empty() && row.is_empty(), "the last line ends with CRLF");
    rows
}

fn csv(api: &Api, path: &str) -> support::Answer {
    let answer = api.call("GET", path, None, &[("accept", "text/csv")]);
    assert_eq!(answer.status, 200);
    answer
}

fn csv_text(answer: &support::Answer) -> String {
    String::from_utf8(answer.response.body.clone()).unwrap()
}

#[test]
fn the_statistics_as_csv_are_the_same_rows_as_the_json() {
    let api = api_with_examples();
    for path in ["/v1/stats/missed?group_by=department&period=month", "/v1/stats/missed?group_by=clinician"] {
        let json = api.get(path).body["items"].clone();
        let answer = api.call("GET", path, None, &[("accept", "text/csv")]);
        assert_eq!(answer.status, 200);
        assert_eq!(answer.header("content-type"), Some("text/csv; charset=utf-8; header=present"));
        assert!(answer
            .header("content-disposition")
            .unwrap()
            .starts_with("attachment; filename=\"missed-appointments-by-"));
        let rows = csv_rows(&String::from_utf8(answer.response.body.clone()).unwrap());
        let header = &rows[0];
        assert_eq!(
            header.join(","),
            "group,period_start,appointments,attended,missed,cancelled,missed_minutes,missed_rate"
        );
        assert_eq!(rows.len() - 1, json.as_array().unwrap().len(), "{path}");
        for (row, item) in rows[1..].iter().zip(json.as_array().unwrap()) {
            for (name, value) in header.iter().zip(row) {
                match &item[name.as_str()] {
                    Value::String(text) => assert_eq!(value, text, "{path} {name}"),
                    number => {
                        assert!(value.bytes().all(|b| b.is_ascii_digit() || b == b'.'), "{path} {name}: plain {value}");
                        assert_eq!(value.parse::<f64>().ok(), number.as_f64(), "{path} {name}");
                    }
                }
            }
        }
    }
}

#[test]
fn a_clinician_named_like_a_formula_cannot_run_in_a_spreadsheet() {
    let api = api_with_one_patient();
    for (clinician, department) in
        [("=HYPERLINK(\"http://evil.example\",\"x\")", "@SUM(A1)"), ("Dr \"Ann\", Lee", "-2+3")]
    {
        let booked = api.post(
            "/v1/appointments",
            json!({"patient": "9434765919", "time": "2026-11-20T09:00:00Z", "duration": "30m",
                   "clinician": clinician, "department": department, "postcode": "SW1A 1AA"}),
        );
        assert_eq!(booked.status, 201, "{}", booked.body);
    }
    let by_clinician = csv_text(&csv(&api, "/v1/stats/missed?group_by=clinician"));
    let names: Vec<String> = csv_rows(&by_clinician)[1..].iter().map(|r| r[0].clone()).collect();
    assert_eq!(names, ["'=HYPERLINK(\"http://evil.example\",\"x\")", "Dr \"Ann\", Lee"]);
    let departments = csv_text(&csv(&api, "/v1/departments"));
    let names: Vec<String> = csv_rows(&departments)[1..].iter().map(|r| r[0].clone()).collect();
    assert_eq!(names, ["'-2+3", "'@SUM(A1)"]);
    // The JSON keeps every name exactly as it was written.
    assert_eq!(api.get("/v1/departments").body["items"][0]["name"], "-2+3");
}

#[test]
fn clinician_and_department_lists_as_csv_page_like_the_json_with_a_link_to_the_next_page() {
    let api = api_with_examples();
    let json = api.get("/v1/clinicians?limit=5").body;
    let first = csv(&api, "/v1/clinicians?limit=5");
    assert_eq!(first.header("content-disposition"), Some("attachment; filename=\"clinicians.csv\""));
    let rows = csv_rows(&csv_text(&first));
    assert_eq!(rows[0].join(","), "name,appointments,active,attended,cancelled,missed");
    let names: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    let expected: Vec<&str> = json["items"].as_array().unwrap().iter().map(|i| i["name"].as_str().unwrap()).collect();
    assert_eq!(names, expected);
    let cursor = json["next_cursor"].as_str().unwrap();
    assert_eq!(first.header("link"), Some(format!("</v1/clinicians?limit=5&cursor={cursor}>; rel=\"next\"").as_str()));
    assert_eq!(first.header("vary"), Some("Accept"));
    let all = csv(&api, "/v1/departments?limit=200");
    assert_eq!(all.header("link"), None, "the last page links nowhere");
    // JSON stays the default, and a problem is still a problem.
    assert_eq!(
        api.call("GET", "/v1/clinicians", None, &[("accept", "*/*")]).body["items"],
        api.get("/v1/clinicians").body["items"]
    );
    let refused = api.call("GET", "/v1/stats/missed?group_by=ward", None, &[("accept", "text/csv")]);
    assert_eq!((refused.status, refused.header("content-type")), (422, Some("application/problem+json")));
}
