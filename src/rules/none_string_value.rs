use super::{Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::schema::OptKind;

declare_rule! {
    /// ## What it does
    /// Finds string options set to `None` (or `none`, `null`) as if that
    /// meant "unset".
    ///
    /// ## Why is this bad?
    /// oslo.config has no null in a file: a string option reads the four
    /// letters `None`. Glance then uses a file, a host or a URL named
    /// `None` (`log_file = None` logs to `./None`, `cert_file = None` fails
    /// to load a certificate) instead of the default it would have used had
    /// the line not been there.
    ///
    /// ## Example
    /// ```ini
    /// [DEFAULT]
    /// log_file = None
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// [DEFAULT]
    /// # log_file unset: oslo.log writes to stderr
    /// ```
    pub struct NoneStringValue {
        code: "GL009",
        name: "none-string-value",
        severity: Warning,
        category: File,
        summary: "a string option is set to the text `None`, which is not \"unset\"",
    }
}

impl Rule for NoneStringValue {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        for (entry, o) in ctx.read_options() {
            // Options with choices or a pattern judge the text themselves
            // (`memcache_security_strategy = None` is one of its choices).
            if o.kind != OptKind::String || !o.choices.is_empty() || o.regex.is_some() || o.secret {
                continue;
            }
            if !matches!(entry.value.as_str(), "None" | "none" | "null" | "NULL") {
                continue;
            }
            if o.default.as_deref() == Some(entry.value.as_str()) {
                continue;
            }
            out.push(
                Finding::new(
                    &Self::META,
                    format!(
                        "`{} = {}` is the text `{}`, not \"unset\": Glance uses it as a value",
                        entry.key, entry.value, entry.value
                    ),
                )
                .at_value(entry)
                .label("a string, not null")
                .help(format!(
                    "delete the line (or comment it out) to leave `{}` at its default",
                    entry.key
                )),
            );
        }
    }
}
