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
fn small(kind: Kind) -> String {
    format!("{kind:?}")
}

pipeline! {
    Label = [
        match kind {
            Kind::Small => [classify, small],
            Kind::Large => [],
        },
    ]
}

fn main() {}
