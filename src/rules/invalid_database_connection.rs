use super::{Context, Rule, RuleMeta, Variant};
use crate::finding::Finding;
use crate::model::Entry;

declare_rule! {
    /// ## What it does
    /// Reads `[database] connection` as SQLAlchemy does
    /// (`dialect+driver://user:password@host:port/database?query`) and checks
    /// the dialect and driver, the port, the database name, a password with an
    /// unencoded `@`, the MySQLdb driver implied by a bare `mysql://`, SQLite
    /// and the database `root` user. The password is never shown.
    ///
    /// ## Why is this bad?
    /// SQLAlchemy refuses a URL it cannot parse or whose dialect or driver it
    /// cannot load, and `glance-manage db_sync` and every API request fail.
    /// A bare `mysql://` asks for the MySQLdb C driver (mysqlclient), which
    /// Glance does not install: the install guide uses
    /// `mysql+pymysql://`. Without a database name the server accepts the
    /// login and then every query fails with `No database selected`. SQLite
    /// keeps the image catalogue in one local file that several API
    /// workers or nodes cannot share, and the MySQL `root` account gives
    /// Glance rights over every other service's database.
    ///
    /// ## Example
    /// ```ini
    /// [database]
    /// connection = mysql://root:s3cret@controller
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// [database]
    /// connection = mysql+pymysql://glance:s3cret@controller/glance
    /// ```
    pub struct InvalidDatabaseConnection {
        code: "GL211",
        name: "invalid-database-connection",
        severity: Error,
        variants: {
            LIKELY_WRONG: Warning when "Glance can use the URL but it is likely wrong or unsafe: the MySQLdb driver Glance does not install, a file SQLite database, the `root` user",
        },
        category: Consistency,
        summary: "[database] connection is not a usable SQLAlchemy URL for Glance",
    }
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

/// The groups of an SQLAlchemy URL, as text.
struct UrlParts<'a> {
    text: &'a str,
    caps: regex::bytes::Captures<'a>,
}

/// One group of [`UrlParts`]: its byte range in the value and its text.
#[derive(Clone, Copy)]
struct Part<'a> {
    start: usize,
    end: usize,
    text: &'a str,
}

impl<'a> Part<'a> {
    fn start(&self) -> usize {
        self.start
    }
    fn end(&self) -> usize {
        self.end
    }
    fn as_str(&self) -> &'a str {
        self.text
    }
}

impl<'a> UrlParts<'a> {
    fn parse(text: &'a str) -> Option<Self> {
        let caps = url_re().captures(text.as_bytes())?;
        Some(UrlParts { text, caps })
    }

    fn name(&self, group: &str) -> Option<Part<'a>> {
        let m = self.caps.name(group)?;
        Some(Part {
            start: m.start(),
            end: m.end(),
            text: &self.text[m.start()..m.end()],
        })
    }
}

impl std::ops::Index<&str> for UrlParts<'_> {
    type Output = str;
    fn index(&self, group: &str) -> &str {
        let m = &self.caps[group];
        let start = m.as_ptr() as usize - self.text.as_ptr() as usize;
        &self.text[start..start + m.len()]
    }
}

/// Python's `[\w\+]+` (word characters are `str.isalnum()` and `_`).
fn is_dialect_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '+')
}

/// SQLAlchemy's dialects and the drivers each one ships.
fn drivers(dialect: &str) -> Option<&'static [&'static str]> {
    Some(match dialect {
        "mysql" | "mariadb" => &[
            "mysqldb",
            "pymysql",
            "mysqlconnector",
            "mariadbconnector",
            "cymysql",
            "asyncmy",
            "aiomysql",
            "pyodbc",
        ],
        "postgresql" => &["psycopg2", "psycopg", "pg8000", "asyncpg", "psycopg2cffi"],
        "sqlite" => &["pysqlite", "aiosqlite", "pysqlcipher"],
        "oracle" => &["cx_oracle", "oracledb"],
        "mssql" => &["pyodbc", "pymssql", "aioodbc"],
        _ => return None,
    })
}

impl Rule for InvalidDatabaseConnection {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        let Some(e) = ctx.config.get("database", "connection") else {
            return;
        };
        check(e, out);
    }
}

/// The levels findings of this rule report at.
const UNUSABLE: &Variant = &InvalidDatabaseConnection::DEFAULT;
const LIKELY_WRONG: &Variant = &InvalidDatabaseConnection::LIKELY_WRONG;

fn finding(
    e: &Entry,
    range: Option<(usize, usize)>,
    level: &'static Variant,
    msg: String,
    label: &str,
    help: String,
) -> Finding {
    let f = Finding::new(&InvalidDatabaseConnection::META, msg)
        .label(label)
        .help(help);
    let f = match range {
        Some((s, end)) => f.on(e).at(e.value_subspan(s, end)),
        None => f.at_value(e),
    };
    f.variant(level)
}

