//! The one place where an [`Error`] becomes an RFC 9457 `application/problem+json` response.

use serde_json::json;

use super::error::Error;
use super::http::Response;
use crate::domain::auth::AuthFailure;
use crate::domain::error::Error as DomainError;
use crate::domain::invalid::FieldError;
use crate::domain::status::Status;
use crate::i18n::{self, Arg, Args, Lang};

pub const CONTENT_TYPE: &str = "application/problem+json";

/// Problem type URIs are URNs: stable identifiers that need no server to resolve them.
pub fn type_uri(code: &str) -> String {
    format!("urn:panda:problem:{code}")
}

/// The problem for `error`, in `lang`. Its `instance` is the request's id as a URN (RFC 9457: "a URI
/// reference that identifies the specific occurrence"), the same id as the `X-Request-ID` header
/// and the log line, so a client can quote it and support can find the line.
pub fn render(error: &Error, lang: Lang, request_id: &str) -> Response {
    let text = |v: &str| Arg::from(v);
    let (status, code, args): (u16, &str, Args) = match error {
        Error::RouteNotFound { path } => (404, "route-not-found", vec![("path", text(path))]),
        Error::MethodNotAllowed { path, method, allow } => (
            405,
            "method-not-allowed",
            vec![("path", text(path)), ("method", text(method)), ("allow", allow.join(", ").into())],
        ),
        Error::MalformedJson { line, column } => {
            (400, "malformed-json", vec![("line", (*line).into()), ("column", (*column).into())])
        }
        Error::PayloadTooLarge { limit } => (413, "payload-too-large", vec![("limit", (*limit).into())]),
        Error::UnsupportedMediaType { expected } => (415, "unsupported-media-type", vec![("expected", text(expected))]),
        Error::Validation(errors) => (422, "validation-failed", vec![("count", errors.len().into())]),
        Error::BookmarkInvalid => (400, "bookmark-invalid", vec![]),
        Error::AuthNotConfigured(_) => (500, "auth-not-configured", vec![]),
        Error::Domain(refused) => match refused {
            DomainError::Invalid(errors) => (422, "validation-failed", vec![("count", errors.len().into())]),
            DomainError::PatientNotFound { nhs_number } => {
                (404, "patient-not-found", vec![("nhs_number", text(nhs_number))])
            }
            DomainError::AppointmentNotFound { id } => (404, "appointment-not-found", vec![("id", text(id))]),
            DomainError::PatientExists { nhs_number } => {
                (409, "patient-exists", vec![("nhs_number", text(nhs_number))])
            }
            DomainError::AppointmentExists { id } => (409, "appointment-exists", vec![("id", text(id))]),
            DomainError::AppointmentFinal(status) => (409, final_code(*status), vec![]),
            DomainError::StatusChangeNotAllowed { to } => {
                (409, "status-change-not-allowed", vec![("to", text(to.as_str()))])
            }
            DomainError::PreconditionFailed => (412, "precondition-failed", vec![]),
            DomainError::Unauthenticated(failure) => (401, auth_code(*failure), vec![]),
            DomainError::AccountLocked { retry_after } => {
                (429, "account-locked", vec![("minutes", ((*retry_after + 59) / 60).into())])
            }
            // A bookmark of the right form that D1 still refuses: the client's, as a malformed one is.
            DomainError::BookmarkRefused(_) => (400, "bookmark-invalid", vec![]),
            DomainError::DatabaseUnavailable(_) => (503, "database-unavailable", vec![]),
            DomainError::Internal(_) => (500, "internal-error", vec![]),
        },
    };
    let mut body = json!({
        "type": type_uri(code),
        "title": i18n::message(lang, code, Some("title"), &args),
        "status": status,
        "detail": i18n::message(lang, code, None, &args),
        "code": code,
        "instance": format!("urn:uuid:{request_id}"),
    });
    if let Error::Validation(errors) | Error::Domain(DomainError::Invalid(errors)) = error {
        body["errors"] = errors.iter().map(|e| field_error(e, lang)).collect();
    }
    // A `serde_json::Value` always serialises (its keys are strings and its numbers finite).
    let mut response = Response::with_body(status, CONTENT_TYPE, serde_json::to_vec(&body).unwrap_or_default())
        .header("content-language", lang.tag())
        .header("vary", "Accept-Language");
    match error {
        Error::MethodNotAllowed { allow, .. } => response = response.header("allow", allow.join(", ")),
        Error::Domain(DomainError::Unauthenticated(failure)) => {
            // RFC 6750: say it is a Bearer realm, and whether the token itself was the problem.
            let challenge = match failure {
                AuthFailure::TokenInvalid | AuthFailure::TokenExpired => "Bearer error=\"invalid_token\"",
                AuthFailure::TokenMissing | AuthFailure::InvalidCredentials => "Bearer",
            };
            response = response.header("www-authenticate", challenge);
        }
        Error::Domain(DomainError::AccountLocked { retry_after }) => {
            response = response.header("retry-after", retry_after.to_string());
        }
        Error::Domain(DomainError::DatabaseUnavailable(_)) => {
            // Out of reach, overloaded or restarting: D1 recovers in moments or sheds load.
            response = response.header("retry-after", "1");
        }
        _ => {}
    }
    if let Error::Domain(
        DomainError::DatabaseUnavailable(cause) | DomainError::Internal(cause) | DomainError::BookmarkRefused(cause),
    )
    | Error::AuthNotConfigured(cause) = error
    {
        response.log.cause = Some(cause.clone());
    }
    response.log.problem = Some(code);
    response
}

