//! Branches: a node's value decides which nodes run for an item, on every engine, with batch
//! nodes, stateful resources, nested pipelines and `if`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use hypernodes::{
    node, pipeline, BoxError, Parallel, Sequential, Stateful, Streaming, WorkerContext,
};

#[path = "support/recorder.rs"]
mod hooks_support;

#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Route {
    Reject,
    Figure,
    Generate,
}

#[node(output = "route")]
fn classify(question: &str) -> Route {
    if question.contains("weather") {
        Route::Reject
    } else if question.contains("figure") {
        Route::Figure
    } else {
        Route::Generate
    }
}

#[node(output = "response")]
fn reject(question: &str) -> String {
    format!("off topic: {question}")
}

#[node(output = "figure")]
fn find_figure(question: &str) -> usize {
    question.len() % 7
}

#[node(output = "response")]
fn describe(figure: usize) -> String {
    format!("figure {figure}")
}

#[node(output = "passages")]
fn retrieve(question: &str) -> Vec<String> {
    question.split(' ').map(str::to_owned).collect()
}

#[node(output = "response")]
fn generate(passages: &[String]) -> String {
    format!("{} passages", passages.len())
}

#[node(output = "logged")]
fn log_response(response: &str, figure: &Option<usize>) -> String {
    format!("{response} ({figure:?})")
}

pipeline! {
    pub Answer = [
        classify,
        match route {
            Route::Reject => [reject],
            Route::Figure => [find_figure, describe],
            Route::Generate => [retrieve, generate],
        },
        log_response,
    ]
}

#[test]
fn each_item_takes_its_arm_and_later_nodes_read_what_the_arm_made() {
    let answer = Answer::new();
    let out = answer
        .run(AnswerInputs {
            question: "the weather?".into(),
        })
        .unwrap();
    assert_eq!(out.response, "off topic: the weather?");
    assert_eq!(out.figure, None);
    assert_eq!(out.passages, None);
    let out = answer
        .run(AnswerInputs {
            question: "which figure".into(),
        })
        .unwrap();
    assert_eq!(out.response, "figure 5");
    assert_eq!(out.figure, Some(5));
    assert_eq!(out.logged, "figure 5 (Some(5))");
    let out = answer
        .run(AnswerInputs {
            question: "how do tides work".into(),
        })
        .unwrap();
    assert_eq!(out.response, "4 passages");
    assert_eq!(out.passages.as_deref().map(<[String]>::len), Some(4));
}

fn questions(n: usize) -> Vec<AnswerInputs> {
    let kinds = [
        "the weather?",
        "which figure",
        "how do tides work",
        "a figure of speech",
    ];
    (0..n)
        .map(|i| AnswerInputs {
            question: format!("{} {i}", kinds[i % 4]),
        })
        .collect()
}

/// What `Answer` gives for `questions(n)[i]`, computed by hand.
fn expected(i: usize) -> (String, Option<usize>) {
    let question = questions(i + 1).pop().unwrap().question;
    match i % 4 {
        0 => (format!("off topic: {question}"), None),
        1 | 3 => {
            let figure = question.len() % 7;
            (format!("figure {figure}"), Some(figure))
        }
        _ => (format!("{} passages", question.split(' ').count()), None),
    }
}

fn check(results: Vec<Result<AnswerOutputs, hypernodes::Error>>, n: usize) {
    assert_eq!(results.len(), n);
    for (i, result) in results.into_iter().enumerate() {
        let out = result.unwrap();
        let (response, figure) = expected(i);
        assert_eq!((&out.response, out.figure), (&response, figure), "item {i}");
        assert_eq!(out.logged, format!("{response} ({figure:?})"));
    }
}

