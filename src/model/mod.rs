//! The parsed model: documents (one per file) and the effective configuration
//! (several files merged the way oslo.config merges them).

pub mod known;
mod merge;
pub mod parse;
pub mod url_secrets;
pub mod views;

pub use merge::{EffectiveConfig, EntryRef};

use crate::source::{FileId, Span};

/// One file as oslo.config's parser reads it.
#[derive(Debug, Clone)]
pub struct Document {
    pub file: FileId,
    pub sections: Vec<SectionHeader>,
    /// Every `key = value` assignment, in file order (duplicates included).
    pub entries: Vec<Entry>,
    /// The full-line comments (`#` or `;` at column 0) that mention
    /// `glance-lint`: suppression directives. Other comments are not kept:
    /// nothing reads them, and sample files are mostly comment lines (a
    /// record each cost 40 MB on a 50 MB file).
    pub directive_comments: Vec<Comment>,
    /// Every line oslo.config would refuse; the first is the one Glance prints.
    pub errors: Vec<ParseError>,
}

#[derive(Debug, Clone)]
pub struct SectionHeader {
    /// The name between the brackets, as written.
    pub raw_name: String,
    /// The group name oslo.config looks up (lower-cased except `DEFAULT`).
    pub name: String,
    pub line: usize,
    pub span: Span,
    pub name_span: Span,
}

#[derive(Debug, Clone)]
pub struct Entry {
    /// Normalized section (group) name.
    pub section: String,
    pub section_raw: String,
    pub key: String,
    pub key_span: Span,
    /// The value oslo.config stores: outer quotes removed, continuation lines
    /// joined with `\n`.
    pub value: String,
    /// From the first value byte on the key line to the end of the last
    /// continuation line.
    pub value_span: Span,
    /// One span per physical line of the value (the key line first).
    pub parts: Vec<Span>,
    /// Where each part starts in `value` (parts are joined by one `\n`).
    pub part_offsets: Vec<usize>,
    /// One pair of outer quotes was removed from the first line.
    pub quoted: bool,
    /// 1-based line of the key.
    pub line: usize,
}

impl Entry {
    /// The value on the key line alone (before any continuation).
    pub fn first_part(&self) -> Span {
        self.parts[0]
    }
}

#[derive(Debug, Clone)]
pub struct Comment {
    pub line: usize,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub kind: ParseErrorKind,
    pub line: usize,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseErrorKind {
    /// Python's `UnicodeDecodeError` while reading the file.
    Decode {
        byte: u8,
        position: usize,
    },
    NoSeparator,
    EmptyKey,
    UnexpectedContinuation,
    SectionNotClosed,
    EmptySectionName,
    /// A key before any `[section]`; oslo.config reports it at `flush_line`
    /// (the line that ended the assignment) with an empty line text.
    NoSection {
        flush_line: usize,
    },
}

impl ParseErrorKind {
    /// oslo.config's own wording (iniparser.py / cfg.py).
    pub fn oslo_message(&self) -> String {
        match self {
            ParseErrorKind::Decode { byte, position } => {
                format!("'utf-8' codec can't decode byte 0x{byte:02x} in position {position}")
            }
            ParseErrorKind::NoSeparator => "No ':' or '=' found in assignment".into(),
            ParseErrorKind::EmptyKey => "Key cannot be empty".into(),
            ParseErrorKind::UnexpectedContinuation => "Unexpected continuation line".into(),
            ParseErrorKind::SectionNotClosed => "Invalid section (must end with ])".into(),
            ParseErrorKind::EmptySectionName => "Empty section name".into(),
            ParseErrorKind::NoSection { .. } => "Section must be started before assignment".into(),
        }
    }
}

impl Document {
    /// Entries of one (normalized) section, in file order.
    pub fn section_entries<'a>(&'a self, section: &'a str) -> impl Iterator<Item = &'a Entry> + 'a {
        self.entries.iter().filter(move |e| e.section == section)
    }
}

