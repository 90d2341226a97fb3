//! `#[node(output = .., stateful(..), config(..), batch, per_item = f, uses(..), cache = false, version = N, crate = "..")]`

use proc_macro2::TokenStream;
use syn::parse::Parser;
use syn::{Ident, LitStr, Path};

use crate::config::Config;
use crate::errors::{did_you_mean, quoted_list, Errors};

const OPTIONS: [&str; 9] = [
    "output", "stateful", "config", "batch", "per_item", "uses", "cache", "version", "crate",
];

#[derive(Default)]
pub struct NodeArgs {
    /// `None`: one output named after the function.
    pub outputs: Option<Vec<Ident>>,
    /// The `output = ..` value, where count mismatches point.
    pub outputs_tokens: Option<TokenStream>,
    pub stateful: Vec<Ident>,
    pub config: Config,
    /// `batch`: called once per batch, with slices.
    pub batch: bool,
    /// `per_item = f`: a batch node's twin for one item, which single-item calls use.
    pub per_item: Option<Path>,
    /// `cache = false`: never cached (side effects, randomness).
    pub no_cache: bool,
    /// `version = N`: bumps the cache key by hand, for changes outside the body.
    pub version: u64,
    /// `uses(CONST, helper)`: items outside the body (marked `#[keyed]`) whose code joins the
    /// node's cache key.
    pub uses: Vec<Path>,
    /// Path to the `hypernodes` crate in generated code.
    pub krate: Option<Path>,
}

pub fn parse(args: TokenStream, errors: &mut Errors) -> NodeArgs {
    let mut out = NodeArgs::default();
    let parser = syn::meta::parser(|meta| {
        let Some(option) = meta.path.get_ident().map(Ident::to_string) else {
            return Err(meta.error(unknown_option("this")));
        };
        match option.as_str() {
            "output" => {
                let expr: syn::Expr = meta.value()?.parse()?;
                out.outputs_tokens = Some(quote::ToTokens::to_token_stream(&expr));
                out.outputs = parse_output_names(&expr, errors);
            }
            "stateful" => meta.parse_nested_meta(|name| {
                out.stateful.push(name.path.require_ident()?.clone());
                Ok(())
            })?,
            "config" => {
                meta.parse_nested_meta(|entry| out.config.parse_entry(&entry, errors))?;
                // Which nodes of one item run side by side is the pipeline's choice.
                let pipeline_only = out
                    .config
                    .entries
                    .iter()
                    .find(|e| e.key == crate::config::Key::ConcurrentNodes);
                if let Some(entry) = pipeline_only {
                    errors.push(syn::Error::new(
                        entry.span,
                        "`concurrent_nodes` is set on a pipeline (`#[config(concurrent_nodes = true)]`), not on a node",
                    ));
                }
            }
            "batch" => out.batch = true,
            "per_item" => out.per_item = Some(meta.value()?.parse()?),
            "uses" => meta.parse_nested_meta(|item| {
                out.uses.push(item.path.clone());
                Ok(())
            })?,
            "cache" => {
                let value: syn::LitBool = meta
                    .value()?
                    .parse()
                    .map_err(|e| syn::Error::new(e.span(), "`cache` is `true` or `false`"))?;
                out.no_cache = !value.value;
            }
            "version" => {
                let value: syn::LitInt = meta.value()?.parse()?;
                out.version = value.base10_parse().map_err(|_| {
                    syn::Error::new(
                        value.span(),
                        "`version` is a whole number, e.g. `version = 2`",
                    )
                })?;
            }
            "crate" => {
                let path: LitStr = meta.value()?.parse()?;
                out.krate = Some(path.parse()?);
            }
            other => {
                errors.at(&meta.path, unknown_option(other));
                skip_value(&meta)?;
            }
        }
        Ok(())
    });
    if let Err(e) = parser.parse2(args) {
        errors.push(e);
    }
    out
}

fn unknown_option(found: &str) -> String {
    format!(
        "unknown node option `{found}`{}\nknown options: {}",
        did_you_mean(found, OPTIONS),
        quoted_list(OPTIONS)
    )
}

/// Consumes `= value` or `(...)` after an unknown option, so parsing goes on to the next one.
fn skip_value(meta: &syn::meta::ParseNestedMeta) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        meta.value()?.parse::<syn::Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        meta.input.parse::<proc_macro2::Group>()?;
    }
    Ok(())
}

/// `"name"` or `("a", "b", ..)`. Returns `None` (after reporting) when a name is wrong.
fn parse_output_names(expr: &syn::Expr, errors: &mut Errors) -> Option<Vec<Ident>> {
    let literals: Vec<&syn::Expr> = match &expr {
        syn::Expr::Tuple(tuple) => tuple.elems.iter().collect(),
        syn::Expr::Paren(paren) => vec![&*paren.expr],
        other => vec![other],
    };
    let mut names: Vec<Ident> = Vec::new();
    for literal in literals {
        let syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) = literal
        else {
            errors.at(
                expr,
                "`output` takes a string or a tuple of strings, \
                 e.g. `output = \"cleaned\"` or `output = (\"head\", \"rest\")`",
            );
            return None;
        };
        match syn::parse_str::<Ident>(&s.value()) {
            Ok(ident) if !names.contains(&ident) => names.push(Ident::new(&s.value(), s.span())),
            Ok(_) => {
                errors.at(s, format!("output `{}` is named twice", s.value()));
                return None;
            }
            Err(_) => {
                errors.at(
                    s,
                    format!(
                        "output name `{}` is not a valid identifier: outputs become struct fields and are wired by name",
                        s.value()
                    ),
                );
                return None;
            }
        }
    }
    if names.is_empty() {
        errors.at(expr, "`output` needs at least one name");
        return None;
    }
    Some(names)
}
