//! A teller onboards a customer through the console, and the sync engine lands it at the real
//! sandbox: customer, consents, a tier 1 wallet with its card. The checks that must be online
//! (the one-time code, the watchlist) go to the sandbox too.

use super::{client, quick};
use std::sync::Arc;
use walletdesk_core::access::Role;
use walletdesk_core::clock::SystemClock;
use walletdesk_core::console::{ConsoleConfig, SetupAdminInput, SignInInput};
use walletdesk_core::crypto::{DataKey, Sealer};
use walletdesk_core::onboarding::{
    CONSENTS, ConsentChoice, DraftData, SaveDraftInput, VerifyCodeInput,
};
use walletdesk_core::staff::NewStaffInput;
use walletdesk_core::store::Store;
use walletdesk_core::sync::{Engine, outbox};
use walletdesk_core::{Code, Console};

const PW: &str = "teller-pass-2026";

async fn counter(url: &str) -> (tempfile::TempDir, Console, Engine, Store) {
    counter_as(url, Role::Teller).await
}

/// A console whose signed-in staff member "li.na" has `role` (the admin set them up).
pub(super) async fn counter_as(
    url: &str,
    role: Role,
) -> (tempfile::TempDir, Console, Engine, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let key = DataKey::generate();
    let store = Store::open(&dir.path().join("walletdesk.sqlite"), &key)
        .await
        .expect("store");
    let link = Arc::new(client(url));
    let engine = Engine::new(
        store.clone(),
        Sealer::new(&key),
        link.clone(),
        Arc::new(SystemClock),
        quick(),
    );
    let console = Console::new(
        store.clone(),
        Arc::new(SystemClock),
        link,
        ConsoleConfig {
            training_mode: true,
            idle_lock_override: None,
            version: "test".into(),
        },
    )
    .with_sync(engine.clone());
    console
        .setup_admin(SetupAdminInput {
            username: "admin".into(),
            display_name: "管理员".into(),
            password: PW.into(),
        })
        .await
        .expect("setup");
    console
        .sign_in(SignInInput {
            username: "admin".into(),
            password: PW.into(),
        })
        .await
        .expect("admin");
    console
        .staff_create(NewStaffInput {
            username: "li.na".into(),
            display_name: "李娜".into(),
            role,
            password: PW.into(),
        })
        .await
        .expect("teller");
    console.sign_out().await.expect("out");
    console
        .sign_in(SignInInput {
            username: "li.na".into(),
            password: PW.into(),
        })
        .await
        .expect("in");
    (dir, console, engine, store)
}

pub(super) fn all_consents() -> Vec<ConsentChoice> {
    CONSENTS
        .iter()
        .map(|(scope, version, ..)| ConsentChoice {
            scope: (*scope).into(),
            version: (*version).into(),
            given: true,
        })
        .collect()
}

