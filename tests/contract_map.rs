//! The example of the "Map over many items" issue, as a user writes it. The nodes are `pub`
//! because the pipeline is (a `pub` pipeline exposes its nodes' types; see the DSL rules).

#![allow(clippy::ptr_arg)] // `&String`, as the issue writes it

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use hypernodes::config::ConfigSource;
use hypernodes::{node, pipeline, BoxError, Parallel, Sequential, Stateful, WorkerContext};

static BUILDS: AtomicUsize = AtomicUsize::new(0);

pub struct Model {
    weights: u64,
}

impl Model {
    fn load(path: &str) -> Result<Model, std::io::Error> {
        Ok(Model {
            weights: path.len() as u64,
        })
    }
}

impl Stateful for Model {
    fn create(ctx: &WorkerContext) -> Result<Self, BoxError> {
        let _ = ctx.worker_index();
        BUILDS.fetch_add(1, Ordering::SeqCst);
        std::thread::sleep(Duration::from_millis(20)); // expensive: load once per worker
        Ok(Model { weights: 1 })
    }
}

#[node(output = "cleaned")]
pub fn clean(text: String) -> String {
    text.trim().to_lowercase()
}

#[node(
    output = "score",
    stateful(model),
    config(max_concurrency = 2, max_retries = 3)
)]
pub fn predict(cleaned: &String, model: &Model) -> u64 {
    cleaned.bytes().map(u64::from).sum::<u64>() % 1000 * model.weights
}

#[node(output = "normalized", batch, config(batch_size = 1024))] // batch node: one call per batch
pub fn normalize(cleaned: &[String]) -> Vec<String> {
    cleaned.iter().map(|c| c.replace(' ', "_")).collect()
}

pipeline! {
    #[config(batch_size = 2048)]
    pub Scoring = [clean, predict, normalize]
}

fn items() -> Vec<ScoringInputs> {
    (0..5000)
        .map(|i| ScoringInputs {
            text: format!("  Item {i}: The Quick BROWN fox  "),
        })
        .collect()
}

#[test]
fn the_issue_example_runs_as_written() -> Result<(), hypernodes::Error> {
    let p = Scoring::new(); // `model` built with Stateful::create
    let outs: Vec<ScoringOutputs> = p.map(items())?; // parallel by default, input order kept
    assert_eq!(outs.len(), 5000);
    assert_eq!(outs[7].normalized, "item_7:_the_quick_brown_fox");
    assert!(
        BUILDS.load(Ordering::SeqCst) <= 2,
        "max_concurrency = 2 caps the models"
    );

    let sequential = p.with_engine(Sequential).map(items())?; // or Parallel::new().threads(4)
    let four = p.with_engine(Parallel::new().threads(4)).map(items())?;
    let each: Vec<Result<ScoringOutputs, hypernodes::Error>> = p.map_results(items());
    let scores = |outs: &[ScoringOutputs]| outs.iter().map(|o| o.score).collect::<Vec<_>>();
    assert_eq!(scores(&sequential), scores(&outs));
    assert_eq!(scores(&four), scores(&outs));
    assert!(each.iter().all(Result::is_ok));

    let plan = p.plan(); // per node: resolved config + where each value came from
    println!("{plan}");
    let predict = plan.node("predict").unwrap().config;
    assert_eq!(
        (
            predict.max_concurrency.value,
            predict.max_concurrency.source
        ),
        (Some(2), ConfigSource::Node)
    );
    assert_eq!(
        (predict.batch_size.value, predict.batch_size.source),
        (2048, ConfigSource::Pipeline)
    );
    let normalize = plan.node("normalize").unwrap().config;
    assert_eq!(
        (normalize.batch_size.value, normalize.batch_size.source),
        (1024, ConfigSource::Node)
    );
    assert!(plan
        .to_string()
        .contains("stateful `model` (used by predict)"));

    let path = "weights.bin".to_owned();
    let loaded = Scoring::builder()
        .model(move |_ctx| Model::load(&path))
        .build();
    let first = loaded
        .with_engine(Sequential)
        .map(items().into_iter().take(1))?;
    assert_eq!(first[0].score, outs[0].score * 11);
    Ok(())
}
