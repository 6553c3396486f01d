//! The elder-assisted setup through the console and a real store: the customer's answers are
//! recorded with the case, a "yes" stops the setup with no way round it for staff and puts it
//! in the supervisor's inbox, only the supervisor's outcome lets it continue, every step is
//! audited and spoken.

use chrono::{Duration, TimeZone, Utc};
use sqlx::SqlitePool;
use std::sync::Arc;
use walletdesk_core::access::Role;
use walletdesk_core::audit::AuditQuery;
use walletdesk_core::clock::ManualClock;
use walletdesk_core::console::{ConsoleConfig, SetupAdminInput, SignInInput};
use walletdesk_core::corelink::{CoreChecks, CoreIdentity, CoreLink, CoreSync, LinkError};
use walletdesk_core::disputes::desk::ApprovalKind;
use walletdesk_core::elder::{
    CustomerAction, ElderAnswerInput, ElderEndInput, ElderResolveInput, ElderRules,
    ElderStartInput, ElderStep, EscalationOutcome, RecordingSpeaker,
};
use walletdesk_core::staff::NewStaffInput;
use walletdesk_core::store::Store;
use walletdesk_core::{Console, Error};

#[derive(Debug)]
struct NoCore;

#[async_trait::async_trait]
impl CoreLink for NoCore {
    fn url(&self) -> String {
        "http://127.0.0.1:9".into()
    }
    async fn identity(&self) -> Result<CoreIdentity, LinkError> {
        Err(LinkError::Unreachable("none".into()))
    }
}
#[async_trait::async_trait]
impl CoreSync for NoCore {}
#[async_trait::async_trait]
impl CoreChecks for NoCore {}

const PW: &str = "teller-pass-2026";

struct Counter {
    console: Console,
    clock: ManualClock,
    voice: Arc<RecordingSpeaker>,
}

