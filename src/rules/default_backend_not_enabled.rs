use super::{Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::model::views::enabled_backends;

declare_rule! {
    /// ## What it does
    /// Checks that `[glance_store] default_backend` names one of the backend
    /// ids of `[DEFAULT] enabled_backends` (the part before the colon), and
    /// that it is not set without `enabled_backends` at all.
    ///
    /// ## Why is this bad?
    /// Glance stops at start-up with `RuntimeError: Store for identifier ceph
    /// not found` when the default backend is not enabled. Without
    /// `enabled_backends`, Glance runs in the legacy single-store mode and
    /// ignores `default_backend` entirely: images go to the legacy
    /// `default_store` (`file` unless set), not where the operator meant.
    ///
    /// ## Example
    /// ```ini
    /// [DEFAULT]
    /// enabled_backends = fs:file
    /// [glance_store]
    /// default_backend = file
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// [DEFAULT]
    /// enabled_backends = fs:file
    /// [glance_store]
    /// default_backend = fs
    /// ```
    pub struct DefaultBackendNotEnabled {
        code: "GL201",
        name: "default-backend-not-enabled",
        severity: Error,
        variants: {
            NO_BACKENDS: Warning when "`enabled_backends` is not set at all: Glance runs in legacy single-store mode and ignores `default_backend`",
        },
        category: Consistency,
        summary: "default_backend is not one of the ids in enabled_backends",
    }
}

impl Rule for DefaultBackendNotEnabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        let Some(default) = ctx.config.get("glance_store", "default_backend") else {
            return;
        };
        if default.value.is_empty() {
            return; // default-backend-missing
        }
        let Some((_, backends)) = enabled_backends(ctx.config) else {
            let f = Finding::new(
                &Self::META,
                "`default_backend` is set but `[DEFAULT] enabled_backends` is not: Glance runs in legacy single-store mode and ignores it",
            )
            .at_value(default)
            .label("ignored")
            .help(format!(
                "enable the backend: `[DEFAULT] enabled_backends = {}:file` (with its own `[{}]` section), or remove `default_backend`",
                default.value, default.value
            ))
            .variant(&Self::NO_BACKENDS);
            out.push(f);
            return;
        };
        if backends.iter().any(|b| b.id == default.value) {
            return;
        }
        let ids: Vec<&str> = backends.iter().map(|b| b.id.as_str()).collect();
        let by_type = backends.iter().find(|b| b.store_type == default.value);
        let help = match (by_type, ids.as_slice()) {
            (Some(b), _) => format!(
                "`{}` is a store type; use the backend id: `default_backend = {}`, the id before the colon in enabled_backends",
                default.value, b.id
            ),
            (None, [only]) => format!("use `default_backend = {only}`, the id before the colon in enabled_backends"),
            (None, []) => "enable a backend in `[DEFAULT] enabled_backends = <id>:<type>` and name its id here".to_string(),
            (None, many) => format!("use one of the ids of enabled_backends: {}", many.join(", ")),
        };
        out.push(
            Finding::new(
                &Self::META,
                format!(
                    "`default_backend = {}` is not an id of enabled_backends ({}): Glance stops with `Store for identifier {} not found`",
                    default.value,
                    if ids.is_empty() { "none".to_string() } else { ids.join(", ") },
                    default.value
                ),
            )
            .at_value(default)
            .label("not enabled")
            .help(help),
        );
    }
}
