//! Secrets the sandbox handles (a revealed resident ID, a one-time code) reach the client that
//! asked and nobody else: not the idempotency key table, not the log.

use super::support::{customer, post};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex, PoisonError};
use walletdesk_corebank::v1;
use walletdesk_sandbox::SandboxConfig;

const RESIDENT_ID: &str = "11010519491231002X";

/// Every byte of the store's files (the database and its WAL), as a later reader of the disk
/// would find them.
fn file_bytes(db: &std::path::Path) -> Vec<u8> {
    let mut bytes = Vec::new();
    for suffix in ["", "-wal"] {
        let mut path = db.as_os_str().to_owned();
        path.push(suffix);
        if let Ok(mut read) = std::fs::read(std::path::PathBuf::from(path)) {
            bytes.append(&mut read);
        }
    }
    bytes
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test]
async fn a_revealed_resident_id_is_kept_in_no_idempotency_answer() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("sandbox.db");
    let sandbox = walletdesk_sandbox::start(SandboxConfig {
        customers: 3,
        db_path: Some(db.clone()),
        ..crate::config()
    })
    .await
    .expect("sandbox starts");
    let id = customer(&sandbox, "c-1", RESIDENT_ID, "13800138000").await;
    let path = format!("/v1/customers/{id}/resident-id/reveal");
    let body = json!({"staffId": "T001", "reason": "客户要求核对证件"});

    let (status, revealed) = post(&sandbox, &path, "reveal-1", &body).await;
    assert_eq!(status, StatusCode::OK, "{revealed}");
    assert_eq!(revealed["residentId"], RESIDENT_ID);
    // In a batch too: the batch keeps its items' answers by the same rule.
    let response = crate::http()
        .post(format!("{}/v1/batch", sandbox.url()))
        .json(
            &json!({"items": [{"idempotencyKey": "reveal-2", "method": "POST",
            "path": path, "body": body}]}),
        )
        .send()
        .await
        .expect("batch");
    assert_eq!(response.status(), StatusCode::OK);
    let results: v1::BatchResults = response.json().await.expect("results");
    assert_eq!(results.results[0].body["residentId"], RESIDENT_ID);

    // A replay still answers the whole number, read again from the customer.
    for key in ["reveal-1", "reveal-2"] {
        let response = crate::http()
            .post(format!("{}{path}", sandbox.url()))
            .header(v1::IDEMPOTENCY_KEY_HEADER, key)
            .json(&body)
            .send()
            .await
            .expect("replay");
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(
            response
                .headers()
                .get(v1::IDEMPOTENCY_REPLAYED_HEADER)
                .and_then(|v| v.to_str().ok()),
            Some("true")
        );
        let replayed: Value = response.json().await.expect("json");
        assert_eq!(replayed, revealed, "{key}");
    }

    let stored: Vec<Vec<u8>> = sqlx::query_scalar(
        "SELECT response_body FROM idempotency_keys WHERE key IN ('reveal-1', 'reveal-2')",
    )
    .fetch_all(sandbox.store().pool())
    .await
    .expect("stored answers");
    assert_eq!(stored.len(), 2);
    for body in &stored {
        assert!(
            !contains(body, RESIDENT_ID.as_bytes()),
            "{}",
            String::from_utf8_lossy(body)
        );
    }
    sandbox.shutdown().await;
    // The customers table holds the number by right; an answer holding it is JSON.
    let answer_form = format!("\"residentId\":\"{RESIDENT_ID}\"");
    assert!(
        !contains(&file_bytes(&db), answer_form.as_bytes()),
        "the store's files hold a revealed number in answer form"
    );
}

/// A `tracing` writer into a shared buffer: what the sandbox's log would show.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(PoisonError::into_inner)).into()
    }
}

// A current-thread runtime (the default): the sandbox's tasks run on this thread, so the
// subscriber set for it sees every event they log.
#[tokio::test]
async fn a_one_time_code_never_reaches_the_log() {
    let log = Captured::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .without_time()
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let sandbox = super::small_sandbox().await;
    let (status, challenge) = post(
        &sandbox,
        "/v1/otp",
        "otp-1",
        &json!({"mobile": "13800138000", "purpose": "open-wallet"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{challenge}");
    let code = challenge["trainingCode"].as_str().expect("code").to_owned();
    let (status, verified) = post(
        &sandbox,
        "/v1/otp/verify",
        "otp-2",
        &json!({"challengeId": challenge["challengeId"], "code": code}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{verified}");
    sandbox.shutdown().await;

    let text = log.text();
    assert!(
        text.contains("sandbox OTP sent"),
        "the send is logged: {text}"
    );
    // As a token of its own: six digits inside a longer number are not the code.
    let leaked = text
        .split(|c: char| !c.is_ascii_digit())
        .any(|token| token == code);
    assert!(!leaked, "the code {code} is in the log:\n{text}");
    assert!(
        !text.contains("13800138000"),
        "a whole mobile is in the log"
    );
}
