//! The complaint desk through the console and a real store: each test names the DOMAIN.md
//! "Complaints" rule it checks. Dates are the bank's (Beijing) dates; the console's manual clock
//! sits at 10:00 Beijing time on the day a step happens.

use chrono::{NaiveDate, TimeZone, Utc};
use sqlx::SqlitePool;
use sqlx::sqlite::SqlitePoolOptions;
use std::sync::Arc;
use walletdesk_core::access::Role;
use walletdesk_core::clock::{Clock, ManualClock};
use walletdesk_core::complaints::ComplaintPolicy;
use walletdesk_core::complaints::clock::{ClockStatus, ClosureKind};
use walletdesk_core::complaints::console::{CalendarText, PeriodInput};
use walletdesk_core::complaints::decision::{
    CustomerOption, DecideInput, ReviewRequestInput, SuggestionInput, SurveyInput,
};
use walletdesk_core::complaints::intake::{
    Complainant, NewCategoryInput, NewComplaintInput, RepresentativeInput,
};
use walletdesk_core::complaints::letter::LetterRequest;
use walletdesk_core::complaints::queue::{QueueKind, QueueQuery};
use walletdesk_core::complaints::stats::{StatsDimension, StatsQuery};
use walletdesk_core::complaints::work::{
    AddRepresentativeInput, AssignInput, CaseTextInput, ComplaintDetail, ContactInput,
    ExtensionDecisionInput, InterestInput, MergeRepeatInput, WithdrawInput,
};
use walletdesk_core::complaints::{
    Channel, ComplaintStatus, ContactKind, ContactOutcome, ExtensionStatus, RootCause, Severity,
};
use walletdesk_core::console::{ConsoleConfig, SetupAdminInput, SignInInput};
use walletdesk_core::corelink::{CoreIdentity, CoreLink, LinkError};
use walletdesk_core::documents::LetterOutcome;
use walletdesk_core::domain::Money;
use walletdesk_core::staff::NewStaffInput;
use walletdesk_core::store::Store;
use walletdesk_core::{Code, Console, Error};

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

const PW: &str = "desk-pass-2026-x";

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
}

/// The console, its clock, and the staff ids by username.
struct Desk {
    c: Console,
    clock: ManualClock,
    pool: SqlitePool,
    ids: std::collections::HashMap<&'static str, i64>,
}

impl Desk {
    async fn new(pool: SqlitePool, today: NaiveDate) -> Desk {
        let clock = ManualClock::new(ten_am(today));
        // One connection, as the app's store has for writes: a refused step's rolled-back
        // transaction and the refusal's audit record then run in order on the single writer,
        // as in production, instead of racing for SQLite's write lock on two connections.
        let single = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with((*pool.connect_options()).clone())
            .await
            .expect("single-writer pool");
        let c = Console::new(
            Store::from_pool(single),
            Arc::new(clock.clone()),
            Arc::new(UnpluggedCore),
            ConsoleConfig {
                training_mode: false,
                // Tests jump days ahead; the idle lock is tested elsewhere.
                idle_lock_override: Some(u32::MAX),
                version: "test".into(),
            },
        );
        c.setup_admin(SetupAdminInput {
            username: "admin".into(),
            display_name: "管理员".into(),
            password: PW.into(),
        })
        .await
        .expect("setup");
        c.sign_in(sign_in("admin")).await.expect("admin in");
        let mut ids = std::collections::HashMap::new();
        for (username, role) in [
            ("zhang", Role::Complaints),
            ("wang", Role::Complaints),
            ("chen", Role::Supervisor),
            ("liu", Role::Supervisor),
            ("li.na", Role::Teller),
        ] {
            let s = c
                .staff_create(NewStaffInput {
                    username: username.into(),
                    display_name: username.into(),
                    role,
                    password: PW.into(),
                })
                .await
                .expect("create staff");
            ids.insert(username, s.staff_id);
        }
        c.sign_out().await.expect("out");
        Desk {
            c,
            clock,
            pool,
            ids,
        }
    }

    async fn as_(&self, username: &str) {
        self.c.sign_out().await.expect("out");
        self.c.sign_in(sign_in(username)).await.expect("sign in");
    }

    fn id(&self, username: &str) -> i64 {
        self.ids[username]
    }

    /// Moves the clock to 10:00 Beijing time on `date`.
    fn on(&self, date: NaiveDate) {
        let target = ten_am(date);
        self.clock.advance(target - self.clock.now());
    }

    async fn register(&self, received_on: NaiveDate) -> ComplaintDetail {
        self.c
            .complaint_register(new_complaint(received_on))
            .await
            .expect("register")
    }

    async fn actions(&self) -> Vec<(String, String)> {
        sqlx::query_as("SELECT action, outcome FROM audit_log ORDER BY id")
            .fetch_all(&self.pool)
            .await
            .expect("audit rows")
    }
}

fn ten_am(date: NaiveDate) -> chrono::DateTime<Utc> {
    Utc.from_utc_datetime(&date.and_hms_opt(2, 0, 0).expect("valid time"))
}

fn sign_in(username: &str) -> SignInInput {
    SignInInput {
        username: username.into(),
        password: PW.into(),
    }
}

fn new_complaint(received_on: NaiveDate) -> NewComplaintInput {
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
        team: "desk-a".into(),
        representatives: Vec::new(),
        interested_staff_ids: Vec::new(),
        linked_id: None,
    }
}

fn text(case_id: i64, text: &str) -> CaseTextInput {
    CaseTextInput {
        case_id,
        text: text.into(),
    }
}

fn decide_input(case_id: i64) -> DecideInput {
    DecideInput {
        case_id,
        findings: "The payment was duplicated by a retry.".into(),
        reasons: "The retry did not check the first result.".into(),
        remedy: Some("Refund the duplicate.".into()),
        compensation: Some(Money::parse("12.50").expect("money")),
        root_cause: RootCause::System,
        source_fix: "Retries now carry an idempotency key.".into(),
    }
}

fn code<T: std::fmt::Debug>(r: Result<T, Error>) -> Code {
    r.expect_err("should be refused").code()
}

fn queue(kind: QueueKind) -> QueueQuery {
    QueueQuery {
        queue: kind,
        team: None,
        status: None,
        channel: None,
        category_id: None,
        after: None,
        limit: 0,
    }
}

