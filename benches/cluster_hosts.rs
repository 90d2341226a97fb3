//! W3 on three hosts against `Parallel` on one, in the same run: each host is a network
//! namespace (`tests/support/hosts.rs`), all three on this machine's two cores, so the figure
//! is what the cluster's own work and a real network stack (veth, bridge) add, not what more
//! hosts would give. Each iteration starts one copy of this binary per host with
//! `HYPERNODES_*` variables; process 0 times its `map` (start-up included, as in the loopback
//! bench) and prints the time. Needs root and iproute2; elsewhere it says so and measures
//! nothing.
//!
//! `cargo bench --bench cluster_hosts`

#[path = "../tests/support/hosts.rs"]
mod hosts;
#[path = "common/measure.rs"]
mod measure;
#[path = "common/workloads.rs"]
mod workloads;

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use criterion::Criterion;
use hosts::Hosts;
use hypernodes::{Cluster, Parallel};
use measure::batched;
use workloads::{w3_inputs, W3};

const N: usize = 4_000;
const HOSTS: usize = 3;
/// Set in the copies started on the hosts.
const HOST: &str = "HN_BENCH_HOST";

/// One host's process: W3 on the cluster its environment describes; process 0 prints how
/// long its `map` took, in nanoseconds.
fn host_process() {
    let cluster = Cluster::from_env().unwrap_or_else(|e| panic!("{e}"));
    let start = Instant::now();
    let outs = W3::new().with_engine(cluster).map(w3_inputs(N)).unwrap();
    let took = start.elapsed();
    assert_eq!(outs.len(), N);
    println!("took {}", took.as_nanos());
}

fn start(hosts: &Hosts, i: usize) -> Child {
    hosts
        .command(i, &std::env::current_exe().unwrap())
        .env(HOST, "1")
        .env("HYPERNODES_PROCESS", i.to_string())
        .env("HYPERNODES_HOSTS", hosts.addresses(4720).join(","))
        .env("HYPERNODES_WORKERS", "1")
        .env("HYPERNODES_CLUSTER_SECRET", "bench")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// One run on the hosts: the time process 0 measured.
fn run_on(hosts: &Hosts) -> Duration {
    let others: Vec<Child> = (1..HOSTS).map(|i| start(hosts, i)).collect();
    let mut driver = start(hosts, 0);
    let stdout = BufReader::new(driver.stdout.take().unwrap());
    let took = stdout
        .lines()
        .map_while(Result::ok)
        .find_map(|line| {
            line.strip_prefix("took ")
                .map(|n| n.parse::<u64>().unwrap())
        })
        .expect("process 0 printed no time");
    driver.wait().unwrap();
    for mut other in others {
        other.wait().unwrap();
    }
    Duration::from_nanos(took)
}

fn w3_on_hosts(c: &mut Criterion, hosts: &Hosts) {
    let mut group = c.benchmark_group("cluster_hosts");
    group.sample_size(10);
    let (w3, parallel) = (W3::new(), Parallel::new().threads(2));
    batched(
        &mut group,
        "w3_parallel_2",
        || w3_inputs(N),
        |items| w3.with_engine(parallel.clone()).map(items).unwrap(),
    );
    group.bench_function("w3_three_hosts_1_worker_each", |b| {
        b.iter_custom(|iterations| (0..iterations).map(|_| run_on(hosts)).sum())
    });
    group.finish();
}

fn main() {
    if std::env::var_os(HOST).is_some() {
        return host_process();
    }
    let Some(hosts) = Hosts::make(HOSTS, "bench") else {
        return;
    };
    let mut criterion = Criterion::default().configure_from_args();
    w3_on_hosts(&mut criterion, &hosts);
    criterion.final_summary();
}
