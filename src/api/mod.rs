//! PANDA's HTTP API as plain functions: a [`Request`] and a [`Database`] in, a [`Response`] out.
//! Nothing here knows about the Workers runtime, so every handler runs in native tests.

pub mod http;
pub mod problem;
pub mod routes;

use serde_json::json;
use time::OffsetDateTime;

use crate::domain::db::Database;
use crate::domain::health;
use crate::error::Error;
use crate::i18n::Lang;
pub use http::{Request, Response};
use routes::{Miss, Route};

/// Answers one request. Never panics on any input and never returns a bare 500: every failure
/// goes through [`problem::render`].
pub async fn handle(request: &Request, db: &impl Database, now: OffsetDateTime) -> Response {
    let lang = Lang::default();
    match dispatch(request, db, now).await {
        Ok(response) => response,
        Err(error) => problem::render(&error, lang),
    }
}

async fn dispatch(request: &Request, db: &impl Database, _now: OffsetDateTime) -> Result<Response, Error> {
    let route = routes::resolve(&request.method, &request.path).map_err(|miss| match miss {
        Miss::NotFound => Error::RouteNotFound { path: request.path.clone() },
        Miss::MethodNotAllowed { allow } => Error::MethodNotAllowed {
            path: request.path.clone(),
            method: request.method.clone(),
            allow,
        },
    })?;
    match route {
        Route::Health => {
            health::check_database(db).await?;
            Ok(Response::json(200, &json!({"status": "ok", "database": "ok"})).header("cache-control", "no-store"))
        }
    }
}
