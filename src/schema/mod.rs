//! The option catalogue: every option glance-api reads (glance 33.0.0), generated
//! by `tools/gen-catalogue.py` into `catalogue.json`, plus hand-written gap tables
//! (`gaps.rs`: backend sections, keystoneauth plugins; `removed.rs`: removed options).

mod gaps;
mod removed;
pub mod types;

pub use gaps::{
    AUTH_PLUGINS_CHECKED, BACKEND_DEFAULTS_GROUP, KEYSTONEAUTH_PLUGINS, RESERVED_STORES,
    STORE_CLASS_PATHS, STORE_TYPES,
};
pub use removed::{RemovedOption, REMOVED, REMOVED_FAMILIES};
pub use types::{
    check_hostname, check_uri, py_float, py_int, py_repr, DeprecatedName, ItemType, OptKind,
    OptionDef,
};

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::OnceLock;

/// A list item or dict value type as `build.rs` embeds it.
struct RawItem {
    kind: OptKind,
    choices: &'static [&'static str],
    min: Option<f64>,
    max: Option<f64>,
    regex: Option<&'static str>,
    max_length: Option<usize>,
    ignore_case: bool,
    quotes: bool,
}

impl RawItem {
    const BASE: RawItem = RawItem {
        kind: OptKind::String,
        choices: &[],
        min: None,
        max: None,
        regex: None,
        max_length: None,
        ignore_case: false,
        quotes: false,
    };
}

/// One option of `catalogue.json` as `build.rs` embeds it (fields absent
/// from the JSON take `BASE`'s value).
struct RawOpt {
    name: &'static str,
    dest: Option<&'static str>,
    kind: OptKind,
    choices: &'static [&'static str],
    min: Option<f64>,
    max: Option<f64>,
    regex: Option<&'static str>,
    max_length: Option<usize>,
    ignore_case: bool,
    quotes: bool,
    bounds: bool,
    schemes: &'static [&'static str],
    item: Option<RawItem>,
    default: Option<&'static str>,
    secret: bool,
    deprecated: &'static [(&'static str, &'static str)],
    for_removal: bool,
    since: Option<&'static str>,
    reason: Option<&'static str>,
}

impl RawOpt {
    const BASE: RawOpt = RawOpt {
        name: "",
        dest: None,
        kind: OptKind::String,
        choices: &[],
        min: None,
        max: None,
        regex: None,
        max_length: None,
        ignore_case: false,
        quotes: false,
        bounds: false,
        schemes: &[],
        item: None,
        default: None,
        secret: false,
        deprecated: &[],
        for_removal: false,
        since: None,
        reason: None,
    };
}

// `GENERATED_GROUPS` and `GENERATED_STORE_TYPES`: `(name, options)`.
include!(concat!(env!("OUT_DIR"), "/catalogue.rs"));

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn as_int(v: Option<f64>) -> Option<i64> {
    v.filter(|x| x.fract() == 0.0).map(|x| x as i64)
}

impl From<&RawOpt> for OptionDef {
    fn from(r: &RawOpt) -> Self {
        OptionDef {
            name: r.name.to_string(),
            dest: r.dest.unwrap_or(r.name).to_string(),
            kind: r.kind,
            choices: strings(r.choices),
            min: as_int(r.min),
            max: as_int(r.max),
            min_f: r.min,
            max_f: r.max,
            regex: r.regex.map(str::to_string),
            max_length: r.max_length,
            ignore_case: r.ignore_case,
            quotes: r.quotes,
            bounds: r.bounds,
            schemes: strings(r.schemes),
            item: r.item.as_ref().map(|i| ItemType {
                kind: i.kind,
                choices: strings(i.choices),
                min: i.min,
                max: i.max,
                regex: i.regex.map(str::to_string),
                max_length: i.max_length,
                ignore_case: i.ignore_case,
                quotes: i.quotes,
            }),
            default: r.default.map(str::to_string),
            secret: r.secret,
            deprecated_names: r
                .deprecated
                .iter()
                .map(|(group, name)| DeprecatedName {
                    group: group.to_string(),
                    name: name.to_string(),
                })
                .collect(),
            deprecated_for_removal: r.for_removal,
            deprecated_since: r.since.map(str::to_string),
            deprecated_reason: r.reason.map(str::to_string),
            source: None,
        }
    }
}

