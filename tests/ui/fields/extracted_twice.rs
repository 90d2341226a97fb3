use hypernodes::{node, pipeline};

pub struct Document {
    pub title: String,
    pub year: u32,
}

#[node(output = "heading")]
fn heading(title: &str) -> String {
    title.to_uppercase()
}

#[node(output = "title")]
fn make_title(year: u32) -> String {
    year.to_string()
}

pipeline! {
    Summary = [Document { title, year } = document, make_title, heading]
}

fn main() {}
