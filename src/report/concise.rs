//! `--format concise`: one line per finding,
//! `path:line:col: severity CODE name: message`, for editors and `grep`
//! (vim's errorformat `%f:%l:%c: %m`, efm-langserver, nvim-lint, emacs'
//! compile mode). Paths are as given on the command line; paths that could
//! not be read are only on standard error, so every line of the output
//! parses the same way.

use super::{sanitize, Report};

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for (_, l) in report.located() {
        // One line each, whatever the text holds: line breaks and controls
        // become visible symbols.
        let one_line = |s: &str| sanitize(s).replace(['\n', '\r'], " ");
        out.push_str(&format!(
            "{}:{}:{}: {} {} {}: {}\n",
            one_line(&l.path),
            l.line,
            l.column,
            l.severity.as_str(),
            l.code,
            l.name,
            one_line(&l.message),
        ));
    }
    out
}
