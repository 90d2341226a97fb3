mod nodes {
    use hypernodes::node;

    #[node(output = "cleaned")]
    fn clean(text: String) -> String { text }
}

hypernodes::pipeline! { P = [nodes::clean] }

fn main() {}
