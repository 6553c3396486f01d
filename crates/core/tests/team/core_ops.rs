//! Delivering team dispute ops to the core (`team::core_ops`), on both backends: the keys, the
//! lease (one console at a time per op), the order per dispute, and what an unanswered send
//! leaves. The core here is one that cannot be reached (the trait's own "unreachable"
//! answers), never a stand-in that answers: what the core answers, and that it applies an op
//! once, is checked against the real sandbox over HTTP in
//! crates/corebank/tests/sync/team_disputes.rs.

use super::disputes::{evidence, open, take};
use super::*;
use async_trait::async_trait;
use std::sync::Arc;
use walletdesk_core::clock::ManualClock;
use walletdesk_core::corelink::{CoreChecks, CoreSync};
use walletdesk_core::team::core_ops::{CoreOpSender, DeliveryConfig, Recorded, codes};
use walletdesk_core::team::{TeamCoreOp, TeamCoreOpAction, TeamDispute};

/// A core adapter with no network under it: every call answers "unreachable", as the HTTP
/// client does when the core's address does not answer.
#[derive(Debug)]
struct UnpluggedCore;

#[async_trait]
impl CoreChecks for UnpluggedCore {}

#[async_trait]
impl CoreSync for UnpluggedCore {}

fn config() -> DeliveryConfig {
    DeliveryConfig {
        lease: Duration::from_secs(60),
        min_backoff: Duration::from_secs(1),
        max_backoff: Duration::from_secs(2),
        max_attempts: 3,
        ..DeliveryConfig::default()
    }
}

fn sender(s: &TeamStore, clock: &ManualClock) -> CoreOpSender {
    CoreOpSender::new(
        s.clone(),
        Arc::new(UnpluggedCore),
        Arc::new(clock.clone()),
        config(),
    )
}

async fn ops_of(s: &TeamStore, d: &TeamDispute) -> Vec<TeamCoreOp> {
    s.dispute(d.id, today()).await.expect("dispute").core_ops
}

/// `wd-td-<step>-<uuid v4>`.
fn keyed_per_op(key: &str, step: &str) -> bool {
    key.strip_prefix(&format!("wd-td-{step}-"))
        .is_some_and(uuid_v4)
}

fn uuid_v4(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let lengths: Vec<usize> = parts.iter().map(|p| p.len()).collect();
    lengths == [8, 4, 4, 4, 12]
        && parts
            .iter()
            .all(|p| p.bytes().all(|b| b.is_ascii_hexdigit()))
        && parts[2].starts_with('4')
}

