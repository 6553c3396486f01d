//! The audit trail's head anchored at the sandbox: the engine anchors it after new records,
//! the sandbox keeps the latest per console token and never lets it go back, and `verify`
//! against the sandbox's anchor shows a trail whose newest records were cut off.

use super::{TOKEN, client, console, quick};
use chrono::Utc;
use std::sync::Arc;
use walletdesk_core::audit::{self, AnchorCheck, CoreAnchor, NewAudit};
use walletdesk_core::corelink::{AuditHead, CoreSync};
use walletdesk_core::crypto::DataKey;
use walletdesk_core::store::Store;
use walletdesk_corebank::{Client, ClientError, v1};
use walletdesk_sandbox::SandboxConfig;

const OTHER_TOKEN: &str = "sync-test-other-console-4567";

async fn records(store: &Store, n: usize) {
    for i in 0..n {
        let mut tx = store.begin().await.expect("tx");
        audit::append(
            &mut tx,
            Utc::now(),
            NewAudit::new(Some(1), "li.na", "customer.viewed")
                .subject("customer", format!("C{i:04}")),
        )
        .await
        .expect("append");
        tx.commit().await.expect("commit");
    }
}

async fn verify_against(store: &Store, key: &DataKey, core: &Client) -> audit::AuditVerify {
    let anchor = match core.audit_anchor().await.expect("the sandbox answers") {
        Some(head) => CoreAnchor::Known(head),
        None => CoreAnchor::None,
    };
    audit::verify(store.read(), &key.audit_key(), anchor)
        .await
        .expect("verify")
}

#[tokio::test]
async fn a_truncated_tail_is_detected_against_the_sandboxs_anchor() {
    let sandbox = super::sandbox(2).await;
    let key = DataKey::generate();
    let c = console(&sandbox.url(), &key, quick()).await;
    let core = client(&sandbox.url());

    assert_eq!(core.audit_anchor().await.expect("asked"), None);
    records(&c.store, 12).await;
    // A sync round anchors the head after new records; a round without any sends nothing.
    c.engine.sync_now().await.expect("sync");
    assert_eq!(c.engine.anchor_once().await.expect("anchor"), None);
    let head = audit::head(c.store.read())
        .await
        .expect("head")
        .expect("some");
    assert_eq!(head.sequence, 12);
    assert_eq!(core.audit_anchor().await.expect("asked"), Some(head));
    let whole = verify_against(&c.store, &key, &core).await;
    assert!(whole.ok, "{whole:?}");
    assert_eq!(whole.anchor, AnchorCheck::Checked);
    assert_eq!(whole.anchored_sequence, Some(12));

    // Someone with the file cuts the newest four records: the chain that is left is whole,
    // and only the head the sandbox holds shows what is missing.
    let pool = c.store.read();
    let mut tx = c.store.begin().await.expect("tx");
    for tamper in [
        "DROP TRIGGER audit_log_no_delete",
        "DELETE FROM audit_log WHERE id > 8",
    ] {
        sqlx::query(tamper).execute(&mut *tx).await.expect("tamper");
    }
    tx.commit().await.expect("commit");
    let unanchored = audit::verify(pool, &key.audit_key(), CoreAnchor::Unavailable)
        .await
        .expect("verify");
    assert!(unanchored.ok, "without the anchor the cut does not show");
    let cut = verify_against(&c.store, &key, &core).await;
    assert!(!cut.ok);
    assert_eq!(cut.first_broken, Some(9));
    assert_eq!(cut.checked, 8);

    // New records refill the trail to record 12 and past it: the engine will not anchor a
    // head that does not extend the anchored one, the sandbox keeps its head, and verify names
    // record 12 as not the anchored one.
    records(&c.store, 6).await;
    let refused = c.engine.anchor_once().await.expect_err("refused");
    assert!(refused.to_string().contains("no longer holds"), "{refused}");
    assert_eq!(
        core.audit_anchor()
            .await
            .expect("asked")
            .map(|h| h.sequence),
        Some(12)
    );
    let rewritten = verify_against(&c.store, &key, &core).await;
    assert_eq!((rewritten.ok, rewritten.first_broken), (false, Some(12)));
    assert_eq!(rewritten.anchored_sequence, Some(12));
    sandbox.shutdown().await;
}

