//! Runs a pipeline on several processes or hosts, with timely-dataflow as the transport.
//!
//! Every process runs the same binary, so user functions are never sent anywhere: only items
//! and outputs cross processes (encoded with postcard), which is why only they need serde.
//! Process 0 holds the items, sends them in units to every worker of every process, and gets
//! the results back in input order. The other processes serve the run, then exit.
//!
//! A run goes in generations (`generation`): the processes still in the cluster connect and
//! run until every unit has its result; when one is lost, process 0 (`driver`) gives the
//! generation up on every process through its control link (`control`, `member`) and starts
//! the next without it, sending again the units left without results.

mod auth;
mod build;
mod connect;
mod control;
#[cfg(feature = "dataset")]
mod dataset;
mod driver;
mod env;
mod generation;
mod launch;
mod member;
mod partitioned;
mod roles;
mod session;
mod transport;
mod wire;

use std::ffi::OsString;
use std::time::{Duration, Instant};

pub use partitioned::{PartitionRun, Partitioned};
pub use session::{ClusterSession, Serving};
pub use wire::Crosses;

use crate::collect::Collect;
use crate::config::{EngineConfig, RunSettings};
use crate::engine::options::engine_options;
use crate::engine::{Engine, Executes};
use crate::error::Error;
use crate::hooks::Hooks;
use crate::pipeline::Pipeline;
use connect::Hello;
use driver::Driver;
use roles::Work;

/// How long a process may stay silent before it is taken for lost, unless set.
const DEFAULT_HEARTBEAT_TIMEOUT: Duration = Duration::from_secs(30);
/// How many times a unit may lose the process running it before its items fail, unless set.
const DEFAULT_MAX_UNIT_LOSSES: u32 = 3;

/// Units sent and not yet delivered in order, per worker: a worker holds at most two at once
/// (`roles::PER_WORKER`), and this window lets fast workers go on while a slow one finishes
/// the unit the others' results wait behind; few enough to bound memory.
const UNITS_IN_FLIGHT_PER_WORKER: usize = 8;
/// How long process 0 waits for the processes it started to exit after a run.
const EXIT_GRACE: Duration = Duration::from_secs(10);

/// Runs items on every worker of several processes: on this host with
/// [`Cluster::local`], on several hosts with [`Cluster::new`] or [`Cluster::from_env`].
///
/// Items are split in units over all workers of all processes; stateful resources are built
/// once per worker, inside its process; results come back to process 0 in input order. On
/// processes other than 0, `map` serves the run and then ends the process (status 0, or 1
/// after a failure), so code after it runs on process 0 only.
///
/// A process lost during a run loses no item: when a process dies (its connections close) or
/// stops answering (frozen, stopped, its host cut off: process 0 and each process exchange
/// heartbeats, and one silent for the heartbeat timeout, 30 s unless set, is taken for lost),
/// the run goes on without it, and the units it held are sent again to the processes left.
/// Node calls are therefore *at least once* (a unit's items may run again elsewhere, so side
/// effects of nodes may repeat); results are taken *exactly once*. A unit that loses its
/// process more than [`Cluster::max_unit_losses`] times gives its items an
/// [`ErrorKind::Cluster`](crate::ErrorKind::Cluster) error naming the process lost
/// (`map_results` keeps the others). A process left out is ended (those [`Cluster::local`]
/// started are killed; the others end on their own once process 0 stops talking to them).
///
/// Other failures end the run, never hang it: a node's error or panic is that item's error,
/// as on every engine; peers that do not connect before the connect deadline (30 s unless
/// set), or that run another build or lack the secret, fail every item with the reason.
/// Nothing is printed to standard output.
///
/// ```no_run
/// use hypernodes::{node, pipeline, Cluster};
///
/// #[node]
/// fn square(x: u64) -> u64 { x * x }
/// pipeline! { Squares = [square] }
///
/// // Two processes of two workers on this host: process 0 starts process 1.
/// let cluster = Cluster::local(2, 2);
/// let outs = Squares::new().with_engine(cluster).map((0..1000).map(|x| SquaresInputs { x }))?;
/// assert_eq!(outs[999].square, 998_001);
/// # Ok::<(), hypernodes::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Cluster {
    process: usize,
    hosts: Vec<String>,
    workers: usize,
    connect_timeout: Duration,
    heartbeat_timeout: Duration,
    /// Set on process 0 of [`Cluster::local`]: it starts the other processes itself.
    launch: bool,
    worker_args: Option<Vec<OsString>>,
    /// The key every process proves it holds (see [`Cluster::secret`]).
    secret: Option<auth::Secret>,
    max_unit_losses: u32,
    config: EngineConfig,
}

