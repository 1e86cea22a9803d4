//! The scheduled work: the missed-appointment sweep, and search words for patients stored before
//! names had them. The worker runs it on its cron trigger, the native server on a timer; both log
//! the lines it returns.

use crate::domain::db::Database;
use crate::domain::{patient_search, sweep};

/// Chunks of patients given search words per run: with the sweep's statements, well under D1's
/// 1,000 queries per invocation.
const SEARCH_CHUNKS_PER_RUN: usize = 10;

/// One JSON log line, and whether it reports a failure.
pub struct Line {
    pub text: String,
    pub is_error: bool,
}

/// Runs the scheduled work at `now` (Unix seconds); `trigger` names what started it (the cron
/// expression, or the native server's interval) in the sweep's line.
pub async fn run(db: &impl Database, now: i64, trigger: &str) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut sweep_line = serde_json::json!({ "event": "missed-appointment-sweep", "cron": trigger });
    let is_error = match sweep::mark_missed(db, now).await {
        Ok(report) => {
            sweep_line["marked_missed"] = report.marked_missed.into();
            sweep_line["backlog_remaining"] = report.backlog_remaining.into();
            false
        }
        Err(e) => {
            sweep_line["cause"] = e.to_string().into();
            true
        }
    };
    lines.push(Line { text: sweep_line.to_string(), is_error });
    match patient_search::index_unsearchable(db, SEARCH_CHUNKS_PER_RUN).await {
        Ok((0, _)) => {}
        Ok((indexed, left)) => lines.push(Line {
            text: serde_json::json!({ "event": "patient-search-backfill", "indexed": indexed, "remaining": left })
                .to_string(),
            is_error: false,
        }),
        Err(e) => lines.push(Line {
            text: serde_json::json!({ "event": "patient-search-backfill", "cause": e.to_string() }).to_string(),
            is_error: true,
        }),
    }
    lines
}
