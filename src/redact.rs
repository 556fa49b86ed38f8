//! The one secret policy, and the one place that masks secrets before any
//! reporter sees text.
//!
//! [`SecretPolicy`] decides, once per target, which assignments are secret:
//! an option the catalogue marks secret where Glance reads it (its static
//! group, a backend section by store type, the keystoneauth plugin options,
//! an old name of a secret option); for a key the catalogue does not know
//! there, a name that looks secret (password, secret, key, token ...) or the
//! name of a secret option elsewhere. Besides, the password inside any URL
//! is secret, and on a line oslo.config could not parse, whatever follows a
//! secret-looking word. The [`Redactor`] masks them in the source text
//! shown to users (mapping spans onto the masked text) and, as a safety
//! net, in every message and help; `config` masks values with the same
//! policy, and rules ask it before quoting a value.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind};

use crate::model::known::{KeyClass, Known};
use crate::model::url_secrets::merge_overlapping;
pub use crate::model::url_secrets::url_secret_ranges;
use crate::model::{EffectiveConfig, Entry};
use crate::schema::Catalogue;
use crate::source::SourceFile as Source;
use crate::source::{SourceFile, Span};

pub const MASK: &str = "***";

/// Which assignments of one target are secret: decided once, from the
/// catalogue of the release being linted.
#[derive(Debug, Clone, Default)]
pub struct SecretPolicy {
    /// Per file, where the key of each secret assignment starts, in order.
    secret: Vec<Vec<usize>>,
}

impl SecretPolicy {
    /// For a caller without the rules' classification (`config`): the
    /// catalogue reading of each section, without what only the rules need
    /// (misplaced homes, suggestions). Agrees with
    /// [`SecretPolicy::from_classified`].
    pub fn new(config: &EffectiveConfig, catalogue: &'static Catalogue) -> Self {
        let known = Known::new(config, catalogue);
        let mut sets = HashMap::new();
        Self::build(config, |entry| {
            let set = sets
                .entry(entry.section.clone())
                .or_insert_with(|| known.section(&entry.section));
            let class = known.catalogue_option(&entry.section, set.as_ref(), &entry.key);
            verdict(&known, class.as_ref(), &entry.key)
        })
    }

    /// From the classification the catalogue rules make of the file (every
    /// effective key of every section Glance reads), so that it is made once.
    pub(crate) fn from_classified(
        config: &EffectiveConfig,
        known: &Known,
        classified: &[(&Entry, KeyClass)],
    ) -> Self {
        let decided: HashMap<(&str, &str), bool> = classified
            .iter()
            .map(|(e, class)| {
                let key = (e.section.as_str(), e.key.as_str());
                (key, verdict(known, Some(class), &e.key))
            })
            .collect();
        Self::build(config, |entry| {
            match decided.get(&(entry.section.as_str(), entry.key.as_str())) {
                Some(&is_secret) => is_secret,
                // A section Glance does not read: only an old group name counts.
                None => {
                    let class = known.catalogue_option(&entry.section, None, &entry.key);
                    verdict(known, class.as_ref(), &entry.key)
                }
            }
        })
    }

    /// Asks `is_secret` about every assignment: overridden ones and those of
    /// other files too.
    fn build(config: &EffectiveConfig, mut is_secret: impl FnMut(&Entry) -> bool) -> Self {
        let mut secret: Vec<Vec<usize>> = Vec::new();
        for entry in config.entries() {
            if is_secret(entry) {
                let file = entry.key_span.file;
                if secret.len() <= file {
                    secret.resize_with(file + 1, Vec::new);
                }
                secret[file].push(entry.key_span.start);
            }
        }
        // Already in file order; sorting keeps the binary search right
        // whatever order the model lists entries in.
        for starts in &mut secret {
            starts.sort_unstable();
        }
        SecretPolicy { secret }
    }

