//! The seam between the domain's SQL and whatever runs it.
//!
//! The domain writes SQL with numbered parameters (`?1`, `?2`, ...) and hands it to a
//! [`Database`]. In the worker that is D1 (`src/shell/d1.rs`); natively it is SQLite or PostgreSQL
//! (`src/native`), on schemas built from `migrations/*.sql` and `migrations/postgres/*.sql`. The few
//! texts the two dialects spell differently are in `domain::dialect`, chosen by
//! [`Database::dialect`].
//!
//! Every call is one round trip. A call says whether it only reads or also writes, because the two
//! are guarded differently (see `domain::signed_in`) and a replicated database may serve reads
//! from a copy. The calls of one request run in one session ([`Start`]): each sees at least what
//! the one before it saw, and the session's bookmark lets the client's next request carry on.

use serde::de::{DeserializeOwned, IgnoredAny};

pub use super::dialect::Dialect;

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

    /// Every row, as `T`. A failure says where and what kind, never the value it found: that may
    /// be a patient's (serde's own message would quote it).
    pub fn decode<T: DeserializeOwned>(&self) -> Result<Vec<T>, DbError> {
        serde_json::from_str(&self.0).map_err(|e| {
            DbError::Decode(format!("{:?} error at line {} column {}", e.classify(), e.line(), e.column()))
        })
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

/// Why the database refused or failed a statement, sorted by what the caller can do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DbError {
    /// A constraint of the schema refused the change. Whether that is the client's doing (a
    /// duplicate id, an unknown patient) is for the caller to say, by the constraint's target
    /// ([`DbError::violates`]). One that no caller expected is a bug.
    #[error("{0}")]
    Constraint(Violation),
    /// The account guard (`audit_context`, `migrations/0010_audit_trail.sql`) stopped a write: the signed-in
    /// account is disabled, removed, or has changed its password since the token was issued.
    #[error("the account guard refused the write")]
    AccountNotActive,
    /// The database is out of reach, overloaded, restarting or timed out: the same request may
    /// succeed later. Only the messages in [`UNAVAILABLE`] mean this.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// The database refused the bookmark the client sent back (see [`Start::After`]): the
    /// client's to correct, never a fault of the server.
    #[error("the database refused the bookmark: {0}")]
    BookmarkRefused(String),
    /// Anything else the database reports: SQL the schema does not accept, a type mismatch, a
    /// missing binding. A bug or a broken deployment, never the client's to retry.
    #[error("database failure: {0}")]
    Failed(String),
    /// A row did not have the shape the domain expected: a bug, never the client's fault.
    #[error("unexpected row shape: {0}")]
    Decode(String),
}

/// A constraint violation, with the target the database names in its message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Violation {
    /// `table.column` (or `table.a, table.b` for a key of several columns).
    #[error("UNIQUE constraint failed: {0}")]
    Unique(String),
    /// `table.column`.
    #[error("NOT NULL constraint failed: {0}")]
    NotNull(String),
    /// The constraint's name, or its expression when it has none.
    #[error("CHECK constraint failed: {0}")]
    Check(String),
    /// SQLite never says which foreign key failed (PostgreSQL would name the constraint), so a
    /// caller matches this only for a statement with a single foreign key.
    #[error("FOREIGN KEY constraint failed")]
    ForeignKey,
}

/// A constraint a caller expects a statement may break, named as the schema names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Constraint {
    /// `Unique("patients", "nhs_number")`.
    Unique(&'static str, &'static str),
    /// The statement's one foreign key (see [`Violation::ForeignKey`]).
    ForeignKey,
}

impl Constraint {
    pub fn is(self, violation: &Violation) -> bool {
        match (self, violation) {
            (Constraint::Unique(table, column), Violation::Unique(target)) => {
                target.split_once('.') == Some((table, column))
            }
            (Constraint::ForeignKey, Violation::ForeignKey) => true,
            _ => false,
        }
    }
}

/// The name of the account guard's CHECK constraint, which SQLite puts in its error message.
pub const ACCOUNT_GUARD_CONSTRAINT: &str = "writes_need_an_active_account";

/// The messages that mean the database is unavailable rather than the statement wrong: D1's
/// list of errors (developers.cloudflare.com/d1/observability/debug-d1, "List of D1_ERRORs"), the
/// runtime's own "internal error; reference = ...", and SQLite's busy database, which a retry
/// clears. D1's "Exceeded maximum DB size" is here too: no write can succeed until an operator
/// acts, which is what 503 says; the log line tells the operator.
pub const UNAVAILABLE: &[&str] = &[
    "D1 DB reset because its code was updated",
    "storage caused object to be reset",
    "Network connection lost",
    "Cannot resolve D1 DB due to transient issue on remote node",
    "Can't read from request stream because client disconnected",
    "D1 DB storage operation exceeded timeout",
    "D1 DB is overloaded",
    "D1 DB's isolate exceeded its memory limit",
    "D1 DB exceeded its CPU time limit",
    "Replica disconnected from primary",
    "Exceeded maximum DB size",
    "internal error; reference =",
    "database is locked",
    "SQLITE_BUSY",
];

