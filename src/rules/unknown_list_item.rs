use super::{Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::fix::{Edit, Fix};
use crate::model::views::list_items;
use crate::schema::Release;

declare_rule! {
    /// ## What it does
    /// Checks the items of the lists whose items Glance matches against a
    /// fixed set of names, where oslo.config itself accepts any text:
    /// `[image_format] disk_formats` and `container_formats` (the formats
    /// of the release's default list), `[image_import_opts]
    /// image_import_plugins` (the plugins Glance registers) and, in releases
    /// whose option has no choices, `[DEFAULT] enabled_import_methods`.
    ///
    /// ## Why is this bad?
    /// Nothing fails at start-up; the item is just never matched. Glance
    /// skips an import plugin it cannot find (stevedore logs `Could not load
    /// 'image-conversion'` once, and images are imported unconverted);
    /// it advertises an import method that no flow implements; and a
    /// mistyped format (`qcow`) accepts a format no image has while the one
    /// meant (`qcow2`) is refused at image create (400 `Invalid disk
    /// format`). A format that is not a typo of a known one may be a
    /// deliberate local addition: that is only advice.
    ///
    /// ## Example
    /// ```ini
    /// [image_format]
    /// disk_formats = raw,qcow,iso
    ///
    /// [image_import_opts]
    /// image_import_plugins = ['image-conversion']
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// [image_format]
    /// disk_formats = raw,qcow2,iso
    ///
    /// [image_import_opts]
    /// image_import_plugins = ['image_conversion']
    /// ```
    pub struct UnknownListItem {
        code: "GL108",
        name: "unknown-list-item",
        severity: Warning,
        variants: {
            LOCAL_FORMAT: Info when "a disk or container format that is not close to any format Glance knows: perhaps a deliberate local format",
        },
        category: Catalogue,
        summary: "a list item names no format, import plugin or import method Glance knows",
        fixes: {
            Unsafe: "replaces a mistyped item with the known name it is closest to",
        },
    }
}

/// The plugins of the `glance.image_import.plugins` entry point: the same four in every
/// release the catalogue knows (setup.cfg of glance 21.0.0 to 33.0.0).
const IMPORT_PLUGINS: &[&str] = &[
    "no_op",
    "inject_image_metadata",
    "image_conversion",
    "image_decompression",
];

/// The import methods Glance implements (glance/async_/flows/api_image_import.py, and the
/// `glance.image_import.internal_plugins` entry points): the last, `glance-download`, came in
/// glance 25.0.0 (2022.2 Zed).
const IMPORT_METHODS: &[&str] = &[
    "glance-direct",
    "web-download",
    "copy-image",
    "glance-download",
];

/// What a list's items are checked against.
enum Known {
    /// Formats: a close miss is a typo (warning), anything else maybe deliberate (info).
    Formats(Vec<&'static str>),
    /// Names of code: an unknown one is never matched (warning).
    Names(&'static [&'static str], &'static str),
}

impl Rule for UnknownListItem {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        let cat = ctx.catalogue();
        // The options this rule judges, looked up once; a read option is one of them by identity.
        let def = |group: &str, name: &str| cat.option(group, name).map(std::ptr::from_ref);
        let (disk, container) = (
            def("image_format", "disk_formats"),
            def("image_format", "container_formats"),
        );
        let plugins = def("image_import_opts", "image_import_plugins");
        let methods = def("DEFAULT", "enabled_import_methods");
        let zed = Release::parse("2022.2").expect("a release of the catalogue");
        let methods_known = if cat.release() >= zed {
            IMPORT_METHODS
        } else {
            &IMPORT_METHODS[..3]
        };
        for (entry, o) in ctx.read_options() {
            let o_ptr = Some(std::ptr::from_ref(o));
            let known = if o_ptr == disk || o_ptr == container {
                Known::Formats(
                    o.default
                        .as_deref()
                        .map(|d| d.split(',').map(str::trim).collect())
                        .unwrap_or_default(),
                )
            } else if o_ptr == plugins {
                Known::Names(
                    IMPORT_PLUGINS,
                    "Glance skips an import plugin it cannot find (stevedore only logs `Could not load`), so imports run without it",
                )
            } else if o_ptr == methods && o.item.as_ref().is_none_or(|i| i.choices.is_empty()) {
                // Where the option has choices, oslo.config refuses the value: invalid-value.
                Known::Names(
                    methods_known,
                    "Glance advertises the method, but no import flow implements it: an import that asks for it fails",
                )
            } else {
                continue;
            };
            check_items(ctx, entry, o.bounds, &known, out);
        }
    }
}

fn check_items(
    ctx: &Context,
    entry: &crate::model::Entry,
    bounds: bool,
    known: &Known,
    out: &mut Vec<Finding>,
) {
    let value = entry.value.as_str();
    // `[a, b]` where the option takes its list inside brackets (`List(bounds=True)`); elsewhere
    // oslo.config keeps a bracket as part of the first and last items, which then match nothing.
    let (inner, base) = match value
        .strip_prefix('[')
        .and_then(|v| v.strip_suffix(']'))
        .filter(|_| bounds)
    {
        Some(v) => (v, 1),
        None => (value, 0),
    };
    let names: &[&str] = match known {
        Known::Formats(n) => n,
        Known::Names(n, _) => n,
    };
    let items: Vec<(usize, usize)> = list_items(inner)
        .into_iter()
        .map(|(s, e)| {
            let raw = &inner[s..e];
            let unq = raw.trim_matches(['"', '\'']);
            let lead = raw.len() - raw.trim_start_matches(['"', '\'']).len();
            (base + s + lead, base + s + lead + unq.len())
        })
        .collect();
    let present: Vec<&str> = items.iter().map(|&(s, e)| &value[s..e]).collect();
    for &(s, e) in &items {
        let item = &value[s..e];
        // Quotes left inside an item are quoted-list-item's finding; an empty item names nothing.
        if item.is_empty() || item.contains(['"', '\'']) || names.contains(&item) {
            continue;
        }
        let suggestion = ctx
            .catalogue()
            .suggest(names.iter().copied(), item)
            .or_else(|| {
                // `image-conversion` for `image_conversion`, `web_download` for `web-download`.
                let swapped: String = item
                    .chars()
                    .map(|c| match c {
                        '-' => '_',
                        '_' => '-',
                        c => c,
                    })
                    .collect();
                names
                    .iter()
                    .find(|n| n.eq_ignore_ascii_case(&swapped) || n.eq_ignore_ascii_case(item))
                    .map(|n| n.to_string())
            })
            // Suggesting a name the list already has would make a duplicate.
            .filter(|s| !present.contains(&s.as_str()));
        let list = names.join(", ");
        let kind = if entry.key.contains("container") {
            "container"
        } else {
            "disk"
        };
        let (message, variant) = match known {
            Known::Formats(_) if suggestion.is_none() => (
                format!(
                    "`{item}` in `{}` is not a format Glance knows ({list}): Glance accepts images that declare it, as a name nothing else in Glance reads",
                    entry.key
                ),
                Some(&UnknownListItem::LOCAL_FORMAT),
            ),
            Known::Formats(_) => (
                format!(
                    "`{item}` in `{}` is not a format Glance knows ({list}): images of the format meant are refused at create (400 Invalid {kind} format)",
                    entry.key
                ),
                None,
            ),
            Known::Names(_, why) => (
                format!(
                    "`{item}` in `{}` is not one of {list}: {why}",
                    entry.key
                ),
                None,
            ),
        };
        let mut finding = Finding::new(&UnknownListItem::META, message)
            .on(entry)
            .at(entry.value_subspan(s, e))
            .label("not a known name");
        if let Some(v) = variant {
            finding = finding.variant(v);
        }
        finding = match &suggestion {
            Some(sugg) => finding
                .help(format!("did you mean `{sugg}`?"))
                .fix(Fix::unsafe_(
                    format!("replace `{item}` with `{sugg}`"),
                    vec![Edit::replace(entry.value_subspan(s, e), sugg.clone())],
                )),
            None => finding.help(format!(
                "use one of {list}, or delete the item if it is not meant"
            )),
        };
        out.push(finding);
    }
}
