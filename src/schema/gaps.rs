//! Hand-written tables for what the generated catalogue cannot show: options that
//! are registered only at run time. Every row names its source.

use super::types::{DeprecatedName, OptKind, OptionDef};
use std::collections::BTreeMap;

/// `[backend_defaults]`: glance_store driver.py:34/84 (`SHARED_CONF_GROUP`) registers
/// each loaded driver's OPTIONS there; per-backend values fall back to it.
pub const BACKEND_DEFAULTS_GROUP: &str = "backend_defaults";

/// Reserved file stores, glance/common/wsgi_app.py:53 `RESERVED_STORES`
/// (store-options.md, "How the per-backend sections come to exist", 2-3).
pub const RESERVED_STORES: [&str; 2] = ["os_glance_staging_store", "os_glance_tasks_store"];

/// `glance_store.drivers` short entry points (store-options.md, "Legacy single-store vs multi-store").
pub const STORE_TYPES: [&str; 7] = ["file", "http", "swift", "rbd", "cinder", "s3", "vmware"];

/// Backwards-compatible entry points of glance_store's setup.cfg: old class paths,
/// still resolved in glance_store 5.7.0 (store-options.md) but spelled the pre-Juno way.
pub const STORE_CLASS_PATHS: [(&str, &str); 7] = [
    ("glance.store.filesystem.Store", "file"),
    ("glance.store.http.Store", "http"),
    ("glance.store.swift.Store", "swift"),
    ("glance.store.rbd.Store", "rbd"),
    ("glance.store.cinder.Store", "cinder"),
    ("glance.store.s3.Store", "s3"),
    ("glance.store.vmware_datastore.Store", "vmware"),
];

/// Keys of `glance_store.multi_backend._list_driver_opts()` (store-options.md section 3).
const DRIVER_OPT_KEYS: [(&str, &str); 7] = [
    ("cinder", "cinder"),
    ("file", "file"),
    ("glance.store.http.Store", "http"),
    ("glance.store.rbd.Store", "rbd"),
    ("glance.store.s3.Store", "s3"),
    ("glance.store.swift.Store", "swift"),
    ("glance.store.vmware_datastore.Store", "vmware"),
];

/// Plugins whose options we list; any other `auth_type` is "not checked".
pub const AUTH_PLUGINS_CHECKED: [&str; 15] = [
    "password",
    "token",
    "v2password",
    "v2token",
    "v3password",
    "v3token",
    "v3applicationcredential",
    "v3totp",
    "v3tokenlessauth",
    "v3oidcpassword",
    "v3oidcclientcredentials",
    "v3oidcauthcode",
    "v3oidcaccesstoken",
    "v3oidcdeviceauthz",
    "admin_token",
];

pub(crate) fn normalize_store_type(t: &str) -> Option<&'static str> {
    if let Some(s) = STORE_TYPES.iter().find(|s| **s == t) {
        return Some(s);
    }
    STORE_CLASS_PATHS
        .iter()
        .find(|(long, _)| *long == t)
        .map(|(_, s)| *s)
}

pub(crate) fn store_types_by_substring(t: &str) -> Vec<&'static str> {
    DRIVER_OPT_KEYS
        .iter()
        .filter(|(key, _)| key.contains(t))
        .map(|(_, s)| *s)
        .collect()
}

const SRC_DRIVER: &str = "glance_store/driver.py:36-51 MULTI_BACKEND_OPTIONS (glance_store 5.7.0)";
const SRC_RESERVED: &str =
    "glance_store/multi_backend.py:122 register_store_opts, reserved stores (glance_store 5.7.0)";
const SRC_BACKEND_DEFAULTS: &str =
    "glance_store/driver.py:34,84 SHARED_CONF_GROUP (glance_store 5.7.0)";
const SRC_LOADING: &str =
    "keystoneauth1/loading/conf.py register_auth_conf_options (oslo_limit/opts.py register_opts)";
const SRC_IDENTITY: &str =
    "keystoneauth1/loading/identity.py BaseIdentityLoader/BaseV3Loader/BaseGenericLoader";
