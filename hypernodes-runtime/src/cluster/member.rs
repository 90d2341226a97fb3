//! A process other than 0, for the cluster's whole life: it connects its control link to
//! process 0, then joins every generation it is asked to, running the pipeline named from
//! those it serves, and reports how each ended. It ends when process 0 ends the cluster,
//! leaves it out, or is gone (its link closed or silent for the heartbeat timeout): a process
//! is never left behind its driver.

use std::net::TcpListener;
use std::sync::{Arc, Mutex, PoisonError};

use super::connect::{self, Member};
use super::control::{Command, Incoming, Link, Report};
use super::generation::{Generation, Place, Serves};
use super::transport::Failure;
use super::{deadline_after, env, Cluster};

/// Runs one partition of a partitioned run on this process: its items from the source,
/// through the pipeline on this process's workers, their results to the sink. Items and
/// failures, or why not.
pub type RunPartition<'a> = dyn Fn(usize, usize) -> Result<(usize, usize), String> + Sync + 'a;

/// What the control link's reader knows of this process's state.
#[derive(Default)]
struct State {
    /// The generation running and its failure, if one is.
    current: Option<(u64, Failure)>,
    /// Process 0 has ended the cluster: its link closing next is no loss.
    ending: bool,
}

/// Serves the cluster's runs of `pipelines` until process 0 ends it, then ends this process
/// (status 0, or 1 after a failure, told on standard error).
pub fn serve(cluster: &Cluster, pipelines: &[&dyn Serves]) -> ! {
    let outcome = serve_until_the_end(cluster, pipelines, None);
    env::exit_after_serving(cluster.process, outcome)
}

/// Serves the partitions of a partitioned run process 0 gives this process, running each
/// with `run`, until process 0 ends the cluster; then ends this process.
pub fn serve_partitions(cluster: &Cluster, run: &RunPartition<'_>) -> ! {
    let outcome = serve_until_the_end(cluster, &[], Some(run));
    env::exit_after_serving(cluster.process, outcome)
}

fn serve_until_the_end(
    cluster: &Cluster,
    pipelines: &[&dyn Serves],
    partitions: Option<&RunPartition<'_>>,
) -> Result<(), String> {
    let process = cluster.process;
    let address = cluster.hosts.get(process).ok_or_else(|| {
        format!(
            "process index {process} is not below the {} processes listed",
            cluster.hosts.len()
        )
    })?;
    let listener =
        TcpListener::bind(address).map_err(|e| format!("cannot listen on {address}: {e}"))?;
    let secret = cluster.secret_or_loopback()?;
    let me = cluster.hello(connect::CONTROL, 0, 0)?;
    let members: Vec<Member> = vec![(0, cluster.hosts[0].clone()), (process, address.clone())];
    let deadline = deadline_after(cluster.connect_timeout);
    let mut sockets = connect::connect(me, &secret, &members, &listener, deadline, &mut || Ok(()))?;
    let socket = sockets[0].take().ok_or("no control link to process 0")?;
    let state = Arc::new(Mutex::new(State::default()));
    let link = Link::<Report, Command>::start(
        socket,
        0,
        cluster.heartbeat_timeout,
        observer(process, Arc::clone(&state)),
    )
    .map_err(|e| format!("cannot start the control link: {e}"))?;
    let place = Place {
        cluster,
        addresses: &cluster.hosts,
        listener: &listener,
        secret: &secret,
    };
    loop {
        let (number, pipeline, members) = match link.next() {
            Incoming::Message(Command::Run {
                generation,
                pipeline,
                members,
            }) => (generation, pipeline, members),
            Incoming::Message(Command::Partition {
                partition,
                partitions: count,
            }) => {
                let outcome = match partitions {
                    Some(run) => run(partition as usize, count as usize),
                    None => Err(format!(
                        "process {process} was asked for a partition, but serves a run of another kind"
                    )),
                };
                link.send(&Report::PartitionDone { partition, outcome })?;
                continue;
            }
            Incoming::Message(Command::Abort { .. }) => continue,
            Incoming::Message(Command::End) => return Ok(()),
            Incoming::Message(Command::Leave { reason }) => return Err(reason),
            Incoming::Gone(why) => return Err(format!("process 0 is gone: {why}")),
        };
        let Some(serves) = pipelines.iter().find(|s| s.pipeline() == pipeline) else {
            let served: Vec<&str> = pipelines.iter().map(|s| s.name()).collect();
            link.send(&Report::Refused {
                reason: format!(
                    "process {process} was asked to run a pipeline it does not serve (it serves {}): every process must serve every pipeline process 0 runs",
                    served.join(", ")
                ),
            })?;
            continue;
        };
        let generation = Generation {
            number,
            pipeline,
            members: members.iter().map(|&m| m as usize).collect(),
        };
        let failure = Failure::default();
        lock(&state).current = Some((number, failure.clone()));
        let outcome = serves.serve(&place, &generation, &failure);
        lock(&state).current = None;
        link.send(&Report::Finished {
            generation: number,
            failure: outcome.err(),
        })?;
    }
}

fn lock(state: &Mutex<State>) -> std::sync::MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

/// What the control link's reader does as commands come: a generation process 0 gives up
/// is failed at once; when process 0 is gone, this process ends at once, even while a node
/// computes.
fn observer(
    process: usize,
    state: Arc<Mutex<State>>,
) -> impl FnMut(&Incoming<Command>) + Send + 'static {
    move |incoming| {
        let mut state = lock(&state);
        match incoming {
            Incoming::Message(Command::Abort { generation }) => {
                if let Some((current, failure)) = &state.current {
                    if current == generation {
                        failure.set(format!("process 0 gave up run generation {generation}"));
                    }
                }
            }
            Incoming::Message(Command::End | Command::Leave { .. }) => {
                state.ending = true;
                if let Some((_, failure)) = &state.current {
                    failure.set("process 0 ended the cluster".into());
                }
            }
            Incoming::Message(Command::Run { .. } | Command::Partition { .. }) => {}
            Incoming::Gone(why) if !state.ending => {
                drop(state);
                env::exit_after_serving(
                    process,
                    Err(format!("process 0 is gone, so this process ends: {why}")),
                );
            }
            Incoming::Gone(_) => {}
        }
    }
}