fn check(e: &Entry, out: &mut Vec<Finding>) {
    let v = e.value.as_str();
    // Empty: not configured; `$` references: unresolved-interpolation's.
    if v.trim().is_empty() || v.contains('$') {
        return;
    }
    let captures = UrlParts::parse(v);
    let Some(m) = captures.filter(|m| is_dialect_name(&m["name"])) else {
        out.push(finding(
            e,
            None,
            UNUSABLE,
            "`connection` is not an SQLAlchemy URL: Glance fails with `Could not parse SQLAlchemy URL`".into(),
            "not a URL",
            "write it as `mysql+pymysql://glance:<password>@<host>/glance`".into(),
        ));
        return;
    };
    let range = |name: &str| m.name(name).map(|g| (g.start(), g.end()));
    let name = m.name("name").expect("required group");
    let (dialect, driver) = match name.as_str().split_once('+') {
        Some((d, dr)) => (d, Some(dr)),
        None => (name.as_str(), None),
    };
    let host = m
        .name("ipv4host")
        .or(m.name("ipv6host"))
        .map(|h| h.as_str())
        .unwrap_or("");

    if host.contains('@') {
        // The password holds an `@`: SQLAlchemy cut it at the first one.
        out.push(finding(
            e,
            None,
            UNUSABLE,
            "the password of `connection` contains an unencoded `@`: SQLAlchemy ends the password there and takes the rest as the host name".into(),
            "`@` inside the password",
            "percent-encode `@` in the password as `%40`".into(),
        ));
        return;
    }

    let Some(known) = drivers(dialect) else {
        let help = match dialect {
            "postgres" => {
                "SQLAlchemy 1.4 dropped the `postgres` alias: write `postgresql://`".to_string()
            }
            _ => "Glance uses `mysql+pymysql://` (MySQL, MariaDB)".to_string(),
        };
        out.push(finding(
            e,
            Some((name.start(), name.start() + dialect.len())),
            UNUSABLE,
            format!("SQLAlchemy has no `{dialect}` dialect: Glance fails with `Can't load plugin: sqlalchemy.dialects:{dialect}`"),
            "unknown dialect",
            help,
        ));
        return;
    };
    match driver {
        Some(d) if !known.contains(&d) => out.push(finding(
            e,
            Some((name.start() + dialect.len() + 1, name.end())),
            UNUSABLE,
            format!("`{d}` is not an SQLAlchemy driver for {dialect}: Glance fails with `Can't load plugin: sqlalchemy.dialects:{dialect}.{d}`"),
            "unknown driver",
            format!("use one of: {}", known.join(", ")),
        )),
        None if dialect == "mysql" || dialect == "mariadb" => out.push(finding(
            e,
            Some((name.start(), name.end())),
            LIKELY_WRONG,
            format!("`{dialect}://` loads the MySQLdb C driver (mysqlclient), which Glance does not install: `No module named 'MySQLdb'`"),
            "MySQLdb driver",
            format!("use the pure-Python driver of the install guide: `{dialect}+pymysql://`"),
        )),
        _ => {}
    }

    if let Some((ps, pe)) = range("port").filter(|(s, end)| s < end) {
        if v[ps..pe].parse::<u16>().is_err() {
            out.push(finding(
                e,
                Some((ps, pe)),
                UNUSABLE,
                format!(
                    "port `{}` is not a number: SQLAlchemy cannot read the URL",
                    &v[ps..pe]
                ),
                "invalid port",
                "write the port as digits (MySQL: 3306), or leave it out".into(),
            ));
        }
    }

    let database = m.name("database").map(|g| g.as_str()).unwrap_or("");
    if dialect == "sqlite" {
        let (msg, sev) = if database.is_empty() || database == ":memory:" {
            ("`sqlite://` without a file is an in-memory database: each worker has its own and the image catalogue vanishes at every restart", UNUSABLE)
        } else {
            ("SQLite keeps the image catalogue in one local file: not for production, and not shared between API workers or nodes", LIKELY_WRONG)
        };
        out.push(finding(
            e,
            Some((name.start(), name.end())),
            sev,
            msg.into(),
            "sqlite",
            "use MySQL or MariaDB: `mysql+pymysql://glance:<password>@<host>/glance`".into(),
        ));
        return;
    }

    if database.is_empty() {
        out.push(finding(
            e,
            None,
            UNUSABLE,
            "`connection` names no database: the server accepts the login, then every query fails with `No database selected`".into(),
            "database name missing",
            format!("add the database after the host: `.../glance`{}", if host.is_empty() { String::new() } else { format!(" (`@{host}/glance`)") }),
        ));
    }

    if let Some(u) = m.name("username").filter(|u| u.as_str() == "root") {
        out.push(finding(
            e,
            Some((u.start(), u.end())),
            LIKELY_WRONG,
            "Glance logs in to the database as `root`, with rights over every database on the server".into(),
            "root user",
            format!("create a `glance` user with rights on the `{}` database only and use it here", if database.is_empty() { "glance" } else { database }),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::UrlParts;

    #[test]
    fn parses_like_sqlalchemy() {
        let m = UrlParts::parse("mysql+pymysql://glance:pw@controller:3306/glance?charset=utf8")
            .unwrap();
        assert_eq!(&m["name"], "mysql+pymysql");
        assert_eq!(&m["username"], "glance");
        assert_eq!(&m["ipv4host"], "controller");
        assert_eq!(&m["port"], "3306");
        assert_eq!(&m["database"], "glance");
        assert_eq!(&m["query"], "charset=utf8");
        let m = UrlParts::parse("mysql://glance:p@ss@db/glance").unwrap();
        assert_eq!(&m["ipv4host"], "ss@db");
        let m = UrlParts::parse("sqlite:////var/lib/glance/glance.sqlite").unwrap();
        assert_eq!(&m["database"], "/var/lib/glance/glance.sqlite");
        assert!(UrlParts::parse("controller/glance").is_none());
        // Non-ASCII text: groups still start and end on character boundaries.
        let m = UrlParts::parse("mysql+pymysql://glänce:pä@contröller:33é/glänce").unwrap();
        assert_eq!(&m["username"], "glänce");
        assert_eq!(&m["password"], "pä");
        assert_eq!(&m["ipv4host"], "contröller");
        assert_eq!(&m["port"], "33é");
        assert_eq!(m.name("database").unwrap().as_str(), "glänce");
    }
}
