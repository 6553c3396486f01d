//! Onboarding through the console and a real store: the draft survives a restart (a new
//! console on the same file), each DOMAIN.md rule refuses what it should, and a submission
//! queues the core operations with the draft closed in the same transaction.

use chrono::{TimeZone, Utc};
use sqlx::SqlitePool;
use sqlx::sqlite::SqlitePoolOptions;
use std::sync::Arc;
use walletdesk_core::access::Role;
use walletdesk_core::clock::{ManualClock, SystemClock};
use walletdesk_core::console::{ConsoleConfig, SetupAdminInput, SignInInput};
use walletdesk_core::corelink::{
    CodeSent, CoreChecks, CoreIdentity, CoreLink, CoreSync, LinkError, ScreeningOutcome,
};
use walletdesk_core::crypto::{DataKey, Sealer};
use walletdesk_core::domain::Money;
use walletdesk_core::limits::{LimitScheme, TierLimits};
use walletdesk_core::onboarding::{
    ConsentChoice, DraftData, Missing, SaveDraftInput, ScreeningState, VerifyCodeInput,
};
use walletdesk_core::staff::NewStaffInput;
use walletdesk_core::store::Store;
use walletdesk_core::sync::{Engine, EngineConfig, OutboxState, outbox};
use walletdesk_core::{Code, Console};

#[derive(Debug)]
struct UnpluggedCore;

#[async_trait::async_trait]
impl CoreLink for UnpluggedCore {
    fn url(&self) -> String {
        "http://127.0.0.1:9".into()
    }
    async fn identity(&self) -> Result<CoreIdentity, LinkError> {
        Err(LinkError::Unreachable("unplugged".into()))
    }
}

#[async_trait::async_trait]
impl CoreSync for UnpluggedCore {}

/// The counter's online checks answered as a core would (the real ones run against the
/// sandbox in crates/corebank/tests/sync/onboarding.rs): the code is 246810, and the
/// watchlist holds one name.
#[async_trait::async_trait]
impl CoreChecks for UnpluggedCore {
    async fn send_code(&self, mobile: &str) -> Result<CodeSent, LinkError> {
        Ok(CodeSent {
            challenge_id: "challenge-1".into(),
            masked_mobile: format!("{}****{}", &mobile[..3], &mobile[7..]),
            training_code: Some("246810".into()),
        })
    }
    async fn verify_code(&self, challenge_id: &str, code: &str) -> Result<bool, LinkError> {
        Ok(challenge_id == "challenge-1" && code == "246810")
    }
    async fn screen(&self, name: &str, _resident_id: &str) -> Result<ScreeningOutcome, LinkError> {
        Ok(if name == "制裁测试" {
            ScreeningOutcome::Hit {
                reason: "on the watchlist".into(),
            }
        } else {
            ScreeningOutcome::Clear
        })
    }
}

const PW: &str = "teller-pass-2026";
/// GB 11643 sample: born 1949-12-31, female (sequence 002), check character X.
const ID_1949: &str = "11010519491231002X";

fn console(pool: SqlitePool, key: &DataKey) -> Console {
    let store = Store::from_pool(pool);
    let clock = ManualClock::new(
        Utc.with_ymd_and_hms(2026, 11, 23, 2, 0, 0)
            .single()
            .expect("time"),
    );
    let engine = Engine::new(
        store.clone(),
        Sealer::new(key),
        Arc::new(UnpluggedCore),
        Arc::new(SystemClock),
        EngineConfig::default(),
    );
    Console::new(
        store,
        Arc::new(clock),
        Arc::new(UnpluggedCore),
        ConsoleConfig {
            training_mode: false,
            idle_lock_override: None,
            version: "test".into(),
        },
    )
    .with_sync(engine)
}

/// One connection, like the app's single writer.
async fn single(pool: &SqlitePool) -> SqlitePool {
    SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with((*pool.connect_options()).clone())
        .await
        .expect("pool")
}

