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

#[node(output = "label")]
fn small(n: u32) -> String {
    format!("small {n}")
}

#[node(output = "label")]
fn large(n: u32) -> u64 {
    u64::from(n)
}

pipeline! {
    Label = [
        classify,
        match kind {
            Kind::Small => [small],
            Kind::Large => [large],
        },
    ]
}

fn main() {}