/// Each final status has its own code, so a client can tell "cancelled" from "already attended".
pub fn final_code(status: Status) -> &'static str {
    match status {
        Status::Cancelled => "appointment-cancelled",
        Status::Attended => "appointment-attended",
        Status::Missed => "appointment-missed",
        // Not final; listed so the match is total.
        Status::Active => "appointment-active",
    }
}

fn auth_code(failure: AuthFailure) -> &'static str {
    match failure {
        AuthFailure::TokenMissing => "token-missing",
        AuthFailure::TokenInvalid => "token-invalid",
        AuthFailure::TokenExpired => "token-expired",
        AuthFailure::InvalidCredentials => "invalid-credentials",
    }
}

fn field_error(error: &FieldError, lang: Lang) -> serde_json::Value {
    let mut args: Args = vec![("field", Arg::from(error.field.as_str()))];
    args.extend(error.invalid.args.iter().map(|(name, value)| (*name, Arg::from(value.as_str()))));
    json!({
        "field": error.field,
        "code": error.invalid.code,
        "message": i18n::message(lang, error.invalid.code, None, &args),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "6f9619ff-8b86-4011-b42d-00c04fc964ff";

    fn body(response: &Response) -> serde_json::Value {
        serde_json::from_slice(&response.body).unwrap()
    }

    #[test]
    fn problems_carry_type_title_status_detail_and_code() {
        let response = render(&Error::RouteNotFound { path: "/x".into() }, Lang::default(), ID);
        assert_eq!(response.status, 404);
        assert_eq!(response.header_value("content-type"), Some(CONTENT_TYPE));
        let body = body(&response);
        assert_eq!(body["type"], "urn:panda:problem:route-not-found");
        assert_eq!(body["title"], "Not found");
        assert_eq!(body["status"], 404);
        assert_eq!(body["code"], "route-not-found");
        assert!(body["detail"].as_str().unwrap().contains("/x"));
        assert_eq!(body["instance"], format!("urn:uuid:{ID}"));
    }

    #[test]
    fn method_not_allowed_says_what_is_allowed() {
        let error = Error::MethodNotAllowed { path: "/health".into(), method: "POST".into(), allow: vec!["GET"] };
        let response = render(&error, Lang::default(), ID);
        assert_eq!(response.status, 405);
        assert_eq!(response.header_value("allow"), Some("GET"));
    }

    #[test]
    fn internal_errors_are_logged_but_never_shown() {
        let response = render(&Error::internal("secret stack trace"), Lang::default(), ID);
        assert_eq!(response.status, 500);
        assert!(!String::from_utf8_lossy(&response.body).contains("secret"));
        assert_eq!(response.log.cause.as_deref(), Some("secret stack trace"));
        assert_eq!(response.log.problem, Some("internal-error"));
    }
}
