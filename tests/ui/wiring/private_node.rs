use hypernodes::{node, pipeline};

#[node(output = "cleaned")]
fn clean(text: String) -> String { text }

#[node(output = "length")]
pub fn length(cleaned: &str) -> usize { cleaned.len() }

pipeline! {
    /// Public, so every node it lists must be public too.
    pub P = [clean, length]
}

fn main() {}
