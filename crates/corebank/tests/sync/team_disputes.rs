//! Team mode for disputes through the console: the `team_dispute_*` commands open a dispute on
//! a payment the real sandbox core holds into the team store's queue (here its SQLite
//! backend), take it, propose a provisional credit that a second supervisor approves, and
//! decide it; the console's own dispute desk stays empty.
//!
//! Then the team's sender (`team::core_ops`) delivers those steps to the same sandbox over
//! HTTP, on both team store backends (`<rule>::sqlite`, `<rule>::postgres`): each op applied
//! once by the core even when sent twice or sent again after a console died between the send
//! and the record; a refusal kept as "needs attention" with the core's code; a network
//! failure leaving the op pending for the next round.

use super::{client, drain, quick, set_faults};
use chrono::Utc;
use std::sync::Arc;
use std::time::Duration;
use walletdesk_core::access::Role;
use walletdesk_core::clock::{Clock, ManualClock, SystemClock, local_date};
use walletdesk_core::console::{ConsoleConfig, SetupAdminInput, SignInInput};
use walletdesk_core::corelink::WriteOutcome;
use walletdesk_core::crypto::{DataKey, Sealer};
use walletdesk_core::disputes::desk::{
    CreditDecisionInput, DisputeQueueKind, DisputeQueueQuery, DisputeStatus, EvidenceKind,
    OpenDisputeInput,
};
use walletdesk_core::staff::NewStaffInput;
use walletdesk_core::store::Store;
use walletdesk_core::sync::Engine;
use walletdesk_core::team::console::TeamLink;
use walletdesk_core::team::core_ops::{CoreOpSender, DeliveryConfig, Recorded};
use walletdesk_core::team::dispute_console::{
    TeamDisputeDecisionInput, TeamDisputeEvidenceInput, TeamDisputeTextInput,
};
use walletdesk_core::team::server::PgServer;
use walletdesk_core::team::{
    BackendKind, DisputeTakeOutcome, TeamDispute, TeamQueue, TeamQueueQuery, TeamStore,
};
use walletdesk_core::{Code, Console};
use walletdesk_corebank::v1;
use walletdesk_sandbox::RunningSandbox;

const PW: &str = "teller-pass-2026";

/// One real PostgreSQL server for this test binary (the OS package; see `team::server`).
static SERVER: tokio::sync::OnceCell<PgServer> = tokio::sync::OnceCell::const_new();

/// A fresh team store of `kind`: a file in `dir`, or a new database on the server.
async fn team_store(kind: BackendKind, dir: &std::path::Path, key: &DataKey) -> TeamStore {
    match kind {
        BackendKind::Sqlite => TeamStore::open_sqlite(&dir.join("team.sqlite"), key)
            .await
            .expect("team store"),
        BackendKind::Postgres => {
            let server = SERVER
                .get_or_init(|| async { PgServer::start().await.expect("start PostgreSQL") })
                .await;
            let options = server.fresh_database().await.expect("database");
            TeamStore::connect_postgres(options, key, 8, Duration::from_secs(10))
                .await
                .expect("team store")
        }
    }
}

