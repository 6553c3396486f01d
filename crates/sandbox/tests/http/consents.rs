//! PIPL consents: separate per scope, versioned, superseded by a new grant, withdrawn as
//! easily, guardians for children; every change in the feed.

use super::small_sandbox as sandbox;
use super::support::{assert_problem, customer, feed_entry, get, post};
use reqwest::StatusCode;
use serde_json::json;
use walletdesk_corebank::v1;

const ADULT: &str = "110105198001011238";
/// Born 2015: under 14.
const CHILD: &str = "110105201501010017";
const EXT: &str = "7d3e8a10-5b2c-4f6d-9e8a-1b2c3d4e5f60";

#[tokio::test]
async fn each_scope_is_granted_separately_and_a_new_version_supersedes() {
    let sandbox = sandbox().await;
    post(
        &sandbox,
        "/v1/customers",
        "c",
        &json!({"name": "王小明", "residentId": ADULT, "mobile": "13800138000", "externalId": EXT}),
    )
    .await;
    let path = format!("/v1/customers/ext:{EXT}/consents");
    let grant = |key: &'static str, body: serde_json::Value| {
        let sandbox = &sandbox;
        let path = path.clone();
        async move {
            let answer = post(sandbox, &path, key, &body).await;
            assert_eq!(answer.0, StatusCode::CREATED, "{}", answer.1);
            serde_json::from_value::<v1::Consent>(answer.1).expect("consent")
        }
    };
    let general = grant(
        "g1",
        json!({"scope": "general-processing", "version": "2025-01"}),
    )
    .await;
    assert_eq!(general.status, "granted");
    assert_eq!(general.version, "2025-01");
    assert_eq!(general.customer_id, "6");
    assert!(general.granted_at.ends_with('Z'));
    let sensitive = grant(
        "s1",
        json!({"scope": "sensitive-financial", "version": "2025-01"}),
    )
    .await;
    let sharing = grant(
        "t1",
        json!({"scope": "third-party-sharing", "version": "2025-01", "thirdParty": "某保险公司"}),
    )
    .await;
    assert_eq!(sharing.third_party.as_deref(), Some("某保险公司"));

    // The notice changed: the new grant supersedes the old one of the same scope only.
    let newer = grant(
        "g2",
        json!({"scope": "general-processing", "version": "2025-06"}),
    )
    .await;
    let list: v1::ConsentList = serde_json::from_value(get(&sandbox, &path).await.1).expect("list");
    let status = |id: &str| {
        list.consents
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.status.clone())
            .expect("listed")
    };
    assert_eq!(list.consents.len(), 4);
    assert_eq!(list.consents[0].id, newer.id, "newest first");
    assert_eq!(status(&general.id), "superseded");
    assert_eq!(status(&sensitive.id), "granted");
    assert_eq!(status(&sharing.id), "granted");
    let old = feed_entry(&sandbox, "consent", &general.id)
        .await
        .expect("in the feed");
    assert_eq!(old.data["status"], "superseded");
    assert!(old.data["endedAt"].is_string());

    // Withdrawal is one request, and repeating it changes nothing.
    let withdraw = format!("/v1/consents/{}/withdraw", sensitive.id);
    let withdrawn = post(&sandbox, &withdraw, "w1", &json!({"reason": "客户要求"})).await;
    assert_eq!(withdrawn.0, StatusCode::OK);
    assert_eq!(withdrawn.1["status"], "withdrawn");
    let change = feed_entry(&sandbox, "consent", &sensitive.id)
        .await
        .expect("feed");
    assert_eq!(change.data["status"], "withdrawn");
    let again = post(&sandbox, &withdraw, "w2", &json!({})).await;
    assert_eq!(again.0, StatusCode::OK);
    assert_eq!(again.1["endedAt"], withdrawn.1["endedAt"]);
    let unmoved = feed_entry(&sandbox, "consent", &sensitive.id)
        .await
        .expect("feed");
    assert_eq!(unmoved.cursor, change.cursor);
    assert_problem(
        &post(&sandbox, "/v1/consents/999/withdraw", "w3", &json!({})).await,
        404,
        "not-found",
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn consent_refusals() {
    let sandbox = sandbox().await;
    let adult = customer(&sandbox, "a", ADULT, "13800138000").await;
    let child = customer(&sandbox, "c", CHILD, "13900139000").await;
    let adult_path = format!("/v1/customers/{adult}/consents");
    for (key, body) in [
        ("r1", json!({"scope": "everything", "version": "1"})),
        ("r2", json!({"scope": "general-processing", "version": " "})),
        (
            "r3",
            json!({"scope": "third-party-sharing", "version": "1"}),
        ),
        (
            "r4",
            json!({"scope": "general-processing", "version": "1", "thirdParty": "x"}),
        ),
    ] {
        assert_problem(
            &post(&sandbox, &adult_path, key, &body).await,
            422,
            "validation-failed",
        );
    }
    let child_path = format!("/v1/customers/{child}/consents");
    assert_problem(
        &post(
            &sandbox,
            &child_path,
            "k1",
            &json!({"scope": "general-processing", "version": "1"}),
        )
        .await,
        422,
        "guardian-consent-required",
    );
    let by_guardian = post(
        &sandbox,
        &child_path,
        "k2",
        &json!({"scope": "general-processing", "version": "1", "guardianName": "王大明"}),
    )
    .await;
    assert_eq!(by_guardian.0, StatusCode::CREATED);
    assert_eq!(by_guardian.1["guardianName"], "王大明");
    assert_problem(
        &post(
            &sandbox,
            "/v1/customers/999/consents",
            "k3",
            &json!({"scope": "general-processing", "version": "1"}),
        )
        .await,
        404,
        "not-found",
    );
    assert_problem(
        &get(&sandbox, "/v1/customers/999/consents").await,
        404,
        "not-found",
    );
    sandbox.shutdown().await;
}
