//! A finding: one problem a rule found, anchored to a span.

use crate::fix::Fix;
pub use crate::meta::Severity;
use crate::meta::{Applicability, RuleMeta, Variant};
use crate::model::Entry;
use crate::source::{Position, SourceFile, Span};

#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: &'static RuleMeta,
    /// Always a level the rule declares ([`Finding::variant`]), or the
    /// user's override of the rule's level (`--severity`, `[severity]`).
    severity: Severity,
    pub message: String,
    pub help: Option<String>,
    pub span: Option<Span>,
    /// Where `span` is, resolved by `lint` while the text is at hand.
    position: Option<Position>,
    /// A short label printed under the span.
    pub label: Option<String>,
    pub section: Option<String>,
    pub option: Option<String>,
    /// The finding holds from this release on only (an option removed
    /// then): under an older target release it would not be made.
    pub since: Option<crate::schema::Release>,
    /// The fix, when the rule can make one (its `fixes` metadata says which).
    pub fix: Option<Fix>,
}

impl Finding {
    pub fn new(rule: &'static RuleMeta, message: impl Into<String>) -> Self {
        Finding {
            rule,
            severity: rule.severity,
            message: message.into(),
            help: None,
            span: None,
            position: None,
            label: None,
            section: None,
            option: None,
            since: None,
            fix: None,
        }
    }

    /// The finding holds from `release` on only (see [`Finding::since`]).
    pub fn since(mut self, release: crate::schema::Release) -> Self {
        self.since = Some(release);
        self
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

    /// The span's lines and columns, once resolved (every finding of a
    /// [`crate::LintResult`] with a span has one).
    pub fn position(&self) -> Option<Position> {
        self.position
    }

    /// Resolves the span's lines and columns, unless done already.
    pub(crate) fn resolve(&mut self, sources: &[SourceFile]) {
        if let (Some(span), None) = (self.span, self.position) {
            self.position = Some(sources[span.file].position(span));
        }
        for edit in self.fix.iter_mut().flat_map(|f| f.edits.iter_mut()) {
            if edit.position.is_none() {
                edit.position = Some(sources[edit.span.file].position(edit.span));
            }
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

    /// Attaches a fix (a rule declares the kinds it makes in `fixes`).
    pub fn fix(mut self, fix: Fix) -> Self {
        debug_assert!(
            self.rule
                .fixes
                .iter()
                .any(|m| m.applicability == fix.applicability),
            "{} does not declare a {:?} fix",
            self.rule.code,
            fix.applicability
        );
        self.fix = Some(fix);
        self
    }
}

/// A finding resolved to a place, with every text redacted: what the machine
/// formats print. Made by the report floor (`Located::new`, which redacts),
/// kept in a [`crate::LintResult`] once finished. Fields are in alphabetical
/// order: the key order of `--format json`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Located {
    pub code: &'static str,
    pub column: usize,
    pub end_column: usize,
    pub end_line: usize,
    /// Only when the finding has a fix (`--format json` leaves the key out
    /// otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<LocatedFix>,
    pub help: Option<String>,
    pub line: usize,
    pub message: String,
    pub name: &'static str,
    pub option: Option<String>,
    pub path: String,
    pub section: Option<String>,
    pub severity: Severity,
    pub url: String,
}

/// A fix as the machine formats print it: redacted, every edit placed.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LocatedFix {
    pub applicability: Applicability,
    pub edits: Vec<LocatedEdit>,
    pub message: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct LocatedEdit {
    pub content: String,
    pub end: LineColumn,
    pub path: String,
    pub start: LineColumn,
}

/// A 1-based line and column (in characters), as findings place spans.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct LineColumn {
    pub column: usize,
    pub line: usize,
}
