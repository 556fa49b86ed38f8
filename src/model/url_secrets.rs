//! Where the passwords of URLs stand in a text, for the model's readings of
//! URL values and for the redactor alike (below both, so neither depends on
//! the other).

/// Byte ranges of the passwords inside URLs in `value`
/// (`scheme://user:PASSWORD@host`, also after each `,` of a host list).
///
/// Written out by hand rather than as the regex it implements,
/// `(?:://|,)[^:@/,\s]*:([^@\s]*)@`, because it runs on every value and
/// compiling the regex took longer than linting a typical file.
pub fn url_password_ranges(value: &str) -> Vec<(usize, usize)> {
    let bytes = value.as_bytes();
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(found) = memchr::memchr2(b',', b':', &bytes[at..]) {
        let i = at + found;
        let user_start = match bytes[i] {
            b',' => i + 1,
            _ if bytes[i..].starts_with(b"://") => i + 3,
            _ => {
                at = i + 1;
                continue;
            }
        };
        let user_end = run_end(value, user_start, |c| {
            matches!(c, ':' | '@' | '/' | ',') || c.is_whitespace()
        });
        let pw_start = user_end + 1;
        let pw_end = if bytes.get(user_end) == Some(&b':') {
            run_end(value, pw_start, |c| c == '@' || c.is_whitespace())
        } else {
            user_end
        };
        if pw_end == user_end || bytes.get(pw_end) != Some(&b'@') {
            at = i + 1;
            continue;
        }
        if pw_end > pw_start {
            // A password with an unencoded `@` runs to the last `@` of its host
            // item (oslo.messaging splits there; SQLAlchemy would cut it short,
            // but the whole intended password is the secret).
            let rest = &value[pw_end + 1..];
            let item = &rest[..rest.find(['/', ',', ' ', '\t', '\n']).unwrap_or(rest.len())];
            let end = item.rfind('@').map_or(pw_end, |last| pw_end + 1 + last);
            out.push((pw_start, end));
        }
        at = pw_end + 1;
    }
    out
}

/// The password parts of URLs in `text`, generously: the model's reading
/// (`scheme://user:pw@host`, and `,user:pw@host` in multi-host URLs) and
/// everything from a `user:` after `//` to the last `@` before the path or
/// the next host (a password with an unescaped `@`).
pub fn url_secret_ranges(text: &str) -> Vec<(usize, usize)> {
    let mut ranges = url_password_ranges(text);
    ranges.extend(userinfo_to_last_at(text));
    ranges.sort();
    merge_overlapping(&mut ranges);
    ranges
}

/// The non-empty `PW` of each `//USER:PW@` in `text`, where `USER` has no `:`,
/// `@`, `/` or whitespace and `PW` runs to the last `@` before whitespace or
/// one of `/?#,` (what `//[^:@/\s]*:([^\s/?#,]*)@` finds, written out by hand:
/// it runs on every value, and compiling that regex cost more than linting).
fn userinfo_to_last_at(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(found) = memchr::memmem::find(&bytes[at..], b"//") {
        let user_start = at + found + 2;
        let user_end = run_end(text, user_start, |c| {
            matches!(c, ':' | '@' | '/') || c.is_whitespace()
        });
        if bytes.get(user_end) != Some(&b':') {
            at += found + 1;
            continue;
        }
        let pw_start = user_end + 1;
        let pw_end = run_end(text, pw_start, |c| {
            matches!(c, '/' | '?' | '#' | ',') || c.is_whitespace()
        });
        match text[pw_start..pw_end].rfind('@') {
            Some(last_at) => {
                if last_at > 0 {
                    out.push((pw_start, pw_start + last_at));
                }
                at = pw_start + last_at + 1;
            }
            None => at += found + 1,
        }
    }
    out
}

/// Where the run of characters starting at `start` ends: at the first one
/// `stop` accepts, or at the end of `text`.
pub fn run_end(text: &str, start: usize, stop: impl Fn(char) -> bool) -> usize {
    text[start..].find(stop).map_or(text.len(), |i| start + i)
}

pub(crate) fn merge_overlapping(ranges: &mut Vec<(usize, usize)>) {
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

    #[test]
    fn url_passwords() {
        let v = "rabbit://openstack:RABBIT_PASS@h1:5672,u2:p2@h2:5672/";
        let pw: Vec<_> = url_password_ranges(v)
            .into_iter()
            .map(|(s, e)| &v[s..e])
            .collect();
        assert_eq!(pw, ["RABBIT_PASS", "p2"]);
        assert!(url_password_ranges("http://controller:5000").is_empty());
        let v = "mysql+pymysql://glance:Gl@nce-1@controller/glance";
        let (s, e) = url_password_ranges(v)[0];
        assert_eq!(&v[s..e], "Gl@nce-1");
    }
}
