//! Missed-appointment statistics per clinician or department over time, and the clinician and
//! department lists with their counts. Every count uses the effective status, so an active
//! appointment whose end has passed counts as missed before the sweep has stored it.

use serde::{Deserialize, Serialize};
use time::{OffsetDateTime, Time};

use super::db::{read_one, Database, Dialect, Statement};
use super::error::Error;
use super::invalid::Invalid;
use super::page::{encode_cursor, Page};
use super::person_name::FreeText;
use super::status::{effective_status_condition, Status, ENDS_AT};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    Clinician,
    Department,
}

impl GroupBy {
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        match input {
            "clinician" => Ok(GroupBy::Clinician),
            "department" => Ok(GroupBy::Department),
            _ => Err(Invalid::new("group-by-unknown")),
        }
    }

    /// (table of names, the appointment column that refers to it)
    fn table(self) -> (&'static str, &'static str) {
        match self {
            GroupBy::Clinician => ("clinicians", "clinician_id"),
            GroupBy::Department => ("departments", "department_id"),
        }
    }
}

/// Calendar periods in UTC. Weeks start on Monday (ISO 8601).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Day,
    Week,
    Month,
}

impl Period {
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        match input {
            "day" => Ok(Period::Day),
            "week" => Ok(Period::Week),
            "month" => Ok(Period::Month),
            _ => Err(Invalid::new("period-unknown")),
        }
    }

    /// The SQL for the first day of the period a UTC day (`days.day`, days since 1970) falls in.
    /// Day 0 was a Thursday, so a day's Monday is `(day % 7 + 10) % 7` days back (`%` keeps the
    /// sign of the day in both dialects, hence the + 10 rather than + 3).
    fn start_sql(self, sql: Dialect) -> String {
        match self {
            Period::Day => sql.date_of_day("days.day"),
            Period::Week => sql.date_of_day("days.day - (days.day % 7 + 10) % 7"),
            Period::Month => sql.month_of_day("days.day"),
        }
    }
}

/// `YYYY-MM-DD` of a day counted from 1970-01-01. By hand: `time`'s formatter would add 10 KB of
/// wasm for this one date.
fn day_text(day: i64) -> String {
    let date = OffsetDateTime::UNIX_EPOCH.date() + time::Duration::days(day);
    let (year, month, day) = (date.year(), u8::from(date.month()), date.day());
    let mut text = String::with_capacity(10);
    for (value, width) in [(year.unsigned_abs(), 4_usize), (u32::from(month), 2), (u32::from(day), 2)] {
        if !text.is_empty() {
            text.push('-');
        }
        let digits = value.to_string();
        text.extend(std::iter::repeat_n('0', width.saturating_sub(digits.len())));
        text.push_str(&digits);
    }
    text
}

/// A day boundary (`YYYY-MM-DD`, taken as 00:00 UTC) for `from` and `to`.
pub fn parse_day(input: &str) -> Result<i64, Invalid> {
    let date = super::timestamp::parse_iso_date(input.trim()).ok_or_else(|| Invalid::new("date-format"))?;
    Ok(OffsetDateTime::new_utc(date, Time::MIDNIGHT).unix_timestamp())
}

#[derive(Debug, Clone, Default)]
pub struct MissedQuery {
    /// Appointments starting at or after this instant (Unix seconds).
    pub from: Option<i64>,
    /// Appointments starting before this instant.
    pub to: Option<i64>,
    pub clinician: Option<FreeText>,
    pub department: Option<FreeText>,
}

/// One group in one period. Periods with no appointments are left out.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MissedRow {
    pub group: String,
    pub period_start: String,
    pub appointments: i64,
    pub attended: i64,
    pub missed: i64,
    pub cancelled: i64,
    /// Clinician time booked for appointments nobody came to.
    pub missed_minutes: i64,
    /// missed / (attended + missed): of the appointments that went ahead or should have, the
    /// share that were missed. Cancelled and still-active ones are not counted. 0 when none.
    pub missed_rate: f64,
}

#[derive(Deserialize)]
struct Counts {
    grp: String,
    period_start: String,
    appointments: i64,
    attended: i64,
    missed: i64,
    cancelled: i64,
    missed_minutes: i64,
}

/// The most rows one answer may have; a wider question is refused with advice to narrow it
/// (a shorter range, a longer period, or one clinician or department).
pub const MAX_ROWS: usize = 5_000;