impl Entry {
    /// The source span of `value[start..end]`, mapped through quote removal
    /// and continuation lines (each part is joined to the next by one `\n`).
    pub fn value_subspan(&self, start: usize, end: usize) -> Span {
        // The first part that ends after `offset` (at or after it, for an
        // end), found by binary search: a value may have 500,000 lines.
        let map = |offset: usize, is_end: bool| {
            let (mut lo, mut hi) = (0, self.parts.len());
            while lo < hi {
                let mid = (lo + hi) / 2;
                let part_end = self.part_offsets[mid] + self.parts[mid].len();
                if part_end < offset || (!is_end && part_end == offset) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            // An offset on a joining `\n` starts at the next part (it used to
            // map one byte before it: inside a multi-byte space, found by
            // fuzzing).
            match self.parts.get(lo) {
                Some(part) => part.start + offset.saturating_sub(self.part_offsets[lo]),
                None => self.value_span.end,
            }
        };
        Span::new(
            self.value_span.file,
            map(start, false),
            map(end, true).max(map(start, false)),
        )
    }
}

#[cfg(test)]
mod tests {
    use crate::source::SourceFile;

    /// The straightforward linear mapping the binary search must agree with
    /// (an offset on a joining `\n` maps to the start of the next part).
    fn linear(entry: &super::Entry, offset: usize, is_end: bool) -> usize {
        let mut base = 0;
        for part in &entry.parts {
            let len = part.len();
            if offset < base + len || (is_end && offset == base + len) {
                return part.start + offset.saturating_sub(base);
            }
            base += len + 1;
        }
        entry.value_span.end
    }

    #[test]
    fn value_subspan_maps_every_offset_through_continuations() {
        let text = "[a]\nk = 'ab'\n   cde\n\tf\n  gh\nz = 1\n";
        let src = SourceFile::from_text("t", text);
        let doc = super::parse::parse(0, &src);
        let e = &doc.entries[0];
        assert_eq!(e.value, "ab\ncde\nf\ngh");
        for start in 0..=e.value.len() + 2 {
            for end in start..=e.value.len() + 2 {
                let got = e.value_subspan(start, end);
                let want_start = linear(e, start, false);
                assert_eq!(got.start, want_start, "{start}..{end}");
                assert_eq!(got.end, linear(e, end, true).max(want_start));
            }
        }
        let f = e.value_subspan(3, 6);
        assert_eq!(&text[f.start..f.end], "cde");
    }

    /// Found by fuzzing: a continuation indented with a no-break space.
    #[test]
    fn value_subspan_stays_on_char_boundaries() {
        let text = "[a]\nk = v\n    \u{a0}w\n";
        let doc = super::parse::parse(0, &SourceFile::from_text("t", text));
        let e = &doc.entries[0];
        assert_eq!(e.value, "v\nw");
        for start in 0..=e.value.len() {
            let span = e.value_subspan(start, e.value.len());
            assert!(text.is_char_boundary(span.start), "{start}: {span:?}");
        }
        assert_eq!(e.value_subspan(1, 3).start, text.find('w').unwrap());
    }

    /// Found by the differential property test: oslo.config reads a BOM line
    /// with `=` as an assignment and refuses it where it is flushed.
    #[test]
    fn bom_assignment_is_refused_at_its_flush_line() {
        for (text, flush) in [
            ("\u{feff}a = 1\n  more\n[DEFAULT]\n", 3),
            ("\u{feff}a = 1\n\n", 2),
            ("\u{feff}a = 1\n  more", 2),
            ("\u{feff}a = 1", 1),
        ] {
            let doc = super::parse::parse(0, &SourceFile::from_text("t", text));
            assert_eq!(
                doc.errors[0].kind,
                super::ParseErrorKind::NoSection { flush_line: flush },
                "{text:?}"
            );
        }
    }
}
