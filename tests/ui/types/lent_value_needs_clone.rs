use hypernodes::{node, pipeline};

/// Not `Clone`.
pub struct Index(Vec<String>);

#[node(output = "hits")]
fn hits(chunk: &str, index: Index) -> usize { index.0.iter().filter(|w| chunk.contains(w.as_str())).count() }

pipeline! { Hits = [hits] }

#[node(output = "chunks")]
fn split(document: &str) -> Vec<String> { document.split('|').map(String::from).collect() }

pipeline! {
    /// `index` is lent to every chunk, and `hits` takes it by value: it needs a clone each time.
    Search = [split, Hits(inputs(chunk = chunks), map_over(chunks))]
}

fn main() {}
