//! How values flow: borrows, moves on last use, clones only before later uses, pruning,
//! stateful objects, panics, and introspection.

use std::sync::atomic::{AtomicUsize, Ordering};

use hypernodes::{node, pipeline, BoxError, ErrorKind, Stateful, WorkerContext};

/// Counts its clones, so tests can see exactly when the pipeline copies a value.
#[derive(Debug, PartialEq)]
pub struct Tracked {
    pub text: String,
    pub clones: usize,
}

impl Clone for Tracked {
    fn clone(&self) -> Self {
        Tracked {
            text: self.text.clone(),
            clones: self.clones + 1,
        }
    }
}

mod moves {
    use super::Tracked;
    use hypernodes::node;

    #[node(output = "doc")]
    pub fn load(text: String) -> Tracked {
        Tracked { text, clones: 0 }
    }

    /// Reads `doc` by reference: no copy.
    #[node]
    pub fn length(doc: &Tracked) -> usize {
        doc.text.len()
    }

    /// Takes `doc` by value while `shout` still needs it later: one clone.
    #[node(output = "first")]
    pub fn take_first(doc: Tracked) -> Tracked {
        doc
    }

    /// Takes `doc` by value as its last use: moved.
    #[node(output = "last")]
    pub fn take_last(doc: Tracked, first: &Tracked) -> Tracked {
        assert_eq!(first.text, doc.text);
        doc
    }
}

pipeline! {
    #[outputs(length, first, last)]
    MoveOrClone = [moves::load, moves::length, moves::take_first, moves::take_last]
}

#[test]
fn by_value_moves_on_last_use_and_clones_before() -> Result<(), hypernodes::Error> {
    let out = MoveOrClone::new().run(MoveOrCloneInputs { text: "abc".into() })?;
    assert_eq!(out.length, 3);
    assert_eq!(out.first.clones, 1, "used again later: cloned once");
    assert_eq!(out.last.clones, 0, "last use: moved, not cloned");
    Ok(())
}

#[node(output = "keep")]
fn keep_doc(doc: Tracked) -> Tracked {
    doc
}

pipeline! {
    /// `doc` goes to a node by value and is also an output: the node gets the clone.
    KeepBoth = [moves::load, keep_doc]
}

#[test]
fn kept_outputs_count_as_a_later_use() -> Result<(), hypernodes::Error> {
    let out = KeepBoth::new().run(KeepBothInputs { text: "x".into() })?;
    assert_eq!((out.keep.clones, out.doc.clones), (1, 0));
    Ok(())
}

static EXPENSIVE_CALLS: AtomicUsize = AtomicUsize::new(0);
static CHEAP_CALLS: AtomicUsize = AtomicUsize::new(0);

#[node]
fn expensive(text: &str) -> usize {
    EXPENSIVE_CALLS.fetch_add(1, Ordering::SeqCst);
    text.len() * 1000
}

#[node]
fn cheap(text: &str) -> usize {
    CHEAP_CALLS.fetch_add(1, Ordering::SeqCst);
    text.len()
}

#[node]
fn report(cheap: usize) -> String {
    format!("{cheap} bytes")
}

pipeline! {
    #[outputs(report)]
    OnlyReport = [expensive, cheap, report]
}

#[test]
fn nodes_not_needed_for_selected_outputs_never_run() -> Result<(), hypernodes::Error> {
    let p = OnlyReport::new();
    for _ in 0..3 {
        assert_eq!(
            p.run(OnlyReportInputs {
                text: "abcd".into()
            })?
            .report,
            "4 bytes"
        );
    }
    assert_eq!(CHEAP_CALLS.load(Ordering::SeqCst), 3);
    assert_eq!(EXPENSIVE_CALLS.load(Ordering::SeqCst), 0);
    assert_eq!(OnlyReport::INFO.order, ["cheap", "report"]);
    let pruned = OnlyReport::INFO.node("expensive").unwrap();
    assert!(!pruned.runs);
    Ok(())
}

#[node(output = "z")]
fn no_inputs_needed() -> u8 {
    7
}

#[node(output = "y")]
fn only_pruned_reads_this(unused_input: u8) -> u8 {
    unused_input
}

pipeline! {
    #[outputs(z)]
    DropsInput = [no_inputs_needed, only_pruned_reads_this]
}