/// A console linked to a team store of `kind`, with "li.na" (disputes) and two supervisors.
async fn team_console(
    url: &str,
    kind: BackendKind,
) -> (tempfile::TempDir, Console, Engine, Store, TeamStore) {
    let dir = tempfile::tempdir().expect("tempdir");
    let key = DataKey::generate();
    let store = Store::open(&dir.path().join("walletdesk.sqlite"), &key)
        .await
        .expect("store");
    let team = team_store(kind, dir.path(), &key).await;
    let core = Arc::new(client(url));
    let engine = Engine::new(
        store.clone(),
        Sealer::new(&key),
        core.clone(),
        Arc::new(SystemClock),
        quick(),
    );
    let link = TeamLink::new(
        team.clone(),
        "争议处理组",
        Sealer::new(&key),
        store.clone(),
        Arc::new(SystemClock),
    )
    .await
    .expect("team link");
    let console = Console::new(
        store.clone(),
        Arc::new(SystemClock),
        core,
        ConsoleConfig {
            training_mode: true,
            idle_lock_override: None,
            version: "test".into(),
        },
    )
    .with_sync(engine.clone())
    .with_team(link);
    console
        .setup_admin(SetupAdminInput {
            username: "admin".into(),
            display_name: "管理员".into(),
            password: PW.into(),
        })
        .await
        .expect("setup");
    become_(&console, "admin").await;
    for (name, role) in [
        ("li.na", Role::Disputes),
        ("sup.a", Role::Supervisor),
        ("sup.b", Role::Supervisor),
    ] {
        console
            .staff_create(NewStaffInput {
                username: name.into(),
                display_name: name.into(),
                role,
                password: PW.into(),
            })
            .await
            .expect("staff");
    }
    (dir, console, engine, store, team)
}

async fn become_(c: &Console, username: &str) {
    c.sign_out().await.ok();
    c.sign_in(SignInInput {
        username: username.into(),
        password: PW.into(),
    })
    .await
    .expect("sign in");
}

#[tokio::test]
async fn a_team_console_opens_a_dispute_on_the_cores_payment_into_the_team_queue_not_its_desk() {
    let sandbox = super::sandbox(3).await;
    let url = sandbox.url();
    let (_dir, c, engine, store, team) = team_console(&url, BackendKind::Sqlite).await;
    drain(&engine, &store).await;
    engine.sync_now().await.expect("pull");
    become_(&c, "li.na").await;
    let profile = c.customer_profile("1".into()).await.expect("profile");
    let wallet = profile.wallets[0].id.clone();
    let paid = client(&url)
        .pay(
            "wd-test-team-dispute-pay-1",
            &v1::PaymentRequest {
                wallet_id: wallet.clone(),
                amount: "88.80".into(),
                direction: "out".into(),
                counterparty: "某网店".into(),
                memo: None,
                payment_password: Some(v1::SANDBOX_PAYMENT_PASSWORD.into()),
            },
        )
        .await
        .expect("payment out");
    let input = OpenDisputeInput {
        customer_id: "1".into(),
        transaction_id: paid.id.clone(),
        reason: "unauthorised".into(),
        statement_on: None,
        account_opened_on: None,
        point_of_sale: false,
        foreign: false,
    };
    let opened = c.team_dispute_open(input.clone()).await.expect("open");
    assert_eq!(
        (opened.amount.to_string(), opened.wallet_id.as_str()),
        ("88.80".to_owned(), wallet.as_str())
    );
    assert_eq!(opened.team, "争议处理组");
    let unknown = c
        .team_dispute_open(OpenDisputeInput {
            transaction_id: "no-such-payment".into(),
            ..input.clone()
        })
        .await
        .expect_err("not at the core");
    assert_eq!(unknown.fields()[0].code, "dispute_transaction_unknown");
    // The console's own desk keeps nothing: the dispute is the team's.
    let desk = c
        .dispute_queue(DisputeQueueQuery {
            queue: DisputeQueueKind::Team,
            after: None,
            limit: 10,
        })
        .await
        .expect("desk queue");
    assert!(desk.rows.is_empty());
    let queue = c
        .team_dispute_queue(TeamQueueQuery {
            team: "争议处理组".into(),
            queue: TeamQueue::Unassigned,
            after: None,
            limit: 10,
        })
        .await
        .expect("team queue");
    assert_eq!(queue.disputes[0].id, opened.id);

    let DisputeTakeOutcome::Taken { dispute: held } =
        c.team_dispute_take(opened.id).await.expect("take")
    else {
        panic!("not taken");
    };
    let added = c
        .team_dispute_evidence(TeamDisputeEvidenceInput {
            dispute_id: held.id,
            version: held.version,
            kind: EvidenceKind::Screenshot,
            description: "客户提供的未授权交易截图".into(),
        })
        .await
        .expect("evidence");
    let proposed = c
        .team_dispute_propose_credit(TeamDisputeTextInput {
            dispute_id: held.id,
            version: added.version,
            text: "客户否认交易".into(),
        })
        .await
        .expect("propose");
    // A handler has no approvals inbox; a supervisor decides, never the proposer.
    assert_eq!(
        c.team_dispute_pending_credits()
            .await
            .expect_err("handler")
            .code(),
        Code::Forbidden
    );
    become_(&c, "sup.a").await;
    let inbox = c.team_dispute_pending_credits().await.expect("inbox");
    assert_eq!(inbox.len(), 1);
    let credited = c
        .team_dispute_decide_credit(CreditDecisionInput {
            proposal_id: inbox[0].id,
            approve: true,
            note: None,
        })
        .await
        .expect("approve");
    assert!(credited.credit_on.is_some());

    become_(&c, "li.na").await;
    let stale = c
        .team_dispute_decide(TeamDisputeDecisionInput {
            dispute_id: held.id,
            version: proposed.version,
            for_customer: true,
            findings: "核实为未授权交易".into(),
            user_fault_proven: false,
        })
        .await
        .expect_err("the approval moved the dispute on");
    assert_eq!(stale.fields()[0].code, "stale_version");
    let decided = c
        .team_dispute_decide(TeamDisputeDecisionInput {
            dispute_id: held.id,
            version: credited.version,
            for_customer: true,
            findings: "核实为未授权交易".into(),
            user_fault_proven: false,
        })
        .await
        .expect("decide");
    assert_eq!(decided.status, DisputeStatus::DecidedCustomer);
    let verified = team.verify_audit().await.expect("verify");
    assert!(verified.ok, "{verified:?}");
    assert_eq!(
        team.audit_actions_of(&opened.case_no)
            .await
            .expect("actions"),
        [
            "team.dispute_opened",
            "team.dispute_taken",
            "team.dispute_evidence_added",
            "team.dispute_credit_proposed",
            "team.dispute_credit_approved",
            "team.dispute_decided",
        ]
    );
}

