//! What crosses processes: units of items and their results, encoded with postcard. timely
//! carries them as opaque bytes, so the wire format is ours and timely stays a transport.

use std::collections::HashSet;
use std::sync::{Mutex, OnceLock, PoisonError};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind};
use crate::pipeline::Pipeline;
use crate::plumbing::protocol::Plumbing;

/// A record on the wire: a unit's index and its encoded items or results.
pub type Record = (u64, Vec<u8>);

/// Values that can cross processes: serde types. Items and outputs of a pipeline run on a
/// [`Cluster`](super::Cluster) must be, as nested pairs of their fields.
///
/// ```
/// use hypernodes::cluster::Crosses;
/// #[derive(serde::Serialize, serde::Deserialize)]
/// struct Document { title: String, words: Vec<String> }
/// fn crosses<T: Crosses>() {}
/// crosses::<Document>();
/// crosses::<(u64, Option<String>)>();
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot cross processes: every field of the pipeline's inputs and outputs must implement serde's `Serialize` and `DeserializeOwned`",
    label = "a `Cluster` sends these values between processes",
    note = "only a pipeline's inputs and outputs cross processes (intermediate values and stateful resources stay where they are made); derive `serde::Serialize` and `serde::Deserialize` for the types named above"
)]
pub trait Crosses: Serialize + DeserializeOwned {}

impl<T: Serialize + DeserializeOwned> Crosses for T {}

/// A pipeline a cluster can run: its items and outputs cross processes, and its value and
/// shared state are shared by the workers of a process. The cluster's own functions ask for
/// this one bound; what users see names the four.
pub trait Distributed:
    Pipeline + Sync + Plumbing<Shared: Sync, InputFields: Crosses, OutputFields: Crosses>
{
}

impl<P> Distributed for P
where
    P: Pipeline + Sync,
    P::Shared: Sync,
    P::InputFields: Crosses,
    P::OutputFields: Crosses,
{
}

/// Encodes a unit of items starting at item `first`, each in a frame of its own: an item whose
/// `Serialize` fails travels as its error, and the unit's other items still run.
pub fn encode_items<P: Pipeline>(first: usize, items: Vec<P::Inputs>) -> Vec<u8>
where
    P::InputFields: Crosses,
{
    let mut out = Vec::with_capacity(16 + items.len() * 16);
    out.extend_from_slice(&(first as u64).to_le_bytes());
    for item in items {
        let fields = P::__hypernodes_inputs_to_fields(item);
        let start = out.len();
        out.extend_from_slice(&[0; 4]);
        out.push(ITEM);
        if let Err(e) = postcard::to_io(&fields, &mut out) {
            out.truncate(start + 4);
            out.push(UNENCODABLE);
            out.extend_from_slice(format!("cannot encode the item: {e}").as_bytes());
        }
        close_frame(&mut out, start);
    }
    out
}

/// Decodes a unit of items: the index of its first item, and each item or why it cannot run
/// (its encoding or decoding failed).
pub fn decode_items<P: Pipeline>(bytes: &[u8]) -> Result<ArrivedItems<P>, String>
where
    P::InputFields: Crosses,
{
    let (first, frames) = frames(bytes).ok_or("a unit of items arrived damaged")?;
    let items = frames
        .into_iter()
        .map(|frame| match frame.split_first() {
            Some((&ITEM, fields)) => postcard::from_bytes::<P::InputFields>(fields)
                .map(P::__hypernodes_inputs_from_fields)
                .map_err(|e| format!("cannot decode the item: {e}")),
            Some((&UNENCODABLE, message)) => Err(String::from_utf8_lossy(message).into_owned()),
            _ => Err("the item arrived damaged".to_owned()),
        })
        .collect();
    Ok((first, items))
}

/// A unit of items as it arrived: the first item's index, and each item or why it cannot run.
pub type ArrivedItems<P> = (usize, Vec<Result<<P as Pipeline>::Inputs, String>>);

/// An item frame's first byte: the item's fields follow.
const ITEM: u8 = 0;
/// An item frame's first byte: why the item could not be encoded follows.
const UNENCODABLE: u8 = 1;

/// Writes the length of the frame begun at `start` (4 bytes kept there) into its place.
fn close_frame(out: &mut [u8], start: usize) {
    let len = (out.len() - start - 4) as u32;
    out[start..start + 4].copy_from_slice(&len.to_le_bytes());
}

/// The first item's index and the frames of a unit; `None` if the bytes are damaged.
fn frames(bytes: &[u8]) -> Option<(usize, Vec<&[u8]>)> {
    let (first, mut rest) = bytes.split_first_chunk::<8>()?;
    let mut frames = Vec::new();
    while let Some((len, after)) = rest.split_first_chunk::<4>() {
        let (frame, after) = after.split_at_checked(u32::from_le_bytes(*len) as usize)?;
        frames.push(frame);
        rest = after;
    }
    rest.is_empty()
        .then_some((u64::from_le_bytes(*first) as usize, frames))
}

/// Encodes the results of a unit whose first item is `first`: each in a frame of its own (in
/// one buffer), so an output whose `Serialize` fails is that item's error, and one that fails
/// to decode on process 0 fails only its item too.
pub fn encode_results<P: Pipeline>(first: usize, results: Vec<Result<P::Outputs, Error>>) -> Vec<u8>
where
    P::OutputFields: Crosses,
{
    let mut out = Vec::with_capacity(16 + results.len() * 16);
    out.extend_from_slice(&(first as u64).to_le_bytes());
    for (result, item) in results.into_iter().zip(first..) {
        let result = result
            .map(P::__hypernodes_outputs_to_fields)
            .map_err(|error| WireError::from(&error));
        let start = out.len();
        out.extend_from_slice(&[0; 4]);
        if let Err(e) = postcard::to_io(&result, &mut out) {
            out.truncate(start + 4);
            let failed = Error::cluster(format!("cannot encode the item's outputs: {e}"));
            let failed: Result<P::OutputFields, WireError> =
                Err(WireError::from(&failed.at_item(item)));
            postcard::to_io(&failed, &mut out).expect("an error's fields encode");
        }
        close_frame(&mut out, start);
    }
    out
}

