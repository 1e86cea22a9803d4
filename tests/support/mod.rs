//! Native test support: the domain's SQL on a real database built from the migrations. That is
//! SQLite in memory (from `migrations/*.sql`), or, when `PANDA_TEST_POSTGRES` names a PostgreSQL
//! server (`scripts/test.sh` starts a throwaway one), a schema of its own per test on it (from
//! `migrations/postgres/*.sql`).
#![allow(dead_code)]

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use panda::domain::db::{Database, DbError, Dialect, Rows, Statement};
use panda::native::{postgres::Postgres, sqlite::Sqlite};

/// The test database: SQLite unless the run is the PostgreSQL one.
pub struct TestDb {
    backend: Backend,
}

enum Backend {
    Sqlite(Sqlite),
    Postgres(PostgresTest),
}

/// A PostgreSQL connection driven by a runtime of its own, so tests stay synchronous.
struct PostgresTest {
    runtime: tokio::runtime::Runtime,
    local: tokio::task::LocalSet,
    db: Postgres,
}

impl PostgresTest {
    fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(self.local.run_until(future))
    }
}

/// Makes each PostgreSQL test's schema name unique within the run.
static SCHEMAS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Skips the rest of a test that is about SQLite itself (query plans, its migrations) on the
/// PostgreSQL run.
#[macro_export]
macro_rules! sqlite_only {
    ($db:expr) => {
        if $db.is_postgres() {
            eprintln!("about SQLite itself: not run on PostgreSQL");
            return;
        }
    };
}

impl TestDb {
    /// A database with every migration applied in file-name order, as wrangler applies them.
    pub fn migrated() -> Self {
        match std::env::var("PANDA_TEST_POSTGRES") {
            Ok(url) if !url.is_empty() => Self { backend: Backend::Postgres(Self::postgres(&url)) },
            _ => {
                let db = Self::empty();
                db.apply_migrations(|_| true);
                db
            }
        }
    }

    fn postgres(url: &str) -> PostgresTest {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        let local = tokio::task::LocalSet::new();
        let schema = format!("t{}_{}", std::process::id(), SCHEMAS.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
        let separator = if url.contains('?') { '&' } else { '?' };
        let url_in_schema = format!("{url}{separator}options=-csearch_path%3D{schema}");
        let db = runtime.block_on(local.run_until(async {
            let admin = Postgres::connect_bare(url).await.expect("connect to PANDA_TEST_POSTGRES");
            admin.batch_execute(&format!("CREATE SCHEMA {schema}")).await.expect("create the test's schema");
            let dir = panda::native::migrations_dir().join("postgres");
            panda::native::migrate_postgres(&url_in_schema, &dir).await.expect("migrate the test's schema");
            Postgres::connect(&url_in_schema).await.expect("connect to the test's schema")
        }));
        PostgresTest { runtime, local, db }
    }

    /// A SQLite database with foreign keys on and no schema yet.
    pub fn empty() -> Self {
        Self { backend: Backend::Sqlite(Sqlite::in_memory()) }
    }

    pub fn dialect(&self) -> Dialect {
        Database::dialect(self)
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self.backend, Backend::Postgres(_))
    }

    /// The SQLite connection, for tests about SQLite itself (see [`sqlite_only!`]).
    pub fn conn(&self) -> &rusqlite::Connection {
        match &self.backend {
            Backend::Sqlite(db) => &db.conn,
            Backend::Postgres(_) => panic!("a SQLite connection on the PostgreSQL run: use sqlite_only!"),
        }
    }

    /// Applies, in file-name order, the migrations whose file name passes `wanted` (SQLite).
    pub fn apply_migrations(&self, wanted: impl Fn(&str) -> bool) {
        let dir = panda::native::migrations_dir();
        for (name, sql) in panda::native::migration_files(&dir).expect("read migrations/") {
            if wanted(&name) {
                self.conn().execute_batch(&sql).unwrap_or_else(|e| panic!("{name}: {e}"));
            }
        }
    }