#[test]
fn every_engine_gives_each_item_the_values_of_its_arm() {
    let answer = Answer::new();
    check(
        answer.with_engine(Sequential).map_results(questions(40)),
        40,
    );
    check(
        answer
            .with_engine(Parallel::new().threads(3).batch_size(4))
            .map_results(questions(40)),
        40,
    );
    check(
        answer
            .with_engine(Streaming::new().threads(2).batch_size(3))
            .map_results(questions(40)),
        40,
    );
    let streamed: Vec<_> = answer
        .with_engine(Streaming::new().batch_size(5))
        .stream(questions(40))
        .unwrap()
        .collect();
    check(streamed, 40);
}

#[test]
fn a_cluster_runs_branches() {
    let results = Answer::new()
        .with_engine(hypernodes::Cluster::local(2, 1))
        .map_results(questions(30));
    check(results, 30);
}

// A batch node in an arm, a stateful node in an arm rarely taken, and an error in one arm.

static BATCHES: Mutex<Vec<Vec<i64>>> = Mutex::new(Vec::new());
static MODEL_BUILDS: AtomicUsize = AtomicUsize::new(0);

/// Built the first time a node needing it runs on a worker.
pub struct Model;

impl Stateful for Model {
    fn create(_: &WorkerContext) -> Result<Self, BoxError> {
        MODEL_BUILDS.fetch_add(1, Ordering::SeqCst);
        Ok(Model)
    }
}

#[node(output = "sign")]
fn sign(x: i64) -> i64 {
    x.signum()
}

#[node(output = "y", batch, config(batch_size = 3))]
fn double_all(x: &[i64]) -> Vec<i64> {
    BATCHES.lock().unwrap().push(x.to_vec());
    x.iter().map(|x| x * 2).collect()
}

#[node(output = "y", stateful(model))]
fn through_model(x: i64, model: &Model) -> i64 {
    let _ = model;
    x
}

#[node(output = "y")]
fn negate(x: i64) -> Result<i64, String> {
    match x {
        -13 => Err("unlucky".into()),
        x => Ok(-x),
    }
}

pipeline! {
    pub Signs = [
        sign,
        match sign {
            1 => [double_all],
            0 => [through_model],
            _ => [negate],
        },
    ]
}

#[test]
fn a_batch_node_in_an_arm_gets_the_items_that_took_it_and_skipped_nodes_build_nothing() {
    let items: Vec<SignsInputs> = (-20..=20).map(|x| SignsInputs { x: x * 3 + 2 }).collect();
    BATCHES.lock().unwrap().clear();
    MODEL_BUILDS.store(0, Ordering::SeqCst);
    for engine in 0..2 {
        let results = match engine {
            0 => Signs::new()
                .with_engine(Sequential)
                .map_results(items.iter().map(|i| SignsInputs { x: i.x })),
            _ => Signs::new()
                .with_engine(Parallel::new().threads(2).batch_size(5))
                .map_results(items.iter().map(|i| SignsInputs { x: i.x })),
        };
        for (item, result) in items.iter().zip(&results) {
            match item.x {
                -13 => {
                    let error = result.as_ref().unwrap_err();
                    assert_eq!(error.node(), "negate");
                    assert!(error.to_string().contains("unlucky"));
                }
                x if x > 0 => assert_eq!(result.as_ref().unwrap().y, x * 2),
                x => assert_eq!(result.as_ref().unwrap().y, -x),
            }
        }
        let batches = std::mem::take(&mut *BATCHES.lock().unwrap());
        let batched: Vec<i64> = batches.iter().flatten().copied().collect();
        assert!(batched.iter().all(|&x| x > 0), "{batches:?}");
        assert_eq!(batched.len(), 21, "{batches:?}");
        assert!(
            batches.iter().all(|b| !b.is_empty() && b.len() <= 3),
            "{batches:?}"
        );
    }
    // No item has sign 0 (x * 3 + 2 is never 0): the model is never built.
    assert_eq!(MODEL_BUILDS.load(Ordering::SeqCst), 0);
    let zero = Signs::new().run(SignsInputs { x: 0 }).unwrap();
    assert_eq!(zero.y, 0);
    assert_eq!(MODEL_BUILDS.load(Ordering::SeqCst), 1);
}

