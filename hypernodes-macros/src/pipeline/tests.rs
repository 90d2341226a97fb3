//! Unit tests of the pipeline model: the metadata's write/read round trip, the graph's wiring
//! checks, and a golden expansion of a small pipeline (`UPDATE_GOLDEN=1` rewrites it).

use proc_macro2::TokenStream;
use quote::quote;
use syn::parse::Parser;

use super::model::graph::Graph;
use super::model::node::Node;
use super::parse::header::Header;
use crate::errors::Errors;
use crate::features::Features;
use crate::meta::{written_type, Absolute, Kind, Mode, NodeMeta, CHAIN_VERSION};

/// A function node's metadata as the chain carries it: `name(params) -> outputs`.
fn meta(name: &str, params: &[(&str, &str)], outputs: &[&str]) -> TokenStream {
    let params: Vec<_> = params.iter().map(|&(p, mode)| (p, mode, None)).collect();
    let outputs: Vec<_> = outputs.iter().map(|&o| (o, None)).collect();
    typed_meta(name, &params, &outputs)
}

/// The same, with the types of some parameters and outputs as written (`Some("Vec<String>")`).
fn typed_meta(
    name: &str,
    params: &[(&str, &str, Option<&str>)],
    outputs: &[(&str, Option<&str>)],
) -> TokenStream {
    let ident = |text: &str| syn::Ident::new(text, proc_macro2::Span::call_site());
    // The hash of the type as written, then its absolute spelling if it has one, as `#[node]`
    // writes them.
    let written = |ty: Option<&str>| {
        ty.map(|ty| {
            let (hash, absolute) = written_type(&ty.parse().unwrap());
            let hash = proc_macro2::Literal::u64_unsuffixed(hash);
            match absolute {
                Some(absolute) => quote!(#hash (#absolute)),
                None => quote!(#hash),
            }
        })
    };
    let name = ident(name);
    let params = params.iter().map(|&(param, mode, ty)| {
        let (param, mode, ty) = (ident(param), ident(mode), written(ty));
        quote!(#param: #mode #ty)
    });
    let outputs = outputs.iter().map(|&(output, ty)| {
        let (output, ty) = (ident(output), written(ty));
        quote!(#output #ty)
    });
    quote! {{
        name = #name, vis = public, params = [#(#params),*], outputs = [#(#outputs),*]
    }}
}

fn node(meta_tokens: TokenStream) -> Node {
    let meta: NodeMeta = syn::parse2(meta_tokens).expect("metadata parses");
    Node::new(syn::Path::from(meta.name.clone()), meta, Vec::new())
}

fn header(tokens: TokenStream) -> Header {
    let mut errors = Errors::default();
    let header = Parser::parse2(
        |input: syn::parse::ParseStream| Header::parse(input, &mut errors),
        tokens,
    )
    .expect("header parses");
    assert!(errors.is_empty());
    header
}

/// Every message of a graph's errors, in order.
fn messages(errors: Errors) -> Vec<String> {
    match errors.into_result() {
        Ok(()) => Vec::new(),
        Err(error) => error.into_iter().map(|e| e.to_string()).collect(),
    }
}

/// `shout` takes `cleaned` as `&str`, written `::std::string::String` behind the reference, where
/// `clean` writes `String`: the one edge whose types are written differently, so checked.
fn words_nodes() -> Vec<Node> {
    let string = Some("String");
    vec![
        node(typed_meta(
            "clean",
            &[("text", "by_ref", string)],
            &[("cleaned", string)],
        )),
        node(typed_meta(
            "tokenize",
            &[("cleaned", "by_ref", string)],
            &[("tokens", Some("Vec<String>"))],
        )),
        node(typed_meta(
            "count",
            &[("tokens", "by_ref", Some("Vec<String>"))],
            &[("word_count", Some("usize"))],
        )),
        node(typed_meta(
            "shout",
            &[("cleaned", "by_ref", Some("::std::string::String"))],
            &[("loud", string)],
        )),
    ]
}

#[test]
fn metadata_survives_its_round_trip_through_the_chain() {
    let written = typed_meta(
        "clean",
        &[
            ("text", "by_ref", Some("String")),
            ("model", "stateful_mut", None),
        ],
        &[("a", Some("u64")), ("b", None)],
    );
    let read: NodeMeta = syn::parse2(written).unwrap();
    let again: NodeMeta = syn::parse2(read.to_tokens()).unwrap();
    for m in [&read, &again] {
        assert_eq!(m.kind, Kind::Function);
        assert_eq!(m.name, "clean");
        let params: Vec<_> = m
            .params
            .iter()
            .map(|p| (p.name.to_string(), p.mode))
            .collect();
        assert_eq!(
            params,
            [
                ("text".into(), Mode::Ref),
                ("model".into(), Mode::StatefulMut)
            ]
        );
        assert_eq!(m.outputs, ["a", "b"]);
        let hash = |ty: &str| Some(written_type(&ty.parse().unwrap()).0);
        let written: Vec<_> = m.params.iter().map(|p| p.written).collect();
        assert_eq!(written, [hash("String"), None]);
        assert_eq!(m.written_outputs, [hash("u64"), None]);
        let absolute = |a: Option<&Absolute>| a.map(|a| quote!(#a).to_string());
        let params: Vec<_> = m
            .params
            .iter()
            .map(|p| absolute(p.absolute.as_ref()))
            .collect();
        assert_eq!(params, [Some(":: std :: string :: String".into()), None]);
        let outputs: Vec<_> = (0..2).map(|o| absolute(m.absolute_output(o))).collect();
        assert_eq!(outputs, [Some(":: core :: primitive :: u64".into()), None]);
        assert_eq!((m.version, m.cached), (0, true));
    }
    assert_eq!(read.to_tokens().to_string(), again.to_tokens().to_string());
}

#[test]
fn metadata_other_than_the_defaults_survives_its_round_trip() {
    let written = quote! {{
        name = scored, vis = in_crate, params = [items: value], outputs = [best],
        kind = pipeline, fallible = true, batch = true, per_item = true, asynchronous = true,
        poisoned = true, cached = false, needs = [1, 3], exposed = 2, version = 4,
        config = { batch_size = 64 }
    }};
    let read: NodeMeta = syn::parse2(written).unwrap();
    let again: NodeMeta = syn::parse2(read.to_tokens()).unwrap();
    for m in [&read, &again] {
        assert_eq!((m.kind, m.vis), (Kind::Pipeline, crate::meta::Vis::Crate));
        let flags = (
            m.fallible,
            m.batch,
            m.per_item,
            m.asynchronous,
            m.poisoned,
            m.cached,
        );
        assert_eq!(flags, (true, true, true, true, true, false));
        assert_eq!(m.needs, [1, 3]);
        assert_eq!((m.exposed, m.version), (2, 4));
        assert_eq!(m.config.entries.len(), 1);
    }
    assert_eq!(read.to_tokens().to_string(), again.to_tokens().to_string());
}

#[test]
fn a_plain_functions_metadata_writes_no_default() {
    let read: NodeMeta = syn::parse2(meta("clean", &[("text", "by_ref")], &["cleaned"])).unwrap();
    let written = read.to_tokens().to_string();
    for default in [
        "kind", "fallible", "cached", "needs", "exposed", "version", "config",
    ] {
        assert!(!written.contains(default), "{default} in {written}");
    }
}

#[test]
fn inputs_are_the_values_no_node_produces_and_order_is_topological() {
    // Listed out of order: `count` reads what `tokenize` produces after it in the list.
    let mut nodes = words_nodes();
    nodes.swap(1, 2);
    let (graph, errors) = Graph::build(&header(quote!(pub Words)), nodes, Vec::new(), Vec::new());
    assert!(messages(errors).is_empty());
    let inputs: Vec<_> = graph.inputs.iter().map(|i| i.name.to_string()).collect();
    assert_eq!(inputs, ["text"]);
    let order: Vec<_> = graph
        .order
        .iter()
        .map(|&n| graph.nodes[n].label())
        .collect();
    assert_eq!(order, ["clean", "tokenize", "count", "shout"]);
}

#[test]
fn selected_outputs_need_only_the_nodes_that_lead_to_them() {
    let (graph, errors) = Graph::build(
        &header(quote!(#[outputs(word_count)] pub Words)),
        words_nodes(),
        Vec::new(),
        Vec::new(),
    );
    assert!(messages(errors).is_empty());
    let pruned: Vec<_> = graph
        .pruned
        .iter()
        .map(|&n| graph.nodes[n].label())
        .collect();
    assert_eq!(pruned, ["shout"]);
    // One kept output: bit 0 marks the nodes it needs.
    assert_eq!(graph.dependents(), Some(vec![1, 1, 1, 0]));
    assert_eq!(graph.input_needs(), [1]);
}

#[test]
fn a_cycle_is_reported_with_the_nodes_on_it() {
    let nodes = vec![
        node(meta("a", &[("y", "value")], &["x"])),
        node(meta("b", &[("x", "value")], &["y"])),
    ];
    let (_, errors) = Graph::build(&header(quote!(pub Loop)), nodes, Vec::new(), Vec::new());
    let messages = messages(errors);
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(messages[0].contains("cycle"), "{}", messages[0]);
    assert!(
        messages[0].contains("`a`") && messages[0].contains("`b`"),
        "{}",
        messages[0]
    );
}

#[test]
fn two_producers_of_one_output_are_an_error_naming_both() {
    let nodes = vec![
        node(meta("a", &[("x", "value")], &["y"])),
        node(meta("b", &[("x", "value")], &["y"])),
    ];
    let (_, errors) = Graph::build(&header(quote!(pub Twice)), nodes, Vec::new(), Vec::new());
    let messages = messages(errors);
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(messages[0].starts_with("duplicate output `y`: produced by both `a` and `b`"));
}

#[test]
fn an_unknown_selected_output_suggests_the_closest_name() {
    let (_, errors) = Graph::build(
        &header(quote!(#[outputs(word_cont)] pub Words)),
        words_nodes(),
        Vec::new(),
        Vec::new(),
    );
    let messages = messages(errors);
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(
        messages[0].contains("did you mean `word_count`?"),
        "{}",
        messages[0]
    );
}

/// The final step's whole input for `pub Words = [clean, tokenize, count, shout]`.
fn words_chain() -> TokenStream {
    let version = syn::Ident::new(CHAIN_VERSION, proc_macro2::Span::call_site());
    let entries = words_nodes().into_iter().map(|n| {
        let path = &n.path;
        let meta = n.meta.to_tokens();
        quote!(([#path] #meta))
    });
    quote! {
        @#version { [::hypernodes] [() () () ()] [] [[] [] [] []] [] #[outputs(word_count, loud)] pub Words }
        [ #(#entries)* ] [::hypernodes::__private::pipeline_impl] []
    }
}

#[test]
fn only_values_whose_types_are_written_differently_are_checked() {
    let expansion = super::expand_for(words_chain(), Features::ALL).to_string();
    let checked = |producer: &str, consumer: &str| {
        expansion.contains(&format!(", {producer} , {consumer} > :: wire_ref"))
    };
    assert!(
        checked("clean", "shout"),
        "`String` against `::std::string::String`"
    );
    assert!(!checked("clean", "tokenize"), "both `String`");
    assert!(!checked("tokenize", "count"), "both `Vec<String>`");
}

#[test]
fn a_small_pipeline_expands_as_recorded() {
    let expansion = super::expand_for(words_chain(), Features::ALL).to_string();
    let text = super::expand::debug::readable(&expansion);
    let golden = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/words.rs");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&golden, &text).unwrap();
    }
    let recorded = std::fs::read_to_string(&golden).unwrap_or_default();
    assert!(
        text == recorded,
        "the expansion of `Words` changed; if that is intended, review the difference with \
         `UPDATE_GOLDEN=1 cargo test -p hypernodes-macros` and `git diff {}`",
        golden.display()
    );
}
