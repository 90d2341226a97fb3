// `Parallel`'s workers pull the input iterator themselves, so it must be `Send`: lines read
// from a locked stdin are not.
use std::io::BufRead;

use hypernodes::{node, pipeline, Parallel};

#[node]
fn length(text: String) -> usize {
    text.len()
}

pipeline! { Lengths = [length] }

fn main() {
    let lines = || std::io::stdin().lock().lines().map(|l| LengthsInputs { text: l.unwrap() });
    let _ = Lengths::new().map(lines());
    let _ = Lengths::new().with_engine(Parallel::new()).map(lines());
}
