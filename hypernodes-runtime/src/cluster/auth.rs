//! Proving that a peer holds the cluster's shared secret, without sending it: each side of a
//! connection sends a fresh nonce in its hello, then a keyed hash over both hellos (the
//! acceptor first, so a dialer never proves anything to an impostor). A recorded proof is
//! worthless on another connection, whose nonces differ.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

/// The key every process of one cluster derives from the shared secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret([u8; 32]);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(..)")
    }
}

/// Bytes of a proof.
pub const PROOF_BYTES: usize = 32;

impl Secret {
    /// The key of a secret given as text or bytes.
    pub fn new(secret: &[u8]) -> Secret {
        Secret(blake3::derive_key("hypernodes cluster secret v1", secret))
    }

    /// A fresh secret, for the processes one launcher starts (it reaches them in their
    /// environment, as [`Secret::to_hex`]).
    pub fn random() -> Secret {
        let mut seed = blake3::Hasher::new();
        seed.update(&nonce_seed());
        // The allocator's addresses differ between runs (address-space randomisation).
        let here = Box::new(0u8);
        seed.update(&(std::ptr::addr_of!(*here) as usize).to_le_bytes());
        Secret(*seed.finalize().as_bytes())
    }

    /// The key as hex.
    pub fn to_hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// A key given as hex by [`Secret::to_hex`].
    pub fn from_hex(hex: &str) -> Option<Secret> {
        let hex = hex.trim();
        if hex.len() != 64 {
            return None;
        }
        let mut key = [0u8; 32];
        for (i, byte) in key.iter_mut().enumerate() {
            *byte = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
        }
        Some(Secret(key))
    }

    /// What the side in `role` sends to prove it holds the key, over both hellos.
    pub fn proof(&self, role: Role, dialer: &[u8], acceptor: &[u8]) -> blake3::Hash {
        let mut hasher = blake3::Hasher::new_keyed(&self.0);
        hasher.update(match role {
            Role::Acceptor => b"acceptor",
            Role::Dialer => b"dialer\0\0",
        });
        hasher.update(dialer);
        hasher.update(acceptor);
        hasher.finalize()
    }

    /// Whether `proof` is what the side in `role` holding this key sends (in constant time).
    pub fn verifies(&self, proof: &[u8], role: Role, dialer: &[u8], acceptor: &[u8]) -> bool {
        <[u8; PROOF_BYTES]>::try_from(proof)
            .is_ok_and(|proof| blake3::Hash::from(proof) == self.proof(role, dialer, acceptor))
    }
}

/// Which side of a connection proves.
#[derive(Clone, Copy, Debug)]
pub enum Role {
    /// The side that connected.
    Dialer,
    /// The side that accepted.
    Acceptor,
}

/// A value no other hello of this or any process repeats.
pub fn nonce() -> [u64; 2] {
    let hash = blake3::hash(&nonce_seed());
    let bytes = hash.as_bytes();
    [
        u64::from_le_bytes(bytes[..8].try_into().expect("8 bytes")),
        u64::from_le_bytes(bytes[8..16].try_into().expect("8 bytes")),
    ]
}

/// Time, process, thread and a counter: unique to this call.
fn nonce_seed() -> Vec<u8> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!(
        "{nanos}-{}-{:?}-{}",
        std::process::id(),
        std::thread::current().id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
    .into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_proof_holds_for_its_key_role_and_hellos_only() {
        let key = Secret::new(b"s3cret");
        let proof = key.proof(Role::Dialer, b"hello d", b"hello a");
        assert!(key.verifies(proof.as_bytes(), Role::Dialer, b"hello d", b"hello a"));
        assert!(!key.verifies(proof.as_bytes(), Role::Acceptor, b"hello d", b"hello a"));
        assert!(!key.verifies(proof.as_bytes(), Role::Dialer, b"hello e", b"hello a"));
        let other = Secret::new(b"other");
        assert!(!other.verifies(proof.as_bytes(), Role::Dialer, b"hello d", b"hello a"));
    }

    #[test]
    fn keys_travel_as_hex_and_random_ones_differ() {
        let key = Secret::random();
        assert_eq!(Secret::from_hex(&key.to_hex()), Some(key.clone()));
        assert_ne!(Secret::random(), key);
        assert_eq!(Secret::from_hex("zz"), None);
        assert_ne!(nonce(), nonce());
    }
}
