//! The sandbox as a client sees it: a real server on a loopback port, spoken to over HTTP.

use std::time::{Duration, Instant};
use walletdesk_core::domain::{Mobile, ResidentId};
use walletdesk_corebank::Client;
use walletdesk_sandbox::{RunningSandbox, SandboxConfig};

/// The console token every test sandbox accepts.
pub const TOKEN: &str = "test-console-token-0123456789";

/// A config with the test token and nothing else set.
pub fn config() -> SandboxConfig {
    SandboxConfig {
        tokens: vec![TOKEN.into()],
        ..SandboxConfig::default()
    }
}

/// A plain HTTP client that sends the test token on every request.
pub fn http() -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::AUTHORIZATION,
        reqwest::header::HeaderValue::from_str(&format!("Bearer {TOKEN}")).expect("header"),
    );
    reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .expect("http client")
}

/// `reqwest::get` with the test token.
pub async fn get_url(url: impl reqwest::IntoUrl) -> reqwest::Result<reqwest::Response> {
    http().get(url).send().await
}

/// The Walletdesk client with the test token.
pub fn client(url: &str) -> Client {
    Client::new(url, Some(TOKEN.into())).expect("client")
}

async fn start(seed: u64, customers: u32) -> RunningSandbox {
    walletdesk_sandbox::start(SandboxConfig {
        seed,
        customers,
        ..config()
    })
    .await
    .expect("sandbox starts")
}

/// The fixture most write tests need: five demo customers, nothing else.
async fn small_sandbox() -> RunningSandbox {
    start(42, 5).await
}

