//! Batch nodes: one call per batch of exactly `batch_size` items (the last may be short), mixed
//! with per-item nodes, in `run` with a one-item slice, stateful, and with errors.

use std::sync::Mutex;

use hypernodes::{
    node, pipeline, BoxError, ErrorKind, Parallel, Sequential, Stateful, WorkerContext,
};

static SIZES: Mutex<Vec<usize>> = Mutex::new(Vec::new());
static SERIAL: Mutex<()> = Mutex::new(());

fn sizes() -> Vec<usize> {
    std::mem::take(&mut *SIZES.lock().unwrap())
}

#[node(output = "cleaned")]
fn clean(text: String) -> Result<String, String> {
    if text.contains('!') {
        return Err(format!("`{text}` is shouting"));
    }
    Ok(text.trim().to_lowercase())
}

#[node(output = "normalized", batch, config(batch_size = 4))]
fn rot13(cleaned: &[String]) -> Vec<String> {
    SIZES.lock().unwrap().push(cleaned.len());
    cleaned
        .iter()
        .map(|s| {
            s.chars()
                .map(|c| match c {
                    'a'..='m' => (c as u8 + 13) as char,
                    'n'..='z' => (c as u8 - 13) as char,
                    other => other,
                })
                .collect()
        })
        .collect()
}

#[node(output = "length")]
fn length(normalized: &str, cleaned: String) -> usize {
    normalized.len() + cleaned.len()
}

pipeline! { Normalize = [clean, rot13, length] }

fn inputs(texts: &[&str]) -> Vec<NormalizeInputs> {
    texts
        .iter()
        .map(|t| NormalizeInputs {
            text: t.to_string(),
        })
        .collect()
}

fn words(n: usize) -> Vec<String> {
    (0..n).map(|i| format!(" Word{i} ")).collect()
}

#[test]
fn batches_are_exact_except_the_last_and_mix_with_per_item_nodes() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let p = Normalize::new();
    let texts = words(10);
    let items = || texts.iter().map(|t| NormalizeInputs { text: t.clone() });
    let outs = p.with_engine(Sequential).map(items()).unwrap();
    assert_eq!(sizes(), [4, 4, 2]);
    assert_eq!(outs[0].normalized, "jbeq0");
    assert_eq!(outs[9].normalized, "jbeq9");
    assert_eq!(outs[9].length, 10);

    let parallel = p
        .with_engine(Parallel::new().threads(2).batch_size(2))
        .map(items())
        .unwrap();
    let mut seen = sizes();
    seen.sort();
    assert_eq!(
        seen,
        [2, 4, 4],
        "the unit grows to whole batches of the node's 4"
    );
    assert_eq!(
        parallel.iter().map(|o| &o.normalized).collect::<Vec<_>>(),
        outs.iter().map(|o| &o.normalized).collect::<Vec<_>>()
    );
}

#[test]
fn a_failed_item_leaves_the_batch_and_loses_no_other() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let p = Normalize::new();
    let each = p
        .with_engine(Sequential)
        .map_results(inputs(&["a", "b!", "c", "d", "e", "f"]));
    assert_eq!(sizes(), [4, 1], "five live items in batches of 4");
    assert_eq!(each.len(), 6);
    let err = each[1].as_ref().unwrap_err();
    assert_eq!((err.node(), err.item()), ("clean", Some(1)));
    let ok: Vec<&str> = each
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .map(|o| o.normalized.as_str())
        .collect();
    assert_eq!(ok, ["n", "p", "q", "r", "s"]);
}

#[test]
fn run_calls_a_batch_node_with_a_one_item_slice() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let out = Normalize::new()
        .run(NormalizeInputs {
            text: " Hello ".into(),
        })
        .unwrap();
    assert_eq!(sizes(), [1]);
    assert_eq!((out.normalized.as_str(), out.length), ("uryyb", 10));
}

#[node(output = "half", batch)]
fn drops_one(value: Vec<u32>) -> Vec<u32> {
    value.into_iter().skip(1).collect()
}

pipeline! { DropsOne = [drops_one] }

#[test]
fn a_wrong_number_of_values_is_an_error_naming_the_node() {
    let items = (0..5).map(|value| DropsOneInputs { value });
    let each = DropsOne::new()
        .with_engine(Sequential.batch_size(2))
        .map_results(items);
    assert_eq!(each.len(), 5);
    for (i, result) in each.iter().enumerate() {
        let err = result.as_ref().unwrap_err();
        assert_eq!((err.node(), err.item()), ("drops_one", Some(i)));
        assert!(matches!(err.kind(), ErrorKind::BatchLength { .. }));
    }
    assert_eq!(
        each[0].as_ref().unwrap_err().to_string(),
        "node `drops_one` returned 1 values for a batch of 2 items on item 0"
    );
    let err = DropsOne::new()
        .run(DropsOneInputs { value: 1 })
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "node `drops_one` returned 0 values for a batch of 1 items"
    );
}

pub struct Vocabulary {
    offset: u32,
}

impl Stateful for Vocabulary {
    fn create(_: &WorkerContext) -> Result<Self, BoxError> {
        Ok(Vocabulary { offset: 1000 })
    }
}

#[node(output = "ids", batch, stateful(vocabulary), config(batch_size = 3))]
fn lookup(word: &[String], vocabulary: &Vocabulary) -> Result<Vec<u32>, String> {
    if word.iter().any(|w| w.is_empty()) {
        return Err("empty word in batch".into());
    }
    Ok(word
        .iter()
        .map(|w| vocabulary.offset + w.len() as u32)
        .collect())
}

pipeline! { Lookup = [lookup] }

