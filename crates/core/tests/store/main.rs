//! Store-backed tests of the console: sessions, lock-out, idle lock, permissions, audit chain.
//! Each test gets its own migrated SQLite file from `#[sqlx::test]`.

use chrono::{Duration, TimeZone, Utc};
use sqlx::SqlitePool;
use std::sync::Arc;
use walletdesk_core::access::Role;
use walletdesk_core::audit::{self, AuditOutcome, AuditQuery, NewAudit};
use walletdesk_core::clock::{Clock, ManualClock};
use walletdesk_core::console::{
    ConsoleConfig, SessionState, SetupAdminInput, SignInInput, UnlockInput,
};
use walletdesk_core::corelink::{CoreIdentity, CoreLink, LinkError};
use walletdesk_core::crypto::DataKey;
use walletdesk_core::settings::Settings;
use walletdesk_core::staff::NewStaffInput;
use walletdesk_core::store::Store;
use walletdesk_core::{Code, Console, Error};

mod at_rest;
mod audit_chain;
mod audit_search;
mod credentials;
mod migrations;
mod staff;

/// A core bank that is switched off: these tests are about the console, not the network.
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

/// A core that answers, but not to this console's token.
#[derive(Debug)]
struct RefusingCore;

#[async_trait::async_trait]
impl CoreLink for RefusingCore {
    fn url(&self) -> String {
        "https://core.bank.example".into()
    }
    async fn identity(&self) -> Result<CoreIdentity, LinkError> {
        Err(LinkError::Unauthorized(
            "this console is not authorised with the core bank".into(),
        ))
    }
}

#[sqlx::test]
async fn a_refused_token_shows_as_such_in_the_status(pool: SqlitePool) {
    let c = Console::new(
        Store::from_pool(pool),
        Arc::new(clock()),
        Arc::new(RefusingCore),
        ConsoleConfig {
            training_mode: false,
            idle_lock_override: None,
            version: "test".into(),
        },
    );
    let status = c.status().await.expect("status");
    assert!(!status.core.connected);
    assert!(status.core.token_refused);
}

const ADMIN_PW: &str = "admin-pass-2026";
const TELLER_PW: &str = "teller-pass-2026";

fn console(pool: SqlitePool, clock: &ManualClock) -> Console {
    Console::new(
        Store::from_pool(pool),
        Arc::new(clock.clone()),
        Arc::new(UnpluggedCore),
        ConsoleConfig {
            training_mode: false,
            idle_lock_override: None,
            version: "test".into(),
        },
    )
}

fn clock() -> ManualClock {
    ManualClock::new(
        Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0)
            .single()
            .expect("valid time"),
    )
}

/// Admin set up, a teller created, everyone signed out.
async fn with_teller(c: &Console) {
    c.setup_admin(SetupAdminInput {
        username: "admin".into(),
        display_name: "管理员".into(),
        password: ADMIN_PW.into(),
    })
    .await
    .expect("setup");
    c.sign_in(sign_in("admin", ADMIN_PW))
        .await
        .expect("admin signs in");
    c.staff_create(NewStaffInput {
        username: "li.na".into(),
        display_name: "李娜".into(),
        role: Role::Teller,
        password: TELLER_PW.into(),
    })
    .await
    .expect("create teller");
    c.sign_out().await.expect("sign out");
}

fn sign_in(username: &str, password: &str) -> SignInInput {
    SignInInput {
        username: username.into(),
        password: password.into(),
    }
}

fn code(err: Error) -> Code {
    err.code()
}

async fn actions(pool: &SqlitePool) -> Vec<(String, String)> {
    sqlx::query_as("SELECT action, outcome FROM audit_log ORDER BY id")
        .fetch_all(pool)
        .await
        .expect("audit rows")
}

