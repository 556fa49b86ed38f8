//! What Glance reads, for the catalogue rules (GL101-GL106) and the secret policy
//! ([`crate::redact::SecretPolicy`]), against the catalogue of the release linted: for each section of
//! the file, the set of options oslo.config registers there *for this file* (the
//! static catalogue groups, the backend sections named by `enabled_backends`, the
//! keystoneauth plugin options of `auth_type`, `auth_section` targets), and for
//! each key, what it is: known, a deprecated name, removed, misplaced or unknown.

use super::views::keystone::KeystoneAuth;
use super::views::{enabled_backends, list_items};
use super::{EffectiveConfig, Entry};
use crate::schema::history::{self, Fate};
use crate::schema::{
    normalize_group, Catalogue, OptionDef, Release, RemovedOption, BACKEND_DEFAULTS_GROUP,
    RESERVED_STORES,
};

/// The option set of one section.
pub(crate) struct SectionSet {
    pub opts: Vec<&'static OptionDef>,
    /// Other keys may be valid too (an auth plugin or a store type we do not
    /// know): keys outside `opts` are not reported.
    pub open: bool,
}

/// What a key of a known section is.
pub(crate) enum KeyClass {
    Known(&'static OptionDef),
    /// An old name: the current option and the group it lives in now.
    Deprecated {
        group: String,
        opt: &'static OptionDef,
    },
    Removed(Removal),
    /// An option of newer releases only: the release linted does not read it.
    NotYet {
        added_in: Release,
    },
    /// A real option of other sections: where it belongs (`[x]` strings, most
    /// likely first), and whether it is also set in one of those places.
    Misplaced {
        homes: Vec<String>,
        set_at_home: bool,
    },
    Unknown {
        suggestion: Option<String>,
    },
    /// In an open section: nothing can be said.
    Unchecked,
}

/// How a removed option went.
pub(crate) enum Removal {
    /// Gone before the oldest release the catalogue knows, or registered
    /// only at run time: the hand table says when and what replaces it.
    Listed(&'static RemovedOption),
    /// Read up to `last`, ignored from `removed_in` on (the catalogue's
    /// release masks), with the hand table's advice when it has some.
    InRelease {
        last: Release,
        removed_in: Release,
        /// `[group] key` it was an old name of, when it was one.
        renamed_to: Option<(&'static str, &'static str)>,
        advice: Option<&'static RemovedOption>,
    },
}

impl Removal {
    /// What replaces the option, for the help.
    pub fn replacement(&self) -> Option<String> {
        match self {
            Removal::Listed(r) => r.replacement.map(str::to_string),
            Removal::InRelease {
                renamed_to, advice, ..
            } => advice
                .and_then(|a| a.replacement.map(str::to_string))
                .or_else(|| renamed_to.map(|(g, k)| format!("[{g}] {k}"))),
        }
    }
}

/// A backend of `enabled_backends`: id (as oslo.config looks the group up) and type.
struct BackendInfo {
    group: String,
    store_type: String,
}

/// The file as Glance sees it: store mode, backends, auth sections.
pub(crate) struct Known<'a> {
    cfg: &'a EffectiveConfig,
    /// The catalogue of the release being linted.
    cat: &'static Catalogue,
    /// Multi-store: `enabled_backends` is set (its backends; may be empty).
    backends: Option<Vec<BackendInfo>>,
    /// [`Known::swift_references`], found once: finding them reads every
    /// entry, and every section asks.
    swift_refs: Vec<String>,
    /// The logins of `[keystone_authtoken]` and `[oslo_limit]`, read once:
    /// every section and every key asks for their plugins.
    auths: [KeystoneAuth<'a>; 2],
}

/// Names that documentation once printed for a real option, too far from it
/// for the edit distance: `(section, written name, real name)`.
/// `use_keystone_quotas`: Glance's unified-quotas admin guide until
/// openstack/glance bbc0df8d4 ("use_keystone_quotas should be
/// use_keystone_limits", bug 1992974, October 2022).
const MISNAMED: [(&str, &str, &str); 1] =
    [("DEFAULT", "use_keystone_quotas", "use_keystone_limits")];

/// Sample-generator template group names of the store options (never real sections).
const STORE_TEMPLATES: [(&str, &str); 7] = [
    ("file", "file"),
    ("cinder", "cinder"),
    ("glance.store.http.store", "http"),
    ("glance.store.rbd.store", "rbd"),
    ("glance.store.s3.store", "s3"),
    ("glance.store.swift.store", "swift"),
    ("glance.store.vmware_datastore.store", "vmware"),
];

/// The store type whose sample template section is named `section`.
pub(crate) fn store_template(section: &str) -> Option<&'static str> {
    STORE_TEMPLATES
        .iter()
        .find(|(g, _)| *g == section)
        .map(|(_, t)| *t)
}

/// `[legacy]` store types loaded from `[glance_store] stores` (default `file, http`).
fn legacy_store_types(cat: &Catalogue, cfg: &EffectiveConfig) -> Vec<&'static str> {
    match cfg.value("glance_store", "stores") {
        Some(v) => list_items(v)
            .into_iter()
            .filter_map(|(s, e)| cat.normalize_store_type(&v[s..e]))
            .collect(),
        None => vec!["file", "http"],
    }
}