#[test]
fn a_batch_node_can_be_stateful_and_its_error_reaches_every_item_of_the_batch() {
    let words = ["a", "bb", "", "dddd", "e"];
    let items = words.iter().map(|w| LookupInputs {
        word: w.to_string(),
    });
    let each = Lookup::new().map_results(items);
    assert!(each[0..3].iter().all(|r| r
        .as_ref()
        .is_err_and(|e| e.to_string().contains("empty word"))));
    assert_eq!(each[2].as_ref().unwrap_err().item(), Some(2));
    assert_eq!(each[3].as_ref().unwrap().ids, 1004);
    assert_eq!(each[4].as_ref().unwrap().ids, 1001);
    assert!(Lookup::INFO.node("lookup").unwrap().batch);
    assert!(Lookup::new().plan().to_string().contains("lookup [batch]"));
}

// A batch node with a per-item twin (HyperNodes' `DualNode`): `map` calls the batch function
// with exact batches, a single-item call the twin.

static BATCH_CALLS: Mutex<Vec<usize>> = Mutex::new(Vec::new());
static TWIN_CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// One text embedded on its own.
fn embed_one(text: &str, scale: i64) -> Result<i64, String> {
    TWIN_CALLS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    match text {
        "bad" => Err("cannot embed `bad`".into()),
        _ => Ok(text.len() as i64 * scale),
    }
}

#[node(output = "embedding", batch, per_item = embed_one, config(batch_size = 3))]
fn embed_all(text: &[String], scale: Vec<i64>) -> Result<Vec<i64>, String> {
    BATCH_CALLS.lock().unwrap().push(text.len());
    text.iter()
        .zip(scale)
        .map(|(t, s)| match t.as_str() {
            "bad" => Err("cannot embed `bad`".to_owned()),
            _ => Ok(t.len() as i64 * s),
        })
        .collect()
}

pipeline! { pub Embed = [embed_all] }

#[test]
fn a_batch_node_with_a_per_item_twin_uses_it_for_one_item_and_batches_for_many() {
    let _serial = SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let p = Embed::new();
    BATCH_CALLS.lock().unwrap().clear();
    let twins = TWIN_CALLS.load(std::sync::atomic::Ordering::SeqCst);
    let out = p
        .run(EmbedInputs {
            text: "abcd".into(),
            scale: 2,
        })
        .unwrap();
    assert_eq!(out.embedding, 8);
    let err = p
        .run(EmbedInputs {
            text: "bad".into(),
            scale: 1,
        })
        .unwrap_err();
    assert_eq!(err.node(), "embed_all");
    assert!(err.to_string().contains("cannot embed `bad`"));
    assert_eq!(
        TWIN_CALLS.load(std::sync::atomic::Ordering::SeqCst) - twins,
        2
    );
    assert!(
        BATCH_CALLS.lock().unwrap().is_empty(),
        "`run` never calls the batch function"
    );

    let items = (0..7).map(|i| EmbedInputs {
        text: "x".repeat(i),
        scale: 10,
    });
    let outs = p.with_engine(Sequential).map(items).unwrap();
    assert_eq!(
        outs.iter().map(|o| o.embedding).collect::<Vec<_>>(),
        [0, 10, 20, 30, 40, 50, 60]
    );
    assert_eq!(*BATCH_CALLS.lock().unwrap(), [3, 3, 1]);
    assert_eq!(
        TWIN_CALLS.load(std::sync::atomic::Ordering::SeqCst) - twins,
        2
    );
}

// A worker keeps its last unit's columns and fills them again: nothing of one unit may reach
// the next. Items fail at different steps, and `tail` exists only for even items, in units of
// two or three items cut differently on each engine.
#[node(output = "even")]
fn is_even(k: u64) -> bool {
    k.is_multiple_of(2)
}

#[node(output = "scaled")]
fn scale(k: u64) -> Result<u64, String> {
    match k % 7 {
        3 => Err(format!("{k} fails at scale")),
        _ => Ok(k * 10),
    }
}

#[node(output = "shifted", batch, config(batch_size = 2))]
fn shift(scaled: &[u64]) -> Vec<u64> {
    scaled.iter().map(|s| s + 1).collect()
}

#[node(output = "tail")]
fn tail(shifted: u64) -> Result<u64, String> {
    match shifted % 9 {
        0 => Err(format!("{shifted} fails at tail")),
        _ => Ok(shifted * 2),
    }
}

pipeline! { Kept = [is_even, scale, shift, if even { [tail] }] }

#[test]
fn kept_columns_carry_no_value_of_one_unit_into_the_next() {
    let expected = |k: u64| -> Result<(u64, Option<u64>), String> {
        if k % 7 == 3 {
            return Err("scale".into());
        }
        let shifted = k * 10 + 1;
        match (k.is_multiple_of(2), shifted.is_multiple_of(9)) {
            (false, _) => Ok((shifted, None)),
            (true, true) => Err("tail".into()),
            (true, false) => Ok((shifted, Some(shifted * 2))),
        }
    };
    let items = || (0..200u64).map(|k| KeptInputs { k });
    let runs = [
        Kept::new().with_engine(Sequential).map_results(items()),
        Kept::new()
            .with_engine(Sequential.batch_size(3))
            .map_results(items()),
        Kept::new()
            .with_engine(Parallel::new().threads(2).batch_size(3))
            .map_results(items()),
    ];
    for results in runs {
        assert_eq!(results.len(), 200);
        for (k, result) in (0..200u64).zip(results) {
            match (expected(k), result) {
                (Ok((shifted, tail)), Ok(out)) => {
                    assert_eq!((out.shifted, out.tail), (shifted, tail), "item {k}")
                }
                (Err(node), Err(error)) => assert_eq!(error.node(), node, "item {k}"),
                (want, got) => panic!("item {k}: expected {want:?}, got {got:?}"),
            }
        }
    }
}
