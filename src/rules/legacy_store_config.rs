use super::{Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::fix::{line_ending, whole_lines, Edit, Fix};
use crate::model::views::{enabled_backends, list_items};
use crate::model::Entry;
use crate::source::Span;

declare_rule! {
    /// ## What it does
    /// Finds the legacy single-store options `[glance_store] stores` and
    /// `default_store`: on their own (deprecated since Rocky), mixed with the
    /// multi-store options, left in `[DEFAULT]`, naming a store no
    /// glance_store driver answers to, or with a `default_store` that
    /// `stores` does not load. The help prints the multi-store rewrite with
    /// your own values.
    ///
    /// ## Why is this bad?
    /// When `enabled_backends` is set, Glance never reads `stores` and
    /// `default_store`: images go to `default_backend`, whatever the legacy
    /// pair says. Without `enabled_backends`, a `default_store` whose driver
    /// `stores` does not load stops Glance at start-up with `Store for scheme
    /// rbd not found`. Since Juno the pair is read only from `[glance_store]`;
    /// in `[DEFAULT]` it is ignored and Glance silently uses the file store.
    /// Both options are deprecated for removal in favour of multi-store.
    ///
    /// ## Example
    /// ```ini
    /// [glance_store]
    /// stores = file,http
    /// default_store = file
    /// filesystem_store_datadir = /data/images
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// [DEFAULT]
    /// enabled_backends = file:file, http:http
    /// [glance_store]
    /// default_backend = file
    /// [file]
    /// filesystem_store_datadir = /data/images
    /// ```
    pub struct LegacyStoreConfig {
        code: "GL205",
        name: "legacy-store-config",
        severity: Warning,
        variants: {
            ONLY_IN_DEFAULT: Error when "`stores` or `default_store` is set only in [DEFAULT], where Glance ignores it",
            NO_SUCH_STORE: Error when "`stores` names no glance_store driver (Glance disables it)",
            MULTI_STORE: Error when "`stores` or `default_store` is set alongside `enabled_backends`, which makes Glance ignore them",
            DEFAULT_NOT_LOADED: Error when "`default_store` needs a store that `stores` does not load (Glance stops at start-up)",
        },
        category: Consistency,
        summary: "the legacy stores/default_store options are used, mixed with multi-store, or inconsistent",
        fixes: {
            Unsafe: "rewrites legacy `stores`/`default_store` as multi-store: `enabled_backends` (ids named after their types), `default_backend`, and a backend section per type holding its store options as written",
        },
    }
}

/// The store type behind a `default_store` scheme (glance_store's schemes).
fn scheme_store_type(scheme: &str) -> Option<&'static str> {
    Some(match scheme {
        "file" | "filesystem" => "file",
        "http" | "https" => "http",
        "swift" | "swift+http" | "swift+https" | "swift+config" => "swift",
        "rbd" => "rbd",
        "cinder" => "cinder",
        "vsphere" => "vmware",
        "s3" | "s3+http" | "s3+https" => "s3",
        _ => return None,
    })
}

/// One `stores` item: its text, its range in the value, and the store type it loads.
struct StoreItem<'a> {
    text: &'a str,
    range: (usize, usize),
    store_type: Option<&'static str>,
}

fn store_items<'e>(ctx: &Context, entry: &'e Entry) -> Vec<StoreItem<'e>> {
    list_items(&entry.value)
        .into_iter()
        .filter(|(s, e)| s < e)
        .map(|(s, e)| {
            let text = &entry.value[s..e];
            StoreItem {
                text,
                range: (s, e),
                store_type: ctx.catalogue().normalize_store_type(text),
            }
        })
        .collect()
}

