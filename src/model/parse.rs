//! The line parser: oslo.config's `iniparser.BaseParser` + `cfg.ConfigParser`,
//! reproduced line for line (see `../shared/oslo/parser-semantics.md`), with
//! byte spans for everything it keeps.
//!
//! oslo.config stops at the first error; this parser records that error and
//! carries on, so a linter can still report what follows. Only the first error
//! is what Glance would print.

use super::{Comment, Document, Entry, ParseError, ParseErrorKind, SectionHeader};
use crate::source::{FileId, SourceFile, Span};

/// Python's `str.isspace()` for one char: Rust's Unicode `White_Space` plus
/// the four ASCII separators (0x1c..0x1f) that Python also strips.
pub(crate) fn py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Offsets of `s.trim()` in Python's sense, relative to `s`.
fn py_strip_range(s: &str) -> (usize, usize) {
    let end = s.trim_end_matches(py_space).len();
    let start = end - s[..end].trim_start_matches(py_space).len();
    (start, end)
}

/// `section name` as oslo.config looks it up: lower-cased except exactly `DEFAULT`.
pub fn normalize_section(name: &str) -> String {
    if name == "DEFAULT" {
        name.to_string()
    } else {
        // Python's str.lower() and Rust's to_lowercase() agree on the letters
        // that appear in section names.
        name.to_lowercase()
    }
}

struct Pending {
    key: String,
    key_span: Span,
    line: usize,
    parts: Vec<(usize, usize)>,
    quoted: bool,
}

/// Binary data rather than text with a stray byte: a ZIP archive (a .docx or
/// .odt saved under the config's name) or NUL bytes near the start.
pub fn looks_binary(text: &str) -> bool {
    let head = &text.as_bytes()[..text.len().min(8192)];
    text.starts_with("PK\u{3}\u{4}") || head.contains(&0)
}

pub fn parse(file_id: FileId, src: &SourceFile) -> Document {
    let mut doc = Document {
        file: file_id,
        sections: Vec::new(),
        entries: Vec::new(),
        directive_comments: Vec::new(),
        errors: Vec::new(),
    };
    let text = src.text.as_str();
    // oslo.config reads the file with Python's `open()`: a decode error stops
    // it before the first line is parsed.
    let limit = match &src.decode_error {
        Some(e) => {
            let (line, _) = src.line_col(e.text_offset);
            doc.errors.push(ParseError {
                kind: ParseErrorKind::Decode {
                    byte: e.byte,
                    position: e.byte_offset,
                },
                line,
                span: Span::new(file_id, e.text_offset, e.text_offset + 3),
            });
            if looks_binary(text) {
                // A ZIP, an image, random bytes: nothing in it is a line of
                // configuration, and every "finding" on it would be noise.
                return doc;
            }
            // Keep going over the decodable lines so later rules still see them.
            text.len()
        }
        None => text.len(),
    };

    let mut section: Option<(String, String)> = None; // (raw, normalized)
    let mut pending: Option<Pending> = None;
    let mut in_error_section = false;

    let mut line_no = 0usize;
    let bytes = text.as_bytes();
    // One search of the whole file spares a search of each comment line in
    // the files without a suppression directive (most of them).
    let may_hold_directives = mentions_directive_word(text);
    // The lines as the source's line index found them (universal newlines:
    // a line ends at \n, \r\n or a bare \r).
    for index in 0..src.lines.len() {
        let start = src.lines.start(index);
        if start >= limit {
            break;
        }
        line_no += 1;
        let pos = if index + 1 < src.lines.len() {
            src.lines.start(index + 1)
        } else {
            text.len()
        };
        let end = if bytes[start..pos].ends_with(b"\r\n") {
            pos - 2
        } else if bytes[start..pos].ends_with(b"\n") || bytes[start..pos].ends_with(b"\r") {
            pos - 1
        } else {
            pos
        };
        let mut start = start;
        if line_no == 1 && text.starts_with('\u{feff}') {
            // oslo.config reads the byte-order mark as part of the first line
            // and fails; report that, then read the line without it.
            let rest = text[3..end].trim_end_matches(py_space);
            let kind = if rest.contains([':', '=']) {
                // An assignment of the key `\u{feff}...`, before any section:
                // refused when the next non-continuation line flushes it.
                ParseErrorKind::NoSection {
                    flush_line: flush_line_after(bytes, pos, 1),
                }
            } else {
                ParseErrorKind::NoSeparator
            };
            doc.errors.push(ParseError {
                kind,
                line: 1,
                span: Span::new(file_id, 0, 3 + rest.len()),
            });
            start = 3;
        }
        let raw = &text[start..end];
        let line = raw.trim_end_matches(py_space);
        let line_end = start + line.len();

        if line.is_empty() {
            flush(
                text,
                &mut doc,
                &mut pending,
                &section,
                in_error_section,
                line_no,
            );
            continue;
        }
        if line.starts_with([' ', '\t']) {
            match pending.as_mut() {
                Some(p) => {
                    let content = line.trim_start_matches(py_space);
                    p.parts.push((line_end - content.len(), line_end));
                }
                None => doc.errors.push(ParseError {
                    kind: ParseErrorKind::UnexpectedContinuation,
                    line: line_no,
                    span: Span::new(file_id, start, line_end),
                }),
            }
            continue;
        }
        flush(
            text,
            &mut doc,
            &mut pending,
            &section,
            in_error_section,
            line_no,
        );

        if line.starts_with('[') {
            let kind = if !line.ends_with(']') {
                Some(ParseErrorKind::SectionNotClosed)
            } else if line.len() <= 2 {
                Some(ParseErrorKind::EmptySectionName)
            } else {
                None
            };
            match kind {
                Some(kind) => {
                    doc.errors.push(ParseError {
                        kind,
                        line: line_no,
                        span: Span::new(file_id, start, line_end),
                    });
                    // Recover `[name] junk` as `[name]` so the rules still see
                    // the options below; anything else cannot be placed.
                    match line.find(']').filter(|&i| i > 1) {
                        Some(close) => {
                            let raw_name = &line[1..close];
                            section = Some((raw_name.to_string(), normalize_section(raw_name)));
                            in_error_section = false;
                        }
                        None => in_error_section = true,
                    }
                }
                None => {
                    let raw_name = &line[1..line.len() - 1];
                    let normalized = normalize_section(raw_name);
                    doc.sections.push(SectionHeader {
                        raw_name: raw_name.to_string(),
                        name: normalized.clone(),
                        line: line_no,
                        span: Span::new(file_id, start, line_end),
                        name_span: Span::new(file_id, start + 1, line_end - 1),
                    });
                    section = Some((raw_name.to_string(), normalized));
                    in_error_section = false;
                }
            }
        } else if line.starts_with(['#', ';']) {
            if may_hold_directives && mentions_directive_word(line) {
                doc.directive_comments.push(Comment {
                    line: line_no,
                    span: Span::new(file_id, start, line_end),
                });
            }
        } else {
            let (sep, _) = match (line.find(':'), line.find('=')) {
                (None, None) => {
                    doc.errors.push(ParseError {
                        kind: ParseErrorKind::NoSeparator,
                        line: line_no,
                        span: Span::new(file_id, start, line_end),
                    });
                    continue;
                }
                (Some(c), Some(e)) if e < c => (e, '='),
                (None, Some(e)) => (e, '='),
                (Some(c), _) => (c, ':'),
            };
            let (ks, ke) = py_strip_range(&line[..sep]);
            let after = &line[sep + 1..];
            let (vs, ve) = py_strip_range(after);
            let mut v_start = start + sep + 1 + vs;
            let mut v_end = start + sep + 1 + ve;
            let value = &text[v_start..v_end];
            let mut quoted = false;
            if let Some(first) = value.chars().next() {
                if (first == '"' || first == '\'') && value.ends_with(first) {
                    // A lone quote is both the first and the last char: ''.
                    if value.len() == 1 {
                        v_end = v_start;
                    } else {
                        v_start += 1;
                        v_end -= 1;
                    }
                    quoted = true;
                }
            }
            if ks == ke {
                doc.errors.push(ParseError {
                    kind: ParseErrorKind::EmptyKey,
                    line: line_no,
                    span: Span::new(file_id, start, line_end),
                });
                continue;
            }
            pending = Some(Pending {
                key: line[ks..ke].to_string(),
                key_span: Span::new(file_id, start + ks, start + ke),
                line: line_no,
                parts: vec![(v_start, v_end)],
                quoted,
            });
        }
    }
    flush(
        text,
        &mut doc,
        &mut pending,
        &section,
        in_error_section,
        line_no,
    );
    doc
}

