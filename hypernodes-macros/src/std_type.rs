//! A value type written with the standard library's names only (`u64`, `String`,
//! `Vec<Option<f32>>`, `(bool, u8)`), spelled with absolute paths so that it means the same type
//! anywhere.
//!
//! `pipeline!` otherwise names a node's value types through projections on the node's twin
//! (`<clean as Out<I0>>::Ty`), which rustc normalizes again in every function that names them.
//! For a 50-node pipeline over `u64` values the absolute names took 55 M instructions (10 %) off
//! rustc's work, in release.
//!
//! Only names the prelude brings are read as the standard library's. A module that defines its
//! own `String` (or a type named `u64`) gets a type different from its node's: the pipeline then
//! fails to compile, with a mismatch at its generated code. A value of the wrong type can never
//! pass, since every call and every field is still type-checked. Deref coercion cannot hide the
//! difference either: what `String`, `Vec` and `Box` deref to is never the user's type named
//! like them.

use proc_macro2::{Delimiter, TokenStream, TokenTree};

/// The primitive types, each `::core::primitive::NAME`. `str` is left out: a value is sized.
const PRIMITIVES: &[&str] = &[
    "bool", "char", "f32", "f64", "i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32",
    "u64", "u128", "usize",
];

/// The longest tuple the standard library implements `Debug` (and `Clone`, `PartialEq`...) for.
pub const MAX_TUPLE: usize = 12;

/// The prelude's generic types of one type parameter, and their absolute paths.
const CONTAINERS: &[(&str, &str)] = &[
    ("Vec", "::std::vec::Vec"),
    ("Option", "::core::option::Option"),
    ("Box", "::std::boxed::Box"),
];

/// `ty` with absolute paths, when it is made of primitives, `String`, the prelude's `Vec`,
/// `Option` and `Box`, tuples (of at most [`MAX_TUPLE`] elements) and arrays of a literal
/// length; `None` for anything else. Every type it spells implements `Debug`.
///
/// `u64` gives `::core::primitive::u64`; `Vec<(String, u8)>` gives
/// `::std::vec::Vec<(::std::string::String, ::core::primitive::u8)>`.
pub fn absolute(ty: &TokenStream) -> Option<String> {
    let tokens: Vec<TokenTree> = ty.clone().into_iter().collect();
    let mut reader = Reader {
        tokens: &tokens,
        at: 0,
        text: String::new(),
    };
    reader.ty()?;
    (reader.at == tokens.len()).then_some(reader.text)
}

struct Reader<'a> {
    tokens: &'a [TokenTree],
    at: usize,
    text: String,
}

impl Reader<'_> {
    /// One type, written to `text`.
    fn ty(&mut self) -> Option<()> {
        match self.tokens.get(self.at)? {
            TokenTree::Ident(ident) => {
                let name = ident.to_string();
                self.at += 1;
                if PRIMITIVES.contains(&name.as_str()) {
                    self.text.push_str("::core::primitive::");
                    self.text.push_str(&name);
                    return Some(());
                }
                if name == "String" {
                    self.text.push_str("::std::string::String");
                    return Some(());
                }
                let (_, path) = CONTAINERS.iter().find(|(short, _)| *short == name)?;
                self.text.push_str(path);
                self.punct('<')?;
                self.text.push('<');
                self.ty()?;
                self.punct('>')?;
                self.text.push('>');
                Some(())
            }
            TokenTree::Group(group) => {
                let inner: Vec<TokenTree> = group.stream().into_iter().collect();
                self.at += 1;
                match group.delimiter() {
                    Delimiter::Parenthesis => self.tuple(&inner),
                    Delimiter::Bracket => self.array(&inner),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// `(A, B, ...)`, `()`, `(A,)`, or `(A)`, which is `A`: written back as it is written.
    fn tuple(&mut self, inner: &[TokenTree]) -> Option<()> {
        let mut nested = Reader {
            tokens: inner,
            at: 0,
            text: String::from("("),
        };
        let mut elements = 0;
        while nested.at < inner.len() {
            if nested.at > 0 {
                nested.punct(',')?;
                nested.text.push_str(", ");
                if nested.at == inner.len() {
                    break;
                }
            }
            nested.ty()?;
            elements += 1;
        }
        if elements > MAX_TUPLE {
            return None;
        }
        nested.text.push(')');
        self.text.push_str(&nested.text);
        Some(())
    }

    /// `[T; N]` with `N` an integer literal.
    fn array(&mut self, inner: &[TokenTree]) -> Option<()> {
        let mut nested = Reader {
            tokens: inner,
            at: 0,
            text: String::from("["),
        };
        nested.ty()?;
        nested.punct(';')?;
        let TokenTree::Literal(length) = inner.get(nested.at)? else {
            return None;
        };
        let length = length.to_string();
        if !length.bytes().all(|b| b.is_ascii_digit() || b == b'_') {
            return None;
        }
        if nested.at + 1 != inner.len() {
            return None;
        }
        self.text.push_str(&nested.text);
        self.text.push_str("; ");
        self.text.push_str(&length);
        self.text.push(']');
        Some(())
    }

    /// Steps over the punctuation `c`.
    fn punct(&mut self, c: char) -> Option<()> {
        match self.tokens.get(self.at)? {
            TokenTree::Punct(p) if p.as_char() == c => {
                self.at += 1;
                Some(())
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::absolute;

    fn of(ty: &str) -> Option<String> {
        absolute(&ty.parse().unwrap())
    }

    #[test]
    fn standard_names_get_absolute_paths() {
        assert_eq!(of("u64").unwrap(), "::core::primitive::u64");
        assert_eq!(of("String").unwrap(), "::std::string::String");
        assert_eq!(
            of("Vec<Option<f32>>").unwrap(),
            "::std::vec::Vec<::core::option::Option<::core::primitive::f32>>"
        );
        assert_eq!(
            of("(String, u8)").unwrap(),
            "(::std::string::String, ::core::primitive::u8)"
        );
        assert_eq!(of("(u8,)").unwrap(), "(::core::primitive::u8, )");
        assert_eq!(of("(u8)").unwrap(), "(::core::primitive::u8)");
        assert_eq!(of("()").unwrap(), "()");
        assert_eq!(of("[u8; 4]").unwrap(), "[::core::primitive::u8; 4]");
        assert_eq!(
            of("Box<[u64; 2]>").unwrap(),
            "::std::boxed::Box<[::core::primitive::u64; 2]>"
        );
    }

    #[test]
    fn every_other_type_keeps_its_projection() {
        for ty in [
            "Score",
            "str",
            "std::string::String",
            "::std::vec::Vec<u8>",
            "Vec<Score>",
            "Vec<u8, A>",
            "HashMap<String, u64>",
            "&'static str",
            "[u8]",
            "[u8; N]",
            "Box<dyn Fn()>",
            "Option<u8> extra",
            "(u8, u8, u8, u8, u8, u8, u8, u8, u8, u8, u8, u8, u8)",
            "u64::Assoc",
        ] {
            assert_eq!(of(ty), None, "{ty}");
        }
    }
}
