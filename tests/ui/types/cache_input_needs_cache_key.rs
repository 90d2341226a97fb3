// A cached node's input is hashed into its key, so it needs `CacheKey` (only; not serde, which can skip fields).
use hypernodes::cache::DiskCache;
use hypernodes::{node, pipeline};

pub struct Query(String);

#[node(output = "length")]
pub fn length(query: &Query) -> usize {
    query.0.len()
}

pipeline! { Lengths = [length] }

fn main() {
    let _ = Lengths::new().with_cache(DiskCache::open("cache").unwrap());
}
