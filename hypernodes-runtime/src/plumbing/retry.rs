//! Calling a node again after an error or a panic, with exponential backoff.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Duration;

use crate::error::Error;

/// Calls `attempt` until it succeeds or `retries` retries are spent, waiting
/// [`backoff`]`(n)` before retry `n`. Each attempt has its own panic guard, so a panic is
/// retried like an error. The final error records how many attempts were made.
pub fn retrying<T>(
    node: &'static str,
    retries: u32,
    mut attempt: impl FnMut() -> Result<T, Error>,
) -> Result<T, Error> {
    let mut retry = 0;
    loop {
        let result = catch_unwind(AssertUnwindSafe(&mut attempt))
            .unwrap_or_else(|payload| Err(Error::panicked(node, payload)));
        match result {
            Ok(value) => return Ok(value),
            Err(_) if retry < retries => {
                std::thread::sleep(backoff(retry));
                retry += 1;
            }
            Err(error) => return Err(error.after_attempts(retry + 1)),
        }
    }
}

/// The wait before retry `n` (from 0): 10 ms, doubling each time, at most 1.28 s.
pub fn backoff(retry: u32) -> Duration {
    Duration::from_millis(10 << retry.min(7))
}

/// A by-value argument of a node with retries: each attempt needs its own copy.
#[diagnostic::on_unimplemented(
    message = "`{Self}` must implement `Clone`: `{Consumer}` has `max_retries` and takes it by value, so each attempt needs its own copy",
    label = "`{Consumer}` takes the value by value here",
    note = "take the parameter by reference (`&{Self}`), implement `Clone`, or set `max_retries = 0`"
)]
pub trait CloneForRetry<Consumer>: Sized {
    /// A copy for one attempt.
    fn clone_for_retry(&self) -> Self;
}

impl<T: Clone, Consumer> CloneForRetry<Consumer> for T {
    #[inline(always)]
    fn clone_for_retry(&self) -> Self {
        self.clone()
    }
}

/// Copies `value` for one attempt of `Consumer`; a free function so a missing `Clone` is
/// reported at the node.
#[inline(always)]
pub fn clone_for_retry<Consumer, T: CloneForRetry<Consumer>>(value: &T) -> T {
    value.clone_for_retry()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_errors_and_panics_then_succeeds() {
        let mut calls = 0;
        let value = retrying("flaky", 3, || {
            calls += 1;
            match calls {
                1 => Err(Error::failed("flaky", "first".into())),
                2 => panic!("second"),
                _ => Ok(calls),
            }
        });
        assert_eq!(value.unwrap(), 3);
    }

    #[test]
    fn gives_up_after_the_last_retry_and_says_so() {
        let mut calls = 0;
        let err = retrying("flaky", 2, || -> Result<(), Error> {
            calls += 1;
            Err(Error::failed("flaky", "always".into()))
        })
        .unwrap_err();
        assert_eq!(calls, 3);
        assert_eq!(
            err.to_string(),
            "node `flaky` failed after 3 attempts: always"
        );
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff(0), Duration::from_millis(10));
        assert_eq!(backoff(3), Duration::from_millis(80));
        assert_eq!(backoff(50), Duration::from_millis(1280));
    }
}
