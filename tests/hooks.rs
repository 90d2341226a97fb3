//! Hooks see every lifecycle event, in order, with node names, item indices and nesting.

use hypernodes::{node, pipeline, Parallel, Sequential};

#[node(output = "cleaned")]
pub fn clean(text: String) -> String {
    text.trim().to_lowercase()
}

#[node]
pub fn words(cleaned: &str) -> Result<usize, String> {
    match cleaned {
        "" => Err("empty text".into()),
        text => Ok(text.split_whitespace().count()),
    }
}

pipeline! { pub Count = [clean, words] }

#[node]
pub fn double(words: usize) -> usize {
    2 * words
}

pipeline! { pub Outer = [Count, double] }

mod support {
    include!("support/recorder.rs");
}
use support::Recorder;

fn inputs(texts: &[&str]) -> Vec<CountInputs> {
    texts
        .iter()
        .map(|t| CountInputs {
            text: (*t).to_owned(),
        })
        .collect()
}

#[test]
fn a_run_tells_pipeline_and_node_events_in_order() -> Result<(), hypernodes::Error> {
    let hooks = Recorder::default();
    let out = Count::new().with_hooks(&hooks).run(CountInputs {
        text: " A b ".into(),
    })?;
    assert_eq!(out.words, 2);
    assert_eq!(
        hooks.take(),
        [
            "run Count",
            "  Count.clean x1",
            "  Count.clean done",
            "  Count.words x1",
            "  Count.words done",
            "end Count ok=true",
        ]
    );
    Ok(())
}

#[test]
fn a_failing_run_tells_the_error_before_its_end() {
    let hooks = Recorder::default();
    let err = Count::new()
        .with_hooks(&hooks)
        .run(CountInputs { text: " ".into() })
        .unwrap_err();
    assert_eq!(err.node(), "words");
    assert_eq!(
        hooks.take(),
        [
            "run Count",
            "  Count.clean x1",
            "  Count.clean done",
            "  Count.words x1",
            "error Count: node `words` failed: empty text",
            "end Count ok=false",
        ]
    );
}

#[test]
fn a_map_tells_every_item_with_its_index() {
    let hooks = Recorder::default();
    let results = Count::new()
        .with_engine(Sequential)
        .with_hooks(&hooks)
        .map_results(inputs(&["a", " ", "b c"]));
    assert_eq!(results.len(), 3);
    assert_eq!(
        hooks.take(),
        [
            "map Count items=3",
            "item Count[0]",
            "  Count[0].clean x1",
            "  Count[0].clean done",
            "  Count[0].words x1",
            "  Count[0].words done",
            "item end Count[0] ok=true",
            "item Count[1]",
            "  Count[1].clean x1",
            "  Count[1].clean done",
            "  Count[1].words x1",
            "error Count[1]: node `words` failed on item 1: empty text",
            "item end Count[1] ok=false",
            "item Count[2]",
            "  Count[2].clean x1",
            "  Count[2].clean done",
            "  Count[2].words x1",
            "  Count[2].words done",
            "item end Count[2] ok=true",
            "map end Count items=3 failed=1",
        ]
    );
}

#[test]
fn a_nested_pipeline_runs_in_its_own_scope() -> Result<(), hypernodes::Error> {
    let hooks = Recorder::default();
    let out = Outer::new()
        .with_engine(Sequential)
        .with_hooks(&hooks)
        .map(vec![OuterInputs { text: "x y".into() }])?;
    assert_eq!(out[0].double, 4);
    assert_eq!(
        hooks.take(),
        [
            "map Outer items=1",
            "item Outer[0]",
            "  Outer[0] > Count elements=None",
            "  Outer[0].Count.clean x1",
            "  Outer[0].Count.clean done",
            "  Outer[0].Count.words x1",
            "  Outer[0].Count.words done",
            "  Outer[0] < Count",
            "  Outer[0].double x1",
            "  Outer[0].double done",
            "item end Outer[0] ok=true",
            "map end Outer items=1 failed=0",
        ]
    );
    Ok(())
}

