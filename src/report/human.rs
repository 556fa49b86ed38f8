//! The default report: each finding with its source line underlined (miette),
//! then a one-line summary.

use std::borrow::Cow;
use std::fmt;

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};
use owo_colors::OwoColorize;

use super::excerpt::{sanitize, Excerpt};
use super::{RenderOptions, Report};
use crate::finding::{Finding, Severity};
use crate::source::LineIndex;
use crate::LintResult;

struct Human<'a> {
    message: String,
    code: String,
    severity: Severity,
    help: Option<String>,
    source: Option<Excerpt>,
    label: Option<LabeledSpan>,
    _finding: &'a Finding,
}

impl fmt::Debug for Human<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Human<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Human<'_> {}

impl Diagnostic for Human<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.code))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.label
            .clone()
            .map(|l| Box::new(std::iter::once(l)) as Box<dyn Iterator<Item = LabeledSpan>>)
    }
}

/// Each file of a target as the report shows it, with its line index: the
/// source itself, or a redacted copy when the file holds secrets. Files
/// without a finding are left empty.
fn shown_sources(result: &LintResult) -> Vec<(Cow<'_, str>, Cow<'_, LineIndex>)> {
    let mut shown = vec![false; result.sources.len()];
    for span in result.findings.iter().filter_map(|f| f.span) {
        shown[span.file] = true;
    }
    result
        .sources
        .iter()
        .enumerate()
        .map(|(i, s)| {
            if !shown[i] {
                return (Cow::Borrowed(""), Cow::Owned(LineIndex::new("")));
            }
            match result.redactor.source(i, &s.text) {
                Cow::Borrowed(text) => (Cow::Borrowed(text), Cow::Borrowed(&s.lines)),
                Cow::Owned(text) => {
                    let lines = LineIndex::new(&text);
                    (Cow::Owned(text), Cow::Owned(lines))
                }
            }
        })
        .collect()
}

pub fn render(report: &Report, opts: &RenderOptions) -> String {
    let theme = if opts.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(opts.width)
        .with_links(false)
        .with_context_lines(1);
    // Each target renders on its own (on every core when there are many).
    let parts = crate::inputs::parallel_map(report.results.iter().collect(), |result| {
        render_result(result, &handler)
    });
    let mut out = parts.concat();
    out.push_str(&summary(report, opts.color));
    // Each note once, however many files it applies to.
    let mut notes: Vec<&str> = Vec::new();
    for n in report.results.iter().flat_map(|r| &r.notes) {
        if !notes.contains(&n.as_str()) {
            notes.push(n);
        }
    }
    for n in notes {
        out.push_str(&format!("note: {n}\n"));
    }
    out
}

fn render_result(result: &LintResult, handler: &GraphicalReportHandler) -> String {
    let mut out = String::new();
    let texts = shown_sources(result);
    for f in &result.findings {
        let r = &result.redactor;
        let (source, label) = match f.span {
            Some(span) => {
                let mapped = r.map_span(span);
                let name = &result.sources[span.file].name;
                let (text, lines) = &texts[span.file];
                let source = Excerpt::new(name, text, lines, mapped.start, mapped.end);
                let (start, end) = source.label;
                let label = LabeledSpan::new(
                    f.label
                        .as_deref()
                        .map(|l| sanitize(&r.text(l)).into_owned()),
                    start,
                    end - start,
                );
                (Some(source), Some(label))
            }
            None => (None, None),
        };
        let human = Human {
            message: sanitize(&r.text(&f.message)).into_owned(),
            code: format!("{}({})", f.rule.code, f.rule.name),
            severity: f.severity,
            help: f.help.as_deref().map(|h| sanitize(&r.text(h)).into_owned()),
            source,
            label,
            _finding: f,
        };
        if human.source.is_none() {
            out.push_str(&format!("{}: ", sanitize(result.name())));
        }
        if handler.render_report(&mut out, &human).is_err() {
            out.push_str(&human.message);
        }
        out.push('\n');
    }
    out
}

fn summary(report: &Report, color: bool) -> String {
    let files = report.results.len();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let (e, w, i) = (
        report.count(Severity::Error),
        report.count(Severity::Warning),
        report.count(Severity::Info),
    );
    let mut line = if e + w + i == 0 {
        format!("No problems found in {}.", plural(files, "file"))
    } else {
        format!(
            "Found {}, {} and {} in {}.",
            plural(e, "error"),
            plural(w, "warning"),
            plural(i, "info"),
            plural(files, "file")
        )
    };
    if !report.input_errors.is_empty() {
        line.push_str(&format!(
            " {} could not be read.",
            plural(report.input_errors.len(), "path")
        ));
    }
    let line = if !color {
        line
    } else if e > 0 || !report.input_errors.is_empty() {
        line.red().bold().to_string()
    } else if w > 0 {
        line.yellow().bold().to_string()
    } else {
        line.green().bold().to_string()
    };
    line + "\n"
}
