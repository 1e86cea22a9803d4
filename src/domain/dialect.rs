//! The only SQL the domain writes twice: what SQLite (D1) and PostgreSQL spell differently.
//!
//! Everything else is one text for both: numbered parameters (`?1`; the PostgreSQL
//! implementation renumbers them as `$1`), upserts as `ON CONFLICT ... DO UPDATE / DO NOTHING`,
//! row values, `RETURNING`, CTEs. What differs is reading a JSON parameter as rows (D1 takes at
//! most 100 parameters, so lists travel as one JSON array), building JSON, and turning day numbers
//! and instants into text. README, "How the domain stays portable", lists each difference and the
//! schema-side ones (triggers, types, collations) in `migrations/postgres/`.
//!
//! A [`Database`](super::db::Database) says which dialect it speaks; the worker only ever speaks
//! SQLite, so on wasm32 the PostgreSQL texts are not compiled in at all.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Dialect {
    #[default]
    Sqlite,
    #[cfg(not(target_arch = "wasm32"))]
    Postgres,
}

impl Dialect {
    /// A FROM item: each element of the JSON array `array` (a SQL expression holding its text),
    /// as text, in `{alias}.value`.
    pub fn each_text(self, array: &str, alias: &str) -> String {
        match self {
            Dialect::Sqlite => format!("json_each({array}) {alias}"),
            #[cfg(not(target_arch = "wasm32"))]
            Dialect::Postgres => format!("json_array_elements_text(CAST({array} AS json)) {alias}"),
        }
    }

    /// A FROM item: each element of the JSON array of objects `array`, in `{alias}.value`, for
    /// [`Dialect::member`] to read.
    pub fn each_object(self, array: &str, alias: &str) -> String {
        match self {
            Dialect::Sqlite => format!("json_each({array}) {alias}"),
            #[cfg(not(target_arch = "wasm32"))]
            Dialect::Postgres => format!("json_array_elements(CAST({array} AS json)) {alias}"),
        }
    }

    /// A FROM item: each member of the JSON object `object`, its name in `{alias}.key` and its
    /// value, for [`Dialect::member`], in `{alias}.value`.
    pub fn each_member(self, object: &str, alias: &str) -> String {
        match self {
            Dialect::Sqlite => format!("json_each({object}) {alias}"),
            #[cfg(not(target_arch = "wasm32"))]
            Dialect::Postgres => format!("json_each(CAST({object} AS json)) {alias}"),
        }
    }

    /// A FROM item: each element of the array held by member `key` of `object` (a value that
    /// [`Dialect::each_object`] or [`Dialect::each_member`] gave), as text, in `{alias}.value`.
    pub fn each_text_in(self, object: &str, key: &str, alias: &str) -> String {
        match self {
            Dialect::Sqlite => format!("json_each({object}, '$.{key}') {alias}"),
            #[cfg(not(target_arch = "wasm32"))]
            Dialect::Postgres => format!("json_array_elements_text({object} -> '{key}') {alias}"),
        }
    }

    /// Member `key` of `object`, as text.
    pub fn member(self, object: &str, key: &str) -> String {
        match self {
            Dialect::Sqlite => format!("json_extract({object}, '$.{key}')"),
            #[cfg(not(target_arch = "wasm32"))]
            Dialect::Postgres => format!("({object} ->> '{key}')"),
        }
    }

    /// Member `key` of `object`, as an integer.
    pub fn integer_member(self, object: &str, key: &str) -> String {
        match self {
            Dialect::Sqlite => format!("json_extract({object}, '$.{key}')"),
            #[cfg(not(target_arch = "wasm32"))]
            Dialect::Postgres => format!("CAST({object} ->> '{key}' AS BIGINT)"),
        }
    }

    /// The function that builds a JSON object from name, value, name, value, ... in that order.
    pub fn json_object(self) -> &'static str {
        match self {
            Dialect::Sqlite => "json_object",
            #[cfg(not(target_arch = "wasm32"))]
            Dialect::Postgres => "json_build_object",
        }
    }

    /// The JSON text `text` as a JSON value inside [`Dialect::json_object`] (not a string).
    pub fn json(self, text: &str) -> String {
        match self {
            Dialect::Sqlite => format!("json({text})"),
            #[cfg(not(target_arch = "wasm32"))]
            Dialect::Postgres => format!("CAST({text} AS json)"),
        }
    }

    /// Unix seconds as RFC 3339 in UTC: `2026-12-02T09:30:00+00:00`; NULL stays NULL.
    pub fn utc_timestamp(self, seconds: &str) -> String {
        match self {
            Dialect::Sqlite => format!("strftime('%Y-%m-%dT%H:%M:%S+00:00', {seconds}, 'unixepoch')"),
            #[cfg(not(target_arch = "wasm32"))]
            Dialect::Postgres => {
                format!("to_char(to_timestamp({seconds}) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"+00:00\"')")
            }
        }
    }

    /// The database's clock, in whole Unix seconds, rounded down as the API's clock is (a token
    /// issued in the same second as a password change must still count as after it).
    pub fn unix_now(self) -> &'static str {
        match self {
            Dialect::Sqlite => "CAST(strftime('%s', 'now') AS INTEGER)",
            #[cfg(not(target_arch = "wasm32"))]
            Dialect::Postgres => "CAST(floor(extract(epoch FROM now())) AS BIGINT)",
        }
    }

    /// A day counted from 1970-01-01 as `YYYY-MM-DD`.
    pub fn date_of_day(self, day: &str) -> String {
        match self {
            Dialect::Sqlite => format!("date(({day}) * 86400, 'unixepoch')"),
            #[cfg(not(target_arch = "wasm32"))]
            Dialect::Postgres => format!("to_char(DATE '1970-01-01' + CAST({day} AS INTEGER), 'YYYY-MM-DD')"),
        }
    }

    /// The first of the month a day counted from 1970-01-01 falls in, as `YYYY-MM-DD`.
    pub fn month_of_day(self, day: &str) -> String {
        match self {
            Dialect::Sqlite => format!("date(({day}) * 86400, 'unixepoch', 'start of month')"),
            #[cfg(not(target_arch = "wasm32"))]
            Dialect::Postgres => format!("to_char(DATE '1970-01-01' + CAST({day} AS INTEGER), 'YYYY-MM-\"01\"')"),
        }
    }
}
