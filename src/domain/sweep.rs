//! The cron sweep: persists `missed` for active appointments whose end has passed.
//!
//! Reads never depend on it (the status is derived at request time, see `appointment::status`);
//! the sweep only makes the stored value catch up so that exports and ad-hoc SQL agree.

use super::audit;
use super::db::{Database, DbError, Results, Statement};

/// Rows changed per statement: small enough for D1's per-query limits with any backlog.
pub const CHUNK: i64 = 500;
/// Statements per run: well under D1's 1,000 queries per invocation. A bigger backlog is
/// finished by the following runs, which is harmless because reads derive the status anyway.
pub const MAX_CHUNKS_PER_RUN: usize = 200;

/// Uses the partial index `appointments_active_by_end`, so the cost follows the backlog, not the table.
pub const MARK_MISSED: &str = "\
UPDATE appointments
   SET status = 'missed', version = version + 1, updated_at = ?1
 WHERE id IN (SELECT id FROM appointments
               WHERE status = 'active' AND ends_at <= ?1
               LIMIT ?2)
RETURNING id";

/// What one run of the sweep did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SweepReport {
    pub marked_missed: usize,
    /// True when the run stopped at [`MAX_CHUNKS_PER_RUN`] with work left for the next run.
    pub backlog_remaining: bool,
}

/// Marks every active appointment that ended at or before `now` (Unix seconds) as missed.
/// Idempotent: a second run at the same instant changes nothing. Each change is in the audit
/// trail as `system:sweep`'s.
pub async fn mark_missed(db: &impl Database, now: i64) -> Result<SweepReport, DbError> {
    let mut marked_missed = 0;
    for _ in 0..MAX_CHUNKS_PER_RUN {
        let batch = vec![
            audit::enter_as_system(now, audit::SWEEP),
            Statement::new(MARK_MISSED).bind(now).bind(CHUNK),
            audit::leave(),
        ];
        let changed = Results::new(db.write(batch).await?).take(1)?.len()?;
        marked_missed += changed;
        if (changed as i64) < CHUNK {
            return Ok(SweepReport { marked_missed, backlog_remaining: false });
        }
    }
    Ok(SweepReport { marked_missed, backlog_remaining: true })
}
