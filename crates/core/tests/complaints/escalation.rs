//! Issue 18 item 2: escalation to a supervisor, by hand with a reason and by each rule of the
//! desk's configuration; and the appraisal pause that records the customer was told.

use super::*;
use walletdesk_core::complaints::desk::DeskSettings;
use walletdesk_core::complaints::escalation::{
    EscalateInput, EscalationRule, EscalationRules, PauseToldInput,
};

/// Only the named rules on (the others off), so each test sees the one it checks.
async fn only_rules(desk: &Desk, rules: EscalationRules) {
    desk.as_("chen").await;
    desk.c
        .complaint_desk_settings_set(DeskSettings {
            policy: ComplaintPolicy::default(),
            max_representatives: 5,
            review_team: "总行消保复核组".into(),
            escalation: rules,
        })
        .await
        .expect("rules set");
}

const OFF: EscalationRules = EscalationRules {
    due_within_days: 0,
    high_severity: false,
    repeat_min_cases: 0,
    repeat_window_days: 0,
};

async fn escalated_ids(desk: &Desk) -> Vec<i64> {
    desk.c
        .complaint_queue(queue(QueueKind::Escalated))
        .await
        .expect("escalated queue")
        .rows
        .into_iter()
        .map(|r| r.id)
        .collect()
}

fn complaint_from(customer: &str, received_on: NaiveDate, severity: Severity) -> NewComplaintInput {
    let mut input = new_complaint(received_on);
    input.complainant = Complainant::Customer {
        customer_id: customer.into(),
    };
    input.severity = severity;
    input
}

#[sqlx::test]
async fn escalated_by_hand_with_a_reason(pool: SqlitePool) {
    let desk = Desk::new(pool, d(2026, 3, 2)).await;
    only_rules(&desk, OFF).await;
    desk.as_("zhang").await;
    let case = desk.register(d(2026, 3, 2)).await;
    assert!(escalated_ids(&desk).await.is_empty());
    let empty = desk
        .c
        .complaint_escalate(EscalateInput {
            case_id: case.id,
            reason: "  ".into(),
        })
        .await
        .expect_err("a reason is required");
    assert_eq!(empty.fields()[0].code, "text_required");
    let escalated = desk
        .c
        .complaint_escalate(EscalateInput {
            case_id: case.id,
            reason: "客户威胁向媒体投诉".into(),
        })
        .await
        .expect("escalate");
    assert_eq!(escalated.escalations.len(), 1);
    assert_eq!(escalated.escalations[0].rule, EscalationRule::ByHand);
    assert_eq!(
        escalated.escalations[0].escalated_by,
        Some(desk.id("zhang"))
    );
    assert!(
        !escalated
            .actions
            .contains(&walletdesk_core::complaints::work::CaseAction::Escalate)
    );
    let again = desk
        .c
        .complaint_escalate(EscalateInput {
            case_id: case.id,
            reason: "再次".into(),
        })
        .await
        .expect_err("once by hand");
    assert_eq!(again.fields()[0].code, "already_escalated");
    assert_eq!(escalated_ids(&desk).await, [case.id]);
    let audited: String = sqlx::query_scalar(
        "SELECT detail FROM audit_log WHERE action = 'complaint.escalated' AND outcome = 'ok'",
    )
    .fetch_one(&desk.pool)
    .await
    .expect("audited");
    assert!(audited.contains("客户威胁向媒体投诉"), "{audited}");
}

#[sqlx::test]
async fn escalated_by_rule_due_within_n_days_and_untouched(pool: SqlitePool) {
    let desk = Desk::new(pool, d(2026, 3, 2)).await;
    only_rules(
        &desk,
        EscalationRules {
            due_within_days: 3,
            ..OFF
        },
    )
    .await;
    desk.as_("zhang").await;
    let untouched = desk
        .c
        .complaint_register(complaint_from("C1", d(2026, 3, 2), Severity::Low))
        .await
        .expect("register");
    let touched = desk
        .c
        .complaint_register(complaint_from("C2", d(2026, 3, 2), Severity::Low))
        .await
        .expect("register");
    desk.c
        .complaint_add_note(text(touched.id, "已联系客户"))
        .await
        .expect("note");
    let due = untouched.due_on;
    // Four days before it is due: not yet.
    desk.on(due - chrono::Days::new(3));
    assert!(escalated_ids(&desk).await.is_empty());
    // Within three days (today counted): the untouched one escalates, the touched one does not.
    desk.on(due - chrono::Days::new(2));
    assert_eq!(escalated_ids(&desk).await, [untouched.id]);
    let detail = desk.c.complaint_get(untouched.id).await.expect("case");
    assert_eq!(detail.escalations[0].rule, EscalationRule::DueUntouched);
    assert_eq!(detail.escalations[0].escalated_by, None);
    // Once: a second read adds no second escalation or audit record.
    escalated_ids(&desk).await;
    let audits: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'complaint.escalated_by_rule'",
    )
    .fetch_one(&desk.pool)
    .await
    .expect("count");
    assert_eq!(audits, 1);
}

#[sqlx::test]
async fn escalated_by_rule_severity_high(pool: SqlitePool) {
    let desk = Desk::new(pool, d(2026, 3, 2)).await;
    only_rules(
        &desk,
        EscalationRules {
            high_severity: true,
            ..OFF
        },
    )
    .await;
    desk.as_("zhang").await;
    let high = desk
        .c
        .complaint_register(complaint_from("C1", d(2026, 3, 2), Severity::High))
        .await
        .expect("register");
    let critical = desk
        .c
        .complaint_register(complaint_from("C2", d(2026, 3, 2), Severity::Critical))
        .await
        .expect("register");
    desk.c
        .complaint_register(complaint_from("C3", d(2026, 3, 2), Severity::Medium))
        .await
        .expect("register");
    assert_eq!(escalated_ids(&desk).await, [high.id, critical.id]);
}

