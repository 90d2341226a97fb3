//! What generated code needs and users never name. Not covered by semver.

mod call;
mod debug;
mod wire;

pub use call::{node_result, run_catching, NodeResult};
pub use debug::{Field, Repr, ViaDebug, ViaTypeName};
pub use hypernodes_macros::{__pipeline_front as pipeline_front, __pipeline_impl as pipeline_impl};
pub use once_cell::sync::OnceCell;
pub use wire::{clone_for, CloneForLaterUse, In, Out, SameInput, SameStateful, Wire};

pub use crate::stateful::{stateful_object, StatefulSlot};
