use super::{Context, Rule, RuleMeta};
use crate::finding::Finding;

declare_rule! {
    /// ## What it does
    /// Checks that a `[paste_deploy] flavor` with the image cache
    /// (`caching`, `cachemanagement`, `keystone+cachemanagement` ...) and
    /// the `centralized_db` cache driver (the default since 2024.1 Caracal)
    /// come with `[DEFAULT] worker_self_reference_url`.
    ///
    /// ## Why is this bad?
    /// glance-api refuses to start: `sqlite_migration.migrate_if_required()`
    /// raises `RuntimeError: 'worker_self_reference_url' needs to be set if
    /// centralized_db is defined as cache driver for image_cache_driver
    /// config option.` Old devstack and packstack files with `flavor =
    /// keystone+cachemanagement` stop working on upgrade this way.
    ///
    /// ## Example
    /// ```ini
    /// [paste_deploy]
    /// flavor = keystone+cachemanagement
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// [DEFAULT]
    /// worker_self_reference_url = http://controller:9292
    ///
    /// [paste_deploy]
    /// flavor = keystone+cachemanagement
    /// ```
    pub struct CacheSelfReferenceMissing {
        code: "GL214",
        name: "cache-self-reference-missing",
        severity: Error,
        category: Consistency,
        summary: "the image cache's centralized_db driver needs worker_self_reference_url",
    }
}

impl Rule for CacheSelfReferenceMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        let cfg = ctx.config;
        // glance/sqlite_migration.py: `'cache' in CONF.paste_deploy.flavor`.
        let Some(flavor) = cfg.get("paste_deploy", "flavor") else {
            return;
        };
        if !flavor.value.contains("cache") {
            return;
        }
        let driver_entry = cfg.get("DEFAULT", "image_cache_driver");
        let default_driver = ctx
            .catalogue()
            .option("DEFAULT", "image_cache_driver")
            .and_then(|o| o.default.as_deref());
        let Some(driver) = driver_entry.map(|e| e.value.as_str()).or(default_driver) else {
            return;
        };
        if driver != "centralized_db" {
            return;
        }
        if cfg
            .value("DEFAULT", "worker_self_reference_url")
            .is_some_and(|v| !v.is_empty())
        {
            return;
        }
        let why = if driver_entry.is_some() {
            "`image_cache_driver = centralized_db`"
        } else {
            "the default `image_cache_driver` (`centralized_db`)"
        };
        out.push(
            Finding::new(
                &Self::META,
                format!(
                    "flavor `{}` enables the image cache, and with {why} glance-api refuses to \
                     start without `[DEFAULT] worker_self_reference_url`",
                    flavor.value
                ),
            )
            .at_value(flavor)
            .label("image cache without worker_self_reference_url")
            .help(
                "set `worker_self_reference_url` in [DEFAULT] to this node's own Glance URL \
                 (e.g. `http://controller:9292`), or drop the cache from the flavor",
            ),
        );
    }
}
