use hypernodes::{node, pipeline};

#[node(output = "cleaned")]
fn clean(text: String) -> String { text.trim().to_string() }

#[node(output = "length")]
fn measure(cleaned: &str) -> usize { cleaned.len() }

pipeline! { Text = [clean, measure] }

#[node(output = "loud")]
fn shout(cleaned: &str) -> String { cleaned.to_uppercase() }

pipeline! {
    /// `cleaned` stays inside `Text`, which gives only `length`.
    Report = [Text, shout]
}

fn main() {}
