//! Patients: what is stored, what may change, and the SQL that does it.

use serde::{Deserialize, Serialize};

use super::db::{read_one, write_one, Constraint, Database, Dialect, Results, Rows, Statement, Value};
use super::error::Error;
use super::name_search;
use super::nhs_number::NhsNumber;
use super::person_name::PersonName;
use super::postcode::Postcode;
use super::revision::{Precondition, Revision};
use super::timestamp::{DateOfBirth, Timestamp};

/// A patient as stored and returned.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Patient {
    pub nhs_number: String,
    pub name: String,
    pub date_of_birth: String,
    pub postcode: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    #[serde(skip)]
    pub revision: Revision,
}

/// A validated new patient: each field can only hold a valid value.
#[derive(Debug, Clone)]
pub struct NewPatient {
    pub nhs_number: NhsNumber,
    pub name: PersonName,
    pub date_of_birth: DateOfBirth,
    pub postcode: Postcode,
}

/// A validated merge patch: `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct PatientChanges {
    pub name: Option<PersonName>,
    pub date_of_birth: Option<DateOfBirth>,
    pub postcode: Option<Postcode>,
}

pub(super) const COLUMNS: &str = "nhs_number, name, date_of_birth, postcode, version, created_at, updated_at";

#[derive(Deserialize)]
pub(super) struct Row {
    pub(super) nhs_number: String,
    pub(super) name: String,
    date_of_birth: String,
    postcode: String,
    version: i64,
    created_at: i64,
    updated_at: i64,
    /// A name search's rank columns (`domain::patient_search`), absent from every other read:
    /// one record type for both keeps a second row decoder out of the wasm.
    #[serde(default)]
    pub(super) partial_words: Option<i64>,
    #[serde(default)]
    pub(super) name_length: Option<i64>,
    #[serde(default)]
    pub(super) search_name: Option<String>,
}

impl TryFrom<Row> for Patient {
    type Error = Error;

    fn try_from(row: Row) -> Result<Self, Error> {
        let utc = |seconds| {
            Timestamp::from_unix_seconds_with_offset(seconds, 0)
                .map_err(|e| Error::Internal(format!("a patient row has a bad time: {}", e.code)))
        };
        Ok(Patient {
            created_at: utc(row.created_at)?,
            updated_at: utc(row.updated_at)?,
            revision: Revision { version: row.version, created_at: row.created_at },
            nhs_number: row.nhs_number,
            name: row.name,
            date_of_birth: row.date_of_birth,
            postcode: row.postcode,
        })
    }
}

fn one(rows: &Rows) -> Result<Option<Patient>, Error> {
    rows.first::<Row>()?.map(Patient::try_from).transpose()
}

/// Replaces the patient's search words (`domain::name_search`) with those of `name`, in the
/// batch that stores the name. They are written only if the patient exists at `revision`
/// (`(version, created_at)`, both NULL for any revision), the condition the batch's own change of
/// the patient applies under, so the words change exactly when the name does.
pub(super) fn search_word_statements(
    sql: Dialect,
    nhs_number: &str,
    name: &str,
    revision: (Value, Value),
) -> [Statement; 2] {
    const GUARD: &str = "EXISTS (SELECT 1 FROM patients WHERE nhs_number = ?1
                                   AND (CAST(?2 AS BIGINT) IS NULL OR (version = ?2 AND created_at = ?3)))";
    // One JSON array, read as rows: a name may have more words than a statement has room for
    // parameters (D1 takes 100).
    let words = serde_json::Value::from(name_search::index_words(name)).to_string();
    let (version, created_at) = revision;
    // Each word carries the folded name, the key a one-word search ranks by (migration 0009).
    [
        Statement::new(format!("DELETE FROM patient_name_words WHERE nhs_number = ?1 AND {GUARD}"))
            .bind(nhs_number)
            .bind(version.clone())
            .bind(created_at.clone()),
        Statement::new(format!(
            "INSERT INTO patient_name_words (word, nhs_number, search_name)
             SELECT w.value, CAST(?1 AS TEXT), CAST(?5 AS TEXT) FROM {} WHERE {GUARD}",
            sql.each_text("?4", "w")
        ))
        .bind(nhs_number)
        .bind(version)
        .bind(created_at)
        .bind(words)
        .bind(name_search::sort_key(name)),
    ]
}

