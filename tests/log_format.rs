//! `invalid-log-format` judges `%` format strings as Python does: random
//! strings from the characters that matter, compared with Python's own
//! `fmt % record_dict` (the interpreter of GLANCE_LINT_PYTHON).

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use glance_lint::rules::percent_format_error;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};

/// Python's verdict for each format: true when `fmt % mapping` raises.
fn python_rejects(python: &str, formats: &[String]) -> Vec<bool> {
    let script = r#"
import json, sys
class Record(dict):
    def __missing__(self, key):
        return 1
out = []
for fmt in json.load(sys.stdin):
    try:
        fmt % Record()
        out.append(False)
    except (ValueError, TypeError, KeyError):
        out.append(True)
json.dump(out, sys.stdout)
"#;
    let mut child = Command::new(python)
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(serde_json::to_string(formats).unwrap().as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success());
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
#[ignore = "needs GLANCE_LINT_PYTHON (oslo.config); scripts/test.sh runs it"]
fn percent_formats_like_python() {
    let Ok(python) = std::env::var("GLANCE_LINT_PYTHON") else {
        common::skip("GLANCE_LINT_PYTHON is not set");
        return;
    };
    let mut runner = TestRunner::new(Config {
        cases: 1,
        ..Config::default()
    });
    let strategy = prop::collection::vec("[%()a-z sdqfr*.#0-9+-]{0,14}", 3000);
    let formats = strategy.new_tree(&mut runner).unwrap().current();
    let verdicts = python_rejects(&python, &formats);
    let rejected = verdicts.iter().filter(|&&r| r).count();
    assert!(
        rejected > 300 && formats.len() - rejected > 300,
        "the sample must hold both kinds: {rejected} of {} rejected",
        formats.len()
    );
    let mut disagree = Vec::new();
    for (fmt, python_rejects) in formats.iter().zip(verdicts) {
        let ours = percent_format_error(fmt).is_some();
        if ours != python_rejects {
            disagree.push(format!(
                "{fmt:?}: python rejects {python_rejects}, we {ours}"
            ));
        }
    }
    assert!(disagree.is_empty(), "{}", disagree.join("\n"));
}