#[sqlx::test]
async fn first_run_setup_happens_once(pool: SqlitePool) {
    let clock = clock();
    let c = console(pool.clone(), &clock);
    assert!(c.status().await.expect("status").needs_setup);
    with_teller(&c).await;
    let status = c.status().await.expect("status");
    assert!(!status.needs_setup);
    assert!(
        !status.core.connected && !status.core.token_refused,
        "the unplugged core shows as unreachable, not as refusing the token"
    );
    let again = c
        .setup_admin(SetupAdminInput {
            username: "mallory".into(),
            display_name: "M".into(),
            password: "another-pass-1".into(),
        })
        .await
        .expect_err("second setup refused");
    assert_eq!(code(again), Code::Conflict);
}

#[sqlx::test]
async fn sign_in_gives_role_areas_and_is_audited(pool: SqlitePool) {
    let clock = clock();
    let c = console(pool.clone(), &clock);
    with_teller(&c).await;
    let session = c
        .sign_in(sign_in(" Li.Na ", TELLER_PW))
        .await
        .expect("sign in");
    assert_eq!(session.role, Role::Teller);
    assert_eq!(session.areas, Role::Teller.areas());
    assert_eq!(
        session.idle_lock_secs, 300,
        "DOMAIN default idle lock is 5 minutes"
    );
    assert!(
        actions(&pool)
            .await
            .contains(&("auth.sign_in".into(), "ok".into()))
    );
}

#[sqlx::test]
async fn five_wrong_passwords_lock_the_account_for_fifteen_minutes(pool: SqlitePool) {
    let clock = clock();
    let c = console(pool.clone(), &clock);
    with_teller(&c).await;
    for attempt in 1..=4 {
        let err = c
            .sign_in(sign_in("li.na", "wrong-password"))
            .await
            .expect_err("wrong");
        assert_eq!(code(err), Code::BadCredentials, "attempt {attempt}");
    }
    let fifth = c
        .sign_in(sign_in("li.na", "wrong-password"))
        .await
        .expect_err("5th");
    assert_eq!(code(fifth), Code::AccountLocked);
    // Even the right password is refused while locked.
    let right = c
        .sign_in(sign_in("li.na", TELLER_PW))
        .await
        .expect_err("locked");
    assert_eq!(code(right), Code::AccountLocked);
    clock.advance(Duration::minutes(14) + Duration::seconds(59));
    let still = c
        .sign_in(sign_in("li.na", TELLER_PW))
        .await
        .expect_err("still locked");
    assert_eq!(code(still), Code::AccountLocked);
    clock.advance(Duration::seconds(2));
    c.sign_in(sign_in("li.na", TELLER_PW))
        .await
        .expect("unlocked after 15 minutes");
    let log = actions(&pool).await;
    assert!(log.contains(&("auth.locked_out".into(), "refused".into())));
    assert_eq!(
        log.iter()
            .filter(|(a, o)| a == "auth.sign_in_failed" && o == "failed")
            .count(),
        5
    );
}

#[sqlx::test]
async fn a_success_resets_the_failure_count(pool: SqlitePool) {
    let clock = clock();
    let c = console(pool.clone(), &clock);
    with_teller(&c).await;
    for _ in 0..4 {
        let _ = c.sign_in(sign_in("li.na", "wrong-password")).await;
    }
    c.sign_in(sign_in("li.na", TELLER_PW))
        .await
        .expect("4 failures do not lock");
    c.sign_out().await.expect("out");
    for _ in 0..4 {
        let err = c
            .sign_in(sign_in("li.na", "wrong-password"))
            .await
            .expect_err("wrong");
        assert_eq!(code(err), Code::BadCredentials);
    }
}

#[sqlx::test]
async fn unknown_username_is_indistinguishable_and_audited(pool: SqlitePool) {
    let clock = clock();
    let c = console(pool.clone(), &clock);
    with_teller(&c).await;
    let err = c
        .sign_in(sign_in("nobody", TELLER_PW))
        .await
        .expect_err("unknown");
    assert_eq!(code(err), Code::BadCredentials);
    let row: (Option<i64>, String) =
        sqlx::query_as("SELECT actor_id, actor FROM audit_log ORDER BY id DESC LIMIT 1")
            .fetch_one(&pool)
            .await
            .expect("row");
    assert_eq!(row, (None, "nobody".to_owned()));
}