/// A lower bound of the edit distance between `a` and the ASCII `b`, from
/// the letters they do not share (case-insensitive): one edit adds or removes
/// at most two letters of the difference. Costs a pass over both names,
/// where the distance itself costs a table of their lengths' product.
fn letter_count_bound(a: &str, b: &str) -> usize {
    let mut counts = [0i32; 128];
    let mut other = 0usize;
    for c in a.chars() {
        match usize::try_from(u32::from(c.to_ascii_lowercase())) {
            Ok(i) if i < 128 => counts[i] += 1,
            _ => other += 1,
        }
    }
    for byte in b.bytes() {
        counts[usize::from(byte.to_ascii_lowercase())] -= 1;
    }
    let diff: usize = counts
        .iter()
        .map(|n| n.unsigned_abs() as usize)
        .sum::<usize>()
        + other;
    diff.div_ceil(2)
}

/// The parsed catalogue (generated groups + hand-written gaps).
pub struct Catalogue {
    /// Static groups: the generated ones (minus store templates), with gap options
    /// added, plus `backend_defaults` and the reserved `os_glance_*_store` groups.
    groups: BTreeMap<String, Vec<OptionDef>>,
    /// Store type (`file`, `rbd`, ...) -> driver options (without store_description/weight).
    store_types: BTreeMap<String, Vec<OptionDef>>,
    /// store_description, weight.
    backend_extra: Vec<OptionDef>,
    /// auth_type -> the plugin's own options.
    auth_plugins: BTreeMap<&'static str, Vec<OptionDef>>,
    /// auth_type, auth_section.
    auth_loading: Vec<OptionDef>,
    /// keystoneauth session options (cafile ... split_loggers).
    auth_session: Vec<OptionDef>,
    /// (normalized old group, old name) -> (current group, index of the
    /// option in it): the first option, in group order, that took the name.
    deprecated_index: HashMap<(String, String), (String, usize)>,
    /// Every name (and old name) of a secret option, whatever its group:
    /// a secret set where Glance does not read it is still a secret.
    secret_names: HashSet<String>,
}

impl std::fmt::Debug for Catalogue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalogue")
            .field("groups", &self.groups.len())
            .field("store_types", &self.store_types.len())
            .finish_non_exhaustive()
    }
}

static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();

/// The catalogue, built once from the embedded `catalogue.json`.
pub fn catalogue() -> &'static Catalogue {
    CATALOGUE.get_or_init(Catalogue::new)
}

/// oslo.config lower-cases section names for lookup, except exactly `DEFAULT`.
pub fn normalize_group(group: &str) -> String {
    if group == "DEFAULT" {
        group.to_string()
    } else {
        group.to_lowercase()
    }
}

impl Catalogue {
    fn new() -> Catalogue {
        let table = |t: &[(&str, &[RawOpt])]| -> BTreeMap<String, Vec<OptionDef>> {
            t.iter()
                .map(|(name, opts)| (name.to_string(), opts.iter().map(OptionDef::from).collect()))
                .collect()
        };
        let mut groups = table(GENERATED_GROUPS);
        let store_types = table(GENERATED_STORE_TYPES);
        let auth_loading = gaps::loading_options(&groups);
        let auth_session = gaps::session_options(&groups);
        gaps::add_static_gaps(&mut groups, &store_types, &auth_loading);
        gaps::mark_unmarked_secrets(&mut groups);
        let mut deprecated_index = HashMap::new();
        for (group, opts) in &groups {
            for (i, o) in opts.iter().enumerate() {
                for d in &o.deprecated_names {
                    deprecated_index
                        .entry((normalize_group(&d.group), d.name.clone()))
                        .or_insert_with(|| (group.clone(), i));
                }
            }
        }
        let auth_plugins = gaps::auth_plugins();
        let secret_names = groups
            .values()
            .chain(store_types.values())
            .chain(auth_plugins.values())
            .flatten()
            .filter(|o| o.secret)
            .flat_map(|o| {
                std::iter::once(o.dest.clone())
                    .chain(o.deprecated_names.iter().map(|d| d.name.clone()))
            })
            .collect();
        Catalogue {
            deprecated_index,
            groups,
            store_types,
            backend_extra: gaps::backend_extra_options(),
            auth_plugins,
            auth_loading,
            auth_session,
            secret_names,
        }
    }

