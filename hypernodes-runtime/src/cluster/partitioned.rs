//! Partitioned runs: every process reads its own share of the input and writes its own
//! outputs, so no item or result passes through process 0, which only hands out partitions
//! and gathers counts. A partition whose process is lost is run again by another.

use std::time::Duration;

use super::control::{Command, Report};
use super::driver::Driver;
use super::member::{self, RunPartition};
use super::Cluster;
use crate::collect::KeepAll;
use crate::engine::{Executes, Parallel};
use crate::error::{panic_message, BoxError, Error};
use crate::hooks::Hooks;
use crate::pipeline::Pipeline;
use crate::runner::Runner;

/// How one partition of a [`Runner::map_partitioned`] run went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartitionRun {
    /// The partition's index.
    pub partition: usize,
    /// The process that ran it (the last one, if it was run again).
    pub process: usize,
    /// Its items, and how many of them failed (the sink saw each error in its place); or
    /// why the partition could not be run or written: its source or sink failed or panicked,
    /// or it lost its process too often.
    pub outcome: Result<(usize, usize), String>,
}

/// What a [`Runner::map_partitioned`] run did, gathered on process 0: no item or output
/// passed through it.
///
/// ```
/// use hypernodes::cluster::{PartitionRun, Partitioned};
///
/// let report = Partitioned {
///     partitions: vec![
///         PartitionRun { partition: 0, process: 0, outcome: Ok((500, 2)) },
///         PartitionRun { partition: 1, process: 1, outcome: Err("its sink failed".into()) },
///     ],
/// };
/// assert_eq!((report.items(), report.failed(), report.complete()), (500, 2, false));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Partitioned {
    /// Every partition, in order.
    pub partitions: Vec<PartitionRun>,
}

impl Partitioned {
    /// Items run, every partition's.
    pub fn items(&self) -> usize {
        self.partitions
            .iter()
            .filter_map(|run| run.outcome.as_ref().ok())
            .map(|(items, _)| items)
            .sum()
    }

    /// Items whose result was an error.
    pub fn failed(&self) -> usize {
        self.partitions
            .iter()
            .filter_map(|run| run.outcome.as_ref().ok())
            .map(|(_, failed)| failed)
            .sum()
    }

    /// Whether every partition was run and written (items may still have failed).
    pub fn complete(&self) -> bool {
        self.partitions.iter().all(|run| run.outcome.is_ok())
    }
}

impl<P, H> Runner<'_, P, Cluster, H>
where
    P: Pipeline + Sync,
    H: Hooks + Sync,
{
    /// Runs a partitioned input where it lives: the input is cut in as many partitions as
    /// the cluster has processes, and partition `i` is first given to process `i`. The
    /// process running a partition calls `source(i, partitions)` for its items, runs them on
    /// its own workers (as `Parallel` would) and hands every result, in order, to
    /// `sink(i, results)`; only counts reach process 0, which returns them. A partition
    /// whose process is lost is run again on another (its source and sink called again:
    /// write through a temporary name and a rename so a partition written twice is written
    /// once), at most [`Cluster::max_unit_losses`] times.
    ///
    /// Every process calls it with the same closures; on processes other than 0 it serves
    /// the run and then ends the process, as `map` does.
    ///
    /// ```no_run
    /// use hypernodes::{node, pipeline, Cluster};
    ///
    /// #[node] fn square(x: u64) -> u64 { x * x }
    /// pipeline! { Squares = [square] }
    ///
    /// let report = Squares::new()
    ///     .with_engine(Cluster::local(3, 1))
    ///     .map_partitioned(
    ///         // Partition i of n: every n-th number from i.
    ///         |i, n| (i as u64..1_000).step_by(n).map(|x| SquaresInputs { x }),
    ///         |i, results| {
    ///             let sum: u64 = results.iter().flatten().map(|o| o.square).sum();
    ///             std::fs::write(format!("part-{i}.txt"), sum.to_string())?;
    ///             Ok(())
    ///         },
    ///     )?;
    /// assert_eq!((report.items(), report.failed()), (1_000, 0));
    /// # Ok::<(), hypernodes::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Cluster`](crate::ErrorKind::Cluster) when the cluster cannot start; a
    /// partition that could not run is in the report.
    pub fn map_partitioned<S, I, K>(&self, source: S, sink: K) -> Result<Partitioned, Error>
    where
        S: Fn(usize, usize) -> I + Sync,
        I: IntoIterator<Item = P::Inputs>,
        K: Fn(usize, Vec<Result<P::Outputs, Error>>) -> Result<(), BoxError> + Sync,
        Parallel: Executes<P, I::IntoIter, KeepAll<P::Outputs>>,
    {
        let cluster = self.engine();
        let local = Runner::new(self.pipeline(), cluster.local_engine()).with_hooks(self.hooks());
        let run = |partition: usize, partitions: usize| {
            let ran = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let results = local.map_results(source(partition, partitions));
                let counts = (results.len(), results.iter().filter(|r| r.is_err()).count());
                sink(partition, results).map(|()| counts)
            }));
            match ran {
                Ok(Ok(counts)) => Ok(counts),
                Ok(Err(e)) => Err(format!("partition {partition}'s sink failed: {e}")),
                Err(payload) => Err(format!(
                    "partition {partition}'s source or sink panicked: {}",
                    panic_message(payload)
                )),
            }
        };
        cluster.run_partitioned(cluster.processes(), &run)
    }
}

