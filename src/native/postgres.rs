//! The [`Database`] implementation for PostgreSQL, on tokio-postgres.
//!
//! The domain's SQL reaches PostgreSQL as it is written, but for two mechanical steps: `?N`
//! becomes `$N`, and each parameter is encoded as the type PostgreSQL inferred for it (the domain
//! binds only integers, text and NULL; see [`Param`]). Rows come back as the same JSON text D1
//! hands over, so the domain decodes them the same way: integers as numbers (a `sum` arrives as
//! NUMERIC), text and JSON as strings, booleans as 0 or 1, as SQLite has them.

use std::cell::RefCell;
use std::collections::HashMap;
use std::error::Error as StdError;

use bytes::BytesMut;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::{FromSql, IsNull, ToSql, Type};
use tokio_postgres::{Client, NoTls};

use crate::domain::db::{Database, DbError, Dialect, Rows, Statement, Value, Violation, ACCOUNT_GUARD_CONSTRAINT};

/// Prepared statements kept per connection. The domain's texts are few, but searches build
/// theirs from the words given, so the cache is emptied when it grows past this.
const MAX_PREPARED: usize = 512;

/// One connection. It runs one request's calls at a time: a pool hands it out ([`Pool`]).
pub struct Postgres {
    client: Client,
    prepared: RefCell<HashMap<String, tokio_postgres::Statement>>,
}

impl Postgres {
    /// Connects to `url` (`postgres://user@host:port/db` or key=value pairs) and prepares the
    /// connection for PANDA (`panda_connect()`, `migrations/postgres`). The connection's I/O runs
    /// as a task of the current thread's tokio runtime, which must be inside a `LocalSet`.
    pub async fn connect(url: &str) -> Result<Self, DbError> {
        let (client, connection) = tokio_postgres::connect(url, NoTls).await.map_err(failure)?;
        tokio::task::spawn_local(async move {
            if let Err(e) = connection.await {
                eprintln!("{}", serde_json::json!({ "event": "postgres-connection-lost", "cause": e.to_string() }));
            }
        });
        let db = Self { client, prepared: RefCell::default() };
        db.client.batch_execute("SELECT panda_connect()").await.map_err(failure)?;
        Ok(db)
    }

    /// Connects without preparing for PANDA: for applying migrations to an empty database.
    pub async fn connect_bare(url: &str) -> Result<Client, DbError> {
        let (client, connection) = tokio_postgres::connect(url, NoTls).await.map_err(failure)?;
        tokio::task::spawn_local(async move {
            let _ = connection.await;
        });
        Ok(client)
    }

    pub fn is_closed(&self) -> bool {
        self.client.is_closed()
    }

    /// Runs SQL text of one or more statements as they are, without parameters: migrations,
    /// test setup, the admin tool.
    pub async fn execute_script(&self, sql: &str) -> Result<(), DbError> {
        self.client.batch_execute(sql).await.map_err(failure)
    }

    /// The rows of each statement of `sql` (text, no parameters), as simple-query text values.
    pub async fn simple_query(&self, sql: &str) -> Result<Vec<Vec<Vec<Option<String>>>>, DbError> {
        use tokio_postgres::SimpleQueryMessage;
        let mut results = vec![Vec::new()];
        for message in self.client.simple_query(sql).await.map_err(failure)? {
            match message {
                SimpleQueryMessage::Row(row) => {
                    let values = (0..row.len()).map(|i| row.get(i).map(str::to_owned)).collect();
                    results.last_mut().expect("at least one result").push(values);
                }
                SimpleQueryMessage::CommandComplete(_) => results.push(Vec::new()),
                _ => {}
            }
        }
        results.pop();
        Ok(results)
    }

    async fn prepare(&self, sql: &str) -> Result<tokio_postgres::Statement, DbError> {
        if let Some(statement) = self.prepared.borrow().get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.client.prepare(&numbered_parameters(sql)).await.map_err(failure)?;
        let mut prepared = self.prepared.borrow_mut();
        if prepared.len() >= MAX_PREPARED {
            prepared.clear();
        }
        prepared.insert(sql.to_owned(), statement.clone());
        Ok(statement)
    }

    async fn run(&self, statement: &Statement) -> Result<Rows, DbError> {
        let prepared = self.prepare(&statement.sql).await?;
        let params: Vec<Param<'_>> = statement.params.iter().map(Param).collect();
        let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
        let rows = self.client.query(&prepared, &refs).await.map_err(failure)?;
        rows_json(&rows)
    }

