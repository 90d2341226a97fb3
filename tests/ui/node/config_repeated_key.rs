use hypernodes::node;

#[node(config(batch_size = 8, batch_size = 16))]
fn a(text: String) -> String { text }

fn main() {}
