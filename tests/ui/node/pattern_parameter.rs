use hypernodes::node;

#[node]
fn pattern((a, b): (u8, u8)) -> u8 { a + b }

#[node]
fn wildcard(_: u8) -> u8 { 0 }

fn main() {}
