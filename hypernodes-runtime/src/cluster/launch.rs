//! Starting a cluster on this host: process 0 starts the other processes as copies of the
//! current binary, on free loopback ports, and tells them their place through environment
//! variables. Under the Rust test harness, a copy runs only the test that started it.

use super::auth::Secret;
use std::ffi::OsString;
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::env;
use crate::binary::running_binary;

/// The processes this one started; they are killed if the run ends without them.
pub struct Launch {
    children: Vec<(usize, Child)>,
}

/// Where each process listens, and process 0's listener, already bound.
pub struct Ports {
    pub addresses: Vec<String>,
    pub listener: TcpListener,
}

/// Free loopback ports for `processes` processes. Process 0 keeps its listener; the others'
/// ports are released for their processes to bind.
pub fn free_ports(processes: usize) -> Result<Ports, String> {
    let bind =
        || TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free port on 127.0.0.1: {e}"));
    let listener = bind()?;
    let mut addresses = vec![address(&listener)?];
    let others: Vec<TcpListener> = (1..processes).map(|_| bind()).collect::<Result<_, _>>()?;
    for other in &others {
        addresses.push(address(other)?);
    }
    Ok(Ports {
        addresses,
        listener,
    })
}

fn address(listener: &TcpListener) -> Result<String, String> {
    listener
        .local_addr()
        .map(|a| a.to_string())
        .map_err(|e| e.to_string())
}

impl Launch {
    /// Starts processes `1..addresses.len()` with `workers` workers each, holding `secret`.
    pub fn start(
        addresses: &[String],
        workers: usize,
        (connect_timeout, heartbeat_timeout): (Duration, Duration),
        args: Option<&[OsString]>,
        secret: &Secret,
    ) -> Result<Launch, String> {
        let exe = std::env::current_exe().map_err(|e| format!("cannot find this binary: {e}"))?;
        let in_test = under_test_harness(&exe);
        // Started from the running image, not its path: a rebuild during the run replaces the
        // file, and a copy of another build would be refused at the handshake.
        let exe = running_binary().map_err(|e| format!("cannot find this binary: {e}"))?;
        let args = match args {
            Some(args) => args.to_vec(),
            None => this_run_args(in_test),
        };
        let mut launch = Launch {
            children: Vec::new(),
        };
        for process in 1..addresses.len() {
            let child = Command::new(&exe)
                .args(&args)
                .env(env::PROCESS, process.to_string())
                .env(env::HOSTS, addresses.join(","))
                .env(env::WORKERS, workers.to_string())
                .env(
                    env::CONNECT_TIMEOUT,
                    connect_timeout.as_secs_f64().to_string(),
                )
                .env(
                    env::HEARTBEAT_TIMEOUT,
                    heartbeat_timeout.as_secs_f64().to_string(),
                )
                .env(env::LAUNCHED, "1")
                .env(env::KEY, secret.to_hex())
                .stdin(Stdio::null())
                .stdout(child_stdout(in_test))
                .spawn()
                .map_err(|e| format!("cannot start process {process} ({}): {e}", exe.display()))?;
            launch.children.push((process, child));
        }
        Ok(launch)
    }

    /// An error if a started process has already exited: it will never connect.
    pub fn alive(&mut self) -> Result<(), String> {
        for (process, child) in &mut self.children {
            if let Ok(Some(status)) = child.try_wait() {
                return Err(format!(
                    "process {process} exited ({status}) before the run began"
                ));
            }
        }
        Ok(())
    }

    /// Ends process `process` at once: the cluster goes on without it, frozen or not.
    pub fn kill(&mut self, process: usize) {
        for (_, child) in self.children.iter_mut().filter(|(p, _)| *p == process) {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Waits for the processes to end after a run (they end on their own once it is over);
    /// after a failure, or past `grace`, they are killed.
    pub fn finish(mut self, failed: bool, grace: Duration) {
        let deadline = Instant::now() + grace;
        for (_, child) in &mut self.children {
            while !failed && Instant::now() < deadline {
                match child.try_wait() {
                    Ok(None) => std::thread::sleep(Duration::from_millis(5)),
                    _ => break,
                }
            }
        }
    }
}

impl Drop for Launch {
    fn drop(&mut self) {
        for (_, child) in &mut self.children {
            if let Ok(None) = child.try_wait() {
                let _ = child.kill();
            }
            let _ = child.wait();
        }
    }
}

/// Test binaries live in cargo's `deps` directory, and the harness runs each test on a thread
/// named after it.
fn under_test_harness(exe: &std::path::Path) -> bool {
    let in_deps = exe
        .parent()
        .and_then(|dir| dir.file_name())
        .is_some_and(|name| name == "deps");
    in_deps
        && std::thread::current()
            .name()
            .is_some_and(|name| name != "main")
}

/// The arguments that make a copy of this binary reach the same cluster run: the same
/// arguments, or, under the test harness, exactly the current test.
fn this_run_args(in_test: bool) -> Vec<OsString> {
    match std::thread::current().name() {
        Some(test) if in_test => ["--exact", test, "--nocapture", "--test-threads=1", "-q"]
            .map(OsString::from)
            .to_vec(),
        _ => std::env::args_os().skip(1).collect(),
    }
}

/// Where a started process's standard output goes: never to this process's standard output,
/// which may carry the program's results. A test harness's report is dropped; a program's
/// prints go to standard error.
fn child_stdout(in_test: bool) -> Stdio {
    if in_test {
        return Stdio::null();
    }
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        if let Ok(fd) = std::io::stderr().as_fd().try_clone_to_owned() {
            return Stdio::from(fd);
        }
    }
    Stdio::null()
}
