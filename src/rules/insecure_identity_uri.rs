use url::{Host, Url};

use super::{Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::model::views::keystone::KeystoneAuth;
use crate::model::Entry;

declare_rule! {
    /// ## What it does
    /// Flags a Keystone URL over plain `http` to a host other than the local
    /// machine: `www_authenticate_uri`, `auth_url` and the deprecated
    /// `auth_uri` of `[keystone_authtoken]`, and `auth_url` of `[oslo_limit]`.
    /// `localhost`, `127.0.0.0/8` and `::1` are accepted.
    ///
    /// ## Why is this bad?
    /// Over `auth_url` Glance sends its service user's password to Keystone
    /// and receives tokens; `www_authenticate_uri` is the address Glance tells
    /// clients to log in at. In clear text, anyone on the path (a shared
    /// management network, a compromised switch or hypervisor) reads the
    /// glance user's password and every token validated, and can answer in
    /// Keystone's place: accept forged tokens, so that Glance serves and
    /// changes any project's images for them.
    ///
    /// ## Example
    /// ```ini
    /// [keystone_authtoken]
    /// www_authenticate_uri = http://controller:5000
    /// auth_url = http://controller:5000
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// [keystone_authtoken]
    /// www_authenticate_uri = https://controller:5000
    /// auth_url = https://controller:5000
    /// cafile = /etc/ssl/certs/ca-certificates.crt
    /// ```
    pub struct InsecureIdentityUri {
        code: "GL304",
        name: "insecure-identity-uri",
        severity: Warning,
        category: Security,
        summary: "a Keystone URL uses plain http to another host",
        reference: "OpenStack Security Guide Check-Image-04",
    }
}

const URL_OPTIONS: &[(&str, &str)] = &[
    ("keystone_authtoken", "www_authenticate_uri"),
    ("keystone_authtoken", "auth_uri"),
    ("keystone_authtoken", "auth_url"),
    ("oslo_limit", "auth_url"),
];

pub(crate) fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

impl Rule for InsecureIdentityUri {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        let auths = KeystoneAuth::all(ctx.config, ctx.catalogue());
        let mut seen: Vec<&Entry> = Vec::new();
        for (section, key) in URL_OPTIONS {
            let Some(auth) = auths.iter().find(|a| a.section == *section) else {
                continue;
            };
            // `auth_url` is read where `auth_section` sends it.
            let Some(entry) = auth.option(key) else {
                continue;
            };
            // Two sections sharing one auth_section read one assignment: one finding.
            if seen.iter().any(|e| std::ptr::eq(*e, entry)) {
                continue;
            }
            seen.push(entry);
            // `auth_uri` of a release that no longer reads it: removed-option's line.
            if !ctx.is_read(entry) {
                continue;
            }
            let place = auth.origin_of(entry);
            let Ok(url) = Url::parse(&entry.value) else {
                continue;
            };
            if url.scheme() != "http" || is_loopback(&url) {
                continue;
            }
            let host = url.host_str().unwrap_or_default();
            let mut https = url.clone();
            let fixed = match https.set_scheme("https") {
                Ok(()) => https.to_string(),
                Err(()) => "https://...".to_string(),
            };
            let fixed = if entry.value.ends_with('/') {
                fixed
            } else {
                fixed.trim_end_matches('/').to_string()
            };
            // The user the file names (`nova` in a copied file), not an assumed `glance`.
            let what = if *key == "www_authenticate_uri" || *key == "auth_uri" {
                "tells clients to send their credentials".to_string()
            } else {
                match auth.get("username").map(|e| e.value.trim()) {
                    Some(user) if !user.is_empty() => {
                        format!("sends the password of user `{user}` and tokens")
                    }
                    _ => "sends the service user's password and tokens".to_string(),
                }
            };
            out.push(
                Finding::new(
                    &Self::META,
                    format!("`{key}` in {place} {what} to `{host}` over plain http"),
                )
                .at_value(entry)
                .label("not encrypted")
                .help(format!(
                    "serve Keystone over TLS and use `{} = {fixed}`",
                    // The current name, not the old one the file uses.
                    if *key == "auth_uri" {
                        "www_authenticate_uri"
                    } else {
                        key
                    }
                )),
            );
        }
    }
}
