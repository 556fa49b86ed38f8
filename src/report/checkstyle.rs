//! `--format checkstyle`: Checkstyle's XML, read by Jenkins' warnings-ng,
//! reviewdog and most code-review bots.

use super::{xml_escape as esc, Report};

pub fn render(report: &Report) -> String {
    let located: Vec<_> = report.located().map(|(_, l)| l).collect();
    let mut out =
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n");
    for file in report.files() {
        out.push_str(&format!("  <file name=\"{}\">\n", esc(file)));
        for l in located.iter().filter(|l| l.path == file) {
            let mut message = l.message.clone();
            if let Some(help) = &l.help {
                message.push_str(" (help: ");
                message.push_str(help);
                message.push(')');
            }
            out.push_str(&format!(
                "    <error line=\"{}\" column=\"{}\" severity=\"{}\" message=\"{}\" source=\"glance-lint.{}.{}\"/>\n",
                l.line,
                l.column,
                l.severity.as_str(),
                esc(&message),
                l.code,
                l.name
            ));
        }
        out.push_str("  </file>\n");
    }
    for e in report.input_errors {
        out.push_str(&format!(
            "  <file name=\"{}\">\n    <error severity=\"error\" message=\"{}\" source=\"glance-lint.input\"/>\n  </file>\n",
            esc(&e.path),
            esc(&e.message)
        ));
    }
    out.push_str("</checkstyle>\n");
    out
}
