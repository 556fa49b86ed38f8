use super::known::KeyClass;
use super::{Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::fix::{Edit, Fix};

declare_rule! {
    /// ## What it does
    /// Finds options that Glance or its libraries no longer have: `auth_uri`,
    /// `rpc_backend`, `rabbit_host`, `notification_driver`, `enable_v1_api`,
    /// `workers`, `bind_host`, `sqlite_db`, `[DEFAULT] default_store` ... with
    /// the release that dropped them (when known) and what replaces them.
    ///
    /// The legacy `[keystone_authtoken]` admin options (`identity_uri`,
    /// `admin_user`, `admin_password`, `admin_tenant_name`, `auth_host` ...)
    /// went with keystonemiddleware 13.0.0, which has no fallback that reads
    /// them: without an `auth_type` plugin the service user cannot log in.
    ///
    /// ## Why is this bad?
    /// A removed option is silently ignored: Glance starts, and the setting
    /// simply has no effect. Messaging falls back to its defaults, the
    /// service user has no credentials (every request gets 401), or the
    /// store configuration the line was meant to set is never used. It is a
    /// warning, since Glance starts and serves; where the lost value stops
    /// Glance from working, another rule says so as an error (the database
    /// URL under `sql_connection`: `database-connection-missing`; a login
    /// without `auth_type`: `keystone-auth-incomplete`).
    ///
    /// ## Example
    /// ```ini
    /// [DEFAULT]
    /// rpc_backend = rabbit
    /// rabbit_host = controller
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// [DEFAULT]
    /// transport_url = rabbit://openstack:secret@controller:5672/
    /// ```
    pub struct RemovedOption {
        code: "GL106",
        name: "removed-option",
        severity: Warning,
        category: Catalogue,
        summary: "an option was removed from Glance or its libraries, so it is ignored",
        fixes: {
            Unsafe: "renames a removed option whose successor means the same (`auth_uri` to `www_authenticate_uri`), when the successor is not set",
        },
    }
}

/// A removed option whose successor reads the same value the same way:
/// `(section, removed name, successor)`. Data, so that a target release can
/// narrow it (the rename only helps where the successor exists).
pub(crate) static SAME_MEANING: &[(&str, &str, &str)] =
    &[("keystone_authtoken", "auth_uri", "www_authenticate_uri")];

/// The successor of a removed option in `section`, when one means the same.
pub(crate) fn same_meaning_successor(section: &str, key: &str) -> Option<&'static str> {
    SAME_MEANING
        .iter()
        .find(|(s, k, _)| *s == section && *k == key)
        .map(|(_, _, new)| *new)
}

impl Rule for RemovedOption {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        for (entry, class) in ctx.classified() {
            let KeyClass::Removed(r) = class else {
                continue;
            };
            let key = &entry.key;
            // legacy-store-config reports these, with the multi-store rewrite.
            if entry.section == "DEFAULT" && matches!(key.as_str(), "stores" | "default_store") {
                continue;
            }
            let help = match r.replacement {
                Some(rep) => format!("use {rep} instead ({})", r.note),
                None => format!("delete the line ({})", r.note),
            };
            let mut f = Finding::new(
                &Self::META,
                format!(
                    "`{key}` no longer exists, so Glance ignores it (removed {})",
                    r.removed_in
                ),
            )
            .label("removed option");
            f = f.help(help);
            // Unsafe: the value now takes effect where it was ignored.
            if let Some(new) = same_meaning_successor(&entry.section, key) {
                if ctx.config.get(&entry.section, new).is_none() {
                    f = f.fix(Fix::unsafe_(
                        format!("rename `{key}` to `{new}` (the value takes effect again)"),
                        vec![Edit::replace(entry.key_span, new)],
                    ));
                }
            }
            out.push(f.at_key(entry));
        }
    }
}