    /// Runs raw SQL for test setup and inspection, written for both dialects.
    pub fn exec(&self, sql: &str) {
        self.try_exec(sql).unwrap_or_else(|e| panic!("test SQL: {e}\n{sql}"));
    }

    /// Runs raw SQL, as an operator would by hand, and says how the database took it.
    pub fn try_exec(&self, sql: &str) -> Result<(), String> {
        match &self.backend {
            Backend::Sqlite(db) => db.conn.execute_batch(sql).map_err(|e| e.to_string()),
            Backend::Postgres(pg) => pg.block_on(async {
                pg.db.execute_script(sql).await.map_err(|e| e.to_string())?;
                // Rows inserted with their own ids leave an identity column's sequence behind
                // (SQLite takes the next id after the largest); catch up as SQLite would.
                pg.db
                    .execute_script(
                        "SELECT setval(pg_get_serial_sequence(t, 'id'), coalesce(max_id, 0) + 1, false)
                           FROM (SELECT 'users' AS t, (SELECT max(id) FROM users) AS max_id
                                 UNION ALL SELECT 'clinicians', (SELECT max(id) FROM clinicians)
                                 UNION ALL SELECT 'departments', (SELECT max(id) FROM departments)) ids",
                    )
                    .await
                    .map_err(|e| e.to_string())
            }),
        }
    }

    pub fn count(&self, sql: &str) -> i64 {
        match &self.backend {
            Backend::Sqlite(db) => db.conn.query_row(sql, [], |row| row.get(0)).expect("count query"),
            Backend::Postgres(pg) => pg.block_on(async {
                let results = pg.db.simple_query(sql).await.expect("count query");
                results[0][0][0].as_deref().expect("a count").parse().expect("a number")
            }),
        }
    }

    /// The lines of SQLite's `EXPLAIN QUERY PLAN` for a statement, e.g. `SEARCH appointments USING INDEX ...`.
    pub fn query_plan(&self, statement: &Statement) -> Vec<String> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {}", statement.sql)).expect("explain");
        let params = statement.params.iter().map(|value| match value {
            panda::domain::db::Value::Null => rusqlite::types::Value::Null,
            panda::domain::db::Value::Integer(n) => rusqlite::types::Value::Integer(*n),
            panda::domain::db::Value::Text(t) => rusqlite::types::Value::Text(t.clone()),
        });
        let rows =
            stmt.query_map(rusqlite::params_from_iter(params), |row| row.get::<_, String>(3)).expect("plan rows");
        rows.map(|r| r.expect("plan row")).collect()
    }
}

impl Database for TestDb {
    async fn read(&self, statements: Vec<Statement>) -> Result<Vec<Rows>, DbError> {
        match &self.backend {
            Backend::Sqlite(db) => db.read(statements).await,
            Backend::Postgres(pg) => pg.block_on(pg.db.read(statements)),
        }
    }

    async fn write(&self, statements: Vec<Statement>) -> Result<Vec<Rows>, DbError> {
        match &self.backend {
            Backend::Sqlite(db) => db.write(statements).await,
            Backend::Postgres(pg) => pg.block_on(pg.db.write(statements)),
        }
    }

    fn dialect(&self) -> Dialect {
        match &self.backend {
            Backend::Sqlite(_) => Dialect::Sqlite,
            Backend::Postgres(_) => Dialect::Postgres,
        }
    }
}

/// A database that is always down, for the 503 paths.
pub struct Unreachable;

impl Database for Unreachable {
    async fn read(&self, _: Vec<Statement>) -> Result<Vec<Rows>, DbError> {
        Err(DbError::Unavailable("connection refused".into()))
    }

    async fn write(&self, _: Vec<Statement>) -> Result<Vec<Rows>, DbError> {
        Err(DbError::Unavailable("connection refused".into()))
    }

    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }
}

/// A database where someone else runs `sql` just before PANDA's first write reaches it: after
/// everything the request read or checked up front.
pub struct MeddledBeforeTheWrite<'a> {
    pub db: &'a TestDb,
    pub sql: &'a str,
    pub meddled: std::cell::Cell<bool>,
}

