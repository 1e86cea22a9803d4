//! Appointments: what is stored, what may change, and the SQL that does it.
//!
//! Every statement here binds the request's instant as `?1`, so the status it reads is the
//! effective one (see `status.rs`): an active appointment past its end reads `missed` at once.

use serde::{Deserialize, Serialize};

use super::appointment_id::AppointmentId;
use super::db::{read_one, Constraint, Database, Results, Rows, Statement, Value};
use super::duration::{AppointmentDuration, MAX_MINUTES};
use super::error::Error;
use super::invalid::Invalid;
use super::nhs_number::NhsNumber;
use super::page::{pair_cursor, split_pair, Page};
use super::patient;
use super::person_name::FreeText;
use super::postcode::Postcode;
use super::revision::{Precondition, Revision};
use super::status::{effective_status_condition, effective_status_sql, Refusal, Status, ENDS_AT};
use super::timestamp::Timestamp;

/// An appointment as stored and returned, with its effective status.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Appointment {
    pub id: String,
    pub patient: String,
    pub status: Status,
    pub time: Timestamp,
    pub duration: AppointmentDuration,
    pub clinician: String,
    pub department: String,
    pub postcode: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    #[serde(skip)]
    pub revision: Revision,
}

#[derive(Debug, Clone)]
pub struct NewAppointment {
    pub id: AppointmentId,
    pub patient: NhsNumber,
    /// Any status, so historic appointments can be imported as they were.
    pub status: Status,
    pub time: Timestamp,
    pub duration: AppointmentDuration,
    pub clinician: FreeText,
    pub department: FreeText,
    pub postcode: Postcode,
}

/// A validated merge patch: `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AppointmentChanges {
    pub status: Option<Status>,
    pub time: Option<Timestamp>,
    pub duration: Option<AppointmentDuration>,
    pub clinician: Option<FreeText>,
    pub department: Option<FreeText>,
    pub postcode: Option<Postcode>,
    /// An appointment never moves to another patient (book a new one instead); a patch may still
    /// carry the current patient, as when a client sends the whole object back.
    pub patient: Option<NhsNumber>,
}

impl AppointmentChanges {
    /// True when the patch would change nothing that is stored.
    pub fn is_empty(&self) -> bool {
        let AppointmentChanges { status, time, duration, clinician, department, postcode, patient: _ } = self;
        status.is_none()
            && time.is_none()
            && duration.is_none()
            && clinician.is_none()
            && department.is_none()
            && postcode.is_none()
    }
}

/// Appointment times are stored to the second; a sub-second part would be lost, so it is refused
/// rather than silently dropped (a zero fraction, as `Date.toISOString()` writes, is fine).
pub fn parse_time(input: &str) -> Result<Timestamp, Invalid> {
    let time = Timestamp::parse(input)?;
    if time.inner().nanosecond() == 0 {
        Ok(time)
    } else {
        Err(Invalid::new("timestamp-sub-second"))
    }
}

/// An appointment as the API shows it: effective status, and clinician and department by name.
fn select() -> String {
    format!(
        "SELECT a.id, a.patient, {} AS status, a.starts_at, a.utc_offset, a.duration_minutes,
                c.name AS clinician, d.name AS department, a.postcode, a.version, a.created_at, a.updated_at
           FROM appointments a
           JOIN clinicians c ON c.id = a.clinician_id
           JOIN departments d ON d.id = a.department_id",
        effective_status_sql(1, ENDS_AT)
    )
}

/// Records a clinician or department name that may be new (`table` is `clinicians` or
/// `departments`), in the batch that books or changes the appointment using it.
fn ensure_name(table: &str, name: &str, now: i64) -> Statement {
    Statement::new(format!("INSERT INTO {table} (name, created_at) VALUES (?1, ?2) ON CONFLICT (name) DO NOTHING"))
        .bind(name)
        .bind(now)
}

