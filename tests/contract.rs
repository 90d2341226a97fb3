//! The example of the DSL issue, exactly as a user writes it.

// Written exactly as the issue states the contract, `&String` and `&Vec<String>` included.
#![allow(clippy::ptr_arg)]

use std::error::Error as _;

use hypernodes::{node, pipeline};

#[node(output = "cleaned")]
pub fn clean(text: String) -> String {
    text.trim().to_lowercase()
}

#[node(output = "tokens")]
pub fn tokenize(cleaned: &String) -> Vec<String> {
    cleaned.split_whitespace().map(str::to_owned).collect()
}

#[node(output = ("head", "rest"))] // several outputs from one tuple
pub fn split(tokens: &Vec<String>) -> (String, Vec<String>) {
    let (head, rest) = tokens.split_first().expect("at least one token");
    (head.clone(), rest.to_vec())
}

#[node] // output named after the function: `word_count`
pub fn word_count(tokens: &Vec<String>) -> usize {
    tokens.len()
}

#[node(output = "n")] // fallible node
pub fn parse(head: &String) -> Result<u64, std::num::ParseIntError> {
    head.parse()
}

pipeline! {
    /// Doc comments and visibility carry over to the generated type.
    pub TextSplit = [clean, tokenize, split, word_count]
}

pipeline! {
    #[outputs(n)]                                  // keep only `n`; nodes it does not need never run
    pub ParseHead = [tokenize, clean, split, parse] // list order does not matter
}

#[test]
fn run_returns_every_output() -> Result<(), hypernodes::Error> {
    let p = TextSplit::new();
    let out: TextSplitOutputs = p.run(TextSplitInputs {
        text: "  A b C ".into(),
    })?;
    assert_eq!((out.head.as_str(), out.word_count), ("a", 3));
    assert_eq!(out.cleaned, "a b c");
    assert_eq!(out.tokens, ["a", "b", "c"]);
    assert_eq!(out.rest, ["b", "c"]);
    Ok(())
}

#[test]
fn failing_node_is_named_and_keeps_its_error_as_source() {
    let err: hypernodes::Error = ParseHead::new()
        .run(ParseHeadInputs { text: "x".into() })
        .unwrap_err();
    assert_eq!(err.node(), "parse");
    assert_eq!(err.item(), None);
    let source = err.source().expect("the node's error is the source");
    let parse_error = source
        .downcast_ref::<std::num::ParseIntError>()
        .expect("the source is the node's own error type");
    assert_eq!(parse_error, &"x".parse::<u64>().unwrap_err());
    assert_eq!(
        err.to_string(),
        "node `parse` failed: invalid digit found in string"
    );
}

#[test]
fn selected_output_only() -> Result<(), hypernodes::Error> {
    let out: ParseHeadOutputs = ParseHead::new().run(ParseHeadInputs {
        text: " 42 and more".into(),
    })?;
    assert_eq!(out.n, 42);
    assert_eq!(ParseHead::INFO.outputs, ["n"]);
    Ok(())
}

#[test]
fn nodes_stay_plain_functions() {
    assert_eq!(clean("  Hi ".into()), "hi");
    assert_eq!(word_count(&vec!["a".into()]), 1);
    assert_eq!(
        split(&vec!["a".into(), "b".into()]),
        ("a".into(), vec!["b".into()])
    );
    assert!(parse(&"7".into()).is_ok());
}
