//! Progress bars for `map` (indicatif): one bar per map with throughput and ETA, one per node
//! inside it, nested pipelines' nodes indented under theirs.

use std::collections::HashMap;
use std::sync::{PoisonError, RwLock};

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::{Event, Hooks};
use crate::info::PipelineInfo;

/// A bar's key: (pipeline or nested node name, nesting depth, node name; "" for the map's bar).
type Key = (&'static str, usize, &'static str);

/// Progress bars for maps, drawn on standard error when it is a terminal and hidden otherwise
/// (so CI logs stay clean); [`Progress::to`] draws elsewhere, e.g. always.
///
/// A map gets a bar with items done, throughput and ETA; under it one bar per node counting its
/// calls, and under a nested pipeline its own nodes, indented.
///
/// ```
/// use hypernodes::hooks::Progress;
/// use hypernodes::{node, pipeline};
///
/// #[node]
/// fn double(x: u32) -> u32 { 2 * x }
/// pipeline! { Doubler = [double] }
///
/// let progress = Progress::new();
/// let outs = Doubler::new().with_hooks(&progress).map((0..100).map(|x| DoublerInputs { x }))?;
/// assert_eq!(outs.len(), 100);
/// # Ok::<(), hypernodes::Error>(())
/// ```
pub struct Progress {
    multi: MultiProgress,
    bars: RwLock<HashMap<Key, ProgressBar>>,
}

impl Default for Progress {
    fn default() -> Self {
        Self::new()
    }
}

impl Progress {
    /// Bars on standard error, drawn only when it is a terminal.
    pub fn new() -> Self {
        Self::to(ProgressDrawTarget::stderr())
    }

    /// Bars drawn on `target` (indicatif's draw targets: a terminal, hidden, or one of your own).
    pub fn to(target: ProgressDrawTarget) -> Self {
        Progress {
            multi: MultiProgress::with_draw_target(target),
            bars: RwLock::new(HashMap::new()),
        }
    }

    /// Whether nothing is drawn (standard error is not a terminal, or a hidden target).
    ///
    /// ```
    /// use std::io::IsTerminal;
    /// use hypernodes::hooks::Progress;
    /// assert_eq!(Progress::new().is_hidden(), !std::io::stderr().is_terminal());
    /// ```
    pub fn is_hidden(&self) -> bool {
        self.multi.is_hidden()
    }

    /// The bar of `key`'s position, if the current map has one.
    fn bar(&self, key: Key) -> Option<ProgressBar> {
        let bars = self.bars.read().unwrap_or_else(PoisonError::into_inner);
        bars.get(&key).cloned()
    }

    /// Bars for a map or stream of `items` (unknown for an endless stream).
    fn start(&self, pipeline: &'static PipelineInfo, items: Option<usize>) {
        let mut bars = self.bars.write().unwrap_or_else(PoisonError::into_inner);
        bars.clear();
        let map = match items {
            Some(items) => {
                let bar = ProgressBar::new(items as u64);
                bar.set_style(style(
                    "{prefix:.bold} [{bar:30.cyan/blue}] {pos}/{len} items · {per_sec} · ETA {eta}",
                ));
                bar
            }
            None => {
                let bar = ProgressBar::no_length();
                bar.set_style(style("{prefix:.bold} {pos} items · {per_sec}"));
                bar
            }
        };
        map.set_prefix(pipeline.name);
        bars.insert((pipeline.name, 0, ""), self.multi.add(map));
        let per_node = items.map(|items| items as u64);
        self.add_nodes(&mut bars, pipeline, pipeline.name, 0, per_node);
    }

    /// A bar per node of `pipeline`, which events name `name`, at `depth`; its nested
    /// pipelines' nodes below theirs. Top-level nodes count items; nested ones count calls.
    fn add_nodes(
        &self,
        bars: &mut HashMap<Key, ProgressBar>,
        pipeline: &'static PipelineInfo,
        name: &'static str,
        depth: usize,
        items: Option<u64>,
    ) {
        let indent = "  ".repeat(depth + 1);
        for node in pipeline.nodes.iter().filter(|node| node.runs) {
            let bar = match items {
                Some(items) => {
                    let bar = ProgressBar::new(items);
                    bar.set_style(style("{prefix:20} [{bar:30}] {pos}/{len} · {per_sec}"));
                    bar
                }
                // A nested pipeline's nodes run once per element: no total is known ahead.
                None => {
                    let bar = ProgressBar::no_length();
                    bar.set_style(style("{prefix:20} {pos} calls · {per_sec}"));
                    bar
                }
            };
            bar.set_prefix(format!("{indent}{}", node.name));
            bars.insert((name, depth, node.name), self.multi.add(bar));
            if let Some(nested) = node.nested {
                // Events inside a nested pipeline name it by its node name.
                self.add_nodes(bars, nested, node.name, depth + 1, None);
            }
        }
    }

    fn finish(&self) {
        let mut bars = self.bars.write().unwrap_or_else(PoisonError::into_inner);
        for (_, bar) in bars.drain() {
            bar.finish();
        }
    }
}

fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template)
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ")
}

impl Hooks for Progress {
    fn on(&self, event: &Event<'_>) {
        match *event {
            Event::MapStart { pipeline, items } => self.start(pipeline, items),
            Event::StreamStart { pipeline, items } => self.start(pipeline, items),
            Event::ItemEnd { scope, .. } => {
                if let Some(bar) = self.bar((scope.pipeline(), 0, "")) {
                    bar.inc(1);
                }
            }
            // A whole item from the cache: the item and each of its nodes count as done.
            Event::ItemCached { scope, nodes } => {
                if let Some(bar) = self.bar((scope.pipeline(), 0, "")) {
                    bar.inc(1);
                }
                for node in nodes {
                    if let Some(bar) = self.bar((scope.pipeline(), 0, node)) {
                        bar.inc(1);
                    }
                }
            }
            Event::NodeEnd {
                scope, node, items, ..
            } => {
                if let Some(bar) = self.bar((scope.pipeline(), scope.depth(), node)) {
                    bar.inc(items as u64);
                }
            }
            // A value served from a cache counts as the node's work for that item.
            Event::NestedEnd { scope, node, .. } | Event::CacheHit { scope, node } => {
                if let Some(bar) = self.bar((scope.pipeline(), scope.depth(), node)) {
                    bar.inc(1);
                }
            }
            Event::MapEnd { .. } => self.finish(),
            _ => {}
        }
    }
}