// `if`, a branch inside an arm, a nested pipeline in an arm and a branch inside a nested one.

#[node(output = "long")]
fn is_long(text: &str) -> bool {
    text.len() > 5
}

#[node(output = "shout")]
fn shout(text: &str) -> String {
    text.to_uppercase()
}

#[node(output = "digits")]
fn has_digits(text: &str) -> bool {
    text.chars().any(|c| c.is_ascii_digit())
}

#[node(output = "label")]
fn numbered(text: &str) -> String {
    format!("#{text}")
}

#[node(output = "label")]
fn plain(shout: &str) -> String {
    format!("plain {shout}")
}

#[node(output = "label")]
fn short(text: &str) -> String {
    format!("short {text}")
}

pipeline! {
    /// Labels a text: short ones as such; long ones by whether they hold digits.
    pub Label = [
        is_long,
        if long {
            [has_digits, match digits { true => [numbered], false => [shout, plain] }]
        } else {
            [short]
        },
    ]
}

#[node(output = "count")]
fn count(text: &str) -> usize {
    text.split(' ').count()
}

#[node(output = "summary")]
fn summary(label: &str, count: &Option<usize>) -> String {
    format!("{label} / {count:?}")
}

pipeline! {
    pub Outer = [
        Label,
        if long { [count] },
        summary,
    ]
}

#[test]
fn if_nested_branches_and_nested_pipelines_take_their_arms() {
    let label = |text: &str| Label::new().run(LabelInputs { text: text.into() }).unwrap();
    let out = label("hi");
    assert_eq!(
        (out.label.as_str(), out.long, out.digits),
        ("short hi", false, None)
    );
    let out = label("route 66");
    assert_eq!(
        (out.label.as_str(), out.digits, out.shout),
        ("#route 66", Some(true), None)
    );
    let out = label("no digits");
    assert_eq!(out.label, "plain NO DIGITS");
    assert_eq!(out.shout.as_deref(), Some("NO DIGITS"));

    // Nested branches over units of items: each step leaves out the items of other arms.
    let labels: Vec<String> = Label::new()
        .with_engine(Streaming::new().batch_size(2))
        .map(
            ["hi", "route 66", "no digits", "ok", "x9 long"]
                .map(|t| LabelInputs { text: t.into() }),
        )
        .unwrap()
        .into_iter()
        .map(|o| o.label)
        .collect();
    assert_eq!(
        labels,
        [
            "short hi",
            "#route 66",
            "plain NO DIGITS",
            "short ok",
            "#x9 long"
        ]
    );

    let outer = Outer::new();
    let texts = ["hi", "route 66", "no digits here"].map(|t| OuterInputs { text: t.into() });
    let outs = outer
        .with_engine(Parallel::new().threads(2))
        .map(texts)
        .unwrap();
    let summaries: Vec<&str> = outs.iter().map(|o| o.summary.as_str()).collect();
    assert_eq!(
        summaries,
        [
            "short hi / None",
            "#route 66 / Some(2)",
            "plain NO DIGITS HERE / Some(3)"
        ]
    );
}

#[test]
fn skipped_nodes_are_absent_from_the_events() {
    let recorder = hooks_support::Recorder::default();
    Label::new()
        .with_hooks(&recorder)
        .map([LabelInputs { text: "hi".into() }])
        .unwrap();
    let events = recorder.take();
    let nodes: Vec<&str> = events
        .iter()
        .filter(|e| e.ends_with(" x1"))
        .map(|e| e.rsplit('.').next().unwrap())
        .collect();
    assert_eq!(nodes, ["is_long x1", "short x1"], "{events:#?}");
}

// Caching, selected outputs and a branched pipeline nested with `outputs(..)` and `map_over`.

static ARM_CALLS: AtomicUsize = AtomicUsize::new(0);
static SHOUTS: AtomicUsize = AtomicUsize::new(0);
/// Tests counting the calls of `Words`' nodes take turns.
static WORDS_TURN: Mutex<()> = Mutex::new(());

