//! Process 0's side of a cluster: it starts the other processes (for `Cluster::local`), holds
//! a control link to each, and runs every run in generations. When a generation fails, every
//! member is told to give it up, each reports how it ended (or is found gone: its link closed
//! or went silent), and the next generation, without the processes gone, sends again every
//! unit left without results. Node calls are therefore at least once; results are taken once.

use std::net::TcpListener;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::auth::Secret;
use super::connect::{self, Member};
use super::control::{Command, Incoming, Link, Report};
use super::generation::{self, Generation, Place};
use super::launch::{self, Launch};
use super::roles::{Driven, Work};
use super::transport::Failure;
use super::wire::Distributed;
use super::{deadline_after, fingerprint, Cluster, EXIT_GRACE};
use crate::collect::Collect;
use crate::hooks::Hooks;

type ControlLink = Link<Command, Report>;

/// The failure of the generation running, if one is: what the control links' readers fail
/// when a process is lost or refuses.
type Current = Arc<Mutex<Option<Failure>>>;

/// Process 0 of a cluster, from its start to its end.
pub struct Driver {
    cluster: Cluster,
    addresses: Vec<String>,
    listener: TcpListener,
    secret: Secret,
    /// The control link to each process still in the cluster, by process index.
    links: Vec<Option<ControlLink>>,
    generations: u64,
    launch: Option<Launch>,
    current: Current,
}

impl Driver {
    /// Starts the other processes (for [`Cluster::local`]) and connects a control link to
    /// every process, by the connect deadline.
    pub fn start(cluster: &Cluster) -> Result<Driver, String> {
        if cluster.process >= cluster.hosts.len() {
            return Err(format!(
                "process index {} is not below the {} processes listed",
                cluster.process,
                cluster.hosts.len()
            ));
        }
        let deadline = deadline_after(cluster.connect_timeout);
        let mut launched = None;
        let (addresses, listener, secret) = if cluster.launch && cluster.hosts.len() > 1 {
            let ports = launch::free_ports(cluster.hosts.len())?;
            let secret = cluster.secret.clone().unwrap_or_else(Secret::random);
            launched = Some(Launch::start(
                &ports.addresses,
                cluster.workers,
                (cluster.connect_timeout, cluster.heartbeat_timeout),
                cluster.worker_args.as_deref(),
                &secret,
            )?);
            (ports.addresses, ports.listener, secret)
        } else {
            let secret = cluster.secret_or_loopback()?;
            let listener = TcpListener::bind(&cluster.hosts[0])
                .map_err(|e| format!("cannot listen on {}: {e}", cluster.hosts[0]))?;
            (cluster.hosts.clone(), listener, secret)
        };
        let me = cluster.hello(connect::CONTROL, 0, 0)?;
        let members: Vec<Member> = addresses.iter().cloned().enumerate().collect();
        let mut alive = || launched.as_mut().map_or(Ok(()), Launch::alive);
        let sockets = connect::connect(me, &secret, &members, &listener, deadline, &mut alive)?;
        let current = Current::default();
        let mut links = Vec::with_capacity(sockets.len());
        for (process, socket) in sockets.into_iter().enumerate() {
            links.push(match socket {
                None => None,
                Some(socket) => {
                    let observe = observer(Arc::clone(&current));
                    let link = Link::start(socket, process, cluster.heartbeat_timeout, observe)
                        .map_err(|e| format!("cannot start the control link: {e}"))?;
                    Some(link)
                }
            });
        }
        Ok(Driver {
            cluster: cluster.clone(),
            addresses,
            listener,
            secret,
            links,
            generations: 0,
            launch: launched,
            current,
        })
    }

