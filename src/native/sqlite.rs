//! The [`Database`] implementation for SQLite through rusqlite: the self-hosted server's default
//! store (a file) and the native tests' (in memory), on the schema `migrations/*.sql` builds, as
//! D1 has it.
//!
//! rusqlite answers synchronously, so a call never yields: a batch runs to its end before another
//! request on the same thread can start, and one connection per thread is enough.

use rusqlite::types::ValueRef;

use crate::domain::db::{Database, DbError, Rows, Statement, Value};

pub struct Sqlite {
    pub conn: rusqlite::Connection,
}

impl Sqlite {
    /// A database file (created if missing), in WAL mode so that readers never wait for the
    /// writer, with foreign keys enforced as D1 enforces them.
    pub fn open(path: &str) -> Result<Self, DbError> {
        let conn = rusqlite::Connection::open(path).map_err(failure)?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = NORMAL;
             PRAGMA foreign_keys = ON;
             PRAGMA busy_timeout = 5000;",
        )
        .map_err(failure)?;
        Ok(Self { conn })
    }

    /// An empty database in memory, with foreign keys on.
    pub fn in_memory() -> Self {
        let conn = rusqlite::Connection::open_in_memory().expect("open SQLite in memory");
        conn.execute_batch("PRAGMA foreign_keys = ON;").expect("enable foreign keys");
        Self { conn }
    }

    /// Applies, in file-name order, each file of `dir` (`migrations/`) not yet recorded in
    /// `d1_migrations`, the table wrangler keeps, so a database file works with both.
    pub fn migrate(&self, dir: &std::path::Path) -> Result<Vec<String>, String> {
        self.conn
            .execute_batch(
                "CREATE TABLE IF NOT EXISTS d1_migrations (
                     id INTEGER PRIMARY KEY AUTOINCREMENT,
                     name TEXT UNIQUE,
                     applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)",
            )
            .map_err(|e| e.to_string())?;
        let mut applied = Vec::new();
        for (name, sql) in super::migration_files(dir)? {
            let done: i64 = self
                .conn
                .query_row("SELECT count(*) FROM d1_migrations WHERE name = ?1", [&name], |row| row.get(0))
                .map_err(|e| e.to_string())?;
            if done > 0 {
                continue;
            }
            let tx = self.conn.unchecked_transaction().map_err(|e| e.to_string())?;
            tx.execute_batch(&sql).map_err(|e| format!("{name}: {e}"))?;
            tx.execute("INSERT INTO d1_migrations (name) VALUES (?1)", [&name]).map_err(|e| e.to_string())?;
            tx.commit().map_err(|e| e.to_string())?;
            applied.push(name);
        }
        Ok(applied)
    }

    /// Runs one statement; its rows come back as the JSON text D1 would hand over.
    fn run(&self, statement: &Statement) -> Result<Rows, DbError> {
        let mut stmt = self.conn.prepare_cached(&statement.sql).map_err(failure)?;
        let names: Vec<String> = stmt.column_names().into_iter().map(str::to_owned).collect();
        let mut rows =
            stmt.query(rusqlite::params_from_iter(statement.params.iter().map(to_sqlite))).map_err(failure)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(failure)? {
            let mut map = serde_json::Map::new();
            for (i, name) in names.iter().enumerate() {
                let value = match row.get_ref(i).map_err(failure)? {
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
        let tx = self.conn.unchecked_transaction().map_err(failure)?;
        let results = statements.iter().map(|s| self.run(s)).collect::<Result<Vec<_>, _>>()?;
        tx.commit().map_err(failure)?;
        Ok(results)
    }
}

fn failure(e: rusqlite::Error) -> DbError {
    DbError::from_message(e.to_string())
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
        self.conn.execute_batch("PRAGMA query_only = ON").map_err(failure)?;
        let results = self.transaction(&statements);
        self.conn.execute_batch("PRAGMA query_only = OFF").map_err(failure)?;
        results
    }

    async fn write(&self, statements: Vec<Statement>) -> Result<Vec<Rows>, DbError> {
        self.transaction(&statements)
    }

    fn dialect(&self) -> crate::domain::db::Dialect {
        crate::domain::db::Dialect::Sqlite
    }
}
