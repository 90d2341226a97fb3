use hypernodes::{node, pipeline};

#[node]
fn double(x: u32) -> u32 {
    2 * x
}

pipeline! {
    #[config(use_process = true)]
    Doubler = [double]
}

fn main() {}
