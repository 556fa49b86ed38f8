use super::{Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::model::views::is_true;

declare_rule! {
    /// ## What it does
    /// Flags `[DEFAULT] debug = true`.
    ///
    /// ## Why is this bad?
    /// At debug level Glance and the libraries it uses log request details,
    /// and some of them log credentials: python-swiftclient logs the user
    /// and token of every request it sends to Swift (OSSN-0052), and other
    /// clients have done the same. Whoever can read the logs, or the syslog
    /// stream they are shipped over, gets tokens that act as the glance
    /// service user until they expire. Debug logs also grow fast enough to
    /// fill `/var/log` on a busy API node, which stops the service.
    ///
    /// ## Example
    /// ```ini
    /// [DEFAULT]
    /// debug = true
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// [DEFAULT]
    /// debug = false
    /// ```
    pub struct DebugEnabled {
        code: "GL306",
        name: "debug-enabled",
        severity: Warning,
        category: Security,
        summary: "debug logging is on, and debug logs can hold tokens and secrets",
        reference: "OSSN-0052",
    }
}

impl Rule for DebugEnabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        if let Some(e) = is_true(ctx.config, "DEFAULT", "debug") {
            out.push(
                Finding::new(&Self::META, "debug logging is on: tokens and credentials may reach the logs")
                    .at_value(e)
                    .label("debug on")
                    .help("`debug = false` once the problem is found; meanwhile keep the logs mode 0640 and off plain-text syslog"),
            );
        }
    }
}
