//! Per-node, per-item caching: hits skip the node, keys follow code and inputs, entries survive
//! damage and other processes.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use hypernodes::cache::{CacheKey, DiskCache};
use hypernodes::{node, pipeline, Sequential};

mod support {
    include!("support/recorder.rs");
}
use support::Recorder;

/// A cache directory that does not exist yet, inside a temporary one removed when the test ends
/// (the guard comes first: keep it alive as long as the directory is used).
fn fresh_dir(name: &str) -> (tempfile::TempDir, PathBuf) {
    let root = tempfile::Builder::new()
        .prefix(&format!("hn-cache-{name}-"))
        .tempdir()
        .unwrap();
    let dir = root.path().join("cache");
    (root, dir)
}

/// Tests that run `Words` take turns: its call counters are shared.
static WORDS: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn words_turn() -> std::sync::MutexGuard<'static, ()> {
    WORDS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

static CLEANS: AtomicUsize = AtomicUsize::new(0);
static COUNTS: AtomicUsize = AtomicUsize::new(0);
static STAMPS: AtomicUsize = AtomicUsize::new(0);

#[node(output = "cleaned")]
pub fn clean(text: String) -> String {
    CLEANS.fetch_add(1, Ordering::Relaxed);
    text.trim().to_lowercase()
}

#[node]
pub fn count(cleaned: &str) -> usize {
    COUNTS.fetch_add(1, Ordering::Relaxed);
    cleaned.split_whitespace().count()
}

/// Has a side effect: never cached.
#[node(cache = false)]
pub fn stamp(count: usize) -> String {
    STAMPS.fetch_add(1, Ordering::Relaxed);
    format!("#{count}")
}

pipeline! { pub Words = [clean, count, stamp] }

fn texts(range: std::ops::Range<usize>) -> Vec<WordsInputs> {
    range
        .map(|i| WordsInputs {
            text: format!(" Item {i} of Many "),
        })
        .collect()
}

#[test]
fn a_second_run_serves_cached_nodes_and_a_larger_map_computes_only_new_items() {
    let _turn = words_turn();
    let calls = || {
        (
            CLEANS.load(Ordering::Relaxed),
            COUNTS.load(Ordering::Relaxed),
            STAMPS.load(Ordering::Relaxed),
        )
    };
    let (_root, dir) = fresh_dir("map");
    let p = Words::new().with_cache(DiskCache::open(&dir).unwrap());
    let start = calls();
    let first = p.with_engine(Sequential).map(texts(0..50)).unwrap();
    let after_first = calls();
    assert_eq!(after_first.0 - start.0, 50);
    let again = p.with_engine(Sequential).map(texts(0..50)).unwrap();
    let after_again = calls();
    assert_eq!(
        (after_again.0, after_again.1),
        (after_first.0, after_first.1)
    );
    assert_eq!(
        after_again.2 - after_first.2,
        50,
        "`cache = false` runs every time"
    );
    assert_eq!(again[7].stamp, first[7].stamp);
    // Ten more items: only those are computed.
    let more = p.with_engine(Sequential).map(texts(0..60)).unwrap();
    assert_eq!(more.len(), 60);
    assert_eq!(calls().0 - after_again.0, 10);
    let stats = p.cache().unwrap().stats();
    assert_eq!(stats.misses, 50 * 2 + 10 * 2);
    assert_eq!(stats.hits, 50 * 2 + 50 * 2);
}

#[test]
fn a_cache_hit_is_an_event_in_place_of_the_node_call() {
    let _turn = words_turn();
    let (_root, dir) = fresh_dir("hook");
    let p = Words::new().with_cache(DiskCache::open(&dir).unwrap());
    p.run(WordsInputs { text: "a b".into() }).unwrap();
    let hooks = Recorder::default();
    p.with_hooks(&hooks)
        .run(WordsInputs { text: "a b".into() })
        .unwrap();
    let events = hooks.take();
    assert!(events.contains(&"CacheHit { scope: Scope { pipeline: \"Words\", index: None, parent: None }, node: \"clean\" }".to_owned()), "{events:?}");
    assert!(
        !events.iter().any(|e| e.contains("Words.clean x1")),
        "{events:?}"
    );
    assert!(
        events.iter().any(|e| e.contains("Words.stamp x1")),
        "{events:?}"
    );
}

