//! A finding: one problem a rule found, anchored to a span.

use crate::model::Entry;
use crate::rules::RuleMeta;
use crate::source::Span;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: &'static RuleMeta,
    pub severity: Severity,
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
