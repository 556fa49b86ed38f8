//! The parser alone: any bytes give a document whose spans lie inside the
//! text, on char boundaries, and whose values are the joined parts.
#![no_main]

use glance_lint::model::parse::parse;
use glance_lint::source::{SourceFile, Span};
use libfuzzer_sys::fuzz_target;

fn check(text: &str, span: Span) {
    assert!(span.start <= span.end && span.end <= text.len(), "{span:?}");
    assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
}

fuzz_target!(|data: &[u8]| {
    let src = SourceFile::from_bytes("glance-api.conf", None, data.to_vec());
    let doc = parse(0, &src);
    let text = src.text.as_str();
    for e in &doc.entries {
        check(text, e.key_span);
        check(text, e.value_span);
        let joined: Vec<&str> = e.parts.iter().map(|p| &text[p.start..p.end]).collect();
        assert_eq!(e.value, joined.join("\n"));
        // Every char boundary of the value maps to a char boundary of the text.
        let bounds: Vec<usize> = (0..=e.value.len())
            .filter(|&i| e.value.is_char_boundary(i))
            .collect();
        for w in bounds.windows(2).take(64) {
            check(text, e.value_subspan(w[0], w[1]));
            check(text, e.value_subspan(w[0], e.value.len()));
        }
    }
    for h in &doc.sections {
        check(text, h.span);
    }
    for err in &doc.errors {
        check(text, err.span);
        let _ = src.line_col(err.span.start);
    }
});
