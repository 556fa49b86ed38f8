use super::{Context, Rule, RuleMeta, Variant};
use crate::finding::Finding;
use crate::model::views::keystone::KeystoneAuth;
use crate::model::views::{parse_bool, section_header};
use crate::model::Entry;

declare_rule! {
    /// ## What it does
    /// Checks that the Keystone sections let Glance's service user log in:
    /// `[keystone_authtoken]` when `[paste_deploy] flavor` uses keystone, and
    /// `[oslo_limit]` when `use_keystone_limits` is on or the section is
    /// filled in. With password authentication that means `auth_type`,
    /// `auth_url`, `username`, `password`, a user domain, and a scope (a
    /// project with its domain, or `system_scope`); `[oslo_limit]` also needs
    /// `endpoint_id` or `endpoint_service_type`/`endpoint_service_name` to find
    /// Glance's endpoint. It also reports `use_keystone_limits` disagreeing
    /// with `[oslo_limit]`.
    ///
    /// ## Why is this bad?
    /// keystonemiddleware logs in as the service user to validate every
    /// token. Without `auth_type` it cannot (keystonemiddleware 13.0.0 removed
    /// the fallback to the legacy `admin_user` / `identity_uri` options and the
    /// Identity v2 API it used); with a missing
    /// password, user domain or project domain Keystone refuses the login.
    /// Either way every API request ends in 401 or 503, while Glance itself
    /// starts fine. With `use_keystone_limits = true`, an incomplete
    /// `[oslo_limit]` makes oslo.limit fail to open its session (`Unable to
    /// initialize OpenStackSDK session`) or find the endpoint, so uploads
    /// fail; a filled `[oslo_limit]` with the limits switched off enforces
    /// nothing.
    ///
    /// ## Example
    /// ```ini
    /// [paste_deploy]
    /// flavor = keystone
    /// [keystone_authtoken]
    /// auth_url = http://controller:5000
    /// username = glance
    /// password = s3cret
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// [paste_deploy]
    /// flavor = keystone
    /// [keystone_authtoken]
    /// auth_url = http://controller:5000
    /// auth_type = password
    /// project_domain_name = Default
    /// user_domain_name = Default
    /// project_name = service
    /// username = glance
    /// password = s3cret
    /// ```
    pub struct KeystoneAuthIncomplete {
        code: "GL208",
        name: "keystone-auth-incomplete",
        severity: Error,
        variants: {
            LIMITS_OFF_INCOMPLETE: Warning when "a filled-in [oslo_limit] cannot log in but `use_keystone_limits` is off (uploads fail once it is turned on)",
            LIMITS_OFF: Info when "[oslo_limit] is filled in but `use_keystone_limits` is off, so Glance enforces no limits",
        },
        category: Consistency,
        summary: "a Keystone section lacks what the service user needs to log in",
    }
}

/// What a password-family login lacks, in the order an operator adds it.
fn missing_password_options(l: &KeystoneAuth, section: &str) -> Vec<String> {
    let mut missing = Vec::new();
    if !l.has("auth_url") {
        missing.push("`auth_url`".to_string());
    }
    let username = l.get("username");
    if username.is_none() && !l.has("user_id") {
        missing.push("`username`".to_string());
    }
    if !l.has("password") {
        missing.push(match username {
            Some(u) => format!("`password` (of user {})", u.value),
            None => "`password`".to_string(),
        });
    }
    if let Some(u) = username {
        if !l.has("user_id") && l.user_domain().is_none() {
            missing.push(format!(
                "`user_domain_name` or `user_domain_id` (the domain of user {})",
                u.value
            ));
        }
    }
    let project = l.has("project_id") || l.has("project_name");
    let scopes = [
        project,
        l.has("domain_id") || l.has("domain_name"),
        l.has("system_scope"),
        l.has("trust_id"),
    ];
    if !scopes.iter().any(|s| *s) {
        missing.push(if section == "oslo_limit" {
            "a scope: `system_scope = all` (or a project)".to_string()
        } else {
            "a project: `project_name` (usually `service`)".to_string()
        });
    }
    if let Some(p) = l.get("project_name") {
        let generic = l.plugin().is_none_or(|t| t == "password");
        let has_domain = l.has("project_domain_name")
            || l.has("project_domain_id")
            || (generic && (l.has("default_domain_id") || l.has("default_domain_name")));
        if !l.has("project_id") && !has_domain {
            missing.push(format!(
                "`project_domain_name` or `project_domain_id` (the domain of project {})",
                p.value
            ));
        }
    }
    missing
}

