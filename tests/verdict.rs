//! Differential test against real Glance: `../shared/oslo/glance_verdict.py`
//! asks glance 33.0.0 itself (oslo.config, glance_store, keystoneauth,
//! paste) whether glance-api would start with a file. Every file it refuses,
//! over the real corpus and every fixture, must get an error from
//! glance-lint that names the cause: the option Glance stopped at, or for a
//! store failure a store finding, or for a file oslo.config cannot read
//! `parse-error`.
//!
//! Needs a venv with glance 33.0.0 (`scripts/test.sh` makes one and sets
//! `GLANCE_LINT_GLANCE_PYTHON`); without it the test is skipped, and fails
//! under CI.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{lint_file, project_dir, shared_dir, skip};
use glance_lint::{Finding, LintOptions, Severity};

/// What the oracle says of one file.
#[derive(serde::Deserialize)]
struct Verdict {
    file: String,
    starts: Option<bool>,
    #[serde(default)]
    problems: Vec<Problem>,
}

#[derive(serde::Deserialize, Debug)]
struct Problem {
    stage: String,
    group: Option<String>,
    option: Option<String>,
    error: String,
}

/// The stages that stop glance-api (the oracle's LIVE_STAGES).
const FATAL: [&str; 5] = ["parse", "value", "interpolation", "store", "startup"];

fn conf_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().collect();
    entries.sort_by_key(|e| e.path());
    for e in entries {
        let p = e.path();
        if p.is_dir() {
            conf_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "conf") {
            out.push(p);
        }
    }
}

/// Runs the oracle over `files`, in two processes at once (one per core).
fn verdicts(python: &str, script: &Path, files: &[PathBuf]) -> Vec<Verdict> {
    let half = files.len().div_ceil(2);
    let children: Vec<_> = files
        .chunks(half.max(1))
        .map(|chunk| {
            Command::new(python)
                .arg(script)
                .args(chunk)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("the oracle runs")
        })
        .collect();
    let mut out = Vec::new();
    for child in children {
        let o = child.wait_with_output().unwrap();
        let text = String::from_utf8_lossy(&o.stdout);
        for line in text.lines().filter(|l| l.starts_with('{')) {
            out.push(serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")));
        }
    }
    assert_eq!(out.len(), files.len(), "the oracle judged every file");
    out
}

/// Whether an error finding names the problem Glance stopped at.
fn names_cause(problem: &Problem, errors: &[&Finding]) -> bool {
    match problem.stage.as_str() {
        "parse" => errors.iter().any(|f| f.rule.name == "parse-error"),
        "store" if problem.option.is_none() => errors.iter().any(|f| {
            f.rule.name.contains("store")
                || f.rule.name.contains("backend")
                || f.section.as_deref() == Some("glance_store")
        }),
        _ => {
            let (Some(group), Some(option)) = (&problem.group, &problem.option) else {
                return false;
            };
            errors.iter().any(|f| {
                (f.section.as_deref() == Some(group.as_str())
                    && f.option.as_deref() == Some(option.as_str()))
                    || f.message.contains(option.as_str())
            })
        }
    }
}

#[test]
#[ignore = "needs ../shared and GLANCE_LINT_GLANCE_PYTHON (glance 33.0.0); scripts/test.sh runs it"]
fn every_file_glance_refuses_gets_an_error_naming_the_cause() {
    let Some(shared) = shared_dir() else {
        skip("../shared is not beside the project");
        return;
    };
    let Ok(python) = std::env::var("GLANCE_LINT_GLANCE_PYTHON") else {
        skip("GLANCE_LINT_GLANCE_PYTHON (a venv with glance 33.0.0) is not set");
        return;
    };
    let mut files = Vec::new();
    conf_files(&shared.join("corpus/real"), &mut files);
    conf_files(&project_dir().join("fixtures"), &mut files);
    let script = shared.join("oslo/glance_verdict.py");
    let options = LintOptions {
        host_checks: false,
        ..LintOptions::default()
    };
    let mut refused = 0;
    let mut missed = Vec::new();
    for (path, verdict) in files.iter().zip(verdicts(&python, &script, &files)) {
        assert!(
            path.ends_with(&verdict.file) || verdict.file.ends_with(&*path.to_string_lossy()),
            "{} vs {}",
            path.display(),
            verdict.file
        );
        if verdict.starts != Some(false) {
            continue;
        }
        refused += 1;
        let result = lint_file(path, &options);
        let errors: Vec<&Finding> = result
            .findings
            .iter()
            .filter(|f| f.severity() == Severity::Error)
            .collect();
        // The oracle loads the shipped glance-api-paste.ini even when the
        // file names a paste file of its own (its documented limit).
        let source = glance_lint::source::SourceFile::from_bytes(
            path.display().to_string(),
            Some(path),
            std::fs::read(path).unwrap(),
        );
        let own_paste =
            glance_lint::model::views::own_paste_file(&glance_lint::effective_config(&[source]));
        for p in verdict.problems.iter().filter(|p| {
            FATAL.contains(&p.stage.as_str())
                && !(own_paste && p.option.as_deref() == Some("flavor"))
        }) {
            if !names_cause(p, &errors) {
                missed.push(format!(
                    "{}: {} [{}] {}: {}\n  glance-lint errors: {:?}",
                    path.display(),
                    p.stage,
                    p.group.as_deref().unwrap_or("-"),
                    p.option.as_deref().unwrap_or("-"),
                    p.error.chars().take(160).collect::<String>(),
                    errors
                        .iter()
                        .map(|f| (f.rule.name, f.section.clone(), f.option.clone()))
                        .collect::<Vec<_>>()
                ));
            }
        }
    }
    eprintln!(
        "glance_verdict.py: {} files, {refused} refused",
        files.len()
    );
    assert!(refused >= 10, "suspiciously few refused files: {refused}");
    assert!(
        missed.is_empty(),
        "Glance refuses these files for a reason glance-lint does not name as an error:\n{}",
        missed.join("\n")
    );
}
