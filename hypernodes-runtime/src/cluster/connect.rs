//! Connecting the processes of a cluster, with a deadline. Among the members of a generation
//! (or process 0 and one other, for a control link), the member at position `i` accepts every
//! member after it and connects to every member before it (timely's layout), and each pair
//! checks that both sides run the same build and pipeline on the same cluster shape, in the
//! same generation, and hold the cluster's secret (`auth`), before any item moves.
//! timely's own connection code retries forever and prints to stdout; this one does neither.

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream, ToSocketAddrs};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use super::auth::{self, Role, Secret, PROOF_BYTES};

/// What both ends of a connection must agree on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hello {
    /// The sender's process index.
    pub process: u64,
    /// Processes in the cluster.
    pub processes: u64,
    /// Workers per process.
    pub workers: u64,
    /// The sender's build (`build::fingerprint`).
    pub build: u64,
    /// Which connection this is: [`DATA`] or [`CONTROL`].
    pub channel: u64,
    /// Which pipeline the run is for (0 on a control link).
    pub pipeline: u64,
    /// Which generation of the cluster's runs the connection belongs to (0 on a control
    /// link): a late connection of a generation given up is not taken for one of the next.
    pub generation: u64,
    /// Fresh for each connection: what the proofs of the secret are bound to.
    pub nonce: [u64; 2],
}

const MAGIC: u64 = u64::from_le_bytes(*b"hypn\x00\x00\x00\x04");
const HELLO_BYTES: usize = 10 * 8;
/// The connection timely moves records on.
pub const DATA: u64 = 0;
/// The control link between process 0 and another process (see `control`).
pub const CONTROL: u64 = 2;
const POLL: Duration = Duration::from_millis(20);
/// The longest pause between two looks for new connections while accepting.
const ACCEPT_POLL: Duration = Duration::from_millis(2);
/// How long a new connection has to say hello before it is dropped as a stranger.
const HELLO_TIMEOUT: Duration = Duration::from_secs(5);

impl Hello {
    fn bytes(&self) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(HELLO_BYTES);
        for word in [
            MAGIC,
            self.process,
            self.processes,
            self.workers,
            self.build,
            self.channel,
            self.pipeline,
            self.generation,
            self.nonce[0],
            self.nonce[1],
        ] {
            bytes.extend_from_slice(&word.to_le_bytes());
        }
        bytes
    }

    fn write_to(&self, stream: &mut TcpStream) -> io::Result<()> {
        stream.write_all(&self.bytes())
    }

    /// This hello for one connection: on `channel`, with a nonce of its own.
    fn on(self, channel: u64) -> Hello {
        Hello {
            channel,
            nonce: auth::nonce(),
            ..self
        }
    }

    fn read_from(stream: &mut TcpStream) -> io::Result<Option<Hello>> {
        let mut bytes = [0u8; HELLO_BYTES];
        stream.read_exact(&mut bytes)?;
        let word = |i: usize| {
            let mut w = [0u8; 8];
            w.copy_from_slice(&bytes[i * 8..i * 8 + 8]);
            u64::from_le_bytes(w)
        };
        if word(0) != MAGIC {
            return Ok(None);
        }
        Ok(Some(Hello {
            process: word(1),
            processes: word(2),
            workers: word(3),
            build: word(4),
            channel: word(5),
            pipeline: word(6),
            generation: word(7),
            nonce: [word(8), word(9)],
        }))
    }

    /// Why `peer`, met at `expected`, cannot join this run, if it cannot.
    fn mismatch(&self, peer: &Hello, expected: u64) -> Option<String> {
        if peer.process != expected {
            Some(format!(
                "process {expected}'s address is used by process {}",
                peer.process
            ))
        } else if peer.processes != self.processes || peer.workers != self.workers {
            Some(format!(
                "process {expected} runs {} processes × {} workers, process {} runs {} × {}",
                peer.processes, peer.workers, self.process, self.processes, self.workers
            ))
        } else if peer.build != self.build {
            Some(format!(
                "process {expected} runs another build of the program than process {}: every process must run the same binary (or name one build with {})",
                self.process,
                super::env::BUILD_ID
            ))
        } else if peer.pipeline != self.pipeline {
            Some(format!(
                "process {expected} runs another pipeline than process {}: every process must reach the same cluster run",
                self.process
            ))
        } else {
            None
        }
    }
}

/// A member of a generation: its process index and the address it listens at.
pub type Member = (usize, String);

