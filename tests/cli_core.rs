//! End-to-end: the binary's core commands, their output and exit status.

mod common;

use common::{bin, project_dir, run, run_with_stdin, stderr, stdout};

fn example(name: &str) -> String {
    project_dir()
        .join("examples")
        .join(name)
        .display()
        .to_string()
}

#[test]
fn lint_exit_status_follows_fail_on() {
    let guide = example("install-guide.conf");
    let out = run(&["--no-host-checks", &guide]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("GL207(endpoint-id-format)"), "{text}");
    // The three placeholder passwords; endpoint-id-format is a warning, since
    // the file leaves use_keystone_limits off (Glance never reads [oslo_limit]).
    assert!(text.contains("Found 3 errors"), "{text}");
    assert_eq!(
        run(&["--no-host-checks", "--fail-on", "never", &guide])
            .status
            .code(),
        Some(0)
    );
    let clean = example("clean.conf");
    assert_eq!(run(&["--no-host-checks", &clean]).status.code(), Some(0));
}

#[test]
fn missing_path_is_exit_2_and_others_are_still_linted() {
    let out = run(&[
        "--no-host-checks",
        "/nonexistent/glance-api.conf",
        &example("install-guide.conf"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("/nonexistent/glance-api.conf: no such file or directory"));
    assert!(stdout(&out).contains("placeholder-password"));
}

#[test]
fn bad_options_are_exit_2() {
    assert_eq!(
        run(&["--select", "no-such-rule", "x.conf"]).status.code(),
        Some(2)
    );
    assert_eq!(
        run(&["--severity", "inline-comment=fatal", "x.conf"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(run(&["--format", "yaml", "x.conf"]).status.code(), Some(2));
    assert_eq!(run(&["explain", "no-such-rule"]).status.code(), Some(2));
}

#[test]
fn select_ignore_and_severity() {
    let guide = example("install-guide.conf");
    let out = run(&[
        "--no-host-checks",
        "--format",
        "json",
        "--select",
        "GL2",
        "--ignore",
        "placeholder-password",
        &guide,
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let names: Vec<_> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    // The example's [oslo_limit] is filled in without `use_keystone_limits` (info).
    assert_eq!(names, ["keystone-auth-incomplete", "endpoint-id-format"]);
    let out = run(&[
        "--no-host-checks",
        "--severity",
        "placeholder-password=warning",
        "--select",
        "GL212",
        &guide,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn json_report_follows_the_contract() {
    let out = run(&[
        "--no-host-checks",
        "--format",
        "json",
        &example("install-guide.conf"),
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["tool"]["name"], "glance-lint");
    assert_eq!(v["summary"]["error"], 3);
    assert_eq!(v["summary"]["info"], 1);
    // The 3 errors, the info, the 3 plain-http Keystone URLs (insecure-identity-uri) and
    // endpoint-id-format (a warning while use_keystone_limits is off).
    assert_eq!(v["summary"]["warning"], 4);
    assert_eq!(v["files"][0]["findings"], 8);
    let d = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "GL207")
        .unwrap();
    for key in [
        "code",
        "name",
        "severity",
        "message",
        "help",
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "section",
        "option",
        "url",
    ] {
        assert!(!d[key].is_null(), "{key} missing in {d}");
    }
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(29), Some(15))
    );
    assert_eq!(d["section"], "oslo_limit");
    assert_eq!(d["option"], "endpoint_id");
    assert!(!stdout(&out).contains("GLANCE_PASS") && !stdout(&out).contains("GLANCE_DBPASS"));
}

#[test]
fn stdin_is_named_by_stdin_filename() {
    let out = run_with_stdin(
        bin().args([
            "--no-host-checks",
            "--stdin-filename",
            "etc/glance-api.conf",
            "-",
        ]),
        b"[oslo_limit]\nendpoint_id = ENDPOINT_ID\n",
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("etc/glance-api.conf:2:15"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn config_prints_the_effective_values_with_secrets_masked() {
    let dir = tempfile::tempdir().unwrap();
    let main = dir.path().join("glance-api.conf");
    std::fs::write(
        &main,
        "[DEFAULT]\ndebug = true\n[Database]\nconnection = mysql+pymysql://glance:s3cretpw@db/glance\n[keystone_authtoken]\npassword = \"Hq3vX9pL\"\nmulti = a\n  b\n",
    )
    .unwrap();
    let overlay = dir.path().join("glance-api.conf.d");
    std::fs::create_dir(&overlay).unwrap();
    std::fs::write(overlay.join("10-debug.conf"), "[DEFAULT]\ndebug = false\n").unwrap();
    let path = main.display().to_string();
    let od = overlay.display().to_string();

    let out = run(&["config", "--format", "json", &path, "--config-dir", &od]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["sections"]["DEFAULT"]["debug"], "false");
    assert_eq!(
        v["sections"]["database"]["connection"],
        "mysql+pymysql://glance:***@db/glance"
    );
    assert_eq!(v["sections"]["keystone_authtoken"]["password"], "***");
    assert_eq!(v["sections"]["keystone_authtoken"]["multi"], "a\nb");
    assert!(!stdout(&out).contains("s3cretpw") && !stdout(&out).contains("Hq3vX9pL"));

    let out = run(&["config", "--show-secrets", &path]);
    let ini = stdout(&out);
    assert!(ini.contains("password = Hq3vX9pL\n"), "{ini}");
    assert!(
        ini.contains("[database]\nconnection = mysql+pymysql://glance:s3cretpw@db/glance"),
        "{ini}"
    );
    assert!(ini.contains("multi = a\n    b\n"), "{ini}");
}

#[test]
fn config_refuses_a_file_oslo_config_refuses() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.conf");
    std::fs::write(&path, "[DEFAULT]\ndebug = true\n[fs] # note\n").unwrap();
    let out = run(&["config", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).is_empty());
    assert!(stderr(&out)
        .contains("line 3: oslo.config cannot parse this file: Invalid section (must end with ])"));
}

#[test]
fn rules_and_explain() {
    let out = run(&["rules"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("GL201  default-backend-not-enabled"));
    let out = run(&["rules", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(v["rules"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["code"] == "GL001" && r["name"] == "parse-error"));
    for arg in ["inline-comment", "GL002", "gl002"] {
        let out = run(&["explain", arg]);
        assert_eq!(out.status.code(), Some(0));
        assert!(stdout(&out).starts_with("# GL002 `inline-comment`"));
        assert!(stdout(&out).contains("## Why is this bad?"));
    }
}

#[test]
fn colour_follows_flag_and_environment() {
    let guide = example("install-guide.conf");
    let has_ansi = |o: &std::process::Output| stdout(o).contains('\u{1b}');
    // Not a terminal: no colour in auto mode.
    assert!(!has_ansi(&run(&["--no-host-checks", &guide])));
    assert!(has_ansi(&run(&[
        "--no-host-checks",
        "--color",
        "always",
        &guide
    ])));
    let forced = bin()
        .args(["--no-host-checks", &guide])
        .env("FORCE_COLOR", "1")
        .output()
        .unwrap();
    assert!(has_ansi(&forced));
    let both = bin()
        .args(["--no-host-checks", &guide])
        .env("FORCE_COLOR", "1")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!has_ansi(&both), "NO_COLOR wins over FORCE_COLOR");
    assert!(!has_ansi(&run(&[
        "--no-host-checks",
        "--color",
        "never",
        &guide
    ])));
}
