//! Nodes from other modules and crates, pipelines declared anywhere, pipelines as nodes.

use hypernodes::info::NodeKind;
use hypernodes::{node, pipeline};

// A pipeline declared before the modules whose nodes it lists, mixing a sibling module,
// another crate's nested module and crate root, and this crate's root.
mod reports {
    use hypernodes::pipeline;

    pipeline! {
        pub Shouted = [nodelib::clean, nodelib::text::shout, super::text::initials, crate::length]
    }
}

mod text {
    use hypernodes::node;

    /// A type only nameable through this module: parameter and output types resolve here.
    #[derive(Debug, PartialEq)]
    pub struct Initials(pub String);

    #[node]
    pub fn initials(cleaned: &str) -> Initials {
        Initials(
            cleaned
                .split_whitespace()
                .filter_map(|w| w.chars().next())
                .collect(),
        )
    }
}

#[node]
pub fn length(shout: &str) -> usize {
    shout.len()
}

#[test]
fn nodes_from_other_modules_and_crates() -> Result<(), hypernodes::Error> {
    let out = reports::Shouted::new().run(reports::ShoutedInputs {
        text: " Big Red Dog ".into(),
    })?;
    assert_eq!(out.shout, "BIG RED DOG");
    assert_eq!(out.initials, text::Initials("brd".into()));
    assert_eq!(out.length, 11);
    // Config declared on a node of another crate travels with it.
    let clean = reports::Shouted::INFO.node("clean").unwrap();
    assert_eq!(clean.config.batch_size.value, 4096);
    Ok(())
}

#[test]
fn a_pipeline_from_another_crate_runs_here() -> Result<(), hypernodes::Error> {
    let out = nodelib::Words::new().run(nodelib::WordsInputs {
        text: "one two".into(),
    })?;
    assert_eq!(out.word_count, 2);
    Ok(())
}

#[test]
fn nodes_and_pipelines_inside_a_function_body() -> Result<(), hypernodes::Error> {
    #[node(output = "cleaned")]
    fn clean(text: String) -> String {
        text.trim().to_lowercase()
    }

    #[node(output = "n")]
    fn count(cleaned: &str) -> usize {
        cleaned.split_whitespace().count()
    }

    pipeline! { Local = [clean, count] }

    let out = Local::new().run(LocalInputs {
        text: " A b ".into(),
    })?;
    assert_eq!((out.cleaned.as_str(), out.n), ("a b", 2));
    Ok(())
}

#[node]
pub fn summarize(word_count: usize, shout: &str) -> String {
    format!("{word_count} words: {shout}")
}

// Another crate's pipeline used as a node, next to nodes of this crate.
pipeline! {
    /// Counts words with `nodelib::Words`, then reports. `shout` reads `cleaned`, which
    /// `Words` computes on the way to its final output, so the entry asks for it by name.
    pub Report = [nodelib::Words(outputs(word_count, cleaned, tokens)), nodelib::text::shout, summarize]
}

#[test]
fn a_pipeline_is_a_node() -> Result<(), hypernodes::Error> {
    let out = Report::new().run(ReportInputs {
        text: "  Hello World ".into(),
    })?;
    assert_eq!(out.summarize, "2 words: HELLO WORLD");
    // The inner pipeline's outputs asked for are the outer's values.
    assert_eq!(out.tokens, ["hello", "world"]);
    let words = Report::INFO.node("Words").unwrap();
    assert_eq!(words.kind, NodeKind::Pipeline);
    assert_eq!(words.nested.unwrap().order, ["clean", "tokenize", "count"]);
    assert_eq!(Report::INFO.order, ["Words", "shout", "summarize"]);
    Ok(())
}

