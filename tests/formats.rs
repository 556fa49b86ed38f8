//! The machine formats: SARIF validated against the SARIF 2.1.0 JSON schema
//! (tests/data/sarif-schema-2.1.0.json, OASIS's schema as shipped in the
//! serde-sarif crate), and the shape of every other format.

mod common;

use std::path::Path;

use common::{bin, project_dir, stderr, stdout};
use glance_lint::rules::RULES;
use serde_json::Value;

const BROKEN: &str = "\
[DEFAULT]
enabled_backends = fast:file, cheap:file
[glance_store]
default_backend = fats
[oslo_limit]
endpoint_id = not-an-id, really
";

/// Runs the linter in `dir` on `glance-api.conf` there (so paths are relative).
fn lint_in(dir: &Path, format: &str) -> (Option<i32>, String) {
    let o = bin()
        .current_dir(dir)
        .args(["glance-api.conf", "--no-host-checks", "--format", format])
        .output()
        .unwrap();
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
    (o.status.code(), stdout(&o))
}

fn project(text: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("glance-api.conf"), text).unwrap();
    tmp
}

#[test]
fn sarif_is_valid_2_1_0_with_every_rule() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(project_dir().join("tests/data/sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let tmp = project(BROKEN);
    let (code, out) = lint_in(tmp.path(), "sarif");
    assert_eq!(code, Some(1));
    let sarif: Value = serde_json::from_str(&out).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // Not vacuous: the schema rejects a broken document.
    let mut bad = sarif.clone();
    bad["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&bad));

    let run = &sarif["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "glance-lint");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert!(driver["informationUri"]
        .as_str()
        .unwrap()
        .starts_with("https://"));
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(rules.len(), RULES.len());
    for (rule, r) in rules.iter().zip(RULES) {
        let m = r.meta();
        assert_eq!(rule["id"], m.code);
        assert_eq!(rule["name"], m.name);
        assert_eq!(rule["shortDescription"]["text"], m.summary);
        assert!(rule["help"]["markdown"]
            .as_str()
            .unwrap()
            .contains("## Why is this bad?"));
        assert_eq!(rule["helpUri"], m.url());
        assert!(!rule["fullDescription"]["text"]
            .as_str()
            .unwrap()
            .contains("##"));
    }
    let results = run["results"].as_array().unwrap();
    let gl201 = results
        .iter()
        .find(|r| r["ruleId"] == "GL201")
        .expect("GL201 fires");
    let index = gl201["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(rules[index]["id"], "GL201");
    assert_eq!(gl201["level"], "error");
    let loc = &gl201["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "glance-api.conf");
    assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(loc["region"]["startLine"], 4);
    assert_eq!(loc["region"]["startColumn"], 19);
    assert_eq!(loc["region"]["endColumn"], 23);

    // Fingerprints survive lines moving, and differ between findings.
    let fingerprints = |sarif: &Value| -> Vec<String> {
        sarif["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                r["partialFingerprints"]["glanceLint/v1"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    let before = fingerprints(&sarif);
    let mut unique = before.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), before.len());
    let moved = project(&format!("# a comment\n\n{BROKEN}"));
    let (_, out) = lint_in(moved.path(), "sarif");
    let moved: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        moved["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"],
        sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"]
            .as_u64()
            .unwrap()
            + 2
    );
    assert_eq!(fingerprints(&moved), before);
}

#[test]
fn sarif_of_a_clean_file_is_valid_too() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(project_dir().join("tests/data/sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    let tmp = project("[DEFAULT]\n");
    let (code, out) = lint_in(tmp.path(), "sarif");
    assert_eq!(code, Some(0));
    let sarif: Value = serde_json::from_str(&out).unwrap();
    assert!(jsonschema::is_valid(&schema, &sarif));
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 0);
}

#[test]
fn github_workflow_commands() {
    let tmp = project(BROKEN);
    let (code, out) = lint_in(tmp.path(), "github");
    assert_eq!(code, Some(1));
    let line = out
        .lines()
        .find(|l| l.contains("GL201"))
        .expect("GL201 fires");
    assert!(
        line.starts_with("::error file=glance-api.conf,line=4,col=19,endLine=4,endColumn=23,title=GL201 default-backend-not-enabled::"),
        "{line}"
    );
    // One command per line: line breaks in messages are escaped.
    assert!(line.contains("%0Ahelp: "), "{line}");
    assert!(out.lines().all(|l| l.starts_with("::")), "{out}");
}

#[test]
fn gitlab_code_quality() {
    let tmp = project(BROKEN);
    let (_, out) = lint_in(tmp.path(), "gitlab");
    let issues: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert!(!issues.is_empty());
    let mut fps: Vec<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    fps.sort();
    fps.dedup();
    assert_eq!(fps.len(), issues.len(), "fingerprints are unique");
    let gl201 = issues
        .iter()
        .find(|i| i["check_name"].as_str().unwrap().starts_with("GL201"))
        .unwrap();
    assert_eq!(gl201["severity"], "critical");
    assert_eq!(gl201["location"]["path"], "glance-api.conf");
    assert_eq!(gl201["location"]["lines"]["begin"], 4);
    assert!(gl201["description"]
        .as_str()
        .unwrap()
        .contains("default_backend"));
    for i in &issues {
        let s = i["severity"].as_str().unwrap();
        assert!(
            ["info", "minor", "major", "critical", "blocker"].contains(&s),
            "{s}"
        );
    }
    let (_, clean) = lint_in(project("[DEFAULT]\n").path(), "gitlab");
    assert_eq!(clean.trim(), "[]");
}

#[test]
fn junit_testcases_per_file_and_rule() {
    let tmp = project(BROKEN);
    std::fs::create_dir(tmp.path().join("glance-api.conf.d")).unwrap();
    std::fs::write(
        tmp.path().join("glance-api.conf.d/clean.conf"),
        "[DEFAULT]\n",
    )
    .unwrap();
    let (_, out) = lint_in(tmp.path(), "junit");
    assert!(out.starts_with("<?xml"));
    let gl207 = out
        .matches("<testcase name=\"GL207 endpoint-id-format\" classname=\"glance-api.conf\"")
        .count();
    assert_eq!(gl207, 1, "{out}");
    assert!(
        out.contains("<failure message=\"`endpoint_id` is not a Keystone id"),
        "{out}"
    );
    // The overlay has no finding: one passing testcase.
    assert!(
        out.contains("<testcase name=\"glance-lint\" classname=\"glance-api.conf.d/clean.conf\"/>"),
        "{out}"
    );
    let testcases = out.matches("<testcase ").count();
    assert!(out.contains(&format!("tests=\"{testcases}\"")), "{out}");
}

#[test]
fn checkstyle_is_escaped_xml() {
    let tmp = project(
        "[DEFAULT]\nenabled_backends = fast:file\n[glance_store]\ndefault_backend = <f&\"s>\n",
    );
    let (_, out) = lint_in(tmp.path(), "checkstyle");
    assert!(
        out.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle"),
        "{out}"
    );
    assert!(out.contains("<file name=\"glance-api.conf\">"), "{out}");
    assert!(
        out.contains("source=\"glance-lint.GL201.default-backend-not-enabled\""),
        "{out}"
    );
    // Every attribute value is free of raw markup.
    for attr in out.split(" message=\"").skip(1) {
        let value = &attr[..attr.find('"').unwrap()];
        assert!(!value.contains('<') && !value.contains('>'), "{value}");
    }
    assert!(
        out.contains("`default_backend = &lt;f&amp;&quot;s&gt;`"),
        "{out}"
    );
}
