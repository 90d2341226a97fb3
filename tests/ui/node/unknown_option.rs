use hypernodes::node;

#[node(outptu = "cleaned")]
fn clean(text: String) -> String { text }

#[node(output = "n", colour = "red", stateful(model))]
fn paint(x: u8, model: &u8) -> u8 { x + model }

fn main() {}