/// Decodes a unit's results; an output that cannot be decoded is that item's error.
pub fn decode_results<P: Pipeline>(bytes: &[u8]) -> Result<Vec<Result<P::Outputs, Error>>, Error>
where
    P::OutputFields: Crosses,
{
    let (first, frames) = frames(bytes)
        .ok_or_else(|| Error::cluster("a unit of results arrived damaged".to_owned()))?;
    Ok(frames
        .into_iter()
        .zip(first..)
        .map(|(frame, item)| {
            match postcard::from_bytes::<Result<P::OutputFields, WireError>>(frame) {
                Ok(result) => result
                    .map(P::__hypernodes_outputs_from_fields)
                    .map_err(WireError::into_error),
                Err(e) => Err(
                    Error::cluster(format!("cannot decode the item's outputs: {e}")).at_item(item),
                ),
            }
        })
        .collect())
}

/// An [`Error`] as data: a node's own error source becomes its message.
#[derive(Serialize, Deserialize)]
struct WireError {
    path: Vec<(String, Option<u64>)>,
    item: Option<u64>,
    attempts: u32,
    kind: WireKind,
}

#[derive(Serialize, Deserialize)]
enum WireKind {
    Failed(String),
    Panicked(String),
    Stateful { param: String, source: String },
    Config(String),
    ZipLength(String),
    BatchLength { expected: u64, returned: u64 },
    Cluster(String),
    WorkerDied(String),
    Column { column: String, message: String },
    Dataset(String),
}

impl From<&Error> for WireError {
    fn from(error: &Error) -> Self {
        let kind = match error.kind() {
            ErrorKind::Failed(source) => WireKind::Failed(source.to_string()),
            ErrorKind::Panicked(message) => WireKind::Panicked(message.clone()),
            ErrorKind::Stateful { param, source } => WireKind::Stateful {
                param: (*param).to_owned(),
                source: source.to_string(),
            },
            ErrorKind::Config(message) => WireKind::Config(message.clone()),
            ErrorKind::ZipLength(message) => WireKind::ZipLength(message.clone()),
            ErrorKind::BatchLength { expected, returned } => WireKind::BatchLength {
                expected: *expected as u64,
                returned: *returned as u64,
            },
            ErrorKind::Cluster(message) => WireKind::Cluster(message.clone()),
            ErrorKind::WorkerDied(message) => WireKind::WorkerDied(message.clone()),
            ErrorKind::Column { column, message } => WireKind::Column {
                column: column.clone(),
                message: message.clone(),
            },
            ErrorKind::Dataset(message) => WireKind::Dataset(message.clone()),
        };
        WireError {
            path: error
                .path()
                .iter()
                .map(|(name, element)| ((*name).to_owned(), element.map(|e| e as u64)))
                .collect(),
            item: error.item().map(|item| item as u64),
            attempts: error.attempts(),
            kind,
        }
    }
}

impl WireError {
    fn into_error(self) -> Error {
        let kind = match self.kind {
            WireKind::Failed(message) => ErrorKind::Failed(message.into()),
            WireKind::Panicked(message) => ErrorKind::Panicked(message),
            WireKind::Stateful { param, source } => ErrorKind::Stateful {
                param: intern(param),
                source: source.into(),
            },
            WireKind::Config(message) => ErrorKind::Config(message),
            WireKind::ZipLength(message) => ErrorKind::ZipLength(message),
            WireKind::BatchLength { expected, returned } => ErrorKind::BatchLength {
                expected: expected as usize,
                returned: returned as usize,
            },
            WireKind::Cluster(message) => ErrorKind::Cluster(message),
            WireKind::WorkerDied(message) => ErrorKind::WorkerDied(message),
            WireKind::Column { column, message } => ErrorKind::Column { column, message },
            WireKind::Dataset(message) => ErrorKind::Dataset(message),
        };
        let path = self
            .path
            .into_iter()
            .map(|(name, element)| (intern(name), element.map(|e| e as usize)))
            .collect();
        Error::from_parts(
            path,
            self.item.map(|item| item as usize),
            self.attempts,
            kind,
        )
    }
}

/// Node and pipeline names as `&'static str`, as errors carry them. Names come from a finite
/// set (the pipeline's own), so each is leaked at most once.
fn intern(name: String) -> &'static str {
    static NAMES: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let mut names = NAMES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    if let Some(known) = names.get(name.as_str()) {
        return known;
    }
    let leaked: &'static str = Box::leak(name.into_boxed_str());
    names.insert(leaked);
    leaked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_cross_with_path_item_attempts_and_message() {
        let original = Error::failed("score", "empty text".into())
            .within_element("Chunks", 2)
            .at_item(41)
            .after_attempts(3);
        let bytes = postcard::to_allocvec(&WireError::from(&original)).unwrap();
        let back = postcard::from_bytes::<WireError>(&bytes)
            .unwrap()
            .into_error();
        assert_eq!(back.to_string(), original.to_string());
        assert_eq!(back.node_path(), "Chunks[2].score");
        assert_eq!((back.item(), back.attempts()), (Some(41), 3));
    }

    #[test]
    fn names_are_interned_once() {
        let a = intern("predict".to_owned());
        let b = intern("predict".to_owned());
        assert!(std::ptr::eq(a, b));
    }
}
