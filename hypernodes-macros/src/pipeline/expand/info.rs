//! `Name::INFO`: the pipeline's structure and resolved config as constants.

use proc_macro2::TokenStream;
use quote::quote;

use crate::config::{Config, Key, Value};
use crate::fq::FqOption;
use crate::meta::Kind;
use crate::pipeline::model::graph::Graph;
use crate::pipeline::model::node::Node;
use crate::pipeline::parse::header::Header;
use crate::pipeline::parse::list::pattern_text;

pub fn generate(krate: &TokenStream, header: &Header, graph: &Graph) -> TokenStream {
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
    let nodes = listed.map(|&n| {
        node_info(
            krate,
            &header.config,
            &graph.nodes[n],
            !graph.pruned.contains(&n),
        )
    });
    let pipeline_config = resolved_config(krate, &header.config, &Config::default());
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
            nodes: &[#(#nodes),*],
            config: #pipeline_config,
            branches: &[#(#branches),*],
            fields: &[#(#fields),*],
        };
    }
}

fn node_info(krate: &TokenStream, pipeline: &Config, node: &Node, runs: bool) -> TokenStream {
    let meta = &node.meta;
    let name = meta.name.to_string();
    let by_mode = |stateful: bool| {
        meta.params
            .iter()
            .filter(move |p| p.mode.is_stateful() == stateful)
            .map(|p| p.name.to_string())
    };
    let (inputs, stateful) = (by_mode(false), by_mode(true));
    let outputs = meta.outputs.iter().map(ToString::to_string);
    let (kind, nested) = match meta.kind {
        Kind::Function => (quote!(Function), quote!(#FqOption::None)),
        Kind::Pipeline => {
            let path = &node.path;
            (quote!(Pipeline), quote!(#FqOption::Some(&<#path>::INFO)))
        }
    };
    let config = resolved_config(krate, pipeline, &meta.config);
    let batch = meta.batch;
    let asynchronous = meta.asynchronous;
    let arm = arm_of(node.guard.last().copied());
    let (renamed, map_over, product) = match &node.nested {
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
    quote! {
        #krate::__private::NodeInfo {
            name: #name,
            kind: #krate::__private::NodeKind::#kind,
            batch: #batch,
            asynchronous: #asynchronous,
            inputs: &[#(#inputs),*],
            stateful: &[#(#stateful),*],
            outputs: &[#(#outputs),*],
            config: #config,
            runs: #runs,
            nested: #nested,
            renamed: &[#(#renamed),*],
            map_over: &[#(#map_over),*],
            product: #product,
            arm: #arm,
        }
    }
}

/// `Some((branch, arm))` or `None`, as tokens.
fn arm_of(arm: Option<(usize, usize)>) -> TokenStream {
    match arm {
        Some((branch, arm)) => quote!(#FqOption::Some((#branch, #arm))),
        None => quote!(#FqOption::None),
    }
}

/// node `config(..)` > pipeline `#[config(..)]` > built-in default; the engine level is applied
/// at run time by the engines that have settings.
fn resolved_config(krate: &TokenStream, pipeline: &Config, node: &Config) -> TokenStream {
    let setting = |key: Key, builtin: TokenStream, wrap: fn(TokenStream) -> TokenStream| {
        let (value, source) = match (node.get(key), pipeline.get(key)) {
            (Some(v), _) => (literal(v), quote!(Node)),
            (None, Some(v)) => (literal(v), quote!(Pipeline)),
            (None, None) => {
                return quote!(#krate::__private::Setting::new(#builtin, #krate::__private::ConfigSource::Default))
            }
        };
        let value = wrap(value);
        quote!(#krate::__private::Setting::new(#value, #krate::__private::ConfigSource::#source))
    };
    let same = |v| v;
    let some = |v| quote!(#FqOption::Some(#v));
    let batch_size = setting(
        Key::BatchSize,
        quote!(#krate::__private::settings::DEFAULT_BATCH_SIZE),
        same,
    );
    let max_concurrency = setting(Key::MaxConcurrency, quote!(#FqOption::None), some);
    let use_process = setting(Key::UseProcess, quote!(false), same);
    let gpus = setting(
        Key::Gpus,
        quote!(#krate::__private::settings::DEFAULT_GPUS),
        same,
    );
    let max_retries = setting(
        Key::MaxRetries,
        quote!(#krate::__private::settings::DEFAULT_MAX_RETRIES),
        same,
    );
    quote! {
        #krate::__private::NodeConfig { batch_size: #batch_size, max_concurrency: #max_concurrency,
            use_process: #use_process, gpus: #gpus, max_retries: #max_retries }
    }
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