const SRC_GENERIC: &str = "keystoneauth1/loading/_plugins/identity/generic.py";
const SRC_V3: &str = "keystoneauth1/loading/_plugins/identity/v3.py";
const SRC_V2: &str = "keystoneauth1/loading/identity.py BaseV2Loader + _plugins/identity/v2.py";
const SRC_ADMIN_TOKEN: &str = "keystoneauth1/loading/_plugins/admin_token.py";

/// `store_description` (StrOpt) and `weight` (IntOpt, default 0) of every backend section.
pub(crate) fn backend_extra_options() -> Vec<OptionDef> {
    let desc = OptionDef::string("store_description", SRC_DRIVER);
    let mut weight = OptionDef::string("weight", SRC_DRIVER);
    weight.kind = OptKind::Integer;
    weight.default = Some("0".into());
    vec![desc, weight]
}

fn sourced(mut o: OptionDef, src: &'static str) -> OptionDef {
    o.source = Some(src);
    o
}

/// auth_type / auth_section as keystonemiddleware registers them (same keystoneauth call).
pub(crate) fn loading_options(groups: &BTreeMap<String, Vec<OptionDef>>) -> Vec<OptionDef> {
    let ka = groups
        .get("keystone_authtoken")
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    ["auth_type", "auth_section"]
        .iter()
        .filter_map(|n| ka.iter().find(|o| o.dest == *n).cloned())
        .map(|mut o| {
            for d in &mut o.deprecated_names {
                d.group.clear(); // "same group as the option"
            }
            sourced(o, SRC_LOADING)
        })
        .collect()
}

/// keystoneauth session options, as registered in `[barbican_service_user]` by the same
/// keystoneauth release (`register_session_conf_options`).
pub(crate) fn session_options(groups: &BTreeMap<String, Vec<OptionDef>>) -> Vec<OptionDef> {
    groups
        .get("barbican_service_user")
        .map(|opts| {
            opts.iter()
                .filter(|o| o.dest != "auth_type" && o.dest != "auth_section")
                .cloned()
                .map(|o| sourced(o, "keystoneauth1/loading/session.py get_conf_options (via [barbican_service_user])"))
                .collect()
        })
        .unwrap_or_default()
}

/// Adds `[backend_defaults]`, the reserved stores and `[oslo_limit]` auth_type/auth_section.
pub(crate) fn add_static_gaps(
    groups: &mut BTreeMap<String, Vec<OptionDef>>,
    store_types: &BTreeMap<String, Vec<OptionDef>>,
    loading: &[OptionDef],
) {
    let mut union: Vec<OptionDef> = Vec::new();
    for opts in store_types.values() {
        for o in opts {
            if !union.iter().any(|u| u.dest == o.dest) {
                union.push(sourced(o.clone(), SRC_BACKEND_DEFAULTS));
            }
        }
    }
    groups.insert(BACKEND_DEFAULTS_GROUP.to_string(), union);

    let file = store_types.get("file").map(Vec::as_slice).unwrap_or(&[]);
    for store in RESERVED_STORES {
        let opts: Vec<OptionDef> = [
            "filesystem_store_datadir",
            "filesystem_store_datadirs",
            "filesystem_store_metadata_file",
            "filesystem_store_file_perm",
            "filesystem_store_chunk_size",
            "filesystem_thin_provisioning",
        ]
        .iter()
        .filter_map(|n| file.iter().find(|o| o.dest == *n).cloned())
        .map(|mut o| {
            if o.dest == "filesystem_store_datadir" {
                o.default = Some(format!("/var/lib/glance/{store}"));
            }
            sourced(o, SRC_RESERVED)
        })
        .collect();
        groups.insert(store.to_string(), opts);
    }

    if let Some(limit) = groups.get_mut("oslo_limit") {
        for o in loading {
            if !limit.iter().any(|l| l.dest == o.dest) {
                let mut o = o.clone();
                for d in &mut o.deprecated_names {
                    d.group = "oslo_limit".into();
                }
                limit.push(o);
            }
        }
    }
}

/// Options that hold a secret but are registered without `secret=True`, so
/// the generated catalogue does not mark them: (group, option, source).
const UNMARKED_SECRETS: [(&str, &str, &str); 1] = [(
    "oslo_messaging_kafka",
    "ssl_client_key_password",
    "oslo_messaging/_drivers/kafka_driver/kafka_options.py: the client key's password",
)];

