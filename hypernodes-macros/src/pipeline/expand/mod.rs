//! Expand: the emitters that write a pipeline's code from the model, one concern per file.

pub mod arrow;
pub mod body;
pub mod cache;
pub mod codegen;
pub mod columns;
pub mod debug;
pub mod fallback;
pub mod fields;
pub mod framing;
pub mod info;
pub mod names;
pub mod steps;
pub mod surface;
