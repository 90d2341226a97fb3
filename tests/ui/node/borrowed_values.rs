use hypernodes::node;

#[node]
fn count(words: &[&str]) -> usize { words.len() }

#[node]
fn by_value(words: Vec<&str>) -> usize { words.len() }

#[node]
fn longest(words: &[String]) -> &str { &words[0] }

#[node]
fn fine(words: &[&'static str]) -> Option<&'static str> { words.first().copied() }

fn main() {}
