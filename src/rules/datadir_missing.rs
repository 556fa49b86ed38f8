use super::{Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::host::under_root;
use crate::model::views::{enabled_backends, store_type};
use crate::model::Entry;

declare_rule! {
    /// ## What it does
    /// Looks at the file store's image directory on the host
    /// (`filesystem_store_datadir` of each `file` backend, or of
    /// `[glance_store]` in legacy mode): it must exist, be a directory, and
    /// be writable. Paths are resolved under `--root` (default `/`); the
    /// check is skipped with `--no-host-checks`. An empty
    /// `filesystem_store_datadir` is reported whatever the host (it
    /// replaces the default directory with none).
    ///
    /// ## Why is this bad?
    /// glance_store creates a missing directory at start-up when it can; when
    /// it cannot (a typo such as `/ver/lib/glance/images`, a parent owned by
    /// root), it disables the store with `BadStoreConfiguration` and every
    /// upload then fails with `410 Gone` or `503`. A path that is a file, or
    /// a read-only directory, fails the same way.
    ///
    /// ## Example
    /// ```ini
    /// [fs]
    /// filesystem_store_datadir = /ver/lib/glance/images/
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// [fs]
    /// filesystem_store_datadir = /var/lib/glance/images/
    /// ```
    pub struct DatadirMissing {
        code: "GL301",
        name: "datadir-missing",
        severity: Warning,
        variants: {
            UNUSABLE: Error when "the path exists but is not a directory, or is read-only",
            EMPTY: Error when "the value is empty: the store has no directory at all (checked without the host too)",
        },
        category: Security,
        summary: "the file store's image directory does not exist or is not a writable directory",
    }
}

/// The explicitly set datadirs of the file stores Glance will use, empty
/// ones included.
fn file_store_datadir_entries<'a>(ctx: &'a Context) -> Vec<&'a Entry> {
    let cfg = ctx.config;
    let mut out = Vec::new();
    match enabled_backends(cfg) {
        Some((_, backends)) => {
            for b in backends
                .iter()
                .filter(|b| store_type(ctx.catalogue(), &b.store_type) == Some("file"))
            {
                let own = cfg.get(&b.id, "filesystem_store_datadir");
                if let Some(e) =
                    own.or_else(|| cfg.get("backend_defaults", "filesystem_store_datadir"))
                {
                    out.push(e);
                }
            }
        }
        None => out.extend(cfg.get("glance_store", "filesystem_store_datadir")),
    }
    out.dedup_by_key(|e| (e.section.clone(), e.key.clone()));
    out
}

/// The explicitly set, non-empty datadirs of the file stores Glance will use.
pub(crate) fn file_store_datadirs<'a>(ctx: &'a Context) -> Vec<&'a Entry> {
    let mut out = file_store_datadir_entries(ctx);
    out.retain(|e| !e.value.trim().is_empty());
    out
}

impl Rule for DatadirMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        // An empty value replaces the default directory with none:
        // glance_store's filesystem driver then raises BadStoreConfiguration
        // ("Specify at least 'filesystem_store_datadir' or
        // 'filesystem_store_datadirs' option") and the store refuses uploads.
        for entry in file_store_datadir_entries(ctx) {
            let datadirs = ctx
                .config
                .value(&entry.section, "filesystem_store_datadirs")
                .is_some_and(|v| !v.trim().is_empty());
            if entry.value.trim().is_empty() && !datadirs {
                out.push(
                    Finding::new(
                        &Self::META,
                        "`filesystem_store_datadir` is empty: the file store has no image directory, so glance_store disables it and every upload to it fails (410 Gone)",
                    )
                    .at_key(entry)
                    .label("empty")
                    .help("set the directory (the default is `/var/lib/glance/images/`), or delete the line to use the default")
                    .variant(&Self::EMPTY),
                );
            }
        }
        if !ctx.options.host_checks {
            return;
        }
        for entry in file_store_datadirs(ctx) {
            let path = under_root(&ctx.options.root, &entry.value);
            let shown = &entry.value;
            let (level, message, help) = match std::fs::metadata(&path) {
                Err(_) => (
                    &Self::DEFAULT,
                    format!("the image directory `{shown}` does not exist"),
                    format!(
                        "create it for the glance user: `install -d -o glance -g glance -m 750 {shown}`, or fix the path"
                    ),
                ),
                Ok(m) if !m.is_dir() => (
                    &Self::UNUSABLE,
                    format!("the image directory `{shown}` is not a directory"),
                    "point `filesystem_store_datadir` at a directory".to_string(),
                ),
                Ok(m) if m.permissions().readonly() => (
                    &Self::UNUSABLE,
                    format!("the image directory `{shown}` is read-only"),
                    format!("make it writable by the glance user: `chown glance:glance {shown} && chmod 750 {shown}`"),
                ),
                Ok(_) => continue,
            };
            let f = Finding::new(&Self::META, message)
                .at_value(entry)
                .label("image directory")
                .help(help)
                .variant(level);
            out.push(f);
        }
    }
}
