//! What a pipeline knows about itself, generated at compile time.

use crate::config::NodeConfig;

mod table;

pub use table::NodeTable;

/// A pipeline's structure: run order, inputs, outputs and nodes; [`picture`](PipelineInfo::picture)
/// draws it.
///
/// Every generated pipeline has one as `Name::INFO` (and through [`Pipeline::INFO`](crate::Pipeline::INFO)).
///
/// ```
/// use hypernodes::{node, pipeline};
///
/// #[node(output = "cleaned")]
/// fn clean(text: String) -> String { text.trim().to_lowercase() }
///
/// #[node]
/// fn length(cleaned: &String) -> usize { cleaned.len() }
///
/// pipeline! { Measure = [length, clean] }
///
/// let info = &Measure::INFO;
/// assert_eq!(info.order, ["clean", "length"]);
/// assert_eq!((info.inputs, info.outputs), (&["text"][..], &["cleaned", "length"][..]));
/// assert!(info.dot().starts_with("digraph Measure {"));
/// assert!(info.mermaid().starts_with("flowchart TD"));
/// ```
#[derive(Debug)]
pub struct PipelineInfo {
    /// The pipeline's type name.
    pub name: &'static str,
    /// The nodes that run, in the order they run (a topological order of the graph).
    pub order: &'static [&'static str],
    /// The fields of `<Name>Inputs`.
    pub inputs: &'static [&'static str],
    /// The fields of `<Name>Outputs`.
    pub outputs: &'static [&'static str],
    /// Inputs fixed by `#[bind(..)]`: not in `<Name>Inputs`.
    pub bound: &'static [&'static str],
    /// Every listed node: the ones that run in run order, then those `#[outputs]` made
    /// unnecessary. A [`NodeTable`] reads as a slice: `nodes.iter()`, `nodes[0]`.
    pub nodes: NodeTable,
    /// The pipeline level of the config hierarchy: its `#[config(..)]` over built-in defaults.
    pub config: NodeConfig,
    /// The `match` and `if` branches of the list, in the order written (see [`BranchInfo`]).
    pub branches: &'static [BranchInfo],
    /// Values read from fields of another (`Document { title } = document`).
    pub fields: &'static [FieldInfo],
}

/// A value read from a field of another, by an extraction in the list:
/// `Document { body: text } = document` makes `text`, the field `body` of `document`.
///
/// ```
/// use hypernodes::{node, pipeline};
///
/// pub struct Document { pub title: String }
/// #[node(output = "heading")]
/// fn heading(title: &str) -> String { title.to_uppercase() }
///
/// pipeline! { Summary = [Document { title } = document, heading] }
///
/// let field = &Summary::INFO.fields[0];
/// assert_eq!((field.value, field.of, field.field), ("title", "document", "title"));
/// assert_eq!(Summary::INFO.inputs, ["document"]);
/// ```
#[derive(Debug)]
pub struct FieldInfo {
    /// The name nodes read it by.
    pub value: &'static str,
    /// The structured value it is read from.
    pub of: &'static str,
    /// The field.
    pub field: &'static str,
}

/// A branch of the pipeline list: `match value { pattern => [..], .. }`, or an `if` (arms
/// `true` and `false`).
///
/// ```
/// use hypernodes::{node, pipeline};
///
/// #[node(output = "long")]
/// fn is_long(text: &str) -> bool { text.len() > 5 }
/// #[node(output = "label")]
/// fn shout(text: &str) -> String { text.to_uppercase() }
/// #[node(output = "label")]
/// fn keep(text: &str) -> String { text.to_owned() }
///
/// pipeline! { Label = [is_long, if long { [shout] } else { [keep] }] }
///
/// let info = &Label::INFO;
/// assert_eq!((info.branches[0].value, info.branches[0].arms), ("long", &["true", "false"][..]));
/// assert_eq!(info.node("keep").unwrap().arm, Some((0, 1)));
/// assert_eq!(info.when(info.node("keep").unwrap()).as_deref(), Some("long is false"));
/// ```
#[derive(Debug)]
pub struct BranchInfo {
    /// The value the branch matches on.
    pub value: &'static str,
    /// Each arm's pattern, as written.
    pub arms: &'static [&'static str],
    /// The `(branch, arm)` it sits in, for a branch inside an arm.
    pub within: Option<(usize, usize)>,
}

