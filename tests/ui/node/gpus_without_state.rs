use hypernodes::node;

#[node(config(gpus = 1))]
fn embed(text: String) -> usize {
    text.len()
}

fn main() {}