impl<'a> Known<'a> {
    pub fn new(cfg: &'a EffectiveConfig, cat: &'static Catalogue) -> Self {
        let backends = enabled_backends(cfg).map(|(_, bs)| {
            bs.into_iter()
                .filter(|b| !b.id.is_empty())
                .map(|b| BackendInfo {
                    group: normalize_group(&b.id),
                    store_type: b.store_type,
                })
                .collect()
        });
        let mut known = Known {
            cfg,
            cat,
            backends,
            swift_refs: Vec::new(),
            auths: KeystoneAuth::all(cfg, cat),
        };
        known.swift_refs = known.swift_references();
        known
    }

    /// The catalogue this file is read against.
    pub fn catalogue(&self) -> &'static Catalogue {
        self.cat
    }

    pub fn multi_store(&self) -> bool {
        self.backends.is_some()
    }

    fn backend(&self, section: &str) -> Option<&BackendInfo> {
        self.backends.as_ref()?.iter().find(|b| b.group == section)
    }

    /// Backend ids (section names) whose store type registers `key`.
    fn backends_with(&self, key: &str) -> Vec<String> {
        self.backends
            .iter()
            .flatten()
            .filter(|b| {
                backend_opts(self.cat, &b.store_type)
                    .0
                    .iter()
                    .any(|o| o.dest == key)
            })
            .map(|b| b.group.clone())
            .collect()
    }

    /// Sections the auth_section option of `[keystone_authtoken]`/`[oslo_limit]` names.
    fn auth_section_targets(&self) -> impl Iterator<Item = &str> {
        self.auths
            .iter()
            .filter(|a| a.redirected())
            .map(|a| a.group.as_str())
    }

    /// Sections named by `default_swift_reference` (and its default `ref1` when a
    /// swift store is in use): read from the swift reference file, which may be
    /// this very file. Treated as open (never reported).
    fn swift_references(&self) -> Vec<String> {
        let mut refs: Vec<String> = self
            .cfg
            .entries()
            .filter(|e| e.key == "default_swift_reference")
            .map(|e| normalize_group(e.value.trim()))
            .collect();
        let swift_used = match &self.backends {
            Some(bs) => bs
                .iter()
                .any(|b| backend_types(self.cat, &b.store_type).contains(&"swift")),
            None => legacy_store_types(self.cat, self.cfg).contains(&"swift"),
        };
        if swift_used {
            refs.push("ref1".into());
        }
        refs
    }

    /// The auth_type in effect for `section` (a Keystone section, or the
    /// target of one's `auth_section`); None if unset.
    fn auth_type(&self, section: &str) -> Option<&'a str> {
        self.auths
            .iter()
            .find(|a| a.section == section || a.group == section)
            .and_then(|a| a.plugin())
    }

    /// The option set of a section, or None when Glance never reads it.
    pub fn section(&self, section: &str) -> Option<SectionSet> {
        let cat = self.cat;
        let mut opts: Vec<&'static OptionDef> = Vec::new();
        let mut open = false;
        let mut known = false;
        if cat.has_group(section) {
            known = true;
            let driver_opt = |o: &OptionDef| !cat.store_types_with_option(&o.dest).is_empty();
            opts.extend(cat.options(section).iter().filter(|o| {
                // Multi-store: glance_store registers no driver options in [glance_store].
                !(section == "glance_store" && self.multi_store() && driver_opt(o))
            }));
        }
        if let Some(b) = self.backend(section) {
            known = true;
            let (bopts, recognised) = backend_opts(self.cat, &b.store_type);
            opts.extend(bopts);
            open |= !recognised; // unknown-store-type reports it; its options are not checked
        }
        let auth_target = self.auth_section_targets().any(|t| t == section);
        if section == "keystone_authtoken" || section == "oslo_limit" || auth_target {
            known = true;
            let auth_type = self.auth_type(section).unwrap_or("password");
            match if auth_target {
                cat.auth_plugin_options(auth_type)
            } else {
                cat.auth_plugin_own_options(auth_type)
            } {
                Some(p) => opts.extend(p),
                None => open = true, // a plugin we do not know: not checked
            }
        }
        if self.swift_refs.iter().any(|r| r == section) {
            known = true;
            open = true;
        }
        known.then_some(SectionSet { opts, open })
    }

    /// The catalogue option Glance reads `key` of `section` as: its own
    /// (`KeyClass::Known`) or the current option of an old name
    /// (`KeyClass::Deprecated`); `None` when the catalogue does not know the
    /// key there. `set` is the section's option set (`None`: a section
    /// Glance does not read, where only an old group name can still count).
    pub fn catalogue_option(
        &self,
        section: &str,
        set: Option<&SectionSet>,
        key: &str,
    ) -> Option<KeyClass> {
        let cat = self.cat;
        let opts = set.map_or(&[][..], |s| s.opts.as_slice());
        if let Some(o) = opts.iter().find(|o| o.dest == key) {
            return Some(KeyClass::Known(o));
        }
        // An old name in the same section (keystoneauth: "same group" is empty).
        if let Some(o) = opts.iter().find(|o| {
            o.deprecated_names.iter().any(|d| {
                d.name == key && (d.group.is_empty() || normalize_group(&d.group) == section)
            })
        }) {
            return Some(KeyClass::Deprecated {
                group: section.to_string(),
                opt: o,
            });
        }
        if let Some((g, o)) = cat.deprecated_lookup(section, key) {
            return Some(KeyClass::Deprecated {
                group: g.to_string(),
                opt: o,
            });
        }
        if let Some(b) = self.backend(section) {
            if let Some(o) = cat.store_deprecated_lookup(&b.store_type, key) {
                return Some(KeyClass::Deprecated {
                    group: section.to_string(),
                    opt: o,
                });
            }
        }
        None
    }

    /// What became of `key` of `section` in the releases around the one
    /// linted: its static group's history, or its store type's in a backend
    /// section.
    fn fate(&self, section: &str, key: &str) -> Option<Fate> {
        let target = self.cat.release();
        if let Some(f) = history::fate(section, key, target) {
            return Some(f);
        }
        let b = self.backend(section)?;
        backend_types(self.cat, &b.store_type)
            .into_iter()
            .find_map(|t| history::store_fate(t, key, target))
    }

    /// Classifies `key` of a known section.
    pub fn classify(&self, section: &str, set: &SectionSet, key: &str) -> KeyClass {
        let cat = self.cat;
        if let Some(class) = self.catalogue_option(section, Some(set), key) {
            return class;
        }
        match self.fate(section, key) {
            Some(Fate::Removed {
                last,
                removed_in,
                renamed_to,
            }) => {
                return KeyClass::Removed(Removal::InRelease {
                    last,
                    removed_in,
                    renamed_to,
                    advice: cat.removed_advice(section, key),
                })
            }
            Some(Fate::Added { added_in }) => return KeyClass::NotYet { added_in },
            None => {}
        }
        if let Some(r) = cat.removed(section, key) {
            return KeyClass::Removed(Removal::Listed(r));
        }
        if cat.read_at_run_time(section, key) {
            return KeyClass::Unchecked;
        }
        if set.open {
            return KeyClass::Unchecked;
        }
        let homes = self.homes(section, key);
        // A name shared by many groups (`timeout`, `insecure`) says nothing about
        // where the user meant it: treat it as unknown here.
        if !homes.is_empty() && homes.len() <= 3 {
            let set_at_home = homes.iter().any(|h| {
                let g = h.trim_start_matches('[').trim_end_matches(']');
                self.cfg.get(g, key).is_some()
            });
            return KeyClass::Misplaced { homes, set_at_home };
        }
        KeyClass::Unknown {
            suggestion: self.suggest(section, set, key),
        }
    }

    /// Where a real option named `key` belongs (other than `section`).
    fn homes(&self, section: &str, key: &str) -> Vec<String> {
        let cat = self.cat;
        let mut homes: Vec<String> = Vec::new();
        let store_types = cat.store_types_with_option(key);
        if !store_types.is_empty() {
            if self.multi_store() {
                let ids = self.backends_with(key);
                if ids.is_empty() {
                    homes.push(format!(
                        "[<id>] of a {} backend (none is in enabled_backends)",
                        store_types.join("/")
                    ));
                } else {
                    homes.extend(ids.into_iter().map(|i| format!("[{i}]")));
                }
            } else {
                homes.push("[glance_store]".into());
            }
        }
        // keystoneauth plugin options are the service user's: [keystone_authtoken] first.
        let plugin = cat
            .auth_plugin_own_options(self.auth_type("keystone_authtoken").unwrap_or("password"))
            .is_some_and(|p| p.iter().any(|o| o.dest == key));
        if plugin && section != "keystone_authtoken" {
            homes.push("[keystone_authtoken]".into());
        }
        for g in cat.groups_with_option(key) {
            let store_group = g == BACKEND_DEFAULTS_GROUP
                || RESERVED_STORES.contains(&g)
                || (g == "glance_store" && !store_types.is_empty());
            let h = format!("[{g}]");
            if g != section && !store_group && !homes.contains(&h) {
                homes.push(h);
            }
        }
        homes.retain(|h| *h != format!("[{section}]"));
        // The group people mean first: a library's main group before the ones
        // that merely share an option name (`lock_path`: oslo_concurrency, not os_brick).
        const FIRST: [&str; 4] = [
            "[keystone_authtoken]",
            "[oslo_concurrency]",
            "[database]",
            "[DEFAULT]",
        ];
        homes.sort_by_key(|h| !FIRST.contains(&h.as_str()));
        homes
    }

    /// Did-you-mean over the section's own options. In legacy `[glance_store]` the
    /// options of the stores in use are tried first (`user` -> `swift_store_user`
    /// when swift is enabled, not an ambiguity with `rbd_store_user`).
    fn suggest(&self, section: &str, set: &SectionSet, key: &str) -> Option<String> {
        let cat = self.cat;
        if let Some((.., real)) = MISNAMED
            .iter()
            .find(|(group, name, _)| *group == section && *name == key)
        {
            return Some(real.to_string());
        }
        let names = || set.opts.iter().map(|o| o.dest.as_str());
        if section == "glance_store" && !self.multi_store() {
            let used = legacy_store_types(self.cat, self.cfg);
            let preferred: Vec<&str> = names()
                .filter(|n| {
                    let types = cat.store_types_with_option(n);
                    types.is_empty() || types.iter().any(|t| used.contains(t))
                })
                .collect();
            if let Some(s) = cat.suggest(preferred.into_iter(), key) {
                return Some(s);
            }
        }
        cat.suggest(names(), key)
    }

    /// Section names Glance knows for this file (for did-you-mean on sections).
    pub fn section_names(&self) -> Vec<String> {
        let mut v: Vec<String> = self.cat.group_names().map(str::to_string).collect();
        v.extend(self.backends.iter().flatten().map(|b| b.group.clone()));
        v.extend(self.auth_section_targets().map(str::to_string));
        v
    }

    /// Backend ids of a store type (for the template-section help).
    pub fn backend_ids_of(&self, store_type: &str) -> Vec<String> {
        self.backends
            .iter()
            .flatten()
            .filter(|b| backend_types(self.cat, &b.store_type).contains(&store_type))
            .map(|b| b.group.clone())
            .collect()
    }

    /// In legacy mode, whether a `[glance_store]` option belongs to a driver that
    /// `stores` does not load (Glance never reads its value).
    pub fn unused_legacy_driver_opt(&self, section: &str, key: &str) -> Option<Vec<&'static str>> {
        if section != "glance_store" || self.multi_store() {
            return None;
        }
        let types = self.cat.store_types_with_option(key);
        let used = legacy_store_types(self.cat, self.cfg);
        let unused = !types.is_empty() && !types.iter().any(|t| used.contains(t));
        unused.then(|| {
            types
                .into_iter()
                .filter_map(|t| self.cat.normalize_store_type(t))
                .collect()
        })
    }

    /// Every effective key of every known section, classified. Entries of
    /// multi-valued options are yielded once per assignment.
    pub fn entries(&self) -> Vec<(&'a Entry, KeyClass)> {
        let mut out = Vec::new();
        for section in self.cfg.sections() {
            let Some(set) = self.section(section) else {
                continue;
            };
            for (key, entry) in self.cfg.options(section) {
                let class = self.classify(section, &set, key);
                let multi = matches!(class, KeyClass::Known(o) | KeyClass::Deprecated { opt: o, .. } if o.is_multi());
                if multi {
                    for e in self.cfg.all(section, key) {
                        out.push((e, self.classify(section, &set, key)));
                    }
                } else {
                    out.push((entry, class));
                }
            }
        }
        out
    }
}

