//! End-to-end: arguments in, standard output, standard error and exit status
//! out.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{bin, run_with_stdin, stderr, stdout};

/// One error (GL201, line 4).
const ERROR: &str =
    "[DEFAULT]\nenabled_backends = fast:file\n[glance_store]\ndefault_backend = fats\n";
/// One warning (GL003, line 3).
const WARNING: &str = "[DEFAULT]\ndebug = true\ndebug = false\n";
const CLEAN: &str =
    "[DEFAULT]\nenabled_backends = fast:file\n[glance_store]\ndefault_backend = fast\n";

struct Project {
    tmp: tempfile::TempDir,
}

impl Project {
    fn new() -> Self {
        let tmp = tempfile::tempdir().unwrap();
        // A repository's top: discovery of .glance-lint.toml stops here.
        std::fs::create_dir(tmp.path().join(".git")).unwrap();
        Project { tmp }
    }
    fn path(&self, rel: &str) -> PathBuf {
        self.tmp.path().join(rel)
    }
    fn write(&self, rel: &str, text: &str) -> &Self {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        self
    }
    /// Runs in the project's directory, `--no-host-checks` and JSON unless
    /// the arguments say otherwise.
    fn run(&self, args: &[&str]) -> Output {
        let mut c = bin();
        c.current_dir(self.tmp.path()).arg("--no-host-checks");
        if !args.contains(&"--format") {
            c.args(["--format", "json"]);
        }
        c.args(args).output().unwrap()
    }
}

fn codes(o: &Output) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(&stdout(o))
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", stdout(o), stderr(o)));
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{}@{}:{}",
                d["code"].as_str().unwrap(),
                d["path"].as_str().unwrap(),
                d["line"]
            )
        })
        .collect()
}