    /// A static group (incl. DEFAULT, backend_defaults, reserved stores). Names are
    /// normalised like oslo.config (`[Database]` is `database`; `[default]` is not DEFAULT).
    pub fn has_group(&self, group: &str) -> bool {
        self.groups.contains_key(&normalize_group(group))
    }

    /// An option of a static group, looked up by the file key (`opt.dest`).
    pub fn option(&self, group: &str, name: &str) -> Option<&OptionDef> {
        self.groups
            .get(&normalize_group(group))?
            .iter()
            .find(|o| o.dest == name)
    }

    /// Options of a backend section of that store type, incl. store_description and
    /// weight. Accepts `file`, `rbd`, ... and the old `glance.store.rbd.Store` names.
    pub fn store_type_options(&self, store_type: &str) -> Option<Vec<&OptionDef>> {
        let t = self.normalize_store_type(store_type)?;
        let opts = self.store_types.get(t)?;
        Some(opts.iter().chain(self.backend_extra.iter()).collect())
    }

    /// The store type whose driver glance_store loads for an `enabled_backends` value:
    /// the `glance_store.drivers` entry points (`file`, `http`, `swift`, `rbd`, `cinder`,
    /// `s3`, `vmware`, and the old `glance.store.<module>.Store` names), matched exactly
    /// (stevedore is case-sensitive). None: no driver loads ("Store for identifier ... not found").
    /// See [`Catalogue::store_types_registered_by`] for the option-registration quirk.
    pub fn normalize_store_type(&self, t: &str) -> Option<&'static str> {
        gaps::normalize_store_type(t)
    }

    /// store-options.md section 3: `register_store_opts` registers into `[id]` the
    /// options of every `_list_driver_opts()` key that *contains* the configured type
    /// as a substring (`odd:Store` gets all five `glance.store.*.Store` lists).
    pub fn store_types_registered_by(&self, t: &str) -> Vec<&'static str> {
        gaps::store_types_by_substring(t)
    }

    /// keystoneauth options for that plugin (its own options + loading options
    /// auth_type/auth_section + session options). None for plugins we do not know
    /// (their options are "not checked").
    pub fn auth_plugin_options(&self, auth_type: &str) -> Option<Vec<&OptionDef>> {
        let own = self.auth_plugins.get(auth_type)?;
        Some(
            own.iter()
                .chain(self.auth_loading.iter())
                .chain(self.auth_session.iter())
                .collect(),
        )
    }

    /// Only the options the plugin itself registers at run time in the section named by
    /// `auth_section` (or the group itself). This is what a linter should add on top of
    /// the static `[keystone_authtoken]` / `[oslo_limit]` options: keystonemiddleware
    /// does not register the keystoneauth session options (`timeout`, `collect_timing`,
    /// `split_loggers`) in `[keystone_authtoken]`.
    pub fn auth_plugin_own_options(&self, auth_type: &str) -> Option<Vec<&OptionDef>> {
        Some(self.auth_plugins.get(auth_type)?.iter().collect())
    }

    /// Old (deprecated) name -> (current group, current option), static groups only.
    pub fn deprecated_lookup(&self, group: &str, name: &str) -> Option<(&str, &OptionDef)> {
        let (current, i) = self
            .deprecated_index
            .get(&(normalize_group(group), name.to_string()))?;
        Some((current.as_str(), &self.groups[current][*i]))
    }

    /// Old name of a store option inside a backend section of that type
    /// (e.g. `vmware_api_insecure` -> `vmware_insecure`, `os_region_name` -> `cinder_os_region_name`).
    pub fn store_deprecated_lookup(&self, store_type: &str, name: &str) -> Option<&OptionDef> {
        let t = self.normalize_store_type(store_type)?;
        self.store_types
            .get(t)?
            .iter()
            .find(|o| o.deprecated_names.iter().any(|d| d.name == name))
    }

    /// An option that no longer exists (or is only registered behind the generator's back).
    pub fn removed(&self, group: &str, name: &str) -> Option<&RemovedOption> {
        let g = normalize_group(group);
        REMOVED
            .iter()
            .find(|r| r.group == g && r.name == name)
            .or_else(|| {
                REMOVED_FAMILIES.iter().find(|r| {
                    r.group == g && name.starts_with(r.name) && self.option(&g, name).is_none()
                })
            })
    }

    /// Static groups that have an option with this file key (for "misplaced option").
    pub fn groups_with_option(&self, name: &str) -> Vec<&str> {
        self.groups
            .iter()
            .filter(|(_, opts)| opts.iter().any(|o| o.dest == name))
            .map(|(g, _)| g.as_str())
            .collect()
    }

    /// Store types that have an option with this name.
    pub fn store_types_with_option(&self, name: &str) -> Vec<&str> {
        self.store_types
            .iter()
            .filter(|(_, opts)| opts.iter().any(|o| o.dest == name))
            .map(|(t, _)| t.as_str())
            .collect()
    }

    /// Did-you-mean: the closest candidate by Damerau-Levenshtein distance (at most
    /// 1 for names up to 4 chars, 2 up to 10, else 3; case-insensitive), or else the
    /// only candidate that ends with `_<name>` (a dropped prefix: `auth_version` ->
    /// `swift_store_auth_version`). None when nothing is close or `name` is a candidate.
    pub fn suggest<'a>(
        &self,
        candidates: impl Iterator<Item = &'a str>,
        name: &str,
    ) -> Option<String> {
        let lname = name.to_lowercase();
        let limit = match name.chars().count() {
            0..=4 => 1,
            5..=10 => 2,
            _ => 3,
        };
        let mut best: Option<(usize, &str)> = None;
        let mut suffix: Vec<&str> = Vec::new();
        let needle = format!("_{}", name);
        let lname_chars = lname.chars().count();
        for c in candidates {
            if c == name {
                return None;
            }
            // The distance is at least the difference in length: most
            // candidates need no distance computed (the hot path on files
            // with many unknown options). Exact for ASCII names.
            let too_far = c.is_ascii()
                && (lname_chars.abs_diff(c.len()) > limit || letter_count_bound(&lname, c) > limit);
            let d = if too_far {
                usize::MAX
            } else {
                strsim::damerau_levenshtein(&lname, &c.to_lowercase())
            };
            if d <= limit && best.is_none_or_greater(d, c) {
                best = Some((d, c));
            }
            if name.len() >= 3 && c.ends_with(&needle) && !suffix.contains(&c) {
                suffix.push(c);
            }
        }
        match best {
            Some((_, c)) => Some(c.to_string()),
            None if suffix.len() == 1 => Some(suffix[0].to_string()),
            None => None,
        }
    }

    /// Some option named `name` (now or formerly) is secret, in some group,
    /// store type or keystoneauth plugin.
    pub fn secret_somewhere(&self, name: &str) -> bool {
        self.secret_names.contains(name)
    }

    /// Static group names (sorted).
    pub fn group_names(&self) -> impl Iterator<Item = &str> {
        self.groups.keys().map(String::as_str)
    }

    /// File keys of a static group.
    pub fn option_names(&self, group: &str) -> Vec<&str> {
        self.groups
            .get(&normalize_group(group))
            .map(|opts| opts.iter().map(|o| o.dest.as_str()).collect())
            .unwrap_or_default()
    }

    /// All options of a static group.
    pub fn options(&self, group: &str) -> &[OptionDef] {
        self.groups
            .get(&normalize_group(group))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Store types known to the catalogue (`cinder`, `file`, `http`, `rbd`, `s3`, `swift`, `vmware`).
    pub fn store_type_names(&self) -> impl Iterator<Item = &str> {
        self.store_types.keys().map(String::as_str)
    }
}

