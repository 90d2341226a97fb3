//! What a run will do: every node's settings after the config hierarchy, with the level each
//! came from, and how many instances of each stateful resource the engine will build.

use std::fmt;

use crate::config::{ConfigSource, NodeConfig, Setting};
use crate::config::{EngineConfig, RunSettings};
use crate::devices::Devices;
use crate::error::Error;
use crate::info::{NodeKind, PipelineInfo};
use crate::instances::InstanceLayout;

/// A pipeline's plan on one engine: resolved config per node and stateful instances.
///
/// `p.plan()` (the default engine) or `p.with_engine(e).plan()`; it prints as a table.
///
/// ```
/// use hypernodes::config::ConfigSource;
/// use hypernodes::{node, pipeline, Sequential};
///
/// #[node(config(max_retries = 2))]
/// fn double(x: u32) -> u32 { 2 * x }
///
/// pipeline! {
///     #[config(batch_size = 64)]
///     Doubler = [double]
/// }
///
/// let plan = Doubler::new().with_engine(Sequential.batch_size(16)).plan();
/// let node = plan.node("double").unwrap();
/// assert_eq!((node.config.batch_size.value, node.config.batch_size.source), (16, ConfigSource::Engine));
/// assert_eq!(node.config.max_retries.source, ConfigSource::Node);
/// assert!(plan.to_string().contains("double"));
/// ```
#[derive(Clone, Debug)]
pub struct Plan {
    /// The pipeline's name.
    pub pipeline: &'static str,
    /// The engine's name, workers, settings and devices.
    pub settings: RunSettings,
    /// Items per unit of work handed to a worker.
    pub work_unit: Setting<usize>,
    /// The devices for nodes with `gpus` (`None` when no node sets it and the engine was given
    /// none: they are not looked up).
    pub devices: Option<Devices>,
    /// The nodes that run, in run order.
    pub nodes: Vec<NodePlan>,
    /// Every stateful resource with its instances.
    pub stateful: Vec<StatefulPlan>,
    problem: Option<(&'static str, String)>,
}

/// One node in a [`Plan`].
#[derive(Clone, Debug)]
pub struct NodePlan {
    /// The node's name.
    pub name: &'static str,
    /// Function or nested pipeline.
    pub kind: NodeKind,
    /// Called once per batch of items.
    pub batch: bool,
    /// Settings after node > engine > pipeline > built-in.
    pub config: NodeConfig,
    /// Its stateful parameters.
    pub stateful: &'static [&'static str],
    /// The nested pipeline's plan, for a pipeline used as a node.
    pub nested: Option<Box<Plan>>,
    /// For a node in a branch arm, which items run it: `route is Route::Figure`
    /// (see [`PipelineInfo::when`]).
    pub when: Option<String>,
}

/// One stateful resource in a [`Plan`].
#[derive(Clone, Debug)]
pub struct StatefulPlan {
    /// The parameter's name.
    pub name: &'static str,
    /// The nodes using it.
    pub nodes: Vec<&'static str>,
    /// Instances and their devices.
    pub layout: InstanceLayout,
    /// Why there are fewer instances than workers, if there are.
    pub capped_by: Option<&'static str>,
}

impl Plan {
    /// The plan of the pipeline `info` under `settings`.
    pub fn resolve(info: &'static PipelineInfo, settings: &RunSettings) -> Plan {
        let nodes: Vec<NodePlan> = info
            .nodes
            .iter()
            .filter(|node| node.runs)
            .map(|node| NodePlan {
                name: node.name,
                kind: node.kind,
                batch: node.batch,
                config: under_engine(node.config, &settings.config),
                stateful: node.stateful,
                nested: node
                    .nested
                    .map(|nested| Box::new(Plan::resolve(nested, settings))),
                when: info.when(node),
            })
            .collect();
        let wants_devices = nodes.iter().any(|node| node.config.gpus.value > 0);
        let devices = match &settings.devices {
            Some(given) => Some(given.clone()),
            None => wants_devices.then(Devices::visible),
        };
        let mut plan = Plan {
            pipeline: info.name,
            devices,
            work_unit: under_engine(info.config, &settings.config).batch_size,
            settings: settings.clone(),
            stateful: Vec::new(),
            problem: None,
            nodes,
        };
        plan.lay_out_stateful();
        plan.problem = plan.problem.take().or_else(|| {
            plan.nodes
                .iter()
                .filter_map(|node| node.nested.as_ref()?.problem.clone())
                .next()
        });
        plan
    }

