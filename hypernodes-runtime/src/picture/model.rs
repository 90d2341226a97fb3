//! The picture as vertices, edges and clusters, built from a pipeline's compile-time structure
//! (`INFO`), with nested pipelines expanded down to a depth. Every output format renders this.

use std::collections::HashMap;

use crate::info::{FieldInfo, NodeInfo, NodeKind, PipelineInfo};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum VertexKind {
    /// A field of `<Name>Inputs`.
    Input,
    /// A `#[bind(..)]` input: drawn lighter.
    Bound,
    /// A stateful resource.
    Stateful,
    /// A function node.
    Function,
    /// A nested pipeline drawn as one box.
    Pipeline,
    /// A `match` or `if` of the list: edges to the nodes of each arm carry its pattern.
    Branch,
}

pub struct Vertex {
    pub id: String,
    /// The name (a node's, a value's).
    pub name: String,
    /// What it produces, for nodes.
    pub outputs: Vec<&'static str>,
    pub kind: VertexKind,
    /// `#[outputs]` made it unnecessary: it never runs.
    pub pruned: bool,
    pub cluster: Option<usize>,
    /// A note under the name (e.g. `map_over chunks`).
    pub note: Option<String>,
}

pub struct Edge {
    pub from: String,
    pub to: String,
    pub label: String,
    /// Lends a stateful resource rather than passing a value.
    pub dashed: bool,
}

/// An expanded nested pipeline.
pub struct Cluster {
    pub id: String,
    /// The nested pipeline's node name, or a branch arm's `value is pattern`.
    #[cfg_attr(not(feature = "svg"), allow(dead_code))]
    pub name: String,
    /// The name with how it is mapped.
    pub label: String,
    pub parent: Option<usize>,
}

#[derive(Default)]
pub struct Model {
    pub name: &'static str,
    pub vertices: Vec<Vertex>,
    pub edges: Vec<Edge>,
    pub clusters: Vec<Cluster>,
}

/// Where a value comes from inside one pipeline level: a vertex, and the edge label to use
/// (a renamed value reads `outer→inner`).
#[derive(Clone)]
struct Source {
    vertex: String,
    label: String,
}

impl Model {
    /// `info` with nested pipelines expanded `depth` levels down (0: each is one box).
    pub fn build(info: &PipelineInfo, depth: usize) -> Model {
        let mut model = Model {
            name: info.name,
            ..Model::default()
        };
        let mut sources = HashMap::new();
        for input in every_input(info) {
            sources.entry(input).or_insert_with(|| {
                let id = format!("input_{input}");
                model.vertex(&id, input, VertexKind::Input, None);
                Source {
                    vertex: id,
                    label: input.to_owned(),
                }
            });
        }
        model.level(info, "", None, depth, sources);
        model
    }

    fn vertex(&mut self, id: &str, name: &str, kind: VertexKind, cluster: Option<usize>) {
        self.vertices.push(Vertex {
            id: id.to_owned(),
            name: name.to_owned(),
            outputs: Vec::new(),
            kind,
            pruned: false,
            cluster,
            note: None,
        });
    }

