//! The control link between process 0 and each other process, beside the data connections of
//! a generation: process 0 tells a process which run to join and with whom, or that the
//! cluster ends; the process reports how each generation ended. Both ends beat on it, so a
//! process that dies (its socket closes) or freezes or loses its network (it goes silent) is
//! named at once or within the heartbeat timeout, and a process whose driver is gone ends.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

/// What process 0 tells another process.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// Join generation `generation` of a run of the pipeline with fingerprint `pipeline`,
    /// with `members` (process indices, in timely's order).
    Run {
        generation: u64,
        pipeline: u64,
        members: Vec<u64>,
    },
    /// Give up generation `generation`: process 0 has seen it fail.
    Abort { generation: u64 },
    /// The cluster goes on without this process: it ends, failed, with `reason`.
    Leave { reason: String },
    /// The cluster is over: the process ends.
    End,
    /// Run partition `partition` of `partitions` of a partitioned run.
    Partition { partition: u64, partitions: u64 },
}

/// What another process tells process 0.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Report {
    /// Generation `generation` ended on this process, with the reason when it failed there.
    Finished {
        generation: u64,
        failure: Option<String>,
    },
    /// This process cannot take part in the run it was asked to join (it does not serve that
    /// pipeline): retrying would not help.
    Refused { reason: String },
    /// A partition ran here: its items and failures, or why it could not.
    PartitionDone {
        partition: u64,
        outcome: Result<(usize, usize), String>,
    },
}

/// A message as it arrived, or why the link is gone.
#[derive(Debug)]
pub enum Incoming<M> {
    Message(M),
    Gone(String),
}

const BEAT: u8 = 0;
const RUN: u8 = 1;
const ABORT: u8 = 2;
const LEAVE: u8 = 3;
const END: u8 = 4;
const FINISHED: u8 = 5;
const FAILED: u8 = 6;
const REFUSED: u8 = 7;
const PARTITION: u8 = 8;
const PARTITION_DONE: u8 = 9;
const PARTITION_FAILED: u8 = 10;

/// A message of either direction, as bytes on the link.
pub trait Frame: Sized + Send + 'static {
    fn encode(&self) -> (u8, Vec<u8>);
    fn decode(kind: u8, payload: &[u8]) -> Option<Self>;
}

impl Frame for Command {
    fn encode(&self) -> (u8, Vec<u8>) {
        match self {
            Command::Run {
                generation,
                pipeline,
                members,
            } => {
                let words = [*generation, *pipeline]
                    .into_iter()
                    .chain(members.iter().copied());
                (RUN, words.flat_map(u64::to_le_bytes).collect())
            }
            Command::Abort { generation } => (ABORT, generation.to_le_bytes().to_vec()),
            Command::Leave { reason } => (LEAVE, reason.as_bytes().to_vec()),
            Command::End => (END, Vec::new()),
            Command::Partition {
                partition,
                partitions,
            } => (
                PARTITION,
                [*partition, *partitions]
                    .into_iter()
                    .flat_map(u64::to_le_bytes)
                    .collect(),
            ),
        }
    }

    fn decode(kind: u8, payload: &[u8]) -> Option<Self> {
        match kind {
            RUN => {
                let words = words(payload)?;
                let (&generation, rest) = words.split_first()?;
                let (&pipeline, members) = rest.split_first()?;
                Some(Command::Run {
                    generation,
                    pipeline,
                    members: members.to_vec(),
                })
            }
            ABORT => Some(Command::Abort {
                generation: *words(payload)?.first()?,
            }),
            LEAVE => Some(Command::Leave {
                reason: String::from_utf8_lossy(payload).into_owned(),
            }),
            END => Some(Command::End),
            PARTITION => match words(payload)?.as_slice() {
                &[partition, partitions] => Some(Command::Partition {
                    partition,
                    partitions,
                }),
                _ => None,
            },
            _ => None,
        }
    }
}

impl Frame for Report {
    fn encode(&self) -> (u8, Vec<u8>) {
        match self {
            Report::Finished {
                generation,
                failure: None,
            } => (FINISHED, generation.to_le_bytes().to_vec()),
            Report::Finished {
                generation,
                failure: Some(reason),
            } => {
                let mut bytes = generation.to_le_bytes().to_vec();
                bytes.extend_from_slice(reason.as_bytes());
                (FAILED, bytes)
            }
            Report::Refused { reason } => (REFUSED, reason.as_bytes().to_vec()),
            Report::PartitionDone {
                partition,
                outcome: Ok((items, failed)),
            } => {
                let words = [*partition, *items as u64, *failed as u64];
                (
                    PARTITION_DONE,
                    words.into_iter().flat_map(u64::to_le_bytes).collect(),
                )
            }
            Report::PartitionDone {
                partition,
                outcome: Err(reason),
            } => {
                let mut bytes = partition.to_le_bytes().to_vec();
                bytes.extend_from_slice(reason.as_bytes());
                (PARTITION_FAILED, bytes)
            }
        }
    }