async fn teller_signed_in(c: &Console) {
    c.setup_admin(SetupAdminInput {
        username: "admin".into(),
        display_name: "管理员".into(),
        password: PW.into(),
    })
    .await
    .expect("setup");
    c.sign_in(SignInInput {
        username: "admin".into(),
        password: PW.into(),
    })
    .await
    .expect("admin");
    c.staff_create(NewStaffInput {
        username: "li.na".into(),
        display_name: "李娜".into(),
        role: Role::Teller,
        password: PW.into(),
    })
    .await
    .expect("teller");
    c.sign_out().await.expect("out");
    c.sign_in(SignInInput {
        username: "li.na".into(),
        password: PW.into(),
    })
    .await
    .expect("teller in");
}

fn consents(third_party: bool) -> Vec<ConsentChoice> {
    vec![
        ConsentChoice {
            scope: "general-processing".into(),
            version: "2026-01".into(),
            given: true,
        },
        ConsentChoice {
            scope: "sensitive-financial".into(),
            version: "2026-01".into(),
            given: true,
        },
        ConsentChoice {
            scope: "third-party-sharing".into(),
            version: "2026-01".into(),
            given: third_party,
        },
    ]
}

fn complete() -> DraftData {
    DraftData {
        name: "王秀英".into(),
        resident_id: ID_1949.into(),
        mobile: "13812345678".into(),
        mobile_verified: true,
        id_checked_in_person: true,
        card_number: "6222 0000 0000 0000 004".into(),
        consents: consents(false),
        tier: Some(1),
        screening: Some(ScreeningState {
            result: "clear".into(),
            reason: None,
            name: "王秀英".into(),
            masked_resident_id: "110105********002X".into(),
        }),
        ..DraftData::default()
    }
}

fn codes(problems: &[walletdesk_core::FieldError]) -> Vec<String> {
    problems.iter().map(|p| p.code.clone()).collect()
}

#[sqlx::test]
async fn a_draft_saved_on_each_step_survives_a_restart(pool: SqlitePool) {
    let key = DataKey::generate();
    let pool = single(&pool).await;
    let c = console(pool.clone(), &key);
    teller_signed_in(&c).await;
    let first = c
        .onboarding_save(SaveDraftInput {
            id: None,
            step: "identity".into(),
            data: DraftData {
                name: "王秀英".into(),
                resident_id: ID_1949.into(),
                ..DraftData::default()
            },
        })
        .await
        .expect("save");
    let mut data = first.data.clone();
    data.mobile = "13812345678".into();
    c.onboarding_save(SaveDraftInput {
        id: Some(first.id),
        step: "mobile".into(),
        data,
    })
    .await
    .expect("save again");
    // The resident ID is sealed at rest.
    let raw: Vec<u8> = sqlx::query_scalar("SELECT data_sealed FROM onboarding_drafts")
        .fetch_one(&pool)
        .await
        .expect("row");
    assert!(!raw.windows(6).any(|w| w == b"110105"));

    // "Crash": a new console on the same store, same key; the teller signs in again.
    drop(c);
    let again = console(pool.clone(), &key);
    again
        .sign_in(SignInInput {
            username: "li.na".into(),
            password: PW.into(),
        })
        .await
        .expect("in");
    let resumed = again
        .onboarding_resume()
        .await
        .expect("resume")
        .expect("a draft");
    assert_eq!(resumed.id, first.id);
    assert_eq!(resumed.step, "mobile");
    assert_eq!(resumed.data.resident_id, ID_1949);
    assert_eq!(resumed.data.mobile, "13812345678");
    let steps: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit_log WHERE action = 'onboarding.step_saved'")
            .fetch_all(&pool)
            .await
            .expect("audit");
    assert_eq!(steps.len(), 2, "every step audited");
}

