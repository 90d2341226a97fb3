//! `pipeline!`'s final step: every node's metadata has arrived through the chain.

mod body;
mod cache;
mod codegen;
mod columns;
mod debug;
mod fallback;
mod fields;
pub mod front;
mod graph;
mod header;
mod info;
mod names;
mod steps;
mod surface;
mod usage;

#[cfg(test)]
mod tests;

use proc_macro2::TokenStream;
use syn::parse::{Parse, ParseStream};
use syn::{bracketed, parenthesized, Path, Token};

use crate::meta::NodeMeta;
use graph::{Graph, Node};
use header::TrustedHeader;

struct ImplInput {
    krate: TokenStream,
    header: header::Header,
    nodes: Vec<Node>,
    /// How each node is used, in list order: `()` or `(inputs(..), ..)`.
    usages: Vec<TokenStream>,
}

/// `@version { [krate] header } [ ([path] meta)* ] [this macro's path] []`: the chain's last step.
impl Parse for ImplInput {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        input.parse::<Token![@]>()?;
        input.parse::<syn::Ident>()?; // the chain version
        let context;
        syn::braced!(context in input);
        let krate;
        bracketed!(krate in context);
        let krate = krate.parse()?;
        let usages_group;
        bracketed!(usages_group in context);
        let mut usages = Vec::new();
        while !usages_group.is_empty() {
            let usage;
            parenthesized!(usage in usages_group);
            usages.push(usage.parse()?);
        }
        let TrustedHeader(header) = context.parse()?;
        let list;
        bracketed!(list in input);
        let mut nodes = Vec::new();
        while !list.is_empty() {
            let entry;
            parenthesized!(entry in list);
            let path;
            bracketed!(path in entry);
            let path = path.call(Path::parse_mod_style)?;
            let meta: NodeMeta = entry.parse()?;
            nodes.push(Node {
                path,
                meta,
                nested: None,
            });
        }
        input.parse::<proc_macro2::Group>()?; // this macro's own path
        input.parse::<proc_macro2::Group>()?; // nothing left to call
        Ok(ImplInput {
            krate,
            header,
            nodes,
            usages,
        })
    }
}

pub fn expand(input: TokenStream) -> TokenStream {
    let ImplInput {
        krate,
        header,
        mut nodes,
        usages,
    } = match syn::parse2(input) {
        Ok(input) => input,
        Err(e) => return e.into_compile_error(),
    };
    if nodes.iter().any(|n| n.meta.poisoned) {
        // The node's own error is already reported; more from here would only be noise.
        return TokenStream::new();
    }
    let mut errors = crate::errors::Errors::default();
    for (node, usage) in nodes.iter_mut().zip(usages) {
        usage::apply(node, usage, &mut errors);
    }
    let (graph, graph_errors) = Graph::build(&header, nodes);
    errors.extend(graph_errors);
    if errors.is_empty() {
        // A node less visible than the pipeline is an error, but the graph is sound: generate
        // the pipeline too, so the code around it keeps compiling.
        graph.check_visibility(&header, &mut errors);
        let pipeline = codegen::generate(&krate, &header, &graph);
        debug::print_if_asked(&header.name.to_string(), &pipeline);
        let errors = errors.into_compile_errors();
        quote::quote!(#errors #pipeline)
    } else {
        let fallback = fallback::generate(&krate, &header, &graph);
        let errors = errors.into_compile_errors();
        quote::quote!(#errors #fallback)
    }
}
