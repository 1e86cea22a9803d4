#![cfg(not(target_arch = "wasm32"))]
//! Read replicas: where each request's database session starts, the bookmark the client sends back
//! (`X-D1-Bookmark`), and the one its answer carries. The worker's D1 session itself runs only
//! under `wrangler dev` (tests/e2e/bookmarks.test.mjs); here a stand-in database records what the
//! API asked of it.

mod support;

use std::cell::{Cell, RefCell};

use panda::api::{Config, Reads, Settings};
use panda::domain::db::{Database, DbError, Rows, Start, Statement};
use support::{Answer, Api, TestDb};

const BOOKMARK: &str = "00000001-00000002-00004e2f-0a83ea2fceebc654de0640c422be4653";
/// What the stand-in's session has reached once a call has run.
const REACHED: &str = "00000001-00000003-00000000-0a83ea2fceebc654de0640c422be4653";

/// A database with replicas, as the API sees one: it records where each session started, hands
/// out [`REACHED`] once a call has run, and refuses calls with `refusal` when one is set.
struct Replicated<'a> {
    db: &'a TestDb,
    starts: RefCell<Vec<Start>>,
    called: Cell<bool>,
    refusal: Option<&'static str>,
}

impl<'a> Replicated<'a> {
    fn new(db: &'a TestDb) -> Self {
        Self { db, starts: RefCell::default(), called: Cell::new(false), refusal: None }
    }

    fn call(&self) -> Result<(), DbError> {
        self.called.set(true);
        self.refusal.map_or(Ok(()), |message| Err(DbError::from_message(message)))
    }
}

impl Database for Replicated<'_> {
    async fn read(&self, statements: Vec<Statement>) -> Result<Vec<Rows>, DbError> {
        self.call()?;
        self.db.read(statements).await
    }

    async fn write(&self, statements: Vec<Statement>) -> Result<Vec<Rows>, DbError> {
        self.call()?;
        self.db.write(statements).await
    }

    fn start(&self, from: Start) {
        self.starts.borrow_mut().push(from);
    }

    fn bookmark(&self) -> Option<String> {
        self.called.get().then(|| REACHED.to_owned())
    }

    fn dialect(&self) -> panda::domain::db::Dialect {
        self.db.dialect()
    }
}

fn send(api: &Api, db: &Replicated, method: &str, path: &str, headers: &[(&str, &str)]) -> Answer {
    Answer::from(api.handle_with(&api.request(method, path, None, headers), db))
}

#[test]
fn a_read_starts_after_the_clients_bookmark_and_its_answer_carries_the_sessions() {
    let api = Api::new();
    let db = Replicated::new(&api.db);
    let answer = send(&api, &db, "GET", "/v1/patients", &[("x-d1-bookmark", BOOKMARK)]);
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(*db.starts.borrow(), [Start::After(BOOKMARK.into())]);
    assert_eq!(answer.header("x-d1-bookmark"), Some(REACHED));
}

#[test]
fn without_a_bookmark_a_request_starts_on_the_nearest_copy_and_gets_one() {
    let api = Api::new();
    for (method, path) in [("GET", "/health"), ("GET", "/v1/appointments"), ("DELETE", "/v1/patients/9434765919")] {
        let db = Replicated::new(&api.db);
        let answer = send(&api, &db, method, path, &[]);
        assert_eq!(*db.starts.borrow(), [Start::Nearest], "{method} {path}");
        assert_eq!(answer.header("x-d1-bookmark"), Some(REACHED), "{method} {path}: {}", answer.status);
    }
}

#[test]
fn an_empty_bookmark_is_no_bookmark() {
    let api = Api::new();
    let db = Replicated::new(&api.db);
    let answer = send(&api, &db, "GET", "/v1/patients", &[("x-d1-bookmark", " ")]);
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(*db.starts.borrow(), [Start::Nearest]);
}

#[test]
fn a_sign_in_reads_the_credentials_on_the_primary_whatever_the_client_sent() {
    let api = Api::new();
    let db = Replicated::new(&api.db);
    let request = api.request(
        "POST",
        "/v1/auth/token",
        Some(serde_json::json!({"username": "tester", "password": "not the password"})),
        &[("x-d1-bookmark", BOOKMARK)],
    );
    let answer = Answer::from(api.handle_with(&request, &db));
    assert_eq!(answer.status, 401, "{}", answer.body);
    assert_eq!(*db.starts.borrow(), [Start::Primary]);
    assert_eq!(answer.header("x-d1-bookmark"), Some(REACHED), "its failure was written: a bookmark to carry on from");
}

