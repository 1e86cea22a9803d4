//! `/v1/appointments` handlers: request in, validated domain values through, JSON out.

use time::OffsetDateTime;

use super::error::Error;
use super::input::{Fields, JSON, MERGE_PATCH};
use super::{created, list_params, ok, ok_with_etag, Request, Response};
use crate::domain::appointment::{self, After, AppointmentChanges, Filter, NewAppointment};
use crate::domain::appointment_id::AppointmentId;
use crate::domain::db::Database;
use crate::domain::duration::AppointmentDuration;
use crate::domain::invalid::Invalid;
use crate::domain::nhs_number::NhsNumber;
use crate::domain::person_name::FreeText;
use crate::domain::postcode::Postcode;
use crate::domain::revision::Precondition;
use crate::domain::status::Status;

const SERVER_SET: &[&str] = &["created_at", "updated_at"];

fn id_in_path(raw: &str) -> Result<AppointmentId, Error> {
    AppointmentId::parse(raw).map_err(|invalid| Error::invalid("id", invalid))
}

pub async fn create(request: &Request, db: &impl Database, now: OffsetDateTime) -> Result<Response, Error> {
    let mut body = Fields::from_json_body(request, &[JSON])?;
    let id = body.optional("id", AppointmentId::parse);
    let patient = body.required("patient", NhsNumber::parse);
    let status = body.optional("status", Status::parse).unwrap_or(Status::Active);
    let time = body.required("time", appointment::parse_time);
    let duration = body.required("duration", AppointmentDuration::parse);
    let clinician = body.required("clinician", FreeText::parse);
    let department = body.required("department", FreeText::parse);
    let postcode = body.required("postcode", Postcode::parse);
    body.server_set(SERVER_SET);
    let (patient, time, duration, clinician, department, postcode) =
        body.finish_with((patient, time, duration, clinician, department, postcode))?;
    let id = match id {
        Some(id) => id,
        None => AppointmentId::new_v4().map_err(|e| Error::internal(format!("no randomness for an id: {e}")))?,
    };
    let new = NewAppointment { id, patient, status, time, duration, clinician, department, postcode };
    let appointment = appointment::create(db, &new, now.unix_timestamp()).await?;
    let location = format!("/v1/appointments/{}", appointment.id);
    created(&appointment, appointment.revision, &location)
}

pub async fn get(raw_id: &str, db: &impl Database, now: OffsetDateTime) -> Result<Response, Error> {
    let appointment = appointment::get(db, &id_in_path(raw_id)?, now.unix_timestamp()).await?;
    Ok(ok_with_etag(&appointment, appointment.revision)?.showing([appointment.patient]))
}

/// `GET /v1/appointments`, and `GET /v1/patients/{nhs_number}/appointments` when `patient` is given.
pub async fn list(
    request: &Request,
    patient_in_path: Option<&str>,
    db: &impl Database,
    now: OffsetDateTime,
) -> Result<Response, Error> {
    let mut query = Fields::from_query(&request.query);
    let (limit, cursor) = list_params(&mut query);
    let after = cursor.and_then(|key| match After::from_key(&key) {
        Some(after) => Some(after),
        None => query.refuse::<After>("cursor", Invalid::new("cursor-invalid")),
    });
    let in_path = patient_in_path.and_then(|raw| match NhsNumber::parse(raw) {
        Ok(nhs_number) => Some(nhs_number),
        Err(invalid) => query.refuse("nhs_number", invalid),
    });
    let filter = Filter {
        patient: if patient_in_path.is_some() { None } else { query.optional("patient", NhsNumber::parse) },
        clinician: query.optional("clinician", FreeText::parse),
        department: query.optional("department", FreeText::parse),
        statuses: query.optional("status", Status::parse_any_of).unwrap_or_default(),
        from: query.optional("from", appointment::parse_time),
        to: query.optional("to", appointment::parse_time),
    };
    query.finish()?;
    let now = now.unix_timestamp();
    let (page, shown) = match in_path {
        // A patient's list shows that patient, also when it is empty.
        Some(patient) => {
            let page = appointment::list_for_patient(db, &patient, &filter, after.as_ref(), limit, now).await?;
            (page, vec![patient.as_str().to_owned()])
        }
        None => {
            let page = appointment::list(db, &filter, after.as_ref(), limit, now).await?;
            let shown = page.items.iter().map(|a| a.patient.clone()).collect();
            (page, shown)
        }
    };
    Ok(ok(&page)?.showing(shown))
}

pub async fn update(
    raw_id: &str,
    request: &Request,
    db: &impl Database,
    now: OffsetDateTime,
) -> Result<Response, Error> {
    let id = id_in_path(raw_id)?;
    let mut body = Fields::from_json_body(request, &[MERGE_PATCH, JSON])?;
    body.read_only("id", &id, AppointmentId::parse);
    let changes = AppointmentChanges {
        status: body.patch("status", Status::parse),
        time: body.patch("time", appointment::parse_time),
        duration: body.patch("duration", AppointmentDuration::parse),
        clinician: body.patch("clinician", FreeText::parse),
        department: body.patch("department", FreeText::parse),
        postcode: body.patch("postcode", Postcode::parse),
        patient: body.patch("patient", NhsNumber::parse),
    };
    body.server_set(SERVER_SET);
    body.finish()?;
    let precondition = Precondition::from_if_match(request.header("if-match"));
    let appointment = appointment::update(db, &id, &changes, precondition, now.unix_timestamp()).await?;
    ok_with_etag(&appointment, appointment.revision)
}
