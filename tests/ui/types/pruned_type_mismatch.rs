use hypernodes::{node, pipeline};

#[node(output = "cleaned")]
fn clean(text: String) -> String { text }

#[node]
fn length(cleaned: &str) -> usize { cleaned.len() }

#[node]
fn never_runs(cleaned: &u64) -> u64 { *cleaned }

pipeline! {
    // `never_runs` is not needed for `length`, but its input is still type-checked.
    #[outputs(length)]
    P = [clean, length, never_runs]
}

fn main() {}