#[test]
fn with_d1_reads_primary_every_session_starts_on_the_primary() {
    let mut api = Api::new();
    api.config = Config { d1_reads: Some("primary".into()), ..api.config.clone() };
    for bookmark in [None, Some(BOOKMARK)] {
        let db = Replicated::new(&api.db);
        let headers: Vec<(&str, &str)> = bookmark.map(|b| ("x-d1-bookmark", b)).into_iter().collect();
        let answer = send(&api, &db, "GET", "/v1/patients", &headers);
        assert_eq!(answer.status, 200, "{}", answer.body);
        assert_eq!(*db.starts.borrow(), [Start::Primary], "{bookmark:?}");
    }
}

#[test]
fn a_malformed_bookmark_is_a_400_in_the_clients_language_before_the_database_is_reached() {
    let api = Api::new();
    for bookmark in ["first-primary", "00000001-0000000G", "x\u{7f}", &"0".repeat(129)] {
        for reads in [None, Some("primary")] {
            let mut api = Api::with_db(TestDb::migrated());
            api.config.d1_reads = reads.map(str::to_owned);
            let db = Replicated::new(&api.db);
            let answer =
                send(&api, &db, "GET", "/v1/patients", &[("x-d1-bookmark", bookmark), ("accept-language", "cy")]);
            assert_eq!((answer.status, answer.code()), (400, "bookmark-invalid"), "{bookmark:?} {reads:?}");
            assert_eq!(answer.body["title"], "Nod tudalen annilys");
            assert!(!db.called.get() && db.starts.borrow().is_empty(), "{bookmark:?}: the database was reached");
            assert_eq!(answer.header("x-d1-bookmark"), None);
        }
    }
    // The token comes first, as for every other part of a request; a route that touches no
    // database never looks at a bookmark.
    let db = Replicated::new(&api.db);
    let answer = send(&api, &db, "GET", "/v1/patients", &[("x-d1-bookmark", "nope"), ("authorization", "Bearer x")]);
    assert_eq!((answer.status, answer.code()), (401, "token-invalid"));
    assert_eq!(send(&api, &db, "GET", "/health/live", &[("x-d1-bookmark", "nope")]).status, 200);
}

#[test]
fn a_bookmark_the_database_refuses_is_a_400_with_its_reason_in_the_log_never_a_500() {
    let api = Api::new();
    let mut db = Replicated::new(&api.db);
    db.refusal = Some("D1_ERROR: bookmark 00000001-00000002 is not known to this database");
    for (method, path) in [("GET", "/v1/patients/9434765919"), ("DELETE", "/v1/patients/9434765919")] {
        let answer = send(&api, &db, method, path, &[("x-d1-bookmark", "00000001-00000002")]);
        assert_eq!((answer.status, answer.code()), (400, "bookmark-invalid"), "{method} {path}");
        assert!(answer.response.log.cause.as_deref().unwrap().contains("not known to this database"));
    }
}

#[test]
fn d1_reads_is_nearest_or_primary_and_anything_else_is_logged_and_read_as_primary() {
    let settings =
        |value: Option<&str>| Settings::from(&Config { d1_reads: value.map(str::to_owned), ..Config::default() });
    assert_eq!(settings(None).reads, Reads::Nearest);
    assert_eq!(settings(Some("nearest")).reads, Reads::Nearest);
    assert_eq!(settings(Some("primary")).reads, Reads::Primary);
    assert!(settings(Some("primary")).misconfigured.is_none());
    let mistyped = settings(Some("replica"));
    assert_eq!(mistyped.reads, Reads::Primary);
    let cause = mistyped.misconfigured.expect("a mistyped value is reported");
    assert!(cause.contains("D1_READS") && cause.contains("\"replica\""), "{cause}");
}

#[test]
fn a_database_without_replicas_gives_no_bookmark() {
    let api = Api::new();
    let answer = api.get("/v1/patients");
    assert_eq!(answer.status, 200);
    assert_eq!(answer.header("x-d1-bookmark"), None);
}
