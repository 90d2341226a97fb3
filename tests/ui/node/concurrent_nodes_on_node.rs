use hypernodes::node;

#[node(output = "doubled", config(concurrent_nodes = true))]
fn double(x: u32) -> u32 {
    x * 2
}

fn main() {}
