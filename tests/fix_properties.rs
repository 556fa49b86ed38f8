//! The safe fixes, over the real corpus (`../shared/corpus/real/`) and
//! generated files: applying every one leaves a file oslo.config still
//! parses, reading the same as before (`tests/oslo_parse_many.py`, the
//! differential's own reader) except for the options the fixes target, and
//! each targeted option keeps the value Glance used; fixing again changes
//! nothing (`--fix` twice is `--fix` once).
//!
//! Raise the generated cases with `PROPTEST_CASES=2000 cargo test --test
//! fix_properties`.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use glance_lint::autofix::{self, Applied};
use glance_lint::fix::Applicability;
use glance_lint::source::SourceFile;
use glance_lint::LintOptions;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use serde_json::Value;

fn options() -> LintOptions {
    LintOptions {
        host_checks: false,
        ..LintOptions::default()
    }
}

/// Generated files rich in what the fixes touch: duplicates, inline
/// comments on typed and string options, old names, suppressions, ids
/// with junk, continuation lines and CRLF endings.
fn fixable_text() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        Just("[DEFAULT]".to_string()),
        Just("[glance_store]".to_string()),
        Just("[keystone_authtoken]".to_string()),
        Just("[oslo_limit]".to_string()),
        Just("[fast]".to_string()),
        Just("[database]".to_string()),
        Just("[oslo_policy]".to_string()),
        Just("debug = true".to_string()),
        Just("debug = false # off".to_string()),
        Just("debug = yes ;later".to_string()),
        Just("image_size_cap = 1024 # 1 KiB".to_string()),
        Just("pydev_worker_debug_port = 5678 # port".to_string()),
        Just("public_endpoint = http://x/ # vip".to_string()),
        Just("enabled_backends = fast:file".to_string()),
        Just("default_backend = fast # ssd".to_string()),
        Just("filesystem_thin_provisioning = true # thin".to_string()),
        Just("auth_plugin = password".to_string()),
        Just("auth_type = password".to_string()),
        Just("memcache_servers = a:11211".to_string()),
        Just("auth_uri = http://ks:5000".to_string()),
        Just("password = secret-one".to_string()),
        Just("password = secret-two # not a comment".to_string()),
        Just("connection = mysql://u:p@h/g".to_string()),
        Just("endpoint_id = 340be3625e9b4239a6415d034e98aace # id".to_string()),
        Just("endpoint_id = 340be3625e9b4239a6415d034e98aace junk".to_string()),
        Just("use_keystone_limits = true".to_string()),
        Just("policy_dirs = p.d".to_string()),
        Just("policy_dirs = /etc/glance/policy.d".to_string()),
        Just("filesystem_store_datadirs = /a:1".to_string()),
        Just("stores = file,http,rbd".to_string()),
        Just("default_store = rbd".to_string()),
        Just("filesystem_store_datadir = /srv/images".to_string()),
        Just("rbd_store_pool = images".to_string()),
        Just("enabled_backends = fast:file, ceph:rbd".to_string()),
        Just("[ceph]".to_string()),
        Just("# glance-lint: disable=debug-enabled".to_string()),
        Just("# glance-lint: disable=placeholder-value, GL104".to_string()),
        Just("# glance-lint: disable-file=no-such-rule".to_string()),
        Just("# plain comment".to_string()),
        Just("   continued".to_string()),
        Just(String::new()),
    ];
    (
        prop::collection::vec(line, 1..24),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(lines, crlf, final_newline)| {
            let eol = if crlf { "\r\n" } else { "\n" };
            let mut text = format!("[DEFAULT]{eol}");
            text.push_str(&lines.join(eol));
            if final_newline {
                text.push_str(eol);
            }
            text
        })
}

