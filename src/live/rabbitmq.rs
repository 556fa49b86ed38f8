//! RabbitMQ probe: for each host of `transport_url`, connect (TLS when `[oslo_messaging_rabbit]
//! ssl = true`), log in with PLAIN and open the virtual host, then close. Nothing is declared.
//!
//! The AMQP 0-9-1 handshake is done here directly (about a hundred lines) instead of through
//! lapin or amqprs, because both get the cases that matter wrong (measured against RabbitMQ
//! 3.10): lapin reads the install guide's trailing `/` as the empty vhost and connects
//! `amqps://` in plain text without a TLS feature; amqprs reports a wrong password only as a
//! connection reset and does not decode `%2f`. Here the client advertises the
//! `authentication_failure_close` capability, so the broker answers a bad login with a
//! Connection.Close 403 instead of just dropping the connection.

use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

use crate::live::net::{self, NetError};
use crate::live::{boxed, LiveFinding, Probe, ProbeKind, RabbitSsl, Target};
use crate::model::views::{effective, effective_value, parse_bool, transport};
use crate::model::{EffectiveConfig, Entry};
use crate::rules::live as rule;

const SECTION: &str = "DEFAULT";
const OPTION: &str = "transport_url";

/// The RabbitMQ probe: `[DEFAULT] transport_url` with `[oslo_messaging_rabbit]`'s TLS options.
pub static PROBE: ProbeKind = ProbeKind {
    name: "rabbitmq",
    rules: &[
        &rule::RabbitmqUnreachable::META,
        &rule::RabbitmqAuthFailed::META,
        &rule::RabbitmqVhostDenied::META,
    ],
    plan: |config, env| boxed(target(config, env.catalogue)),
};

/// The transport URL to probe, its TLS settings, and the assignment it came from.
pub struct TransportTarget<'a> {
    /// The raw transport URL, trimmed.
    pub url: String,
    pub ssl: RabbitSsl,
    pub entry: &'a Entry,
}

/// `[DEFAULT] transport_url`, when set and not empty.
pub fn target<'a>(
    config: &'a EffectiveConfig,
    catalogue: &crate::schema::Catalogue,
) -> Option<TransportTarget<'a>> {
    let entry = effective(config, catalogue, SECTION, OPTION)?;
    let url = entry.value.trim();
    if url.is_empty() {
        return None;
    }
    let rabbit = |key: &str| effective_value(config, catalogue, "oslo_messaging_rabbit", key);
    Some(TransportTarget {
        url: url.to_string(),
        ssl: RabbitSsl {
            enabled: rabbit("ssl").and_then(parse_bool) == Some(true),
            ca_file: rabbit("ssl_ca_file").map(str::to_string),
            cert_file: rabbit("ssl_cert_file").map(str::to_string),
            key_file: rabbit("ssl_key_file").map(str::to_string),
        },
        entry,
    })
}

impl Target for TransportTarget<'_> {
    fn checks(&self, timeout: Duration) -> Vec<Probe<'_>> {
        probes(&self.url, &self.ssl, timeout)
    }

    fn secrets(&self) -> Vec<String> {
        let mut v: Vec<String> = parse_transport_url(&self.url)
            .map(|p| p.hosts.into_iter().filter_map(|h| h.password).collect())
            .unwrap_or_default();
        if let Some(t) = transport::TransportUrl::parse(&self.url) {
            v.extend(t.raw_passwords().map(str::to_string));
        }
        v
    }

    fn origin(&self, section: &str, option: &str) -> Option<&Entry> {
        (section == SECTION && option == OPTION).then_some(self.entry)
    }
}

pub use crate::model::views::transport::{Transport as TransportUrl, TransportHost};

/// Parse like `oslo_messaging.TransportURL.parse` with the model's transport URL view: hosts
/// are comma-separated in the netloc, `user:password@` per host (percent-decoded), the path
/// minus its first '/' is the vhost.
pub fn parse_transport_url(url: &str) -> Result<TransportUrl, String> {
    transport::TransportUrl::parse(url.trim())
        .ok_or_else(|| "no scheme specified".to_string())?
        .decode()
}

