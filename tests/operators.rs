//! What an operator meets first (issue 15): the editor format (`--format
//! concise`), `--statistics`, the per-file header of a long human report,
//! `explain` for a terminal or as Markdown, "did you mean" for rule names,
//! the first run on a fresh clone, and the wording of the usual mistakes.

mod common;

use common::{bin, project_dir, run, stderr, stdout};

const BROKEN: &str = "\
[DEFAULT]
enabled_backends = fast:file, cheap:file
debug = true
[glance_store]
default_backend = fats
[oslo_limit]
endpoint_id = not-an-id, really
";

/// Runs glance-lint in a temporary directory holding `glance-api.conf`
/// (BROKEN) and `other/glance-api.conf`, so that paths are relative.
fn in_project(args: &[&str]) -> std::process::Output {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("glance-api.conf"), BROKEN).unwrap();
    std::fs::create_dir(tmp.path().join("other")).unwrap();
    std::fs::write(
        tmp.path().join("other/glance-api.conf"),
        "[DEFAULT]\ndebug = true\n",
    )
    .unwrap();
    bin().current_dir(tmp.path()).args(args).output().unwrap()
}

#[test]
fn concise_is_one_parseable_line_per_finding() {
    let o = in_project(&["--format", "concise", "glance-api.conf"]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    insta::assert_snapshot!("concise", out);
    // Every line is `path:line:col: severity CODE name: message`, as vim's
    // errorformat `%f:%l:%c: %m` and the README's editor snippets read it.
    let line = regex::Regex::new(
        r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning|info) (?P<code>GL\d{3}) (?P<name>[a-z-]+): (?P<msg>.+)$",
    )
    .unwrap();
    assert!(out.lines().count() >= 3);
    for l in out.lines() {
        assert!(line.is_match(l), "{l}");
    }
    // The same findings as the JSON report, in the same order.
    let json: serde_json::Value =
        serde_json::from_slice(&in_project(&["--format", "json", "glance-api.conf"]).stdout)
            .unwrap();
    let from_json: Vec<String> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{}:{}:{}",
                d["path"].as_str().unwrap(),
                d["line"],
                d["column"]
            )
        })
        .collect();
    let from_concise: Vec<String> = out
        .lines()
        .map(|l| {
            let c = line.captures(l).unwrap();
            format!("{}:{}:{}", &c["path"], &c["line"], &c["col"])
        })
        .collect();
    assert_eq!(from_concise, from_json);
}

#[test]
fn concise_keeps_one_line_when_a_message_has_line_breaks() {
    // A file Glance cannot read holding control characters and a CR.
    let o = common::run_with_stdin(
        bin().args(["--format", "concise", "-"]),
        b"[DEFAULT]\ndebug = true\r\nbad line \x1b[31m\n",
    );
    let out = stdout(&o);
    assert!(!out.contains('\u{1b}'), "{out:?}");
    for l in out.lines() {
        assert!(l.starts_with("<stdin>:"), "{out:?}");
    }
}