// ---- counting -----------------------------------------------------------------------------

/// Counting (Civil Code arts. 201, 203): receipt on the day before National Day (2026-09-30).
/// The receipt day is not counted, holiday days inside the period count, and day 15
/// (2026-10-15) is a working day, so that is the due date.
#[sqlx::test]
async fn counting_receipt_on_the_day_before_a_holiday(pool: SqlitePool) {
    let desk = Desk::new(pool, d(2026, 9, 30)).await;
    desk.as_("zhang").await;
    let case = desk.register(d(2026, 9, 30)).await;
    assert_eq!(case.due_on, d(2026, 10, 15));
    assert_eq!(case.clock, ClockStatus::OnTrack { days_left: 15 });
    assert!(case.case_no.starts_with("TS-2026-"), "{}", case.case_no);
    // Counting: a 15th day inside the holiday moves to the first working day after it.
    let earlier = desk.register(d(2026, 9, 16)).await;
    assert_eq!(earlier.due_on, d(2026, 10, 8));
    assert_ne!(earlier.case_no, case.case_no);
}

#[sqlx::test]
async fn intake_validates_and_audits(pool: SqlitePool) {
    let desk = Desk::new(pool, d(2026, 3, 2)).await;
    desk.as_("zhang").await;
    let mut future = new_complaint(d(2026, 3, 3));
    future.received_on = Some(d(2026, 3, 3));
    assert_eq!(
        code(desk.c.complaint_register(future).await),
        Code::InvalidInput
    );
    let mut blank = new_complaint(d(2026, 3, 2));
    blank.what_happened = "   ".into();
    assert_eq!(
        code(desk.c.complaint_register(blank).await),
        Code::InvalidInput
    );
    let mut prospect = new_complaint(d(2026, 3, 2));
    prospect.complainant = Complainant::NotACustomer {
        name: "周先生".into(),
        contact: "13800138000".into(),
    };
    prospect.category_id = 999;
    assert_eq!(
        code(desk.c.complaint_register(prospect.clone()).await),
        Code::InvalidInput
    );
    prospect.category_id = 10;
    let case = desk
        .c
        .complaint_register(prospect)
        .await
        .expect("not-yet-a-customer");
    assert_eq!(
        case.complainant,
        Complainant::NotACustomer {
            name: "周先生".into(),
            contact: "13800138000".into()
        }
    );
    assert_eq!(case.status, ComplaintStatus::Open);
    assert!(
        desk.actions()
            .await
            .contains(&("complaint.registered".into(), "ok".into()))
    );
}

// ---- extensions ---------------------------------------------------------------------------

/// Complex: extend to 30 days; particularly complex: a further 30 (max 60) with approval
/// from the level above, and the customer is told (notification recorded).
#[sqlx::test]
async fn extension_chain_complex_then_approved_particularly_complex(pool: SqlitePool) {
    let desk = Desk::new(pool.clone(), d(2026, 3, 10)).await;
    desk.as_("zhang").await;
    let case = desk.register(d(2026, 3, 2)).await;
    assert_eq!(case.due_on, d(2026, 3, 17));
    let complex = desk
        .c
        .complaint_extend_complex(text(case.id, "needs branch records"))
        .await
        .expect("complex");
    assert_eq!((complex.limit_days, complex.due_on), (30, d(2026, 4, 1)));
    assert_eq!(complex.extensions[0].status, ExtensionStatus::Applied);
    let requested = desk
        .c
        .complaint_request_extension(text(case.id, "three parties involved"))
        .await
        .expect("request");
    let ext = requested.extensions[1].clone();
    assert_eq!(ext.status, ExtensionStatus::Pending);
    assert_eq!(requested.limit_days, 30, "nothing changes before approval");

    desk.as_("chen").await;
    let waiting = desk
        .c
        .complaint_pending_extensions()
        .await
        .expect("pending list");
    assert_eq!(
        waiting
            .iter()
            .map(|w| (w.extension_id, w.case_no.as_str()))
            .collect::<Vec<_>>(),
        vec![(ext.id, case.case_no.as_str())]
    );
    let approved = desk
        .c
        .complaint_decide_extension(ExtensionDecisionInput {
            extension_id: ext.id,
            approve: true,
            note: None,
        })
        .await
        .expect("approve");
    assert_eq!(approved.limit_days, 60);
    // Day 60 is Friday 2026-05-01, Labour Day: moves past the block to Wednesday 05-06.
    assert_eq!(approved.due_on, d(2026, 5, 6));
    assert_eq!(approved.extensions[1].decided_by, Some(desk.id("chen")));
    assert_eq!(
        approved.events.last().and_then(|e| e.approved_by.clone()),
        Some("chen".into())
    );

    desk.as_("zhang").await;
    let told = desk
        .c
        .complaint_extension_notified(ext.id)
        .await
        .expect("customer told");
    assert!(told.extensions[1].customer_notified_at.is_some());
    let log = desk.actions().await;
    for action in [
        "complaint.extended_complex",
        "complaint.extension_requested",
        "complaint.extension_approved",
        "complaint.extension_notified",
    ] {
        assert!(log.contains(&(action.into(), "ok".into())), "{action}");
    }
}