    /// Runs `statements` in one transaction (`begin` says which kind); a failure rolls it back.
    async fn transaction(&self, begin: &str, statements: &[Statement]) -> Result<Vec<Rows>, DbError> {
        if let [one] = statements {
            // One statement is a transaction of its own, and atomic at any isolation level.
            return Ok(vec![self.run(one).await?]);
        }
        self.client.batch_execute(begin).await.map_err(failure)?;
        let mut results = Vec::with_capacity(statements.len());
        for statement in statements {
            match self.run(statement).await {
                Ok(rows) => results.push(rows),
                Err(e) => {
                    // A connection that cannot even roll back is closed, and the pool drops it.
                    let _ = self.client.batch_execute("ROLLBACK").await;
                    return Err(e);
                }
            }
        }
        self.client.batch_execute("COMMIT").await.map_err(failure)?;
        Ok(results)
    }
}

impl Database for Postgres {
    async fn read(&self, statements: Vec<Statement>) -> Result<Vec<Rows>, DbError> {
        // One snapshot for all of them, as a D1 batch reads; READ ONLY refuses any write.
        self.transaction("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", &statements).await
    }

    async fn write(&self, statements: Vec<Statement>) -> Result<Vec<Rows>, DbError> {
        // READ COMMITTED, PostgreSQL's default. Every batch is written for D1, where nothing runs
        // between its statements, so each statement carries its own conditions (the account
        // guard, `PATCH_APPLIES`, `ON CONFLICT`) and none relies on what an earlier one read; under
        // READ COMMITTED a statement re-checks them on the row as it is when it takes its lock, so
        // no update is lost. SERIALIZABLE would add nothing but failures: thirty bookings at once
        // all count into one row of appointment_day_counts, and most had to be tried again and
        // again (tests/e2e/concurrency.test.mjs). A batch rolled back for a deadlock is run again
        // (it has no effect outside its transaction); after a few, it is reported unavailable.
        let mut attempt = 1;
        loop {
            match self.transaction("BEGIN", &statements).await {
                Err(DbError::Unavailable(cause))
                    if cause.starts_with(SERIALIZATION_FAILURE) && attempt < WRITE_ATTEMPTS =>
                {
                    attempt += 1;
                }
                outcome => return outcome,
            }
        }
    }

    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }
}

/// How often a write batch is tried when concurrent transactions keep overtaking it.
const WRITE_ATTEMPTS: u32 = 5;

/// The SQLSTATE class of a transaction rolled back for others' sake: not serialisable with them
/// (40001), or a deadlock (40P01).
const SERIALIZATION_FAILURE: &str = "40";

/// Connections for the requests of one thread, opened as needed and kept for the next request.
pub struct Pool {
    url: String,
    idle: RefCell<Vec<Postgres>>,
}

impl Pool {
    pub fn new(url: impl Into<String>) -> Self {
        Self { url: url.into(), idle: RefCell::default() }
    }

    pub async fn get(&self) -> Result<Pooled<'_>, DbError> {
        let idle = self.idle.borrow_mut().pop();
        let connection = match idle {
            Some(connection) if !connection.is_closed() => connection,
            _ => Postgres::connect(&self.url).await?,
        };
        Ok(Pooled { pool: self, connection: Some(connection) })
    }
}

/// A connection out of the pool for one request; it goes back when dropped, unless it broke.
pub struct Pooled<'a> {
    pool: &'a Pool,
    connection: Option<Postgres>,
}

impl std::ops::Deref for Pooled<'_> {
    type Target = Postgres;

    fn deref(&self) -> &Postgres {
        self.connection.as_ref().expect("present until dropped")
    }
}

impl Drop for Pooled<'_> {
    fn drop(&mut self) {
        if let Some(connection) = self.connection.take().filter(|c| !c.is_closed()) {
            self.pool.idle.borrow_mut().push(connection);
        }
    }
}

impl Database for Pooled<'_> {
    async fn read(&self, statements: Vec<Statement>) -> Result<Vec<Rows>, DbError> {
        (**self).read(statements).await
    }

    async fn write(&self, statements: Vec<Statement>) -> Result<Vec<Rows>, DbError> {
        (**self).write(statements).await
    }

    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }
}

/// `?12` becomes `$12`, outside quoted text, identifiers and `--` comments.
pub fn numbered_parameters(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut quote = None;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (None, '-') if chars.peek() == Some(&'-') => quote = Some('\n'),
            (None, '\'' | '"') => quote = Some(c),
            (Some(open), _) if c == open => quote = None,
            (None, '?') if chars.peek().is_some_and(char::is_ascii_digit) => {
                out.push('$');
                continue;
            }
            _ => {}
        }
        out.push(c);
    }
    out
}

