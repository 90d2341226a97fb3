//! Which optional parts of the runtime a build has. Code for a part the build leaves out is not
//! written at all: tokens the macros do not emit cost nothing to expand, type-check or borrow-check.

/// The optional runtime parts generated code depends on.
#[derive(Clone, Copy, Debug)]
pub struct Features {
    /// Per-node cache keys, lookups and stores, `with_cache`, and each node's code hash.
    pub cache: bool,
    /// The steps of a pipeline without batch or async nodes (only streaming stages run those).
    pub streaming: bool,
    /// The values of each call for hooks that ask for them (`Hooks::VALUES`).
    pub values: bool,
    /// `input_schema`, `output_schema` and `map_batch` (Arrow record batches).
    pub arrow: bool,
    /// `map_dataset` (Parquet and IPC datasets).
    pub dataset: bool,
    /// The `Cluster` engine, which sends items and results between processes.
    pub cluster: bool,
}

impl Features {
    /// The parts of this build: the runtime's features turn on the macros' features of the same
    /// names, so the two crates always agree.
    pub const BUILD: Features = Features {
        cache: cfg!(feature = "cache"),
        streaming: cfg!(feature = "streaming"),
        values: cfg!(feature = "values"),
        arrow: cfg!(feature = "arrow"),
        dataset: cfg!(feature = "dataset"),
        cluster: cfg!(feature = "cluster"),
    };

    /// Every part, whatever this build has: what the golden expansion shows.
    #[cfg(test)]
    pub const ALL: Features = Features {
        cache: true,
        streaming: true,
        values: true,
        arrow: true,
        dataset: true,
        cluster: true,
    };
}
