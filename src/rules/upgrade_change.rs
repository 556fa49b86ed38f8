use super::{Category, Context, Rule, RuleMeta, RULES};
use crate::finding::{Finding, Severity};
use crate::schema::catalogue_for;

declare_rule! {
    /// ## What it does
    /// With `--upgrade-to RELEASE`: what changes for this file on the way
    /// from the release it is judged against to RELEASE, release by
    /// release. Every other rule is run again against each newer release's
    /// catalogue, and what that release would report and the one before did
    /// not is reported here, naming the release: options that become ignored
    /// (removed, or an old name dropped) with their replacement, options
    /// renamed or deprecated, values a release no longer accepts, defaults
    /// that change under this file (the image cache's `centralized_db`
    /// driver of 2024.1 Caracal, which needs `worker_self_reference_url`),
    /// sections dropped with their library.
    ///
    /// ## Why is this bad?
    /// `glance-status upgrade check` looks at the database, not at the
    /// configuration file: nothing else tells an operator that the file
    /// that works today stops Glance after the upgrade, or is silently
    /// ignored in part. An item is an error when the newer release would
    /// report it as one (Glance would refuse to start, or lose a needed
    /// value), else a warning.
    ///
    /// ## Example
    /// ```ini
    /// # glance-lint --target-release 2023.2 --upgrade-to 2024.1
    /// [DEFAULT]
    /// sql_connection = mysql+pymysql://glance:secret@controller/glance
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// [database]
    /// connection = mysql+pymysql://glance:secret@controller/glance
    /// ```
    pub struct UpgradeChange {
        code: "GL107",
        name: "upgrade-change",
        severity: Warning,
        variants: {
            BREAKS: Error when "the newer release reports the change as an error (Glance would refuse to start or lose a needed value)",
        },
        category: Catalogue,
        summary: "with --upgrade-to: something in this file changes meaning in a newer release",
    }
}

/// What makes two findings the same one, release to release: messages name
/// releases, places and subjects do not.
fn identity(
    f: &Finding,
) -> (
    &'static str,
    Option<crate::source::Span>,
    Option<&str>,
    Option<&str>,
) {
    (
        f.rule.code,
        f.span,
        f.section.as_deref(),
        f.option.as_deref(),
    )
}

impl Rule for UpgradeChange {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        let Some(to) = ctx.options.upgrade_to else {
            return;
        };
        let from = ctx.catalogue().release();
        // The findings of one release: every rule but this one, the static
        // checks only (no host, no probe: the host does not change with
        // the release).
        let run = |release| {
            let mut options = ctx.options.clone();
            options.catalogue = catalogue_for(release);
            options.upgrade_to = None;
            options.live = None;
            options.host_checks = false;
            let inner = Context::new(ctx.config, ctx.sources, &options);
            let mut found = Vec::new();
            // Every static rule, whatever --select says: `--select
            // upgrade-change` asks for the changes alone.
            for rule in RULES {
                let m = rule.meta();
                if m.code != Self::META.code && m.category != Category::Live {
                    rule.check(&inner, &mut found);
                }
            }
            found
        };
        let mut before = run(from);
        for release in from.up_to(to) {
            let now = run(release);
            for f in &now {
                if before.iter().any(|b| identity(b) == identity(f)) {
                    continue;
                }
                let mut item = Finding::new(
                    &Self::META,
                    format!("{release}: {} ({})", f.message, f.rule.name),
                )
                .label(format!("changes in {release}"));
                if f.severity() == Severity::Error {
                    item = item.variant(&Self::BREAKS);
                }
                if let Some(help) = &f.help {
                    item = item.help(help.clone());
                }
                item.span = f.span;
                item.section = f.section.clone();
                item.option = f.option.clone();
                out.push(item);
            }
            before = now;
        }
    }
}
