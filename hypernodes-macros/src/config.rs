//! `config(key = value, ...)`: the keys, their types and ranges, validated where the user wrote them.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::meta::ParseNestedMeta;
use syn::{Ident, Lit};

use crate::errors::{did_you_mean, Errors};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Key {
    BatchSize,
    MaxConcurrency,
    UseProcess,
    Gpus,
    MaxRetries,
    TimeoutMs,
    ConcurrentNodes,
}

impl Key {
    pub const ALL: [Key; 7] = [
        Key::BatchSize,
        Key::MaxConcurrency,
        Key::UseProcess,
        Key::Gpus,
        Key::MaxRetries,
        Key::TimeoutMs,
        Key::ConcurrentNodes,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Key::BatchSize => "batch_size",
            Key::MaxConcurrency => "max_concurrency",
            Key::UseProcess => "use_process",
            Key::Gpus => "gpus",
            Key::MaxRetries => "max_retries",
            Key::TimeoutMs => "timeout_ms",
            Key::ConcurrentNodes => "concurrent_nodes",
        }
    }

    fn from_name(name: &str) -> Option<Key> {
        Key::ALL.into_iter().find(|k| k.name() == name)
    }

    /// Inclusive range of an integer key; `None` for a boolean key.
    fn range(self) -> Option<(u64, u64)> {
        match self {
            Key::BatchSize => Some((1, u32::MAX as u64)),
            Key::MaxConcurrency => Some((1, 65_536)),
            Key::Gpus => Some((0, 1_024)),
            Key::MaxRetries => Some((0, 100)),
            // At most a day: a longer bound is no bound.
            Key::TimeoutMs => Some((1, 86_400_000)),
            Key::UseProcess | Key::ConcurrentNodes => None,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Value {
    Int(u64),
    Bool(bool),
}

#[derive(Clone, Debug)]
pub struct Entry {
    pub key: Key,
    pub value: Value,
    pub span: Span,
}

/// A validated `config(..)` list; a key given twice is an error.
#[derive(Clone, Debug, Default)]
pub struct Config {
    pub entries: Vec<Entry>,
}

impl Config {
    pub fn get(&self, key: Key) -> Option<Value> {
        self.entries.iter().find(|e| e.key == key).map(|e| e.value)
    }

    /// Parses one `key = value` entry; a bad entry is reported to `errors` and skipped.
    pub fn parse_entry(&mut self, entry: &ParseNestedMeta, errors: &mut Errors) -> syn::Result<()> {
        let ident = entry.path.require_ident()?.clone();
        let lit: Lit = entry.value()?.parse()?;
        if let Some(e) = self.validate(&ident, &lit) {
            errors.push(e);
        }
        Ok(())
    }

    fn validate(&mut self, ident: &Ident, lit: &Lit) -> Option<syn::Error> {
        let name = ident.to_string();
        let Some(key) = Key::from_name(&name) else {
            let hint = did_you_mean(&name, Key::ALL.iter().map(|k| k.name()));
            let known = crate::errors::quoted_list(Key::ALL.iter().map(|k| k.name()));
            return Some(syn::Error::new(
                ident.span(),
                format!("unknown config key `{name}`{hint}\nknown keys: {known}"),
            ));
        };
        if self.get(key).is_some() {
            return Some(syn::Error::new(
                ident.span(),
                format!("config key `{name}` is set twice"),
            ));
        }
        let value = match parse_value(key, lit) {
            Ok(value) => value,
            Err(e) => return Some(e),
        };
        self.entries.push(Entry {
            key,
            value,
            span: ident.span(),
        });
        None
    }

    /// `key = value, ...` for the re-emitted header, each key at the user's token.
    pub fn entries_tokens(&self) -> TokenStream {
        let entries = self.entries.iter().map(|e| {
            let key = Ident::new(e.key.name(), e.span);
            match e.value {
                Value::Int(v) => quote!(#key = #v),
                Value::Bool(v) => quote!(#key = #v),
            }
        });
        quote!(#(#entries),*)
    }

    /// [`Config::entries_tokens`] as text, for the metadata (`NodeMeta::to_text`), which no
    /// error points into.
    pub fn entries_text(&self) -> String {
        let entries: Vec<String> = self
            .entries
            .iter()
            .map(|e| match e.value {
                Value::Int(v) => format!("{} = {v}u64", e.key.name()),
                Value::Bool(v) => format!("{} = {v}", e.key.name()),
            })
            .collect();
        entries.join(", ")
    }

    /// Reads entries already validated (metadata from `#[node]`).
    pub fn parse_trusted(input: syn::parse::ParseStream) -> syn::Result<Config> {
        let content;
        syn::braced!(content in input);
        let mut config = Config::default();
        while !content.is_empty() {
            let ident: Ident = content.parse()?;
            content.parse::<syn::Token![=]>()?;
            let lit: Lit = content.parse()?;
            if let Some(e) = config.validate(&ident, &lit) {
                return Err(e);
            }
            if !content.is_empty() {
                content.parse::<syn::Token![,]>()?;
            }
        }
        Ok(config)
    }
}

fn parse_value(key: Key, lit: &Lit) -> syn::Result<Value> {
    let name = key.name();
    match (key.range(), lit) {
        (None, Lit::Bool(b)) => Ok(Value::Bool(b.value)),
        (None, _) => Err(syn::Error::new(
            lit.span(),
            format!("`{name}` takes `true` or `false`"),
        )),
        (Some((lo, hi)), Lit::Int(int)) => {
            let value: u64 = int
                .base10_parse()
                .map_err(|_| out_of_range(name, lit, lo, hi))?;
            if value < lo || value > hi {
                return Err(out_of_range(name, lit, lo, hi));
            }
            Ok(Value::Int(value))
        }
        (Some(_), _) => Err(syn::Error::new(
            lit.span(),
            format!(
                "`{name}` takes a whole number, e.g. `{name} = {}`",
                example(key)
            ),
        )),
    }
}

fn out_of_range(name: &str, lit: &Lit, lo: u64, hi: u64) -> syn::Error {
    let range = if hi == u64::from(u32::MAX) {
        format!("at least {lo}")
    } else {
        format!("between {lo} and {hi}")
    };
    syn::Error::new(lit.span(), format!("`{name}` must be {range}"))
}

fn example(key: Key) -> u64 {
    match key {
        Key::BatchSize => 1024,
        Key::MaxConcurrency | Key::Gpus => 1,
        Key::MaxRetries => 3,
        Key::TimeoutMs => 1000,
        Key::UseProcess | Key::ConcurrentNodes => 0,
    }
}
