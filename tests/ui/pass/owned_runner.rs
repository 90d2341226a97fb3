//! A runner owns what it needs: it may outlive the pipeline value it was made from.
use hypernodes::{node, pipeline, Parallel, Runner, Sequential};

#[node(output = "length")]
fn length(text: &str) -> usize { text.len() }

pipeline! { Lengths = [length] }

fn sequential_runner() -> Runner<'static, Lengths, Sequential> {
    Lengths::new().with_engine(Sequential)
}

fn main() {
    let items = || ["a", "bb"].map(|t| LengthsInputs { text: t.into() });
    let runner = Lengths::new().with_engine(Parallel::new());
    let lengths: Vec<usize> = runner.map(items()).unwrap().into_iter().map(|o| o.length).collect();
    assert_eq!(lengths, [1, 2]);
    assert_eq!(sequential_runner().map(items()).unwrap().len(), 2);
}