    /// The items of one unit of work: the work unit, raised to a multiple of every batch node's
    /// `batch_size` so that each batch is whole (only the run's last batch is short).
    pub fn unit_items(&self) -> usize {
        self.nodes
            .iter()
            .filter(|node| node.batch)
            .map(|node| node.config.batch_size.value.max(1))
            .fold(self.work_unit.value.max(1), lcm)
    }

    /// The node called `name`.
    pub fn node(&self, name: &str) -> Option<&NodePlan> {
        self.nodes.iter().find(|node| node.name == name)
    }

    /// `Err` when the settings cannot be met (e.g. more `gpus` than devices): the run would
    /// fail before any item.
    pub fn check(&self) -> Result<(), Error> {
        match &self.problem {
            Some((node, message)) => Err(Error::config(node, message.clone())),
            None => Ok(()),
        }
    }

    /// The instances of stateful resource `name`.
    #[doc(hidden)]
    pub fn layout(&self, name: &str) -> InstanceLayout {
        self.stateful
            .iter()
            .find(|s| s.name == name)
            .map(|s| s.layout.clone())
            .unwrap_or_else(|| InstanceLayout::per_worker(self.settings.workers))
    }

    /// The worker processes of the `index`-th node in run order, a `use_process` node
    /// registered as `key`: one per place it may run at once, each call bounded by
    /// `timeout_ms` (0: unbounded).
    #[cfg(all(feature = "process", unix))]
    #[doc(hidden)]
    pub fn processes(
        &self,
        index: usize,
        key: &'static str,
        timeout_ms: u64,
    ) -> crate::process::Processes {
        let node = &self.nodes[index];
        let places = node
            .config
            .max_concurrency
            .value
            .unwrap_or(self.settings.workers);
        let timeout = (timeout_ms > 0).then(|| std::time::Duration::from_millis(timeout_ms));
        crate::process::Processes::new(node.name, key, places, timeout)
    }

    /// The plan of the nested pipeline that is the `index`-th node in run order.
    #[doc(hidden)]
    pub fn nested(&self, index: usize) -> &Plan {
        self.nodes[index]
            .nested
            .as_deref()
            .expect("generated code asks only for nested pipelines")
    }

    /// A plan of `nodes` on two workers, for the unit tests of engines.
    #[cfg(test)]
    pub(crate) fn for_test(nodes: Vec<NodePlan>) -> Plan {
        let settings = RunSettings {
            engine: "test",
            workers: 2,
            config: EngineConfig::default(),
            devices: None,
        };
        Plan {
            pipeline: "Test",
            work_unit: crate::config::Setting::new(
                crate::config::DEFAULT_BATCH_SIZE,
                ConfigSource::Default,
            ),
            settings,
            devices: None,
            nodes,
            stateful: Vec::new(),
            problem: None,
        }
    }

    fn lay_out_stateful(&mut self) {
        let mut names: Vec<&'static str> = Vec::new();
        for node in &self.nodes {
            for name in node.stateful {
                if !names.contains(name) {
                    names.push(name);
                }
            }
        }
        for name in names {
            let (plan, problem) = self.stateful_plan(name);
            self.stateful.push(plan);
            self.problem = self.problem.take().or(problem);
        }
    }

