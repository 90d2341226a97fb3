//! Pipelines as nodes: renaming, selected outputs, `map_over` (zip and product), broadcast
//! inputs, bound inputs, and the events of a nested map.

use std::sync::atomic::{AtomicUsize, Ordering};

use hypernodes::{node, pipeline, ErrorKind, Parallel, Sequential, Stateful, WorkerContext};

mod hooks_support {
    include!("support/recorder.rs");
}
use hooks_support::Recorder;

static LENGTHS: AtomicUsize = AtomicUsize::new(0);
static SHOUTS: AtomicUsize = AtomicUsize::new(0);

#[node(output = "cleaned")]
pub fn clean(text: String) -> String {
    text.trim().to_lowercase()
}

#[node(output = "length")]
pub fn measure(cleaned: &str) -> usize {
    LENGTHS.fetch_add(1, Ordering::Relaxed);
    cleaned.len()
}

#[node(output = "shout")]
pub fn shout(cleaned: &str, suffix: &str) -> String {
    SHOUTS.fetch_add(1, Ordering::Relaxed);
    format!("{}{suffix}", cleaned.to_uppercase())
}

pipeline! {
    /// Two outputs from one text; `shout` also needs `suffix`.
    pub Text = [clean, measure, shout]
}

#[node]
pub fn report(title_length: usize, body_shout: &str) -> String {
    format!("{title_length}: {body_shout}")
}

pipeline! {
    /// The same inner pipeline twice, renamed, each asked for one output only.
    pub Article = [
        Text(inputs(text = title), outputs(length = title_length)),
        Text(inputs(text = body), outputs(shout = body_shout)),
        report,
    ]
}

pipeline! {
    /// `Text` without `outputs(..)`: its final outputs only.
    pub Finals = [Text]
}

pipeline! {
    /// `outputs(..)` may name an intermediate value of `Text` too.
    pub WithCleaned = [Text(outputs(cleaned, length, shout))]
}

#[test]
fn a_nested_pipeline_gives_its_final_outputs_unless_outputs_names_more(
) -> Result<(), hypernodes::Error> {
    // `cleaned` feeds `measure` and `shout` inside `Text`: an intermediate, kept inside.
    assert_eq!(Finals::INFO.outputs, ["length", "shout"]);
    assert_eq!(
        Finals::INFO.node("Text").unwrap().outputs,
        ["length", "shout"]
    );
    let out = Finals::new().run(FinalsInputs {
        text: " Hi ".into(),
        suffix: "?".into(),
    })?;
    assert_eq!((out.length, out.shout.as_str()), (2, "HI?"));
    assert_eq!(WithCleaned::INFO.outputs, ["cleaned", "length", "shout"]);
    let out = WithCleaned::new().run(WithCleanedInputs {
        text: " Hi ".into(),
        suffix: "?".into(),
    })?;
    assert_eq!(out.cleaned, "hi");
    Ok(())
}

#[test]
fn renamed_inputs_and_outputs_and_only_the_selected_outputs_run() -> Result<(), hypernodes::Error> {
    let (lengths, shouts) = (
        LENGTHS.load(Ordering::Relaxed),
        SHOUTS.load(Ordering::Relaxed),
    );
    let out = Article::new().run(ArticleInputs {
        title: " Hello ".into(),
        body: "world".into(),
        suffix: "!".into(),
    })?;
    assert_eq!(out.report, "5: WORLD!");
    assert_eq!((out.title_length, out.body_shout.as_str()), (5, "WORLD!"));
    // Each use computed only what it exposes.
    assert_eq!(LENGTHS.load(Ordering::Relaxed) - lengths, 1);
    assert_eq!(SHOUTS.load(Ordering::Relaxed) - shouts, 1);
    let uses: Vec<_> = Article::INFO
        .nodes
        .iter()
        .filter(|n| n.name == "Text")
        .map(|n| (n.inputs, n.outputs))
        .collect();
    assert_eq!(
        uses,
        [
            (&["title"][..], &["title_length"][..]),
            (&["body", "suffix"][..], &["body_shout"][..])
        ]
    );
    Ok(())
}

/// Counts clones, to show that broadcast values are lent, not copied per element.
#[derive(Debug, PartialEq)]
pub struct Counted(pub String);