#[tokio::test]
async fn a_teller_onboards_a_tier_1_customer_that_the_sandbox_then_holds() {
    let sandbox = super::sandbox(3).await;
    let (_dir, c, engine, store) = counter(&sandbox.url()).await;
    let resident_id = super::resident_id(777);
    let data = DraftData {
        name: "赵敏".into(),
        resident_id: resident_id.clone(),
        mobile: "13512345678".into(),
        id_checked_in_person: true,
        card_number: "6222000000000000004".into(),
        consents: all_consents(),
        tier: Some(1),
        ..DraftData::default()
    };
    let draft = c
        .onboarding_save(SaveDraftInput {
            id: None,
            step: "identity".into(),
            data,
        })
        .await
        .expect("save");

    // The code goes through the sandbox, which shows it in training mode.
    let sent = c.onboarding_send_code(draft.id).await.expect("code sent");
    assert_eq!(sent.masked_mobile, "135****5678");
    let code = sent.training_code.expect("training shows the code");
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let refused = c
        .onboarding_verify_code(VerifyCodeInput {
            draft_id: draft.id,
            code: wrong.into(),
        })
        .await
        .expect_err("wrong code");
    assert_eq!(refused.code(), Code::InvalidInput);
    c.onboarding_verify_code(VerifyCodeInput {
        draft_id: draft.id,
        code,
    })
    .await
    .expect("right code");
    let screened = c.onboarding_screen(draft.id).await.expect("screened");
    assert_eq!(
        screened.data.screening.map(|s| s.result),
        Some("clear".into())
    );

    let result = c.onboarding_submit(draft.id).await.expect("submitted");
    assert_eq!(result.tier, 1);
    let early = c
        .onboarding_receipt(draft.id)
        .await
        .expect_err("not confirmed yet");
    assert_eq!(early.code(), Code::Conflict);
    engine.sync_now().await.expect("sync");
    let status = outbox::status(store.read()).await.expect("status");
    assert_eq!(
        (status.queued, status.attention),
        (0, 0),
        "{:?}",
        outbox::list(store.read(), None, 10).await
    );

    // The sandbox holds the customer under the console's external id, with a tier 1 wallet,
    // a linked card and three consents; nothing was applied twice.
    let external = result.customer_ref.trim_start_matches("ext:");
    let (customer_id, name): (i64, String) =
        sqlx::query_as("SELECT id, name FROM customers WHERE external_id = ?")
            .bind(external)
            .fetch_one(sandbox.store().pool())
            .await
            .expect("customer at the core");
    assert_eq!(name, "赵敏");
    let tier: i64 = sqlx::query_scalar("SELECT tier FROM wallets WHERE customer_id = ?")
        .bind(customer_id)
        .fetch_one(sandbox.store().pool())
        .await
        .expect("wallet");
    assert_eq!(tier, 1);
    let cards: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM cards c JOIN wallets w ON w.id = c.wallet_id WHERE w.customer_id = ?",
    )
    .bind(customer_id)
    .fetch_one(sandbox.store().pool())
    .await
    .expect("cards");
    assert_eq!(cards, 1);
    let consents: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM consents WHERE customer_id = ?")
        .bind(customer_id)
        .fetch_one(sandbox.store().pool())
        .await
        .expect("consents");
    assert_eq!(consents, 3);
    for (key, applied) in super::ledger_counts(&sandbox, &store).await {
        assert_eq!(applied, 1, "{key}");
    }
    // And the pull brought the customer back into the local copy: search finds them.
    let hits = c
        .customer_search(walletdesk_core::customers::SearchQuery {
            text: "13512345678".into(),
        })
        .await
        .expect("search");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].name, "赵敏");

    // Now the wallet number is known: the receipt prints, with the masked ID only.
    let receipt = c.onboarding_receipt(draft.id).await.expect("receipt");
    assert!(receipt.bytes.starts_with(b"%PDF-"));
    assert!(receipt.file_name.starts_with("钱包回执-"));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_sandbox_watchlist_stops_an_onboarding() {
    let sandbox = super::sandbox(3).await;
    let (_dir, c, _engine, _store) = counter(&sandbox.url()).await;
    let data = DraftData {
        name: "制裁测试".into(),
        resident_id: super::resident_id(778),
        mobile: "13512340000".into(),
        consents: all_consents(),
        tier: Some(3),
        ..DraftData::default()
    };
    let draft = c
        .onboarding_save(SaveDraftInput {
            id: None,
            step: "identity".into(),
            data,
        })
        .await
        .expect("save");
    let screened = c.onboarding_screen(draft.id).await.expect("screened");
    let screening = screened.data.screening.clone().expect("screening");
    assert_eq!(screening.result, "hit");
    let evaluation = c
        .onboarding_evaluate(screened.data)
        .await
        .expect("evaluate");
    assert!(
        evaluation
            .problems
            .iter()
            .any(|p| p.code == "screening_hit")
    );
    assert_eq!(
        c.onboarding_submit(draft.id)
            .await
            .expect_err("stopped")
            .code(),
        Code::InvalidInput
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_mobile_already_at_the_core_comes_back_as_needs_attention() {
    let sandbox = super::sandbox(3).await;
    let (_dir, c, engine, store) = counter(&sandbox.url()).await;
    // Not yet pulled, so the local duplicate check cannot see it: the core refuses it.
    let taken: String = sqlx::query_scalar("SELECT mobile FROM customers LIMIT 1")
        .fetch_one(sandbox.store().pool())
        .await
        .expect("a seeded mobile");
    let data = DraftData {
        name: "钱多多".into(),
        resident_id: super::resident_id(779),
        mobile: taken,
        consents: all_consents(),
        tier: Some(3),
        ..DraftData::default()
    };
    let draft = c
        .onboarding_save(SaveDraftInput {
            id: None,
            step: "identity".into(),
            data,
        })
        .await
        .expect("save");
    let code = c
        .onboarding_send_code(draft.id)
        .await
        .expect("sent")
        .training_code
        .expect("code");
    c.onboarding_verify_code(VerifyCodeInput {
        draft_id: draft.id,
        code,
    })
    .await
    .expect("verified");
    c.onboarding_screen(draft.id).await.expect("screened");
    c.onboarding_submit(draft.id)
        .await
        .expect("queued while the local copy is empty");
    engine.sync_now().await.expect("sync");
    let status = outbox::status(store.read()).await.expect("status");
    assert_eq!(status.attention, 1, "the create is refused for good");
    assert!(status.queued >= 1, "its consents and wallet wait behind it");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_complaint_from_a_customer_is_registered_at_the_core_once() {
    use walletdesk_core::complaints::intake::{Complainant, NewComplaintInput};
    use walletdesk_core::complaints::{Channel, Severity};

    let sandbox = super::sandbox(3).await;
    let (_dir, c, engine, store) = counter(&sandbox.url()).await;
    // The desk's handler, and the customers pulled from the core.
    c.sign_out().await.expect("out");
    c.sign_in(SignInInput {
        username: "admin".into(),
        password: PW.into(),
    })
    .await
    .expect("admin");
    c.staff_create(NewStaffInput {
        username: "desk".into(),
        display_name: "投诉专员".into(),
        role: Role::Complaints,
        password: PW.into(),
    })
    .await
    .expect("handler");
    c.sign_out().await.expect("out");
    c.sign_in(SignInInput {
        username: "desk".into(),
        password: PW.into(),
    })
    .await
    .expect("desk");
    engine.sync_now().await.expect("pull");
    let customer: String = sqlx::query_scalar("SELECT id FROM core_customers LIMIT 1")
        .fetch_one(store.read())
        .await
        .expect("a pulled customer");
    let categories = c.complaint_categories().await.expect("categories");
    let case = c
        .complaint_register(NewComplaintInput {
            channel: Channel::Counter,
            complainant: Complainant::Customer {
                customer_id: customer.clone(),
            },
            product: "数字钱包".into(),
            category_id: categories[0].id,
            what_happened: "同一笔付款被扣了两次。".into(),
            customer_asks: "退回第二笔。".into(),
            severity: Severity::Medium,
            received_on: None,
            team: "desk".into(),
            representatives: Vec::new(),
            interested_staff_ids: Vec::new(),
            linked_id: None,
        })
        .await
        .expect("registered");
    engine.sync_now().await.expect("push");
    let (at_core, channel): (String, String) = sqlx::query_as(
        "SELECT CAST(customer_id AS TEXT), channel FROM complaints WHERE case_number = ?",
    )
    .bind(&case.case_no)
    .fetch_one(sandbox.store().pool())
    .await
    .expect("the core's register has the case");
    assert_eq!(at_core, customer);
    assert_eq!(channel, "counter");
    for (key, applied) in super::ledger_counts(&sandbox, &store).await {
        assert_eq!(applied, 1, "{key}");
    }
    sandbox.shutdown().await;
}

/// The sync engine copies the sandbox's limit schemes over HTTP: the counter shows the default
/// operator bank's table as the core serves it (`GET /v1/limit-schemes`), not one of its own.
#[tokio::test]
async fn the_engine_copies_the_core_banks_limit_schemes_for_the_counter() {
    let sandbox = super::sandbox(5).await;
    let (_dir, c, engine, _store) = counter(&sandbox.url()).await;
    assert_eq!(
        c.onboarding_evaluate(DraftData::default())
            .await
            .expect("evaluate")
            .limits,
        None
    );
    engine.sync_now().await.expect("sync");
    let served = super::client(&sandbox.url())
        .limit_schemes()
        .await
        .expect("schemes");
    let default = served
        .schemes
        .iter()
        .filter(|s| s.is_default)
        .max_by_key(|s| s.effective_from.clone())
        .expect("a default scheme");
    let shown = c
        .onboarding_evaluate(DraftData::default())
        .await
        .expect("evaluate")
        .limits
        .expect("limits after a sync");
    assert_eq!(shown.operator_bank, default.operator_bank);
    assert_eq!(shown.effective_from.to_string(), default.effective_from);
    for row in &default.tiers {
        let tier = shown.tier(row.tier).expect("every tier");
        let text = |m: Option<walletdesk_core::domain::Money>| m.map(|m| m.to_string());
        assert_eq!(text(tier.balance_cap), row.balance_cap, "tier {}", row.tier);
        assert_eq!(text(tier.one_payment), row.one_payment, "tier {}", row.tier);
        assert_eq!(text(tier.per_day), row.per_day, "tier {}", row.tier);
        assert_eq!(text(tier.per_year), row.per_year, "tier {}", row.tier);
    }
}
