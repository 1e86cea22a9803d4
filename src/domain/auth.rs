//! Signing in and recognising signed-in staff. One access level: a valid token for an account that
//! may act (see `signed_in`) may do everything.

use super::audit::{self, SignIn};
use super::db::{write_one, Database};
use super::error::Error;
use super::password;
use super::token::{self, Refused, SigningKey};
use super::user;

/// Why a request could not be tied to a signed-in user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthFailure {
    /// No `Authorization: Bearer ...` header.
    TokenMissing,
    /// Malformed, wrongly signed, for another audience, or its account is gone or disabled.
    TokenInvalid,
    /// Valid once, but past its `exp`: sign in again.
    TokenExpired,
    /// Login with a wrong username or password (never says which).
    InvalidCredentials,
}

/// What a successful login hands back.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AccessToken {
    pub access_token: String,
    pub token_type: &'static str,
    pub expires_in: i64,
}

/// Checks a username and password and issues a token. A wrong password, an unknown user and a
/// disabled account all give the same answer, after the same amount of hashing work. Every
/// outcome is in the audit trail, written in the batch that records it on the account: one read
/// and one write.
pub async fn login(
    db: &impl Database,
    key: &SigningKey,
    username: &str,
    password: &str,
    request: audit::Request<'_>,
    lifetime: i64,
) -> Result<AccessToken, Error> {
    let now = request.at;
    let stored = user::find_by_username(db, username).await?;
    let entry =
        |outcome, account: Option<&user::StoredUser>| audit::sign_in(outcome, account.map(|a| a.id), username, request);
    if let Some(retry_after) = stored.as_ref().and_then(|u| u.locked_for(now)) {
        write_one(db, entry(SignIn::RefusedWhileLocked, stored.as_ref())).await?;
        return Err(Error::AccountLocked { retry_after });
    }
    let hash = stored.as_ref().map_or(password::DUMMY_HASH, |u| u.password_hash.as_str());
    let matches = password::verify(password, hash);
    let Some(account) = stored else {
        write_one(db, entry(SignIn::Failed, None)).await?;
        return Err(Error::Unauthenticated(AuthFailure::InvalidCredentials));
    };
    if !matches || account.disabled {
        if let Some(until) = user::record_failure(db, account.id, now, entry(SignIn::Failed, Some(&account))).await? {
            if until > now {
                return Err(Error::AccountLocked { retry_after: until - now });
            }
        }
        return Err(Error::Unauthenticated(AuthFailure::InvalidCredentials));
    }
    user::record_success(db, account.id, entry(SignIn::Succeeded, Some(&account))).await?;
    let access_token = token::issue(key, &account.id.to_string(), now, lifetime).map_err(Error::Internal)?;
    Ok(AccessToken { access_token, token_type: "Bearer", expires_in: lifetime })
}

/// Who a valid token says is signed in. The token's signature and claims are verified; whether
/// the account may still act is checked by the database in the same round trip as the request's
/// own statements (see [`super::signed_in`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Claim {
    pub account_id: i64,
    /// When the token was issued (Unix seconds): tokens older than the account's last password
    /// change are refused.
    pub issued_at: i64,
}

/// The claim of an `Authorization: Bearer` header, or why there is none. Needs no database.
pub fn claim(key: &SigningKey, authorization: Option<&str>, now: i64) -> Result<Claim, AuthFailure> {
    let header = authorization.ok_or(AuthFailure::TokenMissing)?;
    let (scheme, token) = header.trim().split_once(' ').ok_or(AuthFailure::TokenMissing)?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(AuthFailure::TokenMissing);
    }
    let verified = token::verify(key, token.trim(), now).map_err(|refused| match refused {
        Refused::Expired => AuthFailure::TokenExpired,
        _ => AuthFailure::TokenInvalid,
    })?;
    let account_id = verified.subject.parse::<i64>().map_err(|_| AuthFailure::TokenInvalid)?;
    Ok(Claim { account_id, issued_at: verified.issued_at })
}
