//! Type-level facts about nodes and the checks that wire them together.
//!
//! `#[node]` gives a hidden struct named like the function its parameter and output types (as
//! [`Types`], which [`In`] and [`Out`] read one position at a time), so each type is resolved
//! in the node's own module. `pipeline!` reads them as `<node as In<I3>>::Ty` and routes every
//! value whose two types are written differently through one of the checks below (types
//! written alike are one type: no check): when the types do not line up, rustc reports the
//! `on_unimplemented` sentence at the consumer's token in the pipeline list, and nothing else.

/// The type of a node's parameter at position `P` (one of [`I0`]...; references stripped).
pub trait In<P> {
    /// The parameter's type.
    type Ty;
}

/// The type of a node's output at position `P` (one of [`I0`]...).
pub trait Out<P> {
    /// The output's type.
    type Ty;
}

/// A node's parameter types (references stripped) and output types, each as a tuple: one impl
/// per node where [`In`] and [`Out`] would take one per parameter and output, so rustc has
/// fewer items to check and to record at each rebuild. `In` and `Out` follow from it.
///
/// Past [`TUPLE_TYPES`] types a tuple nests, sixteen per level, and every position of that side
/// is the tuple of its hexadecimal digits (see [`Pick`]).
///
/// ```
/// use hypernodes::__private::{In, Out, Types, I0, I1};
/// struct Score;
/// impl Types for Score {
///     type In = (String, u32);
///     type Out = (f64,);
/// }
/// let limit: <Score as In<I1>>::Ty = 3u32;
/// let score: <Score as Out<I0>>::Ty = 0.5f64;
/// # let _ = (limit, score);
/// ```
pub trait Types {
    /// The parameter types, as a tuple.
    type In;
    /// The output types, as a tuple.
    type Out;
}

/// The type at position `P` of a tuple (of up to [`TUPLE_TYPES`] types), or, for a position
/// written as two or three digits, of nested tuples: `(I1, I2)` is element 2 of element 1.
///
/// ```
/// use hypernodes::__private::{Pick, I0, I1, I2};
/// type Wide = ((u8, u16), (u32, u64, i8));
/// let element: <Wide as Pick<(I1, I2)>>::Ty = -1i8;
/// let deeper: <((Wide,),) as Pick<(I0, I0, I1)>>::Ty = (1u32, 2u64, 3i8);
/// # let _ = (element, deeper);
/// ```
pub trait Pick<P> {
    /// The type at `P`.
    type Ty;
}

impl<T, A, B> Pick<(A, B)> for T
where
    T: Pick<A>,
    <T as Pick<A>>::Ty: Pick<B>,
{
    type Ty = <<T as Pick<A>>::Ty as Pick<B>>::Ty;
}

impl<T, A, B, C> Pick<(A, B, C)> for T
where
    T: Pick<A>,
    <T as Pick<A>>::Ty: Pick<(B, C)>,
{
    type Ty = <<T as Pick<A>>::Ty as Pick<(B, C)>>::Ty;
}

/// How many types one level of a node's [`Types`] tuples holds; past it the tuples nest.
pub const TUPLE_TYPES: usize = 16;

impl<N: Types, P> In<P> for N
where
    N::In: Pick<P>,
{
    type Ty = <N::In as Pick<P>>::Ty;
}

impl<N: Types, P> Out<P> for N
where
    N::Out: Pick<P>,
{
    type Ty = <N::Out as Pick<P>>::Ty;
}

/// Declares the position types: a position is a type, not a `const` parameter, because each
/// `In<3>` written in a pipeline would be a constant of its own that rustc type-checks and
/// tracks between builds (hundreds in a large pipeline), where a type path costs nothing.
macro_rules! positions {
    ($($name:ident = $index:literal),*) => {$(
        #[doc = concat!("Position ", $index, " for [`In`], [`Out`] and [`Pick`]; among more than 16 ")]
        #[doc = "types a position is the tuple of its hexadecimal digits, `(I1, I1)` for 17."]
        pub struct $name;
    )*};
}

positions!(
    I0 = 0,
    I1 = 1,
    I2 = 2,
    I3 = 3,
    I4 = 4,
    I5 = 5,
    I6 = 6,
    I7 = 7,
    I8 = 8,
    I9 = 9,
    I10 = 10,
    I11 = 11,
    I12 = 12,
    I13 = 13,
    I14 = 14,
    I15 = 15
);

/// `Pick` for each position of one tuple type, one position per step.
macro_rules! pick {
    ([$($all:ident),+]) => {};
    ([$($all:ident),+] $index:ident $ty:ident $(, $rest_index:ident $rest_ty:ident)*) => {
        impl<$($all),+> Pick<$index> for ($($all,)+) {
            type Ty = $ty;
        }
        pick!([$($all),+] $($rest_index $rest_ty),*);
    };
}

pick!([A] I0 A);
pick!([A, B] I0 A, I1 B);
pick!([A, B, C] I0 A, I1 B, I2 C);
pick!([A, B, C, D] I0 A, I1 B, I2 C, I3 D);
pick!([A, B, C, D, E] I0 A, I1 B, I2 C, I3 D, I4 E);
pick!([A, B, C, D, E, F] I0 A, I1 B, I2 C, I3 D, I4 E, I5 F);
pick!([A, B, C, D, E, F, G] I0 A, I1 B, I2 C, I3 D, I4 E, I5 F, I6 G);
pick!([A, B, C, D, E, F, G, H] I0 A, I1 B, I2 C, I3 D, I4 E, I5 F, I6 G, I7 H);
pick!([A, B, C, D, E, F, G, H, I] I0 A, I1 B, I2 C, I3 D, I4 E, I5 F, I6 G, I7 H, I8 I);
pick!([A, B, C, D, E, F, G, H, I, J] I0 A, I1 B, I2 C, I3 D, I4 E, I5 F, I6 G, I7 H, I8 I, I9 J);
pick!([A, B, C, D, E, F, G, H, I, J, K] I0 A, I1 B, I2 C, I3 D, I4 E, I5 F, I6 G, I7 H, I8 I, I9 J, I10 K);
pick!([A, B, C, D, E, F, G, H, I, J, K, L] I0 A, I1 B, I2 C, I3 D, I4 E, I5 F, I6 G, I7 H, I8 I, I9 J, I10 K, I11 L);
pick!([A, B, C, D, E, F, G, H, I, J, K, L, M] I0 A, I1 B, I2 C, I3 D, I4 E, I5 F, I6 G, I7 H, I8 I, I9 J, I10 K, I11 L, I12 M);
pick!([A, B, C, D, E, F, G, H, I, J, K, L, M, N] I0 A, I1 B, I2 C, I3 D, I4 E, I5 F, I6 G, I7 H, I8 I, I9 J, I10 K, I11 L, I12 M, I13 N);
pick!([A, B, C, D, E, F, G, H, I, J, K, L, M, N, O] I0 A, I1 B, I2 C, I3 D, I4 E, I5 F, I6 G, I7 H, I8 I, I9 J, I10 K, I11 L, I12 M, I13 N, I14 O);
pick!([A, B, C, D, E, F, G, H, I, J, K, L, M, N, O, P] I0 A, I1 B, I2 C, I3 D, I4 E, I5 F, I6 G, I7 H, I8 I, I9 J, I10 K, I11 L, I12 M, I13 N, I14 O, I15 P);

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
