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
    // The default hook installs the wheel (no Rust); the cargo build is the
    // second hook, with the same wiring.
    assert_eq!(defined["language"], "python");
    let rust = &hooks[1];
    assert_eq!(rust["id"], "glance-lint-rust");
    assert_eq!(rust["language"], "rust");
    for key in ["entry", "files", "args", "require_serial"] {
        assert_eq!(rust[key], defined[key], "{key}");
    }
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
        let c = ProjectConfig::parse(Path::new(".glance-lint.toml"), &t)
            .unwrap_or_else(|e| panic!("{e}\n{t}"));
        // Every top-level key of the example is read as one (not inside a table above it).
        if t.contains("service-user") {
            assert_eq!(c.service_user.as_deref(), Some("glance"));
        }
    }
}

/// A file with an error, a warning and an info finding, linted as an editor
/// does: the buffer on standard input, named by `--stdin-filename`.
const EDITOR_BUFFER: &str = "\
[DEFAULT]
enabled_backends = fast:file
debug = true
[glance_store]
default_backend = fats
[oslo_limit]
endpoint_id = 1
";

/// Runs the glance-lint command of a snippet (its words, with the buffer's
/// path for the editor's variable) and returns its standard output.
fn run_editor_command(words: &[String], path: &Path, stdin: bool) -> String {
    assert_eq!(words[0], "glance-lint", "{words:?}");
    let cli = Cli::try_parse_from(words).unwrap_or_else(|e| panic!("{words:?}: {e}"));
    assert_eq!(cli.lint.format, glance_lint::report::Format::Concise);
    assert!(
        cli.lint.no_host_checks,
        "{words:?}: an editor is not the Glance host"
    );
    let mut cmd = common::bin();
    cmd.args(&words[1..]);
    let out = if stdin {
        common::run_with_stdin(&mut cmd, EDITOR_BUFFER.as_bytes())
    } else {
        cmd.output().unwrap()
    };
    assert_eq!(out.status.code(), Some(1), "{}", common::stderr(&out));
    let text = common::stdout(&out);
    assert!(text.contains(&path.display().to_string()), "{text}");
    assert_eq!(text.lines().count(), 3, "{text}");
    text
}

/// The severities each editor must see, in report order.
const SEVERITIES: [&str; 3] = ["warning", "error", "warning"];

/// vim's errorformat (as efm-langserver reads it) as a regex: `%f`, `%l`,
/// `%c`, `%t` (one letter: the type) and `%m`.
fn errorformat_regex(efm: &str) -> regex::Regex {
    let mut re = String::from("^");
    let mut chars = efm.chars();
    while let Some(c) = chars.next() {
        if c == '%' {
            re.push_str(match chars.next().unwrap() {
                'f' => "(?P<f>.+?)",
                'l' => "(?P<l>\\d+)",
                'c' => "(?P<c>\\d+)",
                't' => "(?P<t>.)",
                'm' => "(?P<m>.+)",
                other => panic!("%{other} is not used here"),
            });
        } else {
            re.push_str(&regex::escape(&c.to_string()));
        }
    }
    re.push('$');
    regex::Regex::new(&re).unwrap()
}

#[test]
fn efm_langserver_snippet_reads_the_concise_lines() {
    let config = yaml("lint-formats");
    let tool = &config["tools"]["glance-lint"];
    assert_eq!(tool["lint-stdin"], true);
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("glance-api.conf");
    let words: Vec<String> = tool["lint-command"]
        .as_str()
        .unwrap()
        .split_whitespace()
        .map(|w| w.replace("${INPUT}", path.to_str().unwrap()))
        .collect();
    let out = run_editor_command(&words, &path, true);
    let formats: Vec<regex::Regex> = tool["lint-formats"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|f| errorformat_regex(f.as_str().unwrap()))
        .collect();
    for (line, severity) in out.lines().zip(SEVERITIES) {
        let matching: Vec<_> = formats.iter().filter_map(|f| f.captures(line)).collect();
        assert_eq!(matching.len(), 1, "{line}");
        let c = &matching[0];
        assert_eq!(&c["f"], path.to_str().unwrap());
        assert!(c["l"].parse::<usize>().unwrap() > 1 && c["c"].parse::<usize>().unwrap() >= 1);
        assert_eq!(&c["t"], &severity[..1], "{line}");
        assert!(c["m"].starts_with("GL"), "{line}");
    }
    // Every language entry is the tool.
    for (_, tools) in config["languages"].as_mapping().unwrap() {
        assert_eq!(&tools[0], tool);
    }
}

/// A Lua pattern (the classes nvim-lint's snippet uses) as a regex.
fn lua_pattern_regex(pattern: &str) -> regex::Regex {
    let (mut re, mut in_set) = (String::new(), false);
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '%' => {
                let class = match chars.next().unwrap() {
                    'd' => "0-9",
                    'a' => "A-Za-z",
                    'w' => "A-Za-z0-9",
                    other => panic!("%{other} is not used here"),
                };
                if in_set {
                    re.push_str(class);
                } else {
                    re.push_str(&format!("[{class}]"));
                }
            }
            '[' => {
                in_set = true;
                re.push(c);
            }
            ']' => {
                in_set = false;
                re.push(c);
            }
            '-' if !in_set => panic!("Lua's lazy `-` is not used here"),
            '-' => re.push_str("\\-"),
            c => re.push(c),
        }
    }
    regex::Regex::new(&re).unwrap()
}

