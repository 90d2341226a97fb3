// Every mistake in `#[derive(CacheKey)]`'s attributes, reported at once at its token.
use hypernodes::cache::CacheKey;

#[derive(CacheKey)]
pub union Bits {
    int: u32,
    float: f32,
}

#[derive(CacheKey)]
pub struct Skips {
    text: String,
    #[cache_key(skip)]
    logger: u32,
}

#[derive(CacheKey)]
#[cache_key(krate = "hn")]
pub struct Misspelled {
    #[cache_key(serd)]
    when: u64,
}

fn main() {}
