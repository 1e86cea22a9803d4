#![cfg(not(target_arch = "wasm32"))]
//! Migrations move existing data without loss.

mod support;

use support::{example, Api, TestDb};

#[test]
fn clinicians_and_departments_move_into_their_own_tables_without_loss() {
    // The client's data as the first schema held it: names written into each appointment.
    let db = TestDb::empty();
    db.apply_migrations(|name| name < "0003");
    for p in example("patients") {
        db.conn()
            .execute(
                "INSERT INTO patients (nhs_number, name, date_of_birth, postcode, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, 10, 10)",
                [&p["nhs_number"], &p["name"], &p["date_of_birth"], &p["postcode"]].map(|v| v.as_str().unwrap()),
            )
            .unwrap();
    }
    let appointments = example("appointments");
    for (i, a) in appointments.iter().enumerate() {
        let time =
            time::OffsetDateTime::parse(a["time"].as_str().unwrap(), &time::format_description::well_known::Rfc3339)
                .unwrap();
        let minutes =
            panda::domain::duration::AppointmentDuration::parse(a["duration"].as_str().unwrap()).unwrap().minutes();
        db.conn()
            .execute(
                "INSERT INTO appointments (id, patient, status, starts_at, utc_offset, duration_minutes, clinician,
                                           department, postcode, version, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)",
                rusqlite::params![
                    a["id"].as_str(),
                    a["patient"].as_str(),
                    a["status"].as_str(),
                    time.unix_timestamp(),
                    time.offset().whole_seconds(),
                    minutes,
                    a["clinician"].as_str(),
                    a["department"].as_str(),
                    a["postcode"].as_str(),
                    1 + (i as i64 % 3),
                    100 + i as i64
                ],
            )
            .unwrap();
    }

    db.apply_migrations(|name| name >= "0003");

    assert_eq!(db.count("SELECT count(*) FROM clinicians"), 10);
    assert_eq!(db.count("SELECT count(*) FROM departments"), 4, "gastroentology kept as written");
    let api = Api::with_db(db);
    for (i, a) in appointments.iter().enumerate() {
        let read = api.get(&format!("/v1/appointments/{}", a["id"].as_str().unwrap()));
        assert_eq!(read.status, 200);
        for field in ["patient", "time", "duration", "clinician", "department", "postcode"] {
            assert_eq!(read.body[field], a[field], "{field} of {}", a["id"]);
        }
        let etag = format!("\"{}-{}\"", 1 + i % 3, 100 + i);
        assert_eq!(read.header("etag"), Some(etag.as_str()), "versions and timestamps survive");
    }
}

#[test]
fn the_word_pairs_and_vocabulary_are_built_from_the_words_already_there() {
    let db = TestDb::empty();
    db.apply_migrations(|name| name < "0008");
    db.exec(
        "INSERT INTO patients (nhs_number, name, date_of_birth, postcode, created_at, updated_at, search_name)
         VALUES ('1373645350', 'Dr Glenn Clark', '1996-02-01', 'N6 2FA', 0, 0, 'dr glenn clark'),
                ('9434765919', 'Glenn Hall', '1990-01-01', 'N6 2FA', 0, 0, 'glenn hall');
         INSERT INTO patient_name_words (word, nhs_number)
         VALUES ('dr', '1373645350'), ('glenn', '1373645350'), ('clark', '1373645350'),
                ('glenn', '9434765919'), ('hall', '9434765919');",
    );
    db.apply_migrations(|name| name.starts_with("0008"));
    assert_eq!(db.count("SELECT count(*) FROM patient_name_pairs"), 6 + 2);
    assert_eq!(db.count("SELECT patients FROM patient_search_vocabulary WHERE word = 'glenn'"), 2);
    assert_eq!(db.count("SELECT count(*) FROM patient_search_vocabulary"), 4);
}
