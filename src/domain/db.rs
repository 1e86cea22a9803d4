//! The seam between the domain's SQL and whatever runs it.
//!
//! The domain writes plain SQLite-dialect SQL with numbered parameters (`?1`, `?2`, ...) and hands
//! it to a [`Database`]. In the worker that is D1 (`src/shell/d1.rs`); in native tests it is
//! rusqlite on a schema built from the same `migrations/*.sql` files. Another database would need
//! only another implementation of this trait (and SQL that its dialect accepts).
//!
//! Every call is one round trip. A call says whether it only reads or also writes, because the two
//! are guarded differently (see `domain::signed_in`) and a replicated database may serve reads
//! from a copy.

use serde::de::{DeserializeOwned, IgnoredAny};

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

/// The rows one statement returned: a JSON array of objects, column name to value, exactly as the
/// database handed it over. Rows are decoded once, straight into the record type that reads them;
/// in the worker that saves a conversion per column across the JavaScript boundary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rows(String);

impl Rows {
    /// From the JSON text of an array of row objects.
    pub fn from_json(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    /// What a statement without `RETURNING` gives back.
    pub fn none() -> Self {
        Self("[]".into())
    }

    pub fn json(&self) -> &str {
        &self.0
    }

    /// Every row, as `T`.
    pub fn decode<T: DeserializeOwned>(&self) -> Result<Vec<T>, DbError> {
        serde_json::from_str(&self.0).map_err(|e| DbError::Decode(e.to_string()))
    }

    /// The first row, if there is one, as `T`.
    pub fn first<T: DeserializeOwned>(&self) -> Result<Option<T>, DbError> {
        Ok(self.decode::<T>()?.into_iter().next())
    }

    pub fn len(&self) -> Result<usize, DbError> {
        Ok(self.decode::<IgnoredAny>()?.len())
    }

    pub fn is_empty(&self) -> Result<bool, DbError> {
        Ok(self.len()? == 0)
    }
}

/// Why the database refused or failed a statement. Constraint violations are told apart because
/// they are the client's doing (a duplicate id, an unknown patient), not the server's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DbError {
    #[error("unique constraint violated: {0}")]
    UniqueViolation(String),
    #[error("foreign key constraint violated: {0}")]
    ForeignKeyViolation(String),
    /// The account guard (`migrations/0005_account_guard.sql`) stopped a write: the signed-in
    /// account is disabled, removed, or has changed its password since the token was issued.
    #[error("the account guard refused the write")]
    AccountNotActive,
    /// The database could not be reached or failed for a reason of its own.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// A row did not have the shape the domain expected: a bug, never the client's fault.
    #[error("unexpected row shape: {0}")]
    Decode(String),
}

/// The name of the account guard's CHECK constraint, which SQLite puts in its error message.
pub const ACCOUNT_GUARD_CONSTRAINT: &str = "writes_need_an_active_account";

impl DbError {
    /// Classifies an error message from SQLite (D1 passes SQLite's text through, wrapped).
    pub fn from_message(message: impl Into<String>) -> Self {
        let message = message.into();
        if message.contains(ACCOUNT_GUARD_CONSTRAINT) {
            DbError::AccountNotActive
        } else if message.contains("UNIQUE constraint failed") {
            DbError::UniqueViolation(message)
        } else if message.contains("FOREIGN KEY constraint failed") {
            DbError::ForeignKeyViolation(message)
        } else {
            DbError::Unavailable(message)
        }
    }
}

// Workers run one request at a time per isolate on a single thread, so the futures need not be
// `Send`; the lint's advice does not apply here.
#[allow(async_fn_in_trait)]
pub trait Database {
    /// Runs statements that only read, in one round trip; they all see the same snapshot.
    /// Returns each statement's rows, in order.
    async fn read(&self, statements: Vec<Statement>) -> Result<Vec<Rows>, DbError>;

    /// Runs statements that write, as one atomic unit in one round trip: all of them take effect
    /// or none does. Returns each statement's rows (empty without `RETURNING`), in order.
    async fn write(&self, statements: Vec<Statement>) -> Result<Vec<Rows>, DbError>;
}

/// SQLite has no booleans: a flag column holds 0 or 1 (the schema's CHECK says which).
pub fn sql_bool<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    match <i64 as serde::Deserialize>::deserialize(deserializer)? {
        0 => Ok(false),
        1 => Ok(true),
        other => Err(serde::de::Error::custom(format!("{other} is not a flag (0 or 1)"))),
    }
}

/// Runs one reading statement and returns its rows.
pub async fn read_one(db: &impl Database, statement: Statement) -> Result<Rows, DbError> {
    db.read(vec![statement]).await?.pop().ok_or_else(|| DbError::Decode("no result for the statement".into()))
}

/// Runs one writing statement and returns its rows.
pub async fn write_one(db: &impl Database, statement: Statement) -> Result<Rows, DbError> {
    db.write(vec![statement]).await?.pop().ok_or_else(|| DbError::Decode("no result for the statement".into()))
}

/// The results of a batch, taken out by position: `results.take(2)` is the third statement's rows.
pub struct Results(Vec<Option<Rows>>);

impl Results {
    pub fn new(rows: Vec<Rows>) -> Self {
        Self(rows.into_iter().map(Some).collect())
    }

    pub fn take(&mut self, index: usize) -> Result<Rows, DbError> {
        self.0
            .get_mut(index)
            .and_then(Option::take)
            .ok_or_else(|| DbError::Decode(format!("the batch has no result {index}")))
    }
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
        assert_eq!(
            DbError::from_message(
                "D1_ERROR: CHECK constraint failed: writes_need_an_active_account: SQLITE_CONSTRAINT"
            ),
            DbError::AccountNotActive
        );
        assert!(matches!(DbError::from_message("D1_ERROR: no such table: x"), DbError::Unavailable(_)));
    }

    #[test]
    fn rows_decode_into_typed_records() {
        #[derive(serde::Deserialize)]
        struct One {
            n: i64,
        }
        let rows = Rows::from_json(r#"[{"n":7},{"n":8}]"#);
        assert_eq!(rows.decode::<One>().unwrap()[1].n, 8);
        assert_eq!(rows.first::<One>().unwrap().unwrap().n, 7);
        assert_eq!(rows.len(), Ok(2));
        assert_eq!(Rows::none().is_empty(), Ok(true));
        assert!(matches!(Rows::from_json(r#"[{"n":"x"}]"#).decode::<One>(), Err(DbError::Decode(_))));
    }
}
