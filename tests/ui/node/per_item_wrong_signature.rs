use hypernodes::node;

/// Takes the item by value, but the batch node borrows its items.
fn double_one(x: u32) -> u32 {
    x * 2
}

#[node(output = "doubled", batch, per_item = double_one)]
fn double_all(x: &[u32]) -> Vec<u32> {
    x.iter().map(|x| x * 2).collect()
}

fn main() {}
