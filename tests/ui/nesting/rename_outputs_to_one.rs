use hypernodes::{node, pipeline};

#[node(output = ("head", "tail"))]
fn split(text: &str) -> (String, String) {
    let (head, tail) = text.split_at(1);
    (head.to_owned(), tail.to_owned())
}

pipeline! { Inner = [split] }

pipeline! { Outer = [Inner(outputs(head = part, tail = part))] }

fn main() {}
