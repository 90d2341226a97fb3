//! `#[cache_key(crate = "path")]` on the type and `#[cache_key(serde)]` on a field.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Attribute, LitStr};

use crate::errors::{did_you_mean, quoted_list, Errors};

/// What the type's attributes say.
pub struct Container {
    /// Where the `hypernodes` crate is.
    pub krate: TokenStream,
}

/// How one field is written.
#[derive(Clone, Copy, PartialEq)]
pub enum FieldKind {
    /// By its own `CacheKey` impl.
    Keyed,
    /// By its `Serialize` impl (`#[cache_key(serde)]`).
    Serialized,
}

const CONTAINER_OPTIONS: &[&str] = &["crate"];
const FIELD_OPTIONS: &[&str] = &["serde"];

pub fn container(attrs: &[Attribute], errors: &mut Errors) -> Container {
    let mut krate = None;
    for attr in cache_key_attrs(attrs) {
        let parsed = attr.parse_nested_meta(|meta| {
            let name = meta.path.get_ident().map(ToString::to_string);
            match name.as_deref() {
                Some("crate") => {
                    let path: LitStr = meta.value()?.parse()?;
                    krate = Some(path.parse::<syn::Path>()?);
                }
                _ => unknown(&meta, "type", CONTAINER_OPTIONS, errors)?,
            }
            Ok(())
        });
        errors.ok(parsed);
    }
    Container {
        krate: krate.map_or_else(|| quote!(::hypernodes), |path| quote!(#path)),
    }
}

pub fn field(attrs: &[Attribute], errors: &mut Errors) -> FieldKind {
    let mut kind = FieldKind::Keyed;
    for attr in cache_key_attrs(attrs) {
        let parsed = attr.parse_nested_meta(|meta| {
            let name = meta.path.get_ident().map(ToString::to_string);
            match name.as_deref() {
                Some("serde") => kind = FieldKind::Serialized,
                Some("skip") => errors.at(
                    &meta.path,
                    "`CacheKey` keys every field and cannot skip one: a value the node's \
                     result does not depend on belongs outside its input (a stateful \
                     resource, or an input of another node)",
                ),
                _ => unknown(&meta, "field", FIELD_OPTIONS, errors)?,
            }
            Ok(())
        });
        errors.ok(parsed);
    }
    kind
}

fn cache_key_attrs(attrs: &[Attribute]) -> impl Iterator<Item = &Attribute> {
    attrs.iter().filter(|a| a.path().is_ident("cache_key"))
}

fn unknown(
    meta: &syn::meta::ParseNestedMeta,
    on: &str,
    known: &[&str],
    errors: &mut Errors,
) -> syn::Result<()> {
    let path = &meta.path;
    let found = path
        .get_ident()
        .map_or_else(|| quote!(#path).to_string(), ToString::to_string);
    errors.at(
        &meta.path,
        format!(
            "unknown `cache_key` option `{found}` on a {on}{}\nknown options: {}",
            did_you_mean(&found, known.iter().copied()),
            quoted_list(known.iter().copied())
        ),
    );
    if meta.input.peek(syn::Token![=]) {
        meta.value()?.parse::<syn::Expr>()?;
    }
    Ok(())
}
