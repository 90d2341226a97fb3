use hypernodes::node;

#[node]
fn generic<T: Clone>(value: T) -> T { value }

#[node]
async fn fetch(url: String) -> String { url }

struct Client;

impl Client {
    #[node]
    fn method(&self, text: String) -> String { text }
}

#[node]
fn pattern((a, b): (u8, u8)) -> u8 { a + b }

#[node]
fn wildcard(_: u8) -> u8 { 0 }

#[node]
fn opaque(text: String) -> impl Iterator<Item = char> { text.into_bytes().into_iter().map(char::from) }

#[node]
fn mutable(state: &mut Vec<u8>) -> usize { state.len() }

fn main() {}
