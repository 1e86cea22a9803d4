//! Signing in and recognising signed-in staff. One access level: a valid token for an enabled
//! account may do everything.

use super::db::Database;
use super::password;
use super::token::{self, Refused, SigningKey};
use super::user;
use crate::error::{AuthFailure, Error};

/// What a successful login hands back.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AccessToken {
    pub access_token: String,
    pub token_type: &'static str,
    pub expires_in: i64,
}

/// Checks a username and password and issues a token. A wrong password, an unknown user and a
/// disabled account all give the same answer, after the same amount of hashing work.
pub async fn login(
    db: &impl Database,
    key: &SigningKey,
    username: &str,
    password: &str,
    now: i64,
    lifetime: i64,
) -> Result<AccessToken, Error> {
    let stored = user::find_by_username(db, username).await?;
    if let Some(retry_after) = stored.as_ref().and_then(|u| u.locked_for(now)) {
        return Err(Error::AccountLocked { retry_after });
    }
    let hash = stored.as_ref().map_or(password::DUMMY_HASH, |u| u.password_hash.as_str());
    let matches = password::verify(password, hash);
    let Some(account) = stored else {
        return Err(Error::Unauthenticated(AuthFailure::InvalidCredentials));
    };
    if !matches || account.is_disabled() {
        if let Some(until) = user::record_failure(db, account.id, now).await? {
            if until > now {
                return Err(Error::AccountLocked { retry_after: until - now });
            }
        }
        return Err(Error::Unauthenticated(AuthFailure::InvalidCredentials));
    }
    user::record_success(db, account.id).await?;
    let access_token = token::issue(key, &account.id.to_string(), now, lifetime).map_err(Error::Internal)?;
    Ok(AccessToken { access_token, token_type: "Bearer", expires_in: lifetime })
}

/// The user behind an `Authorization` header, or why there is none. Every request re-reads the
/// account, so disabling or removing it, or changing its password, ends its sessions at once.
pub async fn authenticate(
    db: &impl Database,
    key: &SigningKey,
    authorization: Option<&str>,
    now: i64,
) -> Result<user::StoredUser, Error> {
    let unauthenticated = |failure| Err(Error::Unauthenticated(failure));
    let Some(header) = authorization else { return unauthenticated(AuthFailure::TokenMissing) };
    let Some((scheme, token)) = header.trim().split_once(' ') else {
        return unauthenticated(AuthFailure::TokenMissing);
    };
    if !scheme.eq_ignore_ascii_case("bearer") {
        return unauthenticated(AuthFailure::TokenMissing);
    }
    let verified = match token::verify(key, token.trim(), now) {
        Ok(verified) => verified,
        Err(Refused::Expired) => return unauthenticated(AuthFailure::TokenExpired),
        Err(_) => return unauthenticated(AuthFailure::TokenInvalid),
    };
    let Ok(id) = verified.subject.parse::<i64>() else { return unauthenticated(AuthFailure::TokenInvalid) };
    match user::find_by_id(db, id).await? {
        Some(account) if !account.is_disabled() && verified.issued_at >= account.credentials_changed_at => Ok(account),
        _ => unauthenticated(AuthFailure::TokenInvalid),
    }
}
