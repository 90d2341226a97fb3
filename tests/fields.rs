//! Field extraction: `Document { title, body: text } = document` lets nodes read fields of a
//! structured value by name, type-checked, on every engine.

use hypernodes::{node, pipeline, Parallel, Sequential, Streaming};

#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    pub title: String,
    pub body: String,
    pub year: u32,
}

#[node(output = "document")]
fn load(path: &str) -> Document {
    Document {
        title: format!("On {path}"),
        body: format!("all about {path} and more"),
        year: 2000 + path.len() as u32,
    }
}

#[node(output = "heading")]
fn heading(title: &str) -> String {
    title.to_uppercase()
}

#[node(output = "words")]
fn count_words(text: &str) -> usize {
    text.split_whitespace().count()
}

/// Takes a field by value: it gets a copy, the document stays whole.
#[node(output = "age")]
fn age(year: u32) -> u32 {
    2030 - year
}

/// Reads the whole document too.
#[node(output = "check")]
fn check(document: &Document, heading: &str) -> bool {
    document.title.to_uppercase() == heading
}

pipeline! {
    pub Summary = [load, Document { title, body: text, year } = document, heading, count_words, age, check]
}

#[test]
fn nodes_read_fields_of_a_node_output_by_name() {
    let out = Summary::new()
        .run(SummaryInputs {
            path: "tides".into(),
        })
        .unwrap();
    assert_eq!(out.heading, "ON TIDES");
    assert_eq!((out.words, out.age, out.check), (5, 25, true));
    assert_eq!(out.document.year, 2005);
}

#[node(output = "lengths", batch, config(batch_size = 2))]
fn lengths(text: &[String]) -> Vec<usize> {
    text.iter().map(String::len).collect()
}

pipeline! {
    /// The document is an input: its type comes from the extraction.
    pub FromInput = [Document { title, body: text } = document, heading, lengths]
}

fn documents() -> Vec<FromInputInputs> {
    ["a", "bb", "ccc", "dddd", "eeeee"]
        .iter()
        .map(|t| FromInputInputs {
            document: Document {
                title: t.to_string(),
                body: t.repeat(2),
                year: 0,
            },
        })
        .collect()
}

#[test]
fn fields_of_an_input_reach_per_item_and_batch_nodes_on_every_engine() {
    let p = FromInput::new();
    for outs in [
        p.with_engine(Sequential).map(documents()).unwrap(),
        p.with_engine(Parallel::new().threads(2).batch_size(2))
            .map(documents())
            .unwrap(),
        p.with_engine(Streaming::new().batch_size(2))
            .map(documents())
            .unwrap(),
    ] {
        let got: Vec<(&str, usize)> = outs
            .iter()
            .map(|o| (o.heading.as_str(), o.lengths))
            .collect();
        assert_eq!(
            got,
            [("A", 2), ("BB", 4), ("CCC", 6), ("DDDD", 8), ("EEEEE", 10)]
        );
    }
    assert_eq!(FromInput::INFO.inputs, ["document"]);
}

#[test]
fn pictures_draw_a_field_from_its_structured_value() {
    let dot = Summary::INFO.dot();
    for line in [
        "n0_load -> n1_heading [label=\"document.title\"];",
        "n0_load -> n2_count_words [label=\"document.body→text\"];",
        "n0_load -> n4_check [label=\"document\"];",
    ] {
        assert!(dot.contains(line), "{line}\n{dot}");
    }
    let mermaid = FromInput::INFO.mermaid();
    assert!(
        mermaid.contains("input_document -->|document.title| n0_heading"),
        "{mermaid}"
    );
}

static SHOUTS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

#[node(output = "loud")]
fn shout(title: &str, year: u32) -> String {
    SHOUTS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    format!("{}!{year}", title.to_uppercase())
}

pipeline! {
    pub Cached = [Document { title, year } = document, shout]
}

#[test]
fn a_cached_node_reading_fields_is_keyed_by_their_values() {
    let dir = tempfile::tempdir().unwrap();
    let p = Cached::new().with_cache(hypernodes::cache::DiskCache::open(dir.path()).unwrap());
    let doc = |title: &str, body: &str| CachedInputs {
        document: Document {
            title: title.into(),
            body: body.into(),
            year: 7,
        },
    };
    let before = SHOUTS.load(std::sync::atomic::Ordering::SeqCst);
    assert_eq!(p.run(doc("a", "x")).unwrap().loud, "A!7");
    // Another body, same fields read: served from the cache.
    assert_eq!(p.run(doc("a", "y")).unwrap().loud, "A!7");
    assert_eq!(p.run(doc("b", "x")).unwrap().loud, "B!7");
    assert_eq!(SHOUTS.load(std::sync::atomic::Ordering::SeqCst) - before, 2);
}