/// Particularly complex needs approval from the level above: a handler cannot approve, the
/// request needs the complex extension first, and a refusal needs a reason.
#[sqlx::test]
async fn extension_refused_without_supervisor_approval(pool: SqlitePool) {
    let desk = Desk::new(pool, d(2026, 3, 10)).await;
    desk.as_("zhang").await;
    let case = desk.register(d(2026, 3, 2)).await;
    // Not yet complex: the further period cannot be asked for.
    assert_eq!(
        code(
            desk.c
                .complaint_request_extension(text(case.id, "too early"))
                .await
        ),
        Code::Conflict
    );
    desk.c
        .complaint_extend_complex(text(case.id, "records"))
        .await
        .expect("complex");
    let ext = desk
        .c
        .complaint_request_extension(text(case.id, "more parties"))
        .await
        .expect("request")
        .extensions[1]
        .id;
    // A second pending request is refused.
    assert_eq!(
        code(
            desk.c
                .complaint_request_extension(text(case.id, "again"))
                .await
        ),
        Code::Conflict
    );
    // A handler is not the level above.
    desk.as_("wang").await;
    assert_eq!(
        code(desk.c.complaint_pending_extensions().await),
        Code::Forbidden
    );
    let no = desk
        .c
        .complaint_decide_extension(ExtensionDecisionInput {
            extension_id: ext,
            approve: true,
            note: None,
        })
        .await;
    assert_eq!(code(no), Code::Forbidden);
    desk.as_("chen").await;
    let no_reason = desk
        .c
        .complaint_decide_extension(ExtensionDecisionInput {
            extension_id: ext,
            approve: false,
            note: Some(" ".into()),
        })
        .await;
    assert_eq!(code(no_reason), Code::InvalidInput);
    let refused = desk
        .c
        .complaint_decide_extension(ExtensionDecisionInput {
            extension_id: ext,
            approve: false,
            note: Some("records suffice".into()),
        })
        .await
        .expect("refuse");
    assert_eq!(refused.limit_days, 30);
    assert_eq!(refused.extensions[1].status, ExtensionStatus::Refused);
    // Decided once: a later approval is refused.
    let again = desk
        .c
        .complaint_decide_extension(ExtensionDecisionInput {
            extension_id: ext,
            approve: true,
            note: None,
        })
        .await;
    assert_eq!(code(again), Code::Conflict);
    // A refused extension cannot be notified as in force.
    desk.as_("zhang").await;
    assert_eq!(
        code(desk.c.complaint_extension_notified(ext).await),
        Code::Conflict
    );
}

/// Approval comes from the level above, so never from the person who asked: a supervisor
/// working a case cannot approve their own request; another supervisor can.
#[sqlx::test]
async fn extension_refused_when_the_requester_approves(pool: SqlitePool) {
    let desk = Desk::new(pool.clone(), d(2026, 3, 10)).await;
    desk.as_("chen").await;
    let case = desk.register(d(2026, 3, 2)).await;
    desk.c
        .complaint_extend_complex(text(case.id, "records"))
        .await
        .expect("complex");
    let ext = desk
        .c
        .complaint_request_extension(text(case.id, "more parties"))
        .await
        .expect("request")
        .extensions[1]
        .id;
    let own = desk
        .c
        .complaint_decide_extension(ExtensionDecisionInput {
            extension_id: ext,
            approve: true,
            note: None,
        })
        .await;
    assert_eq!(code(own), Code::Conflict);
    assert!(
        desk.actions()
            .await
            .contains(&("complaint.extension_approved".into(), "refused".into())),
        "the self-approval attempt is audited"
    );
    desk.as_("liu").await;
    let ok = desk
        .c
        .complaint_decide_extension(ExtensionDecisionInput {
            extension_id: ext,
            approve: true,
            note: None,
        })
        .await
        .expect("other supervisor approves");
    assert_eq!(ok.limit_days, 60);
}

/// Max 60 days: once particularly complex, no further extension can be asked for, and the
/// complex extension applies only once.
#[sqlx::test]
async fn extension_beyond_60_days_refused(pool: SqlitePool) {
    let desk = Desk::new(pool, d(2026, 3, 10)).await;
    desk.as_("zhang").await;
    let case = desk.register(d(2026, 3, 2)).await;
    desk.c
        .complaint_extend_complex(text(case.id, "records"))
        .await
        .expect("complex");
    assert_eq!(
        code(
            desk.c
                .complaint_extend_complex(text(case.id, "again"))
                .await
        ),
        Code::Conflict
    );
    let ext = desk
        .c
        .complaint_request_extension(text(case.id, "parties"))
        .await
        .expect("request")
        .extensions[1]
        .id;
    desk.as_("chen").await;
    desk.c
        .complaint_decide_extension(ExtensionDecisionInput {
            extension_id: ext,
            approve: true,
            note: None,
        })
        .await
        .expect("approve");
    desk.as_("zhang").await;
    let beyond = desk
        .c
        .complaint_request_extension(text(case.id, "still more"))
        .await;
    assert_eq!(code(beyond), Code::Conflict);
    assert_eq!(
        code(desk.c.complaint_extend_complex(text(case.id, " ")).await),
        Code::InvalidInput,
        "an extension needs a reason"
    );
}

// ---- pause, repeats, withdrawal -----------------------------------------------------------

/// Time on outside appraisal or testing does not count: paused 2026-03-05 to 03-12 (7 days),
/// the due date moves from 03-17 to 03-24. While paused, the case leaves the overdue queue.
#[sqlx::test]
async fn pause_for_appraisal_and_resume(pool: SqlitePool) {
    let desk = Desk::new(pool, d(2026, 3, 5)).await;
    desk.as_("zhang").await;
    let case = desk.register(d(2026, 3, 2)).await;
    let paused = desk
        .c
        .complaint_pause(text(case.id, "signature sent to the forensic lab"))
        .await
        .expect("pause");
    assert_eq!(paused.status, ComplaintStatus::Paused);
    assert_eq!(
        paused.clock,
        ClockStatus::Paused {
            since: d(2026, 3, 5)
        }
    );
    assert_eq!(
        code(desk.c.complaint_pause(text(case.id, "twice")).await),
        Code::Conflict
    );
    desk.on(d(2026, 3, 20));
    let overdue = desk
        .c
        .complaint_queue(queue(QueueKind::Overdue))
        .await
        .expect("queue");
    assert!(overdue.rows.is_empty(), "a paused case is not overdue");
    desk.on(d(2026, 3, 12));
    let resumed = desk.c.complaint_resume(case.id).await.expect("resume");
    assert_eq!(resumed.status, ComplaintStatus::Open);
    assert_eq!(resumed.paused_days, 7);
    assert_eq!(resumed.due_on, d(2026, 3, 24));
    assert_eq!(
        code(desk.c.complaint_resume(case.id).await),
        Code::Conflict,
        "not paused"
    );
}

