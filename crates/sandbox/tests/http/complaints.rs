//! The complaints register and incentive claims.

use super::small_sandbox as sandbox;
use super::support::{assert_problem, customer, feed_entry, get, post};
use reqwest::StatusCode;
use serde_json::{Value, json};
use walletdesk_corebank::v1;

const ADULT: &str = "110105198001011238";
const EXT: &str = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";

fn complaint(case: &str, customer: &str) -> Value {
    json!({"caseNumber": case, "customerId": customer, "category": "payment",
        "channel": "counter", "summary": "扣款两次", "receivedOn": "2025-03-01"})
}

#[tokio::test]
async fn a_complaint_is_registered_and_moved_to_a_decision() {
    let sandbox = sandbox().await;
    post(
        &sandbox,
        "/v1/customers",
        "c",
        &json!({"name": "王小明", "residentId": ADULT, "mobile": "13800138000", "externalId": EXT}),
    )
    .await;
    let registered = post(
        &sandbox,
        "/v1/complaints",
        "r1",
        &complaint("WD-2025-0001", &format!("ext:{EXT}")),
    )
    .await;
    assert_eq!(registered.0, StatusCode::CREATED, "{}", registered.1);
    let entry: v1::Complaint = serde_json::from_value(registered.1).expect("complaint");
    assert_eq!(entry.status, "open");
    assert_eq!(entry.customer_id, "6");
    assert_eq!(entry.received_on, "2025-03-01");
    let status = format!("/v1/complaints/{}/status", entry.id);

    let working = post(&sandbox, &status, "s1", &json!({"status": "in-progress"})).await;
    assert_eq!(working.0, StatusCode::OK);
    // A decision records its cause, so repeated causes show in the statistics.
    assert_problem(
        &post(
            &sandbox,
            &status,
            "s2",
            &json!({"status": "decided", "decision": "退还重复扣款"}),
        )
        .await,
        422,
        "validation-failed",
    );
    let decided = post(
        &sandbox,
        &status,
        "s3",
        &json!({"status": "decided", "decision": "退还重复扣款", "rootCause": "重复提交",
            "fix": "支付接口加幂等键"}),
    )
    .await;
    assert_eq!(decided.0, StatusCode::OK, "{}", decided.1);
    assert_eq!(decided.1["rootCause"], "重复提交");
    assert_problem(
        &post(&sandbox, &status, "s4", &json!({"status": "in-progress"})).await,
        422,
        "validation-failed",
    );
    let closed = post(&sandbox, &status, "s5", &json!({"status": "closed"})).await;
    assert_eq!(closed.0, StatusCode::OK);
    assert_eq!(
        closed.1["decision"], "退还重复扣款",
        "closing keeps the decision"
    );
    assert_problem(
        &post(&sandbox, &status, "s6", &json!({"status": "withdrawn"})).await,
        409,
        "complaint-closed",
    );
    let read = get(&sandbox, &format!("/v1/complaints/{}", entry.id)).await;
    assert_eq!(read.1, closed.1);
    let change = feed_entry(&sandbox, "complaint", &entry.id)
        .await
        .expect("in the feed");
    assert_eq!(change.data["status"], "closed");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn register_refusals() {
    let sandbox = sandbox().await;
    let id = customer(&sandbox, "c", ADULT, "13800138000").await;
    assert_eq!(
        post(&sandbox, "/v1/complaints", "r1", &complaint("A-1", &id))
            .await
            .0,
        StatusCode::CREATED
    );
    assert_problem(
        &post(&sandbox, "/v1/complaints", "r2", &complaint("A-1", &id)).await,
        409,
        "duplicate-case-number",
    );
    assert_problem(
        &post(&sandbox, "/v1/complaints", "r3", &complaint("A-2", "999")).await,
        404,
        "not-found",
    );
    let mut future = complaint("A-3", &id);
    future["receivedOn"] = json!("2999-01-01");
    assert_problem(
        &post(&sandbox, "/v1/complaints", "r4", &future).await,
        422,
        "validation-failed",
    );
    let mut blank = complaint("A-4", &id);
    blank["summary"] = json!(" ");
    assert_problem(
        &post(&sandbox, "/v1/complaints", "r5", &blank).await,
        422,
        "validation-failed",
    );
    let withdrawn = post(
        &sandbox,
        "/v1/complaints/1/status",
        "w",
        &json!({"status": "withdrawn"}),
    )
    .await;
    assert_eq!(withdrawn.0, StatusCode::OK);
    assert_problem(
        &post(
            &sandbox,
            "/v1/complaints/1/status",
            "w2",
            &json!({"status": "in-progress"}),
        )
        .await,
        409,
        "complaint-closed",
    );
    assert_problem(&get(&sandbox, "/v1/complaints/2").await, 404, "not-found");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn one_incentive_claim_per_customer_per_campaign() {
    let sandbox = sandbox().await;
    let id = customer(&sandbox, "c", ADULT, "13800138000").await;
    // Claims are for campaigns the core runs (tests/http/campaigns.rs has their rules).
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    for code in ["spring-2025", "autumn-2025"] {
        let saved = post(
            &sandbox,
            "/v1/campaigns",
            &format!("save-{code}"),
            &json!({"code": code, "name": code, "startsOn": today.to_string(),
                "endsOn": today.to_string(), "booths": ["B-07"],
                "incentive": {"kind": "cashback", "amount": "8.80"}}),
        )
        .await;
        assert_eq!(saved.0, StatusCode::OK, "{}", saved.1);
    }
    let claim = |campaign: &str, customer: &str| {
        json!({"campaign": campaign, "booth": "B-07", "staffId": "T001", "customerId": customer,
            "amount": "8.8"})
    };
    let first = post(
        &sandbox,
        "/v1/incentives/claims",
        "i1",
        &claim("spring-2025", &id),
    )
    .await;
    assert_eq!(first.0, StatusCode::CREATED, "{}", first.1);
    assert_eq!(first.1["amount"], "8.80");
    assert_eq!(first.1["booth"], "B-07");
    let change = feed_entry(
        &sandbox,
        "incentive-claim",
        first.1["id"].as_str().expect("id"),
    )
    .await
    .expect("in the feed");
    assert_eq!(change.data["campaign"], "spring-2025");
    assert_problem(
        &post(
            &sandbox,
            "/v1/incentives/claims",
            "i2",
            &claim("spring-2025", &id),
        )
        .await,
        409,
        "duplicate-claim",
    );
    assert_eq!(
        post(
            &sandbox,
            "/v1/incentives/claims",
            "i3",
            &claim("autumn-2025", &id)
        )
        .await
        .0,
        StatusCode::CREATED
    );
    assert_problem(
        &post(
            &sandbox,
            "/v1/incentives/claims",
            "i4",
            &claim("spring-2025", "999"),
        )
        .await,
        404,
        "not-found",
    );
    let mut free = claim("winter", &id);
    free["amount"] = json!("0");
    assert_problem(
        &post(&sandbox, "/v1/incentives/claims", "i5", &free).await,
        422,
        "validation-failed",
    );
    sandbox.shutdown().await;
}
