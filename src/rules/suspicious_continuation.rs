use super::{Context, Rule, RuleMeta};
use crate::finding::Finding;

declare_rule! {
    /// ## What it does
    /// Finds an indented line that looks like its own `key = value` or
    /// `# comment` but that oslo.config reads as a continuation of the value
    /// above it.
    ///
    /// ## Why is this bad?
    /// A line that starts with a space or a tab continues the previous value.
    /// The option on the indented line is never set (Glance uses its
    /// default), and the option above gets a second line glued to its value:
    /// a password, URL or path that no longer works.
    ///
    /// ## Example
    /// ```ini
    /// [keystone_authtoken]
    /// username = glance
    ///   password = secret
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// [keystone_authtoken]
    /// username = glance
    /// password = secret
    /// ```
    pub struct SuspiciousContinuation {
        code: "GL004",
        name: "suspicious-continuation",
        severity: Error,
        category: File,
        summary: "an indented line became part of the value above it",
    }
}

fn looks_like_assignment(line: &str) -> bool {
    crate::lazy_regex!(r"^[A-Za-z_][A-Za-z0-9_.-]*\s*[=:]").is_match(line)
}

impl Rule for SuspiciousContinuation {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        for entry in ctx.config.entries() {
            for part in entry.parts.iter().skip(1) {
                let text = &ctx.sources[part.file].text[part.start..part.end];
                let what = if text.starts_with(['#', ';']) {
                    "comment"
                } else if looks_like_assignment(text) {
                    "assignment"
                } else {
                    continue;
                };
                let (line, _) = ctx.sources[part.file].line_col(part.start);
                out.push(
                    Finding::new(
                        &Self::META,
                        format!(
                            "this indented {what} is part of the value of `{}` (line {}), not a line of its own",
                            entry.key, entry.line
                        ),
                    )
                    .on(entry)
                    .at(*part)
                    .label(format!("continues `{}`", entry.key))
                    .help(format!("remove the leading whitespace from line {line}")),
                );
            }
        }
    }
}
