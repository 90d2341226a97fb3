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
    // Written from another thread: rustfmt answers while it reads, and a large expansion
    // would fill both pipes if this thread wrote everything before reading.
    let mut stdin = rustfmt.stdin.take()?;
    let code = code.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(code.as_bytes()));
    let mut stdout = rustfmt.stdout.take()?;
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut text).map(|_| text)
    });
    // rustfmt can take very long over a huge single line: give up and print it unformatted.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let status = loop {
        match rustfmt.try_wait().ok()? {
            Some(status) => break status,
            None if std::time::Instant::now() > deadline => {
                let _ = rustfmt.kill();
                let _ = rustfmt.wait();
                return None;
            }
            None => std::thread::sleep(std::time::Duration::from_millis(20)),
        }
    };
    writer.join().ok()?.ok()?;
    let text = reader.join().ok()?.ok()?;
    status.success().then_some(text)
}
