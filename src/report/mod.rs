//! Reporters: one file per format. Every reporter gets text through the
//! target's [`crate::redact::Redactor`] (see [`Located`]), never raw.

mod checkstyle;
mod concise;
mod excerpt;
mod finish;
mod github;
mod gitlab;
pub(crate) mod human;
mod json;
mod junit;
pub mod markdown;
mod sarif;

use std::borrow::Cow;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::finding::{Finding, Severity};
use crate::LintResult;

pub use excerpt::sanitize;
pub use human::render as human;
pub use json::render as json;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    /// One `path:line:col: severity CODE name: message` line per finding.
    Concise,
    Json,
    Sarif,
    Github,
    Junit,
    Gitlab,
    Checkstyle,
}

/// Renders a report in any format.
pub fn render(format: Format, report: &Report, opts: &RenderOptions) -> String {
    match format {
        Format::Human => human::render(report, opts),
        Format::Concise => concise::render(report),
        Format::Json => json::render(report),
        Format::Sarif => sarif::render(report),
        Format::Github => github::render(report),
        Format::Junit => junit::render(report),
        Format::Gitlab => gitlab::render(report),
        Format::Checkstyle => checkstyle::render(report),
    }
}

/// `--statistics`: how many findings each rule gave, most first, one line
/// per rule and level (`  12  GL104  warning  deprecated-option`).
pub fn statistics(report: &Report) -> String {
    let mut counts: Vec<((&str, &str, Severity), usize)> = Vec::new();
    for f in report.results.iter().flat_map(|r| &r.findings) {
        let key = (f.rule.code, f.rule.name, f.severity());
        match counts.iter_mut().find(|(k, _)| *k == key) {
            Some((_, n)) => *n += 1,
            None => counts.push((key, 1)),
        }
    }
    counts.sort_by(|(a, m), (b, n)| n.cmp(m).then(a.0.cmp(b.0)).then(b.2.cmp(&a.2)));
    let width = counts
        .iter()
        .map(|(_, n)| n.to_string().len())
        .max()
        .unwrap_or(1);
    counts
        .iter()
        .map(|((code, name, severity), n)| {
            format!("{n:>width$}  {code}  {:<7}  {name}\n", severity.as_str())
        })
        .collect()
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

pub use crate::finding::Located;

impl Located {
    /// The finding placed and redacted. A finding without a span (about the
    /// whole target) is placed at the start of the target's main file.
    pub fn new(result: &LintResult, f: &Finding) -> Self {
        let r = &result.redactor;
        let (path, (line, column), (end_line, end_column)) = match f.span {
            Some(span) => {
                let src = &result.sources[span.file];
                // Resolved by `lint` (and again by `finish`, before the text
                // is freed), so never guessed from a freed text.
                let p = f.position().unwrap_or_else(|| src.position(span));
                (
                    src.name.clone(),
                    (p.line, p.column),
                    (p.end_line, p.end_column),
                )
            }
            None => (result.name().to_string(), (1, 1), (1, 1)),
        };
        Located {
            code: f.rule.code,
            name: f.rule.name,
            severity: f.severity(),
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
            fix: f.fix.as_ref().map(|fix| locate_fix(result, fix)),
        }
    }
}

/// A fix placed and redacted. Each edit's text passes the redactor: fixes
/// never write a secret, and a comment they move may quote one.
fn locate_fix(result: &LintResult, fix: &crate::fix::Fix) -> crate::finding::LocatedFix {
    use crate::finding::{LineColumn, LocatedEdit, LocatedFix};
    let r = &result.redactor;
    LocatedFix {
        applicability: fix.applicability,
        message: r.text(&fix.message),
        edits: fix
            .edits
            .iter()
            .map(|e| {
                let src = &result.sources[e.span.file];
                let p = e.position.unwrap_or_else(|| src.position(e.span));
                LocatedEdit {
                    path: src.name.clone(),
                    start: LineColumn {
                        line: p.line,
                        column: p.column,
                    },
                    end: LineColumn {
                        line: p.end_line,
                        column: p.end_column,
                    },
                    content: r.text(&e.content),
                }
            })
            .collect(),
    }
}

impl Report<'_> {
    /// The release every target was judged against, when they agree; None
    /// when nothing was linted or targets differ (per-file releases of the
    /// project config).
    pub fn release(&self) -> Option<crate::schema::Release> {
        let mut releases = self.results.iter().map(|r| r.release);
        let first = releases.next()?;
        releases.all(|r| r == first).then_some(first)
    }

    /// Findings that hold only from some release on, in targets judged
    /// against the newest release by default: their count and the newest
    /// release under which none of them holds. Reports suggest
    /// `--target-release` with it.
    pub fn release_dependent(&self) -> Option<(usize, crate::schema::Release)> {
        let since: Vec<crate::schema::Release> = self
            .results
            .iter()
            .filter(|r| !r.release_chosen)
            .flat_map(|r| r.findings.iter().filter_map(|f| f.since))
            .collect();
        let earliest = since.iter().min()?;
        let before = crate::schema::Release::all().rev().find(|r| r < earliest)?;
        Some((since.len(), before))
    }

    /// Every file read, as named in reports, each once, in input order
    /// (a target's main file, then its overlays).
    pub fn files(&self) -> Vec<&str> {
        let mut seen = std::collections::HashSet::new();
        self.results
            .iter()
            .flat_map(|r| r.sources.iter().map(|s| s.name.as_str()))
            .filter(|n| seen.insert(*n))
            .collect()
    }

    /// Findings with a stable fingerprint each: the same problem keeps its
    /// fingerprint when lines move; identical findings in one file are told
    /// apart by their order.
    pub fn fingerprinted(&self) -> Vec<(Located, String)> {
        let mut seen = std::collections::HashMap::new();
        self.located()
            .map(|(_, l)| {
                let base = fingerprint(&l);
                let n = seen.entry(base.clone()).or_insert(0usize);
                *n += 1;
                let fp = if *n == 1 {
                    base
                } else {
                    hex_sha256(&format!("{base}\0{n}"))
                };
                (l.into_owned(), fp)
            })
            .collect()
    }

    /// Every finding with its target, placed and redacted now or, after
    /// [`LintResult::finish`] for a machine format, as it was then. Positions
    /// were resolved by `lint`, so either way none depends on the file's
    /// text still being there.
    pub fn located(&self) -> impl Iterator<Item = (&LintResult, Cow<'_, Located>)> {
        self.results.iter().flat_map(|r| {
            r.findings.iter().enumerate().map(move |(i, f)| {
                let located = match &r.resolved {
                    Some(resolved) => Cow::Borrowed(&resolved[i]),
                    None => Cow::Owned(Located::new(r, f)),
                };
                (r, located)
            })
        })
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.results
            .iter()
            .flat_map(|r| &r.findings)
            .filter(|f| f.severity() == severity)
            .count()
    }
}

