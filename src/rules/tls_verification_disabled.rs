use url::Url;

use super::{Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::model::views::{enabled_backends, is_true};

declare_rule! {
    /// ## What it does
    /// Flags `insecure = true` in `[keystone_authtoken]` and `[oslo_limit]`,
    /// and the store options that turn certificate checks off
    /// (`swift_store_auth_insecure`, `cinder_api_insecure`, `vmware_insecure`)
    /// in `[glance_store]` or a backend section. It also notes an
    /// `https` Keystone `auth_url` without `cafile` in the same section: the
    /// certificate is then checked against the default CA bundle (certifi
    /// or the system's), which
    /// fails (and stops authentication) for a private CA.
    ///
    /// ## Why is this bad?
    /// With verification off, TLS still encrypts but no longer proves who is
    /// at the other end: anyone who can redirect the traffic (ARP or DNS
    /// spoofing on the management network) presents any certificate, reads
    /// the glance user's password, and answers as Keystone, validating
    /// forged tokens, or as the image store, serving altered image data.
    ///
    /// ## Example
    /// ```ini
    /// [keystone_authtoken]
    /// auth_url = https://keystone.example.com:5000
    /// insecure = true
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// [keystone_authtoken]
    /// auth_url = https://keystone.example.com:5000
    /// cafile = /etc/ssl/certs/ca-certificates.crt
    /// ```
    pub struct TlsVerificationDisabled {
        code: "GL305",
        name: "tls-verification-disabled",
        severity: Warning,
        variants: {
            DEFAULT_CA: Info when "an `https` Keystone `auth_url` has no `cafile` in its section: certificates are checked, against the default CA bundle only",
        },
        category: Security,
        summary: "TLS certificate verification is turned off for Keystone or an image store",
        reference: "OpenStack Security Guide Check-Image-04",
    }
}

const STORE_INSECURE: &[(&str, &str)] = &[
    ("swift_store_auth_insecure", "swift_store_cacert"),
    ("cinder_api_insecure", "cinder_ca_certificates_file"),
    ("vmware_insecure", "vmware_ca_file"),
];

impl Rule for TlsVerificationDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        let cfg = ctx.config;
        for section in ["keystone_authtoken", "oslo_limit"] {
            if let Some(e) = is_true(cfg, section, "insecure") {
                out.push(
                    Finding::new(
                        &Self::META,
                        format!("[{section}] does not verify Keystone's TLS certificate"),
                    )
                    .at_value(e)
                    .label("verification off")
                    .help("remove `insecure`, and set `cafile` to the CA that signed Keystone's certificate"),
                );
                continue;
            }
            let https = cfg
                .get(section, "auth_url")
                .filter(|e| Url::parse(&e.value).is_ok_and(|u| u.scheme() == "https"));
            if let (Some(e), None) = (https, cfg.get(section, "cafile")) {
                let f = Finding::new(
                    &Self::META,
                    format!("[{section}] checks Keystone's certificate against the default CA bundle only"),
                )
                .at_value(e)
                .label("no cafile")
                .help(format!(
                    "if a private CA signed Keystone's certificate, set `cafile` in [{section}]"
                ))
                .variant(&Self::DEFAULT_CA);
                out.push(f);
            }
        }
        let mut sections = vec!["glance_store".to_string()];
        if let Some((_, backends)) = enabled_backends(cfg) {
            sections.extend(backends.into_iter().map(|b| b.id));
        }
        for section in &sections {
            for (key, cafile) in STORE_INSECURE {
                if let Some(e) = is_true(cfg, section, key) {
                    out.push(
                        Finding::new(
                            &Self::META,
                            format!("`{key}` in [{section}] turns off the store's TLS certificate check"),
                        )
                        .at_value(e)
                        .label("verification off")
                        .help(format!("remove `{key}`; for a private CA set `{cafile}` instead")),
                    );
                }
            }
        }
    }
}
