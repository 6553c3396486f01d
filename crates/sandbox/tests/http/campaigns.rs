//! Campaigns and booths at the core, and the campaign rules the core enforces on a claim.
//! Each rule is configuration (a field of the campaign); each test names the rule it checks.

use super::small_sandbox as sandbox;
use super::support::{assert_problem, customer, exec, feed_entry, post};
use chrono::{Duration, NaiveDate, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};
use walletdesk_corebank::v1;
use walletdesk_sandbox::RunningSandbox;

const ADULT: &str = "110105198001011238";
const OTHER_ADULT: &str = "440524198001010013";

/// Today in China, the day the core's campaign dates are counted in.
fn today() -> NaiveDate {
    (Utc::now() + Duration::hours(8)).date_naive()
}

fn day(offset: i64) -> String {
    (today() + Duration::days(offset))
        .format("%Y-%m-%d")
        .to_string()
}

/// A cashback campaign running today at booth B-07, with no budget cap.
fn campaign(code: &str) -> Value {
    json!({"code": code, "name": "春季推广", "startsOn": day(-1), "endsOn": day(30),
        "branches": ["BJ-001"], "booths": ["B-07"],
        "incentive": {"kind": "cashback", "amount": "8.80"}})
}

fn claim(campaign: &str, customer: &str) -> Value {
    json!({"campaign": campaign, "booth": "B-07", "staffId": "booth", "customerId": customer,
        "amount": "8.80"})
}

async fn save(sandbox: &RunningSandbox, key: &str, body: &Value) -> (StatusCode, Value) {
    post(sandbox, "/v1/campaigns", key, body).await
}

