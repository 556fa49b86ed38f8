//! memcached probe: TCP connect to each of `memcached_servers` and a `version` command.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::live::net::{self, NetError};
use crate::live::{boxed, LiveFinding, Probe, ProbeKind, Target};
use crate::model::views::{effective, list_items};
use crate::model::{EffectiveConfig, Entry};
use crate::rules::live as rule;

const SECTION: &str = "keystone_authtoken";
const OPTION: &str = "memcached_servers";

/// The memcached probe: `[keystone_authtoken] memcached_servers`.
pub static PROBE: ProbeKind = ProbeKind {
    name: "memcached",
    rules: &[&rule::MemcachedUnreachable::META],
    plan: |config, env| boxed(target(config, env.catalogue)),
};

/// The servers to probe ("host:port" items) and the assignment they came from.
pub struct ServersTarget<'a> {
    pub servers: Vec<String>,
    pub entry: &'a Entry,
}

/// `memcached_servers` (or its old name `memcache_servers`), when set.
pub fn target<'a>(
    config: &'a EffectiveConfig,
    catalogue: &crate::schema::Catalogue,
) -> Option<ServersTarget<'a>> {
    let entry = effective(config, catalogue, SECTION, OPTION)?;
    let servers = list_items(&entry.value)
        .into_iter()
        .map(|(s, end)| entry.value[s..end].trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    Some(ServersTarget { servers, entry })
}

impl Target for ServersTarget<'_> {
    fn checks(&self, timeout: Duration) -> Vec<Probe<'_>> {
        probes(&self.servers, timeout)
    }

    fn secrets(&self) -> Vec<String> {
        Vec::new()
    }

    fn origin(&self, section: &str, option: &str) -> Option<&Entry> {
        (section == SECTION && option == OPTION).then_some(self.entry)
    }
}

/// Parse one memcached_servers item: `host:port`, `inet:host:port`, `inet6:[::1]:port`,
/// `[::1]:port`, or a bare host (port 11211).
pub fn parse_server(item: &str) -> Option<(String, u16)> {
    let mut s = item.trim();
    for prefix in ["inet6:", "inet:"] {
        if let Some(r) = s.strip_prefix(prefix) {
            s = r;
        }
    }
    if s.is_empty() || s.starts_with("unix:") || s.starts_with('/') {
        return None;
    }
    let (host, port) = net::split_host_port(s).ok()?;
    Some((host, port.unwrap_or(11211)))
}

pub(crate) fn probes(servers: &[String], timeout: Duration) -> Vec<Probe<'static>> {
    servers
        .iter()
        .filter_map(|item| {
            let Some((host, port)) = parse_server(item) else {
                return None; // unix sockets and garbage are the static checks' business
            };
            let on_timeout = finding(&host, port, &NetError::Timeout(timeout));
            Some(Probe {
                fut: Box::pin(
                    async move { probe(&host, port, timeout).await.into_iter().collect() },
                ),
                on_timeout,
            })
        })
        .collect()
}

fn finding(host: &str, port: u16, e: &NetError) -> LiveFinding {
    LiveFinding::new(
        &rule::MemcachedUnreachable::META,
        SECTION,
        OPTION,
        e.describe("memcached", host, port),
        format!(
            "start memcached on {} or fix memcached_servers; keystonemiddleware caches tokens there",
            net::host_port(host, port)
        ),
    )
}

/// `None` when the server answered `VERSION ...`.
pub async fn probe(host: &str, port: u16, timeout: Duration) -> Option<LiveFinding> {
    match check(host, port, timeout).await {
        Ok(()) => None,
        Err(e) => Some(finding(host, port, &e)),
    }
}

/// Connect and ask `version`; the whole exchange is bounded by `timeout`.
pub async fn check(host: &str, port: u16, timeout: Duration) -> Result<(), NetError> {
    let work = async {
        let mut s = net::connect(host, port, timeout).await?;
        s.write_all(b"version\r\n")
            .await
            .map_err(|e| net::classify_io(&e, timeout))?;
        let mut buf = Vec::with_capacity(64);
        let mut chunk = [0u8; 256];
        while !buf.contains(&b'\n') && buf.len() < 1024 {
            let n = s
                .read(&mut chunk)
                .await
                .map_err(|e| net::classify_io(&e, timeout))?;
            if n == 0 {
                return Err(NetError::Closed("closed before answering 'version'".into()));
            }
            buf.extend_from_slice(&chunk[..n]);
        }
        let line = String::from_utf8_lossy(&buf);
        let line = line.lines().next().unwrap_or("").trim();
        if line.starts_with("VERSION ") {
            Ok(())
        } else {
            let shown: String = line.chars().take(40).collect();
            Err(NetError::Protocol(format!(
                "answered '{shown}' to 'version'"
            )))
        }
    };
    match tokio::time::timeout(timeout, work).await {
        Ok(r) => r,
        Err(_) => Err(NetError::Timeout(timeout)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_items() {
        assert_eq!(
            parse_server("127.0.0.1:11211"),
            Some(("127.0.0.1".into(), 11211))
        );
        assert_eq!(
            parse_server("controller"),
            Some(("controller".into(), 11211))
        );
        assert_eq!(parse_server("inet:mc:11212"), Some(("mc".into(), 11212)));
        assert_eq!(
            parse_server("inet6:[::1]:11211"),
            Some(("::1".into(), 11211))
        );
        assert_eq!(parse_server("[fd00::5]"), Some(("fd00::5".into(), 11211)));
        assert_eq!(parse_server("unix:/run/mc.sock"), None);
        assert_eq!(parse_server("h:notaport"), None);
    }

    #[tokio::test(flavor = "current_thread")]
    async fn silent_server_times_out() {
        let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = l.local_addr().unwrap().port();
        let keep = tokio::spawn(async move {
            let mut held = Vec::new();
            while let Ok((s, _)) = l.accept().await {
                held.push(s);
            }
        });
        let t = Duration::from_millis(500);
        let start = std::time::Instant::now();
        let e = check("127.0.0.1", port, t).await.unwrap_err();
        assert_eq!(e.kind(), "timeout");
        assert!(start.elapsed() < Duration::from_millis(1200));
        keep.abort();
    }

    #[tokio::test(flavor = "current_thread")]
    async fn closed_port_is_refused() {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        drop(l);
        let e = check("127.0.0.1", port, Duration::from_secs(2))
            .await
            .unwrap_err();
        assert_eq!(e, NetError::Refused);
    }

    #[tokio::test(flavor = "current_thread")]
    async fn invalid_host_is_dns() {
        let e = check("no-such-host.invalid", 11211, Duration::from_secs(3))
            .await
            .unwrap_err();
        assert_eq!(e.kind(), "dns", "{e:?}");
    }
}
