use hypernodes::{node, pipeline};

#[node(output = "count")]
fn increment(count: u32) -> u32 { count + 1 }

pipeline! { P = [increment] }

fn main() {}
