//! What a member may do next on a team dispute, decided here and sent to the screen with the
//! dispute (as `team::steps` does for complaint cases): the dispute screen renders these and
//! never works out a rule of its own (who may take it, whether a colleague's hold leaves
//! anything to do, which of the desk's steps the clock allows today).
//!
//! The desk's rules decide which steps a dispute allows at all ([`DisputeSteps`]); this adds
//! who may take them: each step needs the dispute held by the member (the store's `claim`
//! refuses anyone else with `held_by_other`), so a step the command would refuse is not offered.

use super::TeamStore;
use super::cases::TeamMember;
use super::disputes::TeamDispute;
use crate::access::{Permission, Role};
use crate::disputes::desk::{DisputeStatus, DisputeSteps};
use crate::error::Result;
use chrono::NaiveDate;
use serde::Serialize;
use ts_rs::TS;

/// A step the dispute screen may offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum TeamDisputeAction {
    /// Nobody holds it: the member may take it.
    Take,
    AddEvidence,
    ProposeCredit,
    RecordTold,
    Extend,
    Decide,
    Chargeback,
}

/// What the dispute screen may offer on one of the dispute's core ops (issue 16).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum TeamCoreOpAction {
    /// Send it again (`team_dispute_op_resend`).
    Resend,
    /// Set it aside with a reason (`team_dispute_op_discard`).
    Discard,
}

/// What `me` may do with a core op in `state`. Pure, so it is tested without a store.
///
/// - Only an op that needs attention is acted on: a pending one is still the sender's (it may
///   be in flight: setting it aside could hide an op the core applies), a done one is the
///   core's truth, a discarded one is finished.
/// - Only a dispute supervisor ([`Permission::ApproveDisputeCredit`], as the commands check):
///   both act on what the core's ledger hears of the dispute, as approving a credit does.
///   Resending an op the core refused, or letting the dispute's later steps reach the core
///   without one, is a call above the handler, who may be the one who took the step.
pub fn core_op_actions(me: &TeamMember, state: &str) -> Vec<TeamCoreOpAction> {
    let supervises = Role::parse(&me.role).is_some_and(|r| r.may(Permission::ApproveDisputeCredit));
    if supervises && state == "attention" {
        vec![TeamCoreOpAction::Resend, TeamCoreOpAction::Discard]
    } else {
        Vec::new()
    }
}

/// The steps `me` may take on a dispute with `status`, held by `assignee_id`, whose rules
/// allow `steps` today. Pure, so it is tested without a store.
///
/// - Only those who work disputes (dispute handlers, supervisors) take steps; only an open
///   dispute takes one.
/// - A dispute nobody holds can be taken; a colleague's offers nothing.
/// - The holder gets exactly the desk's allowed steps.
pub fn team_dispute_actions(
    me: &TeamMember,
    status: DisputeStatus,
    assignee_id: Option<i64>,
    steps: &DisputeSteps,
) -> Vec<TeamDisputeAction> {
    let works_disputes = Role::parse(&me.role).is_some_and(|r| r.may(Permission::WorkDisputes));
    if !works_disputes || status != DisputeStatus::Open {
        return Vec::new();
    }
    match assignee_id {
        None => return vec![TeamDisputeAction::Take],
        Some(id) if id != me.id => return Vec::new(),
        Some(_) => {}
    }
    [
        (steps.add_evidence, TeamDisputeAction::AddEvidence),
        (steps.propose_credit, TeamDisputeAction::ProposeCredit),
        (steps.record_told, TeamDisputeAction::RecordTold),
        (steps.extend, TeamDisputeAction::Extend),
        (steps.decide, TeamDisputeAction::Decide),
        (steps.chargeback, TeamDisputeAction::Chargeback),
    ]
    .into_iter()
    .filter_map(|(allowed, action)| allowed.then_some(action))
    .collect()
}

impl TeamStore {
    /// The dispute as `me` sees it on the dispute screen: with the steps `me` may take today.
    pub async fn dispute_for(
        &self,
        me: &TeamMember,
        id: i64,
        today: NaiveDate,
    ) -> Result<TeamDispute> {
        let mut dispute = self.dispute(id, today).await?;
        dispute.actions =
            team_dispute_actions(me, dispute.status, dispute.assignee_id, &dispute.steps);
        for op in &mut dispute.core_ops {
            op.actions = core_op_actions(me, &op.state);
        }
        Ok(dispute)
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

    fn all_steps() -> DisputeSteps {
        DisputeSteps {
            add_evidence: true,
            propose_credit: true,
            record_told: true,
            extend: true,
            decide: true,
            chargeback: true,
        }
    }

    #[test]
    fn a_free_dispute_can_only_be_taken_and_a_colleagues_offers_nothing() {
        let me = member(1, "disputes");
        assert_eq!(
            team_dispute_actions(&me, DisputeStatus::Open, None, &all_steps()),
            vec![TeamDisputeAction::Take]
        );
        assert!(team_dispute_actions(&me, DisputeStatus::Open, Some(2), &all_steps()).is_empty());
    }

    #[test]
    fn the_holder_gets_exactly_the_steps_the_desks_rules_allow_today() {
        let me = member(1, "supervisor");
        let steps = DisputeSteps {
            propose_credit: false,
            record_told: false,
            extend: false,
            ..all_steps()
        };
        assert_eq!(
            team_dispute_actions(&me, DisputeStatus::Open, Some(1), &steps),
            vec![
                TeamDisputeAction::AddEvidence,
                TeamDisputeAction::Decide,
                TeamDisputeAction::Chargeback
            ]
        );
    }

    #[test]
    fn only_a_supervisor_acts_and_only_on_an_op_that_needs_attention() {
        let boss = member(1, "supervisor");
        assert_eq!(
            core_op_actions(&boss, "attention"),
            vec![TeamCoreOpAction::Resend, TeamCoreOpAction::Discard]
        );
        for state in ["pending", "done", "discarded"] {
            assert!(core_op_actions(&boss, state).is_empty(), "{state}");
        }
        for role in ["disputes", "complaints", "teller"] {
            assert!(
                core_op_actions(&member(2, role), "attention").is_empty(),
                "{role}"
            );
        }
    }

    #[test]
    fn a_decided_dispute_or_a_member_who_does_not_work_disputes_gets_no_step() {
        let decided = DisputeStatus::DecidedCustomer;
        assert!(
            team_dispute_actions(&member(1, "disputes"), decided, Some(1), &all_steps()).is_empty()
        );
        for role in ["complaints", "teller"] {
            assert!(
                team_dispute_actions(&member(1, role), DisputeStatus::Open, None, &all_steps())
                    .is_empty(),
                "{role}"
            );
        }
    }
}
