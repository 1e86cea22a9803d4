//! Native test support: the domain's SQL on a real SQLite built from `migrations/*.sql`.
#![allow(dead_code)]

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use panda::domain::db::{Database, DbError, Row, Statement, Value};
use rusqlite::types::ValueRef;

/// An in-memory SQLite with every migration applied in file-name order, as wrangler applies them.
pub struct Sqlite {
    pub conn: rusqlite::Connection,
}

impl Sqlite {
    pub fn migrated() -> Self {
        let conn = rusqlite::Connection::open_in_memory().expect("open SQLite");
        // D1 enforces foreign keys; plain SQLite needs to be told.
        conn.execute_batch("PRAGMA foreign_keys = ON;").expect("enable foreign keys");
        let mut files: Vec<_> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations"))
            .expect("read migrations/")
            .map(|entry| entry.expect("migration entry").path())
            .filter(|path| path.extension().is_some_and(|e| e == "sql"))
            .collect();
        files.sort();
        for file in files {
            let sql = std::fs::read_to_string(&file).expect("read migration");
            conn.execute_batch(&sql).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        }
        Self { conn }
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

    fn run(&self, statement: &Statement) -> Result<Vec<Row>, DbError> {
        let mut stmt = self.conn.prepare(&statement.sql).map_err(|e| DbError::from_message(e.to_string()))?;
        let names: Vec<String> = stmt.column_names().into_iter().map(str::to_owned).collect();
        let mut rows = stmt
            .query(rusqlite::params_from_iter(statement.params.iter().map(to_sqlite)))
            .map_err(|e| DbError::from_message(e.to_string()))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(|e| DbError::from_message(e.to_string()))? {
            let mut map = Row::new();
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
            out.push(map);
        }
        Ok(out)
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
    async fn query(&self, statement: Statement) -> Result<Vec<Row>, DbError> {
        self.run(&statement)
    }

    async fn batch(&self, statements: Vec<Statement>) -> Result<Vec<Vec<Row>>, DbError> {
        let tx = self.conn.unchecked_transaction().map_err(|e| DbError::from_message(e.to_string()))?;
        let results = statements.iter().map(|s| self.run(s)).collect::<Result<Vec<_>, _>>()?;
        tx.commit().map_err(|e| DbError::from_message(e.to_string()))?;
        Ok(results)
    }
}

/// A database that is always down, for the 503 paths.
pub struct Unreachable;

impl Database for Unreachable {
    async fn query(&self, _: Statement) -> Result<Vec<Row>, DbError> {
        Err(DbError::Unavailable("connection refused".into()))
    }

    async fn batch(&self, _: Vec<Statement>) -> Result<Vec<Vec<Row>>, DbError> {
        Err(DbError::Unavailable("connection refused".into()))
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
