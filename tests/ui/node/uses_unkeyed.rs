use hypernodes::node;

const SCALE: u64 = 3;

#[node(output = "scaled", uses(SCALE))]
fn scale(x: u64) -> u64 {
    x * SCALE
}

fn main() {}
