use super::known::KeyClass;
use super::{Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::schema::RemovalStatus;

declare_rule! {
    /// ## What it does
    /// Finds options that Glance or its libraries no longer have: `auth_uri`,
    /// `rpc_backend`, `rabbit_host`, `notification_driver`, `enable_v1_api`,
    /// `workers`, `bind_host`, `sqlite_db`, `[DEFAULT] default_store` ... with
    /// the release that dropped them (when known) and what replaces them.
    ///
    /// The legacy `[keystone_authtoken]` admin options (`identity_uri`,
    /// `admin_user`, `admin_password`, `admin_tenant_name`, `auth_host` ...)
    /// are not removed: keystonemiddleware still reads them when `auth_type`
    /// is unset, although they are deprecated.
    ///
    /// ## Why is this bad?
    /// A removed option is silently ignored: Glance starts, and the setting
    /// simply has no effect. Messaging falls back to its defaults, the
    /// service user has no credentials (every request gets 401), or the
    /// store configuration the line was meant to set is never used.
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
        severity: Error,
        variants: {
            LEGACY_ADMIN: Warning when "the option is one of the legacy `[keystone_authtoken]` admin options, which keystonemiddleware still reads when `auth_type` is unset",
        },
        category: Catalogue,
        summary: "an option was removed from Glance or its libraries, so it is ignored",
    }
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
            let mut f = match r.status {
                RemovalStatus::Removed => Finding::new(
                    &Self::META,
                    format!(
                        "`{key}` no longer exists, so Glance ignores it (removed {})",
                        r.removed_in
                    ),
                )
                .label("removed option"),
                RemovalStatus::Unlisted => {
                    let state = if ctx
                        .config
                        .value("keystone_authtoken", "auth_type")
                        .is_some()
                    {
                        "`auth_type` is set, so it is ignored"
                    } else {
                        "it is read only because `auth_type` is unset"
                    };
                    let f = Finding::new(
                        &Self::META,
                        format!("`{key}` is a legacy option, deprecated since Mitaka: {state}"),
                    )
                    .label("legacy option")
                    .variant(&Self::LEGACY_ADMIN);
                    f
                }
            };
            f = f.help(help);
            out.push(f.at_key(entry));
        }
    }
}
