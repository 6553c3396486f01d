//! The sign-in lock-out under parallel attempts, and the staff lifecycle: deactivation, role
//! changes, a forced password change, and the last administrator.

use super::{
    ADMIN_PW, TELLER_PW, UnpluggedCore, actions, clock, code, console, sign_in, with_teller,
};
use sqlx::SqlitePool;
use std::sync::Arc;
use walletdesk_core::Error;
use walletdesk_core::access::{Permission, Role};
use walletdesk_core::audit::AuditQuery;
use walletdesk_core::console::{ConsoleConfig, SessionState};
use walletdesk_core::staff::NewStaffInput;
use walletdesk_core::staff_admin::{BranchChangeInput, PasswordChangeInput, RoleChangeInput};
use walletdesk_core::store::Store;
use walletdesk_core::{Code, Console};

async fn staff_id(c: &Console, username: &str) -> i64 {
    c.staff_list()
        .await
        .expect("list")
        .into_iter()
        .find(|s| s.username == username)
        .expect("listed")
        .staff_id
}

async fn count(pool: &SqlitePool, action: &str, outcome: &str) -> usize {
    actions(pool)
        .await
        .iter()
        .filter(|(a, o)| a == action && o == outcome)
        .count()
}

async fn create(c: &Console, username: &str, role: Role, password: &str) {
    c.staff_create(NewStaffInput {
        username: username.into(),
        display_name: username.into(),
        role,
        password: password.into(),
    })
    .await
    .expect("create");
}

/// Twenty wrong passwords sent at once (as a script over IPC could) on the app's own file
/// store, with its separate read pool and single writer; the right password arrives once the
/// account is locked, while wrong ones are still being hashed.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_parallel_wrong_passwords_count_exactly_five_failures_and_lock_the_account() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(
        &dir.path().join("walletdesk.sqlite"),
        &walletdesk_core::crypto::DataKey::generate(),
    )
    .await
    .expect("open");
    let clock = clock();
    let c = Arc::new(Console::new(
        store.clone(),
        Arc::new(clock.clone()),
        Arc::new(UnpluggedCore),
        ConsoleConfig {
            training_mode: false,
            idle_lock_override: None,
            version: "test".into(),
        },
    ));
    with_teller(&c).await;

    let start = Arc::new(tokio::sync::Barrier::new(19));
    let mut tries = Vec::new();
    for _ in 0..19 {
        let (c, start) = (c.clone(), start.clone());
        tries.push(tokio::spawn(async move {
            start.wait().await;
            c.sign_in(sign_in("li.na", "wrong-password")).await
        }));
    }
    let right = {
        let (c, read) = (c.clone(), store.read().clone());
        tokio::spawn(async move {
            loop {
                let locked: bool = sqlx::query_scalar(
                    "SELECT locked_until IS NOT NULL FROM staff WHERE username = 'li.na'",
                )
                .fetch_one(&read)
                .await
                .expect("read");
                if locked {
                    break;
                }
                tokio::task::yield_now().await;
            }
            c.sign_in(sign_in("li.na", TELLER_PW)).await
        })
    };
    tries.push(right);

    let mut codes = Vec::new();
    for t in tries {
        match t.await.expect("task") {
            Ok(session) => panic!("{} got in during the attack", session.username),
            Err(err) => codes.push(code(err)),
        }
    }
    let bad = codes.iter().filter(|c| **c == Code::BadCredentials).count();
    let locked = codes.iter().filter(|c| **c == Code::AccountLocked).count();
    assert_eq!((bad, locked), (4, 16), "{codes:?}");

    let mut conn = store.read().acquire().await.expect("conn");
    let audit: Vec<(String, String)> =
        sqlx::query_as("SELECT action, outcome FROM audit_log ORDER BY id")
            .fetch_all(&mut *conn)
            .await
            .expect("audit");
    let n = |action: &str, outcome: &str| {
        audit
            .iter()
            .filter(|(a, o)| a == action && o == outcome)
            .count()
    };
    assert_eq!(n("auth.sign_in_failed", "failed"), 5, "counted failures");
    assert_eq!(n("auth.sign_in_failed", "refused"), 15, "refused unchecked");
    assert_eq!(n("auth.locked_out", "refused"), 1);
    // The admin's setup sign-in is the only one.
    assert_eq!(n("auth.sign_in", "ok"), 1);
    let until: Option<String> =
        sqlx::query_scalar("SELECT locked_until FROM staff WHERE username = 'li.na'")
            .fetch_one(&mut *conn)
            .await
            .expect("row");
    assert_eq!(until.as_deref(), Some("2026-11-23T09:15:00.000Z"));
    drop(conn);
    let still = c
        .sign_in(sign_in("li.na", TELLER_PW))
        .await
        .expect_err("locked");
    assert_eq!(code(still), Code::AccountLocked);
    store.close().await;
}