/// One connection on `me.channel` per member, `None` at `me`'s own place, each after
/// matching hellos and proofs of `secret`; or why not by `deadline`. `alive` is asked while
/// waiting, so a launcher can report a peer that exited, and a generation given up can stop
/// waiting.
pub fn connect(
    me: Hello,
    secret: &Secret,
    members: &[Member],
    listener: &TcpListener,
    deadline: Instant,
    alive: &mut dyn FnMut() -> Result<(), String>,
) -> Result<Vec<Option<TcpStream>>, String> {
    let index = members
        .iter()
        .position(|(process, _)| *process as u64 == me.process)
        .ok_or_else(|| format!("process {} is not a member of this run", me.process))?;
    let mut links: Vec<Option<TcpStream>> = (0..members.len()).map(|_| None).collect();
    for (position, (peer, address)) in members.iter().enumerate().take(index) {
        links[position] = Some(dial(
            me.on(me.channel),
            secret,
            *peer,
            address,
            deadline,
            alive,
        )?);
    }
    if index + 1 < members.len() {
        accept_all(me, secret, listener, members, &mut links, deadline, alive)?;
    }
    for socket in links.iter().flatten() {
        socket
            .set_read_timeout(None)
            .and_then(|()| socket.set_nodelay(true))
            .map_err(|e| format!("cannot configure a connection: {e}"))?;
    }
    Ok(links)
}

fn dial(
    me: Hello,
    secret: &Secret,
    peer: usize,
    address: &str,
    deadline: Instant,
    alive: &mut dyn FnMut() -> Result<(), String>,
) -> Result<TcpStream, String> {
    loop {
        alive()?;
        let mut last = String::from("no address");
        for target in address
            .to_socket_addrs()
            .map_err(|e| format!("{address}: {e}"))?
        {
            let left = deadline.saturating_duration_since(Instant::now()).max(POLL);
            match TcpStream::connect_timeout(&target, left) {
                Ok(mut stream) => {
                    stream
                        .set_read_timeout(Some(left))
                        .map_err(|e| e.to_string())?;
                    let answer = me
                        .write_to(&mut stream)
                        .and_then(|()| Hello::read_from(&mut stream));
                    return match answer {
                        Ok(Some(hello)) => match me.mismatch(&hello, peer as u64) {
                            None => prove(stream, secret, &me, &hello, peer, address),
                            Some(why) => Err(why),
                        },
                        Ok(None) => Err(format!("{address} is not a hypernodes cluster process")),
                        Err(e) => Err(format!("process {peer} at {address} did not answer: {e}")),
                    };
                }
                Err(e) => last = e.to_string(),
            }
        }
        if Instant::now() >= deadline {
            return Err(format!(
                "process {peer} at {address} could not be reached before the connect deadline ({last})"
            ));
        }
        thread::sleep(POLL);
    }
}

/// The dialer's side once hellos match: check the acceptor's proof, then send its own.
fn prove(
    mut stream: TcpStream,
    secret: &Secret,
    me: &Hello,
    acceptor: &Hello,
    peer: usize,
    address: &str,
) -> Result<TcpStream, String> {
    let (mine, theirs) = (me.bytes(), acceptor.bytes());
    let mut proof = [0u8; PROOF_BYTES];
    stream
        .read_exact(&mut proof)
        .map_err(|e| format!("process {peer} at {address} left during the handshake: {e}"))?;
    if !secret.verifies(&proof, Role::Acceptor, &mine, &theirs) {
        return Err(format!(
            "process {peer} at {address} does not hold this cluster's secret: give every process the same {} (or `Cluster::secret`)",
            super::env::SECRET
        ));
    }
    stream
        .write_all(secret.proof(Role::Dialer, &mine, &theirs).as_bytes())
        .map_err(|e| format!("process {peer} at {address} left during the handshake: {e}"))?;
    Ok(stream)
}

