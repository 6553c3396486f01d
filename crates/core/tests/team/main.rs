//! The team store (team mode, issue 16) on both backends: every test in `both!` runs once on
//! SQLite and once on a real PostgreSQL server (the OS package, started by the fixture in a
//! temporary folder on a random port; one server per test binary, a fresh database per
//! test). Each module is named as the rule it checks; its `sqlite` and `postgres` tests run it.

mod concurrency;
mod counter;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use std::time::Duration;
use walletdesk_core::access::Role;
use walletdesk_core::complaints::intake::{Complainant, NewComplaintInput};
use walletdesk_core::complaints::work::CaseAction;
use walletdesk_core::complaints::{Channel, Severity};
use walletdesk_core::crypto::DataKey;
use walletdesk_core::team::server::PgServer;
use walletdesk_core::team::{
    BackendKind, NewTeamMember, TakeOutcome, TeamCase, TeamMember, TeamQueue, TeamQueueQuery,
    TeamStore,
};
use walletdesk_core::{Code, Error};

static SERVER: tokio::sync::OnceCell<PgServer> = tokio::sync::OnceCell::const_new();

pub async fn server() -> &'static PgServer {
    SERVER
        .get_or_init(|| async { PgServer::start().await.expect("start PostgreSQL") })
        .await
}

/// A fresh team store of `kind`; the folder holds the SQLite file while the test runs.
pub async fn team(kind: BackendKind) -> (TeamStore, Option<tempfile::TempDir>) {
    let key = DataKey::from_bytes([7; 32]);
    match kind {
        BackendKind::Sqlite => {
            let dir = tempfile::tempdir().expect("tempdir");
            let store = TeamStore::open_sqlite(&dir.path().join("team.sqlite"), &key)
                .await
                .expect("open sqlite team store");
            (store, Some(dir))
        }
        BackendKind::Postgres => {
            let options = server().await.fresh_database().await.expect("database");
            let store = TeamStore::connect_postgres(options, &key, 30, Duration::from_secs(10))
                .await
                .expect("connect postgres team store");
            (store, None)
        }
    }
}

/// Runs each rule on both backends: `fn <rule>(store)` holds the checks, and
/// `mod <rule> { fn sqlite; fn postgres }` runs them (a function and a module may share a
/// name), so the rule's name is the test's path: `<rule>::sqlite`, `<rule>::postgres`.
macro_rules! both {
    ($(async fn $name:ident($s:ident) $body:block)*) => {$(
        async fn $name($s: TeamStore) $body
        mod $name {
            use super::*;
            #[tokio::test]
            async fn sqlite() {
                let (store, _dir) = team(BackendKind::Sqlite).await;
                super::$name(store).await;
            }
            #[tokio::test]
            async fn postgres() {
                let (store, _dir) = team(BackendKind::Postgres).await;
                super::$name(store).await;
            }
        }
    )*};
}

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

/// 10:00 Beijing time on `day`.
pub fn at(day: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(2, 0, 0).expect("time"))
}

pub fn complaint(received_on: NaiveDate, team: &str) -> NewComplaintInput {
    NewComplaintInput {
        channel: Channel::Counter,
        complainant: Complainant::Customer {
            customer_id: "C0001".into(),
        },
        product: "数字钱包".into(),
        category_id: 2,
        what_happened: "A payment was taken twice.".into(),
        customer_asks: "Refund the second payment.".into(),
        severity: Severity::Medium,
        received_on: Some(received_on),
        team: team.into(),
        representatives: Vec::new(),
        interested_staff_ids: Vec::new(),
        linked_id: None,
    }
}

pub async fn member(store: &TeamStore, username: &str, role: Role) -> TeamMember {
    store
        .enrol(&NewTeamMember {
            username: username.into(),
            display_name: format!("{username} (display)"),
            role,
            team: "desk-a".into(),
        })
        .await
        .expect("enrol")
}

fn query(queue: TeamQueue, after: Option<String>, limit: u32) -> TeamQueueQuery {
    TeamQueueQuery {
        team: "desk-a".into(),
        queue,
        after,
        limit,
    }
}

