#![cfg(not(target_arch = "wasm32"))]
//! Finding patients (GET /v1/patients with name, date_of_birth, postcode, nhs_number): as a
//! receptionist would, over the client's example patients and a few written in other ways.

mod support;

use panda::domain::name_search;
use panda::domain::patient_search::{self, PostcodeQuery, Search};
use panda::domain::postcode::Postcode;
use serde_json::{json, Value};
use support::{example, Api};

fn api_with_patients() -> Api {
    let api = Api::new();
    for patient in example("patients") {
        assert_eq!(api.post("/v1/patients", patient).status, 201);
    }
    for (nhs_number, name, date_of_birth, postcode) in [
        ("6000000006", "Zoë Ólafsdóttir", "1990-04-01", "SW1A 2AA"),
        ("6000000103", "Łukasz Wiśniewski", "1985-12-24", "SW1A 1AA"),
        ("6000000308", "Glenn Clarke", "1996-02-01", "N6 5AB"),
    ] {
        let answer = api.post(
            "/v1/patients",
            json!({"nhs_number": nhs_number, "name": name, "date_of_birth": date_of_birth, "postcode": postcode}),
        );
        assert_eq!(answer.status, 201, "{}", answer.body);
    }
    api
}

fn names(api: &Api, query: &str) -> Vec<String> {
    let answer = api.get(&format!("/v1/patients?{query}"));
    assert_eq!(answer.status, 200, "{query}: {}", answer.body);
    answer.body["items"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn a_name_is_found_however_it_is_written() {
    let api = api_with_patients();
    assert_eq!(names(&api, "name=zoe%20olafsdottir"), ["Zoë Ólafsdóttir"]);
    assert_eq!(names(&api, "name=LUKASZ"), ["Łukasz Wiśniewski"]);
    assert_eq!(names(&api, "name=wisniewski"), ["Łukasz Wiśniewski"]);
    assert_eq!(names(&api, "name=%E6%A1%82%E8%8D%A3"), ["刘桂荣"], "桂荣, a part of the example patient 刘桂荣");
    assert_eq!(names(&api, "name=%E5%88%98"), ["刘桂荣"], "刘, its first character");
    assert_eq!(names(&api, "name=%E0%A4%86%E0%A4%B0%E0%A4%B5"), ["आरव डार"], "Devanagari, by its own letters");
    // The stored name is never changed by any of this.
    assert_eq!(api.get("/v1/patients/6000000006").body["name"], "Zoë Ólafsdóttir");
}

#[test]
fn each_query_word_matches_the_start_of_a_word_in_any_order() {
    let api = api_with_patients();
    assert_eq!(names(&api, "name=clark%20gl"), ["Dr Glenn Clark", "Glenn Clarke"]);
    assert_eq!(names(&api, "name=lark"), Vec::<String>::new(), "not the middle of a word");
    assert_eq!(names(&api, "name=glenn%20smith"), Vec::<String>::new(), "every word must match");
}

#[test]
fn whole_word_matches_come_first_then_shorter_names() {
    let api = api_with_patients();
    // "clark" is a whole word of the first two and only the start of a word of the others; among
    // equals, the shorter name comes first.
    assert_eq!(names(&api, "name=clark"), ["Amelia Clark", "Dr Glenn Clark", "Glenn Clarke", "Duncan Clarke"]);
    assert_eq!(names(&api, "name=glenn%20clark"), ["Dr Glenn Clark", "Glenn Clarke"]);
    // A page at a time, across from the whole-word matches to the others.
    let mut paged = Vec::new();
    let mut path = "/v1/patients?name=clark&limit=1".to_owned();
    loop {
        let page = api.get(&path);
        paged.extend(page.body["items"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap().to_owned()));
        match page.body["next_cursor"].as_str() {
            Some(next) => path = format!("/v1/patients?name=clark&limit=1&cursor={next}"),
            None => break,
        }
    }
    assert_eq!(paged, ["Amelia Clark", "Dr Glenn Clark", "Glenn Clarke", "Duncan Clarke"]);
}

#[test]
fn fields_combine_and_all_must_match() {
    let api = api_with_patients();
    assert_eq!(names(&api, "name=glenn&date_of_birth=1996-02-01"), ["Glenn Clarke", "Dr Glenn Clark"]);
    assert_eq!(names(&api, "name=glenn&date_of_birth=1996-02-01&postcode=n62fa"), ["Dr Glenn Clark"]);
    assert_eq!(names(&api, "postcode=N6"), ["Dr Glenn Clark", "Glenn Clarke"], "an outward code finds everyone in it");
    assert_eq!(names(&api, "postcode=sw1a"), ["Zoë Ólafsdóttir", "Łukasz Wiśniewski"], "in NHS-number order");
    assert_eq!(names(&api, "nhs_number=137%20364%205350"), ["Dr Glenn Clark"]);
    assert_eq!(names(&api, "nhs_number=1373645350&name=zoe"), Vec::<String>::new());
}

#[test]
fn search_parameters_are_validated_like_every_other() {
    let api = api_with_patients();
    let answer = api.get("/v1/patients?name=%21%21&postcode=XX&date_of_birth=1990-02-30&nhs_number=123");
    assert_eq!(
        answer.field_errors(),
        vec![
            ("date_of_birth".into(), "date-format".into()),
            ("name".into(), "search-no-words".into()),
            ("nhs_number".into(), "nhs-number-format".into()),
            ("postcode".into(), "invalid-postcode".into()),
        ]
    );
    assert_eq!(
        api.get("/v1/patients?name=a+b+c+d+e+f+g+h+i").field_errors(),
        vec![("name".into(), "search-too-many-words".into())]
    );
    assert_eq!(api.get("/v1/patients?name=").field_errors(), vec![("name".into(), "text-empty".into())]);
    assert_eq!(api.get("/v1/patients?surname=clark").field_errors(), vec![("surname".into(), "field-unknown".into())]);
}

#[test]
fn a_name_search_pages_through_every_match_once_in_rank_order() {
    let api = api_with_patients();
    let all = names(&api, "name=dr&limit=200");
    assert!(all.len() > 5, "{all:?}");
    let mut paged = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/v1/patients?name=dr&limit=2&cursor={c}"),
            None => "/v1/patients?name=dr&limit=2".to_owned(),
        };
        let page = api.get(&path);
        assert_eq!(page.status, 200, "{}", page.body);
        paged.extend(page.body["items"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap().to_owned()));
        match page.body["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(paged, all);
    // A cursor from the NHS-number list does not continue a name search.
    let plain = api.get("/v1/patients?limit=1").body["next_cursor"].as_str().unwrap().to_owned();
    assert_eq!(
        api.get(&format!("/v1/patients?name=dr&cursor={plain}")).field_errors(),
        vec![("cursor".into(), "cursor-invalid".into())]
    );
}

#[test]
fn a_changed_name_is_found_by_its_new_words_only_and_an_erased_patient_not_at_all() {
    let api = api_with_patients();
    let renamed = api.patch("/v1/patients/6000000006", json!({"name": "Zoë Jónsdóttir"}));
    assert_eq!(renamed.status, 200, "{}", renamed.body);
    assert_eq!(names(&api, "name=jonsdottir"), ["Zoë Jónsdóttir"]);
    assert_eq!(names(&api, "name=olafsdottir"), Vec::<String>::new());
    // A refused change leaves the words as they were.
    let stale = api.call(
        "PATCH",
        "/v1/patients/6000000006",
        Some(json!({"name": "Someone Else"})),
        &[("content-type", "application/merge-patch+json"), ("if-match", "\"1-0\"")],
    );
    assert_eq!(stale.status, 412);
    assert_eq!(names(&api, "name=someone"), Vec::<String>::new());
    assert_eq!(names(&api, "name=jonsdottir"), ["Zoë Jónsdóttir"]);
    assert_eq!(api.delete("/v1/patients/6000000006").status, 204);
    assert_eq!(names(&api, "name=zoe"), Vec::<String>::new());
    assert_eq!(api.db.count("SELECT count(*) FROM patient_name_words WHERE nhs_number = '6000000006'"), 0);
}

#[test]
fn every_search_reads_through_an_index() {
    let api = Api::new();
    sqlite_only!(api.db);
    let words = Some(name_search::query_words("glenn cl").unwrap());
    let searches = [
        ("name", Search { name: words.clone(), ..Search::default() }),
        ("one name word", Search { name: Some(name_search::query_words("clark").unwrap()), ..Search::default() }),
        (
            "three name words",
            Search { name: Some(name_search::query_words("dr glenn cl").unwrap()), ..Search::default() },
        ),
        (
            "postcode",
            Search { postcode: Some(PostcodeQuery::Whole(Postcode::parse("N6 2FA").unwrap())), ..Search::default() },
        ),
        ("outward code", Search { postcode: Some(PostcodeQuery::Outward("N6".into())), ..Search::default() }),
        (
            "date of birth",
            Search {
                date_of_birth: Some(
                    panda::domain::timestamp::DateOfBirth::parse("1996-02-01", time::macros::date!(2026 - 12 - 01))
                        .unwrap(),
                ),
                ..Search::default()
            },
        ),
        (
            "name and postcode",
            Search { name: words, postcode: Some(PostcodeQuery::Outward("N6".into())), ..Search::default() },
        ),
    ];
    for (label, search) in searches {
        let plan = api.db.query_plan(&patient_search::statement(&search, None, 50));
        if std::env::var_os("PANDA_SHOW_PLANS").is_some() {
            eprintln!("{label}: {plan:#?}");
        }
        assert!(
            !plan.iter().any(|l| l.starts_with("SCAN p") || l.starts_with("SCAN w") || l == "SCAN patients"),
            "{label}: {plan:?}"
        );
        assert!(plan.iter().any(|l| l.contains("INDEX") || l.contains("PRIMARY KEY")), "{label}: {plan:?}");
        if label == "one name word" {
            // The whole-word matches come in rank order from the index: no sort before the LIMIT.
            let whole = plan.iter().position(|l| l.contains("patient_name_words_ranked")).expect("the ranked index");
            assert!(!plan[whole..whole + 2].iter().any(|l| l.contains("TEMP B-TREE")), "{plan:?}");
        }
        if label.contains("name") && label != "one name word" {
            // Two words or more: straight to the patients who have both, a seek per distinct word.
            assert!(
                plan.iter().any(|l| l.starts_with("SEARCH pr USING PRIMARY KEY (word=? AND other_word>?")),
                "{label}: {plan:?}"
            );
        }
    }
}

/// The pairs and the vocabulary, rebuilt from the words: what the triggers must always keep.
fn assert_pairs_and_vocabulary_agree_with_the_words(api: &Api) {
    let pairs = "SELECT a.word, b.word, a.nhs_number FROM patient_name_words a
                   JOIN patient_name_words b ON b.nhs_number = a.nhs_number AND b.word <> a.word";
    let kept = "SELECT word, other_word, nhs_number FROM patient_name_pairs";
    assert_eq!(api.db.count(&format!("SELECT count(*) FROM ({pairs} EXCEPT {kept}) diff")), 0);
    assert_eq!(api.db.count(&format!("SELECT count(*) FROM ({kept} EXCEPT {pairs}) diff")), 0);
    let vocabulary = "SELECT word, count(*) FROM patient_name_words GROUP BY word";
    let counted = "SELECT word, patients FROM patient_search_vocabulary";
    assert_eq!(api.db.count(&format!("SELECT count(*) FROM ({vocabulary} EXCEPT {counted}) diff")), 0);
    assert_eq!(api.db.count(&format!("SELECT count(*) FROM ({counted} EXCEPT {vocabulary}) diff")), 0);
}

#[test]
fn the_word_pairs_and_the_vocabulary_follow_every_change_of_the_words() {
    let api = api_with_patients();
    assert_pairs_and_vocabulary_agree_with_the_words(&api);
    assert!(api.db.count("SELECT count(*) FROM patient_name_pairs") > 100);
    assert_eq!(api.patch("/v1/patients/6000000006", json!({"name": "Zoë Jónsdóttir Clark"})).status, 200);
    assert_eq!(api.delete("/v1/patients/1373645350").status, 204);
    assert_pairs_and_vocabulary_agree_with_the_words(&api);
    assert_eq!(names(&api, "name=clark%20zoe"), ["Zoë Jónsdóttir Clark"]);
    assert_eq!(names(&api, "name=glenn%20clark"), ["Glenn Clarke"]);
    for patient in example("patients") {
        api.delete(&format!("/v1/patients/{}", patient["nhs_number"].as_str().unwrap()));
    }
    assert_pairs_and_vocabulary_agree_with_the_words(&api);
}

#[test]
fn a_search_is_one_round_trip() {
    let api = api_with_patients();
    let counting = support::Counting::new(&api.db);
    let answer = api.handle_with(&api.request("GET", "/v1/patients?name=clark&postcode=N6", None, &[]), &counting);
    assert_eq!(answer.status, 200);
    assert_eq!(counting.calls(), (1, 0));
    let _: Value = serde_json::from_slice(&answer.body).unwrap();
}

#[test]
fn patients_stored_before_the_search_words_are_indexed_by_the_sweep() {
    let api = Api::new();
    // As a database migrated before 0007 and then upgraded holds them: no search words yet.
    for i in 0..450 {
        api.db.exec(&format!(
            "INSERT INTO patients (nhs_number, name, date_of_birth, postcode, created_at, updated_at)
             VALUES ('{i:010}', 'Zoë Légacy {i}', '1990-01-01', 'SW1A 1AA', 0, 0)"
        ));
    }
    assert_eq!(names(&api, "name=legacy").len(), 0, "not searchable yet");
    let (indexed, left) = support::block_on(patient_search::index_unsearchable(&api.db, 2)).unwrap();
    assert_eq!((indexed, left), (400, true), "two chunks, with more left for the next run");
    let (indexed, left) = support::block_on(patient_search::index_unsearchable(&api.db, 2)).unwrap();
    assert_eq!((indexed, left), (50, false));
    assert_eq!(names(&api, "name=zoe%20legacy%20449"), ["Zoë Légacy 449"]);
    assert_eq!(api.get("/v1/patients?name=legacy&limit=200").body["items"].as_array().unwrap().len(), 200);
    assert_eq!(api.db.count("SELECT count(*) FROM patients WHERE search_name IS NULL"), 0);
    assert_eq!(support::block_on(patient_search::index_unsearchable(&api.db, 2)).unwrap(), (0, false));
}
