//! Live probes (`--live`): ask the services glance-api.conf names whether they accept what the file
//! says. Probes only read: version discovery, a token request, a GET of the endpoint, SELECTs,
//! an AMQP login + vhost open, a memcached `version`. Nothing is created or altered.
//!
//! Every probe runs concurrently on one tokio runtime, each bounded by `timeout` (connect and
//! overall), so a run takes about as long as the slowest probe and never hangs. Credentials are
//! only sent to the hosts the file names (no redirects followed, no proxy), and no message or
//! help ever contains a password (a final pass redacts every password the targets hold).

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

pub mod keystone;
pub mod memcached;
pub mod mysql;
pub mod net;
pub mod rabbitmq;

/// What the live probes look at, built by the core from the effective configuration.
#[derive(Debug, Clone, Default)]
pub struct LiveTargets {
    pub keystone_authtoken: Option<KeystoneSection>,
    pub oslo_limit: Option<KeystoneSection>,
    /// `[database] connection`, the raw SQLAlchemy URL.
    pub database_connection: Option<String>,
    /// `[DEFAULT] transport_url`.
    pub transport_url: Option<String>,
    /// From `[oslo_messaging_rabbit]`: ssl, ssl_ca_file, ssl_cert_file, ssl_key_file.
    pub rabbit_ssl: RabbitSsl,
    /// `[keystone_authtoken] memcached_servers`, "host:port" items.
    pub memcached_servers: Vec<String>,
}

/// One Keystone client section (`keystone_authtoken` or `oslo_limit`).
#[derive(Debug, Clone)]
pub struct KeystoneSection {
    /// "keystone_authtoken" | "oslo_limit"
    pub section: &'static str,
    /// option -> effective value
    pub values: BTreeMap<String, String>,
}

/// TLS settings of `[oslo_messaging_rabbit]`.
#[derive(Debug, Clone, Default)]
pub struct RabbitSsl {
    pub enabled: bool,
    pub ca_file: Option<String>,
    pub cert_file: Option<String>,
    pub key_file: Option<String>,
}

/// One live finding; the core turns it into a diagnostic (code GL901..GL912 by `rule`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveFinding {
    /// One of [`RULES`].
    pub rule: &'static str,
    /// "keystone_authtoken", "oslo_limit", "database", "DEFAULT", ...
    pub section: &'static str,
    /// The option the finding anchors to (auth_url, password, endpoint_id, connection, ...).
    pub option: &'static str,
    /// Never a password, never a URL with its password.
    pub message: String,
    /// The concrete fix.
    pub help: String,
}

/// The live rule names, in code order (GL901..GL912).
pub const RULES: [&str; 12] = [
    "keystone-unreachable",
    "keystone-auth-failed",
    "keystone-endpoint-not-found",
    "keystone-role-missing",
    "database-unreachable",
    "database-auth-failed",
    "database-missing",
    "database-not-synced",
    "rabbitmq-unreachable",
    "rabbitmq-auth-failed",
    "rabbitmq-vhost-denied",
    "memcached-unreachable",
];

impl LiveFinding {
    pub(crate) fn new(
        rule: &'static str,
        section: &'static str,
        option: &'static str,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> Self {
        debug_assert!(RULES.contains(&rule), "unknown live rule {rule}");
        LiveFinding {
            rule,
            section,
            option,
            message: message.into(),
            help: help.into(),
        }
    }
}

pub(crate) type ProbeFuture<'a> = Pin<Box<dyn Future<Output = Vec<LiveFinding>> + 'a>>;

/// A probe plus what to report if it overruns the overall deadline.
pub(crate) struct Probe<'a> {
    pub fut: ProbeFuture<'a>,
    /// Produced when the overall deadline passes before the probe finishes.
    pub on_timeout: LiveFinding,
}

/// Run every probe concurrently, each bounded by `timeout`, and return the findings in a
/// deterministic order (probe order: keystone_authtoken, oslo_limit, database, RabbitMQ hosts,
/// memcached servers; within a probe, the order it found them).
pub fn run_probes(targets: &LiveTargets, timeout: Duration) -> Vec<LiveFinding> {
    let timeout = if timeout.is_zero() {
        Duration::from_millis(1)
    } else {
        timeout
    };
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            return vec![LiveFinding::new(
                "keystone-unreachable",
                "DEFAULT",
                "",
                format!("live probes could not start: {e}"),
                "run without --live",
            )]
        }
    };
    let secrets = collect_secrets(targets);
    let findings = rt.block_on(async {
        let mut probes: Vec<Probe<'_>> = Vec::new();
        if let Some(ks) = &targets.keystone_authtoken {
            probes.extend(keystone::probes(ks, timeout));
        }
        if let Some(ks) = &targets.oslo_limit {
            probes.extend(keystone::probes(ks, timeout));
        }
        if let Some(url) = &targets.database_connection {
            probes.extend(mysql::probes(url, timeout));
        }
        if let Some(url) = &targets.transport_url {
            probes.extend(rabbitmq::probes(url, &targets.rabbit_ssl, timeout));
        }
        probes.extend(memcached::probes(&targets.memcached_servers, timeout));
        // The probes own their deadlines (connect + overall); this outer one is a safety net a
        // little later, so the more specific inner message normally wins.
        let outer = timeout + Duration::from_millis(300);
        let futs = probes.into_iter().map(|p| async move {
            match tokio::time::timeout(outer, p.fut).await {
                Ok(v) => v,
                Err(_) => vec![p.on_timeout],
            }
        });
        join_all(futs.collect()).await
    });
    // A DNS lookup runs on tokio's blocking pool and cannot be cancelled; dropping the runtime
    // would wait for it (a dead resolver can take 10 s and more). Leave it behind instead.
    rt.shutdown_background();
    findings
        .into_iter()
        .flatten()
        .map(|mut f| {
            f.message = net::redact(&f.message, &secrets);
            f.help = net::redact(&f.help, &secrets);
            f
        })
        .collect()
}

