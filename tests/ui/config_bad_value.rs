use hypernodes::{node, pipeline};

#[node(config(batch_size = 0))]
fn a(text: String) -> String { text }

#[node(config(max_concurrency = 0))]
fn b(text: String) -> String { text }

#[node(config(use_process = "yes"))]
fn c(text: String) -> String { text }

#[node(config(batch_size = 1.5, max_retries = 1000))]
fn d(text: String) -> String { text }

#[node(config(gpus = -1, batch_size = 8, batch_size = 16))]
fn e(text: String) -> String { text }

#[node(config(use_process = true))]
fn f(text: String) -> String { text }

pipeline! {
    #[config(batch_size = 0)]
    P = [a]
}

fn main() {}
