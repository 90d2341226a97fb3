//! The cluster across separate hosts: each host is a network namespace of its own, joined to
//! the others by a bridge inside a fourth namespace (nothing is added to this machine's own
//! network, and traffic goes only to the namespaces' addresses). Each host runs a copy of this
//! test binary with `HYPERNODES_*` variables, as a user starts one binary per host. Making
//! namespaces needs root and iproute2's `ip`: elsewhere each test says it skipped and passes.

#[path = "../benches/common/workloads.rs"]
mod workloads;

use std::io::Read;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use hosts::Hosts;
use hypernodes::Cluster;
use workloads::{w3_inputs, W3};

#[path = "support/hosts.rs"]
mod hosts;

/// One cluster of hosts at a time: the tests' clusters would otherwise share the machine's
/// cores, and the timed ones measure how soon a run recovers from its fault, not how two
/// runs slow each other down.
static ONE_CLUSTER: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn one_cluster_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    ONE_CLUSTER
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Set in the copies this file starts, to the number of W3 items to run.
const ITEMS: &str = "HN_TEST_HOST_ITEMS";

/// W3 items of the second run on the same cluster.
const AGAIN: usize = 500;

/// One host's process: runs W3 twice on the cluster its environment describes, kept up
/// between the runs. Process 0 prints each checksum or the error; the others serve both
/// runs and end when process 0 ends the cluster.
#[test]
fn host_process() {
    let Some(items) = std::env::var_os(ITEMS) else {
        return; // only in a namespace, started by the tests below
    };
    let items: usize = items.to_str().unwrap().parse().unwrap();
    let w3 = W3::new();
    let serving = Cluster::from_env().unwrap_or_else(|e| panic!("{e}"));
    let cluster = match serving.serving(&w3).start() {
        Ok(cluster) => cluster,
        Err(error) => return println!("error {error}"),
    };
    match w3.with_engine(&cluster).map(w3_inputs(items)) {
        Ok(outs) => println!("checksum {}", outs.iter().fold(0, |x, o| x ^ o.h)),
        Err(error) => println!("error {error}"),
    }
    match w3.with_engine(&cluster).map(w3_inputs(AGAIN)) {
        Ok(outs) => println!("again {}", outs.iter().fold(0, |x, o| x ^ o.h)),
        Err(error) => println!("error again {error}"),
    }
    cluster.end();
}

/// Starting one host's process of these tests (the namespaces are shared with the benches;
/// what runs in them is each file's own).
trait StartHost {
    fn start(&self, i: usize, items: usize, secret: &str, extra: &[(&str, &str)]) -> Child;
}

