use super::{Context, Rule, RuleMeta};
use crate::finding::Finding;

declare_rule! {
    /// ## What it does
    /// Checks oslo.log's format strings (`logging_context_format_string`,
    /// `logging_default_format_string`, `logging_debug_format_suffix`,
    /// `logging_exception_prefix`, `logging_user_identity_format`,
    /// `instance_format`, `instance_uuid_format`) the way Python's `%`
    /// operator reads them.
    ///
    /// ## Why is this bad?
    /// oslo.config accepts any text, and glance-api starts (so this is a
    /// warning, not an error). But oslo.log
    /// formats every log record with `fmt % record`: an incomplete field
    /// (`%(levelname)`, `%(asctime`), an unknown conversion (`%(message)q`)
    /// or a lone `%` raises `ValueError` for every record, Python's logging
    /// prints `--- Logging error ---` instead, and Glance's log is lost.
    ///
    /// ## Example
    /// ```ini
    /// [DEFAULT]
    /// logging_context_format_string = %(asctime)s %(levelname) %(name)s %(message)s
    /// ```
    ///
    /// ## Use instead
    /// ```ini
    /// [DEFAULT]
    /// logging_context_format_string = %(asctime)s %(levelname)s %(name)s %(message)s
    /// ```
    pub struct InvalidLogFormat {
        code: "GL010",
        name: "invalid-log-format",
        severity: Warning,
        category: File,
        summary: "an oslo.log format string that Python's `%` formatting rejects",
    }
}

/// oslo.log's `%`-style format options (all in `[DEFAULT]`).
const FORMAT_OPTIONS: [&str; 7] = [
    "logging_context_format_string",
    "logging_default_format_string",
    "logging_debug_format_suffix",
    "logging_exception_prefix",
    "logging_user_identity_format",
    "instance_format",
    "instance_uuid_format",
];

/// Where `fmt % mapping` fails, as Python's `PyUnicode_Format` does with the
/// record's dict: the byte offset of the bad `%` and why. Keys are not
/// checked (the record's keys depend on the request).
pub fn percent_format_error(fmt: &str) -> Option<(usize, String)> {
    let bytes = fmt.as_bytes();
    let mut unkeyed = 0;
    let mut seen_keyed = false;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'%' {
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        if bytes.get(i) == Some(&b'%') {
            i += 1;
            continue;
        }
        let keyed = bytes.get(i) == Some(&b'(');
        if keyed {
            // The key runs to the matching `)` (Python counts nested parens).
            let mut depth = 1;
            i += 1;
            while i < bytes.len() && depth > 0 {
                match bytes[i] {
                    b'(' => depth += 1,
                    b')' => depth -= 1,
                    _ => {}
                }
                i += 1;
            }
            if depth > 0 {
                return Some((start, "`%(` without its closing `)`".into()));
            }
        }
        let mut star = false;
        while i < bytes.len() && b"#0- +".contains(&bytes[i]) {
            i += 1;
        }
        while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'*') {
            star |= bytes[i] == b'*';
            i += 1;
        }
        if bytes.get(i) == Some(&b'.') {
            i += 1;
            while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'*') {
                star |= bytes[i] == b'*';
                i += 1;
            }
        }
        while i < bytes.len() && b"hlL".contains(&bytes[i]) {
            i += 1;
        }
        let conversion = match fmt[i..].chars().next() {
            None => return Some((start, "the format ends inside a `%` field".into())),
            Some(c) if "diouxXeEfFgGcrsa".contains(c) => c,
            Some(c) => {
                let field = &fmt[start..i + c.len_utf8()];
                return Some((
                    start,
                    format!(
                        "`{field}` ends in `{c}`, which is not a conversion (`s`, `d`, `f` ...)"
                    ),
                ));
            }
        };
        i += 1;
        if star {
            return Some((
                start,
                "a `*` width needs an argument a log record does not give".into(),
            ));
        }
        if keyed {
            seen_keyed = true;
        } else {
            // The record's dict is the one argument: a first `%s` prints it;
            // a number conversion, a second field or one after a `%(name)`
            // field fails.
            unkeyed += 1;
            if unkeyed > 1 || seen_keyed || !"sra".contains(conversion) {
                return Some((start, "a `%` field without a `(name)`".into()));
            }
        }
    }
    None
}

impl Rule for InvalidLogFormat {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context, out: &mut Vec<Finding>) {
        for key in FORMAT_OPTIONS {
            let Some(entry) = ctx.config.get("DEFAULT", key) else {
                continue;
            };
            let Some((at, why)) = percent_format_error(&entry.value) else {
                continue;
            };
            let end = (at + 2).min(entry.value.len());
            let end = (end..=entry.value.len())
                .find(|&e| entry.value.is_char_boundary(e))
                .unwrap_or(entry.value.len());
            out.push(
                Finding::new(
                    &Self::META,
                    format!("`{key}` is not a valid `%` format: {why}; every log record fails to format and is lost"),
                )
                .on(entry)
                .at(entry.value_subspan(at, end))
                .label("bad `%` field")
                .help("write each field as `%(name)s` (or `%(name)d` ...), and a literal percent sign as `%%`"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::percent_format_error;

    #[test]
    fn like_python() {
        for ok in [
            "%(asctime)s.%(msecs)03d %(process)d %(levelname)s %(name)s [%(global_request_id)s %(request_id)s %(user_identity)s] %(instance)s%(message)s",
            "%(funcName)s %(pathname)s:%(lineno)d",
            "%(asctime)s %(process)d ERROR %(name)s %(instance)s",
            "100%% done %(message)-20.5s",
            "%s %(a)ld",
            "[instance: %(uuid)s] ",
            "plain text",
            "",
        ] {
            assert_eq!(percent_format_error(ok), None, "{ok}");
        }
        for bad in [
            "%(asctime)s %(levelname) %(message)s",
            "%(asctime",
            "%(message)q",
            "50% done %(message)s",
            "trailing %",
            "%(a)*d",
            "%(a)s %d",
            "%s %s",
            "%(a)ld %s",
        ] {
            assert!(percent_format_error(bad).is_some(), "{bad}");
        }
    }
}
