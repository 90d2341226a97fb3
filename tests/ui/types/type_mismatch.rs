mod nodes {
    use hypernodes::node;

    #[node(output = "cleaned")]
    pub fn clean(text: String) -> String { text }

    #[node(output = "tokens")]
    pub fn tokenize(cleaned: &u64) -> Vec<u64> { vec![*cleaned] }
}

hypernodes::pipeline! { P = [nodes::clean, nodes::tokenize] }

fn main() {}
