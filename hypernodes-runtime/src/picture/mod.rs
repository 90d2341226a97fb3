//! Pictures of a pipeline's graph: Graphviz DOT, Mermaid, and (feature `svg`) an SVG image,
//! from the structure `pipeline!` generates at compile time (`Name::INFO`).

mod dot;
mod mermaid;
mod model;
#[cfg(feature = "svg")]
mod svg;

use crate::info::PipelineInfo;
use model::Model;

/// A picture of a pipeline's graph, from `Name::INFO.picture()`.
///
/// Inputs are ellipses, bound inputs lighter ones, nodes boxes listing their outputs, stateful
/// resources cylinders (dashed edges); nodes `#[outputs]` made unnecessary are dashed and grey.
/// A nested pipeline is one box, or with [`depth`](Picture::depth) a cluster of its own nodes;
/// edges of renamed values read `outer→inner`, and `each` marks those it maps over.
///
/// ```
/// use hypernodes::{node, pipeline};
///
/// #[node(output = "score")]
/// fn score(chunk: &str) -> usize { chunk.len() }
/// pipeline! { Scoring = [score] }
///
/// #[node]
/// fn best(scores: Vec<usize>) -> usize { scores.into_iter().max().unwrap_or(0) }
/// pipeline! {
///     Retrieval = [Scoring(inputs(chunk = chunks), outputs(score = scores), map_over(chunks)), best]
/// }
///
/// let collapsed = Retrieval::INFO.picture().dot();
/// assert!(collapsed.contains("input_chunks -> n0_Scoring [label=\"each chunks→chunk\"];"));
/// let expanded = Retrieval::INFO.picture().depth(1).mermaid();
/// assert!(expanded.contains("subgraph cluster_n0_Scoring [\"Scoring (map_over chunks)\"]"));
/// assert!(expanded.contains("input_chunks -->|each chunks→chunk| n0_Scoring_n0_score"));
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Picture<'a> {
    info: &'a PipelineInfo,
    depth: usize,
}

impl PipelineInfo {
    /// A picture of the graph, nested pipelines collapsed (see [`Picture::depth`]).
    pub fn picture(&self) -> Picture<'_> {
        Picture {
            info: self,
            depth: 0,
        }
    }

    /// The graph in Graphviz DOT, nested pipelines collapsed.
    pub fn dot(&self) -> String {
        self.picture().dot()
    }

    /// The graph as a Mermaid flowchart, nested pipelines collapsed.
    pub fn mermaid(&self) -> String {
        self.picture().mermaid()
    }
}

impl Picture<'_> {
    /// Expands nested pipelines `depth` levels down into clusters (0: each is one box;
    /// `usize::MAX`: all of them).
    pub fn depth(mut self, depth: usize) -> Self {
        self.depth = depth;
        self
    }

    /// The picture in Graphviz DOT (`dot -Tsvg` renders it).
    pub fn dot(&self) -> String {
        dot::render(&Model::build(self.info, self.depth))
    }

    /// The picture as a Mermaid flowchart (GitHub and many editors render it).
    pub fn mermaid(&self) -> String {
        mermaid::render(&Model::build(self.info, self.depth))
    }

    /// The picture as an SVG image, laid out in pure Rust (layout-rs).
    ///
    /// ```
    /// # use hypernodes::{node, pipeline};
    /// # #[node] fn double(x: u32) -> u32 { 2 * x }
    /// # pipeline! { Doubler = [double] }
    /// let svg = Doubler::INFO.picture().svg()?;
    /// assert!(svg.contains("<svg") && svg.contains("double"));
    /// # Ok::<(), String>(())
    /// ```
    #[cfg(feature = "svg")]
    pub fn svg(&self) -> Result<String, String> {
        svg::render(&Model::build(self.info, self.depth))
    }

    /// Writes [`svg`](Picture::svg) to `path`.
    #[cfg(feature = "svg")]
    pub fn write_svg(&self, path: impl AsRef<std::path::Path>) -> std::io::Result<()> {
        let svg = self.svg().map_err(std::io::Error::other)?;
        std::fs::write(path, svg)
    }
}
