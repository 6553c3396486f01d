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
use walletdesk_core::team::{TeamCoreOp, TeamDispute};

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
