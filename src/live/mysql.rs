//! Database probe: log in with `[database] connection` (a SQLAlchemy URL) and read
//! `alembic_version` (a SELECT; nothing is written).

use std::time::Duration;

use mysql_async::prelude::Queryable;

use crate::live::net::{self, NetError};
use crate::live::{boxed, glance_schema, LiveFinding, Probe, ProbeKind, Target};
use crate::model::views::database::{self, SqlUrl};
use crate::model::{EffectiveConfig, Entry};
use crate::rules::live as rule;

const SECTION: &str = "database";
const OPTION: &str = "connection";

/// The database probe: `[database] connection` (or a deprecated name of it).
pub static PROBE: ProbeKind = ProbeKind {
    name: "database",
    rules: &[
        &rule::DatabaseUnreachable::META,
        &rule::DatabaseAuthFailed::META,
        &rule::DatabaseMissing::META,
        &rule::DatabaseNotSynced::META,
    ],
    plan: |config, env| {
        boxed(target(config, env.catalogue).map(|t| ConnectionTarget {
            contract_head: env.schema.contract_head,
            ..t
        }))
    },
};

/// The connection URL to probe and the assignment it came from.
pub struct ConnectionTarget<'a> {
    /// The raw SQLAlchemy URL, trimmed.
    pub url: String,
    pub entry: &'a Entry,
    /// The contract head `glance-manage db_sync` of the release linted
    /// leaves (the newest release's unless the plan says otherwise).
    pub contract_head: &'static str,
}

/// `[database] connection`, when set and not empty.
pub fn target<'a>(
    config: &'a EffectiveConfig,
    catalogue: &crate::schema::Catalogue,
) -> Option<ConnectionTarget<'a>> {
    let entry = database::connection(config, catalogue)?;
    let url = entry.value.trim();
    (!url.is_empty()).then(|| ConnectionTarget {
        url: url.to_string(),
        entry,
        contract_head: glance_schema::newest().contract_head,
    })
}

/// The secrets of a connection URL as written: its password, decoded and
/// not, and with an unencoded `@` the whole intended password (SQLAlchemy
/// ends the password at the first `@`, the user meant up to the host's last).
pub(crate) fn url_secrets(raw: &str) -> Vec<String> {
    let Some(url) = SqlUrl::parse(raw) else {
        return Vec::new();
    };
    let mut v: Vec<String> = url
        .password
        .map(|p| p.text.to_string())
        .into_iter()
        .collect();
    v.extend(url.decode().map(|d| d.password));
    if let (Some(p), Some(h)) = (url.password, url.host) {
        if let Some(at) = h.text.rfind('@') {
            v.push(raw[p.start..h.start + at].to_string());
        }
    }
    v
}

impl Target for ConnectionTarget<'_> {
    fn checks(&self, timeout: Duration) -> Vec<Probe<'_>> {
        probes(&self.url, timeout, self.contract_head)
    }

    fn secrets(&self) -> Vec<String> {
        url_secrets(&self.url)
    }

    fn origin(&self, section: &str, option: &str) -> Option<&Entry> {
        (section == SECTION && option == OPTION).then_some(self.entry)
    }
}

pub use crate::model::views::database::DbUrl;

/// Parse `dialect[+driver]://[user[:password]@][host][:port][/database][?query]` with the
/// model's SQLAlchemy URL view (user, password and database percent-decoded; a password ends
/// at the first '@').
pub fn parse_sqlalchemy_url(url: &str) -> Result<DbUrl, String> {
    SqlUrl::parse(url.trim())
        .ok_or_else(|| "not a SQLAlchemy URL".to_string())?
        .decode()
}

/// The URL, when it is one the probes connect to: MySQL/MariaDB over TCP without TLS options.
pub(crate) fn probed_url(url: &str) -> Option<DbUrl> {
    // invalid-database-connection is a static finding
    let u = parse_sqlalchemy_url(url).ok()?;
    if !matches!(u.dialect.as_str(), "mysql" | "mariadb") {
        return None; // only MySQL/MariaDB are probed
    }
    if u.query
        .iter()
        .any(|(k, _)| k.starts_with("ssl") || k == "unix_socket")
    {
        return None; // TLS or a unix socket: not probed (no TLS client built in)
    }
    Some(u)
}

