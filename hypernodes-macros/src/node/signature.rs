//! What a node function's signature says: its parameters, how each is passed, and its outputs.

use proc_macro2::TokenStream;
use quote::{quote, ToTokens};
use syn::{FnArg, GenericArgument, Ident, Pat, PathArguments, ReturnType, Type};

use super::item::NodeFn;

use crate::errors::Errors;
use crate::meta::{Mode, Param};

use super::attr::NodeArgs;
use crate::fq::FqVec;

pub struct Signature {
    pub params: Vec<Param>,
    /// Per parameter: the type of the value behind it (references stripped).
    pub param_types: Vec<TokenStream>,
    pub outputs: Vec<Ident>,
    pub output_types: Vec<TokenStream>,
    pub fallible: bool,
}

pub fn analyze(func: &NodeFn, args: &NodeArgs, errors: &mut Errors) -> Signature {
    check_header(func, errors);
    let (params, param_types) = parameters(func, args, errors);
    let (fallible, value_type) = return_value(&func.sig.output);
    let value_type = match args.batch {
        true => batch_item(&value_type, func, args, errors),
        false => value_type,
    };
    if let Some(borrow) = elided_borrow(&value_type) {
        errors.at(
            borrow,
            format!("a node's output cannot borrow from its parameters: {OWNED_VALUES}"),
        );
    }
    let (outputs, output_types) = outputs(func, args, value_type, errors);
    Signature {
        params,
        param_types,
        outputs,
        output_types,
        fallible,
    }
}

fn check_header(func: &NodeFn, errors: &mut Errors) {
    let sig = &func.sig;
    if sig.asyncness.is_some() {
        let takes_mut = sig.inputs.iter().find(|input| match input {
            FnArg::Typed(typed) => {
                matches!(&*typed.ty, Type::Reference(r) if r.mutability.is_some())
            }
            FnArg::Receiver(_) => false,
        });
        if let Some(takes_mut) = takes_mut {
            errors.at(
                takes_mut,
                "an `async fn` node cannot take `&mut` state: the calls of one unit of items \
                 overlap, so they share their stateful resources; take `&T` (with interior \
                 mutability if it must change)",
            );
        }
    }
    if !sig.generics.params.is_empty() || sig.generics.where_clause.is_some() {
        errors.at(
            &sig.generics,
            "a node cannot be generic: every value in a pipeline needs one concrete type",
        );
    }
    if let Some(variadic) = &sig.variadic {
        errors.at(variadic, "a node cannot be variadic");
    }
    if let syn::ReturnType::Type(_, ty) = &sig.output {
        if matches!(**ty, Type::ImplTrait(_)) {
            errors.at(
                ty,
                "a node cannot return `impl Trait`: its output type must be nameable, \
                 e.g. `Vec<T>` or `Box<dyn Trait>`",
            );
        }
    }
}

fn parameters(
    func: &NodeFn,
    args: &NodeArgs,
    errors: &mut Errors,
) -> (Vec<Param>, Vec<TokenStream>) {
    let mut params = Vec::new();
    let mut types = Vec::new();
    let mut names = Vec::new();
    for arg in &func.sig.inputs {
        let typed = match arg {
            FnArg::Receiver(receiver) => {
                errors.at(
                    receiver,
                    "a node cannot take `self`: write a free function (methods cannot be wired by name)",
                );
                continue;
            }
            FnArg::Typed(typed) => typed,
        };
        let name = match &*typed.pat {
            Pat::Ident(pat) if pat.by_ref.is_none() && pat.subpat.is_none() => pat.ident.clone(),
            pattern => {
                errors.at(
                    pattern,
                    "node parameters must be plain names, not patterns: \
                     each parameter is wired by its name",
                );
                continue;
            }
        };
        names.push(name.clone());
        let stateful = args.stateful.contains(&name);
        let passed = match args.batch {
            true if !stateful && !is_mut_ref(&typed.ty) => batch_passing(&name, &typed.ty, errors),
            _ => passing(&name, &typed.ty, stateful, errors),
        };
        if let Some((mode, ty)) = passed {
            let (written, absolute) = crate::meta::written_type(&ty);
            params.push(Param {
                name,
                mode,
                written: Some(written),
                absolute,
            });
            types.push(ty);
        }
    }
    for declared in &args.stateful {
        if !names.contains(declared) {
            let known: Vec<String> = names.iter().map(ToString::to_string).collect();
            errors.at(
                declared,
                format!(
                    "`{declared}` is declared stateful but `{}` has no parameter of that name{}",
                    func.sig.ident,
                    crate::errors::did_you_mean(
                        &declared.to_string(),
                        known.iter().map(String::as_str)
                    )
                ),
            );
        }
    }
    (params, types)
}

