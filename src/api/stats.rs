//! `/v1/stats/missed`, `/v1/clinicians` and `/v1/departments`.

use time::OffsetDateTime;

use super::error::Error;
use super::input::Fields;
use super::{list_params, ok, Request, Response};
use crate::domain::db::Database;
use crate::domain::invalid::Invalid;
use crate::domain::person_name::FreeText;
use crate::domain::stats::{self, GroupBy, MissedQuery, Period};

pub async fn missed(request: &Request, db: &impl Database, now: OffsetDateTime) -> Result<Response, Error> {
    let mut query = Fields::from_query(&request.query);
    let group_by = query.required("group_by", GroupBy::parse);
    let period = query.optional("period", Period::parse);
    let filter = MissedQuery {
        from: query.optional("from", stats::parse_day),
        to: query.optional("to", stats::parse_day),
        clinician: query.optional("clinician", FreeText::parse),
        department: query.optional("department", FreeText::parse),
    };
    if let (Some(from), Some(to)) = (filter.from, filter.to) {
        if from >= to {
            query.refuse::<()>("to", Invalid::new("range-empty"));
        }
    }
    let (group_by,) = query.finish_with((group_by,))?;
    let rows = stats::missed(db, group_by, period, &filter, now.unix_timestamp()).await?;
    ok(&Items { items: rows })
}

pub async fn named(
    group_by: GroupBy,
    request: &Request,
    db: &impl Database,
    now: OffsetDateTime,
) -> Result<Response, Error> {
    let mut query = Fields::from_query(&request.query);
    let (limit, cursor) = list_params(&mut query);
    query.finish()?;
    ok(&stats::named(db, group_by, cursor.as_deref(), limit, now.unix_timestamp()).await?)
}

/// A list that is never paginated.
#[derive(serde::Serialize)]
struct Items<T> {
    items: Vec<T>,
}
