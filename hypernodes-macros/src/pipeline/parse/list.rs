//! The node list as written: entries, and branches whose arms are lists of their own.
//!
//! `[classify, match classify { Route::Reject => [reject], _ => [retrieve, generate] }, log]`
//! and `if flag { [a] } else { [b] }` (a `match` on `true` / `false`). The list is flattened
//! for the chain: every node once, in the order written, with the arms it sits in (its guard);
//! the branches travel beside it, each with its value, its patterns and its own guard.

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::{quote, quote_spanned, ToTokens};
use syn::parse::ParseStream;
use syn::{Ident, Path, Token};

/// One entry of the list: a node's path and, for a nested pipeline, how it is used.
#[derive(Clone)]
pub struct Entry {
    pub path: Path,
    /// `(inputs(..), outputs(..), map_over(..))`, parentheses included.
    pub usage: Option<proc_macro2::Group>,
}

impl Entry {
    fn parse(input: ParseStream) -> syn::Result<Entry> {
        let path = Path::parse_mod_style(input).map_err(|e| {
            syn::Error::new(
                e.span(),
                format!("{e}: list nodes by name or path, e.g. `[clean, text::tokenize]`"),
            )
        })?;
        let usage = match input.cursor().group(Delimiter::Parenthesis) {
            Some(_) => Some(input.parse()?),
            None => None,
        };
        Ok(Entry { path, usage })
    }

    /// What makes two entries the same node used the same way.
    pub fn key(&self) -> String {
        let usage = self.usage.as_ref().map(ToString::to_string);
        format!(
            "{}{}",
            self.path.to_token_stream(),
            usage.unwrap_or_default()
        )
        .replace(' ', "")
    }
}

/// The arms a node or branch sits in, outermost first: `(branch, arm)` positions.
pub type Guard = Vec<(usize, usize)>;

/// A branch of the flattened list.
pub struct Branch {
    /// The value the branch matches on, as written.
    pub value: Ident,
    /// Each arm's pattern, as written (`true` / `false` for an `if`).
    pub patterns: Vec<TokenStream>,
    /// The arms the branch itself sits in.
    pub guard: Guard,
}

/// The list, flattened: every node with its guard, and the branches.
#[derive(Default)]
pub struct Flat {
    pub nodes: Vec<(Entry, Guard)>,
    pub branches: Vec<Branch>,
    pub extracts: Vec<Extract>,
}

/// `Document { title, body: text } = document`: values read from the fields of another.
#[derive(Clone)]
pub struct Extract {
    /// The structured value's type, as written.
    pub ty: Path,
    /// The value whose fields are read.
    pub source: Ident,
    /// `(field, value name)`: the field, and the name nodes read it by.
    pub fields: Vec<(Ident, Ident)>,
}

enum Item {
    Node(Entry),
    Extract(Extract),
    Branch {
        value: Ident,
        arms: Vec<(TokenStream, Vec<Item>)>,
    },
}

/// Parses the list's content (inside its brackets), flattened.
pub fn parse_list(input: ParseStream) -> syn::Result<Flat> {
    let items = parse_items(input)?;
    let mut flat = Flat::default();
    flatten(items, &Vec::new(), &mut flat)?;
    Ok(flat)
}

fn parse_items(input: ParseStream) -> syn::Result<Vec<Item>> {
    let mut items = Vec::new();
    while !input.is_empty() {
        items.push(parse_item(input)?);
        if input.is_empty() {
            break;
        }
        // An arm's block ends the branch, so the comma after a branch may be left out.
        let after_branch = matches!(items.last(), Some(Item::Branch { .. }));
        if !(input.parse::<Option<Token![,]>>()?.is_some() || after_branch) {
            return Err(input.error("expected `,` between the entries of the list"));
        }
    }
    Ok(items)
}

fn parse_item(input: ParseStream) -> syn::Result<Item> {
    if input.peek(Token![match]) {
        return parse_match(input);
    }
    if input.peek(Token![if]) {
        return parse_if(input);
    }
    let entry = Entry::parse(input)?;
    match entry.usage.is_none() && input.peek(syn::token::Brace) {
        true => parse_extract(entry.path, input).map(Item::Extract),
        false => Ok(Item::Node(entry)),
    }
}

