use hypernodes::node;

struct Client;

impl Client {
    #[node]
    fn method(&self, text: String) -> String { text }
}

fn main() {}
