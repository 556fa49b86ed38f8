//! `--fix`, `--unsafe-fixes` and `--diff`: each case of `tests/fixes/<case>/`
//! is `before.conf`, the file `--fix` must leave (`after.conf`; none: the
//! file must stay as it is), perhaps what `--fix --unsafe-fixes` leaves
//! (`unsafe-after.conf`), and the `--diff` output (an insta snapshot).
//! Then overlays, a symlink, a read-only directory, standard input, the
//! machine formats and secrets.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{bin, project_dir, run_with_stdin, stderr, stdout};
use serde_json::Value;

fn cases() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = fs::read_dir(project_dir().join("tests/fixes"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 8, "{dirs:?}");
    dirs
}

/// Runs the binary in `dir` on `glance-api.conf` with `args`.
fn run_in(dir: &Path, args: &[&str]) -> std::process::Output {
    bin()
        .current_dir(dir)
        .args(["--no-host-checks", "glance-api.conf"])
        .args(args)
        .output()
        .unwrap()
}

/// A temporary directory holding `text` as `glance-api.conf`.
fn project(text: &[u8]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("glance-api.conf"), text).unwrap();
    tmp
}

#[test]
fn each_case_fixes_to_its_after_file_and_shows_its_diff() {
    for case in cases() {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let before = fs::read(case.join("before.conf")).unwrap();
        let after = fs::read(case.join("after.conf")).unwrap_or_else(|_| before.clone());

        // --diff: the diff, nothing written, exit 1 exactly when there is one.
        let tmp = project(&before);
        let o = run_in(tmp.path(), &["--diff"]);
        let diff = stdout(&o);
        assert_eq!(
            o.status.code(),
            Some(if after != before { 1 } else { 0 }),
            "{name}: {}",
            stderr(&o)
        );
        assert_eq!(diff.is_empty(), after == before, "{name}:\n{diff}");
        assert_eq!(
            fs::read(tmp.path().join("glance-api.conf")).unwrap(),
            before
        );
        insta::assert_snapshot!(format!("fix_{name}"), diff);

        // --fix: exactly the after file; a second run changes nothing.
        let o = run_in(tmp.path(), &["--fix"]);
        assert_ne!(o.status.code(), Some(2), "{name}: {}", stderr(&o));
        let fixed = fs::read(tmp.path().join("glance-api.conf")).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&fixed),
            String::from_utf8_lossy(&after),
            "{name}"
        );
        assert!(stderr(&o).contains(" remaining"), "{name}: {}", stderr(&o));
        let o = run_in(tmp.path(), &["--fix"]);
        assert!(
            stderr(&o).contains("fixed 0 problems"),
            "{name}: {}",
            stderr(&o)
        );
        assert_eq!(fs::read(tmp.path().join("glance-api.conf")).unwrap(), after);
        let o = run_in(tmp.path(), &["--diff"]);
        assert!(
            stdout(&o).is_empty(),
            "{name}: a second diff:\n{}",
            stdout(&o)
        );

        // --unsafe-fixes: its own after file (and diff), or the safe one.
        let unsafe_file = fs::read(case.join("unsafe-after.conf")).ok();
        let unsafe_after = unsafe_file.clone().unwrap_or(after.clone());
        let tmp = project(&before);
        if unsafe_file.is_some() {
            let o = run_in(tmp.path(), &["--diff", "--unsafe-fixes"]);
            assert_eq!(o.status.code(), Some(1), "{name}: {}", stderr(&o));
            insta::assert_snapshot!(format!("fix_unsafe_{name}"), stdout(&o));
        }
        let o = run_in(tmp.path(), &["--fix", "--unsafe-fixes"]);
        assert_ne!(o.status.code(), Some(2), "{name}: {}", stderr(&o));
        assert_eq!(
            String::from_utf8_lossy(&fs::read(tmp.path().join("glance-api.conf")).unwrap()),
            String::from_utf8_lossy(&unsafe_after),
            "{name} with --unsafe-fixes"
        );
    }
}

#[test]
fn crlf_endings_and_a_missing_final_newline_are_kept() {
    let after = fs::read_to_string(project_dir().join("tests/fixes/crlf/after.conf")).unwrap();
    // Every line break is still CRLF, and the last line still has none.
    assert!(!after.replace("\r\n", "").contains('\n'), "{after:?}");
    assert!(!after.ends_with('\n'));
    assert!(after.contains("# on\r\ndebug = true\r\n"), "{after:?}");
}

