//! A pipeline's nodes as generated code writes them: plain function nodes packed in one string,
//! the others as [`NodeInfo`] values; decoded into one slice the first time they are read.

use std::collections::HashMap;
use std::fmt;
use std::ops::Deref;
use std::sync::{Mutex, OnceLock, PoisonError};

use super::NodeInfo;

/// Separates the entries of a packed table.
const ENTRY: char = ';';
/// Starts an entry that is the [`NodeInfo`] at this position of the table's `full` slice.
const FULL: char = '#';
/// Ends a plain node's name; its inputs follow.
const INPUTS: char = ':';
/// Ends a plain node's inputs; its outputs follow.
const OUTPUTS: char = '>';
/// Separates the names of a list of inputs or outputs.
const NAME: char = ',';

/// Every listed node of a pipeline, in order ([`PipelineInfo::nodes`](super::PipelineInfo::nodes)):
/// it derefs to a slice of [`NodeInfo`] and iterates as one, so `nodes.iter()`, `nodes.len()`,
/// `nodes[i]` and `for node in nodes` read it as a slice.
///
/// Generated `INFO` constants write a plain function node (a [`NodeInfo::function`]: nothing of
/// its own beyond name, inputs and outputs) as text, `name:input,input>output`, in one string for
/// the pipeline, and every other node as a `NodeInfo` value. rustc builds, borrow-checks,
/// evaluates and validates a constant of fifty `NodeInfo` values, and evaluates it again at each
/// place the optimizer meets `INFO` in generic code; a string literal costs it close to nothing.
/// A 50-node release rebuild went from 1,247 to 1,171 M instructions
/// (`scripts/compile-instructions.sh 50 release`). The text is decoded once per table, on first
/// read, and the slice kept for the rest of the program, like the constant it stands for.
///
/// ```
/// use hypernodes::info::{NodeInfo, NodeTable};
///
/// static EMBED: [NodeInfo; 1] = [NodeInfo::function("embed", &["text"], &["vector"])];
/// let table = NodeTable::packed("clean:raw>text;#0", &EMBED);
/// assert_eq!(table.len(), 2);
/// assert_eq!((table[0].name, table[0].inputs, table[0].outputs), ("clean", &["raw"][..], &["text"][..]));
/// assert_eq!(table[1].name, "embed");
/// assert_eq!(NodeTable::from_slice(&EMBED).as_slice()[0].outputs, ["vector"]);
/// ```
#[derive(Clone, Copy)]
pub struct NodeTable {
    packed: &'static str,
    full: &'static [NodeInfo],
}

impl NodeTable {
    /// The nodes `nodes`, as they are.
    pub const fn from_slice(nodes: &'static [NodeInfo]) -> Self {
        NodeTable {
            packed: "",
            full: nodes,
        }
    }

    /// The nodes `packed` describes, in its order: entries separated by `;`, each either
    /// `#i`, the node `full[i]`, or `name:inputs>outputs`, a [`NodeInfo::function`] whose
    /// inputs and outputs are lists of names separated by `,` (possibly empty). An empty
    /// `packed` stands for `full` as it is.
    ///
    /// Reading a malformed table panics: `pipeline!` writes these, and a malformed one is a bug
    /// of the macro, not of the program.
    pub const fn packed(packed: &'static str, full: &'static [NodeInfo]) -> Self {
        NodeTable { packed, full }
    }

    /// The nodes that are not plain functions (all nodes for [`NodeTable::from_slice`]): the
    /// only ones that can await, nest a pipeline or be left out by `#[outputs]`.
    pub const fn unpacked(&self) -> &'static [NodeInfo] {
        self.full
    }

    /// The nodes as a slice.
    pub fn as_slice(&self) -> &'static [NodeInfo] {
        if self.packed.is_empty() {
            return self.full;
        }
        decoded(self.packed, self.full)
    }
}

impl Deref for NodeTable {
    type Target = [NodeInfo];

    fn deref(&self) -> &[NodeInfo] {
        self.as_slice()
    }
}

impl IntoIterator for NodeTable {
    type Item = &'static NodeInfo;
    type IntoIter = std::slice::Iter<'static, NodeInfo>;

    fn into_iter(self) -> Self::IntoIter {
        self.as_slice().iter()
    }
}

impl IntoIterator for &NodeTable {
    type Item = &'static NodeInfo;
    type IntoIter = std::slice::Iter<'static, NodeInfo>;

    fn into_iter(self) -> Self::IntoIter {
        self.as_slice().iter()
    }
}

impl fmt::Debug for NodeTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// The slice of a packed table, decoded on its first read. Keyed by the addresses and lengths of
/// the two `'static` parts: equal keys mean the same bytes, so equal tables; a table whose text
/// the compiler placed twice is decoded twice, which costs memory once per copy, not per read.
fn decoded(packed: &'static str, full: &'static [NodeInfo]) -> &'static [NodeInfo] {
    type Key = (usize, usize, usize, usize);
    static DECODED: OnceLock<Mutex<HashMap<Key, &'static [NodeInfo]>>> = OnceLock::new();
    let key = (
        packed.as_ptr() as usize,
        packed.len(),
        full.as_ptr() as usize,
        full.len(),
    );
    let mut decoded = DECODED
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    decoded
        .entry(key)
        .or_insert_with(|| Box::leak(decode(packed, full).into_boxed_slice()))
}

fn decode(packed: &'static str, full: &'static [NodeInfo]) -> Vec<NodeInfo> {
    packed
        .split(ENTRY)
        .map(|entry| match entry.strip_prefix(FULL) {
            Some(index) => index
                .parse()
                .ok()
                .and_then(|index: usize| full.get(index).copied())
                .unwrap_or_else(|| malformed(packed)),
            None => plain(entry).unwrap_or_else(|| malformed(packed)),
        })
        .collect()
}

/// `name:inputs>outputs`.
fn plain(entry: &'static str) -> Option<NodeInfo> {
    let (name, lists) = entry.split_once(INPUTS)?;
    let (inputs, outputs) = lists.split_once(OUTPUTS)?;
    Some(NodeInfo::function(name, names(inputs), names(outputs)))
}

fn names(list: &'static str) -> &'static [&'static str] {
    if list.is_empty() {
        return &[];
    }
    Box::leak(list.split(NAME).collect())
}

fn malformed(packed: &str) -> ! {
    panic!("hypernodes: a node table generated by `pipeline!` is malformed: {packed:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    static FULL_NODES: [NodeInfo; 1] = [NodeInfo {
        name: "nested",
        batch: true,
        ..NodeInfo::FUNCTION
    }];

    #[test]
    fn packed_entries_and_full_nodes_keep_their_order() {
        let table = NodeTable::packed("a:>x;#0;b:x,y>z,w", &FULL_NODES);
        let names: Vec<_> = table.iter().map(|node| node.name).collect();
        assert_eq!(names, ["a", "nested", "b"]);
        assert!(table[0].inputs.is_empty() && table[0].outputs == ["x"]);
        assert!(table[1].batch);
        assert_eq!(
            (table[2].inputs, table[2].outputs),
            (&["x", "y"][..], &["z", "w"][..])
        );
    }

    #[test]
    fn a_table_is_decoded_once() {
        let table = NodeTable::packed("a:>x", &[]);
        assert!(std::ptr::eq(table.as_slice(), table.as_slice()));
    }

    #[test]
    #[should_panic(expected = "malformed")]
    fn a_malformed_table_panics_with_its_text() {
        let _ = NodeTable::packed("#3", &FULL_NODES).as_slice();
    }
}