fn accept_all(
    me: Hello,
    secret: &Secret,
    listener: &TcpListener,
    members: &[Member],
    links: &mut [Option<TcpStream>],
    deadline: Instant,
    alive: &mut dyn FnMut() -> Result<(), String>,
) -> Result<(), String> {
    listener
        .set_nonblocking(true)
        .map_err(|e| format!("cannot poll the listener: {e}"))?;
    let index = members
        .iter()
        .position(|(process, _)| *process as u64 == me.process)
        .unwrap_or(0);
    let position_of = |process: u64| {
        members
            .iter()
            .position(|(member, _)| *member as u64 == process)
            .filter(|position| *position > index)
    };
    // Each connection says hello on a thread of its own: a stranger that connects and stays
    // silent holds up no one, and is dropped after `HELLO_TIMEOUT`.
    let (hellos, greeted) = mpsc::channel::<(TcpStream, Hello)>();
    // Why a connection claiming to be a member was turned away, for the deadline's error.
    let mut refused: Vec<Option<String>> = vec![None; links.len()];
    while links[index + 1..].iter().any(Option::is_none) {
        alive()?;
        // Every connection waiting, each greeted on a thread of its own.
        loop {
            match listener.accept() {
                Ok((stream, _)) => {
                    let hellos = hellos.clone();
                    let left = deadline.saturating_duration_since(Instant::now());
                    let wait = left.clamp(POLL, HELLO_TIMEOUT);
                    thread::spawn(move || {
                        if let Some(hello) = read_hello(stream, wait) {
                            let _ = hellos.send(hello);
                        }
                    });
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) => return Err(format!("cannot accept connections: {e}")),
            }
        }
        // Hellos as they come: waiting for one is the loop's only pause.
        let first = greeted.recv_timeout(ACCEPT_POLL).ok();
        for (mut stream, hello) in first.into_iter().chain(greeted.try_iter()) {
            // A late connection of another generation or link is dropped: its dialer has
            // given up on it, or will learn so.
            if hello.generation != me.generation || hello.channel != me.channel {
                continue;
            }
            let Some(position) = position_of(hello.process) else {
                continue;
            };
            if links[position].is_some() {
                continue;
            }
            // Answer first, so a mismatched peer learns why too; the proof comes with it.
            let answer = me.on(hello.channel);
            let (theirs, mine) = (hello.bytes(), answer.bytes());
            let mut reply = mine.clone();
            reply.extend_from_slice(secret.proof(Role::Acceptor, &theirs, &mine).as_bytes());
            if let Err(e) = stream.write_all(&reply) {
                refused[position] = Some(format!("it left during the handshake: {e}"));
                continue;
            }
            if let Some(why) = me.mismatch(&hello, hello.process) {
                return Err(why);
            }
            // A connection that cannot prove the secret is turned away, not the run failed:
            // the real process may still come.
            let mut proof = [0u8; PROOF_BYTES];
            let proved = stream.read_exact(&mut proof).is_ok()
                && secret.verifies(&proof, Role::Dialer, &theirs, &mine);
            if !proved {
                refused[position] = Some(format!(
                    "a connection claiming to be it did not prove it holds this cluster's secret (every process needs the same {})",
                    super::env::SECRET
                ));
                continue;
            }
            links[position] = Some(stream);
        }
        if links[index + 1..].iter().all(Option::is_some) {
            break;
        }
        if Instant::now() >= deadline {
            let missing: Vec<String> = links
                .iter()
                .enumerate()
                .skip(index + 1)
                .filter(|(_, s)| s.is_none())
                .map(|(position, _)| members[position].0.to_string())
                .collect();
            let why: Vec<String> = refused
                .iter()
                .enumerate()
                .filter_map(|(position, why)| {
                    Some(format!(
                        "process {}: {}",
                        members[position].0,
                        why.as_ref()?
                    ))
                })
                .collect();
            let why = if why.is_empty() {
                String::new()
            } else {
                format!(" ({})", why.join("; "))
            };
            return Err(format!(
                "process(es) {} did not connect before the connect deadline{why}",
                missing.join(", ")
            ));
        }
    }
    Ok(())
}