/// oslo.config's reading of each file, by `tests/oslo_parse_many.py`.
fn oslo_read(python: &std::ffi::OsStr, paths: &[PathBuf]) -> Vec<Value> {
    let mut child = Command::new(python)
        .arg(common::project_dir().join("tests/oslo_parse_many.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python runs");
    // Written from another thread: the answers fill the stdout pipe long
    // before thousands of paths are written.
    let mut stdin = child.stdin.take().unwrap();
    let list: String = paths.iter().map(|p| format!("{}\n", p.display())).collect();
    let writer = std::thread::spawn(move || stdin.write_all(list.as_bytes()));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(out.status.success(), "oslo_parse_many.py failed");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

type Reading = BTreeMap<String, BTreeMap<String, Vec<String>>>;

fn reading(v: &Value) -> Reading {
    serde_json::from_value(v["normalized"].clone()).unwrap()
}

/// One file: fixed once, then checked against the fixes it got.
struct Case {
    name: String,
    before: String,
    after: String,
    applied: Vec<Applied>,
}

fn fix_text(name: &str, text: &str) -> Case {
    fix_text_at(name, text, Applicability::Safe)
}

fn fix_text_at(name: &str, text: &str, level: Applicability) -> Case {
    let src = SourceFile::from_text("glance-api.conf", text);
    let fixed = autofix::fix(vec![src], &options(), level);
    let after = fixed.result.sources[0].text.clone();
    assert!(
        fixed.dropped.is_empty(),
        "{name}: fixes of {:?} would leave a file oslo.config refuses:\n{text:?}",
        fixed.dropped
    );
    // --fix twice is --fix once.
    let again = autofix::fix(
        vec![SourceFile::from_text("glance-api.conf", &after)],
        &options(),
        level,
    );
    assert!(
        again.applied.is_empty() && again.result.sources[0].text == after,
        "{name}: a second --fix changes it again: {:?}\nafter the first:\n{after:?}",
        again
            .applied
            .iter()
            .map(|a| a.rule.name)
            .collect::<Vec<_>>()
    );
    // Every fix keeps a file oslo.config reads, by our parser too.
    if fixed.refused.is_none() {
        let doc = glance_lint::effective_config(&fixed.result.sources);
        assert!(
            doc.first_parse_error().is_none(),
            "{name}: the fixed file no longer parses:\n{after:?}"
        );
    }
    Case {
        name: name.to_string(),
        before: text.to_string(),
        after,
        applied: fixed.applied,
    }
}

/// oslo.config reads the fixed file as the original, except the options the
/// fixes target: those keep the value Glance used (the last one), but for
/// the comment or junk a fix cut from a typed value, and a renamed option
/// keeps its value under its new name.
fn check_reading(case: &Case, before: &Value, after: &Value) {
    let name = &case.name;
    if before["ok"] != true {
        // Not touched at all.
        assert_eq!(
            case.before, case.after,
            "{name}: a refused file was changed"
        );
        return;
    }
    assert_eq!(
        after["ok"], true,
        "{name}: oslo.config refuses the fixed file: {after}\n{:?}",
        case.after
    );
    let (b, a) = (reading(before), reading(after));
    assert_eq!(
        b.keys().collect::<Vec<_>>(),
        a.keys().collect::<Vec<_>>(),
        "{name}: sections changed"
    );
    let mut targeted: BTreeSet<(String, String)> = BTreeSet::new();
    for f in &case.applied {
        if let (Some(s), Some(o)) = (&f.section, &f.option) {
            targeted.insert((s.clone(), o.clone()));
            if f.rule.name == "deprecated-option" {
                let new = f.edits[0].content.clone();
                targeted.insert((s.clone(), new.clone()));
                let old = b[s][o].last();
                assert_eq!(a[s][&new].last(), old, "{name}: {o} renamed to {new}");
            }
        }
    }
    for (section, keys) in &b {
        let all: BTreeSet<&String> = keys.keys().chain(a[section].keys()).collect();
        for key in all {
            let (bv, av) = (keys.get(key), a[section].get(key));
            if bv == av {
                continue;
            }
            let t = (section.clone(), key.clone());
            assert!(
                targeted.contains(&t),
                "{name}: [{section}] {key} changed without a fix for it: {bv:?} -> {av:?}\n{:?}\n{:?}",
                case.before,
                case.after
            );
            let rules: Vec<&str> = case
                .applied
                .iter()
                .filter(|f| f.section.as_ref() == Some(section) && f.option.as_ref() == Some(key))
                .map(|f| f.rule.name)
                .collect();
            let (Some(bl), Some(al)) = (bv.and_then(|v| v.last()), av.and_then(|v| v.last()))
            else {
                // The old name of a renamed option: gone, checked above.
                continue;
            };
            if rules.iter().all(|r| *r == "duplicate-option") {
                assert_eq!(
                    bl, al,
                    "{name}: [{section}] {key}: the winning value changed"
                );
                // Every assignment of a multi-valued option counts.
                let multi = glance_lint::schema::catalogue()
                    .option(section, key)
                    .is_some_and(|o| o.is_multi());
                assert!(!multi, "{name}: [{section}] {key} is multi-valued");
            } else {
                // A cut: the kept value is the old one up to a blank.
                assert!(
                    bl.starts_with(al.as_str())
                        && !al.is_empty()
                        && bl[al.len()..].starts_with([' ', '\t']),
                    "{name}: [{section}] {key}: {bl:?} -> {al:?} by {rules:?}"
                );
            }
        }
    }
}

fn run_cases(cases: Vec<Case>) {
    let Some(python) = std::env::var_os("GLANCE_LINT_PYTHON") else {
        common::skip("GLANCE_LINT_PYTHON is not set (scripts/test.sh sets it): no oslo.config");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    for (i, c) in cases.iter().enumerate() {
        for (which, text) in [("before", &c.before), ("after", &c.after)] {
            let p = dir.path().join(format!("{i}-{which}.conf"));
            std::fs::write(&p, text).unwrap();
            paths.push(p);
        }
    }
    let read = oslo_read(&python, &paths);
    assert_eq!(read.len(), paths.len());
    for (c, pair) in cases.iter().zip(read.chunks(2)) {
        check_reading(c, &pair[0], &pair[1]);
    }
}

#[test]
fn safe_fixes_keep_the_corpus_reading_except_their_targets() {
    let Some(shared) = common::shared_dir() else {
        return common::skip("../shared/corpus/real is absent");
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(shared.join("corpus/real"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "conf"))
        .collect();
    files.sort();
    assert!(files.len() >= 30, "{}", files.len());
    let mut cases = Vec::new();
    let mut fixed_any = 0;
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        let Ok(text) = String::from_utf8(bytes) else {
            continue;
        };
        let case = fix_text(&f.display().to_string(), &text);
        fixed_any += usize::from(!case.applied.is_empty());
        cases.push(case);
    }
    // Not vacuous: real files do get fixed.
    assert!(fixed_any >= 5, "only {fixed_any} corpus files got a fix");
    run_cases(cases);
}

#[test]
fn safe_fixes_keep_generated_readings_except_their_targets() {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300u32);
    let mut runner = TestRunner::new(Config {
        cases,
        ..Config::default()
    });
    let strategy = fixable_text();
    let mut out = Vec::new();
    let mut fixed_any = 0;
    for i in 0..cases {
        let text = strategy.new_tree(&mut runner).unwrap().current();
        let case = fix_text(&format!("generated #{i}"), &text);
        fixed_any += usize::from(!case.applied.is_empty());
        out.push(case);
    }
    assert!(
        fixed_any * 3 >= cases as usize,
        "only {fixed_any} of {cases} got a fix"
    );
    run_cases(out);
}

/// The unsafe fixes change what Glance does by design, but never leave a
/// file oslo.config refuses, and settle: fixing again changes nothing.
#[test]
fn unsafe_fixes_keep_files_readable_and_settle() {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300u32);
    let mut runner = TestRunner::new(Config {
        cases,
        ..Config::default()
    });
    let strategy = fixable_text();
    let mut unsafe_applied = 0;
    for i in 0..cases {
        let text = strategy.new_tree(&mut runner).unwrap().current();
        // fix_text_at asserts both.
        let case = fix_text_at(&format!("generated #{i}"), &text, Applicability::Unsafe);
        unsafe_applied += case
            .applied
            .iter()
            .filter(|a| {
                a.rule
                    .fixes
                    .iter()
                    .any(|f| f.applicability == Applicability::Unsafe)
            })
            .count();
    }
    assert!(unsafe_applied > 0, "no unsafe fix in {cases} files");
}
