//! Option definitions and value checking with oslo.config's semantics
//! (`oslo_config/types.py`: String, Integer, Float, Boolean, List, Dict, Port,
//! HostAddress, Hostname, IPAddress, URI, MultiString). Error texts are
//! oslo.config's own `ValueError` reasons.

/// Value kind of an option (from the opt class / oslo type class).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptKind {
    String,
    Integer,
    Float,
    Boolean,
    List,
    Dict,
    Port,
    HostAddress,
    Hostname,
    IpAddress,
    Uri,
    MultiString,
    Range,
    /// A type the generator did not know: values are not checked.
    Unknown,
}

/// A former name of an option: `group` is the old group (same group when it did not move).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeprecatedName {
    pub group: String,
    pub name: String,
}

/// Type of list items / dict values.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemType {
    pub kind: OptKind,
    pub choices: Vec<String>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub regex: Option<String>,
    pub max_length: Option<usize>,
    pub ignore_case: bool,
    pub quotes: bool,
}

/// One option as oslo.config registers it.
#[derive(Debug, Clone, PartialEq)]
pub struct OptionDef {
    pub name: String,
    /// The key read from a file (`auth-url` is read as `auth_url`).
    pub dest: String,
    pub kind: OptKind,
    pub choices: Vec<String>,
    pub min: Option<i64>,
    pub max: Option<i64>,
    /// Exact bounds (float options may have fractional bounds).
    pub min_f: Option<f64>,
    pub max_f: Option<f64>,
    pub regex: Option<String>,
    pub max_length: Option<usize>,
    pub ignore_case: bool,
    pub quotes: bool,
    /// List must be written inside `[` `]` (e.g. `enabled_import_methods`).
    pub bounds: bool,
    pub schemes: Vec<String>,
    /// List item type / dict value type when it is not a plain string.
    pub item: Option<ItemType>,
    pub default: Option<String>,
    pub secret: bool,
    pub deprecated_names: Vec<DeprecatedName>,
    pub deprecated_for_removal: bool,
    pub deprecated_since: Option<String>,
    /// Short category of the deprecation reason (`no_effect`, `superseded_by_multistore`, ...).
    pub deprecated_reason: Option<String>,
    /// Where a hand-written (gap table) option comes from; None for generated ones.
    pub source: Option<&'static str>,
}

impl OptionDef {
    /// A plain string option; used to build the hand-written tables.
    pub fn string(name: &str, source: &'static str) -> OptionDef {
        OptionDef {
            name: name.to_string(),
            dest: name.replace('-', "_"),
            kind: OptKind::String,
            choices: Vec::new(),
            min: None,
            max: None,
            min_f: None,
            max_f: None,
            regex: None,
            max_length: None,
            ignore_case: false,
            quotes: false,
            bounds: false,
            schemes: Vec::new(),
            item: None,
            default: None,
            secret: false,
            deprecated_names: Vec::new(),
            deprecated_for_removal: false,
            deprecated_since: None,
            deprecated_reason: None,
            source: Some(source),
        }
    }

    /// MultiStrOpt: every occurrence of the key counts (no "last one wins").
    pub fn is_multi(&self) -> bool {
        self.kind == OptKind::MultiString
    }

    /// Validate a raw file value as oslo.config would convert it (NO `$` substitution;
    /// the caller handles that). `Err` carries oslo.config's reason text.
    pub fn check_value(&self, raw: &str) -> Result<(), String> {
        let t = ItemType {
            kind: self.kind,
            choices: self.choices.clone(),
            min: self.min_f,
            max: self.max_f,
            regex: self.regex.clone(),
            max_length: self.max_length,
            ignore_case: self.ignore_case,
            quotes: self.quotes,
        };
        match self.kind {
            OptKind::List => check_list(raw, self.bounds, self.item.as_ref()),
            OptKind::Dict => check_dict(raw, self.item.as_ref()),
            OptKind::Uri => check_uri(raw, &self.schemes, self.max_length),
            _ => check_scalar(&t, raw),
        }
    }
}