    /// The option of this assignment is secret (its value may still be a
    /// URL shown with its password masked: see [`SecretPolicy::masks_whole`]).
    pub fn is_secret_option(&self, entry: &Entry) -> bool {
        self.secret
            .get(entry.key_span.file)
            .is_some_and(|starts| starts.binary_search(&entry.key_span.start).is_ok())
    }

    /// The whole value is secret and never shown: a secret option, unless
    /// its value is one URL (`[database] connection`, `transport_url`),
    /// shown with its password masked as the report needs its host.
    pub fn masks_whole(&self, entry: &Entry) -> bool {
        self.is_secret_option(entry) && !is_one_url(&entry.value)
    }

    /// The spans of an assignment that must never be shown.
    pub fn spans(&self, entry: &Entry) -> Vec<Span> {
        if self.masks_whole(entry) {
            return vec![entry.value_span];
        }
        url_secret_ranges(&entry.value)
            .into_iter()
            .map(|(s, e)| entry.value_subspan(s, e))
            .collect()
    }

    /// The value with its secrets masked.
    pub fn masked_value<'a>(&self, entry: &'a Entry) -> Cow<'a, str> {
        if self.masks_whole(entry) {
            return Cow::Borrowed(MASK);
        }
        let ranges = url_secret_ranges(&entry.value);
        if ranges.is_empty() {
            return Cow::Borrowed(&entry.value);
        }
        let mut out = entry.value.clone();
        for (s, e) in ranges.into_iter().rev() {
            out.replace_range(s..e, MASK);
        }
        Cow::Owned(out)
    }
}

/// The policy for one key: the catalogue's word on the option Glance reads
/// it as; for a key it does not know there (misplaced, removed, unknown,
/// unchecked), its name.
fn verdict(known: &Known, class: Option<&KeyClass>, key: &str) -> bool {
    match class {
        Some(KeyClass::Known(o) | KeyClass::Deprecated { opt: o, .. }) => o.secret,
        _ => is_secret_option(key) || known.catalogue().secret_somewhere(key),
    }
}

/// `scheme://...` and nothing else (RFC 3986's scheme, no white space).
fn is_one_url(value: &str) -> bool {
    let Some((scheme, _)) = value.split_once("://") else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !value.contains(char::is_whitespace)
}

/// Option names that look secret: a [`secret_word`] in the name,
/// unless the name says it is a file, an id or a setting of the token cache.
pub fn is_secret_option(key: &str) -> bool {
    let not_secret = key.ends_with("_file")
        || key.ends_with("_id")
        || key.ends_with("_name")
        || key.ends_with("_path")
        || key.ends_with("keyfile")
        || key.starts_with("token_")
        || key == "token_cache_time";
    secret_word(key) && !not_secret
}

/// The name holds `pass`, `secret`, `token` or `credential`, or is `key` or
/// ends in `_key` (ASCII case-insensitive). Checked by hand, not with a
/// regex: this runs first for every option, and compiling the regex cost
/// more start-up time than a typical file takes to lint.
pub fn secret_word(key: &str) -> bool {
    let bytes = key.as_bytes();
    let has = |word: &str| {
        bytes
            .windows(word.len())
            .any(|w| w.eq_ignore_ascii_case(word.as_bytes()))
    };
    let ends_with_key = bytes.len() >= 4 && bytes[bytes.len() - 4..].eq_ignore_ascii_case(b"_key");
    ["pass", "secret", "token", "credential"]
        .iter()
        .any(|w| has(w))
        || key.eq_ignore_ascii_case("key")
        || ends_with_key
}

#[derive(Debug, Clone, Default)]
pub struct Redactor {
    /// Per file: sorted, non-overlapping byte ranges to mask, each with its
    /// replacement (the mask, then the line breaks it covered).
    ranges: Vec<Vec<(usize, usize, String)>>,
    /// Per file: how much masking shifted the text before each range.
    shifts: Vec<Vec<isize>>,
    /// Secret strings worth masking in text, longest first.
    secrets: Vec<String>,
    /// Finds which of `secrets` occur in a text in one pass, so a file with
    /// 100,000 passwords costs no more per message than a file with one.
    /// Built on first use.
    finder: OnceLock<Option<AhoCorasick>>,
}

