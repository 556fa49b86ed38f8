use super::{Context, Rule, RuleMeta, Variant};
use crate::finding::Finding;
use crate::model::views::transport::TransportUrl;
use crate::model::Entry;

declare_rule! {
    /// ## What it does
    /// Reads `[DEFAULT] transport_url` (and `[oslo_messaging_notifications]
    /// transport_url`) the way oslo.messaging does:
    /// `driver://user:pass@host1:5672,user:pass@host2:5672/vhost?query`.
    /// It checks the driver (`rabbit`, `kafka`; `kombu` is an alias of
    /// `rabbit`), each host and port (RabbitMQ's management port 15672 is not
    /// AMQP), the credentials and the virtual host. Findings point at the bad
    /// part of the URL; passwords are never shown.
    ///
    /// ## Why is this bad?
    /// Glance sends its image notifications through this URL. An unknown
    /// driver stops Glance when it builds the notifier (`Failed to load
    /// transport driver`); a non-numeric port fails the same way. A wrong
    /// port, a missing host or missing credentials only show up as
    /// `AMQP server on controller:15672 is unreachable` in the logs, while
    /// image operations go on and every notification (for Ceilometer,
    /// Searchlight, billing) is lost. Without a user name oslo.messaging logs
    /// in as RabbitMQ's `guest`, which RabbitMQ accepts only from localhost.
    ///
    /// ## Example
    /// ```ini
    /// [DEFAULT]
    /// transport_url = rabbit://openstack:s3cret@controller:15672//
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// [DEFAULT]
    /// transport_url = rabbit://openstack:s3cret@controller:5672/
    /// ```
    pub struct InvalidTransportUrl {
        code: "GL210",
        name: "invalid-transport-url",
        severity: Error,
        variants: {
            LIKELY_WRONG: Warning when "oslo.messaging can use the URL but it likely does not do what was meant: the `fake` driver, an empty host, credentials on some hosts only, a virtual host with a trailing slash",
            GUEST_REMOTE: Info when "no user or `guest` on a remote RabbitMQ: refused unless that RabbitMQ's `loopback_users` allows it (packstack and others set `loopback_users = []`)",
        },
        category: Consistency,
        summary: "transport_url is not a URL oslo.messaging can use",
    }
}

/// Transport drivers of oslo.messaging 18.3.1 (`oslo.messaging.drivers` entry points).
const DRIVERS: &[&str] = &["rabbit", "kombu", "kafka", "fake"];

fn is_loopback(host: &str) -> bool {
    matches!(host, "localhost" | "127.0.0.1" | "::1" | "ip6-localhost") || host.starts_with("127.")
}

struct Check<'a> {
    meta: &'static RuleMeta,
    entry: &'a Entry,
    out: &'a mut Vec<Finding>,
}

/// The levels findings of this rule report at.
const FAILS: &Variant = &InvalidTransportUrl::DEFAULT;
const LIKELY_WRONG: &Variant = &InvalidTransportUrl::LIKELY_WRONG;
const GUEST_REMOTE: &Variant = &InvalidTransportUrl::GUEST_REMOTE;

impl Check<'_> {
    fn push(
        &mut self,
        range: (usize, usize),
        level: &'static Variant,
        msg: String,
        label: &str,
        help: String,
    ) {
        let span = self.entry.value_subspan(range.0, range.1);
        let f = Finding::new(self.meta, msg)
            .on(self.entry)
            .at(span)
            .label(label)
            .help(help);
        self.out.push(f.variant(level));
    }
}

