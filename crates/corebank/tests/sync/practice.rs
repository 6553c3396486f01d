//! The elder setup's practice payment (issue 13 item 5) through the console and the real
//! sandbox: the payment is an online call whose wrong-password answers carry the sandbox's
//! count of tries left, the freeze after 5 is the sandbox's, and the undo is a write through
//! the outbox, allowed only inside the rules' undo window and applied once at the core.

use super::{client, ledger_counts, quick};
use chrono::Duration;
use std::sync::Arc;
use walletdesk_core::access::Role;
use walletdesk_core::clock::{Clock, ManualClock};
use walletdesk_core::console::{ConsoleConfig, SetupAdminInput, SignInInput};
use walletdesk_core::crypto::{DataKey, Sealer};
use walletdesk_core::elder::practice::TRAINING_PAYMENT_PASSWORD;
use walletdesk_core::elder::{
    CustomerAction, ElderAnswerInput, ElderPracticeEnterInput, ElderPracticePayInput, ElderScreen,
    ElderStartInput, ElderStep, PracticeField, PracticeStage,
};
use walletdesk_core::staff::NewStaffInput;
use walletdesk_core::store::Store;
use walletdesk_core::sync::{Engine, outbox};
use walletdesk_core::{Code, Console, Error};
use walletdesk_corebank::v1;

const PW: &str = "teller-pass-2026";

struct Counter {
    _dir: tempfile::TempDir,
    console: Console,
    engine: Engine,
    store: Store,
    clock: ManualClock,
}

async fn counter(url: &str) -> Counter {
    let dir = tempfile::tempdir().expect("tempdir");
    let key = DataKey::generate();
    let store = Store::open(&dir.path().join("walletdesk.sqlite"), &key)
        .await
        .expect("store");
    let clock = ManualClock::new(chrono::Utc::now());
    let link = Arc::new(client(url));
    let engine = Engine::new(
        store.clone(),
        Sealer::new(&key),
        link.clone(),
        Arc::new(clock.clone()),
        quick(),
    );
    let console = Console::new(
        store.clone(),
        Arc::new(clock.clone()),
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
    let sign_in = |who: &'static str| SignInInput {
        username: who.into(),
        password: PW.into(),
    };
    console.sign_in(sign_in("admin")).await.expect("admin");
    console
        .staff_create(NewStaffInput {
            username: "li.na".into(),
            display_name: "李娜".into(),
            role: Role::Teller,
            password: PW.into(),
        })
        .await
        .expect("teller");
    console.sign_out().await.expect("out");
    console.sign_in(sign_in("li.na")).await.expect("in");
    Counter {
        _dir: dir,
        console,
        engine,
        store,
        clock,
    }
}

/// A session taken to the practice step: welcome, every question answered "no", the wallet.
async fn on_practice(c: &Console) -> ElderScreen {
    let session = c
        .elder_start(ElderStartInput {
            customer_name: "王秀英".into(),
            age: 72,
            draft_id: None,
            customer_id: None,
        })
        .await
        .expect("start");
    c.elder_next(session.id).await.expect("to the questions");
    while let Some(q) = c
        .elder_screen()
        .await
        .expect("screen")
        .and_then(|s| s.question)
    {
        c.elder_answer(ElderAnswerInput {
            question_id: q.id,
            yes: false,
        })
        .await
        .expect("no");
    }
    let at = c.elder_next(session.id).await.expect("to practice");
    assert_eq!(at.step, ElderStep::Practice);
    at.screen
}

async fn enter(c: &Console, field: PracticeField, value: &str) -> ElderScreen {
    c.elder_practice_enter(ElderPracticeEnterInput {
        field,
        value: value.into(),
    })
    .await
    .expect("entered")
}

async fn pay(c: &Console, password: &str) -> ElderScreen {
    c.elder_practice_pay(ElderPracticePayInput {
        password: password.into(),
    })
    .await
    .expect("the core answered")
}

fn stage(screen: &ElderScreen) -> PracticeStage {
    screen.practice.as_ref().expect("practice on screen").stage
}

fn all_words(screen: &ElderScreen) -> String {
    let mut text = screen.title.zh.clone();
    for line in &screen.lines {
        text.push_str(&line.zh);
    }
    text
}