impl Redactor {
    pub fn new(sources: &[SourceFile], config: &EffectiveConfig, policy: &SecretPolicy) -> Self {
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
                // oslo.config keeps a trailing comment in the value; a
                // message may quote the value without it.
                let comment = [" #", "\t#"].iter().filter_map(|m| line.find(m)).min();
                if let Some(i) = comment {
                    let before = line[..i].trim();
                    if !before.is_empty() {
                        secrets.push(before.to_string());
                    }
                }
            }
        };
        for entry in config.entries() {
            for span in policy.spans(entry) {
                add(span, &mut ranges);
            }
            // A URL split at its scheme's colon (`connection mysql://u:pw@h`
            // is the key `connection mysql` and the value `//u:pw@h`).
            let (file, start) = (entry.key_span.file, entry.key_span.start);
            let line = &sources[file].text[start..entry.first_part().end.max(start)];
            for (s, e) in url_secret_ranges(line) {
                add(Span::new(file, start + s, start + e), &mut ranges);
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
        let ranges: Vec<Vec<(usize, usize, String)>> = ranges
            .into_iter()
            .zip(sources)
            .map(|(mut r, src)| {
                r.sort();
                merge_overlapping(&mut r);
                with_replacements(r, src)
            })
            .collect();
        let shifts = ranges
            .iter()
            .map(|r| {
                let mut shift = 0isize;
                r.iter()
                    .map(|(s, e, replacement)| {
                        let before = shift;
                        shift += replacement.len() as isize - (e - s) as isize;
                        before
                    })
                    .collect()
            })
            .collect();
        // Short lower-case words (`password`, `glance`, `secret`) are left
        // alone: masking them would garble every message that names an
        // option, and such passwords are reported as placeholders anyway.
        secrets.retain(|secret| {
            let word_like = secret.len() <= 9 && secret.bytes().all(|b| b.is_ascii_lowercase());
            secret.chars().count() >= 3 && !word_like
        });
        secrets.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        secrets.dedup();
        Redactor {
            ranges,
            shifts,
            secrets,
            finder: OnceLock::new(),
        }
    }

    /// Masks every known secret inside free text (messages, help, errors),
    /// wherever it stands as a whole token.
    ///
    /// Rules never quote a secret; this is the safety net (see `new` for
    /// the secrets left alone). The source lines shown to users are masked
    /// by span, whatever the secret.
    pub fn text(&self, s: &str) -> String {
        let mut out = s.to_string();
        if self.secrets.is_empty() {
            return out;
        }
        let finder = self
            .finder
            // The NFA: a file's secrets are searched in a few dozen short
            // messages, where building a DFA costs more than it saves.
            .get_or_init(|| {
                AhoCorasick::builder()
                    .kind(Some(AhoCorasickKind::NoncontiguousNFA))
                    .build(&self.secrets)
                    .ok()
            });
        let Some(finder) = finder else {
            return out;
        };
        let mut found: Vec<usize> = finder
            .find_overlapping_iter(s)
            .map(|m| m.pattern().as_usize())
            .collect();
        // Longest first, as the patterns are ordered.
        found.sort_unstable();
        found.dedup();
        for i in found {
            let secret = &self.secrets[i];
            if out.contains(secret.as_str()) {
                out = replace_tokens(&out, secret);
            }
        }
        out
    }

    /// The file's text with secrets masked, for showing source lines.
    pub fn source<'a>(&self, file: usize, text: &'a str) -> Cow<'a, str> {
        self.source_range(file, text, 0, text.len())
    }

    /// `text[start..end]` with secrets masked; the bounds come from
    /// [`Redactor::widen`], so no secret is cut in two. The result is exactly
    /// the masked file's text from `map_offset(start)` to `map_offset(end)`.
    pub fn source_range<'a>(
        &self,
        file: usize,
        text: &'a str,
        start: usize,
        end: usize,
    ) -> Cow<'a, str> {
        let ranges = &self.ranges[file];
        let first = ranges.partition_point(|&(_, e, _)| e <= start);
        let inside = ranges[first..].iter().take_while(|&&(s, _, _)| s < end);
        let mut out: Option<String> = None;
        let mut last = start;
        for (s, e, replacement) in inside {
            let out = out.get_or_insert_with(|| String::with_capacity(end - start));
            out.push_str(&text[last..*s]);
            out.push_str(replacement);
            last = *e;
        }
        match out {
            None => Cow::Borrowed(&text[start..end]),
            Some(mut out) => {
                out.push_str(&text[last..end]);
                Cow::Owned(out)
            }
        }
    }

    /// `start..end` grown so that it cuts no masked range in two.
    pub fn widen(&self, file: usize, start: usize, end: usize) -> (usize, usize) {
        let ranges = &self.ranges[file];
        let cut = |at: usize| {
            let k = ranges.partition_point(|&(s, _, _)| s < at);
            k.checked_sub(1)
                .map(|k| (ranges[k].0, ranges[k].1))
                .filter(|&(_, e)| at < e)
        };
        let start = cut(start).map_or(start, |(s, _)| s);
        let end = cut(end).map_or(end, |(_, e)| e);
        (start, end)
    }

    /// Maps an offset of the original text onto the masked text.
    pub fn map_offset(&self, file: usize, offset: usize) -> usize {
        let (ranges, shifts) = (&self.ranges[file], &self.shifts[file]);
        // Ranges starting before `offset` (binary search: a file may hold
        // 100,000 secrets); all but the last end before it.
        let k = ranges.partition_point(|&(s, _, _)| s < offset);
        let Some((s, e, replacement)) = k.checked_sub(1).map(|k| &ranges[k]) else {
            return offset;
        };
        let shift = shifts[k - 1];
        if offset < *e {
            // Inside a secret: point into the mask.
            return (*s as isize + shift + (offset - s).min(MASK.len()) as isize) as usize;
        }
        (offset as isize + shift + replacement.len() as isize - (e - s) as isize) as usize
    }

    pub fn map_span(&self, span: Span) -> Span {
        let start = self.map_offset(span.file, span.start);
        let end = self.map_offset(span.file, span.end).max(start);
        Span::new(span.file, start, end)
    }
}

