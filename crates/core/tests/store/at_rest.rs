//! The store at rest: encrypted (SQLCipher) with a key derived from the data key, private
//! files, a plain store converted without loss, clear errors for a wrong key, a damaged file,
//! a missing key and a full disk.

use std::path::{Path, PathBuf};
use walletdesk_core::crypto::{DataKey, Sealer};
use walletdesk_core::store::{self, Store, StoreFile};
use walletdesk_core::sync::{NewOperation, outbox};
use walletdesk_core::{ApiError, Code, Error};

const NAME: &str = "王秀英";
const MOBILE: &str = "13912345678";
const RESIDENT_ID: &str = "11010519491231002X";

fn needles() -> [(&'static str, &'static [u8]); 3] {
    [
        ("name", NAME.as_bytes()),
        ("mobile", MOBILE.as_bytes()),
        ("resident id", RESIDENT_ID.as_bytes()),
    ]
}

/// Every file in `dir` (the store, its WAL and shared memory, any temp file) that holds one of
/// the customer's details in clear, as "file: what".
fn clear_text_in(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        if !path.is_file() || path.file_name().is_some_and(|n| n == "data.key") {
            continue;
        }
        let bytes = std::fs::read(&path).expect("read file");
        for (what, needle) in needles() {
            if bytes.windows(needle.len()).any(|w| w == needle) {
                found.push(format!("{}: {what}", path.display()));
            }
        }
    }
    found
}

/// One customer as the read model and a teller's note hold them, `copies` times over (enough
/// pages that some sit in the WAL, not yet in the main file).
async fn seed_customer(store: &Store, copies: u32) {
    static SEEDED: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let mut tx = store.begin().await.expect("begin");
    sqlx::query(
        "INSERT OR IGNORE INTO staff (id, username, display_name, role, password_hash, created_at) \
         VALUES (1, 'li.na', '李娜', 'teller', 'x', '2026-11-23T09:00:00.000Z')",
    )
    .execute(&mut *tx)
    .await
    .expect("staff");
    for n in 0..copies {
        sqlx::query(
            "INSERT INTO core_customers (id, name, masked_resident_id, id_first6, id_last4, \
             mobile, birth_date_sealed, sex, created_at, cursor) \
             VALUES (?, ?, '110105********002X', '110105', '002X', ?, x'0102', 'F', \
             '2026-11-23T09:00:00.000Z', ?)",
        )
        .bind(format!(
            "c{}",
            SEEDED.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        ))
        .bind(NAME)
        .bind(MOBILE)
        .bind(format!("{n:08}"))
        .execute(&mut *tx)
        .await
        .expect("customer");
        sqlx::query(
            "INSERT INTO customer_notes (customer_id, staff_id, text, created_at) \
             VALUES (?, 1, ?, '2026-11-23T09:00:00.000Z')",
        )
        .bind(format!("c{n}"))
        .bind(format!(
            "{NAME} 来电，手机 {MOBILE}，身份证 {RESIDENT_ID}，要求升级钱包"
        ))
        .execute(&mut *tx)
        .await
        .expect("note");
    }
    tx.commit().await.expect("commit");
}

async fn customers(store: &Store) -> (i64, i64) {
    let customers: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM core_customers WHERE name = ?")
        .bind(NAME)
        .fetch_one(store.read())
        .await
        .expect("count");
    let notes: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM customer_notes WHERE instr(text, ?) > 0")
            .bind(RESIDENT_ID)
            .fetch_one(store.read())
            .await
            .expect("count");
    (customers, notes)
}

fn store_path(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("data").join("walletdesk.sqlite")
}

fn code_of(result: Result<Store, Error>) -> Code {
    match result {
        Ok(_) => panic!("the store opened"),
        Err(err) => err.code(),
    }
}

