//! The data key that seals identity numbers at rest (outbox bodies, attachments).
//!
//! Kept beside the store in `data.key`, readable by this OS user only (0600), and never in a
//! config file, the repository or a log. The OS secret store (Secret Service) would be better:
//! it is not used yet because the machines this runs on in training and CI have no Secret
//! Service daemon, and a key lost with the keyring would make queued work unreadable. Moving
//! the key there is tracked in the sync issue's note.

use anyhow::Context;
use std::path::Path;
use walletdesk_core::crypto::DataKey;

const FILE: &str = "data.key";

/// Loads the key, creating it on first start. A damaged key file is an error, never replaced:
/// a new key would make everything sealed with the old one unreadable.
pub fn data_key(dir: &Path) -> anyhow::Result<DataKey> {
    let path = dir.join(FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => DataKey::from_hex(&text)
            .with_context(|| format!("{} is damaged (not a 256-bit hex key)", path.display())),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
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