/// Poll all futures concurrently on the current task; results in input order.
async fn join_all<F: Future>(futs: Vec<F>) -> Vec<F::Output> {
    use std::task::Poll;
    let mut futs: Vec<Pin<Box<F>>> = futs.into_iter().map(Box::pin).collect();
    let mut out: Vec<Option<F::Output>> = futs.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (i, f) in futs.iter_mut().enumerate() {
            if out[i].is_none() {
                match f.as_mut().poll(cx) {
                    Poll::Ready(v) => out[i] = Some(v),
                    Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            Poll::Pending
        } else {
            Poll::Ready(())
        }
    })
    .await;
    out.into_iter()
        .map(|o| o.expect("every future finished"))
        .collect()
}

/// Every password the targets hold, raw and percent-decoded, for the final redaction pass.
fn collect_secrets(t: &LiveTargets) -> Vec<String> {
    let mut v = Vec::new();
    for ks in [&t.keystone_authtoken, &t.oslo_limit].into_iter().flatten() {
        for (k, val) in &ks.values {
            if k.contains("password") || k.contains("secret") {
                v.push(val.clone());
            }
        }
    }
    if let Some(u) = &t.database_connection {
        if let Ok(p) = mysql::parse_sqlalchemy_url(u) {
            v.push(p.password.clone());
        }
        v.extend(raw_url_passwords(u));
    }
    if let Some(u) = &t.transport_url {
        if let Ok(p) = rabbitmq::parse_transport_url(u) {
            v.extend(p.hosts.iter().filter_map(|h| h.password.clone()));
        }
        v.extend(raw_url_passwords(u));
    }
    v.retain(|s| !s.is_empty());
    v.sort();
    v.dedup();
    v
}

/// The still-encoded password parts of `scheme://user:pass@host,...`.
fn raw_url_passwords(url: &str) -> Vec<String> {
    let Some((_, rest)) = url.split_once("://") else {
        return Vec::new();
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    rest[..end]
        .split(',')
        .filter_map(|item| item.rsplit_once('@'))
        .filter_map(|(cred, _)| cred.split_once(':').map(|(_, p)| p.to_string()))
        .collect()
}

/// Percent-decode (lossy UTF-8).
pub(crate) fn unquote(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", s.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unquote_keeps_plus_and_decodes_percent() {
        assert_eq!(unquote("a%2Fb+c%40"), "a/b+c@");
        assert_eq!(unquote("%2F"), "/");
        assert_eq!(unquote(""), "");
    }

    #[test]
    fn redaction_hides_every_password() {
        let t = LiveTargets {
            database_connection: Some("mysql+pymysql://glance:db%40pw@h/glance".into()),
            transport_url: Some("rabbit://a:rpw1@h1:5672,b:rpw2@h2:5672/".into()),
            keystone_authtoken: Some(KeystoneSection {
                section: "keystone_authtoken",
                values: [("password".to_string(), "kspw".to_string())].into(),
            }),
            ..Default::default()
        };
        let s = collect_secrets(&t);
        let text = "db@pw db%40pw rpw1 rpw2 kspw mysql://x:other@host/";
        let r = net::redact(text, &s);
        for p in ["db@pw", "db%40pw", "rpw1", "rpw2", "kspw", "other"] {
            assert!(!r.contains(p), "{p} leaked in {r}");
        }
    }

    #[test]
    fn url_scrubber_handles_several_hosts() {
        assert_eq!(
            net::scrub_url_passwords("x rabbit://u:p@h1:5672,u2:p2@h2/v y"),
            "x rabbit://u:***@h1:5672,u2:***@h2/v y"
        );
        assert_eq!(
            net::scrub_url_passwords("http://h:5000/v3"),
            "http://h:5000/v3"
        );
    }

    #[test]
    fn empty_targets_give_nothing_quickly() {
        let t = LiveTargets::default();
        let start = std::time::Instant::now();
        assert!(run_probes(&t, Duration::from_secs(5)).is_empty());
        assert!(start.elapsed() < Duration::from_secs(1));
    }
}
