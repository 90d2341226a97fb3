//! The derived `CacheKey` impl: every field, in declaration order, with its name; an enum's
//! variant by its index, then its fields. The same framing serde's derive gets from the key's
//! serializer, so a type that serde writes whole keeps its keys when it derives `CacheKey`.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::ext::IdentExt;
use syn::{Data, DeriveInput, Fields};

use super::attr::{self, Container, FieldKind};
use crate::errors::Errors;

/// `impl CacheKey for Type { fn write_key(..) { body } }`, each type parameter bound by
/// `CacheKey`.
pub fn implementation(
    input: &DeriveInput,
    container: &Container,
    body: TokenStream,
) -> TokenStream {
    let krate = &container.krate;
    let name = &input.ident;
    let mut generics = input.generics.clone();
    let params: Vec<_> = generics.type_params().map(|p| p.ident.clone()).collect();
    let where_clause = generics.make_where_clause();
    for param in params {
        where_clause
            .predicates
            .push(syn::parse_quote!(#param: #krate::cache::CacheKey));
    }
    let (impl_generics, type_generics, where_clause) = generics.split_for_impl();
    quote! {
        #[automatically_derived]
        impl #impl_generics #krate::cache::CacheKey for #name #type_generics #where_clause {
            fn write_key(&self, key: &mut #krate::cache::KeyWriter<'_>) {
                #body
            }
        }
    }
}

pub fn body(input: &DeriveInput, errors: &mut Errors) -> TokenStream {
    match &input.data {
        Data::Struct(data) => {
            let (pattern, write) = fields(&data.fields, None, errors);
            quote! {
                let Self #pattern = self;
                #write
            }
        }
        Data::Enum(data) => {
            let arms = data.variants.iter().enumerate().map(|(index, variant)| {
                let name = &variant.ident;
                let (pattern, write) = fields(&variant.fields, Some(index as u32), errors);
                quote!(Self::#name #pattern => { #write })
            });
            quote! {
                match self {
                    #(#arms)*
                }
            }
        }
        Data::Union(data) => {
            errors.at(
                data.union_token,
                "`CacheKey` cannot be derived for a union: which field holds its value is not known",
            );
            TokenStream::new()
        }
    }
}

/// The pattern binding a struct's or variant's fields, and the statements writing them.
fn fields(
    fields: &Fields,
    variant: Option<u32>,
    errors: &mut Errors,
) -> (TokenStream, TokenStream) {
    let bound: Vec<_> = fields
        .iter()
        .enumerate()
        .map(|(i, f)| Bound {
            binding: format_ident!("__field{}", i, span = Span::call_site()),
            name: f
                .ident
                .as_ref()
                .map_or_else(|| i.to_string(), |n| n.unraw().to_string()),
            kind: attr::field(&f.attrs, errors),
        })
        .collect();
    let bindings = bound.iter().map(|b| &b.binding);
    match fields {
        Fields::Named(named) => {
            let idents = named.named.iter().map(|f| &f.ident);
            let pattern = quote!({ #(#idents: #bindings),* });
            (pattern, named_fields(&bound, variant))
        }
        Fields::Unnamed(_) => {
            let pattern = quote!(( #(#bindings),* ));
            (pattern, unnamed_fields(&bound, variant))
        }
        Fields::Unit => {
            let write = match variant {
                Some(index) => quote!(key.unit_variant(#index);),
                None => quote!(key.unit();),
            };
            (TokenStream::new(), write)
        }
    }
}

/// A field bound by the match, its name in the key, and how it is written.
struct Bound {
    binding: syn::Ident,
    name: String,
    kind: FieldKind,
}

fn named_fields(bound: &[Bound], variant: Option<u32>) -> TokenStream {
    let start = match variant {
        Some(index) => quote!(key.struct_variant(#index)),
        None => quote!(key.structure()),
    };
    let writes = bound.iter().map(
        |Bound {
             binding,
             name,
             kind,
         }| match kind {
            FieldKind::Keyed => quote!(fields.field(#name, #binding);),
            FieldKind::Serialized => quote!(fields.serialized_field(#name, #binding);),
        },
    );
    quote! {
        let mut fields = #start;
        #(#writes)*
    }
}

/// A newtype is its one field (as serde writes it); more fields are a tuple.
fn unnamed_fields(bound: &[Bound], variant: Option<u32>) -> TokenStream {
    if let [Bound { binding, kind, .. }] = bound {
        return match (variant, kind) {
            (None, FieldKind::Keyed) => quote!(key.value(#binding);),
            (None, FieldKind::Serialized) => quote!(key.serialized(#binding);),
            (Some(index), FieldKind::Keyed) => quote!(key.newtype_variant(#index, #binding);),
            (Some(index), FieldKind::Serialized) => {
                quote!(key.serialized_newtype_variant(#index, #binding);)
            }
        };
    }
    let start = match variant {
        Some(index) => quote!(key.tuple_variant(#index)),
        None => quote!(key.tuple()),
    };
    let writes = bound.iter().map(|Bound { binding, kind, .. }| match kind {
        FieldKind::Keyed => quote!(elements.element(#binding);),
        FieldKind::Serialized => quote!(elements.serialized_element(#binding);),
    });
    quote! {
        let mut elements = #start;
        #(#writes)*
    }
}