#[test]
fn nvim_lint_snippet_reads_the_concise_lines() {
    let lua = blocks("lua")
        .into_iter()
        .find(|b| b.contains("nvim-lint") || b.contains("require('lint')"))
        .expect("the nvim-lint snippet");
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("glance-api.conf");
    let quoted = regex::Regex::new(r"'([^']*)'").unwrap();
    let field = |name: &str| {
        let start = lua.find(&format!("{name} = ")).unwrap();
        lua[start..].lines().next().unwrap().to_string()
    };
    let cmd = quoted.captures(&field("cmd")).unwrap()[1].to_string();
    assert!(field("stdin").contains("true"));
    // args: the quoted words, the buffer's name where the function stands.
    let args_text = &lua[lua.find("args = {").unwrap()..lua.find("stream =").unwrap()];
    let mut words = vec![cmd];
    let items = regex::Regex::new(r"'([^']*)'|function\(\)[^,]*end").unwrap();
    for m in items.captures_iter(args_text) {
        words.push(match m.get(1) {
            Some(w) => w.as_str().to_string(),
            None => path.to_str().unwrap().to_string(),
        });
    }
    let out = run_editor_command(&words, &path, true);
    let pattern = quoted
        .captures(&lua[lua.find("from_pattern(").unwrap()..])
        .unwrap()[1]
        .to_string();
    let groups: Vec<String> = quoted
        .captures_iter(&lua[lua.find("{ 'lnum'").unwrap()..])
        .take(5)
        .map(|c| c[1].to_string())
        .collect();
    assert_eq!(groups, ["lnum", "col", "severity", "code", "message"]);
    let re = lua_pattern_regex(&pattern);
    for (line, severity) in out.lines().zip(SEVERITIES) {
        let c = re.captures(line).unwrap_or_else(|| panic!("{line}"));
        assert!(c[1].parse::<usize>().is_ok() && c[2].parse::<usize>().is_ok());
        assert_eq!(&c[3], severity);
        // The severity map names each level the output has.
        assert!(
            lua.contains(&format!("{severity} = vim.diagnostic")),
            "{severity}"
        );
        assert!(c[4].starts_with("GL") && c[4].contains(' '), "{line}");
        assert!(!c[5].is_empty());
    }
}

#[test]
fn vs_code_problem_matcher_reads_the_concise_lines() {
    let json = blocks("json")
        .into_iter()
        .find(|b| b.contains("problemMatcher"))
        .expect("the VS Code snippet");
    let tasks: serde_json::Value = serde_json::from_str(&json).unwrap();
    let task = &tasks["tasks"][0];
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("glance-api.conf");
    std::fs::write(&path, EDITOR_BUFFER).unwrap();
    let mut words = vec![task["command"].as_str().unwrap().to_string()];
    words.extend(task["args"].as_array().unwrap().iter().map(|a| {
        a.as_str()
            .unwrap()
            .replace("${file}", path.to_str().unwrap())
    }));
    let out = run_editor_command(&words, &path, false);
    let pattern = &task["problemMatcher"]["pattern"];
    let re = regex::Regex::new(pattern["regexp"].as_str().unwrap()).unwrap();
    let group =
        |c: &regex::Captures, name: &str| c[pattern[name].as_u64().unwrap() as usize].to_string();
    for (line, severity) in out.lines().zip(SEVERITIES) {
        let c = re.captures(line).unwrap_or_else(|| panic!("{line}"));
        assert_eq!(group(&c, "file"), path.to_str().unwrap());
        assert!(group(&c, "line").parse::<usize>().is_ok());
        assert!(group(&c, "column").parse::<usize>().is_ok());
        assert_eq!(group(&c, "severity"), severity);
        assert!(group(&c, "code").starts_with("GL"));
        assert!(!group(&c, "message").is_empty());
    }
}

/// The README's description of `rules --format json` names every key the command prints,
/// of the top level, of a release and of a rule: a key added to one is added to the other.
#[test]
fn rules_json_keys_are_the_ones_the_readme_describes() {
    let readme = std::fs::read_to_string(common::project_dir().join("README.md")).unwrap();
    let start = readme
        .find("`glance-lint rules --format json`")
        .expect("the README describes rules --format json");
    let para = &readme[start..start + readme[start..].find("\n\n").unwrap()];
    let out = common::run(&["rules", "--format", "json"]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut keys: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
    for r in v["releases"].as_array().unwrap() {
        keys.extend(r.as_object().unwrap().keys().cloned());
    }
    for r in v["rules"].as_array().unwrap() {
        keys.extend(r.as_object().unwrap().keys().cloned());
        for f in r["fixes"].as_array().unwrap() {
            keys.extend(f.as_object().unwrap().keys().cloned());
        }
        for f in r["variants"].as_array().unwrap() {
            keys.extend(f.as_object().unwrap().keys().cloned());
        }
    }
    keys.sort();
    keys.dedup();
    for k in keys {
        assert!(
            para.contains(&format!("`{k}`")) || para.contains(&format!("\"{k}\"")),
            "`{k}` is not described in the README's paragraph on rules --format json"
        );
    }
}
