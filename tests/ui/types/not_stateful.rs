use hypernodes::{node, pipeline};

pub struct Model;

#[node(stateful(model))]
fn predict(text: &str, model: &Model) -> usize { let _ = model; text.len() }

pipeline! { P = [predict] }

fn main() {}
