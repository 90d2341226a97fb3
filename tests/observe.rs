//! Progress bars and tracing spans, both built on hooks.

use std::sync::{Arc, Mutex};

use hypernodes::hooks::{Progress, Tracing};
use hypernodes::{node, pipeline, Sequential};
use indicatif::{InMemoryTerm, ProgressDrawTarget};

#[node(output = "cleaned")]
pub fn clean(text: String) -> String {
    text.trim().to_lowercase()
}

#[node]
pub fn words(cleaned: &str) -> usize {
    cleaned.split_whitespace().count()
}

pipeline! { pub Count = [clean, words] }

#[node]
pub fn total(words: Vec<usize>) -> usize {
    words.iter().sum()
}

pipeline! { pub Many = [Count(inputs(text = texts), map_over(texts)), total] }

#[test]
fn progress_draws_a_bar_per_map_and_per_node_with_nested_ones_indented() {
    let term = InMemoryTerm::new(12, 100);
    let progress = Progress::to(ProgressDrawTarget::term_like(Box::new(term.clone())));
    assert!(!progress.is_hidden());
    let items = (0..40).map(|i| ManyInputs {
        texts: vec![format!("a b {i}"); 3],
    });
    let outs = Many::new()
        .with_engine(Sequential)
        .with_hooks(&progress)
        .map(items)
        .unwrap();
    assert_eq!(outs[0].total, 9);
    let screen = term.contents();
    let lines: Vec<&str> = screen.lines().collect();
    assert!(
        lines[0].starts_with("Many [") && lines[0].contains("40/40 items"),
        "{screen}"
    );
    assert!(
        lines[1].starts_with("  Count ") && lines[1].contains("40/40"),
        "{screen}"
    );
    // The nested pipeline's nodes, indented under it, count their calls: 40 items x 3 texts.
    assert!(
        lines[2].starts_with("    clean ") && lines[2].contains("120 calls"),
        "{screen}"
    );
    assert!(
        lines[3].starts_with("    words ") && lines[3].contains("120 calls"),
        "{screen}"
    );
    assert!(
        lines[4].starts_with("  total ") && lines[4].contains("40/40"),
        "{screen}"
    );
}

#[test]
fn progress_off_a_terminal_draws_nothing() {
    let hidden = Progress::to(ProgressDrawTarget::hidden());
    assert!(hidden.is_hidden());
    let outs = Count::new()
        .with_hooks(&hidden)
        .map((0..5).map(|_| CountInputs { text: "x".into() }))
        .unwrap();
    assert_eq!(outs.len(), 5);
}

/// Records every span opened: its name, fields and parent's name.
#[derive(Clone, Default)]
struct Spans(Arc<Mutex<Vec<String>>>);

struct Fields(String);

impl tracing::field::Visit for Fields {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!(" {}={value:?}", field.name()));
    }
}

impl<S> tracing_subscriber::Layer<S> for Spans
where
    S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
{
    fn on_new_span(
        &self,
        attrs: &tracing::span::Attributes<'_>,
        id: &tracing::span::Id,
        ctx: tracing_subscriber::layer::Context<'_, S>,
    ) {
        let mut fields = Fields(String::new());
        attrs.record(&mut fields);
        let parent = ctx
            .span(id)
            .and_then(|span| span.parent())
            .map_or("-".to_owned(), |parent| parent.name().to_owned());
        let line = format!("{} in {parent}:{}", attrs.metadata().name(), fields.0);
        self.0.lock().unwrap().push(line);
    }
}

#[test]
fn tracing_opens_item_nested_and_node_spans_with_names_and_indices() {
    use tracing_subscriber::layer::SubscriberExt;
    let spans = Spans::default();
    let subscriber = tracing_subscriber::registry().with(spans.clone());
    tracing::subscriber::with_default(subscriber, || {
        Many::new()
            .with_engine(Sequential)
            .with_hooks(Tracing)
            .map(vec![ManyInputs {
                texts: vec!["a".into(), "b c".into()],
            }])
            .unwrap();
    });
    let spans = spans.0.lock().unwrap();
    assert_eq!(
        *spans,
        [
            "item in -: pipeline=\"Many\" item=0",
            "nested in item: pipeline=Many[0] node=\"Count\" item=0 elements=2",
            "node in nested: pipeline=Many[0].Count[0] node=\"clean\" item=0 items=1",
            "node in nested: pipeline=Many[0].Count[0] node=\"words\" item=0 items=1",
            "node in nested: pipeline=Many[0].Count[1] node=\"clean\" item=0 items=1",
            "node in nested: pipeline=Many[0].Count[1] node=\"words\" item=0 items=1",
            "node in item: pipeline=Many[0] node=\"total\" item=0 items=1",
        ]
    );
}

#[test]
fn a_failed_node_closes_its_spans() {
    use tracing_subscriber::layer::SubscriberExt;
    #[node]
    fn fails(x: u32) -> Result<u32, String> {
        if x == 1 {
            return Err("one".into());
        }
        Ok(x)
    }
    pipeline! { Fails = [fails] }
    let spans = Spans::default();
    let subscriber = tracing_subscriber::registry().with(spans.clone());
    tracing::subscriber::with_default(subscriber, || {
        let results = Fails::new()
            .with_engine(Sequential)
            .with_hooks(Tracing)
            .map_results((0..3).map(|x| FailsInputs { x }));
        assert!(results[1].is_err());
    });
    // Item 2's spans sit at the top level again: item 1's error left nothing open.
    let spans = spans.0.lock().unwrap();
    assert_eq!(spans[4], "item in -: pipeline=\"Fails\" item=2");
    assert_eq!(
        spans[5],
        "node in item: pipeline=Fails[2] node=\"fails\" item=2 items=1"
    );
}