#[test]
fn inputs_only_pruned_nodes_read_are_not_asked_for() -> Result<(), hypernodes::Error> {
    assert!(DropsInput::INFO.inputs.is_empty());
    assert_eq!(DropsInput::new().run(DropsInputInputs {})?.z, 7);
    Ok(())
}

#[node]
fn explode(text: &str) -> usize {
    if text.is_empty() {
        panic!("empty text in explode");
    }
    text.len()
}

pipeline! { Exploding = [explode] }

#[test]
fn a_panic_becomes_an_error_naming_the_node() {
    let err = Exploding::new()
        .run(ExplodingInputs {
            text: String::new(),
        })
        .unwrap_err();
    assert_eq!(err.node(), "explode");
    assert!(matches!(err.kind(), ErrorKind::Panicked(m) if m == "empty text in explode"));
    assert_eq!(
        err.to_string(),
        "node `explode` panicked: empty text in explode"
    );
}

static MODELS_BUILT: AtomicUsize = AtomicUsize::new(0);

pub struct Model {
    bias: usize,
}

impl Stateful for Model {
    fn create(ctx: &WorkerContext) -> Result<Self, BoxError> {
        MODELS_BUILT.fetch_add(1, Ordering::SeqCst);
        Ok(Model {
            bias: 100 + ctx.worker_index(),
        })
    }
}

#[node(stateful(model))]
fn score(text: &str, model: &Model) -> usize {
    text.len() + model.bias
}

#[node(stateful(model))]
fn rescore(score: usize, model: &Model) -> usize {
    score + model.bias
}

pipeline! { Scoring = [score, rescore] }

#[test]
fn stateful_objects_are_built_once_and_shared_by_name() -> Result<(), hypernodes::Error> {
    let p = Scoring::new();
    assert_eq!(MODELS_BUILT.load(Ordering::SeqCst), 0, "built lazily");
    for _ in 0..5 {
        assert_eq!(p.run(ScoringInputs { text: "ab".into() })?.rescore, 202);
    }
    assert_eq!(MODELS_BUILT.load(Ordering::SeqCst), 1);
    assert_eq!(Scoring::INFO.node("score").unwrap().stateful, ["model"]);
    assert!(
        Scoring::INFO.inputs == ["text"],
        "stateful parameters are not inputs"
    );
    Ok(())
}

pub struct Broken;

impl Stateful for Broken {
    fn create(_: &WorkerContext) -> Result<Self, BoxError> {
        Err("weights file missing".into())
    }
}

#[node(stateful(broken))]
fn use_broken(x: u8, broken: &Broken) -> u8 {
    let _ = broken;
    x
}

pipeline! { UsesBroken = [use_broken] }

#[test]
fn a_failing_constructor_names_node_and_parameter() {
    let err = UsesBroken::new()
        .run(UsesBrokenInputs { x: 1 })
        .unwrap_err();
    assert_eq!(err.node(), "use_broken");
    assert_eq!(
        err.to_string(),
        "node `use_broken`: could not build stateful `broken`: weights file missing"
    );
}

#[node(output = ("quotient", "remainder"))]
fn divide(a: u32, b: u32) -> Result<(u32, u32), String> {
    if b == 0 {
        return Err(format!("cannot divide {a} by zero"));
    }
    Ok((a / b, a % b))
}

#[node]
fn unit_node(remainder: &u32) {
    let _ = remainder;
}

pipeline! { Division = [divide, unit_node] }

#[test]
fn fallible_nodes_with_several_outputs_and_unit_outputs() -> Result<(), hypernodes::Error> {
    let p = Division::new();
    let out = p.run(DivisionInputs { a: 17, b: 5 })?;
    assert_eq!((out.quotient, out.remainder, out.unit_node), (3, 2, ()));
    let err = p.run(DivisionInputs { a: 1, b: 0 }).unwrap_err();
    assert_eq!(
        err.to_string(),
        "node `divide` failed: cannot divide 1 by zero"
    );
    Ok(())
}

/// Has no `Debug`: printed as its type name.
pub struct Opaque;

#[derive(Debug)]
pub enum Shown {
    Big,
    Small,
}

#[node(output = "opaque")]
fn opaque(seed: &u8) -> Opaque {
    let _ = seed;
    Opaque
}

#[node(output = "shown")]
fn shown(seed: &u8) -> Shown {
    match *seed > 3 {
        true => Shown::Big,
        false => Shown::Small,
    }
}