impl DbError {
    /// Whether this is a violation of `constraint`: how a caller turns the violations it expects
    /// into what they mean (as realworld-axum-sqlx's `on_constraint` does) and leaves the rest be.
    pub fn violates(&self, constraint: Constraint) -> bool {
        matches!(self, DbError::Constraint(violation) if constraint.is(violation))
    }

    /// Classifies an error message from SQLite, which D1 passes through with a prefix and a
    /// suffix of its own (`D1_ERROR: UNIQUE constraint failed: patients.nhs_number:
    /// SQLITE_CONSTRAINT`). What is neither a constraint nor in [`UNAVAILABLE`] is a failure.
    pub fn from_message(message: impl Into<String>) -> Self {
        let message = message.into();
        if let Some(violation) = violation(&message) {
            return match violation {
                Violation::Check(name) if name == ACCOUNT_GUARD_CONSTRAINT => DbError::AccountNotActive,
                violation => DbError::Constraint(violation),
            };
        }
        // The messages are ASCII; ASCII lowercasing keeps Unicode's case tables out of this path.
        let lowercase = message.to_ascii_lowercase();
        if UNAVAILABLE.iter().any(|known| lowercase.contains(&known.to_ascii_lowercase())) {
            DbError::Unavailable(message)
        // D1 does not document how it refuses a bookmark; whatever it says names one (the runtime's
        // own "D1_SESSION_ERROR: invalid bookmark or constraint" does), and no table here does.
        } else if lowercase.contains("bookmark") {
            DbError::BookmarkRefused(message)
        } else {
            DbError::Failed(message)
        }
    }
}

/// The violation a SQLite message reports, with its target up to D1's `: SQLITE_...` suffix.
fn violation(message: &str) -> Option<Violation> {
    if message.contains("FOREIGN KEY constraint failed") {
        return Some(Violation::ForeignKey);
    }
    let target = |kind: &str| {
        let (_, rest) = message.split_once(kind)?;
        let target = rest.split(": SQLITE_").next().unwrap_or(rest).trim();
        Some(target.to_owned())
    };
    None.or_else(|| target("UNIQUE constraint failed: ").map(Violation::Unique))
        .or_else(|| target("NOT NULL constraint failed: ").map(Violation::NotNull))
        .or_else(|| target("CHECK constraint failed: ").map(Violation::Check))
}

/// Where a request's session starts on a database with read replicas (D1's Sessions API). Writes
/// always go to the primary; this says which copy may answer the first read, and every later call
/// of the session sees at least what that one saw. A database with one copy ignores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Start {
    /// The nearest copy for a first read (it may lag), the primary for a first write.
    Nearest,
    /// A copy at least as new as this bookmark: one the database gave out with an earlier answer,
    /// so the client reads its own writes. Checked by [`is_bookmark`] before it gets here.
    After(String),
    /// The primary: the newest data, the account check included, wherever the client is.
    Primary,
}

