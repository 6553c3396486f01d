//! The v1 contract is published as `crates/corebank/openapi/v1.json`, rendered from the Rust
//! types. This test renders it again and fails if the committed file differs, so a change to
//! the types cannot leave the published contract stale.
//!
//! To update: `UPDATE_OPENAPI=1 cargo test -p walletdesk-corebank --test openapi`.

use serde_json::Value;
use std::path::{Path, PathBuf};
use walletdesk_corebank::{openapi, v1};

fn committed_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi/v1.json")
}

fn document() -> Value {
    serde_json::from_str(&openapi::v1_json()).expect("the rendered document is JSON")
}

#[test]
fn committed_openapi_document_matches_the_rust_types() {
    let fresh = openapi::v1_json();
    let path = committed_path();
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, &fresh).expect("write the document");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "{} is stale; run UPDATE_OPENAPI=1 cargo test -p walletdesk-corebank --test openapi",
        path.display()
    );
}

#[test]
fn the_document_is_openapi_3_1_with_every_served_operation() {
    let doc = document();
    assert!(
        doc["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.1")),
        "{}",
        doc["openapi"]
    );
    let mut operations = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("path item").keys() {
            operations.push(format!("{} {path}", method.to_uppercase()));
        }
    }
    operations.sort();
    assert_eq!(
        operations,
        [
            "GET /v1/admin/faults",
            "GET /v1/articles/{id}",
            "GET /v1/audit-anchor",
            "GET /v1/changes",
            "GET /v1/complaints/{id}",
            "GET /v1/customers",
            "GET /v1/customers/{id}",
            "GET /v1/customers/{id}/consents",
            "GET /v1/customers/{id}/wallets",
            "GET /v1/disputes/{id}",
            "GET /v1/fees",
            "GET /v1/health",
            "GET /v1/limit-schemes",
            "GET /v1/reports",
            "GET /v1/transactions/{id}",
            "GET /v1/wallets/{id}",
            "GET /v1/wallets/{id}/cards",
            "GET /v1/wallets/{id}/transactions",
            "PATCH /v1/customers/{id}",
            "POST /v1/admin/faults",
            "POST /v1/admin/self-signups",
            "POST /v1/articles/{id}/draft",
            "POST /v1/articles/{id}/flags",
            "POST /v1/articles/{id}/publish",
            "POST /v1/batch",
            "POST /v1/booths",
            "POST /v1/campaigns",
            "POST /v1/complaints",
            "POST /v1/complaints/{id}/status",
            "POST /v1/consents/{id}/withdraw",
            "POST /v1/customers",
            "POST /v1/customers/{id}/attribution",
            "POST /v1/customers/{id}/consents",
            "POST /v1/customers/{id}/resident-id/reveal",
            "POST /v1/disputes",
            "POST /v1/disputes/{id}/chargeback",
            "POST /v1/disputes/{id}/decision",
            "POST /v1/disputes/{id}/evidence",
            "POST /v1/disputes/{id}/provisional-credit",
            "POST /v1/disputes/{id}/reverse",
            "POST /v1/identity-checks",
            "POST /v1/incentives/claims",
            "POST /v1/otp",
            "POST /v1/otp/verify",
            "POST /v1/payments",
            "POST /v1/practice-payments",
            "POST /v1/practice-payments/{id}/reversal",
            "POST /v1/screenings",
            "POST /v1/sign-up-links",
            "POST /v1/signups",
            "POST /v1/wallets",
            "POST /v1/wallets/{id}/cards",
            "POST /v1/wallets/{id}/cards/{cardId}/unlink",
            "POST /v1/wallets/{id}/freeze",
            "POST /v1/wallets/{id}/tier",
            "POST /v1/wallets/{id}/unfreeze",
            "PUT /v1/audit-anchor",
        ]
    );
}

