//! Appointment identifiers: UUIDs, stored and returned in lowercase hyphenated form.
//!
//! By hand, not with the `uuid` crate: PANDA needs only the hyphenated form checked and v4 made,
//! and `uuid` would also take braces, URNs and the simple form, which the API refuses.

use serde::Serialize;

use super::invalid::Invalid;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct AppointmentId(String);

impl AppointmentId {
    /// Accepts any UUID in the 8-4-4-4-12 hex form, in either case; the client's data uses v4.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let input = input.trim();
        let well_formed = input.len() == 36
            && input.char_indices().all(|(i, c)| match i {
                8 | 13 | 18 | 23 => c == '-',
                _ => c.is_ascii_hexdigit(),
            });
        if well_formed {
            Ok(Self(input.to_ascii_lowercase()))
        } else {
            Err(Invalid::new("appointment-id-format"))
        }
    }

    /// A new random (version 4) UUID.
    pub fn new_v4() -> Result<Self, getrandom::Error> {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes)?;
        Ok(Self::from_v4_bytes(bytes))
    }

    fn from_v4_bytes(mut bytes: [u8; 16]) -> Self {
        bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
        bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 9562 variant
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        Self(format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32]))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_accepted_in_either_case_and_returned_lowercase() {
        let id = AppointmentId::parse("343D31D4-5993-47EF-A468-7884A467AE80").unwrap();
        assert_eq!(id.as_str(), "343d31d4-5993-47ef-a468-7884a467ae80");
    }

    #[test]
    fn anything_else_is_refused() {
        for bad in ["", "343d31d4", "343d31d4-5993-47ef-a468-7884a467ae8g", "343d31d4x5993-47ef-a468-7884a467ae80", "ü"]
        {
            assert_eq!(AppointmentId::parse(bad).unwrap_err().code, "appointment-id-format", "{bad}");
        }
    }

    #[test]
    fn new_ids_are_version_4_uuids_that_parse_back() {
        let id = AppointmentId::new_v4().unwrap();
        assert_eq!(AppointmentId::parse(id.as_str()).unwrap(), id);
        assert_eq!(&id.as_str()[14..15], "4");
        assert!(matches!(&id.as_str()[19..20], "8" | "9" | "a" | "b"));
        assert_ne!(AppointmentId::new_v4().unwrap(), id);
    }
}
