//! The reference workloads W1–W4 of benches/reference/WORKLOADS.md: their nodes, pipelines and the same
//! work written by hand. Shared by the benches and by `tests/workloads.rs` (checksums).
#![allow(dead_code)]

use std::time::Duration;

use hypernodes::{node, pipeline, BoxError, Stateful, WorkerContext};

/// Item `i` of every workload.
pub fn text(i: usize) -> String {
    format!(
        "  Item {i}: The Quick BROWN fox jumps over {} lazy DOGS  ",
        i % 97
    )
}

pub fn texts(n: usize) -> Vec<String> {
    (0..n).map(text).collect()
}

// --- W1 text -----------------------------------------------------------------------------------

#[node(output = "cleaned")]
pub fn clean(text: String) -> String {
    text.trim().to_lowercase()
}

#[node(output = "tokens")]
pub fn tokenize(cleaned: &str) -> Vec<String> {
    cleaned.split_whitespace().map(str::to_owned).collect()
}

#[node(output = "word_count")]
pub fn count(tokens: &[String]) -> usize {
    tokens.len()
}

pipeline! {
    #[outputs(word_count)]
    pub W1 = [clean, tokenize, count]
}

pipeline! {
    /// W1 keeping every value, for the `run` overhead bench.
    pub W1All = [clean, tokenize, count]
}

pub fn w1_inputs(n: usize) -> Vec<W1Inputs> {
    (0..n).map(|i| W1Inputs { text: text(i) }).collect()
}

pub fn w1_by_hand(text: String) -> usize {
    let cleaned = clean(text);
    let tokens = tokenize(&cleaned);
    count(&tokens)
}

// --- W2 stateful -------------------------------------------------------------------------------

/// Costs 200 ms to build.
pub struct Model {
    modulus: u64,
}

impl Model {
    pub fn load() -> Model {
        std::thread::sleep(Duration::from_millis(200));
        Model { modulus: 1000 }
    }

    pub fn predict(&self, text: &str) -> u64 {
        text.bytes().map(u64::from).sum::<u64>() % self.modulus
    }
}

impl Stateful for Model {
    fn create(_: &WorkerContext) -> Result<Self, BoxError> {
        Ok(Model::load())
    }
}

#[node(output = "score", stateful(model))]
pub fn predict(cleaned: &str, model: &Model) -> u64 {
    model.predict(cleaned)
}

/// (a) the model built in the node, on every call.
#[node(output = "score")]
pub fn predict_per_call(cleaned: &str) -> u64 {
    Model::load().predict(cleaned)
}

pipeline! { pub W2Stateful = [clean, predict] }
pipeline! { pub W2PerCall = [clean, predict_per_call] }

pub fn w2_inputs(n: usize) -> Vec<W2StatefulInputs> {
    (0..n).map(|i| W2StatefulInputs { text: text(i) }).collect()
}

pub fn w2_per_call_inputs(n: usize) -> Vec<W2PerCallInputs> {
    (0..n).map(|i| W2PerCallInputs { text: text(i) }).collect()
}

// --- W3 cpu ------------------------------------------------------------------------------------

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0100_0000_01b3;

/// 2,000 rounds of FNV-1a 64 over the previous hash (8 bytes, little endian) and the text.
#[node(output = "h")]
pub fn digest(text: &str) -> u64 {
    let mut h = FNV_OFFSET;
    for _ in 0..2000 {
        let mut round = FNV_OFFSET;
        for &byte in h.to_le_bytes().iter().chain(text.as_bytes()) {
            round = (round ^ u64::from(byte)).wrapping_mul(FNV_PRIME);
        }
        h = round;
    }
    h
}

pipeline! { pub W3 = [digest] }

pub fn w3_inputs(n: usize) -> Vec<W3Inputs> {
    (0..n).map(|i| W3Inputs { text: text(i) }).collect()
}

// --- W4 batch ----------------------------------------------------------------------------------

pub fn rot13(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            'a'..='m' | 'A'..='M' => (c as u8 + 13) as char,
            'n'..='z' | 'N'..='Z' => (c as u8 - 13) as char,
            other => other,
        })
        .collect()
}

#[node(output = "normalized", batch, config(batch_size = 1024))]
pub fn normalize_batch(cleaned: &[String]) -> Vec<String> {
    cleaned.iter().map(|c| rot13(c)).collect()
}

#[node(output = "normalized")]
pub fn normalize(cleaned: &str) -> String {
    rot13(cleaned)
}

pipeline! {
    #[outputs(normalized)]
    pub W4Batch = [clean, normalize_batch]
}

pipeline! {
    #[outputs(normalized)]
    pub W4Item = [clean, normalize]
}

pub fn w4_batch_inputs(n: usize) -> Vec<W4BatchInputs> {
    (0..n).map(|i| W4BatchInputs { text: text(i) }).collect()
}

pub fn w4_item_inputs(n: usize) -> Vec<W4ItemInputs> {
    (0..n).map(|i| W4ItemInputs { text: text(i) }).collect()
}
