mod nodes {
    use hypernodes::node;

    #[node(output = "cleaned")]
    pub fn clean(text: String) -> String { text }
}

hypernodes::pipeline! { P = [nodes::clena] }

fn main() {}