#[test]
fn statistics_count_per_rule() {
    // Human: the counts instead of the findings, then the summary.
    let o = in_project(&["--statistics", "glance-api.conf", "other"]);
    assert_eq!(o.status.code(), Some(1));
    let human = stdout(&o);
    insta::assert_snapshot!("statistics_human", human);
    assert!(!human.contains("help:"), "{human}");
    assert!(
        human.starts_with("2  GL306  warning  debug-enabled\n"),
        "{human}"
    );
    // Concise: the findings, then the counts.
    let o = in_project(&[
        "--statistics",
        "--format",
        "concise",
        "glance-api.conf",
        "other",
    ]);
    let concise = stdout(&o);
    insta::assert_snapshot!("statistics_concise", concise);
    let (findings, counts) = concise.split_at(concise.find("\n2  ").unwrap() + 1);
    assert_eq!(findings.lines().count(), 4, "{concise}");
    let total: usize = counts
        .lines()
        .map(|l| {
            l.split_whitespace()
                .next()
                .unwrap()
                .parse::<usize>()
                .unwrap()
        })
        .sum();
    assert_eq!(total, findings.lines().count());
    // Other formats have their own counts: refused, not ignored.
    let o = in_project(&["--statistics", "--format", "json", "glance-api.conf"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--statistics"), "{}", stderr(&o));
}

#[test]
fn a_long_report_has_a_header_per_file() {
    let o = in_project(&["--no-host-checks", "glance-api.conf", "other"]);
    let out = stdout(&o);
    let header = out.find("glance-api.conf: 1 error, 2 warnings\n").unwrap();
    let other = out.find("other/glance-api.conf: 1 warning\n").unwrap();
    let first_finding = out.find("GL201(").unwrap();
    assert!(header < first_finding && first_finding < other, "{out}");
    // One file: its path is in every finding already, no header.
    let o = in_project(&["--no-host-checks", "other"]);
    assert!(!stdout(&o).contains("1 warning\n"), "{}", stdout(&o));
}

#[test]
fn explain_renders_for_a_terminal_and_gives_markdown_to_a_pipe() {
    // Piped: the Markdown page, as in rules/GL306.md.
    let piped = stdout(&run(&["explain", "debug-enabled"]));
    let page = std::fs::read_to_string(project_dir().join("rules/GL306.md")).unwrap();
    assert_eq!(piped.trim_end(), page.trim_end());
    let markdown = stdout(&run(&["explain", "GL306", "--format", "markdown"]));
    assert_eq!(markdown, piped);
    // For a terminal: no Markdown marks, the code blocks indented.
    let text = stdout(&run(&["explain", "debug-enabled", "--format", "terminal"]));
    insta::assert_snapshot!("explain_terminal", text);
    assert!(!text.contains("```") && !text.contains("**") && !text.contains("## "));
    assert!(text.starts_with("GL306 `debug-enabled`\n\n"), "{text}");
    assert!(text.contains("\n    [DEFAULT]\n"), "{text}");
}

#[test]
fn explain_wraps_to_columns() {
    let narrow = stdout(
        &bin()
            .env("COLUMNS", "50")
            .args(["explain", "GL201", "--format", "terminal"])
            .output()
            .unwrap(),
    );
    assert!(narrow.lines().all(|l| l.chars().count() <= 50), "{narrow}");
    let wide = stdout(&run(&["explain", "GL201", "--format", "terminal"]));
    assert!(wide.lines().any(|l| l.chars().count() > 50), "{wide}");
}

#[test]
fn did_you_mean_wherever_a_rule_is_typed() {
    let o = run(&["explain", "debug-enable"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean `debug-enabled` (GL306)?"),
        "{}",
        stderr(&o)
    );
    let o = run(&["--select", "placeholder-pasword", "examples/clean.conf"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean `placeholder-password` (GL212)?"),
        "{}",
        stderr(&o)
    );
    let o = run(&["--ignore", "GL2011", "examples/clean.conf"]);
    assert!(stderr(&o).contains("did you mean `default-backend-not-enabled` (GL201)?"));
    // Nothing close: the pointer to the list.
    let o = run(&["explain", "frobnicate"]);
    assert!(
        stderr(&o).contains("`glance-lint rules` lists them"),
        "{}",
        stderr(&o)
    );
    assert!(!stderr(&o).contains("did you mean"));

    // The project config.
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join(".glance-lint.toml"),
        "ignore = [\"debug-enable\"]\n",
    )
    .unwrap();
    std::fs::write(tmp.path().join("glance-api.conf"), "[DEFAULT]\n").unwrap();
    let o = bin()
        .current_dir(tmp.path())
        .args(["glance-api.conf"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean `debug-enabled` (GL306)?"),
        "{}",
        stderr(&o)
    );

    // A suppression comment: the help names the rule, not "move it".
    let o = common::run_with_stdin(
        bin().args(["--format", "json", "-"]),
        b"[DEFAULT]\n# glance-lint: disable=debug-enable\ndebug = true\n",
    );
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let unused = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "unused-suppression")
        .unwrap();
    assert_eq!(unused["help"], "did you mean `debug-enabled` (GL306)?");
}

#[test]
fn only_live_rules_without_live_says_why_nothing_ran() {
    let o = run(&["--select", "GL9", "examples/clean.conf"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).is_empty());
    assert!(stderr(&o).contains("--live"), "{}", stderr(&o));
    // With a static rule beside them, the static rule runs.
    let o = run(&["--select", "GL9,GL306", "examples/clean.conf"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn a_missing_file_is_not_reported_as_clean() {
    let o = run(&["does-not-exist/glance-api.conf"]);
    assert_eq!(o.status.code(), Some(2));
    let out = stdout(&o);
    assert!(!out.contains("No problems found"), "{out}");
    assert_eq!(out, "Nothing linted. 1 path could not be read.\n");
    assert!(stderr(&o).contains("does-not-exist/glance-api.conf"));
}

#[test]
fn one_option_is_ignored() {
    let o = common::run_with_stdin(
        bin().args(["--format", "concise", "-"]),
        b"[DEFAULT]\n[nova]\nfoo = 1\n",
    );
    let out = stdout(&o);
    assert!(out.contains("its 1 option is ignored"), "{out}");
    assert!(!out.contains("option are"), "{out}");
}

#[test]
fn the_password_is_the_user_the_file_names() {
    let o = common::run_with_stdin(
        bin().args(["--format", "concise", "-"]),
        b"[keystone_authtoken]\nauth_url = http://controller:5000\nauth_type = password\nusername = nova\n",
    );
    let out = stdout(&o);
    assert!(out.contains("sends the password of user `nova`"), "{out}");
    assert!(!out.contains("glance user"), "{out}");
}

#[test]
fn binary_input_names_the_place_instead_of_drawing_it() {
    let mut bytes = b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00".to_vec();
    bytes.extend((0..400u32).map(|i| (i % 7) as u8));
    bytes.extend(b"\xd0\xff\n");
    let o = common::run_with_stdin(bin().args(["-"]), &bytes);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(out.contains("<stdin>:1:"), "{out}");
    assert!(out.contains("binary data"), "{out}");
    assert!(out.lines().all(|l| l.chars().count() <= 120), "{out}");
    assert!(!out.contains('\u{2400}'), "{out}");
}

/// The README's first command on a fresh clone (where git checks files out
/// 0644 in a directory of any mode): the install guide's mistakes, nothing
/// about the checkout.
#[test]
fn the_first_run_shows_the_guides_mistakes_and_nothing_about_the_checkout() {
    let o = run(&["examples/install-guide.conf"]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    for host in ["GL301", "GL302", "GL303", "GL308", "chmod", "glance group"] {
        assert!(!out.contains(host), "{host}: {out}");
    }
    assert!(out.contains("GL212(placeholder-password)"), "{out}");
    assert!(out.contains("GL207(endpoint-id-format)"), "{out}");
    assert!(
        out.contains("note: host checks skipped for files outside /etc/glance/"),
        "{out}"
    );
    // The clean example is clean whatever its mode.
    let o = run(&["examples/clean.conf"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

/// A copy under `<root>/etc/glance/` is judged; the same file elsewhere only
/// with `--host-checks`.
#[test]
fn host_checks_judge_a_file_where_glance_reads_it() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::create_dir_all(root.join("etc/glance")).unwrap();
    std::fs::write(
        root.join("etc/passwd"),
        "glance:x:64062:64062::/:/bin/false\n",
    )
    .unwrap();
    std::fs::write(root.join("etc/group"), "glance:x:64062:\n").unwrap();
    let text = "[DEFAULT]\n";
    for p in ["etc/glance/glance-api.conf", "copy/glance-api.conf"] {
        std::fs::create_dir_all(root.join(p).parent().unwrap()).unwrap();
        std::fs::write(root.join(p), text).unwrap();
        std::fs::set_permissions(root.join(p), std::fs::Permissions::from_mode(0o666)).unwrap();
    }
    let lint = |extra: &[&str], p: &str| {
        let mut args = vec!["--format", "concise", "--root", root.to_str().unwrap()];
        args.extend(extra);
        let path = root.join(p);
        args.push(path.to_str().unwrap());
        stdout(&bin().args(&args).output().unwrap())
    };
    let host = |out: &str| out.contains("config-file-permissions");
    assert!(host(&lint(&[], "etc/glance/glance-api.conf")));
    assert!(!host(&lint(&[], "copy/glance-api.conf")));
    assert!(host(&lint(&["--host-checks"], "copy/glance-api.conf")));
    assert!(!host(&lint(
        &["--no-host-checks"],
        "etc/glance/glance-api.conf"
    )));
}

/// The wheel's pyproject (maturin, the binary alone) and the pre-commit shim
/// at the top, whose one dependency is that wheel at Cargo.toml's version.
#[test]
fn the_wheel_and_the_pre_commit_shim_agree_with_cargo() {
    let read = |p: &str| -> toml::Value {
        toml::from_str(&std::fs::read_to_string(project_dir().join(p)).unwrap()).unwrap()
    };
    let version = env!("CARGO_PKG_VERSION");
    let wheel = read("python/glance-lint/pyproject.toml");
    assert_eq!(
        wheel["build-system"]["build-backend"].as_str(),
        Some("maturin")
    );
    assert_eq!(wheel["project"]["name"].as_str(), Some("glance-lint"));
    let maturin = &wheel["tool"]["maturin"];
    assert_eq!(maturin["bindings"].as_str(), Some("bin"));
    let manifest = project_dir()
        .join("python/glance-lint")
        .join(maturin["manifest-path"].as_str().unwrap());
    assert_eq!(
        manifest.canonicalize().unwrap(),
        project_dir().join("Cargo.toml").canonicalize().unwrap()
    );
    let shim = read("pyproject.toml");
    assert_eq!(shim["project"]["version"].as_str(), Some(version));
    let deps: Vec<&str> = shim["project"]["dependencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap())
        .collect();
    assert_eq!(deps, [format!("glance-lint=={version}")]);
}

#[test]
fn one_more_line_is_not_shown() {
    let o = common::run_with_stdin(
        bin().args(["--format", "concise", "-"]),
        b"debug = tr\xffue\n[DEFAULT]\n",
    );
    let out = stdout(&o);
    assert!(
        out.contains("1 more line oslo.config cannot parse is not shown"),
        "{out}"
    );
}
