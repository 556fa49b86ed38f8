//! Live probes (`--live`): ask the services glance-api.conf names whether they accept what the file
//! says. Probes only read: version discovery, a token request, a GET of the endpoint, SELECTs,
//! an AMQP login + vhost open, a memcached `version`. Nothing is created or altered.
//!
//! Every probe runs concurrently on one tokio runtime, each bounded by `timeout` (connect and
//! overall), so a run takes about as long as the slowest probe and never hangs. Credentials are
//! only sent to the hosts the file names (no redirects followed, no proxy), and no message or
//! help ever contains a password (a final pass redacts every password the targets hold).

use std::future::Future;
use std::path::Path;
use std::pin::Pin;
use std::time::Duration;

pub mod catalog;
pub mod glance_schema;
pub mod grants;
pub mod image_dir;
pub mod keystone;
pub mod limits;
pub mod memcached;
pub mod mysql;
pub mod net;
pub mod rabbitmq;
pub mod tables;

use crate::model::{EffectiveConfig, Entry};
use crate::rules::RuleMeta;
use crate::schema::Catalogue;

/// One kind of live probe (Keystone, the database, RabbitMQ, memcached): the
/// rules it reports and what it reads from the configuration. Each is
/// declared in its own file and registered once, in [`PROBES`].
pub struct ProbeKind {
    /// The probe's name, for messages and tests.
    pub name: &'static str,
    /// Every rule this probe can report: typed references to the rules'
    /// metadata (declared in `rules/live.rs` and registered in `rules::RULES`).
    pub rules: &'static [&'static RuleMeta],
    /// What to probe in a configuration, read through the model's typed
    /// views; empty when the file names nothing this probe looks at.
    pub plan: for<'a> fn(&'a EffectiveConfig, &PlanEnv<'_>) -> Vec<Box<dyn Target + 'a>>,
}

/// What a probe's plan may read besides the file: the release being linted and the host.
#[derive(Debug, Clone, Copy)]
pub struct PlanEnv<'e> {
    /// The option catalogue of the release (deprecated names).
    pub catalogue: &'static Catalogue,
    /// The schema `glance-manage db_sync` leaves for the release (tables, alembic heads).
    pub schema: &'static glance_schema::GlanceSchema,
    /// Host paths are looked up under this root (`--root`).
    pub root: &'e Path,
    /// The user glance-api runs as (`--service-user`, default `glance`).
    pub service_user: &'e str,
    /// `false` with `--no-host-checks`: the probes that look at the host do not run.
    pub host_checks: bool,
}

impl PlanEnv<'static> {
    /// The newest release the tool knows, the host at `/`, user `glance`.
    pub fn new(catalogue: &'static Catalogue) -> Self {
        PlanEnv {
            catalogue,
            schema: glance_schema::newest(),
            root: Path::new("/"),
            service_user: "glance",
            host_checks: true,
        }
    }
}

/// Boxes a probe's targets for [`ProbeKind::plan`].
pub(crate) fn boxed<'a, T: Target + 'a>(
    targets: impl IntoIterator<Item = T>,
) -> Vec<Box<dyn Target + 'a>> {
    targets
        .into_iter()
        .map(|t| Box::new(t) as Box<dyn Target + 'a>)
        .collect()
}

/// One thing a probe checks (a Keystone section, a database URL ...).
pub trait Target {
    /// The checks, each bounded by `timeout`.
    fn checks(&self, timeout: Duration) -> Vec<Probe<'_>>;
    /// Every password the target holds, raw and decoded, for the final redaction pass.
    fn secrets(&self) -> Vec<String>;
    /// The assignment a finding on `(section, option)` anchors at, when the target read it
    /// from somewhere else than `[section] option` (an `auth_section`, a deprecated name).
    fn origin(&self, section: &str, option: &str) -> Option<&Entry> {
        let _ = (section, option);
        None
    }
}

/// The registry of probes, in report order.
pub static PROBES: &[&ProbeKind] = &[
    &keystone::PROBE,
    &mysql::PROBE,
    &rabbitmq::PROBE,
    &memcached::PROBE,
    &catalog::PROBE,
    &limits::PROBE,
    &grants::PROBE,
    &tables::PROBE,
    &image_dir::PROBE,
];

