//! A cluster kept up across runs: its processes are started and connected once, then serve
//! any number of runs, of any of the pipelines named before it started, until process 0 ends
//! it.

use std::cell::RefCell;

use super::driver::Driver;
use super::generation::{self, Generation, Place, Serves};
use super::roles::Work;
use super::transport::Failure;
use super::wire::{Crosses, Distributed};
use super::{fail_all, fingerprint, member, Cluster};
use crate::collect::Collect;
use crate::config::RunSettings;
use crate::engine::{Engine, Executes};
use crate::error::Error;
use crate::hooks::{Hooks, NoHooks};
use crate::info::PipelineInfo;
use crate::pipeline::Pipeline;
use crate::plan::Plan;

/// A [`Cluster`] about to start, with the pipelines its processes will serve: made by
/// [`Cluster::serving`], started by [`Serving::start`].
///
/// ```no_run
/// use hypernodes::{node, pipeline, Cluster};
///
/// #[node] fn square(x: u64) -> u64 { x * x }
/// #[node] fn half(y: u64) -> u64 { y / 2 }
/// pipeline! { Squares = [square] }
/// pipeline! { Halves = [half] }
///
/// let (squares, halves) = (Squares::new(), Halves::new());
/// // On processes other than 0, `start` serves every run, then ends the process.
/// let cluster = Cluster::local(3, 1).serving(&squares).serving(&halves).start()?;
/// let a = squares.with_engine(&cluster).map((0..100).map(|x| SquaresInputs { x }))?;
/// let b = halves.with_engine(&cluster).map(a.iter().map(|o| HalvesInputs { y: o.square }))?;
/// cluster.end();
/// assert_eq!(b[99].half, 4900);
/// # Ok::<(), hypernodes::Error>(())
/// ```
pub struct Serving<'p> {
    cluster: Cluster,
    served: Vec<Box<dyn Served + 'p>>,
}

/// A pipeline value a cluster serves.
trait Served: Serves {
    /// The value's identity (`Plumbing::__hypernodes_identity`).
    fn identity(&self) -> usize;
}

/// One pipeline value as the processes other than 0 serve it: each run builds its shared
/// state from the cluster's settings, as process 0 does; hooks are process 0's only.
struct Registered<'p, P> {
    pipeline: &'p P,
    cluster: Cluster,
}

impl<P: Distributed> Serves for Registered<'_, P> {
    fn pipeline(&self) -> u64 {
        fingerprint::<P>()
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
        let plan = Plan::resolve(&P::INFO, &self.cluster.settings_for(&P::INFO));
        let shared = self.pipeline.__hypernodes_shared(&plan);
        let work = Work {
            pipeline: self.pipeline,
            shared: &shared,
            hooks: &NoHooks,
        };
        generation::serve(&work, place, generation, failure)
    }
}

impl<P: Distributed> Served for Registered<'_, P> {
    fn identity(&self) -> usize {
        self.pipeline.__hypernodes_identity()
    }
}

impl Cluster {
    /// This cluster kept up across runs, serving `pipeline` (and those added with
    /// [`Serving::serving`]): [`Serving::start`] starts and connects its processes once, and
    /// each `map` on it (`p.with_engine(&cluster)`) is a run on the same processes. Every
    /// pipeline value run on it must be named here, before it starts: processes other than
    /// 0 never get past `start`, so they know only these.
    pub fn serving<'p, P>(self, pipeline: &'p P) -> Serving<'p>
    where
        P: Pipeline + Sync,
        P::Shared: Sync,
        P::InputFields: Crosses,
        P::OutputFields: Crosses,
    {
        Serving {
            cluster: self,
            served: Vec::new(),
        }
        .serving(pipeline)
    }
}

