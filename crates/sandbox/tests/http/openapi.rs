//! Conformance: every operation in the published v1 OpenAPI document answers on the real
//! sandbox, and only with statuses (and content types) the document lists for it.

use super::small_sandbox as sandbox;
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use walletdesk_corebank::{openapi, v1};

/// One request sent to an operation. `key` is the Idempotency-Key, if any.
struct Probe {
    path: &'static str,
    key: Option<&'static str>,
    body: Option<Value>,
}

fn probe(path: &'static str) -> Probe {
    Probe {
        path,
        key: None,
        body: None,
    }
}

fn write(path: &'static str, key: Option<&'static str>, body: Value) -> Probe {
    Probe {
        path,
        key,
        body: Some(body),
    }
}

/// Requests that between them reach each documented status of each operation, in order (the
/// duplicate comes after the create it duplicates).
fn probes(operation: &str) -> Vec<Probe> {
    let customer =
        json!({"name": "王小明", "residentId": "11010519491231002X", "mobile": "13800138000"});
    let same_mobile =
        json!({"name": "李四", "residentId": "440524198001010013", "mobile": "13800138000"});
    let bad_id =
        json!({"name": "李四", "residentId": "110105194912310021", "mobile": "13900139000"});
    match operation {
        "GET /v1/health" => vec![probe("/v1/health")],
        "POST /v1/customers" => vec![
            write("/v1/customers", Some("conf-1"), customer.clone()),
            write("/v1/customers", Some("conf-1"), customer.clone()),
            write("/v1/customers", None, customer.clone()),
            write("/v1/customers", Some("conf-2"), json!({"name": 1})),
            write("/v1/customers", Some("conf-3"), same_mobile),
            write("/v1/customers", Some("conf-4"), bad_id),
            write(
                "/v1/customers",
                Some("conf-1"),
                json!({"name": "x", "residentId": "y", "mobile": "z"}),
            ),
        ],
        "GET /v1/customers/{id}" => vec![probe("/v1/customers/1"), probe("/v1/customers/999999")],
        "GET /v1/customers" => vec![
            probe("/v1/customers?name=王&limit=2"),
            probe("/v1/customers?limit=0"),
        ],
        // The batch probe (its path sorts first) created the customer with 13700137000.
        "PATCH /v1/customers/{id}" => vec![
            write("/v1/customers/2", Some("conf-p1"), json!({"name": "改名"})),
            write("/v1/customers/2", None, json!({"name": "改名"})),
            write(
                "/v1/customers/999999",
                Some("conf-p2"),
                json!({"name": "改名"}),
            ),
            write(
                "/v1/customers/2",
                Some("conf-p3"),
                json!({"mobile": "13700137000"}),
            ),
            write("/v1/customers/2", Some("conf-p4"), json!({"mobile": "1"})),
        ],
        "GET /v1/changes" => vec![
            probe("/v1/changes?limit=2"),
            probe("/v1/changes?after=3&limit=1000"),
            probe("/v1/changes?after=not-a-cursor"),
        ],
        "POST /v1/batch" => vec![
            write(
                "/v1/batch",
                None,
                json!({"items": [{"idempotencyKey": "conf-b1", "method": "POST",
                    "path": "/v1/customers", "body": {"name": "赵六",
                    "residentId": "440524198001010013", "mobile": "13700137000"}}]}),
            ),
            write(
                "/v1/batch",
                None,
                json!({"items": [{"idempotencyKey": "conf-b2", "method": "GET",
                    "path": "/v1/health", "body": {}}]}),
            ),
        ],
        "GET /v1/admin/faults" => vec![probe("/v1/admin/faults")],
        "POST /v1/admin/faults" => vec![
            write("/v1/admin/faults", None, json!({"latencyMs": 0})),
            write("/v1/admin/faults", None, json!({"errorRate": "lots"})),
            write("/v1/admin/faults", None, json!({"errorRate": 2000})),
        ],
        other => panic!("no probe for {other}: add requests that exercise it"),
    }
}

#[tokio::test]
async fn every_documented_operation_answers_as_documented() {
    let doc: Value = serde_json::from_str(&openapi::v1_json()).expect("document");
    let sandbox = sandbox().await;
    let http = reqwest::Client::new();
    let mut operations = 0;
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("path item") {
            let name = format!("{} {path}", method.to_uppercase());
            let responses = operation["responses"].as_object().expect("responses");
            let documented: BTreeSet<&str> = responses.keys().map(String::as_str).collect();
            let mut seen = BTreeSet::new();
            for probe in probes(&name) {
                let method = Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
                let mut request = http.request(method, format!("{}{}", sandbox.url(), probe.path));
                if let Some(key) = probe.key {
                    request = request.header(v1::IDEMPOTENCY_KEY_HEADER, key);
                }
                if let Some(body) = &probe.body {
                    request = request.json(body);
                }
                let response = request.send().await.expect("request");
                let status = response.status().as_u16().to_string();
                assert!(
                    documented.contains(status.as_str()),
                    "{name} ({}) answered {status}, the document lists {documented:?}",
                    probe.path
                );
                let content_type = response
                    .headers()
                    .get("content-type")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_owned();
                assert!(
                    responses[&status]["content"].get(&content_type).is_some(),
                    "{name} {status}: content type {content_type:?} is not documented"
                );
                seen.insert(status);
            }
            let unseen: Vec<&&str> = documented
                .iter()
                .filter(|status| !seen.contains(**status))
                .collect();
            assert!(unseen.is_empty(), "{name}: no probe reached {unseen:?}");
            operations += 1;
        }
    }
    assert_eq!(operations, 9);
    sandbox.shutdown().await;
}
