// Two types spelled alike (`Score`) in two modules: the edge is not checked by `Wire` (alike
// spellings pass unchecked), and rustc's own error still points at the consumer's token.
mod made {
    pub struct Score(pub u32);

    #[hypernodes::node(output = "score")]
    pub fn make() -> Score { Score(1) }
}

mod read {
    pub struct Score(pub u32);

    #[hypernodes::node(output = "total")]
    pub fn total(score: &Score) -> u32 { score.0 }
}

hypernodes::pipeline! { P = [made::make, read::total] }

fn main() {}