fn conflict_on(err: Error, field: &str, code: &str) {
    assert_eq!(err.code(), Code::Conflict, "{err}");
    let fields = err.fields();
    assert_eq!(fields.len(), 1, "{fields:?}");
    assert_eq!(
        (fields[0].field.as_str(), fields[0].code.as_str()),
        (field, code)
    );
}

fn today() -> NaiveDate {
    d(2026, 3, 2)
}

both! {
    async fn a_registered_case_waits_in_its_teams_queue_in_due_order(s) {
        let teller = member(&s, "teller", Role::Teller).await;
        let me = member(&s, "handler", Role::Complaints).await;
        for received in [d(2026, 2, 20), d(2026, 2, 10), d(2026, 3, 1)] {
            s.register(&teller, complaint(received, "desk-a"), "branch-1", None, today(), at(today()))
                .await
                .expect("register");
        }
        s.register(&teller, complaint(d(2026, 2, 1), "desk-b"), "branch-1", None, today(), at(today()))
            .await
            .expect("other team");
        let first = s.queue(&me, &query(TeamQueue::All, None, 2)).await.expect("page 1");
        let received: Vec<_> = first.cases.iter().map(|c| c.received_on.as_str()).collect();
        assert_eq!(received, ["2026-02-10", "2026-02-20"]);
        assert!(first.cases.windows(2).all(|w| w[0].due_on <= w[1].due_on));
        let second = s.queue(&me, &query(TeamQueue::All, first.next.clone(), 2)).await.expect("page 2");
        assert_eq!(second.cases.len(), 1);
        assert_eq!(second.cases[0].received_on, "2026-03-01");
        assert!(second.next.is_none());
        // 15 calendar days from the day after receipt, moved off rest days (2026-02-10 + 15 =
        // 2026-02-25, a working day in the 2026 calendar).
        assert_eq!(first.cases[0].due_on, "2026-02-25");
        assert_eq!(first.cases[0].case_no, "TS-2026-000002");
    }

    async fn taking_a_case_one_handler_wins_and_the_other_is_told_who_has_it(s) {
        let teller = member(&s, "teller", Role::Teller).await;
        let a = member(&s, "handler-a", Role::Complaints).await;
        let b = member(&s, "handler-b", Role::Complaints).await;
        let case = s.register(&teller, complaint(today(), "desk-a"), "b1", None, today(), at(today()))
            .await
            .expect("register");
        let (first, second) = tokio::join!(
            s.take(&a, case.id, at(today())),
            s.take(&b, case.id, at(today()))
        );
        let outcomes = [first.expect("take a"), second.expect("take b")];
        let won: Vec<_> = outcomes.iter().filter(|o| matches!(o, TakeOutcome::Taken { .. })).collect();
        assert_eq!(won.len(), 1, "{outcomes:?}");
        let TakeOutcome::Taken { case: taken } = won[0] else { unreachable!() };
        let winner = if taken.assignee_id == Some(a.id) { &a } else { &b };
        let lost = outcomes.iter().find(|o| matches!(o, TakeOutcome::AlreadyTaken { .. }))
            .expect("one told");
        assert_eq!(
            lost,
            &TakeOutcome::AlreadyTaken {
                case_no: case.case_no.clone(),
                by_id: winner.id,
                by_name: winner.display_name.clone(),
            }
        );
        // A teller may not take cases at all.
        assert_eq!(s.take(&teller, case.id, at(today())).await.err().map(|e| e.code()), Some(Code::Forbidden));
    }

    async fn take_next_takes_the_most_urgent_unassigned_case_of_the_team(s) {
        let teller = member(&s, "teller", Role::Teller).await;
        let me = member(&s, "handler", Role::Complaints).await;
        let other = member(&s, "other", Role::Complaints).await;
        let late = s.register(&teller, complaint(d(2026, 2, 25), "desk-a"), "b1", None, today(), at(today())).await.expect("r");
        let urgent = s.register(&teller, complaint(d(2026, 2, 12), "desk-a"), "b1", None, today(), at(today())).await.expect("r");
        let held = s.register(&teller, complaint(d(2026, 2, 2), "desk-a"), "b1", None, today(), at(today())).await.expect("r");
        s.register(&teller, complaint(d(2026, 2, 1), "desk-b"), "b1", None, today(), at(today())).await.expect("r");
        assert!(matches!(s.take(&other, held.id, at(today())).await.expect("take"), TakeOutcome::Taken { .. }));
        let first = s.take_next(&me, at(today())).await.expect("next").expect("a case");
        assert_eq!((first.id, first.assignee_id), (urgent.id, Some(me.id)));
        let second = s.take_next(&me, at(today())).await.expect("next").expect("a case");
        assert_eq!(second.id, late.id);
        assert!(s.take_next(&me, at(today())).await.expect("next").is_none(), "desk-b's case is not ours");
        let mine = s.queue(&me, &query(TeamQueue::Mine, None, 50)).await.expect("mine");
        assert_eq!(mine.cases.iter().map(|c| c.id).collect::<Vec<_>>(), [urgent.id, late.id]);
        assert!(s.queue(&me, &query(TeamQueue::Unassigned, None, 50)).await.expect("q").cases.is_empty());
    }

    async fn a_stale_screen_cannot_overwrite_a_colleagues_step(s) {
        let teller = member(&s, "teller", Role::Teller).await;
        let me = member(&s, "handler", Role::Complaints).await;
        let other = member(&s, "other", Role::Complaints).await;
        let case = s.register(&teller, complaint(today(), "desk-a"), "b1", None, today(), at(today())).await.expect("r");
        let TakeOutcome::Taken { case } = s.take(&me, case.id, at(today())).await.expect("take") else {
            panic!("not taken");
        };
        let shown = case.version;
        let after = s.add_note(&me, case.id, shown, "Called the customer.", at(today())).await.expect("note");
        assert_eq!(after.version, shown + 1);
        // The same screen, not reloaded, tries another step at the version it showed.
        let stale = s.add_note(&me, case.id, shown, "Second note from an old screen.", at(today())).await;
        conflict_on(stale.expect_err("stale"), "version", "stale_version");
        let stale = s.decide(&me, case.id, shown, "Refunded.", today(), at(today())).await;
        conflict_on(stale.expect_err("stale"), "version", "stale_version");
        // A colleague who does not hold the case cannot step it even at the right version.
        let foreign = s.add_note(&other, case.id, after.version, "Not mine.", at(today())).await;
        conflict_on(foreign.expect_err("held"), "case", "held_by_other");
        assert_eq!(s.step_count(case.id).await.expect("steps"), 1);
    }

    async fn the_case_screen_offers_the_steps_the_store_would_take_next(s) {
        let teller = member(&s, "teller", Role::Teller).await;
        let me = member(&s, "handler", Role::Complaints).await;
        let other = member(&s, "other", Role::Complaints).await;
        let received = d(2026, 3, 2);
        let case = s.register(&teller, complaint(received, "desk-a"), "b1", None, received, at(received)).await.expect("r");
        let free = s.case_for(&me, case.id, received).await.expect("free");
        assert_eq!(free.actions, [CaseAction::AssignToMe]);
        let TakeOutcome::Taken { case } = s.take(&me, case.id, at(received)).await.expect("take") else {
            panic!("not taken");
        };
        assert!(s.case_for(&other, case.id, received).await.expect("other").actions.is_empty(), "a colleague's case");
        let held = s.case_for(&me, case.id, received).await.expect("held");
        assert_eq!(held.actions, [CaseAction::AddNote, CaseAction::ExtendComplex, CaseAction::Decide]);
        let complex = s.extend(&me, case.id, held.version, "Needs the merchant's records.", received, at(received)).await.expect("complex");
        let after = s.case_for(&me, case.id, received).await.expect("after complex");
        assert_eq!(after.actions, [CaseAction::AddNote, CaseAction::RequestExtension, CaseAction::Decide]);
        s.extend(&me, case.id, complex.version, "The merchant is abroad.", received, at(received)).await.expect("ask");
        let asked = s.case_for(&me, case.id, received).await.expect("asked");
        assert!(asked.extension_pending);
        assert_eq!(asked.actions, [CaseAction::AddNote, CaseAction::Decide], "one request waits at a time");
        s.decide(&me, case.id, asked.version, "Refunded.", received, at(received)).await.expect("decide");
        assert!(s.case_for(&me, case.id, received).await.expect("decided").actions.is_empty());
    }

    async fn a_particularly_complex_extension_waits_for_a_supervisor_who_did_not_ask(s) {
        let teller = member(&s, "teller", Role::Teller).await;
        let boss = member(&s, "boss", Role::Supervisor).await;
        let other_boss = member(&s, "other-boss", Role::Supervisor).await;
        let received = d(2026, 3, 2);
        let case = s.register(&teller, complaint(received, "desk-a"), "b1", None, received, at(received)).await.expect("r");
        // A supervisor handles the case and asks for the extension themself.
        let TakeOutcome::Taken { case } = s.take(&boss, case.id, at(received)).await.expect("take") else {
            panic!("not taken");
        };
        let complex = s.extend(&boss, case.id, case.version, "Needs the merchant's records.", received, at(received)).await.expect("complex");
        assert_ne!(complex.due_on, case.due_on, "the complex limit applies at once");
        let asked = s.extend(&boss, case.id, complex.version, "The merchant is abroad.", received, at(received)).await.expect("ask");
        assert_eq!(asked.due_on, complex.due_on, "not before approval");
        let inbox = s.pending_extensions().await.expect("inbox");
        assert_eq!(inbox.len(), 1);
        assert_eq!((inbox[0].case_no.as_str(), inbox[0].requested_by), (case.case_no.as_str(), boss.id));
        let own = s.decide_extension(&boss, inbox[0].id, true, None, received, at(received)).await;
        assert_eq!(own.expect_err("self").code(), Code::Conflict);
        let handler = member(&s, "handler", Role::Complaints).await;
        let not_boss = s.decide_extension(&handler, inbox[0].id, true, None, received, at(received)).await;
        assert_eq!(not_boss.expect_err("role").code(), Code::Forbidden);
        let approved = s.decide_extension(&other_boss, inbox[0].id, true, None, received, at(received)).await.expect("approve");
        assert!(approved.due_on > complex.due_on);
        assert_eq!(approved.due_on, s.replayed_due_on(case.id).await.expect("replay"));
        assert!(s.pending_extensions().await.expect("inbox").is_empty());
        let again = s.decide_extension(&other_boss, inbox[0].id, true, None, received, at(received)).await;
        conflict_on(again.expect_err("twice"), "extension", "extension_already_decided");
    }

    async fn deciding_a_case_closes_its_clock_and_takes_it_off_the_queue(s) {
        let teller = member(&s, "teller", Role::Teller).await;
        let me = member(&s, "handler", Role::Complaints).await;
        let received = d(2026, 2, 10);
        s.register(&teller, complaint(received, "desk-a"), "b1", None, today(), at(today())).await.expect("r");
        let case = s.take_next(&me, at(today())).await.expect("next").expect("case");
        let decided = s.decide(&me, case.id, case.version, "Refunded the second payment.", today(), at(today())).await.expect("decide");
        assert_eq!(decided.status, "decided");
        assert_eq!(decided.closed_on.as_deref(), Some("2026-03-02"));
        // Due 2026-02-25: decided after it.
        assert_eq!(decided.on_time, Some(false));
        assert!(s.queue(&me, &query(TeamQueue::All, None, 50)).await.expect("q").cases.is_empty());
        let again = s.add_note(&me, case.id, decided.version, "After the decision.", at(today())).await;
        assert_eq!(again.expect_err("closed").code(), Code::Conflict);
    }

    async fn the_team_audit_chain_records_every_change_and_verifies(s) {
        let teller = member(&s, "teller", Role::Teller).await;
        let me = member(&s, "handler", Role::Complaints).await;
        let case = s.register(&teller, complaint(today(), "desk-a"), "b1", None, today(), at(today())).await.expect("r");
        let taken = s.take_next(&me, at(today())).await.expect("next").expect("case");
        let noted = s.add_note(&me, case.id, taken.version, "Called.", at(today())).await.expect("note");
        // A refused step writes nothing.
        let _ = s.add_note(&me, case.id, taken.version, "Stale.", at(today())).await.expect_err("stale");
        s.decide(&me, case.id, noted.version, "Done.", today(), at(today())).await.expect("decide");
        assert_eq!(
            s.audit_actions_of(&case.case_no).await.expect("actions"),
            ["team.case_registered", "team.case_taken", "team.note_added", "team.case_decided"]
        );
        let verified = s.verify_audit().await.expect("verify");
        assert!(verified.ok, "{verified:?}");
        assert_eq!(verified.checked, 4);
    }

    async fn the_queue_version_moves_with_every_change_and_a_watch_hears_it_within_2_s(s) {
        let teller = member(&s, "teller", Role::Teller).await;
        let me = member(&s, "handler", Role::Complaints).await;
        assert_eq!(s.queue_version("desk-a").await.expect("v"), 0);
        let mut watch = s.watch_queue("desk-a").await.expect("watch");
        let started = std::time::Instant::now();
        s.register(&teller, complaint(today(), "desk-a"), "b1", None, today(), at(today())).await.expect("r");
        tokio::time::timeout(Duration::from_secs(2), watch.receiver.changed())
            .await
            .expect("heard within 2 s")
            .expect("watch alive");
        assert_eq!(*watch.receiver.borrow(), 1);
        let heard_in = started.elapsed();
        s.take_next(&me, at(today())).await.expect("next").expect("case");
        tokio::time::timeout(Duration::from_secs(2), watch.receiver.changed())
            .await
            .expect("heard within 2 s")
            .expect("watch alive");
        assert_eq!(*watch.receiver.borrow(), 2);
        // Another team's change is not this queue's.
        s.register(&teller, complaint(today(), "desk-b"), "b1", None, today(), at(today())).await.expect("r");
        assert_eq!(s.queue_version("desk-a").await.expect("v"), 2);
        eprintln!("{:?}: first change heard after {heard_in:?}", s.kind());
    }

    async fn a_counter_intake_key_registers_one_case_however_often_it_is_sent(s) {
        let teller = member(&s, "teller", Role::Teller).await;
        let received = d(2026, 2, 27);
        let first = s.register(&teller, complaint(received, "desk-a"), "b1", Some("key-1"), today(), at(today())).await.expect("r");
        let again = s.register(&teller, complaint(received, "desk-a"), "b1", Some("key-1"), today(), at(today())).await.expect("r");
        assert_eq!(first, again);
        assert_eq!(first.received_on, "2026-02-27", "the clock counts from the counter's date");
        let me = member(&s, "handler", Role::Complaints).await;
        assert_eq!(s.queue(&me, &query(TeamQueue::All, None, 50)).await.expect("q").cases.len(), 1);
        assert_eq!(s.audit_actions_of(&first.case_no).await.expect("a"), ["team.case_forwarded"]);
    }
}

