//! The Keystone login of `[keystone_authtoken]` and `[oslo_limit]` as
//! keystoneauth loads it (`loading.load_from_conf_options`): when the section
//! sets `auth_section`, the auth plugin and its options are read from the
//! section it names (whether or not the file has it), everything else from the
//! section itself. The one place `auth_section` is followed: rules, live
//! planning and probes all read the login through [`KeystoneAuth`].

use crate::model::{EffectiveConfig, Entry};
#[cfg(test)]
use crate::schema::catalogue;
use crate::schema::{normalize_group, Catalogue};

/// The sections Glance logs in to Keystone from.
pub const KEYSTONE_SECTIONS: [&str; 2] = ["keystone_authtoken", "oslo_limit"];

/// The options keystoneauth's password-family plugins read from the
/// `auth_section` (with `auth_type` itself), whatever the plugin; a known
/// plugin adds its own from the catalogue.
const PLUGIN_OPTIONS: &[&str] = &[
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

/// keystoneauth's deprecated names of a plugin option (`auth_plugin` is
/// keystoneauth's old `auth_type`; the others are the plugins' old names).
fn deprecated_names(key: &str) -> &'static [&'static str] {
    match key {
        "auth_type" => &["auth_plugin"],
        "username" => &["user_name", "user-name"],
        "project_name" => &["tenant_name", "tenant-name"],
        "project_id" => &["tenant_id", "tenant-id"],
        _ => &[],
    }
}

/// One section's Keystone login, `auth_section` followed.
#[derive(Debug, Clone)]
pub struct KeystoneAuth<'a> {
    cfg: &'a EffectiveConfig,
    /// The catalogue of the release being linted (the plugins' options).
    catalogue: &'static Catalogue,
    /// The section that logs in (`keystone_authtoken` or `oslo_limit`).
    pub section: &'static str,
    /// The section the plugin options are read from: `auth_section`'s
    /// (normalized) or `section` itself.
    pub group: String,
    /// The `auth_section` assignment that moved `group`, if any.
    pub auth_section: Option<&'a Entry>,
    /// `auth_type` (or its old name `auth_plugin`) in `group`, when set.
    pub auth_type: Option<&'a Entry>,
}

impl<'a> KeystoneAuth<'a> {
    pub fn new(
        cfg: &'a EffectiveConfig,
        catalogue: &'static Catalogue,
        section: &'static str,
    ) -> Self {
        let auth_section = cfg
            .get(section, "auth_section")
            .filter(|e| !e.value.trim().is_empty());
        let group = auth_section
            .map(|e| normalize_group(e.value.trim()))
            .unwrap_or_else(|| section.to_string());
        let mut auth = KeystoneAuth {
            cfg,
            catalogue,
            section,
            group,
            auth_section,
            auth_type: None,
        };
        auth.auth_type = auth.get("auth_type");
        auth
    }

    /// Both Keystone sections.
    pub fn all(cfg: &'a EffectiveConfig, catalogue: &'static Catalogue) -> [Self; 2] {
        KEYSTONE_SECTIONS.map(|s| KeystoneAuth::new(cfg, catalogue, s))
    }

    /// The plugin options come from another section.
    pub fn redirected(&self) -> bool {
        self.group != self.section
    }

