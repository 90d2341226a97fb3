use hypernodes::{node, pipeline, BoxError, Stateful, WorkerContext};

pub struct Model;
impl Stateful for Model {
    fn create(_: &WorkerContext) -> Result<Self, BoxError> { Ok(Model) }
}

#[node(stateful(model))]
fn predict(text: &str, model: &Model) -> usize { let _ = model; text.len() }

#[node]
fn describe(model: String) -> String { model }

#[node(output = "text")]
fn make_text(predict: usize) -> String { predict.to_string() }

pipeline! { P = [predict, describe] }

fn main() {}
