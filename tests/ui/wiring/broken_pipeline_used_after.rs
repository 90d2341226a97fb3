//! A pipeline with a wiring error reports that error only: the code that builds it, runs it,
//! maps over it and picks an engine keeps compiling, so no follow-on error buries the real one.
use hypernodes::{node, pipeline, Parallel, Sequential};

#[node(output = "cleaned")]
fn clean(text: String) -> String { text }

#[node(output = "length")]
fn length(cleaned: &str) -> usize { cleaned.len() }

pipeline! {
    #[outputs(lenght)]
    Broken = [clean, length]
}

fn main() {
    let p = Broken::builder().build();
    let _ = p.run(BrokenInputs { text: String::new() });
    let _ = p.map(vec![BrokenInputs { text: String::new() }]);
    let _ = p.map_results(Vec::<BrokenInputs>::new());
    let runner = Broken::new().with_engine(Sequential);
    let _ = runner.map(Vec::<BrokenInputs>::new());
    let _ = p.with_engine(Parallel::new()).run(BrokenInputs { text: String::new() });
    println!("{:?}", Broken::INFO.name);
}
