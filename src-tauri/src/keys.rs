//! The data key that seals identity numbers at rest (outbox bodies, drafts, attachments) and,
//! where no OS secret store works, the core-bank token.
//!
//! Kept beside the store in `data.key`, readable by this OS user only (0600), and never in a
//! config file, the repository or a log. Deliberately not in the OS secret store, although
//! the core-bank token goes there (`secrets.rs`): the two fail differently.
//! - Losing the token costs a re-provisioning (IT sets `WALLETDESK_CORE_TOKEN` once more);
//!   nothing is lost. Losing the data key loses every sealed thing: customers' sign-ups still
//!   queued for the core, open onboarding drafts. A keyring is lost apart from the data
//!   folder (a login keyring recreated after a password reset, a new profile), while a key
//!   beside the store is kept or lost with it. (The other side of that coin: a copy of the
//!   whole folder carries both; full-disk encryption is what protects against that.)
//! - A locked or absent keyring at start (no D-Bus session, auto-login without unlocking)
//!   would keep the console from opening its own store, offline work included.
//! - On Linux, Secret Service gives the secret to any process of the same user, as the 0600
//!   file does; what it adds is encryption under the login password, which the full-disk
//!   encryption banks require on staff machines already covers.
//!
//! Moving it would be safe only with a recovery path (the key also wrapped under a
//! bank-held escrow key); see docs/corebank.md, "Where the token lives".

use anyhow::Context;
use std::path::Path;
use walletdesk_core::crypto::DataKey;

const FILE: &str = "data.key";

/// Loads the key, creating it on first start. A damaged key file is an error, never replaced:
/// a new key would make everything sealed with the old one unreadable. A missing one is
/// replaced only when the store at `store` holds nothing that needs it (core's rule,
/// `check_missing_data_key`); otherwise start-up stops with `DataKeyMissing`.
pub async fn data_key(dir: &Path, store: &Path) -> anyhow::Result<DataKey> {
    let path = dir.join(FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => DataKey::from_hex(&text)
            .with_context(|| format!("{} is damaged (not a 256-bit hex key)", path.display())),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            walletdesk_core::store::check_missing_data_key(store).await?;
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
            let key = DataKey::generate();
            write_private(&path, key.to_hex().as_str())
                .with_context(|| format!("writing {}", path.display()))?;
            tracing::info!(path = %path.display(), "created the data key");
            Ok(key)
        }
        Err(err) => Err(err).with_context(|| format!("reading {}", path.display())),
    }
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    // create_new: two app instances starting at once must not each write a different key.
    let mut file = std::fs::OpenOptions::new()
        .create_new(true)
        .write(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    Ok(())
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
    Ok(std::fs::write(path, text)?)
}
