//! The audit trail (`migrations/0010_audit_trail.sql`): who changed or viewed patient data, who
//! signed in, and who administered staff accounts.
//!
//! Changes are written by the schema's triggers, inside the statement that makes each change, so
//! an entry commits exactly when its change does. The domain only says who is acting: every write
//! batch of a signed-in member of staff begins with a note of who is acting (the account guard in
//! `signed_in`) and ends with [`leave`], and the sweep does the same as `system:sweep`
//! ([`enter_as_system`]). Views of patient data
//! ([`Access`]) and sign-ins ([`sign_in`]) are written by the statements here.

use serde::Deserialize;

use super::db::{read_one, Database, Dialect, Statement, Value};
use super::error::Error;
use super::invalid::Invalid;
use super::nhs_number::NhsNumber;
use super::page::{pair_cursor, split_pair, Page};
use super::person_name::FreeText;
use super::timestamp::Timestamp;

/// Every action an entry can record, as `GET /v1/audit?action=` accepts it.
pub const ACTIONS: &[&str] = &[
    "patient.created",
    "patient.updated",
    "patient.erased",
    "patient.viewed",
    "appointment.created",
    "appointment.updated",
    "appointment.deleted",
    "sign-in.succeeded",
    "sign-in.failed",
    "sign-in.locked-out",
    "sign-in.refused-while-locked",
    "user.added",
    "user.password-changed",
    "user.disabled",
    "user.enabled",
    "user.removed",
];

/// The actor of the cron sweep's changes. A `:` never occurs in a username.
pub const SWEEP: &str = "system:sweep";

/// What the trail records about the request an entry is written for.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The request's instant, Unix seconds.
    pub at: i64,
    /// Method and route template: `PATCH /v1/patients/{nhs_number}`.
    pub route: &'a str,
    /// The answer's `X-Request-ID`.
    pub id: &'a str,
}

/// Who the triggers record for the changes of one write batch made by PANDA itself
/// (`system:...`), outside any request: its first statement. A signed-in member of staff's is the
/// account guard (`signed_in`).
pub fn enter_as_system(at: i64, actor: &str) -> Statement {
    Statement::new(
        "INSERT INTO audit_context (\"only\", at, actor) VALUES (1, ?1, ?2)
         ON CONFLICT (\"only\") DO UPDATE SET at = excluded.at, actor_id = NULL, actor = excluded.actor,
                                          route = NULL, request_id = NULL",
    )
    .bind(at)
    .bind(actor)
}

/// The last statement of the batch: no other transaction ever sees who was acting in this one.
pub fn leave() -> Statement {
    Statement::new("DELETE FROM audit_context")
}

/// The patients an answer showed, to be recorded as viewed once the answer has gone (the
/// worker's `waitUntil`): who, when, which route, which request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Access {
    pub at: i64,
    pub actor_id: i64,
    pub route: String,
    pub request_id: String,
    /// NHS numbers, each once.
    pub patients: Vec<String>,
}

impl Access {
    /// As JSON. Every value is PANDA's own (a number, a route template, a UUID, ten-digit NHS
    /// numbers), so none needs escaping.
    fn json(&self) -> String {
        format!(
            "{{\"at\":{},\"actor_id\":{},\"route\":\"{}\",\"request_id\":\"{}\",\"patients\":[\"{}\"]}}",
            self.at,
            self.actor_id,
            self.route,
            self.request_id,
            self.patients.join("\",\"")
        )
    }
}

/// Views as the JSON array [`views_statement`] reads: also what the log line of views that could
/// not be written holds, so it can be replayed.
pub fn views_json(views: &[Access]) -> String {
    format!("[{}]", views.iter().map(Access::json).collect::<Vec<_>>().join(","))
}

