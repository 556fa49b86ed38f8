use std::collections::HashMap;

use super::{Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::fix::{whole_lines, Edit, Fix};
use crate::source::Span;

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
        fixes: {
            Safe: "deletes the ignored assignment of a single-valued option Glance knows (never of a multi-valued one)",
        },
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
        // Options Glance reads, as one value: the ones whose ignored
        // assignments a fix may delete. An unknown option may be a list of
        // assignments to whatever reads it.
        let single: std::collections::HashSet<(&str, &str)> = ctx
            .read_options()
            .filter(|(_, o)| !o.is_multi())
            .map(|(e, _)| (e.section.as_str(), e.key.as_str()))
            .collect();
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
                let fixable = single.contains(&(e.section.as_str(), e.key.as_str()));
                let fix = fixable.then(|| {
                    let src = &ctx.sources[doc.file];
                    let lines =
                        whole_lines(src, Span::new(doc.file, e.key_span.start, e.value_span.end));
                    Fix::safe(
                        format!(
                            "delete the ignored `{}` at line {} (line {} wins)",
                            e.key, e.line, w.line
                        ),
                        vec![Edit::delete(lines)],
                    )
                });
                let mut finding = Finding::new(
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
                ));
                if let Some(fix) = fix {
                    finding = finding.fix(fix);
                }
                out.push(finding);
            }
        }
    }
}