trait BestExt {
    fn is_none_or_greater(&self, d: usize, c: &str) -> bool;
}

impl BestExt for Option<(usize, &str)> {
    /// Strictly better distance, ties broken alphabetically for determinism.
    fn is_none_or_greater(&self, d: usize, c: &str) -> bool {
        match self {
            None => true,
            Some((bd, bc)) => d < *bd || (d == *bd && c < *bc),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The pruning bound never exceeds the distance it stands in for, so
        /// a suggestion is never lost to it.
        #[test]
        fn letter_count_bound_is_a_lower_bound(a in "[a-zA-Z_é]{0,12}", b in "[a-z_]{0,12}") {
            let a = a.to_lowercase();
            proptest::prop_assert!(letter_count_bound(&a, &b) <= strsim::damerau_levenshtein(&a, &b));
        }
    }

    #[test]
    fn loads_and_counts() {
        let c = catalogue();
        assert!(c.has_group("DEFAULT"));
        assert!(c.has_group("Database"));
        assert!(!c.has_group("default"));
        assert!(c.has_group("backend_defaults"));
        assert!(c.has_group("os_glance_staging_store"));
        assert!(
            !c.has_group("file"),
            "store templates are not static groups"
        );
        assert!(!c.has_group("glance.store.rbd.store"));
        assert!(c.has_group("glance_store"));
        assert_eq!(c.store_type_names().count(), 7);
        assert!(
            c.option("glance_store", "rbd_store_pool").is_some(),
            "legacy group keeps driver opts"
        );
        assert!(c.option("DEFAULT", "enabled_backends").is_some());
    }

    #[test]
    fn dest_lookup() {
        let c = catalogue();
        let o = c
            .option("oslo_limit", "auth_url")
            .expect("auth-url read as auth_url");
        assert_eq!(o.name, "auth-url");
        assert!(c.option("oslo_limit", "auth-url").is_none());
        assert!(
            c.option("oslo_limit", "auth_type").is_some(),
            "gap: oslo.limit registers auth_type"
        );
        assert!(c.option("oslo_limit", "auth_section").is_some());
    }

    #[test]
    fn catalogue_values() {
        let c = catalogue();
        let e = c.option("DEFAULT", "enabled_backends").unwrap();
        assert_eq!(e.kind, OptKind::Dict);
        assert!(e.check_value("fs:file").is_ok());
        let m = c.option("DEFAULT", "enabled_import_methods").unwrap();
        assert!(m.bounds);
        assert!(m.check_value("['glance-direct','web-download']").is_ok());
        let r = c.option("oslo_limit", "retriable_status_codes").unwrap();
        assert!(r.check_value("503,x").is_err());
        let k = c.option("vault", "kv_version").unwrap();
        assert!(k.check_value("3").is_err());
        let ds = c.store_type_options("file").unwrap();
        let chunk = ds
            .iter()
            .find(|o| o.name == "filesystem_store_chunk_size")
            .unwrap();
        assert_eq!(
            chunk.check_value("many").unwrap_err(),
            "invalid literal for int() with base 10: 'many'"
        );
        assert_eq!(
            chunk.check_value("0").unwrap_err(),
            "Should be greater than or equal to 1"
        );
        let d = c.option("glance_store", "default_store").unwrap();
        assert!(d
            .check_value("ceph")
            .unwrap_err()
            .starts_with("Valid values are [file, filesystem, http"));
        let secret = c
            .option("keystone_authtoken", "memcache_secret_key")
            .unwrap();
        assert!(secret.secret);
    }

    #[test]
    fn deprecated_names() {
        let c = catalogue();
        let (g, o) = c
            .deprecated_lookup("keystone_authtoken", "memcache_servers")
            .unwrap();
        assert_eq!(
            (g, o.name.as_str()),
            ("keystone_authtoken", "memcached_servers")
        );
        let (g, o) = c
            .deprecated_lookup("keystone_authtoken", "auth_plugin")
            .unwrap();
        assert_eq!((g, o.name.as_str()), ("keystone_authtoken", "auth_type"));
        let (g, o) = c
            .deprecated_lookup("glance_store", "os_region_name")
            .unwrap();
        assert_eq!(
            (g, o.name.as_str()),
            ("glance_store", "cinder_os_region_name")
        );
        assert!(c
            .deprecated_lookup("keystone_authtoken", "auth_uri")
            .is_none());
        let v = c
            .store_deprecated_lookup("vmware", "vmware_api_insecure")
            .unwrap();
        assert_eq!(v.name, "vmware_insecure");
    }

    #[test]
    fn removed_lookups() {
        let c = catalogue();
        let r = c.removed("keystone_authtoken", "auth_uri").unwrap();
        assert_eq!(
            r.replacement,
            Some("[keystone_authtoken] www_authenticate_uri")
        );
        assert!(c.removed("DEFAULT", "rpc_backend").is_some());
        assert!(c.removed("DEFAULT", "show_multiple_locations").is_none());
        assert!(c.removed("glance_store", "default_store").is_none());
        assert!(c.removed("DEFAULT", "default_store").is_some());
    }

    #[test]
    fn no_removed_entry_exists_in_catalogue() {
        let c = catalogue();
        for r in REMOVED {
            assert!(
                c.option(r.group, r.name).is_none(),
                "{}.{} is in the catalogue",
                r.group,
                r.name
            );
            assert!(
                c.deprecated_lookup(r.group, r.name).is_none(),
                "{}.{} is a deprecated name",
                r.group,
                r.name
            );
        }
    }

    #[test]
    fn removed_families() {
        let c = catalogue();
        assert_eq!(
            c.removed("DEFAULT", "qpid_heartbeat").unwrap().name,
            "qpid_"
        );
        assert_eq!(
            c.removed("DEFAULT", "rabbit_host").unwrap().name,
            "rabbit_host"
        );
        assert!(c.removed("glance_store", "sheepdog_store_port").is_some());
        // A family never covers an option that still exists.
        for f in REMOVED_FAMILIES {
            assert!(
                c.option_names(f.group)
                    .iter()
                    .all(|n| !n.starts_with(f.name)),
                "{}.{}* still has options",
                f.group,
                f.name
            );
        }
    }

    #[test]
    fn did_you_mean() {
        let c = catalogue();
        let groups: Vec<&str> = c.group_names().collect();
        assert_eq!(
            c.suggest(groups.iter().copied(), "glance_stores")
                .as_deref(),
            Some("glance_store")
        );
        assert_eq!(
            c.suggest(c.option_names("paste_deploy").into_iter(), "flavour")
                .as_deref(),
            Some("flavor")
        );
        let fs: Vec<&str> = c
            .store_type_options("file")
            .unwrap()
            .iter()
            .map(|o| o.dest.as_str())
            .collect();
        assert_eq!(
            c.suggest(fs.iter().copied(), "filesystem_store_datdir")
                .as_deref(),
            Some("filesystem_store_datadir")
        );
        let gs = c.option_names("glance_store");
        assert_eq!(
            c.suggest(gs.iter().copied(), "auth_version").as_deref(),
            Some("swift_store_auth_version")
        );
        // swift_store_auth_address and cinder_store_auth_address: ambiguous, no guess
        assert_eq!(c.suggest(gs.iter().copied(), "auth_address"), None);
        assert_eq!(
            c.suggest(gs.iter().copied(), "completely_unrelated_name"),
            None
        );
        assert_eq!(
            c.suggest(gs.iter().copied(), "stores"),
            None,
            "exact name: no suggestion"
        );
    }

    #[test]
    fn misplaced() {
        let c = catalogue();
        assert_eq!(
            c.groups_with_option("www_authenticate_uri"),
            vec!["keystone_authtoken"]
        );
        let g = c.groups_with_option("filesystem_store_datadir");
        assert!(g.contains(&"glance_store") && g.contains(&"backend_defaults"));
        assert_eq!(c.store_types_with_option("rbd_store_pool"), vec!["rbd"]);
    }
}