#[tokio::test]
async fn a_campaign_and_a_booth_are_saved_whole_and_reach_every_console_through_the_feed() {
    let sandbox = sandbox().await;
    let saved = save(&sandbox, "k1", &campaign("SPRING-26")).await;
    assert_eq!(saved.0, StatusCode::OK, "{}", saved.1);
    let record: v1::Campaign = serde_json::from_value(saved.1).expect("campaign");
    assert_eq!(record.incentive.amount.as_deref(), Some("8.80"));
    assert_eq!((record.claims, record.spent.as_str()), (0, "0.00"));
    // Replaced whole: the second save's fields, not a merge.
    let mut changed = campaign("SPRING-26");
    changed["name"] = json!("春季推广二期");
    changed["incentive"] = json!({"kind": "points", "points": 500});
    changed["budgetClaims"] = json!(100);
    let again = save(&sandbox, "k2", &changed).await;
    assert_eq!(again.0, StatusCode::OK, "{}", again.1);
    let entry = feed_entry(&sandbox, "campaign", "SPRING-26")
        .await
        .expect("in the feed");
    assert_eq!(entry.data["name"], "春季推广二期");
    assert_eq!(
        entry.data["incentive"],
        json!({"kind": "points", "points": 500})
    );
    assert_eq!(entry.data["budgetClaims"], 100);

    let booth = json!({"code": "B-07", "name": "万达展位", "mall": "万达广场 1F",
        "address": "北京市朝阳区建国路 93 号", "branch": "BJ-001",
        "roster": [" booth ", "booth", "", "li.na"]});
    let saved = post(&sandbox, "/v1/booths", "b1", &booth).await;
    assert_eq!(saved.0, StatusCode::OK, "{}", saved.1);
    let entry = feed_entry(&sandbox, "booth", "B-07")
        .await
        .expect("in the feed");
    assert_eq!(entry.data["roster"], json!(["booth", "li.na"]));
    assert_eq!(entry.data["mall"], "万达广场 1F");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn an_incentive_carries_exactly_the_field_its_kind_names() {
    let sandbox = sandbox().await;
    for (n, incentive) in [
        json!({"kind": "cashback"}),
        json!({"kind": "cashback", "amount": "8.80", "points": 5}),
        json!({"kind": "points"}),
        json!({"kind": "coupon"}),
        json!({"kind": "fee-waiver"}),
        json!({"kind": "fee-waiver", "service": "Transfer Out"}),
        json!({"kind": "gift", "amount": "1"}),
    ]
    .into_iter()
    .enumerate()
    {
        let mut body = campaign("C1");
        body["incentive"] = incentive;
        assert_problem(
            &save(&sandbox, &format!("bad{n}"), &body).await,
            422,
            "validation-failed",
        );
    }
    let mut waiver = campaign("C1");
    waiver["incentive"] = json!({"kind": "fee-waiver", "service": "transfer-out"});
    assert_eq!(save(&sandbox, "ok", &waiver).await.0, StatusCode::OK);
    let mut reversed = campaign("C2");
    reversed["endsOn"] = json!(day(-2));
    assert_problem(
        &save(&sandbox, "rev", &reversed).await,
        422,
        "validation-failed",
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_claim_for_a_campaign_the_core_does_not_run_is_refused() {
    let sandbox = sandbox().await;
    let id = customer(&sandbox, "c", ADULT, "13800138000").await;
    assert_problem(
        &post(&sandbox, "/v1/incentives/claims", "i1", &claim("NOPE", &id)).await,
        422,
        "validation-failed",
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_claim_outside_the_campaign_dates_is_not_eligible() {
    let sandbox = sandbox().await;
    let id = customer(&sandbox, "c", ADULT, "13800138000").await;
    let mut ended = campaign("ENDED");
    ended["startsOn"] = json!(day(-30));
    ended["endsOn"] = json!(day(-1));
    save(&sandbox, "k1", &ended).await;
    let mut later = campaign("LATER");
    later["startsOn"] = json!(day(1));
    save(&sandbox, "k2", &later).await;
    for (key, code) in [("i1", "ENDED"), ("i2", "LATER")] {
        assert_problem(
            &post(&sandbox, "/v1/incentives/claims", key, &claim(code, &id)).await,
            422,
            "not-eligible",
        );
    }
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_claim_from_a_booth_the_campaign_does_not_run_at_is_not_eligible() {
    let sandbox = sandbox().await;
    let id = customer(&sandbox, "c", ADULT, "13800138000").await;
    save(&sandbox, "k1", &campaign("SPRING")).await;
    let mut elsewhere = claim("SPRING", &id);
    elsewhere["booth"] = json!("B-99");
    assert_problem(
        &post(&sandbox, "/v1/incentives/claims", "i1", &elsewhere).await,
        422,
        "not-eligible",
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_cashback_campaign_pays_only_its_configured_amount() {
    let sandbox = sandbox().await;
    let id = customer(&sandbox, "c", ADULT, "13800138000").await;
    save(&sandbox, "k1", &campaign("SPRING")).await;
    let mut more = claim("SPRING", &id);
    more["amount"] = json!("88.00");
    assert_problem(
        &post(&sandbox, "/v1/incentives/claims", "i1", &more).await,
        422,
        "validation-failed",
    );
    let paid = post(
        &sandbox,
        "/v1/incentives/claims",
        "i2",
        &claim("SPRING", &id),
    )
    .await;
    assert_eq!(paid.0, StatusCode::CREATED, "{}", paid.1);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn new_customers_only_refuses_a_customer_the_core_knew_before_the_start() {
    let sandbox = sandbox().await;
    let mut fresh = campaign("NEW-ONLY");
    fresh["newCustomersOnly"] = json!(true);
    save(&sandbox, "k1", &fresh).await;
    let old = customer(&sandbox, "c1", ADULT, "13800138000").await;
    exec(
        &sandbox,
        &format!("UPDATE customers SET created_at = '2020-01-01T00:00:00Z' WHERE id = {old}"),
    )
    .await;
    let new = customer(&sandbox, "c2", OTHER_ADULT, "13900139000").await;
    assert_problem(
        &post(
            &sandbox,
            "/v1/incentives/claims",
            "i1",
            &claim("NEW-ONLY", &old),
        )
        .await,
        422,
        "not-eligible",
    );
    let paid = post(
        &sandbox,
        "/v1/incentives/claims",
        "i2",
        &claim("NEW-ONLY", &new),
    )
    .await;
    assert_eq!(paid.0, StatusCode::CREATED, "{}", paid.1);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_count_budget_cap_answers_budget_exhausted_past_it_and_a_repeat_stays_already_claimed()
{
    let sandbox = sandbox().await;
    let mut capped = campaign("CAPPED");
    capped["budgetClaims"] = json!(1);
    save(&sandbox, "k1", &capped).await;
    let first = customer(&sandbox, "c1", ADULT, "13800138000").await;
    let second = customer(&sandbox, "c2", OTHER_ADULT, "13900139000").await;
    let paid = post(
        &sandbox,
        "/v1/incentives/claims",
        "i1",
        &claim("CAPPED", &first),
    )
    .await;
    assert_eq!(paid.0, StatusCode::CREATED, "{}", paid.1);
    assert_problem(
        &post(
            &sandbox,
            "/v1/incentives/claims",
            "i2",
            &claim("CAPPED", &second),
        )
        .await,
        409,
        "budget-exhausted",
    );
    // The person who has it hears "already claimed", not "budget exhausted".
    assert_problem(
        &post(
            &sandbox,
            "/v1/incentives/claims",
            "i3",
            &claim("CAPPED", &first),
        )
        .await,
        409,
        "duplicate-claim",
    );
    let entry = feed_entry(&sandbox, "campaign", "CAPPED")
        .await
        .expect("in the feed");
    assert_eq!(
        (entry.data["claims"].clone(), entry.data["spent"].clone()),
        (json!(1), json!("8.80"))
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_money_budget_cap_refuses_the_claim_that_would_pass_it() {
    let sandbox = sandbox().await;
    let mut capped = campaign("MONEY");
    capped["incentive"] = json!({"kind": "coupon", "coupon": "咖啡券"});
    capped["budgetAmount"] = json!("15.00");
    save(&sandbox, "k1", &capped).await;
    let first = customer(&sandbox, "c1", ADULT, "13800138000").await;
    let second = customer(&sandbox, "c2", OTHER_ADULT, "13900139000").await;
    let mut coupon = claim("MONEY", &first);
    coupon["amount"] = json!("10.00");
    let paid = post(&sandbox, "/v1/incentives/claims", "i1", &coupon).await;
    assert_eq!(paid.0, StatusCode::CREATED, "{}", paid.1);
    coupon["customerId"] = json!(second);
    assert_problem(
        &post(&sandbox, "/v1/incentives/claims", "i2", &coupon).await,
        409,
        "budget-exhausted",
    );
    // What still fits is paid.
    coupon["amount"] = json!("5.00");
    let fits = post(&sandbox, "/v1/incentives/claims", "i3", &coupon).await;
    assert_eq!(fits.0, StatusCode::CREATED, "{}", fits.1);
    sandbox.shutdown().await;
}
