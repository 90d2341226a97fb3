use hypernodes::node;

#[node(config(use_process = true))]
async fn isolated(text: String) -> String {
    text
}

fn main() {}
