use super::{Context, Rule, RuleMeta};
use crate::finding::Finding;

declare_rule! {
    /// ## What it does
    /// Recognises a file that is not a glance-api.conf: a paste deploy file
    /// (`glance-api-paste.ini`: `[pipeline:...]`, `[composite:...]`,
    /// `[app:...]`, `[filter:...]` sections) or another service's
    /// configuration (`nova.conf`, `keystone.conf` ...: several sections
    /// Glance never reads, and nothing only Glance reads). It is said once,
    /// and no other finding is reported for that file.
    ///
    /// ## Why is this bad?
    /// The wrong file was linted (or deployed as glance-api.conf). Judging
    /// it option by option gives pages of findings that are all beside the
    /// point, and passing it to glance-api loses every Glance setting.
    ///
    /// ## Example
    /// ```ini
    /// [pipeline:glance-api-keystone]
    /// pipeline = cors healthcheck http_proxy_to_wsgi versionnegotiation osprofiler authtoken context rootapp
    /// ```
    ///
    /// ## Use instead
    /// Lint `/etc/glance/glance-api.conf`, the file glance-api reads with
    /// `--config-file`.
    pub struct NotGlanceApiConf {
        code: "GL007",
        name: "not-glance-api-conf",
        severity: Error,
        category: File,
        summary: "the file does not look like a glance-api.conf",
    }
}

/// Section prefixes of PasteDeploy files.
const PASTE_PREFIXES: [&str; 6] = [
    "pipeline:",
    "composite:",
    "app:",
    "filter:",
    "server:",
    "loader:",
];

/// Sections that only Glance (glance-api, glance_store) reads.
const GLANCE_SECTIONS: [&str; 8] = [
    "glance_store",
    "paste_deploy",
    "image_format",
    "taskflow_executor",
    "os_glance_tasks_store",
    "os_glance_staging_store",
    "image_import_opts",
    "store_type_location_strategy",
];

/// `[DEFAULT]` options that only Glance reads.
const GLANCE_DEFAULT_OPTIONS: [&str; 14] = [
    "enabled_backends",
    "show_image_direct_url",
    "show_multiple_locations",
    "image_cache_dir",
    "image_cache_driver",
    "enabled_import_methods",
    "node_staging_uri",
    "user_storage_quota",
    "worker_self_reference_url",
    "image_size_cap",
    "image_member_quota",
    "filesystem_store_datadir",
    "default_store",
    "registry_host",
];

impl Rule for NotGlanceApiConf {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        let cfg = ctx.config;
        let headers = || cfg.docs.iter().flat_map(|d| d.sections.iter());
        let glance_only = GLANCE_SECTIONS.iter().any(|s| cfg.has_section(s))
            || GLANCE_DEFAULT_OPTIONS
                .iter()
                .any(|k| cfg.get("DEFAULT", k).is_some());
        // Something only Glance reads: a glance-api.conf, whatever else
        // was pasted into it (unknown-section reports that).
        if glance_only {
            return;
        }
        if let Some(h) = headers().find(|h| {
            PASTE_PREFIXES
                .iter()
                .any(|p| h.raw_name.trim().starts_with(p))
        }) {
            out.push(
                Finding::new(
                    &Self::META,
                    format!(
                        "this is a PasteDeploy file (`[{}]`), not glance-api.conf",
                        h.raw_name.trim()
                    ),
                )
                .at(h.name_span)
                .section(h.name.clone())
                .label("a paste section")
                .help(
                    "lint glance-api.conf (usually /etc/glance/glance-api.conf); the paste file \
                     is glance-api-paste.ini, which glance-lint does not judge",
                ),
            );
            return;
        }
        let known = ctx.known();
        let foreign: Vec<&str> = cfg
            .sections()
            .filter(|s| known.section(s).is_none())
            .collect();
        let read = cfg
            .sections()
            .filter(|s| known.section(s).is_some())
            .count();
        // Several sections Glance never reads, more than the ones it does.
        if foreign.len() < 3 || foreign.len() <= read {
            return;
        }
        let Some(first) = headers().find(|h| h.name == foreign[0]) else {
            return;
        };
        let shown: Vec<String> = foreign.iter().take(4).map(|s| format!("[{s}]")).collect();
        out.push(
            Finding::new(
                &Self::META,
                format!(
                    "this does not look like glance-api.conf: Glance reads none of {}{} and \
                     nothing only Glance reads is set",
                    shown.join(", "),
                    if foreign.len() > 4 {
                        format!(" (and {} more)", foreign.len() - 4)
                    } else {
                        String::new()
                    }
                ),
            )
            .at(first.name_span)
            .section(first.name.clone())
            .label("not a Glance section")
            .help(
                "lint glance-api.conf (usually /etc/glance/glance-api.conf); another service's \
                 file is not judged",
            ),
        );
    }
}
