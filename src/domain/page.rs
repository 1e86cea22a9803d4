//! Keyset pagination: page sizes and the opaque cursors that continue a list.
//!
//! A cursor names the last row of a page by its sort key, so the next page starts strictly after
//! it. Rows added meanwhile never shift a page: every row that existed when the listing started
//! appears exactly once. Cursors are hex so they survive URLs unescaped; clients must treat them
//! as opaque.

use super::invalid::Invalid;

pub const DEFAULT_LIMIT: u32 = 50;
pub const MAX_LIMIT: u32 = 200;

/// Long enough for the longest key: a 200-character name of 4-byte characters, hex-encoded,
/// plus a start time and separator.
pub const MAX_CURSOR_CHARS: usize = 1700;

pub fn parse_limit(input: Option<&str>) -> Result<u32, Invalid> {
    let Some(input) = input else { return Ok(DEFAULT_LIMIT) };
    match input.trim().parse::<u32>() {
        Ok(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        _ => Err(Invalid::new("limit-out-of-range").with("min", 1).with("max", MAX_LIMIT)),
    }
}

/// Encodes a sort key (already a string) as an opaque cursor.
pub fn encode_cursor(key: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(key.len() * 2);
    for b in key.bytes() {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0x0f)]));
    }
    out
}

/// The cursor of a two-part sort key, `first|second` (neither part may hold a `|`).
pub fn pair_cursor(first: impl std::fmt::Display, second: impl std::fmt::Display) -> String {
    encode_cursor(&format!("{first}|{second}"))
}

/// The two parts of a decoded [`pair_cursor`], or none when they do not read as `A` and `B`.
pub fn split_pair<A: std::str::FromStr, B: std::str::FromStr>(key: &str) -> Option<(A, B)> {
    let (first, second) = key.split_once('|')?;
    Some((first.parse().ok()?, second.parse().ok()?))
}

/// Decodes a cursor made by [`encode_cursor`]; anything else is refused.
pub fn decode_cursor(cursor: &str) -> Result<String, Invalid> {
    let invalid = || Invalid::new("cursor-invalid");
    if !cursor.len().is_multiple_of(2) || cursor.len() > MAX_CURSOR_CHARS {
        return Err(invalid());
    }
    let bytes = (0..cursor.len())
        .step_by(2)
        .map(|i| cursor.get(i..i + 2).and_then(|pair| u8::from_str_radix(pair, 16).ok()))
        .collect::<Option<Vec<u8>>>()
        .ok_or_else(invalid)?;
    String::from_utf8(bytes).map_err(|_| invalid())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limit_defaults_to_fifty_and_stays_between_one_and_two_hundred() {
        assert_eq!(parse_limit(None), Ok(50));
        assert_eq!(parse_limit(Some("1")), Ok(1));
        assert_eq!(parse_limit(Some("200")), Ok(200));
        for bad in ["0", "201", "-1", "ten", "", "99999999999999999999"] {
            assert_eq!(parse_limit(Some(bad)).unwrap_err().code, "limit-out-of-range", "{bad}");
        }
    }

    #[test]
    fn cursors_are_lowercase_hex_of_the_key_bytes() {
        assert_eq!(encode_cursor("09|Zoë"), "30397c5a6fc3ab");
        assert_eq!(encode_cursor(""), "");
    }

    #[test]
    fn cursors_round_trip() {
        for key in ["0021403597", "1764547200|343d31d4-5993-47ef-a468-7884a467ae80", ""] {
            assert_eq!(decode_cursor(&encode_cursor(key)).unwrap(), key);
        }
    }

    #[test]
    fn forged_cursors_are_refused_without_panicking() {
        for bad in ["abc", "zz", "ffff", "é1", "0é"] {
            assert_eq!(decode_cursor(bad).unwrap_err().code, "cursor-invalid", "{bad}");
        }
    }
}

/// One page of a list, as every list route returns it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// From rows fetched with `LIMIT limit + 1`: the extra row only says another page exists.
    pub fn from_overfetch(mut rows: Vec<T>, limit: u32, cursor_of: impl Fn(&T) -> String) -> Self {
        let more = rows.len() > limit as usize;
        rows.truncate(limit as usize);
        let next_cursor = if more { rows.last().map(cursor_of) } else { None };
        Page { items: rows, next_cursor }
    }
}