/// On a line oslo.config could not parse: where a secret may start
/// (after `password`, `secret`, `token` ... and any separator).
fn secret_tail(line: &str) -> Option<usize> {
    let re = crate::lazy_regex!(r"(?i)(pass(word|wd)?|secret|token|key)\S*[\s:=]*");
    if let Some((s, _)) = url_secret_ranges(line).first() {
        return Some(*s);
    }
    re.find(line)
        .map(|m| m.end())
        .filter(|&end| end < line.len())
}

/// Each range's replacement: the mask, then the line breaks it covered (so
/// line numbers stay right).
fn with_replacements(ranges: Vec<(usize, usize)>, src: &Source) -> Vec<(usize, usize, String)> {
    ranges
        .into_iter()
        .map(|(s, e)| {
            let breaks: String = src.text[s..e]
                .chars()
                .filter(|&c| c == '\n' || c == '\r')
                .collect();
            (s, e, format!("{MASK}{breaks}"))
        })
        .collect()
}

/// Replaces `needle` where it is not part of a longer word.
fn replace_tokens(haystack: &str, needle: &str) -> String {
    let is_word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    let mut out = String::with_capacity(haystack.len());
    let mut last = 0;
    for (i, _) in haystack.match_indices(needle) {
        if i < last {
            continue;
        }
        let before = haystack[..i].chars().next_back();
        let after = haystack[i + needle.len()..].chars().next();
        if is_word(before) || is_word(after) {
            continue;
        }
        out.push_str(&haystack[last..i]);
        out.push_str(MASK);
        last = i + needle.len();
    }
    out.push_str(&haystack[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::effective_config;

    fn redactor(text: &str) -> (Vec<SourceFile>, Redactor) {
        let sources = vec![SourceFile::from_text("t.conf", text)];
        let cfg = effective_config(&sources);
        let policy = SecretPolicy::new(&cfg, crate::schema::catalogue());
        let r = Redactor::new(&sources, &cfg, &policy);
        (sources, r)
    }

    #[test]
    fn map_offset_agrees_with_a_linear_walk() {
        let text = "[a]\npassword = longsecret\n  more\nx = 1\nadmin_password = ab\ntransport_url = rabbit://u:pw123@h,v:p@g/\ny = 2\n";
        let (_, r) = redactor(text);
        assert!(r.ranges[0].len() >= 4);
        for offset in 0..=text.len() {
            let mut shift: isize = 0;
            let mut want = None;
            for (s, e, replacement) in &r.ranges[0] {
                if offset <= *s {
                    break;
                }
                if offset < *e {
                    want = Some(
                        (*s as isize + shift + (offset - s).min(MASK.len()) as isize) as usize,
                    );
                    break;
                }
                shift += replacement.len() as isize - (e - s) as isize;
            }
            let want = want.unwrap_or((offset as isize + shift) as usize);
            assert_eq!(r.map_offset(0, offset), want, "offset {offset}");
        }
        assert_eq!(r.text("pw123 and longsecret"), "*** and ***");
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
        assert_eq!(
            r.text("not-s3cret-x but s3cretive"),
            "not-***-x but s3cretive"
        );
        // A common word used as a password does not garble messages.
        let (_, r) = redactor("[a]\npassword = password\nsecret_key = hunter22\n");
        assert_eq!(
            r.text("`password` is weak; hunter22"),
            "`password` is weak; ***"
        );
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
    fn maps_spans_after_multi_line_secrets() {
        let text = "[a]\npassword = first\n  second\nx = 1\n";
        let (sources, r) = redactor(text);
        let shown = r.source(0, &sources[0].text);
        let x = text.find("x = 1").unwrap();
        assert_eq!(&shown[r.map_offset(0, x)..r.map_offset(0, x) + 5], "x = 1");
    }

    #[test]
    fn masks_urls_split_at_the_scheme_and_passwords_with_at() {
        let text = "[a]\nconnection mysql://u:pw1234@h/db\nc = mysql://u:p@ss99@h/db\n";
        let (sources, r) = redactor(text);
        let shown = r.source(0, &sources[0].text);
        assert!(
            !shown.contains("pw1234") && !shown.contains("ss99"),
            "{shown}"
        );
        assert!(shown.contains("c = mysql://u:***@h/db"), "{shown}");
        let text = "[a]\nt = rabbit://u:p@w1@h1:5672,v:p2@h2/\n";
        let (sources, r) = redactor(text);
        let shown = r.source(0, &sources[0].text);
        assert!(
            shown.contains("t = rabbit://u:***@h1:5672,v:***@h2/"),
            "{shown}"
        );
    }

    /// `section.key` -> is its whole value masked.
    fn masked(text: &str) -> Vec<(String, bool)> {
        let sources = vec![SourceFile::from_text("t.conf", text)];
        let cfg = effective_config(&sources);
        let policy = SecretPolicy::new(&cfg, crate::schema::catalogue());
        cfg.entries()
            .map(|e| (format!("{}.{}", e.section, e.key), policy.masks_whole(e)))
            .collect()
    }

    #[test]
    fn the_catalogue_decides_for_the_options_it_knows() {
        let text = "[DEFAULT]\nenabled_backends = sw:swift\n\
            [sw]\nswift_store_user = u\nswift_store_auth_address = http://ks/v3\n\
            [profiler]\nhmac_keys = k\n\
            [keystone_authtoken]\nauth_section = svc\nservice_token_roles_required = true\n\
            [svc]\nauth_type = password\npassword = p\nusername = glance\n\
            [glance_store]\nswift_store_key = misplaced\n\
            [oslo_messaging_kafka]\nssl_client_key_password = unmarked\n\
            [database]\nconnection = mysql://u:p@h/db\nslave_connection = not a url\n\
            [nope]\nmy_password = x\nhmac_keys = y\nuser = z\n";
        let got = masked(text);
        let want = [
            ("DEFAULT.enabled_backends", false),
            ("sw.swift_store_user", true),
            ("sw.swift_store_auth_address", false),
            ("profiler.hmac_keys", true),
            ("keystone_authtoken.auth_section", false),
            // Known, not secret, whatever its name says.
            ("keystone_authtoken.service_token_roles_required", false),
            ("svc.auth_type", false),
            ("svc.password", true),
            ("svc.username", false),
            // Multi-store: not read here, but a secret option elsewhere.
            ("glance_store.swift_store_key", true),
            ("oslo_messaging_kafka.ssl_client_key_password", true),
            // One URL: shown with its password masked.
            ("database.connection", false),
            ("database.slave_connection", true),
            ("nope.my_password", true),
            ("nope.hmac_keys", true),
            ("nope.user", false),
        ];
        let want: Vec<(String, bool)> = want.iter().map(|(k, m)| (k.to_string(), *m)).collect();
        assert_eq!(got, want);
        // The rules' way reaches the same verdicts.
        let sources = vec![SourceFile::from_text("t.conf", text)];
        let cfg = effective_config(&sources);
        let known = Known::new(&cfg, crate::schema::catalogue());
        let (light, ruled) = (
            SecretPolicy::new(&cfg, crate::schema::catalogue()),
            SecretPolicy::from_classified(&cfg, &known, &known.entries()),
        );
        assert_eq!(light.secret, ruled.secret);
        let (sources, r) = redactor(text);
        let shown = r.source(0, &sources[0].text);
        assert!(shown.contains("connection = mysql://u:***@h/db"), "{shown}");
        assert!(
            shown.contains("swift_store_auth_address = http://ks/v3"),
            "{shown}"
        );
    }

    /// `new` (for `config`) and `from_classified` (for lint) agree on every
    /// fixture and, when present, every corpus file.
    #[test]
    fn both_ways_to_the_policy_agree() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut dirs: Vec<std::path::PathBuf> = std::fs::read_dir(root.join("fixtures"))
            .unwrap()
            .map(|d| d.unwrap().path())
            .collect();
        dirs.push(root.join("../shared/corpus/real"));
        let mut compared = 0;
        for dir in dirs.iter().filter(|d| d.is_dir()) {
            for file in std::fs::read_dir(dir).unwrap() {
                let path = file.unwrap().path();
                if path.extension().is_none_or(|e| e != "conf") {
                    continue;
                }
                let bytes = std::fs::read(&path).unwrap();
                let sources = vec![SourceFile::from_bytes("t.conf", None, bytes)];
                let cfg = effective_config(&sources);
                let known = Known::new(&cfg, crate::schema::catalogue());
                let light = SecretPolicy::new(&cfg, crate::schema::catalogue());
                let ruled = SecretPolicy::from_classified(&cfg, &known, &known.entries());
                assert_eq!(light.secret, ruled.secret, "{}", path.display());
                compared += 1;
            }
        }
        assert!(compared >= 60, "{compared}");
    }

    #[test]
    fn a_secret_quoted_without_its_trailing_comment_is_masked() {
        let (_, r) = redactor("[profiler]\nhmac_keys = Hm4cKey # the key\n");
        assert_eq!(
            r.text("leave `hmac_keys = Hm4cKey`"),
            "leave `hmac_keys = ***`"
        );
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