#[test]
fn several_hooks_compose_and_parallel_maps_tell_every_item() {
    let (a, b) = (Recorder::default(), Recorder::default());
    let items = inputs(&["a"; 50]);
    let out = Count::new()
        .with_engine(Parallel::new().threads(2).batch_size(4))
        .with_hooks((&a, &b))
        .map(items)
        .unwrap();
    assert_eq!(out.len(), 50);
    let (a, b) = (a.take(), b.take());
    assert_eq!(a.len(), 2 + 50 * 6);
    let mut sorted_a = a.clone();
    let mut sorted_b = b;
    sorted_a.sort();
    sorted_b.sort();
    assert_eq!(sorted_a, sorted_b);
    for item in 0..50 {
        assert!(a.contains(&format!("  Count[{item}].words done")));
    }
}

#[node(batch, output = "lengths")]
pub fn lengths(cleaned: &[String]) -> Vec<usize> {
    cleaned.iter().map(String::len).collect()
}

pipeline! { pub Batched = [clean, lengths] }

#[test]
fn a_batch_node_is_one_call_covering_its_batch() {
    let hooks = Recorder::default();
    let items = ["a", "bb", "ccc"].map(|t| BatchedInputs { text: t.into() });
    let outs = Batched::new()
        .with_engine(Sequential.batch_size(2))
        .with_hooks(&hooks)
        .map(items)
        .unwrap();
    assert_eq!(outs[2].lengths, 3);
    assert_eq!(
        hooks.take(),
        [
            "map Batched items=3",
            "item Batched[0]",
            "item Batched[1]",
            "  Batched[0].clean x1",
            "  Batched[0].clean done",
            "  Batched[1].clean x1",
            "  Batched[1].clean done",
            "  Batched[0].lengths x2",
            "  Batched[0].lengths done",
            "item end Batched[0] ok=true",
            "item end Batched[1] ok=true",
            "item Batched[2]",
            "  Batched[2].clean x1",
            "  Batched[2].clean done",
            "  Batched[2].lengths x1",
            "  Batched[2].lengths done",
            "item end Batched[2] ok=true",
            "map end Batched items=3 failed=0",
        ]
    );
}

// Hooks that ask for values see what each call read and returned.

/// Records `NodeInputs`/`NodeOutputs` as lines.
#[derive(Default)]
struct Values(std::sync::Mutex<Vec<String>>);

impl hypernodes::hooks::Hooks for Values {
    const VALUES: bool = true;

    fn on(&self, event: &hypernodes::hooks::Event<'_>) {
        use hypernodes::hooks::Event;
        let (side, node, values) = match event {
            Event::NodeInputs { node, values, .. } => ("in", node, values),
            Event::NodeOutputs { node, values, .. } => ("out", node, values),
            _ => return,
        };
        let each: Vec<String> = values.iter().map(|(n, v)| format!("{n}={v:?}")).collect();
        self.0
            .lock()
            .unwrap()
            .push(format!("{node} {side}: {}", each.join(", ")));
    }
}

/// Has no `Debug`: shown by its type name.
pub struct Opaque(u32);

#[node(output = ("head", "rest"))]
fn split_first(text: String) -> (String, Opaque) {
    let head: String = text.chars().take(1).collect();
    (head, Opaque(text.len() as u32))
}

#[node(output = "size")]
fn size(rest: Opaque, head: &str) -> u32 {
    rest.0 + head.len() as u32
}

pipeline! {
    #[outputs(size)]
    pub Split = [split_first, size]
}

#[test]
fn hooks_asking_for_values_see_what_each_call_read_and_returned() {
    let values = Values::default();
    let out = Split::new()
        .with_hooks(&values)
        .run(SplitInputs { text: "abc".into() })
        .unwrap();
    assert_eq!(out.size, 4);
    let lines = std::mem::take(&mut *values.0.lock().unwrap());
    assert_eq!(
        lines,
        [
            "split_first in: text=\"abc\"",
            "split_first out: head=\"a\", rest=<hooks::Opaque>",
            "size in: rest=<hooks::Opaque>, head=\"a\"",
            "size out: size=4",
        ]
    );
    // Hooks that do not ask see no values.
    let recorder = Recorder::default();
    Split::new()
        .with_hooks(&recorder)
        .run(SplitInputs { text: "abc".into() })
        .unwrap();
    assert!(
        !recorder.take().iter().any(|e| e.contains("NodeInputs")),
        "values only for hooks that ask"
    );
}
