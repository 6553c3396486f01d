//! The masked resident ID must not be reversible from anything a role can see.
//!
//! A masked ID shows the first 6 and last 4 characters; the 8 it hides are exactly the birth
//! date (YYYYMMDD). So a screen, search hit, 360, command answer, export or log line that holds
//! the mask AND the birth date holds the whole number. These tests sign in as every role,
//! call every read command over a customer the change feed brought, and search each answer
//! (as the JSON the UI receives, PDFs as their text) and every log line for the full number
//! and the birth date in both spellings.

use chrono::{TimeZone, Utc};
use serde::Serialize;
use serde_json::json;
use sqlx::SqlitePool;
use std::io::Write;
use std::sync::{Arc, Mutex};
use walletdesk_core::access::{Permission, Role};
use walletdesk_core::audit::AuditQuery;
use walletdesk_core::clock::{ManualClock, SystemClock};
use walletdesk_core::complaints::intake::{Complainant, NewComplaintInput};
use walletdesk_core::complaints::queue::{QueueKind, QueueQuery};
use walletdesk_core::complaints::stats::{StatsDimension, StatsQuery};
use walletdesk_core::complaints::{Channel, Severity};
use walletdesk_core::console::{ConsoleConfig, SetupAdminInput, SignInInput};
use walletdesk_core::corelink::{
    CodeSent, CoreChange, CoreChangePage, CoreChecks, CoreIdentity, CoreLink, CoreSync, LinkError,
    ScreeningOutcome,
};
use walletdesk_core::crypto::{DataKey, Sealer};
use walletdesk_core::customers::SearchQuery;
use walletdesk_core::customers::profile::{
    NoteInput, RevealInput, TierChangeInput, WalletReceiptInput,
};
use walletdesk_core::onboarding::rules::Missing;
use walletdesk_core::onboarding::{DraftData, SaveDraftInput};
use walletdesk_core::staff::NewStaffInput;
use walletdesk_core::store::Store;
use walletdesk_core::sync::{Engine, EngineConfig};
use walletdesk_core::{Code, Console};

/// GB 11643's published sample: born 1949-12-31, so masked `110105********002X`.
const FULL_ID: &str = "11010519491231002X";
const MASKED_ID: &str = "110105********002X";
const BIRTH_COMPACT: &str = "19491231";
const BIRTH_DASHED: &str = "1949-12-31";
const CUSTOMER: &str = "C0001";
const WALLET: &str = "6000000000000001";
/// A second customer, 11 on the console's clock: the age rules must still see it.
const CHILD: &str = "C0002";
const CHILD_WALLET: &str = "6000000000000002";
const PW: &str = "privacy-pass-2026";

/// A core that has sent one page of its feed (two customers, their wallets, a card, a
/// consent, a payment) and answers the reveal with the whole number, as the real one does.
#[derive(Debug)]
struct SeededCore;

