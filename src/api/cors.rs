//! Cross-origin access for the frontend's browser code, configured by `CORS_ALLOWED_ORIGINS`.
//!
//! PANDA authenticates with bearer tokens, never cookies, so it never allows credentials; that
//! is also what makes `*` safe to offer for development.
//!
//! Written by hand, not with the worker crate's `Cors`: that one lives in the shell, where native
//! tests cannot reach it, and it writes every allowed origin into one `Access-Control-Allow-Origin`
//! whatever the request's origin, which browsers refuse when there is more than one.

use super::http::{Request, Response};

const ALLOW_METHODS: &str = "GET, POST, PATCH, DELETE";
const ALLOW_HEADERS: &str = "authorization, content-type, if-match, accept-language, x-request-id, x-d1-bookmark";
/// Response headers the frontend's code may read.
const EXPOSE_HEADERS: &str = "etag, location, content-language, retry-after, www-authenticate, x-request-id, \
     content-disposition, link, x-d1-bookmark";
const MAX_AGE_SECONDS: &str = "600";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cors {
    any: bool,
    origins: Vec<String>,
}

impl Cors {
    /// From a comma-separated list of origins (`https://app.example`), or `*`.
    pub fn from_config(value: Option<&str>) -> Self {
        let entries = value.unwrap_or("").split(',').map(str::trim).filter(|e| !e.is_empty());
        let mut cors = Cors::default();
        for entry in entries {
            if entry == "*" {
                cors.any = true;
            } else {
                cors.origins.push(entry.trim_end_matches('/').to_ascii_lowercase());
            }
        }
        cors
    }

    /// The value for `Access-Control-Allow-Origin`, if this origin may call PANDA.
    fn allow_origin(&self, request: &Request) -> Option<String> {
        let origin = request.header("origin")?.trim();
        if self.any {
            Some("*".to_owned())
        } else if self.origins.iter().any(|o| o.eq_ignore_ascii_case(origin)) {
            Some(origin.to_owned())
        } else {
            None
        }
    }

    fn configured(&self) -> bool {
        self.any || !self.origins.is_empty()
    }

    /// The answer to a CORS preflight (`OPTIONS` with `Access-Control-Request-Method`), or `None`
    /// for any other request. A preflight from an origin not allowed gets no CORS headers, which
    /// the browser reads as "no".
    pub fn preflight(&self, request: &Request) -> Option<Response> {
        if request.method != "OPTIONS" || request.header("access-control-request-method").is_none() {
            return None;
        }
        let mut response = Response::empty(204).header("vary", "Origin");
        if let Some(origin) = self.allow_origin(request) {
            response = response
                .header("access-control-allow-origin", origin)
                .header("access-control-allow-methods", ALLOW_METHODS)
                .header("access-control-allow-headers", ALLOW_HEADERS)
                .header("access-control-max-age", MAX_AGE_SECONDS);
        }
        Some(response)
    }

    /// Adds the CORS headers an actual request's answer needs.
    pub fn decorate(&self, request: &Request, mut response: Response) -> Response {
        if !self.configured() {
            return response;
        }
        if !self.any {
            // The answer depends on the Origin header, so caches must keep them apart.
            response = response.header("vary", "Origin");
        }
        if let Some(origin) = self.allow_origin(request) {
            response = response
                .header("access-control-allow-origin", origin)
                .header("access-control-expose-headers", EXPOSE_HEADERS);
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(method: &str, origin: Option<&str>, preflight: bool) -> Request {
        let mut headers = Vec::new();
        if let Some(origin) = origin {
            headers.push(("origin".to_owned(), origin.to_owned()));
        }
        if preflight {
            headers.push(("access-control-request-method".to_owned(), "PATCH".to_owned()));
        }
        Request { method: method.into(), path: "/v1/patients".into(), headers, ..Request::default() }
    }

    #[test]
    fn an_allowed_origin_gets_a_preflight_answer() {
        let cors = Cors::from_config(Some("https://app.example, http://localhost:5173/"));
        let answer = cors.preflight(&request("OPTIONS", Some("http://localhost:5173"), true)).unwrap();
        assert_eq!(answer.status, 204);
        assert_eq!(answer.header_value("access-control-allow-origin"), Some("http://localhost:5173"));
        assert_eq!(answer.header_value("access-control-allow-methods"), Some(ALLOW_METHODS));
        assert!(answer.header_value("access-control-allow-headers").unwrap().contains("authorization"));
        assert_eq!(answer.header_value("access-control-allow-credentials"), None, "never credentials");
    }

    #[test]
    fn another_origin_gets_no_cors_headers() {
        let cors = Cors::from_config(Some("https://app.example"));
        let answer = cors.preflight(&request("OPTIONS", Some("https://evil.example"), true)).unwrap();
        assert_eq!(answer.header_value("access-control-allow-origin"), None);
        let decorated = cors.decorate(&request("GET", Some("https://evil.example"), false), Response::empty(200));
        assert_eq!(decorated.header_value("access-control-allow-origin"), None);
        assert_eq!(decorated.header_value("vary"), Some("Origin"));
    }

    #[test]
    fn a_wildcard_never_comes_with_credentials() {
        let cors = Cors::from_config(Some("*"));
        let decorated = cors.decorate(&request("GET", Some("https://any.example"), false), Response::empty(200));
        assert_eq!(decorated.header_value("access-control-allow-origin"), Some("*"));
        assert_eq!(decorated.header_value("access-control-allow-credentials"), None);
    }

    #[test]
    fn only_real_preflights_are_answered_as_such() {
        let cors = Cors::from_config(Some("https://app.example"));
        assert!(cors.preflight(&request("OPTIONS", Some("https://app.example"), false)).is_none());
        assert!(cors.preflight(&request("GET", Some("https://app.example"), true)).is_none());
    }

    #[test]
    fn nothing_is_added_when_nothing_is_configured() {
        let cors = Cors::from_config(None);
        let decorated = cors.decorate(&request("GET", Some("https://app.example"), false), Response::empty(200));
        assert!(decorated.headers.is_empty());
    }

    #[test]
    fn actual_answers_expose_the_headers_the_frontend_reads() {
        let cors = Cors::from_config(Some("https://app.example"));
        let decorated = cors.decorate(&request("GET", Some("https://app.example"), false), Response::empty(200));
        assert!(decorated.header_value("access-control-expose-headers").unwrap().contains("etag"));
    }

    #[test]
    fn the_bookmark_may_be_sent_and_read_back_by_the_frontend() {
        let cors = Cors::from_config(Some("https://app.example"));
        let preflight = cors.preflight(&request("OPTIONS", Some("https://app.example"), true)).unwrap();
        assert!(preflight.header_value("access-control-allow-headers").unwrap().contains("x-d1-bookmark"));
        let decorated = cors.decorate(&request("GET", Some("https://app.example"), false), Response::empty(200));
        assert!(decorated.header_value("access-control-expose-headers").unwrap().contains("x-d1-bookmark"));
    }
}
