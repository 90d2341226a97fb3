//! The cache on W1 (20,000 items, three cached nodes) and W3 (4,000 items, one cached node): no
//! cache, a cold cache (every value computed and written to a fresh directory, the last commit
//! included) and a warm one (every value read back), all on `Parallel`. The ratios to `no_cache`
//! are what the README reports; a warm W1 run divided by its 60,000 lookups is the cost of one.
//!
//! `cargo bench --bench cache`

#[path = "common/measure.rs"]
mod measure;
#[path = "common/workloads.rs"]
mod workloads;

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use criterion::{criterion_group, criterion_main, Criterion};
use hypernodes::cache::DiskCache;
use measure::batched;
use workloads::*;

const W1_ITEMS: usize = 20_000;
const W3_ITEMS: usize = 4_000;

/// A cache directory removed when dropped (after the timed part).
struct Dir(PathBuf);

impl Dir {
    fn fresh(name: &str) -> Dir {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("hn-bench-{name}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        Dir(dir)
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn w1(c: &mut Criterion) {
    let mut group = c.benchmark_group("cache_w1_20k");
    group.sample_size(10);
    let plain = W1::new();
    batched(
        &mut group,
        "no_cache",
        || w1_inputs(W1_ITEMS),
        |items| plain.map(items).unwrap().len(),
    );
    batched(
        &mut group,
        "cold",
        || (Dir::fresh("w1-cold"), w1_inputs(W1_ITEMS)),
        |(dir, items)| {
            let p = W1::new().with_cache(DiskCache::open(&dir.0).unwrap());
            (p.map(items).unwrap().len(), dir)
        },
    );
    let warm = Dir::fresh("w1-warm");
    let p = W1::new().with_cache(DiskCache::open(&warm.0).unwrap());
    p.map(w1_inputs(W1_ITEMS)).unwrap();
    batched(
        &mut group,
        "warm",
        || w1_inputs(W1_ITEMS),
        |items| p.map(items).unwrap().len(),
    );
    group.finish();
}

fn w3(c: &mut Criterion) {
    let mut group = c.benchmark_group("cache_w3_4k");
    group.sample_size(10);
    let plain = W3::new();
    batched(
        &mut group,
        "no_cache",
        || w3_inputs(W3_ITEMS),
        |items| plain.map(items).unwrap().len(),
    );
    batched(
        &mut group,
        "cold",
        || (Dir::fresh("w3-cold"), w3_inputs(W3_ITEMS)),
        |(dir, items)| {
            let p = W3::new().with_cache(DiskCache::open(&dir.0).unwrap());
            (p.map(items).unwrap().len(), dir)
        },
    );
    let warm = Dir::fresh("w3-warm");
    let p = W3::new().with_cache(DiskCache::open(&warm.0).unwrap());
    p.map(w3_inputs(W3_ITEMS)).unwrap();
    batched(
        &mut group,
        "warm",
        || w3_inputs(W3_ITEMS),
        |items| p.map(items).unwrap().len(),
    );
    group.finish();
}

criterion_group!(benches, w1, w3);
criterion_main!(benches);
