//! Tracing spans (the `tracing` crate) for runs, items, nested pipelines and nodes. The library
//! installs no subscriber: spans go wherever the application's subscriber sends them.

use std::cell::RefCell;

use tracing::span::EnteredSpan;

use super::{Event, Hooks};

/// Opens a span per run (`pipeline`), map item (`item`), nested pipeline (`nested`) and node
/// call (`node`), with the pipeline path, node name and item index as fields; errors are
/// recorded as `error` events inside the failing run's or item's span.
///
/// ```
/// use hypernodes::hooks::Tracing;
/// use hypernodes::{node, pipeline};
///
/// #[node]
/// fn double(x: u32) -> u32 { 2 * x }
/// pipeline! { Doubler = [double] }
///
/// // With a subscriber installed (e.g. `tracing_subscriber::fmt().init()`), every node call
/// // shows up as a `node` span inside its `item` span.
/// let outs = Doubler::new().with_hooks(Tracing).map((0..10).map(|x| DoublerInputs { x }))?;
/// assert_eq!(outs[9].double, 18);
/// # Ok::<(), hypernodes::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct Tracing;

/// What a span on this thread's stack was opened for, so ends close the right ones.
#[derive(PartialEq, Eq, Clone, Copy)]
enum Opened {
    Run,
    Item,
    Nested,
    Node,
}

thread_local! {
    /// Spans entered on this thread, innermost last. An error skips the ends of the calls it
    /// interrupted; the run's or item's end closes them too.
    static OPEN: RefCell<Vec<(Opened, EnteredSpan)>> = const { RefCell::new(Vec::new()) };
}

fn open(kind: Opened, span: tracing::Span) {
    OPEN.with(|open| open.borrow_mut().push((kind, span.entered())));
}

/// Closes spans down to and including the innermost one of `kind`.
fn close(kind: Opened) {
    OPEN.with(|open| {
        let mut open = open.borrow_mut();
        while let Some((opened, span)) = open.pop() {
            drop(span);
            if opened == kind {
                break;
            }
        }
    });
}

impl Hooks for Tracing {
    fn on(&self, event: &Event<'_>) {
        match *event {
            Event::PipelineStart { scope } => open(
                Opened::Run,
                tracing::info_span!("pipeline", pipeline = scope.pipeline()),
            ),
            Event::PipelineEnd { ok, elapsed, .. } => {
                tracing::debug!(ok, elapsed_us = elapsed.as_micros() as u64, "run ended");
                close(Opened::Run);
            }
            Event::ItemStart { scope } => open(
                Opened::Item,
                tracing::info_span!("item", pipeline = scope.pipeline(), item = scope.index()),
            ),
            Event::ItemEnd { .. } => close(Opened::Item),
            Event::NestedStart {
                scope,
                node,
                elements,
            } => open(
                Opened::Nested,
                tracing::info_span!(
                    "nested",
                    pipeline = %scope,
                    node,
                    item = scope.item(),
                    elements
                ),
            ),
            Event::NestedEnd { .. } => close(Opened::Nested),
            Event::NodeStart { scope, node, items } => open(
                Opened::Node,
                tracing::info_span!(
                    "node",
                    pipeline = %scope,
                    node,
                    item = scope.item(),
                    items
                ),
            ),
            Event::NodeEnd { elapsed, .. } => {
                tracing::trace!(elapsed_us = elapsed.as_micros() as u64, "node returned");
                close(Opened::Node);
            }
            Event::CacheHit { scope, node } => {
                tracing::debug!(pipeline = %scope, node, item = scope.item(), "cache hit");
            }
            Event::ItemCached { scope, nodes } => {
                tracing::debug!(pipeline = %scope, item = scope.item(), nodes = nodes.len(), "item served from cache");
            }
            Event::Error { scope, error } => {
                tracing::error!(pipeline = %scope, node = error.node(), item = error.item(), %error, "failed");
            }
            // `Tracing` does not ask for values (`Hooks::VALUES`).
            Event::NodeInputs { .. } | Event::NodeOutputs { .. } => {}
            Event::MapStart { pipeline, items } => {
                tracing::info!(pipeline = pipeline.name, items, "map started");
            }
            Event::StreamStart { pipeline, items } => {
                tracing::info!(pipeline = pipeline.name, items, "stream started");
            }
            Event::MapEnd {
                pipeline,
                items,
                failed,
                elapsed,
            } => tracing::info!(
                pipeline = pipeline.name,
                items,
                failed,
                elapsed_ms = elapsed.as_millis() as u64,
                "map ended"
            ),
        }
    }
}