pub async fn create(db: &impl Database, new: &NewPatient, now: i64) -> Result<Patient, Error> {
    let statement = Statement::new(format!(
        "INSERT INTO patients (nhs_number, name, date_of_birth, postcode, created_at, updated_at, search_name)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6)
         RETURNING {COLUMNS}"
    ))
    .bind(new.nhs_number.as_str())
    .bind(new.name.as_str())
    .bind(new.date_of_birth.to_string())
    .bind(new.postcode.as_str())
    .bind(now)
    .bind(name_search::sort_key(new.name.as_str()));
    let [_, insert_words] =
        search_word_statements(db.dialect(), new.nhs_number.as_str(), new.name.as_str(), (Value::Null, Value::Null));
    let rows =
        db.write(vec![statement, insert_words]).await.map(|mut results| results.swap_remove(0)).map_err(|e| {
            if e.violates(Constraint::Unique("patients", "nhs_number")) {
                Error::PatientExists { nhs_number: new.nhs_number.as_str().to_owned() }
            } else {
                e.into()
            }
        })?;
    one(&rows)?.ok_or_else(|| Error::Internal("INSERT returned no row".into()))
}

pub fn get_statement(nhs_number: &NhsNumber) -> Statement {
    Statement::new(format!("SELECT {COLUMNS} FROM patients WHERE nhs_number = ?1")).bind(nhs_number.as_str())
}

pub async fn get(db: &impl Database, nhs_number: &NhsNumber) -> Result<Patient, Error> {
    one(&read_one(db, get_statement(nhs_number)).await?)?.ok_or_else(|| not_found(nhs_number))
}

pub fn not_found(nhs_number: &NhsNumber) -> Error {
    Error::PatientNotFound { nhs_number: nhs_number.as_str().to_owned() }
}

/// A row if the patient exists, none otherwise: read in the same round trip as something else.
pub fn exists_statement(nhs_number: &NhsNumber) -> Statement {
    Statement::new("SELECT 1 AS found FROM patients WHERE nhs_number = ?1").bind(nhs_number.as_str())
}

/// Applies a merge patch in one atomic statement; the precondition is checked by the same
/// statement, so no write can slip in between the check and the update. When nothing was
/// updated, the same batch has already read whether the patient exists (412 or 404).
pub async fn update(
    db: &impl Database,
    nhs_number: &NhsNumber,
    changes: &PatientChanges,
    precondition: Precondition,
    now: i64,
) -> Result<Patient, Error> {
    if changes.name.is_none() && changes.date_of_birth.is_none() && changes.postcode.is_none() {
        // Nothing to write: answer with the patient as it is, still honouring If-Match.
        let current = get(db, nhs_number).await?;
        return if precondition.allows(current.revision) { Ok(current) } else { Err(Error::PreconditionFailed) };
    }
    let (version, created_at) = precondition.sql_params();
    let statement = Statement::new(format!(
        "UPDATE patients
            SET name = coalesce(?2, name),
                date_of_birth = coalesce(?3, date_of_birth),
                postcode = coalesce(?4, postcode),
                search_name = coalesce(?8, search_name),
                version = version + 1,
                updated_at = ?5
          WHERE nhs_number = ?1
            AND (CAST(?6 AS BIGINT) IS NULL OR (version = ?6 AND created_at = ?7))
        RETURNING {COLUMNS}"
    ))
    .bind(nhs_number.as_str())
    .bind(changes.name.as_ref().map(PersonName::as_str))
    .bind(changes.date_of_birth.map(|d| d.to_string()))
    .bind(changes.postcode.as_ref().map(Postcode::as_str))
    .bind(now)
    .bind(version)
    .bind(created_at)
    .bind(changes.name.as_ref().map(|name| name_search::sort_key(name.as_str())));
    let mut batch = Vec::with_capacity(4);
    if let Some(name) = &changes.name {
        // Ahead of the update, under its condition, so the words change exactly when it applies.
        batch.extend(search_word_statements(
            db.dialect(),
            nhs_number.as_str(),
            name.as_str(),
            precondition.sql_params(),
        ));
    }
    let update_at = batch.len();
    batch.push(statement);
    batch.push(exists_statement(nhs_number));
    let mut results = Results::new(db.write(batch).await?);
    if let Some(patient) = one(&results.take(update_at)?)? {
        return Ok(patient);
    }
    if results.take(update_at + 1)?.is_empty()? {
        Err(not_found(nhs_number))
    } else {
        Err(Error::PreconditionFailed)
    }
}

/// Deletes the patient and, by the schema's `ON DELETE CASCADE`, every appointment of theirs, in one
/// statement (right to erasure). The cascade runs before the patient's own trigger, so the audit
/// trail has the erasure as one entry, not one per appointment (`migrations/0010_audit_trail.sql`).
pub async fn delete(db: &impl Database, nhs_number: &NhsNumber) -> Result<(), Error> {
    let rows = write_one(
        db,
        Statement::new("DELETE FROM patients WHERE nhs_number = ?1 RETURNING nhs_number").bind(nhs_number.as_str()),
    )
    .await?;
    if rows.is_empty()? {
        Err(not_found(nhs_number))
    } else {
        Ok(())
    }
}