/// One entry per patient of each view, in one statement whatever the number: the views travel as
/// one JSON array ([`views_json`]), since they may hold more patients than a statement has room
/// for parameters. The worker gathers the views of the answers it gives within a few
/// milliseconds into one such write.
pub fn views_statement(sql: Dialect, views_json: &str) -> Statement {
    let (at, actor_id) = (sql.integer_member("v.value", "at"), sql.integer_member("v.value", "actor_id"));
    Statement::new(format!(
        "INSERT INTO audit_events (at, actor_id, actor, action, resource, resource_id, patient, route, request_id)
         SELECT {at}, {actor_id}, coalesce(u.username, 'removed-account:' || {actor_id}),
                'patient.viewed', 'patient', p.value, p.value, {route}, {request_id}
           FROM {views}
           CROSS JOIN {patients}
           LEFT JOIN users u ON u.id = {actor_id}",
        route = sql.member("v.value", "route"),
        request_id = sql.member("v.value", "request_id"),
        views = sql.each_object("?1", "v"),
        patients = sql.each_text_in("v.value", "patients", "p"),
    ))
    .bind(views_json)
}

/// How a sign-in went, as the trail names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignIn {
    Succeeded,
    /// A wrong password, an unknown username or a disabled account; recorded as
    /// `sign-in.locked-out` when this failure locked the account.
    Failed,
    RefusedWhileLocked,
}

/// The entry for a sign-in, in the batch that records its outcome on the account (the account is
/// read after that, so a failure that locked it says so). `account` is none for an unknown
/// username; the username tried is then recorded if it could be one, never other text, which
/// might be a password typed into the wrong box.
pub fn sign_in(outcome: SignIn, account: Option<i64>, tried: &str, request: Request<'_>) -> Statement {
    let action = match outcome {
        SignIn::Succeeded => "sign-in.succeeded",
        SignIn::Failed => "sign-in.failed",
        SignIn::RefusedWhileLocked => "sign-in.refused-while-locked",
    };
    let tried = super::user::parse_username(tried).unwrap_or_else(|_| "(not a username)".to_owned());
    Statement::new(
        "INSERT INTO audit_events (at, actor_id, actor, action, resource, resource_id, route, request_id)
         SELECT ?1, u.id, coalesce(u.username, ?3),
                CASE WHEN ?4 = 'sign-in.failed' AND u.locked_until > ?1 THEN 'sign-in.locked-out' ELSE ?4 END,
                'user', coalesce(u.username, ?3), ?5, ?6
           FROM (SELECT 1) one LEFT JOIN users u ON u.id = ?2",
    )
    .bind(request.at)
    .bind(account)
    .bind(tried)
    .bind(action)
    .bind(request.route)
    .bind(request.id)
}

/// What a list of entries is narrowed to; all filters combine with AND.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub patient: Option<NhsNumber>,
    /// A username (any case), or `system:sweep`, `system:sql`, `admin:<name>`.
    pub actor: Option<FreeText>,
    pub action: Option<&'static str>,
    /// Entries at or after this instant.
    pub from: Option<Timestamp>,
    /// Entries before this instant.
    pub to: Option<Timestamp>,
}

/// An action the trail records, or `audit-action-unknown`.
pub fn parse_action(input: &str) -> Result<&'static str, Invalid> {
    ACTIONS.iter().find(|action| **action == input.trim()).copied().ok_or_else(|| Invalid::new("audit-action-unknown"))
}

/// Where a page starts: strictly before this (at, id), newest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Before {
    pub at: i64,
    pub id: i64,
}

impl Before {
    pub fn cursor(&self) -> String {
        pair_cursor(self.at, self.id)
    }

    /// From a decoded cursor made by [`Before::cursor`].
    pub fn from_key(key: &str) -> Option<Self> {
        split_pair(key).map(|(at, id)| Self { at, id })
    }
}

/// One entry as the API shows it, written by the database itself (`list_statement`): the trail's
/// values are already in the API's form, and a serialiser of Rust's own for them would cost the
/// worker kilobytes.
#[derive(Deserialize)]
struct Row {
    id: i64,
    at: i64,
    patient: Option<String>,
    entry: String,
}

