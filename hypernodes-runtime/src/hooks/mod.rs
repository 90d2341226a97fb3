//! Lifecycle hooks: a run tells a [`Hooks`] value what happens, through a generic parameter,
//! so a run without hooks compiles to the same code as before hooks existed.

mod event;
pub(crate) mod pending;
#[cfg(feature = "progress")]
mod progress;
mod scope;
#[cfg(feature = "tracing")]
mod tracing;

pub use event::Event;
#[cfg(feature = "progress")]
pub use progress::Progress;
pub use scope::Scope;
#[cfg(feature = "tracing")]
pub use tracing::Tracing;

/// Receives the lifecycle events of runs and maps.
///
/// Give hooks with `p.with_hooks(h)` (or `p.with_engine(e).with_hooks(h)`); compose several
/// with a tuple: `with_hooks((a, b))`. Hooks are called on the workers, so they are `Sync`.
///
/// ```
/// use std::sync::Mutex;
/// use hypernodes::hooks::{Event, Hooks};
/// use hypernodes::{node, pipeline, Sequential};
///
/// #[node]
/// fn double(x: u32) -> u32 { 2 * x }
/// pipeline! { Doubler = [double] }
///
/// #[derive(Default)]
/// struct NodeCalls(Mutex<Vec<String>>);
///
/// impl Hooks for NodeCalls {
///     fn on(&self, event: &Event<'_>) {
///         if let Event::NodeEnd { scope, node, .. } = event {
///             self.0.lock().unwrap().push(format!("{scope}.{node}"));
///         }
///     }
/// }
///
/// let calls = NodeCalls::default();
/// let items = (1..=2).map(|x| DoublerInputs { x });
/// Doubler::new().with_engine(Sequential).with_hooks(&calls).map(items)?;
/// assert_eq!(*calls.0.lock().unwrap(), ["Doubler[0].double", "Doubler[1].double"]);
/// # Ok::<(), hypernodes::Error>(())
/// ```
pub trait Hooks: Sync {
    /// Whether `on` does anything: when `false`, runs neither build events nor read the clock.
    const ACTIVE: bool = true;

    /// Whether `on` wants [`Event::NodeInputs`] and [`Event::NodeOutputs`]: the values each
    /// node call read and returned. Off by default, so runs with other hooks never gather them.
    ///
    /// ```
    /// use std::sync::Mutex;
    /// use hypernodes::hooks::{Event, Hooks};
    /// use hypernodes::{node, pipeline};
    ///
    /// #[derive(Default)]
    /// struct Values(Mutex<Vec<String>>);
    /// impl Hooks for Values {
    ///     const VALUES: bool = true;
    ///     fn on(&self, event: &Event<'_>) {
    ///         if let Event::NodeInputs { node, values, .. } | Event::NodeOutputs { node, values, .. } = event {
    ///             let each: Vec<String> = values.iter().map(|(n, v)| format!("{n}={v:?}")).collect();
    ///             self.0.lock().unwrap().push(format!("{node}: {}", each.join(", ")));
    ///         }
    ///     }
    /// }
    ///
    /// #[node(output = "doubled")]
    /// fn double(x: u32) -> u32 { 2 * x }
    /// pipeline! { Doubler = [double] }
    ///
    /// let values = Values::default();
    /// Doubler::new().with_hooks(&values).run(DoublerInputs { x: 4 })?;
    /// assert_eq!(*values.0.lock().unwrap(), ["double: x=4", "double: doubled=8"]);
    /// # Ok::<(), hypernodes::Error>(())
    /// ```
    const VALUES: bool = false;

    /// Called for every event, on the thread where it happens.
    fn on(&self, event: &Event<'_>);
}

/// No hooks: the default, costing nothing.
///
/// ```
/// use hypernodes::hooks::{Hooks, NoHooks};
/// const { assert!(!NoHooks::ACTIVE) };
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct NoHooks;

impl Hooks for NoHooks {
    const ACTIVE: bool = false;

    #[inline(always)]
    fn on(&self, _: &Event<'_>) {}
}

impl<H: Hooks + ?Sized> Hooks for &H {
    const ACTIVE: bool = H::ACTIVE;
    const VALUES: bool = H::VALUES;

    #[inline(always)]
    fn on(&self, event: &Event<'_>) {
        (**self).on(event);
    }
}

/// Hooks shared with threads that outlive the caller's borrow, as a `stream` needs.
impl<H: Hooks + ?Sized + Send> Hooks for std::sync::Arc<H> {
    const ACTIVE: bool = H::ACTIVE;
    const VALUES: bool = H::VALUES;

    #[inline(always)]
    fn on(&self, event: &Event<'_>) {
        (**self).on(event);
    }
}

macro_rules! tuple_hooks {
    ($($name:ident . $index:tt),+) => {
        /// Each hook of the tuple, in order.
        impl<$($name: Hooks),+> Hooks for ($($name,)+) {
            const ACTIVE: bool = $($name::ACTIVE)||+;
            const VALUES: bool = $($name::VALUES)||+;

            #[inline(always)]
            fn on(&self, event: &Event<'_>) {
                $(if $name::ACTIVE { self.$index.on(event); })+
            }
        }
    };
}

tuple_hooks!(A.0, B.1);
tuple_hooks!(A.0, B.1, C.2);
tuple_hooks!(A.0, B.1, C.2, D.3);