#[derive(Deserialize)]
struct Row {
    id: String,
    patient: String,
    status: String,
    starts_at: i64,
    utc_offset: i64,
    duration_minutes: u32,
    clinician: String,
    department: String,
    postcode: String,
    version: i64,
    created_at: i64,
    updated_at: i64,
}

impl TryFrom<Row> for Appointment {
    type Error = Error;

    fn try_from(row: Row) -> Result<Self, Error> {
        let bad = |what: &str, code: &str| Error::Internal(format!("appointment {} has a bad {what}: {code}", row.id));
        let offset = i32::try_from(row.utc_offset).map_err(|_| bad("offset", "out of range"))?;
        let time = Timestamp::from_unix_seconds_with_offset(row.starts_at, offset).map_err(|e| bad("time", e.code))?;
        let utc = |s| Timestamp::from_unix_seconds_with_offset(s, 0).map_err(|e| bad("timestamp", e.code));
        Ok(Appointment {
            status: Status::parse(&row.status).map_err(|e| bad("status", e.code))?,
            time,
            duration: AppointmentDuration::from_minutes(row.duration_minutes).map_err(|e| bad("duration", e.code))?,
            created_at: utc(row.created_at)?,
            updated_at: utc(row.updated_at)?,
            revision: Revision { version: row.version, created_at: row.created_at },
            id: row.id,
            patient: row.patient,
            clinician: row.clinician,
            department: row.department,
            postcode: row.postcode,
        })
    }
}

fn all(rows: &Rows) -> Result<Vec<Appointment>, Error> {
    rows.decode::<Row>()?.into_iter().map(Appointment::try_from).collect()
}

fn one(rows: &Rows) -> Result<Option<Appointment>, Error> {
    rows.first::<Row>()?.map(Appointment::try_from).transpose()
}

/// The appointment `?2` as the API shows it at `?1`.
fn by_id(id: &AppointmentId, now: i64) -> Statement {
    Statement::new(format!("{} WHERE a.id = ?2", select())).bind(now).bind(id.as_str())
}

fn not_found(id: &AppointmentId) -> Error {
    Error::AppointmentNotFound { id: id.as_str().to_owned() }
}

/// Books an appointment. New clinician and department names are recorded in the same atomic
/// batch, so a refused appointment leaves no trace.
pub async fn create(db: &impl Database, new: &NewAppointment, now: i64) -> Result<Appointment, Error> {
    let insert = Statement::new(
        "INSERT INTO appointments (id, patient, status, starts_at, utc_offset, duration_minutes,
                                   clinician_id, department_id, postcode, created_at, updated_at)
         VALUES (?2, ?3, ?4, ?5, ?6, ?7,
                 (SELECT id FROM clinicians WHERE name = ?8),
                 (SELECT id FROM departments WHERE name = ?9),
                 ?10, ?1, ?1)
         RETURNING version",
    )
    .bind(now)
    .bind(new.id.as_str())
    .bind(new.patient.as_str())
    .bind(new.status.as_str())
    .bind(new.time.unix_seconds())
    .bind(i64::from(new.time.offset_seconds()))
    .bind(new.duration.minutes())
    .bind(new.clinician.as_str())
    .bind(new.department.as_str())
    .bind(new.postcode.as_str());
    let batch = vec![
        ensure_name("clinicians", new.clinician.as_str(), now),
        ensure_name("departments", new.department.as_str(), now),
        insert,
    ];
    let results = db.write(batch).await.map_err(|e| {
        if e.violates(Constraint::Unique("appointments", "id")) {
            Error::AppointmentExists { id: new.id.as_str().to_owned() }
        } else if e.violates(Constraint::ForeignKey) {
            // The insert's one foreign key is its patient.
            Error::invalid("patient", Invalid::new("patient-unknown").with("nhs_number", new.patient.as_str()))
        } else {
            e.into()
        }
    })?;
    #[derive(Deserialize)]
    struct Inserted {
        version: i64,
    }
    let inserted = Results::new(results)
        .take(2)?
        .first::<Inserted>()?
        .ok_or_else(|| Error::Internal("INSERT returned no row".into()))?;
    // Everything else is what was just stored; the status is the effective one, by the Rust twin
    // of the rule every read applies in SQL.
    let utc = |s| {
        Timestamp::from_unix_seconds_with_offset(s, 0)
            .map_err(|e| Error::Internal(format!("the clock reads a bad time: {}", e.code)))
    };
    let ends_at = new.time.unix_seconds() + i64::from(new.duration.minutes()) * 60;
    Ok(Appointment {
        id: new.id.as_str().to_owned(),
        patient: new.patient.as_str().to_owned(),
        status: new.status.effective(ends_at, now),
        time: new.time,
        duration: new.duration,
        clinician: new.clinician.as_str().to_owned(),
        department: new.department.as_str().to_owned(),
        postcode: new.postcode.as_str().to_owned(),
        created_at: utc(now)?,
        updated_at: utc(now)?,
        revision: Revision { version: inserted.version, created_at: now },
    })
}

