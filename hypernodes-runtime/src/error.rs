//! The error a pipeline run returns: which node failed, on which item, and why.

use std::any::Any;
use std::fmt;
use std::mem::ManuallyDrop;
use std::ops::{Deref, DerefMut};

/// A boxed error that can cross threads: what a fallible node's error is turned into.
///
/// ```
/// use hypernodes_runtime::BoxError;
/// let e: BoxError = "not a number".into();
/// assert_eq!(e.to_string(), "not a number");
/// ```
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Why a node failed.
///
/// ```
/// use hypernodes::{node, pipeline, ErrorKind};
///
/// #[node]
/// fn halve(n: u32) -> Result<u32, String> {
///     if n % 2 == 1 { return Err(format!("{n} is odd")); }
///     Ok(n / 2)
/// }
/// #[node]
/// fn invert(halve: u32) -> u32 { 100 / halve }
///
/// pipeline! { Halves = [halve, invert] }
///
/// let p = Halves::new();
/// let odd = p.run(HalvesInputs { n: 3 }).unwrap_err();
/// assert!(matches!(odd.kind(), ErrorKind::Failed(e) if e.to_string() == "3 is odd"));
/// let zero = p.run(HalvesInputs { n: 0 }).unwrap_err();
/// assert!(matches!(zero.kind(), ErrorKind::Panicked(m) if m.contains("divide by zero")));
/// assert_eq!(zero.node(), "invert");
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The node returned `Err`; the error is kept as [`std::error::Error::source`].
    Failed(BoxError),
    /// The node panicked; the panic was caught and its message kept.
    Panicked(String),
    /// A stateful resource the node needs could not be built.
    Stateful {
        /// The stateful parameter's name.
        param: &'static str,
        /// What the constructor returned.
        source: BoxError,
    },
    /// The node's settings cannot be met (e.g. more `gpus` than the machine has); reported
    /// before any item is processed.
    Config(String),
    /// A nested pipeline's `map_over` zips lists of different lengths.
    ZipLength(String),
    /// A batch node returned a different number of values than it was given items.
    BatchLength {
        /// Items in the batch.
        expected: usize,
        /// Values the node returned.
        returned: usize,
    },
    /// A cluster run could not go on: a peer process died or never connected, or a message
    /// could not be decoded. Items without a result get this error; the others keep theirs.
    Cluster(String),
    /// The worker process running a `use_process` node's call died (aborted, crashed or was
    /// killed) before answering; the message says how it ended. The worker is restarted for
    /// the next item.
    WorkerDied(String),
    /// A record batch's column cannot be read as the pipeline's input of that name: it is
    /// missing, its Arrow type is not one the Rust type reads, or it holds a null the type
    /// cannot (the error's item is then the row). Reported before any item runs.
    Column {
        /// The column's name.
        column: String,
        /// What is wrong with it.
        message: String,
    },
    /// A dataset's file could not be listed, read or written; the message names the path.
    Dataset(String),
}

/// The error of a pipeline run: names the failing node (with the nested pipelines it sits in)
/// and the item index when the run covered several items.
///
/// ```
/// use hypernodes_runtime::{Error, ErrorKind};
/// let err = Error::failed("parse", "invalid digit".into()).within("Report");
/// assert_eq!(err.node(), "parse");
/// assert_eq!(err.node_path(), "Report.parse");
/// assert!(matches!(err.kind(), ErrorKind::Failed(_)));
/// assert_eq!(err.to_string(), "node `Report.parse` failed: invalid digit");
/// ```
///
/// It is one pointer wide (the details are boxed), so results carrying it stay small on the
/// per-item path.
pub struct Error {
    details: Held,
}

// Written out rather than derived: a derived `fmt` is `#[inline]`, so every crate that unwraps
// a run's result compiled the formatting of the details, their path and their kind again
// (about 80 M of rustc's instructions in the release build of a 50-node program). Out of line,
// it is compiled once, here.
impl fmt::Debug for Error {
    #[inline(never)]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("details", &*self.details)
            .finish()
    }
}

