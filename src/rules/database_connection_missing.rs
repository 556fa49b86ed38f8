use super::{Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::model::views::{database, section_header};
use crate::schema::history::{self, Fate};
use crate::schema::RemovedIn;

declare_rule! {
    /// ## What it does
    /// Checks that Glance has a database URL: `[database] connection` is
    /// set, and not only under one of its removed old names
    /// (`[DEFAULT] sql_connection`, `[database] sql_connection`, `[sql]
    /// connection`, `sqlite_db`). A missing `connection` is reported only
    /// when the file looks like a whole glance-api.conf (it has
    /// `[keystone_authtoken]`, `[paste_deploy]` and store settings): a
    /// fragment merged into a base file (a kolla override tuning
    /// `[database] max_pool_size`) is not judged.
    ///
    /// ## Why is this bad?
    /// Without a connection Glance has no database: glance-api starts, and
    /// every API call that touches an image fails with `500 Internal Server
    /// Error` (oslo.db: `NoSuchOptError`/no connection URL). The old names
    /// were read until 2023.2 Bobcat (`sql_connection`) and are ignored
    /// since 2024.1 Caracal, so a file that worked stops working on upgrade.
    ///
    /// ## Example
    /// ```ini
    /// [DEFAULT]
    /// sql_connection = mysql+pymysql://glance:k7Qp2mZx9vLw@controller/glance
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// [database]
    /// connection = mysql+pymysql://glance:k7Qp2mZx9vLw@controller/glance
    /// ```
    pub struct DatabaseConnectionMissing {
        code: "GL217",
        name: "database-connection-missing",
        severity: Error,
        category: Consistency,
        summary: "Glance has no [database] connection (missing, or only under a removed old name)",
    }
}

/// The database URL under a name the release linted does not read: an old
/// name of `[database] connection` that some release read (the catalogue's
/// history: `sql_connection` up to 2023.2 Bobcat), or `sqlite_db` (the hand
/// table of removed options).
fn lost_url<'a>(
    ctx: &Context<'a>,
) -> Option<(
    &'a crate::model::Entry,
    String,
    Option<crate::schema::Release>,
)> {
    let cat = ctx.catalogue();
    let target = cat.release();
    ctx.config
        .entries()
        .filter(|e| !e.value.trim().is_empty())
        .find_map(|e| {
            if e.key == "sqlite_db" {
                let r = cat
                    .removed(&e.section, "sqlite_db")
                    .or_else(|| cat.removed("database", "sqlite_db"))?;
                return match r.removed_in {
                    RemovedIn::Before(release) => Some((e, format!("until {release}"), None)),
                    _ => None,
                };
            }
            let old = history::old_name_of(&e.section, &e.key);
            old.iter()
                .find(|o| o.group == "database" && o.key == "connection")?;
            match history::fate(&e.section, &e.key, target)? {
                Fate::Removed {
                    last, removed_in, ..
                } => Some((e, format!("up to {last}"), Some(removed_in))),
                Fate::Added { .. } => None,
            }
        })
}

impl Rule for DatabaseConnectionMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        let cfg = ctx.config;
        // The URL Glance of this release reads, under an old name it still
        // reads too (deprecated-option says so then).
        if database::connection(cfg, ctx.catalogue()).is_some_and(|e| !e.value.trim().is_empty()) {
            return;
        }
        if let Some((entry, when, since)) = lost_url(ctx) {
            let message = format!(
                "the database URL is only in `{}` of [{}], an old name Glance read {when} and \
                 ignores now: Glance has no database",
                entry.key, entry.section
            );
            let help = if entry.key == "sqlite_db" {
                "write the SQLite file into the URL: `[database] connection = sqlite:////var/lib/glance/glance.sqlite`".to_string()
            } else {
                "move the URL to `connection` in [database]".to_string()
            };
            let mut f = Finding::new(&Self::META, message)
                .at_key(entry)
                .label("no longer read")
                .help(help);
            if let Some(release) = since {
                f = f.since(release);
            }
            out.push(f);
            return;
        }
        let database = section_header(cfg, "database");
        let whole_file = section_header(cfg, "keystone_authtoken").is_some()
            && section_header(cfg, "paste_deploy").is_some()
            && (section_header(cfg, "glance_store").is_some()
                || cfg.get("DEFAULT", "enabled_backends").is_some());
        if !whole_file || ctx.options.fragment {
            return;
        }
        let mut finding = Finding::new(
            &Self::META,
            "`connection` is not set in [database]: Glance has no database, and every image \
             request fails",
        )
        .section("database")
        .help("add `connection = mysql+pymysql://glance:<password>@<host>/glance` to [database]");
        if let Some(header) = database {
            finding = finding.at(header.name_span).label("no `connection` here");
        }
        finding.option = Some("connection".into());
        out.push(finding);
    }
}
