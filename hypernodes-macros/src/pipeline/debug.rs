//! `HYPERNODES_DEBUG_MACRO=Name` (or `*` for every pipeline) prints what `pipeline!` expands
//! to on standard error at build time, formatted by `rustfmt` when it is installed (as salsa's
//! `SALSA_DEBUG_MACRO` does), so the generated code can be read without `cargo expand`.
//! Cargo does not rebuild for a changed variable alone: touch the file, or `cargo clean -p`.

use std::io::Write;
use std::process::{Command, Stdio};

use proc_macro2::TokenStream;

/// The variable that asks for a pipeline's expansion.
const VARIABLE: &str = "HYPERNODES_DEBUG_MACRO";

/// Prints `expansion` of pipeline `name` when the variable asks for it.
pub fn print_if_asked(name: &str, expansion: &TokenStream) {
    let Ok(asked) = std::env::var(VARIABLE) else {
        return;
    };
    if !asked
        .split(',')
        .any(|a| a.trim() == name || a.trim() == "*")
    {
        return;
    }
    eprintln!(
        "// ---- {VARIABLE}: pipeline `{name}` expands to ----\n{}\n// ---- end of `{name}` ----",
        readable(&expansion.to_string())
    );
}

/// `code` formatted by `rustfmt` when it can be, as it is otherwise.
pub fn readable(code: &str) -> String {
    // `$crate` is how the chain names the runtime; rustfmt cannot parse it, and the reader
    // knows it as `::hypernodes`.
    let code = code
        .replace("$ crate", "::hypernodes")
        .replace("$crate", "::hypernodes");
    formatted(&code).unwrap_or(code)
}

/// `code` through `rustfmt`, if it is installed and the code parses.
fn formatted(code: &str) -> Option<String> {
    let mut rustfmt = Command::new("rustfmt")
        .args(["--edition", "2021", "--emit", "stdout"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    rustfmt.stdin.take()?.write_all(code.as_bytes()).ok()?;
    let output = rustfmt.wait_with_output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}