    /// One pipeline level: its bound inputs, stateful resources and nodes. `sources` maps the
    /// names its inputs read to where they come from; returns where its outputs come from
    /// (the first producer of each), and the other producers of values several arms make.
    fn level(
        &mut self,
        info: &PipelineInfo,
        prefix: &str,
        cluster: Option<usize>,
        depth: usize,
        mut sources: HashMap<&'static str, Source>,
    ) -> (HashMap<&'static str, Source>, Vec<(&'static str, Source)>) {
        for &bound in info.bound {
            let id = format!("{prefix}bound_{bound}");
            self.vertex(&id, bound, VertexKind::Bound, cluster);
            let label = bound.to_owned();
            sources.insert(bound, Source { vertex: id, label });
        }
        let mut stateful: Vec<&'static str> = Vec::new();
        for node in info.nodes {
            for &name in node.stateful {
                if !stateful.contains(&name) {
                    stateful.push(name);
                    self.vertex(
                        &format!("{prefix}state_{name}"),
                        name,
                        VertexKind::Stateful,
                        cluster,
                    );
                }
            }
        }
        let mut produced: HashMap<&'static str, Source> = HashMap::new();
        // Producers first, so every edge finds its source whatever the listing order.
        let ids: Vec<String> = (0..info.nodes.len())
            .map(|i| format!("{prefix}n{i}_{}", info.nodes[i].name))
            .collect();
        let arms = self.arms(info, prefix, cluster);
        let mut expanded: Vec<Option<HashMap<&'static str, Source>>> = Vec::new();
        // A value several arms produce: the producers after the first, for their edges too.
        let mut also_produced: Vec<(&'static str, Source)> = Vec::new();
        for (node, id) in info.nodes.iter().zip(&ids) {
            let cluster = arms.cluster_of(node.arm).or(cluster);
            let inner = match (node.kind, node.nested) {
                (NodeKind::Pipeline, Some(nested)) if depth > 0 => {
                    let inner_sources = inner_sources(node, &sources, &produced);
                    let parent = cluster;
                    self.clusters.push(Cluster {
                        id: format!("cluster_{id}"),
                        name: node.name.to_owned(),
                        label: cluster_label(node),
                        parent,
                    });
                    let inner_cluster = Some(self.clusters.len() - 1);
                    let (outputs, more) = self.level(
                        nested,
                        &format!("{id}_"),
                        inner_cluster,
                        depth - 1,
                        inner_sources,
                    );
                    for &output in node.outputs {
                        let inner_name = inner_name(node, output);
                        let renamed = |source: &Source| Source {
                            vertex: source.vertex.clone(),
                            label: renamed_label(inner_name, output),
                        };
                        if let Some(source) = outputs.get(inner_name) {
                            produced.insert(output, renamed(source));
                        }
                        for (_, source) in more.iter().filter(|(name, _)| *name == inner_name) {
                            also_produced.push((output, renamed(source)));
                        }
                    }
                    Some(outputs)
                }
                _ => {
                    let kind = match node.kind {
                        NodeKind::Function => VertexKind::Function,
                        NodeKind::Pipeline => VertexKind::Pipeline,
                    };
                    self.vertex(id, node.name, kind, cluster);
                    let vertex = self.vertices.last_mut().expect("just added");
                    vertex.outputs = node.outputs.to_vec();
                    vertex.pruned = !node.runs;
                    vertex.note = (!node.map_over.is_empty()).then(|| map_over_note(node));
                    for &output in node.outputs {
                        let source = Source {
                            vertex: id.clone(),
                            label: output.to_owned(),
                        };
                        match produced.contains_key(output) {
                            true => also_produced.push((output, source)),
                            false => {
                                produced.insert(output, source);
                            }
                        }
                    }
                    None
                }
            };
            expanded.push(inner);
        }
        for ((node, id), inner) in info.nodes.iter().zip(&ids).zip(&expanded) {
            if inner.is_some() {
                continue; // its edges were drawn inside the cluster
            }
            for &input in node.inputs {
                // A field is drawn from its structured value: `document.title`.
                let field = info.fields.iter().find(|f| f.value == input);
                let read = field.map_or(input, |f| f.of);
                let from = produced.get(read).or_else(|| sources.get(read));
                let others = also_produced.iter().filter(|(name, _)| *name == read);
                for from in from.into_iter().chain(others.map(|(_, source)| source)) {
                    let label = match field {
                        Some(f) => field_label(f),
                        None => edge_label(node, input, &from.label),
                    };
                    self.edge(&from.vertex, id, label, false);
                }
            }
            if let Some((branch, arm)) = node.arm {
                let label = info.branches[branch].arms[arm].to_owned();
                self.edge(&arms.vertex(branch), id, label, true);
            }
            for &name in node.stateful {
                self.edge(&format!("{prefix}state_{name}"), id, name.to_owned(), true);
            }
        }
        for (branch, info_branch) in info.branches.iter().enumerate() {
            let value = info_branch.value;
            if let Some(from) = produced.get(value).or_else(|| sources.get(value)) {
                self.edge(&from.vertex, &arms.vertex(branch), value.to_owned(), false);
            }
            if let Some((outer, arm)) = info_branch.within {
                let label = info.branches[outer].arms[arm].to_owned();
                self.edge(&arms.vertex(outer), &arms.vertex(branch), label, true);
            }
        }
        (produced, also_produced)
    }

    /// The branches of one level: a vertex each, in the arm it sits in, and a cluster per arm
    /// holding the arm's nodes.
    fn arms(&mut self, info: &PipelineInfo, prefix: &str, cluster: Option<usize>) -> Arms {
        let mut arms = Arms {
            prefix: prefix.to_owned(),
            clusters: Vec::new(),
        };
        // An arm draws as a cluster when something runs in it.
        let occupied = |at: (usize, usize)| {
            info.nodes.iter().any(|n| n.arm == Some(at))
                || info.branches.iter().any(|b| b.within == Some(at))
        };
        for (b, branch) in info.branches.iter().enumerate() {
            let parent = arms.cluster_of(branch.within).or(cluster);
            let name = match branch.arms {
                ["true", "false"] => format!("if {}", branch.value),
                _ => format!("match {}", branch.value),
            };
            self.vertex(&arms.vertex(b), &name, VertexKind::Branch, parent);
            for (a, pattern) in branch.arms.iter().enumerate() {
                if !occupied((b, a)) {
                    continue;
                }
                self.clusters.push(Cluster {
                    id: format!("cluster_{prefix}arm_{b}_{a}"),
                    name: format!("{} is {pattern}", branch.value),
                    label: format!("{} is {pattern}", branch.value),
                    parent,
                });
                arms.clusters.push(((b, a), self.clusters.len() - 1));
            }
        }
        arms
    }

    fn edge(&mut self, from: &str, to: &str, label: String, dashed: bool) {
        self.edges.push(Edge {
            from: from.to_owned(),
            to: to.to_owned(),
            label,
            dashed,
        });
    }
}

