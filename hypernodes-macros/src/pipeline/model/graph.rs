//! The pipeline as a graph: who produces each value, the inputs, the stateful objects, the order
//! nodes run in, and which nodes `#[outputs(..)]` needs. Every wiring mistake is found here.

use std::collections::HashMap;

use syn::Ident;

use super::arms;
use super::node::Node;
use crate::errors::{did_you_mean, quoted_list, Errors};
use crate::meta::{Kind, Mode, Vis};
use crate::pipeline::parse::header::Header;
use crate::pipeline::parse::list::{exclusive, Branch, Extract, Guard};

/// A value read by nodes: where it comes from.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Source {
    /// The `index`-th field of `<Name>Inputs`.
    Input(usize),
    /// The `output`-th output of node `node`.
    Output { node: usize, output: usize },
    /// The `index`-th `#[bind(..)]` value, fixed for every item.
    Bound(usize),
    /// The `field`-th field read by the `extract`-th extraction (`Document { title } = doc`).
    Field { extract: usize, field: usize },
}

/// A pipeline input or a stateful object, with the first parameter that declares it
/// (that parameter's type is the value's type), or the type an extraction names for an input
/// only extractions read.
pub struct Declared {
    pub name: Ident,
    pub node: usize,
    pub param: usize,
    /// The type written in an extraction, for an input no node reads itself.
    pub ty: Option<syn::Path>,
}

pub struct Graph {
    pub nodes: Vec<Node>,
    /// Output name -> its producers, in list order: several only in exclusive branch arms.
    producers: HashMap<String, Vec<(usize, usize)>>,
    /// The list's branches; nodes name theirs in their guard.
    pub branches: Vec<Branch>,
    /// The list's extractions: values read from the fields of another.
    pub extracts: Vec<Extract>,
    /// Extracted value name -> `(extraction, field)`.
    extracted: HashMap<String, (usize, usize)>,
    /// Output name -> the guards under which it certainly exists (`arms::coverage`).
    available: HashMap<String, Vec<Guard>>,
    pub inputs: Vec<Declared>,
    /// `#[bind(..)]` inputs, in the header's order, with their first reader.
    pub bound: Vec<Declared>,
    pub stateful: Vec<Declared>,
    /// Nodes that run, in a topological order (stable with respect to the list).
    pub order: Vec<usize>,
    /// Listed nodes that `#[outputs(..)]` does not need.
    pub pruned: Vec<usize>,
    /// `(node, output)` of every field of `<Name>Outputs`.
    pub kept: Vec<(usize, usize)>,
}

impl Graph {
    /// The graph and every wiring mistake in it. After a mistake the graph is a best effort
    /// (first producer wins, cycles left out of the order), enough for the fallback's types.
    pub fn build(
        header: &Header,
        nodes: Vec<Node>,
        branches: Vec<Branch>,
        extracts: Vec<Extract>,
    ) -> (Graph, Errors) {
        let mut errors = Errors::default();
        let mut graph = Graph {
            nodes,
            producers: HashMap::new(),
            branches,
            extracts,
            extracted: HashMap::new(),
            available: HashMap::new(),
            inputs: Vec::new(),
            bound: Vec::new(),
            stateful: Vec::new(),
            order: Vec::new(),
            pruned: Vec::new(),
            kept: Vec::new(),
        };
        graph.find_producers(&mut errors);
        graph.find_extracted(&mut errors);
        graph.declare_inputs_and_stateful(&mut errors);
        graph.declare_extracted_sources(&mut errors);
        graph.bind_inputs(header, &mut errors);
        graph.check_branches(&mut errors);
        graph.check_reads_in_arms(&mut errors);
        let topological = graph.topological_order(&mut errors);
        graph.select(header, topological, &mut errors);
        (graph, errors)
    }

    /// Node `n`'s position in run order: its index in the plan's node list.
    pub fn position(&self, n: usize) -> usize {
        self.order
            .iter()
            .position(|&m| m == n)
            .expect("every node that emits a call is in run order")
    }

