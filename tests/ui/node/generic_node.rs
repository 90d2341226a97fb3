use hypernodes::node;

#[node]
fn generic<T: Clone>(value: T) -> T { value }

fn main() {}
