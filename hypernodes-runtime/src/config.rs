//! Per-node execution settings and where each value came from.
//!
//! `pipeline!` resolves every key at compile time through the hierarchy
//! node `config(..)` > engine (run time) > pipeline `#[config(..)]` > built-in default,
//! and records the level each value came from so a plan can show it.
//!
//! ```
//! use hypernodes::config::ConfigSource;
//! use hypernodes::{node, pipeline, Parallel};
//!
//! #[node(config(batch_size = 8))]
//! fn double(x: u64) -> u64 { 2 * x }
//! #[node]
//! fn plus_one(double: u64) -> u64 { double + 1 }
//! pipeline! { Chain = [double, plus_one] }
//!
//! let plan = Chain::new().with_engine(Parallel::new().batch_size(64)).plan();
//! let batch = |node: usize| plan.nodes[node].config.batch_size;
//! assert_eq!((batch(0).value, batch(0).source), (8, ConfigSource::Node));
//! assert_eq!((batch(1).value, batch(1).source), (64, ConfigSource::Engine));
//! ```

use std::fmt;

use crate::devices::Devices;

/// Built-in default for `batch_size`: the executor's unit of work and a batch node's batch.
///
/// ```
/// assert_eq!(hypernodes::config::NodeConfig::BUILTIN.batch_size.value, hypernodes::config::DEFAULT_BATCH_SIZE);
/// ```
pub const DEFAULT_BATCH_SIZE: usize = 1024;
/// Built-in default for `max_retries`: no retry.
///
/// ```
/// assert_eq!(hypernodes::config::NodeConfig::BUILTIN.max_retries.value, hypernodes::config::DEFAULT_MAX_RETRIES);
/// ```
pub const DEFAULT_MAX_RETRIES: u32 = 0;
/// Built-in default for `gpus`: no device.
///
/// ```
/// assert_eq!(hypernodes::config::NodeConfig::BUILTIN.gpus.value, hypernodes::config::DEFAULT_GPUS);
/// ```
pub const DEFAULT_GPUS: u32 = 0;

/// The level of the config hierarchy a setting was taken from, strongest first.
///
/// ```
/// use hypernodes_runtime::ConfigSource;
/// assert!(ConfigSource::Node > ConfigSource::Pipeline);
/// assert_eq!(ConfigSource::Default.to_string(), "built-in default");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ConfigSource {
    /// The built-in default.
    Default,
    /// The pipeline's `#[config(..)]`.
    Pipeline,
    /// The engine chosen at run time.
    Engine,
    /// The node's own `config(..)`.
    Node,
}

impl fmt::Display for ConfigSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ConfigSource::Default => "built-in default",
            ConfigSource::Pipeline => "pipeline #[config]",
            ConfigSource::Engine => "engine",
            ConfigSource::Node => "node config",
        })
    }
}

/// One resolved value and the level it came from.
///
/// ```
/// use hypernodes_runtime::{ConfigSource, Setting};
/// let s = Setting::new(2048_usize, ConfigSource::Pipeline);
/// assert_eq!((s.value, s.source), (2048, ConfigSource::Pipeline));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Setting<T> {
    /// The value in force.
    pub value: T,
    /// Where it was set.
    pub source: ConfigSource,
}

impl<T> Setting<T> {
    /// A value taken from `source`.
    ///
    /// ```
    /// use hypernodes::config::{ConfigSource, Setting};
    /// assert_eq!(Setting::new(3_u32, ConfigSource::Engine).value, 3);
    /// ```
    pub const fn new(value: T, source: ConfigSource) -> Self {
        Setting { value, source }
    }
}

