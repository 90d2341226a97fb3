//! What generated code calls and users never name: written here, re-exported by `__private`.

#[cfg(feature = "async")]
pub mod asynchronous;
pub mod batch;
pub mod blocking;
pub mod branch;
#[cfg(feature = "cache")]
pub mod cached;
pub mod call;
pub mod checkout;
pub mod debug;
pub mod hooked;
pub mod lent;
pub mod limiters;
pub mod nested;
pub mod protocol;
pub mod retry;
pub mod reuse;
pub mod single;
pub mod wire;

/// Nothing with the `async` feature; without it, the error a pipeline with an `async fn` node
/// reports instead of a missing item of `__private`.
#[cfg(feature = "async")]
#[macro_export]
#[doc(hidden)]
macro_rules! __hypernodes_require_async {
    ($node:literal) => {};
}

/// Nothing with the `async` feature; without it, the error a pipeline with an `async fn` node
/// reports instead of a missing item of `__private`.
#[cfg(not(feature = "async"))]
#[macro_export]
#[doc(hidden)]
macro_rules! __hypernodes_require_async {
    ($node:literal) => {
        ::core::compile_error!(::core::concat!(
            "node `", $node, "` is an `async fn`: async nodes need the `async` feature of hypernodes: `hypernodes = { version = \"0.1\", features = [\"async\"] }`"
        ));
    };
}

/// Its input with the `process` feature on Unix; without, the error a `use_process` node
/// reports instead of missing items of `__private`.
#[cfg(all(feature = "process", unix))]
#[macro_export]
#[doc(hidden)]
macro_rules! __hypernodes_if_process {
    ($node:literal $($item:tt)*) => { $($item)* };
}

/// Its input with the `process` feature on Unix; without, the error a `use_process` node
/// reports instead of missing items of `__private`.
#[cfg(not(all(feature = "process", unix)))]
#[macro_export]
#[doc(hidden)]
macro_rules! __hypernodes_if_process {
    ($node:literal $($item:tt)*) => {
        ::core::compile_error!(::core::concat!(
            "node `", $node, "` sets `use_process`: worker processes need the `process` feature of hypernodes (`features = [\"process\"]`) and a Unix target"
        ));
    };
}