/// A repeat with no new facts is merged into the first (the first keeps its deadline, the
/// repeat leaves the queues); new facts restart the clock from the day they arrive.
#[sqlx::test]
async fn repeat_merged_without_new_facts_vs_restart_with_new_facts(pool: SqlitePool) {
    let desk = Desk::new(pool, d(2026, 3, 16)).await;
    desk.as_("zhang").await;
    let first = desk.register(d(2026, 3, 2)).await;
    let repeat = desk.register(d(2026, 3, 16)).await;
    let merged = desk
        .c
        .complaint_merge_repeat(MergeRepeatInput {
            repeat_id: repeat.id,
            into_id: first.id,
        })
        .await
        .expect("merge");
    assert_eq!(merged.id, first.id);
    assert_eq!(merged.due_on, d(2026, 3, 17), "the first clock is kept");
    assert!(merged.events.iter().any(|e| e.kind == "merge_repeat"));
    let gone = desk
        .c
        .complaint_get(repeat.id)
        .await
        .expect("repeat still readable");
    assert_eq!(gone.status, ComplaintStatus::Merged);
    assert_eq!(gone.merged_into_id, Some(first.id));
    let open = desk
        .c
        .complaint_queue(queue(QueueKind::Unassigned))
        .await
        .expect("queue");
    assert_eq!(
        open.rows.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![first.id]
    );
    assert_eq!(
        code(
            desk.c
                .complaint_merge_repeat(MergeRepeatInput {
                    repeat_id: first.id,
                    into_id: first.id,
                })
                .await
        ),
        Code::Conflict
    );

    let other = desk.register(d(2026, 3, 2)).await;
    let restarted = desk
        .c
        .complaint_new_facts(text(other.id, "a second duplicate payment on 03-14"))
        .await
        .expect("restart");
    assert_eq!(restarted.due_on, d(2026, 3, 31));
    assert_eq!(restarted.received_on, d(2026, 3, 2));
    assert_eq!(restarted.notes.len(), 1, "the new facts are kept");
}

/// Withdrawn: closed the day the withdrawal arrives; nothing further happens on the clock.
#[sqlx::test]
async fn withdrawal_closes_the_day_it_arrives(pool: SqlitePool) {
    let desk = Desk::new(pool, d(2026, 3, 6)).await;
    desk.as_("zhang").await;
    let case = desk.register(d(2026, 3, 2)).await;
    let withdrawn = desk
        .c
        .complaint_withdraw(WithdrawInput {
            case_id: case.id,
            arrived_on: Some(d(2026, 3, 4)),
            note: Some("letter dated 03-03".into()),
        })
        .await
        .expect("withdraw");
    assert_eq!(withdrawn.status, ComplaintStatus::Withdrawn);
    assert_eq!(withdrawn.closed_on, Some(d(2026, 3, 4)));
    assert_eq!(
        withdrawn.clock,
        ClockStatus::Closed {
            on: d(2026, 3, 4),
            kind: ClosureKind::Withdrawn,
            on_time: true
        }
    );
    assert_eq!(
        code(desk.c.complaint_decide(decide_input(case.id)).await),
        Code::Conflict
    );
    let future = desk
        .c
        .complaint_withdraw(WithdrawInput {
            case_id: case.id,
            arrived_on: Some(d(2026, 3, 7)),
            note: None,
        })
        .await;
    assert_eq!(code(future), Code::InvalidInput);
}

// ---- decision and review ------------------------------------------------------------------

/// Root cause: each decided complaint records findings, reasons, its cause and the fix at the
/// source; the letter offers review, mediation, arbitration and court.
#[sqlx::test]
async fn decision_needs_findings_reasons_and_root_cause(pool: SqlitePool) {
    let desk = Desk::new(pool, d(2026, 3, 16)).await;
    desk.as_("zhang").await;
    let case = desk.register(d(2026, 3, 2)).await;
    let mut missing = decide_input(case.id);
    missing.source_fix = "".into();
    assert_eq!(
        code(desk.c.complaint_decide(missing).await),
        Code::InvalidInput
    );
    let mut negative = decide_input(case.id);
    negative.compensation = Some(Money::parse("-1").expect("money"));
    assert_eq!(
        code(desk.c.complaint_decide(negative).await),
        Code::InvalidInput
    );
    let decided = desk
        .c
        .complaint_decide(decide_input(case.id))
        .await
        .expect("decide");
    assert_eq!(decided.status, ComplaintStatus::Decided);
    assert_eq!(decided.on_time, Some(true));
    let decision = decided.decision.expect("decision");
    assert_eq!(decision.root_cause, RootCause::System);
    assert_eq!(
        decision.compensation.map(|m| m.to_string()),
        Some("12.50".into())
    );
    assert_eq!(
        decision.options,
        vec![
            CustomerOption::Review,
            CustomerOption::Mediation,
            CustomerOption::Arbitration,
            CustomerOption::Court
        ]
    );
    // Review: 30 days from the decision on 2026-03-16 → Wednesday 2026-04-15.
    assert_eq!(decided.review_window_end, Some(d(2026, 4, 15)));

    // The decision letter (DOMAIN.md: findings, reasons, and the customer's options) is a
    // PDF, and printing it is audited.
    let letter = desk
        .c
        .complaint_letter(LetterRequest {
            case_id: case.id,
            outcome: LetterOutcome::PartlyUpheld,
        })
        .await
        .expect("letter");
    assert!(letter.bytes.starts_with(b"%PDF-"));
    assert!(letter.file_name.ends_with("答复函.pdf"));
    assert_eq!(letter.content_type, "application/pdf");
    let printed: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'complaint.letter_printed'",
    )
    .fetch_one(&desk.pool)
    .await
    .expect("audit");
    assert_eq!(printed, 1);
}