/// The sender's settings in these tests: the production lease, short backoffs.
fn delivery() -> DeliveryConfig {
    DeliveryConfig {
        every: Duration::from_millis(50),
        lease: Duration::from_secs(60),
        min_backoff: Duration::from_secs(1),
        max_backoff: Duration::from_secs(2),
        ..DeliveryConfig::default()
    }
}

/// A console's sender of the team store's dispute ops, over HTTP to the sandbox.
fn sender(team: &TeamStore, url: &str, clock: Arc<dyn Clock>) -> CoreOpSender {
    CoreOpSender::new(team.clone(), Arc::new(client(url)), clock, delivery())
}

/// How many times the sandbox's ledger applied `key` (`applications.times`: a second
/// application shows as 2, it does not fail a write).
async fn times_applied(sandbox: &RunningSandbox, key: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT COALESCE((SELECT times FROM applications WHERE idempotency_key = ?), 0)",
    )
    .bind(key)
    .fetch_one(sandbox.store().pool())
    .await
    .expect("ledger")
}

/// A team console on the sandbox at `url` and a team dispute li.na opened on a fresh payment
/// out of customer 1's wallet: one op for the core (`dispute.open`), not sent.
async fn opened_dispute(
    url: &str,
    kind: BackendKind,
    pay_key: &str,
) -> (tempfile::TempDir, Console, TeamStore, TeamDispute) {
    let (dir, c, engine, store, team) = team_console(url, kind).await;
    drain(&engine, &store).await;
    engine.sync_now().await.expect("pull");
    become_(&c, "li.na").await;
    let profile = c.customer_profile("1".into()).await.expect("profile");
    let paid = client(url)
        .pay(
            pay_key,
            &v1::PaymentRequest {
                wallet_id: profile.wallets[0].id.clone(),
                amount: "42.00".into(),
                direction: "out".into(),
                counterparty: "某网店".into(),
                memo: None,
                payment_password: Some(v1::SANDBOX_PAYMENT_PASSWORD.into()),
            },
        )
        .await
        .expect("payment out");
    let opened = c
        .team_dispute_open(OpenDisputeInput {
            customer_id: "1".into(),
            transaction_id: paid.id,
            reason: "unauthorised".into(),
            statement_on: None,
            account_opened_on: None,
            point_of_sale: false,
            foreign: false,
        })
        .await
        .expect("open");
    (dir, c, team, opened)
}

