use super::{Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::model::views::keystone::KeystoneAuth;
use crate::schema::Release;

declare_rule! {
    /// ## What it does
    /// Checks `auth_type` (or its old name `auth_plugin`) of
    /// `[keystone_authtoken]` and `[oslo_limit]`, or of the section their
    /// `auth_section` names, against the plugins keystoneauth has
    /// (`password`, `v3password`, `v3applicationcredential`, `token` ...).
    /// Names are case-sensitive. It also reports `auth_section` in
    /// `[oslo_limit]`: unlike keystonemiddleware, oslo.limit reads
    /// `auth_type` from `[oslo_limit]` itself, and with `auth_section` set
    /// that read fails.
    ///
    /// ## Why is this bad?
    /// glance-api does not start. keystonemiddleware loads the
    /// `[keystone_authtoken]` plugin while the paste pipeline is built (when
    /// the flavor has `keystone`), and the API router imports oslo.limit,
    /// which loads the `[oslo_limit]`
    /// plugin whatever `use_keystone_limits` says: an unknown name raises
    /// keystoneauth's `NoMatchingPlugin: The plugin Password could not be
    /// found`.
    ///
    /// ## Example
    /// ```ini
    /// [keystone_authtoken]
    /// auth_type = Password
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// [keystone_authtoken]
    /// auth_type = password
    /// ```
    pub struct AuthPluginUnknown {
        code: "GL216",
        name: "auth-plugin-unknown",
        severity: Error,
        category: Consistency,
        summary: "auth_type names no keystoneauth plugin",
    }
}

impl Rule for AuthPluginUnknown {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        let mut seen = Vec::new();
        for section in ["keystone_authtoken", "oslo_limit"] {
            if section == "keystone_authtoken" && !authtoken_in_pipeline(ctx) {
                continue;
            }
            if section == "oslo_limit" {
                if let Some(e) = ctx
                    .config
                    .get("oslo_limit", "auth_section")
                    .filter(|e| !e.value.trim().is_empty())
                {
                    out.push(oslo_limit_auth_section(e));
                    continue;
                }
            }
            let Some(entry) = KeystoneAuth::new(ctx.config, ctx.catalogue(), section).auth_type
            else {
                continue;
            };
            // Two sections sharing one auth_section: one finding.
            if seen.contains(&entry.value_span) {
                continue;
            }
            seen.push(entry.value_span);
            let name = entry.value.trim();
            let release = ctx.catalogue().release();
            let plugins = release.keystoneauth_plugins();
            if plugins.contains(&name) {
                continue;
            }
            // A plugin of a newer keystoneauth1 than this release's upper-constraints pin.
            let newer = Release::all()
                .filter(|r| *r > release)
                .find(|r| r.keystoneauth_plugins().contains(&name));
            let lower = name.to_ascii_lowercase();
            let suggestion = plugins
                .iter()
                .map(|p| (strsim::levenshtein(p, &lower), *p))
                .min()
                .filter(|(d, _)| *d <= 2)
                .map(|(_, p)| p);
            let help = match suggestion {
                Some(p) => format!("did you mean `auth_type = {p}`?"),
                None => {
                    "use one of keystoneauth's plugins, usually `auth_type = password`".to_string()
                }
            };
            out.push(
                Finding::new(
                    &Self::META,
                    format!(
                        "{}keystoneauth has no plugin `{name}`{}: glance-api does not start \
                         (NoMatchingPlugin)",
                        if entry.key == "auth_type" {
                            String::new()
                        } else {
                            format!("`{}` is the old name of `auth_type`, and ", entry.key)
                        },
                        match newer {
                            Some(r) => format!(
                                " in {release}, only from the keystoneauth1 of {} on",
                                r.long_label()
                            ),
                            None => String::new(),
                        }
                    ),
                )
                .at_value(entry)
                .label("unknown plugin")
                .help(help),
            );
        }
    }
}

/// `[oslo_limit] auth_section`: oslo.limit's `register_opts` reads
/// `CONF.oslo_limit.auth_type` itself (oslo_limit/opts.py), but with
/// `auth_section` set keystoneauth registers `auth_type` in the named section
/// instead, so the read raises `NoSuchOptError` when glance's v2 router
/// imports oslo_limit.limit, whatever `use_keystone_limits` says.
fn oslo_limit_auth_section(entry: &crate::model::Entry) -> Finding {
    Finding::new(
        &AuthPluginUnknown::META,
        "oslo.limit reads `auth_type` from [oslo_limit] itself and never follows \
         `auth_section`: glance-api does not start (NoSuchOptError: no such option auth_type in \
         group [oslo_limit])",
    )
    .at_value(entry)
    .label("not followed by oslo.limit")
    .help(format!(
        "remove `auth_section` and write the plugin options of [{}] (`auth_type`, `auth_url`, \
         `username`, `password`, ...) in [oslo_limit] itself",
        entry.value.trim()
    ))
}

/// Whether the paste pipeline glance-api serves has keystonemiddleware's
/// `authtoken` filter (the only thing that loads `[keystone_authtoken]`'s
/// plugin): a flavor with `keystone`. A paste file of one's own counts as
/// yes.
fn authtoken_in_pipeline(ctx: &Context) -> bool {
    let cfg = ctx.config;
    if crate::model::views::own_paste_file(cfg) {
        return true;
    }
    match cfg.value("paste_deploy", "flavor") {
        Some(flavor) => flavor.contains("keystone"),
        // No flavor: the bare `glance-api` pipeline, without authtoken
        // (glance-api starts whatever the plugin's name; paste-flavor-invalid
        // reports the missing authentication).
        None => false,
    }
}
