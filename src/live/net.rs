//! Shared helpers for the live probes: name resolution and TCP connect with a deadline, and a
//! classification of network failures that names the host and port (DNS failure, refused,
//! timeout, TLS failure, reset) without ever echoing a URL or a password.

use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpStream;
use tokio_rustls::rustls;

/// Why a service could not be reached (before any authentication happened).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NetError {
    /// The host name does not resolve.
    Dns(String),
    /// Nothing listens on the port (TCP RST).
    Refused,
    /// No answer within the deadline (connect, or a server that accepts and stays silent).
    Timeout(Duration),
    /// The TLS handshake failed (certificate, protocol, or a plain-text port).
    Tls(String),
    /// The server closed or reset the connection.
    Closed(String),
    /// It answered, but not with the expected protocol.
    Protocol(String),
    /// Anything else (a local file that cannot be read, an unreachable network ...).
    Other(String),
}

impl NetError {
    /// Short, fixed label of the failure class (used in messages and tests).
    pub fn kind(&self) -> &'static str {
        match self {
            NetError::Dns(_) => "dns",
            NetError::Refused => "refused",
            NetError::Timeout(_) => "timeout",
            NetError::Tls(_) => "tls",
            NetError::Closed(_) => "closed",
            NetError::Protocol(_) => "protocol",
            NetError::Other(_) => "other",
        }
    }

    /// A sentence about `what` (e.g. "RabbitMQ") at `host:port`.
    pub fn describe(&self, what: &str, host: &str, port: u16) -> String {
        let hp = host_port(host, port);
        match self {
            NetError::Dns(d) => format!("{what} host '{host}' does not resolve (DNS failure: {d})"),
            NetError::Refused => {
                format!("{what} at {hp} refused the connection (nothing listens on that port)")
            }
            NetError::Timeout(t) => format!("{what} at {hp} did not answer within {}", secs(*t)),
            NetError::Tls(d) if d.contains("InvalidContentType") => format!(
                "TLS handshake with {what} at {hp} failed: {d} (that port answers in plain text, not TLS)"
            ),
            NetError::Tls(d) => format!("TLS handshake with {what} at {hp} failed: {d}"),
            NetError::Closed(d) => format!("{what} at {hp} closed the connection: {d}"),
            NetError::Protocol(d) => format!("{hp} does not speak the {what} protocol: {d}"),
            NetError::Other(d) => format!("cannot reach {what} at {hp}: {d}"),
        }
    }
}

impl fmt::Display for NetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NetError::Dns(d) => write!(f, "DNS failure: {d}"),
            NetError::Refused => write!(f, "connection refused"),
            NetError::Timeout(t) => write!(f, "no answer within {}", secs(*t)),
            NetError::Tls(d) => write!(f, "TLS failure: {d}"),
            NetError::Closed(d) => write!(f, "connection closed: {d}"),
            NetError::Protocol(d) => write!(f, "protocol error: {d}"),
            NetError::Other(d) => write!(f, "{d}"),
        }
    }
}

/// "1.5 s", "5 s".
pub fn secs(d: Duration) -> String {
    let s = d.as_secs_f64();
    if (s - s.round()).abs() < 1e-9 {
        format!("{} s", s.round() as u64)
    } else {
        format!("{s:.1} s")
    }
}

/// `host:port`, with brackets around an IPv6 literal.
/// `host`, `host:port`, `[v6]` or `[v6]:port` as written in a URL or a server
/// list: the host and the port, if one is given. A bare IPv6 literal (several
/// colons, no brackets) has no port.
pub fn split_host_port(s: &str) -> Result<(String, Option<u16>), String> {
    let (host, port) = if let Some(r) = s.strip_prefix('[') {
        let (h, tail) = r.split_once(']').ok_or("unclosed '[' in host")?;
        match tail.strip_prefix(':') {
            Some(p) => (h, p),
            None if tail.is_empty() => (h, ""),
            None => return Err(format!("unexpected '{tail}' after ']'")),
        }
    } else {
        match s.rsplit_once(':') {
            Some((h, p)) if !h.contains(':') => (h, p),
            _ => (s, ""),
        }
    };
    let port = match port {
        "" => None,
        p => Some(p.parse::<u16>().map_err(|_| format!("bad port '{p}'"))?),
    };
    Ok((host.to_string(), port))
}

