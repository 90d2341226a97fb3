use hypernodes::node;

#[node(output = ("head", "rest", "tail"))]
fn split(text: String) -> (String, String) { (text.clone(), text) }

#[node(output = ("a", "b"))]
fn single(text: String) -> Result<String, std::fmt::Error> { Ok(text) }

fn main() {}