#[sqlx::test]
async fn idle_lock_after_the_configured_time_and_unlock_with_password(pool: SqlitePool) {
    let clock = clock();
    let c = console(pool.clone(), &clock);
    with_teller(&c).await;
    c.sign_in(sign_in("li.na", TELLER_PW)).await.expect("in");

    clock.advance(Duration::seconds(299));
    assert!(matches!(
        c.touch().await.expect("touch"),
        SessionState::Active { .. }
    ));
    // The touch restarted the timer: 299 s more is still fine.
    clock.advance(Duration::seconds(299));
    assert!(matches!(
        c.session_state().await.expect("state"),
        SessionState::Active { .. }
    ));
    clock.advance(Duration::seconds(1));
    assert!(matches!(
        c.session_state().await.expect("state"),
        SessionState::Locked { .. }
    ));
    // A command while locked is refused with the translated code, not run.
    let err = c
        .authorize(walletdesk_core::access::Permission::ViewCustomers)
        .await;
    assert_eq!(err.map(|_| ()).map_err(code), Err(Code::SessionLocked));
    // Activity after the deadline does not undo the lock.
    assert!(matches!(
        c.touch().await.expect("touch"),
        SessionState::Locked { .. }
    ));

    let wrong = c
        .unlock(UnlockInput {
            password: "nope-nope-nope".into(),
        })
        .await;
    assert_eq!(wrong.map(|_| ()).map_err(code), Err(Code::BadCredentials));
    let session = c
        .unlock(UnlockInput {
            password: TELLER_PW.into(),
        })
        .await
        .expect("unlock");
    assert_eq!(session.username, "li.na");
    assert!(matches!(
        c.session_state().await.expect("state"),
        SessionState::Active { .. }
    ));
    let log = actions(&pool).await;
    assert!(log.contains(&("session.idle_locked".into(), "ok".into())));
    assert!(log.contains(&("session.unlocked".into(), "ok".into())));
}

/// The Sync page reads its queue every 5 seconds; those reads are not a person at the desk.
#[sqlx::test]
async fn polling_does_not_keep_a_session_open(pool: SqlitePool) {
    let clock = clock();
    let c = console(pool.clone(), &clock);
    with_teller(&c).await;
    c.sign_in(sign_in("li.na", TELLER_PW)).await.expect("in");
    for _ in 0..59 {
        clock.advance(Duration::seconds(5));
        c.sync_status().await.expect("poll while active");
        c.sync_list(None).await.expect("poll while active");
    }
    // 295 s of polling and no input: 5 s more reaches the 300 s idle lock.
    clock.advance(Duration::seconds(5));
    assert_eq!(
        c.sync_status().await.map(|_| ()).map_err(code),
        Err(Code::SessionLocked)
    );
    assert!(matches!(
        c.session_state().await.expect("state"),
        SessionState::Locked { .. }
    ));
    let log = actions(&pool).await;
    assert!(log.contains(&("session.idle_locked".into(), "ok".into())));
}

/// Input reported by the UI (`touch`, at most every few seconds) is what keeps it open.
#[sqlx::test]
async fn user_activity_keeps_a_session_open(pool: SqlitePool) {
    let clock = clock();
    let c = console(pool.clone(), &clock);
    with_teller(&c).await;
    c.sign_in(sign_in("li.na", TELLER_PW)).await.expect("in");
    // An hour of work: input reported every 20 s, the Sync page polling in between.
    for _ in 0..180 {
        clock.advance(Duration::seconds(10));
        c.sync_status().await.expect("poll");
        clock.advance(Duration::seconds(10));
        assert!(matches!(
            c.touch().await.expect("touch"),
            SessionState::Active { .. }
        ));
    }
    clock.advance(Duration::seconds(299));
    assert!(matches!(
        c.session_state().await.expect("state"),
        SessionState::Active { .. }
    ));
    clock.advance(Duration::seconds(1));
    assert!(matches!(
        c.session_state().await.expect("state"),
        SessionState::Locked { .. }
    ));
}

