//! `transport_url` read the way oslo.messaging's `TransportURL.parse` reads
//! it: the scheme, a comma-separated host list in the netloc (each host with
//! its own `user:password@`), the path minus its first `/` as the virtual
//! host. Split once, each part with its byte range in the value (for
//! findings), and decoded into the typed URL the live RabbitMQ probe connects
//! with. The one transport URL parser: `invalid-transport-url` and the probe
//! both read the URL through [`TransportUrl`].

use super::{unquote, Part};

/// A transport URL as written (nothing decoded).
#[derive(Debug, Clone)]
pub struct TransportUrl<'a> {
    /// Before `://`.
    pub scheme: Part<'a>,
    /// The host list: up to the first `/`, `?` or `#` (urllib's split).
    pub netloc: Part<'a>,
    /// Everything after the netloc: `/vhost?query#fragment`.
    pub tail: Part<'a>,
    /// The non-empty items of the host list, in order.
    pub hosts: Vec<HostItem<'a>>,
}

/// One item of the host list: `[user[:password]@]host[:port]`.
#[derive(Debug, Clone)]
pub struct HostItem<'a> {
    /// The whole item.
    pub item: Part<'a>,
    /// Before the last `@`, up to the first `:`.
    pub username: Option<Part<'a>>,
    pub password: Option<Part<'a>>,
    /// After the last `@`: `host[:port]` or `[v6]:port`.
    pub hostport: Part<'a>,
    /// The host (without IPv6 brackets); `None` when a `[` is not closed.
    pub host: Option<Part<'a>>,
    /// After the first `:` of the host (oslo.messaging splits there), or after `]:`.
    pub port: Option<Part<'a>>,
}

impl<'a> TransportUrl<'a> {
    /// `None` without `://` (oslo.messaging: `No scheme specified`).
    pub fn parse(text: &'a str) -> Option<Self> {
        let sep = text.find("://")?;
        let rest_start = sep + 3;
        let rest = &text[rest_start..];
        let netloc_len = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let mut hosts = Vec::new();
        let mut offset = rest_start;
        for item in rest[..netloc_len].split(',') {
            let item_start = offset;
            offset += item.len() + 1;
            if !item.is_empty() {
                hosts.push(HostItem::parse(text, item_start, item_start + item.len()));
            }
        }
        Some(TransportUrl {
            scheme: Part::new(text, 0, sep),
            netloc: Part::new(text, rest_start, rest_start + netloc_len),
            tail: Part::new(text, rest_start + netloc_len, text.len()),
            hosts,
        })
    }

    /// The driver oslo.messaging loads: the scheme before any `+`, lower-cased.
    pub fn driver(&self) -> String {
        let s = self.scheme.text;
        s.split('+').next().unwrap_or_default().to_ascii_lowercase()
    }

    /// The path without its first `/` and without query or fragment: the
    /// virtual host as written; `None` without a path.
    pub fn virtual_host(&self) -> Option<Part<'a>> {
        let path = self.tail.text.strip_prefix('/')?;
        let start = self.tail.start + 1;
        let len = path.find(['?', '#']).unwrap_or(path.len());
        Some(Part {
            start,
            end: start + len,
            text: &path[..len],
        })
    }

    /// The URL as oslo.messaging hands it to the driver: credentials and
    /// virtual host percent-decoded, ports numbers.
    pub fn decode(&self) -> Result<Transport, String> {
        if self.scheme.text.is_empty() {
            return Err("no scheme specified".into());
        }
        let hosts = self
            .hosts
            .iter()
            .map(HostItem::decode)
            .collect::<Result<_, _>>()?;
        Ok(Transport {
            transport: self.scheme.text.to_ascii_lowercase(),
            virtual_host: self.virtual_host().map(|v| unquote(v.text)),
            hosts,
        })
    }

    /// The still-encoded passwords of the hosts, as written.
    pub fn raw_passwords(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.hosts.iter().filter_map(|h| h.password.map(|p| p.text))
    }
}

