use hypernodes::{node, pipeline};

/// Private, yet a public pipeline's input would hold it.
#[derive(Clone)]
struct Secret(String);

#[node(output = "length")]
fn length(secret: &Secret) -> usize { secret.0.len() }

pipeline! {
    /// Public, so its value types must be public too (its nodes need not be).
    pub P = [length]
}

fn main() {}
