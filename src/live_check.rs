//! `--live`: builds the probes' targets ([`crate::live::LiveTargets`]) from the effective
//! configuration, runs them, and turns each [`LiveFinding`] into a [`Finding`] of the GL9xx rule
//! of that name, anchored at the assignment the probe used.
//!
//! Values are the effective ones (last file, last assignment wins; a deprecated name counts when
//! the new one is unset). A `[keystone_authtoken]` or `[oslo_limit]` whose `auth_section` names
//! another section of the file takes its auth plugin options (auth_type, auth_url, user, project,
//! password, scope) from there, as keystoneauth does; any other `auth_section` is ignored.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::finding::Finding;
use crate::live::{self, KeystoneSection, LiveFinding, LiveTargets, RabbitSsl};
use crate::model::{views, EffectiveConfig, Entry};
use crate::options::Selection;
use crate::rules;

/// The options keystoneauth's password plugins read from the `auth_section`.
const AUTH_PLUGIN_OPTIONS: &[&str] = &[
    "auth_type",
    "auth_url",
    "user_id",
    "username",
    "user_domain_id",
    "user_domain_name",
    "password",
    "project_id",
    "project_name",
    "project_domain_id",
    "project_domain_name",
    "domain_id",
    "domain_name",
    "system_scope",
    "trust_id",
    "default_domain_id",
    "default_domain_name",
];

/// The probes' targets and, for the Keystone sections, the assignment behind each value.
pub struct Plan<'a> {
    pub targets: LiveTargets,
    /// (section the probe names, option) → the assignment it was read from.
    origins: BTreeMap<(&'static str, String), &'a Entry>,
}

/// Runs the probes of the selected live rules against the services `config` names.
pub fn check(config: &EffectiveConfig, selection: &Selection, timeout: Duration) -> Vec<Finding> {
    let plan = plan(config, selection);
    live::run_probes(&plan.targets, timeout)
        .into_iter()
        .filter_map(|lf| plan.finding(config, selection, lf))
        .collect()
}

/// What the probes will look at: every service whose rules are all deselected is left out.
pub fn plan<'a>(config: &'a EffectiveConfig, selection: &Selection) -> Plan<'a> {
    let on = |names: &[&str]| {
        names
            .iter()
            .any(|n| rules::meta(n).is_some_and(|m| selection.enabled(m)))
    };
    let (keystone, rest) = live::RULES.split_at(4);
    let (database, rest) = rest.split_at(4);
    let (rabbitmq, memcached) = rest.split_at(3);
    let mut origins = BTreeMap::new();
    let mut targets = LiveTargets::default();
    if on(keystone) {
        targets.keystone_authtoken = keystone_section(config, "keystone_authtoken", &mut origins);
        targets.oslo_limit = keystone_section(config, "oslo_limit", &mut origins);
    }
    let value = |section: &str, key: &str| {
        effective(config, section, key)
            .map(|e| e.value.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    if on(database) {
        targets.database_connection = value("database", "connection");
    }
    if on(rabbitmq) {
        targets.transport_url = value("DEFAULT", "transport_url");
        targets.rabbit_ssl = RabbitSsl {
            enabled: value("oslo_messaging_rabbit", "ssl").is_some_and(|v| {
                matches!(v.to_ascii_lowercase().as_str(), "true" | "1" | "yes" | "on")
            }),
            ca_file: value("oslo_messaging_rabbit", "ssl_ca_file"),
            cert_file: value("oslo_messaging_rabbit", "ssl_cert_file"),
            key_file: value("oslo_messaging_rabbit", "ssl_key_file"),
        };
    }
    if on(memcached) {
        if let Some(e) = effective(config, "keystone_authtoken", "memcached_servers") {
            targets.memcached_servers = views::list_items(&e.value)
                .into_iter()
                .map(|(s, end)| e.value[s..end].trim().to_string())
                .filter(|s| !s.is_empty())
                .collect();
        }
    }
    Plan { targets, origins }
}

/// The effective assignment of an option, under its name or, when unset, a deprecated one.
fn effective<'a>(config: &'a EffectiveConfig, section: &str, key: &str) -> Option<&'a Entry> {
    config.get(section, key).or_else(|| {
        crate::schema::catalogue()
            .option(section, key)?
            .deprecated_names
            .iter()
            .find_map(|d| config.get(&d.group, &d.name))
    })
}

fn keystone_section<'a>(
    config: &'a EffectiveConfig,
    section: &'static str,
    origins: &mut BTreeMap<(&'static str, String), &'a Entry>,
) -> Option<KeystoneSection> {
    if !config.has_section(section) {
        return None;
    }
    let auth_section = config
        .value(section, "auth_section")
        .map(str::trim)
        .filter(|s| !s.is_empty() && *s != section && config.has_section(s));
    let mut values = BTreeMap::new();
    let mut add = |key: &str, entry: &'a Entry| {
        values.insert(key.to_string(), entry.value.clone());
        origins.insert((section, key.to_string()), entry);
    };
    for (key, entry) in config.options(section) {
        if auth_section.is_none() || !AUTH_PLUGIN_OPTIONS.contains(&key) {
            add(key, entry);
        }
    }
    if let Some(auth) = auth_section {
        for (key, entry) in config.options(auth) {
            if AUTH_PLUGIN_OPTIONS.contains(&key) {
                add(key, entry);
            }
        }
    }
    Some(KeystoneSection { section, values })
}

