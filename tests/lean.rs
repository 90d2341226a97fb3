//! A program built without any hypernodes feature compiles and gives the right results. The
//! other tests build with every feature (cargo unifies features within one build), so this one
//! builds the `lean` fixture on its own, with a cargo of its own and a target directory of its
//! own: the generated code leaves out caching, streaming, async, process and cluster code
//! without a feature, and that form must work too.

use std::process::Command;

#[test]
fn a_program_without_features_builds_and_runs_right() {
    let output = Command::new(env!("CARGO"))
        .args(["run", "--quiet", "-p", "lean", "--manifest-path"])
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
        .arg("--target-dir")
        .arg(concat!(env!("CARGO_TARGET_TMPDIR"), "/lean"))
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the lean fixture failed\nstdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert_eq!(
        stdout.trim(),
        "lean: 40 items right on run, Sequential and Parallel"
    );
}
