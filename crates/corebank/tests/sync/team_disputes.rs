//! Team mode for disputes through the console: the `team_dispute_*` commands open a dispute on
//! a payment the real sandbox core holds into the team store's queue (here its SQLite
//! backend), take it, propose a provisional credit that a second supervisor approves, and
//! decide it; the console's own dispute desk stays empty.

use super::{client, drain, quick};
use std::sync::Arc;
use walletdesk_core::access::Role;
use walletdesk_core::clock::SystemClock;
use walletdesk_core::console::{ConsoleConfig, SetupAdminInput, SignInInput};
use walletdesk_core::crypto::{DataKey, Sealer};
use walletdesk_core::disputes::desk::{
    CreditDecisionInput, DisputeQueueKind, DisputeQueueQuery, DisputeStatus, EvidenceKind,
    OpenDisputeInput,
};
use walletdesk_core::staff::NewStaffInput;
use walletdesk_core::store::Store;
use walletdesk_core::sync::Engine;
use walletdesk_core::team::console::TeamLink;
use walletdesk_core::team::dispute_console::{
    TeamDisputeDecisionInput, TeamDisputeEvidenceInput, TeamDisputeTextInput,
};
use walletdesk_core::team::{DisputeTakeOutcome, TeamQueue, TeamQueueQuery, TeamStore};
use walletdesk_core::{Code, Console};
use walletdesk_corebank::v1;

const PW: &str = "teller-pass-2026";

/// A console linked to a team store, with "li.na" (disputes) and two supervisors.
async fn team_console(url: &str) -> (tempfile::TempDir, Console, Engine, Store, TeamStore) {
    let dir = tempfile::tempdir().expect("tempdir");
    let key = DataKey::generate();
    let store = Store::open(&dir.path().join("walletdesk.sqlite"), &key)
        .await
        .expect("store");
    let team = TeamStore::open_sqlite(&dir.path().join("team.sqlite"), &key)
        .await
        .expect("team store");
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
    let (_dir, c, engine, store, team) = team_console(&url).await;
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
