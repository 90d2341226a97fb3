hypernodes::pipeline! { Empty = [] }

fn main() {}