/// The line that ends an assignment made on line `line` (whose next line
/// starts at byte `pos`): the next blank or unindented line, or the last
/// line at the end of the file.
fn flush_line_after(bytes: &[u8], mut pos: usize, mut line: usize) -> usize {
    let text = std::str::from_utf8(bytes).unwrap_or_default();
    while pos < bytes.len() {
        line += 1;
        let mut end = pos;
        while end < bytes.len() && bytes[end] != b'\n' && bytes[end] != b'\r' {
            end += 1;
        }
        let content = text.get(pos..end).unwrap_or_default();
        if !content.starts_with([' ', '\t']) || content.trim_end_matches(py_space).is_empty() {
            return line;
        }
        pos = end
            + match (bytes.get(end), bytes.get(end + 1)) {
                (Some(b'\r'), Some(b'\n')) => 2,
                (Some(_), _) => 1,
                (None, _) => 0,
            };
    }
    line
}

fn flush(
    text: &str,
    doc: &mut Document,
    pending: &mut Option<Pending>,
    section: &Option<(String, String)>,
    in_error_section: bool,
    flush_line: usize,
) {
    let Some(p) = pending.take() else { return };
    let file = p.key_span.file;
    let Some((raw, normalized)) = section else {
        doc.errors.push(ParseError {
            kind: ParseErrorKind::NoSection { flush_line },
            line: p.line,
            span: p.key_span,
        });
        return;
    };
    if in_error_section {
        return;
    }
    let value = p
        .parts
        .iter()
        .map(|&(s, e)| &text[s..e])
        .collect::<Vec<_>>()
        .join("\n");
    let first = p.parts[0];
    let last = *p.parts.last().unwrap();
    doc.entries.push(Entry {
        section: normalized.clone(),
        section_raw: raw.clone(),
        key: p.key,
        key_span: p.key_span,
        value,
        value_span: Span::new(file, first.0, last.1),
        parts: p
            .parts
            .iter()
            .map(|&(s, e)| Span::new(file, s, e))
            .collect(),
        part_offsets: p
            .parts
            .iter()
            .scan(0, |base, &(s, e)| {
                let at = *base;
                *base += e - s + 1;
                Some(at)
            })
            .collect(),
        quoted: p.quoted,
        line: p.line,
    });
}

/// Whether a comment holds the word every suppression directive holds
/// (`glance-lint`, see `suppress`): the parser keeps only those comments.
/// The searcher is built once, not per comment line (building it cost more
/// than the whole parse).
pub fn mentions_directive_word(comment: &str) -> bool {
    static FINDER: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new("glance-lint"));
    FINDER.find(comment.as_bytes()).is_some()
}
