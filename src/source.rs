//! Source files as read from disk, with byte spans and a line index.

use std::path::{Path, PathBuf};

/// The largest input: what a `u32` line index addresses (and the most
/// `--max-file-size` accepts).
pub const MAX_INPUT_BYTES: u64 = u32::MAX as u64;

/// Index of a [`SourceFile`] inside a [`crate::Workspace`].
pub type FileId = usize;

/// A half-open byte range `start..end` inside one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub file: FileId,
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Self {
        Span { file, start, end }
    }
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
}

/// Where a span starts and ends, as reports show it: 1-based lines and
/// columns (in characters). Resolved while the text is at hand, so that a
/// report made after the text is freed still has every position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Position {
    pub file: FileId,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

/// One input file. `text` is the decoded text; when the bytes were not valid
/// UTF-8, it holds a lossy decoding so the file can still be shown, and
/// `decode_error` says where oslo.config would have stopped.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as the user named it (used in every report).
    pub name: String,
    /// Where it was read from on disk, if anywhere (standard input has none).
    pub disk_path: Option<PathBuf>,
    pub text: String,
    pub decode_error: Option<DecodeError>,
    pub lines: LineIndex,
    released: bool,
}

/// Python's `UnicodeDecodeError`, as oslo.config would raise it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// Byte offset of the first invalid byte in the original bytes.
    pub byte_offset: usize,
    pub byte: u8,
    /// Offset in the lossy `text` where the replacement character stands.
    pub text_offset: usize,
}

impl SourceFile {
    pub fn from_bytes(name: impl Into<String>, disk_path: Option<&Path>, bytes: Vec<u8>) -> Self {
        let (text, decode_error) = match String::from_utf8(bytes) {
            Ok(text) => (text, None),
            Err(err) => {
                let valid = err.utf8_error().valid_up_to();
                let bytes = err.into_bytes();
                let text = String::from_utf8_lossy(&bytes).into_owned();
                let err = DecodeError {
                    byte_offset: valid,
                    byte: bytes[valid],
                    // The valid prefix decodes to itself, so the offset is unchanged.
                    text_offset: valid,
                };
                (text, Some(err))
            }
        };
        let lines = LineIndex::new(&text);
        SourceFile {
            name: name.into(),
            disk_path: disk_path.map(Path::to_path_buf),
            text,
            decode_error,
            lines,
            released: false,
        }
    }

    pub fn from_text(name: impl Into<String>, text: &str) -> Self {
        Self::from_bytes(name, None, text.as_bytes().to_vec())
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.lines.line_of(offset);
        let start = self.lines.start(line);
        let col = self.text[start..floor_char_boundary(&self.text, offset)]
            .chars()
            .count();
        (line + 1, col + 1)
    }

    /// Where `span` (a span of this file) starts and ends.
    pub fn position(&self, span: Span) -> Position {
        debug_assert!(
            !self.released,
            "positions are resolved before the text is freed"
        );
        let (line, column) = self.line_col(span.start);
        let (end_line, end_column) = self.line_col(span.end);
        Position {
            file: span.file,
            line,
            column,
            end_line,
            end_column,
        }
    }

    /// Byte range of the 1-based line `line`, without its line terminator.
    pub fn line_range(&self, line: usize) -> (usize, usize) {
        let start = self.lines.start(line - 1);
        let mut end = if line < self.lines.len() {
            self.lines.start(line)
        } else {
            self.text.len()
        };
        let bytes = self.text.as_bytes();
        while end > start && matches!(bytes[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        (start, end)
    }

    /// Frees the text and its line index once every position has been
    /// resolved (`LintResult::finish`); only `name` and `disk_path` mean
    /// anything afterwards.
    pub fn release_text(&mut self) {
        self.text = String::new();
        self.lines = LineIndex::new("");
        self.released = true;
    }

    /// Whether [`SourceFile::release_text`] has run.
    pub fn is_released(&self) -> bool {
        self.released
    }

    pub fn line_count(&self) -> usize {
        self.lines.len()
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Where each line starts, under Python's universal newlines (`\n`, `\r\n`
/// and a bare `\r`). Offsets are `u32`: inputs are bounded below 4 GiB
/// ([`MAX_INPUT_BYTES`]), and on a file of short lines a `usize` index
/// costs a quarter of the text's own size.
#[derive(Debug, Clone)]
pub struct LineIndex(Vec<u32>);

impl LineIndex {
    pub fn new(text: &str) -> Self {
        assert!(
            text.len() as u64 <= MAX_INPUT_BYTES,
            "inputs are bounded by MAX_INPUT_BYTES"
        );
        let bytes = text.as_bytes();
        let mut starts = Vec::with_capacity(bytes.len() / 32 + 1);
        starts.push(0);
        let mut skip_lf_at = usize::MAX;
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if i == skip_lf_at {
                continue;
            }
            if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                skip_lf_at = i + 1;
                starts.push((i + 2) as u32);
            } else {
                starts.push((i + 1) as u32);
            }
        }
        if starts.len() > 1 && *starts.last().unwrap() as usize == bytes.len() {
            starts.pop();
        }
        starts.shrink_to_fit();
        LineIndex(starts)
    }

    /// The number of lines (at least one, even for an empty text).
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Where the 0-based line `line` starts.
    pub fn start(&self, line: usize) -> usize {
        self.0[line] as usize
    }

    /// The 0-based line holding byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.0
            .partition_point(|&s| s as usize <= offset)
            .saturating_sub(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn universal_newlines() {
        let f = SourceFile::from_text("x", "a\r\nb\rc\nd");
        assert_eq!(f.line_count(), 4);
        assert_eq!(f.line_col(3), (2, 1));
        assert_eq!(f.line_col(5), (3, 1));
        assert_eq!(f.line_range(1), (0, 1));
        assert_eq!(f.line_range(4), (7, 8));
    }

    #[test]
    fn invalid_utf8_position() {
        let f = SourceFile::from_bytes("x", None, b"name = caf\xe9\n".to_vec());
        let e = f.decode_error.clone().unwrap();
        assert_eq!(e.byte_offset, 10);
        assert_eq!(e.byte, 0xe9);
        assert_eq!(f.line_col(e.text_offset), (1, 11));
    }
}