engine_options!(
    Cluster = "Cluster::local(2, 1)",
    [batch_size, max_concurrency]
);

impl Cluster {
    /// Process `process` of a cluster whose processes listen at `hosts` (`host:port`, in
    /// process order), with one worker per core unless [`Cluster::workers`] says otherwise.
    /// Start the same binary on every host, each with its own index.
    ///
    /// ```
    /// use hypernodes::engine::Engine;
    /// use hypernodes::Cluster;
    /// let cluster = Cluster::new(1, ["10.0.0.1:4100", "10.0.0.2:4100"]).workers(8);
    /// assert_eq!(cluster.process_index(), 1);
    /// assert_eq!(cluster.settings().workers, 8);
    /// ```
    pub fn new<S: Into<String>>(process: usize, hosts: impl IntoIterator<Item = S>) -> Self {
        Cluster {
            process,
            hosts: hosts.into_iter().map(Into::into).collect(),
            workers: default_workers(),
            connect_timeout: Duration::from_secs(30),
            heartbeat_timeout: DEFAULT_HEARTBEAT_TIMEOUT,
            launch: false,
            worker_args: None,
            secret: None,
            max_unit_losses: DEFAULT_MAX_UNIT_LOSSES,
            config: EngineConfig::default(),
        }
    }

    /// `processes` processes of `workers` workers on this host. Process 0 (the program as
    /// started) starts the others as copies of the current binary on free loopback ports,
    /// with the same arguments; under `cargo test`, a copy runs only the current test. In a
    /// started copy, the same call returns that copy's place in the cluster.
    ///
    /// ```
    /// use hypernodes::engine::Engine;
    /// use hypernodes::Cluster;
    /// let cluster = Cluster::local(2, 3);
    /// assert_eq!(cluster.processes(), 2);
    /// assert_eq!(cluster.settings().workers, 3);
    /// ```
    pub fn local(processes: usize, workers: usize) -> Self {
        if let Some(started) = env::launched() {
            return started;
        }
        let mut cluster = Cluster::new(0, vec![String::from("127.0.0.1:0"); processes.max(1)]);
        cluster.workers = workers.max(1);
        cluster.launch = true;
        cluster
    }

    /// The cluster described by environment variables, so the program's own command line
    /// stays its own: `HYPERNODES_PROCESS` (this process's index), `HYPERNODES_HOSTS`
    /// (`host:port` list, comma-separated) or `HYPERNODES_HOSTFILE` (one per line),
    /// and optionally `HYPERNODES_WORKERS`, `HYPERNODES_CONNECT_TIMEOUT` (seconds) and
    /// `HYPERNODES_CLUSTER_SECRET` or `HYPERNODES_CLUSTER_SECRET_FILE` (a file whose first line
    /// is the secret; see [`Cluster::secret`], required across hosts).
    ///
    /// ```
    /// use hypernodes::Cluster;
    /// // Without HYPERNODES_PROCESS, it says what is missing.
    /// # std::env::remove_var("HYPERNODES_PROCESS");
    /// let err = Cluster::from_env().unwrap_err();
    /// assert!(err.to_string().contains("HYPERNODES_PROCESS"));
    /// ```
    pub fn from_env() -> Result<Self, Error> {
        env::from_env().map_err(Error::cluster)
    }