/// Review inside the window: the customer asks in writing on day 30 (2026-04-15); a linked
/// review case opens for the level above, due 30 days after the request (2026-05-15). Only a
/// supervisor decides it, and whoever decided the original is recused from it.
#[sqlx::test]
async fn review_requested_inside_30_days_opens_linked_case(pool: SqlitePool) {
    let desk = Desk::new(pool, d(2026, 3, 16)).await;
    desk.as_("zhang").await;
    let case = desk.register(d(2026, 3, 2)).await;
    desk.c
        .complaint_decide(decide_input(case.id))
        .await
        .expect("decide");
    desk.on(d(2026, 4, 20));
    let review = desk
        .c
        .complaint_request_review(ReviewRequestInput {
            case_id: case.id,
            requested_on: Some(d(2026, 4, 15)),
            grounds: "The refund was short by 2 yuan.".into(),
            team: "review".into(),
        })
        .await
        .expect("review");
    assert_eq!(review.review_of_id, Some(case.id));
    assert_eq!(review.received_on, d(2026, 4, 15));
    assert_eq!(review.due_on, d(2026, 5, 15));
    assert!(
        review
            .interested_parties
            .iter()
            .any(|p| p.staff_id == desk.id("zhang"))
    );
    let original = desk.c.complaint_get(case.id).await.expect("original");
    assert_eq!(original.review_case_id, Some(review.id));
    assert_eq!(
        code(
            desk.c
                .complaint_request_review(ReviewRequestInput {
                    case_id: case.id,
                    requested_on: None,
                    grounds: "again".into(),
                    team: "review".into(),
                })
                .await
        ),
        Code::Conflict,
        "one review per decision"
    );
    // The handler who decided the original may not even open the review (recusal) ...
    assert_eq!(code(desk.c.complaint_get(review.id).await), Code::Conflict);
    // ... and another handler is not the level above.
    desk.as_("wang").await;
    assert_eq!(
        code(desk.c.complaint_decide(decide_input(review.id)).await),
        Code::Forbidden
    );
    desk.as_("chen").await;
    let decided = desk
        .c
        .complaint_decide(decide_input(review.id))
        .await
        .expect("supervisor decides the review");
    let options = decided.decision.expect("decision").options;
    assert!(
        !options.contains(&CustomerOption::Review),
        "no review of a review"
    );
}

/// Review outside the window: a request on day 31 (2026-04-16) is refused; a withdrawn
/// complaint has no decision to review.
#[sqlx::test]
async fn review_requested_after_30_days_refused(pool: SqlitePool) {
    let desk = Desk::new(pool, d(2026, 3, 16)).await;
    desk.as_("zhang").await;
    let case = desk.register(d(2026, 3, 2)).await;
    desk.c
        .complaint_decide(decide_input(case.id))
        .await
        .expect("decide");
    let withdrawn = desk.register(d(2026, 3, 10)).await;
    desk.c
        .complaint_withdraw(WithdrawInput {
            case_id: withdrawn.id,
            arrived_on: None,
            note: None,
        })
        .await
        .expect("withdraw");
    desk.on(d(2026, 4, 16));
    let late = desk
        .c
        .complaint_request_review(ReviewRequestInput {
            case_id: case.id,
            requested_on: None,
            grounds: "late".into(),
            team: "review".into(),
        })
        .await;
    assert_eq!(code(late), Code::Conflict);
    let nothing = desk
        .c
        .complaint_request_review(ReviewRequestInput {
            case_id: withdrawn.id,
            requested_on: None,
            grounds: "no decision".into(),
            team: "review".into(),
        })
        .await;
    assert_eq!(code(nothing), Code::Conflict);
    assert!(
        desk.actions()
            .await
            .contains(&("complaint.review_refused".into(), "refused".into()))
    );
}

// ---- recusal, group, permissions ----------------------------------------------------------

/// Recusal: a complaint is never handled by anyone with a direct interest; the assignment
/// refuses such a handler, and declaring an interest takes the case off its holder.
#[sqlx::test]
async fn recusal_assignment_refuses_an_interested_handler(pool: SqlitePool) {
    let desk = Desk::new(pool, d(2026, 3, 2)).await;
    desk.as_("chen").await;
    let mut input = new_complaint(d(2026, 3, 2));
    input.interested_staff_ids = vec![desk.id("wang")];
    let case = desk.c.complaint_register(input).await.expect("register");
    let refused = desk
        .c
        .complaint_assign(AssignInput {
            case_id: case.id,
            assignee_id: Some(desk.id("wang")),
            team: None,
        })
        .await;
    assert_eq!(code(refused), Code::Conflict);
    let refusal: (String, String) = sqlx::query_as(
        "SELECT subject_id, detail FROM audit_log \
         WHERE action = 'complaint.assigned' AND outcome = 'refused'",
    )
    .fetch_one(&desk.pool)
    .await
    .expect("the refused assignment is audited");
    assert_eq!(refusal.0, case.case_no);
    assert!(refusal.1.contains("direct interest"), "{}", refusal.1);
    // A teller cannot handle complaints at all.
    assert_eq!(
        code(
            desk.c
                .complaint_assign(AssignInput {
                    case_id: case.id,
                    assignee_id: Some(desk.id("li.na")),
                    team: None,
                })
                .await
        ),
        Code::Conflict
    );
    let assigned = desk
        .c
        .complaint_assign(AssignInput {
            case_id: case.id,
            assignee_id: Some(desk.id("zhang")),
            team: Some("desk-b".into()),
        })
        .await
        .expect("assign");
    assert_eq!(assigned.assignee_id, Some(desk.id("zhang")));
    assert_eq!(assigned.team, "desk-b");
    // The interested handler cannot work on it either.
    desk.as_("wang").await;
    assert_eq!(
        code(desk.c.complaint_add_note(text(case.id, "hi")).await),
        Code::Conflict
    );
    desk.as_("chen").await;
    let declared = desk
        .c
        .complaint_declare_interest(InterestInput {
            case_id: case.id,
            staff_id: desk.id("zhang"),
            reason: "served the customer that day".into(),
        })
        .await
        .expect("declare");
    assert_eq!(declared.assignee_id, None);
    assert_eq!(declared.interested_parties.len(), 2);
}

/// A group complaining in person sends at most 5 representatives: 6 are refused at intake
/// and a 6th cannot be added later.
#[sqlx::test]
async fn group_of_six_representatives_refused(pool: SqlitePool) {
    let desk = Desk::new(pool, d(2026, 3, 2)).await;
    desk.as_("zhang").await;
    let reps = |n: usize| {
        (1..=n)
            .map(|i| RepresentativeInput {
                name: format!("代表{i}"),
                contact: format!("1380013800{i}"),
            })
            .collect::<Vec<_>>()
    };
    let mut six = new_complaint(d(2026, 3, 2));
    six.representatives = reps(6);
    assert_eq!(code(desk.c.complaint_register(six).await), Code::Conflict);
    let mut five = new_complaint(d(2026, 3, 2));
    five.representatives = reps(5);
    let case = desk.c.complaint_register(five).await.expect("five");
    assert_eq!(case.representatives.len(), 5);
    let sixth = desk
        .c
        .complaint_add_representative(AddRepresentativeInput {
            case_id: case.id,
            name: "代表6".into(),
            contact: "13800138006".into(),
        })
        .await;
    assert_eq!(code(sixth), Code::Conflict);
}