/// As [`opened_dispute`], then taken, with text evidence and a provisional credit sup.a
/// approved: three ops for the core (open, evidence, credit), none sent.
async fn dispute_with_credit(
    url: &str,
    kind: BackendKind,
    pay_key: &str,
) -> (tempfile::TempDir, Console, TeamStore, TeamDispute) {
    let (dir, c, team, opened) = opened_dispute(url, kind, pay_key).await;
    let DisputeTakeOutcome::Taken { dispute: held } =
        c.team_dispute_take(opened.id).await.expect("take")
    else {
        panic!("not taken");
    };
    let added = c
        .team_dispute_evidence(TeamDisputeEvidenceInput {
            dispute_id: held.id,
            version: held.version,
            kind: EvidenceKind::Screenshot,
            description: "客户提供的未授权交易截图".into(),
        })
        .await
        .expect("evidence");
    c.team_dispute_propose_credit(TeamDisputeTextInput {
        dispute_id: held.id,
        version: added.version,
        text: "客户否认交易".into(),
    })
    .await
    .expect("propose");
    become_(&c, "sup.a").await;
    let inbox = c.team_dispute_pending_credits().await.expect("inbox");
    let credited = c
        .team_dispute_decide_credit(CreditDecisionInput {
            proposal_id: inbox[0].id,
            approve: true,
            note: None,
        })
        .await
        .expect("approve");
    let kinds: Vec<&str> = credited.core_ops.iter().map(|o| o.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "dispute.open",
            "dispute.evidence",
            "dispute.provisional_credit"
        ]
    );
    (dir, c, team, credited)
}

async fn reread(team: &TeamStore, d: &TeamDispute) -> TeamDispute {
    team.dispute(d.id, local_date(Utc::now()))
        .await
        .expect("dispute")
}

/// Runs both backends of a rule: `<rule>::sqlite` and `<rule>::postgres`.
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            use super::*;
            #[tokio::test]
            async fn sqlite() {
                super::$name(BackendKind::Sqlite).await;
            }
            #[tokio::test]
            async fn postgres() {
                super::$name(BackendKind::Postgres).await;
            }
        }
    )*};
}

both_backends!(
    a_team_disputes_ops_reach_the_core_once_though_sent_twice_and_resent_after_a_crash,
    a_refused_op_needs_attention_with_the_cores_code_and_holds_back_its_disputes_later_steps,
    a_network_failure_leaves_the_op_pending_and_a_later_round_sends_it_once,
);