/// A bound value, encoded as the type PostgreSQL inferred for its parameter: SQLite has one
/// integer type and one text type, PostgreSQL several of each.
#[derive(Debug)]
struct Param<'a>(&'a Value);

impl ToSql for Param<'_> {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, Box<dyn StdError + Sync + Send>> {
        match self.0 {
            Value::Null => Ok(IsNull::Yes),
            Value::Integer(n) => match *ty {
                Type::INT8 => n.to_sql(ty, out),
                Type::INT4 => i32::try_from(*n)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*n)?.to_sql(ty, out),
                Type::FLOAT8 => (*n as f64).to_sql(ty, out),
                Type::BOOL => (*n != 0).to_sql(ty, out),
                _ => n.to_string().as_str().to_sql(&Type::TEXT, out),
            },
            Value::Text(text) => match *ty {
                Type::JSON => {
                    out.extend_from_slice(text.as_bytes());
                    Ok(IsNull::No)
                }
                Type::JSONB => {
                    out.extend_from_slice(&[1]);
                    out.extend_from_slice(text.as_bytes());
                    Ok(IsNull::No)
                }
                Type::INT8 => text.parse::<i64>()?.to_sql(ty, out),
                _ => text.as_str().to_sql(&Type::TEXT, out),
            },
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    tokio_postgres::types::to_sql_checked!();
}

/// A column's value as it came over the wire, for [`rows_json`] to read by its type.
struct Raw<'a>(Option<&'a [u8]>);

impl<'a> FromSql<'a> for Raw<'a> {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Self, Box<dyn StdError + Sync + Send>> {
        Ok(Raw(Some(raw)))
    }

    fn from_sql_null(_: &Type) -> Result<Self, Box<dyn StdError + Sync + Send>> {
        Ok(Raw(None))
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

fn rows_json(rows: &[tokio_postgres::Row]) -> Result<Rows, DbError> {
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let mut object = serde_json::Map::new();
        for (i, column) in row.columns().iter().enumerate() {
            let Raw(raw) = row.try_get::<_, Raw<'_>>(i).map_err(|e| DbError::Decode(e.to_string()))?;
            let value = match raw {
                None => serde_json::Value::Null,
                Some(bytes) => column_json(column.type_(), bytes)
                    .map_err(|e| DbError::Decode(format!("column {} ({}): {e}", column.name(), column.type_())))?,
            };
            object.insert(column.name().to_owned(), value);
        }
        out.push(serde_json::Value::Object(object));
    }
    Ok(Rows::from_json(serde_json::Value::Array(out).to_string()))
}

fn column_json(ty: &Type, bytes: &[u8]) -> Result<serde_json::Value, Box<dyn StdError + Sync + Send>> {
    Ok(match *ty {
        Type::INT8 => i64::from_sql(ty, bytes)?.into(),
        Type::INT4 => i32::from_sql(ty, bytes)?.into(),
        Type::INT2 => i16::from_sql(ty, bytes)?.into(),
        Type::FLOAT8 => f64::from_sql(ty, bytes)?.into(),
        Type::FLOAT4 => f32::from_sql(ty, bytes)?.into(),
        Type::BOOL => i64::from(bool::from_sql(ty, bytes)?).into(),
        Type::NUMERIC => numeric(bytes)?,
        Type::JSON => String::from_utf8(bytes.to_vec())?.into(),
        Type::JSONB => String::from_utf8(bytes.get(1..).unwrap_or_default().to_vec())?.into(),
        _ => <&str>::from_sql(&Type::TEXT, bytes)?.into(),
    })
}

