//! `--format junit`: JUnit XML for CI test-report views. One testcase per
//! file and rule that fired, its failure carrying every message; a file with
//! no finding is one passing testcase; an unreadable path is an error.

use std::collections::BTreeMap;

use super::{xml_escape as esc, Located, Report};

pub fn render(report: &Report) -> String {
    let located: Vec<_> = report.located().map(|(_, l)| l).collect();
    let mut cases = String::new();
    let (mut tests, mut failures) = (0, 0);
    for file in report.files() {
        // Rules in code order, findings in report order.
        let mut by_rule: BTreeMap<&str, Vec<&Located>> = BTreeMap::new();
        for l in located.iter().filter(|l| l.path == file) {
            by_rule.entry(l.code).or_default().push(l);
        }
        tests += by_rule.len().max(1);
        if by_rule.is_empty() {
            cases.push_str(&format!(
                "    <testcase name=\"glance-lint\" classname=\"{}\"/>\n",
                esc(file)
            ));
        }
        for (code, ls) in by_rule {
            failures += 1;
            let worst = ls.iter().map(|l| l.severity).max().expect("non-empty");
            let body: Vec<String> = ls
                .iter()
                .map(|l| {
                    let help = l.help.as_deref().map(|h| format!("\n  help: {h}"));
                    format!(
                        "{}:{}:{}: {}: {}{}",
                        l.path,
                        l.line,
                        l.column,
                        l.severity.as_str(),
                        l.message,
                        help.unwrap_or_default()
                    )
                })
                .collect();
            cases.push_str(&format!(
                "    <testcase name=\"{code} {}\" classname=\"{}\" file=\"{}\" line=\"{}\">\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>\n",
                ls[0].name,
                esc(file),
                esc(file),
                ls[0].line,
                esc(&ls[0].message),
                worst.as_str(),
                esc(&body.join("\n")),
            ));
        }
    }
    for e in report.input_errors {
        tests += 1;
        cases.push_str(&format!(
            "    <testcase name=\"glance-lint\" classname=\"{}\">\n      <error message=\"{}\" type=\"input\"/>\n    </testcase>\n",
            esc(&e.path),
            esc(&e.message)
        ));
    }
    let errors = report.input_errors.len();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"glance-lint\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">\n  <testsuite name=\"glance-lint\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">\n{cases}  </testsuite>\n</testsuites>\n"
    )
}
