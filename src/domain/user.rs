//! Staff accounts: the SQL a sign-in runs, and the SQL the admin tool (`npm run user:*`) hands to
//! `wrangler d1 execute`. (Every other request checks its account in `signed_in`.)

use serde::Deserialize;

use super::db::{read_one, Database, DbError, Results, Statement};
use super::invalid::Invalid;

/// Consecutive failures that lock an account, and for how long.
pub const MAX_FAILED_ATTEMPTS: i64 = 5;
pub const LOCK_SECONDS: i64 = 15 * 60;

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct StoredUser {
    pub id: i64,
    pub username: String,
    pub password_hash: String,
    pub credentials_changed_at: i64,
    pub failed_attempts: i64,
    pub locked_until: Option<i64>,
    #[serde(deserialize_with = "super::db::sql_bool")]
    pub disabled: bool,
}

impl StoredUser {
    /// Seconds until the lock ends, if the account is locked at `now`.
    pub fn locked_for(&self, now: i64) -> Option<i64> {
        self.locked_until.filter(|until| *until > now).map(|until| until - now)
    }
}

const COLUMNS: &str = "id, username, password_hash, credentials_changed_at, failed_attempts, locked_until, disabled";

pub async fn find_by_username(db: &impl Database, username: &str) -> Result<Option<StoredUser>, DbError> {
    read_one(db, Statement::new(format!("SELECT {COLUMNS} FROM users WHERE username = ?1")).bind(username))
        .await?
        .first()
}

/// Counts a failed login in one statement, so concurrent attempts on any isolate all count.
/// The fifth consecutive failure locks the account; a failure after an expired lock starts a
/// new count. `entry` (the audit trail's) is written in the same batch, after the count. Returns
/// when the account is now locked until, if it is.
pub async fn record_failure(db: &impl Database, id: i64, now: i64, entry: Statement) -> Result<Option<i64>, DbError> {
    #[derive(Deserialize)]
    struct Lock {
        locked_until: Option<i64>,
    }
    let statement = Statement::new(
        "UPDATE users
            SET failed_attempts = CASE WHEN locked_until <= ?2 THEN 1 ELSE failed_attempts + 1 END,
                locked_until = CASE
                    WHEN locked_until <= ?2 THEN NULL
                    WHEN failed_attempts + 1 >= ?3 THEN ?2 + ?4
                    ELSE locked_until
                END
          WHERE id = ?1
        RETURNING locked_until",
    )
    .bind(id)
    .bind(now)
    .bind(MAX_FAILED_ATTEMPTS)
    .bind(LOCK_SECONDS);
    let mut results = Results::new(db.write(vec![statement, entry]).await?);
    Ok(results.take(0)?.first::<Lock>()?.and_then(|lock| lock.locked_until))
}

/// Clears the failure count, if there is one, in the batch that writes `entry` (the audit trail's).
pub async fn record_success(db: &impl Database, id: i64, entry: Statement) -> Result<(), DbError> {
    let statement = Statement::new(
        "UPDATE users SET failed_attempts = 0, locked_until = NULL
          WHERE id = ?1 AND (failed_attempts <> 0 OR locked_until IS NOT NULL)",
    )
    .bind(id);
    db.write(vec![statement, entry]).await.map(|_| ())
}

/// Usernames: 1 to 64 ASCII letters, digits and `.`, `_`, `-`, `@`. Being ASCII, they compare
/// case-insensitively through SQLite's NOCASE, and need no escaping in SQL.
pub fn parse_username(input: &str) -> Result<String, Invalid> {
    let valid = (1..=64).contains(&input.len())
        && input.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'));
    if valid {
        Ok(input.to_owned())
    } else {
        Err(Invalid::new("username-format"))
    }
}

