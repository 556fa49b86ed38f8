//! The database user's privileges: log in with `[database] connection` and read `SHOW GRANTS`
//! (the grants of the account the server matched). Read-only.

use std::collections::BTreeSet;
use std::time::Duration;

use mysql_async::prelude::Queryable;
use tokio::time::Instant;

use crate::live::mysql::{self, DbUrl};
use crate::live::{boxed, net, LiveFinding, Probe, ProbeKind, Target};
use crate::model::EffectiveConfig;
use crate::rules::live as rule;

/// The grants probe.
pub static PROBE: ProbeKind = ProbeKind {
    name: "grants",
    rules: &[&rule::DatabaseGrantsInsufficient::META],
    plan: |config, env| boxed(target(config, env.catalogue)),
};

/// What glance-api does with its database.
pub const RUNTIME: [&str; 4] = ["SELECT", "INSERT", "UPDATE", "DELETE"];
/// What `glance-manage db_sync` does besides (its alembic migrations).
pub const DB_SYNC: [&str; 5] = ["CREATE", "ALTER", "INDEX", "DROP", "REFERENCES"];

const SECTION: &str = "database";
const OPTION: &str = "connection";

/// The connection URL, parsed.
pub struct GrantsTarget {
    url: DbUrl,
    raw: String,
}

/// Planned for a MySQL/MariaDB connection URL with a database name.
pub fn target(
    config: &EffectiveConfig,
    catalogue: &'static crate::schema::Catalogue,
) -> Option<GrantsTarget> {
    let t = mysql::target(config, catalogue)?;
    let url = mysql::probed_url(&t.url)?;
    (!url.database.is_empty()).then_some(GrantsTarget { url, raw: t.url })
}

impl Target for GrantsTarget {
    fn checks(&self, timeout: Duration) -> Vec<Probe<'_>> {
        vec![Probe {
            fut: Box::pin(probe(&self.url, timeout)),
            on_timeout: LiveFinding::new(
                &rule::DatabaseGrantsInsufficient::META,
                SECTION,
                OPTION,
                format!(
                    "the grants of '{}' could not be read within {}",
                    self.url.username,
                    net::secs(timeout)
                ),
                "check that the database server answers, or raise --timeout",
            ),
        }]
    }

    fn secrets(&self) -> Vec<String> {
        mysql::url_secrets(&self.raw)
    }
}

/// The privileges `SHOW GRANTS` lines give on `database`; `None` when a line grants a role
/// (whose privileges SHOW GRANTS does not list), so nothing can be concluded.
pub fn privileges_on(lines: &[String], database: &str) -> Option<BTreeSet<String>> {
    let mut out = BTreeSet::new();
    for line in lines {
        let line = line.trim();
        let Some(rest) = line.strip_prefix("GRANT ") else {
            continue;
        };
        let Some(on) = rest.find(" ON ") else {
            return None; // `GRANT role TO user`: a role's privileges are not shown here
        };
        let (privs, tail) = (&rest[..on], &rest[on + 4..]);
        let object = tail.split(" TO ").next().unwrap_or("").trim();
        // PROCEDURE/FUNCTION grants do not cover tables
        if object.starts_with("PROCEDURE ") || object.starts_with("FUNCTION ") {
            continue;
        }
        let Some((db, table)) = split_object(object) else {
            continue;
        };
        if table != "*" || !db_matches(&db, database) {
            continue; // table- and column-level grants do not cover new tables
        }
        for p in split_privileges(privs) {
            if p == "ALL" || p == "ALL PRIVILEGES" {
                out.extend(RUNTIME.iter().chain(&DB_SYNC).map(|s| s.to_string()));
            } else {
                out.insert(p);
            }
        }
    }
    Some(out)
}

/// `a, b (col1, col2), c` -> [A, C]: column privileges do not cover the tables.
fn split_privileges(privs: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0;
    let mut cur = String::new();
    // a privilege with a column list covers those columns only: it is dropped
    let mut columns = false;
    for ch in privs.chars() {
        match ch {
            '(' => {
                depth += 1;
                columns = true;
            }
            ')' => depth -= 1,
            ',' if depth == 0 => {
                if !columns {
                    out.push(cur.trim().to_ascii_uppercase());
                }
                cur.clear();
                columns = false;
            }
            _ if depth == 0 => cur.push(ch),
            _ => {}
        }
    }
    if !columns {
        out.push(cur.trim().to_ascii_uppercase());
    }
    out.retain(|p| !p.is_empty());
    out
}

/// `` `db`.* `` or `*.*` -> (db, table), backquotes removed (the LIKE escapes kept).
fn split_object(object: &str) -> Option<(String, String)> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for ch in object.chars() {
        match ch {
            '`' => quoted = !quoted,
            '.' if !quoted => parts.push(std::mem::take(&mut cur)),
            _ => cur.push(ch),
        }
    }
    parts.push(cur);
    match parts.as_slice() {
        [db, table] => Some((db.clone(), table.clone())),
        _ => None,
    }
}