impl<'a> MeddledBeforeTheWrite<'a> {
    pub fn new(db: &'a TestDb, sql: &'a str) -> Self {
        Self { db, sql, meddled: std::cell::Cell::new(false) }
    }
}

impl Database for MeddledBeforeTheWrite<'_> {
    async fn read(&self, statements: Vec<Statement>) -> Result<Vec<Rows>, DbError> {
        self.db.read(statements).await
    }

    async fn write(&self, statements: Vec<Statement>) -> Result<Vec<Rows>, DbError> {
        if !self.meddled.replace(true) {
            self.db.exec(self.sql);
        }
        self.db.write(statements).await
    }

    fn dialect(&self) -> Dialect {
        self.db.dialect()
    }
}

/// Counts the round trips a request makes, and which kind, by passing every call on to `db`.
pub struct Counting<'a, D> {
    pub db: &'a D,
    pub reads: std::cell::Cell<usize>,
    pub writes: std::cell::Cell<usize>,
}

impl<'a, D: Database> Counting<'a, D> {
    pub fn new(db: &'a D) -> Self {
        Self { db, reads: Default::default(), writes: Default::default() }
    }

    /// (reads, writes) so far.
    pub fn calls(&self) -> (usize, usize) {
        (self.reads.get(), self.writes.get())
    }
}

impl<D: Database> Database for Counting<'_, D> {
    async fn read(&self, statements: Vec<Statement>) -> Result<Vec<Rows>, DbError> {
        self.reads.set(self.reads.get() + 1);
        self.db.read(statements).await
    }

    async fn write(&self, statements: Vec<Statement>) -> Result<Vec<Rows>, DbError> {
        self.writes.set(self.writes.get() + 1);
        self.db.write(statements).await
    }

    fn dialect(&self) -> Dialect {
        self.db.dialect()
    }
}

/// Drives a future to completion. SQLite answers synchronously, so the futures never wait.
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
    }
}

/// The whole API over a migrated SQLite, at a fixed instant, with typed calls made as a
/// signed-in user (unless a call sets its own `authorization` header).
pub struct Api {
    pub db: TestDb,
    pub now: time::OffsetDateTime,
    pub config: panda::api::Config,
    pub token: String,
}

pub const TEST_SECRET: &str = "a-test-secret-that-is-long-enough-for-hs256";

/// The request id every call sends unless it sets its own: the one the OpenAPI examples show, so
/// that documented problems compare equal to real ones, `instance` included.
pub const REQUEST_ID: &str = "6f9619ff-8b86-4011-b42d-00c04fc964ff";

/// What a call returned: status, parsed JSON body (Null when empty) and the raw response.
pub struct Answer {
    pub status: u16,
    pub body: serde_json::Value,
    pub response: panda::api::Response,
}

impl From<panda::api::Response> for Answer {
    fn from(response: panda::api::Response) -> Self {
        let is_json = response.header_value("content-type").is_some_and(|t| t.contains("json"));
        let body = if response.body.is_empty() || !is_json {
            serde_json::Value::Null // a CSV answer, say: read `response.body`
        } else {
            serde_json::from_slice(&response.body).expect("every JSON response body is JSON")
        };
        Answer { status: response.status, body, response }
    }
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.response.header_value(name)
    }

    /// The `code` of a problem response.
    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or("")
    }

    /// `(field, code)` of each entry of a validation problem's `errors`, sorted, so tests need not
    /// depend on the order fields were checked in.
    pub fn field_errors(&self) -> Vec<(String, String)> {
        let mut errors: Vec<(String, String)> = self.body["errors"]
            .as_array()
            .map(|errors| {
                errors
                    .iter()
                    .map(|e| {
                        (e["field"].as_str().unwrap_or("").to_owned(), e["code"].as_str().unwrap_or("").to_owned())
                    })
                    .collect()
            })
            .unwrap_or_default();
        errors.sort();
        errors
    }
}

impl Api {
    pub fn new() -> Self {
        Self::with_db(TestDb::migrated())
    }

