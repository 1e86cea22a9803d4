//! Native test support: the domain's SQL on a real SQLite built from `migrations/*.sql`.
#![allow(dead_code)]

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use panda::domain::db::{Database, DbError, Rows, Statement, Value};
use rusqlite::types::ValueRef;

/// An in-memory SQLite with every migration applied in file-name order, as wrangler applies them.
pub struct Sqlite {
    pub conn: rusqlite::Connection,
}

impl Sqlite {
    pub fn migrated() -> Self {
        let db = Self::empty();
        db.apply_migrations(|_| true);
        db
    }

    /// A database with foreign keys on and no schema yet.
    pub fn empty() -> Self {
        let conn = rusqlite::Connection::open_in_memory().expect("open SQLite");
        // D1 enforces foreign keys; plain SQLite needs to be told.
        conn.execute_batch("PRAGMA foreign_keys = ON;").expect("enable foreign keys");
        Self { conn }
    }

    /// Applies, in file-name order, the migrations whose file name passes `wanted`.
    pub fn apply_migrations(&self, wanted: impl Fn(&str) -> bool) {
        let mut files: Vec<_> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations"))
            .expect("read migrations/")
            .map(|entry| entry.expect("migration entry").path())
            .filter(|path| path.extension().is_some_and(|e| e == "sql"))
            .filter(|path| wanted(&path.file_name().unwrap().to_string_lossy()))
            .collect();
        files.sort();
        for file in files {
            let sql = std::fs::read_to_string(&file).expect("read migration");
            self.conn.execute_batch(&sql).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        }
    }

    /// Runs raw SQL for test setup and inspection.
    pub fn exec(&self, sql: &str) {
        self.conn.execute_batch(sql).expect("test SQL");
    }

    pub fn count(&self, sql: &str) -> i64 {
        self.conn.query_row(sql, [], |row| row.get(0)).expect("count query")
    }

    /// The lines of `EXPLAIN QUERY PLAN` for a statement, e.g. `SEARCH appointments USING INDEX ...`.
    pub fn query_plan(&self, statement: &Statement) -> Vec<String> {
        let mut stmt = self.conn.prepare(&format!("EXPLAIN QUERY PLAN {}", statement.sql)).expect("explain");
        let rows = stmt
            .query_map(rusqlite::params_from_iter(statement.params.iter().map(to_sqlite)), |row| {
                row.get::<_, String>(3)
            })
            .expect("plan rows");
        rows.map(|r| r.expect("plan row")).collect()
    }

    /// Runs one statement; its rows come back as the JSON text D1 would hand over.
    fn run(&self, statement: &Statement) -> Result<Rows, DbError> {
        let mut stmt = self.conn.prepare(&statement.sql).map_err(|e| DbError::from_message(e.to_string()))?;
        let names: Vec<String> = stmt.column_names().into_iter().map(str::to_owned).collect();
        let mut rows = stmt
            .query(rusqlite::params_from_iter(statement.params.iter().map(to_sqlite)))
            .map_err(|e| DbError::from_message(e.to_string()))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(|e| DbError::from_message(e.to_string()))? {
            let mut map = serde_json::Map::new();
            for (i, name) in names.iter().enumerate() {
                let value = match row.get_ref(i).map_err(|e| DbError::from_message(e.to_string()))? {
                    ValueRef::Null => serde_json::Value::Null,
                    ValueRef::Integer(n) => n.into(),
                    ValueRef::Real(f) => f.into(),
                    ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned().into(),
                    ValueRef::Blob(_) => return Err(DbError::Decode("blob column".into())),
                };
                map.insert(name.clone(), value);
            }
            out.push(serde_json::Value::Object(map));
        }
        Ok(Rows::from_json(serde_json::Value::Array(out).to_string()))
    }

    /// Runs statements in one transaction, as D1 runs a batch: all take effect or none does.
    fn transaction(&self, statements: &[Statement]) -> Result<Vec<Rows>, DbError> {
        let tx = self.conn.unchecked_transaction().map_err(|e| DbError::from_message(e.to_string()))?;
        let results = statements.iter().map(|s| self.run(s)).collect::<Result<Vec<_>, _>>()?;
        tx.commit().map_err(|e| DbError::from_message(e.to_string()))?;
        Ok(results)
    }
}

fn to_sqlite(value: &Value) -> rusqlite::types::Value {
    match value {
        Value::Null => rusqlite::types::Value::Null,
        Value::Integer(n) => rusqlite::types::Value::Integer(*n),
        Value::Text(t) => rusqlite::types::Value::Text(t.clone()),
    }
}

impl Database for Sqlite {
    async fn read(&self, statements: Vec<Statement>) -> Result<Vec<Rows>, DbError> {
        // A read changes nothing: SQLite's query_only pragma makes any write in it an error.
        self.conn.execute_batch("PRAGMA query_only = ON").expect("query_only on");
        let results = self.transaction(&statements);
        self.conn.execute_batch("PRAGMA query_only = OFF").expect("query_only off");
        results
    }

    async fn write(&self, statements: Vec<Statement>) -> Result<Vec<Rows>, DbError> {
        self.transaction(&statements)
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
}

/// A database where someone else runs `sql` just before PANDA's first write reaches it: after
/// everything the request read or checked up front.
pub struct MeddledBeforeTheWrite<'a> {
    pub db: &'a Sqlite,
    pub sql: &'a str,
    pub meddled: std::cell::Cell<bool>,
}

impl<'a> MeddledBeforeTheWrite<'a> {
    pub fn new(db: &'a Sqlite, sql: &'a str) -> Self {
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
    pub db: Sqlite,
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
        Self::with_db(Sqlite::migrated())
    }

    /// The API over a database already migrated (and perhaps filled) by the caller.
    pub fn with_db(db: Sqlite) -> Self {
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