/// PostgreSQL's binary NUMERIC: base-10000 digits with a weight. What the domain's sums and counts
/// give is whole, so a whole value becomes an integer and anything else a float.
fn numeric(bytes: &[u8]) -> Result<serde_json::Value, Box<dyn StdError + Sync + Send>> {
    let word = |i: usize| -> Result<u16, Box<dyn StdError + Sync + Send>> {
        let pair = bytes.get(i * 2..i * 2 + 2).ok_or("short NUMERIC")?;
        Ok(u16::from_be_bytes([pair[0], pair[1]]))
    };
    let (digits, weight, sign, scale) = (word(0)?, word(1)? as i16, word(2)?, word(3)?);
    if sign == 0xC000 {
        return Err("NaN".into());
    }
    let mut value = 0f64;
    let mut whole: Option<i64> = Some(0);
    for i in 0..usize::from(digits) {
        let digit = word(4 + i)?;
        let power = i32::from(weight) - i32::try_from(i)?;
        value += f64::from(digit) * 10000f64.powi(power);
        whole = match (whole, u32::try_from(power)) {
            (Some(w), Ok(p)) => {
                10000i64.checked_pow(p).and_then(|m| m.checked_mul(i64::from(digit))).and_then(|d| w.checked_add(d))
            }
            (w, Err(_)) if digit == 0 => w,
            _ => None,
        };
    }
    let negative = sign == 0x4000;
    Ok(match whole {
        Some(w) if scale == 0 || value.fract() == 0.0 => (if negative { -w } else { w }).into(),
        _ => (if negative { -value } else { value }).into(),
    })
}

/// PostgreSQL's errors sorted as [`DbError`] sorts SQLite's: constraints by what they name,
/// lost connections and overload as unavailable, the rest as failures.
fn failure(error: tokio_postgres::Error) -> DbError {
    let Some(db) = error.as_db_error() else {
        // No answer from the server: the connection broke or could not be made.
        return DbError::Unavailable(error.to_string());
    };
    let table = db.table().unwrap_or("?");
    let code = db.code();
    let violation = if *code == SqlState::UNIQUE_VIOLATION {
        // "Key (word, nhs_number)=(...) already exists.": the columns, never the values.
        let columns = db
            .detail()
            .and_then(|d| d.strip_prefix("Key ("))
            .and_then(|d| d.split_once(")=").map(|(columns, _)| columns))
            .unwrap_or("?");
        let target: Vec<String> = columns.split(", ").map(|column| format!("{table}.{column}")).collect();
        Some(Violation::Unique(target.join(", ")))
    } else if *code == SqlState::NOT_NULL_VIOLATION {
        Some(Violation::NotNull(format!("{table}.{}", db.column().unwrap_or("?"))))
    } else if *code == SqlState::CHECK_VIOLATION {
        let name = db.constraint().unwrap_or("?");
        if name == ACCOUNT_GUARD_CONSTRAINT {
            return DbError::AccountNotActive;
        }
        Some(Violation::Check(name.to_owned()))
    } else if *code == SqlState::FOREIGN_KEY_VIOLATION {
        Some(Violation::ForeignKey)
    } else {
        None
    };
    if let Some(violation) = violation {
        return DbError::Constraint(violation);
    }
    let class = &code.code()[..2];
    let retry = matches!(class, "08" | "53" | "57" | "58")
        || [SqlState::T_R_SERIALIZATION_FAILURE, SqlState::T_R_DEADLOCK_DETECTED].contains(code);
    // The message without the detail, which may quote a value.
    let message = format!("{}: {}", code.code(), db.message());
    if retry {
        DbError::Unavailable(message)
    } else {
        DbError::Failed(message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_parameters_become_dollar_parameters_outside_quotes() {
        assert_eq!(
            numbered_parameters("a = ?1 AND b = ?12 AND c = '?3' AND \"?4\""),
            "a = $1 AND b = $12 AND c = '?3' AND \"?4\""
        );
        assert_eq!(numbered_parameters("x ? y"), "x ? y");
        assert_eq!(numbered_parameters("-- SQLite's order\n?1 - ?2 -- ?3\n"), "-- SQLite's order\n$1 - $2 -- ?3\n");
    }

    #[test]
    fn numerics_read_as_integers_when_whole() {
        // 12345678 = 1234 * 10000 + 5678: two digits, weight 1.
        let bytes = [0, 2, 0, 1, 0, 0, 0, 0, 0x04, 0xD2, 0x16, 0x2E];
        assert_eq!(numeric(&bytes).unwrap(), serde_json::json!(12_345_678));
        // -7 and 0.
        assert_eq!(numeric(&[0, 1, 0, 0, 0x40, 0, 0, 0, 0, 7]).unwrap(), serde_json::json!(-7));
        assert_eq!(numeric(&[0, 0, 0, 0, 0, 0, 0, 0]).unwrap(), serde_json::json!(0));
        // 20000 = 2 * 10000^1, one digit with weight 1.
        assert_eq!(numeric(&[0, 1, 0, 1, 0, 0, 0, 0, 0, 2]).unwrap(), serde_json::json!(20_000));
    }
}
