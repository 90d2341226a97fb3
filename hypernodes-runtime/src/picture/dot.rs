//! The picture in Graphviz DOT.

use std::fmt::Write;

use super::model::{Model, Vertex, VertexKind};

pub fn render(model: &Model) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "digraph {} {{", model.name);
    out.push_str("  rankdir=TB;\n  node [fontname=\"Helvetica\", fontsize=11];\n  edge [fontname=\"Helvetica\", fontsize=9];\n");
    write_cluster(&mut out, model, None, 1);
    for edge in &model.edges {
        let style = if edge.dashed { ", style=dashed" } else { "" };
        let _ = writeln!(
            out,
            "  {} -> {} [label=\"{}\"{style}];",
            edge.from, edge.to, edge.label
        );
    }
    out.push('}');
    out
}

/// The vertices of `cluster` (the top level for `None`) and its sub-clusters, nested.
fn write_cluster(out: &mut String, model: &Model, cluster: Option<usize>, depth: usize) {
    let pad = "  ".repeat(depth);
    for vertex in model.vertices.iter().filter(|v| v.cluster == cluster) {
        let _ = writeln!(out, "{pad}{} [{}];", vertex.id, attributes(vertex));
    }
    for (index, sub) in model.clusters.iter().enumerate() {
        if sub.parent != cluster {
            continue;
        }
        let _ = writeln!(out, "{pad}subgraph {} {{", sub.id);
        let _ = writeln!(
            out,
            "{pad}  label=\"{}\"; style=\"rounded,dashed\"; color=\"#8a7a4a\"; fontname=\"Helvetica\"; fontsize=10;",
            sub.label
        );
        write_cluster(out, model, Some(index), depth + 1);
        let _ = writeln!(out, "{pad}}}");
    }
}

fn attributes(vertex: &Vertex) -> String {
    let name = &vertex.name;
    match vertex.kind {
        VertexKind::Input => format!(
            "label=\"{name}\", shape=ellipse, style=filled, fillcolor=\"#e8f0fe\""
        ),
        VertexKind::Bound => format!(
            "label=\"{name} (bound)\", shape=ellipse, style=\"filled,dashed\", fillcolor=\"#f7f7f7\", color=\"#bbbbbb\", fontcolor=\"#999999\""
        ),
        VertexKind::Stateful => format!(
            "label=\"{name}\", shape=cylinder, style=filled, fillcolor=\"#eeeeee\""
        ),
        VertexKind::Branch => format!(
            "label=\"{name}\", shape=diamond, style=filled, fillcolor=\"#e6f4ea\""
        ),
        VertexKind::Function | VertexKind::Pipeline => {
            let shape = match vertex.kind {
                VertexKind::Pipeline => "box3d",
                _ => "box",
            };
            let style = match vertex.pruned {
                true => "style=\"rounded,dashed\", color=gray, fontcolor=gray",
                false => "style=\"rounded,filled\", fillcolor=\"#fff4d6\"",
            };
            let label = node_label(vertex, "\\n");
            format!("label=\"{label}\", shape={shape}, {style}")
        }
    }
}

/// `name`, its outputs, and its note, one per line.
pub fn node_label(vertex: &Vertex, newline: &str) -> String {
    let mut label = format!("{}{newline}→ {}", vertex.name, vertex.outputs.join(", "));
    if let Some(note) = &vertex.note {
        let _ = write!(label, "{newline}({note})");
    }
    label
}