both! {
    async fn new_ops_are_keyed_per_op_so_two_team_stores_with_the_same_case_numbers_never_share_a_key(s) {
        let (other, _dir) = team(s.kind()).await;
        let mut keys = Vec::new();
        for store in [&s, &other] {
            let me = member(store, "disputes", Role::Disputes).await;
            let opened = open(store, &me, "T-1", "unauthorised", today()).await;
            // Both stores number their first case alike.
            assert_eq!(opened.case_no, format!("TD-{}-000001", today().format("%Y")));
            let held = take(store, &me, opened.id, today()).await;
            store
                .add_dispute_evidence(&me, &evidence(held.id, "statement"), held.version, today(), at(today()))
                .await
                .expect("evidence");
            let ops = ops_of(store, &opened).await;
            assert!(keyed_per_op(&ops[0].op_key, "open"), "{:?}", ops[0]);
            assert!(
                ops[1].op_key.starts_with("wd-td-evidence:") && ops[1].op_key.len() <= 128,
                "{:?}",
                ops[1]
            );
            keys.extend(ops.into_iter().map(|o| o.op_key));
        }
        let distinct: std::collections::BTreeSet<_> = keys.iter().collect();
        assert_eq!(distinct.len(), keys.len(), "{keys:?}");
    }

    async fn one_console_at_a_time_holds_an_op_until_its_lease_runs_out(s) {
        let me = member(&s, "disputes", Role::Disputes).await;
        for id in ["T-1", "T-2", "T-3", "T-4"] {
            open(&s, &me, id, "unauthorised", today()).await;
        }
        let clock = ManualClock::new(at(today()));
        let (a, b) = (sender(&s, &clock), sender(&s, &clock));
        let (from_a, from_b) = tokio::join!(a.claim(), b.claim());
        let ((held_a, _), (held_b, _)) = (from_a.expect("claim a"), from_b.expect("claim b"));
        let mut ids: Vec<i64> = held_a.iter().chain(&held_b).map(|o| o.id).collect();
        ids.sort_unstable();
        let before = ids.len();
        ids.dedup();
        assert_eq!((before, ids.len()), (4, 4), "each op held by exactly one console");
        // While the leases run, nobody else gets them.
        let (again, elsewhere) = b.claim().await.expect("claim again");
        assert!(again.is_empty());
        assert_eq!(elsewhere, 0, "leased ops are not even ready");
        // The holder died without recording anything: after the lease, another takes them all,
        // under the same keys.
        clock.advance(chrono::Duration::seconds(61));
        let (taken, _) = b.claim().await.expect("after the lease");
        let mut keys: Vec<&str> = taken.iter().map(|o| o.write.key.as_str()).collect();
        let mut first: Vec<&str> = held_a.iter().chain(&held_b).map(|o| o.write.key.as_str()).collect();
        keys.sort_unstable();
        first.sort_unstable();
        assert_eq!(keys, first);
    }

    async fn a_disputes_later_step_waits_until_the_core_has_heard_the_opening(s) {
        let me = member(&s, "disputes", Role::Disputes).await;
        let opened = open(&s, &me, "T-1", "unauthorised", today()).await;
        let held = take(&s, &me, opened.id, today()).await;
        s.add_dispute_evidence(&me, &evidence(held.id, "statement"), held.version, today(), at(today()))
            .await
            .expect("evidence");
        let clock = ManualClock::new(at(today()));
        let (claimed, _) = sender(&s, &clock).claim().await.expect("claim");
        let kinds: Vec<&str> = claimed.iter().map(|o| o.write.kind.as_str()).collect();
        assert_eq!(kinds, ["dispute.open"]);
        // The opening names no core dispute (it makes one); its key is the op's.
        assert_eq!(claimed[0].write.subject, None);
        assert_eq!(claimed[0].write.key, ops_of(&s, &opened).await[0].op_key);
    }

    async fn an_unanswered_op_stays_pending_backs_off_and_needs_attention_after_the_last_send(s) {
        let me = member(&s, "disputes", Role::Disputes).await;
        let opened = open(&s, &me, "T-1", "unauthorised", today()).await;
        let clock = ManualClock::new(at(today()));
        let sender = sender(&s, &clock);
        let first = sender.deliver_once().await.expect("round 1");
        assert_eq!((first.sent, first.retrying, first.done), (1, 1, 0));
        let ops = ops_of(&s, &opened).await;
        assert_eq!(
            (ops[0].state.as_str(), ops[0].attempts, ops[0].last_error.as_deref()),
            ("pending", 1, Some(codes::CORE_UNREACHABLE))
        );
        // Backing off (at most twice `max_backoff` with the jitter): the next round right away
        // sends nothing.
        assert_eq!(sender.deliver_once().await.expect("too soon").sent, 0);
        clock.advance(chrono::Duration::seconds(5));
        assert_eq!(sender.deliver_once().await.expect("round 2").retrying, 1);
        clock.advance(chrono::Duration::seconds(5));
        let last = sender.deliver_once().await.expect("round 3");
        assert_eq!((last.sent, last.attention), (1, 1));
        let ops = ops_of(&s, &opened).await;
        assert_eq!(
            (ops[0].state.as_str(), ops[0].attempts, ops[0].last_error.as_deref()),
            ("attention", 3, Some(codes::CORE_UNREACHABLE))
        );
        // Needing attention, it is not sent again.
        clock.advance(chrono::Duration::seconds(60));
        assert_eq!(sender.deliver_once().await.expect("after").sent, 0);
        // Every outcome is on the team's chain, which still verifies.
        assert_eq!(
            s.audit_actions_of(&opened.case_no).await.expect("actions"),
            [
                "team.dispute_opened",
                "team.dispute_core_retrying",
                "team.dispute_core_retrying",
                "team.dispute_core_attention",
            ]
        );
        assert!(s.verify_audit().await.expect("verify").ok);
    }

    async fn a_failure_recorded_after_the_lease_ran_out_leaves_the_new_holders_claim_alone(s) {
        let me = member(&s, "disputes", Role::Disputes).await;
        let opened = open(&s, &me, "T-1", "unauthorised", today()).await;
        let clock = ManualClock::new(at(today()));
        let (slow, other) = (sender(&s, &clock), sender(&s, &clock));
        let (mine, _) = slow.claim().await.expect("claim");
        clock.advance(chrono::Duration::seconds(61));
        let (theirs, _) = other.claim().await.expect("claim after the lease");
        assert_eq!(theirs.len(), 1);
        // The slow console's "no answer" comes in late: the op is the other's now.
        let late = slow
            .record(&mine[0], Err(walletdesk_core::corelink::LinkError::Unreachable("timeout".into())))
            .await
            .expect("record");
        assert_eq!(late, Recorded::AlreadyRecorded);
        assert_eq!(ops_of(&s, &opened).await[0].attempts, 0);
        assert_eq!(other.claim().await.expect("still held").0.len(), 0);
    }

    async fn a_damaged_op_is_set_aside_for_attention_not_sent_and_not_retried_forever(s) {
        let me = member(&s, "disputes", Role::Disputes).await;
        let opened = open(&s, &me, "T-1", "unauthorised", today()).await;
        let damage = "UPDATE team_dispute_core_ops SET body = 'not json'";
        match s.backend() {
            walletdesk_core::team::Backend::Sqlite(pool) => {
                sqlx::query(damage).execute(pool).await.expect("damage");
            }
            walletdesk_core::team::Backend::Postgres(pool) => {
                sqlx::query(damage).execute(pool).await.expect("damage");
            }
        }
        let clock = ManualClock::new(at(today()));
        let (claimed, _) = sender(&s, &clock).claim().await.expect("claim");
        assert!(claimed.is_empty());
        let ops = ops_of(&s, &opened).await;
        assert_eq!(
            (ops[0].state.as_str(), ops[0].last_error.as_deref()),
            ("attention", Some(codes::NOT_SENDABLE))
        );
    }
}

