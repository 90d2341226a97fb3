//! The part of `pipeline!` before `=`: attributes, visibility and the pipeline's name.

use proc_macro2::TokenStream;
use quote::{quote, ToTokens};
use syn::parse::{Parse, ParseStream};
use syn::{Attribute, Ident, Visibility};

use crate::config::Config;
use crate::errors::Errors;

/// The smallest `recursion_limit` rustc uses; `#[recursion_limit = N]` on a pipeline raises it.
pub const DEFAULT_RECURSION_LIMIT: u32 = 128;

/// Hops outside the per-node chain: `pipeline!`, its front, the final expansion, and room for a
/// few enclosing macros (a test harness, a doc test, the user's own).
const RESERVED_HOPS: u32 = 8;

pub struct Header {
    /// Attributes that go on the generated struct (doc comments, `#[allow]`, ...).
    pub passthrough: Vec<Attribute>,
    /// `#[outputs(a, b)]`: `None` keeps every output.
    pub outputs: Option<Vec<Ident>>,
    pub config: Config,
    /// `#[bind(name = expr)]`: inputs fixed once for every item, by default to `expr`.
    pub binds: Vec<(Ident, syn::Expr)>,
    pub recursion_limit: u32,
    pub vis: Visibility,
    pub name: Ident,
}

impl Header {
    /// Parses and validates; bad attributes are reported and dropped so expansion can go on.
    pub fn parse(input: ParseStream, errors: &mut Errors) -> syn::Result<Header> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis = input.parse()?;
        let name = input.parse()?;
        let mut header = Header {
            passthrough: Vec::new(),
            outputs: None,
            config: Config::default(),
            binds: Vec::new(),
            recursion_limit: DEFAULT_RECURSION_LIMIT,
            vis,
            name,
        };
        for attr in attrs {
            header.absorb(attr, errors);
        }
        Ok(header)
    }

    fn absorb(&mut self, attr: Attribute, errors: &mut Errors) {
        let path = attr.path();
        if path.is_ident("outputs") {
            if self.outputs.is_some() {
                errors.at(
                    &attr,
                    "`#[outputs(..)]` is given twice: list every output in one",
                );
                return;
            }
            let mut names = Vec::new();
            let parsed = attr.parse_nested_meta(|meta| {
                names.push(meta.path.require_ident()?.clone());
                Ok(())
            });
            if errors.ok(parsed).is_some() && names.is_empty() {
                errors.at(&attr, "`#[outputs(..)]` needs at least one output name");
            } else {
                self.outputs = Some(names);
            }
        } else if path.is_ident("config") {
            let config = &mut self.config;
            let parsed = attr.parse_nested_meta(|entry| config.parse_entry(&entry, errors));
            errors.ok(parsed);
            // A node's worker processes run code `#[node]` registers for that node.
            let isolated = config.entries.iter().find(|e| {
                e.key == crate::config::Key::UseProcess
                    && e.value == crate::config::Value::Bool(true)
            });
            if let Some(entry) = isolated {
                errors.push(syn::Error::new(
                    entry.span,
                    "`use_process = true` is set on each node that needs it (`#[node(config(use_process = true))]`), not for a whole pipeline",
                ));
            }
            if let Some(entry) = config
                .entries
                .iter()
                .find(|e| e.key == crate::config::Key::TimeoutMs)
            {
                errors.push(syn::Error::new(
                    entry.span,
                    "`timeout_ms` is set on each `use_process` node that needs it (`#[node(config(use_process = true, timeout_ms = 1000))]`), not for a whole pipeline",
                ));
            }
        } else if path.is_ident("bind") {
            let binds = &mut self.binds;
            let parsed = attr.parse_nested_meta(|entry| {
                let name = entry.path.require_ident()?.clone();
                if binds.iter().any(|(bound, _)| *bound == name) {
                    return Err(entry.error(format!("`{name}` is bound twice")));
                }
                let value = entry.value().map_err(|e| {
                    syn::Error::new(
                        e.span(),
                        format!("`#[bind]` gives each input a value: `{name} = expression`"),
                    )
                })?;
                binds.push((name, value.parse()?));
                Ok(())
            });
            errors.ok(parsed);
        } else if path.is_ident("recursion_limit") {
            let parsed = attr.meta.require_name_value().and_then(|nv| {
                syn::parse2::<syn::LitInt>(nv.value.to_token_stream())?.base10_parse::<u32>()
            });
            match errors.ok(parsed) {
                Some(limit) if limit >= DEFAULT_RECURSION_LIMIT => self.recursion_limit = limit,
                Some(_) => errors.at(
                    &attr,
                    format!("`recursion_limit` is at least {DEFAULT_RECURSION_LIMIT}"),
                ),
                None => {}
            }
        } else {
            self.passthrough.push(attr);
        }
    }

    /// The most nodes a flat pipeline can list under this header's recursion limit.
    pub fn max_nodes(&self) -> usize {
        (self.recursion_limit - RESERVED_HOPS) as usize
    }

    /// The header again, as the final expansion reads it.
    pub fn to_tokens(&self) -> TokenStream {
        let Header {
            passthrough,
            vis,
            name,
            ..
        } = self;
        let outputs = self
            .outputs
            .as_ref()
            .map(|names| quote!(#[outputs(#(#names),*)]));
        let config = (!self.config.entries.is_empty()).then(|| {
            let entries = self.config.entries_tokens();
            quote!(#[config(#entries)])
        });
        let binds = self
            .binds
            .iter()
            .map(|(name, value)| quote!(#[bind(#name = #value)]));
        quote!(#(#passthrough)* #outputs #config #(#binds)* #vis #name)
    }
}

/// `header` after the final expansion re-parses it; errors were reported by the front already.
pub struct TrustedHeader(pub Header);

impl Parse for TrustedHeader {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let mut errors = Errors::default();
        let header = Header::parse(input, &mut errors)?;
        errors.into_result()?;
        Ok(TrustedHeader(header))
    }
}
