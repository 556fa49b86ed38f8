//! `--format sarif`: SARIF 2.1.0, as GitHub code scanning uploads it. Every
//! rule's metadata is in `tool.driver.rules`; URIs are relative to the
//! current directory (`%SRCROOT%`); fingerprints do not depend on lines.

use serde_json::{json, Value};

use super::{relative_path, Report};
use crate::finding::Severity;
use crate::rules::{docs, RuleMeta, RULES};

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
const INFORMATION_URI: &str = "https://github.com/glance-lint/glance-lint";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The text under `## What it does`, joined into one paragraph.
fn what_it_does(m: &RuleMeta) -> String {
    let doc = m.doc_markdown();
    let body = doc
        .split("## What it does")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .unwrap_or(m.summary);
    let text = body.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        m.summary.to_string()
    } else {
        text
    }
}

fn rule(m: &RuleMeta) -> Value {
    // The other levels the rule reports at lead the help, as on its page.
    let doc = format!("{}{}", docs::variants_markdown(m), m.doc_markdown());
    let mut properties = json!({"tags": [m.category.as_str()]});
    if !m.variants.is_empty() {
        properties["variants"] = m
            .variants
            .iter()
            .map(|v| json!({"level": level(v.severity()), "when": v.when()}))
            .collect();
    }
    json!({
        "id": m.code,
        "name": m.name,
        "shortDescription": {"text": m.summary},
        "fullDescription": {"text": what_it_does(m)},
        "help": {"text": doc, "markdown": doc},
        "helpUri": m.url(),
        "defaultConfiguration": {"level": level(m.severity)},
        "properties": properties,
    })
}

/// A URI reference for a path: relative ones against `%SRCROOT%`, others
/// as `file://` URIs.
fn artifact_location(path: &str) -> Value {
    let rel = relative_path(path);
    if rel.starts_with('/') {
        json!({"uri": format!("file://{}", encode(&rel))})
    } else {
        json!({"uri": encode(&rel), "uriBaseId": "%SRCROOT%"})
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters and `/`.
fn encode(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A fix as SARIF's `fix` object: one `artifactChange` per file, each edit
/// a `replacement` of a region (an empty region inserts). The level is in
/// `properties` (SARIF has no word for it).
fn sarif_fix(fix: &crate::finding::LocatedFix) -> Value {
    let mut changes: Vec<(&str, Vec<Value>)> = Vec::new();
    for e in &fix.edits {
        let replacement = json!({
            "deletedRegion": {
                "startLine": e.start.line,
                "startColumn": e.start.column,
                "endLine": e.end.line,
                "endColumn": e.end.column,
            },
            "insertedContent": {"text": e.content},
        });
        match changes.iter_mut().find(|(p, _)| *p == e.path) {
            Some((_, r)) => r.push(replacement),
            None => changes.push((&e.path, vec![replacement])),
        }
    }
    json!({
        "description": {"text": fix.message},
        "artifactChanges": changes
            .into_iter()
            .map(|(path, replacements)| json!({
                "artifactLocation": artifact_location(path),
                "replacements": replacements,
            }))
            .collect::<Vec<_>>(),
        "properties": {"applicability": fix.applicability},
    })
}

pub fn render(report: &Report) -> String {
    let results: Vec<Value> = report
        .fingerprinted()
        .into_iter()
        .map(|(l, fp)| {
            let index = RULES.iter().position(|r| r.meta().code == l.code);
            let mut message = l.message.clone();
            if let Some(help) = &l.help {
                message.push_str("\nhelp: ");
                message.push_str(help);
            }
            let mut result = json!({
                "ruleId": l.code,
                "ruleIndex": index,
                "level": level(l.severity),
                "message": {"text": message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": artifact_location(&l.path),
                        "region": {
                            "startLine": l.line,
                            "startColumn": l.column,
                            "endLine": l.end_line,
                            "endColumn": l.end_column,
                        },
                    },
                    "logicalLocations": l.section.as_ref().map(|s| vec![json!({
                        "name": l.option.clone().unwrap_or_else(|| s.clone()),
                        "fullyQualifiedName": match &l.option {
                            Some(o) => format!("[{s}] {o}"),
                            None => format!("[{s}]"),
                        },
                        "kind": "member",
                    })]).unwrap_or_default(),
                }],
                "partialFingerprints": {"glanceLint/v1": fp},
            });
            if let Some(fix) = &l.fix {
                result["fixes"] = json!([sarif_fix(fix)]);
            }
            result
        })
        .collect();
    let notifications: Vec<Value> = report
        .input_errors
        .iter()
        .map(|e| {
            json!({
                "level": "error",
                "message": {"text": format!("{}: {}", e.path, e.message)},
                "locations": [{"physicalLocation": {"artifactLocation": artifact_location(&e.path)}}],
            })
        })
        .collect();
    let srcroot = std::env::current_dir()
        .map(|d| {
            format!(
                "file://{}/",
                encode(&d.to_string_lossy()).trim_end_matches('/')
            )
        })
        .unwrap_or_else(|_| "file:///".into());
    let value = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "glance-lint",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": INFORMATION_URI,
                "rules": RULES.iter().map(|r| rule(r.meta())).collect::<Vec<_>>(),
            }},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": srcroot}},
            "properties": {"glanceRelease": report.release().map(super::json::ReleaseJson::from)},
            "invocations": [{
                "executionSuccessful": report.input_errors.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
        }],
    });
    let mut out = serde_json::to_string_pretty(&value).expect("JSON values serialize");
    out.push('\n');
    out
}