pub async fn get(db: &impl Database, id: &AppointmentId, now: i64) -> Result<Appointment, Error> {
    one(&read_one(db, by_id(id, now)).await?)?.ok_or_else(|| not_found(id))
}

/// What a list of appointments is narrowed to. All filters combine with AND.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub patient: Option<NhsNumber>,
    pub clinician: Option<FreeText>,
    pub department: Option<FreeText>,
    /// Any of these effective statuses (none: every status), so `missed` includes active
    /// appointments whose end has passed.
    pub statuses: Vec<Status>,
    /// Appointments starting at or after this instant.
    pub from: Option<Timestamp>,
    /// Appointments starting before this instant.
    pub to: Option<Timestamp>,
}

/// Where a page starts: strictly after this (start, id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct After {
    pub starts_at: i64,
    pub id: String,
}

impl After {
    pub fn cursor(&self) -> String {
        pair_cursor(self.starts_at, &self.id)
    }

    /// From a decoded cursor made by [`After::cursor`].
    pub fn from_key(key: &str) -> Option<Self> {
        split_pair(key).map(|(starts_at, id)| Self { starts_at, id })
    }
}

/// Appointments in time order (ties broken by id), filtered, after a cursor. Each filter picks
/// the index whose leading column it fixes, and every index ends in (starts_at, id), so rows come
/// out in page order without a sort.
pub fn list_statement(filter: &Filter, after: Option<&After>, limit: u32, now: i64) -> Statement {
    let mut statement = Statement::new(String::new()).bind(now);
    let mut conditions = Vec::new();
    let param = |statement: &mut Statement, value: Value| {
        statement.params.push(value);
        statement.params.len()
    };
    if let Some(patient) = &filter.patient {
        conditions.push(format!("a.patient = ?{}", param(&mut statement, patient.as_str().into())));
    }
    if let Some(clinician) = &filter.clinician {
        let name = param(&mut statement, clinician.as_str().into());
        conditions.push(format!("a.clinician_id = (SELECT id FROM clinicians WHERE name = ?{name})"));
    }
    if let Some(department) = &filter.department {
        let name = param(&mut statement, department.as_str().into());
        conditions.push(format!("a.department_id = (SELECT id FROM departments WHERE name = ?{name})"));
    }
    if !filter.statuses.is_empty() {
        let any_of: Vec<String> =
            filter.statuses.iter().map(|status| effective_status_condition(*status, 1, ENDS_AT)).collect();
        conditions.push(format!("({})", any_of.join(" OR ")));
        if filter.statuses == [Status::Active] {
            // An appointment still active has not ended, so it started less than the longest
            // duration ago: the index seek can skip the whole past instead of reading through it.
            let earliest = param(&mut statement, (i64::from(MAX_MINUTES) * 60).into());
            conditions.push(format!("a.starts_at > ?1 - ?{earliest}"));
        }
    }
    if let Some(from) = &filter.from {
        conditions.push(format!("a.starts_at >= ?{}", param(&mut statement, from.unix_seconds().into())));
    }
    if let Some(to) = &filter.to {
        conditions.push(format!("a.starts_at < ?{}", param(&mut statement, to.unix_seconds().into())));
    }
    let (after_start, after_id) = after.map_or((i64::MIN, ""), |a| (a.starts_at, a.id.as_str()));
    let start = param(&mut statement, after_start.into());
    let id = param(&mut statement, after_id.into());
    conditions.push(format!("(a.starts_at, a.id) > (?{start}, ?{id})"));
    let limit_param = param(&mut statement, (limit + 1).into());
    statement.sql = format!(
        "{}
          WHERE {}
          ORDER BY a.starts_at, a.id
          LIMIT ?{limit_param}",
        select(),
        conditions.join("\n            AND ")
    );
    statement
}

