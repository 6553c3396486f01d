//! The console's bearer token for the core bank, and where it lives on this machine.
//!
//! One token per console and core: the core tells consoles apart by it and can revoke one.
//! Where it is kept, in order of preference:
//! 1. the OS secret store, through a [`SecretVault`] the shell provides (Secret Service on
//!    Linux): encrypted under the user's login, outside Walletdesk's data folder;
//! 2. where there is none or it refuses (CI containers, a session without D-Bus), sealed with
//!    the console's data key in the local store (table `core_credentials`).
//!
//! Never in a config file or a log. The table always says where the token is, and a token
//! recorded as in the secret store is only ever read from there: if that store cannot be read
//! at start, start-up fails and says what to do, rather than quietly running without a token.
//!
//! A real core's token is given once, in [`TOKEN_ENV`] at start-up (the shell reads it), and
//! kept; given again with another value it replaces the kept one (rotation). The training
//! sandbox's token is made at random on first start and always sealed in the store: it guards
//! synthetic data on loopback, and training data folders are thrown away freely (every e2e run
//! makes one), so entries in the OS secret store would only pile up.
//!
//! Storing a token is audited (where, and whether it replaced one), never the token itself.

use crate::audit::{self, NewAudit};
use crate::clock::Clock;
use crate::crypto::Sealer;
use crate::store::Store;
use secrecy::{ExposeSecret, SecretString};
use serde_json::json;
use sqlx::Row;
use std::fmt;
use std::sync::Arc;

/// The `core` key of the embedded training sandbox (its URL changes every start).
pub const TRAINING_CORE: &str = "training";
/// Where the shell reads a real core's token from, at the first start (or to replace it).
pub const TOKEN_ENV: &str = "WALLETDESK_CORE_TOKEN";
/// The service name entries are filed under in the OS secret store (the app's identifier).
pub const VAULT_SERVICE: &str = "com.walletdesk.console";

/// Why the OS secret store failed. The text comes from the store and never holds a secret.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct VaultError(pub String);

/// The OS secret store, as the shell provides it. Calls may block (D-Bus); they are made off
/// the async runtime's threads.
pub trait SecretVault: Send + Sync + fmt::Debug {
    /// What it is, for messages and logs, e.g. "Secret Service".
    fn name(&self) -> &str;
    /// `Ok(None)` when there is no entry for `account`.
    fn get(&self, account: &str) -> Result<Option<SecretString>, VaultError>;
    /// Creates or overwrites the entry for `account`.
    fn set(&self, account: &str, secret: &SecretString) -> Result<(), VaultError>;
    /// Removing an entry that is not there is not an error.
    fn delete(&self, account: &str) -> Result<(), VaultError>;
}

/// Where a token is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    SecretStore,
    Sealed,
}

impl Place {
    pub fn as_str(self) -> &'static str {
        match self {
            Place::SecretStore => "os-secret-store",
            Place::Sealed => "sealed",
        }
    }

    fn parse(text: &str) -> Result<Place, CredentialError> {
        match text {
            "os-secret-store" => Ok(Place::SecretStore),
            "sealed" => Ok(Place::Sealed),
            other => Err(CredentialError::Store(crate::Error::Internal(
                anyhow::anyhow!("core_credentials: unknown place {other:?}"),
            ))),
        }
    }
}

/// Where [`Credentials::save`] may put a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// The OS secret store if it takes the token, sealed in the store otherwise.
    PreferSecretStore,
    /// Sealed in the store only (the training token).
    SealedOnly,
}

