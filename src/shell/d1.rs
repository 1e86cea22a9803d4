//! The [`Database`] implementation for D1, through the `worker` crate's D1 API.
//!
//! The worker's own D1 API is used rather than sqlx-d1: the domain already writes its SQL as text
//! with numbered parameters, and what it needs beyond that (atomic `batch`, affected rows through
//! `RETURNING`) is what sqlx-d1 0.4 does not provide (its transactions are no-ops on D1).

use worker::wasm_bindgen::JsValue;
use worker::{D1Database, Env};

use crate::domain::db::{Database, DbError, Row, Statement, Value};

/// The `DB` binding from `wrangler.toml`; a missing binding makes every query fail as unavailable.
pub struct D1(Result<D1Database, String>);

impl D1 {
    pub fn bind(env: &Env) -> Self {
        Self(env.d1("DB").map_err(|e| format!("D1 binding DB: {e}")))
    }

    fn database(&self) -> Result<&D1Database, DbError> {
        self.0.as_ref().map_err(|e| DbError::Unavailable(e.clone()))
    }

    fn prepare(db: &D1Database, statement: &Statement) -> Result<worker::D1PreparedStatement, DbError> {
        let params: Vec<JsValue> = statement.params.iter().map(to_js).collect();
        db.prepare(statement.sql.as_str()).bind(&params).map_err(failure)
    }
}

impl Database for D1 {
    async fn query(&self, statement: Statement) -> Result<Vec<Row>, DbError> {
        let db = self.database()?;
        let result = D1::prepare(db, &statement)?.all().await.map_err(failure)?;
        rows(&result)
    }

    async fn batch(&self, statements: Vec<Statement>) -> Result<Vec<Vec<Row>>, DbError> {
        let db = self.database()?;
        let prepared = statements.iter().map(|s| D1::prepare(db, s)).collect::<Result<Vec<_>, _>>()?;
        db.batch(prepared).await.map_err(failure)?.iter().map(rows).collect()
    }
}

fn rows(result: &worker::D1Result) -> Result<Vec<Row>, DbError> {
    result.results::<Row>().map_err(|e| DbError::Decode(e.to_string()))
}

fn failure(error: worker::Error) -> DbError {
    DbError::from_message(error.to_string())
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
}