#[sqlx::test]
async fn the_id_shows_age_and_sex_never_the_birth_date_and_15_digits_convert(pool: SqlitePool) {
    let c = console(single(&pool).await, &DataKey::generate());
    teller_signed_in(&c).await;
    let facts = c.onboarding_check_id(ID_1949.into()).await.expect("valid");
    assert_eq!((facts.sex.as_str(), facts.age), ("female", 76));
    assert_eq!(facts.masked, "110105********002X");
    // Beside the mask the date would be the whole number.
    let json = serde_json::to_string(&facts).expect("json");
    assert!(
        !json.contains("19491231") && !json.contains("1949-12-31"),
        "{json}"
    );
    let legacy = c
        .onboarding_check_id("110105491231002".into())
        .await
        .expect("15 digits");
    assert!(legacy.converted_from_15);
    assert_eq!(legacy.age, 76);
    let full_width = c
        .onboarding_check_id("１１０１０５４９１２３１００２".into())
        .await
        .expect("15 full-width digits");
    assert!(full_width.converted_from_15);
    let wrong = c
        .onboarding_check_id("110105194912310021".into())
        .await
        .expect_err("check char");
    assert_eq!(wrong.code(), Code::InvalidInput);
    assert!(wrong.to_string().contains("id_check_character"), "{wrong}");
}

#[sqlx::test]
async fn rules_age_tier_from_evidence_consents_and_card(pool: SqlitePool) {
    let c = console(single(&pool).await, &DataKey::generate());
    teller_signed_in(&c).await;
    let ok = c.onboarding_evaluate(complete()).await.expect("evaluate");
    assert!(ok.problems.is_empty(), "{:?}", ok.problems);
    assert_eq!(ok.best_tier, Some(1));

    // Tier 1 without the teller's in-person ID check: refused; tier 2 is what is allowed.
    let remote = DraftData {
        id_checked_in_person: false,
        ..complete()
    };
    let e = c.onboarding_evaluate(remote).await.expect("evaluate");
    assert_eq!(codes(&e.problems), ["tier_not_allowed"]);
    assert_eq!(e.best_tier, Some(2));
    assert_eq!(e.tiers[0].missing, [Missing::InPersonIdCheck]);

    // Mobile only: tier 4 by DOMAIN.md, but the core creates no customer without an ID.
    let anonymous = DraftData {
        resident_id: String::new(),
        card_number: String::new(),
        id_checked_in_person: false,
        tier: Some(4),
        ..complete()
    };
    let e = c.onboarding_evaluate(anonymous).await.expect("evaluate");
    assert_eq!(codes(&e.problems), ["id_required"]);
    assert_eq!(e.best_tier, Some(4));

    // 15 years old (born 2011-06-01): tier 4 only. 13 (born 2013-06-01): a guardian too.
    let fifteen = DraftData {
        resident_id: "110105201106010017".into(),
        ..complete()
    };
    let e = c.onboarding_evaluate(fifteen).await.expect("evaluate");
    assert_eq!(e.best_tier, Some(4));
    assert!(codes(&e.problems).contains(&"tier_not_allowed".to_owned()));
    assert!(!e.guardian_required);
    let thirteen = DraftData {
        resident_id: "110105201306010011".into(),
        tier: Some(4),
        screening: Some(ScreeningState {
            result: "clear".into(),
            reason: None,
            name: "王秀英".into(),
            masked_resident_id: "110105********0011".into(),
        }),
        ..complete()
    };
    let e = c
        .onboarding_evaluate(thirteen.clone())
        .await
        .expect("evaluate");
    assert!(e.guardian_required);
    assert_eq!(codes(&e.problems), ["guardian_required"]);
    let with_guardian = DraftData {
        guardian_name: "王大明".into(),
        ..thirteen
    };
    assert!(
        c.onboarding_evaluate(with_guardian)
            .await
            .expect("evaluate")
            .problems
            .is_empty()
    );

    // A required consent withheld; a card failing Luhn; an unverified mobile.
    let mut no_consent = complete();
    no_consent.consents[1].given = false;
    assert_eq!(
        codes(&c.onboarding_evaluate(no_consent).await.expect("e").problems),
        ["consent_required_sensitive-financial"]
    );
    let bad_card = DraftData {
        card_number: "6222 0000 0000 0000 007".into(),
        ..complete()
    };
    assert!(
        codes(&c.onboarding_evaluate(bad_card).await.expect("e").problems)
            .contains(&"card_invalid".to_owned())
    );
    let unverified = DraftData {
        mobile_verified: false,
        tier: Some(4),
        ..complete()
    };
    assert!(
        codes(&c.onboarding_evaluate(unverified).await.expect("e").problems)
            .contains(&"mobile_not_verified".to_owned())
    );
}