/// A finding's identity without its position: code, path, section, option
/// and the message with its numbers (line numbers, counts) blanked.
fn fingerprint(l: &Located) -> String {
    let message: String = l
        .message
        .chars()
        .map(|c| if c.is_ascii_digit() { '0' } else { c })
        .collect();
    hex_sha256(&format!(
        "{}\0{}\0{}\0{}\0{}",
        l.code,
        relative_path(&l.path),
        l.section.as_deref().unwrap_or_default(),
        l.option.as_deref().unwrap_or_default(),
        message
    ))
}

fn hex_sha256(s: &str) -> String {
    Sha256::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A path as CI systems want it: relative to the current directory (the
/// checkout) when it lies below it, without a leading `./`.
pub fn relative_path(path: &str) -> String {
    let p = Path::new(path);
    let rel = if p.is_absolute() {
        std::env::current_dir()
            .ok()
            .and_then(|cwd| {
                let cwd = cwd.canonicalize().unwrap_or(cwd);
                let abs = p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
                abs.strip_prefix(&cwd).ok().map(Path::to_path_buf)
            })
            .unwrap_or_else(|| p.to_path_buf())
    } else {
        p.components()
            .filter(|c| !matches!(c, std::path::Component::CurDir))
            .collect()
    };
    rel.to_string_lossy().into_owned()
}

/// Escapes text for an XML attribute or element. Characters XML 1.0 cannot
/// hold at all become U+FFFD; line breaks survive in attributes.
pub(crate) fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escapes() {
        assert_eq!(
            xml_escape("a<b & \"c\"\n\u{1}"),
            "a&lt;b &amp; &quot;c&quot;&#10;\u{fffd}"
        );
    }

    #[test]
    fn relative_paths() {
        assert_eq!(
            relative_path("./etc/glance-api.conf"),
            "etc/glance-api.conf"
        );
        let cwd = std::env::current_dir().unwrap();
        let abs = cwd.join("Cargo.toml");
        assert_eq!(relative_path(&abs.display().to_string()), "Cargo.toml");
        assert_eq!(relative_path("/nonexistent/x.conf"), "/nonexistent/x.conf");
    }
}
