//! Compile-time behaviour, in one trybuild run so the dependencies build once: every compile
//! error (one `.rs` + `.stderr` pair each, in a folder of `tests/ui/` named after the check that
//! owns it: `node/` for `#[node]`, `list/` for the pipeline list and header, `wiring/` for the
//! graph, `nesting/` for pipelines used as nodes, `branches/` for `match` and `if` in the list, `fields/` for field extraction, `cache_key/` for `#[derive(CacheKey)]`, `arrow/` for record batches, `types/` for what rustc checks through the
//! runtime's traits), programs that must build and run (`pass/`), and flat pipelines generated
//! at the size limits. Regenerate snapshots with `TRYBUILD=overwrite cargo test --test ui`.

use std::fmt::Write;
use std::path::PathBuf;

/// The default `recursion_limit` fits this many nodes in one flat pipeline.
const FLAT_NODES_AT_DEFAULT_LIMIT: usize = 120;

#[test]
fn compile_errors_and_size_limits() {
    let cases = trybuild::TestCases::new();
    for check in [
        "node",
        "list",
        "wiring",
        "nesting",
        "types",
        "branches",
        "fields",
        "cache_key",
        "arrow",
    ] {
        cases.compile_fail(format!("tests/ui/{check}/*.rs"));
    }
    cases.pass("tests/ui/pass/*.rs");
    cases.pass(flat_pipeline(
        "flat_at_default_limit",
        FLAT_NODES_AT_DEFAULT_LIMIT,
        None,
    ));
    cases.pass(flat_pipeline("flat_with_raised_limit", 200, Some(256)));
}

/// A chain `v0 -> n0 -> v1 -> ... -> n{count-1} -> v{count}` of `count` nodes in one pipeline,
/// whose `main` runs it and checks the result.
fn flat_pipeline(name: &str, count: usize, recursion_limit: Option<u32>) -> PathBuf {
    let mut source = String::new();
    if let Some(limit) = recursion_limit {
        writeln!(source, "#![recursion_limit = \"{limit}\"]").unwrap();
    }
    source.push_str("use hypernodes::{node, pipeline};\n\n");
    for i in 0..count {
        let next = i + 1;
        writeln!(
            source,
            "#[node(output = \"v{next}\")]\nfn n{i}(v{i}: &u64) -> u64 {{ v{i} + 1 }}\n"
        )
        .unwrap();
    }
    let nodes: Vec<String> = (0..count).map(|i| format!("n{i}")).collect();
    let attribute = recursion_limit.map_or(String::new(), |l| format!("#[recursion_limit = {l}]"));
    writeln!(
        source,
        "pipeline! {{\n    #[outputs(v{count})]\n    {attribute}\n    Flat = [{}]\n}}\n",
        nodes.join(", ")
    )
    .unwrap();
    writeln!(
        source,
        "fn main() {{\n    let out = Flat::new().run(FlatInputs {{ v0: 0 }}).unwrap();\n    \
         assert_eq!(out.v{count}, {count});\n    assert_eq!(Flat::INFO.order.len(), {count});\n}}"
    )
    .unwrap();
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("generated");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.rs"));
    std::fs::write(&path, source).unwrap();
    path
}