#[test]
fn a_file_oslo_config_refuses_is_not_touched() {
    let before = fs::read(project_dir().join("tests/fixes/refused/before.conf")).unwrap();
    let tmp = project(&before);
    let o = run_in(tmp.path(), &["--fix"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("not fixed: oslo.config cannot parse this file"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        fs::read(tmp.path().join("glance-api.conf")).unwrap(),
        before
    );
}

#[test]
fn each_overlay_edit_goes_to_its_own_file() {
    let tmp =
        project(b"[DEFAULT]\ndebug = false # main\nimage_cache_dir = /a\nimage_cache_dir = /b\n");
    let d = tmp.path().join("glance-api.conf.d");
    fs::create_dir(&d).unwrap();
    fs::write(
        d.join("50-local.conf"),
        "[DEFAULT]\nshow_image_direct_url = false # overlay\n[keystone_authtoken]\nauth_plugin = password\n",
    )
    .unwrap();
    let o = run_in(tmp.path(), &["--diff"]);
    assert_eq!(o.status.code(), Some(1));
    let diff = stdout(&o);
    assert!(diff.contains("--- glance-api.conf\n"), "{diff}");
    assert!(
        diff.contains("--- glance-api.conf.d/50-local.conf\n"),
        "{diff}"
    );
    let o = run_in(tmp.path(), &["--fix"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        fs::read_to_string(tmp.path().join("glance-api.conf")).unwrap(),
        "[DEFAULT]\n# main\ndebug = false\nimage_cache_dir = /b\n"
    );
    assert_eq!(
        fs::read_to_string(d.join("50-local.conf")).unwrap(),
        "[DEFAULT]\n# overlay\nshow_image_direct_url = false\n[keystone_authtoken]\nauth_type = password\n"
    );
}

#[cfg(unix)]
#[test]
fn a_symlinked_file_is_written_through_the_link() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let real = tmp.path().join("real");
    fs::create_dir(&real).unwrap();
    fs::write(real.join("glance.conf"), "[DEFAULT]\ndebug = true # x\n").unwrap();
    fs::set_permissions(real.join("glance.conf"), fs::Permissions::from_mode(0o640)).unwrap();
    std::os::unix::fs::symlink(real.join("glance.conf"), tmp.path().join("glance-api.conf"))
        .unwrap();
    let o = run_in(tmp.path(), &["--fix"]);
    assert_ne!(o.status.code(), Some(2), "{}", stderr(&o));
    let link = tmp.path().join("glance-api.conf");
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(
        fs::read_to_string(real.join("glance.conf")).unwrap(),
        "[DEFAULT]\n# x\ndebug = true\n"
    );
    let mode = fs::metadata(real.join("glance.conf"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o7777, 0o640);
    // No temporary file is left behind.
    assert_eq!(fs::read_dir(&real).unwrap().count(), 1);
}

/// A directory the linter cannot write in: a clear error, exit 2, the file
/// untouched. Root writes anywhere, so as root the linter runs as `nobody`
/// (util-linux's setpriv).
#[cfg(unix)]
#[test]
fn a_read_only_directory_is_a_clear_error_and_the_file_is_untouched() {
    use std::os::unix::fs::PermissionsExt;
    let text = "[DEFAULT]\ndebug = true # x\n";
    let tmp = tempfile::tempdir().unwrap();
    fs::set_permissions(tmp.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let dir = tmp.path().join("ro");
    fs::create_dir(&dir).unwrap();
    fs::write(dir.join("glance-api.conf"), text).unwrap();
    fs::set_permissions(
        dir.join("glance-api.conf"),
        fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o555)).unwrap();
    let root = unsafe { libc::geteuid() } == 0;
    let mut cmd = if root {
        let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"]
            .into_iter()
            .find(|p| Path::new(p).exists());
        let Some(setpriv) = setpriv else {
            common::skip("running as root without setpriv: cannot make a directory read-only");
            return;
        };
        // A copy of the binary `nobody` can run, wherever the checkout is
        // (a clone under /root is not reachable for it).
        let exe = tmp.path().join("glance-lint");
        fs::copy(env!("CARGO_BIN_EXE_glance-lint"), &exe).unwrap();
        fs::set_permissions(&exe, fs::Permissions::from_mode(0o755)).unwrap();
        let mut c = std::process::Command::new(setpriv);
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&exe);
        c
    } else {
        bin()
    };
    let o = cmd
        .current_dir(&dir)
        .args(["--no-host-checks", "--fix", "glance-api.conf"])
        .output()
        .unwrap();
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("glance-api.conf: cannot write the fixed file: permission denied")
            && stderr(&o).contains("the file is unchanged"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("fixed 0 problems"), "{}", stderr(&o));
    assert_eq!(
        fs::read_to_string(dir.join("glance-api.conf")).unwrap(),
        text
    );
    assert_eq!(fs::read_dir(&dir).unwrap().count(), 1);
}

#[test]
fn standard_input_with_fix_prints_the_fixed_text() {
    let input = b"[DEFAULT]\ndebug = false # x\ndebug = true\n";
    let o = run_with_stdin(bin().args(["--no-host-checks", "--fix", "-"]), input);
    assert_eq!(stdout(&o), "[DEFAULT]\ndebug = true\n");
    // The report goes to standard error, after what was fixed.
    let err = stderr(&o);
    assert!(err.contains("fixed <stdin>:2: duplicate-option"), "{err}");
    assert!(err.contains("debug-enabled"), "{err}");
    assert_eq!(o.status.code(), Some(0), "{err}");

    // With --format json --output FILE: the report goes there.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("report.json");
    let o = run_with_stdin(
        bin()
            .args(["--no-host-checks", "--fix", "--format", "json", "--output"])
            .arg(&out)
            .arg("-"),
        input,
    );
    assert_eq!(stdout(&o), "[DEFAULT]\ndebug = true\n");
    let report: Value = serde_json::from_str(&fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(report["diagnostics"][0]["name"], "debug-enabled");

    // --diff on standard input: the diff, named as the input.
    let o = run_with_stdin(
        bin().args([
            "--no-host-checks",
            "--diff",
            "--stdin-filename",
            "x/glance-api.conf",
            "-",
        ]),
        input,
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).starts_with("--- x/glance-api.conf\n+++ x/glance-api.conf\n"),
        "{}",
        stdout(&o)
    );
    assert!(
        stdout(&o).contains("\n-debug = false # x\n"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn unsafe_fixes_alone_is_a_usage_error() {
    let tmp = project(b"[DEFAULT]\n");
    let o = run_in(tmp.path(), &["--unsafe-fixes"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--unsafe-fixes: use it with --fix or --diff"));
}

#[test]
fn fix_exit_status_follows_what_remains() {
    // Everything fixed: 0 even though the file had an error.
    let tmp = project(b"[DEFAULT]\nimage_size_cap = 1099511627776 # 1 TiB\n");
    let o = run_in(tmp.path(), &["--fix"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // An error no fix touches: 1.
    let tmp =
        project(b"[DEFAULT]\nimage_size_cap = lots\nimage_cache_dir = /a\nimage_cache_dir = /b\n");
    let o = run_in(tmp.path(), &["--fix"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("fixed 1 problem, "), "{}", stderr(&o));
}

const FIXABLE: &str = "\
[DEFAULT]
debug = false # off
image_cache_dir = /a
image_cache_dir = /b
[keystone_authtoken]
auth_plugin = password
auth_uri = http://controller:5000
";

#[test]
fn json_diagnostics_carry_their_fix() {
    let tmp = project(FIXABLE.as_bytes());
    let o = run_in(tmp.path(), &["--format", "json"]);
    let report: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let diags = report["diagnostics"].as_array().unwrap();
    let by_name = |n: &str| diags.iter().find(|d| d["name"] == n).unwrap();
    let fix = &by_name("inline-comment")["fix"];
    assert_eq!(fix["applicability"], "safe");
    assert_eq!(
        fix["message"],
        "move the comment above `debug` and leave `debug = false`"
    );
    let edits = fix["edits"].as_array().unwrap();
    assert_eq!(edits.len(), 2);
    assert_eq!(
        edits[0],
        serde_json::json!({"path": "glance-api.conf", "start": {"line": 2, "column": 14},
                           "end": {"line": 2, "column": 20}, "content": ""})
    );
    assert_eq!(
        edits[1],
        serde_json::json!({"path": "glance-api.conf", "start": {"line": 2, "column": 1},
                           "end": {"line": 2, "column": 1}, "content": "# off\n"})
    );
    assert_eq!(by_name("removed-option")["fix"]["applicability"], "unsafe");
    assert_eq!(
        by_name("deprecated-option")["fix"]["edits"][0]["content"],
        "auth_type"
    );
    // A finding without a fix has no `fix` key at all.
    let no_fix = diags
        .iter()
        .find(|d| d["name"] == "keystone-auth-incomplete");
    if let Some(d) = no_fix {
        assert!(d.get("fix").is_none(), "{d}");
    }
    assert!(diags.iter().any(|d| d.get("fix").is_none()));
}

#[test]
fn sarif_fixes_are_valid_2_1_0() {
    let schema: Value = serde_json::from_str(
        &fs::read_to_string(project_dir().join("tests/data/sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let tmp = project(FIXABLE.as_bytes());
    let o = run_in(tmp.path(), &["--format", "sarif"]);
    let sarif: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let with_fix: Vec<&Value> = results
        .iter()
        .filter(|r| r.get("fixes").is_some())
        .collect();
    assert!(with_fix.len() >= 4, "{with_fix:#?}");
    let inline = results.iter().find(|r| r["ruleId"] == "GL002").unwrap();
    let change = &inline["fixes"][0]["artifactChanges"][0];
    assert_eq!(change["artifactLocation"]["uri"], "glance-api.conf");
    let replacements = change["replacements"].as_array().unwrap();
    assert_eq!(replacements.len(), 2);
    assert_eq!(replacements[1]["insertedContent"]["text"], "# off\n");
    assert_eq!(replacements[1]["deletedRegion"]["startLine"], 2);
    // Not vacuous: the schema rejects a broken fix.
    let mut bad = sarif.clone();
    let i = results.iter().position(|r| r["ruleId"] == "GL002").unwrap();
    bad["runs"][0]["results"][i]["fixes"][0]["artifactChanges"] = "x".into();
    assert!(!validator.is_valid(&bad));
}

#[test]
fn rules_and_explain_show_the_fixes() {
    let o = bin().args(["rules", "--format", "json"]).output().unwrap();
    let rules: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let dup = rules["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "duplicate-option")
        .unwrap();
    assert_eq!(dup["fixes"][0]["applicability"], "safe");
    let o = bin().args(["rules"]).output().unwrap();
    assert!(
        stdout(&o).contains("fix (unsafe): renames a removed option"),
        "{}",
        stdout(&o)
    );
    let o = bin().args(["explain", "GL003"]).output().unwrap();
    assert!(
        stdout(&o).contains("- **safe** (applied by `--fix`): deletes the ignored assignment"),
        "{}",
        stdout(&o)
    );
}

/// Secrets in ignored duplicates, in a line a fix moves, in URLs: no
/// report format, no fix and no diff shows one.
#[test]
fn no_output_of_a_fix_reveals_a_secret() {
    let secrets = [
        "Sup3r-Secret-One",
        "Sup3r-Secret-Two",
        "db-Passw0rd-Three",
        "rabbit-Pass-Four",
    ];
    let text = format!(
        "[DEFAULT]\n\
         transport_url = rabbit://glance:{3}@mq:5672/\n\
         transport_url = rabbit://glance:{3}@mq2:5672/\n\
         debug = false # off\n\
         [database]\n\
         connection = mysql+pymysql://glance:{2}@db/glance\n\
         connection = mysql+pymysql://glance:{2}@db2/glance\n\
         [keystone_authtoken]\n\
         auth_plugin = password\n\
         password = {0}\n  \
         {1}\n\
         password = {1}\n",
        secrets[0], secrets[1], secrets[2], secrets[3]
    );
    let check = |what: &str, out: &str| {
        for s in secrets {
            assert!(!out.contains(s), "{what} shows {s}:\n{out}");
        }
    };
    for format in common::formats() {
        let tmp = project(text.as_bytes());
        let o = run_in(tmp.path(), &["--format", &format]);
        check(&format, &stdout(&o));
        check(&format, &stderr(&o));
        for extra in [&["--diff"][..], &["--diff", "--unsafe-fixes"], &["--fix"]] {
            let tmp = project(text.as_bytes());
            let o = run_in(tmp.path(), &[&["--format", &format][..], extra].concat());
            let what = format!("{format} {extra:?}");
            check(&what, &stdout(&o));
            check(&what, &stderr(&o));
        }
    }
    // Not vacuous: the diff does show the lines that change.
    let tmp = project(text.as_bytes());
    let diff = stdout(&run_in(tmp.path(), &["--diff"]));
    assert!(diff.contains("-password = ***\n"), "{diff}");
    assert!(
        diff.contains("-transport_url = rabbit://glance:***@mq:5672/\n"),
        "{diff}"
    );
}
