use hypernodes::{node, pipeline};

#[node(output = "cleaned")]
fn clean(text: String) -> String { text }

#[node(output = "cleaned")]
fn clean_again(text: String) -> String { text }

pipeline! { P = [clean, clean_again] }

fn main() {
    let _ = P::new().run(PInputs { text: String::new() });
}
