use hypernodes::node;

#[node(output = "size")]
struct Size {
    bytes: usize,
}

#[node(output = "limit")]
fn limit(bytes: usize) -> usize;

fn main() {}