/// A node's resolved settings.
///
/// ```
/// use hypernodes_runtime::{ConfigSource, NodeConfig};
/// let c = NodeConfig::BUILTIN;
/// assert_eq!(c.batch_size.value, hypernodes_runtime::config::DEFAULT_BATCH_SIZE);
/// assert_eq!(c.max_concurrency.value, None); // as many instances as the engine has workers
/// assert_eq!(c.max_retries.source, ConfigSource::Default);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NodeConfig {
    /// Items per unit of work; the exact batch of a batch node.
    pub batch_size: Setting<usize>,
    /// Most instances of the node (and its stateful resources) at once; `None`: one per worker.
    pub max_concurrency: Setting<Option<usize>>,
    /// Run the node's calls in worker processes.
    pub use_process: Setting<bool>,
    /// Devices assigned to each instance of the node's stateful resources.
    pub gpus: Setting<u32>,
    /// Retries after a failed or panicking call.
    pub max_retries: Setting<u32>,
}

impl NodeConfig {
    /// Every key at its built-in default.
    ///
    /// ```
    /// let builtin = hypernodes::config::NodeConfig::BUILTIN;
    /// assert_eq!(builtin.max_concurrency.value, None);
    /// ```
    pub const BUILTIN: NodeConfig = NodeConfig {
        batch_size: Setting::new(DEFAULT_BATCH_SIZE, ConfigSource::Default),
        max_concurrency: Setting::new(None, ConfigSource::Default),
        use_process: Setting::new(false, ConfigSource::Default),
        gpus: Setting::new(DEFAULT_GPUS, ConfigSource::Default),
        max_retries: Setting::new(DEFAULT_MAX_RETRIES, ConfigSource::Default),
    };
}

impl fmt::Display for NodeConfig {
    /// One line: `batch_size=1024 (built-in default), max_concurrency=2 (node config), ...`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let concurrency = match self.max_concurrency.value {
            Some(n) => n.to_string(),
            None => "workers".to_owned(),
        };
        write!(
            f,
            "batch_size={} ({}), max_concurrency={} ({}), use_process={} ({}), gpus={} ({}), max_retries={} ({})",
            self.batch_size.value,
            self.batch_size.source,
            concurrency,
            self.max_concurrency.source,
            self.use_process.value,
            self.use_process.source,
            self.gpus.value,
            self.gpus.source,
            self.max_retries.value,
            self.max_retries.source,
        )
    }
}

/// The engine level of the config hierarchy: settings given at run time, above the pipeline's
/// `#[config]` and below each node's own `config(..)`.
///
/// ```
/// use hypernodes::engine::Engine;
/// use hypernodes::Parallel;
/// let engine = Parallel::new().batch_size(512).max_concurrency(2);
/// assert_eq!(engine.settings().config.batch_size, Some(512));
/// assert_eq!(engine.settings().config.max_concurrency, Some(2));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EngineConfig {
    /// Items per unit of work, and the batch of batch nodes without their own `batch_size`.
    pub batch_size: Option<usize>,
    /// Most instances (and calls at once) of every node without its own `max_concurrency`.
    pub max_concurrency: Option<usize>,
}

/// What a run needs from its engine: its name, worker count, settings and devices.
///
/// ```
/// use hypernodes::engine::Engine;
/// let settings = hypernodes::Parallel::new().threads(3).settings();
/// assert_eq!((settings.engine, settings.workers), ("Parallel", 3));
/// ```
#[derive(Clone, Debug)]
pub struct RunSettings {
    /// The engine's name, for plans.
    pub engine: &'static str,
    /// Workers running items at once.
    pub workers: usize,
    /// Engine-level config.
    pub config: EngineConfig,
    /// Devices for nodes with `gpus`, when given to the engine; otherwise the visible ones are
    /// looked up (only if a node sets `gpus`).
    pub devices: Option<Devices>,
}

impl RunSettings {
    /// The settings of a single-item `run`: one worker, no engine config, visible devices.
    ///
    /// ```
    /// assert_eq!(hypernodes::config::RunSettings::single().workers, 1);
    /// ```
    pub fn single() -> Self {
        RunSettings {
            engine: "run",
            workers: 1,
            config: EngineConfig::default(),
            devices: None,
        }
    }
}
