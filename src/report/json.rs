//! `--format json`: the object promised in CONTRACT.md.

use serde_json::json;

use super::Report;
use crate::finding::Severity;

pub fn render(report: &Report) -> String {
    let files: Vec<_> = report
        .results
        .iter()
        .map(|r| json!({"path": r.name(), "findings": r.findings.len(), "notes": r.notes}))
        .collect();
    let diagnostics: Vec<_> = report.located().map(|(_, l)| l).collect();
    let errors: Vec<_> = report
        .input_errors
        .iter()
        .map(|e| json!({"path": e.path, "message": e.message}))
        .collect();
    let value = json!({
        "version": 1,
        "tool": {"name": "glance-lint", "version": env!("CARGO_PKG_VERSION")},
        "files": files,
        "diagnostics": diagnostics,
        "errors": errors,
        "summary": {
            "error": report.count(Severity::Error),
            "warning": report.count(Severity::Warning),
            "info": report.count(Severity::Info),
        },
    });
    let mut out = serde_json::to_string_pretty(&value).expect("JSON values serialize");
    out.push('\n');
    out
}