#[sqlx::test]
async fn deactivated_staff_cannot_sign_in(pool: SqlitePool) {
    let clock = clock();
    let c = console(pool.clone(), &clock);
    with_teller(&c).await;
    c.sign_in(sign_in("li.na", TELLER_PW)).await.expect("in");
    c.sign_out().await.expect("out");
    c.sign_in(sign_in("admin", ADMIN_PW)).await.expect("admin");
    let teller = staff_id(&c, "li.na").await;
    let off = c.staff_deactivate(teller).await.expect("deactivate");
    assert!(!off.active);
    let again = c.staff_deactivate(teller).await.expect_err("twice");
    assert_eq!(code(again), Code::Conflict);
    c.sign_out().await.expect("out");

    let refused = c
        .sign_in(sign_in("li.na", TELLER_PW))
        .await
        .expect_err("deactivated");
    assert_eq!(code(refused), Code::BadCredentials, "no hint to a guesser");
    let reason: String = sqlx::query_scalar(
        "SELECT json_extract(detail, '$.reason') FROM audit_log ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .expect("row");
    assert_eq!(reason, "account_inactive");

    // It stays in the staff list and in the audit trail, under its name.
    c.sign_in(sign_in("admin", ADMIN_PW)).await.expect("admin");
    let listed = c.staff_list().await.expect("list");
    assert!(listed.iter().any(|s| s.username == "li.na" && !s.active));
    let trail = c
        .audit_search(AuditQuery {
            text: Some("li.na".into()),
            limit: 50,
            ..AuditQuery::default()
        })
        .await
        .expect("search");
    let seen: Vec<&str> = trail.entries.iter().map(|e| e.action.as_str()).collect();
    for action in ["auth.sign_in", "staff.deactivated", "auth.sign_in_failed"] {
        assert!(seen.contains(&action), "{action} in {seen:?}");
    }

    let on = c.staff_reactivate(teller).await.expect("reactivate");
    assert!(on.active);
    c.sign_out().await.expect("out");
    c.sign_in(sign_in("li.na", TELLER_PW))
        .await
        .expect("back at work");
    assert_eq!(count(&pool, "staff.reactivated", "ok").await, 1);
}

#[sqlx::test]
async fn deactivating_an_account_ends_its_open_session_at_its_next_command(pool: SqlitePool) {
    let clock = clock();
    // Two consoles over one store: the teller's session is open while the admin acts.
    let counter = console(pool.clone(), &clock);
    let office = console(pool.clone(), &clock);
    with_teller(&office).await;
    counter
        .sign_in(sign_in("li.na", TELLER_PW))
        .await
        .expect("teller in");
    office
        .sign_in(sign_in("admin", ADMIN_PW))
        .await
        .expect("admin");
    let teller = staff_id(&office, "li.na").await;
    office.staff_deactivate(teller).await.expect("deactivate");

    let next = counter
        .authorize(Permission::ViewCustomers)
        .await
        .expect_err("session over");
    assert_eq!(code(next), Code::NotSignedIn);
    assert_eq!(
        counter.session_state().await.expect("state"),
        SessionState::SignedOut
    );
    assert_eq!(count(&pool, "session.ended", "refused").await, 1);
}

#[sqlx::test]
async fn a_role_change_applies_to_the_next_command(pool: SqlitePool) {
    let clock = clock();
    let counter = console(pool.clone(), &clock);
    let office = console(pool.clone(), &clock);
    with_teller(&office).await;
    counter
        .sign_in(sign_in("li.na", TELLER_PW))
        .await
        .expect("teller in");
    let before = counter
        .audit_search(AuditQuery::default())
        .await
        .expect_err("a teller reads no audit");
    assert_eq!(code(before), Code::Forbidden);

    office
        .sign_in(sign_in("admin", ADMIN_PW))
        .await
        .expect("admin");
    let teller = staff_id(&office, "li.na").await;
    let changed = office
        .staff_set_role(RoleChangeInput {
            staff_id: teller,
            role: Role::Supervisor,
        })
        .await
        .expect("promote");
    assert_eq!(changed.role, Role::Supervisor);
    let same = office
        .staff_set_role(RoleChangeInput {
            staff_id: teller,
            role: Role::Supervisor,
        })
        .await
        .expect_err("unchanged");
    assert_eq!(code(same), Code::Conflict);

    // Same session, no new sign-in: the next command is checked against the new role.
    counter
        .audit_search(AuditQuery::default())
        .await
        .expect("a supervisor reads the audit trail");
    let onboard = counter
        .authorize(Permission::Onboard)
        .await
        .expect_err("no longer a teller");
    assert_eq!(code(onboard), Code::Forbidden);
    match counter.session_state().await.expect("state") {
        SessionState::Active { session } => {
            assert_eq!(session.role, Role::Supervisor);
            assert_eq!(session.areas, Role::Supervisor.areas());
        }
        other => panic!("{other:?}"),
    }
    let detail: String =
        sqlx::query_scalar("SELECT detail FROM audit_log WHERE action = 'staff.role_changed'")
            .fetch_one(&pool)
            .await
            .expect("audited");
    assert!(detail.contains("\"from\":\"teller\"") && detail.contains("\"to\":\"supervisor\""));
}

#[sqlx::test]
async fn a_forced_change_blocks_every_other_command_until_done(pool: SqlitePool) {
    let clock = clock();
    let c = console(pool.clone(), &clock);
    with_teller(&c).await;
    c.sign_in(sign_in("admin", ADMIN_PW)).await.expect("admin");
    let teller = staff_id(&c, "li.na").await;
    let flagged = c
        .staff_require_password_change(teller)
        .await
        .expect("require");
    assert!(flagged.must_change_password);
    c.sign_out().await.expect("out");

    let session = c.sign_in(sign_in("li.na", TELLER_PW)).await.expect("in");
    assert!(session.must_change_password);
    for permission in Permission::ALL {
        let result = c.authorize(permission).await;
        if permission == Permission::ChangeOwnPassword {
            assert!(result.is_ok());
        } else {
            let err = result.map(|_| ()).expect_err("blocked");
            assert_eq!(code(err), Code::PasswordChangeRequired, "{permission:?}");
        }
    }
    let search = c
        .customer_search(walletdesk_core::customers::SearchQuery { text: "li".into() })
        .await
        .expect_err("blocked");
    assert_eq!(code(search), Code::PasswordChangeRequired);
    let sync = c.sync_status().await.expect_err("blocked");
    assert_eq!(code(sync), Code::PasswordChangeRequired);

    let change = |current: &str, new: &str| PasswordChangeInput {
        current_password: current.into(),
        new_password: new.into(),
    };
    let weak = c
        .password_change(change(TELLER_PW, "short"))
        .await
        .expect_err("weak");
    assert_eq!(code(weak), Code::WeakPassword);
    let same = c
        .password_change(change(TELLER_PW, TELLER_PW))
        .await
        .expect_err("same");
    assert_eq!(code(same), Code::WeakPassword);
    let wrong = c
        .password_change(change("not-my-password", "teller-pass-2027"))
        .await
        .expect_err("wrong current");
    assert_eq!(code(wrong), Code::BadCredentials);
    assert!(c.sync_status().await.is_err(), "still blocked");

    let done = c
        .password_change(change(TELLER_PW, "teller-pass-2027"))
        .await
        .expect("changed");
    assert!(!done.must_change_password);
    c.sync_status().await.expect("work again");
    c.sign_out().await.expect("out");
    let old = c
        .sign_in(sign_in("li.na", TELLER_PW))
        .await
        .expect_err("old password");
    assert_eq!(code(old), Code::BadCredentials);
    let fresh = c
        .sign_in(sign_in("li.na", "teller-pass-2027"))
        .await
        .expect("new password");
    assert!(!fresh.must_change_password);
    assert_eq!(
        count(&pool, "staff.password_change_required", "ok").await,
        1
    );
    assert_eq!(count(&pool, "staff.password_changed", "ok").await, 1);
    assert_eq!(
        count(&pool, "staff.password_change_failed", "failed").await,
        1
    );
}

#[sqlx::test]
async fn an_administrator_sets_a_supervisors_branch_as_typed_and_only_a_supervisors(
    pool: SqlitePool,
) {
    let clock = clock();
    let office = console(pool.clone(), &clock);
    with_teller(&office).await;
    office
        .sign_in(sign_in("admin", ADMIN_PW))
        .await
        .expect("admin");
    let id = staff_id(&office, "li.na").await;
    let branch = |text: &str| BranchChangeInput {
        staff_id: id,
        branch: Some(text.to_owned()),
    };
    // A teller's numbers are their own whatever their branch: no branch to set.
    let teller = office
        .staff_set_branch(branch("SH-001"))
        .await
        .expect_err("a teller");
    assert!(
        matches!(&teller, Error::InvalidFields(f) if f[0].code == "branch_only_for_supervisors"),
        "{teller:?}"
    );
    office
        .staff_set_role(RoleChangeInput {
            staff_id: id,
            role: Role::Supervisor,
        })
        .await
        .expect("promote");
    // Typed with a Chinese IME in full-width mode: folded, not refused.
    let set = office
        .staff_set_branch(branch("　ＳＨ－００１ "))
        .await
        .expect("set");
    assert_eq!(set.branch.as_deref(), Some("SH-001"));
    let again = office
        .staff_set_branch(branch("SH-001"))
        .await
        .expect_err("unchanged");
    assert_eq!(code(again), Code::Conflict);
    let spaced = office
        .staff_set_branch(branch("SH 001"))
        .await
        .expect_err("a space");
    assert!(
        matches!(&spaced, Error::InvalidFields(f) if f[0].code == "branch_invalid"),
        "{spaced:?}"
    );
    // Empty: head office again.
    let head_office = office
        .staff_set_branch(branch(" "))
        .await
        .expect("head office");
    assert_eq!(head_office.branch, None);
    let details: Vec<String> = sqlx::query_scalar(
        "SELECT detail FROM audit_log WHERE action = 'staff.branch_set' ORDER BY id",
    )
    .fetch_all(&pool)
    .await
    .expect("audited");
    assert_eq!(details.len(), 2);
    assert!(details[0].contains("\"to\":\"SH-001\""), "{}", details[0]);
    assert!(details[1].contains("\"to\":null"), "{}", details[1]);
}

#[sqlx::test]
async fn the_last_active_administrator_cannot_be_deactivated_or_demoted(pool: SqlitePool) {
    let clock = clock();
    let c = console(pool.clone(), &clock);
    with_teller(&c).await;
    c.sign_in(sign_in("admin", ADMIN_PW)).await.expect("admin");
    let admin = staff_id(&c, "admin").await;
    let demote = RoleChangeInput {
        staff_id: admin,
        role: Role::Supervisor,
    };
    for refused in [
        c.staff_deactivate(admin).await,
        c.staff_set_role(demote.clone()).await,
    ] {
        let err = refused.expect_err("last admin");
        assert_eq!(code(err), Code::Conflict);
        assert!(is_active_admin(&c, admin).await, "still an active admin");
    }

    // A second administrator, deactivated, does not count: the rule is about active ones.
    create(&c, "second.admin", Role::Admin, "second-admin-2026").await;
    let second = staff_id(&c, "second.admin").await;
    c.staff_deactivate(second).await.expect("deactivate second");
    let err = c
        .staff_set_role(demote.clone())
        .await
        .expect_err("still last");
    assert_eq!(code(err), Code::Conflict);

    // With the second one back, the first may step down; then the second is the last.
    c.staff_reactivate(second).await.expect("reactivate");
    let stepped = c.staff_set_role(demote).await.expect("demote self");
    assert_eq!(stepped.role, Role::Supervisor);
    // The demotion reached this session at once: no more staff management here.
    let gone = c.staff_list().await.expect_err("now a supervisor");
    assert_eq!(code(gone), Code::Forbidden);
    c.sign_out().await.expect("out");
    c.sign_in(sign_in("second.admin", "second-admin-2026"))
        .await
        .expect("second admin");
    let last = c.staff_deactivate(second).await.expect_err("self, last");
    assert_eq!(code(last), Code::Conflict);
}

/// True when `id` is an active administrator.
async fn is_active_admin(c: &Console, id: i64) -> bool {
    c.staff_list()
        .await
        .expect("list")
        .iter()
        .any(|s| s.staff_id == id && s.active && s.role == Role::Admin)
}

#[sqlx::test]
async fn only_the_administrator_manages_the_lifecycle(pool: SqlitePool) {
    let clock = clock();
    let c = console(pool.clone(), &clock);
    with_teller(&c).await;
    c.sign_in(sign_in("admin", ADMIN_PW)).await.expect("admin");
    create(&c, "zhou.sup", Role::Supervisor, "supervisor-2026").await;
    let teller = staff_id(&c, "li.na").await;
    c.sign_out().await.expect("out");
    c.sign_in(sign_in("zhou.sup", "supervisor-2026"))
        .await
        .expect("supervisor");
    for refused in [
        c.staff_deactivate(teller).await,
        c.staff_reactivate(teller).await,
        c.staff_require_password_change(teller).await,
        c.staff_set_role(RoleChangeInput {
            staff_id: teller,
            role: Role::Admin,
        })
        .await,
    ] {
        assert_eq!(refused.map(|_| ()).map_err(code), Err(Code::Forbidden));
    }
    assert_eq!(count(&pool, "permission.refused", "refused").await, 4);
}
