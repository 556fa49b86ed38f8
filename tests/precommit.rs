//! The pre-commit hooks, installed the way users install them: `pre-commit
//! try-repo` clones this repository (a shadow commit of the work tree when it
//! has changes), installs the hook, and runs it on a temporary repository's
//! glance-api.conf: it fails on a broken file, then passes once the file is
//! fixed.
//!
//! `glance-lint`, the default hook, is `language: python`: pre-commit
//! pip-installs the repository's top-level package (a shim) and with it the
//! glance-lint wheel; the test points pip at the wheel CI built
//! (`GLANCE_LINT_WHEELS`, a directory: scripts/wheel.sh), since an unreleased
//! version is not on PyPI. `glance-lint-rust` builds the hook with
//! `cargo install --path .`.
//!
//! try-repo installs into a fresh store every time, so the Rust hook is
//! rebuilt on every run. To keep that cheap, cargo's target directory lives
//! under target/ (dependencies compile once) and the release profile is made
//! a quick one (no LTO, no optimisation, incremental): this test checks the
//! hook's wiring, not the optimised binary.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{project_dir, skip};

const BROKEN: &str =
    "[DEFAULT]\nenabled_backends = fast:file\n[glance_store]\ndefault_backend = fats\n";
const FIXED: &str =
    "[DEFAULT]\nenabled_backends = fast:file\n[glance_store]\ndefault_backend = fast\n";

fn git(dir: &Path, args: &[&str]) -> Output {
    Command::new("git")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("git runs")
}

#[test]
#[ignore = "needs GLANCE_LINT_PRE_COMMIT (pre-commit) and GLANCE_LINT_WHEELS (the wheel); scripts/test.sh runs it"]
fn hook_fails_on_a_broken_file_then_passes() {
    let Some(wheels) = std::env::var_os("GLANCE_LINT_WHEELS") else {
        skip("GLANCE_LINT_WHEELS is not set (scripts/test.sh builds the wheel with scripts/wheel.sh and sets it)");
        return;
    };
    let has_wheel = std::fs::read_dir(&wheels).is_ok_and(|d| {
        d.filter_map(Result::ok)
            .any(|e| e.file_name().to_string_lossy().ends_with(".whl"))
    });
    assert!(has_wheel, "no wheel in GLANCE_LINT_WHEELS={wheels:?}");
    // The wheel CI built, where pip looks first; the shim's build backend
    // (setuptools) still comes from the index.
    hook_fails_then_passes("glance-lint", &[("PIP_FIND_LINKS", wheels)]);
}

#[test]
#[ignore = "needs GLANCE_LINT_PRE_COMMIT (pre-commit); scripts/test.sh runs it"]
fn rust_hook_fails_on_a_broken_file_then_passes() {
    hook_fails_then_passes("glance-lint-rust", &[]);
}

fn hook_fails_then_passes(hook: &str, env: &[(&str, std::ffi::OsString)]) {
    let Some(pre_commit) = std::env::var_os("GLANCE_LINT_PRE_COMMIT") else {
        skip("GLANCE_LINT_PRE_COMMIT is not set (scripts/test.sh installs pre-commit and sets it)");
        return;
    };
    let repo = project_dir();
    if !git(&repo, &["rev-parse", "--git-dir"]).status.success() {
        skip("the project is not a git checkout, so pre-commit cannot clone it");
        return;
    }
    let target = repo.join("target");
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path();
    assert!(git(work, &["init", "-q"]).status.success());
    std::fs::create_dir_all(work.join("etc/glance-api.conf.d")).unwrap();
    std::fs::write(work.join("etc/glance-api.conf"), BROKEN).unwrap();
    std::fs::write(work.join("etc/glance-api.conf.d/10-x.conf"), "[DEFAULT]\n").unwrap();
    std::fs::write(work.join("nova.conf"), "garbage\n").unwrap();
    assert!(git(work, &["add", "."]).status.success());
    let run = || {
        Command::new(&pre_commit)
            .current_dir(work)
            .env("PRE_COMMIT_HOME", target.join("pre-commit-home"))
            .env("CARGO_TARGET_DIR", target.join("pre-commit-build"))
            .env("CARGO_PROFILE_RELEASE_LTO", "false")
            .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
            .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16")
            .env("CARGO_PROFILE_RELEASE_INCREMENTAL", "true")
            // try-repo's shadow commit of a work tree with changes.
            .env("GIT_AUTHOR_NAME", "test")
            .env("GIT_AUTHOR_EMAIL", "test@example.invalid")
            .env("GIT_COMMITTER_NAME", "test")
            .env("GIT_COMMITTER_EMAIL", "test@example.invalid")
            .envs(env.iter().map(|(k, v)| (k, v)))
            .args(["try-repo", repo.to_str().unwrap(), hook, "--color", "never"])
            .args([
                "--files",
                "etc/glance-api.conf",
                "etc/glance-api.conf.d/10-x.conf",
                "nova.conf",
            ])
            .output()
            .expect("pre-commit runs")
    };
    let o = run();
    let out = format!("{}{}", common::stdout(&o), common::stderr(&o));
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains("glance-lint") && out.contains("Failed"),
        "{out}"
    );
    assert!(out.contains("GL201(default-backend-not-enabled)"), "{out}");
    assert!(out.contains("etc/glance-api.conf:4"), "{out}");
    assert!(!out.contains("nova.conf:"), "{out}");

    std::fs::write(work.join("etc/glance-api.conf"), FIXED).unwrap();
    let o = run();
    let out = format!("{}{}", common::stdout(&o), common::stderr(&o));
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(out.contains("Passed"), "{out}");
}
