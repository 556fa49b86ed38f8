//! `--format gitlab`: GitLab Code Quality (a subset of Code Climate's JSON),
//! the `codequality` report artifact of a CI job.

use serde_json::{json, Value};

use super::{relative_path, Report};
use crate::finding::Severity;

/// GitLab's scale is info, minor, major, critical, blocker. An `error` is
/// something Glance fails on: critical; a `warning` is likely wrong: minor.
fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "critical",
        Severity::Warning => "minor",
        Severity::Info => "info",
    }
}

pub fn render(report: &Report) -> String {
    let issues: Vec<Value> = report
        .fingerprinted()
        .into_iter()
        .map(|(l, fp)| {
            json!({
                "type": "issue",
                "description": format!("{} {}: {}", l.code, l.name, l.message),
                "check_name": format!("{} {}", l.code, l.name),
                "fingerprint": fp,
                "severity": severity(l.severity),
                "categories": ["Bug Risk"],
                "location": {
                    "path": relative_path(&l.path),
                    "lines": {"begin": l.line, "end": l.end_line},
                },
            })
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&issues).expect("JSON values serialize");
    out.push('\n');
    out
}
