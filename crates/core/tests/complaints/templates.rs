//! Issue 18 item 3: reply templates kept by supervisors per category, filled from the case by
//! core (case number, dates as the business calendar counts them, money formatted).

use super::*;
use walletdesk_core::complaints::templates::{
    ApplyTemplateInput, TemplateInput, TemplateKind, TemplateQuery,
};

fn template(category_id: Option<i64>, body: &str) -> TemplateInput {
    TemplateInput {
        id: None,
        category_id,
        kind: TemplateKind::Letter,
        title: "补偿告知".into(),
        body: body.into(),
        active: true,
    }
}

fn for_category(category_id: i64) -> TemplateQuery {
    TemplateQuery {
        category_id: Some(category_id),
        kind: None,
        include_retired: false,
    }
}

/// Received the day before National Day: 15 days end 2026-10-15; the compensation is Money.
#[sqlx::test]
async fn template_applied_to_a_case_fills_number_calendar_dates_and_money(pool: SqlitePool) {
    let desk = Desk::new(pool, d(2026, 9, 30)).await;
    desk.as_("chen").await;
    let saved = desk
        .c
        .complaint_template_save(template(
            Some(2),
            "{{caseNo}} 于{{receivedOn}}收到，{{dueOn}}前答复；补偿{{compensation}}。",
        ))
        .await
        .expect("save");
    desk.as_("zhang").await;
    let case = desk.register(d(2026, 9, 30)).await;
    let mut decided = decide_input(case.id);
    decided.compensation = Some(Money::parse("1234.5").expect("money"));
    desk.on(d(2026, 10, 9));
    desk.c.complaint_decide(decided).await.expect("decide");
    let filled = desk
        .c
        .complaint_template_apply(ApplyTemplateInput {
            case_id: case.id,
            template_id: saved.id,
        })
        .await
        .expect("apply");
    assert_eq!(
        filled.text,
        format!(
            "{} 于2026年9月30日收到，2026年10月15日前答复；补偿¥1,234.50。",
            case.case_no
        )
    );
    // An interested staff member gets no text from the case either.
    desk.as_("chen").await;
    desk.c
        .complaint_declare_interest(InterestInput {
            case_id: desk.register(d(2026, 10, 9)).await.id,
            staff_id: desk.id("wang"),
            reason: "被投诉人".into(),
        })
        .await
        .expect("declare");
    desk.as_("wang").await;
    let refused = desk
        .c
        .complaint_template_apply(ApplyTemplateInput {
            case_id: 2,
            template_id: saved.id,
        })
        .await
        .expect_err("recused");
    assert_eq!(refused.fields()[0].code, "complaint_recused");
}

#[sqlx::test]
async fn templates_are_kept_by_supervisors_per_category(pool: SqlitePool) {
    let desk = Desk::new(pool, d(2026, 3, 2)).await;
    desk.as_("zhang").await;
    assert_eq!(
        code(desk.c.complaint_template_save(template(None, "x")).await),
        Code::Forbidden
    );
    let shipped = desk
        .c
        .complaint_templates(for_category(2))
        .await
        .expect("list");
    assert!(
        shipped.iter().any(|t| t.kind == TemplateKind::Message),
        "a starter set ships"
    );
    desk.as_("chen").await;
    let unknown = desk
        .c
        .complaint_template_save(template(Some(3), "{{idNumber}}"))
        .await
        .expect_err("unknown placeholder");
    assert_eq!(unknown.fields()[0].code, "template_unknown_placeholder");
    let limits = desk
        .c
        .complaint_template_save(template(Some(3), "限额问题 {{caseNo}}"))
        .await
        .expect("save");
    // Offered for its category (3, 钱包等级与限额), not for a sibling (2, 支付交易).
    let for_limits = desk
        .c
        .complaint_templates(for_category(3))
        .await
        .expect("list");
    assert!(for_limits.iter().any(|t| t.id == limits.id));
    let for_payments = desk
        .c
        .complaint_templates(for_category(2))
        .await
        .expect("list");
    assert!(!for_payments.iter().any(|t| t.id == limits.id));
    // Retired: no longer offered, still in the editor's list.
    let mut retire = template(Some(3), "限额问题 {{caseNo}}");
    retire.id = Some(limits.id);
    retire.active = false;
    desk.c
        .complaint_template_save(retire)
        .await
        .expect("retire");
    let offered = desk
        .c
        .complaint_templates(for_category(3))
        .await
        .expect("list");
    assert!(!offered.iter().any(|t| t.id == limits.id));
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'complaint.template_saved' AND outcome = 'ok'",
    )
    .fetch_one(&desk.pool)
    .await
    .expect("count");
    assert_eq!(audited, 2);
}