/// Python `repr()` of a str (enough for error messages).
pub fn py_repr(s: &str) -> String {
    let q = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::new();
    out.push(q);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == q => {
                out.push('\\');
                out.push(c)
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push(q);
    out
}

/// Python `'%g' % v`.
pub fn py_g(v: f64) -> String {
    if v.is_nan() {
        return "nan".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if v == 0.0 {
        return "0".into();
    }
    let exp = v.abs().log10().floor() as i32;
    if !(-4..6).contains(&exp) {
        let s = format!("{:.5e}", v);
        let (mant, e) = s.split_once('e').unwrap_or((&s, "0"));
        let mant = trim_zeros(mant);
        let e: i32 = e.parse().unwrap_or(0);
        format!("{}e{}{:02}", mant, if e < 0 { '-' } else { '+' }, e.abs())
    } else {
        let decimals = (5 - exp).max(0) as usize;
        trim_zeros(&format!("{:.*}", decimals, v))
    }
}

fn trim_zeros(s: &str) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s.to_string()
    }
}

/// Python's `str.strip()` whitespace.
fn py_strip(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace())
}

/// Digits with single `_` between digits (Python numeric literal grouping).
fn valid_digits(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('_')
        && !s.ends_with('_')
        && !s.contains("__")
        && s.chars().all(|c| c.is_ascii_digit() || c == '_')
}

/// A boolean as oslo.config's `types.Boolean` converts it (case-insensitive
/// `true/1/on/yes`, `false/0/off/no`, nothing stripped); `None` for anything
/// else. The one boolean parser: `invalid-value`, the rules and the live
/// probes all read booleans with it.
pub fn parse_bool(value: &str) -> Option<bool> {
    match value.to_ascii_lowercase().as_str() {
        "true" | "1" | "on" | "yes" => Some(true),
        "false" | "0" | "off" | "no" => Some(false),
        _ => None,
    }
}

/// Python `int(s)` (base 10): Ok(None) never happens here; returns the value
/// saturated to i128 or the oslo/Python error text.
pub fn py_int(raw: &str) -> Result<i128, String> {
    let s = py_strip(raw);
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if !valid_digits(body) {
        return Err(format!(
            "invalid literal for int() with base 10: {}",
            py_repr(raw)
        ));
    }
    let digits: String = body.chars().filter(|c| *c != '_').collect();
    let v = digits.parse::<i128>().unwrap_or(i128::MAX);
    Ok(if neg { -v } else { v })
}

/// Python `float(s)`.
pub fn py_float(raw: &str) -> Result<f64, String> {
    let err = || format!("could not convert string to float: {}", py_repr(raw));
    let s = py_strip(raw);
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let lower = body.to_ascii_lowercase();
    let v = match lower.as_str() {
        "nan" => f64::NAN,
        "inf" | "infinity" => f64::INFINITY,
        _ => {
            let (mant, exp) = match lower.find('e') {
                Some(i) => (&lower[..i], Some(&lower[i + 1..])),
                None => (lower.as_str(), None),
            };
            let (ip, fp) = match mant.split_once('.') {
                Some((a, b)) => (a, Some(b)),
                None => (mant, None),
            };
            let ok_ip = ip.is_empty() || valid_digits(ip);
            let ok_fp = fp.is_none_or(|f| f.is_empty() || valid_digits(f));
            let has_digits = !ip.is_empty() || fp.is_some_and(|f| !f.is_empty());
            let ok_exp = exp.is_none_or(|e| {
                let e = e.strip_prefix(['+', '-']).unwrap_or(e);
                valid_digits(e)
            });
            if !(ok_ip && ok_fp && has_digits && ok_exp) {
                return Err(err());
            }
            lower.replace('_', "").parse::<f64>().map_err(|_| err())?
        }
    };
    Ok(if neg { -v } else { v })
}

