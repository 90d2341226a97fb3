//! The graph as Graphviz DOT and as a Mermaid flowchart, rendered at compile time.
//!
//! Inputs are ellipses, nodes boxes listing their outputs, nested pipelines 3-D boxes, stateful
//! objects cylinders; nodes `#[outputs]` made unnecessary are dashed and grey. Edges carry the
//! name of the value they pass.

use std::fmt::Write;

use super::graph::{Graph, Source};
use super::header::Header;
use crate::meta::{Kind, Mode};

/// A node's id in both formats: its position keeps two functions of the same name apart.
fn node_id(graph: &Graph, n: usize) -> String {
    format!("n{n}_{}", graph.nodes[n].meta.name)
}

/// One edge: (from id, to id, label).
fn edges(graph: &Graph) -> Vec<(String, String, String)> {
    let mut edges = Vec::new();
    for (n, node) in graph.nodes.iter().enumerate() {
        for p in &node.meta.params {
            let from = match p.mode {
                Mode::Stateful | Mode::StatefulMut => format!("state_{}", p.name),
                _ => match graph.source_of_any(&p.name) {
                    Some(Source::Output { node: from, .. }) => node_id(graph, from),
                    _ => format!("input_{}", p.name),
                },
            };
            edges.push((from, node_id(graph, n), p.name.to_string()));
        }
    }
    edges
}

/// Every input name, including those only pruned nodes read.
fn all_inputs(graph: &Graph) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for node in &graph.nodes {
        for p in &node.meta.params {
            let name = p.name.to_string();
            if !p.mode.is_stateful()
                && graph.source_of_any(&p.name).is_none()
                && !names.contains(&name)
            {
                names.push(name);
            }
        }
    }
    names
}

fn label(graph: &Graph, n: usize, newline: &str) -> String {
    let node = &graph.nodes[n];
    let outputs: Vec<String> = node.meta.outputs.iter().map(ToString::to_string).collect();
    format!("{}{newline}→ {}", node.meta.name, outputs.join(", "))
}

pub fn dot(header: &Header, graph: &Graph) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "digraph {} {{", header.name);
    out.push_str("  rankdir=TB;\n  node [fontname=\"Helvetica\", fontsize=11];\n  edge [fontname=\"Helvetica\", fontsize=9];\n");
    for input in all_inputs(graph) {
        let _ = writeln!(out, "  input_{input} [label=\"{input}\", shape=ellipse, style=filled, fillcolor=\"#e8f0fe\"];");
    }
    for state in &graph.stateful {
        let _ = writeln!(
            out,
            "  state_{0} [label=\"{0}\", shape=cylinder, style=filled, fillcolor=\"#eeeeee\"];",
            state.name
        );
    }
    for (n, node) in graph.nodes.iter().enumerate() {
        let shape = match node.meta.kind {
            Kind::Function => "box",
            Kind::Pipeline => "box3d",
        };
        let style = if graph.pruned.contains(&n) {
            "style=\"rounded,dashed\", color=gray, fontcolor=gray"
        } else {
            "style=\"rounded,filled\", fillcolor=\"#fff4d6\""
        };
        let _ = writeln!(
            out,
            "  {} [label=\"{}\", shape={shape}, {style}];",
            node_id(graph, n),
            label(graph, n, "\\n")
        );
    }
    for (from, to, value) in edges(graph) {
        let style = if from.starts_with("state_") {
            ", style=dashed"
        } else {
            ""
        };
        let _ = writeln!(out, "  {from} -> {to} [label=\"{value}\"{style}];");
    }
    out.push('}');
    out
}

pub fn mermaid(graph: &Graph) -> String {
    let mut out = String::from("flowchart TD\n");
    for input in all_inputs(graph) {
        let _ = writeln!(out, "    input_{input}([\"{input}\"])");
    }
    for state in &graph.stateful {
        let _ = writeln!(out, "    state_{0}[(\"{0}\")]", state.name);
    }
    for (n, node) in graph.nodes.iter().enumerate() {
        let text = label(graph, n, "<br/>");
        let id = node_id(graph, n);
        match node.meta.kind {
            Kind::Function => writeln!(out, "    {id}[\"{text}\"]"),
            Kind::Pipeline => writeln!(out, "    {id}[[\"{text}\"]]"),
        }
        .expect("writing to a String cannot fail");
        if graph.pruned.contains(&n) {
            let _ = writeln!(out, "    style {id} stroke-dasharray: 4 4,color:#999");
        }
    }
    for (from, to, value) in edges(graph) {
        let arrow = if from.starts_with("state_") {
            "-.->"
        } else {
            "-->"
        };
        let _ = writeln!(out, "    {from} {arrow}|{value}| {to}");
    }
    out.trim_end().to_owned()
}