pub static CLONES: AtomicUsize = AtomicUsize::new(0);

impl Clone for Counted {
    fn clone(&self) -> Self {
        CLONES.fetch_add(1, Ordering::Relaxed);
        Counted(self.0.clone())
    }
}

pub static BUILDS: AtomicUsize = AtomicUsize::new(0);

/// Tests that run `Retrieval` take turns: they count model builds and clones.
static RETRIEVAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn retrieval_turn() -> std::sync::MutexGuard<'static, ()> {
    RETRIEVAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A model built once per worker.
pub struct Model {
    weight: usize,
}

impl Stateful for Model {
    fn create(_: &WorkerContext) -> Result<Self, hypernodes::BoxError> {
        BUILDS.fetch_add(1, Ordering::Relaxed);
        Ok(Model { weight: 10 })
    }
}

#[node(output = "score", stateful(model))]
pub fn score(chunk: &str, query: &Counted, model: &Model) -> usize {
    model.weight * chunk.matches(query.0.as_str()).count()
}

pipeline! { pub Scoring = [score] }

#[node(output = "chunks")]
pub fn split(document: &str) -> Vec<String> {
    document.split('|').map(str::to_owned).collect()
}

#[node]
pub fn best(scores: &[usize]) -> usize {
    scores.iter().copied().max().unwrap_or(0)
}

pipeline! {
    /// Documents split into chunks, each chunk scored by the inner pipeline.
    pub Retrieval = [
        split,
        Scoring(inputs(chunk = chunks), outputs(score = scores), map_over(chunks)),
        best,
    ]
}

fn documents(n: usize) -> Vec<RetrievalInputs> {
    (0..n)
        .map(|i| RetrievalInputs {
            document: format!("a b|b b b|{}|c", "b ".repeat(i % 5)),
            query: Counted("b".into()),
        })
        .collect()
}

#[test]
fn map_over_runs_the_inner_pipeline_per_element_in_order_without_cloning_broadcasts(
) -> Result<(), hypernodes::Error> {
    let _turn = retrieval_turn();
    let clones = CLONES.load(Ordering::Relaxed);
    let out = Retrieval::new().run(RetrievalInputs {
        document: "a b|b b b|c".into(),
        query: Counted("b".into()),
    })?;
    assert_eq!(out.chunks, ["a b", "b b b", "c"]);
    assert_eq!(out.scores, [10, 30, 0]);
    assert_eq!(out.best, 30);
    assert_eq!(
        CLONES.load(Ordering::Relaxed),
        clones,
        "the query is lent to every element"
    );
    Ok(())
}

#[test]
fn map_over_uses_the_outer_workers_and_their_instances() -> Result<(), hypernodes::Error> {
    let _turn = retrieval_turn();
    let builds = BUILDS.load(Ordering::Relaxed);
    let outs = Retrieval::new()
        .with_engine(Parallel::new().threads(2).batch_size(8))
        .map(documents(400))?;
    assert_eq!(outs.len(), 400);
    assert_eq!(outs[3].scores, [10, 30, 30, 0]);
    // 400 items x 4 chunks = 1,600 inner runs, on the 2 workers' instances.
    let built = BUILDS.load(Ordering::Relaxed) - builds;
    assert!((1..=2).contains(&built), "built {built} models");
    Ok(())
}

#[node]
pub fn pair(size: u32, color: &str) -> String {
    format!("{size}-{color}")
}

pipeline! { pub Pair = [pair] }

#[node]
pub fn summary(pair: Vec<String>) -> String {
    pair.join(",")
}

pipeline! {
    pub Zipped = [Pair(map_over(size, color)), summary]
}

pipeline! {
    pub Grid = [Pair(map_over(product(size, color))), summary]
}

#[test]
fn map_over_zips_or_takes_the_product() -> Result<(), hypernodes::Error> {
    let zipped = Zipped::new().run(ZippedInputs {
        size: vec![1, 2],
        color: vec!["red".into(), "blue".into()],
    })?;
    assert_eq!(zipped.summary, "1-red,2-blue");
    let grid = Grid::new().run(GridInputs {
        size: vec![1, 2],
        color: vec!["red".into(), "blue".into(), "green".into()],
    })?;
    assert_eq!(grid.summary, "1-red,1-blue,1-green,2-red,2-blue,2-green");
    Ok(())
}