// Types of std names only are printed through their `Debug` directly, the others through the
// choice between `Debug` and the type's name.
#[node(output = "pair")]
fn pair(seed: &u8) -> (u8, Option<String>) {
    (*seed, Some(seed.to_string()))
}

pipeline! { Mixed = [opaque, shown, pair] }

#[test]
fn generated_structs_are_debug_even_with_opaque_fields() -> Result<(), hypernodes::Error> {
    let mixed = Mixed::new().run(MixedInputs { seed: 4 })?;
    assert_eq!(
        format!("{mixed:?}"),
        "MixedOutputs { opaque: <wiring::Opaque>, shown: Big, pair: (4, Some(\"4\")) }"
    );
    let out = Division::new().run(DivisionInputs { a: 7, b: 2 })?;
    assert_eq!(
        format!("{out:?}"),
        "DivisionOutputs { quotient: 3, remainder: 1, unit_node: () }"
    );
    let inputs = format!("{:?}", ScoringInputs { text: "t".into() });
    assert_eq!(inputs, "ScoringInputs { text: \"t\" }");
    Ok(())
}

#[test]
fn introspection_order_names_and_graph() {
    let info = &MoveOrClone::INFO;
    assert_eq!(info.name, "MoveOrClone");
    assert_eq!(info.order, ["load", "length", "take_first", "take_last"]);
    assert_eq!(info.inputs, ["text"]);
    assert_eq!(info.outputs, ["length", "first", "last"]);
    assert!(info
        .dot()
        .contains("n0_load -> n2_take_first [label=\"doc\"];"));
    assert!(info
        .dot()
        .contains("input_text -> n0_load [label=\"text\"];"));
    assert!(info
        .mermaid()
        .contains("n2_take_first -->|first| n3_take_last"));
    let scoring = &Scoring::INFO;
    assert!(scoring
        .dot()
        .contains("state_model -> n0_score [label=\"model\", style=dashed];"));
    assert!(scoring
        .mermaid()
        .contains("state_model -.->|model| n1_rescore"));
}

#[node(output = "labels")]
fn labels(count: usize) -> Vec<&'static str> {
    ["zero", "one", "many"][..count.min(3)].to_vec()
}

