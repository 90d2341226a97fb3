use hypernodes::node;

// A batch node takes slices or vectors of items...
#[node(batch)]
fn by_item(text: &String) -> Vec<usize> {
    vec![text.len()]
}

// ...and returns one value per item in a `Vec`.
#[node(batch)]
fn one_total(text: &[String]) -> usize {
    text.len()
}

// ...as a single output.
#[node(batch, output = ("a", "b"))]
fn two_outputs(text: Vec<String>) -> (Vec<usize>, Vec<usize>) {
    (vec![text.len()], vec![0])
}

fn main() {}
