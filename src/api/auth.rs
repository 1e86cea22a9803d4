//! `POST /v1/auth/token`, and the check every protected route runs first.

use time::OffsetDateTime;

use super::input::{Fields, JSON};
use super::{Config, Request, Response};
use crate::domain::auth;
use crate::domain::db::Database;
use crate::domain::token::{self, SigningKey};
use crate::domain::user::StoredUser;
use crate::error::Error;

/// The signing key, or a fail-closed 500 when the secret is missing or too short.
fn signing_key(config: &Config) -> Result<SigningKey, Error> {
    SigningKey::from_secret(config.jwt_secret.as_deref()).map_err(|e| Error::AuthNotConfigured(e.to_string()))
}

pub async fn require_user(
    request: &Request,
    db: &impl Database,
    now: OffsetDateTime,
    config: &Config,
) -> Result<StoredUser, Error> {
    let key = signing_key(config)?;
    auth::authenticate(db, &key, request.header("authorization"), now.unix_timestamp()).await
}

pub async fn create_token(
    request: &Request,
    db: &impl Database,
    now: OffsetDateTime,
    config: &Config,
) -> Result<Response, Error> {
    let key = signing_key(config)?;
    let mut body = Fields::from_json_body(request, &[JSON])?;
    let username = body.required("username", |s| Ok(s.to_owned()));
    let password = body.required("password", |s| Ok(s.to_owned()));
    body.finish()?;
    let (Some(username), Some(password)) = (username, password) else {
        return Err(Error::Internal("validated credentials missing".into()));
    };
    let lifetime = token::lifetime_seconds(config.token_lifetime.as_deref());
    let issued = auth::login(db, &key, &username, &password, now.unix_timestamp(), lifetime).await?;
    Ok(super::ok(&issued).header("cache-control", "no-store"))
}
