use hypernodes::node;

pub struct Page(String);

#[node(output = "page", config(use_process = true))]
fn render(text: String) -> Page {
    Page(text)
}

fn main() {}