/// The practice payment's audit records, as stored (action, detail).
async fn practice_audit(store: &Store) -> Vec<(String, String)> {
    sqlx::query_as(
        "SELECT action, detail FROM audit_log WHERE action LIKE 'elder.practice%' ORDER BY id",
    )
    .fetch_all(store.read())
    .await
    .expect("audit")
}

async fn drain(engine: &Engine, store: &Store) {
    for _ in 0..500 {
        engine.sync_now().await.ok();
        let status = outbox::status(store.read()).await.expect("status");
        if status.queued == 0 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    panic!("the outbox did not drain");
}

#[test]
fn the_training_password_shown_to_the_customer_is_the_sandboxs() {
    assert_eq!(TRAINING_PAYMENT_PASSWORD, v1::SANDBOX_PAYMENT_PASSWORD);
}

#[tokio::test]
async fn a_wrong_practice_password_is_explained_then_the_right_one_pays_and_undo_reaches_the_core_once()
 {
    let sandbox = super::sandbox(1).await;
    let k = counter(&sandbox.url()).await;
    let c = &k.console;
    let first = on_practice(c).await;
    assert_eq!(stage(&first), PracticeStage::Payee);
    assert_eq!(
        first.practice.as_ref().and_then(|p| p.field),
        Some(PracticeField::Payee)
    );
    // One thing at a time: the amount is refused while the payee is asked for.
    let early = c
        .elder_practice_enter(ElderPracticeEnterInput {
            field: PracticeField::Amount,
            value: "1".into(),
        })
        .await
        .expect_err("not yet");
    assert_eq!(early.code(), Code::Conflict);
    let amount = enter(c, PracticeField::Payee, "  社区菜店  ").await;
    assert_eq!(stage(&amount), PracticeStage::Amount);
    let bad = c
        .elder_practice_enter(ElderPracticeEnterInput {
            field: PracticeField::Amount,
            value: "0".into(),
        })
        .await
        .expect_err("no zero");
    assert_eq!(bad.code(), Code::InvalidInput);
    // Full-width digits from a Chinese IME are read, not refused.
    let password = enter(c, PracticeField::Amount, "１.５").await;
    assert_eq!(stage(&password), PracticeStage::Password);
    let view = password.practice.clone().expect("practice");
    assert_eq!(view.training_password.as_deref(), Some("147258"));

    let wrong = pay(c, "000000").await;
    let view = wrong.practice.clone().expect("practice");
    assert_eq!(view.stage, PracticeStage::Password, "asked again");
    assert_eq!(view.tries_remaining, Some(4), "the sandbox's count");
    assert!(
        all_words(&wrong).contains("还可以再试 4 次"),
        "{}",
        all_words(&wrong)
    );

    let paid = pay(c, v1::SANDBOX_PAYMENT_PASSWORD).await;
    let view = paid.practice.clone().expect("practice");
    assert_eq!(view.stage, PracticeStage::Paid);
    assert!(view.may_undo && view.undo_until.is_some());
    assert!(paid.actions.contains(&CustomerAction::Undo));
    assert_eq!(
        view.practice_balance.map(|m| m.to_string()),
        Some("998.50".into())
    );

    let undone = c.elder_practice_undo().await.expect("undo");
    assert_eq!(stage(&undone), PracticeStage::Undone);
    assert!(!undone.actions.contains(&CustomerAction::Undo));
    // Pressed twice (a double tap): refused, nothing queued twice.
    let twice = c.elder_practice_undo().await.expect_err("once");
    assert_eq!(twice.code(), Code::Conflict);

    // Through the outbox, exactly once at the core.
    drain(&k.engine, &k.store).await;
    drain(&k.engine, &k.store).await;
    let counts = ledger_counts(&sandbox, &k.store).await;
    assert_eq!(counts.len(), 1, "{counts:?}");
    assert_eq!(counts[0].1, 1, "applied once: {counts:?}");
    let reversed: Option<String> =
        sqlx::query_scalar("SELECT reversed_at FROM practice_payments ORDER BY id DESC LIMIT 1")
            .fetch_one(sandbox.store().pool())
            .await
            .expect("payment");
    assert!(reversed.is_some(), "the core reversed it");

    let audit = practice_audit(&k.store).await;
    let actions: Vec<&str> = audit.iter().map(|(a, _)| a.as_str()).collect();
    for action in [
        "elder.practice_entered",
        "elder.practice_refused",
        "elder.practice_paid",
        "elder.practice_undone",
    ] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
    // The payment password is in no audit record, no outbox summary, no stored row.
    let everything = format!("{audit:?}");
    assert!(!everything.contains("000000") && !everything.contains("147258"));
    let dumped: Vec<String> = sqlx::query_scalar(
        "SELECT COALESCE(payee, '') || holder || stage FROM elder_practice \
         UNION ALL SELECT summary FROM outbox",
    )
    .fetch_all(k.store.read())
    .await
    .expect("rows");
    assert!(dumped.iter().all(|t| !t.contains("147258")), "{dumped:?}");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_practice_payment_cannot_be_undone_after_10_minutes() {
    let sandbox = super::sandbox(1).await;
    let k = counter(&sandbox.url()).await;
    let c = &k.console;
    on_practice(c).await;
    enter(c, PracticeField::Payee, "张三").await;
    enter(c, PracticeField::Amount, "2").await;
    let paid = pay(c, v1::SANDBOX_PAYMENT_PASSWORD).await;
    assert!(paid.practice.as_ref().is_some_and(|p| p.may_undo));
    k.clock
        .set_wall_clock(k.clock.now() + Duration::minutes(10) + Duration::seconds(1));
    // The customer may not stay on a step past its timeout without asking; the window reads.
    let later = c.elder_screen().await.expect("screen").expect("open");
    let view = later.practice.clone().expect("practice");
    assert!(!view.may_undo, "core closed the window");
    assert!(!later.actions.contains(&CustomerAction::Undo));
    assert!(all_words(&later).contains("撤销的时间已经过了"));
    let refused = c.elder_practice_undo().await.expect_err("too late");
    match refused {
        Error::ConflictOn(f) => assert_eq!(f.code, "elder_practice_undo_closed"),
        other => panic!("{other:?}"),
    }
    let queued: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox")
        .fetch_one(k.store.read())
        .await
        .expect("outbox");
    assert_eq!(queued, 0, "nothing sent to the core");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_practice_wallet_freezes_after_5_wrong_passwords_and_says_what_to_do() {
    let sandbox = super::sandbox(1).await;
    let k = counter(&sandbox.url()).await;
    let c = &k.console;
    on_practice(c).await;
    enter(c, PracticeField::Payee, "张三").await;
    enter(c, PracticeField::Amount, "1").await;
    for left in (1..=4).rev() {
        let wrong = pay(c, "999999").await;
        assert_eq!(
            wrong.practice.as_ref().and_then(|p| p.tries_remaining),
            Some(left)
        );
    }
    let frozen = pay(c, "999999").await;
    assert_eq!(stage(&frozen), PracticeStage::Frozen);
    let words = all_words(&frozen);
    assert!(
        words.contains("冻结") && words.contains("身份证到柜台"),
        "{words}"
    );
    // Frozen is the core's state, not the screen's: the right password is refused too.
    let frozen_at_core: bool = sqlx::query_scalar(
        "SELECT payments_frozen FROM practice_wallets ORDER BY created_at DESC LIMIT 1",
    )
    .fetch_one(sandbox.store().pool())
    .await
    .expect("practice wallet");
    assert!(frozen_at_core);
    let not_again = c
        .elder_practice_pay(ElderPracticePayInput {
            password: v1::SANDBOX_PAYMENT_PASSWORD.into(),
        })
        .await
        .expect_err("no more tries on a frozen screen");
    assert_eq!(not_again.code(), Code::Conflict);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn offline_the_practice_payment_says_so_and_nothing_is_paid() {
    let sandbox = super::sandbox(1).await;
    let k = counter(&sandbox.url()).await;
    let c = &k.console;
    on_practice(c).await;
    enter(c, PracticeField::Payee, "张三").await;
    enter(c, PracticeField::Amount, "1").await;
    super::set_faults(
        &sandbox,
        v1::Faults {
            drop_rate: 1000,
            ..v1::Faults::default()
        },
    )
    .await;
    let offline = c
        .elder_practice_pay(ElderPracticePayInput {
            password: v1::SANDBOX_PAYMENT_PASSWORD.into(),
        })
        .await
        .expect_err("offline");
    assert_eq!(offline.code(), Code::CoreUnavailable);
    let screen = c.elder_screen().await.expect("screen").expect("open");
    assert_eq!(stage(&screen), PracticeStage::Password, "still to pay");
    sandbox.shutdown().await;
}
