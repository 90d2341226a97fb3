//! `Name::INFO`: the pipeline's structure and resolved config as constants.

use proc_macro2::TokenStream;
use quote::quote;

use crate::config::{Config, Key, Value};
use crate::fq::FqOption;
use crate::krate::Krate;
use crate::meta::Kind;
use crate::pipeline::model::graph::Graph;
use crate::pipeline::model::node::Node;
use crate::pipeline::parse::header::Header;
use crate::pipeline::parse::list::pattern_text;

pub fn generate(krate: &Krate, header: &Header, graph: &Graph) -> TokenStream {
    let name = header.name.to_string();
    let order = graph
        .order
        .iter()
        .map(|&n| graph.nodes[n].meta.name.to_string());
    let inputs = graph.inputs.iter().map(|i| i.name.to_string());
    let bound = graph.bound.iter().map(|b| b.name.to_string());
    let outputs = graph
        .kept
        .iter()
        .map(|&(n, o)| graph.nodes[n].meta.outputs[o].to_string());
    let listed = graph.order.iter().chain(&graph.pruned);
    let nodes = node_table(
        krate,
        listed.map(|&n| {
            node_info(
                krate,
                &header.config,
                &graph.nodes[n],
                !graph.pruned.contains(&n),
            )
        }),
    );
    let pipeline_config = configured(krate, &header.config, &Config::default())
        .unwrap_or_else(|| quote!(#krate::__private::NodeConfig::BUILTIN));
    let fields = graph.extracts.iter().flat_map(|extract| {
        let of = extract.source.to_string();
        extract.fields.iter().map(move |(field, value)| {
            let (field, value) = (field.to_string(), value.to_string());
            quote!(#krate::__private::FieldInfo { value: #value, of: #of, field: #field })
        })
    });
    let branches = graph.branches.iter().map(|branch| {
        let value = branch.value.to_string();
        let arms = branch.patterns.iter().map(pattern_text);
        let within = arm_of(branch.guard.last().copied());
        quote! {
            #krate::__private::BranchInfo { value: #value, arms: &[#(#arms),*], within: #within }
        }
    });
    quote! {
        /// The pipeline's structure, generated at compile time.
        pub const INFO: #krate::__private::PipelineInfo = #krate::__private::PipelineInfo {
            name: #name,
            order: &[#(#order),*],
            inputs: &[#(#inputs),*],
            outputs: &[#(#outputs),*],
            bound: &[#(#bound),*],
            nodes: #nodes,
            config: #pipeline_config,
            branches: &[#(#branches),*],
            fields: &[#(#fields),*],
        };
    }
}

/// One node of `INFO`: a plain function node as the text of its [`NodeTable`] entry, any other
/// as a `NodeInfo` value.
///
/// [`NodeTable`]: https://docs.rs/hypernodes/latest/hypernodes/info/struct.NodeTable.html
enum NodeEntry {
    Plain {
        name: String,
        inputs: Vec<String>,
        outputs: Vec<String>,
    },
    Full(TokenStream),
}

/// Separators of the runtime's packed `NodeTable` text: `name:inputs>outputs` entries joined by
/// `;`, names joined by `,`, and `#i` for the `i`-th node written in full. The runtime decodes
/// the same text (`hypernodes-runtime/src/info/table.rs`).
const TABLE_SEPARATORS: [char; 5] = [';', '#', ':', '>', ','];

/// `NodeTable::packed(text, &[full nodes])`: plain function nodes as text, which rustc reads as
/// one string literal instead of building, checking and evaluating a `NodeInfo` per node.
fn node_table(krate: &Krate, entries: impl Iterator<Item = NodeEntry>) -> TokenStream {
    let mut text = Vec::new();
    let mut full = Vec::new();
    for entry in entries {
        match entry {
            NodeEntry::Plain {
                name,
                inputs,
                outputs,
            } => text.push(format!("{name}:{}>{}", inputs.join(","), outputs.join(","))),
            NodeEntry::Full(node) => {
                text.push(format!("#{}", full.len()));
                full.push(node);
            }
        }
    }
    if text.len() == full.len() {
        return quote!(#krate::__private::NodeTable::from_slice(&[#(#full),*]));
    }
    let text = text.join(";");
    quote!(#krate::__private::NodeTable::packed(#text, &[#(#full),*]))
}

/// Whether `name` can be written in a packed entry; other names go in a full `NodeInfo`.
fn packs(name: &str) -> bool {
    !name.is_empty() && !name.contains(TABLE_SEPARATORS)
}

fn node_info(krate: &Krate, pipeline: &Config, node: &Node, runs: bool) -> NodeEntry {
    let meta = &node.meta;
    let name = meta.name.to_string();
    let by_mode = |stateful: bool| {
        meta.params
            .iter()
            .filter(move |p| p.mode.is_stateful() == stateful)
            .map(|p| p.name.to_string())
    };
    let inputs: Vec<String> = by_mode(false).collect();
    let stateful = by_mode(true);
    let outputs: Vec<String> = meta.outputs.iter().map(ToString::to_string).collect();
    let (kind, nested) = match meta.kind {
        Kind::Function => (quote!(Function), quote!(#FqOption::None)),
        Kind::Pipeline => {
            let path = &node.path;
            (quote!(Pipeline), quote!(#FqOption::Some(&<#path>::INFO)))
        }
    };
    let config = configured(krate, pipeline, &meta.config);
    let (batch, asynchronous) = (meta.batch, meta.asynchronous);
    let arm = node.guard.last().map(|&arm| arm_of(Some(arm)));
    let (renamed, map_over, product): (Vec<_>, Vec<_>, _) = match &node.nested {
        Some(nested) => (
            nested
                .renamed
                .iter()
                .map(|(inner, outer)| quote!((#inner, #outer)))
                .collect(),
            meta.params
                .iter()
                .zip(&nested.mapped)
                .filter(|(_, &mapped)| mapped)
                .map(|(p, _)| p.name.to_string())
                .collect(),
            nested.product,
        ),
        None => (Vec::new(), Vec::new(), false),
    };
    // Only what differs from `NodeInfo::FUNCTION` is written: each node's constant is then a
    // few fields, which type-checks and borrow-checks in a fraction of the time.
    let mut fields = vec![
        quote!(name: #name),
        quote!(inputs: &[#(#inputs),*]),
        quote!(outputs: &[#(#outputs),*]),
    ];
    let stateful: Vec<String> = stateful.collect();
    if !stateful.is_empty() {
        fields.push(quote!(stateful: &[#(#stateful),*]));
    }
    if let Some(config) = config {
        fields.push(quote!(config: #config));
    }
    if !matches!(meta.kind, Kind::Function) {
        fields.push(quote!(kind: #krate::__private::NodeKind::#kind, nested: #nested));
    }
    if batch {
        fields.push(quote!(batch: true));
    }
    if asynchronous {
        fields.push(quote!(asynchronous: true));
    }
    if !runs {
        fields.push(quote!(runs: false));
    }
    if !renamed.is_empty() {
        fields.push(quote!(renamed: &[#(#renamed),*]));
    }
    if !map_over.is_empty() {
        fields.push(quote!(map_over: &[#(#map_over),*]));
    }
    if product {
        fields.push(quote!(product: true));
    }
    if let Some(arm) = arm {
        fields.push(quote!(arm: #arm));
    }
    let names = || std::iter::once(&name).chain(&inputs).chain(&outputs);
    if fields.len() == PLAIN_FIELDS && names().all(|name| packs(name)) {
        return NodeEntry::Plain {
            name,
            inputs,
            outputs,
        };
    }
    NodeEntry::Full(quote! {
        #krate::__private::NodeInfo { #(#fields,)* ..#krate::__private::NodeInfo::FUNCTION }
    })
}

/// Name, inputs and outputs: a node with no other field of its own is a plain function node.
const PLAIN_FIELDS: usize = 3;

/// `Some((branch, arm))` or `None`, as tokens.
fn arm_of(arm: Option<(usize, usize)>) -> TokenStream {
    match arm {
        Some((branch, arm)) => quote!(#FqOption::Some((#branch, #arm))),
        None => quote!(#FqOption::None),
    }
}

/// node `config(..)` > pipeline `#[config(..)]` > built-in default; the engine level is applied
/// at run time by the engines that have settings. `None` when every key is at its built-in
/// default (`NodeConfig::BUILTIN`); otherwise only the keys set are written.
fn configured(krate: &Krate, pipeline: &Config, node: &Config) -> Option<TokenStream> {
    let setting = |key: Key, wrap: fn(TokenStream) -> TokenStream| {
        let (value, source) = match (node.get(key), pipeline.get(key)) {
            (Some(v), _) => (literal(v), quote!(Node)),
            (None, Some(v)) => (literal(v), quote!(Pipeline)),
            (None, None) => return None,
        };
        let value = wrap(value);
        Some(
            quote!(#krate::__private::Setting::new(#value, #krate::__private::ConfigSource::#source)),
        )
    };
    let same = |v| v;
    let some = |v| quote!(#FqOption::Some(#v));
    let keys = [
        (quote!(batch_size), setting(Key::BatchSize, same)),
        (quote!(max_concurrency), setting(Key::MaxConcurrency, some)),
        (quote!(use_process), setting(Key::UseProcess, same)),
        (quote!(gpus), setting(Key::Gpus, same)),
        (quote!(max_retries), setting(Key::MaxRetries, same)),
    ];
    let set: Vec<TokenStream> = keys
        .into_iter()
        .filter_map(|(key, value)| value.map(|value| quote!(#key: #value)))
        .collect();
    (!set.is_empty()).then(|| {
        quote!(#krate::__private::NodeConfig { #(#set,)* ..#krate::__private::NodeConfig::BUILTIN })
    })
}

fn literal(value: Value) -> TokenStream {
    match value {
        Value::Int(v) => {
            let v = proc_macro2::Literal::u64_unsuffixed(v);
            quote!(#v)
        }
        Value::Bool(v) => quote!(#v),
    }
}
