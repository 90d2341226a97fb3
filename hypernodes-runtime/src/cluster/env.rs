//! A cluster described by environment variables, which is also how [`Cluster::local`]
//! tells the processes it starts where they stand.

use std::time::Duration;

use super::auth::Secret;
use super::Cluster;

pub const PROCESS: &str = "HYPERNODES_PROCESS";
pub const HOSTS: &str = "HYPERNODES_HOSTS";
pub const HOSTFILE: &str = "HYPERNODES_HOSTFILE";
pub const WORKERS: &str = "HYPERNODES_WORKERS";
pub const CONNECT_TIMEOUT: &str = "HYPERNODES_CONNECT_TIMEOUT";
pub const HEARTBEAT_TIMEOUT: &str = "HYPERNODES_HEARTBEAT_TIMEOUT";
/// Names the build instead of the binary's hash (see `build::fingerprint`).
pub const BUILD_ID: &str = "HYPERNODES_BUILD_ID";
/// Set on the processes [`Cluster::local`] starts.
pub const LAUNCHED: &str = "HYPERNODES_LAUNCHED";
/// The secret every process proves it holds (see [`Cluster::secret`]).
pub const SECRET: &str = "HYPERNODES_CLUSTER_SECRET";
/// A file holding that secret (its first line), so it stays out of process listings.
pub const SECRET_FILE: &str = "HYPERNODES_CLUSTER_SECRET_FILE";
/// The key [`Cluster::local`] hands the processes it starts (hex; from a secret of its own or
/// the one it was given).
pub const KEY: &str = "HYPERNODES_CLUSTER_KEY";

/// This process's place, when [`Cluster::local`] started it.
pub fn launched() -> Option<Cluster> {
    std::env::var_os(LAUNCHED)?;
    match from_env() {
        Ok(cluster) => Some(cluster),
        Err(reason) => exit_after_serving(0, Err(format!("bad launch environment: {reason}"))),
    }
}

/// See [`Cluster::from_env`].
pub fn from_env() -> Result<Cluster, String> {
    let process = number(PROCESS)?.ok_or_else(|| {
        format!("{PROCESS} is not set: it gives this process's index in the cluster")
    })?;
    let hosts = match (var(HOSTS)?, var(HOSTFILE)?) {
        (Some(hosts), _) => hosts
            .split(',')
            .map(str::trim)
            .filter(|h| !h.is_empty())
            .map(str::to_owned)
            .collect(),
        (None, Some(path)) => Cluster::read_hostfile(&path)
            .map_err(|e| format!("cannot read {HOSTFILE} {path}: {e}"))?,
        (None, None) => {
            return Err(format!(
                "neither {HOSTS} nor {HOSTFILE} is set: one lists every process's host:port"
            ))
        }
    };
    let mut cluster = Cluster::new(process, hosts);
    if let Some(workers) = number(WORKERS)? {
        cluster = cluster.workers(workers);
    }
    if let Some(seconds) = var(CONNECT_TIMEOUT)? {
        cluster = cluster.connect_timeout(seconds_of(CONNECT_TIMEOUT, &seconds)?);
    }
    if let Some(seconds) = var(HEARTBEAT_TIMEOUT)? {
        cluster = cluster.heartbeat_timeout(seconds_of(HEARTBEAT_TIMEOUT, &seconds)?);
    }
    if let Some(key) = var(KEY)? {
        cluster.secret =
            Some(Secret::from_hex(&key).ok_or_else(|| format!("{KEY} is not a key: {key}"))?);
    } else if let Some(secret) = var(SECRET)? {
        cluster = cluster.secret(secret);
    } else if let Some(path) = var(SECRET_FILE)? {
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {SECRET_FILE} {path}: {e}"))?;
        let secret = text.lines().next().unwrap_or("").trim_end();
        if secret.is_empty() {
            return Err(format!(
                "{SECRET_FILE} {path} holds no secret on its first line"
            ));
        }
        cluster = cluster.secret(secret);
    }
    Ok(cluster)
}

/// A variable's value as a duration: a finite number of seconds, at least 0. More seconds than
/// a `Duration` holds mean waiting for ever (as `Duration::MAX` does), not an error.
fn seconds_of(name: &str, value: &str) -> Result<Duration, String> {
    let seconds: f64 = value
        .trim()
        .parse()
        .map_err(|_| format!("{name} is not a number of seconds: {value}"))?;
    if !seconds.is_finite() || seconds < 0.0 {
        return Err(format!(
            "{name} must be a finite number of seconds, 0 or more: {value}"
        ));
    }
    Ok(Duration::try_from_secs_f64(seconds).unwrap_or(Duration::MAX))
}

/// `host:port` lines, skipping blanks and `#` comments.
pub fn hosts_from_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

fn var(name: &str) -> Result<Option<String>, String> {
    match std::env::var(name) {
        Ok(value) => Ok(Some(value)),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => Err(format!("{name} is not valid UTF-8")),
    }
}

fn number(name: &str) -> Result<Option<usize>, String> {
    var(name)?
        .map(|value| {
            value
                .trim()
                .parse()
                .map_err(|_| format!("{name} is not a number: {value}"))
        })
        .transpose()
}

/// A process other than 0 has served its run: it ends here, so code after the run only runs
/// on process 0. A failure is told on standard error and in the exit status.
pub fn exit_after_serving(process: usize, outcome: Result<(), String>) -> ! {
    // Exiting drops nothing: what the run's cached nodes wrote is committed first.
    #[cfg(feature = "cache")]
    crate::cache::flush_all();
    match outcome {
        Ok(()) => std::process::exit(0),
        Err(reason) => {
            eprintln!("hypernodes cluster process {process}: {reason}");
            std::process::exit(1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connect_timeouts_are_finite_seconds_and_huge_ones_mean_for_ever() {
        let parse = |text| seconds_of(CONNECT_TIMEOUT, text);
        assert_eq!(parse("2.5"), Ok(Duration::from_millis(2500)));
        assert_eq!(parse(" 0 "), Ok(Duration::ZERO));
        assert_eq!(
            parse("1e19"),
            Ok(Duration::from_secs(10_000_000_000_000_000_000))
        );
        assert_eq!(parse("1e30"), Ok(Duration::MAX));
        for bad in ["inf", "-inf", "NaN", "-1", "soon", ""] {
            let err = parse(bad).unwrap_err();
            assert!(err.contains(CONNECT_TIMEOUT), "{err}");
        }
    }

    #[test]
    fn host_files_skip_blanks_and_comments() {
        let text = "# the cluster\n10.0.0.1:4100\n\n  10.0.0.2:4100  \n# end\n";
        assert_eq!(hosts_from_lines(text), ["10.0.0.1:4100", "10.0.0.2:4100"]);
    }
}
