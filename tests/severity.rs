//! Severity in one place: every finding reports at a level its rule declares
//! (the default or a named variant with its condition), and every place that
//! lists rules (`rules`, `explain`, the rule pages, SARIF) shows each level
//! with its condition.

mod common;

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use common::{bin, lint_file, project_dir, shared_dir, stdout};
use glance_lint::report::{self, Format, RenderOptions, Report};
use glance_lint::rules::{docs, Severity, RULES};
use glance_lint::LintOptions;

fn declared(code: &str) -> BTreeSet<Severity> {
    let m = glance_lint::rules::meta(code).unwrap();
    std::iter::once(m.severity)
        .chain(m.variants.iter().map(|v| v.severity()))
        .collect()
}

fn conf_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "conf"))
        .collect();
    files.sort();
    files
}

/// Every fixture and corpus file: each finding's level is one its rule
/// declares, and together they reach every declared level of the rules
/// whose fixtures show them (so a variant no code path picks is noticed).
#[test]
fn findings_report_declared_levels() {
    let mut seen: HashMap<&str, BTreeSet<Severity>> = HashMap::new();
    let mut files = Vec::new();
    for entry in std::fs::read_dir(project_dir().join("fixtures")).unwrap() {
        let dir = entry.unwrap().path();
        let root = dir.join("root");
        let options = LintOptions {
            host_checks: root.is_dir(),
            root,
            ..LintOptions::default()
        };
        for f in conf_files(&dir) {
            files.push((f, options.clone()));
        }
    }
    if let Some(shared) = shared_dir() {
        for f in conf_files(&shared.join("corpus/real")) {
            let options = LintOptions {
                host_checks: false,
                ..LintOptions::default()
            };
            files.push((f, options));
        }
    } else {
        common::skip_part("../shared/corpus/real is absent: only the fixtures were checked");
    }
    assert!(files.len() > 100, "{} files", files.len());
    for (path, options) in &files {
        let result = lint_file(path, options);
        for f in &result.findings {
            assert!(
                declared(f.rule.code).contains(&f.severity()),
                "{}: {} reports at {:?}, which it does not declare",
                path.display(),
                f.rule.code,
                f.severity()
            );
            seen.entry(f.rule.code).or_default().insert(f.severity());
        }
    }
    // Rules whose fixtures exercise every level they declare.
    for code in [
        "GL101", "GL102", "GL103", "GL104", "GL106", "GL201", "GL208", "GL210", "GL211", "GL302",
        "GL305", "GL307",
    ] {
        assert_eq!(seen[code], declared(code), "{code}");
    }
}

#[test]
fn variants_are_distinct_levels_with_a_condition() {
    for r in RULES {
        let m = r.meta();
        for v in m.variants {
            assert_eq!(v.rule(), m.code);
            assert_ne!(
                v.severity(),
                m.severity,
                "{}: a variant at the default level",
                m.code
            );
            let when = v.when().expect("a variant says when it applies");
            assert!(
                !when.is_empty() && !when.contains('\n'),
                "{}: {when:?}",
                m.code
            );
            assert!(
                !when.starts_with("when"),
                "{}: `when` is added when shown",
                m.code
            );
            assert!(m.declares(v));
        }
    }
    // A level no rule declared is refused, and so is another rule's variant.
    let gl302 = glance_lint::rules::meta("GL302").unwrap();
    let gl301 = glance_lint::rules::meta("GL301").unwrap();
    assert!(!gl302.declares(&gl301.variants[0]));
    let forged = glance_lint::rules::Variant::declared("GL302", Severity::Info, Some("forged"));
    assert!(!gl302.declares(&forged));
    assert!(gl302.declares(&gl302.variants[1]));
}

#[test]
fn overrides_still_win_over_variants() {
    // GL302's info variant, raised to error by --severity.
    let dir = project_dir().join("fixtures/GL302");
    let out = bin()
        .args(["--format", "json", "--severity", "GL302=error", "--root"])
        .arg(dir.join("root"))
        .arg(dir.join("bad.conf"))
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let levels: BTreeSet<_> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "GL302")
        .map(|d| d["severity"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(levels, BTreeSet::from(["error".to_string()]));
}

#[test]
fn listings_show_every_level_with_its_condition() {
    let gl302 = glance_lint::rules::meta("GL302").unwrap();
    let when_error = gl302.variants[0].when().unwrap();
    let when_info = gl302.variants[1].when().unwrap();

    let text = stdout(&bin().arg("rules").output().unwrap());
    assert!(
        text.contains(&format!("error    when {when_error}\n")),
        "{text}"
    );
    assert!(text.contains(&format!("info     when {when_info}\n")));

    let json: serde_json::Value = serde_json::from_str(&stdout(
        &bin().args(["rules", "--format", "json"]).output().unwrap(),
    ))
    .unwrap();
    let rule = json["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "GL302")
        .unwrap();
    assert_eq!(rule["severity"], "warning");
    assert_eq!(
        rule["variants"],
        serde_json::json!([
            {"severity": "error", "when": when_error},
            {"severity": "info", "when": when_info},
        ])
    );

    let page = stdout(&bin().args(["explain", "GL302"]).output().unwrap());
    assert_eq!(page, docs::page(gl302));
    assert!(page.contains(&format!("- **error** when {when_error}\n")));
    assert!(page.contains(&format!("- **info** when {when_info}\n")));

    let results = [common::lint_text("[DEFAULT]\n")];
    let sarif = report::render(
        Format::Sarif,
        &Report {
            results: &results,
            input_errors: &[],
        },
        &RenderOptions {
            color: false,
            width: 80,
        },
    );
    let sarif: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    for (rule, r) in rules.iter().zip(RULES) {
        let m = r.meta();
        let variants = &rule["properties"]["variants"];
        if m.variants.is_empty() {
            assert!(variants.is_null(), "{}", m.code);
            continue;
        }
        assert_eq!(
            variants.as_array().unwrap().len(),
            m.variants.len(),
            "{}",
            m.code
        );
        for (v, d) in variants.as_array().unwrap().iter().zip(m.variants) {
            assert_eq!(v["when"], d.when().unwrap());
        }
        assert!(rule["help"]["markdown"]
            .as_str()
            .unwrap()
            .contains(m.variants[0].when().unwrap()));
    }
}

/// Only the user's overrides replace a rule's level, and they are applied
/// outside the rules: no rule file reaches for them.
#[test]
fn rules_do_not_override_levels() {
    let dir = project_dir().join("src/rules");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            !text.contains("override_severity") && !text.contains(".severity ="),
            "{}: pick a declared variant instead",
            path.display()
        );
    }
}
