//! Heartbeats between every pair of processes, on a connection of their own beside timely's:
//! a process that is frozen (`SIGSTOP`, a host that stops answering) sends nothing, while its
//! TCP connections stay open, so without them the run would wait for it for ever. Beats come
//! from threads of their own, so a node that computes for a long time is not taken for a dead
//! process.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use super::transport::Failure;

/// A beat: "I am here".
const BEAT: u8 = 1;
/// Sent once at the end of a run that went well: the connection's end is not a loss.
const BYE: u8 = 2;

/// The heartbeats of this process's run; [`Heartbeats::finish`] ends them.
pub struct Heartbeats {
    sockets: Vec<TcpStream>,
    done: Arc<AtomicBool>,
}

/// Beats to every peer in `links` (peer index and socket) every `timeout / 4` (at most once a
/// second), and fails the run (`failure`) when a peer has sent none for `timeout`.
pub fn start(links: Vec<(usize, TcpStream)>, timeout: Duration, failure: &Failure) -> Heartbeats {
    let done = Arc::new(AtomicBool::new(false));
    let every = (timeout / 4).clamp(Duration::from_millis(10), Duration::from_secs(1));
    let mut sockets = Vec::with_capacity(links.len());
    for (peer, socket) in links {
        if let (Ok(sending), Ok(receiving)) = (socket.try_clone(), socket.try_clone()) {
            let beating = Arc::clone(&done);
            spawn("beat", move || beat(sending, every, &beating));
            let (listening, failure) = (Arc::clone(&done), failure.clone());
            spawn("listen", move || {
                listen(receiving, peer, timeout, &listening, &failure)
            });
        }
        sockets.push(socket);
    }
    Heartbeats { sockets, done }
}

impl Heartbeats {
    /// Ends the heartbeats: after a run that went well each peer is told so first, then the
    /// connections close.
    pub fn finish(self, ok: bool) {
        self.done.store(true, Ordering::SeqCst);
        for mut socket in self.sockets {
            if ok {
                let _ = socket.write_all(&[BYE]);
            }
            let _ = socket.shutdown(Shutdown::Both);
        }
    }
}

fn spawn(what: &str, body: impl FnOnce() + Send + 'static) {
    let _ = thread::Builder::new()
        .name(format!("hypernodes-heartbeat-{what}"))
        .spawn(body);
}

fn beat(mut socket: TcpStream, every: Duration, done: &AtomicBool) {
    while !done.load(Ordering::SeqCst) {
        if socket.write_all(&[BEAT]).is_err() {
            return; // the connection is gone: `listen` or timely reports it
        }
        thread::sleep(every);
    }
}

fn listen(
    mut socket: TcpStream,
    peer: usize,
    timeout: Duration,
    done: &AtomicBool,
    failure: &Failure,
) {
    if socket.set_read_timeout(Some(timeout)).is_err() {
        return;
    }
    let mut byte = [0u8];
    let lost = loop {
        match socket.read(&mut byte) {
            Ok(1) if byte[0] == BYE => return,
            Ok(1) => continue,
            Ok(_) => {
                break format!(
                    "the connection to process {peer} was lost (the process died or the network failed)"
                )
            }
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {
                break format!(
                    "process {peer} stopped answering: no heartbeat for {:.1} s (it is frozen, stopped or unreachable)",
                    timeout.as_secs_f64()
                )
            }
            Err(_) => {
                break format!(
                    "the connection to process {peer} was lost (the process died or the network failed)"
                )
            }
        }
    };
    if !done.load(Ordering::SeqCst) {
        failure.set_lost(lost);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;
    use std::time::Instant;

    fn pair() -> (TcpStream, TcpStream) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let near = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (far, _) = listener.accept().unwrap();
        (near, far)
    }

    #[test]
    fn a_silent_peer_fails_the_run_within_the_timeout() {
        let (near, _silent_far) = pair();
        let failure = Failure::default();
        let start = Instant::now();
        let beats = self::start(vec![(1, near)], Duration::from_millis(300), &failure);
        while failure.reason().is_none() {
            assert!(start.elapsed() < Duration::from_secs(5), "no failure");
            thread::sleep(Duration::from_millis(10));
        }
        let reason = failure.reason().unwrap();
        assert!(reason.contains("process 1 stopped answering"), "{reason}");
        assert!(start.elapsed() >= Duration::from_millis(300));
        beats.finish(false);
    }

    #[test]
    fn beating_peers_that_say_bye_fail_nothing() {
        let (near, far) = pair();
        let (one, two) = (Failure::default(), Failure::default());
        let timeout = Duration::from_millis(300);
        let a = self::start(vec![(1, near)], timeout, &one);
        let b = self::start(vec![(0, far)], timeout, &two);
        thread::sleep(Duration::from_millis(900));
        a.finish(true);
        b.finish(true);
        thread::sleep(Duration::from_millis(400));
        assert_eq!((one.reason(), two.reason()), (None, None));
    }
}