fn feed() -> Vec<CoreChange> {
    let change = |cursor: &str, kind: &str, id: &str, data: serde_json::Value| CoreChange {
        cursor: cursor.into(),
        kind: kind.into(),
        id: id.into(),
        data,
    };
    vec![
        change(
            "1",
            "customer",
            CUSTOMER,
            json!({"id": CUSTOMER, "name": "王秀英", "maskedResidentId": MASKED_ID,
                "mobile": "13812345678", "birthDate": BIRTH_DASHED, "sex": "female",
                "createdAt": "2025-01-01T00:00:00Z", "idExpiresOn": "2036-01-01"}),
        ),
        change(
            "2",
            "wallet",
            WALLET,
            json!({"id": WALLET, "customerId": CUSTOMER, "tier": 3, "balance": "120.00",
                "status": "active", "openedAt": "2025-01-01T00:00:00Z"}),
        ),
        change(
            "3",
            "card",
            "K1",
            json!({"id": "K1", "walletId": WALLET, "maskedNumber": "**** **** **** 1111",
                "status": "linked", "linkedAt": "2025-01-02T00:00:00Z"}),
        ),
        change(
            "4",
            "consent",
            "S1",
            json!({"id": "S1", "customerId": CUSTOMER, "scope": "general-processing",
                "version": "2026-01", "status": "granted", "grantedAt": "2025-01-01T00:00:00Z"}),
        ),
        change(
            "5",
            "transaction",
            "T1",
            json!({"id": "T1", "walletId": WALLET, "at": "2026-11-20T03:00:00Z",
                "amount": "12.50", "direction": "debit", "counterparty": "便利店",
                "memo": "午餐"}),
        ),
        change(
            "6",
            "customer",
            CHILD,
            json!({"id": CHILD, "name": "王小明", "maskedResidentId": "440305********0021",
                "mobile": "13900001111", "birthDate": "2015-06-01", "sex": "female",
                "createdAt": "2025-01-01T00:00:00Z", "idExpiresOn": "2030-01-01"}),
        ),
        change(
            "7",
            "wallet",
            CHILD_WALLET,
            json!({"id": CHILD_WALLET, "customerId": CHILD, "tier": 4, "balance": "5.00",
                "status": "active", "openedAt": "2025-01-01T00:00:00Z"}),
        ),
        change(
            "8",
            "card",
            "K2",
            json!({"id": "K2", "walletId": CHILD_WALLET, "maskedNumber": "**** **** **** 4444",
                "status": "linked", "linkedAt": "2025-01-02T00:00:00Z"}),
        ),
    ]
}

#[async_trait::async_trait]
impl CoreLink for SeededCore {
    fn url(&self) -> String {
        "http://127.0.0.1:9".into()
    }
    async fn identity(&self) -> Result<CoreIdentity, LinkError> {
        Err(LinkError::Unreachable("test core".into()))
    }
}

#[async_trait::async_trait]
impl CoreSync for SeededCore {
    async fn changes(&self, after: Option<&str>, _limit: u32) -> Result<CoreChangePage, LinkError> {
        let changes = if after.is_none() { feed() } else { Vec::new() };
        Ok(CoreChangePage {
            changes,
            next_cursor: "8".into(),
            more: false,
        })
    }
}

#[async_trait::async_trait]
impl CoreChecks for SeededCore {
    async fn send_code(&self, mobile: &str) -> Result<CodeSent, LinkError> {
        Ok(CodeSent {
            challenge_id: "challenge-1".into(),
            masked_mobile: format!("{}****{}", &mobile[..3], &mobile[7..]),
            training_code: None,
        })
    }
    async fn verify_code(&self, challenge_id: &str, code: &str) -> Result<bool, LinkError> {
        Ok(challenge_id == "challenge-1" && code == "246810")
    }
    async fn screen(&self, _name: &str, _id: &str) -> Result<ScreeningOutcome, LinkError> {
        Ok(ScreeningOutcome::Clear)
    }
    async fn reveal_resident_id(
        &self,
        customer_id: &str,
        _staff: &str,
        _reason: &str,
    ) -> Result<String, LinkError> {
        if customer_id == CUSTOMER {
            Ok(FULL_ID.into())
        } else {
            Ok("440305201506010021".into())
        }
    }
}

/// Every log line the code under test writes, at every level, kept to be searched.
#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .map_err(|_| std::io::Error::other("poisoned"))?
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Logs {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("logs")).into_owned()
    }
}

fn capture_logs() -> (Logs, tracing::subscriber::DefaultGuard) {
    let logs = Logs::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let guard = tracing::subscriber::set_default(subscriber);
    (logs, guard)
}

async fn console(pool: SqlitePool) -> (Console, Engine) {
    let store = Store::from_pool(pool);
    let clock = ManualClock::new(
        Utc.with_ymd_and_hms(2026, 11, 23, 2, 0, 0)
            .single()
            .expect("time"),
    );
    let engine = Engine::new(
        store.clone(),
        Sealer::new(&DataKey::generate()),
        Arc::new(SeededCore),
        Arc::new(SystemClock),
        EngineConfig::default(),
    );
    let console = Console::new(
        store,
        Arc::new(clock),
        Arc::new(SeededCore),
        ConsoleConfig {
            training_mode: false,
            idle_lock_override: None,
            version: "test".into(),
        },
    )
    .with_sync(engine.clone());
    (console, engine)
}

