use hypernodes::{node, pipeline};

#[node(output = "a")]
fn make_a(b: u32) -> u32 { b }

#[node(output = "b")]
fn make_b(a: u32) -> u32 { a }

pipeline! { Inner = [make_a, make_b] }

#[node]
fn report(a: u32) -> String { a.to_string() }

// Only `Inner`'s cycle is reported, not a follow-on error from `Outer`.
pipeline! { Outer = [Inner, report] }

fn main() {}
