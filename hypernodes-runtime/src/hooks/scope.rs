//! Where an event happens: the pipeline, the item or element, and the pipelines around it.

use std::fmt;

use super::pending::ItemPending;

/// Where an event happens: a pipeline (top level or nested), with the index of the item (or,
/// in a nested pipeline with `map_over`, of the element) it is working on, and the scope around
/// it. Scopes live on the stack of the run: building one allocates nothing.
///
/// ```
/// use hypernodes::hooks::Scope;
/// let item = Scope::map_item("Retrieval", 7);
/// let chunk = item.nested("Scoring", Some(2));
/// assert_eq!(chunk.to_string(), "Retrieval[7].Scoring[2]");
/// assert_eq!((chunk.item(), chunk.depth()), (Some(7), 1));
/// assert_eq!(chunk.parent().unwrap().pipeline(), "Retrieval");
/// ```
#[derive(Clone, Copy)]
pub struct Scope<'a> {
    pipeline: &'static str,
    index: Option<usize>,
    parent: Option<&'a Scope<'a>>,
    /// For an item of a per-item engine: its events held back until a node runs.
    pending: Option<&'a ItemPending>,
}

impl fmt::Debug for Scope<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scope")
            .field("pipeline", &self.pipeline)
            .field("index", &self.index)
            .field("parent", &self.parent)
            .finish()
    }
}

impl<'a> Scope<'a> {
    /// A top-level `run` of `pipeline`.
    pub const fn root(pipeline: &'static str) -> Self {
        Scope {
            pipeline,
            index: None,
            parent: None,
            pending: None,
        }
    }

    /// Item `index` of a `map` over `pipeline`.
    pub const fn map_item(pipeline: &'static str, index: usize) -> Self {
        Scope {
            pipeline,
            index: Some(index),
            parent: None,
            pending: None,
        }
    }

    /// The same item, its `ItemStart` and cache hits held back in `pending` until a node runs,
    /// so that an item served whole from a cache is told as one [`Event::ItemCached`](super::Event::ItemCached).
    pub(crate) const fn holding(mut self, pending: Option<&'a ItemPending>) -> Self {
        self.pending = pending;
        self
    }

    /// The held-back events of the item this scope is in.
    pub(crate) fn pending(&self) -> Option<&'a ItemPending> {
        self.root_scope().pending
    }

    /// The nested pipeline `node` running inside this scope, on element `element` when it maps
    /// over a collection.
    pub const fn nested(&'a self, node: &'static str, element: Option<usize>) -> Scope<'a> {
        Scope {
            pipeline: node,
            index: element,
            parent: Some(self),
            pending: None,
        }
    }

    /// The pipeline (for a nested one, its node name in the pipeline around it).
    pub const fn pipeline(&self) -> &'static str {
        self.pipeline
    }

    /// The item index (top level) or element index (nested `map_over`) of this scope.
    pub const fn index(&self) -> Option<usize> {
        self.index
    }

    /// The scope around this one, for a nested pipeline.
    pub const fn parent(&self) -> Option<&'a Scope<'a>> {
        self.parent
    }

    /// The top-level scope.
    pub fn root_scope(&self) -> &Scope<'a> {
        let mut scope = self;
        while let Some(parent) = scope.parent {
            scope = parent;
        }
        scope
    }

    /// The index of the top-level item, inside a `map`.
    pub fn item(&self) -> Option<usize> {
        self.root_scope().index
    }

    /// How many pipelines are around this one (0 at the top level).
    pub fn depth(&self) -> usize {
        let mut depth = 0;
        let mut scope = self;
        while let Some(parent) = scope.parent {
            (depth, scope) = (depth + 1, parent);
        }
        depth
    }

    /// The pipeline names from the top level down: `["Retrieval", "Scoring"]`.
    pub fn pipelines(&self) -> Vec<&'static str> {
        let mut names = vec![self.pipeline];
        let mut scope = self;
        while let Some(parent) = scope.parent {
            names.push(parent.pipeline);
            scope = parent;
        }
        names.reverse();
        names
    }
}

impl fmt::Display for Scope<'_> {
    /// `Outer[3].Inner[1]`: each pipeline with its item or element index.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(parent) = self.parent {
            write!(f, "{parent}.")?;
        }
        f.write_str(self.pipeline)?;
        match self.index {
            Some(index) => write!(f, "[{index}]"),
            None => Ok(()),
        }
    }
}
