//! A `pub` pipeline may list nodes less visible than itself: only its value types must be
//! public enough. The nodes here are private, `pub(crate)` in another module (reached by path
//! and by a glob import), stateful, batched and a nested pipeline.
#![deny(private_interfaces, private_bounds)]

pub mod library {
    use hypernodes::{node, pipeline, Stateful, WorkerContext};

    pub mod nodes {
        use hypernodes::node;

        #[node(output = "shout")]
        pub(crate) fn shout(cleaned: &str) -> String { cleaned.to_uppercase() }
    }

    mod more {
        use hypernodes::node;

        #[node(output = "stars", batch)]
        pub(super) fn stars(cleaned: &[String]) -> Vec<String> {
            cleaned.iter().map(|c| "*".repeat(c.len())).collect()
        }
    }
    use more::*;

    /// Public, as a value type of a public pipeline must be.
    #[derive(Clone, Debug)]
    pub struct Document { pub text: String }

    struct Prefix(String);

    impl Stateful for Prefix {
        fn create(_: &WorkerContext) -> Result<Self, hypernodes::BoxError> {
            Ok(Prefix("> ".into()))
        }
    }

    #[node(output = "cleaned")]
    fn clean(document: &Document) -> String { document.text.trim().to_string() }

    #[node(output = "quoted", stateful(prefix))]
    fn quote(prefix: &Prefix, cleaned: &str) -> String { format!("{}{cleaned}", prefix.0) }

    pipeline! { Loud = [nodes::shout] }

    pipeline! {
        /// Exported; every node it lists stays private to the library.
        pub Publish = [clean, quote, stars, Loud]
    }
}

use library::{Document, Publish, PublishInputs};

fn main() {
    let document = Document { text: "  hi there ".into() };
    let out = Publish::new().run(PublishInputs { document: document.clone() }).unwrap();
    assert_eq!(out.quoted, "> hi there");
    assert_eq!(out.shout, "HI THERE");
    assert_eq!(out.stars, "********");
    let all = Publish::new().map([document.clone(), document].map(|document| PublishInputs { document })).unwrap();
    assert_eq!(all.len(), 2);
}