/// Store types whose options oslo.config registers in a backend section of type `t`:
/// the driver's own (after normalisation) and glance_store's substring quirk.
fn backend_types(cat: &Catalogue, t: &str) -> Vec<&'static str> {
    let mut types = cat.store_types_registered_by(t);
    if let Some(n) = cat.normalize_store_type(t) {
        if !types.contains(&n) {
            types.push(n);
        }
    }
    types
}

/// Options of a backend section of type `t`, and whether the type is a real driver.
fn backend_opts(cat: &'static Catalogue, t: &str) -> (Vec<&'static OptionDef>, bool) {
    let mut opts: Vec<&'static OptionDef> = Vec::new();
    for ty in backend_types(cat, t) {
        for o in cat.store_type_options(ty).unwrap_or_default() {
            if !opts.iter().any(|x| x.dest == o.dest) {
                opts.push(o);
            }
        }
    }
    (opts, cat.normalize_store_type(t).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn with_known<T>(text: &str, f: impl FnOnce(&Known) -> T) -> T {
        let sources = vec![SourceFile::from_text("t.conf", text)];
        let config = crate::effective_config(&sources);
        let k = Known::new(&config, crate::schema::catalogue());
        f(&k)
    }

    fn class(text: &str, section: &str, key: &str) -> String {
        with_known(text, |k| match k.section(section) {
            None => "unknown-section".into(),
            Some(set) => match k.classify(section, &set, key) {
                KeyClass::Known(_) => "known".into(),
                KeyClass::Deprecated { group, opt } => format!("deprecated {group}.{}", opt.dest),
                KeyClass::Removed(_) => "removed".into(),
                KeyClass::NotYet { added_in } => format!("added in {added_in}"),
                KeyClass::Misplaced { homes, .. } => format!("misplaced {}", homes.join(" ")),
                KeyClass::Unknown { suggestion } => format!("unknown {suggestion:?}"),
                KeyClass::Unchecked => "unchecked".into(),
            },
        })
    }

    const MULTI: &str = "[DEFAULT]\nenabled_backends = fs:file, ceph:rbd\n";

    #[test]
    fn backend_sections() {
        assert_eq!(class(MULTI, "fs", "filesystem_store_datadir"), "known");
        assert_eq!(class(MULTI, "fs", "weight"), "known");
        assert_eq!(class(MULTI, "ceph", "rbd_store_pool"), "known");
        assert_eq!(class(MULTI, "fs", "rbd_store_pool"), "misplaced [ceph]");
        assert_eq!(
            class(MULTI, "glance_store", "filesystem_store_datadir"),
            "misplaced [fs]"
        );
        assert_eq!(class(MULTI, "glance_store", "default_backend"), "known");
        assert_eq!(class(MULTI, "nope", "x"), "unknown-section");
        assert_eq!(class(MULTI, "file", "x"), "unknown-section");
        let odd = "[DEFAULT]\nenabled_backends = fs:filez\n";
        assert_eq!(class(odd, "fs", "anything"), "unchecked");
        assert_eq!(
            class(MULTI, "glance_store", "swift_store_user"),
            "misplaced [<id>] of a swift backend (none is in enabled_backends)"
        );
    }

    #[test]
    fn legacy_glance_store() {
        let t = "[glance_store]\nstores = file,http,swift\n";
        assert_eq!(
            class(t, "glance_store", "filesystem_store_datadir"),
            "known"
        );
        assert_eq!(
            class(t, "glance_store", "user"),
            "unknown Some(\"swift_store_user\")"
        );
        assert_eq!(
            class(t, "glance_store", "key"),
            "unknown Some(\"swift_store_key\")"
        );
        assert_eq!(
            class(t, "glance_store", "auth_address"),
            "unknown Some(\"swift_store_auth_address\")"
        );
        assert_eq!(
            class("", "DEFAULT", "filesystem_store_datadir"),
            "misplaced [glance_store]"
        );
        assert_eq!(
            class("", "glance_store", "show_image_direct_url"),
            "misplaced [DEFAULT]"
        );
    }

    #[test]
    fn keystone_sections() {
        let t = "[keystone_authtoken]\nauth_type = password\n";
        assert_eq!(class(t, "keystone_authtoken", "username"), "known");
        assert_eq!(
            class(t, "keystone_authtoken", "auth-url"),
            "unknown Some(\"auth_url\")"
        );
        assert_eq!(
            class(t, "keystone_authtoken", "user_name"),
            "deprecated keystone_authtoken.username"
        );
        assert_eq!(class(t, "keystone_authtoken", "auth_uri"), "removed");
        assert_eq!(class(t, "keystone_authtoken", "timeout"), "unknown None");
        let saml = "[keystone_authtoken]\nauth_type = v3samlpassword\n";
        assert_eq!(
            class(saml, "keystone_authtoken", "identity_provider_url"),
            "unchecked"
        );
        let sect = "[keystone_authtoken]\nauth_section = svc\n[svc]\nauth_type = v3password\n";
        assert_eq!(class(sect, "svc", "user_domain_name"), "known");
        assert_eq!(class(sect, "svc", "auth_type"), "known");
        assert_eq!(
            class("", "DEFAULT", "auth_url").split(' ').nth(1),
            Some("[keystone_authtoken]")
        );
        assert_eq!(class("", "DEFAULT", "Workers"), "unknown None");
    }

    #[test]
    fn swift_reference_sections_are_open() {
        let t = "[glance_store]\nstores = swift\ndefault_swift_reference = store1\n";
        assert_eq!(class(t, "store1", "auth_address"), "unchecked");
        assert_eq!(class(t, "ref1", "user"), "unchecked");
        assert_eq!(class("", "ref1", "user"), "unknown-section");
    }
}