#[tokio::test]
async fn the_store_its_wal_and_temp_files_hold_no_customer_detail_in_clear() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = store_path(&dir);
    let store = Store::open_encrypted(&path, &DataKey::generate())
        .await
        .expect("open");
    seed_customer(&store, 300).await;
    // A search that sorts (temp b-tree) while the data is in the WAL.
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM core_customers ORDER BY mobile, birth_date_sealed, id",
    )
    .fetch_all(store.read())
    .await
    .expect("sorted read");
    assert_eq!(names.len(), 300);
    let wal = PathBuf::from(format!("{}-wal", path.display()));
    assert!(
        std::fs::metadata(&wal).expect("wal").len() > 0,
        "the commits are still in the WAL"
    );
    let leaked = clear_text_in(path.parent().expect("dir"));
    assert!(leaked.is_empty(), "in clear while open: {leaked:?}");
    store.close().await;
    let leaked = clear_text_in(path.parent().expect("dir"));
    assert!(leaked.is_empty(), "in clear after close: {leaked:?}");

    // The same seed in a plain store is found by this very search: it can fail.
    let plain_dir = tempfile::tempdir().expect("tempdir");
    let plain = Store::open(&store_path(&plain_dir), &DataKey::generate())
        .await
        .expect("plain");
    seed_customer(&plain, 300).await;
    let found = clear_text_in(&plain_dir.path().join("data"));
    assert!(
        found.iter().any(|f| f.ends_with("resident id")),
        "the probe finds clear text: {found:?}"
    );
    plain.close().await;
}

#[cfg(unix)]
#[tokio::test]
async fn the_store_files_are_0600_and_the_folder_0700() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = store_path(&dir);
    let folder = path.parent().expect("dir").to_path_buf();
    // An older install's folder, as created with the default umask.
    std::fs::create_dir_all(&folder).expect("folder");
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let store = Store::open_encrypted(&path, &DataKey::generate())
        .await
        .expect("open");
    seed_customer(&store, 1).await;
    let mode = |p: &Path| std::fs::metadata(p).expect("metadata").permissions().mode() & 0o777;
    assert_eq!(mode(&folder), 0o700, "data folder");
    for suffix in ["", "-wal", "-shm"] {
        let file = PathBuf::from(format!("{}{suffix}", path.display()));
        assert_eq!(mode(&file), 0o600, "{}", file.display());
    }
    store.close().await;
}

#[tokio::test]
async fn a_wrong_key_is_refused_with_a_clear_error_and_the_file_is_left_as_it_was() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = store_path(&dir);
    let key = DataKey::generate();
    let store = Store::open_encrypted(&path, &key).await.expect("open");
    seed_customer(&store, 5).await;
    store.close().await;
    let wal = PathBuf::from(format!("{}-wal", path.display()));
    assert!(
        std::fs::metadata(&wal).map_or(true, |m| m.len() == 0),
        "a closed store is whole in one file"
    );
    let before = std::fs::read(&path).expect("bytes");

    let wrong = Store::open_encrypted(&path, &DataKey::generate()).await;
    assert_eq!(code_of(wrong), Code::StoreUnreadable);
    // Without a key at all (an old build, a tool): refused the same way.
    assert_eq!(
        code_of(Store::open(&path, &key).await),
        Code::StoreUnreadable
    );
    assert_eq!(std::fs::read(&path).expect("bytes"), before, "untouched");

    // The UI gets a code it translates, not "internal".
    let api = ApiError::from(Error::StoreUnreadable);
    assert_eq!(api.code, Code::StoreUnreadable);
    assert_eq!(
        serde_json::to_value(api.code).expect("json"),
        "store_unreadable"
    );

    let again = Store::open_encrypted(&path, &key).await.expect("right key");
    assert_eq!(customers(&again).await, (5, 5));
    again.close().await;
}

