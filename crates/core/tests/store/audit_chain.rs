//! The keyed audit chain tried as an attacker with the store file but not the data key would:
//! edit a record and recompute every hash after it, with the plain SHA-256 the chain used to
//! have, or with HMAC under a key they guessed. And the legacy prefix: records written before
//! the chain was keyed still verify, and cannot be edited or stretched over later records.

use chrono::{TimeZone, Utc};
use hmac::Mac;
use sha2::{Digest, Sha256};
use sqlx::{Row, SqlitePool};
use walletdesk_core::audit::{self, AnchorCheck, CoreAnchor, NewAudit};
use walletdesk_core::corelink::AuditHead;
use walletdesk_core::crypto::DataKey;
use walletdesk_core::store::{MIGRATIONS, Store};

use super::drop_guards;

/// `n` records appended through the store keyed with `key`.
async fn keyed_chain(pool: &SqlitePool, key: &DataKey, n: usize) -> Store {
    let store = Store::from_pool_with_key(pool.clone(), key);
    let at = Utc
        .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
        .single()
        .expect("time");
    for i in 0..n {
        let mut tx = store.begin().await.expect("tx");
        audit::append(
            &mut tx,
            at,
            NewAudit::new(Some(1), "li.na", "customer.viewed")
                .subject("customer", format!("C{i:04}"))
                .detail(serde_json::json!({ "i": i })),
        )
        .await
        .expect("append");
        tx.commit().await.expect("commit");
    }
    store
}

/// The canonical form a record's hash covers, as documented in `audit.rs`: a JSON array of
/// the previous hash and the fields. What an attacker reading the open source would compute.
fn canonical(prev_hash: &str, row: &sqlx::sqlite::SqliteRow) -> String {
    serde_json::json!([
        prev_hash,
        row.get::<i64, _>("id"),
        row.get::<String, _>("at"),
        row.get::<Option<i64>, _>("actor_id"),
        row.get::<String, _>("actor"),
        row.get::<String, _>("action"),
        row.get::<Option<String>, _>("subject_kind"),
        row.get::<Option<String>, _>("subject_id"),
        row.get::<Option<String>, _>("customer_id"),
        row.get::<String, _>("outcome"),
        row.get::<String, _>("detail"),
    ])
    .to_string()
}

fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// Rewrites `prev_hash` and `hash` of every record from `from` on with `hash`, so each record's
/// link and hash agree with the (edited) record before it: the whole chain recomputed.
async fn recompute_from(pool: &SqlitePool, from: i64, hash: impl Fn(&str) -> String) {
    let rows = sqlx::query("SELECT * FROM audit_log ORDER BY id")
        .fetch_all(pool)
        .await
        .expect("rows");
    let mut prev = audit::GENESIS.to_owned();
    for row in &rows {
        let id: i64 = row.get("id");
        if id >= from {
            let new = hash(&canonical(&prev, row));
            sqlx::query("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?")
                .bind(&prev)
                .bind(&new)
                .bind(id)
                .execute(pool)
                .await
                .expect("rewrite");
            prev = new;
        } else {
            prev = row.get("hash");
        }
    }
}

async fn edit_detail(pool: &SqlitePool, id: i64) {
    sqlx::query("UPDATE audit_log SET detail = '{\"i\":99}' WHERE id = ?")
        .bind(id)
        .execute(pool)
        .await
        .expect("tamper");
}

async fn verify(pool: &SqlitePool, key: &DataKey) -> audit::AuditVerify {
    audit::verify(pool, &key.audit_key(), CoreAnchor::Unavailable)
        .await
        .expect("verify")
}

#[sqlx::test]
async fn an_edit_with_every_hash_recomputed_without_the_key_is_detected(pool: SqlitePool) {
    let key = DataKey::generate();
    keyed_chain(&pool, &key, 10).await;
    assert!(verify(&pool, &key).await.ok);
    drop_guards(&pool).await;
    edit_detail(&pool, 6).await;
    // The attack the unkeyed chain fell to: every hash from the edit on recomputed with
    // SHA-256, every link made to agree.
    recompute_from(&pool, 6, sha256_hex).await;
    let result = verify(&pool, &key).await;
    assert!(!result.ok);
    assert_eq!(result.first_broken, Some(6));
    assert_eq!(result.checked, 5);
    assert_eq!(
        result.reason.as_deref(),
        Some("record content was changed after it was written")
    );
    assert_eq!(result.anchor, AnchorCheck::Unavailable);
}

