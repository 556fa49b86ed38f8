use super::{Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::model::views::enabled_backends;

declare_rule! {
    /// ## What it does
    /// With `[DEFAULT] enabled_backends` set (multi-store), checks that
    /// `[glance_store] default_backend` is set too.
    ///
    /// ## Why is this bad?
    /// Glance stops at start-up with `RuntimeError: 'default_backend' config
    /// option is not set.` The legacy `default_store` does not stand in for
    /// it: in multi-store mode it is not read.
    ///
    /// ## Example
    /// ```ini
    /// [DEFAULT]
    /// enabled_backends = fs:file
    /// [glance_store]
    /// default_store = file
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// [DEFAULT]
    /// enabled_backends = fs:file
    /// [glance_store]
    /// default_backend = fs
    /// ```
    pub struct DefaultBackendMissing {
        code: "GL202",
        name: "default-backend-missing",
        severity: Error,
        category: Consistency,
        summary: "multi-store is enabled but [glance_store] default_backend is not set",
    }
}

impl Rule for DefaultBackendMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        // A fragment's base file may set default_backend.
        if ctx.options.fragment {
            return;
        }
        let Some((entry, backends)) = enabled_backends(ctx.config) else {
            return;
        };
        if entry.value.trim().is_empty() {
            return;
        }
        if ctx
            .config
            .value("glance_store", "default_backend")
            .is_some_and(|v| !v.is_empty())
        {
            return;
        }
        let suggestion = backends.first().map(|b| b.id.as_str()).unwrap_or("<id>");
        let mut help = format!("add `default_backend = {suggestion}` to [glance_store]");
        if ctx.config.get("glance_store", "default_store").is_some() {
            help.push_str(
                "; `default_store` is the legacy option and is not read in multi-store mode",
            );
        }
        let anchor = ctx.config.get("glance_store", "default_backend");
        let f = Finding::new(
            &Self::META,
            "`enabled_backends` is set but `[glance_store] default_backend` is not: Glance stops with `'default_backend' config option is not set.`",
        )
        .help(help);
        out.push(match anchor {
            Some(e) => f.at_key(e),
            None => f.at_key(entry).label("multi-store enabled here"),
        });
    }
}