#[tokio::test]
async fn a_plain_store_is_encrypted_at_the_first_keyed_open_and_keeps_everything() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = store_path(&dir);
    let key = DataKey::generate();
    let sealer = Sealer::new(&key);
    let plain = Store::open(&path, &key).await.expect("plain");
    seed_customer(&plain, 50).await;
    let mut tx = plain.begin().await.expect("begin");
    let queued = outbox::enqueue(
        &mut tx,
        &sealer,
        NewOperation {
            aggregate: "customer:ext-1".into(),
            kind: "customer.create".into(),
            subject: None,
            body: serde_json::json!({"name": NAME, "residentId": RESIDENT_ID, "mobile": MOBILE}),
            summary: "开户 王**".into(),
            record_ref: None,
        },
        chrono::Utc::now(),
        None,
    )
    .await
    .expect("enqueue");
    tx.commit().await.expect("commit");
    // The files as a crash leaves them: the last commits only in the plain WAL.
    let crashed = tempfile::tempdir().expect("tempdir");
    let path = crashed.path().join("walletdesk.sqlite");
    for suffix in ["", "-wal"] {
        let from = format!("{}{suffix}", store_path(&dir).display());
        std::fs::copy(&from, format!("{}{suffix}", path.display())).expect("copy");
    }
    assert!(
        std::fs::metadata(format!("{}-wal", path.display()))
            .expect("wal")
            .len()
            > 0
    );
    plain.close().await;
    assert_eq!(
        StoreFile::inspect(&path).expect("inspect"),
        StoreFile::Plain
    );

    let store = Store::open_encrypted(&path, &key).await.expect("convert");
    assert_eq!(
        StoreFile::inspect(&path).expect("inspect"),
        StoreFile::Encrypted
    );
    assert_eq!(customers(&store).await, (50, 50));
    assert_eq!(
        outbox::body(store.read(), &sealer, queued)
            .await
            .expect("body")["residentId"],
        RESIDENT_ID
    );
    let migrations: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations")
        .fetch_one(store.read())
        .await
        .expect("migrations");
    assert_eq!(migrations, store::MIGRATIONS.iter().count() as i64);
    seed_customer(&store, 1).await;
    store.close().await;
    let leaked = clear_text_in(path.parent().expect("dir"));
    assert!(leaked.is_empty(), "in clear after conversion: {leaked:?}");

    let again = Store::open_encrypted(&path, &key).await.expect("reopen");
    assert_eq!(customers(&again).await, (51, 51));
    again.close().await;
}

#[tokio::test]
async fn a_corrupt_store_file_fails_to_open_clearly_and_is_not_overwritten() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = store_path(&dir);
    let key = DataKey::generate();
    let store = Store::open_encrypted(&path, &key).await.expect("open");
    seed_customer(&store, 20).await;
    store.close().await;
    // Bytes of the first page flipped (a bad sector, a half-copied backup).
    let mut bytes = std::fs::read(&path).expect("bytes");
    for b in &mut bytes[200..264] {
        *b ^= 0x5a;
    }
    std::fs::write(&path, &bytes).expect("damage");
    assert_eq!(
        code_of(Store::open_encrypted(&path, &key).await),
        Code::StoreUnreadable
    );
    assert_eq!(
        std::fs::read(&path).expect("bytes"),
        bytes,
        "not overwritten"
    );

    // A plain store whose pages are garbage after the header: refused at conversion, kept.
    let plain_dir = tempfile::tempdir().expect("tempdir");
    let plain_path = store_path(&plain_dir);
    let plain = Store::open(&plain_path, &key).await.expect("plain");
    seed_customer(&plain, 20).await;
    plain.close().await;
    let mut plain_bytes = std::fs::read(&plain_path).expect("bytes");
    let len = plain_bytes.len();
    for b in &mut plain_bytes[100..len] {
        *b = 0xee;
    }
    std::fs::write(&plain_path, &plain_bytes).expect("damage");
    assert_eq!(
        code_of(Store::open_encrypted(&plain_path, &key).await),
        Code::StoreUnreadable
    );
    assert_eq!(std::fs::read(&plain_path).expect("bytes"), plain_bytes);
    assert!(
        !PathBuf::from(format!("{}.encrypting", plain_path.display())).exists(),
        "no half-made copy left behind"
    );
}