fn is_mut_ref(ty: &Type) -> bool {
    matches!(ty, Type::Reference(r) if r.mutability.is_some())
}

/// A batch node's wired parameter: `&[T]` (by reference) or `Vec<T>` (by value) of items `T`.
fn batch_passing(name: &Ident, ty: &Type, errors: &mut Errors) -> Option<(Mode, TokenStream)> {
    let found = match ty {
        Type::Reference(r) if r.mutability.is_none() => match &*r.elem {
            Type::Slice(slice) => Some((Mode::Ref, &*slice.elem)),
            _ => None,
        },
        other => vec_item(other).map(|item| (Mode::Value, item)),
    };
    let Some((mode, item)) = found else {
        errors.at(
            ty,
            format!(
                "a batch node takes each input as a slice of items: `{name}: &[T]` or `{name}: Vec<T>`"
            ),
        );
        return None;
    };
    if let Some(borrow) = elided_borrow(item) {
        errors.at(borrow, format!("`{name}` holds a borrow: {OWNED_VALUES}"));
        return None;
    }
    Some((mode, item.to_token_stream()))
}

/// `T` in `Vec<T>` (by the last path segment).
fn vec_item(ty: &Type) -> Option<&Type> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != "Vec" {
        return None;
    }
    match &last.arguments {
        PathArguments::AngleBracketed(args) => match args.args.first()? {
            GenericArgument::Type(item) => Some(item),
            _ => None,
        },
        _ => None,
    }
}

/// A batch node returns one `Vec` with a value per item: its output is the item type.
fn batch_item(value_type: &Type, func: &NodeFn, args: &NodeArgs, errors: &mut Errors) -> Type {
    if args.outputs.as_ref().is_some_and(|names| names.len() > 1) {
        let tokens = args
            .outputs_tokens
            .as_ref()
            .expect("parsed outputs have tokens");
        errors.at(
            tokens,
            "a batch node has one output: return one `Vec` with a value per item",
        );
        return value_type.clone();
    }
    match vec_item(value_type) {
        Some(item) => item.clone(),
        None => {
            let at: &dyn ToTokens = match &func.sig.output {
                ReturnType::Type(_, ty) => ty,
                ReturnType::Default => &func.sig.ident,
            };
            errors.at(
                at,
                "a batch node returns `Vec<T>` (or `Result<Vec<T>, E>`) with one value per item of its batch",
            );
            value_type.clone()
        }
    }
}

/// How a parameter is passed, and the type of the value behind it.
fn passing(
    name: &Ident,
    ty: &Type,
    stateful: bool,
    errors: &mut Errors,
) -> Option<(Mode, TokenStream)> {
    if matches!(ty, Type::ImplTrait(_)) {
        errors.at(
            ty,
            "a node parameter cannot be `impl Trait`: that makes the node generic",
        );
        return None;
    }
    let Type::Reference(reference) = ty else {
        if stateful {
            errors.at(
                ty,
                format!(
                    "stateful parameter `{name}` must be a shared reference, e.g. `{name}: &{}`",
                    ty.to_token_stream()
                ),
            );
            return None;
        }
        if let Some(borrow) = elided_borrow(ty) {
            errors.at(borrow, format!("`{name}` holds a borrow: {OWNED_VALUES}"));
            return None;
        }
        return Some((Mode::Value, ty.to_token_stream()));
    };
    if let Some(borrow) = elided_borrow(&reference.elem) {
        errors.at(borrow, format!("`{name}` holds a borrow: {OWNED_VALUES}"));
        return None;
    }
    // `&mut T` is per-worker mutable state: stateful whether or not `stateful(..)` lists it.
    let mode = match (reference.mutability.is_some(), stateful) {
        (true, _) => Mode::StatefulMut,
        (false, true) => Mode::Stateful,
        (false, false) => Mode::Ref,
    };
    Some((mode, owned_behind(&reference.elem)))
}

