//! Request helpers shared by the resource tests.

use reqwest::{Method, StatusCode};
use serde_json::Value;
use walletdesk_corebank::v1;
use walletdesk_sandbox::RunningSandbox;

/// A write with an Idempotency-Key; answers status and JSON body (null when not JSON).
pub async fn send(
    sandbox: &RunningSandbox,
    method: Method,
    path: &str,
    key: &str,
    body: &Value,
) -> (StatusCode, Value) {
    let response = crate::http()
        .request(method, format!("{}{path}", sandbox.url()))
        .header(v1::IDEMPOTENCY_KEY_HEADER, key)
        .json(body)
        .send()
        .await
        .expect("request");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

pub async fn post(
    sandbox: &RunningSandbox,
    path: &str,
    key: &str,
    body: &Value,
) -> (StatusCode, Value) {
    send(sandbox, Method::POST, path, key, body).await
}

pub async fn get(sandbox: &RunningSandbox, path: &str) -> (StatusCode, Value) {
    let response = crate::get_url(format!("{}{path}", sandbox.url()))
        .await
        .expect("request");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Asserts the answer is the problem `kind` (a slug from `v1::problem_types`) with `status`.
#[track_caller]
pub fn assert_problem(answer: &(StatusCode, Value), status: u16, slug: &str) {
    assert_eq!(answer.0.as_u16(), status, "{}", answer.1);
    assert_eq!(
        answer.1["type"],
        format!("{}{slug}", v1::PROBLEM_TYPE_BASE),
        "{}",
        answer.1
    );
}

/// Creates a customer and answers its id. `resident_id` decides the age (and so the tiers).
pub async fn customer(
    sandbox: &RunningSandbox,
    key: &str,
    resident_id: &str,
    mobile: &str,
) -> String {
    let (status, body) = post(
        sandbox,
        "/v1/customers",
        key,
        &serde_json::json!({"name": "测试客户", "residentId": resident_id, "mobile": mobile}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["id"].as_str().expect("id").to_owned()
}

/// Runs `sql` on the sandbox's store: for states no request makes quickly.
pub async fn exec(sandbox: &RunningSandbox, sql: &str) {
    sqlx::query(sql)
        .execute(sandbox.store().pool())
        .await
        .expect(sql);
}

/// The change feed's entry for `kind` `id`, if any.
pub async fn feed_entry(sandbox: &RunningSandbox, kind: &str, id: &str) -> Option<v1::Change> {
    let mut after = String::new();
    loop {
        let page: v1::ChangePage = crate::get_url(format!(
            "{}/v1/changes?limit=1000&after={after}",
            sandbox.url()
        ))
        .await
        .expect("feed")
        .json()
        .await
        .expect("page");
        if let Some(change) = page.changes.iter().find(|c| c.kind == kind && c.id == id) {
            return Some(change.clone());
        }
        if !page.more {
            return None;
        }
        after = page.next_cursor;
    }
}

pub async fn count(sandbox: &RunningSandbox, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(sandbox.store().pool())
        .await
        .expect(sql)
}