#[node(output = "even")]
fn parity(k: u32) -> bool {
    k.is_multiple_of(2)
}

#[node(output = "word")]
fn even_word(k: u32) -> String {
    ARM_CALLS.fetch_add(1, Ordering::SeqCst);
    format!("even {k}")
}

#[node(output = "word")]
fn odd_word(k: u32) -> String {
    ARM_CALLS.fetch_add(1, Ordering::SeqCst);
    format!("odd {k}")
}

#[node(output = "loud")]
fn shout_word(word: &str) -> String {
    SHOUTS.fetch_add(1, Ordering::SeqCst);
    word.to_uppercase()
}

pipeline! {
    pub Words = [parity, if even { [even_word] } else { [odd_word] }, shout_word]
}

#[test]
fn cached_nodes_in_arms_are_served_on_a_second_run() {
    let _turn = WORDS_TURN
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let dir = tempfile::tempdir().unwrap();
    let words = Words::new().with_cache(hypernodes::cache::DiskCache::open(dir.path()).unwrap());
    let items = || (0..10).map(|k| WordsInputs { k });
    let calls = || {
        (
            ARM_CALLS.load(Ordering::SeqCst),
            SHOUTS.load(Ordering::SeqCst),
        )
    };
    let before = calls();
    let first = words.with_engine(Sequential).map(items()).unwrap();
    let after_first = calls();
    assert_eq!(
        (after_first.0 - before.0, after_first.1 - before.1),
        (10, 10)
    );
    let again = words.with_engine(Sequential).map(items()).unwrap();
    assert_eq!(
        calls(),
        after_first,
        "the second run is served from the cache"
    );
    for (k, (a, b)) in first.iter().zip(&again).enumerate() {
        let word = if k % 2 == 0 { "even" } else { "odd" };
        assert_eq!(a.loud, format!("{} {k}", word.to_uppercase()));
        assert_eq!((&a.word, &a.loud), (&b.word, &b.loud));
    }
}

#[node(output = "total")]
fn total(words: Vec<String>) -> usize {
    words.iter().map(String::len).sum()
}

pipeline! {
    pub Totals = [Words(inputs(k = ks), outputs(word = words), map_over(ks)), total]
}

pipeline! {
    #[outputs(word)]
    pub OnlyWords = [parity, if even { [even_word] } else { [odd_word] }, shout_word]
}

#[test]
fn selected_outputs_and_a_nested_branched_pipeline_run_only_what_is_asked() {
    let _turn = WORDS_TURN
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let shouts = SHOUTS.load(Ordering::SeqCst);
    let out = Totals::new()
        .run(TotalsInputs { ks: vec![1, 2, 13] })
        .unwrap();
    assert_eq!(out.total, "odd 1".len() + "even 2".len() + "odd 13".len());
    let out = OnlyWords::new().run(OnlyWordsInputs { k: 4 }).unwrap();
    assert_eq!(out.word, "even 4");
    // `loud` was asked of neither: `shout_word` never ran.
    assert_eq!(SHOUTS.load(Ordering::SeqCst), shouts);
}

