//! The nested-use syntax: how a pipeline listed as a node renames, selects and maps.

use proc_macro2::Span;
use syn::parse::ParseStream;
use syn::{parenthesized, Ident, Token};

/// `(inputs(inner = outer, ..), outputs(..), map_over(..))` after a pipeline in the list.
#[derive(Default)]
pub struct Usage {
    pub inputs: Vec<(Ident, Ident)>,
    pub outputs: Option<(Span, Vec<(Ident, Ident)>)>,
    pub map_over: Vec<Ident>,
    pub product: bool,
}

/// `inner = outer`, or `inner` alone (same name) where `optional_value`.
fn parse_pair(entry: ParseStream, optional_value: bool) -> syn::Result<(Ident, Ident)> {
    let inner: Ident = entry.parse()?;
    if optional_value && !entry.peek(Token![=]) {
        return Ok((inner.clone(), inner));
    }
    entry
        .parse::<Token![=]>()
        .map_err(|e| syn::Error::new(e.span(), "expected `inner_name = outer_name`"))?;
    Ok((inner, entry.parse()?))
}

fn parse_pairs(input: ParseStream, optional_value: bool) -> syn::Result<Vec<(Ident, Ident)>> {
    let list = match optional_value {
        true => input.parse_terminated(|e| parse_pair(e, true), Token![,])?,
        false => input.parse_terminated(|e| parse_pair(e, false), Token![,])?,
    };
    Ok(list.into_iter().collect())
}

pub fn parse_usage(input: ParseStream) -> syn::Result<Usage> {
    let mut usage = Usage::default();
    let mut seen: Vec<String> = Vec::new();
    while !input.is_empty() {
        let key: Ident = input.parse()?;
        let content;
        parenthesized!(content in input);
        if seen.contains(&key.to_string()) {
            return Err(syn::Error::new(
                key.span(),
                format!("`{key}(..)` is given twice"),
            ));
        }
        seen.push(key.to_string());
        match key.to_string().as_str() {
            "inputs" => usage.inputs = parse_pairs(&content, false)?,
            "outputs" => usage.outputs = Some((key.span(), parse_pairs(&content, true)?)),
            "map_over" => {
                let product = content.peek(Ident) && content.peek2(syn::token::Paren)
                    && content.fork().parse::<Ident>()? == "product";
                let names;
                let list = if product {
                    content.parse::<Ident>()?;
                    parenthesized!(names in content);
                    &names
                } else {
                    &content
                };
                usage.product = product;
                usage.map_over = list
                    .parse_terminated(<Ident as syn::parse::Parse>::parse, Token![,])?
                    .into_iter()
                    .collect();
                if usage.map_over.is_empty() {
                    return Err(syn::Error::new(
                        key.span(),
                        "`map_over(..)` names the inputs to map over",
                    ));
                }
            }
            _ => {
                return Err(syn::Error::new(
                    key.span(),
                    format!("unknown option `{key}`: expected `inputs(..)`, `outputs(..)` or `map_over(..)`"),
                ))
            }
        }
        if !input.is_empty() {
            input.parse::<Token![,]>()?;
        }
    }
    Ok(usage)
}
