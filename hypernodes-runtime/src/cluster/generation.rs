//! One generation of a run: the processes process 0 names as its members connect to each
//! other, start timely's network among themselves and run their workers until the run is
//! over everywhere or the generation has failed. A process lost in one generation leaves the
//! members of the next, which sends again the units it held.

use std::net::TcpListener;

use super::auth::Secret;
use super::connect::{self, Member};
use super::roles::{Driven, Work};
use super::transport::{self, guarded, Failure, Network, TcpBuilder, Transport};
use super::wire::Distributed;
use super::{deadline_after, Cluster};
use crate::collect::{Collect, KeepAll};
use crate::hooks::Hooks;
use crate::pipeline::Pipeline;

/// What a process knows of its cluster, for every generation it joins.
pub struct Place<'c> {
    pub cluster: &'c Cluster,
    /// Every process's `host:port`, by process index.
    pub addresses: &'c [String],
    /// This process's listener, open for the cluster's life.
    pub listener: &'c TcpListener,
    pub secret: &'c Secret,
}

/// Which run a generation belongs to, and who takes part.
#[derive(Clone, Debug)]
pub struct Generation {
    /// Unique in the cluster's life.
    pub number: u64,
    /// The fingerprint of the pipeline it runs.
    pub pipeline: u64,
    /// Process indices, in timely's order (process 0 first).
    pub members: Vec<usize>,
}

impl Generation {
    /// Connects to the other members and starts the network; `alive` is asked while
    /// waiting for them.
    pub fn connect(
        &self,
        place: &Place<'_>,
        failure: &Failure,
        alive: &mut dyn FnMut() -> Result<(), String>,
    ) -> Result<(Vec<TcpBuilder>, Network), String> {
        let cluster = place.cluster;
        let me = cluster.hello(connect::DATA, self.pipeline, self.number)?;
        let members: Vec<Member> = self
            .members
            .iter()
            .map(|&process| (process, place.addresses[process].clone()))
            .collect();
        let deadline = deadline_after(cluster.connect_timeout);
        let mut alive = || match failure.reason() {
            Some(reason) => Err(reason),
            None => alive(),
        };
        let sockets = connect::connect(
            me,
            place.secret,
            &members,
            place.listener,
            deadline,
            &mut alive,
        )?;
        let position = self.position(cluster.process).ok_or("not a member")?;
        transport::network(sockets, &self.members, position, cluster.workers, failure)
    }

    /// Where process `process` stands among the members.
    pub fn position(&self, process: usize) -> Option<usize> {
        self.members.iter().position(|member| *member == process)
    }

    /// Workers in the generation, every member's.
    pub fn workers(&self, per_process: usize) -> usize {
        self.members.len() * per_process
    }
}

/// A pipeline's serving code on a process other than 0, chosen by its fingerprint when
/// process 0 asks for a run.
pub trait Serves {
    /// The pipeline's fingerprint (see `super::fingerprint`).
    fn pipeline(&self) -> u64;
    /// The pipeline's name, for errors.
    fn name(&self) -> &'static str;
    /// Serves one generation of a run of it.
    fn serve(
        &self,
        place: &Place<'_>,
        generation: &Generation,
        failure: &Failure,
    ) -> Result<(), String>;
}

impl<P, H> Serves for Work<'_, P, H>
where
    P: Distributed,
    H: Hooks,
{
    fn pipeline(&self) -> u64 {
        super::fingerprint::<P>()
    }

    fn name(&self) -> &'static str {
        P::INFO.name
    }

    fn serve(
        &self,
        place: &Place<'_>,
        generation: &Generation,
        failure: &Failure,
    ) -> Result<(), String> {
        serve(self, place, generation, failure)
    }
}

/// What a serving process would drive, were it process 0: nothing.
type Undriven<P> =
    Driven<P, KeepAll<<P as Pipeline>::Outputs>, std::iter::Empty<<P as Pipeline>::Inputs>>;

/// Serves a generation on a process other than 0: connects, runs its workers until the run
/// is over everywhere or has failed, and closes the network.
pub fn serve<P: Distributed, H: Hooks>(
    work: &Work<'_, P, H>,
    place: &Place<'_>,
    generation: &Generation,
    failure: &Failure,
) -> Result<(), String> {
    // Nothing is driven here, so any collector and input type will do.
    let none: Option<(&mut Undriven<P>, usize)> = None;
    take_part(work, place, generation, failure, none, &mut || Ok(()))
}

/// Process 0's side of a generation: connects, drives `driven` with its workers until every
/// unit has its result or the generation has failed, and closes the network.
pub fn drive<P, H, C, I>(
    work: &Work<'_, P, H>,
    place: &Place<'_>,
    generation: &Generation,
    failure: &Failure,
    driven: &mut Driven<P, C, I>,
    alive: &mut dyn FnMut() -> Result<(), String>,
) -> Result<(), String>
where
    P: Distributed,
    H: Hooks,
    C: Collect<P::Outputs>,
    I: Iterator<Item = P::Inputs>,
{
    let window = super::UNITS_IN_FLIGHT_PER_WORKER * generation.workers(place.cluster.workers);
    take_part(
        work,
        place,
        generation,
        failure,
        Some((driven, window)),
        alive,
    )
}

/// Connects to the other members, runs this process's workers (driving on process 0) and
/// closes the network; the generation's failure, if it failed anywhere here.
fn take_part<P, H, C, I>(
    work: &Work<'_, P, H>,
    place: &Place<'_>,
    generation: &Generation,
    failure: &Failure,
    drive: Option<(&mut Driven<P, C, I>, usize)>,
    alive: &mut dyn FnMut() -> Result<(), String>,
) -> Result<(), String>
where
    P: Distributed,
    H: Hooks,
    C: Collect<P::Outputs>,
    I: Iterator<Item = P::Inputs>,
{
    let (builders, network) = generation.connect(place, failure, alive)?;
    let ran = run_workers(work, builders, failure, drive);
    let failed = failure.reason().is_some() || ran.is_err();
    network.close(failed);
    match failure.reason() {
        Some(reason) => Err(reason),
        None => ran,
    }
}

/// This process's workers of a generation: every local worker but the first serves units on
/// a thread of its own; the first drives on the calling thread when `drive` is given (on
/// process 0), or serves too.
fn run_workers<P, H, C, I>(
    work: &Work<'_, P, H>,
    builders: Vec<TcpBuilder>,
    failure: &Failure,
    drive: Option<(&mut Driven<P, C, I>, usize)>,
) -> Result<(), String>
where
    P: Distributed,
    H: Hooks,
    C: Collect<P::Outputs>,
    I: Iterator<Item = P::Inputs>,
{
    let mut builders = builders.into_iter();
    let first = builders.next().ok_or("no worker")?;
    std::thread::scope(|scope| {
        for (local, builder) in builders.enumerate() {
            let name = format!("hypernodes-cluster-w{}", local + 1);
            let serve = move || {
                let served = guarded(|| work.serve(Transport::new(builder), local + 1, failure));
                if let Err(reason) = served {
                    failure.set(reason);
                }
            };
            if let Err(e) = std::thread::Builder::new()
                .name(name)
                .spawn_scoped(scope, serve)
            {
                failure.set(format!("cannot start a worker thread: {e}"));
            }
        }
        let ran = match drive {
            Some((driven, window)) => {
                guarded(|| work.drive(Transport::new(first), failure, driven, window))
            }
            None => guarded(|| work.serve(Transport::new(first), 0, failure)),
        };
        if let Err(reason) = &ran {
            failure.set(reason.clone());
        }
        ran
    })
}
