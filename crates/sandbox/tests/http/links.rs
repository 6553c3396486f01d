//! Booth QR codes' self sign-up links (1.9.0): signed by the core, checked by the bank's
//! sign-up page (the sandbox's admin stand-in), credited to the link's booth and staff.

use super::small_sandbox as sandbox;
use super::support::{assert_problem, count, feed_entry, post};
use chrono::{Duration, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};
use walletdesk_corebank::v1;
use walletdesk_sandbox::RunningSandbox;

fn day(offset: i64) -> String {
    ((Utc::now() + Duration::hours(8)).date_naive() + Duration::days(offset))
        .format("%Y-%m-%d")
        .to_string()
}

/// Campaign QR-26 running at booths B-07 and B-08, 6.60 cashback.
async fn campaign(sandbox: &RunningSandbox) {
    for (code, staff) in [("B-07", "booth"), ("B-08", "booth2")] {
        let booth = json!({"code": code, "name": "展位", "mall": "万象城", "address": "建国路 1 号",
            "branch": "BJ-001", "roster": [staff]});
        let saved = post(sandbox, "/v1/booths", &format!("booth-{code}"), &booth).await;
        assert_eq!(saved.0, StatusCode::OK, "{}", saved.1);
    }
    let body = json!({"code": "QR-26", "name": "扫码开户", "startsOn": day(-1), "endsOn": day(30),
        "branches": ["BJ-001"], "booths": ["B-07", "B-08"],
        "incentive": {"kind": "cashback", "amount": "6.60"}});
    let saved = post(sandbox, "/v1/campaigns", "campaign", &body).await;
    assert_eq!(saved.0, StatusCode::OK, "{}", saved.1);
}

async fn link(
    sandbox: &RunningSandbox,
    key: &str,
    booth: &str,
    staff: &str,
) -> (StatusCode, Value) {
    post(
        sandbox,
        "/v1/sign-up-links",
        key,
        &json!({"campaign": "QR-26", "booth": booth, "staffId": staff}),
    )
    .await
}

async fn scan(sandbox: &RunningSandbox, key: &str, url: &str, mobile: &str) -> (StatusCode, Value) {
    post(
        sandbox,
        "/v1/admin/self-signups",
        key,
        &json!({"link": url, "mobile": mobile, "name": "扫码客"}),
    )
    .await
}

#[tokio::test]
async fn a_self_sign_up_through_a_signed_link_is_credited_to_its_booth_and_staff_by_qr() {
    let sandbox = sandbox().await;
    campaign(&sandbox).await;
    let signed = link(&sandbox, "l1", "B-07", "booth").await;
    assert_eq!(signed.0, StatusCode::OK, "{}", signed.1);
    let signed: v1::SignUpLink = serde_json::from_value(signed.1).expect("link");
    assert!(signed.url.starts_with("https://"), "{}", signed.url);
    let answer = scan(&sandbox, "s1", &signed.url, "139 0000 7001").await;
    assert_eq!(answer.0, StatusCode::OK, "{}", answer.1);
    let up: v1::SignUp = serde_json::from_value(answer.1).expect("sign-up");
    assert!(up.created);
    assert_eq!(up.incentive, "granted");
    let entry = feed_entry(&sandbox, "customer", &up.customer_id)
        .await
        .expect("the customer is in the feed");
    assert_eq!(
        entry.data["attribution"],
        json!({"campaign": "QR-26", "booth": "B-07", "staffId": "booth", "channel": "qr"}),
        "{}",
        entry.data
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_link_re_pointed_at_another_staff_member_or_booth_is_refused_and_signs_nobody_up() {
    let sandbox = sandbox().await;
    campaign(&sandbox).await;
    let signed = link(&sandbox, "l1", "B-07", "booth").await;
    let url = signed.1["url"].as_str().expect("url").to_owned();
    let before = count(&sandbox, "SELECT COUNT(*) FROM customers").await;
    for (i, forged) in [
        url.replace("s=booth&", "s=booth2&"),
        url.replace("b=B-07&", "b=B-08&"),
        url.replace(
            "https://wallet.sandbox.walletdesk.invalid",
            "https://evil.example",
        ),
        format!("{}0", &url[..url.len() - 1]),
    ]
    .iter()
    .enumerate()
    {
        let answer = scan(&sandbox, &format!("forged-{i}"), forged, "139 0000 7002").await;
        assert_problem(&answer, 422, "invalid-link");
    }
    assert_eq!(
        count(&sandbox, "SELECT COUNT(*) FROM customers").await,
        before
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_link_is_signed_only_for_a_booth_of_the_campaign_and_a_username() {
    let sandbox = sandbox().await;
    campaign(&sandbox).await;
    assert_problem(
        &link(&sandbox, "l1", "B-99", "booth").await,
        422,
        "validation-failed",
    );
    assert_problem(
        &link(&sandbox, "l2", "B-07", "王 柜员").await,
        422,
        "validation-failed",
    );
    let unknown = post(
        &sandbox,
        "/v1/sign-up-links",
        "l3",
        &json!({"campaign": "NOPE", "booth": "B-07", "staffId": "booth"}),
    )
    .await;
    assert_problem(&unknown, 422, "validation-failed");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_person_who_scans_twice_or_also_signs_up_at_a_booth_gets_one_incentive() {
    let sandbox = sandbox().await;
    campaign(&sandbox).await;
    let first = link(&sandbox, "l1", "B-07", "booth").await.1["url"]
        .as_str()
        .expect("url")
        .to_owned();
    let second = link(&sandbox, "l2", "B-08", "booth2").await.1["url"]
        .as_str()
        .expect("url")
        .to_owned();
    assert_eq!(
        scan(&sandbox, "s1", &first, "13900007003").await.1["incentive"],
        "granted"
    );
    let again = scan(&sandbox, "s2", &second, "+86 139-0000-7003").await;
    assert_eq!(again.0, StatusCode::OK, "{}", again.1);
    assert_eq!(again.1["incentive"], "already-claimed");
    assert_eq!(again.1["created"], false);
    assert_eq!(
        count(
            &sandbox,
            "SELECT COUNT(*) FROM incentive_claims WHERE campaign = 'QR-26'"
        )
        .await,
        1
    );
    sandbox.shutdown().await;
}
