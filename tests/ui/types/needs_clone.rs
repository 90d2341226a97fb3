use hypernodes::{node, pipeline};

pub struct Document(String);

#[node]
fn load(text: String) -> Document { Document(text) }

#[node]
fn consume(load: Document) -> usize { load.0.len() }

#[node]
fn inspect(load: &Document) -> bool { load.0.is_empty() }

pipeline! { P = [load, consume, inspect] }

fn main() {}