#[tokio::test]
async fn a_missing_data_key_is_replaced_only_when_nothing_needs_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A new install: no store yet.
    let fresh = store_path(&dir);
    store::check_missing_data_key(&fresh)
        .await
        .expect("a new install makes a key");

    // An encrypted store: everything in it needs the key.
    let key = DataKey::generate();
    let store = Store::open_encrypted(&fresh, &key).await.expect("open");
    store.close().await;
    let refused = store::check_missing_data_key(&fresh).await;
    assert!(matches!(refused, Err(Error::DataKeyMissing)), "{refused:?}");
    assert_eq!(Error::DataKeyMissing.code(), Code::DataKeyMissing);

    // A plain store (before encryption) with nothing sealed: a new key loses nothing.
    let plain_dir = tempfile::tempdir().expect("tempdir");
    let plain_path = store_path(&plain_dir);
    let plain = Store::open(&plain_path, &key).await.expect("plain");
    seed_customer(&plain, 3).await;
    plain.close().await;
    store::check_missing_data_key(&plain_path)
        .await
        .expect("nothing sealed");

    // ... but with a sign-up waiting for the core, sealed under the lost key: stop.
    let plain = Store::open(&plain_path, &key).await.expect("plain");
    let mut tx = plain.begin().await.expect("begin");
    outbox::enqueue(
        &mut tx,
        &Sealer::new(&key),
        NewOperation {
            aggregate: "customer:ext-2".into(),
            kind: "customer.create".into(),
            subject: None,
            body: serde_json::json!({"residentId": RESIDENT_ID}),
            summary: "开户".into(),
            record_ref: None,
        },
        chrono::Utc::now(),
        None,
    )
    .await
    .expect("enqueue");
    tx.commit().await.expect("commit");
    plain.close().await;
    let before = std::fs::read(&plain_path).expect("bytes");
    let refused = store::check_missing_data_key(&plain_path).await;
    assert!(matches!(refused, Err(Error::DataKeyMissing)), "{refused:?}");
    assert_eq!(std::fs::read(&plain_path).expect("bytes"), before);
}

#[tokio::test]
async fn a_full_disk_refuses_the_step_clearly_and_keeps_what_was_saved() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = store_path(&dir);
    let key = DataKey::generate();
    let sealer = Sealer::new(&key);
    let store = Store::open_encrypted(&path, &key).await.expect("open");
    // A disk with room for a few more pages only: SQLite's page cap on the writer.
    let mut tx = store.begin().await.expect("begin");
    let pages: i64 = sqlx::query_scalar("PRAGMA page_count")
        .fetch_one(&mut *tx)
        .await
        .expect("pages");
    sqlx::query(&format!("PRAGMA max_page_count = {}", pages + 4))
        .execute(&mut *tx)
        .await
        .expect("cap");
    tx.commit().await.expect("commit");

    let op = |n: u32| NewOperation {
        aggregate: format!("customer:ext-{n}"),
        kind: "customer.create".into(),
        subject: None,
        body: serde_json::json!({"name": NAME, "residentId": RESIDENT_ID,
            "notes": "x".repeat(2000)}),
        summary: format!("开户 {n}"),
        record_ref: None,
    };
    let mut saved = 0u32;
    let failure = loop {
        let mut tx = store.begin().await.expect("begin");
        let result = outbox::enqueue(&mut tx, &sealer, op(saved), chrono::Utc::now(), None).await;
        let result = match result {
            Ok(_) => tx.commit().await,
            Err(err) => Err(err),
        };
        match result {
            Ok(()) => saved += 1,
            Err(err) => break err,
        }
        assert!(saved < 1000, "the cap never bit");
    };
    assert!(saved > 0, "some fitted before the disk filled");
    assert_eq!(failure.code(), Code::DiskFull, "{failure:?}");
    let api = ApiError::from(failure);
    assert_eq!(api.code, Code::DiskFull);
    assert!(!api.message.contains("INSERT"), "{}", api.message);

    let count = |store: Store| async move {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM outbox")
            .fetch_one(store.read())
            .await
            .expect("count")
    };
    assert_eq!(count(store.clone()).await, i64::from(saved), "nothing lost");
    // Space freed: the next step is saved, and the store reopens whole.
    let mut tx = store.begin().await.expect("begin");
    sqlx::query("PRAGMA max_page_count = 1073741823")
        .execute(&mut *tx)
        .await
        .expect("uncap");
    outbox::enqueue(&mut tx, &sealer, op(saved), chrono::Utc::now(), None)
        .await
        .expect("fits now");
    tx.commit().await.expect("commit");
    store.close().await;
    let again = Store::open_encrypted(&path, &key).await.expect("reopen");
    assert_eq!(count(again.clone()).await, i64::from(saved) + 1);
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(again.read())
        .await
        .expect("check");
    assert_eq!(check, "ok");
    again.close().await;
}