#[test]
fn zipping_lists_of_different_lengths_is_an_error_naming_node_and_item() {
    let results = Zipped::new().with_engine(Sequential).map_results(vec![
        ZippedInputs {
            size: vec![1],
            color: vec!["red".into()],
        },
        ZippedInputs {
            size: vec![1, 2],
            color: vec!["red".into()],
        },
    ]);
    assert_eq!(results[0].as_ref().unwrap().summary, "1-red");
    let err = results[1].as_ref().unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::ZipLength(_)));
    assert_eq!((err.node(), err.item()), ("Pair", Some(1)));
    assert_eq!(
        err.to_string(),
        "node `Pair` on item 1: `map_over` zips lists of different lengths: `size` has 2, `color` has 1"
    );
}

#[node]
pub fn checked(chunk: &str) -> Result<usize, String> {
    match chunk {
        "" => Err("empty chunk".into()),
        chunk => Ok(chunk.len()),
    }
}

pipeline! { pub Check = [checked] }

pipeline! {
    pub Checks = [split, Check(inputs(chunk = chunks), map_over(chunks))]
}

#[test]
fn an_element_error_names_the_element() {
    let err = Checks::new()
        .run(ChecksInputs {
            document: "a||b".into(),
        })
        .unwrap_err();
    assert_eq!(err.node_path(), "Check[1].checked");
    assert_eq!(err.element(), Some(1));
    assert_eq!(
        err.to_string(),
        "node `Check[1].checked` failed: empty chunk"
    );
}

#[node]
pub fn scaled(x: u64, factor: u64, offset: &u64) -> u64 {
    x * factor + offset
}

pipeline! {
    /// `factor` and `offset` are fixed once; only `x` comes per item.
    #[bind(factor = 10, offset = 2 + 1)]
    pub Scaled = [scaled]
}

#[node]
pub fn plus_one(scaled: u64) -> u64 {
    scaled + 1
}

pipeline! {
    /// The inner pipeline's bound inputs are not asked of the outer one.
    pub Outer = [Scaled, plus_one]
}

#[test]
fn bound_inputs_leave_the_inputs_and_can_be_set_on_the_pipeline() -> Result<(), hypernodes::Error> {
    assert_eq!(Scaled::new().run(ScaledInputs { x: 4 })?.scaled, 43);
    let p = Scaled::builder().factor(100).build();
    let outs = p.map((1..=3).map(|x| ScaledInputs { x }))?;
    assert_eq!(
        outs.iter().map(|o| o.scaled).collect::<Vec<_>>(),
        [103, 203, 303]
    );
    assert_eq!(Outer::new().run(OuterInputs { x: 1 })?.plus_one, 14);
    assert_eq!(Scaled::INFO.inputs, ["x"]);
    assert_eq!(Scaled::INFO.bound, ["factor", "offset"]);
    Ok(())
}

#[test]
fn bound_inputs_can_be_read_back_from_the_pipeline() {
    let defaults = Scaled::new();
    let bound = defaults.bound();
    assert_eq!((*bound.factor, *bound.offset), (10, 3));
    let set = Scaled::builder().factor(100).build();
    assert_eq!((*set.bound().factor, *set.bound().offset), (100, 3));
}

#[test]
fn a_nested_map_tells_each_element_in_its_scope() -> Result<(), hypernodes::Error> {
    let hooks = Recorder::default();
    Zipped::new()
        .with_engine(Sequential)
        .with_hooks(&hooks)
        .map(vec![ZippedInputs {
            size: vec![7, 8],
            color: vec!["red".into(), "blue".into()],
        }])?;
    assert_eq!(
        hooks.take(),
        [
            "map Zipped items=1",
            "item Zipped[0]",
            "  Zipped[0] > Pair elements=Some(2)",
            "  Zipped[0].Pair[0].pair x1",
            "  Zipped[0].Pair[0].pair done",
            "  Zipped[0].Pair[1].pair x1",
            "  Zipped[0].Pair[1].pair done",
            "  Zipped[0] < Pair",
            "  Zipped[0].summary x1",
            "  Zipped[0].summary done",
            "item end Zipped[0] ok=true",
            "map end Zipped items=1 failed=0",
        ]
    );
    Ok(())
}

