//! Access tokens: HS256 JWTs signed with the `JWT_SECRET`, checked strictly on every request.

use chrono::{DateTime, Utc};
use jwt_compact::alg::{Hs256, Hs256Key};
use jwt_compact::{AlgorithmExt, Claims, Header, TimeOptions, UntrustedToken, ValidationError};
use serde::{Deserialize, Serialize};

pub const ISSUER: &str = "panda";
pub const AUDIENCE: &str = "panda-api";
/// Secrets shorter than this are refused: HS256 needs at least 256 bits of key.
pub const MIN_SECRET_BYTES: usize = 32;
pub const MIN_LIFETIME_SECONDS: i64 = 15 * 60;
pub const MAX_LIFETIME_SECONDS: i64 = 60 * 60;
pub const DEFAULT_LIFETIME_SECONDS: i64 = 15 * 60;
/// Tolerated clock difference for `exp`, `nbf` and `iat`.
const LEEWAY_SECONDS: i64 = 30;

/// The signing key. It can only be built from a secret long enough to be safe, so a missing or
/// weak secret can never sign or accept a token: the caller has to fail closed.
pub struct SigningKey(Hs256Key);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("JWT_SECRET is not set")]
    Missing,
    #[error("JWT_SECRET is {bytes} bytes long; at least {MIN_SECRET_BYTES} are required")]
    TooShort { bytes: usize },
}

impl SigningKey {
    pub fn from_secret(secret: Option<&str>) -> Result<Self, KeyError> {
        let secret = secret.ok_or(KeyError::Missing)?;
        if secret.len() < MIN_SECRET_BYTES {
            return Err(KeyError::TooShort { bytes: secret.len() });
        }
        Ok(Self(Hs256Key::new(secret.as_bytes())))
    }
}

/// Token lifetime in seconds from a configured value, kept within 15 minutes to 1 hour.
pub fn lifetime_seconds(configured: Option<&str>) -> i64 {
    configured
        .and_then(|v| v.trim().parse::<i64>().ok())
        .unwrap_or(DEFAULT_LIFETIME_SECONDS)
        .clamp(MIN_LIFETIME_SECONDS, MAX_LIFETIME_SECONDS)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Registered {
    iss: String,
    aud: String,
    sub: String,
}

/// What a valid token says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The user's id.
    pub subject: String,
    /// When the token was issued (Unix seconds), for revoking tokens older than a password change.
    pub issued_at: i64,
}

/// Why a token was refused. Only `Expired` is told to the client apart from the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    Malformed,
    Algorithm,
    Signature,
    Expired,
    NotYetValid,
    Issuer,
    Audience,
    IssuedInFuture,
}

fn at(unix_seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(unix_seconds, 0).unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
}

fn options(now: i64) -> TimeOptions<impl Fn() -> DateTime<Utc>> {
    TimeOptions::new(chrono::Duration::seconds(LEEWAY_SECONDS), move || at(now))
}

/// Issues a token for `subject`, valid from `now` for `lifetime` seconds.
pub fn issue(key: &SigningKey, subject: &str, now: i64, lifetime: i64) -> Result<String, String> {
    let claims = Claims::new(Registered { iss: ISSUER.into(), aud: AUDIENCE.into(), sub: subject.into() })
        .set_duration_and_issuance(&options(now), chrono::Duration::seconds(lifetime))
        .set_not_before(at(now));
    Hs256.token(&Header::empty(), &claims, &key.0).map_err(|e| e.to_string())
}

