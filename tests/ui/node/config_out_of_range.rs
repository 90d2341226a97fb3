use hypernodes::{node, pipeline};

#[node(config(batch_size = 0))]
fn a(text: String) -> String { text }

#[node(config(max_concurrency = 0))]
fn b(text: String) -> String { text }

#[node(config(max_retries = 1000, gpus = -1))]
fn c(text: String) -> String { text }

pipeline! {
    #[config(batch_size = 0)]
    P = [a]
}

fn main() {}
