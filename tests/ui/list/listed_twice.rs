use hypernodes::{node, pipeline};

#[node(output = "cleaned")]
fn clean(text: String) -> String { text }

#[node]
fn length(cleaned: &str) -> usize { cleaned.len() }

pipeline! { P = [clean, length, clean] }

fn main() {}