#[test]
fn the_plan_and_the_pictures_show_the_arms() {
    let plan = Answer::new().plan().to_string();
    assert!(
        plan.contains("2. reject (when route is Route::Reject)"),
        "{plan}"
    );
    assert!(plan.contains("7. log_response\n"), "{plan}");
    let plan = Label::new().plan().to_string();
    assert!(
        plan.contains("numbered (when long is true and digits is true)"),
        "{plan}"
    );

    let dot = Answer::INFO.dot();
    for line in [
        "branch_0 [label=\"match route\", shape=diamond",
        "n0_classify -> branch_0 [label=\"route\"];",
        "subgraph cluster_arm_0_1 {",
        "label=\"route is Route::Figure\";",
        "branch_0 -> n2_find_figure [label=\"Route::Figure\", style=dashed];",
        // Every producer of `response` feeds `log_response`.
        "n1_reject -> n6_log_response [label=\"response\"];",
        "n3_describe -> n6_log_response [label=\"response\"];",
        "n5_generate -> n6_log_response [label=\"response\"];",
    ] {
        assert!(dot.contains(line), "{line}\n{dot}");
    }
    let mermaid = Outer::INFO.picture().depth(1).mermaid();
    for line in [
        "branch_0{\"if long\"}",
        "subgraph cluster_n0_Label_arm_1_1 [\"digits is false\"]",
        "n0_Label_branch_0 -.->|true| n0_Label_branch_1",
        "n0_Label_n5_short -->|label| n2_summary",
    ] {
        assert!(mermaid.contains(line), "{line}\n{mermaid}");
    }
    // `if long { [count] }` has nothing in its `else`: no empty cluster for it.
    assert!(!mermaid.contains("subgraph cluster_arm_0_1"), "{mermaid}");
    assert!(Answer::INFO
        .picture()
        .svg()
        .unwrap()
        .contains("match route"));
}

pipeline! {
    pub ShoutEither = [
        parity,
        match even {
            true => [even_word, shout_word],
            false => [odd_word, shout_word],
        },
    ]
}

#[test]
fn one_node_may_sit_in_two_arms() {
    let _turn = WORDS_TURN
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let p = ShoutEither::new();
    let outs = p
        .with_engine(Sequential)
        .map((0..4).map(|k| ShoutEitherInputs { k }))
        .unwrap();
    let loud: Vec<&str> = outs.iter().map(|o| o.loud.as_str()).collect();
    assert_eq!(loud, ["EVEN 0", "ODD 1", "EVEN 2", "ODD 3"]);
    assert_eq!(
        ShoutEither::INFO
            .order
            .iter()
            .filter(|n| **n == "shout_word")
            .count(),
        2
    );
}

#[node(output = "word")]
async fn fetch_even(k: u32) -> String {
    tokio::time::sleep(std::time::Duration::from_millis(1)).await;
    format!("fetched {k}")
}

#[node(output = "word")]
async fn fetch_odd(k: u32) -> Result<String, String> {
    match k {
        7 => Err("seven is unlucky".into()),
        k => Ok(format!("odd {k}")),
    }
}

pipeline! {
    pub Fetch = [parity, if even { [fetch_even] } else { [fetch_odd] }]
}

#[test]
fn async_nodes_in_arms_run_per_item_and_over_units() {
    let p = Fetch::new();
    assert_eq!(p.run(FetchInputs { k: 4 }).unwrap().word, "fetched 4");
    let results = p
        .with_engine(Parallel::new().threads(2).batch_size(3))
        .map_results((0..10).map(|k| FetchInputs { k }));
    for (k, result) in results.iter().enumerate() {
        match k {
            7 => assert_eq!(result.as_ref().unwrap_err().node(), "fetch_odd"),
            k if k % 2 == 0 => assert_eq!(result.as_ref().unwrap().word, format!("fetched {k}")),
            k => assert_eq!(result.as_ref().unwrap().word, format!("odd {k}")),
        }
    }
}

#[node(output = "note")]
fn note(word: &str, digits: &Option<bool>) -> String {
    format!("{word} {digits:?}")
}

#[node(output = "digits")]
fn odd_digits(k: u32) -> bool {
    k > 9
}

pipeline! {
    /// `note` reads a value only one arm makes, as an `Option`, and `#[outputs]` leaves it out:
    /// its wiring is still checked, against the `Option`.
    #[outputs(word)]
    pub Pruned = [parity, if even { [even_word] } else { [odd_word, odd_digits] }, note]
}

#[test]
fn a_pruned_node_reading_an_arm_value_is_checked_against_the_option() {
    let _turn = WORDS_TURN
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    assert_eq!(
        Pruned::new().run(PrunedInputs { k: 3 }).unwrap().word,
        "odd 3"
    );
    assert!(!Pruned::INFO.node("note").unwrap().runs);
}