#[sqlx::test]
async fn a_keyed_recompute_needs_the_data_key(pool: SqlitePool) {
    let key = DataKey::generate();
    keyed_chain(&pool, &key, 10).await;
    drop_guards(&pool).await;
    edit_detail(&pool, 3).await;
    // HMAC as the chain does it, under every key the attacker could try but the right one.
    for guess in [DataKey::generate(), DataKey::from_bytes([0; 32])] {
        recompute_from(&pool, 3, |c| guess.audit_key().mac_hex(c.as_bytes())).await;
        let result = verify(&pool, &key).await;
        assert_eq!((result.ok, result.first_broken), (false, Some(3)));
    }
    // And the data key's bytes used directly as the MAC key (skipping the derivation).
    let mut raw = [0u8; 32];
    raw.copy_from_slice(&hex::decode(key.to_hex().as_str()).expect("hex"));
    recompute_from(&pool, 3, |c| {
        let mut mac = hmac::Hmac::<Sha256>::new_from_slice(&raw).expect("key");
        mac.update(c.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    })
    .await;
    assert_eq!(verify(&pool, &key).await.first_broken, Some(3));
    // The same recomputation with the store's own key holds: the recomputation above was
    // right, and the key is all that stands in the way.
    recompute_from(&pool, 3, |c| key.audit_key().mac_hex(c.as_bytes())).await;
    let result = verify(&pool, &key).await;
    assert!(result.ok, "{result:?}");
    assert_eq!(result.checked, 10);
}

#[sqlx::test]
async fn a_cut_tail_shows_against_the_anchored_head_and_not_without_it(pool: SqlitePool) {
    let key = DataKey::generate();
    keyed_chain(&pool, &key, 8).await;
    let anchored = audit::head(&pool).await.expect("head").expect("records");
    assert_eq!(anchored.sequence, 8);
    drop_guards(&pool).await;
    sqlx::query("DELETE FROM audit_log WHERE id > 5")
        .execute(&pool)
        .await
        .expect("cut");
    // The chain alone cannot tell: what is left is a whole chain.
    assert!(verify(&pool, &key).await.ok);
    let result = audit::verify(&pool, &key.audit_key(), CoreAnchor::Known(anchored))
        .await
        .expect("verify");
    assert!(!result.ok);
    assert_eq!(result.first_broken, Some(6));
    assert_eq!(result.anchor, AnchorCheck::Checked);
    assert_eq!(result.anchored_sequence, Some(8));
    assert!(
        result
            .reason
            .as_deref()
            .is_some_and(|r| r.contains("newest records were removed")),
        "{result:?}"
    );
    // A head the core holds that this trail never had at that record: rewritten.
    let other = AuditHead {
        sequence: 4,
        hash: "ab".repeat(32),
    };
    let result = audit::verify(&pool, &key.audit_key(), CoreAnchor::Known(other))
        .await
        .expect("verify");
    assert_eq!((result.ok, result.first_broken), (false, Some(4)));
}

#[sqlx::test]
async fn a_removed_seal_is_detected(pool: SqlitePool) {
    let key = DataKey::generate();
    keyed_chain(&pool, &key, 3).await;
    sqlx::query("DROP TRIGGER audit_chain_sealed_once")
        .execute(&pool)
        .await
        .expect("drop");
    sqlx::query("UPDATE audit_chain SET seal = NULL")
        .execute(&pool)
        .await
        .expect("unseal");
    let result = verify(&pool, &key).await;
    assert_eq!((result.ok, result.first_broken), (false, Some(1)));
}

/// A store as it was before the chain was keyed: migrated up to 0009, `n` records hashed the
/// old way (SHA-256), then upgraded.
async fn legacy_store(pool: &SqlitePool, n: i64) {
    let before = sqlx::migrate::Migrator {
        migrations: MIGRATIONS
            .iter()
            .filter(|m| m.version < 10)
            .cloned()
            .collect(),
        ..sqlx::migrate::Migrator::DEFAULT
    };
    before.run(pool).await.expect("old schema");
    let mut prev = audit::GENESIS.to_owned();
    for id in 1..=n {
        let detail = serde_json::json!({ "old": id }).to_string();
        let at = "2025-06-01T08:00:00.000Z";
        let canonical = serde_json::json!([
            prev,
            id,
            at,
            1,
            "old.staff",
            "auth.sign_in",
            null,
            null,
            null,
            "ok",
            detail
        ])
        .to_string();
        let hash = sha256_hex(&canonical);
        sqlx::query(
            "INSERT INTO audit_log (id, at, actor_id, actor, action, outcome, detail, \
             prev_hash, hash) VALUES (?, ?, 1, 'old.staff', 'auth.sign_in', 'ok', ?, ?, ?)",
        )
        .bind(id)
        .bind(at)
        .bind(&detail)
        .bind(&prev)
        .bind(&hash)
        .execute(pool)
        .await
        .expect("legacy row");
        prev = hash;
    }
    MIGRATIONS.run(pool).await.expect("upgrade");
}

#[sqlx::test(migrations = false)]
async fn records_from_before_the_key_verify_as_the_legacy_prefix(pool: SqlitePool) {
    legacy_store(&pool, 4).await;
    let key = DataKey::generate();
    keyed_chain(&pool, &key, 3).await;
    let result = verify(&pool, &key).await;
    assert!(result.ok, "{result:?}");
    assert_eq!(result.checked, 7);
    // The legacy records kept their SHA-256; the new ones are keyed.
    let rows = sqlx::query("SELECT * FROM audit_log ORDER BY id")
        .fetch_all(&pool)
        .await
        .expect("rows");
    for row in &rows {
        let id: i64 = row.get("id");
        let stored: String = row.get("hash");
        let plain = sha256_hex(&canonical(&row.get::<String, _>("prev_hash"), row));
        assert_eq!(stored == plain, id <= 4, "record {id}");
    }
}

#[sqlx::test(migrations = false)]
async fn the_legacy_prefix_cannot_be_edited_or_stretched_over_keyed_records(pool: SqlitePool) {
    legacy_store(&pool, 4).await;
    let key = DataKey::generate();
    keyed_chain(&pool, &key, 3).await;
    drop_guards(&pool).await;
    sqlx::query("DROP TRIGGER audit_chain_sealed_once")
        .execute(&pool)
        .await
        .expect("drop");

    // Edit a legacy record and recompute the legacy hashes up to the prefix's end: its own
    // scheme holds, but not the seal over the prefix's last hash.
    edit_detail(&pool, 2).await;
    let rows = sqlx::query("SELECT * FROM audit_log WHERE id <= 4 ORDER BY id")
        .fetch_all(&pool)
        .await
        .expect("rows");
    let mut prev: String = rows[0].get("hash");
    for row in &rows[1..] {
        let hash = sha256_hex(&canonical(&prev, row));
        sqlx::query("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?")
            .bind(&prev)
            .bind(&hash)
            .bind(row.get::<i64, _>("id"))
            .execute(&pool)
            .await
            .expect("rewrite");
        prev = hash;
    }
    assert_eq!(verify(&pool, &key).await.first_broken, Some(4));

    // Stretch the prefix over every record and rehash them all with SHA-256: the unkeyed
    // chain is whole again, but the seal names the prefix's true end.
    sqlx::query("UPDATE audit_chain SET legacy_until = 7")
        .execute(&pool)
        .await
        .expect("stretch");
    recompute_from(&pool, 1, sha256_hex).await;
    let result = verify(&pool, &key).await;
    assert!(!result.ok);
    assert_eq!(result.first_broken, Some(7));
}