/// A sender that gives an op up to attention at its first unanswered send.
fn impatient(s: &TeamStore, clock: &ManualClock) -> CoreOpSender {
    CoreOpSender::new(
        s.clone(),
        Arc::new(UnpluggedCore),
        Arc::new(clock.clone()),
        DeliveryConfig {
            max_attempts: 1,
            ..config()
        },
    )
}

/// Runs `sql` on the team store itself: what the real core's answer would have recorded.
async fn exec(s: &TeamStore, sql: &str) {
    match s.backend() {
        walletdesk_core::team::Backend::Sqlite(pool) => {
            sqlx::query(sql).execute(pool).await.expect("sql");
        }
        walletdesk_core::team::Backend::Postgres(pool) => {
            sqlx::query(sql).execute(pool).await.expect("sql");
        }
    }
}

// Staff acting on the ops that need attention (`team_dispute_op_resend`,
// `team_dispute_op_discard`).
both! {
    async fn a_supervisor_resends_an_op_that_needs_attention_and_the_sender_sends_it_again(s) {
        let me = member(&s, "disputes", Role::Disputes).await;
        let boss = member(&s, "boss", Role::Supervisor).await;
        let opened = open(&s, &me, "T-1", "unauthorised", today()).await;
        let clock = ManualClock::new(at(today()));
        let sender = impatient(&s, &clock);
        assert_eq!(sender.deliver_once().await.expect("round").attention, 1);
        let shown = s.dispute_for(&boss, opened.id, today()).await.expect("shown");
        let op = &shown.core_ops[0];
        assert_eq!((op.state.as_str(), op.attempts), ("attention", 1));
        assert_eq!(op.actions, [TeamCoreOpAction::Resend, TeamCoreOpAction::Discard]);
        // Needing attention, the sender leaves it alone.
        clock.advance(chrono::Duration::seconds(60));
        assert_eq!(sender.deliver_once().await.expect("left alone").sent, 0);
        let resent = s
            .resend_dispute_op(&boss, opened.id, op.id, shown.version, today(), at(today()))
            .await
            .expect("resend");
        assert_eq!(resent.version, shown.version + 1);
        let op = &resent.core_ops[0];
        assert_eq!(
            (op.state.as_str(), op.attempts, op.last_error.as_deref()),
            ("pending", 0, None)
        );
        assert!(op.actions.is_empty(), "a pending op is the sender's");
        // Next attempt now: the very next round sends it again, under the same key.
        let (claimed, _) = sender.claim().await.expect("claim");
        assert_eq!(claimed.len(), 1);
        assert_eq!(claimed[0].write.key, op.op_key);
        assert_eq!(claimed[0].attempts, 0);
        let outcome = sender.record(&claimed[0], Err(walletdesk_core::corelink::LinkError::Unreachable("down".into()))).await;
        assert_eq!(outcome.expect("record"), Recorded::Attention { code: codes::CORE_UNREACHABLE.into() });
        // A screen from before the resend is refused.
        let again = s.resend_dispute_op(&boss, opened.id, op.id, shown.version, today(), at(today())).await;
        conflict_on(again.expect_err("stale"), "version", "stale_version");
        assert_eq!(
            s.audit_actions_of(&opened.case_no).await.expect("actions"),
            [
                "team.dispute_opened",
                "team.dispute_core_attention",
                "team.dispute_core_resent",
                "team.dispute_core_attention",
            ]
        );
        assert!(s.verify_audit().await.expect("verify").ok);
    }

    async fn setting_an_op_aside_needs_a_reason_frees_the_later_ops_and_never_takes_a_done_one(s) {
        let me = member(&s, "disputes", Role::Disputes).await;
        let boss = member(&s, "boss", Role::Supervisor).await;
        let opened = open(&s, &me, "T-1", "unauthorised", today()).await;
        // The core heard the opening (as the sender records an applied answer).
        exec(&s, "UPDATE team_dispute_core_ops SET state = 'done'").await;
        exec(&s, "UPDATE team_disputes SET core_dispute_id = 'CD-1'").await;
        let held = take(&s, &me, opened.id, today()).await;
        let first = s.add_dispute_evidence(&me, &evidence(held.id, "statement"), held.version, today(), at(today()))
            .await
            .expect("evidence");
        s.add_dispute_evidence(&me, &evidence(held.id, "receipt"), first.version, today(), at(today()))
            .await
            .expect("evidence");
        let clock = ManualClock::new(at(today()));
        let sender = impatient(&s, &clock);
        let round = sender.deliver_once().await.expect("round");
        assert_eq!((round.sent, round.attention), (1, 1));
        // The second evidence waits behind the first, which needs attention.
        clock.advance(chrono::Duration::seconds(60));
        assert!(sender.claim().await.expect("waits").0.is_empty());
        let shown = s.dispute_for(&boss, opened.id, today()).await.expect("shown");
        let states: Vec<&str> = shown.core_ops.iter().map(|o| o.state.as_str()).collect();
        assert_eq!(states, ["done", "attention", "pending"]);
        let (done, stuck) = (shown.core_ops[0].id, shown.core_ops[1].id);
        let blank = s.discard_dispute_op(&boss, opened.id, stuck, shown.version, "  ", today(), at(today())).await;
        assert_eq!(blank.expect_err("blank").fields()[0].code, "dispute_text_length");
        let never = s.discard_dispute_op(&boss, opened.id, done, shown.version, "核心已有记录", today(), at(today())).await;
        conflict_on(never.expect_err("done"), "op", "core_op_done");
        let set_aside = s
            .discard_dispute_op(&boss, opened.id, stuck, shown.version, " 已在核心系统手工补录 ", today(), at(today()))
            .await
            .expect("discard");
        let op = &set_aside.core_ops[1];
        assert_eq!(
            (op.state.as_str(), op.discard_reason.as_deref()),
            ("discarded", Some("已在核心系统手工补录"))
        );
        assert!(op.actions.is_empty());
        // The later evidence goes now.
        let (claimed, _) = sender.claim().await.expect("freed");
        let keys: Vec<&str> = claimed.iter().map(|o| o.write.key.as_str()).collect();
        assert_eq!(keys, [set_aside.core_ops[2].op_key.as_str()]);
        // A discarded op is finished: neither resent nor set aside again.
        let resend = s.resend_dispute_op(&boss, opened.id, stuck, set_aside.version, today(), at(today())).await;
        conflict_on(resend.expect_err("discarded"), "op", "core_op_not_in_attention");
        let actions = s.audit_actions_of(&opened.case_no).await.expect("actions");
        assert_eq!(actions.last().map(String::as_str), Some("team.dispute_core_discarded"));
        assert!(s.verify_audit().await.expect("verify").ok);
    }

    async fn a_handler_without_the_supervisors_permission_neither_resends_nor_sets_aside(s) {
        let me = member(&s, "disputes", Role::Disputes).await;
        let opened = open(&s, &me, "T-1", "unauthorised", today()).await;
        let held = take(&s, &me, opened.id, today()).await;
        let clock = ManualClock::new(at(today()));
        assert_eq!(impatient(&s, &clock).deliver_once().await.expect("round").attention, 1);
        let shown = s.dispute_for(&me, held.id, today()).await.expect("shown");
        let op = &shown.core_ops[0];
        assert_eq!(op.state, "attention");
        assert!(op.actions.is_empty(), "the holder is offered nothing");
        let resend = s.resend_dispute_op(&me, held.id, op.id, shown.version, today(), at(today())).await;
        assert_eq!(resend.expect_err("handler").code(), Code::Forbidden);
        let discard = s.discard_dispute_op(&me, held.id, op.id, shown.version, "不发了", today(), at(today())).await;
        assert_eq!(discard.expect_err("handler").code(), Code::Forbidden);
        assert_eq!(ops_of(&s, &opened).await[0].state, "attention");
    }
}
