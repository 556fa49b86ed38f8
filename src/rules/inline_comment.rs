use super::{Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::fix::{cut_value, Fix};

declare_rule! {
    /// ## What it does
    /// Finds a `# comment` (or `; comment`) written after a value on the same
    /// line.
    ///
    /// ## Why is this bad?
    /// oslo.config has no inline comments: everything after the `=` is the
    /// value. `endpoint_id = 340be3625e9b4239a6415d034e98aace # public` makes
    /// oslo.limit look up an endpoint whose id ends in `# public`, a boolean
    /// such as `debug = false # quiet` stops Glance with `Unexpected boolean
    /// value`, and a path gets the comment appended to it.
    ///
    /// ## Example
    /// ```ini
    /// [oslo_limit]
    /// endpoint_id = 340be3625e9b4239a6415d034e98aace # the public endpoint
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// [oslo_limit]
    /// # the public endpoint
    /// endpoint_id = 340be3625e9b4239a6415d034e98aace
    /// ```
    pub struct InlineComment {
        code: "GL002",
        name: "inline-comment",
        severity: Error,
        category: File,
        summary: "a comment after a value is part of the value",
        fixes: {
            Safe: "moves the comment to its own line above, where the option's type cannot hold it (a boolean, an integer, a port, a backend id)",
        },
    }
}

/// Where a trailing comment starts in `line`: whitespace, then `#` or `;`
/// (perhaps in Markdown emphasis, as pasted from a rendered guide). Returns
/// the byte range from the first blank to the marker; what the regex
/// `[ \t]+[*_]*[#;]` finds, scanned by hand so no regex is compiled for it.
pub fn comment_marker(line: &str) -> Option<(usize, usize)> {
    let bytes = line.as_bytes();
    let mut at = 0;
    while let Some(found) = memchr::memchr2(b' ', b'\t', &bytes[at..]) {
        let start = at + found;
        let mut end = start;
        while matches!(bytes.get(end), Some(b' ' | b'\t')) {
            end += 1;
        }
        while matches!(bytes.get(end), Some(b'*' | b'_')) {
            end += 1;
        }
        if matches!(bytes.get(end), Some(b'#' | b';')) {
            return Some((start, end + 1));
        }
        at = end.max(start + 1);
    }
    None
}

/// Whether no valid value of the option can hold ` # ...`: then the
/// comment is a mistake whatever it says, and moving it out keeps the value
/// the operator meant. A string option may mean its `#` (a password, a
/// URL fragment): never touched.
fn cannot_hold_comment(
    typed: &std::collections::HashMap<(&str, &str), crate::schema::OptKind>,
    entry: &crate::model::Entry,
) -> bool {
    use crate::schema::OptKind;
    if entry.section == "glance_store" && entry.key == "default_backend" {
        return true;
    }
    typed
        .get(&(entry.section.as_str(), entry.key.as_str()))
        .is_some_and(|k| matches!(k, OptKind::Boolean | OptKind::Integer | OptKind::Port))
}

impl Rule for InlineComment {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        // `[oslo_limit] endpoint_id` is an id: endpoint-id-format reports any
        // trailing text on it (a comment too), with the id to keep. One
        // mistake, one finding.
        let endpoint_id = ctx
            .config
            .get("oslo_limit", "endpoint_id")
            .map(|e| e.key_span);
        // The type of every option Glance reads here (a backend section's
        // too), for the fix.
        let typed: std::collections::HashMap<(&str, &str), crate::schema::OptKind> = ctx
            .read_options()
            .map(|(e, o)| ((e.section.as_str(), e.key.as_str()), o.kind))
            .collect();
        for entry in ctx.config.entries() {
            if Some(entry.key_span) == endpoint_id {
                continue;
            }
            // Only the key line: an indented `# ...` line is
            // suspicious-continuation's business.
            let first = entry.value.split('\n').next().unwrap_or_default();
            let Some((start, end)) = comment_marker(first) else {
                continue;
            };
            let kept = first[..start].trim_end();
            let marker = &first[start..end];
            let comment_start = start + (marker.len() - marker.trim_start().len());
            let span = entry.value_subspan(comment_start, first.len());
            let help = if ctx.is_secret(entry) || kept.is_empty() {
                "move the comment to its own line above the option, starting with `#` in the first column".to_string()
            } else {
                format!(
                    "move the comment to its own line above the option and leave `{} = {}`",
                    entry.key, kept
                )
            };
            let mut finding = Finding::new(
                &Self::META,
                format!(
                    "the comment is part of the value of `{}`: oslo.config has no inline comments",
                    entry.key
                ),
            )
            .on(entry)
            .at(span)
            .label("part of the value")
            .help(help);
            if !kept.is_empty() && cannot_hold_comment(&typed, entry) && !ctx.is_secret(entry) {
                let src = &ctx.sources[entry.key_span.file];
                if let Some(edits) =
                    cut_value(src, entry, kept.len(), Some(&first[comment_start..]))
                {
                    finding = finding.fix(Fix::safe(
                        format!(
                            "move the comment above `{}` and leave `{} = {}`",
                            entry.key, entry.key, kept
                        ),
                        edits,
                    ));
                }
            }
            out.push(finding);
        }
    }
}
