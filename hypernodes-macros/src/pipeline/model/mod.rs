//! Model: the nodes, how nested pipelines are used, and the graph with every wiring check.
//! Built once from the parsed input; the emitters in `expand` only read it.

pub mod arms;
pub mod graph;
pub mod node;
pub mod usage;
