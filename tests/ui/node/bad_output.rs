use hypernodes::node;

#[node(output = cleaned)]
fn clean(text: String) -> String { text }

#[node(output = ("head", 2))]
fn split(text: String) -> (String, String) { (text.clone(), text) }

#[node(output = "not an identifier")]
fn other(text: String) -> String { text }

fn main() {}
