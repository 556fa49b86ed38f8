//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use glance_lint::report::{self, RenderOptions, Report};
use glance_lint::source::SourceFile;
use glance_lint::{LintOptions, LintResult};

pub fn project_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared`, beside the project (CI has it too).
pub fn shared_dir() -> Option<PathBuf> {
    let dir = project_dir().join("../shared");
    dir.is_dir().then_some(dir)
}

/// A test that cannot run here, because `reason` (a missing prerequisite).
/// It never passes silently:
/// - under `CI=true` it fails: CI installs everything;
/// - under `scripts/test.sh` (which sets `GLANCE_LINT_SKIP_LOG`) it is
///   written to that file, and the script lists every skipped test at the
///   end of the run;
/// - otherwise it fails, saying what is missing. Tests that need something
///   beyond the checkout are `#[ignore = "needs ..."]`, so plain `cargo test`
///   reports them as ignored and only `--include-ignored` (or
///   `scripts/test.sh`) runs them.
pub fn skip(reason: &str) {
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("required in CI but missing: {reason}");
    }
    let test = std::thread::current()
        .name()
        .unwrap_or("<unnamed test>")
        .to_string();
    let binary = std::env::current_exe()
        .ok()
        .and_then(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .map(|s| {
            s.rsplit_once('-')
                .map_or(s.clone(), |(name, _hash)| name.to_string())
        })
        .unwrap_or_default();
    let Some(log) = std::env::var_os("GLANCE_LINT_SKIP_LOG") else {
        panic!(
            "cannot run: {reason} (scripts/test.sh installs what the tests need; \
             plain `cargo test` leaves such tests ignored)"
        );
    };
    use std::io::Write;
    let line = format!("{binary}::{test}: {reason}\n");
    let written = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&log)
        .and_then(|mut f| f.write_all(line.as_bytes()));
    if let Err(e) = written {
        panic!("cannot run: {reason}; and cannot record the skip in GLANCE_LINT_SKIP_LOG: {e}");
    }
    // Written to the stderr handle, not with eprintln!, so that libtest's
    // output capture does not hide it.
    let _ = writeln!(std::io::stderr(), "SKIPPED: {test}: {reason}");
}

/// Part of a test that cannot run (the rest of it ran): fails under
/// `CI=true`, is listed by `scripts/test.sh`, and is said on standard error
/// otherwise.
pub fn skip_part(reason: &str) {
    if std::env::var_os("GLANCE_LINT_SKIP_LOG").is_some()
        || std::env::var("CI").is_ok_and(|v| v == "true")
    {
        return skip(&format!("part of the test: {reason}"));
    }
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "PARTLY SKIPPED: {reason}");
}

/// Lints a file read from disk, named by its path relative to the project.
pub fn lint_file(path: &Path, options: &LintOptions) -> LintResult {
    let bytes = std::fs::read(path).unwrap();
    let name = path
        .strip_prefix(project_dir())
        .unwrap_or(path)
        .display()
        .to_string();
    glance_lint::lint(
        vec![SourceFile::from_bytes(name, Some(path), bytes)],
        options,
    )
}

pub fn lint_text(text: &str) -> LintResult {
    let options = LintOptions {
        host_checks: false,
        ..LintOptions::default()
    };
    glance_lint::lint(vec![SourceFile::from_text("t.conf", text)], &options)
}

/// Rule names found, in report order.
pub fn names(result: &LintResult) -> Vec<&'static str> {
    result.findings.iter().map(|f| f.rule.name).collect()
}

/// The human report as in a terminal without colour, 100 columns wide.
pub fn render_plain(result: LintResult) -> String {
    let results = [result];
    report::human(
        &Report {
            results: &results,
            input_errors: &[],
        },
        &RenderOptions {
            color: false,
            width: 100,
        },
    )
}

pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_glance-lint"));
    c.env_remove("NO_COLOR")
        .env_remove("FORCE_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env("COLUMNS", "100");
    c
}

pub fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs the command with `input` on its standard input.
pub fn run_with_stdin(cmd: &mut Command, input: &[u8]) -> Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

/// Every `--format` name, from the CLI's own list (a new format is covered
/// by every test that loops over this).
pub fn formats() -> Vec<String> {
    use clap::ValueEnum;
    glance_lint::report::Format::value_variants()
        .iter()
        .map(|f| f.to_possible_value().unwrap().get_name().to_string())
        .collect()
}

/// `KEY=value` lines of the live stack's `stack.env` (values may be single-quoted).
pub fn read_kv(path: &str) -> Option<std::collections::BTreeMap<String, String>> {
    let text = std::fs::read_to_string(path).ok()?;
    Some(
        text.lines()
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.trim().into(), v.trim().trim_matches('\'').into()))
            .collect(),
    )
}

/// Something listens on 127.0.0.1:`port` (answers a connect within a second).
pub fn port_open(port: u16) -> bool {
    std::net::TcpStream::connect_timeout(
        &([127, 0, 0, 1], port).into(),
        std::time::Duration::from_secs(1),
    )
    .is_ok()
}
