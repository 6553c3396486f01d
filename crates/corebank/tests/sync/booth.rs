//! Campaigns and booths: a supervisor saves them through the outbox, the core holds them,
//! and the change feed brings them to every console, where booth staff see only theirs.

use super::onboarding::counter_as;
use walletdesk_core::access::Role;
use walletdesk_core::booth::{BoothInput, CampaignInput, IncentiveKind};
use walletdesk_core::store::Store;
use walletdesk_core::sync::{Engine, outbox};
use walletdesk_core::{Code, Console};

fn booth(code: &str, roster: &[&str]) -> BoothInput {
    BoothInput {
        code: code.into(),
        name: format!("{code} 展位"),
        mall: "万达广场 1F".into(),
        address: "北京市朝阳区建国路 93 号".into(),
        branch: "BJ-001".into(),
        roster: roster.iter().map(|s| (*s).to_owned()).collect(),
    }
}

pub(super) fn cashback(code: &str, booths: &[&str]) -> CampaignInput {
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    CampaignInput {
        code: code.into(),
        name: format!("{code} 推广"),
        starts_on: (today - chrono::Duration::days(1)).to_string(),
        ends_on: (today + chrono::Duration::days(30)).to_string(),
        branches: vec!["BJ-001".into()],
        booths: booths.iter().map(|s| (*s).to_owned()).collect(),
        incentive_kind: IncentiveKind::Cashback,
        incentive_amount: Some("８.８".into()),
        incentive_points: None,
        incentive_coupon: None,
        incentive_service: None,
        new_customers_only: true,
        budget_claims: Some(500),
        budget_amount: None,
    }
}

async fn sync(engine: &Engine, store: &Store) {
    for _ in 0..5 {
        engine.sync_now().await.expect("sync");
        let status = outbox::status(store.read()).await.expect("status");
        assert_eq!(
            status.attention,
            0,
            "{:?}",
            outbox::list(store.read(), None, 10).await
        );
        if status.queued == 0 {
            engine.sync_now().await.expect("sync");
            return;
        }
    }
    panic!("the outbox did not drain");
}

/// The supervisor's console saves two booths and two campaigns.
pub(super) async fn plan(c: &Console, engine: &Engine, store: &Store) {
    c.booth_save(booth("B-07", &["li.na"]))
        .await
        .expect("booth");
    c.booth_save(booth("B-08", &["wang.wei"]))
        .await
        .expect("booth");
    c.campaign_save(cashback("SPRING", &["B-07"]))
        .await
        .expect("campaign");
    c.campaign_save(cashback("AUTUMN", &["B-08"]))
        .await
        .expect("campaign");
    sync(engine, store).await;
}

