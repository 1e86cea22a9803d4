//! Staff passwords: argon2id hashes in PHC string format.
//!
//! The parameters live inside each stored string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`), so
//! they can be raised for new hashes later while old ones still verify with their own.

use argon2::password_hash::phc::PasswordHash;
use argon2::{Algorithm, Argon2, Params, PasswordHasher, PasswordVerifier, Version};

/// OWASP's minimum for argon2id: 19 MiB of memory, 2 passes, 1 lane.
pub const MEMORY_KIB: u32 = 19 * 1024;
pub const PASSES: u32 = 2;
pub const LANES: u32 = 1;

/// Passwords longer than this are refused before hashing, so nobody can make the server hash
/// megabytes; 1,024 bytes is far beyond any passphrase.
pub const MAX_PASSWORD_BYTES: usize = 1024;

/// New passwords need at least this many characters (NIST SP 800-63B asks for 8 at the least;
/// staff accounts guard patient data, so PANDA asks for more).
pub const MIN_NEW_PASSWORD_CHARS: usize = 12;

/// Whether a password may be set for an account.
pub fn check_new(password: &str) -> Result<(), crate::domain::invalid::Invalid> {
    use crate::domain::invalid::Invalid;
    if password.chars().count() < MIN_NEW_PASSWORD_CHARS {
        Err(Invalid::new("password-too-short").with("min", MIN_NEW_PASSWORD_CHARS))
    } else if password.len() > MAX_PASSWORD_BYTES {
        Err(Invalid::new("password-too-long").with("max", MAX_PASSWORD_BYTES))
    } else {
        Ok(())
    }
}

/// A hash of a password nobody knows, verified when the username is unknown so that an unknown
/// user costs the same time as a wrong password and timing does not reveal which usernames exist.
pub const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$cGFuZGEtZHVtbXktc2FsdA$HzS4E4bMmD5ud+JIVXCXKd4b7ahMQFNzmjLSsz7x8eM";

fn hasher() -> Argon2<'static> {
    // The values are constants within argon2's limits; the fallback is never taken.
    let params = Params::new(MEMORY_KIB, PASSES, LANES, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HashError {
    #[error("the password is longer than {MAX_PASSWORD_BYTES} bytes")]
    TooLong,
    #[error("no random salt available: {0}")]
    NoRandomness(String),
    #[error("argon2 failed: {0}")]
    Argon2(String),
}

/// Hashes `password` with a fresh random 16-byte salt.
pub fn hash(password: &str) -> Result<String, HashError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| HashError::NoRandomness(e.to_string()))?;
    hash_with_salt(password, &salt)
}

pub fn hash_with_salt(password: &str, salt: &[u8]) -> Result<String, HashError> {
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(HashError::TooLong);
    }
    hasher()
        .hash_password_with_salt(password.as_bytes(), salt)
        .map(|hash| hash.to_string())
        .map_err(|e| HashError::Argon2(e.to_string()))
}

/// Whether `password` matches the PHC string `stored`, using the parameters stored with it.
/// A malformed stored string never matches.
pub fn verify(password: &str, stored: &str) -> bool {
    if password.len() > MAX_PASSWORD_BYTES {
        return false;
    }
    let Ok(parsed) = PasswordHash::new(stored) else { return false };
    hasher().verify_password(password.as_bytes(), &parsed).is_ok()
}

/// The argon2 parameters a stored hash was made with: `(memory KiB, passes, lanes)`.
pub fn parameters(stored: &str) -> Option<(u32, u32, u32)> {
    let parsed = PasswordHash::new(stored).ok()?;
    let params = Params::try_from(&parsed).ok()?;
    Some((params.m_cost(), params.t_cost(), params.p_cost()))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_against_its_own_hash_only() {
        let stored = hash("correct horse battery staple").unwrap();
        assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{stored}");
        assert!(verify("correct horse battery staple", &stored));
        assert!(!verify("correct horse battery stapler", &stored));
        assert!(!verify("", &stored));
    }

    #[test]
    fn new_passwords_need_twelve_characters() {
        assert_eq!(check_new("short").unwrap_err().code, "password-too-short");
        assert_eq!(check_new("twelve chars"), Ok(()));
        assert_eq!(check_new(&"a".repeat(MAX_PASSWORD_BYTES + 1)).unwrap_err().code, "password-too-long");
    }

    #[test]
    fn each_hash_has_its_own_salt() {
        assert_ne!(hash("same").unwrap(), hash("same").unwrap());
    }

    #[test]
    fn stored_parameters_are_read_from_the_phc_string() {
        assert_eq!(parameters(&hash("x").unwrap()), Some((19_456, 2, 1)));
        assert_eq!(parameters("not a hash"), None);
    }

    #[test]
    fn hashes_made_with_other_parameters_still_verify() {
        let stronger = Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(32 * 1024, 3, 1, None).unwrap())
            .hash_password_with_salt(b"pw", b"somesaltsomesalt")
            .unwrap()
            .to_string();
        assert_eq!(parameters(&stronger), Some((32 * 1024, 3, 1)));
        assert!(verify("pw", &stronger));
    }

    #[test]
    fn the_dummy_hash_is_well_formed_and_matches_nothing_likely() {
        assert_eq!(parameters(DUMMY_HASH), Some((MEMORY_KIB, PASSES, LANES)));
        assert!(!verify("", DUMMY_HASH));
        assert!(!verify("password", DUMMY_HASH));
    }

    #[test]
    fn malformed_stored_hashes_and_huge_passwords_never_match() {
        assert!(!verify("pw", ""));
        assert!(!verify("pw", "$argon2id$v=19$m=19456,t=2,p=1$$"));
        assert!(!verify(&"a".repeat(MAX_PASSWORD_BYTES + 1), DUMMY_HASH));
        assert_eq!(hash(&"a".repeat(MAX_PASSWORD_BYTES + 1)), Err(HashError::TooLong));
    }
}
