//! Fixes: the text edits a finding may carry (the vocabulary; the loop
//! that applies them is `autofix`). Rules build their edits from the
//! model's spans (never by re-reading the raw text); the helpers here only
//! find line starts and line breaks around those spans.

pub use crate::meta::Applicability;
use crate::source::{Position, SourceFile, Span};

/// One replacement of a byte range of one file (`span.file`); an empty span
/// inserts, an empty `content` deletes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub content: String,
    /// Where `span` is, resolved while the text is at hand (as a finding's).
    pub position: Option<Position>,
}

impl Edit {
    pub fn replace(span: Span, content: impl Into<String>) -> Self {
        Edit {
            span,
            content: content.into(),
            position: None,
        }
    }

    pub fn delete(span: Span) -> Self {
        Edit::replace(span, "")
    }

    pub fn insert(file: usize, at: usize, content: impl Into<String>) -> Self {
        Edit::replace(Span::new(file, at, at), content)
    }
}

/// A fix: what it does, in words, how far it may be trusted, and its edits
/// (in any order; they never overlap each other).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub applicability: Applicability,
    pub message: String,
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn safe(message: impl Into<String>, edits: Vec<Edit>) -> Self {
        Fix {
            applicability: Applicability::Safe,
            message: message.into(),
            edits,
        }
    }

    pub fn unsafe_(message: impl Into<String>, edits: Vec<Edit>) -> Self {
        Fix {
            applicability: Applicability::Unsafe,
            message: message.into(),
            edits,
        }
    }

    /// Whether any edit of this fix overlaps one of `taken` (an insertion
    /// at the start of another edit counts: their order would be a guess).
    pub fn conflicts(&self, taken: &[Edit]) -> bool {
        self.edits.iter().any(|a| {
            taken.iter().any(|b| {
                a.span.file == b.span.file
                    && ((a.span.start < b.span.end && b.span.start < a.span.end)
                        || a.span.start == b.span.start)
            })
        })
    }
}

/// The whole lines `span` touches, from the start of its first line to the
/// start of the line after its last (the end of the file for the last line):
/// what deleting an assignment or a comment line removes.
pub fn whole_lines(src: &SourceFile, span: Span) -> Span {
    let start = line_start(src, span.start);
    let last = src
        .lines
        .line_of(span.end.saturating_sub(1).max(span.start));
    let end = if last + 1 < src.lines.len() {
        src.lines.start(last + 1)
    } else {
        src.text.len()
    };
    Span::new(span.file, start, end)
}

/// Where the line holding `offset` starts.
pub fn line_start(src: &SourceFile, offset: usize) -> usize {
    src.lines.start(src.lines.line_of(offset))
}

/// The line break the line holding `offset` ends with (`\r\n`, `\n` or
/// `\r`), or, on a last line without one, the one the line before ends
/// with; `\n` in a file of one line. New lines a fix writes use it, so a
/// CRLF file stays CRLF.
pub fn line_ending(src: &SourceFile, offset: usize) -> &'static str {
    let ending_of = |line: usize| {
        let end = if line + 1 < src.lines.len() {
            src.lines.start(line + 1)
        } else {
            src.text.len()
        };
        let text = &src.text.as_bytes()[src.lines.start(line)..end];
        if text.ends_with(b"\r\n") {
            Some("\r\n")
        } else if text.ends_with(b"\n") {
            Some("\n")
        } else if text.ends_with(b"\r") {
            Some("\r")
        } else {
            None
        }
    };
    let line = src.lines.line_of(offset);
    ending_of(line)
        .or_else(|| line.checked_sub(1).and_then(ending_of))
        .unwrap_or("\n")
}

/// The edits that cut an assignment's value on its key line after its first
/// `keep` bytes (to the end of the line) and, when `comment` is given, write
/// it on its own line above the assignment: a line starting with `#` in the
/// first column, which oslo.config skips. `None` for a value it cannot do
/// this to safely: one with continuation lines or outer quotes, or a comment
/// that would read as a suppression directive.
pub fn cut_value(
    src: &SourceFile,
    entry: &crate::model::Entry,
    keep: usize,
    comment: Option<&str>,
) -> Option<Vec<Edit>> {
    if entry.parts.len() != 1 || entry.quoted || keep == 0 || keep > entry.value.len() {
        return None;
    }
    let file = entry.key_span.file;
    let cut = entry.value_subspan(keep, keep).start;
    let (_, line_end) = src.line_range(entry.line);
    if cut > line_end {
        return None;
    }
    let mut edits = vec![Edit::delete(Span::new(file, cut, line_end))];
    if let Some(comment) = comment {
        let comment = comment.trim();
        if comment.to_ascii_lowercase().contains("glance-lint") {
            return None;
        }
        let line = if comment.starts_with(['#', ';']) {
            comment.to_string()
        } else {
            format!("# {comment}")
        };
        let at = line_start(src, entry.key_span.start);
        edits.push(Edit::insert(
            file,
            at,
            format!("{line}{}", line_ending(src, at)),
        ));
    }
    Some(edits)
}

/// Splices `edits` (non-overlapping, of one file) into `text`.
pub fn splice(text: &str, edits: &[&Edit]) -> String {
    let mut edits = edits.to_vec();
    edits.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for e in edits {
        let (start, end) = (e.span.start.min(text.len()), e.span.end.min(text.len()));
        if start < last || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            // Overlapping or off a character: a bug in a rule, never applied.
            continue;
        }
        out.push_str(&text[last..start]);
        out.push_str(&e.content);
        last = end;
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_lines_and_endings() {
        let src = SourceFile::from_text("t", "a = 1\r\nb = 2\r\nc = 3");
        let b = Span::new(0, 7, 8);
        assert_eq!(whole_lines(&src, b), Span::new(0, 7, 14));
        assert_eq!(line_ending(&src, 7), "\r\n");
        // The last line has none: the one before's.
        assert_eq!(line_ending(&src, 15), "\r\n");
        let c = Span::new(0, 14, 15);
        assert_eq!(whole_lines(&src, c), Span::new(0, 14, 19));
        assert_eq!(line_ending(&SourceFile::from_text("t", "x"), 0), "\n");
    }

    #[test]
    fn splice_applies_in_order() {
        let edits = [
            Edit::replace(Span::new(0, 4, 5), "Z"),
            Edit::insert(0, 0, "# x\n"),
            Edit::delete(Span::new(0, 6, 8)),
        ];
        let refs: Vec<&Edit> = edits.iter().collect();
        assert_eq!(splice("a = 1\nbb", &refs), "# x\na = Z\n");
    }

    #[test]
    fn conflicting_fixes_wait() {
        let taken = vec![Edit::delete(Span::new(0, 2, 6))];
        let overlapping = Fix::safe("x", vec![Edit::delete(Span::new(0, 5, 8))]);
        let touching = Fix::safe("x", vec![Edit::delete(Span::new(0, 6, 8))]);
        let same_start = Fix::safe("x", vec![Edit::insert(0, 2, "y")]);
        assert!(overlapping.conflicts(&taken));
        assert!(!touching.conflicts(&taken));
        assert!(same_start.conflicts(&taken));
    }
}
