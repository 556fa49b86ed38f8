use super::placeholder::password_placeholder;
use super::{Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::model::views::keystone::KeystoneAuth;
use crate::model::views::keystone_limits_on;

declare_rule! {
    /// ## What it does
    /// Compares the service user of `[keystone_authtoken]` with the one of
    /// `[oslo_limit]`: the same `username` in the same user domain with two
    /// different passwords. Neither password is ever printed.
    ///
    /// ## Why is this bad?
    /// A Keystone user has one password, so one of the two logins is
    /// refused. If it is `[keystone_authtoken]`, every API request gets 401;
    /// if it is `[oslo_limit]`, Glance starts and serves requests, and only
    /// uploads fail once `use_keystone_limits` is on, often long after the
    /// password was changed in one place only.
    ///
    /// ## Example
    /// ```ini
    /// [keystone_authtoken]
    /// username = glance
    /// user_domain_name = Default
    /// password = openstack
    /// [oslo_limit]
    /// username = glance
    /// user_domain_id = default
    /// password = bootcamp
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// [keystone_authtoken]
    /// username = glance
    /// user_domain_name = Default
    /// password = openstack
    /// [oslo_limit]
    /// username = glance
    /// user_domain_id = default
    /// password = openstack
    /// ```
    pub struct CredentialMismatch {
        code: "GL209",
        name: "credential-mismatch",
        severity: Error,
        variants: {
            LIMITS_OFF: Warning when "`use_keystone_limits` is off: Glance never logs in with [oslo_limit] until it is turned on",
        },
        category: Consistency,
        summary: "the same Keystone user has different passwords in [keystone_authtoken] and [oslo_limit]",
    }
}

/// Whether two user domains are the same one. An id and a name can only be
/// matched for the default domain (id `default`, name `Default`).
fn same_domain(a: Option<(&str, &str)>, b: Option<(&str, &str)>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some((ka, va)), Some((kb, vb))) if ka == kb => va == vb,
        (Some(x), Some(y)) => {
            let is_default = |(k, v): (&str, &str)| {
                (k == "id" && v == "default") || (k == "name" && v == "Default")
            };
            is_default(x) && is_default(y)
        }
        _ => false,
    }
}

impl Rule for CredentialMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        let a = KeystoneAuth::new(ctx.config, ctx.catalogue(), "keystone_authtoken");
        let b = KeystoneAuth::new(ctx.config, ctx.catalogue(), "oslo_limit");
        if a.group == b.group {
            return; // one shared auth_section: one password
        }
        let (Some(ua), Some(ub)) = (a.get("username"), b.get("username")) else {
            return;
        };
        let (Some(pa), Some(pb)) = (a.get("password"), b.get("password")) else {
            return;
        };
        if ua.value != ub.value || !same_domain(a.user_domain(), b.user_domain()) {
            return;
        }
        // Placeholders and `$` references are other rules' findings.
        let unclear = |p: &str| password_placeholder(p).is_some() || p.contains('$');
        if pa.value == pb.value || unclear(&pa.value) || unclear(&pb.value) {
            return;
        }
        let domain = b
            .user_domain()
            .map(|(_, v)| format!(" (domain {v})"))
            .unwrap_or_default();
        out.push(
            Finding::new(
                &Self::META,
                format!(
                    "[{}] and [{}] log in as the same user `{}`{domain} with different passwords: Keystone accepts at most one of them",
                    b.group, a.group, ub.value
                ),
            )
            .at_key(pb)
            .label(format!(
                "differs from the password on line {} of [{}]",
                pa.line, a.group
            ))
            .help(format!(
                "set the password of user `{}` in Keystone once and use it in both sections (or give [{}] its own user)",
                ub.value, b.group
            ))
            .variant(if keystone_limits_on(ctx.config, ctx.catalogue()) {
                &Self::DEFAULT
            } else {
                &Self::LIMITS_OFF
            }),
        );
    }
}
