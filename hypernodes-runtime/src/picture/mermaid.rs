//! The picture as a Mermaid flowchart.

use std::fmt::Write;

use super::dot::node_label;
use super::model::{Model, VertexKind};

pub fn render(model: &Model) -> String {
    let mut out = String::from("flowchart TD\n");
    write_cluster(&mut out, model, None, 1);
    for edge in &model.edges {
        let arrow = if edge.dashed { "-.->" } else { "-->" };
        let _ = writeln!(out, "    {} {arrow}|{}| {}", edge.from, edge.label, edge.to);
    }
    for vertex in &model.vertices {
        let style = match (vertex.kind, vertex.pruned) {
            (VertexKind::Bound, _) => "fill:#f7f7f7,color:#999,stroke:#bbb,stroke-dasharray: 3 3",
            (_, true) => "stroke-dasharray: 4 4,color:#999",
            _ => continue,
        };
        let _ = writeln!(out, "    style {} {style}", vertex.id);
    }
    out.trim_end().to_owned()
}

fn write_cluster(out: &mut String, model: &Model, cluster: Option<usize>, depth: usize) {
    let pad = "    ".repeat(depth);
    for vertex in model.vertices.iter().filter(|v| v.cluster == cluster) {
        let id = &vertex.id;
        let name = &vertex.name;
        let _ = match vertex.kind {
            VertexKind::Input => writeln!(out, "{pad}{id}([\"{name}\"])"),
            VertexKind::Bound => writeln!(out, "{pad}{id}([\"{name} (bound)\"])"),
            VertexKind::Stateful => writeln!(out, "{pad}{id}[(\"{name}\")]"),
            VertexKind::Branch => writeln!(out, "{pad}{id}{{\"{name}\"}}"),
            VertexKind::Function => writeln!(out, "{pad}{id}[\"{}\"]", node_label(vertex, "<br/>")),
            VertexKind::Pipeline => {
                writeln!(out, "{pad}{id}[[\"{}\"]]", node_label(vertex, "<br/>"))
            }
        };
    }
    for (index, sub) in model.clusters.iter().enumerate() {
        if sub.parent != cluster {
            continue;
        }
        let _ = writeln!(out, "{pad}subgraph {} [\"{}\"]", sub.id, sub.label);
        write_cluster(out, model, Some(index), depth + 1);
        let _ = writeln!(out, "{pad}end");
    }
}
