//! Hosts for tests and benches of the cluster: each host is a network namespace of its own,
//! joined to the others by a bridge inside one more namespace (nothing is added to this
//! machine's own network, and traffic goes only to the namespaces' addresses). Making them
//! needs root and iproute2's `ip`; `Hosts::make` says so and gives `None` elsewhere.

#![allow(dead_code)] // each user takes what it needs

use std::process::Command;

/// Namespaces `hosts` hosts live in, removed when dropped (a failing test included).
pub struct Hosts {
    tag: String,
    hosts: usize,
}

impl Hosts {
    /// The hosts, or `None` (after saying why) where namespaces cannot be made.
    pub fn make(hosts: usize, test: &str) -> Option<Hosts> {
        let made = Hosts {
            tag: format!("hn{}{}", std::process::id() % 100_000, &test[..2]),
            hosts,
        };
        match made.build() {
            Ok(()) => Some(made),
            Err(why) => {
                eprintln!("SKIPPED {test}: cannot make network namespaces here ({why}); it needs root and iproute2");
                None
            }
        }
    }

    /// Every host's `host:port` on `port`, in host order (`HYPERNODES_HOSTS`).
    pub fn addresses(&self, port: u16) -> Vec<String> {
        (0..self.hosts)
            .map(|h| format!("{}:{port}", self.address(h)))
            .collect()
    }

    /// A command that runs `program` inside host `i`.
    pub fn command(&self, i: usize, program: &std::path::Path) -> Command {
        let mut command = Command::new("ip");
        command.args(["netns", "exec", &self.host(i)]).arg(program);
        command
    }

    fn switch(&self) -> String {
        format!("{}sw", self.tag)
    }

    pub fn host(&self, i: usize) -> String {
        format!("{}h{i}", self.tag)
    }

    pub fn address(&self, i: usize) -> String {
        format!("10.231.7.{}", i + 1)
    }

    fn build(&self) -> Result<(), String> {
        let switch = self.switch();
        ip(&["netns", "add", &switch])?;
        ip(&["-n", &switch, "link", "add", "br0", "type", "bridge"])?;
        ip(&["-n", &switch, "link", "set", "br0", "up"])?;
        for i in 0..self.hosts {
            let host = self.host(i);
            let (inner, outer) = (format!("{}a{i}", self.tag), format!("{}b{i}", self.tag));
            ip(&["netns", "add", &host])?;
            ip(&[
                "link", "add", "name", &inner, "netns", &host, "type", "veth", "peer", "name",
                &outer, "netns", &switch,
            ])?;
            ip(&[
                "-n",
                &host,
                "addr",
                "add",
                &format!("{}/24", self.address(i)),
                "dev",
                &inner,
            ])?;
            ip(&["-n", &host, "link", "set", &inner, "up"])?;
            ip(&["-n", &host, "link", "set", "lo", "up"])?;
            ip(&["-n", &switch, "link", "set", &outer, "master", "br0"])?;
            ip(&["-n", &switch, "link", "set", &outer, "up"])?;
        }
        Ok(())
    }

    /// Takes host `i`'s cable out: its end of the link on the bridge goes down.
    pub fn unplug(&self, i: usize) {
        ip(&[
            "-n",
            &self.switch(),
            "link",
            "set",
            &format!("{}b{i}", self.tag),
            "down",
        ])
        .unwrap();
    }
}

impl Drop for Hosts {
    fn drop(&mut self) {
        // Removing a namespace removes its end of each link, and so the link.
        for i in 0..self.hosts {
            let _ = ip(&["netns", "del", &self.host(i)]);
        }
        let _ = ip(&["netns", "del", &self.switch()]);
    }
}

pub fn ip(args: &[&str]) -> Result<(), String> {
    let output = Command::new("ip")
        .args(args)
        .output()
        .map_err(|e| format!("ip: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "ip {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        ))
    }
}