impl StartHost for Hosts {
    /// Starts host `i`'s process of a cluster of every host, `items` W3 items, with `secret`
    /// and extra variables.
    fn start(&self, i: usize, items: usize, secret: &str, extra: &[(&str, &str)]) -> Child {
        self.command(i, &std::env::current_exe().unwrap())
            .args([
                "--exact",
                "host_process",
                "--nocapture",
                "--test-threads=1",
                "-q",
            ])
            .env(ITEMS, items.to_string())
            .env("HYPERNODES_PROCESS", i.to_string())
            .env("HYPERNODES_HOSTS", self.addresses(4710).join(","))
            .env("HYPERNODES_WORKERS", "1")
            .env("HYPERNODES_CONNECT_TIMEOUT", "10")
            .env("HYPERNODES_CLUSTER_SECRET", secret)
            .envs(extra.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    }
}

/// What process 0 printed first (its first run's outcome), when it printed it, and the whole
/// of it, once it ends; a test failure if it runs past `limit`.
fn outcome(mut driver: Child, others: Vec<Child>, limit: Duration) -> (String, Duration, String) {
    let start = Instant::now();
    loop {
        if driver.try_wait().unwrap().is_some() {
            break;
        }
        if start.elapsed() > limit {
            let _ = driver.kill();
            for mut other in others {
                let _ = other.kill();
                let _ = other.wait();
            }
            panic!("the run hung past {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let took = start.elapsed();
    let mut printed = String::new();
    let mut stdout = driver.stdout.take().unwrap();
    stdout.read_to_string(&mut printed).unwrap();
    // The test harness prints around it: the line this file's `host_process` printed.
    let said = printed
        .lines()
        .find(|line| line.starts_with("checksum ") || line.starts_with("error "))
        .unwrap_or_else(|| panic!("process 0 printed no outcome: {printed}"))
        .to_owned();
    for mut other in others {
        // The others end with the run (or its failure) on their own.
        let deadline = Instant::now() + Duration::from_secs(30);
        while other.try_wait().unwrap().is_none() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = other.kill();
        let _ = other.wait();
    }
    (said, took, printed)
}

/// The line a second run on the same cluster gives when it has every item.
fn again() -> String {
    format!("again {}", checksum(AGAIN))
}

fn checksum(items: usize) -> u64 {
    W3::new()
        .map(w3_inputs(items))
        .unwrap()
        .iter()
        .fold(0, |x, o| x ^ o.h)
}

#[test]
fn w3_on_three_hosts_gives_the_checksum_of_one() {
    let _one = one_cluster_at_a_time();
    let Some(hosts) = Hosts::make(3, "w3_on_three_hosts") else {
        return;
    };
    let items = 3_000;
    let others = (1..3)
        .map(|i| hosts.start(i, items, "s3cret", &[]))
        .collect();
    let driver = hosts.start(0, items, "s3cret", &[]);
    let (said, _, printed) = outcome(driver, others, Duration::from_secs(120));
    assert_eq!(said, format!("checksum {}", checksum(items)));
    assert!(printed.lines().any(|line| line == again()), "{printed}");
}

#[test]
fn a_host_with_the_wrong_secret_is_refused() {
    let _one = one_cluster_at_a_time();
    let Some(hosts) = Hosts::make(3, "wrong_secret") else {
        return;
    };
    let short = [("HYPERNODES_CONNECT_TIMEOUT", "4")];
    let others = vec![
        hosts.start(1, 100, "s3cret", &short),
        hosts.start(2, 100, "a guess", &short),
    ];
    let driver = hosts.start(0, 100, "s3cret", &short);
    let (said, _, _) = outcome(driver, others, Duration::from_secs(60));
    assert!(said.starts_with("error "), "{said}");
    assert!(said.contains("process 2"), "{said}");
    assert!(said.contains("secret"), "{said}");
}

/// Long enough a run that the fault lands in the middle of it (about 3 s on three hosts in
/// release, about 4 s in a debug build), short enough that the hosts left finish it soon.
const LONG_RUN: usize = if cfg!(debug_assertions) {
    15_000
} else {
    100_000
};

/// Waits until the fault is due, making sure process 0 is still running then: a run that
/// ended before its fault would prove nothing.
fn before_the_fault(driver: &mut Child) {
    std::thread::sleep(Duration::from_millis(1_500));
    assert!(
        driver.try_wait().unwrap().is_none(),
        "the run ended before the fault: make LONG_RUN longer"
    );
}

/// Before units were sent again, the run ended with an error naming the host; now it
/// completes on the hosts left, once the silent one is found out (the heartbeat timeout).
#[test]
fn a_host_whose_link_goes_down_is_left_out_and_the_run_completes_within_seconds() {
    let _one = one_cluster_at_a_time();
    let Some(hosts) = Hosts::make(3, "link_down") else {
        return;
    };
    let beats = [("HYPERNODES_HEARTBEAT_TIMEOUT", "2")];
    let others = (1..3)
        .map(|i| hosts.start(i, LONG_RUN, "s3cret", &beats))
        .collect();
    let mut driver = hosts.start(0, LONG_RUN, "s3cret", &beats);
    before_the_fault(&mut driver);
    hosts.unplug(2);
    let (said, took, printed) = outcome(driver, others, Duration::from_secs(60));
    assert_eq!(said, format!("checksum {}", checksum(LONG_RUN)));
    assert!(took < Duration::from_secs(20), "{took:?}");
    // The next run on the same cluster goes on without the host lost.
    assert!(printed.lines().any(|line| line == again()), "{printed}");
}

/// Before units were sent again, the killed host's items were errors.
#[test]
fn a_host_killed_mid_run_loses_no_item() {
    let _one = one_cluster_at_a_time();
    let Some(hosts) = Hosts::make(3, "killed") else {
        return;
    };
    let mut others: Vec<Child> = (1..3)
        .map(|i| hosts.start(i, LONG_RUN, "s3cret", &[]))
        .collect();
    let mut driver = hosts.start(0, LONG_RUN, "s3cret", &[]);
    before_the_fault(&mut driver);
    others[0].kill().unwrap(); // SIGKILL to host 1's process
    let (said, took, printed) = outcome(driver, others, Duration::from_secs(60));
    assert_eq!(said, format!("checksum {}", checksum(LONG_RUN)));
    assert!(took < Duration::from_secs(20), "{took:?}");
    // The next run on the same cluster goes on without the host lost.
    assert!(printed.lines().any(|line| line == again()), "{printed}");
}
