//! What generated code needs and users never name. Not covered by semver.

mod batch;
mod call;
mod checkout;
mod debug;
mod hooked;
mod map_on;
mod nested;
mod retry;
mod wire;

pub use crate::engine::RunSettings;
pub use crate::plan::Plan;
pub use call::{node_result, run_catching, NodeResult};
pub use debug::{Field, Repr, ViaDebug, ViaTypeName};
pub use hypernodes_macros::{__pipeline_front as pipeline_front, __pipeline_impl as pipeline_impl};
pub use once_cell::sync::OnceCell;
pub use wire::{clone_for, CloneForLaterUse, In, Out, SameInput, SameStateful, Wire};

pub use crate::hooks::{Hooks, NoHooks, Scope};
pub use batch::{batch_values, catching, single_value};
pub use checkout::checkout;
pub use hooked::{
    hooked_run, item_end, item_start, nested_end, nested_start, node_end, node_start, Clock,
};
pub use map_on::{Built, MapOn};
pub use nested::{absent, needs, present, present_ref, zip_len, Absent, Arg};
pub use retry::{backoff, clone_for_retry, retrying, CloneForRetry};

pub use crate::engine::Collect;
pub use crate::instances::{Checkout, Instances, Limiter, Permit};