fn check_scalar(t: &ItemType, raw: &str) -> Result<(), String> {
    match t.kind {
        OptKind::String | OptKind::MultiString => check_string(t, raw),
        OptKind::Boolean => match parse_bool(raw) {
            Some(_) => Ok(()),
            None => Err(format!("Unexpected boolean value {}", py_repr(raw))),
        },
        OptKind::Integer | OptKind::Port => {
            if py_strip(raw).is_empty() {
                return Ok(()); // oslo: whitespace or empty -> None
            }
            let v = py_int(raw)?;
            let (min, max) = if t.kind == OptKind::Port {
                (t.min.or(Some(0.0)), t.max.or(Some(65535.0)))
            } else {
                (t.min, t.max)
            };
            check_number(v as f64, min, max, &t.choices, &v.to_string())
        }
        OptKind::Float => {
            if py_strip(raw).is_empty() {
                return Ok(());
            }
            let v = py_float(raw)?;
            check_number(v, t.min, t.max, &t.choices, &py_g(v))
        }
        OptKind::HostAddress => check_host_address(raw),
        OptKind::Hostname => check_hostname(raw),
        OptKind::IpAddress => check_ip(raw),
        OptKind::Uri => check_uri(raw, &[], t.max_length),
        OptKind::Range => check_range(raw),
        // Containers are handled by the caller; unknown kinds are not checked.
        OptKind::List | OptKind::Dict | OptKind::Unknown => Ok(()),
    }
}

fn check_number(
    v: f64,
    min: Option<f64>,
    max: Option<f64>,
    choices: &[String],
    shown: &str,
) -> Result<(), String> {
    if choices.is_empty() {
        if let Some(m) = min {
            if v < m {
                return Err(format!("Should be greater than or equal to {}", py_g(m)));
            }
        }
        if let Some(m) = max {
            if v > m {
                return Err(format!("Should be less than or equal to {}", py_g(m)));
            }
        }
        Ok(())
    } else if choices.iter().any(|c| c.parse::<f64>().ok() == Some(v)) {
        Ok(())
    } else {
        // oslo prints the repr of its choices mapping here (its exact text varies
        // with the Python version); we print the plain list.
        Err(format!(
            "Valid values are [{}], but found {}",
            choices.join(", "),
            shown
        ))
    }
}

fn check_string(t: &ItemType, raw: &str) -> Result<(), String> {
    let mut value = raw;
    if t.quotes && !value.is_empty() {
        let first = value.chars().next().unwrap_or(' ');
        if first == '"' || first == '\'' {
            // oslo: value[-1] != value[0]; a lone quote char is "closed" by itself
            if value.len() >= 2 && !value.ends_with(first) {
                return Err(format!("Non-closed quote: {}", value));
            }
            value = if value.len() >= 2 {
                &value[1..value.len() - 1]
            } else {
                ""
            };
        }
    }
    if let Some(ml) = t.max_length {
        if ml > 0 && value.chars().count() > ml {
            return Err(format!("Value '{}' exceeds maximum length {}", value, ml));
        }
    }
    if let Some(pat) = &t.regex {
        let pat_flags = if t.ignore_case {
            format!("(?i){}", pat)
        } else {
            pat.clone()
        };
        if let Ok(re) = regex::Regex::new(&pat_flags) {
            if !re.is_match(value) {
                return Err(format!(
                    "Value {} doesn't match regex {}",
                    py_repr(value),
                    py_repr(pat)
                ));
            }
        }
    }
    if t.choices.is_empty() {
        return Ok(());
    }
    let found = if t.ignore_case {
        let l = value.to_lowercase();
        t.choices.iter().any(|c| c.to_lowercase() == l)
    } else {
        t.choices.iter().any(|c| c == value)
    };
    if found {
        Ok(())
    } else {
        Err(format!(
            "Valid values are [{}], but found {}",
            t.choices.join(", "),
            py_repr(value)
        ))
    }
}

fn plain_string() -> ItemType {
    ItemType {
        kind: OptKind::String,
        choices: Vec::new(),
        min: None,
        max: None,
        regex: None,
        max_length: None,
        ignore_case: false,
        quotes: false,
    }
}

/// oslo `types.List.__call__`: strip, drop trailing commas, optional `[...]`,
/// split on `,`, re-join parts while an item fails to convert.
fn check_list(raw: &str, bounds: bool, item: Option<&ItemType>) -> Result<(), String> {
    let default = plain_string();
    let item = item.unwrap_or(&default);
    let mut s = py_strip(raw).trim_end_matches(',');
    if bounds {
        if !s.starts_with('[') {
            return Err("Value should start with \"[\"".into());
        }
        if !s.ends_with(']') {
            return Err("Value should end with \"]\"".into());
        }
        s = &s[1..s.len() - 1];
    }
    if s.is_empty() {
        return Ok(());
    }
    let mut parts: std::collections::VecDeque<&str> = s.split(',').collect();
    while let Some(first) = parts.pop_front() {
        let mut value = first.to_string();
        loop {
            match check_scalar(item, py_strip(&value)) {
                Ok(()) => break,
                Err(e) => match parts.pop_front() {
                    None => return Err(e),
                    Some(next) => {
                        value.push(',');
                        value.push_str(next);
                    }
                },
            }
        }
    }
    Ok(())
}

