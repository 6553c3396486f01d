//! Dispute cases on the team store, on both backends (`<rule>::sqlite`, `<rule>::postgres`).
//! The deadlines asserted here are the console desk's (disputes::policy tests use the same
//! dates): the team store replays the same clock, it does not count on its own.

use super::*;
use walletdesk_core::complaints::ClockStatus;
use walletdesk_core::corelink::LiveTransaction;
use walletdesk_core::disputes::desk::{
    CreditDecisionInput, DisputeDecisionInput, DisputeStatus, DisputeTextInput, EvidenceInput,
    EvidenceKind, OpenDisputeInput,
};
use walletdesk_core::disputes::{DisputeConfig, PolicySet, RegEPolicy};
use walletdesk_core::domain::Money;
use walletdesk_core::team::{DisputeTakeOutcome, TeamDispute, TeamDisputeAction};

const TEAM: &str = "desk-a";

pub fn payment(id: &str, on: NaiveDate, direction: &str) -> LiveTransaction {
    LiveTransaction {
        id: id.into(),
        wallet_id: "W0001".into(),
        // 10:00 Beijing time: the transaction's local date is `on`.
        at: at(on).to_rfc3339(),
        amount: Money::from_minor_units(12_345),
        direction: direction.into(),
        counterparty: "某某商户".into(),
        memo: String::new(),
    }
}

pub fn opening(transaction_id: &str, reason: &str) -> OpenDisputeInput {
    OpenDisputeInput {
        customer_id: "C0001".into(),
        transaction_id: transaction_id.into(),
        reason: reason.into(),
        statement_on: None,
        account_opened_on: None,
        point_of_sale: false,
        foreign: false,
    }
}

pub async fn open(
    s: &TeamStore,
    by: &TeamMember,
    id: &str,
    reason: &str,
    notice: NaiveDate,
) -> TeamDispute {
    s.open_dispute(
        by,
        &opening(id, reason),
        &payment(id, notice - chrono::Days::new(5), "out"),
        TEAM,
        notice,
        at(notice),
    )
    .await
    .expect("open dispute")
}

pub async fn take(s: &TeamStore, me: &TeamMember, id: i64, today: NaiveDate) -> TeamDispute {
    match s
        .take_dispute(me, id, today, at(today))
        .await
        .expect("take")
    {
        DisputeTakeOutcome::Taken { dispute } => *dispute,
        other => panic!("not taken: {other:?}"),
    }
}

pub fn evidence(dispute_id: i64, text: &str) -> EvidenceInput {
    EvidenceInput {
        dispute_id,
        kind: EvidenceKind::Statement,
        description: text.into(),
    }
}

fn proposal(dispute_id: i64) -> DisputeTextInput {
    DisputeTextInput {
        dispute_id,
        text: "The customer did not make this payment.".into(),
    }
}

fn decision(dispute_id: i64, for_customer: bool) -> DisputeDecisionInput {
    DisputeDecisionInput {
        dispute_id,
        for_customer,
        findings: "The merchant confirmed the charge was an error.".into(),
        user_fault_proven: false,
    }
}

fn approve(proposal_id: i64) -> CreditDecisionInput {
    CreditDecisionInput {
        proposal_id,
        approve: true,
        note: None,
    }
}

fn dq(queue: TeamQueue) -> TeamQueueQuery {
    TeamQueueQuery {
        team: TEAM.into(),
        queue,
        after: None,
        limit: 50,
    }
}

fn ops(d: &TeamDispute) -> Vec<&str> {
    d.core_ops.iter().map(|o| o.kind.as_str()).collect()
}

