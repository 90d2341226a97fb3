//! `pipeline!`, in three phases, each in its folder: `parse` reads the input and the chain's
//! last step, `model` builds the graph and checks it, `expand` writes the code from the model.

mod expand;
mod model;
mod parse;

pub use parse::front;

#[cfg(test)]
mod tests;

use proc_macro2::TokenStream;

use expand::{codegen, debug, fallback};
use model::graph::Graph;
use model::node::Node;
use model::usage;
use parse::ImplInput;

pub fn expand(input: TokenStream) -> TokenStream {
    expand_for(input, crate::features::Features::BUILD)
}

/// `expand` for a build with `features`.
fn expand_for(input: TokenStream, features: crate::features::Features) -> TokenStream {
    let ImplInput {
        krate,
        header,
        nodes,
        usages,
        branches,
        guards,
        extracts,
    } = match syn::parse2(input) {
        Ok(input) => input,
        Err(e) => return e.into_compile_error(),
    };
    if nodes.iter().any(|(_, meta)| meta.poisoned) {
        // The node's own error is already reported; more from here would only be noise.
        return TokenStream::new();
    }
    let mut errors = crate::errors::Errors::default();
    let mut nodes: Vec<Node> = nodes
        .into_iter()
        .zip(guards)
        .map(|((path, meta), guard)| Node::new(path, meta, guard))
        .collect();
    for (node, usage) in nodes.iter_mut().zip(usages) {
        usage::apply(node, usage, &mut errors);
    }
    let (mut graph, graph_errors) = Graph::build(&header, nodes, branches, extracts);
    graph.choose_type_names(&header);
    errors.extend(graph_errors);
    if errors.is_empty() {
        let pipeline = codegen::generate(&krate, &header, &graph, features);
        debug::print_if_asked(&header.name.to_string(), &pipeline);
        pipeline
    } else {
        let fallback = fallback::generate(&krate, &header, &graph);
        let errors = errors.into_compile_errors();
        quote::quote!(#errors #fallback)
    }
}
