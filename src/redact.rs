//! The one place that masks secrets before any reporter sees text.
//!
//! A secret is the value of an option whose name says it is one (password,
//! secret, key, token ...), the password inside any URL, and on a line
//! oslo.config could not parse, whatever follows a secret-looking word. The
//! redactor masks them in the source text shown to users (mapping spans onto
//! the masked text) and, as a safety net, in every message and help.

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;
use regex::Regex;

use crate::model::{views::url_password_ranges, EffectiveConfig, Entry};
use crate::source::{SourceFile, Span};

pub const MASK: &str = "***";

/// Option names whose whole value is secret.
pub fn is_secret_option(key: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"(?i)(pass(word|wd)?|secret|token|(^|_)key$|credential|^key$)")
            .expect("valid regex")
    });
    // Options that name a file or an id, not a secret value.
    let not_secret = key.ends_with("_file")
        || key.ends_with("_id")
        || key.ends_with("_name")
        || key.ends_with("_path")
        || key.ends_with("keyfile")
        || key.starts_with("token_")
        || key == "token_cache_time";
    re.is_match(key) && !not_secret
}

#[derive(Debug, Clone, Default)]
pub struct Redactor {
    /// Per file: sorted, non-overlapping byte ranges to mask.
    ranges: Vec<Vec<(usize, usize)>>,
    /// Per file: how much masking shifted the text before each range.
    shifts: Vec<Vec<isize>>,
    /// Every secret string (3 chars or more), masked wherever it appears in
    /// text; one automaton, so a file with 100,000 passwords costs no more
    /// per message than a file with one.
    secrets: Option<AhoCorasick>,
}

impl Redactor {
    pub fn new(sources: &[SourceFile], config: &EffectiveConfig) -> Self {
        let mut ranges: Vec<Vec<(usize, usize)>> = vec![Vec::new(); sources.len()];
        let mut secrets = Vec::new();
        let mut add = |span: Span, ranges: &mut Vec<Vec<(usize, usize)>>| {
            if span.is_empty() {
                return;
            }
            ranges[span.file].push((span.start, span.end));
            let text = &sources[span.file].text[span.start..span.end];
            for line in text.lines() {
                let line = line.trim();
                if !line.is_empty() {
                    secrets.push(line.to_string());
                }
            }
        };
        for entry in config.entries() {
            for span in secret_spans(entry) {
                add(span, &mut ranges);
            }
        }
        for doc in &config.docs {
            for err in &doc.errors {
                let (start, end) = (err.span.start, err.span.end);
                let text = &sources[doc.file].text[start..end];
                if let Some(offset) = secret_tail(text) {
                    add(Span::new(doc.file, start + offset, end), &mut ranges);
                }
            }
        }
        let mut shifts = Vec::with_capacity(ranges.len());
        for r in &mut ranges {
            r.sort();
            merge_overlapping(r);
            let mut shift = 0isize;
            shifts.push(
                r.iter()
                    .map(|&(s, e)| {
                        let before = shift;
                        shift += MASK.len() as isize - (e - s) as isize;
                        before
                    })
                    .collect(),
            );
        }
        // Short secrets would mask ordinary words; rules never quote a value
        // of a secret option, so this is only the safety net.
        secrets.retain(|s| s.chars().count() >= 3);
        secrets.sort();
        secrets.dedup();
        let secrets = (!secrets.is_empty())
            .then(|| AhoCorasick::new(&secrets).ok())
            .flatten();
        Redactor {
            ranges,
            shifts,
            secrets,
        }
    }

    /// Masks every known secret inside free text (messages, help, errors);
    /// overlapping or adjacent secrets become one mask.
    pub fn text(&self, s: &str) -> String {
        let Some(ac) = &self.secrets else {
            return s.to_string();
        };
        let mut found: Vec<(usize, usize)> = ac
            .find_overlapping_iter(s)
            .map(|m| (m.start(), m.end()))
            .collect();
        if found.is_empty() {
            return s.to_string();
        }
        found.sort();
        merge_overlapping(&mut found);
        let mut out = String::with_capacity(s.len());
        let mut last = 0;
        for (start, end) in found {
            out.push_str(&s[last..start]);
            out.push_str(MASK);
            last = end;
        }
        out.push_str(&s[last..]);
        out
    }

    /// The file's text with secrets masked, for showing source lines.
    pub fn source(&self, file: usize, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for &(s, e) in &self.ranges[file] {
            out.push_str(&text[last..s]);
            // Keep line breaks so line numbers stay right.
            let breaks: String = text[s..e]
                .chars()
                .filter(|&c| c == '\n' || c == '\r')
                .collect();
            out.push_str(MASK);
            out.push_str(&breaks);
            last = e;
        }
        out.push_str(&text[last..]);
        out
    }

