//! The one clock of the worker. Domain code never reads time itself; it is handed `now`.

use time::OffsetDateTime;

/// The current instant in UTC, from the runtime's `Date.now()` (milliseconds).
pub fn now() -> OffsetDateTime {
    from_millis(worker::Date::now().as_millis())
}

fn from_millis(millis: u64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(millis) * 1_000_000).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn now_follows_the_javascript_clock() {
        let before = js_millis();
        let now = now();
        let after = js_millis();
        let millis = (now.unix_timestamp_nanos() / 1_000_000) as f64;
        assert!(before <= millis && millis <= after, "{before} <= {millis} <= {after}");
        assert!(now.year() >= 2026, "clock reads {now}");
    }

    #[wasm_bindgen_test]
    fn milliseconds_convert_to_the_exact_instant() {
        let t = from_millis(1_764_547_200_123);
        assert_eq!(t.unix_timestamp(), 1_764_547_200);
        assert_eq!(t.millisecond(), 123);
    }

    fn js_millis() -> f64 {
        worker::js_sys::Date::now()
    }
}