/// Why there is no usable token. Each message says what to do; none holds the token.
#[derive(Debug, thiserror::Error)]
pub enum CredentialError {
    #[error(
        "no token for the core bank at {core}: give this console's token once in {TOKEN_ENV} \
         when starting Walletdesk"
    )]
    Missing { core: String },
    #[error(
        "the token for the core bank at {core} is kept in the OS secret store ({vault}), which \
         cannot be read now ({reason}); unlock it or sign in to the desktop session and start \
         again, or give the token again in {TOKEN_ENV}"
    )]
    SecretStoreUnavailable {
        core: String,
        vault: String,
        reason: String,
    },
    #[error(
        "the token for the core bank at {core} is no longer in the OS secret store ({vault}); \
         give it again in {TOKEN_ENV}"
    )]
    SecretStoreLost { core: String, vault: String },
    #[error(
        "the stored token for the core bank at {core} cannot be opened with this console's \
         data key (data.key replaced, or the store copied from another machine); give it again \
         in {TOKEN_ENV}"
    )]
    Unreadable { core: String },
    #[error(transparent)]
    Store(#[from] crate::Error),
}

impl From<sqlx::Error> for CredentialError {
    fn from(err: sqlx::Error) -> Self {
        CredentialError::Store(err.into())
    }
}

/// A fresh random token: 256 bits from the thread's CSPRNG, as 64 hex characters (a valid
/// RFC 6750 bearer token).
pub fn generate_token() -> SecretString {
    let bytes = zeroize::Zeroizing::new(rand::random::<[u8; 32]>());
    SecretString::from(hex::encode(*bytes))
}

/// The sealing context: a sealed token copied into another core's row does not open there.
fn seal_context(core: &str) -> String {
    format!("core-token:{core}")
}

/// A stored row.
struct Stored {
    place: Place,
    vault_account: Option<String>,
    token_sealed: Option<Vec<u8>>,
}

/// The console's core tokens: reads and writes `core_credentials` and the OS secret store.
#[derive(Clone)]
pub struct Credentials {
    store: Store,
    sealer: Sealer,
    vault: Option<Arc<dyn SecretVault>>,
    clock: Arc<dyn Clock>,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("vault", &self.vault)
            .finish_non_exhaustive()
    }
}

impl Credentials {
    /// `vault` is the OS secret store, `None` where the platform has none.
    pub fn new(
        store: Store,
        sealer: Sealer,
        vault: Option<Arc<dyn SecretVault>>,
        clock: Arc<dyn Clock>,
    ) -> Credentials {
        Credentials {
            store,
            sealer,
            vault,
            clock,
        }
    }

    async fn stored(&self, core: &str) -> Result<Option<Stored>, CredentialError> {
        let row = sqlx::query(
            "SELECT place, vault_account, token_sealed FROM core_credentials WHERE core = ?",
        )
        .bind(core)
        .fetch_optional(self.store.read())
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let place: String = row.try_get("place")?;
        Ok(Some(Stored {
            place: Place::parse(&place)?,
            vault_account: row.try_get("vault_account")?,
            token_sealed: row.try_get("token_sealed")?,
        }))
    }

    /// Where the token for `core` is kept, if one is.
    pub async fn place(&self, core: &str) -> Result<Option<Place>, CredentialError> {
        Ok(self.stored(core).await?.map(|s| s.place))
    }

    /// The token for `core`, or `None` if none was ever stored.
    pub async fn load(&self, core: &str) -> Result<Option<SecretString>, CredentialError> {
        let Some(stored) = self.stored(core).await? else {
            return Ok(None);
        };
        match stored.place {
            Place::Sealed => {
                let sealed = stored.token_sealed.unwrap_or_default();
                let plain = self
                    .sealer
                    .open(&sealed, &seal_context(core))
                    .map_err(|_| CredentialError::Unreadable { core: core.into() })?;
                let text = std::str::from_utf8(&plain)
                    .map_err(|_| CredentialError::Unreadable { core: core.into() })?;
                Ok(Some(SecretString::from(text)))
            }
            Place::SecretStore => {
                let Some(vault) = &self.vault else {
                    return Err(CredentialError::SecretStoreUnavailable {
                        core: core.into(),
                        vault: "none".into(),
                        reason: "this session has no OS secret store".into(),
                    });
                };
                let account = stored.vault_account.unwrap_or_default();
                match vault_get(vault, &account).await {
                    Ok(Some(token)) => Ok(Some(token)),
                    Ok(None) => Err(CredentialError::SecretStoreLost {
                        core: core.into(),
                        vault: vault.name().into(),
                    }),
                    Err(err) => Err(CredentialError::SecretStoreUnavailable {
                        core: core.into(),
                        vault: vault.name().into(),
                        reason: err.0,
                    }),
                }
            }
        }
    }

