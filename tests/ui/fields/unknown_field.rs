use hypernodes::{node, pipeline};

pub struct Document {
    pub title: String,
    pub year: u32,
}

#[node(output = "heading")]
fn heading(title: &str) -> String {
    title.to_uppercase()
}

pipeline! {
    Summary = [Document { titel: title } = document, heading]
}

fn main() {}
