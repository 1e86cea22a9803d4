//! The [`Database`] implementation for D1, on the runtime's own D1 objects.
//!
//! The worker crate's typed D1 API decodes each row column by column across the JavaScript
//! boundary; here each statement's rows cross it once, as the JSON text `JSON.stringify` makes of
//! them, encoded to UTF-8 by the runtime, and the domain decodes that text straight into its
//! records. sqlx-d1 is not used: the domain already writes its SQL as text with numbered
//! parameters, and what it needs beyond that (atomic `batch`, affected rows through `RETURNING`)
//! is what sqlx-d1 0.4 does not provide.
//!
//! A request's calls run in one D1 session (`withSession`), opened by the first call, so that
//! reads may come from a replica near the user and the client gets a bookmark to carry on from.

use std::cell::RefCell;

use worker::js_sys::{self, Array, JsString, Promise, Reflect};
use worker::wasm_bindgen::prelude::wasm_bindgen;
use worker::wasm_bindgen::{JsCast, JsValue};
use worker::wasm_bindgen_futures::JsFuture;
use worker::worker_sys::types::{D1Database, D1DatabaseSession, D1PreparedStatement};
use worker::Env;

use crate::domain::db::{Database, DbError, Rows, Start, Statement, Value};

/// The `DB` binding from `wrangler.toml`; a missing binding is a broken deployment, so every query
/// fails (500, logged), never as "unavailable, retry".
pub struct D1 {
    binding: Result<D1Database, String>,
    session: RefCell<Session>,
}

enum Session {
    /// No session: every call goes to the primary (the binding's own `prepare` and `batch`).
    None,
    /// Where the session will start, when the first call opens it.
    Starts(Start),
    Open(D1DatabaseSession),
}

impl D1 {
    pub fn bind(env: &Env) -> Self {
        let binding = env
            .d1("DB")
            .map(|db| JsValue::from(db).unchecked_into::<D1Database>())
            .map_err(|e| format!("D1 binding DB: {e}"));
        Self { binding, session: RefCell::new(Session::None) }
    }

    /// What the next call runs on: the session, opened by the first call from where [`Start`]
    /// says (a first write starts on the primary, where D1 sends every write anyway), or else the
    /// binding. A session has the binding's `prepare` and `batch`, and those bindings call
    /// methods by name, so one type serves both.
    fn handle(&self, writes: bool) -> Result<D1Database, DbError> {
        let db = self.binding.as_ref().map_err(|e| DbError::Failed(e.clone()))?;
        let mut session = self.session.borrow_mut();
        if let Session::Starts(start) = &*session {
            let from = match start {
                Start::After(bookmark) => bookmark.as_str(),
                Start::Nearest if !writes => "first-unconstrained",
                Start::Nearest | Start::Primary => "first-primary",
            };
            *session = Session::Open(db.with_session(Some(from)).map_err(failure)?);
        }
        Ok(match &*session {
            Session::Open(open) => open.clone().unchecked_into(),
            _ => db.clone(),
        })
    }

    /// One round trip: a single statement on its own, several as one `batch` (one transaction).
    async fn run(&self, statements: Vec<Statement>, writes: bool) -> Result<Vec<Rows>, DbError> {
        let db = &self.handle(writes)?;
        let prepared = statements.iter().map(|s| prepare(db, s)).collect::<Result<Vec<_>, _>>()?;
        match prepared.as_slice() {
            [] => Ok(Vec::new()),
            [one] => Ok(vec![rows(&settle(one.all()).await?)?]),
            _ => {
                let results = settle(db.batch(prepared.into_iter().collect::<Array>())).await?;
                results.unchecked_into::<Array>().iter().map(|result| rows(&result)).collect()
            }
        }
    }
}

impl Database for D1 {
    async fn read(&self, statements: Vec<Statement>) -> Result<Vec<Rows>, DbError> {
        self.run(statements, false).await
    }

    async fn write(&self, statements: Vec<Statement>) -> Result<Vec<Rows>, DbError> {
        self.run(statements, true).await
    }

    fn start(&self, from: Start) {
        *self.session.borrow_mut() = Session::Starts(from);
    }

    /// The newest bookmark the session's answers carried (D1 keeps the newest), or the client's
    /// own when no answer came.
    fn bookmark(&self) -> Option<String> {
        match &*self.session.borrow() {
            Session::Open(session) => session.get_bookmark().ok().flatten(),
            _ => None,
        }
    }

