//! `[database] connection` read the way SQLAlchemy reads it: split once
//! into its parts, each with its byte range in the value (for findings), and
//! decoded into the typed URL the live database probe connects with. The one
//! SQLAlchemy URL parser: `invalid-database-connection` and the probe both
//! read the connection through [`SqlUrl`].

use super::{unquote, Part};
use crate::model::{EffectiveConfig, Entry};

/// `[database] connection`, or a deprecated name of it, when set.
pub fn connection<'a>(
    cfg: &'a EffectiveConfig,
    catalogue: &crate::schema::Catalogue,
) -> Option<&'a Entry> {
    super::effective(cfg, catalogue, "database", "connection")
}

/// SQLAlchemy's URL pattern (sqlalchemy/engine/url.py `_parse_url`), with the
/// dialect name (`[\w\+]+` there) checked by [`is_dialect_name`] instead.
/// Matched on bytes without Unicode classes: the same matches (every
/// delimiter is ASCII, so each group starts and ends on a character
/// boundary), and compiling the Unicode `[^:]`-style classes took longer than
/// linting a typical file.
fn url_re() -> &'static regex::bytes::Regex {
    static RE: std::sync::OnceLock<regex::bytes::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        regex::bytes::Regex::new(
            r"(?x-u)^
            (?P<name>[^:]+)://
            (?:
                (?P<username>[^:/]*)
                (?::(?P<password>[^@]*))?
            @)?
            (?:
                (?:
                    \[(?P<ipv6host>[^/\?]+)\] |
                    (?P<ipv4host>[^/:\?]+)
                )?
                (?::(?P<port>[^/\?]*))?
            )?
            (?:/(?P<database>[^\?]*))?
            (?:\?(?P<query>.*))?
            $",
        )
        .expect("static regex")
    })
}

/// Python's `[\w\+]+` (word characters are `str.isalnum()` and `_`).
fn is_dialect_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '+')
}

/// An SQLAlchemy URL, `dialect[+driver]://[user[:password]@][host][:port][/database][?query]`,
/// as written (nothing decoded).
#[derive(Debug, Clone)]
pub struct SqlUrl<'a> {
    /// `dialect[+driver]`.
    pub name: Part<'a>,
    pub username: Option<Part<'a>>,
    pub password: Option<Part<'a>>,
    /// The host, without the brackets of an IPv6 address.
    pub host: Option<Part<'a>>,
    pub port: Option<Part<'a>>,
    pub database: Option<Part<'a>>,
    pub query: Option<Part<'a>>,
}

impl<'a> SqlUrl<'a> {
    /// `None` when SQLAlchemy cannot parse `text` (`Could not parse SQLAlchemy URL`).
    pub fn parse(text: &'a str) -> Option<Self> {
        let caps = url_re().captures(text.as_bytes())?;
        let part = |group: &str| {
            caps.name(group)
                .map(|m| Part::new(text, m.start(), m.end()))
        };
        let name = part("name")?;
        if !is_dialect_name(name.text) {
            return None;
        }
        Some(SqlUrl {
            name,
            username: part("username"),
            password: part("password"),
            host: part("ipv4host").or(part("ipv6host")),
            port: part("port"),
            database: part("database"),
            query: part("query"),
        })
    }

    /// The dialect: `mysql` of `mysql+pymysql`.
    pub fn dialect(&self) -> &'a str {
        self.name
            .text
            .split_once('+')
            .map_or(self.name.text, |(d, _)| d)
    }

    /// The driver: `pymysql` of `mysql+pymysql`.
    pub fn driver(&self) -> Option<&'a str> {
        self.name.text.split_once('+').map(|(_, d)| d)
    }

    /// The URL as the driver gets it: user, password and database
    /// percent-decoded, the port a number. Err when the port is not one.
    pub fn decode(&self) -> Result<DbUrl, String> {
        let text = |p: Option<Part<'a>>| p.map(|p| p.text).unwrap_or("");
        let port = match self.port {
            Some(p) => p.port()?,
            None => None,
        };
        Ok(DbUrl {
            dialect: self.dialect().to_ascii_lowercase(),
            driver: self.driver().map(str::to_string),
            username: unquote(text(self.username)),
            password: unquote(text(self.password)),
            host: text(self.host).to_string(),
            port,
            database: unquote(text(self.database)),
            query: url::form_urlencoded::parse(text(self.query).as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        })
    }
}

/// A decoded SQLAlchemy URL (see [`SqlUrl::decode`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DbUrl {
    /// "mysql", "mariadb", "postgresql", "sqlite" ... (the part before `+driver`, lower-cased).
    pub dialect: String,
    pub driver: Option<String>,
    pub username: String,
    pub password: String,
    pub host: String,
    pub port: Option<u16>,
    pub database: String,
    pub query: Vec<(String, String)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_like_sqlalchemy() {
        let m =
            SqlUrl::parse("mysql+pymysql://glance:pw@controller:3306/glance?charset=utf8").unwrap();
        assert_eq!(m.name.as_str(), "mysql+pymysql");
        assert_eq!(m.username.unwrap().as_str(), "glance");
        assert_eq!(m.host.unwrap().as_str(), "controller");
        assert_eq!(m.port.unwrap().as_str(), "3306");
        assert_eq!(m.database.unwrap().as_str(), "glance");
        assert_eq!(m.query.unwrap().as_str(), "charset=utf8");
        let m = SqlUrl::parse("mysql://glance:p@ss@db/glance").unwrap();
        assert_eq!(m.host.unwrap().as_str(), "ss@db");
        let m = SqlUrl::parse("sqlite:////var/lib/glance/glance.sqlite").unwrap();
        assert_eq!(
            m.database.unwrap().as_str(),
            "/var/lib/glance/glance.sqlite"
        );
        assert!(SqlUrl::parse("controller/glance").is_none());
        // Non-ASCII text: groups still start and end on character boundaries.
        let m = SqlUrl::parse("mysql+pymysql://glänce:pä@contröller:33é/glänce").unwrap();
        assert_eq!(m.username.unwrap().as_str(), "glänce");
        assert_eq!(m.password.unwrap().as_str(), "pä");
        assert_eq!(m.host.unwrap().as_str(), "contröller");
        assert_eq!(m.port.unwrap().as_str(), "33é");
        assert_eq!(m.database.unwrap().as_str(), "glänce");
        let m = SqlUrl::parse("mysql://u@[::1]:3306/g").unwrap();
        assert_eq!(m.host.unwrap().as_str(), "::1");
    }
}