/// A connection to the URL's database for the probes that read more than the database probe
/// (grants, tables); `None` on any failure, which the database probe reports.
pub(crate) async fn connect(
    u: &DbUrl,
    deadline: tokio::time::Instant,
) -> Option<mysql_async::Conn> {
    let host = if u.host.is_empty() {
        "localhost"
    } else {
        u.host.as_str()
    };
    let port = u.port.unwrap_or(3306);
    let timeout = deadline.saturating_duration_since(tokio::time::Instant::now());
    let addrs = net::resolve(host, port, timeout).await.ok()?;
    let opts = mysql_async::OptsBuilder::default()
        .ip_or_hostname(addrs[0].ip().to_string())
        .tcp_port(port)
        .user(Some(u.username.clone()))
        .pass(Some(u.password.clone()))
        .db_name((!u.database.is_empty()).then(|| u.database.clone()))
        .prefer_socket(false)
        .stmt_cache_size(0);
    tokio::time::timeout_at(deadline, mysql_async::Conn::new(opts))
        .await
        .ok()?
        .ok()
}

pub(crate) fn probes(url: &str, timeout: Duration, head: &'static str) -> Vec<Probe<'static>> {
    let Some(u) = probed_url(url) else {
        return Vec::new();
    };
    let host = if u.host.is_empty() {
        "localhost".to_string()
    } else {
        u.host.clone()
    };
    let port = u.port.unwrap_or(3306);
    let on_timeout = unreachable(&host, port, &NetError::Timeout(timeout));
    vec![Probe {
        fut: Box::pin(async move { probe(&u, timeout, head).await.into_iter().collect() }),
        on_timeout,
    }]
}

fn unreachable(host: &str, port: u16, e: &NetError) -> LiveFinding {
    LiveFinding::new(
        &rule::DatabaseUnreachable::META,
        SECTION,
        OPTION,
        e.describe("MySQL/MariaDB", host, port),
        format!(
            "check the host and port in [database] connection and that the database server listens on {} and lets this host in",
            net::host_port(host, port)
        ),
    )
}

/// Log in and check the schema version; `None` when everything is as Glance needs it.
pub async fn probe(u: &DbUrl, timeout: Duration, head: &str) -> Option<LiveFinding> {
    let host = if u.host.is_empty() {
        "localhost"
    } else {
        u.host.as_str()
    };
    let port = u.port.unwrap_or(3306);
    let hp = net::host_port(host, port);
    let deadline = tokio::time::Instant::now() + timeout;
    // Resolve ourselves: a clean DNS verdict, and the credentials go to that address only.
    let addrs = match net::resolve(host, port, timeout).await {
        Ok(a) => a,
        Err(e) => return Some(unreachable(host, port, &e)),
    };
    let ip = addrs[0].ip().to_string();
    let opts = mysql_async::OptsBuilder::default()
        .ip_or_hostname(ip)
        .tcp_port(port)
        .user(Some(u.username.clone()))
        .pass(Some(u.password.clone()))
        .db_name(if u.database.is_empty() {
            None
        } else {
            Some(u.database.clone())
        })
        .prefer_socket(false)
        .stmt_cache_size(0);
    let user = &u.username;
    let db = &u.database;
    let conn = match tokio::time::timeout_at(deadline, mysql_async::Conn::new(opts)).await {
        Err(_) => return Some(unreachable(host, port, &NetError::Timeout(timeout))),
        Ok(Ok(c)) => c,
        Ok(Err(e)) => return Some(login_error(&e, host, port, user, db, timeout)),
    };
    if u.database.is_empty() {
        let _ = tokio::time::timeout_at(deadline, conn.disconnect()).await;
        return None;
    }
    let mut conn = conn;
    let rows: Result<Vec<String>, mysql_async::Error> = match tokio::time::timeout_at(
        deadline,
        conn.query::<String, _>("SELECT version_num FROM alembic_version"),
    )
    .await
    {
        Err(_) => return Some(unreachable(host, port, &NetError::Timeout(timeout))),
        Ok(r) => r,
    };
    let _ = tokio::time::timeout_at(deadline, conn.disconnect()).await;
    let not_synced = |why: String| {
        Some(LiveFinding::new(
            &rule::DatabaseNotSynced::META,
            SECTION,
            OPTION,
            format!("database '{db}' at {hp}: {why}"),
            "run `glance-manage db_sync` (or `glance-manage db expand && glance-manage db migrate && glance-manage db contract`) against this database",
        ))
    };
    match rows {
        Ok(rows) => match schema_state(&rows, head) {
            SchemaState::Current => None,
            SchemaState::Empty => not_synced("table alembic_version is empty: db_sync never completed".into()),
            SchemaState::ContractPending => not_synced(format!(
                "the expand migrations ran ({}) but the contract migrations did not (Glance expects {head})",
                rows.join(", ")
            )),
            SchemaState::Old => not_synced(format!(
                "the schema is at {} but this Glance expects {head}",
                rows.join(", ")
            )),
        },
        Err(mysql_async::Error::Server(e)) if e.code == 1146 => {
            not_synced("there is no table alembic_version: `glance-manage db_sync` never ran on it".into())
        }
        Err(e) => Some(login_error(&e, host, port, user, db, timeout)),
    }
}

/// What `alembic_version` says about the schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaState {
    Current,
    Empty,
    ContractPending,
    Old,
}