/// Whether `text` has the form of a D1 bookmark: groups of lowercase hex digits joined by hyphens
/// (`00000001-00000002-00004e2f-0a83ea2fceebc654de0640c422be4653`), at most 128 characters. Loose
/// on the number and length of groups, so a longer form from a later D1 still passes; whether it
/// names a state of this database is for D1 to say ([`DbError::BookmarkRefused`]).
pub fn is_bookmark(text: &str) -> bool {
    text.len() <= 128
        && text
            .split('-')
            .all(|group| !group.is_empty() && group.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
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

    /// The SQL dialect the database speaks. A wrapper passes on its inner database's. No default:
    /// a wrapper that forgot would speak SQLite to PostgreSQL.
    fn dialect(&self) -> Dialect;

    /// Says where the calls that follow start their session. Called before the first call;
    /// without it, every call goes to the primary (the cron sweep, the deferred view entries).
    fn start(&self, _from: Start) {}

    /// The session's bookmark after its calls, for the client to send back; `None` before any
    /// call, and for a database without replicas.
    fn bookmark(&self) -> Option<String> {
        None
    }
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
    fn constraint_violations_are_read_with_their_target() {
        assert_eq!(
            DbError::from_message("D1_ERROR: UNIQUE constraint failed: patients.nhs_number: SQLITE_CONSTRAINT"),
            DbError::Constraint(Violation::Unique("patients.nhs_number".into()))
        );
        assert_eq!(
            DbError::from_message("NOT NULL constraint failed: appointments.clinician_id"),
            DbError::Constraint(Violation::NotNull("appointments.clinician_id".into()))
        );
        assert_eq!(DbError::from_message("FOREIGN KEY constraint failed"), DbError::Constraint(Violation::ForeignKey));
        assert_eq!(
            DbError::from_message(
                "D1_ERROR: CHECK constraint failed: writes_need_an_active_account: SQLITE_CONSTRAINT"
            ),
            DbError::AccountNotActive
        );
    }

    #[test]
    fn a_unique_violation_matches_only_its_own_table_and_column() {
        let taken = Violation::Unique("patients.nhs_number".into());
        assert!(Constraint::Unique("patients", "nhs_number").is(&taken));
        assert!(!Constraint::Unique("appointments", "id").is(&taken));
        assert!(!Constraint::Unique("patients", "nhs").is(&taken));
        assert!(!Constraint::ForeignKey.is(&taken));
        let pair = Violation::Unique("t.a, t.b".into());
        assert!(!Constraint::Unique("t", "a").is(&pair));
    }

    #[test]
    fn only_a_constraint_violation_violates_a_constraint() {
        let taken = DbError::Constraint(Violation::Unique("patients.nhs_number".into()));
        assert!(taken.violates(Constraint::Unique("patients", "nhs_number")));
        assert!(!DbError::Failed("UNIQUE constraint failed: patients.nhs_number".into())
            .violates(Constraint::Unique("patients", "nhs_number")));
        assert!(!DbError::AccountNotActive.violates(Constraint::ForeignKey));
    }

    #[test]
    fn d1s_unavailability_messages_are_unavailable() {
        for message in [
            "D1_ERROR: D1 DB reset because its code was updated.",
            "D1_ERROR: Internal error while starting up D1 DB storage caused object to be reset.",
            "D1_ERROR: Network connection lost.",
            "D1_ERROR: Internal error in D1 DB storage caused object to be reset.",
            "D1_ERROR: Cannot resolve D1 DB due to transient issue on remote node.",
            "D1_ERROR: Can't read from request stream because client disconnected.",
            "D1_ERROR: D1 DB storage operation exceeded timeout which caused object to be reset.",
            "D1_ERROR: D1 DB is overloaded. Requests queued for too long.",
            "D1_ERROR: D1 DB is overloaded. Too many requests queued.",
            "D1_ERROR: D1 DB's isolate exceeded its memory limit and was reset.",
            "D1_ERROR: D1 DB exceeded its CPU time limit and was reset.",
            "D1_ERROR: Exceeded maximum DB size.",
            "D1_ERROR: internal error; reference = 4g5mg5npu939v89t62h451km",
            "database is locked",
        ] {
            assert!(matches!(DbError::from_message(message), DbError::Unavailable(_)), "{message}");
        }
    }

    #[test]
    fn a_bookmark_has_d1s_form_of_hex_groups_and_nothing_else_does() {
        assert!(is_bookmark("00000001-00000002-00004e2f-0a83ea2fceebc654de0640c422be4653"));
        assert!(is_bookmark("0000000a-00000001"), "a form with other groups still passes");
        for text in [
            "",
            "first-primary",
            "first-unconstrained",
            "00000001--00000002",
            "-00000001",
            "00000001-",
            "0000000A-00000001",
            "00000001 00000002",
            "00000001-00000002\r\nx-other: 1",
            &"0".repeat(129),
        ] {
            assert!(!is_bookmark(text), "{text:?}");
        }
    }

    #[test]
    fn a_refused_bookmark_is_the_clients_and_a_timeout_is_still_unavailability() {
        assert_eq!(
            DbError::from_message("D1_SESSION_ERROR: invalid bookmark or constraint"),
            DbError::BookmarkRefused("D1_SESSION_ERROR: invalid bookmark or constraint".into())
        );
        assert!(matches!(
            DbError::from_message("D1_ERROR: D1 DB storage operation exceeded timeout waiting for bookmark"),
            DbError::Unavailable(_)
        ));
    }

    #[test]
    fn sql_and_schema_errors_are_failures_not_unavailability() {
        for message in [
            "D1_ERROR: no such table: x: SQLITE_ERROR",
            "D1_ERROR: no such column: nhs: SQLITE_ERROR",
            "D1_ERROR: near \"SELEC\": syntax error at offset 0: SQLITE_ERROR",
            "D1_TYPE_ERROR: Type 'undefined' not supported for value 'undefined'",
            "D1_COLUMN_NOTFOUND",
            "D1_ERROR: too many SQL variables at offset 10: SQLITE_ERROR",
            "D1 binding DB: Binding `DB` is undefined.",
        ] {
            assert!(matches!(DbError::from_message(message), DbError::Failed(_)), "{message}");
        }
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
