// A module that defines its own `String`: `pipeline!` names a value written `String` as the
// standard library's (`hypernodes-macros/src/std_type.rs`), so the node returning the module's
// `String` fails to compile, with an error naming both types, instead of passing a value of the
// wrong type.
mod made {
    pub struct String(pub u32);

    #[hypernodes::node(output = "name")]
    pub fn make() -> String { String(1) }
}

#[hypernodes::node(output = "size")]
fn size(name: &String) -> usize { name.len() }

hypernodes::pipeline! { P = [made::make, size] }

fn main() {}
