use hypernodes::{node, pipeline};

#[node(output = "a")]
fn make_a(c: u32) -> u32 { c }

#[node(output = "b")]
fn make_b(a: u32) -> u32 { a }

#[node(output = "c")]
fn make_c(b: u32) -> u32 { b }

#[node(output = "d")]
fn unrelated(text: String) -> String { text }

pipeline! { P = [unrelated, make_a, make_b, make_c] }

fn main() {
    // The pipeline's types still exist: only the cycle is reported.
    let out = P::new().run(PInputs { text: String::new() }).unwrap();
    let _: String = out.d;
}