/// `{ title, body: text } = document` after the type of an extraction.
fn parse_extract(ty: Path, input: ParseStream) -> syn::Result<Extract> {
    let body;
    syn::braced!(body in input);
    let mut fields = Vec::new();
    while !body.is_empty() {
        let field: Ident = body.parse()?;
        let value = match body.parse::<Option<Token![:]>>()? {
            Some(_) => body.parse()?,
            None => field.clone(),
        };
        fields.push((field, value));
        if !body.is_empty() {
            body.parse::<Token![,]>()?;
        }
    }
    if fields.is_empty() {
        return Err(syn::Error::new_spanned(
            &ty,
            "an extraction names the fields it reads: `Document { title, body } = document`",
        ));
    }
    input.parse::<Token![=]>().map_err(|e| {
        syn::Error::new(
            e.span(),
            "an extraction reads the fields of a value: `Document { title, body } = document`",
        )
    })?;
    let source = input.parse()?;
    Ok(Extract { ty, source, fields })
}

/// The value a branch matches on: a value of the pipeline, by name.
fn parse_value(input: ParseStream, keyword: &str) -> syn::Result<Ident> {
    let value: Ident = input.parse().map_err(|e| {
        syn::Error::new(
            e.span(),
            format!("`{keyword}` in a pipeline list names a value of the pipeline: `{keyword} classify {{ .. }}`"),
        )
    })?;
    if !input.peek(syn::token::Brace) {
        return Err(input.error(format!(
            "`{keyword}` in a pipeline list names one value, then its arms in braces: `{keyword} {value} {{ .. }}`"
        )));
    }
    Ok(value)
}

/// `match value { pattern => [list], .. }`.
fn parse_match(input: ParseStream) -> syn::Result<Item> {
    input.parse::<Token![match]>()?;
    let value = parse_value(input, "match")?;
    let body;
    syn::braced!(body in input);
    let mut arms = Vec::new();
    while !body.is_empty() {
        let pattern = syn::Pat::parse_multi_with_leading_vert(&body)?;
        if body.peek(Token![if]) {
            return Err(body.error(
                "an arm of a pipeline branch has no `if` guard: match on a value a node computes",
            ));
        }
        body.parse::<Token![=>]>()?;
        let items = parse_arm(&body)?;
        arms.push((pattern.to_token_stream(), items));
        if !body.is_empty() {
            body.parse::<Option<Token![,]>>()?;
        }
    }
    if arms.is_empty() {
        return Err(syn::Error::new(
            value.span(),
            format!(
                "`match {value} {{}}` has no arms: give each case its list, `Pattern => [node]`"
            ),
        ));
    }
    Ok(Item::Branch { value, arms })
}

/// `if value { [list] } else { [list] }`, the `else` optional: a `match` on `true` and `false`.
fn parse_if(input: ParseStream) -> syn::Result<Item> {
    let keyword = input.parse::<Token![if]>()?;
    let value = parse_value(input, "if")?;
    let then = braced_arm(input)?;
    let (otherwise, else_span) = match input.parse::<Option<Token![else]>>()? {
        Some(token) => (braced_arm(input)?, token.span),
        None => (Vec::new(), keyword.span),
    };
    let yes = quote_spanned!(keyword.span=> true);
    let no = quote_spanned!(else_span=> false);
    Ok(Item::Branch {
        value,
        arms: vec![(yes, then), (no, otherwise)],
    })
}

/// `{ [list] }` of an `if` or `else`.
fn braced_arm(input: ParseStream) -> syn::Result<Vec<Item>> {
    let body;
    syn::braced!(body in input);
    let items = parse_arm(&body)?;
    if !body.is_empty() {
        return Err(body.error("an arm holds one list: `{ [node_a, node_b] }`"));
    }
    Ok(items)
}

/// An arm's `[list]`.
fn parse_arm(input: ParseStream) -> syn::Result<Vec<Item>> {
    let is_list = matches!(input.cursor().token_tree(), Some((TokenTree::Group(g), _)) if g.delimiter() == Delimiter::Bracket);
    if !is_list {
        return Err(input.error("an arm runs a list of nodes: `[node_a, node_b]` (`[]` for none)"));
    }
    let content;
    syn::bracketed!(content in input);
    parse_items(&content)
}

fn flatten(items: Vec<Item>, guard: &Guard, flat: &mut Flat) -> syn::Result<()> {
    for item in items {
        match item {
            Item::Node(entry) => flat.nodes.push((entry, guard.clone())),
            Item::Extract(extract) if !guard.is_empty() => {
                return Err(syn::Error::new_spanned(
                    &extract.ty,
                    "an extraction applies to the whole pipeline: write it outside the branch",
                ));
            }
            Item::Extract(extract) => flat.extracts.push(extract),
            Item::Branch { value, arms } => {
                let branch = flat.branches.len();
                let patterns = arms.iter().map(|(p, _)| p.clone()).collect();
                flat.branches.push(Branch {
                    value,
                    patterns,
                    guard: guard.clone(),
                });
                for (arm, (_, items)) in arms.into_iter().enumerate() {
                    let mut inner = guard.clone();
                    inner.push((branch, arm));
                    flatten(items, &inner, flat)?;
                }
            }
        }
    }
    Ok(())
}

