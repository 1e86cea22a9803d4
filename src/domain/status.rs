//! The appointment status rules, in one place.
//!
//! Only an `active` appointment changes. A user may mark it `attended` or `cancelled`; it becomes
//! `missed` by itself once its end passes without attendance. `attended`, `cancelled` and
//! `missed` are final: a cancelled appointment is never reinstated.

use serde::Serialize;

use super::invalid::Invalid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Active,
    Attended,
    Cancelled,
    Missed,
}

/// Why a status change was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The appointment is already final; nothing about it may change.
    Final(Status),
    /// `missed` (or anything else not a user's to choose) was requested for an active appointment.
    NotAllowed { to: Status },
}

impl Status {
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        match input.trim() {
            "active" => Ok(Status::Active),
            "attended" => Ok(Status::Attended),
            "cancelled" => Ok(Status::Cancelled),
            "missed" => Ok(Status::Missed),
            _ => Err(Invalid::new("status-unknown")),
        }
    }

    /// One status or several, comma-separated (`active,missed`): any of them matches. Each is
    /// named once; order does not matter. Code: `status-unknown` for any item that is not a
    /// status, an empty one included.
    pub fn parse_any_of(input: &str) -> Result<Vec<Self>, Invalid> {
        let mut statuses = Vec::new();
        for item in input.split(',') {
            let status = Status::parse(item)?;
            if !statuses.contains(&status) {
                statuses.push(status);
            }
        }
        Ok(statuses)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Attended => "attended",
            Status::Cancelled => "cancelled",
            Status::Missed => "missed",
        }
    }

    pub fn is_final(self) -> bool {
        self != Status::Active
    }

    /// The status as of `now`: an active appointment whose end (`ends_at`, Unix seconds) is at or
    /// before `now` is missed, whether or not the sweep has stored that yet. The SQL twin of this
    /// rule is [`effective_status_sql`]; tests keep the two in agreement.
    pub fn effective(self, ends_at: i64, now: i64) -> Status {
        if self == Status::Active && ends_at <= now {
            Status::Missed
        } else {
            self
        }
    }

    /// May an appointment whose status is `self` (already effective) be changed, and to `to`?
    /// `to` is `None` when the change leaves the status alone (only other fields change).
    pub fn check_change(self, to: Option<Status>) -> Result<(), Refusal> {
        if self.is_final() {
            return Err(Refusal::Final(self));
        }
        match to {
            None | Some(Status::Active | Status::Attended | Status::Cancelled) => Ok(()),
            Some(to @ Status::Missed) => Err(Refusal::NotAllowed { to }),
        }
    }
}

/// Where SQL finds an appointment's end: the generated `ends_at` column.
pub const ENDS_AT: &str = "ends_at";

/// The effective status in SQL, for reads, filters and counts. `now_param` is the parameter
/// number the caller binds the request's instant to; `ends_at` is where the end is found
/// ([`ENDS_AT`], or a qualified `a.ends_at`).
pub fn effective_status_sql(now_param: usize, ends_at: &str) -> String {
    format!("CASE WHEN status = 'active' AND {ends_at} <= ?{now_param} THEN 'missed' ELSE status END")
}

/// A SQL condition selecting appointments whose effective status is `status`, written so that
/// each arm can use an index on `status`/`ends_at`.
pub fn effective_status_condition(status: Status, now_param: usize, ends_at: &str) -> String {
    match status {
        Status::Active => format!("(status = 'active' AND {ends_at} > ?{now_param})"),
        Status::Missed => format!("(status = 'missed' OR (status = 'active' AND {ends_at} <= ?{now_param}))"),
        Status::Attended | Status::Cancelled => format!("status = '{}'", status.as_str()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_000_000;

    #[test]
    fn several_statuses_are_read_from_one_comma_separated_value() {
        assert_eq!(Status::parse_any_of("active,missed"), Ok(vec![Status::Active, Status::Missed]));
        assert_eq!(Status::parse_any_of("missed, missed"), Ok(vec![Status::Missed]));
        assert_eq!(Status::parse_any_of("cancelled"), Ok(vec![Status::Cancelled]));
        for bad in ["", "active,", ",missed", "active,gone", "active;missed"] {
            assert_eq!(Status::parse_any_of(bad).unwrap_err().code, "status-unknown", "{bad}");
        }
    }

    #[test]
    fn cancelled_appointment_cannot_be_reinstated() {
        assert_eq!(Status::Cancelled.check_change(Some(Status::Active)), Err(Refusal::Final(Status::Cancelled)));
    }

    #[test]
    fn final_statuses_refuse_every_change_even_of_other_fields() {
        for status in [Status::Attended, Status::Cancelled, Status::Missed] {
            assert_eq!(status.check_change(None), Err(Refusal::Final(status)));
            for to in [Status::Active, Status::Attended, Status::Cancelled, Status::Missed] {
                assert_eq!(status.check_change(Some(to)), Err(Refusal::Final(status)));
            }
        }
    }

    #[test]
    fn an_active_appointment_may_be_attended_or_cancelled() {
        assert_eq!(Status::Active.check_change(Some(Status::Attended)), Ok(()));
        assert_eq!(Status::Active.check_change(Some(Status::Cancelled)), Ok(()));
        assert_eq!(Status::Active.check_change(Some(Status::Active)), Ok(()));
        assert_eq!(Status::Active.check_change(None), Ok(()));
    }

    #[test]
    fn a_user_cannot_mark_an_appointment_missed() {
        assert_eq!(Status::Active.check_change(Some(Status::Missed)), Err(Refusal::NotAllowed { to: Status::Missed }));
    }

    #[test]
    fn an_appointment_not_attended_by_its_end_is_missed() {
        assert_eq!(Status::Active.effective(NOW - 1, NOW), Status::Missed);
        assert_eq!(Status::Active.effective(NOW, NOW), Status::Missed, "at its end, it is over");
        assert_eq!(Status::Active.effective(NOW + 1, NOW), Status::Active);
    }

    #[test]
    fn final_statuses_never_turn_into_missed() {
        for status in [Status::Attended, Status::Cancelled] {
            assert_eq!(status.effective(NOW - 1, NOW), status);
        }
    }

    #[test]
    fn statuses_parse_from_their_names_only() {
        assert_eq!(Status::parse("attended"), Ok(Status::Attended));
        assert_eq!(Status::parse("Attended").unwrap_err().code, "status-unknown");
        assert_eq!(Status::parse("").unwrap_err().code, "status-unknown");
    }
}
