//! The default report: each finding with its source line underlined (miette),
//! then a one-line summary.

use std::fmt;

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};
use owo_colors::OwoColorize;

use super::excerpt::{sanitize, Excerpt, MAX_SPAN_LINES};
use super::{RenderOptions, Report};
use crate::finding::{Finding, Severity};
use crate::source::{LineIndex, Span};
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

/// The excerpt shown for a finding's span: the lines around it, masked.
/// Only those lines are masked, not the whole file: a copy of a 50 MB file
/// per report doubled the memory a lint took.
fn excerpt(result: &LintResult, span: Span) -> Excerpt {
    let src = &result.sources[span.file];
    let (r, lines) = (&result.redactor, &src.lines);
    // At least the lines Excerpt keeps (the span's, cut to a few, and one
    // each side), grown until no secret straddles their ends. A span that
    // starts inside a secret is shown on the secret's first line, where the
    // mask stands.
    let l0 = lines.line_of(r.widen(span.file, span.start, span.start).0);
    let l1 = lines.line_of(span.end).clamp(l0, l0 + MAX_SPAN_LINES - 1);
    let line_end = |l: usize| {
        if l + 1 < lines.len() {
            lines.start(l + 1)
        } else {
            src.text.len()
        }
    };
    let (mut first, mut last) = (l0.saturating_sub(1), (l1 + 1).min(lines.len() - 1));
    let (start, end) = loop {
        let (start, end) = r.widen(span.file, lines.start(first), line_end(last));
        let (f, l) = (
            lines.line_of(start),
            lines.line_of(end.saturating_sub(1)).max(last),
        );
        if (f, l) == (first, last) {
            break (start, end);
        }
        (first, last) = (f, l);
    };
    let text = r.source_range(span.file, &src.text, start, end);
    let base = r.map_offset(span.file, start);
    let mapped = r.map_span(span);
    Excerpt::new(
        &src.name,
        &text,
        &LineIndex::new(&text),
        mapped.start - base,
        mapped.end - base,
    )
    .starting_at_line(first)
}

/// Whether the span's line is binary data: mostly control characters (or
/// bytes that are not UTF-8), at least eight of them.
fn binary_line(result: &LintResult, span: Span) -> bool {
    let src = &result.sources[span.file];
    if src.text.is_empty() {
        return false;
    }
    let l = src.lines.line_of(span.start.min(src.text.len()));
    let rest = &src.text[src.lines.start(l)..];
    let line = rest.split('\n').next().unwrap_or_default();
    let (mut all, mut odd) = (0usize, 0usize);
    for c in line.chars().take(4096) {
        all += 1;
        if (c.is_control() && c != '\t' && c != '\r') || c == '\u{fffd}' {
            odd += 1;
        }
    }
    odd >= 8 && odd * 4 >= all
}

fn handler(opts: &RenderOptions) -> GraphicalReportHandler {
    let theme = if opts.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_width(opts.width)
        .with_links(false)
        .with_context_lines(1)
        // Wrap at spaces: the messages are ASCII prose, and Unicode line
        // breaking (miette's default) took a third of a long report's time.
        .with_word_separator(textwrap::WordSeparator::AsciiSpace)
}

/// One target's part of the report: each finding with its source lines.
pub fn render_target(result: &LintResult, opts: &RenderOptions) -> String {
    render_result(result, &handler(opts))
}

pub fn render(report: &Report, opts: &RenderOptions) -> String {
    let handler = handler(opts);
    // Each target renders on its own (on every core when there are many),
    // unless it was rendered as it was linted.
    let parts = crate::parallel::parallel_map(report.results.iter().collect(), |result| {
        match &result.rendered {
            Some(part) => part.clone(),
            None => render_result(result, &handler),
        }
    });
    // With several files, each file's findings under a header line naming
    // it and its counts, so a long report can be read (and searched) by file.
    let several = report.results.len() > 1;
    let mut out = String::new();
    for (result, part) in report.results.iter().zip(parts) {
        if several && !result.findings.is_empty() {
            out.push_str(&header(result, opts.color));
        }
        out.push_str(&part);
    }
    out.push_str(&footer(report, opts));
    out
}