/// The idle time is measured on a monotonic clock: setting the wall clock back an hour (by
/// hand or by a time server) does not give a walked-away session another hour.
#[sqlx::test]
async fn a_wall_clock_set_back_does_not_extend_a_session(pool: SqlitePool) {
    let clock = clock();
    let c = console(pool.clone(), &clock);
    with_teller(&c).await;
    c.sign_in(sign_in("li.na", TELLER_PW)).await.expect("in");
    clock.advance(Duration::seconds(200));
    clock.set_wall_clock(clock.now() - Duration::hours(1));
    clock.advance(Duration::seconds(99));
    assert!(matches!(
        c.session_state().await.expect("state"),
        SessionState::Active { .. }
    ));
    clock.advance(Duration::seconds(1));
    assert!(matches!(
        c.session_state().await.expect("state"),
        SessionState::Locked { .. }
    ));
    let err = c
        .authorize(walletdesk_core::access::Permission::ViewCustomers)
        .await;
    assert_eq!(err.map(|_| ()).map_err(code), Err(Code::SessionLocked));
}

#[sqlx::test]
async fn idle_time_follows_the_setting(pool: SqlitePool) {
    let clock = clock();
    let c = console(pool.clone(), &clock);
    with_teller(&c).await;
    c.sign_in(sign_in("admin", ADMIN_PW)).await.expect("admin");
    c.settings_update(Settings {
        idle_lock_secs: 60,
        branch: "西单支行".into(),
    })
    .await
    .expect("settings");
    let too_short = c
        .settings_update(Settings {
            idle_lock_secs: 5,
            branch: "西单支行".into(),
        })
        .await
        .expect_err("5 s refused");
    assert_eq!(code(too_short), Code::InvalidInput);
    c.sign_out().await.expect("out");
    let session = c.sign_in(sign_in("li.na", TELLER_PW)).await.expect("in");
    assert_eq!(
        (session.idle_lock_secs, session.branch.as_str()),
        (60, "西单支行")
    );
    clock.advance(Duration::seconds(60));
    assert!(matches!(
        c.session_state().await.expect("state"),
        SessionState::Locked { .. }
    ));
}

/// The Settings screen shows the idle-lock range core enforces (1 to 60 minutes), taken from
/// the answer: the bounds sent are exactly where core starts refusing.
#[sqlx::test]
async fn the_settings_come_with_the_ranges_core_enforces(pool: SqlitePool) {
    let clock = clock();
    let c = console(pool.clone(), &clock);
    with_teller(&c).await;
    c.sign_in(sign_in("admin", ADMIN_PW)).await.expect("admin");
    let shown = c.settings_get().await.expect("settings");
    let ranges = shown.ranges.clone();
    assert_eq!(
        (ranges.idle_lock_min_secs, ranges.idle_lock_max_secs),
        (60, 3600)
    );
    let with = |secs: u32| Settings {
        idle_lock_secs: secs,
        branch: "西单支行".into(),
    };
    for ok in [ranges.idle_lock_min_secs, ranges.idle_lock_max_secs] {
        let saved = c.settings_update(with(ok)).await.expect("inside the range");
        assert_eq!(saved.values.idle_lock_secs, ok);
        assert_eq!(saved.ranges, ranges);
    }
    for outside in [ranges.idle_lock_min_secs - 1, ranges.idle_lock_max_secs + 1] {
        let err = c.settings_update(with(outside)).await.expect_err("outside");
        let api = walletdesk_core::ApiError::from(err);
        assert_eq!(api.code, Code::InvalidInput);
        assert_eq!(api.fields[0].field, "idleLockSecs");
        assert_eq!(api.fields[0].code, "idle_lock_range");
    }
}

