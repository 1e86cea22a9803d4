//! The one error type of PANDA. Every failure a request can meet is a variant here, and
//! `api::problem` is the one place that turns it into an RFC 9457 problem+json response.

use crate::domain::db::DbError;
use crate::domain::invalid::Invalid;
use crate::domain::status::Status;

/// One refused input value, named by the field (or query parameter) it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub invalid: Invalid,
}

impl FieldError {
    pub fn new(field: impl Into<String>, invalid: Invalid) -> Self {
        Self { field: field.into(), invalid }
    }
}

/// Why a request could not be tied to a signed-in user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthFailure {
    /// No `Authorization: Bearer ...` header.
    TokenMissing,
    /// Malformed, wrongly signed, for another audience, or its account is gone or disabled.
    TokenInvalid,
    /// Valid once, but past its `exp`: sign in again.
    TokenExpired,
    /// Login with a wrong username or password (never says which).
    InvalidCredentials,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    RouteNotFound {
        path: String,
    },
    MethodNotAllowed {
        path: String,
        method: String,
        allow: Vec<&'static str>,
    },
    /// The body is not JSON. `line` and `column` say where parsing stopped.
    MalformedJson {
        line: usize,
        column: usize,
    },
    PayloadTooLarge {
        limit: usize,
    },
    UnsupportedMediaType {
        expected: &'static str,
    },
    /// Every invalid field at once.
    Validation(Vec<FieldError>),
    PatientNotFound {
        nhs_number: String,
    },
    AppointmentNotFound {
        id: String,
    },
    PatientExists {
        nhs_number: String,
    },
    AppointmentExists {
        id: String,
    },
    /// The appointment is attended, cancelled or missed, and so cannot change at all.
    AppointmentFinal(Status),
    /// A status an active appointment cannot be given by a user (only time makes it `missed`).
    StatusChangeNotAllowed {
        to: Status,
    },
    /// `If-Match` named a revision that is not the current one.
    PreconditionFailed,
    Unauthenticated(AuthFailure),
    /// Too many failed logins; the account accepts none for `retry_after` seconds.
    AccountLocked {
        retry_after: i64,
    },
    /// `JWT_SECRET` is missing or too short: protected routes fail closed. The text is logged.
    AuthNotConfigured(String),
    /// The database could not be reached or failed; the client may retry.
    DatabaseUnavailable(String),
    /// A bug or an impossible state. The text is logged, never sent.
    Internal(String),
}

impl Error {
    pub fn invalid(field: impl Into<String>, invalid: Invalid) -> Self {
        Error::Validation(vec![FieldError::new(field, invalid)])
    }
}

impl From<DbError> for Error {
    /// Constraint violations that a caller expects are mapped by that caller (to a 409 or a 422)
    /// before they get here; any that arrive here were not expected, so they are internal.
    fn from(e: DbError) -> Self {
        match e {
            DbError::AccountNotActive => Error::Unauthenticated(AuthFailure::TokenInvalid),
            DbError::Unavailable(m) => Error::DatabaseUnavailable(m),
            other => Error::Internal(other.to_string()),
        }
    }
}
