use hypernodes::node;

#[node(config(use_process = "yes"))]
fn a(text: String) -> String { text }

#[node(config(batch_size = 1.5))]
fn b(text: String) -> String { text }

#[node(config(max_retries = "three"))]
fn c(text: String) -> String { text }

fn main() {}