    /// The plugin name, trimmed, when `auth_type` is set.
    pub fn plugin(&self) -> Option<&'a str> {
        self.auth_type.map(|e| e.value.trim())
    }

    /// `[section]`, or `[section] (auth_section [group])` when redirected.
    pub fn describe(&self) -> String {
        if self.redirected() {
            format!("[{}] (auth_section [{}])", self.section, self.group)
        } else {
            format!("[{}]", self.section)
        }
    }

    /// Where `entry` (an option this login read) sits, for messages:
    /// `[section]`, or [`Self::describe`] when it came from the `auth_section`.
    pub fn origin_of(&self, entry: &Entry) -> String {
        if self.redirected() && entry.section == self.group {
            self.describe()
        } else {
            format!("[{}]", self.section)
        }
    }

    /// A non-empty plugin option, read from `group`, also under its old names.
    pub fn get(&self, key: &str) -> Option<&'a Entry> {
        std::iter::once(key)
            .chain(deprecated_names(key).iter().copied())
            .find_map(|k| self.cfg.get(&self.group, k))
            .filter(|e| !e.value.trim().is_empty())
    }

    pub fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Whether keystoneauth reads `key` from `group` (a plugin option) rather
    /// than from the section itself.
    pub fn is_plugin_option(&self, key: &str) -> bool {
        PLUGIN_OPTIONS.contains(&key)
            || deprecated_names("auth_type").contains(&key)
            || self
                .plugin()
                .and_then(|p| self.catalogue.auth_plugin_own_options(p))
                .is_some_and(|opts| opts.iter().any(|o| o.dest == key))
    }

    /// An option as the client reads it: a plugin option from `group`, any
    /// other from the section itself.
    pub fn option(&self, key: &str) -> Option<&'a Entry> {
        if self.is_plugin_option(key) {
            self.get(key)
        } else {
            self.cfg.get(self.section, key)
        }
    }

    /// Every effective option the client reads, each with its assignment:
    /// the section's own options, then the plugin options of `group`.
    pub fn options(&self) -> Vec<(&'a str, &'a Entry)> {
        let mut out: Vec<(&'a str, &'a Entry)> = self
            .cfg
            .options(self.section)
            .filter(|(k, _)| !self.redirected() || !self.is_plugin_option(k))
            .collect();
        if self.redirected() {
            out.extend(
                self.cfg
                    .options(&self.group)
                    .filter(|(k, _)| self.is_plugin_option(k)),
            );
        }
        out
    }

    /// The user domain as (kind, value): `("name", "Default")` or `("id", "default")`.
    pub fn user_domain(&self) -> Option<(&'static str, &'a str)> {
        let generic = self.plugin().is_none_or(|t| t == "password");
        [
            ("name", "user_domain_name"),
            ("id", "user_domain_id"),
            ("id", "default_domain_id"),
            ("name", "default_domain_name"),
        ]
        .into_iter()
        .filter(|(_, k)| generic || k.starts_with("user_"))
        .find_map(|(kind, k)| self.get(k).map(|e| (kind, e.value.as_str())))
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
    fn auth_section_moves_the_plugin_options_only() {
        let c = config(
            "[keystone_authtoken]\nauth_section = SVC\nauth_type = ignored\n\
             www_authenticate_uri = http://k:5000\npassword = ignored\n\
             [svc]\nauth_plugin = v3password\nauth_url = http://k:5000\npassword = used\n\
             user_name = glance\nwww_authenticate_uri = not-read\n",
        );
        let a = KeystoneAuth::new(&c, catalogue(), "keystone_authtoken");
        assert_eq!(a.group, "svc");
        assert!(a.redirected());
        assert_eq!(a.plugin(), Some("v3password"));
        assert_eq!(a.get("password").unwrap().value, "used");
        assert_eq!(a.get("username").unwrap().value, "glance");
        assert_eq!(
            a.option("www_authenticate_uri").unwrap().value,
            "http://k:5000"
        );
        assert_eq!(a.option("auth_url").unwrap().section, "svc");
        let keys: Vec<_> = a
            .options()
            .into_iter()
            .map(|(k, e)| (k, &e.section))
            .collect();
        assert!(keys.contains(&("password", &"svc".to_string())));
        assert!(keys.contains(&("www_authenticate_uri", &"keystone_authtoken".to_string())));
        assert!(!keys.iter().any(|(k, _)| *k == "auth_type"));
        assert_eq!(a.describe(), "[keystone_authtoken] (auth_section [svc])");
    }

    #[test]
    fn without_auth_section_the_section_is_its_own_group() {
        let c = config("[oslo_limit]\nauth_section =\nauth_type = password\nusername = u\n");
        let [ks, limit] = KeystoneAuth::all(&c, catalogue());
        assert!(!ks.redirected() && !limit.redirected());
        assert!(ks.auth_type.is_none());
        assert_eq!(limit.plugin(), Some("password"));
        assert_eq!(limit.describe(), "[oslo_limit]");
        assert_eq!(limit.user_domain(), None);
    }

    #[test]
    fn a_missing_auth_section_is_still_followed() {
        // keystoneauth reads the named group whether or not the file has it.
        let c = config("[keystone_authtoken]\nauth_section = nowhere\nauth_type = password\n");
        let a = KeystoneAuth::new(&c, catalogue(), "keystone_authtoken");
        assert_eq!(a.group, "nowhere");
        assert!(a.auth_type.is_none());
    }
}