#[sqlx::test]
async fn escalated_by_rule_repeat_complainant(pool: SqlitePool) {
    let desk = Desk::new(pool, d(2026, 6, 1)).await;
    only_rules(
        &desk,
        EscalationRules {
            repeat_min_cases: 2,
            repeat_window_days: 90,
            ..OFF
        },
    )
    .await;
    desk.as_("zhang").await;
    // An old complaint outside the window does not make a repeat.
    let old = desk
        .c
        .complaint_register(complaint_from("C7", d(2026, 1, 5), Severity::Low))
        .await
        .expect("register");
    desk.c
        .complaint_withdraw(WithdrawInput {
            case_id: old.id,
            arrived_on: Some(d(2026, 1, 6)),
            note: None,
        })
        .await
        .expect("withdraw");
    let first = desk
        .c
        .complaint_register(complaint_from("C7", d(2026, 5, 20), Severity::Low))
        .await
        .expect("register");
    desk.c
        .complaint_register(complaint_from("C8", d(2026, 5, 20), Severity::Low))
        .await
        .expect("register");
    assert!(
        escalated_ids(&desk).await.is_empty(),
        "one case in the window"
    );
    let second = desk
        .c
        .complaint_register(complaint_from("C7", d(2026, 6, 1), Severity::Low))
        .await
        .expect("register");
    assert_eq!(escalated_ids(&desk).await, [first.id, second.id]);
}

#[sqlx::test]
async fn escalation_rules_are_configuration_with_defaults(pool: SqlitePool) {
    let desk = Desk::new(pool, d(2026, 3, 2)).await;
    desk.as_("zhang").await;
    assert_eq!(
        desk.c
            .complaint_desk()
            .await
            .expect("desk")
            .settings
            .escalation,
        EscalationRules::default()
    );
    desk.as_("chen").await;
    let refused = desk
        .c
        .complaint_desk_settings_set(DeskSettings {
            policy: ComplaintPolicy::default(),
            max_representatives: 5,
            review_team: "总行消保复核组".into(),
            escalation: EscalationRules {
                repeat_min_cases: 1,
                ..EscalationRules::default()
            },
        })
        .await
        .expect_err("one case is no repeat");
    assert_eq!(refused.fields()[0].field, "escalation.repeatMinCases");
    // N is the supervisor's: at 10 days, a case due in 8 escalates.
    only_rules(
        &desk,
        EscalationRules {
            due_within_days: 10,
            ..OFF
        },
    )
    .await;
    let case = desk.register(d(2026, 3, 2)).await;
    desk.on(case.due_on - chrono::Days::new(8));
    assert_eq!(escalated_ids(&desk).await, [case.id]);
}

/// DOMAIN.md: time on an outside appraisal does not count, and the customer is told.
#[sqlx::test]
async fn appraisal_pause_records_that_the_customer_was_told(pool: SqlitePool) {
    use walletdesk_core::complaints::work::CaseAction;
    let desk = Desk::new(pool, d(2026, 3, 2)).await;
    desk.as_("zhang").await;
    let case = desk.register(d(2026, 3, 2)).await;
    assert_eq!(
        desk.c
            .complaint_pause_told(PauseToldInput {
                case_id: case.id,
                kind: ContactKind::Call,
            })
            .await
            .expect_err("not paused")
            .fields()[0]
            .code,
        "clock_not_paused"
    );
    let paused = desk
        .c
        .complaint_pause(text(case.id, "送第三方机构鉴定交易记录"))
        .await
        .expect("pause");
    assert!(paused.actions.contains(&CaseAction::PauseTold));
    let told = desk
        .c
        .complaint_pause_told(PauseToldInput {
            case_id: case.id,
            kind: ContactKind::Sms,
        })
        .await
        .expect("told");
    let pause = told
        .events
        .iter()
        .rev()
        .find(|e| e.kind == "pause")
        .expect("the pause");
    assert!(pause.customer_told_at.is_some());
    assert_eq!(pause.customer_told_by.as_deref(), Some("sms"));
    assert!(!told.actions.contains(&CaseAction::PauseTold));
    let again = desk
        .c
        .complaint_pause_told(PauseToldInput {
            case_id: case.id,
            kind: ContactKind::Sms,
        })
        .await
        .expect_err("told once");
    assert_eq!(again.fields()[0].code, "pause_already_told");
}

/// The sweep is skipped while the day, the rules, the cases and the calendar are as the last one
/// saw them (a million open cases are not read for every page), and runs again when one changes.
#[sqlx::test]
async fn escalation_sweep_reruns_only_when_the_day_rules_cases_or_calendar_change(
    pool: SqlitePool,
) {
    let desk = Desk::new(pool, d(2026, 3, 2)).await;
    only_rules(
        &desk,
        EscalationRules {
            high_severity: true,
            ..OFF
        },
    )
    .await;
    desk.as_("zhang").await;
    let case = desk.register(d(2026, 3, 2)).await;
    assert!(escalated_ids(&desk).await.is_empty());
    // Behind the desk's back (no command changes a severity): the same day, nothing re-reads.
    sqlx::query("UPDATE complaints SET severity = 'high' WHERE id = ?")
        .bind(case.id)
        .execute(&desk.pool)
        .await
        .expect("update");
    assert!(escalated_ids(&desk).await.is_empty());
    // A new case is a change the sweep sees.
    desk.register(d(2026, 3, 2)).await;
    assert_eq!(escalated_ids(&desk).await, [case.id]);
}
