//! The metadata a node hands to `pipeline!`, and the hidden `macro_rules!` that carries it.
//!
//! Only names and literals travel, and no type as the node's module writes it: that would
//! resolve at the pipeline's call site instead. A type travels as the hash of how it is written
//! and, when it is made of the standard library's names only, spelled with absolute paths
//! (`crate::std_type`), which mean the same type anywhere.
//! The chain protocol is versioned, so a node compiled by another version of this crate fails
//! with a message instead of a cryptic non-match.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned, ToTokens};
use syn::parse::{Parse, ParseStream};
use syn::{braced, bracketed, Ident, LitBool, Token};

use crate::config::Config;
use crate::krate::Krate;

/// Bumped whenever the token format below changes.
pub const CHAIN_VERSION: &str = "hypernodes_chain_v13";

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Function,
    Pipeline,
}

/// How a parameter receives its value.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Mode {
    Value,
    Ref,
    /// `&T`, built per worker (declared in `stateful(..)`).
    Stateful,
    /// `&mut T`: always stateful, one instance per worker used by one call at a time.
    StatefulMut,
}

impl Mode {
    pub fn is_stateful(self) -> bool {
        matches!(self, Mode::Stateful | Mode::StatefulMut)
    }

    /// The mode's word in the chain's metadata (read back by `Param::parse`).
    fn word(self) -> &'static str {
        match self {
            Mode::Value => "value",
            Mode::Ref => "by_ref",
            Mode::Stateful => "stateful",
            Mode::StatefulMut => "stateful_mut",
        }
    }
}

/// Visibility, ranked so a pipeline can tell which of its nodes are less visible than itself.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub enum Vis {
    Private,
    Restricted,
    Crate,
    Public,
}

impl Vis {
    pub fn of(vis: &syn::Visibility) -> Vis {
        match vis {
            syn::Visibility::Public(_) => Vis::Public,
            syn::Visibility::Restricted(r) if r.path.is_ident("crate") => Vis::Crate,
            syn::Visibility::Restricted(_) => Vis::Restricted,
            syn::Visibility::Inherited => Vis::Private,
        }
    }

    fn word(self) -> &'static str {
        match self {
            Vis::Private => "private",
            Vis::Restricted => "restricted",
            Vis::Crate => "in_crate",
            Vis::Public => "public",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Param {
    pub name: Ident,
    pub mode: Mode,
    /// The value's type as written ([`written_type`]); `None` for a pipeline's inputs.
    pub written: Option<u64>,
    /// The value's type with absolute paths, when it has such a spelling.
    pub absolute: Option<Absolute>,
}

/// A value type spelled with absolute paths (`crate::std_type::absolute`): the text `#[node]`
/// writes into its metadata, the tokens `pipeline!` reads back and names the value's type with.
#[derive(Clone, Debug)]
pub enum Absolute {
    Text(String),
    Tokens(TokenStream),
}

impl Absolute {
    fn text(&self) -> String {
        match self {
            Absolute::Text(text) => text.clone(),
            Absolute::Tokens(tokens) => tokens.to_string(),
        }
    }
}

impl ToTokens for Absolute {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        match self {
            Absolute::Tokens(ty) => ty.to_tokens(tokens),
            Absolute::Text(text) => {
                tokens.extend(text.parse::<TokenStream>().expect("an absolute type lexes"))
            }
        }
    }
}

/// A hash of a type's tokens as written in a node's signature. Two values whose types are
/// written alike need no `Wire` check between them: written in the same scope they are the same
/// type; written alike in two scopes where they name different types, the call itself fails
/// to compile, as the same call written by hand would.
///
/// Also the type's spelling with absolute paths, when it has one ([`Absolute`]): both come
/// from one text of the tokens, one call through the proc-macro bridge.
pub fn written_type(ty: &TokenStream) -> (u64, Option<Absolute>) {
    let text = ty.to_string();
    let absolute = crate::std_type::absolute(&text).map(Absolute::Text);
    (text_hash(&text), absolute)
}

/// Whether two values' types are written alike (both known and equal).
pub fn written_alike(a: Option<u64>, b: Option<u64>) -> bool {
    matches!((a, b), (Some(a), Some(b)) if a == b)
}

#[derive(Clone, Debug)]
pub struct NodeMeta {
    pub kind: Kind,
    pub name: Ident,
    pub vis: Vis,
    pub fallible: bool,
    /// Called once per batch of items with slices (`#[node(batch)]`).
    pub batch: bool,
    /// A batch node with a per-item twin (`per_item = f`), which single-item calls use.
    pub per_item: bool,
    /// An `async fn`: the calls of one unit of items overlap, awaited on a runtime.
    pub asynchronous: bool,
    pub params: Vec<Param>,
    pub outputs: Vec<Ident>,
    /// Per output, its type as written ([`written_type`]); `None` for a pipeline's.
    pub written_outputs: Vec<Option<u64>>,
    /// Per output, its type with absolute paths when it has such a spelling ([`Absolute`]);
    /// empty for a pipeline.
    pub absolute_outputs: Vec<Option<Absolute>>,
    /// For a pipeline: per parameter, the outputs (bits by position) that need it; a nested use
    /// selecting some outputs leaves the other parameters unwired. Empty for a function.
    pub needs: Vec<u64>,
    /// For a pipeline: the outputs (bits by position) it gives a pipeline that lists it without
    /// `outputs(..)`: those of its `#[outputs(..)]`, or else the values none of its own nodes
    /// reads (its final outputs, as in HyperNodes). All bits for a function.
    pub exposed: u64,
    /// `#[node(version = N)]`.
    pub version: u64,
    /// Whether a cache may serve its values (`#[node(cache = false)]` says no; batch nodes and
    /// pipelines are never cached themselves).
    pub cached: bool,
    pub config: Config,
    /// The node had errors of its own (already reported): pipelines using it stay silent.
    pub poisoned: bool,
}

impl NodeMeta {
    /// Output `output`'s type as written, when known.
    pub fn written_output(&self, output: usize) -> Option<u64> {
        self.written_outputs.get(output).copied().flatten()
    }