#[tokio::test]
async fn health_reports_what_the_store_holds() {
    let started = Instant::now();
    let sandbox = start(42, 300).await;
    let startup = started.elapsed();
    // Generous for slow debug builds on CI; seeding 300 customers takes a fraction of this.
    assert!(startup < Duration::from_secs(5), "startup took {startup:?}");

    assert!(sandbox.addr.ip().is_loopback());
    assert_ne!(sandbox.addr.port(), 0);
    assert_eq!(
        sandbox.url(),
        format!("http://127.0.0.1:{}", sandbox.addr.port())
    );

    let health = crate::client(&sandbox.url())
        .health()
        .await
        .expect("health");
    let counts = sandbox.store().recount().await.expect("counts");
    assert_eq!(health.status, "ok");
    assert_eq!(health.name, "Walletdesk Sandbox Core Bank");
    assert_eq!(health.version, "v1");
    assert_eq!(health.instance, "sandbox-seed-42");
    assert!(health.training);
    assert_eq!(health.customers, 300);
    assert_eq!(health.customers, counts.customers);
    assert_eq!(health.wallets, counts.wallets);
    assert_eq!(health.transactions, counts.transactions);
    assert!(health.wallets >= 300);
    assert!(health.transactions > 300);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn health_json_is_camel_case() {
    let sandbox = start(5, 3).await;
    let response = crate::get_url(format!("{}/v1/health", sandbox.url()))
        .await
        .expect("request");
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.expect("json");
    for key in [
        "status",
        "name",
        "version",
        "instance",
        "training",
        "customers",
        "wallets",
        "transactions",
    ] {
        assert!(body.get(key).is_some(), "missing {key} in {body}");
    }
    sandbox.shutdown().await;
}

#[tokio::test]
async fn unknown_routes_are_problem_json_404() {
    let sandbox = start(1, 3).await;
    let response = crate::get_url(format!("{}/v1/nothing-here", sandbox.url()))
        .await
        .expect("request");
    assert_eq!(response.status(), 404);
    assert_eq!(
        response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/problem+json")
    );
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(
        body["type"],
        "https://walletdesk.invalid/problems/not-found"
    );
    assert_eq!(body["status"], 404);
    assert!(body["title"].is_string());

    let response = crate::http()
        .post(format!("{}/v1/health", sandbox.url()))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 405);
    assert_eq!(
        response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/problem+json")
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn every_identity_in_the_store_parses() {
    let sandbox = start(42, 300).await;
    let customers = sandbox
        .store()
        .customers(0, 1_000)
        .await
        .expect("customers");
    assert_eq!(customers.len(), 300);
    for c in &customers {
        let id = ResidentId::parse(&c.resident_id)
            .unwrap_or_else(|err| panic!("customer {}: resident ID refused: {err}", c.id));
        assert_eq!(id.birth_date(), c.birth_date);
        assert_eq!(id.sex(), c.sex);
        Mobile::parse(&c.mobile)
            .unwrap_or_else(|err| panic!("customer {}: mobile refused: {err}", c.id));
    }
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_seed_decides_the_data() {
    let a = start(42, 10).await;
    let b = start(42, 10).await;
    let c = start(43, 10).await;
    let first = |s: &RunningSandbox| {
        let store = s.store().clone();
        async move { store.customers(0, 1).await.expect("customers").remove(0) }
    };
    let (first_a, first_b, first_c) = (first(&a).await, first(&b).await, first(&c).await);
    if a.seeding().as_of == b.seeding().as_of {
        assert_eq!(first_a, first_b);
    } else {
        // Started either side of midnight in China: ages shift, names do not.
        assert_eq!(first_a.name, first_b.name);
    }
    assert_ne!(first_a, first_c);
    a.shutdown().await;
    b.shutdown().await;
    c.shutdown().await;
}

#[tokio::test]
async fn a_database_file_is_seeded_once_and_kept() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("sandbox.db");
    let config = |seed| SandboxConfig {
        seed,
        customers: 25,
        db_path: Some(path.clone()),
        ..config()
    };

    let first = walletdesk_sandbox::start(config(9))
        .await
        .expect("first start");
    let before = first.store().customers(0, 100).await.expect("customers");
    first.shutdown().await;

    // Another seed on the same file serves the stored data, labelled with the stored seed.
    let second = walletdesk_sandbox::start(config(10))
        .await
        .expect("second start");
    let after = second.store().customers(0, 100).await.expect("customers");
    assert_eq!(before, after);
    let health = crate::client(&second.url()).health().await.expect("health");
    assert_eq!(health.instance, "sandbox-seed-9");
    assert_eq!(health.customers, 25);
    second.shutdown().await;
}

#[tokio::test]
async fn shutdown_frees_the_port() {
    let sandbox = start(2, 1).await;
    let url = sandbox.url();
    sandbox.shutdown().await;
    let err = crate::client(&url).health().await.expect_err("stopped");
    assert!(err.is_retryable(), "{err:?}");
}

mod articles;
mod auth;
mod campaigns;
mod cards;
mod complaints;
mod consents;
mod customers;
mod disputes;
mod faults;
mod fees;
mod identity;
mod insights;
mod links;
mod openapi;
mod payments;
mod practice;
mod race;
mod secrets;
mod seed;
mod support;
mod sync;
mod wallets;

/// Malformed queries, unreadable paths and bodies not sent as JSON are refused like every other
/// error, in problem+json (axum's own extractors answer these in text/plain); an empty search
/// filter is refused rather than read as "no filter", which listed every customer.
#[tokio::test]
async fn every_rejection_is_problem_json_and_an_empty_filter_lists_nobody() {
    let sandbox = start(3, 5).await;
    let url = sandbox.url();
    let http = crate::http();
    let cases = [
        (
            http.get(format!("{url}/v1/customers?residentIdLast4=")),
            400,
            "invalid-query",
        ),
        (
            http.get(format!("{url}/v1/customers?mobile=")),
            400,
            "invalid-query",
        ),
        (
            http.get(format!("{url}/v1/customers?limit=abc")),
            400,
            "invalid-query",
        ),
        (
            http.get(format!("{url}/v1/customers?after=%2B5")),
            400,
            "invalid-query",
        ),
        (
            http.get(format!("{url}/v1/changes?limit=-1")),
            400,
            "invalid-query",
        ),
        (
            http.get(format!("{url}/v1/customers/%FF")),
            404,
            "not-found",
        ),
        (
            http.post(format!("{url}/v1/batch"))
                .body(r#"{"items": []}"#),
            415,
            "unsupported-media-type",
        ),
        (
            http.post(format!("{url}/v1/admin/faults"))
                .header("content-type", "text/plain")
                .body("{}"),
            415,
            "unsupported-media-type",
        ),
        (
            http.post(format!("{url}/v1/batch"))
                .header("content-type", "application/json")
                .body("{"),
            400,
            "invalid-body",
        ),
    ];
    for (request, status, slug) in cases {
        let response = request.send().await.expect("request");
        let what = response.url().to_string();
        assert_eq!(response.status().as_u16(), status, "{what}");
        assert_eq!(
            response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok()),
            Some("application/problem+json"),
            "{what}"
        );
        let body: serde_json::Value = response.json().await.expect("problem");
        assert_eq!(
            body["type"],
            format!("https://walletdesk.invalid/problems/{slug}"),
            "{what}"
        );
    }
    sandbox.shutdown().await;
}
