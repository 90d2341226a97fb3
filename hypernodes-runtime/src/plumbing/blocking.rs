//! Whether a blocking call of a pipeline may block the calling thread.

use crate::error::Error;

/// `Ok` unless the pipeline awaits an `async fn` node (`first_async`, from
/// `PipelineInfo::first_async`) and the call comes from a single-threaded tokio runtime: the
/// thread it would block is the one that runtime needs, so the call would hang or panic. The
/// error names the node and says what to call instead.
///
/// ```
/// use hypernodes::__private::can_block;
/// assert!(can_block(None).is_ok());
/// assert!(can_block(Some("fetch")).is_ok()); // no runtime on this thread
/// ```
#[inline]
pub fn can_block(first_async: Option<&'static str>) -> Result<(), Error> {
    let Some(node) = first_async else {
        return Ok(());
    };
    #[cfg(feature = "async")]
    {
        use tokio::runtime::{Handle, RuntimeFlavor};
        let single = Handle::try_current()
            .is_ok_and(|handle| handle.runtime_flavor() == RuntimeFlavor::CurrentThread);
        if single {
            return Err(Error::config(
                node,
                "it is an `async fn` node and this blocking call comes from a single-threaded \
                 tokio runtime, which cannot wait for it: await `run_async` (or `map_async`, \
                 `stream_async`) instead, or call from a multi-threaded runtime"
                    .to_owned(),
            ));
        }
    }
    let _ = node;
    Ok(())
}
