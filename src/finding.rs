//! A finding: one problem a rule found, anchored to a span.

pub use crate::meta::Severity;
use crate::meta::{RuleMeta, Variant};
use crate::model::Entry;
use crate::source::Span;

#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: &'static RuleMeta,
    /// Always a level the rule declares ([`Finding::variant`]), or the
    /// user's override of the rule's level (`--severity`, `[severity]`).
    severity: Severity,
    pub message: String,
    pub help: Option<String>,
    pub span: Option<Span>,
    /// A short label printed under the span.
    pub label: Option<String>,
    pub section: Option<String>,
    pub option: Option<String>,
}

impl Finding {
    pub fn new(rule: &'static RuleMeta, message: impl Into<String>) -> Self {
        Finding {
            rule,
            severity: rule.severity,
            message: message.into(),
            help: None,
            span: None,
            label: None,
            section: None,
            option: None,
        }
    }

    pub fn severity(&self) -> Severity {
        self.severity
    }

    /// Reports at one of the levels the rule declares (`declare_rule!`'s
    /// `variants`, or `DEFAULT`) instead of its default. Another rule's
    /// variant is a bug: refused, and the finding keeps its level.
    pub fn variant(mut self, variant: &'static Variant) -> Self {
        debug_assert!(
            self.rule.declares(variant),
            "{} does not declare {variant:?}",
            self.rule.code
        );
        if self.rule.declares(variant) {
            self.severity = variant.severity();
        }
        self
    }

    /// The user's level for this rule (`--severity`, the project config's
    /// `[severity]`), over whatever level the rule chose.
    pub(crate) fn override_severity(&mut self, severity: Severity) {
        self.severity = severity;
    }

    pub fn at(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    /// Anchors the finding to an assignment's value (section and option set).
    pub fn at_value(self, entry: &Entry) -> Self {
        let span = entry.value_span;
        self.on(entry).at(span)
    }

    /// Anchors the finding to an assignment's key.
    pub fn at_key(self, entry: &Entry) -> Self {
        let span = entry.key_span;
        self.on(entry).at(span)
    }

    /// Sets section and option from an assignment, leaving the span alone.
    pub fn on(mut self, entry: &Entry) -> Self {
        self.section = Some(entry.section.clone());
        self.option = Some(entry.key.clone());
        self
    }

    pub fn section(mut self, section: impl Into<String>) -> Self {
        self.section = Some(section.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }
}