#[test]
fn every_error_response_is_problem_json() {
    let doc = document();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("path item") {
            for (status, response) in operation["responses"].as_object().expect("responses") {
                let content = response["content"].as_object().expect("content");
                if status.starts_with('2') {
                    assert!(content.contains_key("application/json"), "{method} {path}");
                    continue;
                }
                let problem = &content[v1::PROBLEM_CONTENT_TYPE];
                assert_eq!(
                    problem["schema"]["$ref"], "#/components/schemas/Problem",
                    "{method} {path} {status}"
                );
            }
        }
    }
}

#[test]
fn writes_require_the_idempotency_key_header() {
    let doc = document();
    let create = &doc["paths"]["/v1/customers"]["post"];
    let key = create["parameters"]
        .as_array()
        .expect("parameters")
        .iter()
        .find(|p| p["name"] == v1::IDEMPOTENCY_KEY_HEADER)
        .expect("Idempotency-Key parameter");
    assert_eq!(key["in"], "header");
    assert_eq!(key["required"], true);
    assert_eq!(key["schema"]["maxLength"], v1::IDEMPOTENCY_KEY_MAX_LEN);
    let mut statuses: Vec<&String> = create["responses"]
        .as_object()
        .expect("responses")
        .keys()
        .collect();
    statuses.sort();
    assert_eq!(statuses, ["201", "400", "401", "409", "415", "422"]);
}

/// The rules the sandbox checks in code (`v1::is_valid_mobile`, the cursor parsers, the batch
/// item paths) are written in the document with the very patterns those functions implement.
#[test]
fn the_forms_checked_in_code_are_the_patterns_in_the_document() {
    let doc = document();
    let schemas = &doc["components"]["schemas"];
    for (schema, field) in [
        ("NewCustomer", "mobile"),
        ("CustomerUpdate", "mobile"),
        ("OtpRequest", "mobile"),
    ] {
        assert_eq!(
            schemas[schema]["properties"][field]["pattern"],
            v1::MOBILE_PATTERN,
            "{schema}.{field}"
        );
    }
    assert_eq!(
        schemas["BatchItem"]["properties"]["path"]["pattern"],
        v1::BATCH_PATH_PATTERN
    );
    assert_eq!(schemas["Batch"]["properties"]["items"]["minItems"], 1);
    assert_eq!(
        schemas["Batch"]["properties"]["items"]["maxItems"],
        v1::BATCH_MAX_ITEMS
    );
    let query = |path: &str, name: &str| -> Value {
        doc["paths"][path]["get"]["parameters"]
            .as_array()
            .expect("parameters")
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("{path} {name}"))["schema"]
            .clone()
    };
    assert_eq!(
        query("/v1/customers", "mobile")["pattern"],
        v1::MOBILE_PATTERN
    );
    assert_eq!(
        query("/v1/customers", "after")["pattern"],
        v1::NUMBER_CURSOR_PATTERN
    );
    assert_eq!(
        query("/v1/changes", "after")["pattern"],
        v1::NUMBER_CURSOR_PATTERN
    );
    assert_eq!(
        query("/v1/wallets/{id}/transactions", "after")["pattern"],
        v1::TRANSACTION_CURSOR_PATTERN
    );
}

/// Every operation takes the bearer token and documents its 401; only the health probe may
/// also go without one.
#[test]
fn every_operation_takes_the_bearer_token() {
    let doc = document();
    let scheme = &doc["components"]["securitySchemes"][openapi::BEARER_SCHEME];
    assert_eq!(scheme["type"], "http", "{scheme}");
    assert_eq!(scheme["scheme"], "bearer", "{scheme}");
    assert_eq!(
        doc["security"],
        serde_json::json!([{ openapi::BEARER_SCHEME: [] }])
    );
    let mut operations = 0;
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("path item") {
            operations += 1;
            let unauthorized = &operation["responses"]["401"];
            assert_eq!(
                unauthorized["content"][v1::PROBLEM_CONTENT_TYPE]["schema"]["$ref"],
                "#/components/schemas/Problem",
                "{method} {path}"
            );
            if path == "/v1/health" {
                assert_eq!(
                    operation["security"],
                    serde_json::json!([{}, { openapi::BEARER_SCHEME: [] }]),
                    "the probe answers without a token"
                );
            } else {
                assert!(operation.get("security").is_none(), "{method} {path}");
            }
        }
    }
    assert_eq!(operations, 57);
}

