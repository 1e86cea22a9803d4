//! What a domain operation refuses, and how it can fail, in the domain's own terms. The API decides
//! what HTTP makes of each, in one place (`api::problem`). The messages are for the operator's log;
//! they never carry a patient's details.

use super::auth::AuthFailure;
use super::db::DbError;
use super::invalid::{FieldError, Invalid};
use super::status::Status;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// Values that break a rule of the record they are for, every one of them.
    #[error("{} value(s) break a rule", .0.len())]
    Invalid(Vec<FieldError>),
    #[error("no such patient")]
    PatientNotFound { nhs_number: String },
    #[error("no such appointment")]
    AppointmentNotFound { id: String },
    #[error("the patient exists")]
    PatientExists { nhs_number: String },
    #[error("the appointment exists")]
    AppointmentExists { id: String },
    /// The appointment is attended, cancelled or missed, and so cannot change at all.
    #[error("the appointment is {} and cannot change", .0.as_str())]
    AppointmentFinal(Status),
    /// A status an active appointment cannot be given by a user (only time makes it `missed`).
    #[error("an active appointment cannot be set to {}", .to.as_str())]
    StatusChangeNotAllowed { to: Status },
    /// The change was conditional on a revision that is not the current one.
    #[error("the record is not the revision the change was made for")]
    PreconditionFailed,
    #[error("not signed in: {0:?}")]
    Unauthenticated(AuthFailure),
    /// Too many failed sign-ins; the account accepts none for `retry_after` seconds.
    #[error("the account is locked for {retry_after} s")]
    AccountLocked { retry_after: i64 },
    /// The database refused the bookmark the client sent back: the client's to correct.
    #[error("bookmark refused: {0}")]
    BookmarkRefused(String),
    /// The database could not be reached or failed; the client may retry.
    #[error("database unavailable: {0}")]
    DatabaseUnavailable(String),
    /// A bug or an impossible state.
    #[error("{0}")]
    Internal(String),
}

impl Error {
    /// One value that breaks a rule.
    pub fn invalid(field: impl Into<String>, invalid: Invalid) -> Self {
        Error::Invalid(vec![FieldError::new(field, invalid)])
    }
}

impl From<DbError> for Error {
    /// Constraint violations that a caller expects are mapped by that caller (to "exists" or an
    /// invalid field) before they get here; any that arrive here were not expected, so they are
    /// internal.
    fn from(e: DbError) -> Self {
        match e {
            DbError::AccountNotActive => Error::Unauthenticated(AuthFailure::TokenInvalid),
            DbError::Unavailable(m) => Error::DatabaseUnavailable(m),
            DbError::BookmarkRefused(m) => Error::BookmarkRefused(m),
            other => Error::Internal(other.to_string()),
        }
    }
}