pub fn host_port(host: &str, port: u16) -> String {
    if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// Classify an I/O error from connect/read/write.
pub fn classify_io(e: &io::Error, timeout: Duration) -> NetError {
    use io::ErrorKind as K;
    match e.kind() {
        K::ConnectionRefused => NetError::Refused,
        K::TimedOut | K::WouldBlock => NetError::Timeout(timeout),
        K::ConnectionReset | K::ConnectionAborted | K::BrokenPipe | K::UnexpectedEof => {
            NetError::Closed(short_io(e))
        }
        _ => {
            let s = e.to_string();
            if looks_like_dns(&s) {
                // "failed to lookup address information: Name or service not known" -> the libc part
                NetError::Dns(dns_reason(e))
            } else if let Some(t) = e.get_ref().and_then(|i| find_tls_error(i)) {
                NetError::Tls(t)
            } else {
                NetError::Other(s)
            }
        }
    }
}

/// A rustls error anywhere in the chain, looking inside io::Error wrappers too (their
/// `source()` skips the wrapped error itself).
pub fn find_tls_error(e: &(dyn std::error::Error + 'static)) -> Option<String> {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(c) = cur {
        if let Some(t) = c.downcast_ref::<rustls::Error>() {
            return Some(t.to_string());
        }
        if let Some(io) = c.downcast_ref::<io::Error>() {
            if let Some(inner) = io.get_ref() {
                if let Some(t) = find_tls_error(inner) {
                    return Some(t);
                }
            }
        }
        cur = c.source();
    }
    None
}

fn short_io(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::UnexpectedEof => "end of stream before the expected answer".to_string(),
        io::ErrorKind::ConnectionReset => "connection reset by peer".to_string(),
        _ => e.to_string(),
    }
}

/// True for the messages getaddrinfo failures produce.
pub fn looks_like_dns(s: &str) -> bool {
    let s = s.to_ascii_lowercase();
    s.contains("failed to lookup address")
        || s.contains("name or service not known")
        || s.contains("no address associated")
        || s.contains("temporary failure in name resolution")
        || s.contains("dns error")
        || s.contains("nodename nor servname")
}

/// Resolve `host:port` within `timeout`. An IP literal never touches DNS.
pub async fn resolve(
    host: &str,
    port: u16,
    timeout: Duration,
) -> Result<Vec<SocketAddr>, NetError> {
    let h = host.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = h.parse::<std::net::IpAddr>() {
        return Ok(vec![SocketAddr::new(ip, port)]);
    }
    match tokio::time::timeout(timeout, tokio::net::lookup_host((h, port))).await {
        Err(_) => Err(NetError::Timeout(timeout)),
        Ok(Err(e)) => Err(NetError::Dns(dns_reason(&e))),
        Ok(Ok(it)) => {
            let v: Vec<SocketAddr> = it.collect();
            if v.is_empty() {
                Err(NetError::Dns("no address".into()))
            } else {
                Ok(v)
            }
        }
    }
}

fn dns_reason(e: &io::Error) -> String {
    let s = e.to_string();
    // "failed to lookup address information: Name or service not known" -> keep the libc part
    match s.split_once(": ") {
        Some((_, tail)) if !tail.is_empty() => tail.to_string(),
        _ => s,
    }
}

/// Resolve, then connect to the first address that accepts, everything within `timeout`.
pub async fn connect(host: &str, port: u16, timeout: Duration) -> Result<TcpStream, NetError> {
    let deadline = tokio::time::Instant::now() + timeout;
    let addrs = resolve(host, port, timeout).await?;
    let mut last = NetError::Refused;
    for a in addrs {
        match tokio::time::timeout_at(deadline, TcpStream::connect(a)).await {
            Err(_) => return Err(NetError::Timeout(timeout)),
            Ok(Ok(s)) => {
                let _ = s.set_nodelay(true);
                return Ok(s);
            }
            Ok(Err(e)) => last = classify_io(&e, timeout),
        }
    }
    Err(last)
}