/// Checks a token completely: algorithm pinned to HS256 (so `none` and every other algorithm are
/// refused before anything else), signature, `exp`, `nbf`, `iat`, `iss` and `aud`.
pub fn verify(key: &SigningKey, token: &str, now: i64) -> Result<Verified, Refused> {
    let untrusted = UntrustedToken::new(token).map_err(|_| Refused::Malformed)?;
    let token = Hs256.validator::<Registered>(&key.0).validate(&untrusted).map_err(|e| match e {
        ValidationError::AlgorithmMismatch { .. } => Refused::Algorithm,
        ValidationError::InvalidSignature | ValidationError::InvalidSignatureLen { .. } => Refused::Signature,
        _ => Refused::Malformed,
    })?;
    let claims = token.claims();
    let options = options(now);
    claims.validate_expiration(&options).map_err(|e| match e {
        ValidationError::Expired => Refused::Expired,
        _ => Refused::Malformed,
    })?;
    claims.validate_maturity(&options).map_err(|e| match e {
        ValidationError::NotMature => Refused::NotYetValid,
        _ => Refused::Malformed,
    })?;
    let issued_at = claims.issued_at.ok_or(Refused::Malformed)?.timestamp();
    if issued_at > now + LEEWAY_SECONDS {
        return Err(Refused::IssuedInFuture);
    }
    if claims.custom.iss != ISSUER {
        return Err(Refused::Issuer);
    }
    if claims.custom.aud != AUDIENCE {
        return Err(Refused::Audience);
    }
    Ok(Verified { subject: claims.custom.sub.clone(), issued_at })
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    const SECRET: &str = "a-test-secret-that-is-long-enough-for-hs256";
    const NOW: i64 = 1_795_000_000;

    fn key() -> SigningKey {
        SigningKey::from_secret(Some(SECRET)).unwrap()
    }

    /// Signs arbitrary claims with an arbitrary header `alg`, as an attacker with (or without) the key would.
    fn forge(alg: &str, claims: serde_json::Value, secret: &str) -> String {
        use jwt_compact::AlgorithmSignature as _;
        let b64 = |bytes: &[u8]| {
            const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
            let mut out = String::new();
            for chunk in bytes.chunks(3) {
                let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
                for i in 0..=chunk.len() {
                    out.push(TABLE[((n >> (18 - 6 * i)) & 63) as usize] as char);
                }
            }
            out
        };
        let signing_input = format!(
            "{}.{}",
            b64(serde_json::json!({"alg": alg, "typ": "JWT"}).to_string().as_bytes()),
            b64(claims.to_string().as_bytes())
        );
        let signature = if alg == "none" {
            Vec::new()
        } else {
            let key = Hs256Key::new(secret.as_bytes());
            jwt_compact::Algorithm::sign(&Hs256, &key, signing_input.as_bytes()).as_bytes().to_vec()
        };
        format!("{signing_input}.{}", b64(&signature))
    }

    fn claims(overrides: serde_json::Value) -> serde_json::Value {
        let mut claims =
            serde_json::json!({"iss": ISSUER, "aud": AUDIENCE, "sub": "1", "iat": NOW, "nbf": NOW, "exp": NOW + 900});
        for (k, v) in overrides.as_object().unwrap() {
            claims[k] = v.clone();
        }
        claims
    }

    #[test]
    fn an_issued_token_verifies_with_its_subject() {
        let token = issue(&key(), "42", NOW, 900).unwrap();
        assert_eq!(verify(&key(), &token, NOW + 10), Ok(Verified { subject: "42".into(), issued_at: NOW }));
    }

    #[test]
    fn the_forging_helper_makes_tokens_the_verifier_accepts() {
        assert!(verify(&key(), &forge("HS256", claims(serde_json::json!({})), SECRET), NOW).is_ok());
    }

    #[test]
    fn an_expired_token_is_refused() {
        let token = issue(&key(), "42", NOW, 900).unwrap();
        assert_eq!(verify(&key(), &token, NOW + 900 + LEEWAY_SECONDS + 1), Err(Refused::Expired));
    }

    #[test]
    fn a_token_not_yet_valid_is_refused() {
        let token = forge("HS256", claims(serde_json::json!({"nbf": NOW + 600})), SECRET);
        assert_eq!(verify(&key(), &token, NOW), Err(Refused::NotYetValid));
        let token = forge("HS256", claims(serde_json::json!({"iat": NOW + 600})), SECRET);
        assert_eq!(verify(&key(), &token, NOW), Err(Refused::IssuedInFuture));
    }

    #[test]
    fn a_wrong_issuer_or_audience_is_refused() {
        let token = forge("HS256", claims(serde_json::json!({"iss": "someone-else"})), SECRET);
        assert_eq!(verify(&key(), &token, NOW), Err(Refused::Issuer));
        let token = forge("HS256", claims(serde_json::json!({"aud": "another-api"})), SECRET);
        assert_eq!(verify(&key(), &token, NOW), Err(Refused::Audience));
    }

    #[test]
    fn a_bad_signature_is_refused() {
        let token = forge("HS256", claims(serde_json::json!({})), "another-secret-that-is-also-long-enough");
        assert_eq!(verify(&key(), &token, NOW), Err(Refused::Signature));
    }

    #[test]
    fn alg_none_and_other_algorithms_are_refused() {
        assert_eq!(verify(&key(), &forge("none", claims(serde_json::json!({})), SECRET), NOW), Err(Refused::Algorithm));
        for alg in ["HS384", "HS512", "RS256", "ES256", "hs256"] {
            assert_eq!(
                verify(&key(), &forge(alg, claims(serde_json::json!({})), SECRET), NOW),
                Err(Refused::Algorithm),
                "{alg}"
            );
        }
    }

    #[test]
    fn tokens_missing_a_time_claim_are_refused() {
        for claim in ["exp", "nbf", "iat"] {
            let mut c = claims(serde_json::json!({}));
            c.as_object_mut().unwrap().remove(claim);
            assert!(verify(&key(), &forge("HS256", c, SECRET), NOW).is_err(), "without {claim}");
        }
    }

    #[test]
    fn garbage_is_malformed() {
        for token in ["", "a.b", "a.b.c", "....", "eyJhbGciOiJIUzI1NiJ9.%%%.x"] {
            assert!(verify(&key(), token, NOW).is_err(), "{token}");
        }
    }

    #[test]
    fn a_missing_or_short_secret_cannot_make_a_key() {
        assert_eq!(SigningKey::from_secret(None).err(), Some(KeyError::Missing));
        assert_eq!(SigningKey::from_secret(Some("short")).err(), Some(KeyError::TooShort { bytes: 5 }));
        assert!(SigningKey::from_secret(Some(&"x".repeat(32))).is_ok());
    }

    #[test]
    fn the_lifetime_stays_between_fifteen_minutes_and_an_hour() {
        assert_eq!(lifetime_seconds(None), 900);
        assert_eq!(lifetime_seconds(Some("60")), 900);
        assert_eq!(lifetime_seconds(Some("1800")), 1800);
        assert_eq!(lifetime_seconds(Some("86400")), 3600);
        assert_eq!(lifetime_seconds(Some("soon")), 900);
    }
}