#[test]
fn info_lists_every_node_in_order_whether_plain_or_not() {
    // Plain function nodes are written as text in `INFO`, the others (a nested pipeline, a node
    // with config of its own) in full: read back, they are one slice in the listed order.
    let nodes = Report::INFO.nodes;
    let names: Vec<_> = nodes.iter().map(|node| node.name).collect();
    assert_eq!(names, ["Words", "shout", "summarize"]);
    assert_eq!(nodes[0].kind, NodeKind::Pipeline);
    assert_eq!(nodes[1].kind, NodeKind::Function);
    assert_eq!(
        (nodes[2].inputs, nodes[2].outputs),
        (&["word_count", "shout"][..], &["summarize"][..])
    );

    let shouted: Vec<_> = reports::Shouted::INFO
        .nodes
        .into_iter()
        .map(|node| (node.name, node.config.batch_size.value, node.outputs))
        .collect();
    let plain = hypernodes::config::NodeConfig::BUILTIN.batch_size.value;
    assert_eq!(
        shouted,
        [
            ("clean", 4096, &["cleaned"][..]),
            ("shout", plain, &["shout"][..]),
            ("initials", plain, &["initials"][..]),
            ("length", plain, &["length"][..]),
        ]
    );
    assert_eq!(
        format!("{:?}", Report::INFO.nodes),
        format!("{:?}", Report::INFO.nodes.as_slice())
    );
}

#[node(output = "number")]
pub fn parse_number(cleaned: &str) -> Result<i64, std::num::ParseIntError> {
    cleaned.parse()
}

pipeline! {
    #[outputs(number)]
    pub Inner = [nodelib::clean, parse_number]
}

#[node]
fn doubled(number: i64) -> i64 {
    number * 2
}

pipeline! { Outer = [Inner, doubled] }

pipeline! { Outermost = [Outer] }

#[test]
fn errors_from_nested_pipelines_carry_the_path() -> Result<(), hypernodes::Error> {
    assert_eq!(
        Outermost::new()
            .run(OutermostInputs {
                text: " 21 ".into()
            })?
            .doubled,
        42
    );
    let err = Outermost::new()
        .run(OutermostInputs { text: "x".into() })
        .unwrap_err();
    assert_eq!(err.node(), "parse_number");
    assert_eq!(err.node_path(), "Outer.Inner.parse_number");
    assert_eq!(
        err.to_string(),
        "node `Outer.Inner.parse_number` failed: invalid digit found in string"
    );
    Ok(())
}

#[node(output = "checked")]
fn check_positive(number: i64) -> i64 {
    assert!(number > 0, "not positive: {number}");
    number
}

pipeline! {
    #[outputs(checked)]
    Checking = [Inner, check_positive]
}

pipeline! { Checked = [Checking] }

/// A panic inside a nested pipeline is caught by the inner pipeline's guard, so the error names
/// the inner node and its path, whether the outer pipeline runs once or over many items.
#[test]
fn a_panic_inside_a_nested_pipeline_names_the_inner_node() {
    let err = Checked::new()
        .run(CheckedInputs { text: "-3".into() })
        .unwrap_err();
    assert_eq!(err.node(), "check_positive");
    assert_eq!(err.node_path(), "Checking.check_positive");
    assert_eq!(
        err.to_string(),
        "node `Checking.check_positive` panicked: not positive: -3"
    );
    let results = Checked::new()
        .with_engine(hypernodes::Sequential)
        .map_results(["4", "-5", "6"].map(|text| CheckedInputs { text: text.into() }));
    assert_eq!(results[0].as_ref().map(|o| o.checked).ok(), Some(4));
    let err = results[1].as_ref().unwrap_err();
    assert_eq!(err.node_path(), "Checking.check_positive");
    assert_eq!(err.item(), Some(1));
    assert_eq!(results[2].as_ref().map(|o| o.checked).ok(), Some(6));
}

mod first {
    #[hypernodes::node(output = "trimmed")]
    pub fn clean(text: String) -> String {
        text.trim().to_owned()
    }
}

mod second {
    #[hypernodes::node(output = "lowered")]
    pub fn clean(trimmed: &str) -> String {
        trimmed.to_lowercase()
    }
}

pipeline! { TwoCleans = [first::clean, second::clean] }

#[test]
fn nodes_with_the_same_name_from_different_modules() -> Result<(), hypernodes::Error> {
    let out = TwoCleans::new().run(TwoCleansInputs {
        text: " Ab ".into(),
    })?;
    assert_eq!((out.trimmed.as_str(), out.lowered.as_str()), ("Ab", "ab"));
    assert_eq!(TwoCleans::INFO.order, ["clean", "clean"]);
    // Two nodes in the picture, not one.
    assert!(TwoCleans::INFO
        .dot()
        .contains("n0_clean -> n1_clean [label=\"trimmed\"];"));
    Ok(())
}
