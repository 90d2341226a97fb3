use hypernodes::node;

#[node(config(use_process = true))]
fn isolated(text: String) -> String { text }

fn main() {}