#[derive(Debug)]
struct Details {
    /// Outermost pipeline first, the failing node last; a nested `map_over` pipeline with the
    /// element that failed.
    path: Vec<(&'static str, Option<usize>)>,
    item: Option<usize>,
    attempts: u32,
    kind: ErrorKind,
}

/// The boxed [`Details`], dropped by a function compiled once, here.
///
/// A `Box<Details>` field would make every crate that drops an `Error` (any program that
/// unwraps a run's result) instantiate the drop glue of the path and of each [`ErrorKind`]:
/// about 40 M of rustc's instructions in the release build of a 50-node program. This field
/// has no drop glue of its own; its `Drop` is out of line.
struct Held(ManuallyDrop<Option<Box<Details>>>);

impl Held {
    fn new(details: Details) -> Self {
        Held(ManuallyDrop::new(Some(Box::new(details))))
    }
}

impl Deref for Held {
    type Target = Details;

    fn deref(&self) -> &Details {
        self.0
            .as_deref()
            .expect("an error's details live until it is dropped")
    }
}

impl DerefMut for Held {
    fn deref_mut(&mut self) -> &mut Details {
        self.0
            .as_deref_mut()
            .expect("an error's details live until it is dropped")
    }
}

impl Drop for Held {
    #[inline(never)]
    fn drop(&mut self) {
        drop(self.0.take());
    }
}

impl Error {
    /// The node returned an error.
    pub fn failed(node: &'static str, source: BoxError) -> Self {
        Self::new(node, ErrorKind::Failed(source))
    }

    /// The node panicked; `payload` is what `catch_unwind` returned.
    pub fn panicked(node: &'static str, payload: Box<dyn Any + Send>) -> Self {
        Self::new(node, ErrorKind::Panicked(panic_message(payload)))
    }

    /// The stateful resource `param` of `node` could not be built.
    pub fn stateful(node: &'static str, param: &'static str, source: BoxError) -> Self {
        Self::new(node, ErrorKind::Stateful { param, source })
    }

    /// Code of `pipeline` outside its nodes (a hook, an engine) panicked while running an item;
    /// the error names the pipeline.
    #[cfg(feature = "streaming")]
    pub(crate) fn engine_panicked(pipeline: &'static str, message: &str) -> Self {
        Self::new(
            pipeline,
            ErrorKind::Panicked(format!("outside the nodes: {message}")),
        )
    }

    /// The worker process of `node` died while running its call; `message` says how.
    #[cfg(all(feature = "process", unix))]
    pub(crate) fn worker_died(node: &'static str, message: String) -> Self {
        Self::new(node, ErrorKind::WorkerDied(message))
    }

    /// The node's settings cannot be met; `message` says which and why.
    pub fn config(node: &'static str, message: String) -> Self {
        Self::new(node, ErrorKind::Config(message))
    }

    /// The batch node returned `returned` values for `expected` items.
    pub fn batch_length(node: &'static str, expected: usize, returned: usize) -> Self {
        Self::new(node, ErrorKind::BatchLength { expected, returned })
    }

    #[cold]
    fn new(node: &'static str, kind: ErrorKind) -> Self {
        Error {
            details: Held::new(Details {
                path: vec![(node, None)],
                item: None,
                attempts: 1,
                kind,
            }),
        }
    }

    /// Marks the error as coming from inside the nested pipeline `pipeline`.
    #[must_use]
    pub fn within(mut self, pipeline: &'static str) -> Self {
        self.details.path.insert(0, (pipeline, None));
        self
    }

    /// Marks the error as coming from element `element` of the nested pipeline `pipeline`
    /// mapped over a collection.
    ///
    /// ```
    /// use hypernodes_runtime::Error;
    /// let err = Error::failed("score", "empty".into()).within_element("Scoring", 3);
    /// assert_eq!(err.node_path(), "Scoring[3].score");
    /// assert_eq!(err.element(), Some(3));
    /// ```
    #[must_use]
    pub fn within_element(mut self, pipeline: &'static str, element: usize) -> Self {
        self.details.path.insert(0, (pipeline, Some(element)));
        self
    }

