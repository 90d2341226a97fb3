//! What proves two processes run the same build: a hash of the running binary's bytes, so a
//! peer started from another build of the program (one constant changed) is refused before
//! any item moves, where its results would silently mix with this one's.

use std::sync::OnceLock;

use super::env;
use crate::binary::running_binary;

/// This process's build fingerprint: `HYPERNODES_BUILD_ID` when set (hosts that build the
/// same source each on their own, into binaries that differ byte for byte, name their build
/// so), else the blake3 hash of the running binary. Computed once per process.
pub fn fingerprint() -> Result<u64, String> {
    static FINGERPRINT: OnceLock<Result<u64, String>> = OnceLock::new();
    FINGERPRINT
        .get_or_init(|| match std::env::var(env::BUILD_ID) {
            Ok(id) => Ok(first_word(blake3::hash(id.as_bytes()))),
            Err(_) => of_running_binary(),
        })
        .clone()
}

fn of_running_binary() -> Result<u64, String> {
    let cannot = |e: std::io::Error| {
        format!(
            "cannot read this program's binary to prove every process runs the same build ({e}); set {} to name the build instead",
            env::BUILD_ID
        )
    };
    let binary = std::fs::File::open(running_binary().map_err(cannot)?).map_err(cannot)?;
    let mut hasher = blake3::Hasher::new();
    hasher.update_reader(binary).map_err(cannot)?;
    Ok(first_word(hasher.finalize()))
}

fn first_word(hash: blake3::Hash) -> u64 {
    let mut word = [0u8; 8];
    word.copy_from_slice(&hash.as_bytes()[..8]);
    u64::from_le_bytes(word)
}
