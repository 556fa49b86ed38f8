//! The few lines of a source a human report shows for one finding, made safe
//! to print: long lines cut around the span, tall spans cut to a few lines,
//! and control characters (a terminal escape in a hostile file) shown as
//! symbols. Rendering from an excerpt also keeps miette from scanning the
//! whole file for every finding.

use crate::source::LineIndex;
use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

/// Longest line shown, in bytes (a 20 MB line is cut to this, around the span).
pub const MAX_LINE: usize = 200;
/// Most lines of one span shown (a value of 500,000 continuation lines).
pub const MAX_SPAN_LINES: usize = 8;
/// Bytes shown before the span when a long line is cut.
const LEAD: usize = 40;
const CUT: &str = "…";

/// Replaces the characters a terminal would act on (C0 and C1 controls
/// except tab and newlines, DEL, bidirectional overrides) with visible ones.
pub fn sanitize(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    push_sanitized(&mut out, s);
    std::borrow::Cow::Owned(out)
}

fn is_unsafe(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn push_sanitized(out: &mut String, s: &str) {
    for c in s.chars() {
        if !is_unsafe(c) {
            out.push(c);
        } else if (c as u32) < 0x20 {
            // U+2400 CONTROL PICTURES: ␀ ␁ ... ␛ ...
            out.push(char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'));
        } else if c == '\u{7f}' {
            out.push('\u{2421}');
        } else {
            out.push('\u{fffd}');
        }
    }
}

/// A named excerpt of a source, with the label span inside it.
#[derive(Debug)]
pub struct Excerpt {
    name: String,
    text: String,
    /// 0-based line number of the excerpt's first line in the source.
    first_line: usize,
    /// The label's excerpt-relative line, and its byte column in the source.
    label_line: usize,
    label_column: usize,
    /// The label's byte range inside `text`.
    pub label: (usize, usize),
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Content end (before `\r`/`\n`) and full end of the line starting at `start`.
fn line_end(text: &str, lines: &LineIndex, line: usize) -> (usize, usize) {
    let full = if line + 1 < lines.len() {
        lines.start(line + 1)
    } else {
        text.len()
    };
    let bytes = text.as_bytes();
    let mut content = full;
    while content > lines.start(line) && matches!(bytes[content - 1], b'\n' | b'\r') {
        content -= 1;
    }
    (content, full)
}

impl Excerpt {
    /// `text` is the (redacted) source, `lines` its line index, `start..end`
    /// the span; one line of context is kept on each side, as miette does.
    pub fn new(name: &str, text: &str, lines: &LineIndex, start: usize, end: usize) -> Self {
        let line_of = |o: usize| lines.line_of(o);
        let start = start.min(text.len());
        let l0 = line_of(start);
        let mut l1 = line_of(end.saturating_sub(1).max(start));
        if l1 >= l0 + MAX_SPAN_LINES {
            l1 = l0 + MAX_SPAN_LINES - 1;
        }
        let start = start.min(line_end(text, lines, l0).0);
        let end = end.clamp(start, line_end(text, lines, l1).0.max(start));
        let first = l0.saturating_sub(1);
        let last = (l1 + 1).min(lines.len() - 1);

        let mut out = String::new();
        let (mut label_start, mut label_end) = (0, 0);
        for line in first..=last {
            let line_start = lines.start(line);
            let (content_end, full_end) = line_end(text, lines, line);
            let (mut win_start, mut win_end) = (line_start, content_end);
            if content_end - line_start > MAX_LINE {
                if line == l0 && start - line_start > MAX_LINE - LEAD {
                    win_start = floor_boundary(text, start - LEAD);
                }
                win_end = floor_boundary(text, win_start + MAX_LINE);
                if line == l0 && win_end <= win_start {
                    win_end = content_end;
                }
            }
            if win_start > line_start {
                out.push_str(CUT);
            }
            // Emit the window in pieces split where the label starts and ends.
            let mut pos = win_start;
            let mut marks = Vec::with_capacity(2);
            if line == l0 {
                marks.push((start.clamp(win_start, win_end), true));
            }
            if line == l1 {
                marks.push((end.clamp(win_start, win_end), false));
            }
            for (mark, is_start) in marks {
                push_sanitized(&mut out, &text[pos..mark.max(pos)]);
                pos = mark.max(pos);
                if is_start {
                    label_start = out.len();
                } else {
                    label_end = out.len();
                }
            }
            push_sanitized(&mut out, &text[pos..win_end]);
            if win_end < content_end {
                out.push_str(CUT);
            }
            out.push_str(&text[content_end..full_end]);
        }
        label_end = label_end.max(label_start);
        Excerpt {
            name: sanitize(name).into_owned(),
            text: out,
            first_line: first,
            label_line: l0 - first,
            label_column: start - lines.start(l0),
            label: (label_start, label_end),
        }
    }
}

impl Excerpt {
    /// The same excerpt, cut from a text that starts at 0-based line `line`
    /// of the source (its line numbers are the source's).
    pub fn starting_at_line(mut self, line: usize) -> Self {
        self.first_line += line;
        self
    }
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.text.as_str().read_span(span, before, after)?;
        // miette's column is a byte column of the source: report the
        // original one, not the one in the cut line.
        let column = if before == 0 && inner.line() == self.label_line {
            self.label_column
        } else {
            inner.column()
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line() + self.first_line,
            column,
            inner.line_count(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn starts(t: &str) -> LineIndex {
        LineIndex::new(t)
    }

    #[test]
    fn short_lines_are_kept_whole() {
        let t = "[a]\nkey = value\nx = 1\ny = 2\n";
        let s = t.find("value").unwrap();
        let e = Excerpt::new("f", t, &starts(t), s, s + 5);
        assert_eq!(e.text, "[a]\nkey = value\nx = 1\n");
        assert_eq!(&e.text[e.label.0..e.label.1], "value");
        assert_eq!(e.first_line, 0);
    }

    #[test]
    fn long_line_is_cut_around_the_span() {
        let t = format!("[a]\nk = {}SPAN{}\n", "x".repeat(5000), "y".repeat(5000));
        let s = t.find("SPAN").unwrap();
        let e = Excerpt::new("f", &t, &starts(&t), s, s + 4);
        assert!(e.text.len() < 2 * MAX_LINE, "{}", e.text.len());
        assert_eq!(&e.text[e.label.0..e.label.1], "SPAN");
        assert!(e.text.contains("…x") && e.text.contains("y…"));
        assert_eq!(e.label_column, s - 4);
    }

    #[test]
    fn tall_span_is_cut_to_a_few_lines() {
        let t = format!("[a]\nk = v\n{}", "  more\n".repeat(100_000));
        let s = t.find('v').unwrap();
        let e = Excerpt::new("f", &t, &starts(&t), s, t.len() - 1);
        assert_eq!(e.text.lines().count(), MAX_SPAN_LINES + 2);
        assert!(e.label.1 > e.label.0);
    }

    #[test]
    fn control_characters_are_shown_not_sent() {
        let t = "[a]\nk = \u{1b}[31mred\u{7}\0\u{202e}\n";
        let s = t.find('\u{1b}').unwrap();
        let e = Excerpt::new("f", t, &starts(t), s, t.len() - 1);
        assert!(!e.text.chars().any(is_unsafe), "{:?}", e.text);
        assert!(e.text.contains("␛[31mred␇␀\u{fffd}"));
        assert_eq!(sanitize("a\u{9b}b\tc"), "a\u{fffd}b\tc");
    }
}