#[sqlx::test]
async fn submitting_queues_the_operations_and_closes_the_draft(pool: SqlitePool) {
    let key = DataKey::generate();
    let pool = single(&pool).await;
    let c = console(pool.clone(), &key);
    teller_signed_in(&c).await;
    let draft = c
        .onboarding_save(SaveDraftInput {
            id: None,
            step: "preview".into(),
            data: DraftData {
                consents: consents(true),
                ..complete()
            },
        })
        .await
        .expect("save");
    // What the screen claims about the mobile check and the screening is not taken.
    assert!(!draft.data.mobile_verified);
    assert_eq!(draft.data.screening, None);
    let refused = c
        .onboarding_submit(draft.id)
        .await
        .expect_err("not verified yet");
    assert_eq!(refused.code(), Code::InvalidInput);

    let sent = c.onboarding_send_code(draft.id).await.expect("code sent");
    assert_eq!(sent.masked_mobile, "138****5678");
    assert_eq!(
        sent.training_code, None,
        "a code is shown only in training mode"
    );
    let wrong = c
        .onboarding_verify_code(VerifyCodeInput {
            draft_id: draft.id,
            code: "000000".into(),
        })
        .await
        .expect_err("wrong code");
    assert!(wrong.to_string().contains("code_wrong"));
    let verified = c
        .onboarding_verify_code(VerifyCodeInput {
            draft_id: draft.id,
            code: "246810".into(),
        })
        .await
        .expect("right code");
    assert!(verified.data.mobile_verified);
    let screened = c.onboarding_screen(draft.id).await.expect("screened");
    assert_eq!(
        screened.data.screening.as_ref().map(|s| s.result.as_str()),
        Some("clear")
    );

    let result = c.onboarding_submit(draft.id).await.expect("submit");
    assert_eq!(result.tier, 1);
    // customer, three consents, wallet (with the card).
    assert_eq!(result.operations, 5);
    assert!(result.customer_ref.starts_with("ext:"));
    let items = outbox::list(&pool, Some(OutboxState::Pending), 10)
        .await
        .expect("outbox");
    let mut kinds: Vec<&str> = items.iter().map(|i| i.kind.as_str()).collect();
    kinds.reverse();
    assert_eq!(
        kinds,
        [
            "customer.create",
            "consent.record",
            "consent.record",
            "consent.record",
            "wallet.open"
        ]
    );
    assert!(
        items
            .iter()
            .all(|i| !i.summary.contains(ID_1949) && !i.summary.contains("13812345678"))
    );
    assert!(
        c.onboarding_resume().await.expect("resume").is_none(),
        "the draft is closed"
    );
    let again = c
        .onboarding_submit(draft.id)
        .await
        .expect_err("submitted once");
    assert_eq!(again.code(), Code::NotFound);

    // An incomplete draft is refused and nothing is queued.
    let half = c
        .onboarding_save(SaveDraftInput {
            id: None,
            step: "identity".into(),
            data: DraftData {
                name: "李四".into(),
                ..DraftData::default()
            },
        })
        .await
        .expect("save");
    let refused = c.onboarding_submit(half.id).await.expect_err("incomplete");
    assert_eq!(refused.code(), Code::InvalidInput);
    assert_eq!(
        outbox::list(&pool, None, 20).await.expect("outbox").len(),
        5
    );
}