/// A file's header in a report of several: `path: 2 errors, 1 warning`.
fn header(result: &LintResult, color: bool) -> String {
    let count = |s: Severity| result.findings.iter().filter(|f| f.severity() == s).count();
    let counts: Vec<String> = [
        (count(Severity::Error), "error"),
        (count(Severity::Warning), "warning"),
        (count(Severity::Info), "info"),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, w)| format!("{n} {w}{}", if *n == 1 { "" } else { "s" }))
    .collect();
    let line = format!("{}: {}", sanitize(result.name()), counts.join(", "));
    if color {
        format!("{}\n\n", line.bold().underline())
    } else {
        format!("{line}\n{}\n\n", "─".repeat(line.chars().count()))
    }
}

/// The end of a human report: the summary line, then each note once.
pub fn footer(report: &Report, opts: &RenderOptions) -> String {
    let mut out = summary(report, opts.color);
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
    for f in &result.findings {
        let r = &result.redactor;
        let mut at = String::new();
        let (source, label) = match f.span {
            // A line of binary data would be drawn as hundreds of control
            // pictures: name the place instead.
            Some(span) if binary_line(result, span) => {
                let p = f
                    .position()
                    .unwrap_or_else(|| result.sources[span.file].position(span));
                at = format!(":{}:{}", p.line, p.column);
                (None, None)
            }
            Some(span) => {
                let source = excerpt(result, span);
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
            severity: f.severity(),
            help: f.help.as_deref().map(|h| sanitize(&r.text(h)).into_owned()),
            source,
            label,
            _finding: f,
        };
        if human.source.is_none() {
            out.push_str(&format!("{}{at}: ", sanitize(result.name())));
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
    let mut line = if files == 0 && !report.input_errors.is_empty() {
        // Nothing was linted: "No problems found" would read as a pass.
        "Nothing linted.".to_string()
    } else if e + w + i == 0 {
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
    if let Some(release) = report.release() {
        line.pop(); // the full stop
        line.push_str(&format!(", for Glance {}.", release.long_label()));
    }
    if !report.input_errors.is_empty() {
        line.push_str(&format!(
            " {} could not be read.",
            plural(report.input_errors.len(), "path")
        ));
    }
    if let Some((n, before)) = report.release_dependent() {
        line.push_str(&format!(
            " {} not apply to {before} or older: set --target-release to the release you run.",
            if n == 1 {
                "1 finding does".to_string()
            } else {
                format!("{n} findings do")
            }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;
    use crate::LintOptions;

    /// Masking only the lines around a span shows exactly what masking the
    /// whole file shows, also where a secret runs over several lines.
    #[test]
    fn excerpt_masks_like_the_whole_file() {
        let text =
            "[keystone_authtoken]\npassword = first-secret\n  second-secret\n  third-secret\n\
                    bogus_x = 1\nmemcache_secret_key = abcdefghij\n  klmnopqrst\nbogus_y = 2\n\
                    [database]\nconnection = mysql+pymysql://glance:p@ss@controller/glance\n";
        let options = LintOptions {
            host_checks: false,
            ..LintOptions::default()
        };
        let result = crate::lint(vec![SourceFile::from_text("f.conf", text)], &options);
        let whole = result.redactor.source(0, text);
        let whole_lines = LineIndex::new(&whole);
        // Every span: inside, across and around the secrets.
        let offsets: Vec<usize> = (0..=text.len()).collect();
        for (i, &start) in offsets.iter().enumerate() {
            for &end in &offsets[i..] {
                let span = Span::new(0, start, end);
                let mapped = result.redactor.map_span(span);
                let expected =
                    Excerpt::new("f.conf", &whole, &whole_lines, mapped.start, mapped.end);
                assert_eq!(
                    format!("{:?}", excerpt(&result, span)),
                    format!("{expected:?}"),
                    "{span:?}"
                );
            }
        }
        assert!(!format!("{:?}", excerpt(&result, Span::new(0, 30, 40))).contains("second"));
    }
}
