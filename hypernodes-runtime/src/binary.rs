//! The binary this process runs, for starting copies of it (worker processes, cluster
//! processes).

use std::path::PathBuf;

/// A path that starts the very binary this process runs, even after the file it was started
/// from is replaced (a rebuild during a run): on Linux `/proc/self/exe`, which the kernel
/// resolves to the running image. Elsewhere the path it was started from.
pub fn running_binary() -> std::io::Result<PathBuf> {
    let this_image = PathBuf::from("/proc/self/exe");
    if cfg!(target_os = "linux") && this_image.exists() {
        return Ok(this_image);
    }
    std::env::current_exe()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_running_binary_is_this_one() {
        let running = std::fs::canonicalize(running_binary().unwrap()).unwrap();
        assert_eq!(running, std::env::current_exe().unwrap());
    }
}
