//! The install guide's file and a clean, complete file (issue 2's promises).

mod common;

use common::{lint_file, project_dir};
use glance_lint::{LintOptions, Severity};

fn options(root: Option<&std::path::Path>) -> LintOptions {
    match root {
        Some(root) => LintOptions {
            root: root.to_path_buf(),
            ..LintOptions::default()
        },
        None => LintOptions {
            host_checks: false,
            ..LintOptions::default()
        },
    }
}

#[test]
fn the_guides_file_gives_its_known_mistakes_and_no_other_error() {
    let result = lint_file(
        &project_dir().join("examples/install-guide.conf"),
        &options(None),
    );
    let mut errors: Vec<(&str, usize)> = result
        .findings
        .iter()
        .filter(|f| f.severity() == Severity::Error)
        .map(|f| {
            let span = f.span.unwrap();
            (
                f.rule.name,
                result.sources[span.file].line_col(span.start).0,
            )
        })
        .collect();
    errors.sort();
    assert_eq!(
        errors,
        [
            ("placeholder-password", 5),
            ("placeholder-password", 15),
            ("placeholder-password", 28),
        ]
    );
}

#[test]
fn a_clean_complete_file_gives_no_finding() {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(root.path().join("var/lib/glance/images")).unwrap();
    let result = lint_file(
        &project_dir().join("examples/clean.conf"),
        &options(Some(root.path())),
    );
    let found: Vec<_> = result
        .findings
        .iter()
        .map(|f| (f.rule.name, f.message.clone()))
        .collect();
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn the_datadir_is_checked_under_root() {
    let root = tempfile::tempdir().unwrap();
    let result = lint_file(
        &project_dir().join("examples/clean.conf"),
        &options(Some(root.path())),
    );
    assert_eq!(common::names(&result), ["datadir-missing"]);
}
