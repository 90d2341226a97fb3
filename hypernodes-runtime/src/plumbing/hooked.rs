//! What generated code and engines call to tell hooks what happens. Each helper does nothing,
//! reads no clock and builds no event when the hooks are inactive (`H::ACTIVE` is a constant).

use std::time::{Duration, Instant};

use crate::error::Error;
use crate::hooks::{Event, Hooks, Scope};

/// The start time of a call, read only for active hooks.
#[derive(Clone, Copy)]
pub struct Clock(Option<Instant>);

impl Clock {
    /// Now, if `H` listens.
    #[inline(always)]
    pub fn start<H: Hooks>() -> Clock {
        Clock(if H::ACTIVE {
            Some(Instant::now())
        } else {
            None
        })
    }

    /// Time since the start (zero for inactive hooks).
    #[inline(always)]
    pub fn elapsed(self) -> Duration {
        self.0.map_or(Duration::ZERO, |start| start.elapsed())
    }
}

/// `NodeStart`, then a clock for `node_end`.
#[inline(always)]
pub fn node_start<H: Hooks>(
    hooks: &H,
    scope: &Scope<'_>,
    node: &'static str,
    items: usize,
) -> Clock {
    if H::ACTIVE {
        tell(hooks, scope, &Event::NodeStart { scope, node, items });
    }
    Clock::start::<H>()
}

/// `NodeEnd`.
#[inline(always)]
pub fn node_end<H: Hooks>(
    hooks: &H,
    scope: &Scope<'_>,
    node: &'static str,
    items: usize,
    clock: Clock,
) {
    if H::ACTIVE {
        let elapsed = clock.elapsed();
        tell(
            hooks,
            scope,
            &Event::NodeEnd {
                scope,
                node,
                items,
                elapsed,
            },
        );
    }
}

/// `NestedStart`, then a clock for `nested_end`.
#[inline(always)]
pub fn nested_start<H: Hooks>(
    hooks: &H,
    scope: &Scope<'_>,
    node: &'static str,
    elements: Option<usize>,
) -> Clock {
    if H::ACTIVE {
        tell(
            hooks,
            scope,
            &Event::NestedStart {
                scope,
                node,
                elements,
            },
        );
    }
    Clock::start::<H>()
}

/// `NestedEnd`.
#[inline(always)]
pub fn nested_end<H: Hooks>(hooks: &H, scope: &Scope<'_>, node: &'static str, clock: Clock) {
    if H::ACTIVE {
        let elapsed = clock.elapsed();
        tell(
            hooks,
            scope,
            &Event::NestedEnd {
                scope,
                node,
                elapsed,
            },
        );
    }
}

/// A top-level `run`: `PipelineStart`, the body, `Error` if it failed, `PipelineEnd`.
#[inline(always)]
pub fn hooked_run<H: Hooks, T>(
    hooks: &H,
    scope: &Scope<'_>,
    body: impl FnOnce() -> Result<T, Error>,
) -> Result<T, Error> {
    if !H::ACTIVE {
        return body();
    }
    hooks.on(&Event::PipelineStart { scope });
    let clock = Clock::start::<H>();
    let result = body();
    if let Err(error) = &result {
        hooks.on(&Event::Error { scope, error });
    }
    let elapsed = clock.elapsed();
    let ok = result.is_ok();
    hooks.on(&Event::PipelineEnd { scope, ok, elapsed });
    result
}

/// `ItemStart` of item `scope`.
#[inline(always)]
pub fn item_start<H: Hooks>(hooks: &H, scope: &Scope<'_>) {
    // An item holding its events starts when one of its nodes runs.
    if H::ACTIVE && scope.pending().is_none() {
        hooks.on(&Event::ItemStart { scope });
    }
}

/// `event` of `scope` to `hooks`, unless the item it is in holds it back (see
/// [`ItemPending`](crate::hooks::pending::ItemPending)).
#[inline]
pub fn tell<H: Hooks>(hooks: &H, scope: &Scope<'_>, event: &Event<'_>) {
    if let Some(pending) = scope.pending() {
        if pending.hold(hooks, scope.root_scope(), event) {
            return;
        }
    }
    hooks.on(event);
}

/// `Error` (if it failed), then `ItemEnd` of item `scope`.
#[inline(always)]
pub fn item_end<H: Hooks, T>(hooks: &H, scope: &Scope<'_>, result: &Result<T, Error>) {
    if let (true, Some(pending)) = (H::ACTIVE, scope.pending()) {
        pending.end(hooks, scope, result);
        return;
    }
    if H::ACTIVE {
        if let Err(error) = result {
            hooks.on(&Event::Error { scope, error });
        }
        let ok = result.is_ok();
        hooks.on(&Event::ItemEnd { scope, ok });
    }
}

/// Whether `hooks` want the values of node calls (`Hooks::VALUES`): generated code gathers them
/// only then.
#[inline(always)]
pub const fn wants_values<H: Hooks>(_: &H) -> bool {
    H::VALUES
}

/// `NodeInputs` or `NodeOutputs` (`outputs`), for hooks that want values.
#[inline(never)]
pub fn node_values<H: Hooks>(
    hooks: &H,
    scope: &Scope<'_>,
    node: &'static str,
    outputs: bool,
    values: &[(&'static str, &dyn std::fmt::Debug)],
) {
    let event = match outputs {
        false => Event::NodeInputs {
            scope,
            node,
            values,
        },
        true => Event::NodeOutputs {
            scope,
            node,
            values,
        },
    };
    tell(hooks, scope, &event);
}