/// oslo `types.Dict.__call__`.
fn check_dict(raw: &str, value_type: Option<&ItemType>) -> Result<(), String> {
    let default = plain_string();
    let vt = value_type.unwrap_or(&default);
    let s = py_strip(raw);
    if s.is_empty() {
        return Ok(());
    }
    let mut keys: Vec<String> = Vec::new();
    let mut pairs: std::collections::VecDeque<&str> = s.split(',').collect();
    while let Some(first) = pairs.pop_front() {
        let mut pair = first.to_string();
        let key = loop {
            let attempt = match pair.split_once(':') {
                None => Err("Value should be NAME:VALUE pairs separated by \",\"".to_string()),
                Some((k, v)) => check_scalar(vt, py_strip(v)).map(|_| py_strip(k).to_string()),
            };
            match attempt {
                Ok(k) => break k,
                Err(e) => match pairs.pop_front() {
                    None => return Err(e),
                    Some(next) => {
                        pair.push(',');
                        pair.push_str(next);
                    }
                },
            }
        };
        if key.is_empty() {
            return Err("Key name should not be empty".into());
        }
        if keys.contains(&key) {
            return Err(format!("Duplicate key {}", key));
        }
        keys.push(key);
    }
    Ok(())
}

fn is_ip(v: &str) -> bool {
    v.parse::<std::net::Ipv4Addr>().is_ok() || v.parse::<std::net::Ipv6Addr>().is_ok()
}

fn check_ip(v: &str) -> Result<(), String> {
    if v.is_empty() {
        return Err("IP address cannot be an empty string".into());
    }
    if is_ip(v) {
        Ok(())
    } else {
        Err(format!("{} is not IPv4 or IPv6 address", v))
    }
}

/// oslo `types.Hostname.__call__`.
pub fn check_hostname(value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Err("Cannot have an empty hostname".into());
    }
    if value.chars().count() > 253 {
        return Err(format!(
            "hostname is greater than 253 characters: {}",
            value
        ));
    }
    let v = value.strip_suffix('.').unwrap_or(value);
    let last = v.rsplit('.').next().unwrap_or("");
    if !last.chars().any(|c| c.is_ascii_alphabetic() || c == '-') {
        return Err(format!(
            "{} contains no non-numeric characters in the top-level domain part of the host name and is invalid",
            v
        ));
    }
    let seg_ok = |x: &str| {
        !x.is_empty()
            && x.len() <= 63
            && !x.starts_with('-')
            && !x.ends_with('-')
            && x.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    if v.split('.').all(seg_ok) {
        Ok(())
    } else {
        Err(format!("{} is an invalid hostname", v))
    }
}

fn check_host_address(v: &str) -> Result<(), String> {
    if (!v.is_empty() && is_ip(v)) || check_hostname(v).is_ok() {
        Ok(())
    } else {
        Err(format!("{} is not a valid host address", v))
    }
}

fn check_range(v: &str) -> Result<(), String> {
    let re = crate::lazy_regex!(r"^(0|-?[1-9][0-9]*)(?:-(0|-?[1-9][0-9]*))?$");
    if re.is_match(v) {
        Ok(())
    } else {
        Err(format!("Invalid Range: {}", v))
    }
}