/// A rustls client config: roots from `ca_file` (else the system store, else webpki roots),
/// an optional client certificate, and `insecure` = no verification at all.
pub fn tls_config(
    ca_file: Option<&str>,
    cert_file: Option<&str>,
    key_file: Option<&str>,
    insecure: bool,
) -> Result<rustls::ClientConfig, String> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};

    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?;
    let builder = if insecure {
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(NoVerify(provider)))
    } else {
        let mut roots = rustls::RootCertStore::empty();
        if let Some(ca) = ca_file {
            let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(ca)
                .map_err(|e| format!("cannot read CA file {ca}: {e}"))?
                .collect::<Result<_, _>>()
                .map_err(|e| format!("cannot parse CA file {ca}: {e}"))?;
            if certs.is_empty() {
                return Err(format!("CA file {ca} holds no PEM certificate"));
            }
            for c in certs {
                roots
                    .add(c)
                    .map_err(|e| format!("bad certificate in CA file {ca}: {e}"))?;
            }
        } else {
            let native = rustls_native_certs::load_native_certs();
            for c in native.certs {
                let _ = roots.add(c);
            }
            if roots.is_empty() {
                roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
            }
        }
        builder.with_root_certificates(roots)
    };
    match (cert_file, key_file) {
        (Some(cert), key) => {
            let key = key.unwrap_or(cert);
            let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
                .map_err(|e| format!("cannot read certificate file {cert}: {e}"))?
                .collect::<Result<_, _>>()
                .map_err(|e| format!("cannot parse certificate file {cert}: {e}"))?;
            let k = PrivateKeyDer::from_pem_file(key)
                .map_err(|e| format!("cannot read private key file {key}: {e}"))?;
            builder
                .with_client_auth_cert(chain, k)
                .map_err(|e| format!("client certificate {cert} unusable: {e}"))
        }
        (None, _) => Ok(builder.with_no_client_auth()),
    }
}

/// Certificate verifier for `insecure = true`: accepts anything (signatures still checked).
#[derive(Debug)]
struct NoVerify(Arc<rustls::crypto::CryptoProvider>);

impl rustls::client::danger::ServerCertVerifier for NoVerify {
    fn verify_server_cert(
        &self,
        _end_entity: &rustls::pki_types::CertificateDer<'_>,
        _intermediates: &[rustls::pki_types::CertificateDer<'_>],
        _server_name: &rustls::pki_types::ServerName<'_>,
        _ocsp: &[u8],
        _now: rustls::pki_types::UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        Ok(rustls::client::danger::ServerCertVerified::assertion())
    }
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }
    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }
    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// Replace every secret (and the password part of any `scheme://user:pass@` URL) with `***`.
pub fn redact(text: &str, secrets: &[String]) -> String {
    let mut out = scrub_url_passwords(text);
    let mut sorted: Vec<&String> = secrets.iter().filter(|s| s.len() >= 3).collect();
    sorted.sort_by_key(|s| std::cmp::Reverse(s.len()));
    for s in sorted {
        if out.contains(s.as_str()) {
            out = out.replace(s.as_str(), "***");
        }
    }
    out
}

/// `rabbit://u:secret@h:5672,u2:other@h2/` -> `rabbit://u:***@h:5672,u2:***@h2/`:
/// the URL passwords the redactor finds (one scanner for both).
pub fn scrub_url_passwords(text: &str) -> String {
    let mut out = text.to_string();
    for (s, e) in crate::model::url_secrets::url_secret_ranges(text)
        .into_iter()
        .rev()
    {
        out.replace_range(s..e, "***");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_and_port() {
        let ok = |s: &str| split_host_port(s).unwrap();
        assert_eq!(ok("db"), ("db".into(), None));
        assert_eq!(ok("db:3307"), ("db".into(), Some(3307)));
        assert_eq!(ok("[::1]:5672"), ("::1".into(), Some(5672)));
        assert_eq!(ok("[::1]"), ("::1".into(), None));
        assert_eq!(ok("::1"), ("::1".into(), None));
        assert!(split_host_port("db:x").is_err());
        assert!(split_host_port("[::1").is_err());
        assert!(split_host_port("[::1]x").is_err());
    }
}