static UNITS: AtomicUsize = AtomicUsize::new(0);

#[node(output = "logged")]
pub fn log_line(text: &str) {
    UNITS.fetch_add(1, Ordering::Relaxed);
    let _ = text;
}

#[node(output = "number")]
pub fn maybe_number(text: &str) -> Option<u32> {
    UNITS.fetch_add(1, Ordering::Relaxed);
    text.parse().ok()
}

pipeline! { pub Edge = [log_line, maybe_number] }

#[test]
fn unit_and_none_values_are_served_from_the_cache() {
    let (_root, dir) = fresh_dir("edge");
    let p = Edge::new().with_cache(DiskCache::open(&dir).unwrap());
    let first = p.run(EdgeInputs { text: "x".into() }).unwrap();
    let before = UNITS.load(Ordering::Relaxed);
    let second = p.run(EdgeInputs { text: "x".into() }).unwrap();
    assert_eq!((first.number, second.number), (None, None));
    assert_eq!(
        UNITS.load(Ordering::Relaxed),
        before,
        "both served from the cache"
    );
}

/// An input with neither `Serialize` nor `Deserialize`: keys only hash inputs, so a cached node
/// may read it (it used to need serde, a compile error here).
#[derive(CacheKey)]
pub struct Query {
    pub words: Vec<String>,
}

static QUERY_CALLS: AtomicUsize = AtomicUsize::new(0);

#[node(output = "count")]
pub fn count_words(query: &Query) -> usize {
    QUERY_CALLS.fetch_add(1, Ordering::Relaxed);
    query.words.len()
}

pipeline! { pub Queries = [count_words] }

#[test]
fn inputs_need_only_cache_key_to_be_keyed() {
    let (_root, dir) = fresh_dir("serialize_only");
    let p = Queries::new().with_cache(DiskCache::open(&dir).unwrap());
    let query = || QueriesInputs {
        query: Query {
            words: vec!["a".into(), "b".into()],
        },
    };
    assert_eq!(p.run(query()).unwrap().count, 2);
    assert_eq!(p.run(query()).unwrap().count, 2);
    assert_eq!(
        QUERY_CALLS.load(Ordering::Relaxed),
        1,
        "the second run was a hit"
    );
    assert_eq!(p.cache().unwrap().stats().hits, 1);
}

/// An input whose `limit` serde leaves out (it is not sent anywhere), but the result depends on
/// it. Keyed through serde, as inputs were, the second run below served the first run's
/// values for every item (issue 14, finding 4).
#[derive(serde::Serialize, CacheKey)]
pub struct Search {
    pub text: String,
    #[serde(skip)]
    pub limit: usize,
}

#[node(output = "hits")]
pub fn search(search: &Search) -> Vec<String> {
    let words = search.text.split_whitespace();
    words.take(search.limit).map(str::to_owned).collect()
}

pipeline! { pub Searches = [search] }

#[test]
fn a_field_serde_skips_still_tells_inputs_apart() {
    let (_root, dir) = fresh_dir("serde_skip");
    let p = Searches::new().with_cache(DiskCache::open(&dir).unwrap());
    let items = |limit| {
        (0..20).map(move |i| SearchesInputs {
            search: Search {
                text: format!("w{i} x y z"),
                limit,
            },
        })
    };
    let hits = |limit| -> Vec<Vec<String>> {
        let outputs = p.map(items(limit)).unwrap();
        outputs.into_iter().map(|o| o.hits).collect()
    };
    assert!(hits(1).iter().all(|h| h.len() == 1));
    let many = hits(3);
    assert!(many.iter().all(|h| h.len() == 3), "no stale value");
    assert_eq!(p.cache().unwrap().stats().hits, 0);
    assert_eq!(hits(3), many);
    assert_eq!(
        p.cache().unwrap().stats().hits,
        20,
        "equal inputs still hit"
    );
}

/// The same pipeline before and after an edit of the middle node: `v1` and `v2` share `base`
/// and differ only in `scale`'s body, as if it had been edited and recompiled.
static FIRSTS: AtomicUsize = AtomicUsize::new(0);
static LASTS: AtomicUsize = AtomicUsize::new(0);

