//! Issue 18 item 1: the desk's settings and panes from core, refusals in their own words, the
//! repeat and recusal steps on the case, and a review that goes to the level above.

use super::*;
use walletdesk_core::complaints::desk::{CategoryUpdateInput, DeskPane, DeskSettings};

fn settings(max_representatives: u32) -> DeskSettings {
    DeskSettings {
        policy: ComplaintPolicy::default(),
        max_representatives,
        review_team: "总行消保复核组".into(),
        escalation: Default::default(),
    }
}

fn field_codes(err: Error) -> Vec<(String, String)> {
    err.fields()
        .into_iter()
        .map(|f| (f.field, f.code))
        .collect()
}

/// The panes a role sees come from the permissions that guard their commands.
#[sqlx::test]
async fn desk_panes_follow_the_role_not_the_screen(pool: SqlitePool) {
    let desk = Desk::new(pool, d(2026, 3, 2)).await;
    desk.as_("zhang").await;
    let handler = desk.c.complaint_desk().await.expect("desk");
    assert_eq!(handler.panes, [DeskPane::Queue, DeskPane::Suggestions]);
    assert!(!handler.may_manage);
    assert_eq!(handler.settings.max_representatives, 5);
    desk.as_("chen").await;
    let supervisor = desk.c.complaint_desk().await.expect("desk");
    // Every pane but the counter: who works the queue logs from its "new" button.
    assert_eq!(supervisor.panes, DeskPane::ALL[1..]);
    assert!(supervisor.may_manage);
    desk.as_("li.na").await;
    let teller = desk.c.complaint_desk().await.expect("a teller's desk");
    assert_eq!(teller.panes, [DeskPane::Counter]);
    assert!(!teller.may_manage);
}

/// The maximum of representatives is the supervisor's figure, validated and audited in core;
/// intake then refuses a group above it with its own words.
#[sqlx::test]
async fn max_representatives_set_by_a_supervisor_is_what_intake_enforces(pool: SqlitePool) {
    let desk = Desk::new(pool, d(2026, 3, 2)).await;
    desk.as_("zhang").await;
    assert_eq!(
        code(desk.c.complaint_desk_settings_set(settings(3)).await),
        Code::Forbidden
    );
    desk.as_("chen").await;
    let refused = desk
        .c
        .complaint_desk_settings_set(settings(0))
        .await
        .expect_err("zero representatives");
    assert_eq!(
        field_codes(refused),
        [(
            "maxRepresentatives".to_owned(),
            "max_representatives_out_of_range".to_owned()
        )]
    );
    let view = desk
        .c
        .complaint_desk_settings_set(settings(3))
        .await
        .expect("set");
    assert_eq!(view.settings.max_representatives, 3);
    let audited: String = sqlx::query_scalar(
        "SELECT detail FROM audit_log WHERE action = 'complaint.desk_settings_updated'",
    )
    .fetch_one(&desk.pool)
    .await
    .expect("audited");
    assert!(audited.contains("\"maxRepresentatives\":3"), "{audited}");
    let mut four = new_complaint(d(2026, 3, 2));
    four.representatives = (1..=4)
        .map(|i| RepresentativeInput {
            name: format!("代表{i}"),
            contact: format!("1380013800{i}"),
        })
        .collect();
    let err = desk.c.complaint_register(four).await.expect_err("four > 3");
    assert_eq!(err.code(), Code::Conflict);
    assert_eq!(
        field_codes(err),
        [(
            "representatives".to_owned(),
            "too_many_representatives".to_owned()
        )]
    );
}

/// Policy figures out of order are refused field by field; valid ones start new cases.
#[sqlx::test]
async fn policy_figures_are_validated_by_core(pool: SqlitePool) {
    let desk = Desk::new(pool, d(2026, 3, 2)).await;
    desk.as_("chen").await;
    let mut bad = settings(5);
    bad.policy.complex_limit_days = 10;
    let fields: Vec<String> = desk
        .c
        .complaint_desk_settings_set(bad)
        .await
        .expect_err("complex shorter than ordinary")
        .fields()
        .into_iter()
        .map(|f| f.field)
        .collect();
    assert_eq!(fields, ["complexLimitDays"]);
    let mut good = settings(5);
    good.policy.decide_within_days = 10;
    desk.c.complaint_desk_settings_set(good).await.expect("set");
    let case = desk.register(d(2026, 3, 2)).await;
    assert_eq!(case.limit_days, 10);
}

