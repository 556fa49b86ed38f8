use super::{Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::model::views::{own_paste_file, section_header};

declare_rule! {
    /// ## What it does
    /// Checks `[paste_deploy] flavor` against the pipelines of the
    /// `glance-api-paste.ini` that Glance ships (the same six from 2022.2
    /// Zed to 2026.2): `glance-api` plus `-keystone`, `-caching`,
    /// `-cachemanagement`, `-keystone+caching` and
    /// `-keystone+cachemanagement`. It also reports a `[paste_deploy]`
    /// section whose flavor leaves out `keystone`.
    ///
    /// ## Why is this bad?
    /// Glance loads the pipeline `glance-api-<flavor>`: a flavor with no
    /// such pipeline stops glance-api at start-up (paste's `LookupError`:
    /// `Unable to load glance-api-keystone+cachemanagment from configuration
    /// file`). A flavor without `keystone`, or none at all (`flavour = ...`
    /// is not the option's name), serves the pipeline without the
    /// authentication middleware: its request context is an admin's, so
    /// anyone who reaches port 9292 can read, change and delete every image.
    ///
    /// The check is skipped when `[paste_deploy] config_file` names a paste
    /// file of your own: its pipelines are not known here.
    ///
    /// ## Example
    /// ```ini
    /// [paste_deploy]
    /// flavor = keystone+cachemanagment
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// [paste_deploy]
    /// flavor = keystone
    /// ```
    pub struct PasteFlavorInvalid {
        code: "GL215",
        name: "paste-flavor-invalid",
        severity: Error,
        category: Consistency,
        summary: "[paste_deploy] flavor names no pipeline of glance-api-paste.ini, or none with authentication",
    }
}

/// The flavors of the `glance-api-paste.ini` shipped with glance 25 (2022.2
/// Zed) to 33 (2026.2): `[pipeline:glance-api-*]` until 26, then
/// `[composite:glance-api-*]` with the same names (etc/glance-api-paste.ini
/// at each release tag). The empty flavor is the bare `glance-api`.
const FLAVORS: [&str; 6] = [
    "",
    "keystone",
    "caching",
    "cachemanagement",
    "keystone+caching",
    "keystone+cachemanagement",
];

/// The flavors of glance 21 (2020.2 Victoria) and 22 (2021.1 Wallaby) only:
/// requests authenticated upstream by a trusted proxy's headers
/// (`[pipeline:glance-api-trusted-auth*]` in etc/glance-api-paste.ini at
/// 21.1.0 and 22.1.1, gone at 23.1.0).
const TRUSTED_AUTH_FLAVORS: [&str; 2] = ["trusted-auth", "trusted-auth+cachemanagement"];

/// The flavors of the release linted.
fn flavors(ctx: &Context) -> Vec<&'static str> {
    let mut all = FLAVORS.to_vec();
    if ctx.catalogue().release().series() <= "2021.1" {
        all.extend(TRUSTED_AUTH_FLAVORS);
    }
    all
}

impl Rule for PasteFlavorInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        let cfg = ctx.config;
        if own_paste_file(cfg) {
            return;
        }
        let flavor = cfg.get("paste_deploy", "flavor");
        // glance/common/config.py: app_name += '' if not flavor else '-' + flavor
        let name = flavor.map_or("", |e| e.value.as_str());
        let flavors = flavors(ctx);
        if let Some(entry) = flavor.filter(|_| !flavors.contains(&name)) {
            let suggestion = flavors
                .iter()
                .filter(|f| !f.is_empty())
                .min_by_key(|f| strsim::levenshtein(f, &name.to_ascii_lowercase()))
                .copied()
                .unwrap_or("keystone");
            out.push(
                Finding::new(
                    &Self::META,
                    format!(
                        "glance-api-paste.ini has no pipeline `glance-api-{name}`: glance-api \
                         does not start"
                    ),
                )
                .at_value(entry)
                .label("no such pipeline")
                .help(format!(
                    "use `flavor = {suggestion}` (the flavors are: {})",
                    flavors[1..].join(", ")
                )),
            );
            return;
        }
        // A fragment's base file may set the flavor.
        if name.contains("keystone") || name.starts_with("trusted-auth") || ctx.options.fragment {
            return;
        }
        // Without a [paste_deploy] section the file may be a fragment whose
        // base file sets the flavor: say nothing then.
        let Some(header) = section_header(cfg, "paste_deploy") else {
            return;
        };
        let message = "glance-api serves the API without authentication: every request runs as \
                       an admin, for anyone who reaches port 9292";
        let help = if name.is_empty() {
            "set `flavor = keystone` in [paste_deploy]".to_string()
        } else {
            format!("use `flavor = keystone+{name}`")
        };
        let finding = Finding::new(&Self::META, message)
            .label("no keystone in the flavor")
            .help(help);
        out.push(match flavor {
            Some(entry) => finding.at_value(entry),
            None => finding
                .section("paste_deploy")
                .at(header.name_span)
                .label("no `flavor` here"),
        });
    }
}
