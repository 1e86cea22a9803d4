//! The one error type of PANDA. Every failure a request can meet is a variant here, and
//! `api::problem` is the one place that turns it into an RFC 9457 problem+json response.

use crate::domain::db::DbError;

#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    RouteNotFound { path: String },
    MethodNotAllowed { path: String, method: String, allow: Vec<&'static str> },
    /// The database could not be reached or failed; the client may retry.
    DatabaseUnavailable(String),
    /// A bug or an impossible state. The text is logged, never sent.
    Internal(String),
}

impl From<DbError> for Error {
    /// Constraint violations that a caller expects are mapped by that caller (to a 409 or a 422)
    /// before they get here; any that arrive here were not expected, so they are internal.
    fn from(e: DbError) -> Self {
        match e {
            DbError::Unavailable(m) => Error::DatabaseUnavailable(m),
            other => Error::Internal(other.to_string()),
        }
    }
}