fn username(role: Role) -> String {
    format!("{role:?}").to_lowercase()
}

/// The admin, one staff member per role, and the feed pulled into the read model.
async fn seeded(pool: SqlitePool) -> (Console, Engine) {
    let (c, engine) = console(pool).await;
    c.setup_admin(SetupAdminInput {
        username: "root".into(),
        display_name: "管理员".into(),
        password: PW.into(),
    })
    .await
    .expect("setup");
    c.sign_in(SignInInput {
        username: "root".into(),
        password: PW.into(),
    })
    .await
    .expect("admin in");
    for role in Role::ALL {
        c.staff_create(NewStaffInput {
            username: username(role),
            display_name: format!("{role:?}"),
            role,
            password: PW.into(),
        })
        .await
        .expect("staff");
    }
    c.sign_out().await.expect("out");
    engine.pull_once().await.expect("pull");
    (c, engine)
}

async fn sign_in_as(c: &Console, role: Role) {
    let _ = c.sign_out().await;
    c.sign_in(SignInInput {
        username: username(role),
        password: PW.into(),
    })
    .await
    .expect("sign in");
}

/// What a command answered, as the UI would receive it: the value's JSON, or the error's
/// `{code, message}`.
fn answer<T: Serialize>(result: walletdesk_core::Result<T>) -> String {
    match result {
        Ok(value) => serde_json::to_string(&value).expect("serialises"),
        Err(err) => {
            let api = walletdesk_core::ApiError::from(err);
            serde_json::to_string(&api).expect("serialises")
        }
    }
}

/// A PDF answer as the text on its pages (the masked ID is printed there).
fn pdf_answer(result: walletdesk_core::Result<walletdesk_core::documents::BinaryFile>) -> String {
    match result {
        Ok(file) => {
            let doc = lopdf::Document::load_mem(&file.bytes).expect("readable PDF");
            let numbers: Vec<u32> = doc.get_pages().keys().copied().collect();
            let text: String = doc
                .extract_text(&numbers)
                .expect("text extracts")
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            format!("{} {text}", file.file_name)
        }
        Err(err) => answer::<()>(Err(err)),
    }
}

/// The places the whole number would show: the number itself and its hidden 8 characters.
fn leaks(text: &str) -> Vec<&'static str> {
    [FULL_ID, BIRTH_COMPACT, BIRTH_DASHED]
        .into_iter()
        .filter(|needle| text.contains(needle))
        .collect()
}

