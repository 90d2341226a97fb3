use hypernodes::node;

#[node]
async fn fetch(url: String) -> String { url }

fn main() {}