    /// Output `output`'s type with absolute paths, when it has such a spelling.
    pub fn absolute_output(&self, output: usize) -> Option<&Absolute> {
        self.absolute_outputs.get(output).and_then(Option::as_ref)
    }

    /// The metadata as the chain carries it: `name`, `vis`, `params` and `outputs` always, then
    /// only what differs from a plain function's defaults (`kind = function`, every flag
    /// false, `cached = true`, no `needs`, every output exposed, version 0, no
    /// config). Each node's macro holds these tokens and every pipeline listing it parses them,
    /// so fewer of them is build time saved for each node.
    #[cfg(test)]
    pub fn to_tokens(&self) -> TokenStream {
        self.to_text()
            .parse()
            .expect("the metadata's text is made of tokens")
    }

    /// [`NodeMeta::to_tokens`] as text: `#[node]` hands rustc the whole metadata macro as one
    /// string to lex, which costs a fraction of building it token by token through the
    /// proc-macro bridge (and proc macros run unoptimized in a default release build).
    pub fn to_text(&self) -> String {
        use std::fmt::Write;
        // A value as the chain writes it: its name, then the hash of its type when known, then
        // the type's absolute spelling in parentheses when it has one.
        let value = |mut text: String, written: Option<u64>, absolute: Option<&Absolute>| {
            if let Some(written) = written {
                let _ = write!(text, " {written}");
            }
            if let Some(absolute) = absolute {
                let _ = write!(text, " ({})", absolute.text());
            }
            text
        };
        let params: Vec<String> = (self.params.iter())
            .map(|p| {
                let name = format!("{}: {}", p.name, p.mode.word());
                value(name, p.written, p.absolute.as_ref())
            })
            .collect();
        let outputs: Vec<String> = (self.outputs.iter().enumerate())
            .map(|(o, name)| {
                value(
                    name.to_string(),
                    self.written_output(o),
                    self.absolute_output(o),
                )
            })
            .collect();
        let mut text = format!(
            "{{ name = {}, vis = {}, params = [{}], outputs = [{}]",
            self.name,
            self.vis.word(),
            params.join(", "),
            outputs.join(", ")
        );
        if self.kind == Kind::Pipeline {
            text.push_str(", kind = pipeline");
        }
        for (word, set) in [
            ("fallible", self.fallible),
            ("batch", self.batch),
            ("per_item", self.per_item),
            ("asynchronous", self.asynchronous),
            ("poisoned", self.poisoned),
        ] {
            if set {
                let _ = write!(text, ", {word} = true");
            }
        }
        if !self.cached {
            text.push_str(", cached = false");
        }
        if !self.needs.is_empty() {
            let needs: Vec<String> = self.needs.iter().map(u64::to_string).collect();
            let _ = write!(text, ", needs = [{}]", needs.join(", "));
        }
        for (word, value, default) in [
            ("exposed", self.exposed, u64::MAX),
            ("version", self.version, 0),
        ] {
            if value != default {
                let _ = write!(text, ", {word} = {value}");
            }
        }
        if !self.config.entries.is_empty() {
            let _ = write!(text, ", config = {{ {} }}", self.config.entries_text());
        }
        text.push_str(" }");
        text
    }
}

fn field<T: Parse>(input: ParseStream, name: &str) -> syn::Result<T> {
    let key: Ident = input.parse()?;
    if key != name {
        return Err(syn::Error::new(key.span(), format!("expected `{name}`")));
    }
    input.parse::<Token![=]>()?;
    let value = input.parse()?;
    if !input.is_empty() {
        input.parse::<Token![,]>()?;
    }
    Ok(value)
}

struct Bracketed<T>(Vec<T>);

impl<T: Parse> Parse for Bracketed<T> {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let content;
        bracketed!(content in input);
        let items = content.parse_terminated(T::parse, Token![,])?;
        Ok(Bracketed(items.into_iter().collect()))
    }
}