    /// The `host:port` lines of a host file, skipping blank lines and `#` comments.
    ///
    /// ```
    /// let path = std::env::temp_dir().join("hypernodes-hostfile-doc.txt");
    /// std::fs::write(&path, "# two hosts\n10.0.0.1:4100\n\n10.0.0.2:4100\n")?;
    /// let hosts = hypernodes::Cluster::read_hostfile(&path)?;
    /// assert_eq!(hosts, ["10.0.0.1:4100", "10.0.0.2:4100"]);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn read_hostfile(path: impl AsRef<std::path::Path>) -> std::io::Result<Vec<String>> {
        Ok(env::hosts_from_lines(&std::fs::read_to_string(path)?))
    }

    /// Workers (threads) per process.
    pub fn workers(mut self, workers: usize) -> Self {
        self.workers = workers.max(1);
        self
    }

    /// How long to wait for every process to connect before the run fails; `Duration::MAX`
    /// waits for ever.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long a process may send no heartbeat before it is taken for lost (30 s unless set;
    /// `HYPERNODES_HEARTBEAT_TIMEOUT` in seconds for [`Cluster::from_env`]). Heartbeats come
    /// from threads of their own, so nodes that compute for longer are not taken for a frozen
    /// process; only a frozen, stopped or unreachable one is.
    ///
    /// ```
    /// use std::time::Duration;
    /// let cluster = hypernodes::Cluster::local(2, 1).heartbeat_timeout(Duration::from_secs(10));
    /// ```
    pub fn heartbeat_timeout(mut self, timeout: Duration) -> Self {
        self.heartbeat_timeout = timeout.max(Duration::from_millis(100));
        self
    }

    /// How many times a unit of items may lose the process running it (the process died,
    /// froze or was cut off) and be sent again to the processes left; past that, its items
    /// fail with [`ErrorKind::Cluster`](crate::ErrorKind::Cluster), naming the process lost.
    /// 3 unless set; 0 sends nothing again.
    ///
    /// ```
    /// let cluster = hypernodes::Cluster::local(3, 1).max_unit_losses(1);
    /// # let _ = cluster;
    /// ```
    pub fn max_unit_losses(mut self, losses: u32) -> Self {
        self.max_unit_losses = losses;
        self
    }

    /// The arguments [`Cluster::local`] starts the other processes with, instead of this
    /// program's own (or the current test's, under `cargo test`).
    pub fn worker_args<S: Into<OsString>>(mut self, args: impl IntoIterator<Item = S>) -> Self {
        self.worker_args = Some(args.into_iter().map(Into::into).collect());
        self
    }

    /// The secret every process of the cluster must hold: each connection proves it, both
    /// ways, without sending it (a keyed hash over both sides' fresh nonces), and a connection
    /// that cannot is turned away. Give every process the same one, here or in
    /// `HYPERNODES_CLUSTER_SECRET` for [`Cluster::from_env`]. Required when any process is on
    /// another host; a cluster on loopback addresses only may go without. [`Cluster::local`]
    /// makes a fresh one for each run and hands it to the processes it starts.
    ///
    /// ```
    /// let cluster = hypernodes::Cluster::new(0, ["10.0.0.1:4100", "10.0.0.2:4100"])
    ///     .secret("a long random string shared by the hosts");
    /// # let _ = cluster;
    /// ```
    pub fn secret(mut self, secret: impl AsRef<[u8]>) -> Self {
        self.secret = Some(auth::Secret::new(secret.as_ref()));
        self
    }

    /// This process's index: 0 holds the items and gets the results.
    pub fn process_index(&self) -> usize {
        self.process
    }

    /// Processes in the cluster.
    pub fn processes(&self) -> usize {
        self.hosts.len()
    }

    /// The secret given, or none for a cluster on loopback addresses only; an error for one
    /// across hosts without a secret.
    fn secret_or_loopback(&self) -> Result<auth::Secret, String> {
        if let Some(secret) = &self.secret {
            return Ok(secret.clone());
        }
        let on_loopback = |host: &String| {
            std::net::ToSocketAddrs::to_socket_addrs(host.as_str())
                .is_ok_and(|mut addresses| addresses.all(|a| a.ip().is_loopback()))
        };
        if self.hosts.iter().all(on_loopback) {
            return Ok(auth::Secret::new(b""));
        }
        Err(format!(
            "a cluster across hosts needs a shared secret, so that no one else can join it: set {} to the same value on every process (or call `Cluster::secret`)",
            env::SECRET
        ))
    }
}