/// Editing or removing a record through SQL is refused by the store itself (PostgreSQL).
#[tokio::test]
async fn the_team_audit_trail_refuses_update_and_delete_through_sql() {
    let (s, _dir) = team(BackendKind::Postgres).await;
    let teller = member(&s, "teller", Role::Teller).await;
    s.register(
        &teller,
        complaint(today(), "desk-a"),
        "b1",
        None,
        today(),
        at(today()),
    )
    .await
    .expect("r");
    let walletdesk_core::team::Backend::Postgres(pool) = s.backend() else {
        unreachable!()
    };
    for sql in [
        "UPDATE team_audit_log SET actor = 'someone else'",
        "DELETE FROM team_audit_log",
    ] {
        let err = sqlx::query(sql).execute(pool).await.expect_err(sql);
        assert!(err.to_string().contains("append-only"), "{err}");
    }
    // With the trigger out of the way (an owner of the database), the edit shows.
    sqlx::query("ALTER TABLE team_audit_log DISABLE TRIGGER team_audit_log_no_update")
        .execute(pool)
        .await
        .expect("disable");
    sqlx::query("UPDATE team_audit_log SET actor = 'someone else'")
        .execute(pool)
        .await
        .expect("edit");
    let verified = s.verify_audit().await.expect("verify");
    assert!(!verified.ok);
    assert_eq!(verified.first_broken, Some(1));
}

// Dispute cases on the team store; declared after `both!` so the module can use it.
mod disputes;

// Delivering the dispute ops to the core (`team::core_ops`).
mod core_ops;
