//! What generated code names and users never do, in one place: only re-exports (the code is in
//! `plumbing` and the modules it belongs to). Not covered by semver.

pub use crate::__hypernodes_if_process as if_process;
pub use crate::__hypernodes_require_async as require_async;
#[cfg(feature = "arrow")]
pub use crate::arrow::arrow_array::RecordBatch;
#[cfg(feature = "arrow")]
pub use crate::arrow::arrow_schema::SchemaRef;
#[cfg(feature = "arrow")]
pub use crate::arrow::{Batches, InputColumns, OutputColumns};
#[cfg(feature = "cache")]
pub use crate::cache::{DiskCache, Key, KeyBuilder};
pub use crate::collect::{Collect, FailFast, KeepAll};
pub use crate::config::RunSettings;
#[cfg(feature = "dataset")]
pub use crate::dataset::{DatasetReport, Datasets, Sink, Source};
pub use crate::hooks::{Hooks, NoHooks, Scope};
pub use crate::instances::{Checkout, Instances, Permit};
pub use crate::map_on::{Built, MapOn};
#[cfg(feature = "arrow")]
pub use crate::pipeline::staged_rows_unit;
pub use crate::pipeline::{staged_unit, Staged};
pub use crate::plan::Plan;
#[cfg(feature = "async")]
pub use crate::plumbing::asynchronous::{block_on, both, guarded, retry_pause, run_all};
pub use crate::plumbing::batch::{batch_values, catching, single_value};
pub use crate::plumbing::blocking::can_block;
pub use crate::plumbing::branch::{merge_column, NOT_REACHED};
#[cfg(feature = "cache")]
pub use crate::plumbing::cached::{cache_lookup, CacheValue, Cacheable, KeyPart, Slot, Store};
pub use crate::plumbing::call::{join, node_result, run_catching, NodeCalls, NodeResult, Running};
pub use crate::plumbing::checkout::checkout;
pub use crate::plumbing::debug::{debug_fields, Field, Repr, ViaDebug, ViaTypeName};
pub use crate::plumbing::hooked::{
    hooked_run, item_end, item_start, nested_end, nested_start, node_end, node_start, node_values,
    wants_values, Clock,
};
pub use crate::plumbing::lent::{InputSlot, Lending, Lent};
pub use crate::plumbing::limiters::Limiters;
pub use crate::plumbing::nested::{
    absent, needs, not_computed, present, present_ref, zip_len, Absent, Arg, OwnedArg,
};
pub use crate::plumbing::protocol::Plumbing;
pub use crate::plumbing::retry::{backoff, clone_for_retry, retrying, CloneForRetry};
pub use crate::plumbing::reuse::{reuse, reuse_column, reuse_column_filled};
pub use crate::plumbing::single::{single_shared, SharedLimits, SingleCell, SingleLimits};
pub use crate::plumbing::wire::{
    clone_for, code_at, code_with, field_of, ArmWire, CloneForLaterUse, FieldWire, In, NodeCode,
    Out, Pick, SameArmOutput, SameInput, SameStateful, Types, Wire, I0, I1, I10, I11, I12, I13,
    I14, I15, I2, I3, I4, I5, I6, I7, I8, I9, TUPLE_TYPES,
};
#[cfg(all(feature = "process", unix))]
pub use crate::process::{serve_node, Isolated, ProcessValue, Processes, WorkerEntry};
pub use hypernodes_macros::{__pipeline_front as pipeline_front, __pipeline_impl as pipeline_impl};
#[cfg(all(feature = "process", unix))]
pub use inventory;
pub use once_cell::sync::OnceCell;

// The public items generated code names, so that it never depends on where the `hypernodes`
// facade shows them to users.
pub use crate::config as settings;
pub use crate::config::{ConfigSource, NodeConfig, Setting};
pub use crate::engine::{Engine, Parallel};
pub use crate::info::{BranchInfo, FieldInfo, NodeInfo, NodeKind, NodeTable, PipelineInfo};
pub use crate::instances::Factory;
pub use crate::runner::Runner;
pub use crate::stateful::WorkerContext;
