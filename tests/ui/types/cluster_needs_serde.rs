use hypernodes::{node, pipeline, Cluster, Sequential};

pub struct Document {
    pub words: Vec<String>,
}

#[node]
fn count(document: Document) -> usize {
    document.words.len()
}

pipeline! { Count = [count] }

fn main() {
    let p = Count::new();
    let items = || vec![CountInputs { document: Document { words: vec![] } }];
    // Fine in one process...
    let _ = p.with_engine(Sequential).map(items());
    // ...but a cluster sends items to other processes.
    let _ = p.with_engine(Cluster::local(2, 2)).map(items());
}