/// URI check following `rfc3986` as oslo's `types.URI` uses it: scheme and host
/// must be present and valid; optional allowed schemes and maximum length.
/// (oslo wraps these texts in the exception's argument tuple; we give the text.)
pub fn check_uri(value: &str, schemes: &[String], max_length: Option<usize>) -> Result<(), String> {
    let re =
        crate::lazy_regex!(r"^(?:([^:/?#]+):)?(?://([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$");
    let caps = re.captures(value);
    let scheme = caps.as_ref().and_then(|c| c.get(1)).map(|m| m.as_str());
    let authority = caps.as_ref().and_then(|c| c.get(2)).map(|m| m.as_str());
    let host = authority.and_then(authority_host);
    let mut missing = Vec::new();
    if host.as_deref().is_none_or(str::is_empty) {
        missing.push("host");
    }
    if scheme.is_none() {
        missing.push("scheme");
    }
    if !missing.is_empty() {
        let verb = if missing.len() > 1 { "were" } else { "was" };
        return Err(format!(
            "{} {} required but missing",
            missing.join(", "),
            verb
        ));
    }
    let scheme = scheme.unwrap_or_default();
    let scheme_re = crate::lazy_regex!(r"^[A-Za-z][A-Za-z0-9+.\-]*$");
    let host = host.unwrap_or_default();
    let host_re = crate::lazy_regex!(
        r"^(?:\[[0-9A-Fa-f:.]+\]|(?:[A-Za-z0-9\-._~!$&'()*+,;=]|%[0-9A-Fa-f]{2})*)$"
    );
    let mut invalid = Vec::new();
    if !host_re.is_match(&host) {
        invalid.push("host");
    }
    if !scheme_re.is_match(scheme) {
        invalid.push("scheme");
    }
    if !invalid.is_empty() {
        let verb = if invalid.len() > 1 { "were" } else { "was" };
        return Err(format!(
            "{} {} found to be invalid",
            invalid.join(", "),
            verb
        ));
    }
    if !schemes.is_empty() && !schemes.iter().any(|s| s.eq_ignore_ascii_case(scheme)) {
        let allowed: Vec<String> = schemes.iter().map(|s| py_repr(s)).collect();
        return Err(format!(
            "scheme was required to be one of {{{}}} but was {}",
            allowed.join(", "),
            py_repr(scheme)
        ));
    }
    if let Some(ml) = max_length {
        if value.chars().count() > ml {
            return Err(format!("Value '{}' exceeds maximum length {}", value, ml));
        }
    }
    Ok(())
}

