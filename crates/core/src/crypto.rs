//! Encryption at rest for what must not sit in the local store in clear: full resident IDs and
//! card numbers waiting in the sync outbox, complaint attachments.
//!
//! XChaCha20-Poly1305 (RustCrypto): a random 192-bit nonce per message is safe without a
//! counter, and the tag makes any edit of the stored bytes fail to open instead of decrypting
//! to garbage. The key comes from the shell (the OS secret store), never from a file in the
//! repository or a config file; core only sees a [`DataKey`].

use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use std::fmt;
use zeroize::{Zeroize, Zeroizing};

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

    /// A key for one `purpose` (HKDF-SHA256, the purpose as its info): each use of the data
    /// key beyond sealing gets its own, so a key handed to one component (SQLCipher holds the
    /// store's in its memory) tells nothing about the sealing key or another purpose's.
    pub fn derive(&self, purpose: &str) -> DataKey {
        let mut out = [0u8; 32];
        hkdf::Hkdf::<sha2::Sha256>::new(None, &*self.0)
            .expand(purpose.as_bytes(), &mut out)
            // 32 bytes is far below HKDF-SHA256's limit of 255 * 32.
            .unwrap_or_else(|_| unreachable!("32 bytes is a valid HKDF-SHA256 length"));
        let key = DataKey::from_bytes(out);
        out.zeroize();
        key
    }

    /// The raw bytes, for a component that takes the key itself (SQLCipher).
    pub(crate) fn expose(&self) -> &[u8; 32] {
        &self.0
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
    fn derived_keys_differ_per_purpose_and_from_the_data_key() {
        let key = DataKey::generate();
        let store = key.derive("store");
        assert_eq!(
            store.expose(),
            key.derive("store").expose(),
            "deterministic"
        );
        assert_ne!(store.expose(), key.expose());
        assert_ne!(store.expose(), key.derive("audit").expose());
        assert_ne!(store.expose(), DataKey::generate().derive("store").expose());
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
}