/// The hello on a new connection, if one comes within `wait`; `None` for a stranger.
fn read_hello(mut stream: TcpStream, wait: Duration) -> Option<(TcpStream, Hello)> {
    stream.set_nonblocking(false).ok()?;
    stream.set_read_timeout(Some(wait)).ok()?;
    let hello = Hello::read_from(&mut stream).ok()??;
    Some((stream, hello))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hello(process: u64) -> Hello {
        Hello {
            process,
            processes: 2,
            workers: 2,
            build: 3,
            channel: DATA,
            pipeline: 7,
            generation: 1,
            nonce: [0, 0],
        }
    }

    /// Process 0 at `addresses[0]`, process 1 at `addresses[1]`.
    fn members(addresses: &[String]) -> Vec<Member> {
        addresses.iter().cloned().enumerate().collect()
    }

    fn secret() -> Secret {
        Secret::new(b"test")
    }

    /// Process 1 connecting to `addresses` with `me`, on a thread.
    fn dialer(
        me: Hello,
        addresses: &[String],
    ) -> thread::JoinHandle<Result<Vec<Option<TcpStream>>, String>> {
        dialer_with(me, secret(), addresses)
    }

    /// Process 1 connecting with `me` and `secret`, on a thread.
    fn dialer_with(
        me: Hello,
        secret: Secret,
        addresses: &[String],
    ) -> thread::JoinHandle<Result<Vec<Option<TcpStream>>, String>> {
        let members = members(addresses);
        thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(5);
            // The last member accepts no one: its listener only has to exist.
            let own = TcpListener::bind("127.0.0.1:0").unwrap();
            connect(me, &secret, &members, &own, deadline, &mut || Ok(()))
        })
    }

    /// Process 0 accepting on `listener` until `deadline`.
    fn accept(
        listener: TcpListener,
        addresses: &[String],
        deadline: Instant,
    ) -> Result<Vec<Option<TcpStream>>, String> {
        connect(
            hello(0),
            &secret(),
            &members(addresses),
            &listener,
            deadline,
            &mut || Ok(()),
        )
    }

    #[test]
    fn two_processes_connect_and_agree() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addresses = vec![listener.local_addr().unwrap().to_string(), "unused".into()];
        let dialer = dialer(hello(1), &addresses);
        let deadline = Instant::now() + Duration::from_secs(5);
        let mine = accept(listener, &addresses, deadline).unwrap();
        let theirs = dialer.join().unwrap().unwrap();
        assert!(mine[0].is_none() && mine[1].is_some());
        assert!(theirs[0].is_some() && theirs[1].is_none());
    }

    #[test]
    fn a_peer_that_never_comes_is_an_error_at_the_deadline() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addresses = vec![listener.local_addr().unwrap().to_string(), "unused".into()];
        let start = Instant::now();
        let deadline = start + Duration::from_millis(300);
        let err = accept(listener, &addresses, deadline).unwrap_err();
        assert!(err.contains("process(es) 1 did not connect"), "{err}");
        assert!(start.elapsed() < Duration::from_secs(3));
    }

    #[test]
    fn another_pipeline_is_refused() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addresses = vec![listener.local_addr().unwrap().to_string(), "unused".into()];
        let other = Hello {
            pipeline: 8,
            ..hello(1)
        };
        let dialer = dialer(other, &addresses);
        let deadline = Instant::now() + Duration::from_secs(5);
        let err = accept(listener, &addresses, deadline).unwrap_err();
        assert!(err.contains("another pipeline"), "{err}");
        let _ = dialer.join();
    }

    #[test]
    fn another_build_is_refused() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addresses = vec![listener.local_addr().unwrap().to_string(), "unused".into()];
        let other = Hello {
            build: 4,
            ..hello(1)
        };
        let dialer = dialer(other, &addresses);
        let deadline = Instant::now() + Duration::from_secs(5);
        let err = accept(listener, &addresses, deadline).unwrap_err();
        assert!(err.contains("another build"), "{err}");
        let _ = dialer.join();
    }

    #[test]
    fn a_late_connection_of_another_generation_is_dropped_not_taken() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addresses = vec![listener.local_addr().unwrap().to_string(), "unused".into()];
        let stale = dialer(
            Hello {
                generation: 0,
                ..hello(1)
            },
            &addresses,
        );
        thread::sleep(Duration::from_millis(100));
        let current = dialer(hello(1), &addresses);
        let deadline = Instant::now() + Duration::from_secs(5);
        let mine = accept(listener, &addresses, deadline).unwrap();
        assert!(mine[1].is_some());
        current.join().unwrap().unwrap();
        assert!(
            stale.join().unwrap().is_err(),
            "the stale dialer is not answered"
        );
    }

    #[test]
    fn a_silent_stranger_holds_up_no_one() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        let addresses = vec![address.to_string(), "unused".into()];
        let stranger = TcpStream::connect(address).unwrap();
        thread::sleep(Duration::from_millis(100));
        let dialer = dialer(hello(1), &addresses);
        let start = Instant::now();
        let deadline = start + Duration::from_secs(20);
        let mine = accept(listener, &addresses, deadline).unwrap();
        assert!(mine[1].is_some());
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "{:?}",
            start.elapsed()
        );
        dialer.join().unwrap().unwrap();
        drop(stranger);
    }

    #[test]
    fn a_dialer_without_the_secret_learns_why_and_is_turned_away() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addresses = vec![listener.local_addr().unwrap().to_string(), "unused".into()];
        let impostor = dialer_with(hello(1), Secret::new(b"guess"), &addresses);
        let deadline = Instant::now() + Duration::from_millis(1_500);
        let err = accept(listener, &addresses, deadline).unwrap_err();
        assert!(err.contains("process(es) 1 did not connect"), "{err}");
        assert!(
            err.contains("did not prove it holds this cluster's secret"),
            "{err}"
        );
        let theirs = impostor.join().unwrap().unwrap_err();
        assert!(
            theirs.contains("does not hold this cluster's secret"),
            "{theirs}"
        );
    }

    #[test]
    fn the_real_process_still_joins_after_an_impostor_was_turned_away() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addresses = vec![listener.local_addr().unwrap().to_string(), "unused".into()];
        let acceptor = {
            let addresses = addresses.clone();
            thread::spawn(move || {
                let deadline = Instant::now() + Duration::from_secs(5);
                accept(listener, &addresses, deadline)
            })
        };
        let refused = dialer_with(hello(1), Secret::new(b"guess"), &addresses)
            .join()
            .unwrap();
        assert!(refused.is_err());
        dialer_with(hello(1), secret(), &addresses)
            .join()
            .unwrap()
            .unwrap();
        assert!(acceptor.join().unwrap().unwrap()[1].is_some());
    }
}
