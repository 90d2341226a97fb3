//! First step of `pipeline!`: parse the list and hand it to the first node's metadata macro.
//!
//! `pipeline! { attrs vis Name = [a, path::b, Inner] }` becomes
//! `a! { @chain { [krate] header } [] [a] [[path::b] [Inner] [krate::__private::pipeline_impl]] }`;
//! each node's macro appends its metadata and calls the next entry, so the last node calls the
//! final expansion.

use proc_macro2::{Delimiter, Span, TokenStream};
use quote::{quote, ToTokens};
use syn::parse::{ParseStream, Parser};
use syn::{Path, Token};

use super::header::Header;
use crate::errors::Errors;
use crate::meta::CHAIN_VERSION;

struct Front {
    krate: TokenStream,
    header: Header,
    brackets: Span,
    nodes: Vec<Path>,
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
    let nodes = Parser::parse2(
        |list: ParseStream| list.parse_terminated(Path::parse_mod_style, Token![,]),
        list,
    )
    .map_err(|e| {
        syn::Error::new(
            e.span(),
            format!("{e}: list nodes by name or path, e.g. `[clean, text::tokenize]`"),
        )
    })?;
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
        nodes: nodes.into_iter().collect(),
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
    let nodes = distinct(&front.nodes, &mut errors);
    let chain = check_size(&front, &nodes, &mut errors).then(|| chain(&front, &nodes));
    let errors = errors.into_compile_errors();
    quote!(#errors #chain)
}

/// Reports each node listed more than once, keeping its first mention.
fn distinct(nodes: &[Path], errors: &mut Errors) -> Vec<Path> {
    let mut seen: Vec<String> = Vec::new();
    let mut kept = Vec::new();
    for path in nodes {
        let key = path.to_token_stream().to_string();
        if seen.contains(&key) {
            errors.at(
                path,
                format!(
                    "`{}` is listed twice: list each node once",
                    key.replace(' ', "")
                ),
            );
        } else {
            seen.push(key);
            kept.push(path.clone());
        }
    }
    kept
}

fn check_size(front: &Front, nodes: &[Path], errors: &mut Errors) -> bool {
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

fn chain(front: &Front, nodes: &[Path]) -> TokenStream {
    let version = syn::Ident::new(CHAIN_VERSION, Span::call_site());
    let krate = &front.krate;
    let header = front.header.to_tokens();
    let first = &nodes[0];
    let rest = nodes[1..].iter().map(|path| quote!([#path]));
    let last = quote!([#krate::__private::pipeline_impl]);
    quote! {
        #first! { @#version { [#krate] #header } [] [#first] [#(#rest)* #last] }
    }
}