    fn decode(kind: u8, payload: &[u8]) -> Option<Self> {
        let generation = || Some(*words(payload.get(..8)?)?.first()?);
        match kind {
            FINISHED => Some(Report::Finished {
                generation: generation()?,
                failure: None,
            }),
            FAILED => Some(Report::Finished {
                generation: generation()?,
                failure: Some(String::from_utf8_lossy(payload.get(8..)?).into_owned()),
            }),
            REFUSED => Some(Report::Refused {
                reason: String::from_utf8_lossy(payload).into_owned(),
            }),
            PARTITION_DONE => match words(payload)?.as_slice() {
                &[partition, items, failed] => Some(Report::PartitionDone {
                    partition,
                    outcome: Ok((items as usize, failed as usize)),
                }),
                _ => None,
            },
            PARTITION_FAILED => Some(Report::PartitionDone {
                partition: generation()?,
                outcome: Err(String::from_utf8_lossy(payload.get(8..)?).into_owned()),
            }),
            _ => None,
        }
    }
}

fn words(bytes: &[u8]) -> Option<Vec<u64>> {
    if !bytes.len().is_multiple_of(8) {
        return None;
    }
    let word = |chunk: &[u8]| u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
    Some(bytes.chunks_exact(8).map(word).collect())
}

/// One end of a control link: sends `Out`, receives `In`.
pub struct Link<Out, In> {
    writer: Arc<Mutex<TcpStream>>,
    incoming: Receiver<Incoming<In>>,
    done: Arc<AtomicBool>,
    peer: usize,
    _out: std::marker::PhantomData<fn(Out)>,
}

impl<Out: Frame, In: Frame> Link<Out, In> {
    /// Starts beating on `socket` every `timeout / 4` (at most once a second) and reading from
    /// it: `observe` sees every message, and the loss of the link, on the reading thread as
    /// it happens (before it is queued), so it can act while this process is busy.
    pub fn start(
        socket: TcpStream,
        peer: usize,
        timeout: Duration,
        observe: impl FnMut(&Incoming<In>) + Send + 'static,
    ) -> io::Result<Self> {
        socket.set_nodelay(true)?;
        socket.set_read_timeout(Some(timeout))?;
        let writer = Arc::new(Mutex::new(socket.try_clone()?));
        let done = Arc::new(AtomicBool::new(false));
        let (queue, incoming) = mpsc::channel();
        let every = (timeout / 4).clamp(Duration::from_millis(10), Duration::from_secs(1));
        let (beating, beat_writer) = (Arc::clone(&done), Arc::clone(&writer));
        spawn("beat", move || beat(&beat_writer, every, &beating));
        let reading = Arc::clone(&done);
        spawn("read", move || {
            read(socket, peer, timeout, &reading, observe, &queue)
        });
        Ok(Link {
            writer,
            incoming,
            done,
            peer,
            _out: std::marker::PhantomData,
        })
    }

    /// Sends `message`; an error says the link is gone.
    pub fn send(&self, message: &Out) -> Result<(), String> {
        let (kind, payload) = message.encode();
        write_frame(&self.writer, kind, &payload).map_err(|e| {
            format!(
                "the control connection to process {} was lost ({e})",
                self.peer
            )
        })
    }

    /// The next message, waiting until `deadline`; `None` past it.
    pub fn next_until(&self, deadline: Instant) -> Option<Incoming<In>> {
        let wait = deadline.saturating_duration_since(Instant::now());
        match self.incoming.recv_timeout(wait) {
            Ok(incoming) => Some(incoming),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => Some(Incoming::Gone(format!(
                "the control connection to process {} was lost",
                self.peer
            ))),
        }
    }

    /// The next message, waiting for it.
    pub fn next(&self) -> Incoming<In> {
        match self.incoming.recv() {
            Ok(incoming) => incoming,
            Err(_) => Incoming::Gone(format!(
                "the control connection to process {} was lost",
                self.peer
            )),
        }
    }
}

impl<Out, In> Drop for Link<Out, In> {
    fn drop(&mut self) {
        self.done.store(true, Ordering::SeqCst);
        let writer = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        let _ = writer.shutdown(Shutdown::Both);
    }
}

fn spawn(what: &str, body: impl FnOnce() + Send + 'static) {
    let _ = thread::Builder::new()
        .name(format!("hypernodes-control-{what}"))
        .spawn(body);
}

fn write_frame(writer: &Mutex<TcpStream>, kind: u8, payload: &[u8]) -> io::Result<()> {
    let mut frame = Vec::with_capacity(5 + payload.len());
    frame.push(kind);
    frame.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    frame.extend_from_slice(payload);
    let mut writer = writer.lock().unwrap_or_else(PoisonError::into_inner);
    writer.write_all(&frame)
}