    /// A cluster run could not go on; `message` says why. It names no node.
    ///
    /// ```
    /// use hypernodes_runtime::{Error, ErrorKind};
    /// let err = Error::cluster("process 1 stopped answering".into()).at_item(7);
    /// assert!(matches!(err.kind(), ErrorKind::Cluster(_)));
    /// assert_eq!(err.to_string(), "cluster run failed on item 7: process 1 stopped answering");
    /// ```
    pub fn cluster(message: String) -> Self {
        let mut error = Self::new("", ErrorKind::Cluster(message));
        error.details.path.clear();
        error
    }

    /// A record batch's column the pipeline cannot read.
    ///
    /// ```
    /// use hypernodes_runtime::{Error, ErrorKind};
    /// let err = Error::column("id", "null, and `u64` has no null".into()).at_item(3);
    /// assert!(matches!(err.kind(), ErrorKind::Column { .. }));
    /// assert_eq!(err.to_string(), "column `id` at row 3: null, and `u64` has no null");
    /// ```
    pub fn column(column: &str, message: String) -> Self {
        let column = column.to_owned();
        let mut error = Self::new("", ErrorKind::Column { column, message });
        error.details.path.clear();
        error
    }

    /// A dataset's file could not be listed, read or written.
    ///
    /// ```
    /// use hypernodes_runtime::Error;
    /// let err = Error::dataset("out/part-00000.parquet: no space left on device".into());
    /// assert_eq!(err.to_string(), "dataset: out/part-00000.parquet: no space left on device");
    /// ```
    pub fn dataset(message: String) -> Self {
        let mut error = Self::new("", ErrorKind::Dataset(message));
        error.details.path.clear();
        error
    }