/// Calls every read command a role has a screen for (and the rest, which must refuse
/// without leaking), over the seeded customer; returns (command, answer) pairs.
async fn read_everything(c: &Console, role: Role) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    out.push(("app_status", answer(c.status().await)));
    out.push(("session_state", answer(c.session_state().await)));
    for text in [
        "王秀英",
        "wxy",
        "110105",
        "002X",
        "002x",
        "13812345678",
        "１３８１２３４５６７８",
        WALLET,
        "1111",
    ] {
        out.push((
            "customer_search",
            answer(c.customer_search(SearchQuery { text: text.into() }).await),
        ));
    }
    out.push((
        "customer_profile",
        answer(c.customer_profile(CUSTOMER.into()).await),
    ));
    out.push((
        "customer_live",
        answer(c.customer_live(CUSTOMER.into()).await),
    ));
    out.push((
        "customer_add_note",
        answer(
            c.customer_add_note(NoteInput {
                customer_id: CUSTOMER.into(),
                text: "客户要求升级".into(),
            })
            .await,
        ),
    ));
    out.push((
        "wallet_change_tier",
        answer(
            c.wallet_change_tier(TierChangeInput {
                customer_id: CUSTOMER.into(),
                wallet_id: WALLET.into(),
                tier: 2,
                id_checked_in_person: true,
            })
            .await,
        ),
    ));
    out.push((
        "wallet_receipt",
        pdf_answer(
            c.wallet_receipt(WalletReceiptInput {
                customer_id: CUSTOMER.into(),
                wallet_id: WALLET.into(),
            })
            .await,
        ),
    ));
    // The duplicate check of the onboarding wizard lists the customer it found.
    let draft = DraftData {
        name: "王秀英".into(),
        resident_id: FULL_ID.into(),
        mobile: "13812345678".into(),
        ..DraftData::default()
    };
    out.push((
        "onboarding_evaluate",
        answer(c.onboarding_evaluate(draft.clone()).await),
    ));
    out.push((
        "onboarding_check_id",
        answer(c.onboarding_check_id(FULL_ID.into()).await),
    ));
    out.push((
        "onboarding_check_id (full width)",
        answer(
            c.onboarding_check_id("１１０１０５１９４９１２３１００２Ｘ".into())
                .await,
        ),
    ));
    out.push(("onboarding_resume", answer(c.onboarding_resume().await)));
    out.push((
        "complaint_register",
        answer(
            c.complaint_register(NewComplaintInput {
                channel: Channel::Counter,
                complainant: Complainant::Customer {
                    customer_id: CUSTOMER.into(),
                },
                product: "数字钱包".into(),
                category_id: 2,
                what_happened: "付款两次".into(),
                customer_asks: "退回第二笔".into(),
                severity: Severity::Medium,
                received_on: None,
                team: "desk-a".into(),
                representatives: Vec::new(),
                interested_staff_ids: Vec::new(),
                linked_id: None,
            })
            .await,
        ),
    ));
    out.push((
        "complaint_queue",
        answer(
            c.complaint_queue(QueueQuery {
                queue: QueueKind::Unassigned,
                team: None,
                status: None,
                channel: None,
                category_id: None,
                after: None,
                limit: 0,
            })
            .await,
        ),
    ));
    out.push(("complaint_get", answer(c.complaint_get(1).await)));
    let period = StatsQuery {
        from: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("day"),
        to: chrono::NaiveDate::from_ymd_opt(2026, 12, 31).expect("day"),
        by: StatsDimension::Category,
    };
    out.push((
        "complaint_stats",
        answer(c.complaint_stats(period.clone()).await),
    ));
    out.push((
        "complaint_stats_csv",
        match c.complaint_stats_csv(period).await {
            Ok(file) => file.content,
            Err(err) => answer::<()>(Err(err)),
        },
    ));
    out.push((
        "audit_search",
        answer(
            c.audit_search(AuditQuery {
                limit: 200,
                ..AuditQuery::default()
            })
            .await,
        ),
    ));
    out.push(("audit_verify", answer(c.audit_verify().await)));
    out.push(("sync_status", answer(c.sync_status().await)));
    out.push(("sync_list", answer(c.sync_list(None).await)));
    out.push(("staff_list", answer(c.staff_list().await)));
    out.push(("settings_get", answer(c.settings_get().await)));
    // What the role typed is not echoed back by the checks above; its own saved draft is
    // its own typing, so it is read through `onboarding_resume` only before any is saved.
    let _ = role;
    out
}

