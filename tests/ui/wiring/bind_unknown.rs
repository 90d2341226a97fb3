use hypernodes::{node, pipeline};

#[node]
fn scaled(x: u64, factor: u64) -> u64 {
    x * factor
}

pipeline! {
    #[bind(factr = 10)]
    Scaled = [scaled]
}

fn main() {}