/// Bounds for an open range, within the integers D1 carries exactly (±2^53).
const EARLIEST: i64 = -(1 << 53) + 1;
const LATEST: i64 = (1 << 53) - 1;

const DAY: i64 = 86_400;

/// The UTC day an instant falls in, rounding down before 1970 too (as the migration's triggers do).
fn day_of(seconds: i64) -> i64 {
    seconds.div_euclid(DAY)
}

/// Days whose appointments have all ended by `now`: a day's appointments start before its end and
/// last at most 24 hours, so everything that started two or more days ago is over. Those days are
/// read from `appointment_day_counts`, where a stored `active` therefore means missed; the
/// days after are read from the appointments themselves, with the effective status.
pub fn first_unsettled_day(now: i64) -> i64 {
    day_of(now) - 1
}

/// One row per group and period, or, without a period, one per group for the whole range: its
/// `period_start` is then `from` when given, else the day of the group's first appointment.
pub fn missed_statement(
    sql: Dialect,
    group_by: GroupBy,
    period: Option<Period>,
    query: &MissedQuery,
    now: i64,
) -> Statement {
    let (table, column) = group_by.table();
    let missed = effective_status_condition(Status::Missed, 1, ENDS_AT);
    let from = query.from.unwrap_or(EARLIEST);
    let to = query.to.unwrap_or(LATEST);
    let unsettled = first_unsettled_day(now);
    // ?1 now; ?2 and ?3 the instants the appointments themselves are read between (the unsettled
    // part of the range); ?4 and ?5 the days read from the counts (the settled part); then filters.
    let mut statement = Statement::new(String::new())
        .bind(now)
        .bind(from.max(unsettled * DAY))
        .bind(to)
        .bind(day_of(from))
        .bind(unsettled.min(day_of(to.saturating_add(DAY - 1))));
    let mut settled_filters = String::new();
    let mut recent_filters = String::new();
    for (name, lookup, key) in
        [(&query.clinician, "clinicians", "clinician_id"), (&query.department, "departments", "department_id")]
    {
        if let Some(name) = name {
            statement.params.push(name.as_str().into());
            let n = statement.params.len();
            settled_filters.push_str(&format!(" AND r.{key} = (SELECT id FROM {lookup} WHERE name = ?{n})"));
            recent_filters.push_str(&format!(" AND a.{key} = (SELECT id FROM {lookup} WHERE name = ?{n})"));
        }
    }
    let (period_start, per_period) = match period {
        Some(period) => (period.start_sql(sql), ", period_start"),
        None => {
            let from_day = query.from.map(|from| day_text(day_of(from)));
            statement.params.push(from_day.into());
            (format!("coalesce(?{}, {})", statement.params.len(), sql.date_of_day("min(days.day)")), "")
        }
    };
    statement.sql = format!(
        "WITH settled AS (
             SELECT r.{column} AS gid, r.day AS day,
                    sum(r.appointments) AS appointments,
                    sum(CASE WHEN r.status = 'attended' THEN r.appointments ELSE 0 END) AS attended,
                    sum(CASE WHEN r.status IN ('missed', 'active') THEN r.appointments ELSE 0 END) AS missed,
                    sum(CASE WHEN r.status = 'cancelled' THEN r.appointments ELSE 0 END) AS cancelled,
                    sum(CASE WHEN r.status IN ('missed', 'active') THEN r.minutes ELSE 0 END) AS missed_minutes
               FROM appointment_day_counts r
              WHERE r.day >= ?4 AND r.day < ?5{settled_filters}
              GROUP BY r.{column}, r.day),
         recent AS (
             SELECT a.{column} AS gid, (a.starts_at - ((a.starts_at % 86400) + 86400) % 86400) / 86400 AS day,
                    count(*) AS appointments,
                    sum(CASE WHEN a.status = 'attended' THEN 1 ELSE 0 END) AS attended,
                    sum(CASE WHEN {missed} THEN 1 ELSE 0 END) AS missed,
                    sum(CASE WHEN a.status = 'cancelled' THEN 1 ELSE 0 END) AS cancelled,
                    sum(CASE WHEN {missed} THEN a.duration_minutes ELSE 0 END) AS missed_minutes
               FROM appointments a
              WHERE a.starts_at >= ?2 AND a.starts_at < ?3{recent_filters}
              GROUP BY a.{column}, day),
         days AS (SELECT * FROM settled UNION ALL SELECT * FROM recent)
         SELECT g.name AS grp,
                {period_start} AS period_start,
                sum(days.appointments) AS appointments,
                sum(days.attended) AS attended,
                sum(days.missed) AS missed,
                sum(days.cancelled) AS cancelled,
                sum(days.missed_minutes) AS missed_minutes
           FROM days
           JOIN {table} g ON g.id = days.gid
          GROUP BY days.gid, g.name{per_period}
          ORDER BY grp, period_start
          LIMIT {limit}",
        limit = MAX_ROWS + 1,
    );
    statement
}