/// SQL for the admin tool. Each change returns the username it touched, so the tool can tell
/// "done" from "no such user" (wrangler's local D1 does not report changed rows). Values are
/// checked (a username) or made by PANDA (a PHC hash, whose alphabet has no quote), and quoted
/// anyway, so the text is safe to run as it is. [`admin::recorded`] wraps a change so that the audit
/// trail's triggers record it as the administrator's.
pub mod admin {
    use super::parse_username;
    use crate::domain::dialect::Dialect;
    use crate::domain::invalid::Invalid;

    fn quote(value: &str) -> String {
        format!("'{}'", value.replace('\'', "''"))
    }

    pub fn add(sql: Dialect, username: &str, password_hash: &str) -> Result<String, Invalid> {
        let username = parse_username(username)?;
        Ok(format!(
            "INSERT INTO users (username, password_hash, created_at, credentials_changed_at) \
             VALUES ({}, {}, {now}, {now}) RETURNING username;",
            quote(&username),
            quote(password_hash),
            now = sql.unix_now()
        ))
    }

    pub fn set_password(sql: Dialect, username: &str, password_hash: &str) -> Result<String, Invalid> {
        let username = parse_username(username)?;
        Ok(format!(
            "UPDATE users SET password_hash = {}, credentials_changed_at = {now}, failed_attempts = 0, \
             locked_until = NULL WHERE username = {} RETURNING username;",
            quote(password_hash),
            quote(&username),
            now = sql.unix_now()
        ))
    }

    pub fn set_disabled(username: &str, disabled: bool) -> Result<String, Invalid> {
        let username = parse_username(username)?;
        Ok(format!(
            "UPDATE users SET disabled = {} WHERE username = {} RETURNING username;",
            u8::from(disabled),
            quote(&username)
        ))
    }

    pub fn remove(username: &str) -> Result<String, Invalid> {
        let username = parse_username(username)?;
        Ok(format!("DELETE FROM users WHERE username = {} RETURNING username;", quote(&username)))
    }

    /// `change` between the statements that tell the audit trail who is acting (`admin:<name>`,
    /// `name` a username-like name, checked like one) and that forget it again: three statements,
    /// which `wrangler d1 execute` runs as one batch. The change is the second: its result says
    /// what it touched.
    pub fn recorded(sql: Dialect, admin: &str, action: &str, change: &str) -> Result<String, Invalid> {
        let admin = parse_username(admin)?;
        Ok(format!(
            "INSERT INTO audit_context (\"only\", at, actor, route) VALUES (1, {}, {}, {}) \
             ON CONFLICT (\"only\") DO UPDATE SET at = excluded.at, actor_id = NULL, actor = excluded.actor, \
             route = excluded.route, request_id = NULL;\n{change}\nDELETE FROM audit_context;",
            sql.unix_now(),
            quote(&format!("admin:{admin}")),
            quote(&format!("npm run user:{action}"))
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_short_ascii_words() {
        for good in ["alice", "a.b-c_d@nhs.net", "X"] {
            assert_eq!(parse_username(good).as_deref(), Ok(good));
        }
        for bad in ["", "al ice", "o'brien", "ålice", &"a".repeat(65), "a;DROP"] {
            assert_eq!(parse_username(bad).unwrap_err().code, "username-format", "{bad}");
        }
    }

    #[test]
    fn admin_sql_refuses_bad_usernames_before_building_any_sql() {
        assert!(
            admin::add(crate::domain::dialect::Dialect::Sqlite, "x'); DELETE FROM users; --", "$argon2id$x").is_err()
        );
        assert!(admin::remove("a b").is_err());
    }

    #[test]
    fn a_lock_is_only_in_force_before_its_end() {
        let user = StoredUser {
            id: 1,
            username: "a".into(),
            password_hash: String::new(),
            credentials_changed_at: 0,
            failed_attempts: 5,
            locked_until: Some(100),
            disabled: false,
        };
        assert_eq!(user.locked_for(40), Some(60));
        assert_eq!(user.locked_for(100), None);
    }
}