    /// Maps an offset of the original text onto the masked text.
    pub fn map_offset(&self, file: usize, offset: usize) -> usize {
        let (ranges, shifts) = (&self.ranges[file], &self.shifts[file]);
        // Ranges starting before `offset`; all but the last end before it.
        let k = ranges.partition_point(|&(s, _)| s < offset);
        if k > 0 && offset < ranges[k - 1].1 {
            // Inside a secret: point into the mask.
            let s = ranges[k - 1].0;
            return (s as isize + shifts[k - 1] + (offset - s).min(MASK.len()) as isize) as usize;
        }
        let shift = match ranges.get(k.wrapping_sub(1)) {
            Some(&(s, e)) => shifts[k - 1] + MASK.len() as isize - (e - s) as isize,
            None => 0,
        };
        (offset as isize + shift) as usize
    }

    pub fn map_span(&self, span: Span) -> Span {
        let start = self.map_offset(span.file, span.start);
        let end = self.map_offset(span.file, span.end).max(start);
        Span::new(span.file, start, end)
    }
}

/// The spans of an assignment that must never be shown.
pub fn secret_spans(entry: &Entry) -> Vec<Span> {
    let url_ranges = url_password_ranges(&entry.value);
    if is_secret_option(&entry.key) && url_ranges.is_empty() {
        return vec![entry.value_span];
    }
    url_ranges
        .into_iter()
        .map(|(s, e)| entry.value_subspan(s, e))
        .collect()
}

/// On a line oslo.config could not parse: where a secret may start
/// (after `password`, `secret`, `token` ... and any separator).
fn secret_tail(line: &str) -> Option<usize> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"(?i)(pass(word|wd)?|secret|token|key)\S*[\s:=]*").expect("valid regex")
    });
    if let Some((s, _)) = url_password_ranges(line).first() {
        return Some(*s);
    }
    re.find(line)
        .map(|m| m.end())
        .filter(|&end| end < line.len())
}

fn merge_overlapping(ranges: &mut Vec<(usize, usize)>) {
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
    for &(s, e) in ranges.iter() {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    *ranges = merged;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::effective_config;

    fn redactor(text: &str) -> (Vec<SourceFile>, Redactor) {
        let sources = vec![SourceFile::from_text("t.conf", text)];
        let cfg = effective_config(&sources);
        let r = Redactor::new(&sources, &cfg);
        (sources, r)
    }

    #[test]
    fn masks_passwords_urls_and_garbage() {
        let text = "[keystone_authtoken]\npassword = s3cret\n  more\n[database]\nconnection = mysql+pymysql://glance:dbpw1@ctl/glance\n[x]\npassword hunter22\n";
        let (sources, r) = redactor(text);
        let shown = r.source(0, &sources[0].text);
        for secret in ["s3cret", "more", "dbpw1", "hunter22"] {
            assert!(!shown.contains(secret), "{secret} leaked in {shown}");
        }
        assert_eq!(shown.lines().count(), text.lines().count());
        assert!(shown.contains("mysql+pymysql://glance:***@ctl/glance"));
        assert_eq!(r.text("the value s3cret is bad"), "the value *** is bad");
    }

    #[test]
    fn maps_spans_after_masks() {
        let text = "[a]\npassword = longsecret\nx = 1\n";
        let (sources, r) = redactor(text);
        let shown = r.source(0, &sources[0].text);
        let x = text.find("x = 1").unwrap();
        assert_eq!(&shown[r.map_offset(0, x)..r.map_offset(0, x) + 5], "x = 1");
    }

    #[test]
    fn map_offset_agrees_with_a_linear_walk() {
        let text = "[a]\npassword = longsecret\nx = 1\nadmin_password = ab\ntransport_url = rabbit://u:pw123@h,v:p@g/\ny = 2\n";
        let (_, r) = redactor(text);
        assert_eq!(r.ranges[0].len(), 4);
        for offset in 0..=text.len() {
            let mut shift: isize = 0;
            let mut want = None;
            for &(s, e) in &r.ranges[0] {
                if offset <= s {
                    break;
                }
                if offset < e {
                    want =
                        Some((s as isize + shift + (offset - s).min(MASK.len()) as isize) as usize);
                    break;
                }
                shift += MASK.len() as isize - (e - s) as isize;
            }
            let want = want.unwrap_or((offset as isize + shift) as usize);
            assert_eq!(r.map_offset(0, offset), want, "offset {offset}");
        }
        assert_eq!(r.text("pw123 and longsecret, ab"), "*** and ***, ab");
    }

    #[test]
    fn secret_names() {
        for k in [
            "password",
            "admin_password",
            "memcache_secret_key",
            "swift_store_key",
            "s3_store_secret_key",
            "transport_password",
        ] {
            assert!(is_secret_option(k), "{k}");
        }
        for k in [
            "username",
            "cafile",
            "keyfile",
            "project_name",
            "ssl_key_file",
            "token_cache_time",
            "memcache_security_strategy",
        ] {
            assert!(!is_secret_option(k), "{k}");
        }
    }
}