    fn dialect(&self) -> crate::domain::db::Dialect {
        crate::domain::db::Dialect::Sqlite
    }
}

fn prepare(db: &D1Database, statement: &Statement) -> Result<D1PreparedStatement, DbError> {
    let params: Array = statement.params.iter().map(to_js).collect();
    db.prepare(&statement.sql).and_then(|prepared| prepared.bind(params)).map_err(failure)
}

async fn settle(promise: Result<Promise, JsValue>) -> Result<JsValue, DbError> {
    JsFuture::from(promise.map_err(failure)?).await.map_err(failure)
}

#[wasm_bindgen]
extern "C" {
    /// The runtime's `TextEncoder`.
    type TextEncoder;
    #[wasm_bindgen(constructor)]
    fn new() -> TextEncoder;
    #[wasm_bindgen(method)]
    fn encode(this: &TextEncoder, text: &JsString) -> js_sys::Uint8Array;
}

thread_local! {
    static UTF8: TextEncoder = TextEncoder::new();
}

/// A D1 result's rows, as JSON text. The text is encoded to UTF-8 by the runtime and copied into
/// wasm memory in one piece: wasm-bindgen's own string conversion walks it a character at a time,
/// which took longer than `JSON.stringify` itself for a page of appointments (30 µs against 25).
fn rows(result: &JsValue) -> Result<Rows, DbError> {
    let decode = |e: JsValue| DbError::Decode(format!("D1 result: {e:?}"));
    let results = Reflect::get(result, &JsValue::from_str("results")).map_err(decode)?;
    if results.is_undefined() || results.is_null() {
        return Ok(Rows::none());
    }
    let text: JsString = js_sys::JSON::stringify(&results).map_err(decode)?;
    let bytes = UTF8.with(|encoder| encoder.encode(&text).to_vec());
    String::from_utf8(bytes).map(Rows::from_json).map_err(|e| DbError::Decode(format!("D1 result: {e}")))
}

/// D1 passes SQLite's message through (`D1_ERROR: UNIQUE constraint failed: ...`), sometimes
/// with the detail in the error's `cause`; both are kept for [`DbError::from_message`].
fn failure(error: JsValue) -> DbError {
    let text = |value: &JsValue| {
        value.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).or_else(|| value.as_string())
    };
    let message = text(&error).unwrap_or_else(|| format!("{error:?}"));
    let cause = error.dyn_ref::<js_sys::Error>().and_then(|e| text(&e.cause()));
    DbError::from_message(match cause {
        Some(cause) if !message.contains(&cause) => format!("{message}: {cause}"),
        _ => message,
    })
}

/// D1 receives numbers as JS doubles; the schema keeps integers far below 2^53.
fn to_js(value: &Value) -> JsValue {
    match value {
        Value::Null => JsValue::NULL,
        Value::Integer(n) => JsValue::from_f64(*n as f64),
        Value::Text(text) => JsValue::from_str(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn parameters_become_the_javascript_values_d1_expects() {
        assert!(to_js(&Value::Null).is_null());
        assert_eq!(to_js(&Value::Integer(1_764_547_200)).as_f64(), Some(1_764_547_200.0));
        assert_eq!(to_js(&Value::Text("张阳".into())).as_string().as_deref(), Some("张阳"));
    }

    #[wasm_bindgen_test]
    fn a_result_object_becomes_its_rows_as_json() {
        let result = js_sys::JSON::parse(r#"{"success":true,"meta":{},"results":[{"n":1,"name":"Zoë"}]}"#).unwrap();
        assert_eq!(rows(&result).unwrap().json(), r#"[{"n":1,"name":"Zoë"}]"#);
        assert_eq!(rows(&js_sys::Object::new().into()).unwrap(), Rows::none());
    }

    #[wasm_bindgen_test]
    fn d1_errors_keep_the_sqlite_message() {
        let error = js_sys::Error::new("D1_ERROR: UNIQUE constraint failed: patients.nhs_number: SQLITE_CONSTRAINT");
        assert!(failure(error.into()).violates(crate::domain::db::Constraint::Unique("patients", "nhs_number")));
        let wrapped = js_sys::Error::new("D1_ERROR");
        wrapped.set_cause(&js_sys::Error::new("CHECK constraint failed: writes_need_an_active_account"));
        assert_eq!(failure(wrapped.into()), DbError::AccountNotActive);
    }
}