#[sqlx::test(migrator = "walletdesk_core::store::MIGRATIONS")]
async fn no_role_sees_a_masked_id_beside_what_restores_it_unless_it_revealed_it_audited(
    pool: SqlitePool,
) {
    let (logs, _guard) = capture_logs();
    let (c, _engine) = seeded(pool.clone()).await;
    let mut commands = 0;
    let mut roles_with_the_360 = 0;
    for role in Role::ALL {
        sign_in_as(&c, role).await;
        let answers = read_everything(&c, role).await;
        for (command, text) in &answers {
            assert_eq!(
                leaks(text),
                Vec::<&str>::new(),
                "{role:?} {command} gives the whole ID away: {text}"
            );
        }
        commands += answers.len();
        let profile = c.customer_profile(CUSTOMER.into()).await;
        if role.may(Permission::ViewCustomers) {
            let profile = profile.expect("360");
            assert_eq!(profile.masked_resident_id, MASKED_ID);
            // The age shows instead of the date (76 on 2026-11-23).
            assert_eq!(profile.age, Some(76), "{role:?}");
            roles_with_the_360 += 1;
        }

        // The reveal: the whole number only for a role that may, and only with an audit record.
        let revealed = c
            .customer_reveal_id(RevealInput {
                customer_id: CUSTOMER.into(),
                reason: "核对身份证原件".into(),
            })
            .await;
        let trail = sqlx::query_as::<_, (String, String)>(
            "SELECT action, outcome FROM audit_log WHERE actor = ? \
             AND action = 'customer.id_revealed' ORDER BY id DESC LIMIT 1",
        )
        .bind(username(role))
        .fetch_optional(&pool)
        .await
        .expect("trail");
        if role.may(Permission::RevealIdentity) {
            assert_eq!(revealed.expect("reveal").resident_id, FULL_ID);
            assert_eq!(
                trail.map(|(action, _)| action),
                Some("customer.id_revealed".to_owned()),
                "{role:?}'s reveal is audited"
            );
        } else {
            let err = revealed.expect_err("refused");
            assert_eq!(err.code(), Code::Forbidden, "{role:?}");
            assert!(leaks(&answer::<()>(Err(err))).is_empty());
            assert_eq!(trail, None, "{role:?} revealed nothing");
        }
    }
    assert_eq!(roles_with_the_360, 5);
    assert!(commands > 6 * 30, "{commands} answers searched");

    // The trail itself (what a supervisor reads) and every log line written meanwhile.
    let details: Vec<String> = sqlx::query_scalar("SELECT COALESCE(detail, '') FROM audit_log")
        .fetch_all(&pool)
        .await
        .expect("details");
    assert_eq!(leaks(&details.join("\n")), Vec::<&str>::new());
    let logged = logs.text();
    assert_eq!(
        leaks(&logged),
        Vec::<&str>::new(),
        "a log line leaks: {logged}"
    );
}

#[sqlx::test(migrator = "walletdesk_core::store::MIGRATIONS")]
async fn the_read_model_keeps_the_birth_date_sealed_not_in_clear(pool: SqlitePool) {
    let (c, _engine) = seeded(pool.clone()).await;
    let rows: Vec<String> = sqlx::query_scalar(
        "SELECT json_array(id, external_id, name, masked_resident_id, id_first6, id_last4, \
         mobile, sex, created_at, cursor, name_initials, id_expires_on, \
         hex(birth_date_sealed)) FROM core_customers",
    )
    .fetch_all(&pool)
    .await
    .expect("rows");
    assert_eq!(rows.len(), 2);
    let all = rows.join("\n");
    assert!(all.contains(MASKED_ID));
    assert_eq!(leaks(&all), Vec::<&str>::new(), "{all}");
    let sealed: Vec<Option<Vec<u8>>> =
        sqlx::query_scalar("SELECT birth_date_sealed FROM core_customers ORDER BY id")
            .fetch_all(&pool)
            .await
            .expect("sealed");
    for blob in sealed {
        let blob = blob.expect("every customer has its sealed date");
        assert!(!String::from_utf8_lossy(&blob).contains("1949"));
    }
    // A sealed date copied onto another customer does not open there: that customer shows
    // no age rather than someone else's.
    sqlx::query(
        "UPDATE core_customers SET birth_date_sealed = \
         (SELECT birth_date_sealed FROM core_customers WHERE id = ?) WHERE id = ?",
    )
    .bind(CUSTOMER)
    .bind(CHILD)
    .execute(&pool)
    .await
    .expect("copy");
    sign_in_as(&c, Role::Teller).await;
    let moved = c.customer_profile(CHILD.into()).await.expect("360");
    assert_eq!(moved.age, None);
    // Without an age the tier rules cannot run, so tiers 1 to 3 wait for the ID's facts.
    for option in moved.wallets[0].tier_options.iter().filter(|o| o.tier <= 3) {
        assert!(option.missing.contains(&Missing::ResidentId), "{option:?}");
    }
}

