//! Encryption at rest for what must not sit in the local store in clear: full resident IDs and
//! card numbers waiting in the sync outbox, complaint attachments.
//!
//! XChaCha20-Poly1305 (RustCrypto): a random 192-bit nonce per message is safe without a
//! counter, and the tag makes any edit of the stored bytes fail to open instead of decrypting
//! to garbage. The key comes from the shell (the OS secret store), never from a file in the
//! repository or a config file; core only sees a [`DataKey`].

use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::fmt;
use zeroize::Zeroizing;

const NONCE_LEN: usize = 24;
/// First byte of every sealed value, so a later scheme can be told apart from this one.
const VERSION: u8 = 1;

/// A 256-bit data key. Zeroed when dropped; never printed.
#[derive(Clone)]
pub struct DataKey(Zeroizing<[u8; 32]>);

impl DataKey {
    pub fn from_bytes(bytes: [u8; 32]) -> DataKey {
        DataKey(Zeroizing::new(bytes))
    }

    /// A fresh random key, for a new install (the shell stores it) and for tests.
    pub fn generate() -> DataKey {
        let key = XChaCha20Poly1305::generate_key(&mut OsRng);
        let mut bytes = [0u8; 32];
        bytes.copy_from_slice(&key);
        DataKey::from_bytes(bytes)
    }

    /// Hex, for the OS secret store (which keeps text).
    pub fn to_hex(&self) -> Zeroizing<String> {
        Zeroizing::new(hex::encode(*self.0))
    }

    pub fn from_hex(text: &str) -> Option<DataKey> {
        let bytes = Zeroizing::new(hex::decode(text.trim()).ok()?);
        let array: [u8; 32] = bytes.as_slice().try_into().ok()?;
        Some(DataKey::from_bytes(array))
    }

    /// A key for one purpose, derived from this one: HMAC-SHA256(data key, label), the
    /// single-block case of HKDF-Expand. One data key on disk, but the audit chain's MACs and
    /// the sealing cipher never share key bytes, so neither use can weaken the other.
    pub(crate) fn derive(&self, purpose: &str) -> Zeroizing<[u8; 32]> {
        let mut mac = mac_with(&self.0);
        mac.update(purpose.as_bytes());
        Zeroizing::new(mac.finalize().into_bytes().into())
    }

    /// The key of the audit chain's MACs (see [`crate::audit`]).
    pub fn audit_key(&self) -> AuditKey {
        AuditKey(self.derive(AUDIT_KEY_PURPOSE))
    }

    /// The key of a team store's audit chain (see [`crate::team::audit`]), derived from the
    /// team's key (one for all its consoles, so any of them can verify the shared chain).
    pub fn team_audit_key(&self) -> AuditKey {
        AuditKey(self.derive(TEAM_AUDIT_KEY_PURPOSE))
    }
}

/// The purpose label the audit key is derived under. Changing it changes every keyed hash.
const AUDIT_KEY_PURPOSE: &str = "walletdesk/audit-chain/v1";
/// The purpose label of a team store's audit key.
const TEAM_AUDIT_KEY_PURPOSE: &str = "walletdesk/team-audit-chain/v1";

fn mac_with(key: &[u8; 32]) -> Hmac<Sha256> {
    // HMAC takes a key of any length; 32 bytes can never be refused.
    <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!())
}

/// The audit chain's MAC key. Whoever has the store file but not the data key cannot compute
/// a record's hash, so cannot rewrite the chain and recompute it. Zeroed when dropped.
#[derive(Clone)]
pub struct AuditKey(Zeroizing<[u8; 32]>);

impl AuditKey {
    /// HMAC-SHA256 of `message`, in hex.
    pub fn mac_hex(&self, message: &[u8]) -> String {
        let mut mac = mac_with(&self.0);
        mac.update(message);
        hex::encode(mac.finalize().into_bytes())
    }
}

impl fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AuditKey(..)")
    }
}

impl fmt::Debug for DataKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DataKey(..)")
    }
}