pub async fn list(
    db: &impl Database,
    filter: &Filter,
    after: Option<&After>,
    limit: u32,
    now: i64,
) -> Result<Page<Appointment>, Error> {
    page(&read_one(db, list_statement(filter, after, limit, now)).await?, limit)
}

/// One patient's appointments: a 404 when the patient does not exist, read in the same round trip.
pub async fn list_for_patient(
    db: &impl Database,
    patient: &NhsNumber,
    filter: &Filter,
    after: Option<&After>,
    limit: u32,
    now: i64,
) -> Result<Page<Appointment>, Error> {
    let filter = Filter { patient: Some(patient.clone()), ..filter.clone() };
    let mut results = Results::new(
        db.read(vec![patient::exists_statement(patient), list_statement(&filter, after, limit, now)]).await?,
    );
    if results.take(0)?.is_empty()? {
        return Err(patient::not_found(patient));
    }
    page(&results.take(1)?, limit)
}

fn page(rows: &Rows, limit: u32) -> Result<Page<Appointment>, Error> {
    Ok(Page::from_overfetch(all(rows)?, limit, |a| {
        After { starts_at: a.time.unix_seconds(), id: a.id.clone() }.cursor()
    }))
}

/// When a patch applies, in SQL: the appointment is still active, the `If-Match` revision (if
/// any) is current, the patient sent back (if any) is its own, and an appointment that stays active
/// does not end in the past. [`refusal`] is the Rust twin that explains a patch that did not
/// apply; a test keeps the two in agreement. Parameters: ?1 now, ?2 the id; ?3 the new status, ?4
/// the new start, ?5 the new duration (each NULL when unchanged); ?6 and ?7 the `If-Match`
/// revision (NULL without one); ?8 the patient sent back (NULL when not sent).
const PATCH_APPLIES: &str = "id = ?2
            AND status = 'active' AND ends_at > ?1
            AND (CAST(?6 AS BIGINT) IS NULL OR (version = ?6 AND created_at = ?7))
            AND (CAST(?8 AS TEXT) IS NULL OR patient = ?8)
            AND (coalesce(?3, 'active') <> 'active'
                 OR coalesce(?4, starts_at) + coalesce(?5, duration_minutes) * 60 > ?1)";

/// Why a patch may not apply to the appointment as it is now, or `None` when it may.
pub fn refusal(
    current: &Appointment,
    changes: &AppointmentChanges,
    precondition: Precondition,
    now: i64,
) -> Option<Error> {
    if !precondition.allows(current.revision) {
        return Some(Error::PreconditionFailed);
    }
    if changes.patient.as_ref().is_some_and(|p| p.as_str() != current.patient) {
        return Some(Error::invalid("patient", Invalid::new("field-read-only")));
    }
    if let Err(refusal) = current.status.check_change(changes.status) {
        return Some(match refusal {
            Refusal::Final(status) => Error::AppointmentFinal(status),
            Refusal::NotAllowed { to } => Error::StatusChangeNotAllowed { to },
        });
    }
    // Moving an active appointment so that it is already over would make it missed at once;
    // that is a mistake far more often than an intention, so it is refused.
    let time = changes.time.unwrap_or(current.time);
    let duration = changes.duration.unwrap_or(current.duration);
    let still_active = changes.status.unwrap_or(current.status) == Status::Active;
    if still_active && time.unix_seconds() + i64::from(duration.minutes()) * 60 <= now {
        let field = if changes.time.is_some() { "time" } else { "duration" };
        return Some(Error::invalid(field, Invalid::new("appointment-ends-in-past")));
    }
    None
}