    /// Stores `token` for `core`, replacing any earlier one, and says where it went. The row
    /// and its audit record are one transaction; the secret store is written before it (and
    /// read back, so a store that accepts but does not keep is caught), and an entry the token
    /// moved out of is removed after it.
    pub async fn save(
        &self,
        core: &str,
        token: &SecretString,
        keep: Keep,
    ) -> Result<Place, CredentialError> {
        let existing = self.stored(core).await?;
        let mut account = existing.as_ref().and_then(|s| s.vault_account.clone());
        let mut place = Place::Sealed;
        if let (Keep::PreferSecretStore, Some(vault)) = (keep, &self.vault) {
            let name = account
                .clone()
                .unwrap_or_else(|| format!("core token for {core} ({})", uuid::Uuid::new_v4()));
            match vault_put(vault, &name, token).await {
                Ok(()) => {
                    place = Place::SecretStore;
                    account = Some(name);
                }
                Err(err) => tracing::warn!(
                    vault = vault.name(),
                    error = %err,
                    "the OS secret store did not take the core token; keeping it sealed in the \
                     local store instead"
                ),
            }
        }
        let sealed = match place {
            Place::Sealed => Some(
                self.sealer
                    .seal(token.expose_secret().as_bytes(), &seal_context(core))
                    .map_err(|err| CredentialError::Store(anyhow::Error::from(err).into()))?,
            ),
            Place::SecretStore => None,
        };
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        sqlx::query(
            "INSERT INTO core_credentials (core, place, vault_account, token_sealed, stored_at) \
             VALUES (?, ?, ?, ?, ?) \
             ON CONFLICT (core) DO UPDATE SET place = excluded.place, \
               vault_account = excluded.vault_account, token_sealed = excluded.token_sealed, \
               stored_at = excluded.stored_at",
        )
        .bind(core)
        .bind(place.as_str())
        .bind(&account)
        .bind(&sealed)
        .bind(audit::timestamp(now))
        .execute(&mut *tx)
        .await?;
        audit::append(
            &mut tx,
            now,
            NewAudit::new(None, "system", "core.token_stored")
                .subject("core", core)
                .detail(json!({"place": place.as_str(), "replaced": existing.is_some()})),
        )
        .await?;
        tx.commit().await?;

        // Moved from the secret store into the local store: the old entry holds an old token,
        // and nothing should be left lying around that no row points at.
        let moved_out = existing.is_some_and(|s| s.place == Place::SecretStore);
        if let (true, Place::Sealed, Some(vault), Some(name)) =
            (moved_out, place, &self.vault, &account)
            && let Err(err) = vault_delete(vault, name).await
        {
            tracing::warn!(
                vault = vault.name(),
                error = %err,
                "could not remove the old core token from the OS secret store; remove the \
                 entry by hand"
            );
        }
        Ok(place)
    }