/// Marks [`UNMARKED_SECRETS`] secret.
pub(crate) fn mark_unmarked_secrets(groups: &mut BTreeMap<String, Vec<OptionDef>>) {
    for (group, name, _source) in UNMARKED_SECRETS {
        let opt = groups
            .get_mut(group)
            .and_then(|opts| opts.iter_mut().find(|o| o.dest == name));
        if let Some(o) = opt {
            o.secret = true;
        }
    }
}

/// (name, secret, deprecated names) of a keystoneauth `loading.Opt`.
type Ka = (&'static str, bool, &'static [&'static str]);

const AUTH_URL: Ka = ("auth-url", false, &[]);
const V3_SCOPE: [Ka; 8] = [
    ("system-scope", false, &[]),
    ("domain-id", false, &[]),
    ("domain-name", false, &[]),
    ("project-id", false, &[]),
    ("project-name", false, &[]),
    ("project-domain-id", false, &[]),
    ("project-domain-name", false, &[]),
    ("trust-id", false, &[]),
];
const GENERIC_SCOPE: [Ka; 10] = [
    ("system-scope", false, &[]),
    ("domain-id", false, &[]),
    ("domain-name", false, &[]),
    ("project-id", false, &["tenant-id"]),
    ("project-name", false, &["tenant-name"]),
    ("project-domain-id", false, &[]),
    ("project-domain-name", false, &[]),
    ("trust-id", false, &[]),
    ("default-domain-id", false, &[]),
    ("default-domain-name", false, &[]),
];
const USER: [Ka; 4] = [
    ("user-id", false, &[]),
    ("username", false, &["user-name"]),
    ("user-domain-id", false, &[]),
    ("user-domain-name", false, &[]),
];
const OIDC: [Ka; 8] = [
    ("identity-provider", false, &[]),
    ("protocol", false, &[]),
    ("client-id", false, &[]),
    ("client-secret", true, &[]),
    ("openid-scope", false, &[]), // dest "scope"
    ("access-token-endpoint", false, &[]),
    ("discovery-endpoint", false, &[]),
    ("access-token-type", false, &[]),
];

fn ka_opt(k: &Ka, src: &'static str) -> OptionDef {
    let (name, secret, deps) = *k;
    let mut o = OptionDef::string(name, src);
    if name == "openid-scope" {
        o.dest = "scope".into();
    }
    o.secret = secret;
    // keystoneauth's _to_oslo_opt: a DeprecatedOpt for the name and for its dest form
    for d in deps {
        for n in [d.to_string(), d.replace('-', "_")] {
            if !o.deprecated_names.iter().any(|x| x.name == n) {
                o.deprecated_names.push(DeprecatedName {
                    group: String::new(),
                    name: n,
                });
            }
        }
    }
    o
}

fn build(parts: &[(&[Ka], &'static str)]) -> Vec<OptionDef> {
    parts
        .iter()
        .flat_map(|(ks, src)| ks.iter().map(move |k| ka_opt(k, src)))
        .collect()
}

/// Each plugin's own options (keystoneauth1 5.x), keyed by `auth_type` entry point.
pub(crate) fn auth_plugins() -> BTreeMap<&'static str, Vec<OptionDef>> {
    let mut m = BTreeMap::new();
    let base_generic: Vec<Ka> = std::iter::once(AUTH_URL).chain(GENERIC_SCOPE).collect();
    let base_v3: Vec<Ka> = std::iter::once(AUTH_URL).chain(V3_SCOPE).collect();
    let password: &[Ka] = &[("password", true, &[])];
    let token: &[Ka] = &[("token", true, &[])];
    m.insert(
        "password",
        build(&[
            (&base_generic, SRC_IDENTITY),
            (&USER, SRC_GENERIC),
            (password, SRC_GENERIC),
        ]),
    );
    m.insert(
        "token",
        build(&[(&base_generic, SRC_IDENTITY), (token, SRC_GENERIC)]),
    );
    m.insert(
        "v3password",
        build(&[
            (&base_v3, SRC_IDENTITY),
            (&USER, SRC_V3),
            (password, SRC_V3),
        ]),
    );
    m.insert(
        "v3token",
        build(&[(&base_v3, SRC_IDENTITY), (token, SRC_V3)]),
    );
    let appcred: &[Ka] = &[
        ("application_credential_secret", true, &[]),
        ("application_credential_id", false, &[]),
        ("application_credential_name", false, &[]),
    ];
    m.insert(
        "v3applicationcredential",
        build(&[(&base_v3, SRC_IDENTITY), (&USER, SRC_V3), (appcred, SRC_V3)]),
    );
    let passcode: &[Ka] = &[("passcode", true, &[])];
    m.insert(
        "v3totp",
        build(&[
            (&base_v3, SRC_IDENTITY),
            (&USER, SRC_V3),
            (passcode, SRC_V3),
        ]),
    );
    let tokenless: &[Ka] = &[
        AUTH_URL,
        ("domain-id", false, &[]),
        ("domain-name", false, &[]),
        ("project-id", false, &[]),
        ("project-name", false, &[]),
        ("project-domain-id", false, &[]),
        ("project-domain-name", false, &[]),
    ];
    m.insert("v3tokenlessauth", build(&[(tokenless, SRC_V3)]));
    let v2: &[Ka] = &[
        AUTH_URL,
        ("tenant-id", false, &[]),
        ("tenant-name", false, &[]),
        ("trust-id", false, &[]),
    ];
    let v2user: &[Ka] = &[
        ("username", false, &["user-name"]),
        ("user-id", false, &[]),
        ("password", true, &[]),
    ];
    m.insert("v2password", build(&[(v2, SRC_V2), (v2user, SRC_V2)]));
    m.insert("v2token", build(&[(v2, SRC_V2), (token, SRC_V2)]));
    let oidc_pw: &[Ka] = &[
        ("username", false, &[]),
        ("password", true, &[]),
        ("idp_otp_key", false, &[]),
    ];
    m.insert(
        "v3oidcpassword",
        build(&[(&base_v3, SRC_IDENTITY), (&OIDC, SRC_V3), (oidc_pw, SRC_V3)]),
    );
    m.insert(
        "v3oidcclientcredentials",
        build(&[(&base_v3, SRC_IDENTITY), (&OIDC, SRC_V3)]),
    );
    let code: &[Ka] = &[
        ("redirect-uri", false, &[]),
        ("code", true, &["authorization-code"]),
    ];
    m.insert(
        "v3oidcauthcode",
        build(&[(&base_v3, SRC_IDENTITY), (&OIDC, SRC_V3), (code, SRC_V3)]),
    );
    let access: &[Ka] = &[
        ("identity-provider", false, &[]),
        ("protocol", false, &[]),
        ("access-token", true, &[]),
    ];
    m.insert(
        "v3oidcaccesstoken",
        build(&[(&base_v3, SRC_IDENTITY), (access, SRC_V3)]),
    );
    let device: Vec<Ka> = OIDC
        .iter()
        .copied()
        .filter(|k| k.0 != "access-token-type")
        .chain([
            ("device-authorization-endpoint", false, &[][..]),
            ("code-challenge-method", false, &[][..]),
        ])
        .collect();
    m.insert(
        "v3oidcdeviceauthz",
        build(&[(&base_v3, SRC_IDENTITY), (&device, SRC_V3)]),
    );
    let admin: &[Ka] = &[("endpoint", false, &[]), ("token", true, &[])];
    m.insert("admin_token", build(&[(admin, SRC_ADMIN_TOKEN)]));
    m
}

#[cfg(test)]
mod tests {
    use super::super::catalogue;

    fn names(v: Vec<&super::OptionDef>) -> Vec<String> {
        v.iter().map(|o| o.dest.clone()).collect()
    }

    #[test]
    fn store_type_normalisation() {
        let c = catalogue();
        assert_eq!(c.normalize_store_type("rbd"), Some("rbd"));
        assert_eq!(
            c.normalize_store_type("glance.store.rbd.Store"),
            Some("rbd")
        );
        assert_eq!(
            c.normalize_store_type("glance.store.filesystem.Store"),
            Some("file")
        );
        assert_eq!(
            c.normalize_store_type("glance.store.vmware_datastore.Store"),
            Some("vmware")
        );
        assert_eq!(c.normalize_store_type("filez"), None);
        assert_eq!(c.normalize_store_type("RBD"), None);
        assert_eq!(c.normalize_store_type("Store"), None);
        assert_eq!(
            c.store_types_registered_by("Store"),
            vec!["http", "rbd", "s3", "swift", "vmware"]
        );
        assert_eq!(c.store_types_registered_by("vmware"), vec!["vmware"]);
        assert_eq!(c.store_types_registered_by("file"), vec!["file"]);
    }

    #[test]
    fn store_options() {
        let c = catalogue();
        let rbd = names(c.store_type_options("glance.store.rbd.Store").unwrap());
        assert!(rbd.contains(&"rbd_store_pool".to_string()));
        assert!(
            rbd.contains(&"store_description".to_string()) && rbd.contains(&"weight".to_string())
        );
        assert_eq!(rbd.len(), 8);
        assert_eq!(c.store_type_options("cinder").unwrap().len(), 24);
        assert!(c.store_type_options("nope").is_none());
        let w = c
            .store_type_options("file")
            .unwrap()
            .into_iter()
            .find(|o| o.dest == "weight")
            .unwrap();
        assert_eq!(w.default.as_deref(), Some("0"));
        assert!(w.check_value("high").is_err());
        // backend_defaults: union of the 7 types' options (92), no store_description/weight
        assert_eq!(c.option_names("backend_defaults").len(), 92);
        assert!(c.option("backend_defaults", "weight").is_none());
        let staging = c.option_names("os_glance_staging_store");
        assert_eq!(staging.len(), 6);
        assert!(c
            .option("os_glance_tasks_store", "filesystem_store_timeout")
            .is_none());
        assert_eq!(
            c.option("os_glance_tasks_store", "filesystem_store_datadir")
                .unwrap()
                .default
                .as_deref(),
            Some("/var/lib/glance/os_glance_tasks_store")
        );
    }

    #[test]
    fn auth_plugins() {
        let c = catalogue();
        let pw = names(c.auth_plugin_options("password").unwrap());
        for n in [
            "auth_url",
            "system_scope",
            "default_domain_name",
            "user_domain_name",
            "password",
        ] {
            assert!(pw.contains(&n.to_string()), "{n}");
        }
        for n in [
            "auth_type",
            "auth_section",
            "cafile",
            "insecure",
            "timeout",
            "collect_timing",
            "split_loggers",
        ] {
            assert!(pw.contains(&n.to_string()), "loading/session {n}");
        }
        let v3 = names(c.auth_plugin_own_options("v3password").unwrap());
        assert!(!v3.contains(&"default_domain_id".to_string()));
        assert!(v3.contains(&"project_domain_name".to_string()));
        let ac = c
            .auth_plugin_own_options("v3applicationcredential")
            .unwrap();
        let secret = ac
            .iter()
            .find(|o| o.dest == "application_credential_secret")
            .unwrap();
        assert!(secret.secret);
        assert!(ac.iter().any(|o| o.dest == "project_name"));
        let tok = c.auth_plugin_own_options("v3token").unwrap();
        assert!(tok.iter().any(|o| o.dest == "token" && o.secret));
        let user = c
            .auth_plugin_own_options("password")
            .unwrap()
            .into_iter()
            .find(|o| o.dest == "username")
            .unwrap();
        assert!(user.deprecated_names.iter().any(|d| d.name == "user_name"));
        assert!(
            c.auth_plugin_options("v3samlpassword").is_none(),
            "unknown plugins are not checked"
        );
        for p in super::AUTH_PLUGINS_CHECKED {
            assert!(c.auth_plugin_options(p).is_some(), "{p}");
        }
        let oidc = c.auth_plugin_own_options("v3oidcpassword").unwrap();
        assert!(oidc
            .iter()
            .any(|o| o.dest == "scope" && o.name == "openid-scope"));
    }

    #[test]
    fn unmarked_secrets_are_marked() {
        for (group, name, _) in super::UNMARKED_SECRETS {
            let o = catalogue().option(group, name);
            assert!(o.is_some_and(|o| o.secret), "{group}.{name}");
        }
    }

    #[test]
    fn password_plugin_matches_generated_oslo_limit() {
        // oslo.limit's list_opts includes the `password` plugin: our table must agree.
        let c = catalogue();
        for o in c.auth_plugin_own_options("password").unwrap() {
            let g = c
                .option("oslo_limit", &o.dest)
                .unwrap_or_else(|| panic!("{}", o.dest));
            assert_eq!(g.secret, o.secret, "{}", o.dest);
        }
    }
}
