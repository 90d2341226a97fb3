//! First step of `pipeline!`: parse the list and hand it to the first node's metadata macro.
//!
//! `pipeline! { attrs vis Name = [a, path::b, Inner(map_over(x))] }` becomes
//! `a! { @chain { [krate] [() () (map_over(x))] header } [] [a] [[path::b] [Inner] [krate::__private::pipeline_impl]] }`;
//! each node's macro appends its metadata and calls the next entry, so the last node calls the
//! final expansion. How each entry is used (renaming, `map_over`) rides in the context, which
//! node macros pass on untouched, and is checked by the final expansion against the metadata.

use proc_macro2::{Delimiter, Span, TokenStream};
use quote::{quote, ToTokens};
use syn::parse::{ParseStream, Parser};
use syn::Token;

use super::header::Header;
use super::list::{
    branches_tokens, exclusive, extracts_tokens, guard_tokens, parse_list, Entry, Flat, Guard,
};
use crate::errors::Errors;
use crate::meta::CHAIN_VERSION;

struct Front {
    krate: TokenStream,
    header: Header,
    brackets: Span,
    list: Flat,
}

fn parse(input: ParseStream, errors: &mut Errors) -> syn::Result<Front> {
    let krate_group;
    syn::bracketed!(krate_group in input);
    let krate: TokenStream = krate_group.parse()?;
    let header = Header::parse(input, errors)?;
    input.parse::<Token![=]>().map_err(|e| {
        syn::Error::new(
            e.span(),
            "expected `=` and the node list: `Name = [node_a, node_b]`",
        )
    })?;
    let (brackets, list) = input.step(|cursor| match cursor.group(Delimiter::Bracket) {
        Some((content, span, rest)) => Ok(((span.join(), content.token_stream()), rest)),
        None => Err(cursor.error("expected the node list in brackets: `[node_a, node_b]`")),
    })?;
    let list = Parser::parse2(parse_list, list)?;
    input.parse::<Option<Token![;]>>()?;
    if !input.is_empty() {
        return Err(
            input.error("unexpected tokens after the node list: one pipeline per `pipeline!`")
        );
    }
    Ok(Front {
        krate,
        header,
        brackets,
        list,
    })
}

pub fn expand(input: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let front = match Parser::parse2(|i: ParseStream| parse(i, &mut errors), input) {
        Ok(front) => front,
        Err(e) => {
            errors.push(e);
            return errors.into_compile_errors();
        }
    };
    let nodes = distinct(&front.list.nodes, &mut errors);
    let chain = check_size(&front, &nodes, &mut errors).then(|| chain(&front, &nodes));
    let errors = errors.into_compile_errors();
    quote!(#errors #chain)
}

/// Reports each node listed more than once (the same way) in the same arms, keeping its first
/// mention. The same node may sit in two arms of a branch: only one of them runs.
fn distinct(nodes: &[(Entry, Guard)], errors: &mut Errors) -> Vec<(Entry, Guard)> {
    let mut seen: Vec<(String, &Guard)> = Vec::new();
    let mut kept = Vec::new();
    for (entry, guard) in nodes {
        let key = entry.key();
        if seen
            .iter()
            .any(|(k, g)| *k == key && exclusive(g, guard).is_none())
        {
            errors.at(
                &entry.path,
                format!("`{key}` is listed twice: list each node once"),
            );
        } else {
            seen.push((key, guard));
            kept.push((entry.clone(), guard.clone()));
        }
    }
    kept
}

fn check_size(front: &Front, nodes: &[(Entry, Guard)], errors: &mut Errors) -> bool {
    let name = &front.header.name;
    if nodes.is_empty() {
        errors.span(
            front.brackets,
            format!("pipeline `{name}` has no nodes: list at least one, e.g. `{name} = [my_node]`"),
        );
        return false;
    }
    let max = front.header.max_nodes();
    if nodes.len() > max {
        errors.at(
            name,
            format!(
                "pipeline `{name}` lists {} nodes, more than the {max} a flat pipeline can hold under \
                 `recursion_limit = {}` (every node is one macro expansion step)\n\
                 help: group nodes into smaller pipelines and list those here (a pipeline is a node), \
                 or raise the limit: `#![recursion_limit = \"256\"]` at the crate root and \
                 `#[recursion_limit = 256]` on this pipeline",
                nodes.len(),
                front.header.recursion_limit
            ),
        );
        return false;
    }
    true
}

fn chain(front: &Front, nodes: &[(Entry, Guard)]) -> TokenStream {
    let version = syn::Ident::new(CHAIN_VERSION, Span::call_site());
    let krate = &front.krate;
    let header = front.header.to_tokens();
    let first = &nodes[0].0.path;
    let rest = nodes[1..].iter().map(|(entry, _)| {
        let path = &entry.path;
        quote!([#path])
    });
    let usages = nodes.iter().map(|(entry, _)| match &entry.usage {
        Some(group) => group.to_token_stream(),
        None => quote!(()),
    });
    let guards = nodes.iter().map(|(_, guard)| guard_tokens(guard));
    let branches = branches_tokens(&front.list.branches);
    let extracts = extracts_tokens(&front.list.extracts);
    let last = quote!([#krate::__private::pipeline_impl]);
    quote! {
        #first! {
            @#version { [#krate] [#(#usages)*] #branches [#(#guards)*] #extracts #header }
            [] [#first] [#(#rest)* #last]
        }
    }
}