    /// At start-up against a real core: the token for `core`, storing `given` (from
    /// [`TOKEN_ENV`]) first when there is one. Given the same token as stored, nothing changes;
    /// given another, it replaces the stored one. Not given, the stored one is used.
    pub async fn provision(
        &self,
        core: &str,
        given: Option<SecretString>,
    ) -> Result<SecretString, CredentialError> {
        let Some(token) = given else {
            let token = self.load(core).await?.ok_or(CredentialError::Missing {
                core: core.to_owned(),
            })?;
            if let Some(place) = self.place(core).await? {
                tracing::info!(
                    core,
                    place = place.as_str(),
                    "using the stored core bank token"
                );
            }
            return Ok(token);
        };
        match self.load(core).await {
            Ok(Some(current)) if current.expose_secret() == token.expose_secret() => {
                tracing::info!(
                    core,
                    "{TOKEN_ENV} holds the token already stored; it can be removed from the \
                     start-up environment"
                );
                return Ok(current);
            }
            Ok(_) => {}
            Err(CredentialError::Store(err)) => return Err(CredentialError::Store(err)),
            Err(unreadable) => tracing::warn!(
                error = %unreadable,
                "replacing the stored core token, which cannot be read, with the one given"
            ),
        }
        let place = self.save(core, &token, Keep::PreferSecretStore).await?;
        tracing::info!(
            core,
            place = place.as_str(),
            "core bank token stored; {TOKEN_ENV} is not needed at later starts and should be \
             removed from the start-up environment"
        );
        Ok(token)
    }

    /// The embedded training sandbox's token: made and sealed on first start, the same after.
    /// One that cannot be read any more is simply replaced: the sandbox takes whatever token
    /// it is given at start.
    pub async fn training(&self) -> Result<SecretString, CredentialError> {
        match self.load(TRAINING_CORE).await {
            Ok(Some(token)) => return Ok(token),
            Ok(None) => {}
            Err(CredentialError::Store(err)) => return Err(CredentialError::Store(err)),
            Err(unreadable) => {
                tracing::warn!(error = %unreadable, "making a new training sandbox token");
            }
        }
        let token = generate_token();
        self.save(TRAINING_CORE, &token, Keep::SealedOnly).await?;
        Ok(token)
    }
}

async fn on_blocking_thread<T: Send + 'static>(
    call: impl FnOnce() -> Result<T, VaultError> + Send + 'static,
) -> Result<T, VaultError> {
    tokio::task::spawn_blocking(call)
        .await
        .unwrap_or_else(|err| Err(VaultError(format!("the secret store call failed: {err}"))))
}

async fn vault_get(
    vault: &Arc<dyn SecretVault>,
    account: &str,
) -> Result<Option<SecretString>, VaultError> {
    let (vault, account) = (vault.clone(), account.to_owned());
    on_blocking_thread(move || vault.get(&account)).await
}

/// Sets the entry and reads it back: a store that answers "done" without keeping the secret
/// (seen with misconfigured or in-memory collections) must not be trusted with the only copy.
async fn vault_put(
    vault: &Arc<dyn SecretVault>,
    account: &str,
    token: &SecretString,
) -> Result<(), VaultError> {
    let (vault, account, token) = (vault.clone(), account.to_owned(), token.clone());
    on_blocking_thread(move || {
        vault.set(&account, &token)?;
        match vault.get(&account)? {
            Some(back) if back.expose_secret() == token.expose_secret() => Ok(()),
            _ => Err(VaultError(
                "the entry read back differs from what was written".into(),
            )),
        }
    })
    .await
}

async fn vault_delete(vault: &Arc<dyn SecretVault>, account: &str) -> Result<(), VaultError> {
    let (vault, account) = (vault.clone(), account.to_owned());
    on_blocking_thread(move || vault.delete(&account)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_tokens_are_long_random_hex() {
        let a = generate_token();
        let b = generate_token();
        assert_eq!(a.expose_secret().len(), 64);
        assert!(a.expose_secret().bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a.expose_secret(), b.expose_secret());
        assert!(!format!("{a:?}").contains(a.expose_secret()));
    }

    #[test]
    fn messages_say_what_to_do_and_hold_no_token() {
        let err = CredentialError::Missing {
            core: "https://core.example".into(),
        };
        assert!(err.to_string().contains(TOKEN_ENV), "{err}");
    }
}