#[tokio::test]
async fn booth_staff_see_only_the_booths_whose_roster_names_them_and_their_campaigns() {
    let sandbox = super::sandbox(3).await;
    let (_s, supervisor, s_engine, s_store) = counter_as(&sandbox.url(), Role::Supervisor).await;
    plan(&supervisor, &s_engine, &s_store).await;
    let all = supervisor.booth_catalogue().await.expect("catalogue");
    assert_eq!(all.booths.len(), 2);
    assert_eq!(all.campaigns.len(), 2);
    let spring = all
        .campaigns
        .iter()
        .find(|c| c.code == "SPRING")
        .expect("spring");
    // Typed full-width, saved as the core's money; running today, budget untouched.
    assert_eq!(
        spring.incentive.amount.map(|m| m.to_string()).as_deref(),
        Some("8.80")
    );
    assert!(spring.running && !spring.budget_exhausted);
    assert_eq!(spring.budget_claims, Some(500));

    // Another console (a booth's laptop, signed in as li.na) gets them from the feed.
    let (_b, booth_staff, b_engine, b_store) = counter_as(&sandbox.url(), Role::Booth).await;
    sync(&b_engine, &b_store).await;
    let mine = booth_staff.booth_catalogue().await.expect("catalogue");
    let booths: Vec<&str> = mine.booths.iter().map(|b| b.code.as_str()).collect();
    let campaigns: Vec<&str> = mine.campaigns.iter().map(|c| c.code.as_str()).collect();
    assert_eq!(booths, ["B-07"]);
    assert_eq!(campaigns, ["SPRING"]);
    // Booth staff do not set the plan.
    let refused = booth_staff
        .campaign_save(cashback("MINE", &["B-07"]))
        .await
        .expect_err("a supervisor's job");
    assert_eq!(refused.code(), Code::Forbidden);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_campaign_is_checked_against_its_configuration_rules_before_it_is_queued() {
    let sandbox = super::sandbox(1).await;
    let (_s, supervisor, _engine, store) = counter_as(&sandbox.url(), Role::Supervisor).await;
    let mut wrong = cashback("bad code!", &[]);
    wrong.ends_on = "2000-01-01".into();
    wrong.incentive_amount = Some("0".into());
    wrong.budget_claims = Some(0);
    wrong.budget_amount = Some("-5".into());
    let refused = supervisor
        .campaign_save(wrong)
        .await
        .expect_err("every rule broken");
    let fields: Vec<(String, String)> = refused
        .fields()
        .into_iter()
        .map(|f| (f.field, f.code))
        .collect();
    for expected in [
        ("code", "campaign_code_invalid"),
        ("endsOn", "campaign_ends_before_start"),
        ("booths", "campaign_booths_required"),
        ("incentiveAmount", "amount_invalid"),
        ("budgetClaims", "budget_invalid"),
        ("budgetAmount", "amount_invalid"),
    ] {
        assert!(
            fields.contains(&(expected.0.to_owned(), expected.1.to_owned())),
            "{expected:?} in {fields:?}"
        );
    }
    let mut points = cashback("PTS", &["B-07"]);
    points.incentive_kind = IncentiveKind::Points;
    let refused = supervisor
        .campaign_save(points.clone())
        .await
        .expect_err("points need a number");
    assert_eq!(refused.fields()[0].field, "incentivePoints");
    points.incentive_points = Some(500);
    supervisor.campaign_save(points).await.expect("saved");
    let mut no_roster = booth("B-09", &[" "]);
    no_roster.mall = String::new();
    let refused = supervisor
        .booth_save(no_roster)
        .await
        .expect_err("roster and mall");
    assert_eq!(refused.fields().len(), 2);
    // Only what passed was queued, and it was audited.
    let queued = outbox::status(store.read()).await.expect("status").queued;
    assert_eq!(queued, 1);
    let audited: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'campaign.saved'")
            .fetch_one(store.read())
            .await
            .expect("audit");
    assert_eq!(audited, 1);
    sandbox.shutdown().await;
}

/// Two booths both worked by "li.na" (so each booth console, signed in as li.na, may use
/// either) and one cashback campaign at both, for the sign-up tests.
/// One booth, B-07 worked by li.na, and `campaign` at it.
pub(super) async fn plan_with(
    c: &Console,
    engine: &Engine,
    store: &Store,
    campaign: CampaignInput,
) {
    c.booth_save(booth("B-07", &["li.na"]))
        .await
        .expect("booth");
    c.campaign_save(campaign).await.expect("campaign");
    sync(engine, store).await;
}

pub(super) async fn plan_shared(c: &Console, engine: &Engine, store: &Store) {
    c.booth_save(booth("B-07", &["li.na"]))
        .await
        .expect("booth");
    c.booth_save(booth("B-08", &["li.na"]))
        .await
        .expect("booth");
    c.campaign_save(cashback("SPRING", &["B-07", "B-08"]))
        .await
        .expect("campaign");
    sync(engine, store).await;
}

#[tokio::test]
async fn training_mode_seeds_a_running_demo_campaign_at_a_demo_booth_once() {
    let sandbox = super::sandbox(1).await;
    let today = walletdesk_sandbox::today_in_china();
    assert!(
        walletdesk_sandbox::campaigns::seed_demo_once(sandbox.store(), today)
            .await
            .expect("seed")
    );
    assert!(
        !walletdesk_sandbox::campaigns::seed_demo_once(sandbox.store(), today)
            .await
            .expect("again"),
        "a second start keeps what is there"
    );
    let (_s, supervisor, engine, store) = counter_as(&sandbox.url(), Role::Supervisor).await;
    sync(&engine, &store).await;
    let catalogue = supervisor.booth_catalogue().await.expect("catalogue");
    let booth = catalogue
        .booths
        .iter()
        .find(|b| b.code == "DEMO-MALL")
        .expect("demo booth");
    assert_eq!(
        booth.roster,
        ["booth"],
        "the demo booth staff member works it"
    );
    let campaign = catalogue
        .campaigns
        .iter()
        .find(|c| c.code == "DEMO-SPRING")
        .expect("demo campaign");
    assert!(campaign.running && campaign.booths == ["DEMO-MALL"]);
    sandbox.shutdown().await;
}