/// Seals and opens values with one [`DataKey`]. `context` binds a sealed value to where it is
/// stored (e.g. "outbox:<key>"), so a value copied into another row does not open there.
#[derive(Clone)]
pub struct Sealer {
    cipher: XChaCha20Poly1305,
}

impl fmt::Debug for Sealer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Sealer(..)")
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SealError {
    #[error("encryption failed")]
    Seal,
    /// Wrong key, wrong context, or the stored bytes were changed.
    #[error("a stored encrypted value could not be opened (wrong key or damaged data)")]
    Open,
}

impl Sealer {
    pub fn new(key: &DataKey) -> Sealer {
        Sealer {
            cipher: XChaCha20Poly1305::new((&*key.0).into()),
        }
    }

    /// `version || nonce || ciphertext+tag`.
    pub fn seal(&self, plaintext: &[u8], context: &str) -> Result<Vec<u8>, SealError> {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let sealed = self
            .cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: plaintext,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| SealError::Seal)?;
        let mut out = Vec::with_capacity(1 + NONCE_LEN + sealed.len());
        out.push(VERSION);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    pub fn open(&self, sealed: &[u8], context: &str) -> Result<Zeroizing<Vec<u8>>, SealError> {
        let (&version, rest) = sealed.split_first().ok_or(SealError::Open)?;
        if version != VERSION || rest.len() < NONCE_LEN {
            return Err(SealError::Open);
        }
        let (nonce, ciphertext) = rest.split_at(NONCE_LEN);
        self.cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: context.as_bytes(),
                },
            )
            .map(Zeroizing::new)
            .map_err(|_| SealError::Open)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_value_opens_only_with_its_key_and_context() {
        let key = DataKey::generate();
        let sealer = Sealer::new(&key);
        let sealed = sealer
            .seal(b"11010519491231002X", "outbox:k1")
            .expect("seal");
        assert!(
            !sealed.windows(6).any(|w| w == b"110105"),
            "no plaintext in the sealed bytes"
        );
        assert_eq!(
            sealer.open(&sealed, "outbox:k1").expect("open").as_slice(),
            b"11010519491231002X"
        );
        assert_eq!(sealer.open(&sealed, "outbox:k2"), Err(SealError::Open));
        let other = Sealer::new(&DataKey::generate());
        assert_eq!(other.open(&sealed, "outbox:k1"), Err(SealError::Open));
        let mut edited = sealed.clone();
        if let Some(last) = edited.last_mut() {
            *last ^= 1;
        }
        assert_eq!(sealer.open(&edited, "outbox:k1"), Err(SealError::Open));
        assert_eq!(sealer.open(&[], "outbox:k1"), Err(SealError::Open));
        // Two seals of the same value differ (fresh nonce each time).
        assert_ne!(
            sealed,
            sealer
                .seal(b"11010519491231002X", "outbox:k1")
                .expect("seal")
        );
    }

    #[test]
    fn keys_round_trip_through_hex_and_never_print() {
        let key = DataKey::generate();
        let again = DataKey::from_hex(&key.to_hex()).expect("hex");
        let sealed = Sealer::new(&key).seal(b"x", "c").expect("seal");
        assert_eq!(
            Sealer::new(&again)
                .open(&sealed, "c")
                .expect("open")
                .as_slice(),
            b"x"
        );
        assert_eq!(format!("{key:?}"), "DataKey(..)");
        assert!(DataKey::from_hex("abcd").is_none());
        assert!(DataKey::from_hex("zz").is_none());
    }

    #[test]
    fn the_audit_key_is_derived_per_data_key_and_differs_from_it() {
        let key = DataKey::generate();
        let again = DataKey::from_hex(&key.to_hex()).expect("hex");
        let mac = key.audit_key().mac_hex(b"record");
        assert_eq!(mac, again.audit_key().mac_hex(b"record"));
        assert_ne!(mac, DataKey::generate().audit_key().mac_hex(b"record"));
        // Not the data key used directly as the MAC key.
        assert_ne!(mac, AuditKey(key.0.clone()).mac_hex(b"record"));
        assert_eq!(format!("{:?}", key.audit_key()), "AuditKey(..)");
    }
}