    /// Every item of `items` through the pipeline of `work`, on the processes still in the
    /// cluster, in as many generations as processes lost along the way need.
    pub fn run<P, H, C, I>(&mut self, work: &Work<'_, P, H>, unit: usize, items: I) -> C::Output
    where
        P: Distributed,
        H: Hooks,
        C: Collect<P::Outputs>,
        I: Iterator<Item = P::Inputs>,
    {
        let mut driven = Driven::<P, C, I>::new(items, unit);
        let mut failed_in_a_row = 0_u32;
        let fatal = loop {
            let generation = self.next_generation(fingerprint::<P>());
            let delivered = driven.delivered();
            let failure = Failure::default();
            let outcome = self.drive(work, &generation, &failure, &mut driven);
            if outcome.is_ok() && driven.complete() {
                break None;
            }
            let reason = outcome
                .err()
                .unwrap_or_else(|| "the run stopped early".into());
            if let Err(refused) = self.recover(&generation, &reason, &mut driven) {
                break Some(refused);
            }
            failed_in_a_row = if driven.delivered() > delivered {
                0
            } else {
                failed_in_a_row + 1
            };
            if driven.complete() {
                break None;
            }
            // Generations that keep failing with nothing delivered (no process lost, say)
            // end the run rather than loop.
            if failed_in_a_row > self.cluster.max_unit_losses + self.addresses.len() as u32 {
                break Some(reason);
            }
        };
        driven.finish(fatal.as_deref())
    }

    /// After `generation` failed with `reason`: every member gives it up, and every unit it
    /// left without results waits for the next, counting a loss when its process was lost
    /// (every unit does when no process was). An error when a member refuses the run.
    fn recover<P, C, I>(
        &mut self,
        generation: &Generation,
        reason: &str,
        driven: &mut Driven<P, C, I>,
    ) -> Result<(), String>
    where
        P: Distributed,
        C: Collect<P::Outputs>,
        I: Iterator<Item = P::Inputs>,
    {
        let settled = self.give_up(generation);
        if let Some(refused) = settled.refused {
            return Err(refused);
        }
        let workers = self.cluster.workers;
        let lost_worker = |worker: usize| {
            let process = generation.members.get(worker / workers);
            settled.lost.is_empty()
                || process.is_some_and(|p| settled.lost.iter().any(|(lost, _)| lost == p))
        };
        let why = match settled.lost.as_slice() {
            [] => reason.to_owned(),
            lost => lost
                .iter()
                .map(|(_, why)| why.as_str())
                .collect::<Vec<_>>()
                .join("; "),
        };
        driven.requeue(lost_worker, self.cluster.max_unit_losses, &why);
        Ok(())
    }

    /// The next generation: process 0 and every process still in the cluster, each told to
    /// join. A process whose link was found gone while the cluster was idle is left out; one
    /// that cannot be told fails the generation as it begins.
    fn next_generation(&mut self, pipeline: u64) -> Generation {
        self.generations += 1;
        for process in 1..self.links.len() {
            let now = Instant::now();
            while let Some(incoming) = self.links[process].as_ref().and_then(|c| c.next_until(now))
            {
                if let Incoming::Gone(_) = incoming {
                    self.leave_out(process);
                }
            }
        }
        let mut members = vec![0];
        members.extend((1..self.links.len()).filter(|&p| self.links[p].is_some()));
        let command = Command::Run {
            generation: self.generations,
            pipeline,
            members: members.iter().map(|&m| m as u64).collect(),
        };
        for &process in &members[1..] {
            let told = self.links[process]
                .as_ref()
                .is_some_and(|link| link.send(&command).is_ok());
            if !told {
                self.leave_out(process);
            }
        }
        Generation {
            number: self.generations,
            pipeline,
            members,
        }
    }

    /// One generation on process 0: failed at once (by the control links' readers) when a
    /// member is lost or refuses.
    fn drive<P, H, C, I>(
        &mut self,
        work: &Work<'_, P, H>,
        generation: &Generation,
        failure: &Failure,
        driven: &mut Driven<P, C, I>,
    ) -> Result<(), String>
    where
        P: Distributed,
        H: Hooks,
        C: Collect<P::Outputs>,
        I: Iterator<Item = P::Inputs>,
    {
        if let Some(gone) = generation
            .members
            .iter()
            .find(|&&process| process != 0 && self.links[process].is_none())
        {
            return Err(format!("process {gone} was lost as the run began"));
        }
        *self.current.lock().unwrap_or_else(PoisonError::into_inner) = Some(failure.clone());
        let place = Place {
            cluster: &self.cluster,
            addresses: &self.addresses,
            listener: &self.listener,
            secret: &self.secret,
        };
        // A member lost while connecting fails the generation through its control link.
        let outcome = generation::drive(work, &place, generation, failure, driven, &mut || Ok(()));
        *self.current.lock().unwrap_or_else(PoisonError::into_inner) = None;
        outcome
    }

    /// Tells every member to give `generation` up and waits until each has reported how it
    /// ended there, or is found gone: its link closed, or silent for the heartbeat timeout.
    fn give_up(&mut self, generation: &Generation) -> Settled {
        let abort = Command::Abort {
            generation: generation.number,
        };
        for &process in &generation.members[1..] {
            if let Some(link) = &self.links[process] {
                let _ = link.send(&abort);
            }
        }
        let deadline = Instant::now() + self.cluster.heartbeat_timeout + Duration::from_secs(1);
        let mut settled = Settled::default();
        for &process in &generation.members[1..] {
            let Some(link) = &self.links[process] else {
                settled
                    .lost
                    .push((process, format!("process {process} was lost")));
                continue;
            };
            let gone = loop {
                match link.next_until(deadline) {
                    Some(Incoming::Message(Report::Finished { generation: g, .. }))
                        if g == generation.number =>
                    {
                        break None
                    }
                    Some(Incoming::Message(
                        Report::Finished { .. } | Report::PartitionDone { .. },
                    )) => continue,
                    Some(Incoming::Message(Report::Refused { reason })) => {
                        settled.refused = Some(reason);
                        break None;
                    }
                    Some(Incoming::Gone(why)) => break Some(why),
                    None => {
                        let why = format!(
                            "process {process} did not give up a failed run within {:.1} s: it was left out",
                            self.cluster.heartbeat_timeout.as_secs_f64()
                        );
                        let _ = link.send(&Command::Leave {
                            reason: why.clone(),
                        });
                        break Some(why);
                    }
                }
            };
            if let Some(why) = gone {
                self.leave_out(process);
                settled.lost.push((process, why));
            }
        }
        settled
    }

    /// How many times a unit (or partition) may lose its process.
    pub fn max_unit_losses(&self) -> u32 {
        self.cluster.max_unit_losses
    }

    /// The processes free to take a partition: process 0 unless `local_busy`, and every
    /// process still in the cluster that is not `busy`.
    pub(super) fn idle_processes(
        &self,
        busy: impl Fn(usize) -> bool,
        local_busy: bool,
    ) -> Vec<usize> {
        let local = (!local_busy).then_some(0);
        let others = (1..self.links.len()).filter(|&p| self.links[p].is_some() && !busy(p));
        local.into_iter().chain(others).collect()
    }

    /// Sends `command` to `process`; `false` (and the process left out) if it is gone.
    pub(super) fn send_to(&mut self, process: usize, command: &Command) -> bool {
        let sent = self.links[process]
            .as_ref()
            .is_some_and(|link| link.send(command).is_ok());
        if !sent {
            self.leave_out(process);
        }
        sent
    }

    /// Every report that has come, by process; `None` for a process found gone (and left
    /// out).
    pub(super) fn poll_reports(&mut self) -> Vec<(usize, Option<Report>)> {
        let mut reports = Vec::new();
        let now = Instant::now();
        for process in 1..self.links.len() {
            while let Some(incoming) = self.links[process].as_ref().and_then(|c| c.next_until(now))
            {
                match incoming {
                    Incoming::Message(report) => reports.push((process, Some(report))),
                    Incoming::Gone(_) => {
                        self.leave_out(process);
                        reports.push((process, None));
                    }
                }
            }
        }
        reports
    }

    /// The cluster goes on without `process`; one this process started is ended too, so that
    /// a frozen one is not left behind.
    fn leave_out(&mut self, process: usize) {
        self.links[process] = None;
        if let Some(launch) = &mut self.launch {
            launch.kill(process);
        }
    }

    /// Ends the cluster: every process still in it is told to end, and those this one
    /// started are waited for (killed after a failure or past the grace period).
    pub fn end(mut self, failed: bool) {
        for link in self.links.iter().flatten() {
            let _ = link.send(&Command::End);
        }
        self.links.clear();
        if let Some(launch) = self.launch.take() {
            launch.finish(failed, EXIT_GRACE);
        }
    }
}

/// How the members of a failed generation ended it.
#[derive(Default)]
struct Settled {
    /// The processes found gone, each with why.
    lost: Vec<(usize, String)>,
    /// Why a member cannot take part in this run at all, if one cannot.
    refused: Option<String>,
}

/// What a control link's reader does as messages come: a lost process or one that refuses
/// the run fails the generation running at once, so that no one waits for it.
fn observer(current: Current) -> impl FnMut(&Incoming<Report>) + Send + 'static {
    move |incoming| {
        let current = current.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(failure) = current.as_ref() else {
            return;
        };
        match incoming {
            Incoming::Gone(why) => failure.set_lost(why.clone()),
            Incoming::Message(Report::Refused { reason }) => failure.set(reason.clone()),
            Incoming::Message(Report::Finished { .. } | Report::PartitionDone { .. }) => {}
        }
    }
}
