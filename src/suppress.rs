//! Suppression comments. oslo.config ignores full-line comments, so Glance
//! never sees these:
//!
//! ```ini
//! # glance-lint: disable=placeholder-value,GL206      <- the next assignment only
//! # glance-lint: disable-file=debug-enabled           <- the whole file
//! ```

use regex::Regex;
use std::collections::HashMap;

use crate::finding::Finding;
use crate::fix::{whole_lines, Edit, Fix};
use crate::model::EffectiveConfig;
use crate::options::Selection;
use crate::rules::{self, unused_suppression::UnusedSuppression};
use crate::source::{SourceFile, Span};

struct Suppression {
    file: usize,
    /// Lines covered (inclusive); `None` for the whole file.
    lines: Option<(usize, usize)>,
    rule: String,
    span: Span,
    /// The directive comment's line (without its line break).
    comment: Span,
    /// The span of this name in the list with one comma beside it (the
    /// one after it, or before it for the last name): what removing the
    /// name alone deletes.
    item: Span,
    used: bool,
}

fn directive() -> &'static Regex {
    crate::lazy_regex!(r"^[#;]\s*glance-lint:\s*(disable|disable-file)\s*=\s*(.*)$")
}

fn collect(config: &EffectiveConfig, sources: &[SourceFile]) -> Vec<Suppression> {
    let mut out = Vec::new();
    for doc in &config.docs {
        let src = &sources[doc.file];
        let text = src.text.as_str();
        for comment in &doc.directive_comments {
            let line = &text[comment.span.start..comment.span.end];
            let Some(caps) = directive().captures(line) else {
                continue;
            };
            let lines = if &caps[1] == "disable-file" {
                None
            } else {
                // The next assignment after the comment, all of its lines.
                // Entries are in line order: a binary search, not a scan.
                let next = doc.entries.partition_point(|e| e.line <= comment.line);
                match doc.entries.get(next) {
                    Some(e) => {
                        let last = src.line_col(e.value_span.end).0;
                        Some((e.line, last.max(e.line)))
                    }
                    None => Some((0, 0)),
                }
            };
            let list = caps.get(2).unwrap();
            let mut offset = list.start();
            let items: Vec<&str> = list.as_str().split(',').collect();
            for (k, item) in items.iter().enumerate() {
                let lead = item.len() - item.trim_start().len();
                let name = item.trim();
                if !name.is_empty() {
                    let start = comment.span.start + offset + lead;
                    let base = comment.span.start + offset;
                    let item_span = if k + 1 < items.len() {
                        // The name, its comma and the blanks before the next.
                        let next = items[k + 1];
                        let next_lead = next.len() - next.trim_start().len();
                        Span::new(doc.file, start, base + item.len() + 1 + next_lead)
                    } else if k > 0 {
                        // The last name: the comma before it goes.
                        let prev = items[k - 1];
                        let prev_trail = prev.len() - prev.trim_end().len();
                        Span::new(doc.file, base - 1 - prev_trail, start + name.len())
                    } else {
                        Span::new(doc.file, start, start + name.len())
                    };
                    out.push(Suppression {
                        file: doc.file,
                        lines,
                        rule: name.to_string(),
                        span: Span::new(doc.file, start, start + name.len()),
                        comment: comment.span,
                        item: item_span,
                        used: false,
                    });
                }
                offset += item.len() + 1;
            }
        }
    }
    out
}

/// Drops suppressed findings and reports suppressions that suppress nothing.
pub fn apply(
    config: &EffectiveConfig,
    sources: &[SourceFile],
    findings: Vec<Finding>,
    selection: &Selection,
) -> Vec<Finding> {
    let mut sups = collect(config, sources);
    if sups.is_empty() {
        return findings;
    }
    // Suppressions grouped so that every member of a group covers the same
    // findings: same file, same lines (by their first line; the lines of two
    // assignments never overlap), same rule. A file with 100,000 suppression
    // comments and 100,000 findings costs a hash lookup per finding.
    type Key = (usize, Option<usize>, String);
    let canonical = |rule: &str| {
        if rule.len() == 5 && rule[..2].eq_ignore_ascii_case("GL") {
            rule.to_ascii_uppercase()
        } else {
            rule.to_string()
        }
    };
    let mut groups: HashMap<Key, (Vec<usize>, bool)> = HashMap::new();
    let mut starts: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, s) in sups.iter().enumerate() {
        let first = s.lines.map(|(a, _)| a);
        groups
            .entry((s.file, first, canonical(&s.rule)))
            .or_default()
            .0
            .push(i);
        if let Some(a) = first {
            starts.entry(s.file).or_default().push(a);
        }
    }
    for v in starts.values_mut() {
        v.sort_unstable();
        v.dedup();
    }
    let mut kept = Vec::with_capacity(findings.len());
    for f in findings {
        let mut suppressed = false;
        if let Some(span) = f.span {
            let file = span.file;
            let line = sources[file].line_col(span.start).0;
            let first = starts.get(&file).and_then(|v| {
                let k = v.partition_point(|&a| a <= line);
                k.checked_sub(1).map(|k| v[k])
            });
            for scope in [first.map(Some), Some(None)].into_iter().flatten() {
                for rule in [f.rule.name, f.rule.code] {
                    let Some((members, used)) = groups.get_mut(&(file, scope, rule.to_string()))
                    else {
                        continue;
                    };
                    let covers = sups[members[0]]
                        .lines
                        .is_none_or(|(a, b)| line >= a && line <= b);
                    if covers {
                        suppressed = true;
                        if !*used {
                            *used = true;
                            for &i in members.iter() {
                                sups[i].used = true;
                            }
                        }
                    }
                }
            }
        }
        if !suppressed {
            kept.push(f);
        }
    }
    if selection.enabled(&UnusedSuppression::META) {
        // A rule that was not run cannot have been suppressed.
        let reported =
            |s: &Suppression| !s.used && rules::meta(&s.rule).is_none_or(|m| selection.enabled(m));
        // Directives every name of which is reported: the whole line goes.
        let mut whole: HashMap<(usize, usize), bool> = HashMap::new();
        for s in &sups {
            let all = whole.entry((s.file, s.comment.start)).or_insert(true);
            *all &= reported(s);
        }
        for s in sups.iter() {
            if !reported(s) {
                continue;
            }
            let known = rules::meta(&s.rule);
            let (message, help) = match known {
                Some(m) => (
                    format!(
                        "this suppression of `{}` ({}) suppresses nothing",
                        m.name, m.code
                    ),
                    "remove it, or move it to the line above the assignment it is meant for"
                        .to_string(),
                ),
                // A misspelt name: moving the comment would not help.
                None => (
                    format!("`{}` is not a glance-lint rule", s.rule),
                    match rules::closest(&s.rule) {
                        Some(m) => format!("did you mean `{}` ({})?", m.name, m.code),
                        None => "name a rule or code that `glance-lint rules` lists".to_string(),
                    },
                ),
            };
            let fix = if whole[&(s.file, s.comment.start)] {
                Fix::safe(
                    "delete the suppression comment",
                    vec![Edit::delete(whole_lines(&sources[s.file], s.comment))],
                )
            } else {
                Fix::safe(
                    format!("remove `{}` from the suppression comment", s.rule),
                    vec![Edit::delete(s.item)],
                )
            };
            kept.push(
                Finding::new(&UnusedSuppression::META, message)
                    .at(s.span)
                    .help(help)
                    .fix(fix),
            );
        }
    }
    kept
}
