//! How a nested pipeline is used in a list entry: `Inner(inputs(text = chunks),
//! outputs(score = scores), map_over(chunks))`. Left of `=` the inner name, right the name in
//! the outer pipeline. Checked here against the inner pipeline's metadata; the node's metadata
//! is rewritten to the outer names, so the graph sees an ordinary node.

use proc_macro2::{Span, TokenStream};
use syn::parse::Parser;
use syn::Ident;

use super::node::{NestedUse, Node};
use crate::errors::{did_you_mean, quoted_list, Errors};
use crate::meta::Kind;
use crate::pipeline::parse::usage::{parse_usage, Usage};

/// Rewrites `node`'s metadata to the outer names and records how to call it. Every mistake is
/// reported at the user's token; after one, the node keeps its inner names.
pub fn apply(node: &mut Node, usage: TokenStream, errors: &mut Errors) {
    let given = !usage.is_empty();
    if node.meta.kind == Kind::Function {
        if given {
            errors.at(
                &usage,
                format!(
                    "`inputs(..)`, `outputs(..)` and `map_over(..)` apply to a pipeline used as a node; `{}` is a function",
                    node.label()
                ),
            );
        }
        return;
    }
    let outputs = node.meta.outputs.len();
    let all = if outputs >= 64 {
        u64::MAX
    } else {
        (1u64 << outputs) - 1
    };
    let mut nested = NestedUse {
        params_at: (0..node.meta.params.len()).collect(),
        inner_params: node.meta.params.len(),
        inner_outputs: outputs,
        outputs_at: (0..outputs).collect(),
        mask: all,
        mapped: vec![false; node.meta.params.len()],
        product: false,
        renamed: Vec::new(),
        intermediates: Vec::new(),
    };
    let usage = match Parser::parse2(parse_usage, usage) {
        Ok(usage) => usage,
        Err(error) => {
            errors.push(error);
            node.nested = Some(nested);
            return;
        }
    };
    let mut local = Errors::default();
    rename_inputs(node, &mut nested, &usage, &mut local);
    match &usage.outputs {
        Some((span, pairs)) => select_outputs(node, &mut nested, *span, pairs, &mut local),
        None => select_final_outputs(node, &mut nested),
    }
    if local.is_empty() {
        drop_unneeded_inputs(node, &mut nested);
        map_over(node, &mut nested, &usage, &mut local);
    }
    errors.extend(local);
    node.nested = Some(nested);
}

fn rename_inputs(node: &mut Node, nested: &mut NestedUse, usage: &Usage, errors: &mut Errors) {
    let label = node.label();
    let inner_names: Vec<String> = node
        .meta
        .params
        .iter()
        .map(|p| p.name.to_string())
        .collect();
    let mut renamed: Vec<Option<Ident>> = vec![None; inner_names.len()];
    for (inner, outer) in &usage.inputs {
        let Some(position) = find(&label, "input", &inner_names, inner, errors) else {
            continue;
        };
        if renamed[position].is_some() {
            errors.at(
                inner,
                format!("input `{inner}` of `{label}` is renamed twice"),
            );
            continue;
        }
        renamed[position] = Some(outer.clone());
    }
    let names: Vec<Ident> = node
        .meta
        .params
        .iter()
        .zip(&renamed)
        .map(|(p, r)| r.clone().unwrap_or_else(|| p.name.clone()))
        .collect();
    for (position, name) in names.iter().enumerate() {
        if let Some(other) = names[..position].iter().position(|n| n == name) {
            let at = renamed[position]
                .as_ref()
                .or(renamed[other].as_ref())
                .unwrap_or(name);
            errors.at(
                at,
                format!(
                    "inputs `{}` and `{}` of `{label}` are both mapped to `{name}`: map each to its own name",
                    inner_names[other], inner_names[position]
                ),
            );
        }
    }
    if errors.is_empty() {
        for (param, name) in node.meta.params.iter_mut().zip(names) {
            if param.name != name {
                nested
                    .renamed
                    .push((param.name.to_string(), name.to_string()));
            }
            param.name = name;
        }
    }
}