async fn counter(pool: SqlitePool) -> Counter {
    let clock = ManualClock::new(
        Utc.with_ymd_and_hms(2026, 12, 6, 2, 0, 0)
            .single()
            .expect("time"),
    );
    let voice = Arc::new(RecordingSpeaker::default());
    let console = Console::new(
        Store::from_pool(pool),
        Arc::new(clock.clone()),
        Arc::new(NoCore),
        ConsoleConfig {
            training_mode: true,
            idle_lock_override: None,
            version: "test".into(),
        },
    )
    .with_speaker(voice.clone());
    console
        .setup_admin(SetupAdminInput {
            username: "admin".into(),
            display_name: "管理员".into(),
            password: PW.into(),
        })
        .await
        .expect("setup");
    sign_in(&console, "admin").await;
    for (name, role) in [("li.na", Role::Teller), ("chen", Role::Supervisor)] {
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
    sign_in(&console, "li.na").await;
    Counter {
        console,
        clock,
        voice,
    }
}

async fn sign_in(c: &Console, who: &str) {
    c.sign_out().await.expect("out");
    c.sign_in(SignInInput {
        username: who.into(),
        password: PW.into(),
    })
    .await
    .expect("in");
}

/// Time passes for the customer and the calendar; the staff session stays open (its idle
/// lock is another test's business), so only the wall clock moves.
fn later(k: &Counter, by: Duration) {
    use walletdesk_core::clock::Clock;
    k.clock.set_wall_clock(k.clock.now() + by);
}

fn start(age: u32) -> ElderStartInput {
    ElderStartInput {
        customer_name: "王秀英".into(),
        age,
        draft_id: None,
        customer_id: None,
    }
}

async fn answer(c: &Console, yes: bool) -> walletdesk_core::elder::ElderScreen {
    let screen = c.elder_screen().await.expect("screen").expect("open");
    let q = screen.question.expect("a question on screen");
    c.elder_answer(ElderAnswerInput {
        question_id: q.id,
        yes,
    })
    .await
    .expect("answer")
}

/// The elder setup's audit records (the supervisor reads them).
fn elder_audit() -> AuditQuery {
    AuditQuery {
        action: Some("elder.".into()),
        limit: 200,
        ..AuditQuery::default()
    }
}

fn conflict_code(err: Error) -> String {
    match err {
        Error::ConflictOn(f) => f.code,
        other => panic!("expected a conflict, got {other:?}"),
    }
}

#[sqlx::test(migrations = "./migrations")]
async fn a_no_journey_records_every_answer_and_reaches_done_spoken_and_audited(pool: SqlitePool) {
    let k = counter(pool).await;
    let c = &k.console;
    let rules = c.elder_rules().await.expect("rules");
    let session = c.elder_start(start(72)).await.expect("start");
    assert_eq!(session.step, ElderStep::Welcome);
    // The customer's window cannot answer before staff have explained the setup.
    assert!(!session.screen.actions.contains(&CustomerAction::AnswerYes));
    c.elder_next(session.id).await.expect("to the questions");
    for _ in &rules.questions {
        answer(c, false).await;
    }
    let s = c.elder_current().await.expect("current").expect("open");
    assert_eq!(s.step, ElderStep::OpenWallet);
    assert_eq!(s.answers.len(), rules.questions.len());
    assert!(s.answers.iter().all(|a| !a.yes));
    for _ in 0..3 {
        c.elder_next(s.id).await.expect("next");
    }
    assert!(c.elder_current().await.expect("current").is_none());
    assert_eq!(c.elder_get(s.id).await.expect("get").step, ElderStep::Done);

    // Every step was read aloud, in Chinese, each question's words among them.
    let said = k.voice.utterances();
    for q in &rules.questions {
        assert!(
            said.iter().any(|u| u.text.contains(&q.zh)),
            "{} spoken",
            q.id
        );
    }
    assert!(said.iter().all(|u| u.lang == "zh-CN"));
    assert_eq!(said.len(), 1 + 1 + rules.questions.len() + 3);

    sign_in(c, "chen").await;
    let page = c.audit_search(elder_audit()).await.expect("audit");
    let actions: Vec<&str> = page.entries.iter().map(|r| r.action.as_str()).collect();
    assert!(actions.contains(&"elder.started"));
    assert_eq!(
        actions.iter().filter(|a| **a == "elder.answered").count(),
        rules.questions.len()
    );
    assert!(!actions.contains(&"elder.escalated"));
}

#[sqlx::test(migrations = "./migrations")]
async fn any_yes_stops_the_setup_escalates_and_continues_only_after_the_supervisors_outcome(
    pool: SqlitePool,
) {
    let k = counter(pool).await;
    let c = &k.console;
    let s = c.elder_start(start(72)).await.expect("start");
    c.elder_next(s.id).await.expect("questions");
    answer(c, false).await;
    let stopped = answer(c, true).await;
    assert_eq!(stopped.step, ElderStep::Stopped);
    // The slogan and the hotline are on the customer's screen and were spoken.
    let shown: String = stopped.lines.iter().map(|l| l.zh.clone()).collect();
    assert!(shown.contains("不轻信、不透露、不转账") && shown.contains("96110"));
    let last = k.voice.utterances().pop().expect("spoken");
    assert!(last.text.contains("不轻信、不透露、不转账") && last.text.contains("96110"));
    assert!(!stopped.actions.contains(&CustomerAction::AnswerNo));

    // No teller override: "next" is refused, and so is any answer.
    assert_eq!(
        conflict_code(c.elder_next(s.id).await.expect_err("no override")),
        "elder_stopped_for_supervisor"
    );
    // The teller cannot clear it either: not their permission.
    assert!(matches!(
        c.elder_resolve(ElderResolveInput {
            escalation_id: 1,
            outcome: EscalationOutcome::Cleared,
            reason: "我看没问题".into(),
        })
        .await,
        Err(Error::Forbidden)
    ));

    // The supervisor's inbox has it, with the question that was answered "yes".
    sign_in(c, "chen").await;
    let inbox = c.approvals_inbox().await.expect("inbox");
    let item = inbox
        .iter()
        .find(|i| i.kind == ApprovalKind::ElderEscalation)
        .expect("escalated");
    assert!(item.reason.contains("亲属"), "{}", item.reason);
    assert!(item.may_decide);
    let refused = c
        .elder_resolve(ElderResolveInput {
            escalation_id: item.id,
            outcome: EscalationOutcome::Cleared,
            reason: "  ".into(),
        })
        .await;
    assert!(refused.is_err(), "a reason is required");
    let decided = c
        .elder_resolve(ElderResolveInput {
            escalation_id: item.id,
            outcome: EscalationOutcome::Cleared,
            reason: "与家属电话核实，是孙子真实的学费".into(),
        })
        .await
        .expect("cleared");
    assert_eq!(decided.outcome, Some(EscalationOutcome::Cleared));
    assert!(c.approvals_inbox().await.expect("inbox").is_empty());

    // Back at the counter, the setup goes on with the next question.
    sign_in(c, "li.na").await;
    let screen = c.elder_screen().await.expect("screen").expect("open");
    assert_eq!(screen.step, ElderStep::Question);
    assert_eq!(screen.question.expect("q").number, 3);
    let session = c.elder_current().await.expect("cur").expect("open");
    assert_eq!(session.answers.iter().filter(|a| a.yes).count(), 1);
    assert_eq!(session.escalations.len(), 1);
}

#[sqlx::test(migrations = "./migrations")]
async fn a_referral_to_110_ends_the_setup(pool: SqlitePool) {
    let k = counter(pool).await;
    let c = &k.console;
    let s = c.elder_start(start(80)).await.expect("start");
    c.elder_next(s.id).await.expect("questions");
    answer(c, true).await;
    sign_in(c, "chen").await;
    let id = c.approvals_inbox().await.expect("inbox")[0].id;
    c.elder_resolve(ElderResolveInput {
        escalation_id: id,
        outcome: EscalationOutcome::Referred110,
        reason: "自称公安要求转账到安全账户，已报警".into(),
    })
    .await
    .expect("referred");
    sign_in(c, "li.na").await;
    assert!(c.elder_current().await.expect("current").is_none());
    assert_eq!(c.elder_get(s.id).await.expect("get").step, ElderStep::Ended);
}

#[sqlx::test(migrations = "./migrations")]
async fn a_timeout_is_warned_and_extended_by_the_customer_never_answered_for_them(
    pool: SqlitePool,
) {
    let k = counter(pool).await;
    let c = &k.console;
    let rules = c.elder_rules().await.expect("rules");
    let s = c.elder_start(start(66)).await.expect("start");
    c.elder_next(s.id).await.expect("questions");
    let screen = c.elder_screen().await.expect("s").expect("open");
    assert!(screen.warn_at < screen.deadline_at);
    later(
        &k,
        Duration::seconds(i64::from(rules.step_timeout_secs) + 1),
    );
    let late = c.elder_screen().await.expect("s").expect("open");
    assert!(late.time_up);
    assert!(!late.actions.contains(&CustomerAction::AnswerNo));
    assert!(late.actions.contains(&CustomerAction::MoreTime));
    let q = late.question.clone().expect("q");
    assert_eq!(
        conflict_code(
            c.elder_answer(ElderAnswerInput {
                question_id: q.id.clone(),
                yes: false,
            })
            .await
            .expect_err("time is up")
        ),
        "elder_time_up"
    );
    let more = c.elder_more_time().await.expect("more time");
    assert!(!more.time_up && more.actions.contains(&CustomerAction::AnswerNo));
    // The same question is still on screen: nothing changed while they were away.
    assert_eq!(more.question.expect("q").id, q.id);
    let before = k.voice.utterances().len();
    c.elder_repeat().await.expect("again");
    assert_eq!(k.voice.utterances().len(), before + 1);
}

#[sqlx::test(migrations = "./migrations")]
async fn a_stale_answer_and_a_second_open_session_are_refused(pool: SqlitePool) {
    let k = counter(pool).await;
    let c = &k.console;
    let s = c.elder_start(start(70)).await.expect("start");
    assert_eq!(
        conflict_code(c.elder_start(start(70)).await.expect_err("one open")),
        "elder_session_already_open"
    );
    c.elder_next(s.id).await.expect("questions");
    let first = c
        .elder_screen()
        .await
        .expect("s")
        .expect("o")
        .question
        .expect("q");
    answer(c, false).await;
    // A double press from the customer's window answers the first question again: refused.
    assert_eq!(
        conflict_code(
            c.elder_answer(ElderAnswerInput {
                question_id: first.id,
                yes: false,
            })
            .await
            .expect_err("stale")
        ),
        "elder_not_on_this_question"
    );
    c.elder_end(ElderEndInput {
        session_id: s.id,
        reason: "顾客想改天再来".into(),
    })
    .await
    .expect("end");
    // The customer still reads (and may hear again) how it ended, with the slogan; nothing
    // more to answer; ten minutes on the window is blank for the next customer.
    let ended = c.elder_screen().await.expect("s").expect("shown");
    assert_eq!(ended.step, ElderStep::Ended);
    assert_eq!(ended.actions, vec![CustomerAction::ReadAgain]);
    assert!(ended.lines.iter().any(|l| l.zh.contains("96110")));
    c.elder_repeat().await.expect("read again");
    later(&k, Duration::minutes(10) + Duration::seconds(1));
    assert!(c.elder_screen().await.expect("s").is_none());
}

#[sqlx::test(migrations = "./migrations")]
async fn a_supervisor_changes_the_elder_rules_within_bounds_audited(pool: SqlitePool) {
    let k = counter(pool).await;
    let c = &k.console;
    assert_eq!(c.elder_rules().await.expect("rules"), ElderRules::default());
    let new = ElderRules {
        threshold_age: 65,
        follow_up_days: vec![2, 7, 30],
        ..ElderRules::default()
    };
    assert!(matches!(
        c.elder_rules_set(new.clone()).await,
        Err(Error::Forbidden)
    ));
    sign_in(c, "chen").await;
    assert!(
        c.elder_rules_set(ElderRules {
            threshold_age: 20,
            ..ElderRules::default()
        })
        .await
        .is_err()
    );
    assert_eq!(c.elder_rules_set(new.clone()).await.expect("set"), new);
    assert_eq!(c.elder_rules().await.expect("rules").threshold_age, 65);
    let page = c.audit_search(elder_audit()).await.expect("audit");
    assert!(
        page.entries
            .iter()
            .any(|r| r.action == "elder.rules_updated")
    );
}

#[sqlx::test(migrations = "./migrations")]
async fn a_finished_setup_schedules_calls_in_the_branch_queue_and_a_fraud_concern_escalates(
    pool: SqlitePool,
) {
    use walletdesk_core::elder::{CallOutcome, CallOutcomeInput};
    let k = counter(pool).await;
    let c = &k.console;
    let s = c.elder_start(start(72)).await.expect("start");
    c.elder_next(s.id).await.expect("questions");
    for _ in 0..4 {
        answer(c, false).await;
    }
    c.elder_next(s.id).await.expect("practice");
    c.elder_next(s.id).await.expect("guide");
    // The guide prints from the guide step on: large print, audited.
    let guide = c.elder_guide(s.id).await.expect("guide");
    assert!(guide.bytes.starts_with(b"%PDF"));
    c.elder_next(s.id).await.expect("done");
    let queue = c.elder_follow_ups().await.expect("queue");
    assert!(queue.due_today.is_empty() && queue.overdue.is_empty());
    // Both calls are in the branch's queue from the day of the setup, as scheduled.
    let scheduled: Vec<_> = queue.upcoming.iter().map(|c| c.due_on).collect();
    assert_eq!(scheduled.len(), 2, "day 3 and day 14: {scheduled:?}");
    assert_eq!(scheduled[1] - scheduled[0], Duration::days(11));

    // Day 3: the first call is due today; day 15: the second is overdue by a day.
    later(&k, Duration::days(3));
    let queue = c.elder_follow_ups().await.expect("queue");
    assert_eq!(queue.due_today.len(), 1);
    assert_eq!(queue.due_today[0].customer_name, "王秀英");
    let first = queue.due_today[0].id;
    c.elder_follow_up_record(CallOutcomeInput {
        call_id: first,
        outcome: CallOutcome::Fine,
        note: String::new(),
    })
    .await
    .expect("fine");
    later(&k, Duration::days(12));
    let queue = c.elder_follow_ups().await.expect("queue");
    assert!(queue.due_today.is_empty());
    assert_eq!(queue.overdue.len(), 1);
    let call = c
        .elder_follow_up_record(CallOutcomeInput {
            call_id: queue.overdue[0].id,
            outcome: CallOutcome::FraudConcern,
            note: "有人打电话自称社保局要她转账".into(),
        })
        .await
        .expect("concern");
    assert_eq!(call.outcome, Some(CallOutcome::FraudConcern));
    assert!(
        c.elder_follow_ups()
            .await
            .expect("queue")
            .overdue
            .is_empty()
    );

    sign_in(c, "chen").await;
    let inbox = c.approvals_inbox().await.expect("inbox");
    assert!(
        inbox
            .iter()
            .any(|i| i.kind == ApprovalKind::ElderEscalation && i.reason.contains("社保局"))
    );
    let page = c.audit_search(elder_audit()).await.expect("audit");
    let actions: Vec<&str> = page.entries.iter().map(|r| r.action.as_str()).collect();
    for action in [
        "elder.guide_printed",
        "elder.follow_ups_scheduled",
        "elder.follow_up_recorded",
        "elder.escalated",
    ] {
        assert!(actions.contains(&action), "{action}");
    }
}