/// A database-level grant's name is a LIKE pattern (`%`, `_`, `\_` for a literal `_`).
fn db_matches(pattern: &str, name: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    fn go(p: &[char], n: &[char]) -> bool {
        match p.first() {
            None => n.is_empty(),
            Some('%') => (0..=n.len()).any(|i| go(&p[1..], &n[i..])),
            Some('_') => !n.is_empty() && go(&p[1..], &n[1..]),
            Some('\\') if p.len() > 1 => n.first() == Some(&p[1]) && go(&p[2..], &n[1..]),
            Some(c) => n.first() == Some(c) && go(&p[1..], &n[1..]),
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    go(&p, &n)
}

async fn probe(u: &DbUrl, timeout: Duration) -> Vec<LiveFinding> {
    let deadline = Instant::now() + timeout;
    let Some(mut conn) = mysql::connect(u, deadline).await else {
        return Vec::new(); // the database probe says why
    };
    let lines: Result<Vec<String>, _> =
        match tokio::time::timeout_at(deadline, conn.query::<String, _>("SHOW GRANTS")).await {
            Ok(r) => r,
            Err(_) => return Vec::new(),
        };
    let _ = tokio::time::timeout_at(deadline, conn.disconnect()).await;
    let Ok(lines) = lines else {
        return Vec::new();
    };
    let Some(have) = privileges_on(&lines, &u.database) else {
        return Vec::new(); // granted through a role: not visible
    };
    let lacking = |set: &[&'static str]| -> Vec<&'static str> {
        set.iter().copied().filter(|p| !have.contains(*p)).collect()
    };
    let (runtime, sync) = (lacking(&RUNTIME), lacking(&DB_SYNC));
    if runtime.is_empty() && sync.is_empty() {
        return Vec::new();
    }
    let (user, db) = (&u.username, &u.database);
    let mut all = runtime.clone();
    all.extend(&sync);
    let help = format!(
        "GRANT ALL PRIVILEGES ON {db}.* TO '{user}'@'%'; (and '{user}'@'localhost'), as the install guide does"
    );
    let f = if runtime.is_empty() {
        LiveFinding::new(
            &rule::DatabaseGrantsInsufficient::META,
            SECTION,
            OPTION,
            format!(
                "user '{user}' lacks {} on database '{db}': glance-api works, but `glance-manage db_sync` (the next upgrade) fails",
                sync.join(", ")
            ),
            help,
        )
        .at_level(&rule::DatabaseGrantsInsufficient::SYNC_ONLY)
    } else {
        LiveFinding::new(
            &rule::DatabaseGrantsInsufficient::META,
            SECTION,
            OPTION,
            format!(
                "user '{user}' lacks {} on database '{db}': glance-api cannot {} image records (500 on image create)",
                all.join(", "),
                if runtime.len() == RUNTIME.len() { "read or write" } else { "write" }
            ),
            help,
        )
    };
    vec![f]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn l(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn grants_on_the_database() {
        let all = privileges_on(
            &l(&[
                "GRANT USAGE ON *.* TO `glance`@`%` IDENTIFIED BY PASSWORD '*ABC'",
                "GRANT ALL PRIVILEGES ON `glance`.* TO `glance`@`%`",
            ]),
            "glance",
        )
        .unwrap();
        assert!(RUNTIME.iter().chain(&DB_SYNC).all(|p| all.contains(*p)));
        let ro = privileges_on(
            &l(&["GRANT SELECT ON `glance`.* TO `glance_ro`@`%`"]),
            "glance",
        )
        .unwrap();
        assert_eq!(ro.into_iter().collect::<Vec<_>>(), ["SELECT"]);
        // another database, a table grant, a column list
        let other = privileges_on(
            &l(&[
                "GRANT ALL PRIVILEGES ON `nova`.* TO `glance`@`%`",
                "GRANT INSERT ON `glance`.`images` TO `glance`@`%`",
                "GRANT SELECT (id, name), UPDATE ON `glance`.* TO `glance`@`%`",
            ]),
            "glance",
        )
        .unwrap();
        assert_eq!(other.into_iter().collect::<Vec<_>>(), ["UPDATE"]);
        // global and pattern grants count
        assert!(privileges_on(
            &l(&["GRANT ALL PRIVILEGES ON *.* TO `root`@`localhost`"]),
            "glance"
        )
        .unwrap()
        .contains("DROP"));
        assert!(
            privileges_on(&l(&["GRANT DELETE ON `gl\\_%`.* TO `u`@`%`"]), "gl_x")
                .unwrap()
                .contains("DELETE")
        );
        assert!(
            privileges_on(&l(&["GRANT DELETE ON `gl\\_%`.* TO `u`@`%`"]), "glx")
                .unwrap()
                .is_empty()
        );
        // a role: cannot tell
        assert!(privileges_on(&l(&["GRANT `glance_role` TO `glance`@`%`"]), "glance").is_none());
    }
}