#[sqlx::test]
async fn unlock_failures_count_toward_lock_out_and_end_the_session(pool: SqlitePool) {
    let clock = clock();
    let c = console(pool.clone(), &clock);
    with_teller(&c).await;
    c.sign_in(sign_in("li.na", TELLER_PW)).await.expect("in");
    c.lock().await.expect("lock");
    for _ in 0..4 {
        let _ = c
            .unlock(UnlockInput {
                password: "wrong-password".into(),
            })
            .await;
    }
    let fifth = c
        .unlock(UnlockInput {
            password: "wrong-password".into(),
        })
        .await;
    assert_eq!(fifth.map(|_| ()).map_err(code), Err(Code::AccountLocked));
    assert_eq!(
        c.session_state().await.expect("state"),
        SessionState::SignedOut
    );
}

#[sqlx::test]
async fn a_role_without_the_permission_is_refused_and_audited(pool: SqlitePool) {
    let clock = clock();
    let c = console(pool.clone(), &clock);
    with_teller(&c).await;
    let signed_out = c
        .audit_search(AuditQuery::default())
        .await
        .expect_err("signed out");
    assert_eq!(code(signed_out), Code::NotSignedIn);

    c.sign_in(sign_in("li.na", TELLER_PW)).await.expect("in");
    for refused in [
        c.audit_search(AuditQuery::default()).await.map(|_| ()),
        c.audit_verify().await.map(|_| ()),
        c.staff_list().await.map(|_| ()),
        c.settings_get().await.map(|_| ()),
    ] {
        assert_eq!(refused.map_err(code), Err(Code::Forbidden));
    }
    let refusals: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'permission.refused' AND outcome = 'refused' AND actor = 'li.na'",
    )
    .fetch_one(&pool)
    .await
    .expect("count");
    assert_eq!(refusals, 4);
}

#[sqlx::test]
async fn supervisor_searches_the_audit_trail(pool: SqlitePool) {
    let clock = clock();
    let c = console(pool.clone(), &clock);
    with_teller(&c).await;
    c.sign_in(sign_in("admin", ADMIN_PW)).await.expect("admin");
    let page = c
        .audit_search(AuditQuery {
            text: Some("li.na".into()),
            limit: 50,
            ..AuditQuery::default()
        })
        .await
        .expect("search");
    assert_eq!(page.total, Some(1));
    assert_eq!(page.entries[0].action, "staff.created");

    let signins = c
        .audit_search(AuditQuery {
            action: Some("auth.".into()),
            from_date: Some("2026-11-23".into()),
            to_date: Some("2026-11-23".into()),
            limit: 50,
            ..AuditQuery::default()
        })
        .await
        .expect("search");
    assert!(
        signins.total.unwrap_or(0) >= 2
            && signins
                .entries
                .iter()
                .all(|e| e.action.starts_with("auth."))
    );

    let none = c
        .audit_search(AuditQuery {
            from_date: Some("2026-11-24".into()),
            limit: 50,
            ..AuditQuery::default()
        })
        .await
        .expect("search");
    assert_eq!(none.total, Some(0));

    let bad = c
        .audit_search(AuditQuery {
            from_date: Some("23/11/2026".into()),
            ..AuditQuery::default()
        })
        .await
        .expect_err("bad date");
    assert_eq!(code(bad), Code::InvalidInput);
}

/// `n` records through a store keyed with a known data key, which verifying needs.
async fn seed_chain(pool: &SqlitePool, n: usize) -> DataKey {
    let key = DataKey::generate();
    let store = Store::from_pool_with_key(pool.clone(), &key);
    let at = Utc
        .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
        .single()
        .expect("time");
    for i in 0..n {
        let mut tx = store.begin().await.expect("tx");
        audit::append(
            &mut tx,
            at,
            NewAudit::new(Some(1), "li.na", "test.step").detail(serde_json::json!({ "i": i })),
        )
        .await
        .expect("append");
        tx.commit().await.expect("commit");
    }
    key
}