/// The JSON object of each entry; `changes` maps a field to `{"before": ..., "after": ...}`.
fn entry(sql: Dialect) -> String {
    format!(
        "{json_object}('id', id, 'at', {at},
             'actor', actor, 'action', action, 'resource', resource, 'resource_id', resource_id,
             'patient', patient, 'route', route, 'request_id', request_id,
             'changes', {changes}, 'erased_at', {erased_at})",
        json_object = sql.json_object(),
        at = sql.utc_timestamp("at"),
        changes = sql.json("changes"),
        erased_at = sql.utc_timestamp("erased_at"),
    )
}

/// Entries newest first, filtered, before a cursor. Each filter has an index that ends in
/// (at, id), read backwards, so rows come out in page order without a sort.
pub fn list_statement(sql: Dialect, filter: &Filter, before: Option<Before>, limit: u32) -> Statement {
    let mut statement = Statement::new(String::new());
    let mut conditions = Vec::new();
    let mut condition = |statement: &mut Statement, sql: &str, value: Value| {
        statement.params.push(value);
        conditions.push(format!("{sql} ?{}", statement.params.len()));
    };
    if let Some(patient) = &filter.patient {
        condition(&mut statement, "patient =", patient.as_str().into());
    }
    if let Some(actor) = &filter.actor {
        condition(&mut statement, "actor =", actor.as_str().into());
    }
    if let Some(action) = filter.action {
        // Spelt out for any other action, so that SQLite may use the partial index
        // `audit_events_by_action`, which leaves views out.
        let sql = if action == "patient.viewed" { "action =" } else { "action <> 'patient.viewed' AND action =" };
        condition(&mut statement, sql, action.into());
    }
    if let Some(from) = &filter.from {
        condition(&mut statement, "at >=", from.unix_seconds().into());
    }
    if let Some(to) = &filter.to {
        condition(&mut statement, "at <", to.unix_seconds().into());
    }
    // No entry is as late as 2^53 seconds, nor has so high an id: the first page starts there.
    let before = before.unwrap_or(Before { at: 1 << 53, id: 1 << 53 });
    statement.params.extend([before.at.into(), before.id.into(), (limit + 1).into()]);
    let n = statement.params.len();
    conditions.push(format!("(at, id) < (?{}, ?{})", n - 2, n - 1));
    statement.sql = format!(
        "SELECT id, at, patient, {} AS entry
           FROM audit_events
          WHERE {}
          ORDER BY at DESC, id DESC
          LIMIT ?{n}",
        entry(sql),
        conditions.join(" AND ")
    );
    statement
}

/// A page of entries, as the API's JSON (`{"items": [...], "next_cursor": ...}`), and the
/// patients it shows.
pub async fn list(
    db: &impl Database,
    filter: &Filter,
    before: Option<Before>,
    limit: u32,
) -> Result<(String, Vec<String>), Error> {
    let rows = read_one(db, list_statement(db.dialect(), filter, before, limit)).await?.decode::<Row>()?;
    let page = Page::from_overfetch(rows, limit, |row| Before { at: row.at, id: row.id }.cursor());
    let mut json = String::from("{\"items\":[");
    let mut patients = Vec::new();
    for (i, row) in page.items.into_iter().enumerate() {
        if i > 0 {
            json.push(',');
        }
        json.push_str(&row.entry);
        patients.extend(row.patient);
    }
    json.push_str("],\"next_cursor\":");
    // A cursor is hex: it needs no escaping.
    json.push_str(&page.next_cursor.map_or("null".to_owned(), |cursor| format!("\"{cursor}\"")));
    json.push('}');
    Ok((json, patients))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back() {
        let before = Before { at: 1_764_547_200, id: 42 };
        assert_eq!(Before::from_key(&super::super::page::decode_cursor(&before.cursor()).unwrap()), Some(before));
        assert_eq!(Before::from_key("1|x"), None);
    }

    #[test]
    fn only_the_trails_own_actions_are_filters() {
        assert_eq!(parse_action("patient.viewed"), Ok("patient.viewed"));
        assert_eq!(parse_action("patient.deleted").unwrap_err().code, "audit-action-unknown");
    }
}
