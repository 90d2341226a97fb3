use hypernodes::{node, pipeline};

#[node]
fn score(chunk: &str) -> usize {
    chunk.len()
}

pipeline! { Scoring = [score(map_over(chunk))] }

fn main() {}
