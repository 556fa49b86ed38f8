use super::known::store_template;
use super::{Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::schema::history::{self, Fate};

declare_rule! {
    /// ## What it does
    /// Finds sections, holding at least one option, that Glance never reads:
    /// neither one of its option groups, nor a backend id of `[DEFAULT]
    /// enabled_backends`, `[backend_defaults]`, the reserved
    /// `[os_glance_staging_store]`/`[os_glance_tasks_store]`, a section named
    /// by `auth_section` or a swift reference section.
    ///
    /// ## Why is this bad?
    /// oslo.config reads every section of the file but Glance only looks up
    /// the groups it registered: an unknown section is dropped without a
    /// word, with all its options. A misspelt `[glance_stores]` leaves the
    /// store at its defaults (images land in `/var/lib/glance/images`, or
    /// uploads fail with 410 Gone); backend options written in the sample's
    /// template sections (`[file]`, `[glance.store.rbd.store]`) instead of
    /// `[<backend id>]` are never used.
    ///
    /// A section of another release says so: `[oslo_messaging_amqp]` went
    /// with the AMQP 1.0 driver in 2025.1 Epoxy. It is a warning, since
    /// Glance starts and serves; where the lost values stop Glance from
    /// working, another rule says so as an error.
    ///
    /// Empty unknown sections, such as those left over from older samples,
    /// change nothing and are not reported.
    ///
    /// ## Example
    /// ```ini
    /// [glance_stores]
    /// filesystem_store_datadir = /srv/glance/images
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// [glance_store]
    /// filesystem_store_datadir = /srv/glance/images
    /// ```
    pub struct UnknownSection {
        code: "GL101",
        name: "unknown-section",
        severity: Warning,
        category: Catalogue,
        summary: "Glance reads no section of this name, so its options are ignored",
    }
}

/// The verb for `n` options: "its 1 option is ignored".
fn are(n: usize) -> &'static str {
    if n == 1 {
        "is"
    } else {
        "are"
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        "option"
    } else {
        "options"
    }
}

impl Rule for UnknownSection {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        let known = ctx.known();
        let names = known.section_names();
        for section in ctx.config.sections() {
            let n = ctx.config.options(section).count();
            if n == 0 || known.section(section).is_some() {
                continue;
            }
            let Some(header) = ctx
                .config
                .docs
                .iter()
                .flat_map(|d| d.sections.iter())
                .find(|h| h.name == section)
            else {
                continue;
            };
            let raw = &header.raw_name;
            let mut f = if let Some(t) = store_template(section) {
                let ids = known.backend_ids_of(t);
                let help = if !known.multi_store() {
                    "without `enabled_backends`, store options go in `[glance_store]`".to_string()
                } else if ids.is_empty() {
                    format!("add a backend of type {t} to `enabled_backends` (`<id>:{t}`) and put its options in `[<id>]`")
                } else {
                    format!(
                        "move these options to {}, the {t} backend of `enabled_backends`",
                        ids.iter()
                            .map(|i| format!("`[{i}]`"))
                            .collect::<Vec<_>>()
                            .join(" or ")
                    )
                };
                let f = Finding::new(
                    &Self::META,
                    format!("`[{raw}]` is the sample's template for {t} store options, not a backend section: Glance ignores its {n} {}", plural(n)),
                )
                .label("template section")
                .help(help);
                f
            } else if let Some(fate) = history::group_fate(section, ctx.catalogue().release()) {
                let release = ctx.catalogue().release();
                let (message, help) = match fate {
                    Fate::Removed { last, removed_in, .. } => (
                        format!(
                            "`[{raw}]` was removed in {}: Glance {release} ignores its {n} {}",
                            removed_in.long_label(),
                            plural(n)
                        ),
                        format!("delete the section (the last release that read it is {last})"),
                    ),
                    Fate::Added { added_in } => (
                        format!(
                            "`[{raw}]` is read from {} on: Glance {release} ignores its {n} {}",
                            added_in.long_label(),
                            plural(n)
                        ),
                        format!("delete the section, or check that {release} is the release you run (--target-release)"),
                    ),
                };
                let f = Finding::new(&Self::META, message)
                    .label("not read by this release")
                    .help(help);
                match fate {
                    Fate::Removed { removed_in, .. } => f.since(removed_in),
                    Fate::Added { .. } => f,
                }
            } else if let Some(t) = backend_like(ctx, section) {
                // A fragment's backend: its base file enables it.
                if ctx.options.fragment {
                    continue;
                }
                let help = if known.multi_store() {
                    format!("add `{raw}:{t}` to `enabled_backends` in [DEFAULT]")
                } else {
                    format!("enable it with `enabled_backends = {raw}:{t}` in [DEFAULT] (and `default_backend` in [glance_store]), or put single-store options in [glance_store]")
                };
                Finding::new(
                    &Self::META,
                    format!(
                        "no backend `{raw}` is enabled in this file: Glance reads `[{raw}]` only when `enabled_backends` names it, so its {n} {t} store {} {} ignored",
                        plural(n),
                        are(n)
                    ),
                )
                .label("backend not enabled")
                .help(format!("{help}; in a fragment whose base file enables it, this is expected"))
            } else if let Some(s) = ctx
                .catalogue()
                .suggest(names.iter().map(String::as_str), section)
            {
                Finding::new(
                    &Self::META,
                    format!(
                        "Glance has no section `[{raw}]`: it ignores its {n} {}",
                        plural(n)
                    ),
                )
                .label("unknown section")
                .help(format!("did you mean `[{s}]`?"))
            } else {
                Finding::new(
                    &Self::META,
                    format!(
                        "Glance reads no section `[{raw}]`: its {n} {} {} ignored",
                        plural(n),
                        are(n)
                    ),
                )
                .label("unknown section")
                .help("remove the section, or move its options to the program that reads them")
            };
            f = f.at(header.name_span).section(section);
            out.push(f);
        }
    }
}

/// The store type whose options fill `section`, when every option there
/// belongs to one store driver (`rbd_store_pool`, `rbd_store_user` ...): a
/// backend section that `enabled_backends` does not name.
fn backend_like(ctx: &Context, section: &str) -> Option<&'static str> {
    let cat = ctx.catalogue();
    let mut common: Option<Vec<&'static str>> = None;
    for (key, _) in ctx.config.options(section) {
        let types: Vec<&'static str> = cat
            .store_type_names()
            .filter(|t| {
                cat.store_type_options(t)
                    .is_some_and(|opts| opts.iter().any(|o| o.dest == key))
            })
            .collect();
        let merged = match common.take() {
            None => types,
            Some(c) => c.into_iter().filter(|t| types.contains(t)).collect(),
        };
        if merged.is_empty() {
            return None;
        }
        common = Some(merged);
    }
    common?.first().copied()
}
