use hypernodes::{node, pipeline};

#[node(config(timeout_ms = 500))]
fn double(x: u32) -> u32 {
    2 * x
}

#[node(output = "tripled", config(use_process = true))]
fn triple(x: u32) -> u32 {
    3 * x
}

pipeline! {
    #[config(timeout_ms = 500)]
    Doubler = [double, triple]
}

fn main() {}
