use super::known::KeyClass;
use super::{Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::fix::{Edit, Fix};

declare_rule! {
    /// ## What it does
    /// Finds options written under an old name or in their old section
    /// (`auth_plugin`, `memcache_servers`, `[DEFAULT] disk_formats`,
    /// `user_name`, ...) and says the current one; and options that Glance
    /// has deprecated for removal (`show_multiple_locations`,
    /// `swift_store_user`, `filesystem_store_datadirs`, ...), with why.
    /// `stores`/`default_store` are left to `legacy-store-config`, which
    /// shows the multi-store rewrite.
    ///
    /// ## Why is this bad?
    /// An old name still works today, but only until the release that drops
    /// it: then the line is silently ignored and the option falls back to its
    /// default, with no error at start-up. When both names are set, the new
    /// one wins and the old line is dead already. An option deprecated for
    /// removal will likewise be ignored one day; some already have no effect.
    ///
    /// ## Example
    /// ```ini
    /// [keystone_authtoken]
    /// auth_plugin = password
    /// memcache_servers = controller:11211
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// [keystone_authtoken]
    /// auth_type = password
    /// memcached_servers = controller:11211
    /// ```
    pub struct DeprecatedOption {
        code: "GL105",
        name: "deprecated-option",
        severity: Warning,
        category: Catalogue,
        summary: "an option is written under a deprecated name, or is deprecated for removal",
        fixes: {
            Safe: "renames an old name to the current one in the same section, when the current name is not set too",
        },
    }
}

/// The catalogue's deprecation reason categories, in words.
fn reason_text(category: &str) -> &'static str {
    match category {
        "security" => "it weakens security",
        "ineffective" => "it does not do what it promises",
        "no_effect" => "it has no effect any more",
        "superseded" => "a newer option replaces it",
        "superseded_by_multistore" => {
            "multi-store (`enabled_backends` and per-backend sections) replaces it"
        }
        "moved_to_swift_reference_file" => {
            "swift credentials belong in the swift reference file (`swift_store_config_file`, section named by `default_swift_reference`)"
        }
        _ => "it is being phased out",
    }
}

/// The swift reference file's key that replaces a deprecated `swift_store_*` option:
/// glance_store's help of each names it (glance_store/_drivers/swift/utils.py: "The option
/// 'user' in the Swift back-end configuration file is set instead").
pub(crate) fn swift_reference_key(option: &str) -> Option<&'static str> {
    match option {
        "swift_store_auth_address" => Some("auth_address"),
        "swift_store_user" => Some("user"),
        "swift_store_key" => Some("key"),
        "swift_store_auth_version" => Some("auth_version"),
        _ => None,
    }
}

/// Where the value of a `swift_store_*` option goes now.
pub(crate) fn swift_reference_help(reference_key: &str) -> String {
    format!(
        "move the value to `{reference_key}` in the file that `swift_store_config_file` names (e.g. /etc/glance/glance-swift.conf), under the section that `default_swift_reference` names (`[ref1]` by default)"
    )
}

/// What to do instead, where the reason says where the value goes now.
fn removal_help(reason: Option<&str>, key: &str) -> String {
    match (reason, swift_reference_key(key)) {
        (Some("moved_to_swift_reference_file"), Some(k)) => swift_reference_help(k),
        _ => "plan to remove it: a future release will ignore it".to_string(),
    }
}

impl Rule for DeprecatedOption {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        for (entry, class) in ctx.classified() {
            let (key, section) = (&entry.key, entry.section.as_str());
            match class {
                KeyClass::Deprecated { group, opt } => {
                    let new = &opt.dest;
                    let moved = group != section;
                    let target = if moved {
                        format!("`[{group}] {new}`")
                    } else {
                        format!("`{new}`")
                    };
                    let mut message = format!("`{key}` is a deprecated name of {target}");
                    if ctx.config.get(group, new).is_some() {
                        message.push_str(&format!(
                            ": {target} is also set, so this line is already ignored"
                        ));
                    }
                    let help = if moved {
                        format!("move it to `[{group}]` as `{new} = ...`")
                    } else {
                        format!("rename it to `{new}`")
                    };
                    let also_set = ctx.config.get(group, new).is_some();
                    let mut finding = Finding::new(&Self::META, message)
                        .at_key(entry)
                        .label("old name")
                        .help(help);
                    // The same option under its current name: what Glance
                    // reads does not change. Moving it to another section
                    // is left to the operator.
                    if !moved && !also_set {
                        finding = finding.fix(Fix::safe(
                            format!("rename `{key}` to `{new}`"),
                            vec![Edit::replace(entry.key_span, new.clone())],
                        ));
                    }
                    out.push(finding);
                }
                KeyClass::Known(o) if o.deprecated_for_removal => {
                    // legacy-store-config covers the single-store pair.
                    if section == "glance_store" && (key == "stores" || key == "default_store") {
                        continue;
                    }
                    let since = o
                        .deprecated_since
                        .as_deref()
                        .map(|s| format!(" since {s}"))
                        .unwrap_or_default();
                    let why = reason_text(o.deprecated_reason.as_deref().unwrap_or(""));
                    out.push(
                        Finding::new(
                            &Self::META,
                            format!("`{key}` is deprecated for removal{since}: {why}"),
                        )
                        .at_key(entry)
                        .label("deprecated for removal")
                        .help(removal_help(o.deprecated_reason.as_deref(), key)),
                    );
                }
                _ => {}
            }
        }
    }
}
