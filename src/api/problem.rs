//! The one place where an [`Error`] becomes an RFC 9457 `application/problem+json` response.

use serde_json::json;

use super::http::Response;
use crate::error::Error;
use crate::i18n::{self, Args, Lang};

pub const CONTENT_TYPE: &str = "application/problem+json";

/// Problem type URIs are URNs: stable identifiers that need no server to resolve them.
pub fn type_uri(code: &str) -> String {
    format!("urn:panda:problem:{code}")
}

pub fn render(error: &Error, lang: Lang) -> Response {
    let (status, code, args): (u16, &str, Args) = match error {
        Error::RouteNotFound { path } => (404, "route-not-found", vec![("path", path.clone().into())]),
        Error::MethodNotAllowed { path, method, .. } => (
            405,
            "method-not-allowed",
            vec![
                ("path", path.clone().into()),
                ("method", method.clone().into()),
                ("allow", allow_list(error).into()),
            ],
        ),
        Error::DatabaseUnavailable(_) => (503, "database-unavailable", vec![]),
        Error::Internal(_) => (500, "internal-error", vec![]),
    };
    let body = json!({
        "type": type_uri(code),
        "title": i18n::message(lang, code, Some("title"), &args),
        "status": status,
        "detail": i18n::message(lang, code, None, &args),
        "code": code,
    });
    let mut response = Response::with_content_type(status, CONTENT_TYPE, &body)
        .header("content-language", lang.tag())
        .header("vary", "Accept-Language");
    if let Error::MethodNotAllowed { .. } = error {
        response = response.header("allow", allow_list(error));
    }
    if let Error::DatabaseUnavailable(cause) | Error::Internal(cause) = error {
        response.log = Some(format!("{code}: {cause}"));
    }
    response
}

fn allow_list(error: &Error) -> String {
    match error {
        Error::MethodNotAllowed { allow, .. } => allow.join(", "),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(response: &Response) -> serde_json::Value {
        serde_json::from_slice(&response.body).unwrap()
    }

    #[test]
    fn problems_carry_type_title_status_detail_and_code() {
        let response = render(&Error::RouteNotFound { path: "/x".into() }, Lang::default());
        assert_eq!(response.status, 404);
        assert_eq!(response.header_value("content-type"), Some(CONTENT_TYPE));
        let body = body(&response);
        assert_eq!(body["type"], "urn:panda:problem:route-not-found");
        assert_eq!(body["title"], "Not found");
        assert_eq!(body["status"], 404);
        assert_eq!(body["code"], "route-not-found");
        assert!(body["detail"].as_str().unwrap().contains("/x"));
    }

    #[test]
    fn method_not_allowed_says_what_is_allowed() {
        let error = Error::MethodNotAllowed { path: "/health".into(), method: "POST".into(), allow: vec!["GET"] };
        let response = render(&error, Lang::default());
        assert_eq!(response.status, 405);
        assert_eq!(response.header_value("allow"), Some("GET"));
    }

    #[test]
    fn internal_errors_are_logged_but_never_shown() {
        let response = render(&Error::Internal("secret stack trace".into()), Lang::default());
        assert_eq!(response.status, 500);
        assert!(!String::from_utf8_lossy(&response.body).contains("secret"));
        assert!(response.log.unwrap().contains("secret stack trace"));
    }
}
