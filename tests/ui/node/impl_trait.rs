use hypernodes::node;

#[node]
fn opaque(text: String) -> impl Iterator<Item = char> { text.into_bytes().into_iter().map(char::from) }

#[node]
fn takes_any(text: impl AsRef<str>) -> usize { text.as_ref().len() }

fn main() {}