#[node(output = "last_label")]
fn last_label(labels: &[&'static str]) -> Option<&'static str> {
    labels.last().copied()
}

pipeline! { StaticLabels = [labels, last_label] }

#[test]
fn static_borrows_flow_like_owned_values() -> Result<(), hypernodes::Error> {
    let out = StaticLabels::new().run(StaticLabelsInputs { count: 2 })?;
    assert_eq!(
        (out.labels, out.last_label),
        (vec!["zero", "one"], Some("one"))
    );
    Ok(())
}

/// Nodes of many parameters of different types: up to sixteen, `#[node]` gives their types as
/// two tuples; past that, one by one. Both must wire each parameter to its own value (all
/// written out in order, so two values swapped would show).
mod wide {
    use hypernodes::node;

    #[node(output = "all16")]
    #[allow(clippy::too_many_arguments)]
    pub fn sixteen(
        a: u8,
        b: u16,
        c: u32,
        d: u64,
        e: i8,
        f: i16,
        g: i32,
        h: i64,
        i: u8,
        j: u16,
        k: u32,
        l: u64,
        m: i8,
        n: i16,
        o: i32,
        p: String,
    ) -> String {
        format!("{a} {b} {c} {d} {e} {f} {g} {h} {i} {j} {k} {l} {m} {n} {o} {p}")
    }

    #[node(output = "all17")]
    #[allow(clippy::too_many_arguments)]
    pub fn seventeen(
        a: u8,
        b: u16,
        c: u32,
        d: u64,
        e: i8,
        f: i16,
        g: i32,
        h: i64,
        i: u8,
        j: u16,
        k: u32,
        l: u64,
        m: i8,
        n: i16,
        o: i32,
        p: String,
        q: f64,
    ) -> String {
        format!("{a} {b} {c} {d} {e} {f} {g} {h} {i} {j} {k} {l} {m} {n} {o} {p} {q}")
    }
}

pipeline! {
    Wide = [wide::sixteen, wide::seventeen]
}

/// The inputs of `Wide`'s seventeen parameters, in any pipeline's inputs struct that has them.
macro_rules! wide_inputs {
    ($inputs:ident { $($field:ident: $value:expr),* }) => {
        $inputs {
            a: 1, b: 2, c: 3, d: 4, e: -5, f: 6, g: 7, h: 8, i: 9, j: 10, k: 11, l: 12, m: 13,
            n: 14, o: 15, p: "p".into(), q: 0.5, $($field: $value),*
        }
    };
}

#[test]
fn nodes_of_sixteen_and_seventeen_parameters_get_each_value() -> Result<(), hypernodes::Error> {
    let out = Wide::new().run(wide_inputs!(WideInputs {}))?;
    assert_eq!(out.all16, "1 2 3 4 -5 6 7 8 9 10 11 12 13 14 15 p");
    assert_eq!(out.all17, "1 2 3 4 -5 6 7 8 9 10 11 12 13 14 15 p 0.5");
    Ok(())
}

/// Eighteen outputs, the last a `String`: as a node, the pipeline's output types nest past
/// sixteen, and each consumer must still read the type at its own position.
mod tall {
    use hypernodes::node;

    #[node(output = "v1")]
    pub fn s0(v0: &u32) -> u32 {
        v0 + 1
    }

    #[node(output = "v2")]
    pub fn s1(v1: &u32) -> u32 {
        v1 + 1
    }

    #[node(output = "v3")]
    pub fn s2(v2: &u32) -> u32 {
        v2 + 1
    }

    #[node(output = "v4")]
    pub fn s3(v3: &u32) -> u32 {
        v3 + 1
    }

    #[node(output = "v5")]
    pub fn s4(v4: &u32) -> u32 {
        v4 + 1
    }

    #[node(output = "v6")]
    pub fn s5(v5: &u32) -> u32 {
        v5 + 1
    }

    #[node(output = "v7")]
    pub fn s6(v6: &u32) -> u32 {
        v6 + 1
    }

    #[node(output = "v8")]
    pub fn s7(v7: &u32) -> u32 {
        v7 + 1
    }

    #[node(output = "v9")]
    pub fn s8(v8: &u32) -> u32 {
        v8 + 1
    }

    #[node(output = "v10")]
    pub fn s9(v9: &u32) -> u32 {
        v9 + 1
    }

    #[node(output = "v11")]
    pub fn s10(v10: &u32) -> u32 {
        v10 + 1
    }

    #[node(output = "v12")]
    pub fn s11(v11: &u32) -> u32 {
        v11 + 1
    }

    #[node(output = "v13")]
    pub fn s12(v12: &u32) -> u32 {
        v12 + 1
    }

    #[node(output = "v14")]
    pub fn s13(v13: &u32) -> u32 {
        v13 + 1
    }

    #[node(output = "v15")]
    pub fn s14(v14: &u32) -> u32 {
        v14 + 1
    }

    #[node(output = "v16")]
    pub fn s15(v15: &u32) -> u32 {
        v15 + 1
    }

    #[node(output = "v17")]
    pub fn s16(v16: &u32) -> u32 {
        v16 + 1
    }

    #[node(output = "v18")]
    pub fn s17(v17: &u32) -> String {
        format!("v{v17}")
    }
}

pipeline! {
    Tall = [
        tall::s0, tall::s1, tall::s2, tall::s3, tall::s4, tall::s5, tall::s6, tall::s7, tall::s8,
        tall::s9, tall::s10, tall::s11, tall::s12, tall::s13, tall::s14, tall::s15, tall::s16,
        tall::s17
    ]
}

#[node(output = "both")]
fn join_ends(v1: &u32, v17: u32, v18: &str) -> String {
    format!("{v1} {v17} {v18}")
}

pipeline! {
    TallAndWide = [Tall(outputs(v1, v17, v18)), join_ends, Wide]
}

#[test]
fn a_pipeline_of_more_than_sixteen_inputs_or_outputs_is_a_node_like_any_other(
) -> Result<(), hypernodes::Error> {
    let out = TallAndWide::new().run(wide_inputs!(TallAndWideInputs { v0: 0 }))?;
    assert_eq!(out.both, "1 17 v17");
    assert_eq!(out.v18, "v17");
    assert_eq!(out.all17, "1 2 3 4 -5 6 7 8 9 10 11 12 13 14 15 p 0.5");
    Ok(())
}
