//! A question router (HyperNodes' RAG branching example), on built-in data: a question is
//! classified, then takes one of three arms — off-topic questions are rejected, questions about
//! figures are answered from a figure index, the rest are answered from retrieved passages —
//! and every arm produces `response`, which the last node reads. Only the nodes of the arm an
//! item takes run for it: the passage index is built only by workers that meet a question
//! needing it.
//!
//! `cargo run --release --example branches`

use hypernodes::{node, pipeline, BoxError, Parallel, Stateful, WorkerContext};

/// Where a question goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    Reject,
    Figure,
    Generate,
}

const DOCUMENTS: [&str; 6] = [
    "Tides are caused by the gravity of the moon and the sun pulling on the oceans.",
    "The moon orbits the earth every 27 days and always shows the same face.",
    "Spring tides happen when the sun and moon line up; neap tides when they are at right angles.",
    "Ocean currents move heat from the equator toward the poles.",
    "The earth turns once a day, so most coasts see two high tides daily.",
    "Salt water is denser than fresh water, which drives deep ocean circulation.",
];

const FIGURES: [(&str, &str); 3] = [
    (
        "tide",
        "Figure 1: the water level over two days at one harbour",
    ),
    (
        "moon",
        "Figure 2: the moon's phases against the height of high tide",
    ),
    (
        "current",
        "Figure 3: the main ocean currents of the Atlantic",
    ),
];

const QUESTIONS: [&str; 8] = [
    "Why are there two high tides a day?",
    "What does the figure about the moon show?",
    "Who won the football match yesterday?",
    "How do ocean currents move heat?",
    "Show me the figure of the currents",
    "What is the best pizza topping?",
    "What causes spring tides?",
    "Which figure shows the tide over two days?",
];

/// The words a question must share with the documents to be on topic.
fn vocabulary() -> Vec<String> {
    DOCUMENTS.iter().flat_map(|d| words(d)).collect()
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() > 3)
        .map(str::to_lowercase)
        .collect()
}

/// Documents as word lists: built once per worker, and only by workers that retrieve.
pub struct PassageIndex(Vec<(Vec<String>, &'static str)>);

impl Stateful for PassageIndex {
    fn create(_: &WorkerContext) -> Result<Self, BoxError> {
        println!("  (building the passage index on a worker)");
        Ok(PassageIndex(
            DOCUMENTS.iter().map(|d| (words(d), *d)).collect(),
        ))
    }
}

#[node(output = "route")]
pub fn classify(question: &str) -> Route {
    let asked = words(question);
    let known = vocabulary();
    if !asked.iter().any(|w| known.contains(w)) {
        Route::Reject
    } else if asked.iter().any(|w| w == "figure") {
        Route::Figure
    } else {
        Route::Generate
    }
}

#[node(output = "response")]
pub fn reject(question: &str) -> String {
    format!("Sorry, \"{question}\" is outside what these documents cover.")
}

#[node(output = "figure")]
pub fn find_figure(question: &str) -> Option<&'static str> {
    let asked = words(question);
    FIGURES
        .iter()
        .find(|(topic, _)| asked.iter().any(|w| w.starts_with(topic)))
        .map(|(_, caption)| *caption)
}

#[node(output = "response")]
pub fn describe(figure: Option<&'static str>) -> String {
    match figure {
        Some(caption) => format!("See {caption}."),
        None => "No figure matches that question.".to_owned(),
    }
}

#[node(output = "passages", stateful(index))]
pub fn retrieve(question: &str, index: &PassageIndex) -> Vec<&'static str> {
    let asked = words(question);
    let mut scored: Vec<(usize, &'static str)> = index
        .0
        .iter()
        .map(|(terms, text)| (terms.iter().filter(|t| asked.contains(t)).count(), *text))
        .filter(|&(score, _)| score > 0)
        .collect();
    scored.sort_by_key(|&(score, _)| std::cmp::Reverse(score));
    scored.into_iter().take(2).map(|(_, text)| text).collect()
}

#[node(output = "response")]
pub fn generate(passages: &[&'static str]) -> String {
    format!("From the documents: {}", passages.join(" "))
}

/// Reads `response` whichever arm made it, and `passages`, which only one arm makes.
#[node(output = "line")]
pub fn log_response(route: Route, response: &str, passages: &Option<Vec<&'static str>>) -> String {
    let sources = passages.as_ref().map_or(0, Vec::len);
    format!("[{route:?}, {sources} passage(s)] {response}")
}

pipeline! {
    /// Answers a question by the route it takes.
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

fn main() -> Result<(), hypernodes::Error> {
    let answer = Answer::new();
    println!("{}", answer.plan());
    let items = QUESTIONS.map(|q| AnswerInputs {
        question: q.to_owned(),
    });
    let outputs = answer.with_engine(Parallel::new().threads(2)).map(items)?;
    for (question, out) in QUESTIONS.iter().zip(&outputs) {
        println!("Q: {question}\n   {}", out.line);
    }
    let rejected = outputs.iter().filter(|o| o.route == Route::Reject).count();
    println!("\n{rejected} of {} questions rejected", outputs.len());
    println!("\n{}", Answer::INFO.mermaid());
    Ok(())
}