fn default_workers() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// Both ends of every connection check they run the same pipeline: its name and nodes.
fn fingerprint<P: Pipeline>() -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let names = std::iter::once(P::INFO.name).chain(P::INFO.nodes.iter().map(|node| node.name));
    for byte in names.flat_map(|name| name.bytes().chain([0])) {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// Every item fails with `reason`, in order, as far as the collector takes them.
fn fail_all<O, C: Collect<O>>(items: usize, reason: &str) -> C::Output {
    let mut collect = C::with_capacity(items);
    for item in 0..items {
        if !collect.push(Err(Error::cluster(reason.to_owned()).at_item(item))) {
            break;
        }
    }
    C::join(vec![collect])
}

impl Engine for Cluster {
    fn settings(&self) -> RunSettings {
        RunSettings {
            engine: "Cluster",
            workers: self.workers,
            config: self.config.clone(),
            devices: None,
        }
    }
}

impl<P, I, C> Executes<P, I, C> for Cluster
where
    P: Pipeline + Sync,
    P::Shared: Sync,
    P::InputFields: Crosses,
    P::OutputFields: Crosses,
    C: Collect<P::Outputs>,
    I: Iterator<Item = P::Inputs>,
{
    fn run<H: Hooks>(
        &self,
        pipeline: &P,
        shared: &P::Shared,
        hooks: &H,
        unit: usize,
        items: I,
    ) -> C::Output {
        let work = Work {
            pipeline,
            shared,
            hooks,
        };
        if self.process != 0 {
            member::serve(self, &[&work]);
        }
        // Pulled only as units go out, and counted, so that after a failure every item gets
        // its error. (Only process 0 holds items; the others receive encoded units.)
        let pulled = std::cell::Cell::new(0_usize);
        let mut items = items.inspect(|_| pulled.set(pulled.get() + 1));
        match Driver::start(self) {
            Ok(mut driver) => {
                let unit = self.unit_for::<P>(unit, items.size_hint());
                let outputs = driver.run::<P, H, C, _>(&work, unit, items.by_ref());
                driver.end(false);
                outputs
            }
            Err(reason) => {
                let count = pulled.get() + items.count();
                fail_all::<P::Outputs, C>(count, &reason)
            }
        }
    }
}

impl Cluster {
    /// This process's hello on `channel` for generation `generation` of a run of `pipeline`
    /// (0 and 0 on a control link): what every connection's other end checks.
    fn hello(&self, channel: u64, pipeline: u64, generation: u64) -> Result<Hello, String> {
        Ok(Hello {
            process: self.process as u64,
            processes: self.hosts.len() as u64,
            workers: self.workers as u64,
            build: build::fingerprint()?,
            channel,
            pipeline,
            generation,
            nonce: [0, 0],
        })
    }

    /// The unit size of a run: a run of few items (as far as the iterator tells) is cut
    /// finer, so its units reach every worker; batch nodes keep their exact batches.
    fn unit_for<P: Pipeline>(&self, unit: usize, size_hint: (usize, Option<usize>)) -> usize {
        let window = UNITS_IN_FLIGHT_PER_WORKER * self.workers * self.hosts.len();
        match size_hint {
            (_, Some(at_most)) if !P::BATCHED => unit.min(at_most.div_ceil(window)).max(1),
            _ => unit,
        }
    }
}

/// `timeout` from now; a timeout past what the clock can count waits for ever (a century).
fn deadline_after(timeout: Duration) -> Instant {
    let now = Instant::now();
    now.checked_add(timeout)
        .or_else(|| now.checked_add(Duration::from_secs(100 * 365 * 24 * 3600)))
        .unwrap_or(now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_timeout_past_the_clock_waits_for_ever_without_panicking() {
        let far = deadline_after(Duration::MAX);
        assert!(far > Instant::now() + Duration::from_secs(50 * 365 * 24 * 3600));
    }
}

// `map_batch` on a cluster: the batch's rows travel as items.
#[cfg(feature = "arrow")]
crate::arrow::rows_as_items!(Cluster, &ClusterSession);