/// Permissions: handlers work cases; supervisors approve extensions, manage the desk and see
/// statistics; tellers see none of it. Refusals are audited.
#[sqlx::test]
async fn permission_refusals(pool: SqlitePool) {
    let desk = Desk::new(pool, d(2026, 3, 2)).await;
    desk.as_("li.na").await;
    assert_eq!(
        code(desk.c.complaint_queue(queue(QueueKind::Mine)).await),
        Code::Forbidden
    );
    // A teller logs a complaint at the counter, but opening the case is the handlers' work.
    let logged = desk
        .c
        .complaint_register(new_complaint(d(2026, 3, 2)))
        .await
        .expect("a teller logs a complaint at the counter");
    assert_eq!(code(desk.c.complaint_get(logged.id).await), Code::Forbidden);
    desk.as_("zhang").await;
    let period = StatsQuery {
        from: d(2026, 1, 1),
        to: d(2026, 12, 31),
        by: StatsDimension::Channel,
    };
    assert_eq!(
        code(desk.c.complaint_stats(period.clone()).await),
        Code::Forbidden
    );
    assert_eq!(
        code(desk.c.complaint_stats_csv(period).await),
        Code::Forbidden
    );
    assert_eq!(
        code(
            desk.c
                .complaint_category_create(NewCategoryInput {
                    parent_id: Some(1),
                    code: "wallet.refund".into(),
                    name: "退款".into(),
                })
                .await
        ),
        Code::Forbidden
    );
    assert_eq!(
        code(desk.c.complaint_grant_reward(1).await),
        Code::Forbidden
    );
    desk.c.sign_out().await.expect("out");
    assert_eq!(
        code(desk.c.complaint_queue(queue(QueueKind::Mine)).await),
        Code::NotSignedIn
    );
    let refusals = desk
        .actions()
        .await
        .into_iter()
        .filter(|(a, o)| a == "permission.refused" && o == "refused")
        .count();
    assert_eq!(refusals, 6);
    desk.as_("chen").await;
    let category = desk
        .c
        .complaint_category_create(NewCategoryInput {
            parent_id: Some(1),
            code: "wallet.refund".into(),
            name: "退款".into(),
        })
        .await
        .expect("supervisor manages categories");
    assert!(
        desk.c
            .complaint_categories()
            .await
            .expect("list")
            .contains(&category)
    );
}

// ---- queues -------------------------------------------------------------------------------

/// Queues sort by due date with keyset paging on (due_on, id); rows show the clock's days
/// left or days overdue; filters by channel and category (including sub-categories).
#[sqlx::test]
async fn queues_sorted_by_due_date_keyset_paged_and_filtered(pool: SqlitePool) {
    let desk = Desk::new(pool, d(2026, 3, 20)).await;
    desk.as_("zhang").await;
    // Due dates: 03-02 → 03-17 (overdue 3), 03-05 → 03-20 (today), 03-06 → 03-23 (due soon,
    // 3 left), 03-10 → 03-25 (5 left), 03-20 → 04-07 (18 left).
    let mut ids = Vec::new();
    for (received, channel, category) in [
        (d(2026, 3, 10), Channel::Phone, 6),
        (d(2026, 3, 2), Channel::Counter, 2),
        (d(2026, 3, 20), Channel::Online, 3),
        (d(2026, 3, 6), Channel::Counter, 2),
        (d(2026, 3, 5), Channel::Letter, 10),
    ] {
        let mut input = new_complaint(received);
        input.channel = channel;
        input.category_id = category;
        ids.push(desk.c.complaint_register(input).await.expect("register").id);
    }
    let overdue = desk
        .c
        .complaint_queue(queue(QueueKind::Overdue))
        .await
        .expect("overdue");
    assert_eq!(overdue.rows.len(), 1);
    assert_eq!(overdue.rows[0].id, ids[1]);
    assert_eq!(overdue.rows[0].clock, ClockStatus::Overdue { days_over: 3 });

    let soon = desk
        .c
        .complaint_queue(queue(QueueKind::DueSoon))
        .await
        .expect("due soon");
    assert_eq!(
        soon.rows.iter().map(|r| r.clock).collect::<Vec<_>>(),
        vec![ClockStatus::DueToday, ClockStatus::DueSoon { days_left: 3 }]
    );

    // All five unassigned, two a page, in due order.
    let mut q = queue(QueueKind::Unassigned);
    q.limit = 2;
    let mut seen = Vec::new();
    loop {
        let page = desk.c.complaint_queue(q.clone()).await.expect("page");
        seen.extend(page.rows.iter().map(|r| (r.due_on, r.id)));
        match page.next {
            Some(next) => q.after = Some(next),
            None => break,
        }
    }
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!(seen, sorted);
    assert_eq!(seen.len(), 5);

    // Team queue filtered by the "wallet" category includes its sub-categories 2 and 3.
    let mut team = queue(QueueKind::Team);
    team.team = Some("desk-a".into());
    team.category_id = Some(1);
    let wallet = desk.c.complaint_queue(team.clone()).await.expect("team");
    assert_eq!(
        wallet.rows.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![ids[1], ids[3], ids[2]]
    );
    team.channel = Some(Channel::Counter);
    assert_eq!(
        desk.c
            .complaint_queue(team.clone())
            .await
            .expect("team")
            .rows
            .len(),
        2
    );
    team.team = None;
    assert_eq!(
        code(desk.c.complaint_queue(team).await),
        Code::InvalidInput,
        "the team queue needs a team"
    );

    desk.c
        .complaint_assign(AssignInput {
            case_id: ids[0],
            assignee_id: Some(desk.id("zhang")),
            team: None,
        })
        .await
        .expect("assign");
    let mine = desk
        .c
        .complaint_queue(queue(QueueKind::Mine))
        .await
        .expect("mine");
    assert_eq!(mine.rows.len(), 1);
    assert_eq!(mine.rows[0].clock, ClockStatus::OnTrack { days_left: 5 });
    let mut paused = queue(QueueKind::Team);
    paused.team = Some("desk-a".into());
    paused.status = Some(ComplaintStatus::Paused);
    assert!(
        desk.c
            .complaint_queue(paused)
            .await
            .expect("q")
            .rows
            .is_empty()
    );
}

