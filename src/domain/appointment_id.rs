//! Appointment identifiers: UUIDs, stored and returned in lowercase hyphenated form
//! (`domain::uuid`).

use serde::Serialize;

use super::invalid::Invalid;
use super::uuid;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct AppointmentId(String);

impl AppointmentId {
    /// Accepts any UUID in the 8-4-4-4-12 hex form, in either case; the client's data uses v4.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        uuid::parse_hyphenated(input.trim()).map(Self).ok_or_else(|| Invalid::new("appointment-id-format"))
    }

    /// A new random (version 4) UUID.
    pub fn new_v4() -> Result<Self, getrandom::Error> {
        uuid::new_v4().map(Self)
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
