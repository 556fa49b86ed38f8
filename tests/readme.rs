//! The README's copy-paste snippets: the YAML parses and is wired the way
//! each CI system reads it, every `glance-lint` command in them parses, and
//! the `.glance-lint.toml` example loads.

mod common;

use std::path::Path;

use clap::Parser;
use common::project_dir;
use glance_lint::cli::Cli;
use glance_lint::project::ProjectConfig;
use serde_yaml::Value;

fn blocks(lang: &str) -> Vec<String> {
    let readme = std::fs::read_to_string(project_dir().join("README.md")).unwrap();
    let fence = format!("```{lang}\n");
    readme
        .split(&fence)
        .skip(1)
        .map(|rest| rest[..rest.find("\n```").expect("closed block") + 1].to_string())
        .collect()
}

fn yaml(marker: &str) -> Value {
    let matching: Vec<_> = blocks("yaml")
        .into_iter()
        .filter(|b| b.contains(marker))
        .collect();
    assert_eq!(matching.len(), 1, "one YAML snippet with {marker}");
    serde_yaml::from_str(&matching[0]).unwrap_or_else(|e| panic!("{e}\n{}", matching[0]))
}

/// Parses a shell line running glance-lint as the binary would; returns the
/// value of `--output`.
fn check_command(line: &str) -> Option<String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(words[0], "glance-lint", "{line}");
    let cli = Cli::try_parse_from(&words).unwrap_or_else(|e| panic!("{line}: {e}"));
    assert!(cli.lint.no_host_checks, "{line}: CI has no Glance host");
    cli.lint.output.map(|p| p.display().to_string())
}

#[test]
fn github_actions_uploads_the_sarif_it_writes() {
    let wf = yaml("upload-sarif");
    let job = &wf["jobs"]["glance-lint"];
    assert_eq!(job["permissions"]["security-events"], "write");
    let steps = job["steps"].as_sequence().unwrap();
    let mut written = None;
    for step in steps {
        if let Some(run) = step["run"]
            .as_str()
            .filter(|r| r.starts_with("glance-lint"))
        {
            if run.contains("--format sarif") {
                written = check_command(run);
                assert_eq!(step["if"], "always()", "runs after a failing lint step");
            } else {
                check_command(run);
            }
        }
    }
    let upload = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif@"))
        })
        .unwrap();
    assert_eq!(upload["if"], "always()");
    assert_eq!(upload["with"]["sarif_file"].as_str(), written.as_deref());
}

#[test]
fn gitlab_ci_reports_the_code_quality_file() {
    let ci = yaml("codequality");
    let job = &ci["glance-lint"];
    let script: Vec<&str> = job["script"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    let line = script
        .iter()
        .find(|l| l.starts_with("glance-lint"))
        .unwrap();
    assert!(line.contains("--format gitlab"));
    let written = check_command(line);
    assert_eq!(
        job["artifacts"]["reports"]["codequality"].as_str(),
        written.as_deref()
    );
    assert_eq!(job["artifacts"]["when"], "always");
}

#[test]
fn pre_commit_config_names_the_hook() {
    let config = yaml("repos:");
    let hook = &config["repos"][0]["hooks"][0];
    let hooks: Value = serde_yaml::from_str(
        &std::fs::read_to_string(project_dir().join(".pre-commit-hooks.yaml")).unwrap(),
    )
    .unwrap();
    let defined = &hooks[0];
    assert_eq!(hook["id"], defined["id"]);
    assert_eq!(defined["id"], "glance-lint");
    assert_eq!(defined["entry"], "glance-lint");
    assert_eq!(defined["language"], "rust");
    let mut args = vec!["glance-lint".to_string()];
    args.extend(
        hook["args"]
            .as_sequence()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap().to_string()),
    );
    check_command(&args.join(" "));
    // The hook's file pattern: glance-api.conf and its overlays, nothing else.
    let files = regex::Regex::new(defined["files"].as_str().unwrap()).unwrap();
    for yes in [
        "glance-api.conf",
        "etc/glance/glance-api.conf",
        "x/glance-api.conf.d/10-a.conf",
    ] {
        assert!(files.is_match(yes), "{yes}");
    }
    for no in [
        "nova.conf",
        "glance-api.conf.bak",
        "my-glance-api.conf",
        "glance-api.conf.d/a.txt",
        "glance-api.conf.d/x/a.conf",
    ] {
        assert!(!files.is_match(no), "{no}");
    }
}

#[test]
fn project_config_example_loads() {
    let tomls = blocks("toml");
    assert!(!tomls.is_empty());
    for t in tomls {
        ProjectConfig::parse(Path::new(".glance-lint.toml"), &t)
            .unwrap_or_else(|e| panic!("{e}\n{t}"));
    }
}