pub(crate) fn probes(url: &str, ssl: &RabbitSsl, timeout: Duration) -> Vec<Probe<'static>> {
    let Ok(t) = parse_transport_url(url) else {
        return Vec::new(); // invalid-transport-url is a static finding
    };
    if t.transport != "rabbit" {
        return Vec::new();
    }
    let vhost = t.rabbit_vhost();
    t.hosts
        .into_iter()
        .map(|h| {
            let port = h.port.unwrap_or(5672);
            let on_timeout = unreachable(&h.host, port, &NetError::Timeout(timeout));
            let ssl = ssl.clone();
            let vhost = vhost.clone();
            Probe {
                fut: Box::pin(async move {
                    probe_host(&h, &vhost, &ssl, timeout)
                        .await
                        .into_iter()
                        .collect()
                }),
                on_timeout,
            }
        })
        .collect()
}

fn unreachable(host: &str, port: u16, e: &NetError) -> LiveFinding {
    let help = match e {
        NetError::Tls(_) => "check [oslo_messaging_rabbit] ssl, ssl_ca_file, ssl_cert_file and ssl_key_file against the broker's TLS listener".to_string(),
        _ => format!(
            "check the host and port in transport_url and that RabbitMQ listens on {}",
            net::host_port(host, port)
        ),
    };
    LiveFinding::new(
        &rule::RabbitmqUnreachable::META,
        SECTION,
        OPTION,
        e.describe("RabbitMQ", host, port),
        help,
    )
}

/// How the AMQP conversation ended when it did not succeed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AmqpError {
    Net(NetError),
    /// Connection.Close 403 after Start-Ok (or the broker dropped us right after it).
    AuthFailed(String),
    /// Connection.Close (530 NOT_ALLOWED or 403) after Connection.Open.
    VhostDenied(String),
}

impl From<NetError> for AmqpError {
    fn from(e: NetError) -> Self {
        AmqpError::Net(e)
    }
}

/// Probe one host; `None` when login and vhost open succeed.
pub async fn probe_host(
    h: &TransportHost,
    vhost: &str,
    ssl: &RabbitSsl,
    timeout: Duration,
) -> Option<LiveFinding> {
    let port = h.port.unwrap_or(5672);
    // oslo.messaging leaves missing credentials to kombu, whose default is guest/guest
    let user = h.username.clone().unwrap_or_else(|| "guest".into());
    let pass = h.password.clone().unwrap_or_else(|| "guest".into());
    let r = match tokio::time::timeout(
        timeout,
        connect_and_login(&h.host, port, &user, &pass, vhost, ssl, timeout),
    )
    .await
    {
        Err(_) => Err(AmqpError::Net(NetError::Timeout(timeout))),
        Ok(r) => r,
    };
    let hp = net::host_port(&h.host, port);
    match r {
        Ok(()) => None,
        Err(AmqpError::Net(e)) => Some(unreachable(&h.host, port, &e)),
        Err(AmqpError::AuthFailed(why)) => Some(LiveFinding::new(
            &rule::RabbitmqAuthFailed::META,
            SECTION,
            OPTION,
            format!("RabbitMQ at {hp} refused the login of user '{user}': {why}"),
            format!(
                "set the user's password in transport_url to the broker's (rabbitmqctl change_password {user} ...), percent-encoding special characters"
            ),
        )),
        Err(AmqpError::VhostDenied(why)) => Some(LiveFinding::new(
            &rule::RabbitmqVhostDenied::META,
            SECTION,
            OPTION,
            format!("RabbitMQ at {hp} did not let user '{user}' open virtual host '{vhost}': {why}"),
            format!(
                "create the vhost and grant access (rabbitmqctl add_vhost {vhost}; rabbitmqctl set_permissions -p {vhost} {user} '.*' '.*' '.*'), or fix the path of transport_url (a trailing '/' means the default vhost '/')"
            ),
        )),
    }
}

async fn connect_and_login(
    host: &str,
    port: u16,
    user: &str,
    pass: &str,
    vhost: &str,
    ssl: &RabbitSsl,
    timeout: Duration,
) -> Result<(), AmqpError> {
    let tcp = net::connect(host, port, timeout).await?;
    if ssl.enabled {
        let cfg = net::tls_config(
            ssl.ca_file.as_deref(),
            ssl.cert_file.as_deref(),
            ssl.key_file.as_deref(),
            false,
        )
        .map_err(NetError::Other)?;
        let name = tokio_rustls::rustls::pki_types::ServerName::try_from(
            host.trim_matches(['[', ']']).to_string(),
        )
        .map_err(|e| NetError::Tls(format!("bad server name: {e}")))?;
        let mut s = tokio_rustls::TlsConnector::from(Arc::new(cfg))
            .connect(name, tcp)
            .await
            .map_err(|e| match net::classify_io(&e, timeout) {
                NetError::Tls(t) => NetError::Tls(t),
                NetError::Timeout(t) => NetError::Timeout(t),
                other => NetError::Tls(other.to_string()),
            })?;
        handshake(&mut s, user, pass, vhost, timeout).await
    } else {
        let mut s = tcp;
        handshake(&mut s, user, pass, vhost, timeout).await
    }
}