    /// An error rebuilt from its parts, e.g. after crossing processes.
    #[cfg(feature = "cluster")]
    pub(crate) fn from_parts(
        path: Vec<(&'static str, Option<usize>)>,
        item: Option<usize>,
        attempts: u32,
        kind: ErrorKind,
    ) -> Self {
        Error {
            details: Held::new(Details {
                path,
                item,
                attempts,
                kind,
            }),
        }
    }

    /// The pipeline path with element indices, outermost first.
    #[cfg(feature = "cluster")]
    pub(crate) fn path(&self) -> &[(&'static str, Option<usize>)] {
        &self.details.path
    }

    /// A nested `map_over` zips lists of different lengths.
    #[doc(hidden)]
    pub fn zip_length(node: &'static str, message: String) -> Self {
        Self::new(node, ErrorKind::ZipLength(message))
    }

    /// The element of the innermost nested `map_over` the error happened on.
    pub fn element(&self) -> Option<usize> {
        self.details
            .path
            .iter()
            .rev()
            .find_map(|(_, element)| *element)
    }

    /// Records the index of the item being processed.
    #[must_use]
    pub fn at_item(mut self, index: usize) -> Self {
        self.details.item = Some(index);
        self
    }

    /// Records that the node was called `attempts` times (its `max_retries` were spent).
    #[must_use]
    pub fn after_attempts(mut self, attempts: u32) -> Self {
        self.details.attempts = attempts;
        self
    }

    /// How many times the node was called before giving up: 1 plus the retries made.
    pub fn attempts(&self) -> u32 {
        self.details.attempts
    }

    /// The same failure for another item of the same batch (a node's own error is kept as
    /// its message, since errors cannot be cloned).
    #[doc(hidden)]
    pub fn for_batch_item(&self) -> Error {
        let kind = match &self.details.kind {
            ErrorKind::Failed(source) => ErrorKind::Failed(source.to_string().into()),
            ErrorKind::Panicked(message) => ErrorKind::Panicked(message.clone()),
            ErrorKind::Stateful { param, source } => ErrorKind::Stateful {
                param,
                source: source.to_string().into(),
            },
            ErrorKind::Config(message) => ErrorKind::Config(message.clone()),
            ErrorKind::ZipLength(message) => ErrorKind::ZipLength(message.clone()),
            ErrorKind::BatchLength { expected, returned } => ErrorKind::BatchLength {
                expected: *expected,
                returned: *returned,
            },
            ErrorKind::Cluster(message) => ErrorKind::Cluster(message.clone()),
            ErrorKind::WorkerDied(message) => ErrorKind::WorkerDied(message.clone()),
            ErrorKind::Column { column, message } => ErrorKind::Column {
                column: column.clone(),
                message: message.clone(),
            },
            ErrorKind::Dataset(message) => ErrorKind::Dataset(message.clone()),
        };
        Error {
            details: Held::new(Details {
                path: self.details.path.clone(),
                item: self.details.item,
                attempts: self.details.attempts,
                kind,
            }),
        }
    }

    /// The name of the node that failed.
    pub fn node(&self) -> &'static str {
        self.details.path.last().map_or("", |(node, _)| node)
    }

    /// The failing node with the nested pipelines around it, outermost first: `Outer.Inner.node`.
    pub fn node_path(&self) -> String {
        let segments: Vec<String> = self
            .details
            .path
            .iter()
            .map(|(name, element)| match element {
                Some(element) => format!("{name}[{element}]"),
                None => (*name).to_owned(),
            })
            .collect();
        segments.join(".")
    }

    /// The index of the failing item, when the run covered several items.
    pub fn item(&self) -> Option<usize> {
        self.details.item
    }

    /// Why the node failed.
    pub fn kind(&self) -> &ErrorKind {
        &self.details.kind
    }

    /// Whether the node panicked (rather than returning an error).
    pub fn is_panic(&self) -> bool {
        matches!(self.details.kind, ErrorKind::Panicked(_))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let ErrorKind::Column { column, message } = &self.details.kind {
            write!(f, "column `{column}`")?;
            if let Some(row) = self.details.item {
                write!(f, " at row {row}")?;
            }
            return write!(f, ": {message}");
        }
        if let ErrorKind::Dataset(message) = &self.details.kind {
            return write!(f, "dataset{}: {message}", OnItem(self.details.item));
        }
        if let ErrorKind::Cluster(message) = &self.details.kind {
            return write!(
                f,
                "cluster run failed{}: {message}",
                OnItem(self.details.item)
            );
        }
        write!(f, "node `{}`", self.node_path())?;
        match &self.details.kind {
            ErrorKind::Failed(source) => write!(
                f,
                " failed{}{}: {source}",
                OnItem(self.details.item),
                Attempts(self.details.attempts)
            ),
            ErrorKind::Panicked(message) => write!(
                f,
                " panicked{}{}: {message}",
                OnItem(self.details.item),
                Attempts(self.details.attempts)
            ),
            ErrorKind::Stateful { param, source } => write!(
                f,
                ": could not build stateful `{param}`{}: {source}",
                OnItem(self.details.item)
            ),
            ErrorKind::Config(message) => write!(f, " cannot run: {message}"),
            ErrorKind::ZipLength(message) => {
                write!(f, "{}: {message}", OnItem(self.details.item))
            }
            ErrorKind::BatchLength { expected, returned } => write!(
                f,
                " returned {returned} values for a batch of {expected} items{}",
                OnItem(self.details.item)
            ),
            ErrorKind::Cluster(_) | ErrorKind::Column { .. } | ErrorKind::Dataset(_) => Ok(()),
            ErrorKind::WorkerDied(message) => write!(
                f,
                ": its worker process died{}{}: {message}",
                OnItem(self.details.item),
                Attempts(self.details.attempts)
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.details.kind {
            ErrorKind::Failed(source) | ErrorKind::Stateful { source, .. } => Some(&**source),
            ErrorKind::Panicked(_)
            | ErrorKind::Config(_)
            | ErrorKind::ZipLength(_)
            | ErrorKind::BatchLength { .. }
            | ErrorKind::Cluster(_)
            | ErrorKind::WorkerDied(_)
            | ErrorKind::Column { .. }
            | ErrorKind::Dataset(_) => None,
        }
    }
}

struct Attempts(u32);

impl fmt::Display for Attempts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            0 | 1 => Ok(()),
            n => write!(f, " after {n} attempts"),
        }
    }
}

struct OnItem(Option<usize>);

impl fmt::Display for OnItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(index) => write!(f, " on item {index}"),
            None => Ok(()),
        }
    }
}

