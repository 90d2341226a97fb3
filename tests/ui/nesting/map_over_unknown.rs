use hypernodes::{node, pipeline};

#[node]
fn score(chunk: &str) -> usize {
    chunk.len()
}

pipeline! { Scoring = [score] }

// After renaming, the outer name is `chunks`: `chunk` is the inner name.
pipeline! { Retrieval = [Scoring(inputs(chunk = chunks), map_over(chunk))] }

fn main() {}
