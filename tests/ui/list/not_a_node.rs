use hypernodes::pipeline;

fn clean(text: String) -> String { text }

pipeline! { P = [clean] }

fn main() {}
