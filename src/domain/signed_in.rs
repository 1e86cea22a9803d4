//! The database as a signed-in member of staff uses it: every call carries the account check.
//!
//! A token proves who signed in, but only the database knows whether that account may still act
//! (not disabled, not removed, no new password since the token was issued). Asking first and then
//! doing the work would cost a round trip more on every request, so the check travels with the
//! work instead, in the same round trip:
//!
//! - a read is one batch whose first statement selects the account. That answer is looked at
//!   first: when the account may not act, the request is refused whatever the read found;
//! - a write is one atomic batch whose first statement is the account guard: it writes the audit
//!   trail's note of who is acting (`audit_context`, `migrations/0010_audit_trail.sql`), whose
//!   CHECK refuses it, and so undoes the whole batch, unless the account may act. No write can
//!   commit for an account that lost its access meanwhile. The schema's triggers copy the note
//!   into every entry the batch's changes write, and the batch ends by removing it again
//!   (`audit::leave`).
//!
//! Domain code does not know about any of this: it takes any [`Database`], and the API hands it
//! a [`SignedIn`] for every protected route.

use std::cell::Cell;

use super::audit::{self, Request};
use super::auth::Claim;
use super::db::{Database, DbError, Rows, Start, Statement};

/// The accounts that may act: enabled, and unchanged since the token was issued.
const MAY_ACT: &str = "FROM users WHERE id = ?1 AND disabled = 0 AND credentials_changed_at <= ?2";

fn account_check(claim: Claim) -> Statement {
    Statement::new(format!("SELECT 1 {MAY_ACT}")).bind(claim.account_id).bind(claim.issued_at)
}

/// Notes who is acting for the trail, with the username as it is now: NULL, which the table's
/// CHECK (`writes_need_an_active_account`) refuses, exactly when the account may not act.
fn account_guard(claim: Claim, request: Request<'_>) -> Statement {
    Statement::new(format!(
        "INSERT INTO audit_context (\"only\", at, actor_id, actor, route, request_id)
         VALUES (1, ?3, ?1, (SELECT username {MAY_ACT}), ?4, ?5)
         ON CONFLICT (\"only\") DO UPDATE SET at = excluded.at, actor_id = excluded.actor_id, actor = excluded.actor,
                                          route = excluded.route, request_id = excluded.request_id"
    ))
    .bind(claim.account_id)
    .bind(claim.issued_at)
    .bind(request.at)
    .bind(request.route)
    .bind(request.id)
}

/// A database whose every call also checks that the signed-in account may act, and whose every
/// write is recorded in the audit trail as that account's.
pub struct SignedIn<'a, D> {
    db: &'a D,
    claim: Claim,
    request: Request<'a>,
    /// Whether a call has already shown that the account may act.
    checked: Cell<bool>,
}

impl<'a, D: Database> SignedIn<'a, D> {
    pub fn new(db: &'a D, claim: Claim, request: Request<'a>) -> Self {
        Self { db, claim, request, checked: Cell::new(false) }
    }

    /// Who is acting: the account the token names (checked by every call made through `self`).
    pub fn acting(&self) -> Claim {
        self.claim
    }

    /// Makes sure the account was checked, even for a request that never reached the database
    /// (one refused for bad input, say): that costs one round trip, on that path only.
    pub async fn confirm(&self) -> Result<(), DbError> {
        if !self.checked.get() {
            self.read(Vec::new()).await?;
        }
        Ok(())
    }
}

impl<D: Database> Database for SignedIn<'_, D> {
    async fn read(&self, statements: Vec<Statement>) -> Result<Vec<Rows>, DbError> {
        let mut batch = Vec::with_capacity(statements.len() + 1);
        batch.push(account_check(self.claim));
        batch.extend(statements);
        let mut results = self.db.read(batch).await?.into_iter();
        let may_act = results.next().ok_or_else(|| DbError::Decode("no result for the account check".into()))?;
        if may_act.is_empty()? {
            return Err(DbError::AccountNotActive);
        }
        self.checked.set(true);
        Ok(results.collect())
    }

    async fn write(&self, statements: Vec<Statement>) -> Result<Vec<Rows>, DbError> {
        let mut batch = Vec::with_capacity(statements.len() + 2);
        batch.push(account_guard(self.claim, self.request));
        batch.extend(statements);
        batch.push(audit::leave());
        let outcome = self.db.write(batch).await;
        // The guard runs first and statements run in order, so a later statement's constraint
        // failing means the guard let the batch through. Any other failure may have come before
        // the guard ran.
        if matches!(outcome, Ok(_) | Err(DbError::Constraint(_))) {
            self.checked.set(true);
        }
        let mut results = outcome?;
        results.pop();
        Ok(results.into_iter().skip(1).collect())
    }

    fn dialect(&self) -> super::db::Dialect {
        self.db.dialect()
    }

    fn start(&self, from: Start) {
        self.db.start(from);
    }

    fn bookmark(&self) -> Option<String> {
        self.db.bookmark()
    }
}