impl PipelineInfo {
    /// The node called `name`, if the pipeline lists one.
    ///
    /// ```
    /// # use hypernodes::{node, pipeline};
    /// # #[node] fn twice(x: u32) -> u32 { 2 * x }
    /// # pipeline! { P = [twice] }
    /// assert_eq!(P::INFO.node("twice").unwrap().outputs, ["twice"]);
    /// assert!(P::INFO.node("thrice").is_none());
    /// ```
    pub fn node(&self, name: &str) -> Option<&NodeInfo> {
        self.nodes.iter().find(|node| node.name == name)
    }

    /// The first `async fn` node that runs, in this pipeline or a nested one: such a pipeline
    /// awaits its calls, so a blocking call of it must be able to block.
    ///
    /// ```
    /// # use hypernodes::{node, pipeline};
    /// # #[node] fn twice(x: u32) -> u32 { 2 * x }
    /// # pipeline! { P = [twice] }
    /// assert_eq!(P::INFO.first_async(), None);
    /// ```
    pub const fn first_async(&self) -> Option<&'static str> {
        // A packed node is a plain function: it neither awaits nor nests a pipeline.
        let nodes = self.nodes.unpacked();
        let mut i = 0;
        while i < nodes.len() {
            let node = &nodes[i];
            if node.runs {
                if node.asynchronous {
                    return Some(node.name);
                }
                if let Some(nested) = node.nested {
                    if let Some(name) = nested.first_async() {
                        return Some(name);
                    }
                }
            }
            i += 1;
        }
        None
    }

    /// When `node` runs, for a node in a branch arm: `route is Route::Figure`, the arms
    /// around it joined by `and`, outermost first; `None` for a node every item runs.
    ///
    /// ```
    /// # use hypernodes::{node, pipeline};
    /// # #[node] fn small(n: u32) -> bool { n < 10 }
    /// # #[node(output = "label")] fn tiny(n: u32) -> String { format!("tiny {n}") }
    /// pipeline! { P = [small, if small { [tiny] }] }
    /// assert_eq!(P::INFO.when(P::INFO.node("tiny").unwrap()).as_deref(), Some("small is true"));
    /// assert_eq!(P::INFO.when(P::INFO.node("small").unwrap()), None);
    /// ```
    pub fn when(&self, node: &NodeInfo) -> Option<String> {
        let mut arms = Vec::new();
        let mut at = node.arm;
        while let Some((branch, arm)) = at {
            let branch_info = &self.branches[branch];
            arms.push(format!(
                "{} is {}",
                branch_info.value, branch_info.arms[arm]
            ));
            at = branch_info.within;
        }
        arms.reverse();
        (!arms.is_empty()).then(|| arms.join(" and "))
    }
}

/// What kind of step a node is.
///
/// ```
/// use hypernodes::info::NodeKind;
/// use hypernodes::{node, pipeline};
/// # #[node] fn twice(x: u32) -> u32 { 2 * x }
/// # #[node] fn plus_one(twice: u32) -> u32 { twice + 1 }
/// pipeline! { Inner = [twice] }
/// pipeline! { Outer = [Inner, plus_one] }
///
/// assert_eq!(Outer::INFO.node("Inner").unwrap().kind, NodeKind::Pipeline);
/// assert_eq!(Outer::INFO.node("plus_one").unwrap().kind, NodeKind::Function);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeKind {
    /// A `#[node]` function.
    Function,
    /// A pipeline used as a node.
    Pipeline,
}