    /// The API over a database already migrated (and perhaps filled) by the caller.
    pub fn with_db(db: TestDb) -> Self {
        let now = time::macros::datetime!(2026-11-26 12:00 UTC);
        // A staff account with a hash nobody can match: these tests sign in by token, not password.
        db.exec(&format!(
            "INSERT INTO users (id, username, password_hash, created_at, credentials_changed_at)
             VALUES (1, 'tester', '{}', 0, 0)",
            panda::domain::password::DUMMY_HASH
        ));
        let key = panda::domain::token::SigningKey::from_secret(Some(TEST_SECRET)).unwrap();
        let token = panda::domain::token::issue(&key, "1", now.unix_timestamp(), 900).unwrap();
        let config = panda::api::Config { jwt_secret: Some(TEST_SECRET.into()), ..Default::default() };
        Self { db, now, config, token }
    }

    pub fn call(
        &self,
        method: &str,
        path_and_query: &str,
        body: Option<serde_json::Value>,
        headers: &[(&str, &str)],
    ) -> Answer {
        let request = self.request(method, path_and_query, body, headers);
        let response = self.handle_with(&request, &self.db);
        if response.log.is_server_error() {
            // Shown only when the test fails: what the server would log, with the cause.
            eprintln!("{}", response.log.line(0));
        }
        // As the worker does once the answer has gone (`waitUntil`): the entries for the
        // patients it showed. The access stays on the response for tests to look at.
        if let Some(access) = &response.access {
            block_on(panda::api::audit::record_views(&self.db, std::slice::from_ref(access)))
                .expect("the access entries are written");
        }
        Answer::from(response)
    }

    /// Answers `request` over `db` (the API's own database, or a wrapper around it).
    pub fn handle_with(&self, request: &panda::api::Request, db: &impl Database) -> panda::api::Response {
        block_on(panda::api::handle(request, db, self.now, &panda::api::Settings::from(&self.config)))
    }

    /// The request `call` would send, for tests that hand it to `handle_with` themselves.
    pub fn request(
        &self,
        method: &str,
        path_and_query: &str,
        body: Option<serde_json::Value>,
        headers: &[(&str, &str)],
    ) -> panda::api::Request {
        let (path, query) = path_and_query.split_once('?').unwrap_or((path_and_query, ""));
        let mut request = panda::api::Request {
            method: method.into(),
            path: path.into(),
            query: query.into(),
            headers: headers.iter().map(|(n, v)| (n.to_ascii_lowercase(), (*v).to_owned())).collect(),
            body: Vec::new(),
        };
        if request.header("authorization").is_none() {
            request.headers.push(("authorization".into(), format!("Bearer {}", self.token)));
        }
        if request.header("x-request-id").is_none() {
            request.headers.push(("x-request-id".into(), REQUEST_ID.into()));
        }
        if let Some(body) = body {
            request.body = serde_json::to_vec(&body).unwrap();
            if request.header("content-type").is_none() {
                request.headers.push(("content-type".into(), "application/json".into()));
            }
        }
        request
    }

    pub fn get(&self, path: &str) -> Answer {
        self.call("GET", path, None, &[])
    }

    pub fn post(&self, path: &str, body: serde_json::Value) -> Answer {
        self.call("POST", path, Some(body), &[])
    }

    pub fn patch(&self, path: &str, body: serde_json::Value) -> Answer {
        self.call("PATCH", path, Some(body), &[("content-type", "application/merge-patch+json")])
    }

    pub fn delete(&self, path: &str) -> Answer {
        self.call("DELETE", path, None, &[])
    }
}

/// The client's example data (tests/fixtures), as JSON values.
pub fn example(name: &str) -> Vec<serde_json::Value> {
    let path = format!("{}/tests/fixtures/example_{name}.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("fixture JSON")
}

/// How many cases a property test tries: all of them on SQLite; a twentieth on the PostgreSQL run,
/// where each case builds a schema of its own (a few hundred milliseconds).
pub fn cases(on_sqlite: u32) -> u32 {
    match std::env::var("PANDA_TEST_POSTGRES") {
        Ok(url) if !url.is_empty() => (on_sqlite / 20).max(1),
        _ => on_sqlite,
    }
}