both! {
    async fn a_team_dispute_opens_under_the_desks_rules_and_waits_in_its_teams_queue(s) {
        let me = member(&s, "disputes", Role::Disputes).await;
        let notice = d(2026, 3, 2);
        let first = open(&s, &me, "T-100", "unauthorised", notice).await;
        assert_eq!(first.case_no, "TD-2026-000001");
        assert_eq!(first.status, DisputeStatus::Open);
        assert_eq!(first.amount.to_string(), "123.45");
        assert_eq!(first.facts.transaction_on, d(2026, 2, 25));
        // China e-payment (the default): decide within 15 calendar days of the notice, act
        // at once; 2026-03-17 is a Tuesday.
        assert!(matches!(first.policy, PolicySet::ChinaEPayment(_)));
        assert_eq!(first.due_on, d(2026, 3, 17));
        assert_eq!(first.deadlines.act_by, Some(notice));
        assert_eq!(first.clock, ClockStatus::OnTrack { days_left: 15 });
        assert_eq!(ops(&first), ["dispute.open"]);
        assert!(first.steps.propose_credit && first.steps.decide && !first.steps.extend);
        // A second, older notice is more urgent: the queue is in due order.
        let older = open(&s, &me, "T-101", "duplicate", d(2026, 2, 20)).await;
        let page = s.dispute_queue(&me, &dq(TeamQueue::All)).await.expect("queue");
        assert_eq!(page.disputes.iter().map(|r| r.id).collect::<Vec<_>>(), [older.id, first.id]);
        assert_eq!(page.version, 2, "each opening moved the team's queue version");
        // The desk's input rules, with the desk's codes.
        let again = s.open_dispute(&me, &opening("T-100", "other"), &payment("T-100", d(2026, 2, 25), "out"), TEAM, notice, at(notice)).await;
        conflict_on(again.expect_err("twice"), "transactionId", "dispute_exists");
        let unknown = s.open_dispute(&me, &opening("T-102", "mars"), &payment("T-102", d(2026, 2, 25), "out"), TEAM, notice, at(notice)).await;
        assert_eq!(unknown.expect_err("reason").fields()[0].code, "dispute_reason_unknown");
        let incoming = s.open_dispute(&me, &opening("T-103", "other"), &payment("T-103", d(2026, 2, 25), "in"), TEAM, notice, at(notice)).await;
        assert_eq!(incoming.expect_err("in").fields()[0].code, "dispute_not_a_payment_out");
        let teller = member(&s, "teller", Role::Teller).await;
        let refused = s.open_dispute(&teller, &opening("T-104", "other"), &payment("T-104", d(2026, 2, 25), "out"), TEAM, notice, at(notice)).await;
        assert_eq!(refused.expect_err("teller").code(), Code::Forbidden);
    }

    async fn two_consoles_opening_one_transaction_make_one_team_dispute(s) {
        let a = member(&s, "disputes-a", Role::Disputes).await;
        let b = member(&s, "disputes-b", Role::Disputes).await;
        let notice = d(2026, 3, 2);
        let found = payment("T-200", d(2026, 2, 27), "out");
        let input = opening("T-200", "wrong-amount");
        let (x, y) = tokio::join!(
            s.open_dispute(&a, &input, &found, TEAM, notice, at(notice)),
            s.open_dispute(&b, &input, &found, TEAM, notice, at(notice))
        );
        let (won, lost): (Vec<_>, Vec<_>) = [x, y].into_iter().partition(Result::is_ok);
        assert_eq!((won.len(), lost.len()), (1, 1));
        conflict_on(lost.into_iter().next().expect("one").expect_err("lost"), "transactionId", "dispute_exists");
        let page = s.dispute_queue(&a, &dq(TeamQueue::All)).await.expect("queue");
        assert_eq!(page.disputes.len(), 1);
    }

    async fn taking_a_dispute_one_handler_wins_and_the_other_is_told_who_has_it(s) {
        let a = member(&s, "disputes-a", Role::Disputes).await;
        let b = member(&s, "disputes-b", Role::Disputes).await;
        let today = d(2026, 3, 2);
        let dispute = open(&s, &a, "T-300", "not-received", today).await;
        let (x, y) = tokio::join!(
            s.take_dispute(&a, dispute.id, today, at(today)),
            s.take_dispute(&b, dispute.id, today, at(today))
        );
        let outcomes = [x.expect("take a"), y.expect("take b")];
        let winners: Vec<_> = outcomes.iter().filter_map(|o| match o {
            DisputeTakeOutcome::Taken { dispute } => Some(dispute.assignee_id),
            _ => None,
        }).collect();
        assert_eq!(winners.len(), 1, "{outcomes:?}");
        let winner = if winners[0] == Some(a.id) { &a } else { &b };
        let told = outcomes.iter().find(|o| matches!(o, DisputeTakeOutcome::AlreadyTaken { .. })).expect("one told");
        assert_eq!(
            told,
            &DisputeTakeOutcome::AlreadyTaken {
                case_no: dispute.case_no.clone(),
                by_id: winner.id,
                by_name: winner.display_name.clone(),
            }
        );
        let mine = s.dispute_queue(winner, &dq(TeamQueue::Mine)).await.expect("mine");
        assert_eq!(mine.disputes.len(), 1);
        assert!(s.dispute_queue(winner, &dq(TeamQueue::Unassigned)).await.expect("q").disputes.is_empty());
        // Only those who work disputes take them.
        let complaints = member(&s, "complaints", Role::Complaints).await;
        assert_eq!(s.take_dispute(&complaints, dispute.id, today, at(today)).await.err().map(|e| e.code()), Some(Code::Forbidden));
    }

    async fn the_holder_adds_text_evidence_and_the_core_is_to_hear_of_it(s) {
        let me = member(&s, "disputes", Role::Disputes).await;
        let today = d(2026, 3, 2);
        let dispute = open(&s, &me, "T-400", "refund-not-processed", today).await;
        let held = take(&s, &me, dispute.id, today).await;
        let added = s.add_dispute_evidence(&me, &evidence(held.id, "Statement for February."), held.version, today, at(today)).await.expect("evidence");
        assert_eq!(added.evidence.len(), 1);
        assert_eq!((added.evidence[0].kind, added.evidence[0].added_by.as_str()), (EvidenceKind::Statement, "disputes"));
        assert_eq!(ops(&added), ["dispute.open", "dispute.evidence"]);
        assert!(added.core_ops.iter().all(|o| o.state == "pending"));
        let empty = s.add_dispute_evidence(&me, &evidence(held.id, "   "), added.version, today, at(today)).await;
        assert_eq!(empty.expect_err("empty").fields()[0].code, "dispute_text_length");
    }

    async fn a_provisional_credit_waits_for_a_supervisor_who_did_not_propose_it(s) {
        let boss = member(&s, "boss", Role::Supervisor).await;
        let other_boss = member(&s, "other-boss", Role::Supervisor).await;
        let handler = member(&s, "disputes", Role::Disputes).await;
        let today = d(2026, 3, 2);
        let dispute = open(&s, &boss, "T-500", "unauthorised", today).await;
        // A supervisor holds the case and proposes the credit themself.
        let held = take(&s, &boss, dispute.id, today).await;
        let proposed = s.propose_dispute_credit(&boss, &proposal(held.id), held.version, today, at(today)).await.expect("propose");
        assert!(!proposed.steps.propose_credit, "one live proposal at a time");
        let again = s.propose_dispute_credit(&boss, &proposal(held.id), proposed.version, today, at(today)).await;
        conflict_on(again.expect_err("twice"), "dispute", "dispute_credit_pending");
        let inbox = s.pending_dispute_credits(&other_boss).await.expect("inbox");
        assert_eq!(inbox.len(), 1);
        assert_eq!((inbox[0].case_no.as_str(), inbox[0].proposed_by, inbox[0].amount_fen), (dispute.case_no.as_str(), boss.id, 12_345));
        // The inbox says who may decide: another supervisor, never the proposer; a handler
        // has no inbox.
        assert!(inbox[0].may_decide);
        assert_eq!(inbox[0].amount.to_string(), "123.45");
        let own_inbox = s.pending_dispute_credits(&boss).await.expect("own inbox");
        assert!(!own_inbox[0].may_decide, "the proposer sees it waiting, not to approve");
        assert_eq!(s.pending_dispute_credits(&handler).await.expect_err("handler").code(), Code::Forbidden);
        // Four eyes: the proposer cannot approve it, a handler has no say.
        let own = s.decide_dispute_credit(&boss, &approve(inbox[0].id), today, at(today)).await;
        conflict_on(own.expect_err("self"), "proposal", "maker_is_checker");
        let not_boss = s.decide_dispute_credit(&handler, &approve(inbox[0].id), today, at(today)).await;
        assert_eq!(not_boss.expect_err("role").code(), Code::Forbidden);
        let no_note = s.decide_dispute_credit(&other_boss, &CreditDecisionInput { proposal_id: inbox[0].id, approve: false, note: None }, today, at(today)).await;
        assert_eq!(no_note.expect_err("note").fields()[0].code, "dispute_refusal_needs_note");
        // Another supervisor approves, from any console.
        let approved = s.decide_dispute_credit(&other_boss, &approve(inbox[0].id), today, at(today)).await.expect("approve");
        assert_eq!(approved.credit_on, Some(today));
        assert_eq!(approved.proposals[0].status, "approved");
        assert_eq!(approved.proposals[0].decided_by.as_deref(), Some("other-boss"));
        assert_eq!(ops(&approved), ["dispute.open", "dispute.provisional_credit"]);
        assert!(approved.version > proposed.version, "the holder's screen must reload");
        assert!(s.pending_dispute_credits(&other_boss).await.expect("inbox").is_empty());
        let twice = s.decide_dispute_credit(&other_boss, &approve(inbox[0].id), today, at(today)).await;
        conflict_on(twice.expect_err("twice"), "proposal", "dispute_proposal_decided");
    }

    async fn deciding_a_team_dispute_closes_its_clock_and_takes_it_off_the_queue(s) {
        let me = member(&s, "disputes", Role::Disputes).await;
        let boss = member(&s, "boss", Role::Supervisor).await;
        let notice = d(2026, 3, 2);
        let dispute = open(&s, &me, "T-600", "unauthorised", notice).await;
        let held = take(&s, &me, dispute.id, notice).await;
        let proposed = s.propose_dispute_credit(&me, &proposal(held.id), held.version, notice, at(notice)).await.expect("propose");
        let credited = s.decide_dispute_credit(&boss, &approve(proposed.proposals[0].id), notice, at(notice)).await.expect("approve");
        let decided_on = d(2026, 3, 10);
        // China e-payment: an unauthorised payment goes against the customer only with the
        // user's fault proven.
        let unproven = s.decide_dispute(&me, &decision(held.id, false), credited.version, decided_on, at(decided_on)).await;
        conflict_on(unproven.expect_err("unproven"), "dispute", "dispute_user_fault_not_proven");
        let proven = DisputeDecisionInput { user_fault_proven: true, ..decision(held.id, false) };
        let decided = s.decide_dispute(&me, &proven, credited.version, decided_on, at(decided_on)).await.expect("decide");
        assert_eq!(decided.status, DisputeStatus::DecidedBank);
        assert_eq!(decided.decided_on, Some(decided_on));
        assert!(matches!(decided.clock, ClockStatus::Closed { on_time: true, .. }), "{:?}", decided.clock);
        // For the bank after a provisional credit: the core is to reverse the credit.
        assert_eq!(ops(&decided), ["dispute.open", "dispute.provisional_credit", "dispute.decide", "dispute.reverse"]);
        assert_eq!(decided.steps, Default::default(), "no step is left on a decided dispute");
        assert!(s.dispute_queue(&me, &dq(TeamQueue::All)).await.expect("q").disputes.is_empty());
        let after = s.add_dispute_evidence(&me, &evidence(held.id, "Late."), decided.version, decided_on, at(decided_on)).await;
        conflict_on(after.expect_err("decided"), "dispute", "dispute_decided");
    }

    async fn reg_e_deadlines_on_the_team_store_are_the_desks(s) {
        // The same dates as disputes::policy's Regulation E tests on the 2026 China calendar.
        s.save_dispute_config(&DisputeConfig {
            policy: PolicySet::UsRegulationE(RegEPolicy::default()),
            reasons: Default::default(),
        })
        .await
        .expect("config");
        let me = member(&s, "disputes", Role::Disputes).await;
        let boss = member(&s, "boss", Role::Supervisor).await;
        let notice = d(2026, 9, 30);
        let dispute = open(&s, &me, "T-700", "wrong-amount", notice).await;
        assert_eq!(dispute.due_on, d(2026, 10, 20), "10 business days over National Day");
        assert_eq!(dispute.deadlines.provisional_credit_by, Some(d(2026, 10, 20)));
        let held = take(&s, &me, dispute.id, notice).await;
        // No extension without a provisional credit told in time.
        let early = s.extend_dispute(&me, held.id, held.version, d(2026, 10, 9), at(d(2026, 10, 9))).await;
        conflict_on(early.expect_err("no credit"), "dispute", "dispute_extension_needs_credit");
        let proposed = s.propose_dispute_credit(&me, &proposal(held.id), held.version, d(2026, 10, 9), at(d(2026, 10, 9))).await.expect("propose");
        let credited = s.decide_dispute_credit(&boss, &approve(proposed.proposals[0].id), d(2026, 10, 9), at(d(2026, 10, 9))).await.expect("approve");
        assert_eq!(credited.deadlines.tell_credit_by, Some(d(2026, 10, 12)), "make-up Saturday 10-10 counts");
        let told = s.dispute_customer_told(&me, held.id, credited.version, d(2026, 10, 12), at(d(2026, 10, 12))).await.expect("told");
        assert!(told.steps.extend);
        let extended = s.extend_dispute(&me, held.id, told.version, d(2026, 10, 14), at(d(2026, 10, 14))).await.expect("extend");
        // 45 days: Saturday 2026-11-14 moves to Monday 2026-11-16; the queue has it too.
        assert_eq!(extended.due_on, d(2026, 11, 16));
        assert_eq!(extended.extended_on, Some(d(2026, 10, 14)));
        let page = s.dispute_queue(&me, &dq(TeamQueue::Mine)).await.expect("q");
        assert_eq!(page.disputes[0].due_on, "2026-11-16");
        let twice = s.extend_dispute(&me, held.id, extended.version, d(2026, 10, 15), at(d(2026, 10, 15))).await;
        conflict_on(twice.expect_err("twice"), "dispute", "dispute_already_extended");
    }

    async fn a_stale_dispute_screen_cannot_overwrite_a_colleagues_step(s) {
        let me = member(&s, "disputes", Role::Disputes).await;
        let other = member(&s, "other", Role::Disputes).await;
        let today = d(2026, 3, 2);
        let dispute = open(&s, &me, "T-800", "other", today).await;
        let held = take(&s, &me, dispute.id, today).await;
        let shown = held.version;
        let after = s.add_dispute_evidence(&me, &evidence(held.id, "First."), shown, today, at(today)).await.expect("evidence");
        assert_eq!(after.version, shown + 1);
        let stale = s.add_dispute_evidence(&me, &evidence(held.id, "From an old screen."), shown, today, at(today)).await;
        conflict_on(stale.expect_err("stale"), "version", "stale_version");
        let stale = s.decide_dispute(&me, &decision(held.id, true), shown, today, at(today)).await;
        conflict_on(stale.expect_err("stale"), "version", "stale_version");
        let stale = s.propose_dispute_credit(&me, &proposal(held.id), shown, today, at(today)).await;
        conflict_on(stale.expect_err("stale"), "version", "stale_version");
        // A colleague who does not hold it cannot step it, even at the right version.
        let foreign = s.add_dispute_evidence(&other, &evidence(held.id, "Not mine."), after.version, today, at(today)).await;
        conflict_on(foreign.expect_err("held"), "dispute", "held_by_other");
        let now = s.dispute(held.id, today).await.expect("read");
        assert_eq!((now.evidence.len(), now.version), (1, after.version));
    }

    async fn the_team_audit_chain_records_every_dispute_change_and_verifies(s) {
        let me = member(&s, "disputes", Role::Disputes).await;
        let boss = member(&s, "boss", Role::Supervisor).await;
        let today = d(2026, 3, 2);
        let dispute = open(&s, &me, "T-900", "duplicate", today).await;
        let held = take(&s, &me, dispute.id, today).await;
        let added = s.add_dispute_evidence(&me, &evidence(held.id, "Two receipts."), held.version, today, at(today)).await.expect("evidence");
        // A refused step writes nothing.
        let _ = s.add_dispute_evidence(&me, &evidence(held.id, "Stale."), held.version, today, at(today)).await.expect_err("stale");
        let proposed = s.propose_dispute_credit(&me, &proposal(held.id), added.version, today, at(today)).await.expect("propose");
        let credited = s.decide_dispute_credit(&boss, &approve(proposed.proposals[0].id), today, at(today)).await.expect("approve");
        s.decide_dispute(&me, &decision(held.id, true), credited.version, today, at(today)).await.expect("decide");
        assert_eq!(
            s.audit_actions_of(&dispute.case_no).await.expect("actions"),
            [
                "team.dispute_opened",
                "team.dispute_taken",
                "team.dispute_evidence_added",
                "team.dispute_credit_proposed",
                "team.dispute_credit_approved",
                "team.dispute_decided",
            ]
        );
        let verified = s.verify_audit().await.expect("verify");
        assert!(verified.ok, "{verified:?}");
        assert_eq!(verified.checked, 6);
        assert_eq!(s.queue_version(TEAM).await.expect("v"), 6, "every change moved the queue");
    }

    async fn take_next_dispute_takes_the_most_urgent_free_one_and_never_one_twice(s) {
        let a = member(&s, "disputes-a", Role::Disputes).await;
        let b = member(&s, "disputes-b", Role::Disputes).await;
        let today = d(2026, 3, 10);
        // Due in notice order (China set: 15 days from the notice); the oldest notice is taken
        // by hand first, so take-next passes over it.
        let held = open(&s, &a, "T-1000", "other", d(2026, 3, 2)).await;
        let second = open(&s, &a, "T-1001", "other", d(2026, 3, 3)).await;
        let third = open(&s, &a, "T-1002", "other", d(2026, 3, 4)).await;
        let fourth = open(&s, &a, "T-1003", "other", d(2026, 3, 5)).await;
        take(&s, &b, held.id, today).await;
        let next = s.take_next_dispute(&a, TEAM, today, at(today)).await.expect("next").expect("one");
        assert_eq!(next.id, second.id, "the queue's order: due date, then id");
        assert_eq!(next.assignee_id, Some(a.id));
        assert!(next.actions.contains(&TeamDisputeAction::Decide), "{:?}", next.actions);
        // Two handlers at once get two different disputes, in order.
        let (x, y) = tokio::join!(
            s.take_next_dispute(&a, TEAM, today, at(today)),
            s.take_next_dispute(&b, TEAM, today, at(today))
        );
        let mut got = [x.expect("a").expect("one").id, y.expect("b").expect("one").id];
        got.sort_unstable();
        assert_eq!(got, [third.id, fourth.id]);
        assert!(s.take_next_dispute(&a, TEAM, today, at(today)).await.expect("empty").is_none());
        assert!(s.dispute_queue(&a, &dq(TeamQueue::Unassigned)).await.expect("q").disputes.is_empty());
        // Another team's queue is not this one's; only those who work disputes take.
        let complaints = member(&s, "complaints", Role::Complaints).await;
        assert_eq!(s.take_next_dispute(&complaints, TEAM, today, at(today)).await.expect_err("role").code(), Code::Forbidden);
        let taken = s.audit_actions_of(&second.case_no).await.expect("actions");
        assert_eq!(taken, ["team.dispute_opened", "team.dispute_taken"]);
    }

    async fn a_team_dispute_offers_its_reader_only_the_steps_core_allows_them(s) {
        let a = member(&s, "disputes-a", Role::Disputes).await;
        let b = member(&s, "disputes-b", Role::Disputes).await;
        let today = d(2026, 3, 2);
        let dispute = open(&s, &a, "T-1100", "not-received", today).await;
        assert_eq!(dispute.actions, [TeamDisputeAction::Take], "the opener has not taken it yet");
        let held = take(&s, &a, dispute.id, today).await;
        assert_eq!(
            held.actions,
            [
                TeamDisputeAction::AddEvidence,
                TeamDisputeAction::ProposeCredit,
                TeamDisputeAction::Decide,
                TeamDisputeAction::Chargeback,
            ]
        );
        let seen_by_b = s.dispute_for(&b, held.id, today).await.expect("read");
        assert!(seen_by_b.actions.is_empty(), "a colleague's dispute offers nothing");
    }
}
