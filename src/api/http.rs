//! Plain request and response values, so handlers run and test without the Workers runtime.
//! The shell (`src/shell`) converts to and from `worker::Request` / `worker::Response`.

/// Bodies larger than this are refused with 413 before they are parsed.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

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
    /// A line for the operator's log (never sent to the client), e.g. the cause of a 500.
    pub log: Option<String>,
}

impl Response {
    pub fn json(status: u16, body: &serde_json::Value) -> Self {
        Self::with_content_type(status, "application/json", body)
    }

    pub fn with_content_type(status: u16, content_type: &str, body: &serde_json::Value) -> Self {
        Self {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body: serde_json::to_vec(body).unwrap_or_default(),
            log: None,
        }
    }

    pub fn empty(status: u16) -> Self {
        Self { status, headers: Vec::new(), body: Vec::new(), log: None }
    }

    pub fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_ascii_lowercase(), value.into()));
        self
    }

    pub fn header_value(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}
