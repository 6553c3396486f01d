//! Twenty consoles work one queue on PostgreSQL at once: two register at the counter, the
//! others take the next case, step it, decide it, and now and then try to take a colleague's
//! case or step from a stale screen. Afterwards: no case taken twice, no step lost, the audit
//! chain verifies, every clock right.
//!
//! It runs for 60 s (the acceptance); `WALLETDESK_TEAM_SOAK_SECS` sets another length.

use super::*;
use rand::{Rng, SeedableRng};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

#[derive(Debug, Default)]
struct Ledger {
    registered: Vec<i64>,
    /// Case → the members who were told they took it.
    takers: HashMap<i64, Vec<i64>>,
    /// Case → steps that were acknowledged (notes and the decision).
    steps: HashMap<i64, i64>,
    decided: Vec<i64>,
    audited: i64,
    stale_refused: i64,
    take_refused: i64,
}

/// id, due_on, closed_on, on_time, status.
type CaseRow = (i64, String, Option<String>, Option<bool>, String);

fn soak() -> Duration {
    let secs = std::env::var("WALLETDESK_TEAM_SOAK_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    Duration::from_secs(secs)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_consoles_work_one_queue_and_nothing_is_taken_twice_or_lost() {
    let (s, _dir) = team(BackendKind::Postgres).await;
    let ledger = Arc::new(Mutex::new(Ledger::default()));
    let deadline = Instant::now() + soak();
    let today = d(2026, 3, 2);
    let mut consoles = Vec::new();
    for n in 0..20u64 {
        let s = s.clone();
        let ledger = Arc::clone(&ledger);
        let role = if n < 2 {
            Role::Teller
        } else if n < 4 {
            Role::Supervisor
        } else {
            Role::Complaints
        };
        consoles.push(tokio::spawn(async move {
            let me = member(&s, &format!("console-{n}"), role).await;
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(n);
            let mut held: Option<TeamCase> = None;
            while Instant::now() < deadline {
                if role == Role::Teller {
                    let received = today - chrono::Days::new(rng.random_range(0..20));
                    let case = s
                        .register(
                            &me,
                            complaint(received, "desk-a"),
                            "b1",
                            None,
                            today,
                            at(today),
                        )
                        .await
                        .expect("register");
                    {
                        let mut l = ledger.lock().expect("ledger");
                        l.registered.push(case.id);
                        l.audited += 1;
                    }
                    tokio::time::sleep(Duration::from_millis(rng.random_range(2..8))).await;
                    continue;
                }
                let Some(case) = held.take() else {
                    // Now and then, a colleague's case straight from the queue.
                    let target = {
                        let l = ledger.lock().expect("ledger");
                        (rng.random_range(0..10) == 0 && !l.registered.is_empty())
                            .then(|| l.registered[rng.random_range(0..l.registered.len())])
                    };
                    let taken = match target {
                        Some(id) => match s.take(&me, id, at(today)).await {
                            Ok(TakeOutcome::Taken { case }) => Some(*case),
                            Ok(TakeOutcome::AlreadyTaken { by_id, .. }) => {
                                assert_ne!(by_id, me.id, "told I hold a case I never took");
                                ledger.lock().expect("ledger").take_refused += 1;
                                None
                            }
                            Err(err) if err.code() == Code::Conflict => None,
                            Err(err) => panic!("take: {err}"),
                        },
                        None => s.take_next(&me, at(today)).await.expect("take next"),
                    };
                    match taken {
                        Some(case) => {
                            let mut l = ledger.lock().expect("ledger");
                            l.takers.entry(case.id).or_default().push(me.id);
                            l.audited += 1;
                            held = Some(case);
                        }
                        None => tokio::time::sleep(Duration::from_millis(5)).await,
                    }
                    continue;
                };
                if rng.random_range(0..4) == 0 {
                    let decided = s
                        .decide(&me, case.id, case.version, "Resolved.", today, at(today))
                        .await
                        .expect("decide");
                    let mut l = ledger.lock().expect("ledger");
                    *l.steps.entry(case.id).or_default() += 1;
                    l.decided.push(decided.id);
                    l.audited += 1;
                } else {
                    let noted = s
                        .add_note(
                            &me,
                            case.id,
                            case.version,
                            "Called the customer.",
                            at(today),
                        )
                        .await
                        .expect("note");
                    {
                        let mut l = ledger.lock().expect("ledger");
                        *l.steps.entry(case.id).or_default() += 1;
                        l.audited += 1;
                    }
                    if rng.random_range(0..5) == 0 {
                        // The screen that showed the old version tries again.
                        let stale = s
                            .add_note(
                                &me,
                                case.id,
                                case.version,
                                "From a stale screen.",
                                at(today),
                            )
                            .await
                            .expect_err("a stale step must be refused");
                        assert_eq!(stale.code(), Code::Conflict);
                        ledger.lock().expect("ledger").stale_refused += 1;
                    }
                    held = Some(noted);
                }
            }
        }));
    }
    for console in consoles {
        console.await.expect("console");
    }
    let l = Arc::try_unwrap(ledger)
        .expect("every console has ended")
        .into_inner()
        .expect("ledger");
    let walletdesk_core::team::Backend::Postgres(pool) = s.backend() else {
        unreachable!()
    };
    // No case taken twice: each told-taken once at most, and the trail agrees.
    for (case, takers) in &l.takers {
        assert_eq!(takers.len(), 1, "case {case} taken by {takers:?}");
    }
    let taken_in_trail: Vec<(String, i64)> = sqlx::query_as(
        "SELECT subject_id, COUNT(*) FROM team_audit_log WHERE action = 'team.case_taken' \
         GROUP BY subject_id HAVING COUNT(*) > 1",
    )
    .fetch_all(pool)
    .await
    .expect("trail");
    assert!(taken_in_trail.is_empty(), "{taken_in_trail:?}");
    // No step lost: every acknowledged step is stored, and nothing else.
    let stored: Vec<(i64, i64)> =
        sqlx::query_as("SELECT case_id, COUNT(*) FROM team_steps GROUP BY case_id")
            .fetch_all(pool)
            .await
            .expect("steps");
    let stored: HashMap<i64, i64> = stored.into_iter().collect();
    assert_eq!(stored, l.steps);
    // The chain: one record per acknowledged change, all verified.
    let verified = s.verify_audit().await.expect("verify");
    assert!(verified.ok, "{verified:?}");
    assert_eq!(verified.checked, l.audited);
    // Every clock right: the stored due date is the replayed one, the on-time mark follows.
    let cases: Vec<CaseRow> =
        sqlx::query_as("SELECT id, due_on, closed_on, on_time, status FROM team_cases ORDER BY id")
            .fetch_all(pool)
            .await
            .expect("cases");
    assert_eq!(cases.len(), l.registered.len());
    for (id, due_on, closed_on, on_time, status) in &cases {
        assert_eq!(
            &s.replayed_due_on(*id).await.expect("replay"),
            due_on,
            "case {id}"
        );
        match closed_on {
            Some(closed) => {
                assert_eq!(status, "decided");
                assert_eq!(*on_time, Some(closed <= due_on), "case {id}");
            }
            None => assert!(on_time.is_none()),
        }
    }
    assert_eq!(
        cases.iter().filter(|c| c.4 == "decided").count(),
        l.decided.len()
    );
    let taken = l.takers.len();
    eprintln!(
        "20 consoles for {:?}: {} cases registered, {taken} taken, {} decided, {} audited \
         changes, {} stale steps refused, {} takes told 'already taken'",
        soak(),
        l.registered.len(),
        l.decided.len(),
        l.audited,
        l.stale_refused,
        l.take_refused
    );
    assert!(
        taken > 20 && !l.decided.is_empty(),
        "the consoles did too little work"
    );
}
