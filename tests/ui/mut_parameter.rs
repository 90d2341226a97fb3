use hypernodes::node;

#[node]
fn mutable(state: &mut Vec<u8>) -> usize { state.len() }

fn main() {}