/// Releases whose migrations are named after them (`wallaby_contract01`),
/// as (year, half): their order among the `YYYY_N_` ones.
const NAMED_RELEASES: [(&str, (u32, u32)); 12] = [
    ("mitaka", (2016, 1)),
    ("newton", (2016, 2)),
    ("ocata", (2017, 1)),
    ("pike", (2017, 2)),
    ("queens", (2018, 1)),
    ("rocky", (2018, 2)),
    ("stein", (2019, 1)),
    ("train", (2019, 2)),
    ("ussuri", (2020, 1)),
    ("victoria", (2020, 2)),
    ("wallaby", (2021, 1)),
    ("zed", (2022, 2)),
];

/// Parse `YYYY_N_(expand|contract)NN`, or a named release's
/// `wallaby_contract01` (ordered by [`NAMED_RELEASES`]).
fn release_of(v: &str) -> Option<(u32, u32, bool)> {
    let mut it = v.splitn(3, '_');
    let first = it.next()?;
    if let Some((_, at)) = NAMED_RELEASES.iter().find(|(name, _)| *name == first) {
        let tail = v[first.len()..].trim_start_matches('_');
        return Some((at.0, at.1, tail.starts_with("contract")));
    }
    let year = first.parse().ok()?;
    let n = it.next()?.parse().ok()?;
    let tail = it.next()?;
    Some((year, n, tail.starts_with("contract")))
}

/// Current iff a contract head of the release's (`head`) or newer is
/// recorded (glance-manage db check's logic).
pub fn schema_state(rows: &[String], head: &str) -> SchemaState {
    if rows.is_empty() {
        return SchemaState::Empty;
    }
    let Some(head) = release_of(head) else {
        return SchemaState::Current; // a head we cannot order: say nothing
    };
    let newest_contract = rows
        .iter()
        .filter_map(|r| release_of(r))
        .filter(|r| r.2)
        .map(|r| (r.0, r.1))
        .max();
    let newest_expand = rows
        .iter()
        .filter_map(|r| release_of(r))
        .filter(|r| !r.2)
        .map(|r| (r.0, r.1))
        .max();
    match (newest_contract, newest_expand) {
        (Some(c), _) if c >= (head.0, head.1) => SchemaState::Current,
        (_, Some(e)) if e >= (head.0, head.1) => SchemaState::ContractPending,
        _ => SchemaState::Old,
    }
}

