use super::known::KeyClass;
use super::{Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::fix::{line_ending, whole_lines, Edit, Fix};
use crate::source::Span;

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
        fixes: {
            Unsafe: "moves a store option written in [glance_store] under multi-store into the one backend section that reads it, when that backend does not set it",
        },
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
            let reference_key = super::deprecated_option::swift_reference_key(key);
            f = if *set_at_home {
                f.help("it is also set where it belongs, and that value is the one Glance uses: delete this line")
            } else if let Some(k) = reference_key {
                // Deprecated for the swift reference file: moving it to a backend section
                // would carry the deprecated form along.
                f.help(super::deprecated_option::swift_reference_help(k))
            } else if first.starts_with("[<id>]") {
                f.help("add that backend to `enabled_backends` (`<id>:<type>`) and move this line to its `[<id>]` section, or delete it")
            } else {
                f.help(format!("move this line to {first}"))
            };
            if section == "glance_store"
                && known.multi_store()
                && homes.len() == 1
                && !*set_at_home
                && reference_key.is_none()
            {
                if let Some(fix) = move_to_backend(ctx, entry, first) {
                    f = f.fix(fix);
                }
            }
            out.push(f.at_key(entry));
        }
    }
}

/// Moves the assignment's lines, as written, under the backend section
/// `home` (`[fast]`): after its header in the same file, or in a new section
/// at the end of the file. Unsafe: the value starts to take effect.
fn move_to_backend(ctx: &Context, entry: &crate::model::Entry, home: &str) -> Option<Fix> {
    let id = home.strip_prefix('[')?.strip_suffix(']')?;
    if id.is_empty() || id.contains(['<', '[', ']']) || id == "DEFAULT" {
        return None;
    }
    let file = entry.key_span.file;
    let src = &ctx.sources[file];
    let lines = whole_lines(
        src,
        Span::new(file, entry.key_span.start, entry.value_span.end),
    );
    let eol = line_ending(src, lines.start);
    let mut moved = src.text.get(lines.start..lines.end)?.to_string();
    if !moved.ends_with(['\n', '\r']) {
        moved.push_str(eol);
    }
    let doc = ctx.config.docs.iter().find(|d| d.file == file)?;
    let insert = match doc.sections.iter().find(|h| h.name == id) {
        // Right under the header.
        Some(h) => {
            let after = whole_lines(src, h.span);
            if after.end == src.text.len() && !src.text.ends_with(['\n', '\r']) {
                Edit::insert(file, after.end, format!("{eol}{moved}"))
            } else {
                Edit::insert(file, after.end, moved)
            }
        }
        None => {
            let end = src.text.len();
            let sep = if src.text.is_empty() || src.text.ends_with(['\n', '\r']) {
                ""
            } else {
                eol
            };
            Edit::insert(file, end, format!("{sep}{eol}[{id}]{eol}{moved}"))
        }
    };
    if insert.span.start < lines.end && insert.span.start >= lines.start {
        return None;
    }
    Some(Fix::unsafe_(
        format!("move `{}` from [glance_store] to [{id}]", entry.key),
        vec![Edit::delete(lines), insert],
    ))
}

#[cfg(test)]
mod swift_reference_tests {
    use crate::source::SourceFile;

    /// Under multi-store, a deprecated `swift_store_*` option in `[glance_store]` is pointed at
    /// the swift reference file, where its value belongs now, not moved to a backend section.
    #[test]
    fn deprecated_swift_credentials_point_to_the_reference_file() {
        let text = "[DEFAULT]\nenabled_backends = fast:file, objects:swift\n\
                    [glance_store]\ndefault_backend = fast\nswift_store_user = service:glance\n";
        let options = crate::LintOptions {
            host_checks: false,
            ..crate::LintOptions::default()
        };
        let r = crate::lint(vec![SourceFile::from_text("t.conf", text)], &options);
        let f = r
            .findings
            .iter()
            .find(|f| f.rule.name == "misplaced-option")
            .expect("misplaced");
        let help = f.help.as_deref().unwrap_or_default();
        assert!(
            help.starts_with(
                "move the value to `user` in the file that `swift_store_config_file` names"
            ),
            "{help}"
        );
        assert!(f.fix.is_none());
    }
}