fn head(sequence: i64, fill: char) -> v1::AuditAnchorRequest {
    v1::AuditAnchorRequest {
        sequence,
        head_hash: fill.to_string().repeat(64),
        previous_sequence: None,
        previous_hash: None,
    }
}

/// A head that names `previous` as the one it extends.
fn after(sequence: i64, fill: char, previous: (i64, char)) -> v1::AuditAnchorRequest {
    v1::AuditAnchorRequest {
        previous_sequence: Some(previous.0),
        previous_hash: Some(previous.1.to_string().repeat(64)),
        ..head(sequence, fill)
    }
}

fn refusal(err: ClientError) -> u16 {
    match err {
        ClientError::Rejected { status, .. } => status,
        other => panic!("not a refusal: {other:?}"),
    }
}

#[tokio::test]
async fn the_sandbox_keeps_each_consoles_head_and_refuses_one_going_back() {
    let sandbox = walletdesk_sandbox::start(SandboxConfig {
        seed: 7,
        customers: 1,
        tokens: vec![TOKEN.into(), OTHER_TOKEN.into()],
        ..SandboxConfig::default()
    })
    .await
    .expect("sandbox");
    let one = client(&sandbox.url());
    let other = Client::new(&sandbox.url(), Some(OTHER_TOKEN.into())).expect("client");

    let stored = one.put_audit_anchor(&head(5, 'a')).await.expect("anchor");
    assert_eq!((stored.sequence, stored.head_hash), (5, "a".repeat(64)));
    // The same head again is a no-op; a later one that extends it moves it forward.
    assert_eq!(
        one.put_audit_anchor(&head(5, 'a'))
            .await
            .expect("again")
            .sequence,
        5
    );
    let later = one.put_audit_anchor(&after(9, 'b', (5, 'a'))).await;
    assert_eq!(later.expect("later").sequence, 9);
    // Back, the same record with another hash, or forward from a head that is not the held
    // one (none named, or another): refused, and the head stays.
    for refused in [
        after(8, 'c', (5, 'a')),
        after(9, 'c', (5, 'a')),
        head(12, 'e'),
        after(12, 'e', (9, 'c')),
        after(12, 'e', (5, 'a')),
    ] {
        let err = one.put_audit_anchor(&refused).await.expect_err("refused");
        assert_eq!(refusal(err), 409, "{refused:?}");
    }
    let held = one.get_audit_anchor().await.expect("held");
    assert_eq!((held.sequence, held.head_hash), (9, "b".repeat(64)));

    // Another console's token has its own head, independent of the first.
    assert_eq!(
        refusal(other.get_audit_anchor().await.expect_err("none yet")),
        404
    );
    assert_eq!(
        other
            .put_audit_anchor(&head(2, 'd'))
            .await
            .expect("own")
            .sequence,
        2
    );
    assert_eq!(one.get_audit_anchor().await.expect("held").sequence, 9);

    // Malformed heads are refused before they reach the core by the client, and by the core.
    let raw = reqwest::Client::new()
        .put(format!("{}/v1/audit-anchor", sandbox.url()))
        .bearer_auth(TOKEN)
        .json(&serde_json::json!({ "sequence": 10, "headHash": "XYZ" }))
        .send()
        .await
        .expect("sent");
    assert_eq!(raw.status(), 422);
    assert_eq!(raw.headers()["content-type"], v1::PROBLEM_CONTENT_TYPE);
    assert_eq!(
        refusal(one.put_audit_anchor(&head(0, 'a')).await.expect_err("zero")),
        422
    );
    // The engine's side of the link answers the same head.
    let link: Arc<dyn CoreSync> = Arc::new(one);
    assert_eq!(
        link.audit_anchor().await.expect("asked"),
        Some(AuditHead {
            sequence: 9,
            hash: "b".repeat(64)
        })
    );
    sandbox.shutdown().await;
}