#[sqlx::test]
async fn a_watchlist_hit_stops_the_onboarding(pool: SqlitePool) {
    let c = console(single(&pool).await, &DataKey::generate());
    teller_signed_in(&c).await;
    let draft = c
        .onboarding_save(SaveDraftInput {
            id: None,
            step: "checks".into(),
            data: DraftData {
                name: "制裁测试".into(),
                screening: None,
                ..complete()
            },
        })
        .await
        .expect("save");
    let screened = c.onboarding_screen(draft.id).await.expect("screened");
    let e = c
        .onboarding_evaluate(screened.data)
        .await
        .expect("evaluate");
    assert!(codes(&e.problems).contains(&"screening_hit".to_owned()));
    // A changed mobile loses its verification; a changed name needs a new screening.
    let mut changed = e.id.map(|_| complete()).expect("id facts");
    changed.name = "别人".into();
    let e = c.onboarding_evaluate(changed).await.expect("evaluate");
    assert!(codes(&e.problems).contains(&"screening_needed".to_owned()));
}

#[sqlx::test]
async fn a_full_width_draft_is_normalised_not_refused_and_sent_canonical(pool: SqlitePool) {
    let key = DataKey::generate();
    let pool = single(&pool).await;
    let c = console(pool.clone(), &key);
    teller_signed_in(&c).await;
    // What a Chinese IME in full-width mode types: digits, Ｘ, dashes, ideographic spaces.
    let draft = c
        .onboarding_save(SaveDraftInput {
            id: None,
            step: "preview".into(),
            data: DraftData {
                resident_id: "１１０１０５１９４９１２３１００２Ｘ".into(),
                mobile: "＋８６　１３８－１２３４－５６７８".into(),
                card_number: "６２２２　００００　００００　００００　００４".into(),
                ..complete()
            },
        })
        .await
        .expect("save");
    c.onboarding_send_code(draft.id).await.expect("code sent");
    c.onboarding_verify_code(VerifyCodeInput {
        draft_id: draft.id,
        code: "２４６８１０".into(),
    })
    .await
    .expect("a full-width code is the same code");
    c.onboarding_screen(draft.id).await.expect("screened");
    let result = c.onboarding_submit(draft.id).await.expect("submitted");
    assert_eq!(result.tier, 1);
    let items = outbox::list(&pool, Some(OutboxState::Pending), 10)
        .await
        .expect("outbox");
    let sealer = Sealer::new(&key);
    let mut bodies = Vec::new();
    for item in &items {
        bodies.push(outbox::body(&pool, &sealer, item.id).await.expect("body"));
    }
    let create = bodies
        .iter()
        .find(|b| b.get("residentId").is_some())
        .expect("customer.create");
    assert_eq!(create["residentId"], ID_1949);
    assert_eq!(create["mobile"], "13812345678");
    let wallet = bodies
        .iter()
        .find(|b| b.get("bankCard").is_some())
        .expect("wallet.open");
    assert_eq!(wallet["bankCard"]["number"], "6222000000000000004");
}

/// A core that serves limit schemes until it is unplugged: two versions of the default
/// operator bank (the second announced ahead) and another bank's table.
#[derive(Debug, Default)]
struct SchemeCore {
    unplugged: std::sync::atomic::AtomicBool,
}

#[async_trait::async_trait]
impl CoreLink for SchemeCore {
    fn url(&self) -> String {
        "http://127.0.0.1:9".into()
    }
    async fn identity(&self) -> Result<CoreIdentity, LinkError> {
        Err(LinkError::Unreachable("test double".into()))
    }
}

#[async_trait::async_trait]
impl CoreChecks for SchemeCore {}

