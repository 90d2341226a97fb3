use hypernodes::{node, pipeline};

#[node(output = "cleaned")]
fn clean(text: String) -> String {
    text.trim().to_owned()
}

pipeline! { Inner = [clean] }

pipeline! { Outer = [Inner(outputs(clened = title))] }

fn main() {}