impl Parse for Param {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let name = input.parse()?;
        input.parse::<Token![:]>()?;
        let mode: Ident = input.parse()?;
        let mode = match mode.to_string().as_str() {
            "value" => Mode::Value,
            "by_ref" => Mode::Ref,
            "stateful" => Mode::Stateful,
            "stateful_mut" => Mode::StatefulMut,
            _ => return Err(syn::Error::new(mode.span(), "unknown parameter mode")),
        };
        let written = written(input)?;
        let absolute = absolute(input)?;
        Ok(Param {
            name,
            mode,
            written,
            absolute,
        })
    }
}

/// An output in the chain: its name, then its type as written when known, then its absolute
/// spelling when it has one.
struct Output(Ident, Option<u64>, Option<Absolute>);

impl Parse for Output {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        Ok(Output(input.parse()?, written(input)?, absolute(input)?))
    }
}

/// The absolute spelling of a type, when one follows in parentheses.
fn absolute(input: ParseStream) -> syn::Result<Option<Absolute>> {
    // The group's stream is taken whole: a cursor's `token_stream` would copy it token by token.
    input.step(|cursor| match cursor.token_tree() {
        Some((proc_macro2::TokenTree::Group(group), rest))
            if group.delimiter() == proc_macro2::Delimiter::Parenthesis =>
        {
            Ok((Some(Absolute::Tokens(group.stream())), rest))
        }
        _ => Ok((None, *cursor)),
    })
}

/// The hash of a type as written, when one follows. Read from the literal's text: syn's
/// `LitInt` (to peek, then to parse) cost ten times as much, for each parameter and output.
fn written(input: ParseStream) -> syn::Result<Option<u64>> {
    input.step(|cursor| match cursor.literal() {
        Some((literal, rest)) => match literal.to_string().parse() {
            Ok(hash) => Ok((Some(hash), rest)),
            Err(_) => Err(cursor.error("expected the hash of a type")),
        },
        None => Ok((None, *cursor)),
    })
}