/// The schemas' property names are the JSON the types really produce: a serde rename that
/// utoipa misread would show here.
#[test]
fn schema_properties_are_the_serialised_field_names() {
    let doc = document();
    let samples = [
        (
            "Health",
            serde_json::to_value(v1::Health {
                status: "ok".into(),
                name: "n".into(),
                version: "v1".into(),
                instance: "i".into(),
                training: true,
                customers: 1,
                wallets: 2,
                transactions: 3,
            }),
        ),
        (
            "NewCustomer",
            serde_json::to_value(v1::NewCustomer {
                name: "n".into(),
                resident_id: "r".into(),
                mobile: "m".into(),
                external_id: Some("e".into()),
                id_expires_on: Some("2030-01-01".into()),
                attribution: Some(v1::NewAttribution {
                    campaign: Some("c".into()),
                    booth: Some("b".into()),
                    staff_id: "s".into(),
                    channel: "counter".into(),
                }),
            }),
        ),
        (
            "Customer",
            serde_json::to_value(v1::Customer {
                id: "1".into(),
                name: "n".into(),
                masked_resident_id: "r".into(),
                masked_mobile: "m".into(),
                created_at: "2025-03-01T08:00:00Z".into(),
                external_id: Some("e".into()),
                id_expires_on: Some("2030-01-01".into()),
            }),
        ),
        (
            "Problem",
            serde_json::to_value(v1::Problem {
                kind: v1::problem_types::NOT_FOUND.into(),
                title: "t".into(),
                status: 404,
                detail: Some("d".into()),
                tries_remaining: Some(4),
            }),
        ),
        (
            "PracticePayment",
            serde_json::to_value(v1::PracticePayment {
                id: "1".into(),
                wallet_id: "P-h".into(),
                holder: "h".into(),
                practice: true,
                amount: "1.00".into(),
                counterparty: "c".into(),
                at: "2026-01-01T00:00:00Z".into(),
                practice_balance: "999.00".into(),
                reversed_at: Some("2026-01-01T00:01:00Z".into()),
            }),
        ),
        (
            "PracticePaymentRequest",
            serde_json::to_value(v1::PracticePaymentRequest {
                holder: "h".into(),
                amount: "1.00".into(),
                counterparty: "c".into(),
                payment_password: "p".into(),
            }),
        ),
        ("Faults", serde_json::to_value(v1::Faults::default())),
        (
            "AuditAnchorRequest",
            serde_json::to_value(v1::AuditAnchorRequest {
                sequence: 2,
                head_hash: "a".repeat(64),
                previous_sequence: Some(1),
                previous_hash: Some("b".repeat(64)),
            }),
        ),
        (
            "AuditAnchor",
            serde_json::to_value(v1::AuditAnchor {
                sequence: 2,
                head_hash: "a".repeat(64),
                anchored_at: "2026-01-01T00:00:00Z".into(),
            }),
        ),
    ];
    for (name, sample) in samples {
        let sample = sample.expect("serialise");
        let mut fields: Vec<&String> = sample.as_object().expect("object").keys().collect();
        fields.sort();
        let schema = &doc["components"]["schemas"][name];
        let mut properties: Vec<&String> = schema["properties"]
            .as_object()
            .unwrap_or_else(|| panic!("{name} has no properties"))
            .keys()
            .collect();
        properties.sort();
        assert_eq!(fields, properties, "{name}");
    }
}