/// The multi-store block equivalent to the legacy configuration.
fn rewrite(ctx: &Context, types: &[&'static str], default_type: &str) -> String {
    let cfg = ctx.config;
    let mut out = String::from("replace them with multi-store (backend ids named after their types):\n[DEFAULT]\nenabled_backends = ");
    out.push_str(
        &types
            .iter()
            .map(|t| format!("{t}:{t}"))
            .collect::<Vec<_>>()
            .join(", "),
    );
    out.push_str(&format!(
        "\n[glance_store]\ndefault_backend = {default_type}"
    ));
    for t in types {
        let Some(opts) = ctx.catalogue().store_type_options(t) else {
            continue;
        };
        let moved: Vec<String> = cfg
            .options("glance_store")
            .filter(|(k, _)| opts.iter().any(|o| o.dest == *k))
            .map(|(k, e)| {
                if ctx.is_secret(e) || e.value.contains('\n') {
                    format!("{k} = <its current value>")
                } else {
                    format!("{k} = {}", e.value)
                }
            })
            .collect();
        if !moved.is_empty() {
            out.push_str(&format!("\n[{t}]\n{}", moved.join("\n")));
        }
    }
    out
}

impl Rule for LegacyStoreConfig {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        let cfg = ctx.config;
        // Juno moved the pair to [glance_store]; in [DEFAULT] Glance ignores it.
        for key in ["stores", "default_store"] {
            if let Some(e) = cfg.get("DEFAULT", key) {
                let also = cfg.get("glance_store", key).is_some();
                let mut f = Finding::new(
                    &Self::META,
                    format!("`{key}` in [DEFAULT] is ignored: store options are read from [glance_store] since Juno"),
                )
                .at_key(e)
                .label("ignored here");
                f = if also {
                    f.help(format!("remove it: [glance_store] sets `{key}` already"))
                } else {
                    f.variant(&Self::ONLY_IN_DEFAULT).help(format!("move `{key} = {}` to [glance_store] (better: switch to multi-store with `enabled_backends`)", e.value))
                };
                out.push(f);
            }
        }

        let stores = cfg.get("glance_store", "stores");
        let default_store = cfg.get("glance_store", "default_store");
        if stores.is_none() && default_store.is_none() {
            return;
        }
        let items = stores.map(|e| store_items(ctx, e)).unwrap_or_default();

        // Names no driver answers to.
        if let Some(e) = stores {
            for it in &items {
                let span = e.value_subspan(it.range.0, it.range.1);
                // A class path (`glance.store.rbd.Store`) is still a
                // glance_store driver name: only names no driver answers to
                // are reported.
                match it.store_type {
                    Some(_) => {}
                    None => {
                        let f = Finding::new(
                            &Self::META,
                            format!("`{}` in `stores` names no glance_store driver: Glance logs a warning and disables it", it.text),
                        )
                        .on(e)
                        .at(span)
                        .label("no such store")
                        .help("use one of: file, http, swift, rbd, cinder, s3, vmware")
                        .variant(&Self::NO_SUCH_STORE);
                        out.push(f);
                    }
                }
            }
        }

        let multi = enabled_backends(cfg).is_some();
        let default_backend = cfg
            .get("glance_store", "default_backend")
            .filter(|e| !e.value.is_empty());
        if multi {
            for e in [stores, default_store].into_iter().flatten() {
                let ids = enabled_backends(cfg)
                    .map(|(_, b)| {
                        b.iter()
                            .map(|b| format!("{}:{}", b.id, b.store_type))
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .unwrap_or_default();
                let f = Finding::new(
                    &Self::META,
                    format!("`{}` is ignored: with `enabled_backends` set Glance runs multi-store and reads only `enabled_backends` and `default_backend`", e.key),
                )
                .at_key(e)
                .label("not read in multi-store mode")
                .help(match default_backend {
                    Some(d) => format!("remove `{}`: the backends are `{ids}`, the default is `default_backend = {}`", e.key, d.value),
                    None => format!("remove `{}` and name the default with `[glance_store] default_backend = <id>`, one of `{ids}`", e.key),
                })
                .variant(&Self::MULTI_STORE);
                out.push(f);
            }
            return;
        }

        // Legacy mode: what `stores` loads (default: file, http).
        let loaded: Vec<&'static str> = match stores {
            Some(_) => items.iter().filter_map(|i| i.store_type).collect(),
            None => vec!["file", "http"],
        };
        let default_scheme = default_store.map(|e| e.value.as_str()).unwrap_or("file");
        // A value outside the choices is invalid-value's.
        let Some(default_type) = scheme_store_type(default_scheme) else {
            return;
        };
        if let Some(d) = default_store {
            if !loaded.contains(&default_type) {
                let f = Finding::new(
                    &Self::META,
                    format!(
                        "`default_store = {}` needs the `{default_type}` store, which `stores` does not load ({}): Glance stops with `Store for scheme {} not found`",
                        d.value,
                        if loaded.is_empty() { "none".to_string() } else { loaded.join(", ") },
                        d.value
                    ),
                )
                .at_value(d)
                .label("not loaded")
                .help(match stores {
                    Some(s) => format!("add `{default_type}` to `stores = {}`", s.value),
                    None => format!("`stores` defaults to file,http: set `stores = {default_type},http`"),
                })
                .variant(&Self::DEFAULT_NOT_LOADED);
                out.push(f);
            }
        }

        let mut types: Vec<&'static str> = Vec::new();
        for t in loaded.iter().copied().chain(std::iter::once(default_type)) {
            if !types.contains(&t) {
                types.push(t);
            }
        }
        let anchor = default_store.or(stores).expect("one of the pair is set");
        let (msg, label) = match default_backend {
            Some(b) => (
                format!(
                    "legacy `{}` is mixed with the multi-store `default_backend = {}`: without `enabled_backends` Glance runs single-store, uses `default_store` and ignores `default_backend`",
                    anchor.key, b.value
                ),
                "mixed with default_backend",
            ),
            None => (
                format!(
                    "`{}` is a legacy single-store option, deprecated since Rocky in favour of multi-store",
                    anchor.key
                ),
                "deprecated",
            ),
        };
        let mut f = Finding::new(&Self::META, msg)
            .at_key(anchor)
            .label(label)
            .help(rewrite(ctx, &types, default_type));
        let all_known = items.iter().all(|i| i.store_type.is_some());
        if default_backend.is_none() && all_known {
            if let Some(fix) = rewrite_fix(ctx, &types, default_type) {
                f = f.fix(fix);
            }
        }
        out.push(f);
    }
}

/// The edits of [`rewrite`]: in a single file (no overlays), with no
/// section already named after a store type. Every `stores` and
/// `default_store` line of [glance_store] goes (the first becomes
/// `default_backend`), `enabled_backends` is added under [DEFAULT], and
/// each store option of [glance_store] moves, as written, to a new section
/// of its type at the end of the file.
fn rewrite_fix(ctx: &Context, types: &[&'static str], default_type: &str) -> Option<Fix> {
    let cfg = ctx.config;
    if cfg.docs.len() != 1 || types.is_empty() {
        return None;
    }
    let doc = &cfg.docs[0];
    let file = doc.file;
    let src = &ctx.sources[file];
    if doc
        .sections
        .iter()
        .any(|h| types.contains(&h.name.as_str()))
    {
        return None;
    }
    let lines_of =
        |e: &Entry| whole_lines(src, Span::new(file, e.key_span.start, e.value_span.end));
    let eol = line_ending(src, 0);
    let mut edits = Vec::new();
    let mut legacy: Vec<&Entry> = ["stores", "default_store"]
        .iter()
        .flat_map(|k| cfg.all("glance_store", k))
        .collect();
    legacy.sort_by_key(|e| e.key_span.start);
    let (first, rest) = legacy.split_first()?;
    edits.push(Edit::replace(
        lines_of(first),
        format!("default_backend = {default_type}{eol}"),
    ));
    edits.extend(rest.iter().map(|e| Edit::delete(lines_of(e))));
    let enabled = types
        .iter()
        .map(|t| format!("{t}:{t}"))
        .collect::<Vec<_>>()
        .join(", ");
    match doc.sections.iter().find(|h| h.name == "DEFAULT") {
        Some(h) => {
            let after = whole_lines(src, h.span).end;
            // A header on the last line, without a line break.
            let sep = if src.text[..after].ends_with(['\n', '\r']) {
                ""
            } else {
                eol
            };
            edits.push(Edit::insert(
                file,
                after,
                format!("{sep}enabled_backends = {enabled}{eol}"),
            ))
        }
        None => {
            let at = doc.sections.first().map(|h| h.span.start)?;
            edits.push(Edit::insert(
                file,
                crate::fix::line_start(src, at),
                format!("[DEFAULT]{eol}enabled_backends = {enabled}{eol}{eol}"),
            ));
        }
    }
    let mut sections = String::new();
    let mut moved: Vec<usize> = Vec::new();
    for t in types {
        let opts = ctx.catalogue().store_type_options(t)?;
        let mut body = String::new();
        let mut entries: Vec<&Entry> = cfg
            .options("glance_store")
            .filter(|(k, _)| opts.iter().any(|o| o.dest == *k))
            .flat_map(|(k, _)| cfg.all("glance_store", k))
            .collect();
        entries.sort_by_key(|e| e.key_span.start);
        for e in entries {
            let lines = lines_of(e);
            let mut text = src.text.get(lines.start..lines.end)?.to_string();
            if !text.ends_with(['\n', '\r']) {
                text.push_str(eol);
            }
            body.push_str(&text);
            if !moved.contains(&lines.start) {
                moved.push(lines.start);
                edits.push(Edit::delete(lines));
            }
        }
        if !body.is_empty() {
            sections.push_str(&format!("{eol}[{t}]{eol}{body}"));
        }
    }
    if !sections.is_empty() {
        let end = src.text.len();
        if !src.text.is_empty() && !src.text.ends_with(['\n', '\r']) {
            sections.insert_str(0, eol);
        }
        edits.push(Edit::insert(file, end, sections));
    }
    Some(Fix::unsafe_(
        format!("rewrite the legacy store options as multi-store (`enabled_backends = {enabled}`, `default_backend = {default_type}`)"),
        edits,
    ))
}
