use hypernodes::{node, pipeline};

#[node]
fn counter(seed: u64) -> u64 {
    seed
}

// `&mut` makes `counter` per-worker state, but a node produces it.
#[node]
fn bump(counter: &mut u64) -> u64 {
    *counter += 1;
    *counter
}

pipeline! { P = [counter, bump] }

fn main() {}