/// Applies a merge patch under the status rules, in one atomic batch: the rules are conditions of
/// the `UPDATE` itself ([`PATCH_APPLIES`]), so no concurrent change can slip in between a check
/// and the write, and none is lost. The batch ends by reading the appointment back; when the
/// update did not apply, that read (of the same snapshot) says why.
pub async fn update(
    db: &impl Database,
    id: &AppointmentId,
    changes: &AppointmentChanges,
    precondition: Precondition,
    now: i64,
) -> Result<Appointment, Error> {
    // Nothing to write, or a status only time may set: either way the answer follows from the
    // appointment as it is, without a write.
    if changes.is_empty() || changes.status == Some(Status::Missed) {
        let current = get(db, id, now).await?;
        return match refusal(&current, changes, precondition, now) {
            Some(error) => Err(error),
            None => Ok(current),
        };
    }
    let (version, created_at) = precondition.sql_params();
    let applies: Vec<Value> = vec![
        now.into(),
        id.as_str().into(),
        changes.status.map(Status::as_str).into(),
        changes.time.map(|t| t.unix_seconds()).into(),
        changes.duration.map(|d| d.minutes()).into(),
        version,
        created_at,
        changes.patient.as_ref().map(NhsNumber::as_str).into(),
    ];
    let clinician = changes.clinician.as_ref().map(FreeText::as_str);
    let department = changes.department.as_ref().map(FreeText::as_str);
    let mut batch = Vec::new();
    // A new name is recorded only if the patch applies, so a refused patch leaves none behind.
    for (table, name) in [("clinicians", clinician), ("departments", department)] {
        if let Some(name) = name {
            batch.push(Statement {
                sql: format!(
                    "INSERT INTO {table} (name, created_at)
                     SELECT ?9, CAST(?1 AS BIGINT) WHERE EXISTS (SELECT 1 FROM appointments WHERE {PATCH_APPLIES})
                     ON CONFLICT (name) DO NOTHING"
                ),
                params: applies.iter().cloned().chain([name.into()]).collect(),
            });
        }
    }
    batch.push(Statement {
        sql: format!(
            "UPDATE appointments
                SET status = coalesce(?3, status),
                    starts_at = coalesce(?4, starts_at),
                    utc_offset = coalesce(?9, utc_offset),
                    duration_minutes = coalesce(?5, duration_minutes),
                    clinician_id = CASE WHEN CAST(?10 AS TEXT) IS NULL THEN clinician_id
                                        ELSE (SELECT id FROM clinicians WHERE name = ?10) END,
                    department_id = CASE WHEN CAST(?11 AS TEXT) IS NULL THEN department_id
                                         ELSE (SELECT id FROM departments WHERE name = ?11) END,
                    postcode = coalesce(?12, postcode),
                    version = version + 1,
                    updated_at = ?1
              WHERE {PATCH_APPLIES}
            RETURNING id"
        ),
        params: applies
            .into_iter()
            .chain([
                changes.time.map(|t| i64::from(t.offset_seconds())).into(),
                clinician.into(),
                department.into(),
                changes.postcode.as_ref().map(Postcode::as_str).into(),
            ])
            .collect(),
    });
    batch.push(by_id(id, now));
    let last = batch.len() - 1;
    let mut results = Results::new(db.write(batch).await?);
    let updated = !results.take(last - 1)?.is_empty()?;
    let Some(current) = one(&results.take(last)?)? else { return Err(not_found(id)) };
    if updated {
        return Ok(current);
    }
    Err(refusal(&current, changes, precondition, now).unwrap_or_else(|| {
        Error::Internal(format!("the patch of appointment {} did not apply, yet the rules allow it", current.id))
    }))
}
