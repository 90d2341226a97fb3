use hypernodes::{node, pipeline};

pub struct Document {
    pub title: String,
    pub year: u32,
}

#[node(output = "old")]
fn is_old(document: &Document) -> bool {
    document.year < 2000
}

#[node(output = "heading")]
fn heading(title: &str) -> String {
    title.to_uppercase()
}

pipeline! {
    Summary = [is_old, if old { [Document { title } = document, heading] }]
}

fn main() {}