// ------------------------------------------------------------------ AMQP 0-9-1 wire format

const FRAME_METHOD: u8 = 1;
const FRAME_HEARTBEAT: u8 = 8;
const FRAME_END: u8 = 0xCE;
const MAX_FRAME: u32 = 1 << 20;

fn put_shortstr(b: &mut Vec<u8>, s: &str) {
    let s = &s.as_bytes()[..s.len().min(255)];
    b.push(s.len() as u8);
    b.extend_from_slice(s);
}

fn put_longstr(b: &mut Vec<u8>, s: &[u8]) {
    b.extend_from_slice(&(s.len() as u32).to_be_bytes());
    b.extend_from_slice(s);
}

fn method_frame(class: u16, method: u16, args: &[u8]) -> Vec<u8> {
    let mut payload = Vec::with_capacity(4 + args.len());
    payload.extend_from_slice(&class.to_be_bytes());
    payload.extend_from_slice(&method.to_be_bytes());
    payload.extend_from_slice(args);
    let mut f = Vec::with_capacity(8 + payload.len());
    f.push(FRAME_METHOD);
    f.extend_from_slice(&0u16.to_be_bytes());
    f.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    f.extend_from_slice(&payload);
    f.push(FRAME_END);
    f
}

/// Connection.Start-Ok: client properties (with the authentication_failure_close capability),
/// PLAIN, "\0user\0password", en_US.
fn start_ok(user: &str, pass: &str) -> Vec<u8> {
    let mut caps = Vec::new();
    for cap in ["authentication_failure_close", "connection.blocked"] {
        put_shortstr(&mut caps, cap);
        caps.extend_from_slice(b"t\x01");
    }
    let mut props = Vec::new();
    put_shortstr(&mut props, "product");
    props.push(b'S');
    put_longstr(&mut props, b"glance-lint");
    put_shortstr(&mut props, "capabilities");
    props.push(b'F');
    put_longstr(&mut props, &caps);
    let mut args = Vec::new();
    put_longstr(&mut args, &props);
    put_shortstr(&mut args, "PLAIN");
    let mut resp = Vec::with_capacity(2 + user.len() + pass.len());
    resp.push(0);
    resp.extend_from_slice(user.as_bytes());
    resp.push(0);
    resp.extend_from_slice(pass.as_bytes());
    put_longstr(&mut args, &resp);
    put_shortstr(&mut args, "en_US");
    method_frame(10, 11, &args)
}

/// A received method frame on channel 0: (class, method, arguments).
struct Method {
    class: u16,
    method: u16,
    args: Vec<u8>,
}

/// Read the next method frame (heartbeats skipped).
async fn read_method<S: AsyncRead + Unpin>(
    s: &mut S,
    timeout: Duration,
) -> Result<Method, NetError> {
    loop {
        let mut head = [0u8; 7];
        s.read_exact(&mut head)
            .await
            .map_err(|e| net::classify_io(&e, timeout))?;
        if &head[..4] == b"AMQP" {
            return Err(NetError::Protocol(format!(
                "the server wants AMQP {}.{}.{}, not 0-9-1",
                head[5], head[6], 0
            )));
        }
        let size = u32::from_be_bytes([head[3], head[4], head[5], head[6]]);
        if size > MAX_FRAME || !matches!(head[0], 1..=4 | 8) {
            return Err(NetError::Protocol("not an AMQP 0-9-1 frame".into()));
        }
        let mut payload = vec![0u8; size as usize + 1];
        s.read_exact(&mut payload)
            .await
            .map_err(|e| net::classify_io(&e, timeout))?;
        if payload.pop() != Some(FRAME_END) {
            return Err(NetError::Protocol("bad frame end".into()));
        }
        if head[0] == FRAME_HEARTBEAT {
            continue;
        }
        if head[0] != FRAME_METHOD || payload.len() < 4 {
            return Err(NetError::Protocol(format!(
                "unexpected frame type {}",
                head[0]
            )));
        }
        return Ok(Method {
            class: u16::from_be_bytes([payload[0], payload[1]]),
            method: u16::from_be_bytes([payload[2], payload[3]]),
            args: payload[4..].to_vec(),
        });
    }
}

