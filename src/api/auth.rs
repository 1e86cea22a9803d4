//! `POST /v1/auth/token`, and the token check every protected route runs first.

use time::OffsetDateTime;

use super::error::Error;
use super::input::{Fields, JSON};
use super::{Request, Response, Settings};
use crate::domain::audit;
use crate::domain::auth::{self, Claim};
use crate::domain::db::Database;
use crate::domain::error::Error as DomainError;
use crate::domain::token::SigningKey;

/// The signing key, or a fail-closed 500 when the secret is missing or too short.
fn signing_key(settings: &Settings) -> Result<&SigningKey, Error> {
    settings.signing_key.as_ref().map_err(|e| Error::AuthNotConfigured(e.to_string()))
}

/// Who the request's token says is signed in. The database confirms that the account may still
/// act in the same round trip as the route's own statements (`domain::signed_in`).
pub fn claim(request: &Request, settings: &Settings, now: OffsetDateTime) -> Result<Claim, Error> {
    auth::claim(signing_key(settings)?, request.header("authorization"), now.unix_timestamp())
        .map_err(|failure| DomainError::Unauthenticated(failure).into())
}

pub async fn create_token(
    request: &Request,
    db: &impl Database,
    settings: &Settings,
    trail: audit::Request<'_>,
) -> Result<Response, Error> {
    let key = signing_key(settings)?;
    let mut body = Fields::from_json_body(request, &[JSON])?;
    let username = body.required("username", |s| Ok(s.to_owned()));
    let password = body.required("password", |s| Ok(s.to_owned()));
    let (username, password) = body.finish_with((username, password))?;
    let issued = auth::login(db, key, &username, &password, trail, settings.token_lifetime).await?;
    super::ok(&issued)
}