pub async fn missed(
    db: &impl Database,
    group_by: GroupBy,
    period: Option<Period>,
    query: &MissedQuery,
    now: i64,
) -> Result<Vec<MissedRow>, Error> {
    let rows = read_one(db, missed_statement(db.dialect(), group_by, period, query, now)).await?.decode::<Counts>()?;
    if rows.len() > MAX_ROWS {
        return Err(Error::invalid("period", Invalid::new("statistics-too-large").with("max", MAX_ROWS)));
    }
    Ok(rows
        .into_iter()
        .map(|c| {
            let due = c.attended + c.missed;
            let rate = if due == 0 { 0.0 } else { c.missed as f64 / due as f64 };
            MissedRow {
                group: c.grp,
                period_start: c.period_start,
                appointments: c.appointments,
                attended: c.attended,
                missed: c.missed,
                cancelled: c.cancelled,
                missed_minutes: c.missed_minutes,
                missed_rate: (rate * 10_000.0).round() / 10_000.0,
            }
        })
        .collect())
}

/// A clinician or department with how many appointments it has, by effective status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Named {
    pub name: String,
    pub appointments: i64,
    pub active: i64,
    pub attended: i64,
    pub cancelled: i64,
    pub missed: i64,
}

/// Names in order after `after`, each with its counts; read through the name index, and each
/// one's appointments through the index on its key.
pub fn named_statement(group_by: GroupBy, after: Option<&str>, limit: u32, now: i64) -> Statement {
    let (table, column) = group_by.table();
    let [active, attended, cancelled, missed] = [Status::Active, Status::Attended, Status::Cancelled, Status::Missed]
        .map(|status| effective_status_condition(status, 1, ENDS_AT));
    Statement::new(format!(
        "SELECT g.name AS name,
                count(a.id) AS appointments,
                coalesce(sum(CASE WHEN {active} THEN 1 ELSE 0 END), 0) AS active,
                coalesce(sum(CASE WHEN {attended} THEN 1 ELSE 0 END), 0) AS attended,
                coalesce(sum(CASE WHEN {cancelled} THEN 1 ELSE 0 END), 0) AS cancelled,
                coalesce(sum(CASE WHEN {missed} THEN 1 ELSE 0 END), 0) AS missed
           FROM {table} g
           LEFT JOIN appointments a ON a.{column} = g.id
          WHERE g.name > ?2
          GROUP BY g.name
          ORDER BY g.name
          LIMIT ?3"
    ))
    .bind(now)
    .bind(after.unwrap_or(""))
    .bind(limit + 1)
}

pub async fn named(
    db: &impl Database,
    group_by: GroupBy,
    after: Option<&str>,
    limit: u32,
    now: i64,
) -> Result<Page<Named>, Error> {
    let rows = read_one(db, named_statement(group_by, after, limit, now)).await?.decode::<Named>()?;
    Ok(Page::from_overfetch(rows, limit, |n| encode_cursor(&n.name)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_midnight_utc() {
        assert_eq!(parse_day("1970-01-02"), Ok(86_400));
        assert_eq!(day_text(day_of(parse_day("2026-12-01").unwrap())), "2026-12-01");
        assert_eq!(day_text(-1), "1969-12-31");
        assert_eq!(parse_day("2026-02-30").unwrap_err().code, "date-format");
        assert_eq!(parse_day("26-01-01").unwrap_err().code, "date-format");
    }

    #[test]
    fn only_the_documented_groupings_and_periods_exist() {
        assert_eq!(GroupBy::parse("clinician"), Ok(GroupBy::Clinician));
        assert_eq!(GroupBy::parse("Clinician").unwrap_err().code, "group-by-unknown");
        assert_eq!(Period::parse("week"), Ok(Period::Week));
        assert_eq!(Period::parse("year").unwrap_err().code, "period-unknown");
    }
}
