//! `<Name>Inputs` and `<Name>Outputs` as nested pairs, `(a, (b, ()))`: the form in which items
//! and results cross processes. Pairs nest to any length and are serde types whenever their
//! fields are, so the serde bound is checked where an engine that needs it is chosen, never
//! where the pipeline is defined.

use proc_macro2::TokenStream;
use quote::quote;
use syn::Ident;

use super::names;
use super::surface::Surface;
use crate::features::Features;

/// The hidden `Plumbing` items converting both structs to and from their pairs; only Arrow
/// columns and the cluster's frames use them, so other builds do not have them.
pub fn conversions(surface: &Surface, features: Features) -> TokenStream {
    if !features.arrow && !features.cluster {
        return TokenStream::new();
    }
    let inputs = Struct {
        name: &surface.inputs_ty,
        fields: &surface.input_fields,
        types: &surface.input_types,
        locals: &surface.input_locals,
    };
    let outputs = Struct {
        name: &surface.outputs_ty,
        fields: &surface.output_fields,
        types: &surface.output_types,
        locals: &surface.output_locals,
    };
    let (inputs_ty, outputs_ty) = (inputs.name, outputs.name);
    let (input_pairs, output_pairs) = (inputs.pair_type(), outputs.pair_type());
    let (inputs_in, inputs_out) = (inputs.struct_to_pairs(), inputs.pairs_to_struct());
    let (outputs_in, outputs_out) = (outputs.struct_to_pairs(), outputs.pairs_to_struct());
    let inputs_to_fields = names::inputs_to_fields_method();
    let inputs_from_fields = names::inputs_from_fields_method();
    let outputs_to_fields = names::outputs_to_fields_method();
    let outputs_from_fields = names::outputs_from_fields_method();
    quote! {
        type InputFields = #input_pairs;
        type OutputFields = #output_pairs;

        #[inline]
        #[allow(clippy::unused_unit)]
        fn #inputs_to_fields(value: #inputs_ty) -> Self::InputFields { #inputs_in }
        #[inline]
        fn #inputs_from_fields(fields: Self::InputFields) -> #inputs_ty { #inputs_out }
        #[inline]
        #[allow(clippy::unused_unit)]
        fn #outputs_to_fields(value: #outputs_ty) -> Self::OutputFields { #outputs_in }
        #[inline]
        fn #outputs_from_fields(fields: Self::OutputFields) -> #outputs_ty { #outputs_out }
    }
}

struct Struct<'s, 'a> {
    name: &'s Ident,
    fields: &'s [&'a Ident],
    types: &'s [TokenStream],
    locals: &'s [Ident],
}

impl Struct<'_, '_> {
    fn pair_type(&self) -> TokenStream {
        nest(self.types.iter().map(|ty| quote!(#ty)))
    }

    fn struct_to_pairs(&self) -> TokenStream {
        let (name, fields, locals) = (self.name, self.fields, self.locals);
        let pairs = nest(locals.iter().map(|local| quote!(#local)));
        quote! {
            let #name { #(#fields: #locals),* } = value;
            #pairs
        }
    }

    fn pairs_to_struct(&self) -> TokenStream {
        let (name, fields, locals) = (self.name, self.fields, self.locals);
        let pattern = nest(locals.iter().map(|local| quote!(#local)));
        quote! {
            let #pattern = fields;
            #name { #(#fields: #locals),* }
        }
    }
}

/// `a, b, c` as `(a, (b, (c, ())))`.
fn nest(items: impl DoubleEndedIterator<Item = TokenStream>) -> TokenStream {
    items
        .rev()
        .fold(quote!(()), |rest, item| quote!((#item, #rest)))
}