async fn verify(pool: &SqlitePool, key: &DataKey) -> audit::AuditVerify {
    audit::verify(pool, &key.audit_key(), audit::CoreAnchor::Unavailable)
        .await
        .expect("verify")
}

#[sqlx::test]
async fn an_intact_chain_verifies(pool: SqlitePool) {
    let key = seed_chain(&pool, 10).await;
    let result = verify(&pool, &key).await;
    assert!(result.ok);
    assert_eq!(result.checked, 10);
}

#[sqlx::test]
async fn the_log_refuses_update_and_delete_through_sql(pool: SqlitePool) {
    seed_chain(&pool, 3).await;
    assert!(
        sqlx::query("UPDATE audit_log SET actor = 'x' WHERE id = 2")
            .execute(&pool)
            .await
            .is_err()
    );
    assert!(
        sqlx::query("DELETE FROM audit_log WHERE id = 2")
            .execute(&pool)
            .await
            .is_err()
    );
}

/// Simulates someone with the database file: drops the guards, then tampers.
async fn drop_guards(pool: &SqlitePool) {
    sqlx::query("DROP TRIGGER audit_log_no_update")
        .execute(pool)
        .await
        .expect("drop");
    sqlx::query("DROP TRIGGER audit_log_no_delete")
        .execute(pool)
        .await
        .expect("drop");
}

#[sqlx::test]
async fn verify_names_an_edited_record(pool: SqlitePool) {
    let key = seed_chain(&pool, 10).await;
    drop_guards(&pool).await;
    sqlx::query("UPDATE audit_log SET detail = '{\"i\":99}' WHERE id = 6")
        .execute(&pool)
        .await
        .expect("tamper");
    let result = verify(&pool, &key).await;
    assert!(!result.ok);
    assert_eq!(result.first_broken, Some(6));
    assert_eq!(result.checked, 5);
}

#[sqlx::test]
async fn verify_names_the_record_after_a_deleted_one(pool: SqlitePool) {
    let key = seed_chain(&pool, 10).await;
    drop_guards(&pool).await;
    sqlx::query("DELETE FROM audit_log WHERE id = 4")
        .execute(&pool)
        .await
        .expect("tamper");
    let result = verify(&pool, &key).await;
    assert_eq!((result.ok, result.first_broken), (false, Some(5)));
}

#[sqlx::test]
async fn audit_verify_command_is_itself_audited(pool: SqlitePool) {
    let clock = clock();
    let c = console(pool.clone(), &clock);
    with_teller(&c).await;
    c.sign_in(sign_in("admin", ADMIN_PW)).await.expect("admin");
    let result = c.audit_verify().await.expect("verify");
    assert!(result.ok);
    let last: (String, String) =
        sqlx::query_as("SELECT action, outcome FROM audit_log ORDER BY id DESC LIMIT 1")
            .fetch_one(&pool)
            .await
            .expect("row");
    assert_eq!(last, ("audit.verified".to_owned(), "ok".to_owned()));
    assert_eq!(AuditOutcome::Ok, AuditOutcome::Ok);
}

#[sqlx::test]
async fn training_mode_seeds_demo_staff_once(pool: SqlitePool) {
    let clock = clock();
    let c = Console::new(
        Store::from_pool(pool.clone()),
        Arc::new(clock.clone()),
        Arc::new(UnpluggedCore),
        ConsoleConfig {
            training_mode: true,
            idle_lock_override: None,
            version: "t".into(),
        },
    );
    let creds = c.seed_training_staff().await.expect("seed");
    assert_eq!(creds.len(), 5);
    assert!(c.seed_training_staff().await.expect("again").is_empty());
    let teller = creds
        .iter()
        .find(|d| d.role == Role::Teller)
        .expect("teller");
    let session = c
        .sign_in(sign_in(&teller.username, &teller.password))
        .await
        .expect("demo sign-in");
    assert_eq!(session.role, Role::Teller);
}