    fn stateful_plan(&self, name: &'static str) -> (StatefulPlan, Option<(&'static str, String)>) {
        let workers = self.settings.workers.max(1);
        let users: Vec<&NodePlan> = self
            .nodes
            .iter()
            .filter(|node| node.stateful.contains(&name))
            .collect();
        let cap = users
            .iter()
            .filter_map(|node| node.config.max_concurrency.value)
            .min();
        let gpus = users
            .iter()
            .map(|node| node.config.gpus.value)
            .max()
            .unwrap_or(0);
        let mut count = workers;
        let mut capped_by = None;
        if let Some(cap) = cap.filter(|&cap| cap < count) {
            (count, capped_by) = (cap, Some("max_concurrency"));
        }
        let devices = self.devices.as_ref().map_or(0, Devices::len);
        let mut problem = None;
        if gpus > 0 {
            let fit = devices / gpus as usize;
            if fit == 0 {
                let node = users
                    .iter()
                    .find(|node| node.config.gpus.value == gpus)
                    .map_or(name, |node| node.name);
                problem = Some((
                    node,
                    format!(
                        "`gpus = {gpus}` asks for {gpus} device(s) per instance of `{name}`, \
                         but the devices visible are {}",
                        self.devices.clone().unwrap_or_else(|| Devices::count(0))
                    ),
                ));
            }
            if fit < count {
                (count, capped_by) = (fit.max(1), Some("gpus"));
            }
        }
        let per = gpus as usize;
        let plan = StatefulPlan {
            name,
            nodes: users.iter().map(|node| node.name).collect(),
            layout: InstanceLayout {
                workers,
                devices: (0..count)
                    .map(|i| (i * per..(i + 1) * per).map(|d| d as u32).collect())
                    .collect(),
            },
            capped_by,
        };
        (plan, problem)
    }
}

fn lcm(a: usize, b: usize) -> usize {
    fn gcd(a: usize, b: usize) -> usize {
        if b == 0 {
            a
        } else {
            gcd(b, a % b)
        }
    }
    a / gcd(a, b) * b
}

/// Applies the engine level: it replaces pipeline and built-in values, never a node's own.
fn under_engine(mut config: NodeConfig, engine: &EngineConfig) -> NodeConfig {
    fn set<T>(setting: &mut Setting<T>, value: Option<T>) {
        if let Some(value) = value {
            if setting.source < ConfigSource::Engine {
                *setting = Setting::new(value, ConfigSource::Engine);
            }
        }
    }
    set(&mut config.batch_size, engine.batch_size);
    set(
        &mut config.max_concurrency,
        engine.max_concurrency.map(Some),
    );
    config
}

impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f, 0)
    }
}

impl Plan {
    fn write(&self, f: &mut fmt::Formatter<'_>, depth: usize) -> fmt::Result {
        let pad = "    ".repeat(depth);
        let s = &self.settings;
        writeln!(
            f,
            "{pad}{} on {} ({} worker{}), work unit {} items ({}){}",
            self.pipeline,
            s.engine,
            s.workers,
            if s.workers == 1 { "" } else { "s" },
            self.work_unit.value,
            self.work_unit.source,
            self.devices
                .as_ref()
                .map(|d| format!(", devices {d}"))
                .unwrap_or_default(),
        )?;
        if let Some((node, message)) = &self.problem {
            writeln!(f, "{pad}  cannot run: node `{node}`: {message}")?;
        }
        for (i, node) in self.nodes.iter().enumerate() {
            let batch = if node.batch { " [batch]" } else { "" };
            let when = node
                .when
                .as_ref()
                .map(|when| format!(" (when {when})"))
                .unwrap_or_default();
            writeln!(f, "{pad}  {}. {}{batch}{when}", i + 1, node.name)?;
            writeln!(f, "{pad}       {}", node.config)?;
            if let Some(nested) = &node.nested {
                nested.write(f, depth + 2)?;
            }
        }
        for s in &self.stateful {
            let why = s
                .capped_by
                .map(|by| format!(", capped by {by}"))
                .unwrap_or_default();
            writeln!(
                f,
                "{pad}  stateful `{}` (used by {}): {} instance(s){why}{}",
                s.name,
                s.nodes.join(", "),
                s.layout.count(),
                devices_of(&s.layout),
            )?;
        }
        Ok(())
    }
}

fn devices_of(layout: &InstanceLayout) -> String {
    if layout.devices.iter().all(Vec::is_empty) {
        return String::new();
    }
    let each: Vec<String> = layout.devices.iter().map(|d| format!("{d:?}")).collect();
    format!(", devices {}", each.join(" "))
}
