//! The seam between the domain's SQL and whatever runs it.
//!
//! The domain writes plain SQLite-dialect SQL with numbered parameters (`?1`, `?2`, ...) and hands
//! it to a [`Database`]. In the worker that is D1 (`src/shell/d1.rs`); in native tests it is
//! rusqlite on a schema built from the same `migrations/*.sql` files. Another database would need
//! only another implementation of this trait (and SQL that its dialect accepts).

use serde::de::DeserializeOwned;

/// A value bound to a statement parameter. D1 passes numbers as JS doubles, so integers are kept
/// well inside ±2^53 by the schema (seconds since the epoch, minutes, small counters).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Integer(i64),
    Text(String),
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Integer(v)
    }
}

impl From<u32> for Value {
    fn from(v: u32) -> Self {
        Value::Integer(i64::from(v))
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_owned())
    }
}

impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

/// One SQL statement with its parameters, in order (`?1` is `params[0]`).
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub sql: String,
    pub params: Vec<Value>,
}

impl Statement {
    pub fn new(sql: impl Into<String>) -> Self {
        Self { sql: sql.into(), params: Vec::new() }
    }

    pub fn bind(mut self, value: impl Into<Value>) -> Self {
        self.params.push(value.into());
        self
    }
}

/// One result row, column name to value.
pub type Row = serde_json::Map<String, serde_json::Value>;

/// Why the database refused or failed a statement. Constraint violations are told apart because
/// they are the client's doing (a duplicate id, an unknown patient), not the server's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbError {
    UniqueViolation(String),
    ForeignKeyViolation(String),
    /// The database could not be reached or failed for a reason of its own.
    Unavailable(String),
    /// A row did not have the shape the domain expected: a bug, never the client's fault.
    Decode(String),
}

impl DbError {
    /// Classifies an error message from SQLite (D1 passes SQLite's text through, wrapped).
    pub fn from_message(message: impl Into<String>) -> Self {
        let message = message.into();
        if message.contains("UNIQUE constraint failed") {
            DbError::UniqueViolation(message)
        } else if message.contains("FOREIGN KEY constraint failed") {
            DbError::ForeignKeyViolation(message)
        } else {
            DbError::Unavailable(message)
        }
    }
}

impl std::fmt::Display for DbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DbError::UniqueViolation(m) => write!(f, "unique constraint violated: {m}"),
            DbError::ForeignKeyViolation(m) => write!(f, "foreign key constraint violated: {m}"),
            DbError::Unavailable(m) => write!(f, "database unavailable: {m}"),
            DbError::Decode(m) => write!(f, "unexpected row shape: {m}"),
        }
    }
}

// Workers run one request at a time per isolate on a single thread, so the futures need not be
// `Send`; the lint's advice does not apply here.
#[allow(async_fn_in_trait)]
pub trait Database {
    /// Runs one statement and returns its rows (empty for writes without `RETURNING`).
    async fn query(&self, statement: Statement) -> Result<Vec<Row>, DbError>;

    /// Runs statements as one atomic unit: all of them take effect or none does.
    async fn batch(&self, statements: Vec<Statement>) -> Result<Vec<Vec<Row>>, DbError>;
}

/// Turns rows into typed records.
pub fn decode<T: DeserializeOwned>(rows: Vec<Row>) -> Result<Vec<T>, DbError> {
    rows.into_iter()
        .map(|row| serde_json::from_value(serde_json::Value::Object(row)).map_err(|e| DbError::Decode(e.to_string())))
        .collect()
}

/// Runs one statement and decodes at most one row.
pub async fn query_one<T: DeserializeOwned>(db: &impl Database, statement: Statement) -> Result<Option<T>, DbError> {
    Ok(decode(db.query(statement).await?)?.into_iter().next())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_constraint_messages_are_told_apart() {
        assert!(matches!(
            DbError::from_message("D1_ERROR: UNIQUE constraint failed: patients.nhs_number: SQLITE_CONSTRAINT"),
            DbError::UniqueViolation(_)
        ));
        assert!(matches!(DbError::from_message("FOREIGN KEY constraint failed"), DbError::ForeignKeyViolation(_)));
        assert!(matches!(DbError::from_message("D1_ERROR: no such table: x"), DbError::Unavailable(_)));
    }

    #[test]
    fn rows_decode_into_typed_records() {
        #[derive(serde::Deserialize)]
        struct One {
            n: i64,
        }
        let mut row = Row::new();
        row.insert("n".into(), 7.into());
        assert_eq!(decode::<One>(vec![row]).unwrap()[0].n, 7);
    }
}
