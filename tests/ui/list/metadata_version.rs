// A node's hidden metadata macro answers a pipeline of another macro version with a clear error.
use hypernodes::node;

#[node(output = "cleaned")]
fn clean(text: String) -> String { text }

clean! { @hypernodes_chain_v0 { [::hypernodes] P } [] [clean] [] }

fn main() {}
