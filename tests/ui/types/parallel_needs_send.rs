use std::rc::Rc;

use hypernodes::{node, pipeline, Sequential};

#[node]
fn count(shared: Rc<String>) -> usize {
    shared.len()
}

pipeline! { Count = [count] }

fn main() {
    let p = Count::new();
    let items = || vec![CountInputs { shared: Rc::new("a".to_owned()) }];
    // Fine on one thread...
    let _ = p.with_engine(Sequential).map(items());
    // ...but `Parallel` (the default engine) sends items between threads.
    let _ = p.map(items());
}