#[sqlx::test(migrator = "walletdesk_core::store::MIGRATIONS")]
async fn age_rules_still_work_from_the_sealed_birth_date(pool: SqlitePool) {
    let (c, _engine) = seeded(pool).await;
    sign_in_as(&c, Role::Teller).await;
    // 11 years old on the console's day: tiers 1 to 3 need 16, whatever else is proven.
    let child = c.customer_profile(CHILD.into()).await.expect("360");
    assert_eq!(child.age, Some(11));
    let options = &child.wallets[0].tier_options;
    for option in options.iter().filter(|o| o.tier <= 3) {
        assert!(option.missing.contains(&Missing::TooYoung), "{option:?}");
    }
    let refused = c
        .wallet_change_tier(TierChangeInput {
            customer_id: CHILD.into(),
            wallet_id: CHILD_WALLET.into(),
            tier: 2,
            id_checked_in_person: true,
        })
        .await
        .expect_err("too young for tier 2");
    assert!(
        format!("{refused:?}").contains("too_young") || format!("{refused:?}").contains("TooYoung"),
        "{refused:?}"
    );
    // The elder customer: 60 or over, so elder mode is offered from the age, not the date.
    let elder = c.customer_profile(CUSTOMER.into()).await.expect("360");
    assert!(elder.age.is_some_and(|age| age >= 60));
    let hits = c
        .customer_search(SearchQuery { text: "王".into() })
        .await
        .expect("search");
    let ages: Vec<Option<u32>> = hits.iter().map(|h| h.age).collect();
    assert_eq!(ages, vec![Some(11), Some(76)]);
}

#[sqlx::test(migrator = "walletdesk_core::store::MIGRATIONS")]
async fn full_width_input_finds_and_serves_the_customer(pool: SqlitePool) {
    let (c, _engine) = seeded(pool).await;
    sign_in_as(&c, Role::Teller).await;
    for typed in [
        "１３８１２３４５６７８",
        "＋８６　１３８　１２３４　５６７８",
        "００２Ｘ",
        "１１０１０５",
    ] {
        let hits = c
            .customer_search(SearchQuery { text: typed.into() })
            .await
            .expect("search");
        assert!(hits.iter().any(|h| h.id == CUSTOMER), "{typed}: {hits:?}");
    }
    let facts = c
        .onboarding_check_id("１１０１０５１９４９１２３１００２ｘ".into())
        .await
        .expect("full-width ID is read");
    assert_eq!(facts.masked, MASKED_ID);
    let legacy = c
        .onboarding_check_id("１１０１０５４９１２３１００２".into())
        .await
        .expect("15 full-width digits");
    assert!(legacy.converted_from_15);
    let saved = c
        .onboarding_save(SaveDraftInput {
            id: None,
            step: "identity".into(),
            data: DraftData {
                name: "王秀英".into(),
                resident_id: "１１０１０５１９４９１２３１００２Ｘ".into(),
                mobile: "１３８　１２３４　５６７８".into(),
                card_number: "４１１１　１１１１　１１１１　１１１１".into(),
                ..DraftData::default()
            },
        })
        .await
        .expect("saved");
    let evaluation = c.onboarding_evaluate(saved.data).await.expect("evaluated");
    let fields: Vec<(String, String)> = evaluation
        .problems
        .iter()
        .map(|p| (p.field.clone(), p.code.clone()))
        .collect();
    for field in ["residentId", "mobile", "cardNumber"] {
        assert!(
            !fields
                .iter()
                .any(|(f, code)| f == field
                    && (code.ends_with("_invalid") || code.starts_with("id_"))),
            "{field} refused: {fields:?}"
        );
    }
    assert!(evaluation.evidence.resident_id && evaluation.evidence.own_bank_card);
}
