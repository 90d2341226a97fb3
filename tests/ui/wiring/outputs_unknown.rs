use hypernodes::{node, pipeline};

#[node(output = "cleaned")]
fn clean(text: String) -> String { text }

#[node(output = "tokens")]
fn tokenize(cleaned: &str) -> Vec<String> { vec![cleaned.to_owned()] }

pipeline! {
    #[outputs(tokens, tokenz)]
    P = [clean, tokenize]
}

fn main() {
    let out = P::new().run(PInputs { text: String::new() }).unwrap();
    let _: Vec<String> = out.tokens;
}
