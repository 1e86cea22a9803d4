//! PANDA's HTTP API as plain functions: a [`Request`] and a [`Database`] in, a [`Response`] out.
//! Nothing here knows about the Workers runtime, so every handler runs in native tests.

pub mod appointments;
pub mod auth;
pub mod cors;
pub mod http;
pub mod input;
pub mod patients;
pub mod problem;
pub mod routes;
pub mod stats;

use serde::Serialize;
use serde_json::json;
use time::OffsetDateTime;

use crate::domain::db::Database;
use crate::domain::health;
use crate::domain::page::{self, DEFAULT_LIMIT};
use crate::domain::revision::Revision;
use crate::domain::stats::GroupBy;
use crate::error::Error;
use crate::i18n;
pub use http::{Request, Response};
use input::Fields;
use routes::{Miss, Route};

/// The OpenAPI 3.1 description of every route, served at `/openapi.json`.
pub const OPENAPI: &str = include_str!("../../docs/openapi.json");

/// Deployment settings the worker reads from its environment.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// `JWT_SECRET`: signs and verifies tokens; at least 32 bytes, or every protected route fails closed.
    pub jwt_secret: Option<String>,
    /// `TOKEN_LIFETIME_SECONDS`: 900 to 3600; 900 when unset.
    pub token_lifetime: Option<String>,
    /// `CORS_ALLOWED_ORIGINS`: comma-separated origins, or `*`; none when unset.
    pub cors_allowed_origins: Option<String>,
}

/// Answers one request. Never panics on any input and never returns a bare 500: every failure
/// goes through [`problem::render`].
pub async fn handle(request: &Request, db: &impl Database, now: OffsetDateTime, config: &Config) -> Response {
    let cors = cors::Cors::from_config(config.cors_allowed_origins.as_deref());
    if let Some(preflight) = cors.preflight(request) {
        return preflight;
    }
    let lang = i18n::negotiate(request.header("accept-language"));
    // HEAD is GET without the body (RFC 9110 section 9.3.2).
    let head = request.method == "HEAD";
    let as_get;
    let request = if head {
        as_get = Request { method: "GET".into(), ..request.clone() };
        &as_get
    } else {
        request
    };
    let mut response = match dispatch(request, db, now, config).await {
        Ok(response) => response,
        Err(error) => problem::render(&error, lang),
    };
    if head {
        response.body.clear();
    }
    cors.decorate(request, response)
}

async fn dispatch(
    request: &Request,
    db: &impl Database,
    now: OffsetDateTime,
    config: &Config,
) -> Result<Response, Error> {
    let route = routes::resolve(&request.method, &request.path).map_err(|miss| match miss {
        Miss::NotFound => Error::RouteNotFound { path: request.path.clone() },
        Miss::MethodNotAllowed { allow } => {
            Error::MethodNotAllowed { path: request.path.clone(), method: request.method.clone(), allow }
        }
    })?;
    if route.requires_authentication() {
        auth::require_user(request, db, now, config).await?;
    }
    match route {
        Route::Health => {
            health::check_database(db).await?;
            Ok(Response::json(200, &json!({"status": "ok", "database": "ok"})).header("cache-control", "no-store"))
        }
        // Liveness: the worker runs, nothing else is touched. Also the benchmark's ceiling.
        Route::Live => Ok(Response::json(200, &json!({"status": "ok"})).header("cache-control", "no-store")),
        Route::OpenApi => Ok(Response {
            status: 200,
            headers: vec![("content-type".into(), "application/json".into())],
            body: OPENAPI.as_bytes().to_vec(),
            log: None,
        }),
        Route::CreateToken => auth::create_token(request, db, now, config).await,
        Route::ListPatients => patients::list(request, db).await,
        Route::CreatePatient => patients::create(request, db, now).await,
        Route::GetPatient(nhs) => patients::get(&nhs, db).await,
        Route::UpdatePatient(nhs) => patients::update(&nhs, request, db, now).await,
        Route::DeletePatient(nhs) => patients::delete(&nhs, db).await,
        Route::ListPatientAppointments(nhs) => appointments::list(request, Some(&nhs), db, now).await,
        Route::ListAppointments => appointments::list(request, None, db, now).await,
        Route::CreateAppointment => appointments::create(request, db, now).await,
        Route::GetAppointment(id) => appointments::get(&id, db, now).await,
        Route::UpdateAppointment(id) => appointments::update(&id, request, db, now).await,
        Route::ListClinicians => stats::named(GroupBy::Clinician, request, db, now).await,
        Route::ListDepartments => stats::named(GroupBy::Department, request, db, now).await,
        Route::MissedStatistics => stats::missed(request, db, now).await,
    }
}

/// `limit` and `cursor`, shared by every list route. An invalid value is recorded in `query`
/// (so the 422 lists it with the rest) and the default stands in meanwhile.
fn list_params(query: &mut Fields) -> (u32, Option<String>) {
    let limit = query.optional("limit", |s| page::parse_limit(Some(s))).unwrap_or(DEFAULT_LIMIT);
    // An empty cursor (`cursor=`) means the first page, on every list.
    let cursor = query.optional("cursor", page::decode_cursor).filter(|key| !key.is_empty());
    (limit, cursor)
}

fn ok(resource: &impl Serialize) -> Response {
    Response::json(200, &serde_json::to_value(resource).unwrap_or_default())
}

fn ok_with_etag(resource: &impl Serialize, revision: Revision) -> Response {
    ok(resource).header("etag", revision.etag())
}

fn created(resource: &impl Serialize, revision: Revision, location: &str) -> Response {
    Response::json(201, &serde_json::to_value(resource).unwrap_or_default())
        .header("etag", revision.etag())
        .header("location", location)
}
