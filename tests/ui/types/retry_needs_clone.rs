use hypernodes::{node, pipeline};

pub struct Document(String);

// Each attempt needs its own `Document`, and it is not `Clone`.
#[node(config(max_retries = 2))]
fn parse(document: Document) -> usize {
    document.0.len()
}

pipeline! { Parse = [parse] }

fn main() {}