impl Parse for NodeMeta {
    fn parse(outer: ParseStream) -> syn::Result<Self> {
        let input;
        braced!(input in outer);
        let name = field(&input, "name")?;
        let vis = match field::<Ident>(&input, "vis")?.to_string().as_str() {
            "public" => Vis::Public,
            "in_crate" => Vis::Crate,
            "restricted" => Vis::Restricted,
            _ => Vis::Private,
        };
        let params = field::<Bracketed<Param>>(&input, "params")?.0;
        let mut outputs = Vec::new();
        let mut written_outputs = Vec::new();
        let mut absolute_outputs = Vec::new();
        for Output(name, written, absolute) in field::<Bracketed<Output>>(&input, "outputs")?.0 {
            outputs.push(name);
            written_outputs.push(written);
            absolute_outputs.push(absolute);
        }
        let mut meta = NodeMeta {
            kind: Kind::Function,
            name,
            vis,
            fallible: false,
            batch: false,
            per_item: false,
            asynchronous: false,
            params,
            outputs,
            written_outputs,
            absolute_outputs,
            needs: Vec::new(),
            exposed: u64::MAX,
            version: 0,
            cached: true,
            config: Config::default(),
            poisoned: false,
        };
        while !input.is_empty() {
            let key: Ident = input.parse()?;
            input.parse::<Token![=]>()?;
            let flag = |input: ParseStream| input.parse::<LitBool>().map(|b| b.value);
            let number = |input: ParseStream| input.parse::<syn::LitInt>()?.base10_parse();
            match key.to_string().as_str() {
                "kind" => meta.kind = kind(&input.parse()?),
                "fallible" => meta.fallible = flag(&input)?,
                "batch" => meta.batch = flag(&input)?,
                "per_item" => meta.per_item = flag(&input)?,
                "asynchronous" => meta.asynchronous = flag(&input)?,
                "poisoned" => meta.poisoned = flag(&input)?,
                "cached" => meta.cached = flag(&input)?,
                "needs" => {
                    let needs = input.parse::<Bracketed<syn::LitInt>>()?.0;
                    meta.needs = needs
                        .iter()
                        .map(syn::LitInt::base10_parse)
                        .collect::<syn::Result<_>>()?;
                }
                "exposed" => meta.exposed = number(&input)?,
                "version" => meta.version = number(&input)?,
                "config" => meta.config = Config::parse_trusted(&input)?,
                _ => return Err(syn::Error::new(key.span(), "unknown metadata key")),
            }
            if !input.is_empty() {
                input.parse::<Token![,]>()?;
            }
        }
        Ok(meta)
    }
}

fn kind(word: &Ident) -> Kind {
    match word.to_string().as_str() {
        "function" => Kind::Function,
        _ => Kind::Pipeline,
    }
}

/// A hash of a function's tokens, the same in every build of the same source: FNV-1a over their
/// text (formatting and `//` comments are not tokens, so they do not change it; doc comments do).
pub fn code_hash(tokens: &TokenStream) -> u64 {
    text_hash(&tokens.to_string())
}

/// FNV-1a of `text`.
fn text_hash(text: &str) -> u64 {
    use std::hash::Hasher;
    let mut hasher = Fnv(0xcbf2_9ce4_8422_2325);
    hasher.write(text.as_bytes());
    hasher.finish()
}

/// A name for the hidden exported macro that is unique in the crate and the same on every build:
/// from the node's name and where it is written (the file path relative to the crate, or its
/// file name when the path is elsewhere, so snapshots do not depend on the checkout location).
pub fn unique_suffix(name: &Ident) -> String {
    use std::hash::{Hash, Hasher};
    // FNV-1a: stable across Rust versions, unlike `DefaultHasher`.
    let mut hasher = Fnv(0xcbf2_9ce4_8422_2325);
    (place_of(name), name.to_string()).hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}

/// The file, line and column of `name`; nothing outside a macro expansion (the crate's unit
/// tests), where no source location exists.
fn place_of(name: &Ident) -> (String, usize, usize) {
    if !proc_macro::is_available() {
        return (String::new(), 0, 0);
    }
    let span = name.span().unwrap();
    let file = span.file();
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    let file = match std::path::Path::new(&file).strip_prefix(&manifest) {
        Ok(relative) => relative.to_string_lossy().into_owned(),
        Err(_) => std::path::Path::new(&file)
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or(file),
    };
    (file, span.line(), span.column())
}

struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = (self.0 ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// Which side of a node a value type is on.
#[derive(Clone, Copy)]
pub enum Side {
    In,
    Out,
}

/// The alias a node less visible than `pub` gives the type of its `position`-th parameter or
/// output, next to the function and as visible as it. A more visible pipeline names the type
/// through it: Rust expands an alias before its private-in-public check, but it does not
/// normalize `<node as In<N>>::Ty`, whose private twin it would refuse to expose even when the
/// type itself is public.
pub fn value_alias(node: &Ident, side: Side, position: usize, span: Span) -> Ident {
    let side = match side {
        Side::In => "in",
        Side::Out => "out",
    };
    Ident::new(&format!("__hypernodes_{node}_{side}_{position}"), span)
}

/// The token hash `#[keyed]` writes beside an item, which nodes naming the item in `uses(..)`
/// fold into their cache keys; reached the way the node reaches the item (only the last
/// segment of the path changes).
pub fn keyed_code(item: &Ident) -> Ident {
    Ident::new(&format!("__hypernodes_keyed_{item}"), item.span())
}

/// A batch node's one-item twin (`per_item = f`): a method of the node's hidden struct, which
/// `#[node]` writes and `pipeline!` calls.
pub fn per_item_method() -> Ident {
    Ident::new("__hypernodes_per_item", Span::call_site())
}

/// The aliases of a node that is not `pub` (see [`value_alias`]); a `pub` node needs none, as
/// no pipeline is more visible.
pub fn emit_value_aliases(
    vis: &syn::Visibility,
    name: &Ident,
    in_types: &[impl ToTokens],
    out_types: &[impl ToTokens],
) -> TokenStream {
    if Vis::of(vis) == Vis::Public {
        return TokenStream::new();
    }
    let span = Span::call_site();
    let ins = (0..in_types.len()).map(|i| value_alias(name, Side::In, i, span));
    let outs = (0..out_types.len()).map(|i| value_alias(name, Side::Out, i, span));
    quote! {
        #(#[doc(hidden)] #[allow(non_camel_case_types)] #vis type #ins = #in_types;)*
        #(#[doc(hidden)] #[allow(non_camel_case_types)] #vis type #outs = #out_types;)*
    }
}

/// How many types one of the runtime's `Types` tuples holds at most (its `TUPLE_TYPES`, and
/// its position types `I0` to `I15`); past it the tuple nests, sixteen per level (a node of 16
/// and one of 17 parameters, in `tests/wiring.rs`, keep the two in step).
const TUPLE_TYPES: usize = 16;

/// Hexadecimal digits of a position among `count` types: 1 up to 16 types, 2 up to 256, 3 up
/// to 4,096 (the runtime's `Pick` reads up to three). More is a compile error of the node.
const MAX_TYPES: usize = TUPLE_TYPES * TUPLE_TYPES * TUPLE_TYPES;

fn digits(count: usize) -> u32 {
    let mut digits = 1;
    while TUPLE_TYPES.pow(digits) < count {
        digits += 1;
    }
    digits
}

/// The runtime's type for position `index` of `In`, `Out` and `Pick` among `count` types:
/// `I3` for up to 16 types, and past that the tuple of its hexadecimal digits, as many for
/// every position, `(I0, I3)` and `(I1, I1)` for 3 and 17 of 40. A type, not `In<3>`: each
/// `const` argument would be a constant rustc type-checks and tracks between builds.
pub fn position(krate: &Krate, index: usize, count: usize) -> TokenStream {
    let digit = |d: usize| {
        let d = format_ident!("I{}", d);
        quote!(#krate::__private::#d)
    };
    let width = digits(count);
    if width == 1 {
        return digit(index);
    }
    let digits = (0..width)
        .rev()
        .map(|place| digit(index / TUPLE_TYPES.pow(place) % TUPLE_TYPES));
    quote!((#(#digits),*))
}

/// `types` as the tuple `position` reads: flat up to 16, otherwise nested sixteen per level.
fn nested_tuple(types: &[TokenStream]) -> TokenStream {
    let width = digits(types.len());
    if width == 1 {
        return quote!((#(#types,)*));
    }
    let chunk = TUPLE_TYPES.pow(width - 1);
    let chunks = types.chunks(chunk).map(|chunk| {
        let mut inner = nested_tuple(chunk);
        // A chunk nests as deep as the first one, however few types it holds.
        for _ in digits(chunk.len())..width - 1 {
            inner = quote!((#inner,));
        }
        inner
    });
    quote!((#(#chunks,)*))
}

/// A node's (or a pipeline's, as a node) parameter and output types for `pipeline!`: one
/// `Types` impl of two tuples, nested past sixteen types, which `In` and `Out` read at the
/// positions [`position`] writes. One impl rather than one per position: each impl of the same
/// trait for one type is checked against all the others (a pipeline of 50 outputs had 50).
pub fn emit_types(
    krate: &Krate,
    name: &Ident,
    in_types: &[TokenStream],
    out_types: &[TokenStream],
) -> TokenStream {
    if in_types.len().max(out_types.len()) > MAX_TYPES {
        let message = format!(
            "`{name}` has more than {MAX_TYPES} parameters or outputs, more than `pipeline!` can wire"
        );
        return quote_spanned!(name.span()=> ::core::compile_error! { #message });
    }
    let (ins, outs) = (nested_tuple(in_types), nested_tuple(out_types));
    quote! {
        impl #krate::__private::Types for #name {
            type In = #ins;
            type Out = #outs;
        }
    }
}

/// Emits the metadata macro and re-exports it as `name` in the macro namespace of the current
/// module. `#[macro_export]` lets other crates reach it; going through a hidden module keeps the
/// `macro_expanded_macro_exports_accessed_by_absolute_paths` lint quiet.
///
/// One macro hop per node: each metadata macro calls the next entry of the chain itself (the
/// front puts the final expansion last), so a flat pipeline of N nodes costs N hops of
/// `recursion_limit`, and each macro carries its metadata once.
pub fn emit_meta_macro(vis: &syn::Visibility, name: &Ident, meta: &NodeMeta) -> TokenStream {
    let suffix = unique_suffix(name);
    let mac = format!("__hypernodes_node_{name}_{suffix}");
    let module = format_ident!("__hypernodes_meta_{}_{}", name, suffix);
    let (meta, version) = (meta.to_text(), CHAIN_VERSION);
    // The module's contents as one string for rustc to lex (see `NodeMeta::to_text`): none of
    // it needs a user's span. The module and its re-export under the function's name are
    // quoted, with the user's tokens, so that rustc's notes about the re-export (a private
    // node, say) point at the function.
    let contents = format!(
        "#[doc(hidden)] #[macro_export] macro_rules! {mac} {{ \
            (@ {version} $ctx:tt [ $($done:tt)* ] $current:tt [ [ $($next:tt)* ] $($rest:tt)* ]) => {{ \
                $($next)*! {{ @ {version} $ctx [ $($done)* ( $current {meta} ) ] [ $($next)* ] [ $($rest)* ] }} \
            }}; \
            ($($other:tt)*) => {{ ::core::compile_error! {{ \
                \"node `{name}` was compiled by another version of hypernodes-macros; \
                rebuild it with the version the pipeline uses\" \
            }} }}; \
        }} \
        pub use {mac} as m;"
    );
    let contents = lex(&contents);
    quote! {
        #[doc(hidden)]
        #[allow(non_snake_case)]
        #vis mod #module { #contents }
        #[doc(hidden)]
        #[allow(unused_imports)]
        #vis use #module::m as #name;
    }
}

/// Tokens from text, lexed by rustc itself inside a macro expansion: `proc_macro2` would first
/// lex the text again in this crate's own (unoptimized) code, to check it.
pub fn lex(text: &str) -> TokenStream {
    if proc_macro::is_available() {
        if let Ok(tokens) = text.parse::<proc_macro::TokenStream>() {
            return tokens.into();
        }
    }
    text.parse().expect("generated text is made of tokens")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(tokens: TokenStream) -> String {
        tokens
            .to_string()
            .replace(":: hypernodes :: __private :: ", "")
    }

    #[test]
    fn positions_take_as_many_digits_as_the_largest() {
        let krate = Krate::hypernodes();
        assert_eq!(text(position(&krate, 3, 16)), "I3");
        assert_eq!(text(position(&krate, 3, 17)), "(I0 , I3)");
        assert_eq!(text(position(&krate, 16, 17)), "(I1 , I0)");
        assert_eq!(text(position(&krate, 255, 256)), "(I15 , I15)");
        assert_eq!(text(position(&krate, 256, 257)), "(I1 , I0 , I0)");
    }

    #[test]
    fn tuples_nest_sixteen_per_level_as_deep_as_positions_read() {
        let types = |n: usize| -> Vec<TokenStream> {
            (0..n)
                .map(|i| format_ident!("T{}", i).into_token_stream())
                .collect()
        };
        assert_eq!(nested_tuple(&types(2)).to_string(), "(T0 , T1 ,)");
        let seventeen = nested_tuple(&types(17)).to_string();
        assert!(seventeen.starts_with("((T0 , T1 ,"), "{seventeen}");
        assert!(seventeen.ends_with("T15 ,) , (T16 ,) ,)"), "{seventeen}");
        // 257 types: a full first chunk of 16 x 16, then one type three levels down.
        let deep = nested_tuple(&types(257)).to_string();
        assert!(deep.starts_with("(((T0 ,"), "{deep}");
        assert!(deep.ends_with("T255 ,) ,) , ((T256 ,) ,) ,)"), "{deep}");
    }
}
