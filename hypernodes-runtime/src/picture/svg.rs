//! The picture as an SVG image, laid out by layout-rs (pure Rust, no Graphviz needed).
//!
//! layout-rs draws no cluster boxes, so an expanded nested pipeline's vertices are tinted with
//! a colour of their own and their names prefixed with the pipeline's (`Scoring ▸ score`).

use std::fmt::Write;

use layout::backends::svg::SVGWriter;
use layout::gv::{DotParser, GraphBuilder};

use super::model::{Model, Vertex, VertexKind};

/// Tints for the vertices of nested pipelines, by cluster.
const TINTS: [&str; 5] = ["#e3f4e1", "#f3e5f5", "#e0f2f1", "#fde7e0", "#e8eaf6"];

pub fn render(model: &Model) -> Result<String, String> {
    let dot = flat_dot(model);
    let mut parser = DotParser::new(&dot);
    let graph = parser.process()?;
    let mut builder = GraphBuilder::new();
    builder.visit_graph(&graph);
    let mut visual = builder.get();
    let mut svg = SVGWriter::new();
    visual.do_it(false, false, false, &mut svg);
    Ok(svg.finalize())
}

/// DOT for layout-rs: no subgraphs, one-line labels, shapes it knows.
fn flat_dot(model: &Model) -> String {
    let mut out = String::from("digraph {\n");
    for vertex in &model.vertices {
        let _ = writeln!(out, "  {} [{}];", vertex.id, attributes(model, vertex));
    }
    for edge in &model.edges {
        let style = if edge.dashed {
            ", style=\"dashed\""
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  {} -> {} [label=\"{}\", fontsize=\"11\"{style}];",
            edge.from,
            edge.to,
            escape(&edge.label)
        );
    }
    out.push('}');
    out
}

fn attributes(model: &Model, vertex: &Vertex) -> String {
    let mut name = vertex.name.clone();
    let mut fill = "#fff4d6";
    let mut cluster = vertex.cluster;
    if let Some(index) = cluster {
        fill = TINTS[index % TINTS.len()];
    }
    while let Some(index) = cluster {
        name = format!("{} ▸ {name}", model.clusters[index].name);
        cluster = model.clusters[index].parent;
    }
    let (label, shape, fill, color) = match vertex.kind {
        VertexKind::Input => (name, "ellipse", "#e8f0fe", "#4a6fa5"),
        VertexKind::Bound => (format!("{name} (bound)"), "ellipse", "#f7f7f7", "#bbbbbb"),
        VertexKind::Stateful => (format!("[{name}]"), "box", "#eeeeee", "#777777"),
        VertexKind::Branch => (format!("◇ {name}"), "box", "#e6f4ea", "#3c7a4a"),
        VertexKind::Function | VertexKind::Pipeline => {
            let mut label = format!("{name} → {}", vertex.outputs.join(", "));
            if let Some(note) = &vertex.note {
                let _ = write!(label, " ({note})");
            }
            if vertex.kind == VertexKind::Pipeline {
                label = format!("⧉ {label}");
            }
            let (fill, color) = match vertex.pruned {
                true => ("#ffffff", "#aaaaaa"),
                false => (fill, "#8a7a4a"),
            };
            (label, "box", fill, color)
        }
    };
    format!(
        "label=\"{}\", shape=\"{shape}\", style=\"filled\", fillcolor=\"{fill}\", color=\"{color}\", fontsize=\"13\"",
        escape(&label)
    )
}

fn escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}