async fn a_team_disputes_ops_reach_the_core_once_though_sent_twice_and_resent_after_a_crash(
    kind: BackendKind,
) {
    let sandbox = super::sandbox(3).await;
    let url = sandbox.url();
    let (_dir, _c, team, disputed) = dispute_with_credit(&url, kind, "wd-test-team-ops-1").await;

    // Console A takes the opening and sends it; the core applies it; A dies before recording.
    let a = sender(&team, &url, Arc::new(SystemClock));
    let (claimed, _) = a.claim().await.expect("claim");
    let kinds: Vec<&str> = claimed.iter().map(|o| o.write.kind.as_str()).collect();
    assert_eq!(kinds, ["dispute.open"], "later steps wait for the opening");
    let answer = a.send(&claimed[0]).await.expect("sent");
    assert!(
        matches!(
            answer,
            WriteOutcome::Applied {
                replayed: false,
                ..
            }
        ),
        "{answer:?}"
    );
    drop(a);
    let crashed = reread(&team, &disputed).await;
    assert_eq!(crashed.core_ops[0].state, "pending");
    assert_eq!(crashed.core_dispute_id, None);

    // Console B: A's lease holds the opening (and its later steps wait behind it).
    let clock = ManualClock::new(Utc::now());
    let b = sender(&team, &url, Arc::new(clock.clone()));
    assert_eq!(b.deliver_now().await.expect("leased").sent, 0);
    // A's lease ends: B sends the opening again under its key, the core replays its answer,
    // and the later steps follow, naming the core's dispute.
    clock.advance(chrono::Duration::seconds(61));
    let report = b.deliver_now().await.expect("deliver");
    assert_eq!(
        (report.sent, report.done, report.attention, report.retrying),
        (3, 3, 0, 0)
    );
    let delivered = reread(&team, &disputed).await;
    assert!(
        delivered.core_ops.iter().all(|o| o.state == "done"),
        "{:?}",
        delivered.core_ops
    );
    let core_id = delivered
        .core_dispute_id
        .clone()
        .expect("the core's dispute id");
    let at_core = client(&url)
        .get_dispute(&core_id)
        .await
        .expect("at the core");
    assert_eq!(at_core.transaction_id, disputed.transaction_id);
    assert_eq!(at_core.evidence.len(), 1);
    assert!(at_core.provisional_credit_id.is_some());

    // Sent twice: the opening once more (a console whose lease ran out mid-send): the core
    // replays it, and its outcome is recorded already.
    let again = b.send(&claimed[0]).await.expect("sent again");
    assert!(
        matches!(again, WriteOutcome::Applied { replayed: true, .. }),
        "{again:?}"
    );
    assert_eq!(
        b.record(&claimed[0], Ok(again)).await.expect("record"),
        Recorded::AlreadyRecorded
    );
    for op in &delivered.core_ops {
        assert!(op.op_key.starts_with("wd-td-"), "{op:?}");
        assert_eq!(times_applied(&sandbox, &op.op_key).await, 1, "{op:?}");
    }
    // One credit in the wallet's history, however often the ops went.
    let credits = sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM transactions WHERE direction = 'in' AND counterparty = '争议处理'",
    )
    .fetch_one(sandbox.store().pool())
    .await
    .expect("credits");
    assert_eq!(credits, 1);
    let actions = team
        .audit_actions_of(&disputed.case_no)
        .await
        .expect("actions");
    assert_eq!(
        actions
            .iter()
            .filter(|a| *a == "team.dispute_core_done")
            .count(),
        3,
        "{actions:?}"
    );
    assert!(team.verify_audit().await.expect("verify").ok);
}

async fn a_refused_op_needs_attention_with_the_cores_code_and_holds_back_its_disputes_later_steps(
    kind: BackendKind,
) {
    let sandbox = super::sandbox(3).await;
    let url = sandbox.url();
    let (_dir, _c, team, disputed) = dispute_with_credit(&url, kind, "wd-test-team-ops-2").await;
    // Someone else disputed the payment at the core first (another bank's team, say).
    client(&url)
        .open_dispute(
            "wd-test-elsewhere-dispute-1",
            &v1::NewDispute {
                transaction_id: disputed.transaction_id.clone(),
                reason: "unauthorised".into(),
            },
        )
        .await
        .expect("disputed elsewhere");

    let b = sender(&team, &url, Arc::new(SystemClock));
    let report = b.deliver_now().await.expect("deliver");
    assert_eq!((report.sent, report.attention, report.done), (1, 1, 0));
    let after = reread(&team, &disputed).await;
    let states: Vec<(&str, Option<&str>)> = after
        .core_ops
        .iter()
        .map(|o| (o.state.as_str(), o.last_error.as_deref()))
        .collect();
    assert_eq!(
        states,
        [
            ("attention", Some("dispute-exists")),
            ("pending", None),
            ("pending", None),
        ]
    );
    assert_eq!(after.core_dispute_id, None);
    // Later rounds leave them alone: the core never hears of the evidence or the credit.
    assert_eq!(b.deliver_now().await.expect("again").sent, 0);
    for op in &after.core_ops[1..] {
        assert_eq!(times_applied(&sandbox, &op.op_key).await, 0, "{op:?}");
    }
    assert!(
        team.audit_actions_of(&disputed.case_no)
            .await
            .expect("actions")
            .iter()
            .any(|a| a == "team.dispute_core_attention")
    );
}

