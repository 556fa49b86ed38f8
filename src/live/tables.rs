//! Glance's tables: when `alembic_version` says the schema is at the contract head, the tables
//! `glance-manage db_sync` makes for the release being linted must be there too (a version row
//! alone makes db_sync answer "No migrations needed" while glance-api fails). Read-only: two
//! SELECTs.

use std::time::Duration;

use mysql_async::prelude::Queryable;
use tokio::time::Instant;

use crate::live::glance_schema::GlanceSchema;
use crate::live::mysql::{self, DbUrl, SchemaState};
use crate::live::{boxed, net, LiveFinding, Probe, ProbeKind, Target};
use crate::model::EffectiveConfig;
use crate::rules::live as rule;

/// The tables probe.
pub static PROBE: ProbeKind = ProbeKind {
    name: "tables",
    rules: &[&rule::DatabaseTablesMissing::META],
    plan: |config, env| boxed(target(config, env.catalogue, env.schema)),
};

const SECTION: &str = "database";
const OPTION: &str = "connection";

/// The connection URL and the release's schema.
pub struct TablesTarget {
    url: DbUrl,
    raw: String,
    schema: &'static GlanceSchema,
}

/// Planned for a MySQL/MariaDB connection URL with a database name.
pub fn target(
    config: &EffectiveConfig,
    catalogue: &'static crate::schema::Catalogue,
    schema: &'static GlanceSchema,
) -> Option<TablesTarget> {
    let t = mysql::target(config, catalogue)?;
    let url = mysql::probed_url(&t.url)?;
    (!url.database.is_empty()).then_some(TablesTarget {
        url,
        raw: t.url,
        schema,
    })
}

impl Target for TablesTarget {
    fn checks(&self, timeout: Duration) -> Vec<Probe<'_>> {
        vec![Probe {
            fut: Box::pin(probe(&self.url, self.schema, timeout)),
            on_timeout: LiveFinding::new(
                &rule::DatabaseTablesMissing::META,
                SECTION,
                OPTION,
                format!(
                    "the tables of database '{}' could not be listed within {}",
                    self.url.database,
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

/// The release's tables missing from `present` (compared case-insensitively: MySQL on a
/// case-insensitive file system may report them in another case).
pub fn missing(schema: &GlanceSchema, present: &[String]) -> Vec<&'static str> {
    schema
        .tables
        .iter()
        .copied()
        .filter(|t| !present.iter().any(|p| p.eq_ignore_ascii_case(t)))
        .collect()
}

async fn probe(u: &DbUrl, schema: &'static GlanceSchema, timeout: Duration) -> Vec<LiveFinding> {
    let deadline = Instant::now() + timeout;
    let Some(mut conn) = mysql::connect(u, deadline).await else {
        return Vec::new(); // the database probe says why
    };
    let versions = tokio::time::timeout_at(
        deadline,
        conn.query::<String, _>("SELECT version_num FROM alembic_version"),
    )
    .await;
    // No alembic_version, an empty one or an older head: database-not-synced says it.
    let synced = matches!(&versions, Ok(Ok(rows)) if mysql::schema_state(rows, schema.contract_head) == SchemaState::Current);
    if !synced {
        let _ = tokio::time::timeout_at(deadline, conn.disconnect()).await;
        return Vec::new();
    }
    let tables = tokio::time::timeout_at(
        deadline,
        conn.query::<String, _>(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()",
        ),
    )
    .await;
    let _ = tokio::time::timeout_at(deadline, conn.disconnect()).await;
    let Ok(Ok(present)) = tables else {
        return Vec::new();
    };
    let gone = missing(schema, &present);
    if gone.is_empty() {
        return Vec::new();
    }
    let db = &u.database;
    let shown = if gone.len() > 6 {
        format!("{} and {} more", gone[..5].join(", "), gone.len() - 5)
    } else {
        gone.join(", ")
    };
    vec![LiveFinding::new(
        &rule::DatabaseTablesMissing::META,
        SECTION,
        OPTION,
        format!(
            "database '{db}' records the schema as synced (alembic_version) but lacks {} of the {} tables glance {} ({}) makes: {shown}; glance-api fails with 500 and `glance-manage db_sync` says \"No migrations needed\"",
            gone.len(),
            schema.tables.len(),
            schema.glance,
            schema.series
        ),
        format!(
            "recreate it and sync: DROP DATABASE {db}; CREATE DATABASE {db}; (the grants again) then glance-manage db_sync; or restore a complete dump"
        ),
    )]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::glance_schema::{for_release, newest, SCHEMAS};

    #[test]
    fn every_release_has_its_tables_and_heads() {
        assert!(SCHEMAS.len() >= 6);
        for s in SCHEMAS {
            assert!(s.tables.contains(&"alembic_version"), "{}", s.series);
            assert!(s.tables.contains(&"images"), "{}", s.series);
            assert!(s.contract_head.contains("contract"), "{}", s.series);
        }
        assert_eq!(for_release("2024.1").unwrap().glance, "28");
        assert_eq!(for_release("33").unwrap().series, "2026.2");
        assert_eq!(for_release("28.2.0").unwrap().series, "2024.1");
        assert!(for_release("1999.1").is_none());
        assert_eq!(newest().series, SCHEMAS.last().unwrap().series);
    }

    #[test]
    fn only_alembic_version_is_missing_the_rest() {
        let s = newest();
        let gone = missing(s, &["alembic_version".to_string()]);
        assert_eq!(gone.len(), s.tables.len() - 1);
        assert!(!gone.contains(&"alembic_version"));
        let all: Vec<String> = s.tables.iter().map(|t| t.to_uppercase()).collect();
        assert!(missing(s, &all).is_empty());
    }
}
