use hypernodes::{node, pipeline};

pub struct Document {
    pub title: String,
    pub year: u32,
}

#[node(output = "label")]
fn label(year: &str) -> String {
    year.to_owned()
}

pipeline! {
    Summary = [Document { year } = document, label]
}

fn main() {}