/// One node of a pipeline.
///
/// ```
/// use hypernodes::config::ConfigSource;
/// use hypernodes::{node, pipeline};
///
/// #[node(output = "score", config(max_retries = 3))]
/// fn score(text: &str) -> usize { text.len() }
///
/// pipeline! {
///     #[config(batch_size = 256)]
///     Scoring = [score]
/// }
///
/// let node = Scoring::INFO.node("score").unwrap();
/// assert_eq!((node.inputs, node.outputs), (&["text"][..], &["score"][..]));
/// assert_eq!(node.config.max_retries.value, 3);
/// assert_eq!(node.config.max_retries.source, ConfigSource::Node);
/// assert_eq!(node.config.batch_size.value, 256);
/// assert_eq!(node.config.batch_size.source, ConfigSource::Pipeline);
/// assert_eq!(node.config.gpus.source, ConfigSource::Default);
/// ```
#[derive(Clone, Copy, Debug)]
pub struct NodeInfo {
    /// The function's (or nested pipeline's) name.
    pub name: &'static str,
    /// Function or nested pipeline.
    pub kind: NodeKind,
    /// A batch node (`#[node(batch)]`): called once per batch of items.
    pub batch: bool,
    /// An `async fn` node: its calls are awaited.
    pub asynchronous: bool,
    /// Parameters wired from pipeline inputs or other nodes' outputs.
    pub inputs: &'static [&'static str],
    /// Stateful parameters: built once, not wired.
    pub stateful: &'static [&'static str],
    /// The values it produces.
    pub outputs: &'static [&'static str],
    /// Settings resolved through the config hierarchy.
    pub config: NodeConfig,
    /// False when `#[outputs(..)]` does not need this node, so it never runs.
    pub runs: bool,
    /// The nested pipeline's structure, for a pipeline used as a node.
    pub nested: Option<&'static PipelineInfo>,
    /// A nested pipeline's renamed inputs and outputs: `(inner name, name here)`.
    pub renamed: &'static [(&'static str, &'static str)],
    /// The inputs a nested pipeline maps over (it runs once per element).
    pub map_over: &'static [&'static str],
    /// Whether `map_over` takes every combination (`product(..)`) rather than zipping.
    pub product: bool,
    /// The innermost branch arm it runs in, as `(branch, arm)` positions in
    /// [`PipelineInfo::branches`]; `None` when every item runs it.
    pub arm: Option<(usize, usize)>,
}

impl NodeInfo {
    /// A function node that runs for every item, with no parameters, outputs or settings of
    /// its own: what generated `INFO` constants complete with `..NodeInfo::FUNCTION`, so that
    /// each node spells out only what differs (a smaller constant is quicker to build).
    ///
    /// ```
    /// use hypernodes::info::NodeInfo;
    /// let node = NodeInfo { name: "score", inputs: &["text"], outputs: &["score"], ..NodeInfo::FUNCTION };
    /// assert!(node.runs && node.arm.is_none() && node.stateful.is_empty());
    /// ```
    pub const FUNCTION: NodeInfo = NodeInfo {
        name: "",
        kind: NodeKind::Function,
        batch: false,
        asynchronous: false,
        inputs: &[],
        stateful: &[],
        outputs: &[],
        config: NodeConfig::BUILTIN,
        runs: true,
        nested: None,
        renamed: &[],
        map_over: &[],
        product: false,
        arm: None,
    };

    /// A plain function node, [`NodeInfo::FUNCTION`] with its name, inputs and outputs: each
    /// node with nothing else of its own, which generated `INFO` constants write as text in a
    /// [`NodeTable`].
    ///
    /// ```
    /// use hypernodes::info::NodeInfo;
    /// const SCORE: NodeInfo = NodeInfo::function("score", &["text"], &["score"]);
    /// assert_eq!((SCORE.name, SCORE.inputs, SCORE.outputs), ("score", &["text"][..], &["score"][..]));
    /// assert!(SCORE.runs && SCORE.arm.is_none() && SCORE.stateful.is_empty());
    /// ```
    pub const fn function(
        name: &'static str,
        inputs: &'static [&'static str],
        outputs: &'static [&'static str],
    ) -> NodeInfo {
        NodeInfo {
            name,
            inputs,
            outputs,
            ..NodeInfo::FUNCTION
        }
    }
}
