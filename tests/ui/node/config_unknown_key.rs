use hypernodes::{node, pipeline};

#[node(config(batch_sise = 64))]
fn clean(text: String) -> String { text }

#[node(config(max_retry = 3))]
fn length(text: &str) -> usize { text.len() }

pipeline! {
    #[config(gpu = 1)]
    P = [length]
}

fn main() {}