fn missing_options(ctx: &Context, l: &KeystoneAuth, section: &str, auth_type: &str) -> Vec<String> {
    match auth_type {
        "password" | "v3password" => missing_password_options(l, section),
        "token" | "v3token" => ["auth_url", "token"]
            .into_iter()
            .filter(|k| !l.has(k))
            .map(|k| format!("`{k}`"))
            .collect(),
        "v3applicationcredential" => {
            let mut m: Vec<String> = ["auth_url", "application_credential_secret"]
                .into_iter()
                .filter(|k| !l.has(k))
                .map(|k| format!("`{k}`"))
                .collect();
            if !l.has("application_credential_id") && !l.has("application_credential_name") {
                m.push("`application_credential_id`".to_string());
            }
            m
        }
        _ if ctx.catalogue().auth_plugin_options(auth_type).is_some() => {
            if l.has("auth_url") {
                vec![]
            } else {
                vec!["`auth_url`".to_string()]
            }
        }
        _ => vec![], // a plugin we do not know: not checked
    }
}

/// Several scopes at once: keystoneauth refuses to choose.
fn scope_conflict(l: &KeystoneAuth) -> Option<&'static str> {
    let project = l.has("project_id") || l.has("project_name");
    (l.has("system_scope") && project).then_some("`system_scope` and a project")
}

impl KeystoneAuthIncomplete {
    fn check_section(
        &self,
        ctx: &Context,
        section: &'static str,
        anchor: Option<&Entry>,
        level: &'static Variant,
        out: &mut Vec<Finding>,
    ) {
        let cfg = ctx.config;
        let login = KeystoneAuth::new(cfg, ctx.catalogue(), section);
        let auth_type = login.auth_type;
        // Up to 2026.1 Gazpacho keystonemiddleware still logs in through the
        // legacy admin options when `auth_type` is unset (AuthTokenPlugin):
        // removed-option and deprecated-option speak for those releases.
        let legacy_login = section == "keystone_authtoken"
            && auth_type.is_none()
            && ["admin_user", "identity_uri", "auth_host"]
                .iter()
                .any(|k| login.has(k) && ctx.catalogue().read_at_run_time(section, k));
        if legacy_login {
            return;
        }
        let mut missing = Vec::new();
        if auth_type.is_none() {
            missing.push("`auth_type = password`".to_string());
        }
        let plugin = auth_type.map(|e| e.value.as_str()).unwrap_or("password");
        missing.extend(missing_options(ctx, &login, section, plugin));
        // oslo.limit reads the endpoint options from [oslo_limit] itself.
        let endpoint_known = [
            "endpoint_id",
            "endpoint_service_type",
            "endpoint_service_name",
        ]
        .iter()
        .any(|k| cfg.value("oslo_limit", k).is_some_and(|v| !v.is_empty()));
        if section == "oslo_limit" && !endpoint_known {
            missing.push(
                "`endpoint_id` (or `endpoint_service_type = image` to discover it)".to_string(),
            );
        }
        let where_ = login.describe();
        let header = section_header(cfg, &login.group).or_else(|| section_header(cfg, section));
        let place = |f: Finding| -> Finding {
            match (auth_type, header, anchor) {
                (Some(e), _, _) => f.at_key(e),
                (None, Some(h), _) => f.at(h.name_span).section(section),
                (None, None, Some(a)) => f.at_value(a),
                (None, None, None) => f.section(section),
            }
        };
        if !missing.is_empty() {
            let consequence = if section == "oslo_limit" {
                "oslo.limit cannot log in or find Glance's endpoint, so quota checks and uploads fail"
            } else if auth_type.is_none() && login.has("admin_user") {
                "keystonemiddleware 13 has no login through the legacy `admin_*` options any more, and without `auth_type` it cannot validate tokens, so every request gets 401"
            } else if auth_type.is_none() {
                "without `auth_type` keystonemiddleware ignores the plugin options and cannot validate tokens, so every request gets 401"
            } else {
                "Keystone refuses the service user, so every request gets 401"
            };
            let mut f = place(Finding::new(
                &Self::META,
                format!("{where_} lacks {}: {consequence}", missing.join(", ")),
            ))
            .label("incomplete login")
            .help(format!("add to [{}]: {}", login.group, missing.join("; ")));
            if section == "oslo_limit" && level == &Self::LIMITS_OFF_INCOMPLETE {
                f.message
                    .push_str(" (once `use_keystone_limits` is turned on)");
            }
            f = f.variant(level);
            out.push(f);
        }
        if let Some(what) = scope_conflict(&login) {
            let mut f = place(Finding::new(
                &Self::META,
                format!("{where_} sets both {what}: keystoneauth refuses a token scoped to several targets"),
            ))
            .label("two scopes")
            .help(if section == "oslo_limit" {
                "keep `system_scope = all` and remove the project options"
            } else {
                "keep the project (`project_name`, `project_domain_name`) and remove `system_scope`"
            });
            f = f.variant(level);
            out.push(f);
        }
    }
}