/// Connection.Close arguments: (reply-code, reply-text).
fn parse_close(args: &[u8]) -> (u16, String) {
    if args.len() < 3 {
        return (0, String::new());
    }
    let code = u16::from_be_bytes([args[0], args[1]]);
    let n = args[2] as usize;
    let text = args
        .get(3..3 + n)
        .map(|t| String::from_utf8_lossy(t).into_owned())
        .unwrap_or_default();
    (code, text)
}

/// Connection.Start: the list of SASL mechanisms.
fn start_mechanisms(args: &[u8]) -> Option<String> {
    let mut i = 2; // version-major, version-minor
    let tlen = u32::from_be_bytes(args.get(i..i + 4)?.try_into().ok()?) as usize;
    i += 4 + tlen;
    let mlen = u32::from_be_bytes(args.get(i..i + 4)?.try_into().ok()?) as usize;
    i += 4;
    Some(String::from_utf8_lossy(args.get(i..i + mlen)?).into_owned())
}

async fn send<S: AsyncWrite + Unpin>(
    s: &mut S,
    frame: &[u8],
    timeout: Duration,
) -> Result<(), NetError> {
    s.write_all(frame)
        .await
        .map_err(|e| net::classify_io(&e, timeout))?;
    s.flush().await.map_err(|e| net::classify_io(&e, timeout))
}

