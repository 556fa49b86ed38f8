use super::known::{KeyClass, Removal};
use super::{Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::fix::{Edit, Fix};
use crate::schema::{Release, RemovedIn};

declare_rule! {
    /// ## What it does
    /// Finds options that Glance or its libraries no longer have in the
    /// release the file is judged against (`--target-release`, default the
    /// newest), with the release that dropped them and what replaces them:
    /// from the catalogue's releases (`sql_connection`, an old name of
    /// `[database] connection` up to 2023.2 Bobcat; `notification_driver` up
    /// to 2024.2 Dalmatian; `bind_host`, `workers` and `auth_uri` up to 2026.1
    /// Gazpacho), or, for what went before 2022.2 Zed, from a cited table
    /// (`rpc_backend` and `rabbit_host` in Stein, `enable_v1_api` in Rocky,
    /// `sqlite_db` in Pike ...). An option a release still reads is not
    /// reported for it: judge the file against the release you run.
    ///
    /// The legacy `[keystone_authtoken]` admin options (`identity_uri`,
    /// `admin_user`, `admin_password`, `admin_tenant_name`, `auth_host` ...)
    /// went with keystonemiddleware 13.0.0 (2026.2 Hibiscus), which has no
    /// fallback that reads them: without an `auth_type` plugin the service
    /// user cannot log in. Older releases still log in with them.
    ///
    /// ## Why is this bad?
    /// A removed option is silently ignored: Glance starts, and the setting
    /// simply has no effect. Messaging falls back to its defaults, the
    /// service user has no credentials (every request gets 401), or the
    /// store configuration the line was meant to set is never used. It is a
    /// warning, since Glance starts and serves; where the lost value stops
    /// Glance from working, another rule says so as an error (the database
    /// URL under `sql_connection`: `database-connection-missing`; a login
    /// without `auth_type`: `keystone-auth-incomplete`).
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
        severity: Warning,
        category: Catalogue,
        summary: "an option was removed from Glance or its libraries, so it is ignored",
        fixes: {
            Unsafe: "renames a removed option whose successor means the same (`auth_uri` to `www_authenticate_uri`), when the successor is not set",
        },
    }
}

/// A removed option whose successor reads the same value the same way:
/// `(section, removed name, successor)`. Data, so that a target release can
/// narrow it (the rename only helps where the successor exists).
pub(crate) static SAME_MEANING: &[(&str, &str, &str)] =
    &[("keystone_authtoken", "auth_uri", "www_authenticate_uri")];

/// The successor of a removed option in `section`, when one means the same.
pub(crate) fn same_meaning_successor(section: &str, key: &str) -> Option<&'static str> {
    SAME_MEANING
        .iter()
        .find(|(s, k, _)| *s == section && *k == key)
        .map(|(_, _, new)| *new)
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
            let (message, help) = describe(key, r);
            let mut f = Finding::new(&Self::META, message)
                .label("removed option")
                .help(help);
            if let Some(release) = removed_since(r) {
                f = f.since(release);
            }
            // Unsafe: the value now takes effect where it was ignored. Only
            // where the release linted has the successor.
            if let Some(new) = same_meaning_successor(&entry.section, key) {
                let successor_read = ctx.catalogue().option(&entry.section, new).is_some();
                if successor_read && ctx.config.get(&entry.section, new).is_none() {
                    f = f.fix(Fix::unsafe_(
                        format!("rename `{key}` to `{new}` (the value takes effect again)"),
                        vec![Edit::replace(entry.key_span, new)],
                    ));
                }
            }
            out.push(f.at_key(entry));
        }
    }
}

/// The release from which the removal holds, when the catalogue knows it.
fn removed_since(removal: &Removal) -> Option<Release> {
    match removal {
        Removal::InRelease { removed_in, .. } => Some(*removed_in),
        Removal::Listed(r) => match r.removed_in {
            RemovedIn::Series(series) => Release::parse(series).ok(),
            _ => None,
        },
    }
}

/// The message and help of one removed option: when it went (the release the
/// catalogue's masks give, or the hand table's), what it was, what replaces it.
fn describe(key: &str, removal: &Removal) -> (String, String) {
    let replacement = removal.replacement();
    let note = match removal {
        Removal::Listed(r) => Some(r.note),
        Removal::InRelease { advice, .. } => advice.map(|a| a.note),
    };
    let message = match removal {
        Removal::InRelease {
            last,
            removed_in,
            renamed_to: Some((group, current)),
            ..
        } => format!(
            "`{key}` was an old name of `[{group}] {current}` up to {last}; from {} on Glance ignores it",
            removed_in.long_label()
        ),
        Removal::InRelease { removed_in, .. } => format!(
            "`{key}` was removed in {}, so Glance ignores it",
            removed_in.long_label()
        ),
        Removal::Listed(r) => {
            let when = match r.removed_in {
                RemovedIn::Before(release) => release.to_string(),
                RemovedIn::Series(series) => Release::parse(series)
                    .map(|r| r.long_label())
                    .unwrap_or_else(|_| series.to_string()),
                RemovedIn::Catalogue => String::new(),
            };
            format!("`{key}` was removed in {when}, so Glance ignores it")
        }
    };
    let help = match (replacement, note) {
        (Some(rep), Some(note)) => format!("use {rep} instead ({note})"),
        (Some(rep), None) => format!("use {rep} instead"),
        (None, Some(note)) => format!("delete the line ({note})"),
        (None, None) => "delete the line".to_string(),
    };
    (message, help)
}
