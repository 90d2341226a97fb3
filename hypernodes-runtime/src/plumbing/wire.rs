//! Type-level facts about nodes and the checks that wire them together.
//!
//! `#[node]` implements [`In`] and [`Out`] on a hidden struct named like the function, so each
//! parameter and output type is resolved in the node's own module. `pipeline!` then routes every
//! value through one of the traits below: when the types do not line up, rustc reports the
//! `on_unimplemented` sentence at the consumer's token in the pipeline list, and nothing else.

/// The type of a node's `I`-th parameter (references stripped).
pub trait In<const I: usize> {
    /// The parameter's type.
    type Ty;
}

/// The type of a node's `I`-th output.
pub trait Out<const I: usize> {
    /// The output's type.
    type Ty;
}

/// Declares a check that passes a value on unchanged when its type is `T`; only the message
/// rustc shows on a mismatch differs between the checks.
macro_rules! value_check {
    ($(#[$doc:meta])* $name:ident<$source:ident>, $message:literal, $label:literal, $note:literal) => {
        $(#[$doc])*
        #[diagnostic::on_unimplemented(message = $message, label = $label, note = $note)]
        pub trait $name<T, $source, Consumer> {
            /// Passes the value on by move.
            fn wire(self) -> T;
            /// Passes the value on by reference.
            fn wire_ref(&self) -> &T;
        }

        impl<T, $source, Consumer> $name<T, $source, Consumer> for T {
            #[inline(always)]
            fn wire(self) -> T {
                self
            }
            #[inline(always)]
            fn wire_ref(&self) -> &T {
                self
            }
        }
    };
}

value_check!(
    /// An edge: `Producer` makes a `Self` that `Consumer` takes as a `T`.
    Wire<Producer>,
    "pipeline type mismatch: `{Producer}` produces `{Self}`, but `{Consumer}` expects `{T}`",
    "`{Consumer}` expects `{T}` here",
    "values are wired by parameter name: rename the parameter or make the two types agree"
);

value_check!(
    /// An edge from a value only some branch arms produce: `Consumer` gets `Self`, an `Option`
    /// (`None` for an item that took another arm), and takes it as a `T`.
    ArmWire<Producer>,
    "`{Consumer}` reads a value only some branch arms produce (`{Producer}` makes it): it is `{Self}` there, but `{Consumer}` expects `{T}`",
    "`{Consumer}` expects `{T}` here",
    "take the parameter as an `Option` (`None` for items that took another arm), or produce the value in every arm"
);

value_check!(
    /// One value produced in several arms of a branch: `First` makes it as `T`, `Consumer`
    /// (another arm's producer) as `Self`.
    SameArmOutput<First>,
    "branch arms disagree on a value's type: `{First}` produces `{T}`, but `{Consumer}` produces `{Self}`",
    "`{Consumer}` produces `{Self}` here",
    "every arm that produces a value must produce it with the same type"
);

value_check!(
    /// A field read by name (`Document { year } = document`): `Consumer` takes as a `T` a
    /// field of `Whole` that is a `Self`.
    FieldWire<Whole>,
    "`{Consumer}` reads a field of `{Whole}` as `{T}`, but the field is `{Self}`",
    "the field is `{Self}`, `{Consumer}` expects `{T}`",
    "values are wired by parameter name: rename the parameter or make the two types agree"
);

value_check!(
    /// A pipeline input read by several nodes: `First` takes it as `Self`, `Consumer` as `T`.
    SameInput<First>,
    "pipeline input type mismatch: `{First}` takes this input as `{Self}`, but `{Consumer}` takes it as `{T}`",
    "`{Consumer}` takes `{T}` here",
    "every node reading the same pipeline input must take the same type (by value or by `&`)"
);

/// A stateful parameter shared by several nodes: `First` declares it `Self`, `Consumer` as `T`.
#[diagnostic::on_unimplemented(
    message = "stateful parameter type mismatch: `{First}` declares it as `{Self}`, but `{Consumer}` as `{T}`",
    label = "`{Consumer}` declares `{T}` here",
    note = "nodes share a stateful object by parameter name, so they must agree on its type"
)]
pub trait SameStateful<T, First, Consumer> {
    /// The shared object, seen with the consumer's type.
    fn share(&self) -> &T;
    /// The object, mutably, seen with the consumer's type.
    fn share_mut(&mut self) -> &mut T;
}

impl<T, First, Consumer> SameStateful<T, First, Consumer> for T {
    #[inline(always)]
    fn share(&self) -> &T {
        self
    }
    #[inline(always)]
    fn share_mut(&mut self) -> &mut T {
        self
    }
}

/// A by-value parameter whose value is used again later must be cloned first.
#[diagnostic::on_unimplemented(
    message = "`{Self}` must implement `Clone`: `{Consumer}` takes it by value but a later node or output uses it too",
    label = "`{Consumer}` takes the value by value here",
    note = "take the parameter by reference (`&{Self}`) to avoid the clone, or implement `Clone`"
)]
pub trait CloneForLaterUse<Consumer>: Sized {
    /// A copy for `Consumer`, leaving the original for later uses.
    fn clone_for_later_use(&self) -> Self;
}

impl<T: Clone, Consumer> CloneForLaterUse<Consumer> for T {
    #[inline(always)]
    fn clone_for_later_use(&self) -> Self {
        self.clone()
    }
}

/// Clones `value` for `Consumer`; a free function so a missing `Clone` is reported at the node.
#[inline(always)]
pub fn clone_for<Consumer, T: CloneForLaterUse<Consumer>>(value: &T) -> T {
    value.clone_for_later_use()
}

/// What identifies a node's code in cache keys: the hash of its tokens folded with where it
/// lives (crate, module path and name), so two nodes written alike in different places never
/// share entries.
pub trait NodeCode {
    /// The node's code hash, place included.
    const CODE: u64;
}

/// `tokens` (the hash of a node's tokens) folded with `place` (`module_path!()::name`), by
/// FNV-1a: stable across builds and Rust versions, and computable in a `const`.
pub const fn code_at(tokens: u64, place: &str) -> u64 {
    fnv_fold(tokens ^ 0xcbf2_9ce4_8422_2325, place.as_bytes())
}

/// FNV-1a 64 over `bytes`, from `hash`, in a `const`.
const fn fnv_fold(mut hash: u64, bytes: &[u8]) -> u64 {
    let mut i = 0;
    while i < bytes.len() {
        hash ^= bytes[i] as u64;
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        i += 1;
    }
    hash
}

/// `code` folded with `part`, the token hash of an item the node names in `uses(..)` (marked
/// `#[keyed]`), by FNV-1a over its bytes: changing that item changes the node's keys.
///
/// ```
/// use hypernodes::__private::code_with;
/// assert_ne!(code_with(1, 2), code_with(1, 3));
/// assert_ne!(code_with(code_with(1, 2), 3), code_with(code_with(1, 3), 2));
/// ```
pub const fn code_with(code: u64, part: u64) -> u64 {
    fnv_fold(code, &part.to_le_bytes())
}

/// A structured value seen as the type an extraction names (`Document { title } = doc`), so
/// its fields are read from that type.
#[inline(always)]
pub fn field_of<T>(value: &T) -> &T {
    value
}
