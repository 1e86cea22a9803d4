//! One structured line per request for the operator's log, and the request id that ties it to the
//! answer the client got.
//!
//! The line never holds a patient's details. It names the route by its template
//! (`/v1/patients/{nhs_number}`), never the path, which holds NHS numbers; it has no query, body or
//! header value; and a failure's cause is the database's or the code's own words, which name
//! tables, columns and codes but never a value (see `domain::error`).

use std::cell::Cell;

use crate::domain::db::{Database, DbError, Rows, Start, Statement};
use crate::domain::uuid;

/// The header a request id travels in, both ways.
pub const HEADER: &str = "x-request-id";

/// The request's id: the client's `X-Request-ID` when it is a UUID (so a frontend can quote its
/// own id to support), a new random one otherwise. Lowercase, hyphenated.
pub fn request_id(from_client: Option<&str>) -> String {
    from_client
        .and_then(|value| uuid::parse_hyphenated(value.trim()))
        .or_else(|| uuid::new_v4().ok())
        // Without randomness the request is still answered; its line is then told apart by time.
        .unwrap_or_else(|| "00000000-0000-4000-8000-000000000000".to_owned())
}

/// What the operator's log line says about one request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestLog {
    pub request_id: String,
    /// The method when it is one HTTP defines, `other` otherwise (it is the client's text).
    pub method: &'static str,
    /// The route's template, or none when no route matched.
    pub route: Option<&'static str>,
    pub status: u16,
    /// Round trips to the database while answering.
    pub db_round_trips: u32,
    /// The problem's `code`, for an answer that is a problem.
    pub problem: Option<&'static str>,
    /// Why the server failed (5xx only): for the operator, never sent to the client.
    pub cause: Option<String>,
}

impl RequestLog {
    /// The JSON line, with the time the request took as the runtime measured it.
    pub fn line(&self, duration_ms: u64) -> String {
        // Written out by hand: a derived serialiser for this one line costs kilobytes of wasm. Every
        // value but the cause is PANDA's own (a UUID, a method, a template, a code), so only the
        // cause needs JSON's escaping.
        let text = |value: Option<&str>| value.map_or("null".to_owned(), |v| format!("\"{v}\""));
        let mut line = format!(
            "{{\"request_id\":\"{}\",\"method\":\"{}\",\"route\":{},\"status\":{},\"db_round_trips\":{}",
            self.request_id,
            self.method,
            text(self.route),
            self.status,
            self.db_round_trips
        );
        if let Some(problem) = self.problem {
            line.push_str(&format!(",\"problem\":\"{problem}\""));
        }
        if let Some(cause) = &self.cause {
            line.push_str(",\"cause\":");
            line.push_str(&serde_json::Value::from(cause.as_str()).to_string());
        }
        line.push_str(&format!(",\"duration_ms\":{duration_ms}}}"));
        line
    }

    pub fn is_server_error(&self) -> bool {
        self.status >= 500
    }
}

/// The methods a line names as they are; anything else is `other`.
pub fn method_name(method: &str) -> &'static str {
    const KNOWN: &[&str] = &["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT", "TRACE"];
    KNOWN.iter().find(|known| **known == method).copied().unwrap_or("other")
}

/// Counts the round trips a request makes, passing every call on to `db`.
pub struct RoundTrips<'a, D> {
    db: &'a D,
    count: Cell<u32>,
}

impl<'a, D: Database> RoundTrips<'a, D> {
    pub fn new(db: &'a D) -> Self {
        Self { db, count: Cell::new(0) }
    }

    pub fn count(&self) -> u32 {
        self.count.get()
    }
}

impl<D: Database> Database for RoundTrips<'_, D> {
    async fn read(&self, statements: Vec<Statement>) -> Result<Vec<Rows>, DbError> {
        self.count.set(self.count.get() + 1);
        self.db.read(statements).await
    }

    async fn write(&self, statements: Vec<Statement>) -> Result<Vec<Rows>, DbError> {
        self.count.set(self.count.get() + 1);
        self.db.write(statements).await
    }

    fn dialect(&self) -> crate::domain::db::Dialect {
        self.db.dialect()
    }

    fn start(&self, from: Start) {
        self.db.start(from);
    }

    fn bookmark(&self) -> Option<String> {
        self.db.bookmark()
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn a_client_uuid_is_kept_and_anything_else_replaced() {
        assert_eq!(request_id(Some("6F9619FF-8B86-4011-B42D-00C04FC964FF")), "6f9619ff-8b86-4011-b42d-00c04fc964ff");
        let made = request_id(Some("9434765919"));
        assert_ne!(made, "9434765919");
        assert_eq!(uuid::parse_hyphenated(&made), Some(made.clone()));
        assert_ne!(request_id(None), request_id(None));
    }

    #[test]
    fn the_line_is_one_json_object_with_the_duration() {
        let log = RequestLog {
            request_id: "6f9619ff-8b86-4011-b42d-00c04fc964ff".into(),
            method: "GET",
            route: Some("/v1/patients/{nhs_number}"),
            status: 404,
            db_round_trips: 1,
            problem: Some("patient-not-found"),
            cause: None,
        };
        let line = log.line(3);
        assert!(!line.contains('\n'));
        let parsed: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(
            parsed,
            serde_json::json!({
                "request_id": "6f9619ff-8b86-4011-b42d-00c04fc964ff", "method": "GET",
                "route": "/v1/patients/{nhs_number}", "status": 404, "db_round_trips": 1,
                "problem": "patient-not-found", "duration_ms": 3
            })
        );
    }

    #[test]
    fn a_cause_is_escaped_so_the_line_stays_one_json_object() {
        let log = RequestLog { cause: Some("near \"x\":\nsyntax error".into()), status: 500, ..RequestLog::default() };
        let line = log.line(0);
        assert!(!line.contains('\n'));
        let parsed: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(parsed["cause"], "near \"x\":\nsyntax error");
        assert_eq!(parsed["route"], serde_json::Value::Null);
    }

    #[test]
    fn unknown_methods_are_not_copied_into_the_log() {
        assert_eq!(method_name("PATCH"), "PATCH");
        assert_eq!(method_name("9434765919"), "other");
    }
}