// ---- contact log, survey, suggestions -----------------------------------------------------

#[sqlx::test]
async fn contact_log_survey_once_after_closing_and_suggestion_rewards(pool: SqlitePool) {
    let desk = Desk::new(pool, d(2026, 3, 10)).await;
    desk.as_("zhang").await;
    let case = desk.register(d(2026, 3, 2)).await;
    let logged = desk
        .c
        .complaint_log_contact(ContactInput {
            case_id: case.id,
            kind: ContactKind::Call,
            outcome: ContactOutcome::NoAnswer,
            summary: "rang at 10:05".into(),
        })
        .await
        .expect("contact");
    assert_eq!(logged.contacts.len(), 1);
    let survey = SurveyInput {
        case_id: case.id,
        score: 4,
        comment: "quick".into(),
    };
    assert_eq!(
        code(desk.c.complaint_record_survey(survey.clone()).await),
        Code::Conflict,
        "not before the case is closed"
    );
    desk.c
        .complaint_decide(decide_input(case.id))
        .await
        .expect("decide");
    let surveyed = desk
        .c
        .complaint_record_survey(survey.clone())
        .await
        .expect("survey");
    assert_eq!(surveyed.survey.map(|s| s.score), Some(4));
    assert_eq!(
        code(desk.c.complaint_record_survey(survey).await),
        Code::Conflict,
        "only once"
    );
    assert_eq!(
        code(
            desk.c
                .complaint_record_survey(SurveyInput {
                    case_id: case.id,
                    score: 6,
                    comment: String::new(),
                })
                .await
        ),
        Code::InvalidInput
    );

    let idea = desk
        .c
        .complaint_suggest(SuggestionInput {
            case_id: Some(case.id),
            idea: "Show the retry status on the receipt.".into(),
            suggested_by: "customer C0001".into(),
        })
        .await
        .expect("suggest");
    desk.as_("chen").await;
    desk.c.complaint_grant_reward(idea).await.expect("reward");
    assert_eq!(
        code(desk.c.complaint_grant_reward(idea).await),
        Code::Conflict
    );
    let list = desk.c.complaint_suggestions().await.expect("list");
    assert!(list[0].reward_granted);
}

// ---- statistics ---------------------------------------------------------------------------

/// Statistics by category, channel, product and cause (root cause shows repeated causes), the
/// on-time rate as a decimal string, a CSV export and the regulator report; exports audited.
#[sqlx::test]
async fn statistics_on_time_rate_csv_and_regulator_report(pool: SqlitePool) {
    let desk = Desk::new(pool.clone(), d(2026, 3, 16)).await;
    desk.as_("zhang").await;
    let on_time = desk.register(d(2026, 3, 2)).await;
    let late = desk.register(d(2026, 3, 1)).await; // due 03-16
    let mut phone = new_complaint(d(2026, 3, 2));
    phone.channel = Channel::Phone;
    let phone = desk.c.complaint_register(phone).await.expect("phone");
    desk.c
        .complaint_decide(decide_input(on_time.id))
        .await
        .expect("decide");
    desk.on(d(2026, 3, 18));
    desk.c
        .complaint_decide(decide_input(late.id))
        .await
        .expect("decide late");
    desk.as_("chen").await;
    let by_channel = desk
        .c
        .complaint_stats(StatsQuery {
            from: d(2026, 3, 1),
            to: d(2026, 3, 31),
            by: StatsDimension::Channel,
        })
        .await
        .expect("stats");
    let counter = by_channel
        .rows
        .iter()
        .find(|r| r.key == "counter")
        .expect("counter row");
    assert_eq!((counter.received, counter.decided), (2, 2));
    assert_eq!(counter.decided_on_time, 1);
    assert_eq!(counter.on_time_rate.as_deref(), Some("50.0"));
    assert_eq!(counter.compensation.to_string(), "25.00");
    let phone_row = by_channel
        .rows
        .iter()
        .find(|r| r.key == "phone")
        .expect("phone row");
    assert_eq!((phone_row.open, phone_row.open_overdue), (1, 1));
    assert_eq!(phone_row.on_time_rate, None);
    assert_eq!(by_channel.total.received, 3);
    let _ = phone;

    let by_cause = desk
        .c
        .complaint_stats(StatsQuery {
            from: d(2026, 3, 1),
            to: d(2026, 3, 31),
            by: StatsDimension::Cause,
        })
        .await
        .expect("by cause");
    assert_eq!(
        by_cause
            .rows
            .iter()
            .map(|r| (r.key.as_str(), r.received))
            .collect::<Vec<_>>(),
        vec![("system", 2), ("undecided", 1)]
    );
    for by in StatsDimension::ALL {
        desk.c
            .complaint_stats(StatsQuery {
                from: d(2026, 3, 1),
                to: d(2026, 3, 31),
                by,
            })
            .await
            .expect("every dimension");
    }

    let csv = desk
        .c
        .complaint_stats_csv(StatsQuery {
            from: d(2026, 3, 1),
            to: d(2026, 3, 31),
            by: StatsDimension::Category,
        })
        .await
        .expect("csv");
    assert!(csv.content.starts_with("\u{feff}key,label,received"));
    assert!(csv.content.contains("wallet.payment,支付交易,3,2,1,50.0,"));
    let xlsx = desk
        .c
        .complaint_stats_xlsx(StatsQuery {
            from: d(2026, 3, 1),
            to: d(2026, 3, 31),
            by: StatsDimension::Channel,
        })
        .await
        .expect("xlsx");
    assert!(
        xlsx.bytes.starts_with(b"PK"),
        "an XLSX file is a zip archive"
    );
    assert!(xlsx.file_name.ends_with(".xlsx"));
    let report = desk
        .c
        .complaint_regulator_report(PeriodInput {
            from: d(2026, 3, 1),
            to: d(2026, 3, 31),
        })
        .await
        .expect("regulator report");
    assert!(report.file_name.ends_with(".csv"));
    for section in ["category", "channel", "product", "cause", "branch", "all"] {
        assert!(
            report
                .content
                .lines()
                .any(|l| l.ends_with(&format!(",{section}"))),
            "{section} section missing"
        );
    }
    let log = desk.actions().await;
    assert!(log.contains(&("complaint.stats_exported".into(), "ok".into())));
    assert!(log.contains(&("complaint.regulator_report_exported".into(), "ok".into())));
    let verify = desk.c.audit_verify().await.expect("verify");
    assert!(verify.ok, "every step kept the audit chain intact");
}

