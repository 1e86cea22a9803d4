//! PANDA's HTTP API as plain functions: a [`Request`] and a [`Database`] in, a [`Response`] out.
//! Nothing here knows about the Workers runtime, so every handler runs in native tests.

pub mod appointments;
pub mod audit;
pub mod auth;
pub mod cors;
pub mod csv;
pub mod error;
pub mod http;
pub mod input;
pub mod patients;
pub mod problem;
pub mod request_log;
pub mod routes;
pub mod scheduled;
pub mod stats;

use serde::Serialize;
use time::OffsetDateTime;

use crate::domain::audit::Request as Trail;
use crate::domain::db::{self, Database, Start};
use crate::domain::error::Error as DomainError;
use crate::domain::health;
use crate::domain::page::{self, DEFAULT_LIMIT};
use crate::domain::revision::Revision;
use crate::domain::signed_in::SignedIn;
use crate::domain::stats::GroupBy;
use crate::domain::token::{self, KeyError, SigningKey};
use crate::i18n;
use error::Error;
pub use http::{Request, Response};
use input::Fields;
use routes::{Miss, Route};

/// Deployment settings as the worker finds them in its environment.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// `JWT_SECRET`: signs and verifies tokens; at least 32 bytes, or every protected route fails closed.
    pub jwt_secret: Option<String>,
    /// `TOKEN_LIFETIME_SECONDS`: 900 to 3600; 900 when unset.
    pub token_lifetime: Option<String>,
    /// `CORS_ALLOWED_ORIGINS`: comma-separated origins, or `*`; none when unset.
    pub cors_allowed_origins: Option<String>,
    /// `D1_READS`: `nearest` (the default) or `primary`; see [`Reads`].
    pub d1_reads: Option<String>,
}

/// Which copy of the database answers a request's reads (`D1_READS`). Writes always go to the
/// primary, and always check the account there (`domain::signed_in`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reads {
    /// The nearest copy, or one at least as new as the client's bookmark. A replica may lag the
    /// primary by moments, and so may its account check: a just-disabled account could still read
    /// until its replica catches up.
    Nearest,
    /// The primary, on every request: a disabled account stops at once, reads included, and
    /// every read pays the way to the primary.
    Primary,
}

impl Reads {
    /// From `D1_READS`; `Err` says what is wrong with the value for the log, and the stricter
    /// `Primary` stands in for it, so a mistyped setting never weakens a guarantee.
    pub fn from_config(value: Option<&str>) -> Result<Reads, String> {
        match value.map(str::trim) {
            None | Some("nearest") => Ok(Reads::Nearest),
            Some("primary") => Ok(Reads::Primary),
            Some(other) => {
                Err(format!("D1_READS is {other:?}, not nearest or primary: every read goes to the primary"))
            }
        }
    }
}

/// The settings, parsed. The worker builds them once per isolate (its environment does not change
/// while the isolate lives), so no request pays for reading variables or deriving the key.
pub struct Settings {
    /// The token signing key, or why there is none: then every protected route fails closed.
    pub signing_key: Result<SigningKey, KeyError>,
    /// Seconds an issued token lives.
    pub token_lifetime: i64,
    pub cors: cors::Cors,
    pub reads: Reads,
    /// What is wrong with the configuration, for the worker to log once (the setting concerned
    /// has fallen back to its stricter choice).
    pub misconfigured: Option<String>,
}

