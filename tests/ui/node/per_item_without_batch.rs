use hypernodes::node;

fn double_one(x: u32) -> u32 {
    x * 2
}

#[node(output = "doubled", per_item = double_one)]
fn double(x: u32) -> u32 {
    x * 2
}

fn main() {}
