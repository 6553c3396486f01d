//! The console's core-bank token: sealed in the local store where no OS secret store works
//! (always tested: it is what CI containers get), in a secret store where one does (an
//! in-memory stand-in here; the shell's tests try the real one), and never lost silently.

use secrecy::{ExposeSecret, SecretString};
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use walletdesk_core::clock::SystemClock;
use walletdesk_core::credentials::{
    CredentialError, Credentials, Keep, Place, SecretVault, TOKEN_ENV, TRAINING_CORE, VaultError,
};
use walletdesk_core::crypto::{DataKey, Sealer};
use walletdesk_core::store::Store;

const CORE: &str = "https://core.bank.example/api";
const TOKEN: &str = "console-7-token-abcdefghijklmnop";

/// An OS secret store in memory. `refuse` makes every call fail (no daemon, locked, denied);
/// `forgetful` accepts writes and keeps nothing.
#[derive(Debug, Default)]
struct MemoryVault {
    entries: Mutex<HashMap<String, String>>,
    refuse: bool,
    forgetful: bool,
}

impl MemoryVault {
    fn entries(&self) -> HashMap<String, String> {
        self.entries.lock().expect("lock").clone()
    }
}

impl SecretVault for MemoryVault {
    fn name(&self) -> &str {
        "memory"
    }
    fn get(&self, account: &str) -> Result<Option<SecretString>, VaultError> {
        if self.refuse {
            return Err(VaultError("the secret store is locked".into()));
        }
        Ok(self
            .entries
            .lock()
            .expect("lock")
            .get(account)
            .map(|s| SecretString::from(s.as_str())))
    }
    fn set(&self, account: &str, secret: &SecretString) -> Result<(), VaultError> {
        if self.refuse {
            return Err(VaultError("the secret store is locked".into()));
        }
        if !self.forgetful {
            self.entries
                .lock()
                .expect("lock")
                .insert(account.into(), secret.expose_secret().into());
        }
        Ok(())
    }
    fn delete(&self, account: &str) -> Result<(), VaultError> {
        if self.refuse {
            return Err(VaultError("the secret store is locked".into()));
        }
        self.entries.lock().expect("lock").remove(account);
        Ok(())
    }
}

/// The store under one fixed data key for its audit chain, whatever key a test gives the
/// credentials to seal with: these tests are about the token, and reopen the same file.
async fn open(dir: &Path) -> Store {
    Store::open(
        &dir.join("walletdesk.sqlite"),
        &DataKey::from_bytes([7; 32]),
    )
    .await
    .expect("store")
}

fn credentials(store: &Store, key: &DataKey, vault: Option<Arc<MemoryVault>>) -> Credentials {
    Credentials::new(
        store.clone(),
        Sealer::new(key),
        vault.map(|v| v as Arc<dyn SecretVault>),
        Arc::new(SystemClock),
    )
}

