use url::Url;

use super::{Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::model::views::keystone::KeystoneAuth;
use crate::model::Entry;

declare_rule! {
    /// ## What it does
    /// Compares the Keystone URLs of `[keystone_authtoken]` and
    /// `[oslo_limit]`, and flags the retired admin port `35357` and the
    /// removed `/v2.0` API path.
    ///
    /// ## Why is this bad?
    /// Both sections talk to the same Keystone. When their `auth_url`s differ
    /// in scheme, host or port, one of them usually points at an old or
    /// wrong address: token validation works while every quota check fails,
    /// or the reverse. Keystone has served everything on port 5000 since
    /// Queens and removed the v2.0 API in Queens; URLs on `:35357` or ending
    /// in `/v2.0` fail with connection errors or 404s.
    ///
    /// ## Example
    /// ```ini
    /// [keystone_authtoken]
    /// auth_url = http://controller:5000
    /// [oslo_limit]
    /// auth_url = http://controller:35357/v2.0
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// [keystone_authtoken]
    /// auth_url = http://controller:5000
    /// [oslo_limit]
    /// auth_url = http://controller:5000
    /// ```
    pub struct AuthUrlMismatch {
        code: "GL206",
        name: "auth-url-mismatch",
        severity: Warning,
        category: Consistency,
        summary: "the Keystone URLs of [keystone_authtoken] and [oslo_limit] disagree or are outdated",
    }
}

/// The URL options compared, per section; `auth_url` is read where
/// `auth_section` sends it.
const URL_OPTIONS: &[(&str, &str)] = &[
    ("keystone_authtoken", "www_authenticate_uri"),
    ("keystone_authtoken", "auth_url"),
    ("oslo_limit", "auth_url"),
];

/// One URL option as the service reads it.
struct Parsed<'a> {
    section: &'static str,
    key: &'static str,
    /// `[section]`, or `[section] (auth_section [svc])`.
    place: String,
    entry: &'a Entry,
    url: Url,
}

fn origin(u: &Url) -> (String, String, Option<u16>) {
    (
        u.scheme().to_string(),
        u.host_str().unwrap_or_default().to_ascii_lowercase(),
        u.port_or_known_default(),
    )
}

impl Rule for AuthUrlMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        let auths = KeystoneAuth::all(ctx.config, ctx.catalogue());
        let parsed: Vec<Parsed> = URL_OPTIONS
            .iter()
            .filter_map(|&(section, key)| {
                let auth = auths.iter().find(|a| a.section == section)?;
                let entry = auth.option(key)?;
                Some(Parsed {
                    section,
                    key,
                    place: auth.origin_of(entry),
                    entry,
                    url: Url::parse(&entry.value).ok()?,
                })
            })
            .collect();
        for (i, p) in parsed.iter().enumerate() {
            // Two sections sharing one auth_section read one assignment: one finding.
            if parsed[..i].iter().any(|q| std::ptr::eq(q.entry, p.entry)) {
                continue;
            }
            let (place, entry, url) = (&p.place, p.entry, &p.url);
            if url.port() == Some(35357) {
                out.push(
                    Finding::new(
                        &Self::META,
                        format!(
                            "`{}` in {place} uses Keystone's retired admin port 35357",
                            entry.key
                        ),
                    )
                    .at_value(entry)
                    .label("admin port")
                    .help("Keystone serves the whole v3 API on port 5000: use `:5000`"),
                );
            }
            if url.path().trim_end_matches('/').ends_with("/v2.0") {
                out.push(
                    Finding::new(
                        &Self::META,
                        format!(
                            "`{}` in {place} points at the removed Keystone v2.0 API",
                            entry.key
                        ),
                    )
                    .at_value(entry)
                    .label("v2.0 path")
                    .help("remove `/v2.0`: keystoneauth discovers the v3 API from the bare URL"),
                );
            }
        }
        let find = |s: &str, k: &str| {
            parsed
                .iter()
                .find(|p| p.section == s && p.key == k)
                .map(|p| (p.section, p.entry, &p.url))
        };
        if let (Some((_, a, ua)), Some((_, b, ub))) = (
            find("keystone_authtoken", "auth_url"),
            find("oslo_limit", "auth_url"),
        ) {
            let (oa, ob) = (origin(ua), origin(ub));
            if oa != ob {
                let what = if oa.0 != ob.0 {
                    "scheme"
                } else if oa.1 != ob.1 {
                    "host"
                } else {
                    "port"
                };
                out.push(
                    Finding::new(
                        &Self::META,
                        format!("[oslo_limit] auth_url and [keystone_authtoken] auth_url differ in {what}"),
                    )
                    .at_value(b)
                    .label(format!("[keystone_authtoken] has {}", a.value))
                    .help("point both sections at the same Keystone, on port 5000"),
                );
            }
        }
        // The public and the internal URL may name different hosts; the same
        // host on two ports is a typo.
        if let (Some((_, a, ua)), Some((_, b, ub))) = (
            find("keystone_authtoken", "auth_url"),
            find("keystone_authtoken", "www_authenticate_uri"),
        ) {
            let (oa, ob) = (origin(ua), origin(ub));
            if oa.1 == ob.1 && oa.2 != ob.2 && ua.port() != Some(35357) && ub.port() != Some(35357)
            {
                out.push(
                    Finding::new(&Self::META, "`www_authenticate_uri` and `auth_url` name the same host on different ports")
                        .at_value(b)
                        .label(format!("`auth_url` has port {}", oa.2.map(|p| p.to_string()).unwrap_or_default()))
                        .help(format!("Keystone listens on one port: `www_authenticate_uri = {}`", a.value)),
                );
            }
        }
    }
}
