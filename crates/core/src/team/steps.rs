//! What a member may do next on a team case, decided here and sent to the screen with the case:
//! the case screen renders these steps and never works out a rule of its own (which extension
//! is next, whether one is waiting for a supervisor, whether the clock would take a decision).
//!
//! Each step is the rule its command applies ([`TeamStore::extend`] and the rest): a step the
//! command would refuse is not offered.

use super::TeamStore;
use super::cases::{TeamCase, TeamMember, extension_pending, read_head, replay};
use crate::access::Role;
use crate::complaints::case::ClockEvent;
use crate::complaints::clock::ComplaintClock;
use crate::complaints::types::ComplaintStatus;
use crate::complaints::work::CaseAction;
use crate::error::Result;
use chrono::{NaiveDate, Utc};

/// What the step rules need of a case besides its clock.
#[derive(Debug, Clone, Copy)]
pub struct StepFacts {
    pub status: ComplaintStatus,
    pub assignee_id: Option<i64>,
    /// A particularly complex extension is waiting in the approvals inbox.
    pub extension_pending: bool,
}

/// The steps `me` may take on the case today. Pure, so it is tested without a store.
///
/// - Only handlers and supervisors work cases; only an open or paused case takes a step.
/// - A case nobody holds can be taken; a colleague's case offers nothing (steps need the case
///   held: `claim` refuses them with `held_by_other`).
/// - The first extension is the complex one and applies at once; a later one is the
///   particularly complex one, a request for a supervisor, and one at a time.
pub fn team_actions(
    me: &TeamMember,
    facts: &StepFacts,
    clock: &ComplaintClock,
    today: NaiveDate,
) -> Vec<CaseAction> {
    if !matches!(me.role(), Some(Role::Complaints | Role::Supervisor)) || !facts.status.is_open() {
        return Vec::new();
    }
    match facts.assignee_id {
        None => return vec![CaseAction::AssignToMe],
        Some(id) if id != me.id => return Vec::new(),
        Some(_) => {}
    }
    let clock_takes = |event: ClockEvent| event.apply(clock, today).is_ok();
    let mut actions = vec![CaseAction::AddNote];
    if clock.extensions().is_empty() {
        if clock_takes(ClockEvent::ExtendComplex { reason: "?".into() }) {
            actions.push(CaseAction::ExtendComplex);
        }
    } else if !facts.extension_pending
        && clock_takes(ClockEvent::ExtendParticularlyComplex {
            reason: "?".into(),
            approved_by: "?".into(),
        })
    {
        actions.push(CaseAction::RequestExtension);
    }
    if clock_takes(ClockEvent::Decide) {
        actions.push(CaseAction::Decide);
    }
    actions
}

impl TeamStore {
    /// The case as `me` sees it on the case screen: with the steps `me` may take today.
    pub async fn case_for(&self, me: &TeamMember, id: i64, today: NaiveDate) -> Result<TeamCase> {
        let mut case = self.case(id).await?;
        // A read: nothing is written, so the transaction only gives the reads one connection.
        let mut tx = self.begin(Utc::now()).await?;
        let head = read_head(&mut tx, id, "").await?;
        let clock = replay(&mut tx, &head).await?;
        let extension_pending = extension_pending(&mut tx, id).await?;
        tx.rollback().await?;
        let facts = StepFacts {
            status: ComplaintStatus::parse(&head.status)?,
            assignee_id: head.assignee_id,
            extension_pending,
        };
        case.actions = team_actions(me, &facts, &clock, today);
        case.extension_pending = extension_pending;
        Ok(case)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(id: i64, role: &str) -> TeamMember {
        TeamMember {
            id,
            username: format!("m{id}"),
            display_name: format!("M{id}"),
            role: role.to_owned(),
            team: "t".to_owned(),
        }
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).expect("a March day")
    }

    fn clock() -> ComplaintClock {
        ComplaintClock::received(day(2))
    }

    fn held_by(id: i64) -> StepFacts {
        StepFacts {
            status: ComplaintStatus::Open,
            assignee_id: Some(id),
            extension_pending: false,
        }
    }

    #[test]
    fn first_extension_offered_is_the_complex_one() {
        let actions = team_actions(&member(1, "complaints"), &held_by(1), &clock(), day(3));
        assert!(actions.contains(&CaseAction::ExtendComplex));
        assert!(!actions.contains(&CaseAction::RequestExtension));
    }

    #[test]
    fn after_the_complex_extension_the_next_is_a_request_for_a_supervisor() {
        let extended = ClockEvent::ExtendComplex {
            reason: "needs the merchant's records".into(),
        }
        .apply(&clock(), day(3))
        .expect("the first extension applies");
        let me = member(1, "complaints");
        let actions = team_actions(&me, &held_by(1), &extended, day(4));
        assert!(actions.contains(&CaseAction::RequestExtension));
        assert!(!actions.contains(&CaseAction::ExtendComplex));
        let pending = StepFacts {
            extension_pending: true,
            ..held_by(1)
        };
        let actions = team_actions(&me, &pending, &extended, day(4));
        assert!(
            !actions.contains(&CaseAction::RequestExtension),
            "one request waits at a time"
        );
    }

    #[test]
    fn a_colleagues_case_offers_no_step_and_a_free_one_can_be_taken() {
        let me = member(1, "complaints");
        assert!(team_actions(&me, &held_by(2), &clock(), day(3)).is_empty());
        let free = StepFacts {
            assignee_id: None,
            ..held_by(1)
        };
        assert_eq!(
            team_actions(&me, &free, &clock(), day(3)),
            vec![CaseAction::AssignToMe]
        );
    }

    #[test]
    fn a_teller_or_a_closed_case_offers_no_step() {
        assert!(team_actions(&member(1, "teller"), &held_by(1), &clock(), day(3)).is_empty());
        let decided = StepFacts {
            status: ComplaintStatus::Decided,
            ..held_by(1)
        };
        assert!(team_actions(&member(1, "complaints"), &decided, &clock(), day(3)).is_empty());
    }
}