impl<'p> Serving<'p> {
    /// Serves `pipeline` too.
    pub fn serving<P>(mut self, pipeline: &'p P) -> Self
    where
        P: Pipeline + Sync,
        P::Shared: Sync,
        P::InputFields: Crosses,
        P::OutputFields: Crosses,
    {
        let cluster = self.cluster.clone();
        self.served.push(Box::new(Registered { pipeline, cluster }));
        self
    }

    /// Starts the cluster. On process 0 it starts the other processes (for
    /// [`Cluster::local`]), connects to every one and returns the running cluster. On the
    /// other processes it serves every run process 0 asks for, then ends the process (status
    /// 0 when process 0 ends the cluster, 1 when it is gone or left this process out), so
    /// code after it runs on process 0 only.
    ///
    /// Two values of one pipeline type cannot both be served (a run names its pipeline by
    /// type): that, or a failure to start, is an [`ErrorKind::Cluster`](crate::ErrorKind::Cluster)
    /// error.
    pub fn start(self) -> Result<ClusterSession, Error> {
        let mut fingerprints: Vec<u64> = self.served.iter().map(|s| s.pipeline()).collect();
        fingerprints.sort_unstable();
        if let Some(twice) = fingerprints.windows(2).find(|pair| pair[0] == pair[1]) {
            let name = self.served.iter().find(|s| s.pipeline() == twice[0]);
            return Err(Error::cluster(format!(
                "pipeline `{}` is served twice: a cluster serves one value of each pipeline type",
                name.map_or("?", |s| s.name())
            )));
        }
        if self.cluster.process != 0 {
            let served: Vec<&dyn Serves> = self.served.iter().map(|s| s.as_ref() as _).collect();
            member::serve(&self.cluster, &served);
        }
        let driver = Driver::start(&self.cluster).map_err(Error::cluster)?;
        let served = self
            .served
            .iter()
            .map(|s| (s.pipeline(), s.identity()))
            .collect();
        Ok(ClusterSession {
            cluster: self.cluster,
            served,
            driver: RefCell::new(Some(driver)),
        })
    }
}

/// A running cluster that serves many runs: use it as the engine of each
/// (`p.with_engine(&cluster).map(items)`), then [`ClusterSession::end`] it (dropping it ends
/// it too). Made by [`Serving::start`]; see [`Serving`] for an example.
///
/// Runs go one at a time; each is a run as on a [`Cluster`], losing no item to a lost
/// process, and a process lost in one run stays out of the next.
pub struct ClusterSession {
    cluster: Cluster,
    /// Each served pipeline's fingerprint and value identity.
    served: Vec<(u64, usize)>,
    /// `None` once ended.
    driver: RefCell<Option<Driver>>,
}

impl ClusterSession {
    /// Ends the cluster: every process still in it ends, and those [`Cluster::local`]
    /// started are waited for (dropping the session does the same).
    pub fn end(self) {
        if let Some(driver) = self.driver.borrow_mut().take() {
            driver.end(false);
        }
    }

    /// Why pipeline value `pipeline` cannot run on this cluster now, if it cannot.
    fn refusal<P: Pipeline>(&self, pipeline: &P) -> Option<String> {
        let identity = pipeline.__hypernodes_identity();
        let fingerprint = fingerprint::<P>();
        match self.served.iter().find(|(f, _)| *f == fingerprint) {
            None => Some(format!(
                "pipeline `{}` is not served by this cluster: name it with `serving` before `start`",
                P::INFO.name
            )),
            Some((_, served)) if *served != identity => Some(format!(
                "this value of pipeline `{}` is not the one the cluster serves (the other processes run the value named with `serving`, so its results could differ): run that value, or a `with_engine` of it",
                P::INFO.name
            )),
            Some(_) => None,
        }
    }
}

impl Drop for ClusterSession {
    fn drop(&mut self) {
        if let Some(driver) = self.driver.get_mut().take() {
            driver.end(std::thread::panicking());
        }
    }
}

impl Engine for &ClusterSession {
    fn settings(&self) -> RunSettings {
        self.cluster.settings()
    }

    fn settings_for(&self, info: &'static PipelineInfo) -> RunSettings {
        self.cluster.settings_for(info)
    }
}

impl<P, I, C> Executes<P, I, C> for &ClusterSession
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
        let refusal = self.refusal(pipeline);
        let mut driver = match (refusal, self.driver.try_borrow_mut()) {
            (Some(why), _) => return fail_all::<P::Outputs, C>(items.count(), &why),
            (None, Err(_)) => {
                let why = "a cluster runs one run at a time: this one is running another";
                return fail_all::<P::Outputs, C>(items.count(), why);
            }
            (None, Ok(driver)) => driver,
        };
        let Some(driver) = driver.as_mut() else {
            let why = "the cluster has ended";
            return fail_all::<P::Outputs, C>(items.count(), why);
        };
        let work = Work {
            pipeline,
            shared,
            hooks,
        };
        let unit = self.cluster.unit_for::<P>(unit, items.size_hint());
        driver.run::<P, H, C, _>(&work, unit, items)
    }
}