    pub fn source_of(&self, name: &Ident) -> Source {
        let key = name.to_string();
        if let Some(&(extract, field)) = self.extracted.get(&key) {
            return Source::Field { extract, field };
        }
        if let Some(bound) = self.bound.iter().position(|b| b.name == key) {
            return Source::Bound(bound);
        }
        match self.producers.get(&key).and_then(|all| all.first()) {
            Some(&(node, output)) => Source::Output { node, output },
            None => Source::Input(
                self.inputs
                    .iter()
                    .position(|i| i.name == key)
                    .unwrap_or_else(|| {
                        panic!("every wired parameter is an output or an input: {key}")
                    }),
            ),
        }
    }

    /// The producer of `name`, if a node produces it.
    pub fn source_of_any(&self, name: &Ident) -> Option<Source> {
        let &(node, output) = self.producers.get(&name.to_string())?.first()?;
        Some(Source::Output { node, output })
    }

    /// The index of input `name`, if it is one.
    pub fn input_index(&self, name: &Ident) -> Option<usize> {
        match self.source_of(name) {
            Source::Input(input) => Some(input),
            _ => None,
        }
    }

    /// The value `name` is read from: the structured value of an extracted field, else itself.
    pub fn root<'a>(&'a self, name: &'a Ident) -> &'a Ident {
        match self.extracted.get(&name.to_string()) {
            Some(&(extract, _)) => &self.extracts[extract].source,
            None => name,
        }
    }

    /// Whether node `n` reads `name` (itself, or a field extracted from it).
    pub fn reads(&self, n: usize, name: &Ident) -> bool {
        self.values_read(n).any(|read| read == name)
    }