fn severities(o: &Output) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(&stdout(o)).unwrap();
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{}={}",
                d["code"].as_str().unwrap(),
                d["severity"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn every_format_exit_status_and_output_file() {
    let p = Project::new();
    p.write("bad/glance-api.conf", ERROR)
        .write("good/glance-api.conf", CLEAN);
    for format in common::formats() {
        let format = format.as_str();
        let o = p.run(&["bad/glance-api.conf", "--format", format]);
        assert_eq!(o.status.code(), Some(1), "{format}");
        assert!(stdout(&o).contains("fats"), "{format}: {}", stdout(&o));
        let o = p.run(&["good/glance-api.conf", "--format", format]);
        assert_eq!(o.status.code(), Some(0), "{format}: {}", stdout(&o));
        // The message quotes the bad value (SARIF lists every rule, GL201 too).
        assert!(!stdout(&o).contains("fats"), "{format}");
        let o = p.run(&[
            "bad/glance-api.conf",
            "--format",
            format,
            "--output",
            "out/report",
        ]);
        assert_eq!(
            o.status.code(),
            Some(2),
            "{format}: no out/ directory: {}",
            stderr(&o)
        );
        assert!(
            stderr(&o).contains("cannot write out/report"),
            "{}",
            stderr(&o)
        );
        let o = p.run(&[
            "bad/glance-api.conf",
            "--format",
            format,
            "--output",
            "report",
        ]);
        assert_eq!(o.status.code(), Some(1), "{format}");
        assert_eq!(stdout(&o), "");
        assert!(std::fs::read_to_string(p.path("report"))
            .unwrap()
            .contains("fats"));
    }
}

#[test]
fn fail_on_thresholds() {
    let p = Project::new();
    p.write("glance-api.conf", WARNING);
    let status = |args: &[&str]| p.run(args).status.code();
    assert_eq!(status(&["glance-api.conf"]), Some(0));
    assert_eq!(
        status(&["glance-api.conf", "--fail-on", "warning"]),
        Some(1)
    );
    assert_eq!(status(&["glance-api.conf", "--fail-on", "info"]), Some(1));
    p.write("e/glance-api.conf", ERROR);
    assert_eq!(
        status(&["e/glance-api.conf", "--fail-on", "never"]),
        Some(0)
    );
    assert_eq!(
        status(&["e/glance-api.conf", "--fail-on", "error"]),
        Some(1)
    );
    // --severity raises the warning to an error; a prefix works too.
    assert_eq!(
        status(&["glance-api.conf", "--severity", "duplicate-option=error"]),
        Some(1)
    );
    assert_eq!(
        status(&["glance-api.conf", "--severity", "GL0=error"]),
        Some(1)
    );
    assert_eq!(
        status(&["e/glance-api.conf", "--severity", "GL201=info"]),
        Some(0)
    );
}

#[test]
fn select_and_ignore_by_name_code_and_prefix() {
    let p = Project::new();
    p.write(
        "glance-api.conf",
        &format!("{ERROR}[DEFAULT]\ndebug = true\ndebug = false\n"),
    );
    let all = codes(&p.run(&["glance-api.conf"]));
    assert!(
        all.iter().any(|c| c.starts_with("GL201")) && all.iter().any(|c| c.starts_with("GL003")),
        "{all:?}"
    );
    for select in ["GL2", "default-backend-not-enabled", "GL201", "gl20"] {
        let got = codes(&p.run(&["glance-api.conf", "--select", select]));
        assert!(
            got.iter().all(|c| c.starts_with("GL201")) && !got.is_empty(),
            "{select}: {got:?}"
        );
    }
    let got = codes(&p.run(&["glance-api.conf", "--ignore", "GL2,duplicate-option"]));
    assert!(got.is_empty(), "{got:?}");
}

#[test]
fn suppression_comments() {
    let p = Project::new();
    p.write(
        "next/glance-api.conf",
        "[DEFAULT]\nenabled_backends = fast:file\n[glance_store]\n# glance-lint: disable=default-backend-not-enabled\ndefault_backend = fats\n",
    )
    .write(
        "code/glance-api.conf",
        "[DEFAULT]\nenabled_backends = fast:file\n[glance_store]\n; glance-lint: disable=GL003,gl201\ndefault_backend = fats\n",
    )
    .write(
        "file/glance-api.conf",
        "# glance-lint: disable-file=GL201\n[DEFAULT]\nenabled_backends = fast:file\n[glance_store]\ndefault_backend = fats\n",
    )
    .write(
        "far/glance-api.conf",
        "[DEFAULT]\n# glance-lint: disable=default-backend-not-enabled\nenabled_backends = fast:file\n[glance_store]\ndefault_backend = fats\n",
    )
    .write(
        "typo/glance-api.conf",
        "# glance-lint: disable-file=default-backend-not-enabld\n[DEFAULT]\n",
    );
    let o = p.run(&["next/glance-api.conf"]);
    assert_eq!(codes(&o), Vec::<String>::new());
    assert_eq!(o.status.code(), Some(0));
    // An unused entry of a list is reported, the used one is not.
    let o = p.run(&["code/glance-api.conf"]);
    assert_eq!(codes(&o), ["GL006@code/glance-api.conf:4"]);
    assert!(stdout(&o).contains("suppression of `duplicate-option` (GL003) suppresses nothing"));
    assert_eq!(o.status.code(), Some(0), "unused-suppression is info");
    assert_eq!(
        codes(&p.run(&["file/glance-api.conf"])),
        Vec::<String>::new()
    );
    // A suppression covers the next assignment only.
    assert_eq!(
        codes(&p.run(&["far/glance-api.conf"])),
        ["GL006@far/glance-api.conf:2", "GL201@far/glance-api.conf:5"]
    );
    let o = p.run(&["typo/glance-api.conf"]);
    assert!(stdout(&o).contains("`default-backend-not-enabld` is not a glance-lint rule"));
    // unused-suppression can be ignored like any rule.
    assert!(codes(&p.run(&["typo/glance-api.conf", "--ignore", "unused-suppression"])).is_empty());
}

#[test]
fn project_config_discovery_and_overrides() {
    let p = Project::new();
    p.write(
        ".glance-lint.toml",
        "ignore = [\"GL2\"]\nfail-on = \"warning\"\n[severity]\nGL0 = \"info\"\nduplicate-option = \"error\"\n",
    )
    .write("envs/prod/glance-api.conf", &format!("{ERROR}[DEFAULT]\ndebug = true\ndebug = false\n"));
    // Found from the file's directory upward; the exact name beats the prefix.
    let o = p.run(&["envs/prod/glance-api.conf"]);
    assert_eq!(severities(&o), ["GL003=error"]);
    assert_eq!(o.status.code(), Some(1));
    // The command line wins: --ignore replaces the config's list.
    let o = p.run(&["envs/prod/glance-api.conf", "--ignore", "GL003"]);
    assert_eq!(severities(&o), ["GL201=error"]);
    let o = p.run(&[
        "envs/prod/glance-api.conf",
        "--severity",
        "GL003=warning",
        "--fail-on",
        "error",
    ]);
    assert_eq!(severities(&o), ["GL003=warning"]);
    assert_eq!(o.status.code(), Some(0));
    // A nearer config wins; fail-on comes from it.
    p.write(
        "envs/prod/.glance-lint.toml",
        "select = [\"GL003\"]\n[severity]\nGL003 = \"warning\"\n",
    );
    let o = p.run(&["envs/prod/glance-api.conf"]);
    assert_eq!(severities(&o), ["GL003=warning"]);
    assert_eq!(o.status.code(), Some(0));
    // --config names one for every file.
    let o = p.run(&["envs/prod/glance-api.conf", "--config", ".glance-lint.toml"]);
    assert_eq!(severities(&o), ["GL003=error"]);
    // Standard input is looked up where its --stdin-filename would be.
    let o = run_with_stdin(
        bin().current_dir(p.path(".")).args([
            "--format",
            "json",
            "--no-host-checks",
            "-",
            "--stdin-filename",
            "envs/prod/glance-api.conf",
        ]),
        WARNING.as_bytes(),
    );
    assert_eq!(codes(&o), ["GL003@envs/prod/glance-api.conf:2"]);
}

#[test]
fn discovery_stops_at_the_repository_top() {
    let outer = tempfile::tempdir().unwrap();
    std::fs::write(
        outer.path().join(".glance-lint.toml"),
        "ignore = [\"GL2\"]\n",
    )
    .unwrap();
    std::fs::create_dir_all(outer.path().join("repo/.git")).unwrap();
    std::fs::write(outer.path().join("repo/glance-api.conf"), ERROR).unwrap();
    std::fs::write(outer.path().join("glance-api.conf"), ERROR).unwrap();
    let run = |path: &str| {
        bin()
            .current_dir(outer.path())
            .args(["--format", "json", "--no-host-checks", path])
            .output()
            .unwrap()
    };
    assert_eq!(
        codes(&run("repo/glance-api.conf")),
        ["GL201@repo/glance-api.conf:4"]
    );
    assert!(codes(&run("glance-api.conf")).is_empty());
}

#[test]
fn exclude_and_per_file_ignores() {
    let p = Project::new();
    p.write(
        ".glance-lint.toml",
        "exclude = [\"vendor\"]\n[per-file-ignores]\n\"envs/dev/*\" = [\"default-backend-not-enabled\"]\n",
    )
    .write("vendor/glance-api.conf", ERROR)
    .write("envs/dev/glance-api.conf", ERROR)
    .write("envs/prod/glance-api.conf", ERROR);
    let o = p.run(&["."]);
    assert_eq!(codes(&o), ["GL201@./envs/prod/glance-api.conf:4"]);
    // A file named on the command line is linted even when excluded.
    assert_eq!(
        codes(&p.run(&["vendor/glance-api.conf"])),
        ["GL201@vendor/glance-api.conf:4"]
    );
}

#[test]
fn bad_project_config_is_exit_2_at_its_line() {
    let p = Project::new();
    p.write("glance-api.conf", ERROR);
    for (toml, expect) in [
        (
            "select = [\"GL\"]\nfail_on = \"warning\"\n",
            ".glance-lint.toml:2:1: unknown field `fail_on`",
        ),
        (
            "fail-on = \"sometimes\"\n",
            ".glance-lint.toml:1:11: fail-on: `sometimes` is not one of",
        ),
        (
            "[severity]\nno-such-rule = \"error\"\n",
            ".glance-lint.toml:2:1: severity: `no-such-rule` is not a rule",
        ),
        ("ignore = [\"GL201\",\n", ".glance-lint.toml:"),
        ("select = \"GL2\"\n", ".glance-lint.toml:1:10: invalid type"),
    ] {
        p.write(".glance-lint.toml", toml);
        let o = p.run(&["glance-api.conf"]);
        assert_eq!(o.status.code(), Some(2), "{toml}");
        assert!(
            stderr(&o).starts_with("glance-lint: error: "),
            "{}",
            stderr(&o)
        );
        assert!(stderr(&o).contains(expect), "{toml}: {}", stderr(&o));
        assert_eq!(stdout(&o), "");
    }
    let o = p.run(&["glance-api.conf", "--config", "missing.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("cannot read project config missing.toml"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn standard_input() {
    let o = run_with_stdin(
        bin().args([
            "--format",
            "json",
            "--no-host-checks",
            "-",
            "--stdin-filename",
            "etc/glance-api.conf",
        ]),
        ERROR.as_bytes(),
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(codes(&o), ["GL201@etc/glance-api.conf:4"]);
}

#[test]
fn directory_walking_with_overlays() {
    let p = Project::new();
    p.write("site/a/glance-api.conf", CLEAN)
        .write(
            "site/a/glance-api.conf.d/50-override.conf",
            "[glance_store]\ndefault_backend = fats\n",
        )
        .write(
            "site/a/glance-api.conf.d/ignored.txt",
            "[glance_store]\ndefault_backend = x\n",
        )
        .write("site/b/deep/glance-api.conf", WARNING)
        .write(
            "site/b/nova.conf",
            "[DEFAULT]\ndebug = true\ndebug = false\n",
        )
        .write("site/c/glance-api.conf.bak", ERROR);
    let o = p.run(&["site"]);
    assert_eq!(
        codes(&o),
        [
            "GL201@site/a/glance-api.conf.d/50-override.conf:2",
            "GL003@site/b/deep/glance-api.conf:2"
        ]
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let files: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        files,
        ["site/a/glance-api.conf", "site/b/deep/glance-api.conf"]
    );
    // An overlay named alone is linted with its main file, once.
    let o = p.run(&[
        "site/a/glance-api.conf.d/50-override.conf",
        "site/a/glance-api.conf",
    ]);
    assert_eq!(
        codes(&o),
        ["GL201@site/a/glance-api.conf.d/50-override.conf:2"]
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["files"].as_array().unwrap().len(), 1);
    // Several paths at once: a directory, a file.
    let o = p.run(&["site/b", "site/a/glance-api.conf"]);
    assert_eq!(codes(&o).len(), 2);
}

#[test]
fn exit_2_cases() {
    let p = Project::new();
    p.write("ok/glance-api.conf", ERROR)
        .write("empty/readme.txt", "");
    let run = |args: &[&str]| p.run(args);

    let o = run(&["missing.conf", "ok/glance-api.conf"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("missing.conf: no such file or directory"),
        "{}",
        stderr(&o)
    );
    // The rest is still linted.
    assert_eq!(codes(&o), ["GL201@ok/glance-api.conf:4"]);

    let o = run(&["empty"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("empty: no glance-api.conf found in this directory"));

    for bad in [
        &["--format", "xml"][..],
        &["--select", "GL7"],
        &["--ignore", "no-such-rule"],
        &["--severity", "GL201"],
        &["--severity", "GL201=fatal"],
        &["--fail-on", "sometimes"],
        &["--no-such-option"],
    ] {
        let mut args = bad.to_vec();
        args.push("ok/glance-api.conf");
        let o = bin().current_dir(p.path(".")).args(&args).output().unwrap();
        assert_eq!(o.status.code(), Some(2), "{bad:?}: {}", stderr(&o));
        assert!(!stderr(&o).is_empty());
    }
}

#[test]
fn an_unreadable_file_is_reported_and_the_rest_linted() {
    // Tests run as root, for whom no mode makes a file unreadable; a FIFO
    // named glance-api.conf is refused without being opened.
    let p = Project::new();
    p.write("a/glance-api.conf", ERROR);
    std::fs::create_dir_all(p.path("b")).unwrap();
    let fifo = p.path("b/glance-api.conf");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        common::skip("mkfifo is not available");
        return;
    }
    let o = p.run(&["."]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("b/glance-api.conf: is not a regular file"),
        "{}",
        stderr(&o)
    );
    assert_eq!(codes(&o), ["GL201@./a/glance-api.conf:4"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(v["errors"][0]["path"]
        .as_str()
        .unwrap()
        .ends_with("b/glance-api.conf"));
}

#[test]
fn no_path_means_the_installed_file() {
    let o = bin()
        .args(["--format", "json", "--no-host-checks"])
        .output()
        .unwrap();
    if Path::new("/etc/glance/glance-api.conf").exists() {
        assert_ne!(o.status.code(), Some(2));
    } else {
        assert_eq!(o.status.code(), Some(2));
        assert!(stderr(&o).contains("/etc/glance/glance-api.conf: no such file or directory"));
    }
}

#[test]
fn completions_and_man_page() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let o = bin().args(["completions", shell]).output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{shell}");
        assert!(stdout(&o).contains("fail-on"), "{shell}");
    }
    let o = bin().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let o = bin().arg("man").output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    let man = stdout(&o);
    assert!(
        man.starts_with(".ie") || man.contains(".TH glance-lint"),
        "{man}"
    );
    assert!(man.contains("fail\\-on"), "{man}");
}

/// Built without the `live` feature, `--live` is refused (exit 2), never
/// silently ignored.
#[cfg(not(feature = "live"))]
#[test]
fn live_without_the_feature_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let conf = dir.path().join("glance-api.conf");
    std::fs::write(&conf, "[DEFAULT]\n").unwrap();
    let out = common::run(&["--live", conf.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(common::stderr(&out).contains("without the `live` feature"));
}
