use hypernodes::{node, pipeline};

#[node]
fn length(text: &str) -> usize { text.len() }

#[node]
fn first_byte(text: Vec<u8>) -> u8 { text[0] }

pipeline! { P = [length, first_byte] }

fn main() {}