/// Protocol header, Start/Start-Ok (PLAIN), Tune/Tune-Ok, Open/Open-Ok, Close.
pub async fn handshake<S: AsyncRead + AsyncWrite + Unpin>(
    s: &mut S,
    user: &str,
    pass: &str,
    vhost: &str,
    timeout: Duration,
) -> Result<(), AmqpError> {
    send(s, b"AMQP\x00\x00\x09\x01", timeout).await?;
    let m = read_method(s, timeout).await?;
    if (m.class, m.method) != (10, 10) {
        return Err(NetError::Protocol("no Connection.Start".into()).into());
    }
    let mechs = start_mechanisms(&m.args).unwrap_or_default();
    if !mechs.split_whitespace().any(|x| x == "PLAIN") {
        return Err(AmqpError::AuthFailed(format!(
            "the broker does not offer PLAIN login (offers: {mechs})"
        )));
    }
    send(s, &start_ok(user, pass), timeout).await?;
    let m = match read_method(s, timeout).await {
        Ok(m) => m,
        // brokers that ignore authentication_failure_close just drop a refused login
        Err(NetError::Closed(_)) => {
            return Err(AmqpError::AuthFailed(
                "the broker closed the connection right after the login (how RabbitMQ refuses a login without telling why)".into(),
            ))
        }
        Err(e) => return Err(e.into()),
    };
    match (m.class, m.method) {
        (10, 30) if m.args.len() >= 8 => {
            let channel_max = u16::from_be_bytes([m.args[0], m.args[1]]);
            let frame_max = u32::from_be_bytes([m.args[2], m.args[3], m.args[4], m.args[5]]);
            let mut a = Vec::new();
            a.extend_from_slice(&channel_max.to_be_bytes());
            a.extend_from_slice(&(if frame_max == 0 { 131_072 } else { frame_max }).to_be_bytes());
            a.extend_from_slice(&0u16.to_be_bytes()); // no heartbeats
            send(s, &method_frame(10, 31, &a), timeout).await?;
        }
        (10, 50) => {
            let (code, text) = parse_close(&m.args);
            let _ = send(s, &method_frame(10, 51, &[]), timeout).await;
            return Err(if code == 403 {
                AmqpError::AuthFailed(text)
            } else {
                AmqpError::Net(NetError::Protocol(format!("closed with {code} {text}")))
            });
        }
        (10, 20) => {
            return Err(AmqpError::AuthFailed(
                "the broker asked for a SASL challenge PLAIN does not use".into(),
            ))
        }
        (c, mm) => {
            return Err(
                NetError::Protocol(format!("unexpected method {c}.{mm} after login")).into(),
            )
        }
    }
    let mut a = Vec::new();
    put_shortstr(&mut a, vhost);
    put_shortstr(&mut a, "");
    a.push(0);
    send(s, &method_frame(10, 40, &a), timeout).await?;
    let m = read_method(s, timeout).await?;
    let result = match (m.class, m.method) {
        (10, 41) => Ok(()),
        (10, 50) => {
            let (code, text) = parse_close(&m.args);
            let _ = send(s, &method_frame(10, 51, &[]), timeout).await;
            return if code == 530 || code == 403 {
                Err(AmqpError::VhostDenied(text))
            } else {
                Err(NetError::Protocol(format!("closed with {code} {text}")).into())
            };
        }
        (c, mm) => Err(NetError::Protocol(format!(
            "unexpected method {c}.{mm} after Connection.Open"
        ))
        .into()),
    };
    // polite close: Connection.Close 200, wait briefly for Close-Ok
    let mut a = Vec::new();
    a.extend_from_slice(&200u16.to_be_bytes());
    put_shortstr(&mut a, "glance-lint probe done");
    a.extend_from_slice(&[0, 0, 0, 0]);
    if send(s, &method_frame(10, 50, &a), timeout).await.is_ok() {
        let _ = tokio::time::timeout(Duration::from_millis(500), read_method(s, timeout)).await;
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn several_hosts_and_vhost() {
        let t = parse_transport_url("rabbit://u:p@h1:5672,u2:p%402@h2:5673/vhost").unwrap();
        assert_eq!(t.transport, "rabbit");
        assert_eq!(t.virtual_host.as_deref(), Some("vhost"));
        assert_eq!(t.rabbit_vhost(), "vhost");
        assert_eq!(
            t.hosts,
            vec![
                TransportHost {
                    host: "h1".into(),
                    port: Some(5672),
                    username: Some("u".into()),
                    password: Some("p".into())
                },
                TransportHost {
                    host: "h2".into(),
                    port: Some(5673),
                    username: Some("u2".into()),
                    password: Some("p@2".into())
                },
            ]
        );
    }

    #[test]
    fn vhost_semantics_follow_oslo_messaging() {
        // the install guide's form: trailing '/' = empty virtual_host = default vhost '/'
        let t = parse_transport_url("rabbit://openstack:RABBIT_PASS@controller:5672/").unwrap();
        assert_eq!(t.virtual_host.as_deref(), Some(""));
        assert_eq!(t.rabbit_vhost(), "/");
        let t = parse_transport_url("rabbit://openstack:RABBIT_PASS@controller:5672//").unwrap();
        assert_eq!(t.virtual_host.as_deref(), Some("/"));
        assert_eq!(t.rabbit_vhost(), "/");
        let t = parse_transport_url("rabbit://openstack:RABBIT_PASS@controller:5672/%2F").unwrap();
        assert_eq!(t.rabbit_vhost(), "/");
        let t = parse_transport_url("rabbit://openstack:RABBIT_PASS@controller").unwrap();
        assert_eq!(t.virtual_host, None);
        assert_eq!(t.rabbit_vhost(), "/");
        assert_eq!(t.hosts[0].port, None);
        let t = parse_transport_url("rabbit://u:p@[fd00::1]:5672/glance?ssl=1").unwrap();
        assert_eq!(t.hosts[0].host, "fd00::1");
        assert_eq!(t.rabbit_vhost(), "glance");
        assert!(parse_transport_url("controller:5672").is_err());
        assert!(parse_transport_url("rabbit://u:p@h:notaport/").is_err());
    }

    #[test]
    fn start_ok_frame_is_well_formed() {
        let f = start_ok("openstack", "pw");
        assert_eq!(f[0], FRAME_METHOD);
        let size = u32::from_be_bytes([f[3], f[4], f[5], f[6]]) as usize;
        assert_eq!(f.len(), 7 + size + 1);
        assert_eq!(*f.last().unwrap(), FRAME_END);
        assert!(f.windows(13).any(|w| w == b"\0openstack\0pw"));
    }

    #[tokio::test(flavor = "current_thread")]
    async fn silent_broker_times_out() {
        let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = l.local_addr().unwrap().port();
        let keep = tokio::spawn(async move {
            let mut held = Vec::new();
            while let Ok((s, _)) = l.accept().await {
                held.push(s);
            }
        });
        let h = TransportHost {
            host: "127.0.0.1".into(),
            port: Some(port),
            username: Some("u".into()),
            password: Some("secretpw".into()),
        };
        let start = std::time::Instant::now();
        let f = probe_host(&h, "/", &RabbitSsl::default(), Duration::from_millis(500))
            .await
            .unwrap();
        assert_eq!(f.rule.name, "rabbitmq-unreachable");
        assert!(f.message.contains("did not answer"), "{}", f.message);
        assert!(start.elapsed() < Duration::from_millis(1500));
        keep.abort();
    }
}
