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
    /// authentication; swift's `user`/`key` without their `swift_store_`
    /// prefix leave the store without credentials, and uploads fail later.
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
