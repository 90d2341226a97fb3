//! An item's events held back until a node of it really runs: an item served whole from a
//! cache is told as one `ItemCached` instead of `ItemStart`, its cache hits and `ItemEnd`.

use std::sync::{Mutex, PoisonError};

use super::{Event, Hooks, Scope};
use crate::error::Error;

/// The held-back state of one item, on the stack of the worker running it.
#[derive(Default)]
pub struct ItemPending(Mutex<Held>);

#[derive(Default)]
struct Held {
    /// `ItemStart` was sent: events now pass through.
    started: bool,
    /// The item's own nodes served from a cache so far, in order.
    hits: Vec<&'static str>,
}

impl ItemPending {
    fn held(&self) -> std::sync::MutexGuard<'_, Held> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Before `event` of item `item` reaches `hooks`: holds back a cache hit of the item's own
    /// node while nothing else happened (`true`: the event is held); any other event first
    /// sends the held-back `ItemStart` and cache hits.
    pub(crate) fn hold<H: Hooks>(&self, hooks: &H, item: &Scope<'_>, event: &Event<'_>) -> bool {
        let mut held = self.held();
        if held.started {
            return false;
        }
        if let Event::CacheHit { scope, node } = event {
            if scope.parent().is_none() {
                held.hits.push(node);
                return true;
            }
        }
        Self::start(&mut held, hooks, item);
        false
    }

    fn start<H: Hooks>(held: &mut Held, hooks: &H, item: &Scope<'_>) {
        held.started = true;
        hooks.on(&Event::ItemStart { scope: item });
        for node in std::mem::take(&mut held.hits) {
            hooks.on(&Event::CacheHit { scope: item, node });
        }
    }

    /// The end of item `item`: one `ItemCached` when every node it needed was served from a
    /// cache, otherwise (after the held-back start, if nothing ran) `Error` and `ItemEnd`.
    pub(crate) fn end<H: Hooks, T>(&self, hooks: &H, item: &Scope<'_>, result: &Result<T, Error>) {
        let mut held = self.held();
        if !held.started {
            if result.is_ok() && !held.hits.is_empty() {
                hooks.on(&Event::ItemCached {
                    scope: item,
                    nodes: &held.hits,
                });
                return;
            }
            Self::start(&mut held, hooks, item);
        }
        drop(held);
        if let Err(error) = result {
            hooks.on(&Event::Error { scope: item, error });
        }
        hooks.on(&Event::ItemEnd {
            scope: item,
            ok: result.is_ok(),
        });
    }
}
