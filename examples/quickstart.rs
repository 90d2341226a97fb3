//! A text pipeline on built-in data: clean, tokenize, count, find the longest word, score the
//! sentiment with a small lexicon (a stateful object built once per worker), and parse a
//! leading number; mapped over every review at once, with progress bars on a terminal. The graph
//! is printed as Mermaid and DOT and written as an SVG image.
//!
//! Run: `cargo run --release --example quickstart`

use std::collections::HashSet;

use hypernodes::hooks::Progress;
use hypernodes::{node, pipeline, BoxError, Stateful, WorkerContext};

/// Built-in data: short product reviews, some starting with a star rating.
const REVIEWS: &[&str] = &[
    "5 Great battery, great screen, fast delivery!",
    "  2   The case cracked after a week; support was slow and unhelpful. ",
    "4 Solid value for the price, though the speaker is weak",
    "ten out of ten, would buy again",
    "1 Terrible: it broke on day one and the refund is still pending",
];

/// A sentiment lexicon: built once per worker, when a node there first needs it.
pub struct Lexicon {
    positive: HashSet<&'static str>,
    negative: HashSet<&'static str>,
}

impl Stateful for Lexicon {
    fn create(_ctx: &WorkerContext) -> Result<Self, BoxError> {
        Ok(Lexicon {
            positive: ["great", "fast", "solid", "value", "good", "buy"].into(),
            negative: ["cracked", "slow", "unhelpful", "weak", "terrible", "broke"].into(),
        })
    }
}

/// Lower-case, no surrounding blanks.
#[node(output = "cleaned")]
pub fn clean(text: String) -> String {
    text.trim().to_lowercase()
}

/// Words without punctuation.
#[node(output = "tokens")]
pub fn tokenize(cleaned: &str) -> Vec<String> {
    cleaned
        .split(|c: char| c.is_whitespace() || c.is_ascii_punctuation())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// How many words.
#[node]
pub fn word_count(tokens: &[String]) -> usize {
    tokens.len()
}

/// The first word and the longest one.
#[node(output = ("first_word", "longest_word"))]
pub fn pick_words(tokens: &[String]) -> (String, String) {
    let first = tokens.first().cloned().unwrap_or_default();
    let longest = tokens
        .iter()
        .max_by_key(|w| w.len())
        .cloned()
        .unwrap_or_default();
    (first, longest)
}

/// Positive minus negative words.
#[node(output = "sentiment", stateful(lexicon))]
pub fn score(tokens: &[String], lexicon: &Lexicon) -> i32 {
    tokens
        .iter()
        .map(|w| {
            match (
                lexicon.positive.contains(w.as_str()),
                lexicon.negative.contains(w.as_str()),
            ) {
                (true, _) => 1,
                (_, true) => -1,
                _ => 0,
            }
        })
        .sum()
}

/// The star rating the review starts with; fails when it starts with something else.
#[node(output = "stars")]
pub fn parse_stars(first_word: &str) -> Result<u8, std::num::ParseIntError> {
    first_word.parse()
}

pipeline! {
    /// Everything about a review.
    pub Review = [clean, tokenize, word_count, pick_words, score]
}

pipeline! {
    /// Only the star rating: the nodes it does not need (`score`, `word_count`) never run.
    #[outputs(stars)]
    pub Stars = [clean, tokenize, pick_words, parse_stars, score, word_count]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let review = Review::new();
    let stars = Stars::new();
    // Every review at once: in parallel, in input order; the lexicon is built once per worker.
    // Progress bars are drawn on standard error when it is a terminal.
    let progress = Progress::new();
    let reviews = review
        .with_hooks(&progress)
        .map(REVIEWS.iter().map(|text| ReviewInputs {
            text: text.to_string(),
        }))?;
    // One outcome per review: a review without a star rating fails alone.
    let ratings = stars.map_results(REVIEWS.iter().map(|text| StarsInputs {
        text: text.to_string(),
    }));
    println!(
        "{:<48} {:>5} {:>9} {:>10} {:>6}",
        "review", "words", "sentiment", "longest", "stars"
    );
    for (out, rating) in reviews.iter().zip(&ratings) {
        let rating = match rating {
            Ok(s) => s.stars.to_string(),
            Err(e) => format!("- ({})", e.node()),
        };
        let shown: String = out.cleaned.chars().take(46).collect();
        println!(
            "{shown:<48} {:>5} {:>9} {:>10} {:>6}",
            out.word_count, out.sentiment, out.longest_word, rating
        );
    }
    if let Some(Err(e)) = ratings.iter().find(|r| r.is_err()) {
        println!("a failing item is named with its node: {e}");
    }
    println!("\nrun order: {}", Review::INFO.order.join(" -> "));
    println!(
        "inputs: {:?}, outputs: {:?}",
        Review::INFO.inputs,
        Review::INFO.outputs
    );
    let skipped: Vec<&str> = Stars::INFO
        .nodes
        .iter()
        .filter(|n| !n.runs)
        .map(|n| n.name)
        .collect();
    println!(
        "`Stars` runs {:?} and skips {:?}",
        Stars::INFO.order,
        skipped
    );
    println!("\nplan on the default engine:\n{}", review.plan());
    println!("graph (Mermaid):\n{}", Review::INFO.mermaid());
    println!("\ngraph (DOT):\n{}", Review::INFO.dot());
    let svg = std::env::temp_dir().join("review.svg");
    Review::INFO.picture().write_svg(&svg)?;
    println!("\ngraph (SVG) written to {}", svg.display());
    Ok(())
}