const OWNED_VALUES: &str = "the values a pipeline passes between nodes are owned, \
     so use an owned type (e.g. `String` for `&str`) or a `'static` borrow";

/// The first borrow inside `ty` whose lifetime is elided (`&T`, `'_`): it would have to borrow
/// from something only the function call has.
fn elided_borrow(ty: &Type) -> Option<&dyn ToTokens> {
    match ty {
        Type::Reference(r) if r.lifetime.is_none() => Some(r),
        Type::Reference(r) if r.lifetime.as_ref().is_some_and(|l| l.ident == "_") => Some(r),
        Type::Reference(r) => elided_borrow(&r.elem),
        Type::Slice(s) => elided_borrow(&s.elem),
        Type::Array(a) => elided_borrow(&a.elem),
        Type::Paren(p) => elided_borrow(&p.elem),
        Type::Group(g) => elided_borrow(&g.elem),
        Type::Tuple(t) => t.elems.iter().find_map(elided_borrow),
        Type::Path(p) => p
            .path
            .segments
            .iter()
            .find_map(|segment| match &segment.arguments {
                PathArguments::AngleBracketed(args) => args.args.iter().find_map(|arg| match arg {
                    GenericArgument::Type(t) => elided_borrow(t),
                    GenericArgument::Lifetime(l) if l.ident == "_" => Some(l as &dyn ToTokens),
                    _ => None,
                }),
                _ => None,
            }),
        _ => None,
    }
}

/// The stored value behind `&T`: `&str` reads a `String` and `&[T]` a `Vec<T>` (deref coercion).
fn owned_behind(elem: &Type) -> TokenStream {
    match elem {
        Type::Path(path) if path.qself.is_none() && path.path.is_ident("str") => {
            quote!(::std::string::String)
        }
        Type::Slice(slice) => {
            let item = &slice.elem;
            quote!(#FqVec<#item>)
        }
        other => other.to_token_stream(),
    }
}

/// Whether the return type is a `Result` (by its last path segment), and the value type inside.
fn return_value(output: &ReturnType) -> (bool, Type) {
    let ty = match output {
        ReturnType::Default => return (false, syn::parse_quote!(())),
        ReturnType::Type(_, ty) => (**ty).clone(),
    };
    if let Type::Path(path) = &ty {
        if let Some(last) = path.path.segments.last() {
            if last.ident == "Result" {
                if let PathArguments::AngleBracketed(generics) = &last.arguments {
                    if let Some(GenericArgument::Type(ok)) = generics.args.first() {
                        return (true, ok.clone());
                    }
                }
            }
        }
    }
    (false, ty)
}

fn outputs(
    func: &NodeFn,
    args: &NodeArgs,
    value_type: Type,
    errors: &mut Errors,
) -> (Vec<Ident>, Vec<TokenStream>) {
    let names = match &args.outputs {
        Some(names) => names.clone(),
        None => vec![func.sig.ident.clone()],
    };
    if names.len() == 1 {
        return (names, vec![value_type.to_token_stream()]);
    }
    match &value_type {
        Type::Tuple(tuple) if tuple.elems.len() == names.len() => {
            let types = tuple.elems.iter().map(ToTokens::to_token_stream).collect();
            (names, types)
        }
        other => {
            let found = match other {
                Type::Tuple(tuple) => format!("a tuple of {}", tuple.elems.len()),
                _ => format!("`{}`, not a tuple", other.to_token_stream()),
            };
            let message = format!(
                "`output` names {} values but `{}` returns {found}: return a tuple with one element per name",
                names.len(),
                func.sig.ident
            );
            match &args.outputs_tokens {
                Some(tokens) => errors.at(tokens, message),
                None => errors.at(&func.sig.ident, message),
            }
            (Vec::new(), Vec::new())
        }
    }
}
