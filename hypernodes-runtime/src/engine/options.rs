//! The config methods engines share, written once: an engine lists the ones it offers and gets
//! them as inherent methods (so they need no trait import), each with its doc and example.
//!
//! An engine using this keeps its settings in `config: EngineConfig` and, with `devices`,
//! `devices: Option<Devices>`.

/// `engine_options!(Parallel = "Parallel::new()", [batch_size, max_concurrency, devices])`:
/// the listed methods on `Parallel`, their examples building it with `Parallel::new()`.
macro_rules! engine_options {
    ($engine:ident = $make:literal, [$($option:ident),* $(,)?]) => {
        impl $engine {
            $(engine_options!(@ $option $make);)*
        }
    };
    (@ batch_size $make:literal) => {
        /// Items per unit of work (what a worker takes at once, and what moves between
        /// streaming stages or cluster processes) and per call of batch nodes, unless a node
        /// sets its own `batch_size`. At least 1.
        ///
        /// ```
        /// use hypernodes::engine::Engine;
        #[doc = concat!("let engine = hypernodes::", $make, ".batch_size(100);")]
        /// assert_eq!(engine.settings().config.batch_size, Some(100));
        /// ```
        pub fn batch_size(mut self, items: usize) -> Self {
            self.config.batch_size = Some(items.max(1));
            self
        }
    };
    (@ max_concurrency $make:literal) => {
        /// Most stateful instances, and calls at once, of every node that does not set its
        /// own `max_concurrency` (per process on a cluster; a streaming stage's workers).
        /// At least 1.
        ///
        /// ```
        /// use hypernodes::engine::Engine;
        #[doc = concat!("let engine = hypernodes::", $make, ".max_concurrency(2);")]
        /// assert_eq!(engine.settings().config.max_concurrency, Some(2));
        /// ```
        pub fn max_concurrency(mut self, instances: usize) -> Self {
            self.config.max_concurrency = Some(instances.max(1));
            self
        }
    };
    (@ devices $make:literal) => {
        /// The devices to hand to nodes with `gpus`, instead of the visible ones.
        ///
        /// ```
        /// use hypernodes::engine::Engine;
        /// use hypernodes::engine::Devices;
        #[doc = concat!("let engine = hypernodes::", $make, ".devices(Devices::count(2));")]
        /// assert_eq!(engine.settings().devices.map(|d| d.len()), Some(2));
        /// ```
        pub fn devices(mut self, devices: $crate::devices::Devices) -> Self {
            self.devices = Some(devices);
            self
        }
    };
}

pub(crate) use engine_options;
