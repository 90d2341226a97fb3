//! A value type written with the standard library's names only (`u64`, `String`,
//! `Vec<Option<f32>>`, `(bool, u8)`), spelled with absolute paths so that it means the same type
//! anywhere.
//!
//! `pipeline!` otherwise names a node's value types through projections on the node's twin
//! (`<clean as Out<I0>>::Ty`), which rustc normalizes again in every function that names them.
//! For a 50-node pipeline over `u64` values the absolute names took rustc's work for a release
//! rebuild from 643.8 to 595.1 M instructions (`scripts/compile-instructions.sh 50 release`).
//!
//! Only names the prelude brings are read as the standard library's. A module that defines its
//! own `String` (or a type named `u64`) gets a type different from its node's: the pipeline then
//! fails to compile, with a mismatch at its generated code. A value of the wrong type can never
//! pass, since every call and every field is still type-checked. Deref coercion cannot hide the
//! difference either: what `String`, `Vec` and `Box` deref to is never the user's type named
//! like them.

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

/// The type written `text` (the tokens' text, as `TokenStream::to_string` gives it) with
/// absolute paths, when it is made of primitives, `String`, the prelude's `Vec`, `Option` and
/// `Box`, tuples (of at most [`MAX_TUPLE`] elements) and arrays of a literal length; `None` for
/// anything else. Every type it spells implements `Debug`.
///
/// It reads text rather than tokens: `#[node]` already has the text, for the type's hash, and
/// each look at a token would be a call through the proc-macro bridge.
///
/// `u64` gives `::core::primitive::u64`; `Vec<(String, u8)>` gives
/// `::std::vec::Vec<(::std::string::String, ::core::primitive::u8)>`.
pub fn absolute(text: &str) -> Option<String> {
    let words = words(text)?;
    let mut reader = Reader {
        words: &words,
        at: 0,
        text: String::new(),
    };
    reader.ty()?;
    (reader.at == words.len()).then_some(reader.text)
}

/// The identifiers, integers and punctuation of `text`; `None` at any other character (a
/// lifetime's quote, a path's colon...), which no type read here has.
fn words(text: &str) -> Option<Vec<&str>> {
    let mut words = Vec::new();
    let mut rest = text.trim_start();
    while let Some(first) = rest.chars().next() {
        let length = match first {
            '<' | '>' | '(' | ')' | '[' | ']' | ';' | ',' => 1,
            c if c.is_ascii_alphanumeric() || c == '_' => rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len()),
            _ => return None,
        };
        words.push(&rest[..length]);
        rest = rest[length..].trim_start();
    }
    Some(words)
}

struct Reader<'a> {
    words: &'a [&'a str],
    at: usize,
    text: String,
}

impl Reader<'_> {
    /// One type, written to `text`.
    fn ty(&mut self) -> Option<()> {
        let word = *self.words.get(self.at)?;
        self.at += 1;
        match word {
            "(" => self.tuple(),
            "[" => self.array(),
            _ if PRIMITIVES.contains(&word) => {
                self.text.push_str("::core::primitive::");
                self.text.push_str(word);
                Some(())
            }
            "String" => {
                self.text.push_str("::std::string::String");
                Some(())
            }
            _ => {
                let (_, path) = CONTAINERS.iter().find(|(short, _)| *short == word)?;
                self.text.push_str(path);
                self.expect("<")?;
                self.ty()?;
                self.expect(">")
            }
        }
    }

    /// After `(`: `(A, B, ...)`, `()`, `(A,)`, or `(A)`, which is `A`, written as written.
    fn tuple(&mut self) -> Option<()> {
        self.text.push('(');
        let mut elements = 0;
        loop {
            if self.expect(")").is_some() {
                break;
            }
            if elements > 0 {
                self.expect(",")?;
                if self.expect(")").is_some() {
                    break;
                }
                self.text.push(' ');
            }
            self.ty()?;
            elements += 1;
        }
        (elements <= MAX_TUPLE).then_some(())
    }

    /// After `[`: `[T; N]` with `N` an integer literal.
    fn array(&mut self) -> Option<()> {
        self.text.push('[');
        self.ty()?;
        self.expect(";")?;
        let length = *self.words.get(self.at)?;
        if !length.bytes().all(|b| b.is_ascii_digit() || b == b'_') {
            return None;
        }
        self.at += 1;
        self.text.push(' ');
        self.text.push_str(length);
        self.expect("]")
    }

    /// Steps over `word`, writing it.
    fn expect(&mut self, word: &str) -> Option<()> {
        if self.words.get(self.at) != Some(&word) {
            return None;
        }
        self.at += 1;
        self.text.push_str(word);
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::absolute;

    /// As `#[node]` calls it: on the text of the type's tokens.
    fn of(ty: &str) -> Option<String> {
        absolute(&ty.parse::<proc_macro2::TokenStream>().unwrap().to_string())
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
        assert_eq!(of("(u8,)").unwrap(), "(::core::primitive::u8,)");
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
            "[u8; 4usize]",
            "Vec<'static>",
            "Option<u8> extra",
            "(u8, u8, u8, u8, u8, u8, u8, u8, u8, u8, u8, u8, u8)",
            "u64::Assoc",
        ] {
            assert_eq!(of(ty), None, "{ty}");
        }
    }
}