/// Upstream of both versions: one node, so both find its entries.
#[node(output = "base")]
pub fn base(x: u64) -> u64 {
    FIRSTS.fetch_add(1, Ordering::Relaxed);
    x + 1
}

mod v1 {
    use super::*;
    #[node(output = "scaled")]
    pub fn scale(base: u64) -> u64 {
        base * 10
    }
    #[node(output = "shown")]
    pub fn show(scaled: u64) -> String {
        LASTS.fetch_add(1, Ordering::Relaxed);
        format!("={scaled}")
    }
    pipeline! { pub Chain = [base, scale, show] }
}

mod v2 {
    use super::*;
    #[node(output = "scaled")]
    pub fn scale(base: u64) -> u64 {
        base * 100
    }
    #[node(output = "shown")]
    pub fn show(scaled: u64) -> String {
        LASTS.fetch_add(1, Ordering::Relaxed);
        format!("={scaled}")
    }
    pipeline! { pub Chain = [base, scale, show] }
}

#[test]
fn a_code_change_invalidates_the_node_and_what_is_downstream_not_upstream() {
    let (_root, dir) = fresh_dir("edit");
    let old = v1::Chain::new().with_cache(DiskCache::open(&dir).unwrap());
    assert_eq!(old.run(v1::ChainInputs { x: 1 }).unwrap().shown, "=20");
    let (firsts, lasts) = (
        FIRSTS.load(Ordering::Relaxed),
        LASTS.load(Ordering::Relaxed),
    );
    let new = v2::Chain::new().with_cache(DiskCache::open(&dir).unwrap());
    assert_eq!(new.run(v2::ChainInputs { x: 1 }).unwrap().shown, "=200");
    assert_eq!(
        FIRSTS.load(Ordering::Relaxed),
        firsts,
        "upstream `base` is served"
    );
    assert_eq!(
        LASTS.load(Ordering::Relaxed),
        lasts + 1,
        "downstream `show` runs again"
    );
    // And the old code still finds its own entries.
    assert_eq!(old.run(v1::ChainInputs { x: 1 }).unwrap().shown, "=20");
    assert_eq!(LASTS.load(Ordering::Relaxed), lasts + 1);
}

#[test]
fn damaged_entries_are_recomputed_and_replaced_never_served() {
    let _turn = words_turn();
    let (_root, dir) = fresh_dir("damaged");
    let p = Words::new().with_cache(DiskCache::open(&dir).unwrap());
    let good = p.with_engine(Sequential).map(texts(0..20)).unwrap();
    p.cache().unwrap().flush().unwrap();
    // Cut the end off every entry, and flip a byte in half of them. A segment holds records
    // of `[length: u32 LE][key: 32 bytes][entry]`, the length counting key and entry.
    let mut damaged = 0;
    for segment in std::fs::read_dir(dir.join("log")).unwrap() {
        let path = segment.unwrap().path();
        let mut bytes = std::fs::read(&path).unwrap();
        let mut at = 0;
        while at < bytes.len() {
            let length = u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
            let end = at + 4 + length;
            if damaged % 2 == 0 {
                bytes[end - 8..end].fill(0);
            } else {
                bytes[end - 1] ^= 0x55;
            }
            damaged += 1;
            at = end;
        }
        std::fs::write(&path, bytes).unwrap();
    }
    assert_eq!(damaged, 40);
    let p = Words::new().with_cache(DiskCache::open(&dir).unwrap());
    let again = p.with_engine(Sequential).map(texts(0..20)).unwrap();
    for (a, b) in good.iter().zip(&again) {
        assert_eq!((&a.cleaned, a.count), (&b.cleaned, b.count));
    }
    let stats = p.cache().unwrap().stats();
    assert_eq!((stats.corrupt, stats.hits), (40, 0));
    // Replaced: the next run is served whole.
    let p = Words::new().with_cache(DiskCache::open(&dir).unwrap());
    p.with_engine(Sequential).map(texts(0..20)).unwrap();
    assert_eq!(p.cache().unwrap().stats().hits, 40);
}

const CHILD: &str = "HYPERNODES_CACHE_TEST_CHILD";
const ENDLESS_CHILD: &str = "HYPERNODES_CACHE_TEST_ENDLESS_CHILD";