impl From<&Config> for Settings {
    fn from(config: &Config) -> Self {
        let reads = Reads::from_config(config.d1_reads.as_deref());
        Settings {
            signing_key: SigningKey::from_secret(config.jwt_secret.as_deref()),
            token_lifetime: token::lifetime_seconds(config.token_lifetime.as_deref()),
            cors: cors::Cors::from_config(config.cors_allowed_origins.as_deref()),
            reads: *reads.as_ref().unwrap_or(&Reads::Primary),
            misconfigured: reads.err(),
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings::from(&Config::default())
    }
}

/// Headers on every answer (OWASP REST Security Cheat Sheet, "Security Headers"): nothing is kept by
/// a browser or proxy cache (patient data, tokens), the type is never sniffed, and no answer may be
/// framed. `X-Frame-Options` is left out because `frame-ancestors` replaces it in every current
/// browser, and HSTS is the edge's to send (README, "Security"): each header costs every answer.
pub const SECURITY_HEADERS: &[(&str, &str)] = &[
    ("cache-control", "no-store"),
    ("x-content-type-options", "nosniff"),
    ("content-security-policy", "frame-ancestors 'none'"),
];

/// Answers one request. Never panics on any input and never returns a bare 500: every failure
/// goes through [`problem::render`]. The answer carries the request's id (`X-Request-ID`) and
/// the operator's log line for it (`Response::log`), which the caller writes out.
pub async fn handle(request: &Request, db: &impl Database, now: OffsetDateTime, settings: &Settings) -> Response {
    let request_id = request_log::request_id(request.header("x-request-id"));
    let db = request_log::RoundTrips::new(db);
    let (route, mut response) = answer(request, &db, now, settings, &request_id).await;
    response.log.request_id = request_id.clone();
    response.log.method = request_log::method_name(&request.method);
    response.log.route = route;
    response.log.status = response.status;
    response.log.db_round_trips = db.count();
    // The client sends it back with its next request to read at least what this one saw.
    if let Some(bookmark) = db.bookmark() {
        response = response.header("x-d1-bookmark", bookmark);
    }
    response = response.header(request_log::HEADER, request_id);
    for (name, value) in SECURITY_HEADERS {
        response = response.header(name, *value);
    }
    response
}

/// The answer, and the template of the route it came from (none for a preflight or a miss).
async fn answer(
    request: &Request,
    db: &impl Database,
    now: OffsetDateTime,
    settings: &Settings,
    request_id: &str,
) -> (Option<&'static str>, Response) {
    if let Some(preflight) = settings.cors.preflight(request) {
        return (None, preflight);
    }
    // HEAD is GET without the body (RFC 9110 section 9.3.2).
    let head = request.method == "HEAD";
    let method = if head { "GET" } else { request.method.as_str() };
    let resolved = routes::resolve_with_template(method, &request.path);
    let template = resolved.as_ref().ok().map(|(template, _)| *template);
    let outcome = match resolved {
        Ok((template, route)) => {
            dispatch(route, request, db, now, settings, request_id, || format!("{method} {template}")).await
        }
        Err(Miss::NotFound) => Err(Error::RouteNotFound { path: request.path.clone() }),
        Err(Miss::MethodNotAllowed { allow }) => {
            Err(Error::MethodNotAllowed { path: request.path.clone(), method: request.method.clone(), allow })
        }
    };
    let mut response = match outcome {
        Ok(response) => response,
        // Only a problem is written in words, so only a problem needs a language.
        Err(error) => problem::render(&error, i18n::negotiate(request.header("accept-language")), request_id),
    };
    if head {
        // Nothing was shown, so nothing was viewed.
        response.body.clear();
        response.access = None;
    }
    (template, settings.cors.decorate(request, response))
}

/// Answers a resolved route. `route_name` names it for the audit trail (`PATCH
/// /v1/patients/{nhs_number}`), and is called only by the routes that write to the trail.
async fn dispatch(
    route: Route,
    request: &Request,
    db: &impl Database,
    now: OffsetDateTime,
    settings: &Settings,
    request_id: &str,
    route_name: impl Fn() -> String,
) -> Result<Response, Error> {
    let at = now.unix_timestamp();
    match route {
        Route::Health => {
            start_session(request, db, settings, false)?;
            health::check_database(db).await?;
            json(200, &Status { status: "ok", database: Some("ok") })
        }
        // Liveness: the worker runs, nothing else is touched. Also the benchmark's ceiling.
        Route::Live => json(200, &Status { status: "ok", database: None }),
        Route::CreateToken => {
            // A sign-in reads the credentials on the primary: a replica that has not yet seen a
            // password change would take the old password, and the token would outlive the change.
            start_session(request, db, settings, true)?;
            let name = route_name();
            auth::create_token(request, db, settings, Trail { at, route: &name, id: request_id }).await
        }
        protected => {
            // The signed-in account travels with the database handle: every statement checks it,
            // every write records it in the trail, and `db.acting()` says who is acting.
            let claim = auth::claim(request, settings, now)?;
            start_session(request, db, settings, false)?;
            let name = route_name();
            let db = SignedIn::new(db, claim, Trail { at, route: &name, id: request_id });
            let answer = protected_route(protected, request, &db, now).await;
            // An answer given without reaching the database (bad input) is only given to an
            // account that may still act.
            if !matches!(answer, Err(Error::Domain(DomainError::Unauthenticated(_)))) {
                db.confirm().await?;
            }
            let mut response = answer?;
            if let Some(access) = &mut response.access {
                access.at = at;
                access.actor_id = claim.account_id;
                access.route = name;
                access.request_id = request_id.to_owned();
            }
            Ok(response)
        }
    }
}

/// Starts the request's database session: on the primary when `primary` or the deployment says so
/// (`D1_READS=primary`), else after the client's bookmark (`X-D1-Bookmark`), else on the nearest
/// copy. A bookmark is checked whatever the deployment, so a request gets the same answer from
/// each; an empty one is no bookmark (D1's own example sends `""` when it has none).
fn start_session(request: &Request, db: &impl Database, settings: &Settings, primary: bool) -> Result<(), Error> {
    let bookmark = request.header("x-d1-bookmark").map(str::trim).filter(|b| !b.is_empty());
    if bookmark.is_some_and(|b| !db::is_bookmark(b)) {
        return Err(Error::BookmarkInvalid);
    }
    db.start(match bookmark {
        _ if primary || settings.reads == Reads::Primary => Start::Primary,
        Some(bookmark) => Start::After(bookmark.to_owned()),
        None => Start::Nearest,
    });
    Ok(())
}

/// The routes for signed-in staff. `db` checks the account with every call (see `signed_in`) and
/// knows who is acting.
async fn protected_route<D: Database>(
    route: Route,
    request: &Request,
    db: &SignedIn<'_, D>,
    now: OffsetDateTime,
) -> Result<Response, Error> {
    match route {
        Route::ListPatients => patients::list(request, db, now).await,
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
        Route::ListAudit => audit::list(request, None, db).await,
        Route::PatientAudit(nhs) => audit::list(request, Some(&nhs), db).await,
        Route::Health | Route::Live | Route::CreateToken => {
            Err(Error::internal("an open route reached the protected routes"))
        }
    }
}

/// The body of `/health` and `/health/live`.
#[derive(Serialize)]
struct Status {
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    database: Option<&'static str>,
}

/// `limit` and `cursor`, shared by every list route. An invalid value is recorded in `query`
/// (so the 422 lists it with the rest) and the default stands in meanwhile.
fn list_params(query: &mut Fields) -> (u32, Option<String>) {
    let limit = query.optional("limit", |s| page::parse_limit(Some(s))).unwrap_or(DEFAULT_LIMIT);
    // An empty cursor (`cursor=`) means the first page, on every list.
    let cursor = query.optional("cursor", page::decode_cursor).filter(|key| !key.is_empty());
    (limit, cursor)
}

/// A JSON answer, serialised straight from the value.
fn json(status: u16, body: &impl Serialize) -> Result<Response, Error> {
    Response::json(status, body).map_err(|e| Error::internal(format!("could not serialise the answer: {e}")))
}

fn ok(resource: &impl Serialize) -> Result<Response, Error> {
    json(200, resource)
}

fn ok_with_etag(resource: &impl Serialize, revision: Revision) -> Result<Response, Error> {
    Ok(ok(resource)?.header("etag", revision.etag()))
}

fn created(resource: &impl Serialize, revision: Revision, location: &str) -> Result<Response, Error> {
    Ok(json(201, resource)?.header("etag", revision.etag()).header("location", location))
}
