//! The rows of the zero-cost issue: each pipeline `map` against the form a user would write by
//! hand without hypernodes, over the same borrowed input (100,000 W1/W4 texts, cloned per item
//! on both sides), in the same run.
//!
//! `scripts/bench-ratios.sh idiomatic idiomatic_100k 5 w1_sequential_map:w1_iter_map w1_all_sequential_map:w1_all_iter_map w1_parallel_map:w1_par_iter_map w1_parallel_par_map:w1_par_iter_map w4_batch_map:w4_chunks w1_fed_units:w1_par_iter_map w1_parallel_map:w1_fed_units w1_pulled_units:w1_par_iter_map w4_units_by_hand:w4_chunks w4_batch_map:w4_units_by_hand`

#[path = "common/measure.rs"]
mod measure;
#[path = "common/workloads.rs"]
mod workloads;

use criterion::{criterion_group, criterion_main, Criterion};
use hypernodes::{Parallel, Sequential};
use measure::batched;
use rayon::prelude::*;
use workloads::*;

const N: usize = 100_000;

fn idiomatic(c: &mut Criterion) {
    let mut group = c.benchmark_group("idiomatic_100k");
    group.sample_size(20);
    let input = || texts(N);

    // W1, only `word_count` kept: `iter().map(..).collect()`.
    batched(&mut group, "w1_iter_map", input, |texts| {
        texts
            .iter()
            .map(|t| w1_by_hand(t.clone()))
            .collect::<Vec<usize>>()
    });
    let w1 = W1::new();
    batched(&mut group, "w1_sequential_map", input, |texts| {
        let items = texts.iter().map(|t| W1Inputs { text: t.clone() });
        w1.with_engine(Sequential).map(items).unwrap()
    });

    // W1, every value kept: the same loop returning the three values.
    batched(&mut group, "w1_all_iter_map", input, |texts| {
        texts
            .iter()
            .map(|t| {
                let cleaned = clean(t.clone());
                let tokens = tokenize(&cleaned);
                let word_count = count(&tokens);
                (cleaned, tokens, word_count)
            })
            .collect::<Vec<_>>()
    });
    let w1_all = W1All::new();
    batched(&mut group, "w1_all_sequential_map", input, |texts| {
        let items = texts.iter().map(|t| W1AllInputs { text: t.clone() });
        w1_all.with_engine(Sequential).map(items).unwrap()
    });

    // W1 on two threads: `par_iter().cloned().map(..).collect()`.
    batched(&mut group, "w1_par_iter_map", input, |texts| {
        texts
            .par_iter()
            .cloned()
            .map(w1_by_hand)
            .collect::<Vec<usize>>()
    });
    batched(&mut group, "w1_parallel_map", input, |texts| {
        let items = texts.iter().map(|t| W1Inputs { text: t.clone() });
        w1.with_engine(Parallel::new()).map(items).unwrap()
    });
    // What `map` on `Parallel` did before its workers pulled the input: the calling thread
    // clones units of 1,024 texts into a channel one job per pool thread reads.
    batched(&mut group, "w1_fed_units", input, |texts| {
        let (units, received) = std::sync::mpsc::sync_channel::<(usize, Vec<String>)>(4);
        let received = std::sync::Mutex::new(received);
        let done = std::sync::Mutex::new(Vec::new());
        rayon::in_place_scope(|scope| {
            scope.spawn_broadcast(|_, _| loop {
                let next = received.lock().unwrap().recv();
                let Ok((index, unit)) = next else { break };
                let counts: Vec<usize> = unit.into_iter().map(w1_by_hand).collect();
                done.lock().unwrap().push((index, counts));
            });
            for (index, chunk) in texts.chunks(1024).enumerate() {
                units.send((index, chunk.to_vec())).unwrap();
            }
            drop(units);
        });
        let mut done = done.into_inner().unwrap();
        done.sort_by_key(|(index, _)| *index);
        done.into_iter()
            .flat_map(|(_, counts)| counts)
            .collect::<Vec<usize>>()
    });
    // What `map` on `Parallel` does, written by hand: workers pull units of 1,024 from the
    // input themselves, under a lock, so each input is built and freed on one thread and no
    // feeding thread competes for the cores.
    batched(&mut group, "w1_pulled_units", input, |texts| {
        let source = std::sync::Mutex::new((0usize, texts.iter().cloned()));
        let done = std::sync::Mutex::new(Vec::new());
        rayon::broadcast(|_| loop {
            let (index, unit) = {
                let mut source = source.lock().unwrap();
                let unit: Vec<String> = source.1.by_ref().take(1024).collect();
                source.0 += 1;
                (source.0 - 1, unit)
            };
            if unit.is_empty() {
                break;
            }
            let counts: Vec<usize> = unit.into_iter().map(w1_by_hand).collect();
            done.lock().unwrap().push((index, counts));
        });
        let mut done = done.into_inner().unwrap();
        done.sort_by_key(|(index, _)| *index);
        done.into_iter()
            .flat_map(|(_, counts)| counts)
            .collect::<Vec<usize>>()
    });
    // The same over a parallel iterator: each input built on the thread that runs it.
    batched(&mut group, "w1_parallel_par_map", input, |texts| {
        let items = texts.par_iter().map(|t| W1Inputs { text: t.clone() });
        w1.with_engine(Parallel::new()).par_map(items).unwrap()
    });

    // W4 with a batch node of 1,024: clean each text, then chunks through the batch function.
    batched(&mut group, "w4_chunks", input, |texts| {
        let cleaned: Vec<String> = texts.iter().map(|t| clean(t.clone())).collect();
        cleaned
            .chunks(1024)
            .flat_map(normalize_batch)
            .collect::<Vec<String>>()
    });
    // The same work cut in units of 1,024 as `map` cuts it, by hand: what the unit shape
    // itself costs, apart from the machinery around each item.
    batched(&mut group, "w4_units_by_hand", input, |texts| {
        let mut out = Vec::with_capacity(texts.len());
        for unit in texts.chunks(1024) {
            let cleaned: Vec<String> = unit.iter().map(|t| clean(t.clone())).collect();
            out.extend(normalize_batch(&cleaned));
        }
        out
    });
    let w4 = W4Batch::new();
    batched(&mut group, "w4_batch_map", input, |texts| {
        let items = texts.iter().map(|t| W4BatchInputs { text: t.clone() });
        w4.with_engine(Sequential).map(items).unwrap()
    });
    group.finish();
}

criterion_group!(benches, idiomatic);
criterion_main!(benches);