fn select_outputs(
    node: &mut Node,
    nested: &mut NestedUse,
    span: Span,
    pairs: &[(Ident, Ident)],
    errors: &mut Errors,
) {
    let label = node.label();
    let inner_names: Vec<String> = node.meta.outputs.iter().map(ToString::to_string).collect();
    if pairs.is_empty() {
        errors.span(
            span,
            format!("`outputs()` selects no output of `{label}`: name at least one"),
        );
        return;
    }
    let mut positions = Vec::new();
    let mut outer_names: Vec<Ident> = Vec::new();
    for (inner, outer) in pairs {
        let Some(position) = find(&label, "output", &inner_names, inner, errors) else {
            continue;
        };
        if positions.contains(&position) {
            errors.at(
                inner,
                format!("output `{inner}` of `{label}` is selected twice"),
            );
            continue;
        }
        if let Some(first) = outer_names.iter().position(|n| n == outer) {
            errors.at(
                outer,
                format!(
                    "outputs `{}` and `{inner}` of `{label}` are both mapped to `{outer}`: map each to its own name",
                    inner_names[positions[first]]
                ),
            );
            continue;
        }
        positions.push(position);
        outer_names.push(outer.clone());
    }
    if errors.is_empty() {
        nested.mask = positions
            .iter()
            .fold(0, |mask, &p| if p >= 64 { u64::MAX } else { mask | 1 << p });
        for (&position, outer) in positions.iter().zip(&outer_names) {
            if *outer != inner_names[position] {
                nested
                    .renamed
                    .push((inner_names[position].clone(), outer.to_string()));
            }
        }
        nested.outputs_at = positions;
        node.meta.outputs = outer_names;
    }
}

/// Without `outputs(..)`, the outer pipeline gets the inner one's final outputs (see
/// `NodeMeta::exposed`); its intermediate values stay inside, and the inner nodes that only
/// they need do not run.
fn select_final_outputs(node: &mut Node, nested: &mut NestedUse) {
    let exposed = node.meta.exposed;
    let is_exposed = |position: usize| position >= 64 || exposed & (1 << position) != 0;
    let (exposed, hidden): (Vec<usize>, Vec<usize>) =
        (0..node.meta.outputs.len()).partition(|&p| is_exposed(p));
    if hidden.is_empty() {
        return;
    }
    nested.mask = exposed.iter().fold(0, |mask, &p| match p {
        0..=63 => mask | 1 << p,
        _ => u64::MAX,
    });
    nested.intermediates = hidden
        .iter()
        .map(|&p| node.meta.outputs[p].clone())
        .collect();
    node.meta.outputs = exposed
        .iter()
        .map(|&p| node.meta.outputs[p].clone())
        .collect();
    nested.outputs_at = exposed;
}

/// The position of `inner` among the nested pipeline's input or output names, or an error at
/// it naming the closest one.
fn find(
    label: &str,
    what: &str,
    names: &[String],
    inner: &Ident,
    errors: &mut Errors,
) -> Option<usize> {
    let position = names.iter().position(|n| inner == n);
    if position.is_none() {
        errors.at(
            inner,
            format!(
                "`{label}` has no {what} `{inner}`{}\n{what}s: {}",
                did_you_mean(&inner.to_string(), names.iter().map(String::as_str)),
                quoted_list(names.iter().map(String::as_str))
            ),
        );
    }
    position
}

/// Inputs only the outputs left out need are not wired: the inner pipeline never reads them.
fn drop_unneeded_inputs(node: &mut Node, nested: &mut NestedUse) {
    let needs = &node.meta.needs;
    if needs.len() != node.meta.params.len() {
        return;
    }
    let keep: Vec<bool> = needs.iter().map(|&n| n & nested.mask != 0).collect();
    let mut position = 0;
    node.meta.params.retain(|_| {
        position += 1;
        keep[position - 1]
    });
    nested.params_at = (0..keep.len()).filter(|&p| keep[p]).collect();
    nested.mapped = vec![false; nested.params_at.len()];
}

fn map_over(node: &Node, nested: &mut NestedUse, usage: &Usage, errors: &mut Errors) {
    let label = node.label();
    let names: Vec<String> = node
        .meta
        .params
        .iter()
        .map(|p| p.name.to_string())
        .collect();
    for name in &usage.map_over {
        match names.iter().position(|n| name == n) {
            Some(position) if nested.mapped[position] => {
                errors.at(name, format!("`map_over` names `{name}` twice"));
            }
            Some(position) => nested.mapped[position] = true,
            None => errors.at(
                name,
                format!(
                    "`map_over` names `{name}`, which is not an input of `{label}` here{}\ninputs: {}",
                    did_you_mean(&name.to_string(), names.iter().map(String::as_str)),
                    quoted_list(names.iter().map(String::as_str))
                ),
            ),
        }
    }
    if usage.product && usage.map_over.len() < 2 {
        if let Some(first) = usage.map_over.first() {
            errors.at(first, "`product(..)` combines at least two inputs");
        }
    }
    nested.product = usage.product;
}