/// A guard as chain tokens: `[branch arm ..]`.
pub fn guard_tokens(guard: &Guard) -> TokenStream {
    let pairs = guard.iter().map(|&(b, a)| {
        let (b, a) = (
            proc_macro2::Literal::usize_unsuffixed(b),
            proc_macro2::Literal::usize_unsuffixed(a),
        );
        quote!(#b #a)
    });
    quote!([#(#pairs)*])
}

/// The branches as chain tokens: `[(value [guard] [(pattern)..])..]`.
pub fn branches_tokens(branches: &[Branch]) -> TokenStream {
    let each = branches.iter().map(|b| {
        let value = &b.value;
        let guard = guard_tokens(&b.guard);
        let patterns = &b.patterns;
        quote!((#value #guard [#((#patterns))*]))
    });
    quote!([#(#each)*])
}

/// Reads a guard written by [`guard_tokens`].
pub fn parse_guard(input: ParseStream) -> syn::Result<Guard> {
    let content;
    syn::bracketed!(content in input);
    let mut guard = Vec::new();
    while !content.is_empty() {
        let branch: syn::LitInt = content.parse()?;
        let arm: syn::LitInt = content.parse()?;
        guard.push((branch.base10_parse()?, arm.base10_parse()?));
    }
    Ok(guard)
}

/// Reads the branches written by [`branches_tokens`].
pub fn parse_branches(input: ParseStream) -> syn::Result<Vec<Branch>> {
    let content;
    syn::bracketed!(content in input);
    let mut branches = Vec::new();
    while !content.is_empty() {
        let branch;
        syn::parenthesized!(branch in content);
        let value: Ident = branch.parse()?;
        let guard = parse_guard(&branch)?;
        let list;
        syn::bracketed!(list in branch);
        let mut patterns = Vec::new();
        while !list.is_empty() {
            let pattern;
            syn::parenthesized!(pattern in list);
            patterns.push(pattern.parse()?);
        }
        branches.push(Branch {
            value,
            patterns,
            guard,
        });
    }
    Ok(branches)
}

/// The branch in which two guards take different arms, if any: nodes under them never both
/// run for one item.
pub fn exclusive(a: &Guard, b: &Guard) -> Option<usize> {
    a.iter()
        .zip(b)
        .take_while(|(x, y)| x.0 == y.0)
        .find(|(x, y)| x.1 != y.1)
        .map(|(x, _)| x.0)
}

/// A pattern as the user wrote it, spaced as Rust is usually written (`Route::Reject`), for
/// messages and the pipeline's structure.
pub fn pattern_text(pattern: &TokenStream) -> String {
    pattern
        .to_string()
        .replace(" :: ", "::")
        .replace(":: ", "::")
        .replace(" (", "(")
        .replace(" ,", ",")
}

/// The extractions as chain tokens: `[(Type source [(field value)..])..]`.
pub fn extracts_tokens(extracts: &[Extract]) -> TokenStream {
    let each = extracts.iter().map(|e| {
        let (ty, source) = (&e.ty, &e.source);
        let fields = e.fields.iter().map(|(f, v)| quote!((#f #v)));
        quote!(([#ty] #source [#(#fields)*]))
    });
    quote!([#(#each)*])
}

/// Reads the extractions written by [`extracts_tokens`].
pub fn parse_extracts(input: ParseStream) -> syn::Result<Vec<Extract>> {
    let content;
    syn::bracketed!(content in input);
    let mut extracts = Vec::new();
    while !content.is_empty() {
        let each;
        syn::parenthesized!(each in content);
        let ty;
        syn::bracketed!(ty in each);
        let ty = ty.call(Path::parse_mod_style)?;
        let source = each.parse()?;
        let list;
        syn::bracketed!(list in each);
        let mut fields = Vec::new();
        while !list.is_empty() {
            let pair;
            syn::parenthesized!(pair in list);
            fields.push((pair.parse()?, pair.parse()?));
        }
        extracts.push(Extract { ty, source, fields });
    }
    Ok(extracts)
}
