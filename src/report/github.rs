//! `--format github`: one GitHub Actions workflow command per finding, which
//! the runner turns into an annotation on the line.

use super::{relative_path, Report};
use crate::finding::Severity;

/// Escapes a command's message (`%`, CR, LF), as the Actions toolkit does.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value: the message escapes plus `:` and `,`.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for (_, l) in report.located() {
        let command = match l.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut message = l.message.clone();
        if let Some(help) = &l.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        out.push_str(&format!(
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            escape_property(&relative_path(&l.path)),
            l.line,
            l.column,
            l.end_line,
            l.end_column,
            escape_property(&format!("{} {}", l.code, l.name)),
            escape_data(&message),
        ));
    }
    for e in report.input_errors {
        out.push_str(&format!(
            "::error file={},title=glance-lint::{}\n",
            escape_property(&relative_path(&e.path)),
            escape_data(&format!("{}: {}", e.path, e.message)),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(escape_data("50% a\r\nb"), "50%25 a%0D%0Ab");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