/// TLS settings of `[oslo_messaging_rabbit]`.
#[derive(Debug, Clone, Default)]
pub struct RabbitSsl {
    pub enabled: bool,
    pub ca_file: Option<String>,
    pub cert_file: Option<String>,
    pub key_file: Option<String>,
}

/// One live finding; the core turns it into a diagnostic of its rule.
#[derive(Debug, Clone)]
pub struct LiveFinding {
    /// One of the rules of the probe that found it.
    pub rule: &'static RuleMeta,
    /// "keystone_authtoken", "oslo_limit", "database", "DEFAULT", ...
    pub section: &'static str,
    /// The option the finding anchors to (auth_url, password, endpoint_id, connection, ...).
    pub option: &'static str,
    /// Never a password, never a URL with its password.
    pub message: String,
    /// The concrete fix.
    pub help: String,
    /// A level the rule declares other than its default, when this finding has one.
    pub variant: Option<&'static crate::meta::Variant>,
}

impl PartialEq for LiveFinding {
    fn eq(&self, other: &Self) -> bool {
        self.rule.code == other.rule.code
            && (self.section, self.option, &self.message, &self.help)
                == (other.section, other.option, &other.message, &other.help)
    }
}

impl Eq for LiveFinding {}

impl LiveFinding {
    pub(crate) fn new(
        rule: &'static RuleMeta,
        section: &'static str,
        option: &'static str,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> Self {
        LiveFinding {
            rule,
            section,
            option,
            message: message.into(),
            help: help.into(),
            variant: None,
        }
    }

    /// The finding at one of its rule's declared levels.
    pub(crate) fn at_level(mut self, variant: &'static crate::meta::Variant) -> Self {
        self.variant = Some(variant);
        self
    }
}

pub type ProbeFuture<'a> = Pin<Box<dyn Future<Output = Vec<LiveFinding>> + 'a>>;

/// A probe plus what to report if it overruns the overall deadline.
pub struct Probe<'a> {
    pub fut: ProbeFuture<'a>,
    /// Produced when the overall deadline passes before the probe finishes.
    pub on_timeout: LiveFinding,
}

/// Run the checks of every target concurrently, each bounded by `timeout`, and return the
/// findings in a deterministic order (target order, as planned in [`PROBES`] order; within a
/// check, the order it found them).
pub fn run_probes(targets: &[&(dyn Target + '_)], timeout: Duration) -> Vec<LiveFinding> {
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
                &crate::rules::live::KeystoneUnreachable::META,
                "DEFAULT",
                "",
                format!("live probes could not start: {e}"),
                "run without --live",
            )]
        }
    };
    keystone::forget_logins();
    let secrets = collect_secrets(targets);
    let findings = rt.block_on(async {
        let probes: Vec<Probe<'_>> = targets.iter().flat_map(|t| t.checks(timeout)).collect();
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
pub(crate) async fn join_all<F: Future>(futs: Vec<F>) -> Vec<F::Output> {
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
fn collect_secrets(targets: &[&(dyn Target + '_)]) -> Vec<String> {
    let mut v: Vec<String> = targets.iter().flat_map(|t| t.secrets()).collect();
    v.retain(|s| !s.is_empty());
    v.sort();
    v.dedup();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_hides_every_password() {
        let sources = [crate::source::SourceFile::from_text(
            "t.conf",
            "[DEFAULT]\ntransport_url = rabbit://a:rpw1@h1:5672,b:rpw2@h2:5672/\n\
             [database]\nconnection = mysql+pymysql://glance:db%40pw@h/glance\n\
             [keystone_authtoken]\npassword = kspw\n",
        )];
        let config = crate::effective_config(&sources);
        let planned: Vec<_> = PROBES
            .iter()
            .flat_map(|p| (p.plan)(&config, &PlanEnv::new(crate::schema::catalogue())))
            .collect();
        let targets: Vec<&dyn Target> = planned.iter().map(|t| t.as_ref()).collect();
        let s = collect_secrets(&targets);
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
        let start = std::time::Instant::now();
        assert!(run_probes(&[], Duration::from_secs(5)).is_empty());
        assert!(start.elapsed() < Duration::from_secs(1));
    }
}
