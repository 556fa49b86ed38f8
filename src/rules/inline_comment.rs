use std::sync::OnceLock;

use regex::Regex;

use super::{Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::redact::is_secret_option;

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
    }
}

fn marker() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    // Whitespace, then `#` or `;` (perhaps in Markdown emphasis, as pasted
    // from a rendered guide): the way people write trailing comments.
    RE.get_or_init(|| Regex::new(r"[ \t]+[*_]*[#;]").expect("valid regex"))
}

impl Rule for InlineComment {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        for entry in ctx.config.entries() {
            // Only the key line: an indented `# ...` line is
            // suspicious-continuation's business.
            let first = entry.value.split('\n').next().unwrap_or_default();
            let Some(m) = marker().find(first) else {
                continue;
            };
            let kept = first[..m.start()].trim_end();
            let comment_start = m.start() + (m.as_str().len() - m.as_str().trim_start().len());
            let span = entry.value_subspan(comment_start, first.len());
            let help = if is_secret_option(&entry.key) || kept.is_empty() {
                "move the comment to its own line above the option, starting with `#` in the first column".to_string()
            } else {
                format!(
                    "move the comment to its own line above the option and leave `{} = {}`",
                    entry.key, kept
                )
            };
            out.push(
                Finding::new(
                    &Self::META,
                    format!(
                        "the comment is part of the value of `{}`: oslo.config has no inline comments",
                        entry.key
                    ),
                )
                .on(entry)
                .at(span)
                .label("part of the value")
                .help(help),
            );
        }
    }
}
