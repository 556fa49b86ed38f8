use super::{Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::model::views::{enabled_backends, store_type};

declare_rule! {
    /// ## What it does
    /// Checks the store type of each `id:type` item of `[DEFAULT]
    /// enabled_backends` against glance_store's drivers: `file`, `http`,
    /// `swift`, `rbd`, `cinder`, `s3`, `vmware` (or their old
    /// `glance.store.<x>.Store` names).
    ///
    /// ## Why is this bad?
    /// glance_store cannot load a driver it does not know: it logs `No
    /// 'glance_store.drivers' driver found, looking for 'filez'` and disables
    /// the backend. If it is the default backend, Glance stops with `Store
    /// for identifier fs not found`; otherwise every image stored there
    /// becomes unreadable. Scheme names such as `filesystem` or `vsphere` are
    /// not store types.
    ///
    /// ## Example
    /// ```ini
    /// [DEFAULT]
    /// enabled_backends = fs:filesystem
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// [DEFAULT]
    /// enabled_backends = fs:file
    /// ```
    pub struct UnknownStoreType {
        code: "GL203",
        name: "unknown-store-type",
        severity: Error,
        category: Consistency,
        summary: "a backend's store type in enabled_backends is not a glance_store driver",
    }
}

/// Scheme names people write where a store type belongs.
const SCHEME_ALIASES: &[(&str, &str)] = &[
    ("filesystem", "file"),
    ("fs", "file"),
    ("https", "http"),
    ("ceph", "rbd"),
    ("vsphere", "vmware"),
    ("vmware_datastore", "vmware"),
    ("swift+https", "swift"),
    ("swift+http", "swift"),
    ("swift+config", "swift"),
];

impl Rule for UnknownStoreType {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        let Some((_, backends)) = enabled_backends(ctx.config) else {
            return;
        };
        for b in backends {
            if let Some(t) = store_type(ctx.catalogue(), &b.store_type) {
                // A legacy driver name (`glance.store.filesystem.Store`) loads
                // the driver, but register_store_opts registers `[id]`'s
                // options only for the `_list_driver_opts()` keys that contain
                // the name: none for the file and cinder class paths.
                if b.store_type != t
                    && !ctx
                        .catalogue()
                        .store_types_registered_by(&b.store_type)
                        .contains(&t)
                {
                    out.push(
                        Finding::new(
                            &Self::META,
                            format!(
                                "`{}` is a legacy driver name: glance_store registers no `{t}` \
                                 options for backend `{}`, and glance-api does not start \
                                 (Store for identifier {} not found)",
                                b.store_type, b.id, b.id
                            ),
                        )
                        .on(b.entry)
                        .at(b.type_span)
                        .label("legacy driver name")
                        .help(format!("write the store type: `{}:{t}`", b.id)),
                    );
                }
                continue;
            }
            let suggestion = if b.store_type.is_empty() {
                None
            } else {
                SCHEME_ALIASES
                    .iter()
                    .find(|(a, _)| a.eq_ignore_ascii_case(&b.store_type))
                    .map(|(_, t)| t.to_string())
                    .or_else(|| {
                        ctx.catalogue()
                            .store_type_names()
                            .min_by_key(|d| {
                                strsim::levenshtein(d, &b.store_type.to_ascii_lowercase())
                            })
                            .filter(|d| {
                                strsim::levenshtein(d, &b.store_type.to_ascii_lowercase()) <= 2
                            })
                            .map(str::to_string)
                    })
            };
            let help = match suggestion {
                Some(t) => format!("did you mean `{}:{t}`?", b.id),
                None => "use one of: file, http, swift, rbd, cinder, s3, vmware".to_string(),
            };
            let message = if b.store_type.is_empty() {
                format!("backend `{}` has no store type", b.id)
            } else {
                format!(
                    "`{}` is not a glance_store driver, so backend `{}` is disabled",
                    b.store_type, b.id
                )
            };
            let span = if b.store_type.is_empty() {
                b.id_span
            } else {
                b.type_span
            };
            out.push(
                Finding::new(&Self::META, message)
                    .on(b.entry)
                    .at(span)
                    .label("unknown store type")
                    .help(help),
            );
        }
    }
}
