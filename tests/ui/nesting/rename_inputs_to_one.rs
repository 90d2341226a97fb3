use hypernodes::{node, pipeline};

#[node]
fn join(first: &str, second: &str) -> String {
    format!("{first}{second}")
}

pipeline! { Inner = [join] }

pipeline! { Outer = [Inner(inputs(first = name, second = name))] }

fn main() {}
