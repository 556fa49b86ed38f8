//! The real corpus (`../shared/corpus/real/`): every file is linted without a
//! crash; the effective configuration of `glance-lint config` equals
//! oslo.config's own reading of every file oslo.config can read, and
//! `parse-error` is reported (at oslo.config's line) on every one it cannot.

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

use common::{lint_file, run, shared_dir, skip, stdout};
use glance_lint::LintOptions;
use serde_json::Value;

fn corpus() -> Option<Vec<PathBuf>> {
    let dir = shared_dir()?.join("corpus/real");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "conf"))
        .collect();
    files.sort();
    Some(files)
}

fn no_host() -> LintOptions {
    LintOptions {
        host_checks: false,
        ..LintOptions::default()
    }
}

#[test]
#[ignore = "needs ../shared beside the checkout; scripts/test.sh runs it"]
fn every_corpus_file_lints_without_a_crash() {
    let Some(files) = corpus() else {
        return skip("../shared/corpus/real is absent");
    };
    assert!(files.len() >= 30, "the corpus has {} files", files.len());
    for f in &files {
        let result = lint_file(f, &no_host());
        for finding in &result.findings {
            let span = finding.span.expect("static findings have spans");
            let text = &result.sources[span.file].text;
            assert!(
                span.start <= span.end && span.end <= text.len(),
                "{}: span out of range",
                f.display()
            );
        }
        // The human report renders too.
        common::render_plain(result);
    }
}

/// oslo.config's reading of every corpus file (`tests/oslo_parse_many.py`):
/// per file, `{"ok": true, "sections": {SECTION: {KEY: last value}}}` or
/// `{"ok": false, "kind": ..., "line": N or null}`.
fn oslo_reading(files: &[PathBuf]) -> Option<BTreeMap<String, Value>> {
    let Ok(python) = std::env::var("GLANCE_LINT_PYTHON") else {
        skip("GLANCE_LINT_PYTHON is not set (scripts/test.sh sets it to a venv with oslo.config)");
        return None;
    };
    let script = common::project_dir().join("tests/oslo_parse_many.py");
    let paths: String = files.iter().map(|f| format!("{}\n", f.display())).collect();
    let out = common::run_with_stdin(Command::new(python).arg(script), paths.as_bytes());
    assert!(
        out.status.success(),
        "oslo_parse_many.py failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines = String::from_utf8(out.stdout).unwrap();
    let readings = files.iter().zip(lines.lines()).map(|(f, line)| {
        let mut v: Value = serde_json::from_str(line).unwrap();
        // A single-valued option's effective value is its last assignment.
        if let Some(sections) = v.get("normalized").and_then(Value::as_object) {
            let last: serde_json::Map<String, Value> = sections
                .iter()
                .map(|(s, opts)| {
                    let opts = opts.as_object().unwrap();
                    let opts = opts.iter().map(|(k, vals)| {
                        (k.clone(), vals.as_array().unwrap().last().unwrap().clone())
                    });
                    (s.clone(), Value::Object(opts.collect()))
                })
                .collect();
            v["sections"] = Value::Object(last);
        }
        v["line"] = v.get("lineno").cloned().unwrap_or(Value::Null);
        (f.display().to_string(), v)
    });
    let readings: BTreeMap<String, Value> = readings.collect();
    assert_eq!(
        readings.len(),
        files.len(),
        "oslo_parse_many.py skipped files"
    );
    Some(readings)
}

#[test]
#[ignore = "needs ../shared and GLANCE_LINT_PYTHON (oslo.config); scripts/test.sh runs it"]
fn effective_config_equals_oslo_config() {
    let Some(files) = corpus() else {
        return skip("../shared/corpus/real is absent");
    };
    let Some(oslo) = oslo_reading(&files) else {
        return;
    };
    let (mut readable, mut refused) = (0, 0);
    for f in &files {
        let path = f.to_str().unwrap();
        let expected = &oslo[path];
        let out = run(&["config", "--format", "json", "--show-secrets", path]);
        if expected["ok"] == Value::Bool(true) {
            readable += 1;
            assert_eq!(
                out.status.code(),
                Some(0),
                "{path}: {}",
                common::stderr(&out)
            );
            let ours: Value = serde_json::from_str(&stdout(&out)).unwrap();
            assert_eq!(
                ours["sections"], expected["sections"],
                "{path}: effective config differs"
            );
        } else {
            refused += 1;
            assert_eq!(
                out.status.code(),
                Some(1),
                "{path}: oslo.config refuses it ({})",
                expected["kind"]
            );
            let result = lint_file(f, &no_host());
            let first = result
                .findings
                .iter()
                .find(|x| x.rule.name == "parse-error")
                .unwrap_or_else(|| panic!("{path}: no parse-error"));
            if let Some(line) = expected["line"].as_u64() {
                let config = glance_lint::effective_config(&result.sources);
                let ours = config.first_parse_error().unwrap();
                let reported = match ours.kind {
                    glance_lint::model::ParseErrorKind::NoSection { flush_line } => flush_line,
                    _ => ours.line,
                };
                assert_eq!(reported as u64, line, "{path}: parse error at another line");
            }
            assert!(first.message.contains("oslo.config"), "{path}");
        }
    }
    eprintln!("oslo.config reads {readable} corpus files (all equal) and refuses {refused}");
    assert!(readable > 0 && refused > 0);
}
