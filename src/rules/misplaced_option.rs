use super::known::KeyClass;
use super::{Context, Rule, RuleMeta};
use crate::finding::Finding;

declare_rule! {
    /// ## What it does
    /// Finds real Glance options written in a section that does not read
    /// them, and says where they belong: store options in `[DEFAULT]`
    /// (they moved to `[glance_store]` in Juno); with multi-store
    /// (`enabled_backends`), driver options left in `[glance_store]` instead
    /// of the backend's own `[<id>]` section; an option of one store type in
    /// a backend of another type; Keystone options in `[DEFAULT]`; `[DEFAULT]`
    /// options in `[glance_store]`.
    ///
    /// ## Why is this bad?
    /// oslo.config looks an option up only in the group it is registered in.
    /// Anywhere else the line is silently ignored and the option keeps its
    /// default: a `filesystem_store_datadir` left in `[glance_store]` after
    /// switching to multi-store is not used, so the `fs` backend writes to
    /// `/var/lib/glance/images` whatever the line says; `default_store` in
    /// `[DEFAULT]` made Glance refuse uploads with 410 Gone. It is a warning,
    /// since Glance starts and serves; where the lost value stops Glance from
    /// working, another rule says so as an error (`database-connection-missing`,
    /// `default-backend-missing` ...).
    ///
    /// ## Example
    /// ```ini
    /// [DEFAULT]
    /// enabled_backends = fs:file
    ///
    /// [glance_store]
    /// default_backend = fs
    /// filesystem_store_datadir = /srv/glance/images
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// [DEFAULT]
    /// enabled_backends = fs:file
    ///
    /// [glance_store]
    /// default_backend = fs
    ///
    /// [fs]
    /// filesystem_store_datadir = /srv/glance/images
    /// ```
    pub struct MisplacedOption {
        code: "GL103",
        name: "misplaced-option",
        severity: Warning,
        category: Catalogue,
        summary: "a real option is in a section that does not read it",
    }
}

impl Rule for MisplacedOption {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        let known = ctx.known();
        for (entry, class) in ctx.classified() {
            let KeyClass::Misplaced { homes, set_at_home } = class else {
                continue;
            };
            let (key, section) = (&entry.key, entry.section.as_str());
            let first = &homes[0];
            let why = if section == "glance_store" && known.multi_store() && first != "[DEFAULT]" {
                "with `enabled_backends` set, Glance reads store options from each backend's own section, not from `[glance_store]`".to_string()
            } else if section == "DEFAULT" && first == "[glance_store]" {
                "store options moved from `[DEFAULT]` to `[glance_store]` in Juno".to_string()
            } else {
                format!("`[{}]` does not read it", entry.section_raw)
            };
            let place = if homes.len() == 1 {
                first.clone()
            } else {
                format!("{first} (or {})", homes[1..].join(", "))
            };
            let mut f = Finding::new(
                &Self::META,
                format!("`{key}` is ignored here: {why}; it belongs in {place}"),
            )
            .label("wrong section");
            f = if *set_at_home {
                f.help("it is also set where it belongs, and that value is the one Glance uses: delete this line")
            } else if first.starts_with("[<id>]") {
                f.help("add that backend to `enabled_backends` (`<id>:<type>`) and move this line to its `[<id>]` section, or delete it")
            } else {
                f.help(format!("move this line to {first}"))
            };
            out.push(f.at_key(entry));
        }
    }
}