async fn a_network_failure_leaves_the_op_pending_and_a_later_round_sends_it_once(
    kind: BackendKind,
) {
    let sandbox = super::sandbox(3).await;
    let url = sandbox.url();
    let (_dir, _c, team, opened) = opened_dispute(&url, kind, "wd-test-team-ops-3").await;
    let key = opened.core_ops[0].op_key.clone();
    let clock = ManualClock::new(Utc::now());
    let b = sender(&team, &url, Arc::new(clock.clone()));

    // The network drops the request: nothing reached the core; the op waits.
    set_faults(
        &sandbox,
        v1::Faults {
            drop_rate: v1::PER_MILLE,
            ..v1::Faults::default()
        },
    )
    .await;
    let dropped = b.deliver_now().await.expect("dropped");
    assert_eq!((dropped.sent, dropped.retrying), (1, 1));
    let waiting = reread(&team, &opened).await;
    assert_eq!(
        (
            waiting.core_ops[0].state.as_str(),
            waiting.core_ops[0].attempts,
            waiting.core_ops[0].last_error.as_deref()
        ),
        ("pending", 1, Some("core_unreachable"))
    );
    assert_eq!(times_applied(&sandbox, &key).await, 0);

    // The core applies it but the answer never comes back: still pending, applied once.
    set_faults(
        &sandbox,
        v1::Faults {
            apply_then_timeout_rate: v1::PER_MILLE,
            stall_ms: 1500,
            ..v1::Faults::default()
        },
    )
    .await;
    clock.advance(chrono::Duration::seconds(5));
    let stalled = b.deliver_now().await.expect("stalled");
    assert_eq!((stalled.sent, stalled.retrying), (1, 1));
    assert_eq!(reread(&team, &opened).await.core_ops[0].state, "pending");
    assert_eq!(times_applied(&sandbox, &key).await, 1);

    // The network is back: a later round sends it under the same key; the core replays.
    set_faults(&sandbox, v1::Faults::default()).await;
    let mut delivered = reread(&team, &opened).await;
    for _ in 0..20 {
        clock.advance(chrono::Duration::seconds(5));
        b.deliver_now().await.expect("deliver");
        delivered = reread(&team, &opened).await;
        if delivered.core_ops[0].state != "pending" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(delivered.core_ops[0].state, "done");
    assert!(delivered.core_dispute_id.is_some());
    assert_eq!(times_applied(&sandbox, &key).await, 1);
    // Every send's outcome is on the team's chain: the failures, then the one that landed.
    let actions = team
        .audit_actions_of(&opened.case_no)
        .await
        .expect("actions");
    let (first, rest) = actions.split_first().expect("opened");
    let (last, between) = rest.split_last().expect("sent");
    assert_eq!(
        (first.as_str(), last.as_str()),
        ("team.dispute_opened", "team.dispute_core_done")
    );
    assert!(between.len() >= 2, "{actions:?}");
    assert!(
        between.iter().all(|a| a == "team.dispute_core_retrying"),
        "{actions:?}"
    );
    assert_eq!(
        i64::try_from(rest.len()).expect("count"),
        delivered.core_ops[0].attempts
    );
}