/// Run as a child process by the test below: cold maps of new items until it is killed.
#[test]
fn child_process_endless_writer() {
    let Ok(dir) = std::env::var(ENDLESS_CHILD) else {
        return; // only as a child
    };
    let p = Words::new().with_cache(DiskCache::open(&dir).unwrap());
    for round in 0.. {
        p.map(texts(round * 5_000..(round + 1) * 5_000)).unwrap();
    }
}

/// `kill -9` at three moments of cold runs writing one cache: what is left gives only right
/// values, and the next run completes it.
#[cfg(unix)]
#[test]
fn a_writer_killed_mid_run_leaves_only_right_values() {
    let _turn = words_turn();
    let (_root, dir) = fresh_dir("killed");
    let exe = std::env::current_exe().unwrap();
    for wait in [150, 400, 900] {
        let mut child = std::process::Command::new(&exe)
            .args([
                "--exact",
                "child_process_endless_writer",
                "--test-threads",
                "1",
            ])
            .env(ENDLESS_CHILD, &dir)
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(wait));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
    }
    let p = Words::new().with_cache(DiskCache::open(&dir).unwrap());
    let items = 0..20_000;
    let outs = p.with_engine(Sequential).map(texts(items.clone())).unwrap();
    for (i, out) in items.zip(&outs) {
        assert_eq!(out.cleaned, format!("item {i} of many"));
        assert_eq!(out.count, 4);
    }
    let stats = p.cache().unwrap().stats();
    assert_eq!(stats.corrupt, 0, "{stats:?}");
    assert!(
        stats.hits > 0,
        "the killed writers committed some entries: {stats:?}"
    );
    let p = Words::new().with_cache(DiskCache::open(&dir).unwrap());
    p.with_engine(Sequential).map(texts(0..20_000)).unwrap();
    assert_eq!(p.cache().unwrap().stats().hits, 40_000);
}

/// Run as a child process by the test below: many writes and reads of the same keys.
#[test]
fn child_process_writer() {
    let Ok(dir) = std::env::var(CHILD) else {
        return; // only as a child
    };
    let p = Words::new().with_cache(DiskCache::open(&dir).unwrap());
    for _ in 0..5 {
        let outs = p.map(texts(0..200)).unwrap();
        assert_eq!(outs[123].cleaned, "item 123 of many");
        assert_eq!(outs[123].count, 4);
    }
    assert_eq!(p.cache().unwrap().stats().corrupt, 0);
}