/// Recusal: a refused assignment says why in its own words, not a generic conflict.
#[sqlx::test]
async fn recusal_refusal_has_its_own_words(pool: SqlitePool) {
    let desk = Desk::new(pool, d(2026, 3, 2)).await;
    desk.as_("chen").await;
    let case = desk.register(d(2026, 3, 2)).await;
    assert!(
        case.actions
            .contains(&walletdesk_core::complaints::work::CaseAction::DeclareInterest)
    );
    desk.c
        .complaint_declare_interest(InterestInput {
            case_id: case.id,
            staff_id: desk.id("wang"),
            reason: "被投诉人".into(),
        })
        .await
        .expect("declare");
    let err = desk
        .c
        .complaint_assign(AssignInput {
            case_id: case.id,
            assignee_id: Some(desk.id("wang")),
            team: None,
        })
        .await
        .expect_err("recused");
    assert_eq!(
        field_codes(err),
        [("staffId".to_owned(), "complaint_recused".to_owned())]
    );
}

/// A repeat from the same customer lists the first case to merge into; merging closes it.
#[sqlx::test]
async fn repeat_offers_the_complainants_first_case_to_merge_into(pool: SqlitePool) {
    let desk = Desk::new(pool, d(2026, 3, 9)).await;
    desk.as_("zhang").await;
    let first = desk.register(d(2026, 3, 2)).await;
    let repeat = desk.register(d(2026, 3, 9)).await;
    assert_eq!(
        repeat.related.iter().map(|r| r.id).collect::<Vec<_>>(),
        [first.id]
    );
    let merged = desk
        .c
        .complaint_merge_repeat(MergeRepeatInput {
            repeat_id: repeat.id,
            into_id: repeat.related[0].id,
        })
        .await
        .expect("merge");
    assert_eq!(merged.id, first.id);
    let closed = desk.c.complaint_get(repeat.id).await.expect("repeat");
    assert_eq!(closed.status, ComplaintStatus::Merged);
}

/// A review goes to the level above: the case's own team or branch is refused, the desk's
/// review team is taken.
#[sqlx::test]
async fn review_goes_to_the_level_above_not_the_same_branch(pool: SqlitePool) {
    let desk = Desk::new(pool, d(2026, 3, 2)).await;
    desk.as_("zhang").await;
    let case = desk.register(d(2026, 3, 2)).await;
    desk.c
        .complaint_decide(decide_input(case.id))
        .await
        .expect("decide");
    let review_team = desk
        .c
        .complaint_desk()
        .await
        .expect("desk")
        .settings
        .review_team;
    let same = desk
        .c
        .complaint_request_review(ReviewRequestInput {
            case_id: case.id,
            requested_on: None,
            grounds: "不服".into(),
            team: "desk-a".into(),
        })
        .await
        .expect_err("same team");
    assert_eq!(
        field_codes(same),
        [("team".to_owned(), "review_same_level".to_owned())]
    );
    let review = desk
        .c
        .complaint_request_review(ReviewRequestInput {
            case_id: case.id,
            requested_on: None,
            grounds: "不服".into(),
            team: review_team.clone(),
        })
        .await
        .expect("review");
    assert_eq!(review.team, review_team);
}

/// The category tree: a supervisor renames and retires; a parent with live children stays.
#[sqlx::test]
async fn category_tree_edited_by_a_supervisor_keeps_codes(pool: SqlitePool) {
    let desk = Desk::new(pool, d(2026, 3, 2)).await;
    desk.as_("chen").await;
    let refused = desk
        .c
        .complaint_category_update(CategoryUpdateInput {
            id: 1,
            name: "数字人民币钱包".into(),
            active: false,
        })
        .await
        .expect_err("children active");
    assert_eq!(
        field_codes(refused),
        [(
            "active".to_owned(),
            "category_has_active_children".to_owned()
        )]
    );
    let renamed = desk
        .c
        .complaint_category_update(CategoryUpdateInput {
            id: 4,
            name: "冻结".into(),
            active: false,
        })
        .await
        .expect("retire a leaf");
    assert_eq!(
        (renamed.code.as_str(), renamed.active),
        ("wallet.frozen", false)
    );
    desk.as_("zhang").await;
    assert_eq!(
        code(
            desk.c
                .complaint_category_update(CategoryUpdateInput {
                    id: 4,
                    name: "x".into(),
                    active: true,
                })
                .await
        ),
        Code::Forbidden
    );
}