impl Rule for KeystoneAuthIncomplete {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        // A fragment sets some options; its base file the rest.
        if ctx.options.fragment {
            return;
        }
        let cfg = ctx.config;
        // Glance has no default flavor: without one the pipeline has no auth.
        if let Some(flavor) = cfg.get("paste_deploy", "flavor") {
            if flavor.value.contains("keystone") {
                self.check_section(ctx, "keystone_authtoken", Some(flavor), &Self::DEFAULT, out);
            }
        }

        let limits_entry = cfg.get("DEFAULT", "use_keystone_limits");
        let limits_on = limits_entry.and_then(|e| parse_bool(e.value.trim())) == Some(true);
        // "Filled in": the section logs in somewhere. An `endpoint_id` or
        // `region_name` alone (a fragment) does not count.
        let filled = [
            "auth_section",
            "auth_type",
            "auth_url",
            "username",
            "user_id",
            "password",
        ]
        .iter()
        .any(|k| {
            cfg.value("oslo_limit", k)
                .is_some_and(|v| !v.trim().is_empty())
        });
        match (limits_on, filled) {
            (true, false) if !cfg.options("oslo_limit").any(|(_, e)| !e.value.is_empty()) => {
                let e = limits_entry.expect("limits are on");
                out.push(
                    Finding::new(
                        &Self::META,
                        "`use_keystone_limits` is on but [oslo_limit] is empty: oslo.limit cannot log in to Keystone, so every upload fails",
                    )
                    .at_value(e)
                    .label("no [oslo_limit]")
                    .help("fill in [oslo_limit]: `auth_url`, `auth_type = password`, `username`, `password`, `user_domain_id = default`, `system_scope = all`, `endpoint_id`"),
                );
            }
            (true, _) => self.check_section(ctx, "oslo_limit", limits_entry, &Self::DEFAULT, out),
            (false, true) => {
                let mut f = Finding::new(
                    &Self::META,
                    match limits_entry {
                        Some(e) => format!("[oslo_limit] is filled in but `use_keystone_limits = {}`: Glance enforces no unified limits", e.value),
                        None => "[oslo_limit] is filled in but `use_keystone_limits` is not set (default false): Glance enforces no unified limits".to_string(),
                    },
                )
                .label("limits are off")
                .help("set `[DEFAULT] use_keystone_limits = true` to enforce the Keystone limits, or remove [oslo_limit]");
                f = match (limits_entry, section_header(cfg, "oslo_limit")) {
                    (Some(e), _) => f.at_value(e),
                    (None, Some(h)) => f.at(h.name_span).section("oslo_limit"),
                    (None, None) => f.section("oslo_limit"),
                };
                f = f.variant(&Self::LIMITS_OFF);
                out.push(f);
                self.check_section(ctx, "oslo_limit", None, &Self::LIMITS_OFF_INCOMPLETE, out);
            }
            (false, false) => {}
        }
    }
}
