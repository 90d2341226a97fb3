use hypernodes::node;

pub struct Model;

#[node(output = "score", stateful(modle))]
fn predict(text: &str, model: &Model) -> usize { let _ = model; text.len() }

#[node(output = "other", stateful(model))]
fn by_value(text: &str, model: Model) -> usize { let _ = model; text.len() }

fn main() {}