impl Cluster {
    /// Runs `partitions` partitions with `run`: process 0 hands them out and returns the
    /// report; every other process serves them and then ends.
    pub(crate) fn run_partitioned(
        &self,
        partitions: usize,
        run: &RunPartition<'_>,
    ) -> Result<Partitioned, Error> {
        if self.process != 0 {
            member::serve_partitions(self, run);
        }
        let mut driver = Driver::start(self).map_err(Error::cluster)?;
        let report = driver.run_partitions(partitions, run);
        driver.end(false);
        Ok(report)
    }

    /// The engine a partition runs on: this process's workers, with the cluster's settings.
    pub(crate) fn local_engine(&self) -> Parallel {
        let mut engine = Parallel::new().threads(self.workers);
        if let Some(items) = self.config.batch_size {
            engine = engine.batch_size(items);
        }
        if let Some(instances) = self.config.max_concurrency {
            engine = engine.max_concurrency(instances);
        }
        engine
    }
}

/// Where a partition stands on process 0.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Stage {
    Waiting,
    /// Given to this process.
    Running(usize),
    Done,
}

/// How often process 0 looks at its links while partitions run.
const POLL: Duration = Duration::from_millis(1);

impl Driver {
    /// Hands out `partitions` partitions, process `i` first getting partition `i` and then
    /// any left, until each has run; process 0 runs its own on a helper thread. A partition
    /// whose process is lost goes back to the queue.
    pub fn run_partitions(&mut self, partitions: usize, run: &RunPartition<'_>) -> Partitioned {
        let mut stages = vec![Stage::Waiting; partitions];
        let mut losses = vec![0_u32; partitions];
        let mut runs: Vec<PartitionRun> = (0..partitions)
            .map(|partition| PartitionRun {
                partition,
                process: 0,
                outcome: Err("not run".into()),
            })
            .collect();
        std::thread::scope(|scope| {
            let (jobs, to_run) = std::sync::mpsc::channel::<usize>();
            let (ran, results) = std::sync::mpsc::channel();
            let helper = std::thread::Builder::new()
                .name("hypernodes-cluster-partitions".into())
                .spawn_scoped(scope, move || {
                    for partition in to_run {
                        if ran.send((partition, run(partition, partitions))).is_err() {
                            return;
                        }
                    }
                });
            if let Err(e) = helper {
                for run in &mut runs {
                    run.outcome = Err(format!("cannot start a thread: {e}"));
                }
                return;
            }
            let mut local_busy = false;
            while stages.iter().any(|stage| *stage != Stage::Done) {
                // Partitions waiting go to free processes, each first to its own.
                let busy = |process: usize| stages.contains(&Stage::Running(process));
                for process in self.idle_processes(busy, local_busy) {
                    let next = (process < partitions && stages[process] == Stage::Waiting)
                        .then_some(process)
                        .or_else(|| stages.iter().position(|s| *s == Stage::Waiting));
                    let Some(partition) = next else { break };
                    stages[partition] = Stage::Running(process);
                    runs[partition].process = process;
                    if process == 0 {
                        local_busy = jobs.send(partition).is_ok();
                    } else if !self.send_to(
                        process,
                        &Command::Partition {
                            partition: partition as u64,
                            partitions: partitions as u64,
                        },
                    ) {
                        stages[partition] = Stage::Waiting;
                    }
                }
                if let Ok((partition, outcome)) = results.recv_timeout(POLL) {
                    local_busy = false;
                    stages[partition] = Stage::Done;
                    runs[partition].outcome = outcome;
                }
                for (process, report) in self.poll_reports() {
                    match report {
                        Some(Report::PartitionDone { partition, outcome }) => {
                            let partition = partition as usize;
                            if stages.get(partition) == Some(&Stage::Running(process)) {
                                stages[partition] = Stage::Done;
                                runs[partition].outcome = outcome;
                            }
                        }
                        Some(_) => {}
                        None => {
                            // Lost: what it ran waits for another process, or fails.
                            for partition in 0..partitions {
                                if stages[partition] != Stage::Running(process) {
                                    continue;
                                }
                                losses[partition] += 1;
                                if losses[partition] > self.max_unit_losses() {
                                    stages[partition] = Stage::Done;
                                    runs[partition].outcome = Err(format!(
                                        "partition {partition} lost its process {} times, more than the {} allowed; last: process {process} was lost",
                                        losses[partition],
                                        self.max_unit_losses()
                                    ));
                                } else {
                                    stages[partition] = Stage::Waiting;
                                }
                            }
                        }
                    }
                }
            }
        });
        Partitioned { partitions: runs }
    }
}