#[test]
fn the_plan_shows_nested_pipelines_with_their_config() {
    let plan = Retrieval::new()
        .with_engine(Sequential.batch_size(16))
        .plan();
    let nested = plan.node("Scoring").unwrap().nested.as_ref().unwrap();
    let score = nested.node("score").unwrap();
    assert_eq!(score.config.batch_size.value, 16);
    assert_eq!(nested.stateful[0].name, "model");
    let text = plan.to_string();
    assert!(text.contains("Scoring on Sequential"), "{text}");
    assert!(text.contains("stateful `model`"), "{text}");
}

#[test]
fn pictures_show_clusters_bound_inputs_and_renamed_edges() {
    let collapsed = Retrieval::INFO.dot();
    assert!(collapsed
        .contains("n1_Scoring [label=\"Scoring\\n→ scores\\n(map_over chunks)\", shape=box3d"));
    assert!(collapsed.contains("n0_split -> n1_Scoring [label=\"each chunks→chunk\"];"));
    assert!(collapsed.contains("n1_Scoring -> n2_best [label=\"scores\"];"));
    let expanded = Retrieval::INFO.picture().depth(1).dot();
    assert!(
        expanded.contains("subgraph cluster_n1_Scoring {"),
        "{expanded}"
    );
    assert!(expanded.contains("label=\"Scoring (map_over chunks)\""));
    assert!(expanded.contains("n0_split -> n1_Scoring_n0_score [label=\"each chunks→chunk\"];"));
    assert!(expanded.contains("n1_Scoring_n0_score -> n2_best [label=\"score→scores\"];"));
    assert!(expanded.contains(
        "n1_Scoring_state_model -> n1_Scoring_n0_score [label=\"model\", style=dashed];"
    ));
    // Bound inputs are drawn lighter, at the level that binds them.
    let scaled = Outer::INFO.picture().depth(1).dot();
    assert!(scaled.contains("n0_Scaled_bound_factor [label=\"factor (bound)\", shape=ellipse, style=\"filled,dashed\""), "{scaled}");
    let mermaid = Outer::INFO.picture().depth(1).mermaid();
    assert!(mermaid.contains("style n0_Scaled_bound_factor fill:#f7f7f7"));
    // Depth 0 keeps the nested pipeline as one box with no cluster.
    assert!(!Outer::INFO.mermaid().contains("subgraph"));
}

#[test]
fn a_picture_renders_to_svg_in_pure_rust() {
    let svg = Retrieval::INFO.picture().depth(1).svg().unwrap();
    assert!(svg.contains("<svg") && svg.trim_end().ends_with("</svg>"));
    assert!(svg.contains("Scoring ▸ score → score"));
    assert!(svg.contains("each chunks→chunk"));
}

/// Neither `Clone` nor `Copy`: only ever lent.
pub struct Index {
    words: Vec<String>,
}

#[node(output = "hits")]
pub fn hits(chunk: &str, index: &Index) -> usize {
    index
        .words
        .iter()
        .filter(|w| chunk.contains(w.as_str()))
        .count()
}

pipeline! { pub Hits = [hits] }

pipeline! {
    pub Search = [split, Hits(inputs(chunk = chunks), outputs(hits = all_hits), map_over(chunks))]
}

#[test]
fn a_value_lent_to_every_element_needs_no_clone_when_every_inner_node_borrows_it(
) -> Result<(), hypernodes::Error> {
    let index = || Index {
        words: vec!["a".into(), "b".into()],
    };
    let out = Search::new().run(SearchInputs {
        document: "ab|cd|b".into(),
        index: index(),
    })?;
    assert_eq!(out.all_hits, [2, 0, 1]);
    let outs = Search::new()
        .with_engine(Parallel::new())
        .map(vec![SearchInputs {
            document: "a|a".into(),
            index: index(),
        }])?;
    assert_eq!(outs[0].all_hits, [1, 1]);
    Ok(())
}