/// Every byte of the store's files (database and write-ahead log).
fn file_bytes(dir: &Path) -> Vec<u8> {
    let mut all = Vec::new();
    for entry in std::fs::read_dir(dir).expect("dir") {
        let path = entry.expect("entry").path();
        if path.is_file() {
            all.extend(std::fs::read(&path).expect("read"));
        }
    }
    all
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[tokio::test]
async fn without_a_secret_store_the_token_is_sealed_and_survives_a_restart() {
    let dir = tempfile::tempdir().expect("tempdir");
    let key = DataKey::generate();
    let store = open(dir.path()).await;
    let creds = credentials(&store, &key, None);

    let token = creds
        .provision(CORE, Some(TOKEN.into()))
        .await
        .expect("provisioned");
    assert_eq!(token.expose_secret(), TOKEN);
    assert_eq!(creds.place(CORE).await.expect("place"), Some(Place::Sealed));
    let sealed: Vec<u8> =
        sqlx::query_scalar("SELECT token_sealed FROM core_credentials WHERE core = ?")
            .bind(CORE)
            .fetch_one(store.read())
            .await
            .expect("row");
    assert!(!contains(&sealed, TOKEN));
    // Audited: where it went, never what it is.
    let detail: String = sqlx::query_scalar(
        "SELECT detail FROM audit_log WHERE action = 'core.token_stored' AND subject_id = ?",
    )
    .bind(CORE)
    .fetch_one(store.read())
    .await
    .expect("audited");
    assert!(detail.contains("\"sealed\""), "{detail}");
    assert!(!detail.contains(TOKEN), "{detail}");
    store.close().await;
    assert!(
        !contains(&file_bytes(dir.path()), TOKEN),
        "the token is nowhere in the store's files in clear"
    );

    // The next start has no variable: the stored token is used.
    let store = open(dir.path()).await;
    let creds = credentials(&store, &key, None);
    let again = creds.provision(CORE, None).await.expect("kept");
    assert_eq!(again.expose_secret(), TOKEN);
    store.close().await;
}

#[tokio::test]
async fn a_sealed_token_opens_only_with_its_data_key_and_for_its_core() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(dir.path()).await;
    credentials(&store, &DataKey::generate(), None)
        .provision(CORE, Some(TOKEN.into()))
        .await
        .expect("provisioned");

    // data.key replaced, or the store copied to another machine.
    let other = credentials(&store, &DataKey::generate(), None);
    let err = other.provision(CORE, None).await.expect_err("wrong key");
    assert!(matches!(err, CredentialError::Unreadable { .. }), "{err:?}");
    assert!(err.to_string().contains(TOKEN_ENV), "{err}");
    assert!(!format!("{err} {err:?}").contains(TOKEN));
    // Giving the token again puts it right, under the new key.
    other
        .provision(CORE, Some(TOKEN.into()))
        .await
        .expect("re-provisioned");
    assert_eq!(
        other
            .load(CORE)
            .await
            .expect("load")
            .expect("token")
            .expose_secret(),
        TOKEN
    );

    // A sealed token copied into another core's row does not open there.
    let key = DataKey::generate();
    let creds = credentials(&store, &key, None);
    creds
        .save("https://a.example", &TOKEN.into(), Keep::SealedOnly)
        .await
        .expect("saved");
    creds
        .save(
            "https://b.example",
            &"another-token-0123456789".into(),
            Keep::SealedOnly,
        )
        .await
        .expect("saved");
    let mut tx = store.begin().await.expect("begin");
    sqlx::query(
        "UPDATE core_credentials SET token_sealed = (SELECT token_sealed FROM core_credentials \
         WHERE core = 'https://a.example') WHERE core = 'https://b.example'",
    )
    .execute(&mut *tx)
    .await
    .expect("copy");
    tx.commit().await.expect("commit");
    let err = creds.load("https://b.example").await.expect_err("copied");
    assert!(matches!(err, CredentialError::Unreadable { .. }), "{err:?}");
    store.close().await;
}

#[tokio::test]
async fn no_token_at_all_is_a_clear_start_up_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(dir.path()).await;
    let err = credentials(&store, &DataKey::generate(), None)
        .provision(CORE, None)
        .await
        .expect_err("missing");
    assert!(matches!(err, CredentialError::Missing { .. }), "{err:?}");
    assert!(err.to_string().contains(TOKEN_ENV), "{err}");
    assert!(err.to_string().contains(CORE), "{err}");
    store.close().await;
}

#[tokio::test]
async fn a_working_secret_store_holds_the_token_and_the_store_only_names_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let key = DataKey::generate();
    let store = open(dir.path()).await;
    let vault = Arc::new(MemoryVault::default());
    let creds = credentials(&store, &key, Some(vault.clone()));
    creds
        .provision(CORE, Some(TOKEN.into()))
        .await
        .expect("provisioned");
    assert_eq!(
        creds.place(CORE).await.expect("place"),
        Some(Place::SecretStore)
    );
    let entries = vault.entries();
    assert_eq!(entries.len(), 1);
    let (account, kept) = entries.iter().next().expect("entry");
    assert_eq!(kept, TOKEN);
    assert!(account.contains(CORE), "{account}");
    let sealed: Option<Vec<u8>> =
        sqlx::query_scalar("SELECT token_sealed FROM core_credentials WHERE core = ?")
            .bind(CORE)
            .fetch_one(store.read())
            .await
            .expect("row");
    assert_eq!(sealed, None, "nothing of the token in the local store");

    // The same token again changes nothing; a new one (rotation) overwrites the same entry.
    creds
        .provision(CORE, Some(TOKEN.into()))
        .await
        .expect("same");
    let rotated = "console-7-rotated-0123456789";
    creds
        .provision(CORE, Some(rotated.into()))
        .await
        .expect("rotated");
    let entries = vault.entries();
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries.get(account).map(String::as_str), Some(rotated));
    let stored: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'core.token_stored'")
            .fetch_one(store.read())
            .await
            .expect("count");
    assert_eq!(
        stored, 2,
        "stored, then replaced; the repeat stored nothing"
    );

    store.close().await;
    let store = open(dir.path()).await;
    let creds = credentials(&store, &key, Some(vault.clone()));
    assert_eq!(
        creds
            .provision(CORE, None)
            .await
            .expect("kept")
            .expose_secret(),
        rotated
    );
    store.close().await;
}

