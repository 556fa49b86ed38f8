use std::collections::HashMap;

use super::{Context, Rule, RuleMeta};
use crate::finding::Finding;

declare_rule! {
    /// ## What it does
    /// Finds an option set twice in the same section of one file (sections
    /// with the same name, in any letter case, are one section to
    /// oslo.config).
    ///
    /// ## Why is this bad?
    /// oslo.config keeps the last assignment and silently ignores the others,
    /// so an edit made to the first occurrence has no effect. This is how a
    /// corrected password or datadir "does not take": a later copy of the
    /// option, often from an appended snippet, still wins.
    ///
    /// Options that Glance reads as a list of assignments (multi-valued
    /// options such as `filesystem_store_datadirs`) are not reported.
    ///
    /// ## Example
    /// ```ini
    /// [glance_store]
    /// default_backend = fs
    /// default_backend = ceph
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// [glance_store]
    /// default_backend = ceph
    /// ```
    pub struct DuplicateOption {
        code: "GL003",
        name: "duplicate-option",
        severity: Warning,
        category: File,
        summary: "an option is set twice in one section; only the last one counts",
    }
}

/// Options oslo.config reads as every assignment (MultiStrOpt).
pub(crate) fn is_multi_valued(ctx: &Context, section: &str, key: &str) -> bool {
    ctx.catalogue()
        .option(section, key)
        .is_some_and(|o| o.is_multi())
        || matches!(key, "filesystem_store_datadirs" | "vmware_datastores")
}

impl Rule for DuplicateOption {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        for doc in &ctx.config.docs {
            let mut last: HashMap<(&str, &str), usize> = HashMap::new();
            for (i, e) in doc.entries.iter().enumerate() {
                last.insert((e.section.as_str(), e.key.as_str()), i);
            }
            for (i, e) in doc.entries.iter().enumerate() {
                let winner = last[&(e.section.as_str(), e.key.as_str())];
                if winner == i || is_multi_valued(ctx, &e.section, &e.key) {
                    continue;
                }
                let w = &doc.entries[winner];
                out.push(
                    Finding::new(
                        &Self::META,
                        format!(
                            "`{}` is set again in [{}] at line {}; this assignment is ignored",
                            e.key, e.section_raw, w.line
                        ),
                    )
                    .at_key(e)
                    .label("ignored")
                    .help(format!(
                        "keep one `{}` in [{}]: delete this line or the one at line {}",
                        e.key, e.section_raw, w.line
                    )),
                );
            }
        }
    }
}