impl<'a> HostItem<'a> {
    fn parse(text: &'a str, start: usize, end: usize) -> Self {
        let item = &text[start..end];
        let (username, password, host_start) = match item.rfind('@') {
            Some(at) => {
                let creds = &item[..at];
                match creds.find(':') {
                    Some(colon) => (
                        Some(Part::new(text, start, start + colon)),
                        Some(Part::new(text, start + colon + 1, start + at)),
                        start + at + 1,
                    ),
                    None => (
                        Some(Part::new(text, start, start + at)),
                        None,
                        start + at + 1,
                    ),
                }
            }
            None => (None, None, start),
        };
        let hostport = &text[host_start..end];
        let (host, port) = match hostport.strip_prefix('[') {
            Some(v6) => match v6.find(']') {
                Some(close) => {
                    let port = v6[close + 1..]
                        .starts_with(':')
                        .then(|| Part::new(text, host_start + close + 3, end));
                    (
                        Some(Part::new(text, host_start + 1, host_start + 1 + close)),
                        port,
                    )
                }
                None => (None, None),
            },
            None => match hostport.find(':') {
                Some(colon) => (
                    Some(Part::new(text, host_start, host_start + colon)),
                    Some(Part::new(text, host_start + colon + 1, end)),
                ),
                None => (Some(Part::new(text, host_start, end)), None),
            },
        };
        HostItem {
            item: Part::new(text, start, end),
            username,
            password,
            hostport: Part::new(text, host_start, end),
            host,
            port,
        }
    }

    fn decode(&self) -> Result<TransportHost, String> {
        let host = self
            .host
            .ok_or_else(|| "unclosed '[' in host".to_string())?;
        let port = match self.port {
            Some(p) => p.port()?,
            None => None,
        };
        Ok(TransportHost {
            host: host.text.to_string(),
            port,
            username: self.username.map(|u| unquote(u.text)),
            password: self.password.map(|p| unquote(p.text)),
        })
    }
}

/// A decoded transport URL (oslo.messaging's `TransportURL`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transport {
    /// The scheme, lower-cased.
    pub transport: String,
    /// oslo.messaging's `virtual_host`: the path without its leading '/', percent-decoded;
    /// `None` without a path.
    pub virtual_host: Option<String>,
    pub hosts: Vec<TransportHost>,
}

impl Transport {
    /// The vhost the rabbit driver opens: an absent or empty one is the default `/`
    /// (`rabbit://h:5672/` -> `/`, `rabbit://h:5672//` -> `/`, `rabbit://h/%2F` -> `/`,
    /// `rabbit://h/glance` -> `glance`).
    pub fn rabbit_vhost(&self) -> String {
        match self.virtual_host.as_deref() {
            None | Some("") => "/".to_string(),
            Some(v) => v.to_string(),
        }
    }
}

/// One host of a transport URL (oslo.messaging's TransportHost).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportHost {
    pub host: String,
    pub port: Option<u16>,
    pub username: Option<String>,
    pub password: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_with_their_ranges() {
        let v = "rabbit://u:p@h1:5672,,guest@[fd00::1]:5671/vh?x#y";
        let t = TransportUrl::parse(v).unwrap();
        assert_eq!(t.scheme.text, "rabbit");
        assert_eq!(t.netloc.text, "u:p@h1:5672,,guest@[fd00::1]:5671");
        assert_eq!(t.tail.text, "/vh?x#y");
        assert_eq!(t.virtual_host().unwrap().text, "vh");
        assert_eq!(t.hosts.len(), 2);
        let h = &t.hosts[0];
        assert_eq!(h.username.unwrap().text, "u");
        assert_eq!(h.password.unwrap().text, "p");
        assert_eq!(h.host.unwrap().text, "h1");
        assert_eq!(&v[h.port.unwrap().start..h.port.unwrap().end], "5672");
        let h = &t.hosts[1];
        assert_eq!(h.username.unwrap().text, "guest");
        assert!(h.password.is_none());
        assert_eq!(h.host.unwrap().text, "fd00::1");
        assert_eq!(h.port.unwrap().text, "5671");
        assert_eq!(t.raw_passwords().collect::<Vec<_>>(), ["p"]);
        assert!(TransportUrl::parse("controller:5672").is_none());
        let t = TransportUrl::parse("rabbit://[fd00::1/").unwrap();
        assert!(t.hosts[0].host.is_none());
        assert!(t.decode().is_err());
    }
}
