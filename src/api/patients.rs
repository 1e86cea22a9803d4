//! `/v1/patients` handlers: request in, validated domain values through, JSON out.

use time::{Duration, OffsetDateTime};

use super::error::Error;
use super::input::{Fields, JSON, MERGE_PATCH};
use super::{created, list_params, ok, ok_with_etag, Request, Response};
use crate::domain::db::Database;
use crate::domain::name_search;
use crate::domain::nhs_number::NhsNumber;
use crate::domain::patient::{self, NewPatient, PatientChanges};
use crate::domain::patient_search::{self, PostcodeQuery, Search};
use crate::domain::person_name::FreeText;
use crate::domain::person_name::PersonName;
use crate::domain::postcode::Postcode;
use crate::domain::revision::Precondition;
use crate::domain::timestamp::DateOfBirth;

/// Server-set fields a client may send back unchanged; they are ignored.
const SERVER_SET: &[&str] = &["created_at", "updated_at"];

/// "Not in the future" is judged in the time zone furthest ahead (UTC+14), so a birth recorded
/// on its local date anywhere is never refused because UTC has not reached that date yet.
fn latest_today(now: OffsetDateTime) -> time::Date {
    (now + Duration::hours(14)).date()
}

pub fn nhs_number_in_path(raw: &str) -> Result<NhsNumber, Error> {
    NhsNumber::parse(raw).map_err(|invalid| Error::invalid("nhs_number", invalid))
}

pub async fn create(request: &Request, db: &impl Database, now: OffsetDateTime) -> Result<Response, Error> {
    let mut body = Fields::from_json_body(request, &[JSON])?;
    let nhs_number = body.required("nhs_number", NhsNumber::parse);
    let name = body.required("name", PersonName::parse);
    let date_of_birth = body.required("date_of_birth", |s| DateOfBirth::parse(s, latest_today(now)));
    let postcode = body.required("postcode", Postcode::parse);
    body.server_set(SERVER_SET);
    let (nhs_number, name, date_of_birth, postcode) = body.finish_with((nhs_number, name, date_of_birth, postcode))?;
    let patient =
        patient::create(db, &NewPatient { nhs_number, name, date_of_birth, postcode }, now.unix_timestamp()).await?;
    let location = format!("/v1/patients/{}", patient.nhs_number);
    created(&patient, patient.revision, &location)
}

pub async fn get(raw_nhs_number: &str, db: &impl Database) -> Result<Response, Error> {
    let patient = patient::get(db, &nhs_number_in_path(raw_nhs_number)?).await?;
    Ok(ok_with_etag(&patient, patient.revision)?.showing([patient.nhs_number]))
}

pub async fn list(request: &Request, db: &impl Database, now: OffsetDateTime) -> Result<Response, Error> {
    let mut query = Fields::from_query(&request.query);
    let (limit, cursor) = list_params(&mut query);
    let search = Search {
        name: query.optional("name", |s| FreeText::parse(s).and_then(|text| name_search::query_words(text.as_str()))),
        nhs_number: query.optional("nhs_number", NhsNumber::parse),
        date_of_birth: query.optional("date_of_birth", |s| DateOfBirth::parse(s, latest_today(now))),
        postcode: query.optional("postcode", PostcodeQuery::parse),
    };
    // A cursor is for the kind of list it came from: a name search's, or one in NHS-number order.
    let cursor = cursor.and_then(|key| match patient_search::check_cursor(&search, &key) {
        Ok(()) => Some(key),
        Err(invalid) => query.refuse("cursor", invalid),
    });
    query.finish()?;
    let page = patient_search::search(db, &search, cursor.as_deref(), limit).await?;
    let shown = page.items.iter().map(|patient| patient.nhs_number.clone()).collect::<Vec<_>>();
    Ok(ok(&page)?.showing(shown))
}

pub async fn update(
    raw_nhs_number: &str,
    request: &Request,
    db: &impl Database,
    now: OffsetDateTime,
) -> Result<Response, Error> {
    let nhs_number = nhs_number_in_path(raw_nhs_number)?;
    let mut body = Fields::from_json_body(request, &[MERGE_PATCH, JSON])?;
    body.read_only("nhs_number", &nhs_number, NhsNumber::parse);
    let changes = PatientChanges {
        name: body.patch("name", PersonName::parse),
        date_of_birth: body.patch("date_of_birth", |s| DateOfBirth::parse(s, latest_today(now))),
        postcode: body.patch("postcode", Postcode::parse),
    };
    body.server_set(SERVER_SET);
    body.finish()?;
    let precondition = Precondition::from_if_match(request.header("if-match"));
    let patient = patient::update(db, &nhs_number, &changes, precondition, now.unix_timestamp()).await?;
    ok_with_etag(&patient, patient.revision)
}

pub async fn delete(raw_nhs_number: &str, db: &impl Database) -> Result<Response, Error> {
    patient::delete(db, &nhs_number_in_path(raw_nhs_number)?).await?;
    Ok(Response::empty(204))
}
