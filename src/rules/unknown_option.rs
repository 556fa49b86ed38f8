use super::known::KeyClass;
use super::{Context, Rule, RuleMeta};
use crate::finding::Finding;

declare_rule! {
    /// ## What it does
    /// Finds options that Glance does not have in their section, and suggests
    /// the closest real name of that section ("did you mean"). Names are
    /// compared as oslo.config compares them: exactly, case-sensitively, and
    /// with `-` distinct from `_` (`auth-url` is not `auth_url`).
    ///
    /// Options of a newer release than the one the file is judged against
    /// are reported as such ("read from 2024.2 Dalmatian on"), and options
    /// of an older one as `removed-option`.
    ///
    /// The option set of a section depends on the file: a backend section
    /// gets the options of its store type, `[keystone_authtoken]` and
    /// `[oslo_limit]` those of their `auth_type` plugin (an `auth_type` this
    /// tool does not know is not checked).
    ///
    /// ## Why is this bad?
    /// oslo.config silently ignores a key nobody registered, so a typo never
    /// stops Glance: the option keeps its default. `flavour = keystone` in
    /// `[paste_deploy]` leaves `flavor` unset and the API without Keystone
    /// authentication; a swift reference file's `auth_address`/`user`/`key`
    /// written into `[glance_store]` leave the store without credentials,
    /// and uploads fail later (those keys belong in the file that
    /// `swift_store_config_file` names, as glance_store reads them there).
    /// It is a warning, since Glance starts and serves; where the lost value
    /// stops Glance from working, another rule says so as an error (no
    /// `flavor` with `keystone`: `paste-flavor-invalid`).
    ///
    /// ## Example
    /// ```ini
    /// [paste_deploy]
    /// flavour = keystone
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// [paste_deploy]
    /// flavor = keystone
    /// ```
    pub struct UnknownOption {
        code: "GL102",
        name: "unknown-option",
        severity: Warning,
        category: Catalogue,
        summary: "Glance has no option of this name in this section, so it is ignored",
    }
}

impl Rule for UnknownOption {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        for (entry, class) in ctx.classified() {
            if let KeyClass::NotYet { added_in } = class {
                let release = ctx.catalogue().release();
                let f = Finding::new(
                    &Self::META,
                    format!(
                        "`{}` is read from {} on: Glance {release} ignores it",
                        entry.key,
                        added_in.long_label()
                    ),
                )
                .label("not read by this release")
                .help(format!(
                    "delete the line, or check that {release} is the release you run (--target-release)"
                ));
                out.push(f.at_key(entry));
                continue;
            }
            let KeyClass::Unknown { suggestion } = class else {
                continue;
            };
            let (key, section) = (&entry.key, &entry.section_raw);
            if let Some((real, why)) = misnamed(section, key) {
                out.push(
                    Finding::new(
                        &Self::META,
                        format!("`{key}` is not a Glance option: {why}"),
                    )
                    .label("not an option name")
                    .help(format!("write `{real}`"))
                    .at_key(entry),
                );
                continue;
            }
            if SWIFT_REFERENCE_KEYS.contains(&key.as_str()) && reads_swift_options(ctx, section) {
                out.push(swift_reference_key(entry).at_key(entry));
                continue;
            }
            let f = match suggestion {
                Some(s) if *s == key.replace('-', "_") => {
                    Finding::new(
                        &Self::META,
                        format!("oslo.config reads option names exactly as written: `{key}` is not `{s}`, so Glance ignores it"),
                    )
                    .label("not an option name")
                    .help(format!("write `{s}`"))
                }
                Some(s) => {
                    Finding::new(
                        &Self::META,
                        format!("`[{section}]` has no option `{key}`: Glance ignores it"),
                    )
                    .label("unknown option")
                    .help(format!("did you mean `{s}`?"))
                }
                None => Finding::new(
                    &Self::META,
                    format!("`[{section}]` has no option `{key}`: Glance ignores it"),
                )
                .label("unknown option")
                .help("remove it, or check its name and section against the documentation of the Glance release you run"),
            };
            out.push(f.at_key(entry));
        }
    }
}

/// The keys glance_store reads from each section of a swift reference file
/// (`swift_store_config_file`, glance_store/_drivers/swift/utils.py `SwiftParams._load_config`),
/// never from glance-api.conf: written into `[glance_store]` they are lost.
const SWIFT_REFERENCE_KEYS: &[&str] = &[
    "auth_address",
    "user",
    "key",
    "auth_version",
    "user_domain_id",
    "user_domain_name",
    "project_domain_id",
    "project_domain_name",
    "application_credential_id",
    "application_credential_secret",
];

/// `[glance_store]`, or the section of a multi-store backend of type swift: where the swift
/// store's own options, `swift_store_config_file` among them, are read.
fn reads_swift_options(ctx: &Context, section: &str) -> bool {
    if section == "glance_store" {
        return true;
    }
    crate::model::views::enabled_backends(ctx.config).is_some_and(|(_, backends)| {
        backends
            .iter()
            .any(|b| b.id == section && b.store_type == "swift")
    })
}

fn swift_reference_key(entry: &crate::model::Entry) -> Finding {
    let (key, section) = (&entry.key, &entry.section_raw);
    Finding::new(
        &UnknownOption::META,
        format!(
            "`{key}` is a key of a swift reference file, not an option of `[{section}]`: Glance ignores it here (the swift store reads it only from its reference file)"
        ),
    )
    .label("a swift reference file's key")
    .help(format!(
        "move `{key}` into the file that `swift_store_config_file` names (e.g. /etc/glance/glance-swift.conf), under the section that `default_swift_reference` names (`[ref1]` by default), and set `swift_store_config_file` in [{section}]"
    ))
}

/// Names that Glance's own documentation once printed for another option: an operator who
/// copied them gets the option's default, silently. `(section, written, real, why)`.
const MISNAMES: &[(&str, &str, &str, &str)] = &[(
    "DEFAULT",
    "use_keystone_quotas",
    "use_keystone_limits",
    "Glance's quota guide printed it by mistake for `use_keystone_limits` until 2022 (bug 1992974). Glance ignores it, so Keystone limits stay off",
)];

fn misnamed(section: &str, key: &str) -> Option<(&'static str, &'static str)> {
    MISNAMES
        .iter()
        .find(|(s, k, _, _)| *s == section && *k == key)
        .map(|&(_, _, real, why)| (real, why))
}
