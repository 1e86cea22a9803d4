//! `/v1/audit` and `/v1/patients/{nhs_number}/audit`: reading the trail; and writing the entries
//! for the patients an answer showed, once it has gone.

use super::error::Error;
use super::input::Fields;
use super::patients::nhs_number_in_path;
use super::{list_params, Request, Response};
use crate::domain::audit::{self, Access, Before, Filter};
use crate::domain::db::{write_one, Database, DbError};
use crate::domain::invalid::Invalid;
use crate::domain::nhs_number::NhsNumber;
use crate::domain::person_name::FreeText;
use crate::domain::timestamp::Timestamp;

/// `GET /v1/audit`, and `GET /v1/patients/{nhs_number}/audit` when `patient_in_path` is given. A
/// patient's trail outlives the patient (erasure keeps it, without their values), so an unknown
/// NHS number is an empty trail, not a 404.
pub async fn list(request: &Request, patient_in_path: Option<&str>, db: &impl Database) -> Result<Response, Error> {
    let in_path = patient_in_path.map(nhs_number_in_path).transpose()?;
    let mut query = Fields::from_query(&request.query);
    let (limit, cursor) = list_params(&mut query);
    let before = cursor.and_then(|key| match Before::from_key(&key) {
        Some(before) => Some(before),
        None => query.refuse::<Before>("cursor", Invalid::new("cursor-invalid")),
    });
    let filter = Filter {
        patient: in_path.or_else(|| query.optional("patient", NhsNumber::parse)),
        actor: query.optional("actor", FreeText::parse),
        action: query.optional("action", audit::parse_action),
        from: query.optional("from", Timestamp::parse),
        to: query.optional("to", Timestamp::parse),
    };
    query.finish()?;
    let (page, shown) = audit::list(db, &filter, before, limit).await?;
    Ok(Response::with_body(200, "application/json", page.into_bytes()).showing(shown))
}

/// Writes the entries for the patients answers showed, in one write. It runs after the answers
/// have gone (the worker's `waitUntil`), so it never delays one; an unavailable database is tried
/// once more. When the entries still cannot be written, the error is the log line that holds
/// them, for the operator to replay (README, "Audit trail"): the one log line that names patients.
pub async fn record_views(db: &impl Database, views: &[Access]) -> Result<(), String> {
    let json = audit::views_json(views);
    let mut outcome = write_one(db, audit::views_statement(db.dialect(), &json)).await;
    if matches!(outcome, Err(DbError::Unavailable(_))) {
        outcome = write_one(db, audit::views_statement(db.dialect(), &json)).await;
    }
    // Written by hand, as the request log's line is: only the cause needs JSON's escaping.
    outcome.map(|_| ()).map_err(|cause| {
        format!(
            "{{\"event\":\"audit-views-lost\",\"cause\":{},\"views\":{json}}}",
            serde_json::Value::from(cause.to_string())
        )
    })
}