fn check_url(meta: &'static RuleMeta, entry: &Entry, out: &mut Vec<Finding>) {
    let v = entry.value.as_str();
    // Empty is the default (`rabbit://`); `$` references are resolved elsewhere.
    if v.trim().is_empty() || v.contains('$') {
        return;
    }
    let mut c = Check { meta, entry, out };
    let Some(url) = TransportUrl::parse(v) else {
        c.push(
            (0, v.len()),
            FAILS,
            "`transport_url` is not a URL: oslo.messaging needs `driver://user:password@host:port/vhost`".into(),
            "no scheme",
            "write it as `rabbit://<user>:<password>@<host>:5672/`".into(),
        );
        return;
    };
    let sep = url.scheme.end;
    let driver = url.driver();
    if !DRIVERS.contains(&driver.as_str()) {
        let why = match driver.as_str() {
            "amqp" => "the AMQP 1.0 driver `amqp` is no longer part of oslo.messaging".to_string(),
            "zmq" | "qpid" | "pika" => {
                format!("the `{driver}` driver was removed from oslo.messaging")
            }
            _ => format!("oslo.messaging has no `{driver}` driver"),
        };
        c.push(
            (0, sep),
            FAILS,
            format!("{why}: Glance fails to load the transport"),
            "unknown driver",
            "use `rabbit://` for RabbitMQ (or `kafka://` for Kafka notifications)".into(),
        );
    } else if driver == "fake" {
        c.push(
            (0, sep),
            LIKELY_WRONG,
            "the `fake` driver is for oslo.messaging's own tests: notifications never leave the process".into(),
            "test driver",
            "use `rabbit://` for RabbitMQ".into(),
        );
    }

    // urllib's split: the netloc ends at the first `/`, `?` or `#`.
    let (rest_start, netloc_len) = (url.netloc.start, url.netloc.text.len());
    if url.tail.text.contains('@') {
        c.push(
            (rest_start, v.len()),
            FAILS,
            "the URL has an `@` after its host part: a password containing `/`, `?` or `#` ends the host list early".into(),
            "credentials cut here",
            "percent-encode those characters in the password (`/` is %2F, `?` is %3F, `#` is %23)".into(),
        );
        return;
    }

    let rabbit = driver == "rabbit" || driver == "kombu";
    let mut with_creds = 0;
    let mut without_creds = 0;
    for h in &url.hosts {
        let (item_start, item) = (h.item.start, h.item.text);
        let user = h.username.map(|u| u.as_str());
        let has_password = h.password.is_some();
        if user.is_some() && has_password {
            with_creds += 1;
        } else {
            without_creds += 1;
        }
        // host[:port] or [v6]:port
        let Some(host) = h.host.map(|h| h.as_str()) else {
            c.push(
                h.hostport.range(),
                FAILS,
                "an IPv6 host has no closing `]`".into(),
                "invalid IPv6 host",
                "write IPv6 hosts as `[fd00::1]:5672`".into(),
            );
            continue;
        };
        let port_range = h.port.map(|p| p.range());
        if let Some((ps, pe)) = port_range.filter(|(s, e)| s < e) {
            let port = &v[ps..pe];
            match port.parse::<u32>() {
                Ok(p) if p > 65535 => c.push((ps, pe), FAILS, format!("port {p} is out of range"), "invalid port", "RabbitMQ's AMQP port is 5672 (5671 with TLS)".into()),
                Ok(p @ (15672 | 15671)) if rabbit => c.push(
                    (ps, pe),
                    FAILS,
                    format!("port {p} is RabbitMQ's management web interface, not AMQP: every notification fails with `AMQP server ... is unreachable`"),
                    "management port",
                    format!("use the AMQP port: `{}:5672`", if host.is_empty() { "localhost" } else { host }),
                ),
                Ok(25672) if rabbit => c.push(
                    (ps, pe),
                    FAILS,
                    "port 25672 is RabbitMQ's inter-node (clustering) port, not AMQP".into(),
                    "clustering port",
                    format!("use the AMQP port: `{}:5672`", if host.is_empty() { "localhost" } else { host }),
                ),
                Ok(_) => {}
                Err(_) => c.push((ps, pe), FAILS, format!("port `{port}` is not a number: oslo.messaging fails to read the URL"), "invalid port", "write the port as digits, e.g. `:5672`".into()),
            }
        }
        if host.is_empty() {
            c.push(
                (item_start, item_start + item.len()),
                LIKELY_WRONG,
                "a host of `transport_url` is empty: oslo.messaging connects to localhost".into(),
                "no host",
                "name the message broker's host, e.g. `rabbit://openstack:<password>@controller:5672/`".into(),
            );
        } else if rabbit && !is_loopback(host) {
            match user {
                None | Some("") => c.push(
                    (item_start, item_start + item.len()),
                    GUEST_REMOTE,
                    format!("no user for `{host}`: oslo.messaging logs in as `guest`, whom RabbitMQ accepts only from localhost unless its `loopback_users` allows it"),
                    "no credentials",
                    format!("add the RabbitMQ user: `rabbit://openstack:<password>@{host}`"),
                ),
                Some("guest") => c.push(
                    (item_start, item_start + "guest".len()),
                    GUEST_REMOTE,
                    format!("user `guest` on `{host}`: RabbitMQ accepts `guest` only from localhost, unless its `loopback_users` allows it"),
                    "guest user",
                    "create a RabbitMQ user for OpenStack (`rabbitmqctl add_user openstack ...`) and use it here".into(),
                ),
                _ => {}
            }
        }
    }
    if with_creds > 0 && without_creds > 0 {
        c.push(
            (rest_start, rest_start + netloc_len),
            LIKELY_WRONG,
            "some hosts of `transport_url` have a user and password and others do not: oslo.messaging warns and the bare hosts log in as `guest`".into(),
            "mixed credentials",
            "give every host the same `user:password@`".into(),
        );
    }

    // The path is the virtual host: none, `/` and `//` all mean RabbitMQ's `/`.
    if let Some(vh) = url.virtual_host() {
        let (path_start, vhost) = (vh.start, vh.as_str());
        if vhost.len() > 1 && vhost.ends_with('/') {
            c.push(
                (path_start, path_start + vhost.len()),
                LIKELY_WRONG,
                format!("the virtual host is `{vhost}`, trailing slash included"),
                "vhost",
                format!(
                    "write `/{}` for the virtual host `{}`",
                    vhost.trim_end_matches('/'),
                    vhost.trim_end_matches('/')
                ),
            );
        }
    }
}

impl Rule for InvalidTransportUrl {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        for (section, key) in [
            ("DEFAULT", "transport_url"),
            ("oslo_messaging_notifications", "transport_url"),
        ] {
            if let Some(e) = ctx.config.get(section, key) {
                check_url(&Self::META, e, out);
            }
        }
    }
}