fn login_error(
    e: &mysql_async::Error,
    host: &str,
    port: u16,
    user: &str,
    db: &str,
    timeout: Duration,
) -> LiveFinding {
    let hp = net::host_port(host, port);
    match e {
        mysql_async::Error::Server(se) => match se.code {
            1045 | 1698 => LiveFinding::new(
                &rule::DatabaseAuthFailed::META,
                SECTION,
                OPTION,
                format!(
                    "MySQL/MariaDB at {hp} refused the login of user '{user}' (error {}: access denied): wrong password or unknown user",
                    se.code
                ),
                format!(
                    "set the password of '{user}' in [database] connection to the one the database server has (GRANT ... IDENTIFIED BY), percent-encoding special characters"
                ),
            ),
            1130 => LiveFinding::new(
                &rule::DatabaseAuthFailed::META,
                SECTION,
                OPTION,
                format!("MySQL/MariaDB at {hp} does not let user '{user}' connect from this host (error 1130)"),
                format!("create the account for this host too, e.g. GRANT ALL PRIVILEGES ON {db}.* TO '{user}'@'%'"),
            ),
            1044 | 1049 => LiveFinding::new(
                &rule::DatabaseMissing::META,
                SECTION,
                OPTION,
                if se.code == 1049 {
                    format!("database '{db}' does not exist on {hp} (error 1049)")
                } else {
                    format!(
                        "database '{db}' on {hp} does not exist or user '{user}' has no privileges on it (error 1044: access denied to database)"
                    )
                },
                format!(
                    "create it and grant access: CREATE DATABASE {db}; GRANT ALL PRIVILEGES ON {db}.* TO '{user}'@'%'; or fix the database name in [database] connection"
                ),
            ),
            code => unreachable(
                host,
                port,
                &NetError::Protocol(format!("server error {code} ({})", se.state)),
            ),
        },
        mysql_async::Error::Io(mysql_async::IoError::Io(ioe)) => unreachable(host, port, &net::classify_io(ioe, timeout)),
        mysql_async::Error::Driver(d) => unreachable(host, port, &NetError::Protocol(d.to_string())),
        other => unreachable(host, port, &NetError::Other(net::scrub_url_passwords(&other.to_string()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pymysql_url() {
        let u = parse_sqlalchemy_url(
            "mysql+pymysql://glance:GLANCE_DBPASS@controller:3307/glance?charset=utf8",
        )
        .unwrap();
        assert_eq!(u.dialect, "mysql");
        assert_eq!(u.driver.as_deref(), Some("pymysql"));
        assert_eq!(u.username, "glance");
        assert_eq!(u.password, "GLANCE_DBPASS");
        assert_eq!(u.host, "controller");
        assert_eq!(u.port, Some(3307));
        assert_eq!(u.database, "glance");
        assert_eq!(u.query, vec![("charset".to_string(), "utf8".to_string())]);
    }

    #[test]
    fn encoded_password_and_defaults() {
        let u = parse_sqlalchemy_url("mysql://glance:p%40ss%2Fw@db.example/glance").unwrap();
        assert_eq!(u.password, "p@ss/w");
        assert_eq!(u.port, None);
        let u = parse_sqlalchemy_url("mysql+pymysql://glance:pa/ss@[::1]:3306/g").unwrap();
        assert_eq!(u.password, "pa/ss");
        assert_eq!(u.host, "::1");
        assert_eq!(u.database, "g");
        let u = parse_sqlalchemy_url("sqlite:////var/lib/glance/glance.sqlite").unwrap();
        assert_eq!(u.dialect, "sqlite");
        assert_eq!(u.host, "");
        let u = parse_sqlalchemy_url("mysql://root@localhost/glance").unwrap();
        assert_eq!((u.username.as_str(), u.password.as_str()), ("root", ""));
        assert!(parse_sqlalchemy_url("glance").is_err());
        assert!(parse_sqlalchemy_url("mysql://u:p@h:99999/g").is_err());
    }

    /// Every database target (this probe's, the grants' and the tables')
    /// masks the whole intended password, also with an unencoded `@`.
    #[test]
    fn every_database_target_masks_the_whole_password() {
        let sources = [crate::source::SourceFile::from_text(
            "t.conf",
            "[database]\nconnection = mysql+pymysql://glance:p@ss9w@db/glance\n",
        )];
        let config = crate::effective_config(&sources);
        let env = crate::live::PlanEnv::new(crate::schema::catalogue());
        for kind in [
            &PROBE,
            &crate::live::grants::PROBE,
            &crate::live::tables::PROBE,
        ] {
            let targets = (kind.plan)(&config, &env);
            assert_eq!(targets.len(), 1, "{}", kind.name);
            let secrets = targets[0].secrets();
            assert!(
                secrets.iter().any(|s| s == "p@ss9w"),
                "{}: {secrets:?}",
                kind.name
            );
        }
    }

    #[test]
    fn schema_states() {
        let s = |v: &[&str]| {
            schema_state(
                &v.iter().map(|x| x.to_string()).collect::<Vec<_>>(),
                "2024_1_contract01",
            )
        };
        assert_eq!(s(&["2024_1_contract01"]), SchemaState::Current);
        assert_eq!(s(&["2025_2_contract01"]), SchemaState::Current);
        assert_eq!(s(&["2024_1_expand01"]), SchemaState::ContractPending);
        assert_eq!(
            s(&["2024_1_expand01", "2023_1_contract01"]),
            SchemaState::ContractPending
        );
        assert_eq!(s(&["2023_1_contract01"]), SchemaState::Old);
        assert_eq!(s(&["zed_contract01"]), SchemaState::Old);
        assert_eq!(s(&[]), SchemaState::Empty);
        // The release linted decides the head: a 2023.1 database is current
        // for 2023.1 and 2023.2, and old for 2024.1.
        let rows = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let antelope = rows(&["2023_1_contract01"]);
        assert_eq!(
            schema_state(&antelope, "2023_1_contract01"),
            SchemaState::Current
        );
        assert_eq!(
            schema_state(&antelope, "2024_1_contract01"),
            SchemaState::Old
        );
        let wallaby = rows(&["wallaby_contract01"]);
        assert_eq!(
            schema_state(&wallaby, "wallaby_contract01"),
            SchemaState::Current
        );
        assert_eq!(
            schema_state(&wallaby, "2023_1_contract01"),
            SchemaState::Old
        );
        assert_eq!(
            schema_state(&antelope, "wallaby_contract01"),
            SchemaState::Current
        );
        assert_eq!(
            schema_state(&rows(&["ussuri_contract01"]), "wallaby_contract01"),
            SchemaState::Old
        );
        // Every release's head orders.
        for schema in crate::live::glance_schema::SCHEMAS {
            assert!(
                release_of(schema.contract_head).is_some(),
                "{}",
                schema.contract_head
            );
        }
    }

    #[test]
    fn non_mysql_is_not_probed() {
        assert!(probes(
            "sqlite:///x.db",
            Duration::from_secs(1),
            "2024_1_contract01"
        )
        .is_empty());
        assert!(probes(
            "postgresql://u:p@h/g",
            Duration::from_secs(1),
            "2024_1_contract01"
        )
        .is_empty());
        assert_eq!(
            probes(
                "mysql+pymysql://u:p@h/g",
                Duration::from_secs(1),
                "2024_1_contract01"
            )
            .len(),
            1
        );
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
        let u = parse_sqlalchemy_url(&format!(
            "mysql+pymysql://glance:pw@127.0.0.1:{port}/glance"
        ))
        .unwrap();
        let start = std::time::Instant::now();
        let f = probe(&u, Duration::from_millis(500), "2024_1_contract01")
            .await
            .unwrap();
        assert_eq!(f.rule.name, "database-unreachable");
        assert!(f.message.contains("did not answer"), "{}", f.message);
        assert!(start.elapsed() < Duration::from_millis(1500));
        keep.abort();
    }
}