impl Plan<'_> {
    /// The finding for one probe result, or None when its rule is deselected.
    fn finding(
        &self,
        config: &EffectiveConfig,
        selection: &Selection,
        lf: LiveFinding,
    ) -> Option<Finding> {
        let meta = rules::meta(lf.rule)?;
        if !selection.enabled(meta) {
            return None;
        }
        let mut f = Finding::new(meta, lf.message);
        if !lf.help.is_empty() {
            f = f.help(lf.help);
        }
        let entry = self
            .origins
            .get(&(lf.section, lf.option.to_string()))
            .copied()
            .or_else(|| effective(config, lf.section, lf.option));
        if let Some(entry) = entry {
            return Some(f.at_value(entry));
        }
        // Not set in the file (a default, or a probe-level failure): the section header.
        let header = config
            .docs
            .iter()
            .flat_map(|d| &d.sections)
            .find(|h| h.name == lf.section);
        if let Some(h) = header {
            f = f.at(h.span);
        }
        f.section = Some(lf.section.to_string());
        f.option = (!lf.option.is_empty()).then(|| lf.option.to_string());
        Some(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn config(text: &str) -> EffectiveConfig {
        crate::effective_config(&[SourceFile::from_text("t.conf", text)])
    }

    #[test]
    fn targets_follow_auth_section_and_deprecated_names() {
        let c = config(
            "[DEFAULT]\ntransport_url = rabbit://u:p@h:5672/\n\
             [database]\nconnection = mysql+pymysql://g:x@db/glance\n\
             [oslo_messaging_rabbit]\nssl = True\nssl_ca_file = /ca.pem\n\
             [keystone_authtoken]\nauth_section = svc\nwww_authenticate_uri = http://k:5000\n\
             password = ignored\nmemcache_servers = m1:11211, m2:11211\n\
             [svc]\nauth_url = http://k:5000\npassword = used\nmemcached_servers = not-read\n",
        );
        let plan = plan(&c, &Selection::default());
        let t = &plan.targets;
        let ks = t.keystone_authtoken.as_ref().unwrap();
        assert_eq!(ks.values["password"], "used");
        assert_eq!(ks.values["www_authenticate_uri"], "http://k:5000");
        assert_eq!(ks.values["auth_url"], "http://k:5000");
        assert!(t.oslo_limit.is_none());
        assert_eq!(t.memcached_servers, ["m1:11211", "m2:11211"]);
        assert_eq!(t.transport_url.as_deref(), Some("rabbit://u:p@h:5672/"));
        assert!(t.rabbit_ssl.enabled);
        assert_eq!(t.rabbit_ssl.ca_file.as_deref(), Some("/ca.pem"));
        assert_eq!(
            plan.origins[&("keystone_authtoken", "password".to_string())].section,
            "svc"
        );
    }

    #[test]
    fn deselected_services_are_not_probed() {
        let c = config(
            "[database]\nconnection = mysql://a:b@h/g\n[keystone_authtoken]\nauth_url = http://k\n",
        );
        let sel = Selection {
            ignore: vec!["GL90".into()],
            ..Selection::default()
        };
        let t = plan(&c, &sel).targets;
        assert!(t.database_connection.is_none() && t.keystone_authtoken.is_none());
        let sel = Selection {
            select: vec!["database-missing".into()],
            ..Selection::default()
        };
        let t = plan(&c, &sel).targets;
        assert!(t.database_connection.is_some() && t.keystone_authtoken.is_none());
    }

    #[test]
    fn findings_anchor_at_the_assignment_or_the_section() {
        let c = config("[keystone_authtoken]\nauth_section = svc\n[svc]\npassword = pw\n");
        let sel = Selection::default();
        let plan = plan(&c, &sel);
        let lf = |option| LiveFinding {
            rule: "keystone-auth-failed",
            section: "keystone_authtoken",
            option,
            message: "m".into(),
            help: String::new(),
        };
        let f = plan.finding(&c, &sel, lf("password")).unwrap();
        assert_eq!(f.section.as_deref(), Some("svc"));
        assert_eq!(f.span, Some(c.get("svc", "password").unwrap().value_span));
        assert!(f.help.is_none());
        let f = plan.finding(&c, &sel, lf("region_name")).unwrap();
        assert_eq!(f.span, Some(c.docs[0].sections[0].span));
        assert_eq!(f.option.as_deref(), Some("region_name"));
        let ignored = Selection {
            ignore: vec!["keystone-auth-failed".into()],
            ..Selection::default()
        };
        assert!(plan.finding(&c, &ignored, lf("password")).is_none());
    }
}
