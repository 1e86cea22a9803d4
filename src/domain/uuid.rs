//! UUIDs in the one form PANDA reads and writes: 8-4-4-4-12 hex digits, lowercase when written.
//!
//! By hand, not with the `uuid` crate: PANDA needs only this form checked and version 4 made, and
//! `uuid` would also take braces, URNs and the simple form, which the API refuses.

/// `input`, lowercased, if it is a hyphenated UUID (any version, either case).
pub fn parse_hyphenated(input: &str) -> Option<String> {
    let well_formed = input.len() == 36
        && input.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        });
    well_formed.then(|| input.to_ascii_lowercase())
}

/// A new random (version 4) UUID, hyphenated and lowercase.
pub fn new_v4() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)?;
    Ok(v4_from_bytes(bytes))
}

fn v4_from_bytes(mut bytes: [u8; 16]) -> String {
    bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
    bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 9562 variant
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(36);
    for (i, byte) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            text.push('-');
        }
        text.push(char::from(HEX[usize::from(byte >> 4)]));
        text.push(char::from(HEX[usize::from(byte & 0x0f)]));
    }
    text
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn hyphenated_uuids_are_read_in_either_case_and_given_back_lowercase() {
        assert_eq!(
            parse_hyphenated("343D31D4-5993-47EF-A468-7884A467AE80").as_deref(),
            Some("343d31d4-5993-47ef-a468-7884a467ae80")
        );
        for bad in ["", "343d31d4", "343d31d4-5993-47ef-a468-7884a467ae8g", "343d31d4x5993-47ef-a468-7884a467ae80", "ü"]
        {
            assert_eq!(parse_hyphenated(bad), None, "{bad}");
        }
    }

    #[test]
    fn new_uuids_are_version_4_and_parse_back() {
        let id = new_v4().unwrap();
        assert_eq!(parse_hyphenated(&id), Some(id.clone()));
        assert_eq!(&id[14..15], "4");
        assert!(matches!(&id[19..20], "8" | "9" | "a" | "b"));
        assert_ne!(new_v4().unwrap(), id);
        assert_eq!(v4_from_bytes([0xff; 16]), "ffffffff-ffff-4fff-bfff-ffffffffffff");
    }
}