// ---- configuration ------------------------------------------------------------------------

/// Each figure is a default in configuration: a policy change applies to cases received after
/// it; a case already running keeps the rules it was received under.
#[sqlx::test]
async fn policy_change_applies_to_new_cases_only(pool: SqlitePool) {
    let desk = Desk::new(pool.clone(), d(2026, 3, 2)).await;
    desk.as_("zhang").await;
    let before = desk.register(d(2026, 3, 2)).await;
    let shorter = ComplaintPolicy {
        decide_within_days: 10,
        ..ComplaintPolicy::default()
    };
    sqlx::query("INSERT INTO settings (key, value) VALUES ('complaint_policy', ?)")
        .bind(serde_json::to_string(&shorter).expect("json"))
        .execute(&pool)
        .await
        .expect("set policy");
    let after = desk.register(d(2026, 3, 2)).await;
    assert_eq!(after.due_on, d(2026, 3, 12));
    let again = desk.c.complaint_get(before.id).await.expect("get");
    assert_eq!(again.due_on, d(2026, 3, 17));
    assert_eq!(again.limit_days, 15);
}

/// Business days use a calendar a supervisor maintains: a correction moves every running
/// deadline at once (here 2026-03-17 becomes a holiday, so day 15 moves to 03-18).
#[sqlx::test]
async fn calendar_correction_moves_running_deadlines(pool: SqlitePool) {
    let desk = Desk::new(pool, d(2026, 3, 2)).await;
    desk.as_("zhang").await;
    let case = desk.register(d(2026, 3, 2)).await;
    assert_eq!(case.due_on, d(2026, 3, 17));
    let text = CalendarText {
        text: "2026-03-17 holiday # test\n".into(),
    };
    assert_eq!(
        code(desk.c.complaint_calendar_set(text.clone()).await),
        Code::Forbidden
    );
    desk.as_("chen").await;
    assert_eq!(
        code(
            desk.c
                .complaint_calendar_set(CalendarText {
                    text: "2026-03-17 feast".into()
                })
                .await
        ),
        Code::InvalidInput
    );
    let update = desk.c.complaint_calendar_set(text).await.expect("set");
    assert_eq!((update.entries, update.moved), (1, 1));
    let moved = desk.c.complaint_get(case.id).await.expect("get");
    assert_eq!(moved.due_on, d(2026, 3, 18));
    assert!(
        desk.c
            .complaint_calendar()
            .await
            .expect("calendar")
            .text
            .contains("2026-03-17 holiday")
    );
}

/// The case view lists the steps the signed-in staff member may take now, from the case's
/// state, its clock and the role: the screen offers exactly those (no 30- or 60-day literal
/// in the UI), and what is not listed the command refuses.
#[sqlx::test]
async fn a_case_offers_only_the_steps_its_state_and_the_staff_role_allow(pool: SqlitePool) {
    use walletdesk_core::complaints::work::CaseAction as A;
    let desk = Desk::new(pool, d(2026, 3, 10)).await;
    desk.as_("zhang").await;
    let case = desk.register(d(2026, 3, 2)).await;
    // Registered by zhang, unassigned: everything of an open case, once.
    assert_eq!(
        case.actions,
        [
            A::AssignToMe,
            A::AddNote,
            A::LogContact,
            A::Pause,
            A::ExtendComplex,
            A::Withdraw,
            A::Decide,
            A::NewFacts,
            A::MergeRepeat,
            A::DeclareInterest,
            A::Escalate
        ]
    );
    let mine = desk
        .c
        .complaint_assign(AssignInput {
            case_id: case.id,
            assignee_id: Some(desk.id("zhang")),
            team: None,
        })
        .await
        .expect("assign");
    assert!(!mine.actions.contains(&A::AssignToMe), "already mine");
    // The particularly complex extension is offered only after the complex one.
    assert!(!mine.actions.contains(&A::RequestExtension));
    let complex = desk
        .c
        .complaint_extend_complex(text(case.id, "needs branch records"))
        .await
        .expect("complex");
    assert!(
        !complex.actions.contains(&A::ExtendComplex),
        "extended once only"
    );
    assert!(complex.actions.contains(&A::RequestExtension));
    assert!(complex.extensions[0].may_mark_notified);
    let requested = desk
        .c
        .complaint_request_extension(text(case.id, "three parties involved"))
        .await
        .expect("request");
    assert!(
        !requested.actions.contains(&A::RequestExtension),
        "one request waits at a time"
    );
    assert!(
        !requested.extensions[1].may_mark_notified,
        "not in force yet"
    );
    let refused = desk
        .c
        .complaint_request_extension(text(case.id, "again"))
        .await;
    assert_eq!(code(refused), Code::Conflict);

    // Paused for an appraisal: resume instead of pause, and decide once it is back.
    let paused = desk
        .c
        .complaint_pause(text(case.id, "signature sent to the forensic lab"))
        .await
        .expect("pause");
    assert!(paused.actions.contains(&A::Resume));
    assert!(!paused.actions.contains(&A::Pause) && !paused.actions.contains(&A::Decide));
    desk.c.complaint_resume(case.id).await.expect("resume");

    // A teller has no desk: the case shows no step (and the commands refuse them).
    desk.as_("li.na").await;
    assert_eq!(code(desk.c.complaint_get(case.id).await), Code::Forbidden);

    // Decided: only the survey and, inside the window, the review are left.
    desk.as_("zhang").await;
    let decided = desk
        .c
        .complaint_decide(decide_input(case.id))
        .await
        .expect("decide");
    assert_eq!(decided.actions, [A::RequestReview, A::RecordSurvey]);
    assert!(decided.extensions.iter().all(|e| !e.may_mark_notified));
    // Past the review window the review is no longer offered.
    desk.on(d(2026, 6, 30));
    let late = desk.c.complaint_get(case.id).await.expect("view");
    assert_eq!(late.actions, [A::RecordSurvey]);
}

mod desk;
mod escalation;
mod templates;
