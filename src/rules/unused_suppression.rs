use super::{Context, Rule, RuleMeta};
use crate::finding::Finding;

declare_rule! {
    /// ## What it does
    /// Reports a `# glance-lint: disable=...` or `disable-file=...` comment
    /// that suppresses nothing: the rule did not fire where the comment
    /// applies, or the name is not a glance-lint rule.
    ///
    /// ## Why is this bad?
    /// A stale suppression hides the next real problem of that kind, and a
    /// misspelt one suppresses nothing while looking as if it did.
    ///
    /// ## Example
    /// ```ini
    /// # glance-lint: disable=placeholder-value
    /// endpoint_id = 340be3625e9b4239a6415d034e98aace
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// endpoint_id = 340be3625e9b4239a6415d034e98aace
    /// ```
    pub struct UnusedSuppression {
        code: "GL006",
        name: "unused-suppression",
        severity: Info,
        category: File,
        summary: "a suppression comment suppresses nothing",
        fixes: {
            Safe: "deletes the unused name from the comment, or the whole comment line when nothing in it is used",
        },
    }
}

impl Rule for UnusedSuppression {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// Reported by `suppress::apply`, after every other rule has run.
    fn check(&self, _: &Context, _: &mut Vec<Finding>) {}
}