fn beat(writer: &Mutex<TcpStream>, every: Duration, done: &AtomicBool) {
    while !done.load(Ordering::SeqCst) {
        if write_frame(writer, BEAT, &[]).is_err() {
            return; // the reading side reports the loss
        }
        thread::sleep(every);
    }
}

fn read<In: Frame>(
    mut socket: TcpStream,
    peer: usize,
    timeout: Duration,
    done: &AtomicBool,
    mut observe: impl FnMut(&Incoming<In>),
    queue: &mpsc::Sender<Incoming<In>>,
) {
    loop {
        let incoming = match read_frame(&mut socket) {
            Ok((BEAT, _)) => continue,
            Ok((kind, payload)) => match In::decode(kind, &payload) {
                Some(message) => Incoming::Message(message),
                None => Incoming::Gone(format!(
                    "process {peer} sent a control message this build does not know"
                )),
            },
            Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => {
                Incoming::Gone(format!(
                    "process {peer} stopped answering: no heartbeat for {:.1} s (it is frozen, stopped or unreachable)",
                    timeout.as_secs_f64()
                ))
            }
            Err(_) => Incoming::Gone(format!(
                "the connection to process {peer} was lost (the process died or the network failed)"
            )),
        };
        if done.load(Ordering::SeqCst) {
            return;
        }
        let gone = matches!(incoming, Incoming::Gone(_));
        observe(&incoming);
        if queue.send(incoming).is_err() || gone {
            return;
        }
    }
}

/// Frames are at most this long: a longer length is a corrupt or foreign stream.
const MAX_FRAME: usize = 1 << 20;

fn read_frame(socket: &mut TcpStream) -> io::Result<(u8, Vec<u8>)> {
    let mut head = [0u8; 5];
    socket.read_exact(&mut head)?;
    let len = u32::from_le_bytes(head[1..].try_into().expect("4 bytes")) as usize;
    if len > MAX_FRAME {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "control frame too long",
        ));
    }
    let mut payload = vec![0u8; len];
    socket.read_exact(&mut payload)?;
    Ok((head[0], payload))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    fn pair() -> (TcpStream, TcpStream) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let near = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (far, _) = listener.accept().unwrap();
        (near, far)
    }

    #[test]
    fn commands_and_reports_cross_whole() {
        let (near, far) = pair();
        let timeout = Duration::from_secs(5);
        let driver = Link::<Command, Report>::start(near, 1, timeout, |_| {}).unwrap();
        let worker = Link::<Report, Command>::start(far, 0, timeout, |_| {}).unwrap();
        let run = Command::Run {
            generation: 3,
            pipeline: 0xfeed,
            members: vec![0, 2, 5],
        };
        let partition = Command::Partition {
            partition: 2,
            partitions: 3,
        };
        for command in [
            run,
            Command::Abort { generation: 3 },
            partition,
            Command::End,
        ] {
            driver.send(&command).unwrap();
            assert!(matches!(worker.next(), Incoming::Message(m) if m == command));
        }
        let reports = [
            Report::Finished {
                generation: 3,
                failure: None,
            },
            Report::Finished {
                generation: 4,
                failure: Some("the connection to process 2 was lost".into()),
            },
            Report::Refused {
                reason: "no such pipeline".into(),
            },
            Report::PartitionDone {
                partition: 1,
                outcome: Ok((500, 3)),
            },
            Report::PartitionDone {
                partition: 2,
                outcome: Err("partition 2's sink failed: disk full".into()),
            },
        ];
        for report in reports {
            worker.send(&report).unwrap();
            assert!(matches!(driver.next(), Incoming::Message(m) if m == report));
        }
    }

    #[test]
    fn a_silent_peer_is_gone_within_the_timeout_and_a_closed_one_at_once() {
        let (near, silent) = pair();
        let start = Instant::now();
        let link =
            Link::<Command, Report>::start(near, 2, Duration::from_millis(300), |_| {}).unwrap();
        match link.next() {
            Incoming::Gone(why) => assert!(why.contains("process 2 stopped answering"), "{why}"),
            other => panic!("{other:?}"),
        }
        assert!(start.elapsed() >= Duration::from_millis(300));
        drop(silent);
        let (near, far) = pair();
        let link =
            Link::<Command, Report>::start(near, 1, Duration::from_secs(30), |_| {}).unwrap();
        drop(far);
        let start = Instant::now();
        match link.next() {
            Incoming::Gone(why) => assert!(why.contains("process 1 was lost"), "{why}"),
            other => panic!("{other:?}"),
        }
        assert!(start.elapsed() < Duration::from_secs(2));
    }
}
