//! Why the API could not answer a request as it was asked: what HTTP itself refuses (no such route,
//! a body that is not JSON, input that cannot be read into valid values), and whatever the domain
//! refused. `api::problem` is the one place that turns each into problem+json.

use crate::domain::db::DbError;
use crate::domain::error::Error as DomainError;
use crate::domain::invalid::{FieldError, Invalid};

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    #[error("no route")]
    RouteNotFound { path: String },
    #[error("{method} is not allowed here")]
    MethodNotAllowed { path: String, method: String, allow: Vec<&'static str> },
    /// The body is not JSON. `line` and `column` say where parsing stopped.
    #[error("malformed JSON at {line}:{column}")]
    MalformedJson { line: usize, column: usize },
    #[error("the body is over {limit} bytes")]
    PayloadTooLarge { limit: usize },
    #[error("the body is not {expected}")]
    UnsupportedMediaType { expected: &'static str },
    /// Input that could not be read into valid values: every field at once.
    #[error("{} input value(s) are invalid", .0.len())]
    Validation(Vec<FieldError>),
    /// The `X-D1-Bookmark` header does not have the form of a bookmark (`domain::db::is_bookmark`).
    #[error("the bookmark header is not a bookmark")]
    BookmarkInvalid,
    /// `JWT_SECRET` is missing or too short: protected routes fail closed. The text is logged.
    #[error("{0}")]
    AuthNotConfigured(String),
    #[error(transparent)]
    Domain(#[from] DomainError),
}

impl Error {
    /// One input value that could not be read.
    pub fn invalid(field: impl Into<String>, invalid: Invalid) -> Self {
        Error::Validation(vec![FieldError::new(field, invalid)])
    }

    /// A bug or an impossible state in the API layer.
    pub fn internal(message: impl Into<String>) -> Self {
        Error::Domain(DomainError::Internal(message.into()))
    }
}

impl From<DbError> for Error {
    fn from(e: DbError) -> Self {
        Error::Domain(e.into())
    }
}
