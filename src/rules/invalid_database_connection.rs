use super::{Context, Rule, RuleMeta, Variant};
use crate::finding::Finding;
use crate::model::views::database::{self, SqlUrl};
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
        let Some(e) = database::connection(ctx.config, ctx.catalogue()) else {
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
    let Some(m) = SqlUrl::parse(v) else {
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
    let name = m.name;
    let (dialect, driver) = (m.dialect(), m.driver());
    let host = m.host.map(|h| h.as_str()).unwrap_or("");

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
            Some((name.start, name.start + dialect.len())),
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
            Some((name.start + dialect.len() + 1, name.end)),
            UNUSABLE,
            format!("`{d}` is not an SQLAlchemy driver for {dialect}: Glance fails with `Can't load plugin: sqlalchemy.dialects:{dialect}.{d}`"),
            "unknown driver",
            format!("use one of: {}", known.join(", ")),
        )),
        None if dialect == "mysql" || dialect == "mariadb" => out.push(finding(
            e,
            Some((name.start, name.end)),
            LIKELY_WRONG,
            format!("`{dialect}://` loads the MySQLdb C driver (mysqlclient), which Glance does not install: `No module named 'MySQLdb'`"),
            "MySQLdb driver",
            format!("use the pure-Python driver of the install guide: `{dialect}+pymysql://`"),
        )),
        _ => {}
    }

    if let Some(port) = m.port.filter(|p| p.port().is_err()) {
        out.push(finding(
            e,
            Some(port.range()),
            UNUSABLE,
            format!(
                "port `{}` is not a number: SQLAlchemy cannot read the URL",
                port.as_str()
            ),
            "invalid port",
            "write the port as digits (MySQL: 3306), or leave it out".into(),
        ));
    }

    let database = m.database.map(|g| g.as_str()).unwrap_or("");
    if dialect == "sqlite" {
        let (msg, sev) = if database.is_empty() || database == ":memory:" {
            ("`sqlite://` without a file is an in-memory database: each worker has its own and the image catalogue vanishes at every restart", UNUSABLE)
        } else {
            ("SQLite keeps the image catalogue in one local file: not for production, and not shared between API workers or nodes", LIKELY_WRONG)
        };
        out.push(finding(
            e,
            Some((name.start, name.end)),
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

    if let Some(u) = m.username.filter(|u| u.as_str() == "root") {
        out.push(finding(
            e,
            Some(u.range()),
            LIKELY_WRONG,
            "Glance logs in to the database as `root`, with rights over every database on the server".into(),
            "root user",
            format!("create a `glance` user with rights on the `{}` database only and use it here", if database.is_empty() { "glance" } else { database }),
        ));
    }
}
