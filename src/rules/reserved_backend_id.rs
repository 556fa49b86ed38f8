use super::{Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::model::views::enabled_backends;

declare_rule! {
    /// ## What it does
    /// Finds backend ids in `[DEFAULT] enabled_backends` that start with
    /// `os_glance_`.
    ///
    /// ## Why is this bad?
    /// Glance reserves the prefix for its own internal stores
    /// (`os_glance_staging_store`, `os_glance_tasks_store`) and refuses to
    /// start: `RuntimeError: 'os_glance_' prefix should not be used in
    /// enabled_backends config option. It is reserved for internal use only.`
    ///
    /// ## Example
    /// ```ini
    /// [DEFAULT]
    /// enabled_backends = os_glance_fast:rbd
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// [DEFAULT]
    /// enabled_backends = fast:rbd
    /// ```
    pub struct ReservedBackendId {
        code: "GL204",
        name: "reserved-backend-id",
        severity: Error,
        category: Consistency,
        summary: "a backend id uses the reserved os_glance_ prefix",
    }
}

impl Rule for ReservedBackendId {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        let Some((_, backends)) = enabled_backends(ctx.config) else {
            return;
        };
        for b in backends.iter().filter(|b| b.id.starts_with("os_glance_")) {
            let renamed = b.id.trim_start_matches("os_glance_");
            let renamed = if renamed.is_empty() {
                "store1"
            } else {
                renamed
            };
            out.push(
                Finding::new(
                    &Self::META,
                    format!("backend id `{}` uses the prefix `os_glance_`, which Glance reserves: it will not start", b.id),
                )
                .on(b.entry)
                .at(b.id_span)
                .label("reserved prefix")
                .help(format!("rename the backend, e.g. `{renamed}:{}`, and its section to `[{renamed}]`", b.store_type)),
            );
        }
    }
}
