//! The hand-written matchers that replaced regexes on the hot path (compiling
//! those regexes cost more start-up time than linting a typical file) give
//! exactly what the regexes they replace give, on generated text built from
//! the characters that matter to them plus arbitrary Unicode.

use glance_lint::model::views::url_password_ranges;
use glance_lint::redact::{is_secret_option, secret_word, url_secret_ranges};
use glance_lint::rules::comment_marker;
use proptest::prelude::*;
use regex::Regex;

/// Text made of URL and INI punctuation, letters, whitespace (including
/// Unicode spaces) and now and then any character.
fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        8 => prop::sample::select(vec![
            "://", "//", ":", "@", "/", ",", "?", "#", ";", " ", "\t", "\n", "*", "_",
            "a", "pw", "u", "host", "\u{a0}", "\u{2003}", "é", "mysql", "PASS", "key",
        ])
        .prop_map(str::to_string),
        1 => any::<char>().prop_map(|c| c.to_string()),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

/// What `url_password_ranges` did with its regex, kept as the reference.
fn url_password_ranges_by_regex(value: &str) -> Vec<(usize, usize)> {
    let re = Regex::new(r"(?:://|,)[^:@/,\s]*:([^@\s]*)@").unwrap();
    re.captures_iter(value)
        .filter_map(|c| c.get(1))
        .filter(|m| !m.is_empty())
        .map(|m| {
            let rest = &value[m.end() + 1..];
            let item = &rest[..rest.find(['/', ',', ' ', '\t', '\n']).unwrap_or(rest.len())];
            let end = item.rfind('@').map_or(m.end(), |at| m.end() + 1 + at);
            (m.start(), end)
        })
        .collect()
}

/// What `url_secret_ranges` did with its regex, kept as the reference.
fn url_secret_ranges_by_regex(text: &str) -> Vec<(usize, usize)> {
    let re = Regex::new(r"//[^:@/\s]*:([^\s/?#,]*)@").unwrap();
    let mut ranges = url_password_ranges_by_regex(text);
    ranges.extend(
        re.captures_iter(text)
            .filter_map(|c| c.get(1))
            .filter(|m| !m.is_empty())
            .map(|m| (m.start(), m.end())),
    );
    ranges.sort();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (s, e) in ranges {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    merged
}

fn secret_word_by_regex(key: &str) -> bool {
    Regex::new(r"(?i)(pass(word|wd)?|secret|token|(^|_)key$|credential|^key$)")
        .unwrap()
        .is_match(key)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn url_passwords_match_the_regex(value in text()) {
        prop_assert_eq!(url_password_ranges(&value), url_password_ranges_by_regex(&value));
    }

    #[test]
    fn url_secrets_match_the_regex(value in text()) {
        prop_assert_eq!(url_secret_ranges(&value), url_secret_ranges_by_regex(&value));
    }

    #[test]
    fn comment_marker_matches_the_regex(line in text()) {
        let re = Regex::new(r"[ \t]+[*_]*[#;]").unwrap();
        let expected = re.find(&line).map(|m| (m.start(), m.end()));
        prop_assert_eq!(comment_marker(&line), expected);
    }

    #[test]
    fn secret_words_match_the_regex(
        key in "[a-zA-Z_]{0,6}(pass|PASSWD|secret|Token|key|_key|credential|file|_id)?[a-z_]{0,4}(_file|_id|_name|_path|keyfile)?"
    ) {
        prop_assert_eq!(secret_word(&key), secret_word_by_regex(&key), "{}", key);
    }
}

#[test]
fn known_urls() {
    let v = "rabbit://openstack:RABBIT_PASS@controller:5672/,guest:g@h2";
    let found: Vec<&str> = url_password_ranges(v)
        .iter()
        .map(|&(s, e)| &v[s..e])
        .collect();
    assert_eq!(found, ["RABBIT_PASS", "g"]);
    // An unencoded `@` in the password: the whole intended password.
    let v = "mysql+pymysql://glance:p@ss@controller/glance";
    assert_eq!(
        &v[url_secret_ranges(v)[0].0..url_secret_ranges(v)[0].1],
        "p@ss"
    );
    assert!(url_password_ranges("http://controller:5000/v3").is_empty());
    assert_eq!(comment_marker("x = 1  # one"), Some((5, 8)));
    assert_eq!(comment_marker("x = a#b"), None);
    assert!(is_secret_option("rabbit_password") && is_secret_option("memcache_secret_key"));
    assert!(!is_secret_option("password_file") && !is_secret_option("token_cache_time"));
}
