use hypernodes::{node, pipeline};

#[derive(Clone, Copy, Debug)]
pub enum Kind {
    Small,
    Large,
}

#[node(output = "kind")]
fn classify(n: u32) -> Kind {
    if n < 10 { Kind::Small } else { Kind::Large }
}

#[node(output = "digits")]
fn digits(n: u32) -> usize {
    n.to_string().len()
}

#[node(output = "report")]
fn report(digits: usize) -> String {
    format!("{digits} digits")
}

pipeline! {
    Report = [
        classify,
        match kind {
            Kind::Small => [],
            Kind::Large => [digits],
        },
        report,
    ]
}

fn main() {}
