//! Plain request and response values, so handlers run and test without the Workers runtime.
//! The shell (`src/shell`) converts to and from `worker::Request` / `worker::Response`.

use super::request_log::RequestLog;
use crate::domain::audit::Access;

/// Bodies larger than this are refused with 413 before they are parsed.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Every request header PANDA reads. The worker copies only these out of the runtime's request
/// (each copy crosses the JavaScript boundary), so a test keeps this list and the code in step.
pub const READ_HEADERS: &[&str] = &[
    "authorization",
    "content-type",
    "content-length",
    "if-match",
    "accept-language",
    "origin",
    "access-control-request-method",
    "x-request-id",
    "accept",
    "x-d1-bookmark",
];

/// Whether a route may read the body of a request with this method. For every other method the
/// body is never read, let alone buffered.
pub fn has_body(method: &str) -> bool {
    matches!(method, "POST" | "PATCH")
}

#[derive(Debug, Clone, Default)]
pub struct Request {
    pub method: String,
    pub path: String,
    /// The raw query string, without the leading `?`.
    pub query: String,
    /// Header names in lowercase.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// What the operator's log line says about the request (never sent to the client).
    pub log: RequestLog,
    /// The patients the answer shows, for the audit trail: written once the answer has gone
    /// (`api::audit::record_views`), never sent to the client.
    pub access: Option<Access>,
}

impl Response {
    /// `body` as JSON, serialised straight from the value.
    pub fn json(status: u16, body: &impl serde::Serialize) -> Result<Self, serde_json::Error> {
        Ok(Self::with_body(status, "application/json", serde_json::to_vec(body)?))
    }

    pub fn with_body(status: u16, content_type: &str, body: Vec<u8>) -> Self {
        Self {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body,
            log: RequestLog::default(),
            access: None,
        }
    }

    pub fn empty(status: u16) -> Self {
        Self { status, headers: Vec::new(), body: Vec::new(), log: RequestLog::default(), access: None }
    }

    pub fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_ascii_lowercase(), value.into()));
        self
    }

    /// Marks the patients this answer shows, for the audit trail (each once).
    pub fn showing(mut self, patients: impl IntoIterator<Item = String>) -> Self {
        // A page holds at most 200: a search of what is already there costs less wasm than a sort.
        let mut unique: Vec<String> = Vec::new();
        for patient in patients {
            if !unique.contains(&patient) {
                unique.push(patient);
            }
        }
        // Who, when and which route are the dispatcher's to fill in (`api::dispatch`).
        if !unique.is_empty() {
            self.access = Some(Access { patients: unique, ..Access::default() });
        }
        self
    }

    pub fn header_value(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `request.header("...")` in the source names a header in [`READ_HEADERS`].
    #[test]
    fn every_header_the_code_reads_is_one_the_worker_copies() {
        fn sources(dir: &std::path::Path, out: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    sources(&path, out);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    out.push(std::fs::read_to_string(path).unwrap());
                }
            }
        }
        let mut files = Vec::new();
        sources(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
        let mut read = Vec::new();
        for file in &files {
            for (i, _) in file.match_indices(".header(\"") {
                let name: String = file[i + 9..].chars().take_while(|c| *c != '"').collect();
                // `Response::header(name, value)` sets a header; a read has only the name.
                let is_name = !name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-');
                if is_name && file[i + 9 + name.len() + 1..].starts_with(')') {
                    read.push(name);
                }
            }
        }
        assert!(read.len() >= 6, "found only {read:?}");
        for name in read {
            assert!(READ_HEADERS.contains(&name.as_str()), "{name} is read but the worker never copies it");
        }
    }
}