/// Host part of an authority; None when the authority is invalid (bad port),
/// which rfc3986 reports as a missing host.
fn authority_host(authority: &str) -> Option<String> {
    let rest = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (host, port) = if rest.starts_with('[') {
        match rest.find(']') {
            Some(i) => (&rest[..=i], rest[i + 1..].strip_prefix(':')),
            None => return None,
        }
    } else {
        match rest.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (rest, None),
        }
    };
    if let Some(p) = port {
        if !p.is_empty()
            && (!p.chars().all(|c| c.is_ascii_digit())
                || p.parse::<u32>().map_or(true, |n| n > 65535))
        {
            return None;
        }
    }
    Some(host.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opt(kind: OptKind) -> OptionDef {
        let mut o = OptionDef::string("x", "test");
        o.kind = kind;
        o
    }

    #[test]
    fn integer() {
        let mut o = opt(OptKind::Integer);
        for good in ["42", " 42 ", "1_000", "+5", "-3", "", "  ", "010"] {
            assert_eq!(o.check_value(good), Ok(()), "{good:?}");
        }
        assert_eq!(
            o.check_value("many").unwrap_err(),
            "invalid literal for int() with base 10: 'many'"
        );
        for bad in ["0x10", "1e3", "4.0", "1__0", "_1", "1_"] {
            assert!(o.check_value(bad).is_err(), "{bad:?}");
        }
        o.min_f = Some(1.0);
        o.max_f = Some(65535.0);
        assert_eq!(
            o.check_value("0").unwrap_err(),
            "Should be greater than or equal to 1"
        );
        assert_eq!(
            o.check_value("70000").unwrap_err(),
            "Should be less than or equal to 65535"
        );
        o.max_f = Some(1_000_000.0);
        assert_eq!(
            o.check_value("2000000").unwrap_err(),
            "Should be less than or equal to 1e+06"
        );
        let mut c = opt(OptKind::Integer);
        c.choices = vec!["1".into(), "2".into()];
        assert_eq!(c.check_value("2"), Ok(()));
        assert_eq!(
            c.check_value("3").unwrap_err(),
            "Valid values are [1, 2], but found 3"
        );
    }

    #[test]
    fn float() {
        let mut o = opt(OptKind::Float);
        for good in [
            "1.5",
            "1e3",
            "nan",
            "inf",
            "-Infinity",
            " 2 ",
            "",
            ".5",
            "1_0.5",
        ] {
            assert_eq!(o.check_value(good), Ok(()), "{good:?}");
        }
        assert_eq!(
            o.check_value("abc").unwrap_err(),
            "could not convert string to float: 'abc'"
        );
        o.min_f = Some(0.0);
        o.max_f = Some(4.5);
        assert_eq!(
            o.check_value("5").unwrap_err(),
            "Should be less than or equal to 4.5"
        );
        assert_eq!(
            o.check_value("-1").unwrap_err(),
            "Should be greater than or equal to 0"
        );
    }

    #[test]
    fn boolean() {
        let o = opt(OptKind::Boolean);
        for good in ["true", "False", "1", "0", "YES", "no", "On", "off"] {
            assert_eq!(o.check_value(good), Ok(()), "{good:?}");
        }
        assert_eq!(
            o.check_value("y").unwrap_err(),
            "Unexpected boolean value 'y'"
        );
        assert_eq!(
            o.check_value("").unwrap_err(),
            "Unexpected boolean value ''"
        );
        assert_eq!(
            o.check_value(" true").unwrap_err(),
            "Unexpected boolean value ' true'"
        );
        assert!(o.check_value("enabled").is_err());
    }

    #[test]
    fn port() {
        let o = opt(OptKind::Port);
        assert_eq!(o.check_value("5678"), Ok(()));
        assert_eq!(o.check_value("0"), Ok(()));
        assert_eq!(
            o.check_value("65536").unwrap_err(),
            "Should be less than or equal to 65535"
        );
        assert_eq!(
            o.check_value("-1").unwrap_err(),
            "Should be greater than or equal to 0"
        );
        assert_eq!(
            o.check_value("http").unwrap_err(),
            "invalid literal for int() with base 10: 'http'"
        );
    }

    #[test]
    fn string_choices_regex_length() {
        let mut o = opt(OptKind::String);
        assert_eq!(o.check_value("anything # at all"), Ok(()));
        o.choices = vec!["a".into(), "b".into()];
        assert_eq!(o.check_value("a"), Ok(()));
        assert_eq!(
            o.check_value("A").unwrap_err(),
            "Valid values are [a, b], but found 'A'"
        );
        o.ignore_case = true;
        assert_eq!(o.check_value("A"), Ok(()));
        let mut r = opt(OptKind::String);
        r.regex = Some("^[0-9a-f]{32}$".into());
        assert_eq!(r.check_value("84f29dc346be4d0cb1dd014017ecee4e"), Ok(()));
        assert_eq!(
            r.check_value("ENDPOINT_ID").unwrap_err(),
            "Value 'ENDPOINT_ID' doesn't match regex '^[0-9a-f]{32}$'"
        );
        let mut m = opt(OptKind::String);
        m.max_length = Some(3);
        assert_eq!(
            m.check_value("abcd").unwrap_err(),
            "Value 'abcd' exceeds maximum length 3"
        );
    }

    #[test]
    fn list() {
        let o = opt(OptKind::List);
        for good in ["a,b", "a, b,", "", "a,,b", "'a,b',c"] {
            assert_eq!(o.check_value(good), Ok(()), "{good:?}");
        }
        let mut ints = opt(OptKind::List);
        ints.item = Some(ItemType {
            kind: OptKind::Integer,
            ..plain_string()
        });
        assert_eq!(ints.check_value("500, 502,"), Ok(()));
        assert_eq!(
            ints.check_value("500,x").unwrap_err(),
            "invalid literal for int() with base 10: 'x'"
        );
        // glance's enabled_import_methods: bounds + quoted items with choices
        let mut b = opt(OptKind::List);
        b.bounds = true;
        b.item = Some(ItemType {
            choices: vec!["glance-direct".into(), "web-download".into()],
            quotes: true,
            ..plain_string()
        });
        assert_eq!(b.check_value("['glance-direct', 'web-download']"), Ok(()));
        assert_eq!(
            b.check_value("glance-direct").unwrap_err(),
            "Value should start with \"[\""
        );
        assert_eq!(
            b.check_value("[glance-direct").unwrap_err(),
            "Value should end with \"]\""
        );
        assert_eq!(
            b.check_value("['copy']").unwrap_err(),
            "Valid values are [glance-direct, web-download], but found 'copy'"
        );
        assert_eq!(
            b.check_value("['glance-direct]").unwrap_err(),
            "Non-closed quote: 'glance-direct"
        );
    }

    #[test]
    fn dict() {
        let o = opt(OptKind::Dict);
        for good in ["fs:file, http:http", "a:b:c", "", "k: v"] {
            assert_eq!(o.check_value(good), Ok(()), "{good:?}");
        }
        let pairs = "Value should be NAME:VALUE pairs separated by \",\"";
        assert_eq!(o.check_value("fs").unwrap_err(), pairs);
        assert_eq!(o.check_value("fs:file,").unwrap_err(), pairs);
        assert_eq!(o.check_value("a:1, a:2").unwrap_err(), "Duplicate key a");
        assert_eq!(
            o.check_value(":x").unwrap_err(),
            "Key name should not be empty"
        );
    }

    #[test]
    fn host_address_hostname_ip() {
        let o = opt(OptKind::HostAddress);
        for good in [
            "controller",
            "10.0.0.1",
            "::1",
            "vc.example.org",
            "vc.example.org.",
        ] {
            assert_eq!(o.check_value(good), Ok(()), "{good:?}");
        }
        assert_eq!(
            o.check_value("host:5000").unwrap_err(),
            "host:5000 is not a valid host address"
        );
        assert_eq!(
            o.check_value("bad_host!").unwrap_err(),
            "bad_host! is not a valid host address"
        );
        assert_eq!(
            o.check_value("").unwrap_err(),
            " is not a valid host address"
        );
        assert!(o.check_value("1.2.3.999").is_err());
        let h = opt(OptKind::Hostname);
        assert_eq!(
            h.check_value("").unwrap_err(),
            "Cannot have an empty hostname"
        );
        assert_eq!(
            h.check_value("-bad").unwrap_err(),
            "-bad is an invalid hostname"
        );
        assert!(h
            .check_value("1.2.3.4")
            .unwrap_err()
            .contains("no non-numeric characters"));
        let ip = opt(OptKind::IpAddress);
        assert_eq!(ip.check_value("fe80::1"), Ok(()));
        assert_eq!(
            ip.check_value("").unwrap_err(),
            "IP address cannot be an empty string"
        );
        assert_eq!(
            ip.check_value("x").unwrap_err(),
            "x is not IPv4 or IPv6 address"
        );
    }

    #[test]
    fn uri() {
        let mut o = opt(OptKind::Uri);
        for good in [
            "http://controller:5000/v3",
            "https://[::1]:9311",
            "rabbit://u:p@h:5672/",
        ] {
            assert_eq!(o.check_value(good), Ok(()), "{good:?}");
        }
        assert_eq!(
            o.check_value("controller:5000").unwrap_err(),
            "host was required but missing"
        );
        assert_eq!(
            o.check_value("").unwrap_err(),
            "host, scheme were required but missing"
        );
        assert_eq!(
            o.check_value("//h/x").unwrap_err(),
            "scheme was required but missing"
        );
        assert_eq!(
            o.check_value("http://h:99999/").unwrap_err(),
            "host was required but missing"
        );
        assert_eq!(
            o.check_value("http://bad host/").unwrap_err(),
            "host was found to be invalid"
        );
        o.schemes = vec!["http".into(), "https".into()];
        assert_eq!(
            o.check_value("ftp://h/").unwrap_err(),
            "scheme was required to be one of {'http', 'https'} but was 'ftp'"
        );
    }

    #[test]
    fn multi_string_and_helpers() {
        let o = opt(OptKind::MultiString);
        assert!(o.is_multi());
        assert_eq!(o.check_value("/a:100"), Ok(()));
        assert_eq!(py_repr("it's"), "\"it's\"");
        assert_eq!(py_g(65535.0), "65535");
        assert_eq!(py_g(0.5), "0.5");
        assert_eq!(py_g(1e-5), "1e-05");
    }
}