#[test]
fn two_processes_write_one_cache_at_once() {
    let _turn = words_turn();
    let (_root, dir) = fresh_dir("processes");
    std::fs::create_dir_all(&dir).unwrap();
    let exe = std::env::current_exe().unwrap();
    let children: Vec<_> = (0..2)
        .map(|_| {
            std::process::Command::new(&exe)
                .args(["--exact", "child_process_writer", "--test-threads", "1"])
                .env(CHILD, &dir)
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    let p = Words::new().with_cache(DiskCache::open(&dir).unwrap());
    let outs = p.with_engine(Sequential).map(texts(0..200)).unwrap();
    assert_eq!(outs[199].cleaned, "item 199 of many");
    let stats = p.cache().unwrap().stats();
    assert_eq!((stats.hits, stats.corrupt), (400, 0));
}

/// A type without serde: fine in a pipeline that is never given a cache.
pub struct Opaque(pub u32);

#[node]
pub fn wrap(x: u32) -> Opaque {
    Opaque(x)
}

pipeline! { pub NoSerde = [wrap] }

#[test]
fn pipelines_without_a_cache_need_no_serde() {
    assert_eq!(
        NoSerde::new().run(NoSerdeInputs { x: 3 }).unwrap().wrap.0,
        3
    );
}

static INNER: AtomicUsize = AtomicUsize::new(0);

#[node(output = "doubled")]
pub fn double_it(x: u64) -> u64 {
    INNER.fetch_add(1, Ordering::Relaxed);
    2 * x
}

pipeline! { pub Double = [double_it] }

#[node]
pub fn total(doubled: Vec<u64>) -> u64 {
    doubled.iter().sum()
}

pipeline! { pub Doubles = [Double(inputs(x = xs), map_over(xs)), total] }

#[test]
fn nested_pipelines_share_the_cache_and_their_elements_are_keyed_alone() {
    let (_root, dir) = fresh_dir("nested");
    let p = Doubles::new().with_cache(DiskCache::open(&dir).unwrap());
    assert_eq!(
        p.run(DoublesInputs { xs: vec![1, 2, 3] }).unwrap().total,
        12
    );
    let before = INNER.load(Ordering::Relaxed);
    // A new process would see the same keys: a fresh pipeline value and cache handle.
    let p = Doubles::new().with_cache(DiskCache::open(&dir).unwrap());
    assert_eq!(
        p.run(DoublesInputs {
            xs: vec![3, 2, 1, 4]
        })
        .unwrap()
        .total,
        20
    );
    assert_eq!(
        INNER.load(Ordering::Relaxed) - before,
        1,
        "only the new element runs"
    );
}

/// Two nodes written alike in two modules, each calling its own module's `helper`: the same
/// tokens, different code. Before keys named the node's place, the second pipeline was served
/// the first one's values.
mod adds_one {
    use super::*;
    fn helper(x: u64) -> u64 {
        x + 1
    }
    #[node(output = "y")]
    pub fn bump(x: u64) -> u64 {
        helper(x)
    }
    pipeline! { pub Bump = [bump] }
}

mod adds_two {
    use super::*;
    fn helper(x: u64) -> u64 {
        x + 2
    }
    #[node(output = "y")]
    pub fn bump(x: u64) -> u64 {
        helper(x)
    }
    pipeline! { pub Bump = [bump] }
}

#[test]
fn nodes_with_the_same_tokens_in_different_modules_never_share_entries() {
    let (_root, dir) = fresh_dir("same-tokens");
    let one = adds_one::Bump::new().with_cache(DiskCache::open(&dir).unwrap());
    let items = || (0..100).map(|x| adds_one::BumpInputs { x });
    let ones = one.with_engine(Sequential).map(items()).unwrap();
    assert!(ones.iter().zip(0..).all(|(o, x)| o.y == x + 1));
    let two = adds_two::Bump::new().with_cache(DiskCache::open(&dir).unwrap());
    let twos = two
        .with_engine(Sequential)
        .map((0..100).map(|x| adds_two::BumpInputs { x }))
        .unwrap();
    let wrong = twos.iter().zip(0..).filter(|(o, x)| o.y != x + 2).count();
    assert_eq!(wrong, 0, "{wrong} of 100 values came from the other `bump`");
    assert_eq!(two.cache().unwrap().stats().hits, 0);
}

static TAGGED: AtomicUsize = AtomicUsize::new(0);

#[node(output = "tag_count")]
pub fn count_tags(tags: std::collections::HashMap<String, u32>) -> usize {
    TAGGED.fetch_add(1, Ordering::Relaxed);
    tags.values().map(|&n| n as usize).sum()
}

pipeline! { pub Tags = [count_tags] }

/// Each run builds its maps anew, as a new process would, in another order: before keys were
/// canonical, every run missed and wrote one more entry per item.
#[test]
fn hash_map_inputs_hit_whatever_order_they_iterate_in() {
    let (_root, dir) = fresh_dir("hash-maps");
    let items = |reversed: bool| -> Vec<TagsInputs> {
        (0..20)
            .map(|i| {
                let mut names: Vec<u32> = (0..50).collect();
                if reversed {
                    names.reverse();
                }
                TagsInputs {
                    tags: names.iter().map(|n| (format!("tag {n}"), n + i)).collect(),
                }
            })
            .collect()
    };
    let p = Tags::new().with_cache(DiskCache::open(&dir).unwrap());
    let first = p.with_engine(Sequential).map(items(false)).unwrap();
    let second = p.with_engine(Sequential).map(items(true)).unwrap();
    let counts = |outs: &[TagsOutputs]| outs.iter().map(|o| o.tag_count).collect::<Vec<_>>();
    assert_eq!(counts(&first), counts(&second));
    assert_eq!(
        TAGGED.load(Ordering::Relaxed),
        20,
        "the second run was all hits"
    );
    assert_eq!(p.cache().unwrap().stats().writes, 20);
}

/// Only cacheable nodes: a second pass serves whole items.
#[node(output = "shouted")]
pub fn shout(cleaned: &str) -> String {
    cleaned.to_uppercase()
}

pipeline! { pub Shout = [clean, shout] }

pipeline! { pub Shouts = [Shout(inputs(text = texts), outputs(shouted = shouts), map_over(texts))] }

#[test]
fn an_item_served_whole_from_the_cache_is_one_event_and_nested_hits_name_their_pipeline() {
    let _turn = words_turn();
    let (_root, dir) = fresh_dir("item-cached");
    let store = || DiskCache::open(&dir).unwrap();
    let items = || {
        (0..3).map(|i| ShoutInputs {
            text: format!("t{i}"),
        })
    };
    let p = Shout::new().with_cache(store());
    p.with_engine(Sequential).map(items()).unwrap();
    let hooks = Recorder::default();
    p.with_engine(Sequential)
        .with_hooks(&hooks)
        .map(items())
        .unwrap();
    let events = hooks.take();
    let cached: Vec<&String> = events
        .iter()
        .filter(|e| e.starts_with("ItemCached"))
        .collect();
    assert_eq!(cached.len(), 3, "{events:#?}");
    assert!(
        cached[1].contains("index: Some(1)") && cached[1].contains("nodes: [\"clean\", \"shout\"]")
    );
    assert!(
        !events
            .iter()
            .any(|e| e.starts_with("item ") || e.starts_with("CacheHit")),
        "no ItemStart, ItemEnd or CacheHit for a whole cached item: {events:#?}"
    );

    // An item with a node to compute: its start, its hits, then the node, as before.
    let words = Words::new().with_cache(store());
    words.with_engine(Sequential).map(texts(0..1)).unwrap();
    words
        .with_engine(Sequential)
        .with_hooks(&hooks)
        .map(texts(0..1))
        .unwrap();
    let events = hooks.take();
    let start = events
        .iter()
        .position(|e| e == "item Words[0]")
        .expect("ItemStart");
    let hit = events
        .iter()
        .position(|e| e.starts_with("CacheHit"))
        .expect("CacheHit");
    let stamp = events
        .iter()
        .position(|e| e.contains("Words[0].stamp x1"))
        .expect("stamp");
    assert!(start < hit && hit < stamp, "{events:#?}");
    assert!(events.iter().any(|e| e == "item end Words[0] ok=true"));

    // Hits inside a nested `map_over` pipeline carry its scope: `Shouts[0].Shout[1]`.
    let nested = Shouts::new().with_cache(store());
    let texts_in = || ShoutsInputs {
        texts: vec!["a".into(), "b".into()],
    };
    nested.run(texts_in()).unwrap();
    nested.with_hooks(&hooks).run(texts_in()).unwrap();
    let events = hooks.take();
    assert!(
        events.iter().any(|e| e.starts_with("CacheHit") && e.contains("pipeline: \"Shout\", index: Some(1)")),
        "{events:#?}"
    );
}

// `#[keyed]` items a node names in `uses(..)` join its key.

mod scale_v1 {
    #[hypernodes::keyed]
    pub const SCALE: u64 = 3;
}

mod scale_v2 {
    #[hypernodes::keyed]
    pub const SCALE: u64 = 4;
}

#[hypernodes::node(output = "scaled", uses(scale_v1::SCALE))]
pub fn scaled(x: u64) -> u64 {
    x * scale_v1::SCALE
}

pipeline! { pub Scaled = [scaled] }

#[test]
fn a_keyed_item_is_hashed_by_its_code_and_a_node_naming_it_folds_that_in() {
    // The same item with another value has another hash: a node naming it gets other keys
    // (the node's key covers its own tokens and place; `uses(..)` adds each item's hash).
    assert_ne!(
        scale_v1::__hypernodes_keyed_SCALE,
        scale_v2::__hypernodes_keyed_SCALE
    );
    let (_root, dir) = fresh_dir("keyed");
    let p = Scaled::new().with_cache(DiskCache::open(&dir).unwrap());
    assert_eq!(p.run(ScaledInputs { x: 5 }).unwrap().scaled, 15);
    assert_eq!(p.run(ScaledInputs { x: 5 }).unwrap().scaled, 15);
    assert_eq!(p.cache().unwrap().stats().hits, 1);
    assert_eq!(scale_v2::SCALE, 4);
}

/// A derived key frames fields and variants as serde's derive does, so a type that serde writes
/// whole keeps its keys when it derives `CacheKey` (and derived and serde keys check each other).
mod derived_keys {
    use std::collections::HashSet;

    use hypernodes::cache::{CacheKey, Key};
    use serde::Serialize;

    fn keyed<T: CacheKey>(value: &T) -> Key {
        Key::builder(1, 0).value(value).unwrap().finish()
    }

    fn serialized<T: Serialize>(value: &T) -> Key {
        Key::builder(1, 0).serialized(value).unwrap().finish()
    }

    #[derive(CacheKey, Serialize)]
    struct Named<T> {
        r#type: String,
        tags: HashSet<T>,
        nested: Option<Box<Named<T>>>,
    }

    #[derive(CacheKey, Serialize)]
    struct Newtype(u32);

    #[derive(CacheKey, Serialize)]
    struct Pair(u8, String);

    #[derive(CacheKey, Serialize)]
    struct Unit;

    #[derive(CacheKey, Serialize)]
    enum Shape {
        Empty,
        Circle(f64),
        Rect(f64, f64),
        Labeled { label: String, sides: u8 },
    }

    #[test]
    fn derived_keys_are_the_keys_serde_gives_the_same_fields() {
        let named = Named {
            r#type: "a".into(),
            tags: ["x", "y"].into(),
            nested: Some(Box::new(Named {
                r#type: "b".into(),
                tags: HashSet::new(),
                nested: None,
            })),
        };
        assert_eq!(keyed(&named), serialized(&named));
        assert_eq!(keyed(&Newtype(3)), serialized(&Newtype(3)));
        assert_eq!(keyed(&Newtype(3)), keyed(&3u32), "a newtype is its field");
        let pair = Pair(1, "one".into());
        assert_eq!(keyed(&pair), serialized(&pair));
        assert_eq!(keyed(&Unit), serialized(&Unit));
        for shape in [
            Shape::Empty,
            Shape::Circle(1.0),
            Shape::Rect(1.0, 2.0),
            Shape::Labeled {
                label: "door".into(),
                sides: 4,
            },
        ] {
            assert_eq!(keyed(&shape), serialized(&shape));
        }
        assert_ne!(keyed(&Shape::Circle(1.0)), keyed(&Shape::Rect(1.0, 1.0)));
    }

    /// `hypernodes` under another name.
    mod renamed {
        use hypernodes as hn;

        #[derive(hn::cache::CacheKey)]
        #[cache_key(crate = "hn")]
        pub struct Renamed {
            pub id: u8,
        }
    }

    #[test]
    fn a_renamed_crate_is_named_with_crate() {
        #[derive(CacheKey)]
        struct Same {
            id: u8,
        }
        assert_eq!(keyed(&renamed::Renamed { id: 7 }), keyed(&Same { id: 7 }));
    }

    /// A type from another crate without a `CacheKey` impl, keyed through its `Serialize`.
    #[derive(Serialize)]
    struct Foreign {
        id: u64,
    }

    #[derive(CacheKey)]
    struct Holder {
        #[cache_key(serde)]
        foreign: Foreign,
        count: u8,
    }

    #[derive(CacheKey)]
    enum Either {
        One(#[cache_key(serde)] Foreign),
        Two(#[cache_key(serde)] Foreign, u8),
    }

    #[test]
    fn a_field_marked_serde_is_keyed_through_its_serialize() {
        let holder = |id| Holder {
            foreign: Foreign { id },
            count: 1,
        };
        assert_ne!(keyed(&holder(1)), keyed(&holder(2)));
        #[derive(Serialize)]
        struct Same {
            foreign: Foreign,
            count: u8,
        }
        let same = Same {
            foreign: Foreign { id: 1 },
            count: 1,
        };
        assert_eq!(keyed(&holder(1)), serialized(&same));
        let one = |id| keyed(&Either::One(Foreign { id }));
        assert_ne!(one(1), one(2));
        assert_ne!(one(1), keyed(&Either::Two(Foreign { id: 1 }, 0)));
    }
}
