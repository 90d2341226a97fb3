use hypernodes::cache::DiskCache;
use hypernodes::{node, pipeline};

pub struct Opaque(pub u32);

#[node]
fn wrap(x: u32) -> Opaque {
    Opaque(x)
}

pipeline! { NoSerde = [wrap] }

fn main() {
    let cache = DiskCache::open(std::env::temp_dir().join("hn-ui-cache")).unwrap();
    let _ = NoSerde::new().with_cache(cache);
}