/// Panics carry `&str` or `String` payloads in practice; anything else is named as such.
pub(crate) fn panic_message(payload: Box<dyn Any + Send>) -> String {
    match payload.downcast::<String>() {
        Ok(message) => *message,
        Err(payload) => match payload.downcast::<&'static str>() {
            Ok(message) => (*message).to_owned(),
            Err(payload) => {
                drop_quietly(payload);
                "panic with a non-string payload".to_owned()
            }
        },
    }
}

/// Drops `value`, containing a panic of its `Drop`: a value that panics while dropped must not
/// take the run's other results with it. What such a panic carries is leaked, not dropped (its
/// own drop could panic again).
pub(crate) fn drop_quietly<T>(value: T) -> Option<String> {
    let dropped = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || drop(value)));
    dropped
        .err()
        .map(|payload| match payload.downcast_ref::<String>() {
            Some(message) => message.clone(),
            None => match payload.downcast_ref::<&'static str>() {
                Some(message) => (*message).to_owned(),
                None => {
                    std::mem::forget(payload);
                    "a panic with a non-string payload".to_owned()
                }
            },
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error as _;

    #[test]
    fn display_names_node_item_and_cause() {
        let err = Error::failed("parse", "bad digit".into()).at_item(7);
        assert_eq!(err.to_string(), "node `parse` failed on item 7: bad digit");
        assert_eq!(err.source().unwrap().to_string(), "bad digit");
    }

    #[test]
    fn a_payload_whose_drop_panics_stays_inside() {
        struct Grenade;
        impl Drop for Grenade {
            fn drop(&mut self) {
                panic!("boom while dropped");
            }
        }
        let caught = std::panic::catch_unwind(|| std::panic::panic_any(Grenade)).unwrap_err();
        let err = Error::panicked("node", caught);
        assert!(err.to_string().contains("non-string payload"), "{err}");
    }

    #[test]
    fn panic_payloads_become_messages() {
        let err = Error::panicked("clean", Box::new(String::from("boom")));
        assert_eq!(err.to_string(), "node `clean` panicked: boom");
        assert!(err.is_panic() && err.source().is_none());
        let err = Error::panicked("clean", Box::new(42_u8));
        assert_eq!(
            err.to_string(),
            "node `clean` panicked: panic with a non-string payload"
        );
    }

    #[test]
    fn errors_cross_threads_and_box_into_other_errors() {
        fn assert_send_sync<T: Send + Sync + 'static>() {}
        assert_send_sync::<Error>();
        let boxed: BoxError = Error::failed("a", "b".into()).into();
        assert_eq!(boxed.to_string(), "node `a` failed: b");
    }

    #[test]
    fn debug_shows_the_details_and_the_error_stays_one_pointer_wide() {
        let err = Error::failed("parse", "bad digit".into()).at_item(2);
        assert_eq!(
            format!("{err:?}"),
            "Error { details: Details { path: [(\"parse\", None)], item: Some(2), attempts: 1, \
             kind: Failed(\"bad digit\") } }"
        );
        assert_eq!(std::mem::size_of::<Error>(), std::mem::size_of::<usize>());
    }

    #[test]
    fn stateful_errors_name_the_parameter() {
        let err = Error::stateful("predict", "model", "no weights".into()).within("Scoring");
        assert_eq!(
            err.to_string(),
            "node `Scoring.predict`: could not build stateful `model`: no weights"
        );
    }
}
