//! Bearer tokens: what the sandbox answers without one, with a wrong one, and with each of the
//! tokens it was given.

use super::{TOKEN, config, small_sandbox as sandbox};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use walletdesk_corebank::v1;
use walletdesk_sandbox::{SandboxConfig, SecretString};

const WRONG: &str = "not-this-consoles-token-0123456789";

/// Sends `method path` with `authorization` (the whole header value) or without the header.
async fn call(
    url: &str,
    method: Method,
    path: &str,
    authorization: Option<&str>,
) -> (StatusCode, Option<String>, String) {
    let mut request = reqwest::Client::new()
        .request(method.clone(), format!("{url}{path}"))
        .header(v1::IDEMPOTENCY_KEY_HEADER, "auth-test-1");
    if method == Method::POST {
        request = request.json(&json!({"name": "王五", "residentId": "11010519491231002X",
            "mobile": "13800138000"}));
    }
    if let Some(value) = authorization {
        request = request.header("authorization", value);
    }
    let response = request.send().await.expect("request");
    let status = response.status();
    let challenge = response
        .headers()
        .get("www-authenticate")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    (status, challenge, response.text().await.expect("body"))
}

#[track_caller]
fn assert_unauthorized(answer: &(StatusCode, Option<String>, String), token_sent: bool) {
    let (status, challenge, body) = answer;
    assert_eq!(*status, StatusCode::UNAUTHORIZED, "{body}");
    let problem: Value = serde_json::from_str(body).expect("problem+json");
    assert_eq!(problem["type"], v1::problem_types::UNAUTHORIZED, "{body}");
    assert_eq!(problem["status"], 401);
    let challenge = challenge.as_deref().expect("WWW-Authenticate");
    assert!(challenge.starts_with("Bearer realm="), "{challenge}");
    assert_eq!(
        challenge.contains("error=\"invalid_token\""),
        token_sent,
        "{challenge}"
    );
    assert!(
        !body.contains(WRONG) && !body.contains(TOKEN),
        "never echoed: {body}"
    );
}

#[tokio::test]
async fn every_route_but_the_health_probe_needs_a_token() {
    let sandbox = sandbox().await;
    let url = sandbox.url();
    for (method, path) in [
        (Method::GET, "/v1/customers/1"),
        (Method::GET, "/v1/changes"),
        (Method::POST, "/v1/customers"),
        (Method::POST, "/v1/batch"),
        (Method::GET, "/v1/admin/faults"),
        (Method::POST, "/v1/admin/faults"),
        // Unknown paths too: a caller without a token learns nothing about the routes.
        (Method::GET, "/v1/no-such-thing"),
        (Method::GET, "/"),
    ] {
        let missing = call(&url, method.clone(), path, None).await;
        assert_unauthorized(&missing, false);
        let wrong = call(&url, method.clone(), path, Some(&format!("Bearer {WRONG}"))).await;
        assert_unauthorized(&wrong, true);
        // Not a bearer token at all, or the right token under another scheme.
        let basic = call(&url, method.clone(), path, Some(&format!("Basic {TOKEN}"))).await;
        assert_unauthorized(&basic, true);
        let right = call(&url, method.clone(), path, Some(&format!("Bearer {TOKEN}"))).await;
        assert_ne!(
            right.0,
            StatusCode::UNAUTHORIZED,
            "{method} {path}: {}",
            right.2
        );
    }

    // The probe answers without a token, with the right one, and refuses a wrong one.
    let (status, _, _) = call(&url, Method::GET, "/v1/health", None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, _) = call(
        &url,
        Method::GET,
        "/v1/health",
        Some(&format!("bearer {TOKEN}")),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let wrong = call(
        &url,
        Method::GET,
        "/v1/health",
        Some(&format!("Bearer {WRONG}")),
    )
    .await;
    assert_unauthorized(&wrong, true);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_refused_write_changes_nothing_and_draws_no_fault() {
    let sandbox = sandbox().await;
    let url = sandbox.url();
    let before = sandbox.store().recount().await.expect("counts");
    let refused = call(
        &url,
        Method::POST,
        "/v1/customers",
        Some(&format!("Bearer {WRONG}")),
    )
    .await;
    assert_unauthorized(&refused, true);
    assert_eq!(sandbox.store().recount().await.expect("counts"), before);

    // With every request set to fail, a request without a token is still a plain 401: the
    // token check comes before fault injection (and so does not use up the seeded draws).
    let (status, _) = crate::support::post(
        &sandbox,
        "/v1/admin/faults",
        "unused",
        &json!({"errorRate": 1000}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let refused = call(&url, Method::GET, "/v1/customers/1", None).await;
    assert_unauthorized(&refused, false);
    let faulted = call(
        &url,
        Method::GET,
        "/v1/customers/1",
        Some(&format!("Bearer {TOKEN}")),
    )
    .await;
    assert!(faulted.0.is_server_error(), "{}", faulted.2);

    // The key of the refused write was never claimed: the same key runs now.
    crate::support::post(&sandbox, "/v1/admin/faults", "unused", &json!({})).await;
    let applied = call(
        &url,
        Method::POST,
        "/v1/customers",
        Some(&format!("Bearer {TOKEN}")),
    )
    .await;
    assert_eq!(applied.0, StatusCode::CREATED, "{}", applied.2);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn each_configured_console_token_is_accepted() {
    let second = "second-console-token-abcdefghij";
    let sandbox = walletdesk_sandbox::start(SandboxConfig {
        customers: 2,
        tokens: vec![TOKEN.into(), second.into()],
        ..config()
    })
    .await
    .expect("sandbox");
    for token in [TOKEN, second] {
        let client =
            walletdesk_corebank::Client::new(&sandbox.url(), Some(token.into())).expect("client");
        client.get_customer("1").await.expect("authorised read");
    }
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_sandbox_without_usable_tokens_does_not_start() {
    let err = walletdesk_sandbox::start(SandboxConfig {
        customers: 1,
        ..SandboxConfig::default()
    })
    .await
    .expect_err("no tokens");
    assert!(
        err.to_string().contains("at least one console token"),
        "{err}"
    );

    let secret = "too short!";
    let err = walletdesk_sandbox::start(SandboxConfig {
        customers: 1,
        tokens: vec![TOKEN.into(), SecretString::from(secret)],
        ..SandboxConfig::default()
    })
    .await
    .expect_err("malformed token");
    let text = format!("{err:#} {err:?}");
    assert!(text.contains("number 2"), "{text}");
    assert!(!text.contains(secret), "never echoed: {text}");
}
