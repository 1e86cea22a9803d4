//! `/v1/stats/missed`, `/v1/clinicians` and `/v1/departments`.

use time::OffsetDateTime;

use super::csv::{self, Cell, Csv};
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
    if !csv::preferred(request.header("accept")) {
        return Ok(ok(&Items { items: rows })?.header("vary", "Accept"));
    }
    let mut table = Csv::with_header(&[
        "group",
        "period_start",
        "appointments",
        "attended",
        "missed",
        "cancelled",
        "missed_minutes",
        "missed_rate",
    ]);
    for row in &rows {
        table.row(&[
            Cell::Text(&row.group),
            Cell::Text(&row.period_start),
            csv::number(row.appointments),
            csv::number(row.attended),
            csv::number(row.missed),
            csv::number(row.cancelled),
            csv::number(row.missed_minutes),
            csv::number(row.missed_rate),
        ]);
    }
    let by = match group_by {
        GroupBy::Clinician => "clinician",
        GroupBy::Department => "department",
    };
    let per = period.map_or("", |p| match p {
        Period::Day => "-per-day",
        Period::Week => "-per-week",
        Period::Month => "-per-month",
    });
    Ok(csv_answer(table, &format!("missed-appointments-by-{by}{per}.csv")))
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
    let page = stats::named(db, group_by, cursor.as_deref(), limit, now.unix_timestamp()).await?;
    if !csv::preferred(request.header("accept")) {
        return Ok(ok(&page)?.header("vary", "Accept"));
    }
    let mut table = Csv::with_header(&["name", "appointments", "active", "attended", "cancelled", "missed"]);
    for named in &page.items {
        table.row(&[
            Cell::Text(&named.name),
            csv::number(named.appointments),
            csv::number(named.active),
            csv::number(named.attended),
            csv::number(named.cancelled),
            csv::number(named.missed),
        ]);
    }
    let file = match group_by {
        GroupBy::Clinician => "clinicians",
        GroupBy::Department => "departments",
    };
    let mut answer = csv_answer(table, &format!("{file}.csv"));
    // A CSV has no room for the next cursor, so it travels as the next page's link (RFC 8288).
    if let Some(next) = &page.next_cursor {
        answer = answer.header("link", format!("</v1/{file}?limit={limit}&cursor={next}>; rel=\"next\""));
    }
    Ok(answer)
}

fn csv_answer(table: Csv, file_name: &str) -> Response {
    Response::with_body(200, csv::CONTENT_TYPE, table.into_bytes())
        .header("content-disposition", format!("attachment; filename=\"{file_name}\""))
        .header("vary", "Accept")
}

/// A list that is never paginated.
#[derive(serde::Serialize)]
struct Items<T> {
    items: Vec<T>,
}