#[async_trait::async_trait]
impl CoreSync for SchemeCore {
    async fn limit_schemes(&self) -> Result<Vec<LimitScheme>, LinkError> {
        if self.unplugged.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(LinkError::Unreachable("unplugged".into()));
        }
        let yuan = |n: i64| Some(Money::from_minor_units(n * 100));
        let scheme = |bank: &str, default: bool, from: &str, tier3_cap: i64| LimitScheme {
            operator_bank: bank.into(),
            operator_bank_name: bank.to_uppercase(),
            is_default: default,
            effective_from: chrono::NaiveDate::parse_from_str(from, "%Y-%m-%d").expect("day"),
            tiers: (1..=4u8)
                .map(|tier| TierLimits {
                    tier,
                    balance_cap: if tier == 3 { yuan(tier3_cap) } else { None },
                    one_payment: None,
                    per_day: None,
                    per_year: None,
                })
                .collect(),
        };
        Ok(vec![
            scheme("central", true, "2020-01-01", 20_000),
            scheme("central", true, "2026-12-01", 30_000),
            scheme("pilot", false, "2026-01-01", 2_000),
        ])
    }
}

/// DOMAIN.md: the limits differ per operator bank and change over time, so the counter shows
/// the core bank's scheme, the version in force today, and still does once the core is gone.
#[sqlx::test]
async fn the_tier_limits_shown_are_the_core_banks_scheme_even_offline(pool: SqlitePool) {
    let pool = single(&pool).await;
    let key = DataKey::generate();
    let store = Store::from_pool(pool.clone());
    let clock = ManualClock::new(
        Utc.with_ymd_and_hms(2026, 11, 23, 2, 0, 0)
            .single()
            .expect("time"),
    );
    let core = Arc::new(SchemeCore::default());
    let engine = Engine::new(
        store.clone(),
        Sealer::new(&key),
        core.clone(),
        Arc::new(clock.clone()),
        EngineConfig::default(),
    );
    let c = Console::new(
        store,
        Arc::new(clock.clone()),
        core.clone(),
        ConsoleConfig {
            training_mode: false,
            idle_lock_override: None,
            version: "test".into(),
        },
    )
    .with_sync(engine.clone());
    teller_signed_in(&c).await;
    let tier3_cap = |e: &walletdesk_core::onboarding::Evaluation| {
        e.limits
            .as_ref()
            .and_then(|s| s.tier(3))
            .and_then(|t| t.balance_cap)
            .map(|m| m.to_string())
    };

    // Before the core sent its schemes, no limit is shown: none is written in the app.
    let before = c.onboarding_evaluate(complete()).await.expect("evaluate");
    assert_eq!(before.limits, None);

    engine
        .refresh_limits()
        .await
        .expect("schemes from the core");
    core.unplugged
        .store(true, std::sync::atomic::Ordering::SeqCst);
    let today = c
        .onboarding_evaluate(complete())
        .await
        .expect("evaluate offline");
    let scheme = today.limits.clone().expect("the stored scheme");
    assert_eq!(
        scheme.operator_bank, "central",
        "the default operator bank's"
    );
    assert_eq!(scheme.effective_from.to_string(), "2020-01-01");
    assert_eq!(tier3_cap(&today).as_deref(), Some("20000.00"));
    // A refresh that fails keeps the copy.
    assert!(engine.refresh_limits().await.is_err());

    // The version announced ahead is in force on its day, with the core still unreachable.
    clock.set_wall_clock(
        Utc.with_ymd_and_hms(2026, 12, 1, 1, 0, 0)
            .single()
            .expect("time"),
    );
    let later = c.onboarding_evaluate(complete()).await.expect("evaluate");
    assert_eq!(tier3_cap(&later).as_deref(), Some("30000.00"));
    // The consents asked for come with the evaluation too: the screen copies none.
    let scopes: Vec<&str> = later.consents.iter().map(|c| c.scope.as_str()).collect();
    assert_eq!(
        scopes,
        [
            "general-processing",
            "sensitive-financial",
            "third-party-sharing"
        ]
    );
    assert!(later.consents[0].required && !later.consents[2].required);
}
