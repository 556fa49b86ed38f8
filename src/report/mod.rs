//! Reporters: one file per format. Every reporter gets text through the
//! target's [`crate::redact::Redactor`] (see [`Located`]), never raw.

mod excerpt;
mod human;
mod json;

use crate::finding::{Finding, Severity};
use crate::LintResult;

pub use excerpt::sanitize;
pub use human::render as human;
pub use json::render as json;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
}

/// A path the tool could not lint (exit status 2).
#[derive(Debug, Clone)]
pub struct InputError {
    pub path: String,
    pub message: String,
}

/// Everything a reporter needs.
pub struct Report<'a> {
    pub results: &'a [LintResult],
    pub input_errors: &'a [InputError],
}

pub struct RenderOptions {
    pub color: bool,
    pub width: usize,
}

/// A finding resolved to a place, with every text redacted. Fields are in
/// alphabetical order: the key order of `--format json`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Located {
    pub code: &'static str,
    pub column: usize,
    pub end_column: usize,
    pub end_line: usize,
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

impl Located {
    pub fn new(result: &LintResult, f: &Finding) -> Self {
        let r = &result.redactor;
        let (path, (line, column), (end_line, end_column)) = match f.span {
            Some(span) => {
                let src = &result.sources[span.file];
                (
                    src.name.clone(),
                    src.line_col(span.start),
                    src.line_col(span.end),
                )
            }
            None => (result.name().to_string(), (1, 1), (1, 1)),
        };
        Located {
            code: f.rule.code,
            name: f.rule.name,
            severity: f.severity,
            message: r.text(&f.message),
            help: f.help.as_deref().map(|h| r.text(h)),
            path,
            line,
            column,
            end_line,
            end_column,
            section: f.section.clone(),
            option: f.option.clone(),
            url: f.rule.url(),
        }
    }
}

impl Report<'_> {
    pub fn located(&self) -> impl Iterator<Item = (&LintResult, Located)> {
        self.results
            .iter()
            .flat_map(|r| r.findings.iter().map(move |f| (r, Located::new(r, f))))
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.results
            .iter()
            .flat_map(|r| &r.findings)
            .filter(|f| f.severity == severity)
            .count()
    }
}