#[tokio::test]
async fn a_secret_store_that_refuses_or_forgets_gets_the_sealed_fallback() {
    for vault in [
        MemoryVault {
            refuse: true,
            ..MemoryVault::default()
        },
        MemoryVault {
            forgetful: true,
            ..MemoryVault::default()
        },
    ] {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = open(dir.path()).await;
        let creds = credentials(&store, &DataKey::generate(), Some(Arc::new(vault)));
        creds
            .provision(CORE, Some(TOKEN.into()))
            .await
            .expect("provisioned");
        assert_eq!(creds.place(CORE).await.expect("place"), Some(Place::Sealed));
        assert_eq!(
            creds
                .provision(CORE, None)
                .await
                .expect("kept")
                .expose_secret(),
            TOKEN
        );
        store.close().await;
    }
}

#[tokio::test]
async fn a_token_in_the_secret_store_is_never_silently_replaced_or_lost() {
    let dir = tempfile::tempdir().expect("tempdir");
    let key = DataKey::generate();
    let store = open(dir.path()).await;
    let vault = Arc::new(MemoryVault::default());
    credentials(&store, &key, Some(vault.clone()))
        .provision(CORE, Some(TOKEN.into()))
        .await
        .expect("provisioned");

    // Started where the secret store cannot be reached (no desktop session, locked): an error
    // that says so, not a console running without its token.
    for unreachable in [
        credentials(&store, &key, None),
        credentials(
            &store,
            &key,
            Some(Arc::new(MemoryVault {
                refuse: true,
                ..MemoryVault::default()
            })),
        ),
    ] {
        let err = unreachable.provision(CORE, None).await.expect_err("unread");
        assert!(
            matches!(err, CredentialError::SecretStoreUnavailable { .. }),
            "{err:?}"
        );
        assert!(err.to_string().contains(TOKEN_ENV), "{err}");
    }
    // The entry deleted by hand (or the keyring reset).
    let emptied = Arc::new(MemoryVault::default());
    let err = credentials(&store, &key, Some(emptied))
        .provision(CORE, None)
        .await
        .expect_err("lost");
    assert!(
        matches!(err, CredentialError::SecretStoreLost { .. }),
        "{err:?}"
    );

    // Given again while the secret store is locked: sealed here instead (the old entry cannot
    // be removed then; a warning says to remove it by hand).
    let locked = credentials(
        &store,
        &key,
        Some(Arc::new(MemoryVault {
            refuse: true,
            ..MemoryVault::default()
        })),
    );
    let rotated = "console-7-rotated-0123456789";
    locked
        .provision(CORE, Some(rotated.into()))
        .await
        .expect("sealed instead");
    assert_eq!(
        locked.place(CORE).await.expect("place"),
        Some(Place::Sealed)
    );
    assert_eq!(
        credentials(&store, &key, None)
            .provision(CORE, None)
            .await
            .expect("sealed token")
            .expose_secret(),
        rotated
    );
    store.close().await;
}

#[tokio::test]
async fn moving_out_of_the_secret_store_removes_the_old_entry() {
    let dir = tempfile::tempdir().expect("tempdir");
    let key = DataKey::generate();
    let store = open(dir.path()).await;
    let vault = Arc::new(MemoryVault::default());
    let creds = credentials(&store, &key, Some(vault.clone()));
    creds
        .save(CORE, &TOKEN.into(), Keep::PreferSecretStore)
        .await
        .expect("in the secret store");
    assert_eq!(vault.entries().len(), 1);
    creds
        .save(CORE, &TOKEN.into(), Keep::SealedOnly)
        .await
        .expect("sealed");
    assert!(vault.entries().is_empty(), "{:?}", vault.entries());
    assert_eq!(creds.place(CORE).await.expect("place"), Some(Place::Sealed));
    store.close().await;
}

#[tokio::test]
async fn the_training_token_is_made_once_sealed_and_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let key = DataKey::generate();
    let store = open(dir.path()).await;
    // Even with a working secret store: a training folder is thrown away freely.
    let vault = Arc::new(MemoryVault::default());
    let creds = credentials(&store, &key, Some(vault.clone()));
    let first = creds.training().await.expect("made");
    assert_eq!(first.expose_secret().len(), 64);
    assert_eq!(
        creds.place(TRAINING_CORE).await.expect("place"),
        Some(Place::Sealed)
    );
    assert!(vault.entries().is_empty());
    store.close().await;

    let store = open(dir.path()).await;
    let creds = credentials(&store, &key, Some(vault));
    let again = creds.training().await.expect("kept");
    assert_eq!(again.expose_secret(), first.expose_secret());
    // Unreadable (another data key): a new one, since the sandbox takes what it is given.
    let renewed = credentials(&store, &DataKey::generate(), None)
        .training()
        .await
        .expect("renewed");
    assert_ne!(renewed.expose_secret(), first.expose_secret());
    store.close().await;
}