    /// The values node `n`'s wired parameters read (the structured value of an extracted
    /// field); stateful parameters read none.
    fn values_read(&self, n: usize) -> impl Iterator<Item = &Ident> + '_ {
        self.nodes[n]
            .meta
            .params
            .iter()
            .filter(|p| !p.mode.is_stateful())
            .map(|p| self.root(&p.name))
    }

    /// Every producer of `name` (several only in exclusive arms of a branch), in list order.
    pub fn producers_of(&self, name: &Ident) -> &[(usize, usize)] {
        self.producers
            .get(&name.to_string())
            .map_or(&[], Vec::as_slice)
    }

    /// Whether `name` certainly exists where `guard` holds: always for an input or a bound
    /// value; for an output, when its producers cover those arms. Elsewhere a reader gets an
    /// `Option`.
    pub fn present_for(&self, name: &Ident, guard: &Guard) -> bool {
        let name = self.root(name);
        match self.available.get(&name.to_string()) {
            Some(guards) => guards.iter().any(|g| arms::within(guard, g)),
            None => true,
        }
    }

    /// Whether a node that runs sits in an arm of branch `b` (else the branch decides nothing).
    pub fn reached(&self, b: usize) -> bool {
        self.order
            .iter()
            .any(|&n| self.nodes[n].guard.iter().any(|g| g.0 == b))
    }

    /// Whether the `kept`-th output exists only for items that took some arms (it is then an
    /// `Option` in `<Name>Outputs`).
    pub fn partial_output(&self, kept: usize) -> bool {
        let (n, o) = self.kept[kept];
        !self.present_for(&self.nodes[n].meta.outputs[o], &Vec::new())
    }

    pub fn stateful_index(&self, name: &Ident) -> usize {
        self.stateful
            .iter()
            .position(|s| s.name == *name)
            .expect("every stateful parameter is declared")
    }

    fn find_producers(&mut self, errors: &mut Errors) {
        for (index, node) in self.nodes.iter().enumerate() {
            for (output, name) in node.meta.outputs.iter().enumerate() {
                let all = self.producers.entry(name.to_string()).or_default();
                // Producers in exclusive arms never both run for one item.
                let together = all.iter().find(|&&(other, _)| {
                    exclusive(&self.nodes[other].guard, &node.guard).is_none()
                });
                match together {
                    Some(&(first, _)) => {
                        let in_arms = !node.guard.is_empty() || !self.nodes[first].guard.is_empty();
                        let arms = match in_arms {
                            true => {
                                " (or one per arm of a branch: these two can both run for one item)"
                            }
                            false => "",
                        };
                        errors.at(
                            &node.path,
                            format!(
                                "duplicate output `{name}`: produced by both `{}` and `{}`; \
                                 each value needs exactly one producer{arms}",
                                self.nodes[first].label(),
                                node.label()
                            ),
                        )
                    }
                    None => all.push((index, output)),
                }
            }
        }
        for (name, producers) in &self.producers {
            let guards = producers
                .iter()
                .map(|&(n, _)| self.nodes[n].guard.clone())
                .collect();
            self.available
                .insert(name.clone(), arms::coverage(guards, &self.branches));
        }
    }

    /// The values extractions name: each a new name, read from a field of its source.
    fn find_extracted(&mut self, errors: &mut Errors) {
        for (e, extract) in self.extracts.iter().enumerate() {
            for (f, (_, value)) in extract.fields.iter().enumerate() {
                let key = value.to_string();
                if let Some(&(producer, _)) = self.producers.get(&key).and_then(|all| all.first()) {
                    errors.at(
                        value,
                        format!(
                            "`{value}` is both extracted from `{}` and produced by `{}`: \
                             a name means one value in a pipeline",
                            extract.source,
                            self.nodes[producer].label()
                        ),
                    );
                } else if self.extracted.insert(key, (e, f)).is_some() {
                    errors.at(value, format!("`{value}` is extracted twice"));
                }
            }
        }
        for extract in &self.extracts {
            if let Some(&(e, _)) = self.extracted.get(&extract.source.to_string()) {
                errors.at(
                    &extract.source,
                    format!(
                        "`{}` is itself extracted from `{}`: extract from a node's output or an input",
                        extract.source, self.extracts[e].source
                    ),
                );
            }
        }
    }

    /// An extraction's source that no node produces or reads is an input of the type the
    /// extraction names.
    fn declare_extracted_sources(&mut self, errors: &mut Errors) {
        for extract in &self.extracts {
            let key = extract.source.to_string();
            if let Some(stateful) = self.stateful.iter().find(|s| s.name == key) {
                errors.at(
                    &extract.source,
                    format!(
                        "`{key}` is a stateful parameter of `{}`: extract fields of a value a node \
                         produces or of an input",
                        self.nodes[stateful.node].label()
                    ),
                );
                continue;
            }
            let known = self.producers.contains_key(&key)
                || self.extracted.contains_key(&key)
                || self.inputs.iter().any(|i| i.name == key);
            if !known {
                self.inputs.push(Declared {
                    name: extract.source.clone(),
                    node: usize::MAX,
                    param: usize::MAX,
                    ty: Some(extract.ty.clone()),
                });
            }
        }
    }

    fn declare_inputs_and_stateful(&mut self, errors: &mut Errors) {
        for (index, node) in self.nodes.iter().enumerate() {
            for (param, p) in node.meta.params.iter().enumerate() {
                let key = p.name.to_string();
                let as_stateful = self.stateful.iter().find(|s| s.name == key);
                let as_input = self.inputs.iter().find(|s| s.name == key);
                let conflict = |other: &Declared, this_is: &str, there: &str| {
                    format!(
                        "`{key}` is {this_is} in `{}` but {there} in `{}`: \
                         a name means one value in a pipeline",
                        node.label(),
                        self.nodes[other.node].label()
                    )
                };
                if p.mode.is_stateful() {
                    if let Some(&(producer, _)) =
                        self.producers.get(&key).and_then(|all| all.first())
                    {
                        let what = match p.mode {
                            Mode::StatefulMut => "a `&mut` parameter (per-worker state)",
                            _ => "stateful",
                        };
                        errors.at(
                            &node.path,
                            format!(
                                "`{key}` is {what} in `{}` but `{}` produces it as an output: \
                                 rename one of them, or take it by value or `&`",
                                node.label(),
                                self.nodes[producer].label()
                            ),
                        );
                    } else if let Some(input) = as_input {
                        errors.at(&node.path, conflict(input, "stateful", "a pipeline input"));
                    } else if as_stateful.is_none() {
                        self.stateful.push(Declared {
                            name: p.name.clone(),
                            node: index,
                            param,
                            ty: None,
                        });
                    }
                } else if let Some(stateful) = as_stateful {
                    errors.at(
                        &node.path,
                        conflict(stateful, "a wired parameter", "stateful"),
                    );
                } else if !self.producers.contains_key(&key) && as_input.is_none() {
                    if let Some(holder) = self.holder_of_intermediate(&p.name) {
                        errors.at(&node.path, intermediate_read(node, &p.name, holder));
                        continue;
                    }
                    if self.extracted.contains_key(&key) {
                        continue;
                    }
                    self.inputs.push(Declared {
                        name: p.name.clone(),
                        node: index,
                        param,
                        ty: None,
                    });
                }
            }
        }
    }

    /// A listed nested pipeline that computes `name` but keeps it inside.
    fn holder_of_intermediate(&self, name: &syn::Ident) -> Option<&Node> {
        self.nodes.iter().find(|n| {
            n.nested
                .as_ref()
                .is_some_and(|nested| nested.intermediates.contains(name))
        })
    }

    /// `#[bind(name = ..)]` turns the input `name` into a value fixed for every item.
    fn bind_inputs(&mut self, header: &Header, errors: &mut Errors) {
        for (name, _) in &header.binds {
            let key = name.to_string();
            if let Some(&(producer, _)) = self.producers.get(&key).and_then(|all| all.first()) {
                errors.at(
                    name,
                    format!(
                        "`#[bind]` names `{name}`, which `{}` produces: only inputs can be bound",
                        self.nodes[producer].label()
                    ),
                );
            } else if let Some(stateful) = self.stateful.iter().find(|s| s.name == key) {
                errors.at(
                    name,
                    format!(
                        "`#[bind]` names `{name}`, a stateful parameter of `{}`: stateful resources are built per worker, see `builder()`",
                        self.nodes[stateful.node].label()
                    ),
                );
            } else if let Some(position) = self.inputs.iter().position(|i| i.name == key) {
                let input = self.inputs.remove(position);
                self.bound.push(input);
            } else {
                let inputs: Vec<String> = self.inputs.iter().map(|i| i.name.to_string()).collect();
                errors.at(
                    name,
                    format!(
                        "`#[bind]` names `{name}`, which no node of `{}` reads{}\ninputs: {}",
                        header.name,
                        did_you_mean(&key, inputs.iter().map(String::as_str)),
                        quoted_list(inputs.iter().map(String::as_str))
                    ),
                );
            }
        }
        // Header order, so generated fields follow the user's `#[bind(..)]`.
        let order: Vec<String> = header.binds.iter().map(|(n, _)| n.to_string()).collect();
        self.bound
            .sort_by_key(|b| order.iter().position(|n| b.name == *n));
    }

    /// Each branch matches on a value that exists wherever the branch is reached: an input,
    /// or an output made outside the branch's own arms, and no stateful object.
    fn check_branches(&self, errors: &mut Errors) {
        for (b, branch) in self.branches.iter().enumerate() {
            let value = &branch.value;
            let key = value.to_string();
            let producers = self.producers_of(value);
            if let Some(&(extract, _)) = self.extracted.get(&key) {
                errors.at(
                    value,
                    format!(
                        "a branch matches on `{value}`, a field extracted from `{}`: match on a \
                         value a node produces or a pipeline input",
                        self.extracts[extract].source
                    ),
                );
            } else if let Some(stateful) = self.stateful.iter().find(|s| s.name == key) {
                errors.at(
                    value,
                    format!(
                        "a branch matches on `{value}`, a stateful parameter of `{}`: \
                         match on a value a node produces or a pipeline input",
                        self.nodes[stateful.node].label()
                    ),
                );
            } else if let Some(&(inside, _)) = producers
                .iter()
                .find(|&&(n, _)| self.nodes[n].guard.iter().any(|&(pb, _)| pb == b))
            {
                errors.at(
                    value,
                    format!(
                        "a branch matches on `{value}`, which `{}` produces inside the branch's own \
                         arms: compute the value before the branch",
                        self.nodes[inside].label()
                    ),
                );
            } else if !producers.is_empty() && !self.present_for(value, &branch.guard) {
                errors.at(
                    value,
                    format!(
                        "a branch matches on `{value}`, which only some arms of an enclosing branch \
                         produce: match on it inside the arm that produces it"
                    ),
                );
            } else if producers.is_empty()
                && !self.inputs.iter().chain(&self.bound).any(|i| i.name == key)
            {
                let values: Vec<String> = self.producers.keys().cloned().collect();
                errors.at(
                    value,
                    format!(
                        "a branch matches on `{value}`, which no node produces or reads{}\n\
                         help: a branch matches on a value a node produces, or on a pipeline input \
                         a node reads (its type comes from that node)",
                        did_you_mean(&key, values.iter().map(String::as_str)),
                    ),
                );
            }
        }
    }

    /// A node never reads a value only arms exclusive with its own produce: it would never
    /// exist there.
    fn check_reads_in_arms(&self, errors: &mut Errors) {
        for node in &self.nodes {
            for p in node.meta.params.iter().filter(|p| !p.mode.is_stateful()) {
                let root = self.root(&p.name);
                if root != &p.name && !self.present_for(root, &node.guard) {
                    errors.at(
                        &node.path,
                        format!(
                            "`{}` reads `{}`, a field of `{root}`, which only some branch arms \
                             produce: read `{root}` as an `Option` and take the field there",
                            node.label(),
                            p.name
                        ),
                    );
                    continue;
                }
                let producers = self.producers_of(&p.name);
                let elsewhere = |&&(n, _): &&(usize, usize)| {
                    exclusive(&self.nodes[n].guard, &node.guard).is_some()
                };
                if producers.is_empty() || !producers.iter().all(|p| elsewhere(&p)) {
                    continue;
                }
                let (producer, _) = producers[0];
                let arm = *self.nodes[producer]
                    .guard
                    .iter()
                    .find(|g| !node.guard.contains(g))
                    .expect("exclusive guards differ in an arm");
                errors.at(
                    &node.path,
                    format!(
                        "`{}` reads `{}`, which only `{}` produces, in the arm {}: \
                         `{}` runs in another arm of that branch, where `{}` never exists",
                        node.label(),
                        p.name,
                        self.nodes[producer].label(),
                        arms::arm_label(&self.branches, arm),
                        node.label(),
                        p.name,
                    ),
                );
            }
        }
    }

    /// [`Graph::dependencies`] of every node, looked up once: the passes that walk the graph
    /// visit each node many times, and each lookup formats names.
    fn all_dependencies(&self) -> Vec<Vec<usize>> {
        (0..self.nodes.len())
            .map(|n| self.dependencies(n).collect())
            .collect()
    }

    /// The producers a node reads from, and those of the values its arms match on.
    fn dependencies(&self, node: usize) -> impl Iterator<Item = usize> + '_ {
        let this = &self.nodes[node];
        let read = self.values_read(node);
        let read = read.flat_map(|name| self.producers_of(name).iter().map(|&(n, _)| n));
        // A producer inside the branch it decides is reported by `check_branches`, not as a cycle.
        let matched = this.guard.iter().flat_map(move |&(b, _)| {
            self.producers_of(&self.branches[b].value)
                .iter()
                .map(|&(n, _)| n)
                .filter(move |&n| self.nodes[n].guard.iter().all(|g| g.0 != b))
        });
        read.chain(matched)
    }

    /// Kahn's algorithm, always taking the first ready node in list order, so the order is
    /// deterministic and follows the user's list where the graph allows.
    fn topological_order(&self, errors: &mut Errors) -> Vec<usize> {
        let count = self.nodes.len();
        let dependencies = self.all_dependencies();
        let mut done = vec![false; count];
        let mut order = Vec::with_capacity(count);
        while let Some(next) =
            (0..count).find(|&n| !done[n] && dependencies[n].iter().all(|&d| done[d] && d != n))
        {
            done[next] = true;
            order.push(next);
        }
        if order.len() < count {
            self.report_cycle(&done, errors);
        }
        order
    }

    fn report_cycle(&self, done: &[bool], errors: &mut Errors) {
        // Every unfinished node waits on another unfinished one: walk those edges until a
        // node repeats; the walk from its first visit is a cycle.
        let start = done.iter().position(|d| !d).expect("a node is unfinished");
        let mut walk = vec![start];
        loop {
            let current = *walk.last().expect("walk is not empty");
            let next = self
                .dependencies(current)
                .find(|&d| !done[d])
                .expect("an unfinished node waits on an unfinished node");
            if let Some(at) = walk.iter().position(|&n| n == next) {
                let mut cycle: Vec<usize> = walk[at..].to_vec();
                cycle.reverse(); // producers first
                                 // Start at the node listed first, so the message reads like the list.
                let start = (0..cycle.len()).min_by_key(|&i| cycle[i]).unwrap_or(0);
                cycle.rotate_left(start);
                let first = cycle[0];
                if let [only] = cycle[..] {
                    let node = &self.nodes[only];
                    let value = node
                        .meta
                        .params
                        .iter()
                        .find(|p| node.meta.outputs.contains(&p.name) && !p.mode.is_stateful());
                    let value = value.map_or_else(String::new, |p| p.name.to_string());
                    errors.at(
                        &node.path,
                        format!(
                            "`{}` reads `{value}`, which it produces itself: \
                             rename the parameter or the output",
                            node.label()
                        ),
                    );
                    return;
                }
                let names: Vec<String> = cycle
                    .iter()
                    .chain(std::iter::once(&first))
                    .map(|&n| format!("`{}`", self.nodes[n].label()))
                    .collect();
                errors.at(
                    &self.nodes[first].path,
                    format!(
                        "dependency cycle: {} (each feeds the next by an output it reads)",
                        names.join(" -> ")
                    ),
                );
                return;
            }
            walk.push(next);
        }
    }

    fn select(&mut self, header: &Header, topological: Vec<usize>, errors: &mut Errors) {
        let every_output = || {
            self.nodes
                .iter()
                .enumerate()
                .flat_map(|(n, node)| (0..node.meta.outputs.len()).map(move |o| (n, o)))
        };
        let mut unknown = false;
        let kept: Vec<(usize, usize)> = match &header.outputs {
            // Every output, in the order the nodes run (after a duplicate, its first producer's).
            None => topological
                .iter()
                .flat_map(|&n| (0..self.nodes[n].meta.outputs.len()).map(move |o| (n, o)))
                .filter(|&(n, o)| {
                    self.producers_of(&self.nodes[n].meta.outputs[o]).first() == Some(&(n, o))
                })
                .collect(),
            Some(names) => names
                .iter()
                .filter_map(|name| match self.producers_of(name).first() {
                    Some(&producer) => Some(producer),
                    None => {
                        let all: Vec<String> = every_output()
                            .map(|(n, o)| self.nodes[n].meta.outputs[o].to_string())
                            .collect();
                        errors.at(
                            name,
                            format!(
                                "`#[outputs]` names `{name}`, which no node of `{}` produces{}\noutputs: {}",
                                header.name,
                                did_you_mean(&name.to_string(), all.iter().map(String::as_str)),
                                quoted_list(all.iter().map(String::as_str))
                            ),
                        );
                        unknown = true;
                        None
                    }
                })
                .collect(),
        };
        // After an unknown name, every node stays (and every input with it), so the code
        // around the pipeline sees the inputs it was written for and only the name is reported.
        let mut needed = vec![header.outputs.is_none() || unknown; self.nodes.len()];
        if header.outputs.is_some() && !unknown {
            let mut stack: Vec<usize> = kept
                .iter()
                .flat_map(|&(n, o)| self.producers_of(&self.nodes[n].meta.outputs[o]))
                .map(|&(n, _)| n)
                .collect();
            while let Some(node) = stack.pop() {
                if !std::mem::replace(&mut needed[node], true) {
                    stack.extend(self.dependencies(node));
                }
            }
        }
        self.order = topological.iter().copied().filter(|&n| needed[n]).collect();
        self.pruned = (0..self.nodes.len()).filter(|&n| !needed[n]).collect();
        self.kept = kept;
        let order = &self.order;
        // An input only pruned nodes read (or match on) is not asked for.
        let asked: Vec<bool> = self
            .inputs
            .iter()
            .map(|input| {
                order.iter().any(|&n| {
                    self.reads(n, &input.name)
                        || self.nodes[n]
                            .guard
                            .iter()
                            .any(|&(b, _)| self.branches[b].value == input.name)
                })
            })
            .collect();
        let mut asked = asked.into_iter();
        self.inputs.retain(|_| asked.next().unwrap_or(true));
    }

    /// Per node, the kept outputs (bits by position) that need it; `None` past 64 outputs,
    /// where every node runs whatever is asked.
    pub fn dependents(&self) -> Option<Vec<u64>> {
        if self.kept.len() > 64 {
            return None;
        }
        let dependencies = self.all_dependencies();
        let mut dependents = vec![0u64; self.nodes.len()];
        for (bit, &(n, o)) in self.kept.iter().enumerate() {
            let producers = self.producers_of(&self.nodes[n].meta.outputs[o]);
            let mut stack: Vec<usize> = producers.iter().map(|&(n, _)| n).collect();
            while let Some(node) = stack.pop() {
                if dependents[node] & 1 << bit == 0 {
                    dependents[node] |= 1 << bit;
                    stack.extend(&dependencies[node]);
                }
            }
        }
        Some(dependents)
    }

    /// The kept outputs (bits by position) a pipeline listing this one gets without
    /// `outputs(..)`: every one under `#[outputs(..)]`, otherwise those no node here reads.
    pub fn exposed(&self, header: &Header) -> u64 {
        if header.outputs.is_some() {
            return u64::MAX;
        }
        let read: std::collections::HashSet<String> = self
            .order
            .iter()
            .flat_map(|&n| self.values_read(n))
            .map(ToString::to_string)
            .collect();
        self.kept
            .iter()
            .enumerate()
            .filter(|&(_, &(n, o))| !read.contains(&self.nodes[n].meta.outputs[o].to_string()))
            .fold(0, |bits, (position, _)| match position {
                0..=63 => bits | 1 << position,
                _ => u64::MAX,
            })
    }

    /// The run order cut in groups: independent `async fn` nodes next to each other in the
    /// order (of the same arms) share a group, awaited together in a single-item call; with
    /// `threads`, so do independent plain function nodes, run on threads side by side. Every
    /// other node is a group of its own.
    pub fn concurrent_groups(&self, threads: bool) -> Vec<Vec<usize>> {
        let joins = |n: usize| {
            let meta = &self.nodes[n].meta;
            meta.kind == Kind::Function && (meta.asynchronous || threads)
        };
        let mut groups: Vec<Vec<usize>> = Vec::new();
        for &n in &self.order {
            let node = &self.nodes[n];
            let fits = |group: &Vec<usize>| {
                let first = &self.nodes[group[0]];
                joins(group[0])
                    && first.guard == node.guard
                    && first.meta.asynchronous == node.meta.asynchronous
                    && !group.iter().any(|&m| {
                        let outputs = &self.nodes[m].meta.outputs;
                        node.meta.params.iter().any(|p| outputs.contains(&p.name))
                    })
            };
            match groups.last_mut() {
                Some(group) if joins(n) && fits(group) => group.push(n),
                _ => groups.push(vec![n]),
            }
        }
        groups
    }

    /// Whether a node that runs takes input `input` by value. Only then must a lent input be
    /// cloned for it (`OwnedArg`); one every node borrows is lent as it is.
    pub fn input_taken_by_value(&self, input: usize) -> bool {
        let name = &self.inputs[input].name;
        self.order.iter().any(|&n| {
            self.nodes[n]
                .meta
                .params
                .iter()
                .any(|p| &p.name == name && p.mode == Mode::Value)
        })
    }

    /// Whether input `input` can be lent to its readers straight from a record batch's column
    /// (`map_batch`): batch nodes that run read it, every one by reference (`&[T]`), and
    /// nothing else does (no per-item node, branch or field extraction), so its values are
    /// never needed one item at a time.
    pub fn input_lendable(&self, input: usize) -> bool {
        let name = &self.inputs[input].name;
        let params = || {
            self.order.iter().flat_map(|&n| {
                let node = &self.nodes[n];
                node.meta.params.iter().map(move |p| (node, p))
            })
        };
        let readers = params().filter(|(_, p)| &p.name == name || self.root(&p.name) == name);
        let mut read = false;
        for (node, p) in readers {
            if !node.meta.batch || p.mode != Mode::Ref || &p.name != name {
                return false;
            }
            read = true;
        }
        read && !self.branches.iter().any(|b| &b.value == name)
    }

    /// Per input, the kept outputs that need it (all bits past 64 outputs).
    pub fn input_needs(&self) -> Vec<u64> {
        let dependents = self.dependents();
        self.inputs
            .iter()
            .map(|input| match &dependents {
                None => u64::MAX,
                Some(dependents) => self
                    .order
                    .iter()
                    .filter(|&&n| self.reads(n, &input.name))
                    .fold(0, |needs, &n| needs | dependents[n]),
            })
            .collect()
    }

    /// Decides which nodes' value types the pipeline names through their aliases: those less
    /// visible than the pipeline, whose types then reach its public surface and compile
    /// whenever the types themselves are visible enough (a type that is not meets Rust's own
    /// "private type in public interface" error, naming it); and, in a pipeline that is not
    /// `pub` and so may be nested in a more visible one, every node that is not `pub` either
    /// and is listed by a path, which reaches its aliases too. A node imported by name alone
    /// brings no alias with it, so it keeps the projection through its twin when it can.
    pub fn choose_type_names(&mut self, header: &Header) {
        let pipeline = Vis::of(&header.vis);
        for node in &mut self.nodes {
            let hidden = node.meta.vis < Vis::Public;
            node.types_by_alias = node.meta.vis < pipeline
                || (pipeline < Vis::Public && hidden && node.path.segments.len() > 1);
        }
    }
}

/// A node reads a value that a nested pipeline of the list computes but keeps inside.
fn intermediate_read(reader: &Node, name: &syn::Ident, holder: &Node) -> String {
    let holder_label = holder.label();
    let mut outputs: Vec<String> = holder
        .meta
        .outputs
        .iter()
        .map(ToString::to_string)
        .collect();
    outputs.push(name.to_string());
    format!(
        "`{}` reads `{name}`, an intermediate value of the nested pipeline `{holder_label}`: \
         a nested pipeline gives only its final outputs ({}) unless `outputs(..)` names more; \
         write `{holder_label}(outputs({}))`",
        reader.label(),
        quoted_list(
            holder
                .meta
                .outputs
                .iter()
                .map(|o| o.to_string())
                .collect::<Vec<_>>()
                .iter()
                .map(String::as_str)
        ),
        outputs.join(", "),
    )
}
