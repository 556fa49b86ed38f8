use super::{Context, Rule, RuleMeta};
use crate::finding::Finding;
use crate::model::{ParseError as Error, ParseErrorKind};
use crate::source::SourceFile;

declare_rule! {
    /// ## What it does
    /// Reports every line that oslo.config, the library Glance reads its
    /// configuration with, refuses to parse, with oslo.config's own reason.
    ///
    /// ## Why is this bad?
    /// Glance stops at start-up with `ConfigFileParseError: Failed to parse
    /// glance-api.conf: at glance-api.conf:LINE, ...` (or a
    /// `UnicodeDecodeError` for a file that is not UTF-8), and the API never
    /// comes up. oslo.config has no inline comments and no free-text lines:
    /// `[fs]  # note`, a prose line without `=` or `:`, an indented line with
    /// nothing above it, a byte-order mark, or a Latin-1 `é` are all fatal.
    ///
    /// ## Example
    /// ```ini
    /// [glance_store] # the store section
    /// default_backend = fs
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// # the store section
    /// [glance_store]
    /// default_backend = fs
    /// ```
    pub struct ParseError {
        code: "GL001",
        name: "parse-error",
        severity: Error,
        category: File,
        summary: "oslo.config cannot parse this line, so Glance will not start",
    }
}

/// More than this many unparsable lines in one file is noise: the file is
/// not an INI file at all.
const MAX_PER_FILE: usize = 20;

impl Rule for ParseError {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        for doc in &ctx.config.docs {
            let src = &ctx.sources[doc.file];
            let fatal_decode = doc
                .errors
                .first()
                .is_some_and(|e| matches!(e.kind, ParseErrorKind::Decode { .. }));
            for (i, err) in doc.errors.iter().enumerate() {
                if i == MAX_PER_FILE || (fatal_decode && i > 0) {
                    let rest = doc.errors.len() - i;
                    let (lines, are) = if rest == 1 {
                        ("line", "is")
                    } else {
                        ("lines", "are")
                    };
                    out.push(
                        Finding::new(
                            &Self::META,
                            format!("{rest} more {lines} oslo.config cannot parse {are} not shown"),
                        )
                        .at(err.span)
                        .help("fix the lines above first; is this really a glance-api.conf?"),
                    );
                    break;
                }
                out.push(finding(src, err, i == 0));
            }
        }
    }
}

fn finding(src: &SourceFile, err: &Error, first: bool) -> Finding {
    let line_text = &src.text[err.span.start..err.span.end];
    let where_ = match err.kind {
        ParseErrorKind::NoSection { flush_line } if flush_line != err.line => {
            format!(" (oslo.config reports it at line {flush_line})")
        }
        _ => String::new(),
    };
    let stops = if first { "Glance will not start: " } else { "" };
    let message = format!("{stops}oslo.config: {}{where_}", err.kind.oslo_message());
    let (label, help) = match &err.kind {
        ParseErrorKind::Decode { .. } => decode_help(src),
        _ if err.span.start == 0 && line_text.starts_with('\u{feff}') => (
            "byte-order mark",
            "save the file as UTF-8 without a byte-order mark (oslo.config reads it as part of the first line), e.g. `sed -i '1s/^\\xEF\\xBB\\xBF//' glance-api.conf`".to_string(),
        ),
        _ if line_text.contains('\0') => (
            "NUL bytes",
            "this line holds NUL bytes: the file is binary, or was damaged (a crash while it was being written leaves NUL bytes); restore it from a backup or rewrite the line".to_string(),
        ),
        ParseErrorKind::NoSeparator => (
            "not `key = value`",
            "write it as `key = value`, or make it a comment with `#` in the first column".to_string(),
        ),
        ParseErrorKind::EmptyKey => ("no option name", "put the option name before the `=`".to_string()),
        ParseErrorKind::UnexpectedContinuation => (
            "indented line with no value above",
            "remove the leading whitespace: an indented line continues the previous value, and there is none here".to_string(),
        ),
        ParseErrorKind::SectionNotClosed => match line_text.find(']') {
            Some(close) => (
                "text after `]`",
                format!(
                    "oslo.config has no inline comments: write `{}` alone on the line and put the comment on its own line starting with `#`",
                    &line_text[..=close]
                ),
            ),
            None => ("no closing `]`", "close the section header with `]`".to_string()),
        },
        ParseErrorKind::EmptySectionName => ("empty section name", "name the section, e.g. `[DEFAULT]`".to_string()),
        ParseErrorKind::NoSection { .. } => (
            "before any section",
            "put a section header such as `[DEFAULT]` above this option".to_string(),
        ),
    };
    Finding::new(&ParseError::META, message)
        .at(err.span)
        .label(label)
        .help(help)
}

fn decode_help(src: &SourceFile) -> (&'static str, String) {
    let text = src.text.as_str();
    if crate::model::parse::looks_binary(text) {
        let kind = if text.starts_with("PK") {
            "a ZIP archive (a .docx or .odt saved under this name?)"
        } else {
            "binary data"
        };
        ("not text", format!("this file is {kind}, not a text configuration file: export the configuration as plain UTF-8 text"))
    } else {
        (
            "not UTF-8",
            "save the file as UTF-8, e.g. `iconv -f latin1 -t utf-8 glance-api.conf > fixed.conf`"
                .to_string(),
        )
    }
}