/// The branches of one level as drawn: their vertices and the cluster of each arm.
struct Arms {
    prefix: String,
    clusters: Vec<((usize, usize), usize)>,
}

impl Arms {
    fn vertex(&self, branch: usize) -> String {
        format!("{}branch_{branch}", self.prefix)
    }

    /// The cluster of arm `arm`, for a node or branch inside one.
    fn cluster_of(&self, arm: Option<(usize, usize)>) -> Option<usize> {
        let arm = arm?;
        self.clusters
            .iter()
            .find(|(at, _)| *at == arm)
            .map(|&(_, cluster)| cluster)
    }
}

/// What the inner names of an expanded nested pipeline read: the outer sources of the
/// names they are renamed to, labelled `outer→inner`.
fn inner_sources(
    node: &NodeInfo,
    sources: &HashMap<&'static str, Source>,
    produced: &HashMap<&'static str, Source>,
) -> HashMap<&'static str, Source> {
    let mut inner = HashMap::new();
    for &outer in node.inputs {
        let Some(from) = produced.get(outer).or_else(|| sources.get(outer)) else {
            continue;
        };
        let inner_name = inner_name(node, outer);
        let mut label = renamed_label_from(&from.label, inner_name);
        if node.map_over.contains(&outer) {
            label = format!("each {label}");
        }
        inner.insert(
            inner_name,
            Source {
                vertex: from.vertex.clone(),
                label,
            },
        );
    }
    inner
}

/// `document.body→text`: the edge of a field read by name.
fn field_label(field: &FieldInfo) -> String {
    match field.field == field.value {
        true => format!("{}.{}", field.of, field.field),
        false => format!("{}.{}→{}", field.of, field.field, field.value),
    }
}

/// The pipeline's inputs, then those only pruned nodes read (not in `<Name>Inputs`).
fn every_input(info: &PipelineInfo) -> Vec<&'static str> {
    let mut names: Vec<&'static str> = info.inputs.to_vec();
    for node in info.nodes {
        for &input in node.inputs {
            let produced = info.nodes.iter().any(|n| n.outputs.contains(&input));
            let field = info.fields.iter().any(|f| f.value == input);
            if !produced && !field && !info.bound.contains(&input) && !names.contains(&input) {
                names.push(input);
            }
        }
    }
    names
}

/// The name inside a nested pipeline of the value called `outer` around it.
fn inner_name(node: &NodeInfo, outer: &'static str) -> &'static str {
    node.renamed
        .iter()
        .find(|(_, renamed)| *renamed == outer)
        .map_or(outer, |(inner, _)| inner)
}

fn renamed_label(inner: &str, outer: &str) -> String {
    match inner == outer {
        true => outer.to_owned(),
        false => format!("{inner}→{outer}"),
    }
}

/// The label of an edge reaching an inner input: the source's label, then the inner name when
/// it differs.
fn renamed_label_from(source: &str, inner: &str) -> String {
    let last = source.rsplit('→').next().unwrap_or(source);
    match last == inner {
        true => source.to_owned(),
        false => format!("{source}→{inner}"),
    }
}

/// The label of an edge into a collapsed node: the value's name, with the nested pipeline's
/// own name for it when renamed, and `each` when it maps over it.
fn edge_label(node: &NodeInfo, input: &'static str, source: &str) -> String {
    let mut label = renamed_label_from(source, inner_name(node, input));
    if node.map_over.contains(&input) {
        label = format!("each {label}");
    }
    label
}

fn map_over_note(node: &NodeInfo) -> String {
    let how = if node.product {
        "product of"
    } else {
        "map_over"
    };
    format!("{how} {}", node.map_over.join(", "))
}

fn cluster_label(node: &NodeInfo) -> String {
    match node.map_over.is_empty() {
        true => node.name.to_owned(),
        false => format!("{} ({})", node.name, map_over_note(node)),
    }
}
